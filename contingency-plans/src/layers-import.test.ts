import { describe, expect, it } from 'vitest';
import { planToGeoJson } from './geojson.ts';
import { planToKml } from './kml.ts';
import { planLayersFromGeoJson, planLayersFromKml } from './layers-import.ts';
import { samplePlan } from './sample-plan.ts';

const layersOf = (plan: ReturnType<typeof samplePlan>) => ({
  hazardZones: plan.hazardZones,
  assemblyPoints: plan.assemblyPoints,
  shelters: plan.shelters,
  routes: plan.routes,
  borderCrossings: plan.borderCrossings,
});

describe('plan layers round trip', () => {
  it('GeoJSON export then import gives the same layers', () => {
    const plan = samplePlan();
    const imported = planLayersFromGeoJson(planToGeoJson(plan));
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.layers).toEqual(layersOf(plan));
    expect(imported.value.skipped).toEqual([{ index: 0, reason: 'the plan area is not a layer item: it is kept on the plan itself' }]);
  });

  it('KML export then import gives the same layers', () => {
    const plan = samplePlan();
    plan.assemblyPoints[0]!.name = 'Port & "old" <quay>';
    const imported = planLayersFromKml(planToKml(plan));
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.layers).toEqual(layersOf(plan));
  });

  it('skips features it cannot use, saying why', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { layer: 'assembly_point', name: 'No capacity' }, geometry: { type: 'Point', coordinates: [1, 2] } },
        { type: 'Feature', properties: { name: 'Untagged' }, geometry: { type: 'Point', coordinates: [1, 2] } },
        {
          type: 'Feature',
          properties: { layer: 'shelter', id: 's', name: 'Gym', capacity: 80 },
          geometry: { type: 'Point', coordinates: [1, 2] },
        },
      ],
    });
    const imported = planLayersFromGeoJson(text);
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.layers.shelters).toEqual([{ id: 's', name: 'Gym', lon: 1, lat: 2, capacity: 80 }]);
    expect(imported.value.skipped.map((entry) => entry.index)).toEqual([0, 1]);
    expect(imported.value.skipped[0]!.reason).toMatch(/^capacity: /);
  });
});
