import { describe, expect, it } from 'vitest';
import { demoRecords } from '#fixtures';
import { headsOf, mergeHistory, mergeVersions, nextVersion, resolveMerge, type RecordVersion } from './merge.ts';
import { community as communitySchema, person as personSchema, type Community, type Person } from './records.ts';

const records = demoRecords();
const original = records.communities[0]!;
const firstPerson = records.persons.find((person) => !person.refugee && person.consent.ownConsulate) ?? records.persons[0]!;

const at = (minutes: number) => new Date(Date.parse('2011-03-01T08:00:00.000Z') + minutes * 60_000).toISOString();

/** Version 1, then two devices each make version 2 from it, offline. */
function siblings(editA: Partial<Community>, editB: Partial<Community>, clockA = 10, clockB = 20) {
  const v1 = nextVersion(null, original, { memberId: 'creator', at: at(0) });
  const base = mergeVersions([v1]);
  const a = nextVersion(base, { ...base.body, ...editA }, { memberId: 'device-a', at: at(clockA) });
  const b = nextVersion(base, { ...base.body, ...editB }, { memberId: 'device-b', at: at(clockB) });
  return { v1, a, b };
}

describe('mergeVersions', () => {
  it('a single line of edits has one head and no conflict', () => {
    const v1 = nextVersion(null, original, { memberId: 'm', at: at(0) });
    const v2 = nextVersion(mergeVersions([v1]), { ...v1.body, name: 'Renamed' }, { memberId: 'm', at: at(5) });
    const result = mergeVersions([v1, v2]);
    expect(result.heads).toHaveLength(1);
    expect(result.version).toBe(2);
    expect(result.body.name).toBe('Renamed');
    expect(result.conflicts).toEqual([]);
  });

  it('takes each side where only that side changed a field', () => {
    const { v1, a, b } = siblings({ name: 'Camp renamed on A' }, { headcount: { total: original.headcount.total + 7 } });
    const result = mergeVersions([v1, a, b]);
    expect(result.heads).toHaveLength(2);
    expect(result.body.name).toBe('Camp renamed on A');
    expect(result.body.headcount.total).toBe(original.headcount.total + 7);
    expect(result.conflicts).toEqual([]);
    expect(communitySchema.safeParse(result.body).success).toBe(true);
  });

  it('on a field both changed, takes the later updatedAt and keeps the other value visible', () => {
    const { v1, a, b } = siblings({ status: 'moving' }, { status: 'evacuated' }, 30, 20);
    const result = mergeVersions([b, v1, a]);
    expect(result.body.status).toBe('moving');
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({
      field: 'status',
      chosen: { value: 'moving', updatedBy: 'device-a' },
      others: [{ value: 'evacuated', updatedBy: 'device-b' }],
    });
  });

  it('gives the same result whatever order the versions arrive in', () => {
    const { v1, a, b } = siblings({ status: 'moving', name: 'X' }, { status: 'safe' });
    expect(mergeVersions([v1, a, b])).toEqual(mergeVersions([b, a, v1]));
  });

  it('with no common ancestor at hand (a field device), every differing field is a conflict, none lost', () => {
    const { a, b } = siblings({ name: 'A' }, { name: 'B' });
    const result = mergeVersions([a, b]);
    expect(result.body.name).toBe('B');
    expect(result.conflicts.map((conflict) => conflict.others.map((other) => other.value))).toEqual([['A']]);
  });

  it('under clock skew (device B an hour behind), history entries of both sides survive, ordered by at', () => {
    const v1 = nextVersion(null, original, { memberId: 'creator', at: at(0) });
    const base = mergeVersions([v1]);
    const fromA = { at: at(120), status: 'moving' as const, placeName: 'Coast road' };
    const fromB = { at: at(60), status: 'sheltering' as const, placeName: 'Mosque hall' }; // written later, clock behind
    const a = nextVersion(base, { ...base.body, status: 'moving', history: [...base.body.history, fromA] }, { memberId: 'a', at: at(120) });
    const b = nextVersion(
      base,
      { ...base.body, status: 'sheltering', history: [...base.body.history, fromB] },
      { memberId: 'b', at: at(60) },
    );
    const result = mergeVersions([v1, a, b]);
    expect(result.body.history).toHaveLength(original.history.length + 2);
    expect(result.body.history).toContainEqual(fromA);
    expect(result.body.history).toContainEqual(fromB);
    const times = result.body.history.map((entry) => entry.at);
    expect(times).toEqual([...times].sort());
    // The skewed device loses the field on the clock, but its value is still there to pick.
    expect(result.body.status).toBe('moving');
    expect(result.conflicts.find((conflict) => conflict.field === 'status')?.others[0]?.value).toBe('sheltering');
  });

  it("a device that edited twice offline does not hide the other device's single edit", () => {
    const { v1, a, b } = siblings({ name: 'A' }, { notes: 'B first' });
    const b3 = nextVersion(mergeVersions([v1, b]), { ...b.body, notes: 'B second' }, { memberId: 'device-b', at: at(40) });
    const result = mergeVersions([v1, a, b, b3]);
    expect(result.heads.map((head) => head.version).sort()).toEqual([2, 3]);
    expect(result.version).toBe(3);
    expect(result.body.name).toBe('A');
    expect(result.body.notes).toBe('B second');
  });

  it('a resolved merge becomes the single head, one above the highest', () => {
    const { v1, a, b } = siblings({ status: 'moving' }, { status: 'evacuated' });
    const merged = mergeVersions([v1, a, b]);
    const settled = resolveMerge(merged, { status: 'evacuated' }, { memberId: 'officer', at: at(90) });
    expect(settled.version).toBe(3);
    const after = mergeVersions([v1, a, b, settled]);
    expect(after.heads).toHaveLength(1);
    expect(after.body.status).toBe('evacuated');
    expect(after.conflicts).toEqual([]);
  });

  it('never merges into a refugee consenting to their own consulate', () => {
    const v1 = nextVersion(null, { ...firstPerson, refugee: false, consent: { ...firstPerson.consent, ownConsulate: false } } as Person, {
      memberId: 'c',
      at: at(0),
    });
    const base = mergeVersions([v1]);
    const a = nextVersion(base, { ...base.body, refugee: true }, { memberId: 'a', at: at(10) });
    const b = nextVersion(base, { ...base.body, consent: { ...base.body.consent, ownConsulate: true } }, { memberId: 'b', at: at(20) });
    const result = mergeVersions([v1, a, b] as RecordVersion<Person>[]);
    expect(result.body.refugee).toBe(true);
    expect(result.body.consent.ownConsulate).toBe(false);
    expect(result.conflicts.find((conflict) => conflict.field === 'consent')?.forced).toBe('refugee_own_consulate');
    expect(personSchema.safeParse(result.body).success).toBe(true);
  });
});

describe('headsOf and mergeHistory', () => {
  it('treats versions without parents as coming from every lower version', () => {
    const v1 = { version: 1, body: { ...original, updatedAt: at(0) } };
    const v2 = { version: 2, body: { ...original, updatedAt: at(1) } };
    expect(headsOf([v1, v2]).map((head) => head.version)).toEqual([2]);
  });

  it('keeps identical entries once and different entries at the same time both', () => {
    const entry = { at: at(5), status: 'moving' as const };
    const merged = mergeHistory([[entry], [{ status: 'moving', at: at(5) }], [{ ...entry, note: 'other' }]]);
    expect(merged).toHaveLength(2);
  });
});
