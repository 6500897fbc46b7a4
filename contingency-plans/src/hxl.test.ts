import { describe, expect, it } from 'vitest';
import { assignToAssemblyPoints } from './assign.ts';
import { assignmentCsv, isHxlHashtag, parseHxlCsv, summaryCsv } from './hxl.ts';
import { buildSummary } from './summary.ts';

describe('HXL tables', () => {
  const assignment = assignToAssemblyPoints(
    [
      {
        id: 'c1',
        lon: 0,
        lat: 0,
        headcount: 40,
        nationalities: [{ code: 'NP' }],
        breakdown: { female: { children: 4, adults: 10, elderly: 1 }, male: { children: 5, adults: 18, elderly: 2 } },
      },
      { id: 'c2', lon: 3, lat: 3, headcount: 9, nationalities: [{ code: 'BD' }] },
    ],
    [{ id: 'p1', lon: 0.01, lat: 0, capacity: 100 }],
    { maxDistanceKm: 10 },
  );
  if (!assignment.ok) throw new Error(assignment.error.message);

  it('writes the assignment with a hashtag row and reads it back', () => {
    const table = parseHxlCsv(assignmentCsv(assignment.value, { assemblyPoints: new Map([['p1', 'Port, north gate']]) }));
    if (!table.ok) throw new Error(table.error.message);
    expect(table.value.tags).toEqual([
      '#group+community+code',
      '#loc+assembly+code',
      '#loc+assembly+name',
      '#affected',
      '#indicator+distance_km+num',
      '#indicator+via_routes',
      '#indicator+split',
      '#status+unassigned',
      '#affected+f+children',
      '#affected+f+adults',
      '#affected+f+elderly',
      '#affected+m+children',
      '#affected+m+adults',
      '#affected+m+elderly',
    ]);
    expect(table.value.rows).toEqual([
      ['c1', 'p1', 'Port, north gate', '40', '1.112', 'false', 'false', '', '4', '10', '1', '5', '18', '2'],
      ['c2', '', '', '9', '', '', '', 'none_within_distance', '', '', '', '', '', ''],
    ]);
  });

  it('writes summaries that parse back to the same figures', () => {
    const summary = buildSummary(
      [{ id: 'a', lon: 0.5, lat: 0.5, headcount: 12, nationalities: [{ code: 'NP' }], needs: [], vulnerabilities: [] }],
      [
        {
          id: 'LY-DR',
          name: 'Derna',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
                [0, 0],
              ],
            ],
          },
        },
      ],
      { orgId: 'o', generatedAt: '2026-11-23T09:00:00.000Z' },
    );
    if (!summary.ok) throw new Error(summary.error.message);
    const summaryTable = parseHxlCsv(summaryCsv(summary.value));
    if (!summaryTable.ok) throw new Error(summaryTable.error.message);
    expect(summaryTable.value.tags.slice(0, 3)).toEqual(['#adm1+code', '#adm1+name', '#country+code']);
    expect(summaryTable.value.rows[0]).toEqual(['LY-DR', 'Derna', 'NP', '', '', '', '12', '1', 'false']);
    expect(summaryTable.value.rows).toHaveLength(4);
  });

  it('scales the sex and age breakdown to each part of a split community', () => {
    const split = assignToAssemblyPoints(
      [
        {
          id: 'camp',
          lon: 0,
          lat: 0,
          headcount: 60,
          breakdown: { female: { children: 6, adults: 12, elderly: 0 }, male: { children: 6, adults: 30, elderly: 0 } },
        },
      ],
      [
        { id: 'a', lon: 0.001, lat: 0, capacity: 40 },
        { id: 'b', lon: 0.002, lat: 0, capacity: 20 },
      ],
      { maxDistanceKm: 5 },
    );
    if (!split.ok) throw new Error(split.error.message);
    const table = parseHxlCsv(assignmentCsv(split.value));
    if (!table.ok) throw new Error(table.error.message);
    expect(table.value.rows.map((row) => [row[1], row[3], ...row.slice(8)])).toEqual([
      ['a', '40', '4', '8', '0', '4', '20', '0'],
      ['b', '20', '2', '4', '0', '2', '10', '0'],
    ]);
  });

  it('uses only well-formed hashtags', () => {
    const tags = [assignmentCsv(assignment.value)].flatMap((text) => {
      const table = parseHxlCsv(text);
      return table.ok ? table.value.tags : ['(unreadable)'];
    });
    expect(tags.every(isHxlHashtag)).toBe(true);
    expect(['#affected+f+children', '#geo+lat', '#adm1+name'].every(isHxlHashtag)).toBe(true);
    expect(['affected', '#Affected', '#geo+', '#geo lat'].some(isHxlHashtag)).toBe(false);
  });

  it('refuses a CSV without a hashtag row', () => {
    expect(parseHxlCsv('a,b\r\n1,2\r\n').ok).toBe(false);
  });
});
