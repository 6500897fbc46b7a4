import { describe, expect, it } from 'vitest';
import { consentAllows, previewRelease, releaseRecords, selectForRelease, type Scope } from './select.ts';
import { community, dernaArea, person } from './test-records.ts';

const inside = community('c-in', 22.64, 32.76, ['NP', 'BD']);
const outside = community('c-out', 20.07, 32.12, ['NP']); // Benghazi, outside the Derna box
const otherNationals = community('c-bd', 22.6, 32.7, ['BD']);
const all = {
  communities: [inside, outside, otherNationals],
  persons: [
    person('p-ok', 'c-in', 'NP'),
    person('p-no-consulate', 'c-in', 'NP', { ownConsulate: false }),
    person('p-refugee', 'c-in', 'NP', { ownConsulate: false, hostAuthorities: true }, { refugee: true }),
    person('p-bd', 'c-in', 'BD'),
    person('p-out', 'c-out', 'NP'),
    person('p-own-position', undefined, 'NP', {}, { location: { lon: 22.7, lat: 32.8 } }),
    person('p-in-bd-community', 'c-bd', 'NP'),
    person('p-nowhere', undefined, 'NP'),
  ],
};
const consulate: Scope = {
  area: dernaArea,
  nationalities: ['NP'],
  fields: ['headcount', 'location', 'names', 'nationality'],
  requesterKind: 'consulate',
};
const city: Scope = { ...consulate, requesterKind: 'city' };
const ids = (records: { id: string }[]) => records.map((record) => record.id).sort();

describe('consent', () => {
  it('a consulate gets its own nationals who consented, never a refugee', () => {
    expect(consentAllows(all.persons[0]!, 'consulate', ['NP'])).toBe(true);
    expect(consentAllows(all.persons[1]!, 'consulate', ['NP'])).toBe(false);
    // A refugee's record claiming consent to their own consulate is still never released to it.
    expect(consentAllows({ ...all.persons[2]!, consent: { ...all.persons[2]!.consent, ownConsulate: true } }, 'consulate', ['NP'])).toBe(
      false,
    );
    expect(consentAllows(all.persons[3]!, 'consulate', ['NP'])).toBe(false);
  });

  it('a city gets people who consented to host authorities, refugees included', () => {
    expect(consentAllows(all.persons[2]!, 'city', ['NP'])).toBe(true);
    expect(consentAllows(person('x', undefined, 'NP', { hostAuthorities: false }), 'city', ['NP'])).toBe(false);
  });
});

describe('selection', () => {
  it('takes people in the area, of the nationality, with consent; places people by their community', async () => {
    const selection = await selectForRelease(all, consulate);
    expect(ids(selection.persons)).toEqual(['p-in-bd-community', 'p-ok', 'p-own-position']);
    expect(selection.withheldByConsent).toBe(2);
    // c-bd lists no NP, but holds a released person: it comes along so people can be grouped.
    expect(ids(selection.communities)).toEqual(['c-bd', 'c-in']);
  });

  it('differs for a city (consent to host authorities)', async () => {
    const selection = await selectForRelease(all, city);
    expect(ids(selection.persons)).toEqual(['p-in-bd-community', 'p-no-consulate', 'p-ok', 'p-own-position', 'p-refugee']);
    expect(selection.withheldByConsent).toBe(0);
  });

  it('previews numbers only', async () => {
    expect(await previewRelease(all, consulate)).toEqual({ communities: 2, people: 3, withheldByConsent: 2 });
  });

  it('yields to the UI and reports progress on big inputs', async () => {
    const many = { communities: [inside], persons: Array.from({ length: 5000 }, (_, index) => person(`p${index}`, 'c-in', 'NP')) };
    const progress: number[] = [];
    const selection = await selectForRelease(many, consulate, { chunk: 1000, onProgress: (done) => progress.push(done) });
    expect(selection.persons).toHaveLength(5000);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toBe(5001);
  });

  it('handles a MultiPolygon area', async () => {
    const multi: Scope = {
      ...consulate,
      area: {
        type: 'MultiPolygon',
        coordinates: [
          dernaArea.coordinates,
          [
            [
              [20, 32],
              [20.2, 32],
              [20.2, 32.2],
              [20, 32.2],
              [20, 32],
            ],
          ],
        ],
      },
    };
    const selection = await selectForRelease(all, multi);
    expect(ids(selection.persons)).toContain('p-out');
  });
});

describe('minimisation', () => {
  it('keeps only approved fields, never a community contact, only requested nationalities', async () => {
    const records = releaseRecords(await selectForRelease(all, consulate), consulate);
    const text = JSON.stringify(records);
    expect(text).not.toMatch(/Hari Contact|\+2189|confiscated|private note|consent|refugee/);
    const c = records.find((record) => record.id === 'c-in')!;
    expect(c.nationalities).toEqual([{ code: 'NP', count: 10 }]);
    expect(Object.keys(c).sort()).toEqual(['headcount', 'id', 'kind', 'languages', 'location', 'name', 'nationalities']);
    const p = records.find((record) => record.id === 'p-ok')!;
    expect(Object.keys(p).sort()).toEqual(['communityId', 'id', 'kind', 'languages', 'name', 'nationality']);
  });

  it('releases the phone with "contact" but still no community contact person', async () => {
    const scope: Scope = { ...consulate, fields: ['contact', 'location'] };
    const records = releaseRecords(await selectForRelease(all, scope), scope);
    expect(records.find((record) => record.id === 'p-ok')!.phone).toBe('+218922222222');
    expect(records.find((record) => record.id === 'c-in')!.contact).toBeUndefined();
  });

  it('drops notes and positions outside the area from the whereabouts history', async () => {
    const history = [
      { at: '2026-11-01T00:00:00.000Z', status: 'moving' as const, location: { lon: 20.07, lat: 32.12 }, note: 'left Benghazi' },
      { at: '2026-11-02T00:00:00.000Z', status: 'stranded' as const, location: { lon: 22.64, lat: 32.76 }, placeName: 'Derna port' },
    ];
    const scope: Scope = { ...consulate, fields: ['status', 'location'] };
    const records = releaseRecords({ communities: [], persons: [person('p', 'c-in', 'NP', {}, { history })] }, scope);
    expect(records[0]!.history).toEqual([
      { at: '2026-11-01T00:00:00.000Z', status: 'moving' },
      { at: '2026-11-02T00:00:00.000Z', status: 'stranded', location: { lon: 22.64, lat: 32.76 }, placeName: 'Derna port' },
    ]);
    const noLocation = releaseRecords(
      { communities: [], persons: [person('p', 'c-in', 'NP', {}, { history })] },
      { ...consulate, fields: ['status'] },
    );
    expect(JSON.stringify(noLocation)).not.toMatch(/lon|Derna port/);
  });
});
