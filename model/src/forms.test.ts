import { describe, expect, it } from 'vitest';
import { buildCommunity, buildPerson, parseNationalities, whereaboutsChange } from './forms.ts';

const context = {
  id: '0b8a7c1e-6a55-4c57-9d0b-1d0a4b3c2a10',
  memberId: 'field-1',
  at: '2011-03-01T08:00:00.000Z',
  location: { lon: 22.6, lat: 32.7 },
};
const communityValues = {
  name: 'Wadi Derna brickworks camp',
  headcount: '64',
  'female.adults': '4',
  'male.adults': '50',
  'male.children': '2',
  nationalities: 'np 40, IN:20, bd',
  languages: 'ne, hi',
  siteType: 'labour_camp',
  employer: 'Derna Bricks',
  contactName: 'Bikash Lama',
  contactPhone: '+218 92 555 0147',
  needs: ['water', 'transport'],
  vulnerabilities: ['trafficking_risk'],
  status: 'stranded',
};

describe('buildCommunity', () => {
  it('builds a valid community with breakdown, nationality counts and a first whereabouts entry', () => {
    const result = buildCommunity(communityValues, null, context);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.body.headcount).toEqual({
      total: 64,
      female: { children: 0, adults: 4, elderly: 0 },
      male: { children: 2, adults: 50, elderly: 0 },
    });
    expect(result.body.nationalities).toEqual([{ code: 'NP', count: 40 }, { code: 'IN', count: 20 }, { code: 'BD' }]);
    expect(result.body.history).toEqual([{ at: context.at, status: 'stranded', location: context.location }]);
  });

  it('appends to the history when the status changes and not when only the name does', () => {
    const first = buildCommunity(communityValues, null, context);
    if (!first.ok) throw new Error('first');
    const renamed = buildCommunity({ ...communityValues, name: 'Renamed' }, first.body, {
      ...context,
      at: '2011-03-02T08:00:00.000Z',
      location: undefined as never,
    });
    if (!renamed.ok) throw new Error('renamed');
    expect(renamed.body.history).toHaveLength(1);
    const moved = buildCommunity({ ...communityValues, status: 'moving' }, renamed.body, {
      ...context,
      at: '2011-03-03T08:00:00.000Z',
      location: { lon: 23, lat: 32 },
    });
    if (!moved.ok) throw new Error('moved');
    expect(moved.body.history.map((entry) => entry.status)).toEqual(['stranded', 'moving']);
    expect(moved.body.location).toEqual({ lon: 23, lat: 32 });
  });

  it("stores the contact person's phone in E.164, read in the given country", () => {
    const result = buildCommunity({ ...communityValues, contactPhone: '092 555 0147' }, null, { ...context, phoneCountry: 'LY' });
    expect(result.ok && [result.body.contact?.phone, result.notices]).toEqual(['+218925550147', []]);
    const international = buildCommunity(communityValues, null, context);
    expect(international.ok && international.body.contact?.phone).toBe('+218925550147');
  });

  it('refuses a breakdown larger than the total, and says where', () => {
    const result = buildCommunity({ ...communityValues, headcount: '10' }, null, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/more than the total/);
  });
});

describe('buildPerson', () => {
  const values = {
    name: 'सीता गुरुङ',
    nameLatin: 'Sita Gurung',
    sex: 'female',
    nationality: 'np',
    passport: 'confiscated',
    passportHeldBy: 'employer',
    status: 'stranded',
    consent: ['ownConsulate', 'humanitarian'],
  };

  it('builds a person with documents and consent', () => {
    const result = buildPerson(values, null, context);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.body.documents).toEqual({ passport: 'confiscated', passportHeldBy: 'employer', other: [] });
    expect(result.body.consent).toEqual({
      ownConsulate: true,
      hostAuthorities: false,
      humanitarian: true,
      messages: false,
      recordedAt: context.at,
    });
  });

  it('records consent to receive messages apart, and a change of it re-dates the consent', () => {
    const first = buildPerson({ ...values, consent: ['messages'] }, null, context);
    if (!first.ok) throw new Error(JSON.stringify(first.issues));
    expect(first.body.consent.messages).toBe(true);
    const later = { ...context, at: '2026-12-01T10:00:00.000Z' };
    const withdrawn = buildPerson({ ...values, consent: [] }, first.body, later);
    if (!withdrawn.ok) throw new Error(JSON.stringify(withdrawn.issues));
    expect(withdrawn.body.consent).toMatchObject({ messages: false, recordedAt: later.at });
  });

  it('stores phones in E.164 read in the given country, keeps the rest as typed with a notice, and leaves a stored phone as it was', () => {
    const typed = { ...values, phone: '091 234 5678', familyName: 'Ram Gurung', familyPhone: '984-1234567' };
    const result = buildPerson(typed, null, { ...context, phoneCountry: 'LY' });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.body.phone).toBe('+218912345678');
    // A Nepali mobile read as Libyan is too long: kept exactly as typed, and the form says why.
    expect(result.body.familyContact).toEqual({ name: 'Ram Gurung', phone: '984-1234567' });
    expect(result.notices).toEqual([{ path: 'familyContact.phone', typed: '984-1234567', problem: 'too-long' }]);
    const international = buildPerson({ ...typed, familyPhone: '+977 984-1234567' }, null, { ...context, phoneCountry: 'LY' });
    expect(international.ok && [international.body.familyContact?.phone, international.notices]).toEqual(['+9779841234567', []]);
    // No country to read a national number in: kept as typed.
    const noCountry = buildPerson(typed, null, context);
    expect(noCountry.ok && [noCountry.body.phone, noCountry.notices.map((notice) => notice.problem)]).toEqual([
      '091 234 5678',
      ['needs-country', 'needs-country'],
    ]);
    // An older record's phone, as typed then: saving another change does not rewrite it.
    const old = { ...(noCountry.ok ? noCountry.body : ({} as never)), phone: '091 234 5678' };
    const edited = buildPerson({ ...typed, name: 'Sita Gurung' }, old, { ...context, phoneCountry: 'LY' });
    expect(edited.ok && edited.body.phone).toBe('091 234 5678');
  });

  it('refuses own-consulate consent for a refugee, on the consent field', () => {
    const result = buildPerson({ ...values, refugee: ['yes'] }, null, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.path).toBe('consent.ownConsulate');
  });
});

describe('helpers', () => {
  it('parses nationalities with and without counts', () => {
    expect(parseNationalities('NP 3; in')).toEqual([{ code: 'NP', count: 3 }, { code: 'IN' }]);
  });
  it('has no whereabouts change when nothing moved', () => {
    const entry = { at: 'x', status: 'safe' as const, location: { lon: 1, lat: 2 } };
    expect(whereaboutsChange([entry], 'safe', { lon: 1, lat: 2 }, undefined, 'y')).toBeNull();
  });
});
