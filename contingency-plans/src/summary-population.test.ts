import { describe, expect, it } from 'vitest';
import type { CommunityPoint } from './inputs.ts';
import type { AreaGeometry } from './model.ts';
import { populationFromSummaries, squareGridAreas } from './summary-population.ts';
import { buildSummary } from './summary.ts';

describe('populationFromSummaries', () => {
  const areas = squareGridAreas([0, 0, 3, 1], 1);
  const at = (id: string, lon: number, headcount: number, code: string): CommunityPoint => ({
    id,
    lon,
    lat: 0.5,
    headcount,
    nationalities: [{ code }],
    needs: [],
    vulnerabilities: [],
  });
  const records = [
    at('1', 0.5, 20, 'NP'),
    at('2', 0.6, 3, 'BD'),
    at('3', 0.7, 30, 'EG'),
    at('4', 1.5, 12, 'NP'),
    at('5', 1.6, 9, 'BD'),
    at('6', 1.7, 25, 'EG'),
    at('7', 2.5, 40, 'NP'),
  ];
  const summary = buildSummary(records, areas, { orgId: 'o', generatedAt: '2026-11-23T09:00:00.000Z' });
  if (!summary.ok) throw new Error(summary.error.message);

  it('makes a square grid with ids and closed rings', () => {
    expect(areas.map((area) => area.id)).toEqual(['grid:0:0', 'grid:1:0', 'grid:2:0']);
    expect(areas[1]!.geometry.coordinates[0]).toEqual([
      [1, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 0],
    ]);
  });

  it('adds up the areas meeting the zone and names the suppressed cells', () => {
    // A zone over the first two grid squares and a sliver of the third.
    const zone: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [-0.1, -0.1],
          [2.05, -0.1],
          [2.05, 1.1],
          [-0.1, 1.1],
          [-0.1, -0.1],
        ],
      ],
    };
    const estimate = populationFromSummaries(zone, summary.value.cells, areas, { bufferKm: 0, totals: summary.value.totals });
    if (!estimate.ok) throw new Error(estimate.error.message);
    expect(estimate.value.areas).toEqual([
      { id: 'grid:0:0', whole: true },
      { id: 'grid:1:0', whole: true },
      { id: 'grid:2:0', whole: false },
    ]);
    // Totals are published, so the people count is exact even though cells are hidden.
    expect(estimate.value.people).toBe(139);
    expect(estimate.value.peopleLowerBound).toBe(false);
    expect(estimate.value.byNationalityLowerBound).toBe(true);
    expect(estimate.value.suppressedCells).toEqual([
      { areaId: 'grid:0:0', nationality: 'BD' },
      { areaId: 'grid:0:0', nationality: 'NP' },
      { areaId: 'grid:1:0', nationality: 'BD' },
      { areaId: 'grid:1:0', nationality: 'NP' },
    ]);
    expect(estimate.value.byNationality).toEqual({ EG: 55, NP: 40 });
    expect(estimate.value.includesPartialAreas).toBe(true);
  });

  it('is a lower bound without totals, and a buffer reaches further areas', () => {
    const zone: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0.2, 0.2],
          [0.8, 0.2],
          [0.8, 0.8],
          [0.2, 0.8],
          [0.2, 0.2],
        ],
      ],
    };
    const near = populationFromSummaries(zone, summary.value.cells, areas, { bufferKm: 0 });
    const wide = populationFromSummaries(zone, summary.value.cells, areas, { bufferKm: 30 });
    if (!near.ok || !wide.ok) throw new Error('estimate failed');
    expect(near.value.areas.map((area) => area.id)).toEqual(['grid:0:0']);
    expect(near.value.people).toBe(30);
    expect(near.value.peopleLowerBound).toBe(true);
    expect(wide.value.areas.map((area) => area.id)).toEqual(['grid:0:0', 'grid:1:0']);
  });
});
