import { describe, expect, it } from 'vitest';
import { samplePlan } from '#plans';
import { loadScenario } from '#fixtures';
import {
  addHazardZone,
  addImportedZones,
  addPlace,
  addRoute,
  checkPlan,
  countryCodes,
  movePlace,
  nextId,
  planFromScenario,
  polygonFromVertices,
  reapplyEdit,
  removeItem,
  updateItem,
} from './draft.ts';

describe('drawing helpers', () => {
  it('close clicked corners into a polygon, dropping repeated clicks', () => {
    expect(
      polygonFromVertices([
        [1, 1],
        [2, 1],
        [2, 1],
        [2, 2],
      ]),
    ).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [1, 1],
          [2, 1],
          [2, 2],
          [1, 1],
        ],
      ],
    });
    expect(
      polygonFromVertices([
        [1, 1],
        [2, 1],
        [1, 1],
      ]),
    ).toBeNull();
  });

  it('give new items ids not used in their layer', () => {
    expect(nextId('zone', [{ id: 'zone-2' }, { id: 'zone-3' }])).toBe('zone-4');
    expect(nextId('zone', [{ id: 'zone-2' }])).toBe('zone-3');
    const plan = addHazardZone(
      samplePlan(),
      polygonFromVertices([
        [22.6, 32.7],
        [22.7, 32.7],
        [22.7, 32.8],
      ])!,
    );
    expect(plan.hazardZones.map((zone) => zone.id)).toEqual(['wadi', 'zone-2']);
    const imported = addImportedZones(plan, [{ ...plan.hazardZones[1]!, name: 'Imported' }]);
    expect(new Set(imported.hazardZones.map((zone) => zone.id)).size).toBe(3);
  });

  it('place points and routes that the plan model accepts, never changing the plan given', () => {
    const plan = samplePlan();
    let next = addPlace(plan, 'assemblyPoints', [22.61234567, 32.7]);
    next = addPlace(next, 'borderCrossings', [25, 31.5]);
    next = addRoute(next, [
      [22.6, 32.7],
      [22.5, 32.7],
    ])!;
    expect(next.assemblyPoints.at(-1)).toMatchObject({ lon: 22.612346, capacity: 100 });
    expect(next.routes).toHaveLength(3);
    expect(addRoute(next, [[1, 1]])).toBeNull();
    expect(plan.assemblyPoints).toHaveLength(2);
    expect(checkPlan(next).ok).toBe(true);
  });

  it('move a place and nothing else', () => {
    const moved = movePlace(samplePlan(), 'assemblyPoints', 'stadium', [22.1234567, 32.5]);
    expect(moved.assemblyPoints.map((point) => [point.lon, point.lat])).toEqual([
      [22.655, 32.768],
      [22.123457, 32.5],
    ]);
    expect(moved.shelters).toEqual(samplePlan().shelters);
  });

  it('name the first problem of an invalid plan with its path', () => {
    const plan = updateItem(samplePlan(), 'assemblyPoints', 'port', { name: '' });
    const checked = checkPlan(plan);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(/^assemblyPoints\.0\.name/);
  });

  it('read country codes from free text', () => {
    expect(countryCodes('np, bd;NP x 123 LYB')).toEqual(['NP', 'BD']);
  });

  it('start a valid plan from a fixture scenario', () => {
    const plan = planFromScenario(loadScenario('libya-2011'), 'Benghazi Crisis Cell', '2026-11-23');
    expect(checkPlan(plan).ok).toBe(true);
    expect(plan.assemblyPoints.length).toBeGreaterThan(0);
    expect(plan.reviewDate).toBe('2027-05-22');
  });
});

describe('applying an edit again after someone else saved', () => {
  it('keeps their changes and puts mine on top, item by item', () => {
    const base = samplePlan();
    const mine = updateItem(removeItem(base, 'shelters', 'school'), 'assemblyPoints', 'port', { capacity: 600 });
    const theirs = { ...updateItem(base, 'assemblyPoints', 'stadium', { capacity: 900 }), title: 'Their title' };
    const merged = reapplyEdit(base, mine, theirs);
    expect(merged.title).toBe('Their title');
    expect(merged.assemblyPoints.map((point) => point.capacity)).toEqual([600, 900]);
    expect(merged.shelters).toEqual([]);
  });
});
