import { describe, expect, it } from 'vitest';
import { diffPlans } from './diff.ts';
import { validateRfc7946 } from './geojson.ts';
import { samplePlan } from './sample-plan.ts';

describe('diffPlans', () => {
  it('says in words what was added, removed and changed, field by field', () => {
    const before = samplePlan();
    const after = samplePlan();
    after.assemblyPoints[0]!.capacity = 600;
    after.assemblyPoints[1]!.lat += 0.01;
    after.assemblyPoints.push({ id: 'school-yard', name: 'School yard', lon: 22.59, lat: 32.74, capacity: 150 });
    after.shelters = [];
    after.reviewDate = '2027-06-01';
    after.partners.push('IOM Libya');
    after.hazardZones[0]!.alertLevel = 'orange';
    after.hazardZones[0]!.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [22.63, 32.74],
          [22.66, 32.74],
          [22.66, 32.78],
          [22.63, 32.74],
        ],
      ],
    };
    after.contacts[0]!.nationalitiesServed = ['NP', 'IN'];
    const diff = diffPlans(before, after);
    expect(diff.changes.map((change) => change.message)).toEqual([
      'Plan review date 2027-03-01 → 2027-06-01',
      "Partner 'IOM Libya' added",
      "Hazard zone 'Wadi Derna flood plain' redrawn",
      "Hazard zone 'Wadi Derna flood plain' alert level red → orange",
      "Assembly point 'Derna port' capacity 400 → 600",
      "Assembly point 'Al-Bayda road stadium' moved 1.1 km",
      "Assembly point 'School yard' added",
      "Shelter 'Omar Al-Mukhtar school' removed",
      "Contact 'Duty officer' nationalities served NP → NP, IN",
    ]);
    expect(diff.changes[4]).toMatchObject({
      kind: 'changed',
      layer: 'assembly_point',
      itemId: 'port',
      field: 'capacity',
      before: 400,
      after: 600,
    });
    expect(validateRfc7946(diff.map)).toEqual([]);
    expect(diff.map.features.map((feature) => feature.id)).toEqual([
      'changed:hazard_zone:wadi',
      'changed:assembly_point:port',
      'changed:assembly_point:stadium',
      'added:assembly_point:school-yard',
      'removed:shelter:school',
    ]);
  });

  it('finds nothing between equal plans', () => {
    expect(diffPlans(samplePlan(), samplePlan())).toEqual({ changes: [], map: { type: 'FeatureCollection', features: [] } });
  });
});
