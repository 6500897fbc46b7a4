import { describe, expect, it } from 'vitest';
import { isHxlHashtag, parseHxlCsv } from './hxl.ts';
import { buildManifest, manifestHashtags, manifestToCsv } from './manifest.ts';

const records = [
  { id: 'c2', kind: 'community', name: 'Zawiya brickworks', headcount: { total: 12 }, location: { lon: 22.6, lat: 32.7 } },
  {
    id: 'c1',
    kind: 'community',
    name: 'Derna port dormitory',
    headcount: { total: 40 },
    location: { lon: 22.64, lat: 32.76 },
    nationalities: [{ code: 'NP', count: 30 }],
  },
  {
    id: 'p1',
    kind: 'person',
    communityId: 'c1',
    name: 'Sita Rai',
    nationality: 'NP',
    phone: '+218922222222',
    documents: { passport: 'confiscated' },
    needs: ['medical', 'documents'],
  },
  { id: 'p2', kind: 'person', communityId: 'c1', name: 'Arjun Thapa', nationality: 'NP', phone: '=HYPERLINK("x")' },
  { id: 'p3', kind: 'person', communityId: 'c-unreleased', name: 'Maya Gurung', nationality: 'NP' },
];

describe('evacuation manifest', () => {
  it('groups people by community, communities by name, the unplaced last', () => {
    const groups = buildManifest(records);
    expect(groups.map((group) => group.community)).toEqual(['Derna port dormitory', 'Zawiya brickworks', 'Not in a released community']);
    expect(groups[0]!.people.map((row) => row.name)).toEqual(['Arjun Thapa', 'Sita Rai']);
    expect(groups[0]!.headcount).toBe(40);
    expect(groups[2]!.people.map((row) => row.id)).toEqual(['p3']);
  });

  it('sorts people by a column, either way', () => {
    expect(buildManifest(records, { sort: 'name', descending: true })[0]!.people.map((row) => row.name)).toEqual([
      'Sita Rai',
      'Arjun Thapa',
    ]);
    expect(buildManifest(records, { sort: 'passport', descending: true })[0]!.people[0]!.passport).toBe('confiscated');
  });

  it('writes HXL CSV: headers, valid hashtags, one row per record, formulas neutralised', () => {
    expect(manifestHashtags.every(isHxlHashtag)).toBe(true);
    expect(manifestHashtags).toEqual(expect.arrayContaining(['#affected', '#geo+lat', '#geo+lon', '#country+code', '#contact+phone']));
    const csv = manifestToCsv(buildManifest(records));
    const table = parseHxlCsv(csv);
    expect(table.ok).toBe(true);
    if (!table.ok) return;
    expect(table.value.rows).toHaveLength(5);
    const lat = table.value.tags.indexOf('#geo+lat');
    const affected = table.value.tags.indexOf('#affected');
    expect(table.value.rows[0]![lat]).toBe('32.76');
    expect(table.value.rows[0]![affected]).toBe('40');
    expect(csv).toContain('Sita Rai');
    expect(csv).not.toMatch(/^=HYPERLINK|,=HYPERLINK/m);
  });

  it('keeps names with quotes and lists of needs whole through the CSV', () => {
    const table = parseHxlCsv(
      manifestToCsv(
        buildManifest([
          {
            id: 'x',
            kind: 'person',
            name: 'Ram "Bahadur" Thapa',
            nationality: 'NP',
            needs: ['medical', 'documents'],
            documents: { passport: 'confiscated' },
          },
        ]),
      ),
    );
    if (!table.ok) throw new Error(table.error.message);
    const cell = (tag: string) => table.value.rows[0]![table.value.tags.indexOf(tag)];
    expect([cell('#beneficiary+name'), cell('#need'), cell('#indicator+passport')]).toEqual([
      'Ram "Bahadur" Thapa',
      'medical documents',
      'confiscated',
    ]);
  });

  it("gives phones in E.164 read in the country of the person's place, keeps an unreadable one as stored, with no number to call", () => {
    const released = [
      { id: 'c1', kind: 'community', name: 'Derna port dormitory', location: { lon: 22.64, lat: 32.76 } },
      {
        id: 'p1',
        kind: 'person',
        communityId: 'c1',
        name: 'Sita Rai',
        phone: '092 222 2222',
        familyContact: { name: 'Ram', phone: '+977 984 1234567' },
      },
      { id: 'p2', kind: 'person', communityId: 'c1', name: 'Arjun Thapa', phone: '092 222' },
      { id: 'p3', kind: 'person', name: 'Hawa Idris', location: { lon: 32.53, lat: 15.59 }, phone: '0912 345 678' },
    ];
    // As the device finds it from the map's country shapes: Derna is in Libya, Khartoum in Sudan.
    const phoneCountryOf = (place: { lon: number; lat: number } | undefined) => (place === undefined ? null : place.lat > 20 ? 'LY' : 'SD');
    const people = buildManifest(released, { phoneCountryOf }).flatMap((group) => group.people);
    expect(people.map((row) => [row.name, row.phone, row.phoneE164, row.familyContact])).toEqual([
      ['Arjun Thapa', '092 222', null, ''],
      ['Sita Rai', '+218922222222', '+218922222222', 'Ram +9779841234567'],
      ['Hawa Idris', '+249912345678', '+249912345678', ''],
    ]);
    // Without a country, only numbers written with their + are read; the others stay as stored.
    expect(buildManifest(released).flatMap((group) => group.people.map((row) => row.phoneE164))).toEqual([null, null, null]);
    const csv = manifestToCsv(buildManifest(released, { phoneCountryOf }));
    expect(csv).toContain(',+218922222222,');
    expect(csv).toContain(',092 222,');
  });
});
