import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCap, samplePlan, type CapAlert, type Plan } from '#plans';
import { community, person } from '../activation/test-records.ts';
import { alertLevel, alertShape, matchAlert, matchPlans, type PlanLike } from './match.ts';

const capText = readFileSync(new URL('../../../fixtures/alerts/cap-derna-storm-severe.xml', import.meta.url), 'utf8');
function fixtureAlert(): CapAlert {
  const parsed = parseCap(capText);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

// Two communities in Derna (one at the port), one in Benghazi, one just outside the coast polygon.
const port = community('00000000-0000-4000-8000-000000000001', 22.655, 32.768, ['NP', 'BD'], {
  name: 'Port dormitory',
  headcount: { total: 40 },
  nationalities: [
    { code: 'NP', count: 30 },
    { code: 'BD', count: 10 },
  ],
});
const wadi = community('00000000-0000-4000-8000-000000000002', 22.6, 32.75, ['EG'], {
  name: 'Wadi camp',
  headcount: { total: 75 },
  nationalities: [{ code: 'EG', count: 60 }, { code: 'SD' }],
});
const benghazi = community('00000000-0000-4000-8000-000000000003', 20.07, 32.12, ['NP'], { name: 'Benghazi brickworks' });
const justOutside = community('00000000-0000-4000-8000-000000000004', 22.76, 32.75, ['NP'], { name: 'East of the polygon' });
const communities = [port, wadi, benghazi, justOutside];
const persons = [
  person('10000000-0000-4000-8000-000000000001', port.id, 'NP'),
  person('10000000-0000-4000-8000-000000000002', benghazi.id, 'NP'),
  // Lives in Benghazi's community but was last seen inside the alert area.
  person('10000000-0000-4000-8000-000000000003', benghazi.id, 'NP', {}, { location: { lon: 22.6, lat: 32.8 } }),
];

describe('alert area', () => {
  it('joins the shapes of every info once, and lists geocode-only areas apart', () => {
    const shape = alertShape(fixtureAlert());
    // The English and Arabic infos repeat the coast polygon: it counts once; the port circle is a 64-gon.
    expect(shape.area?.coordinates).toHaveLength(2);
    expect(shape.area?.coordinates[1]![0]).toHaveLength(65);
    expect(shape.names).toEqual(['Derna coast', 'Derna port']);
    expect(shape.withoutShape).toEqual(['Derna district']);
    expect(alertLevel(fixtureAlert())).toBe('orange');
  });

  it('has no area when the alert gives none', () => {
    const alert = fixtureAlert();
    const bare: CapAlert = { ...alert, infos: alert.infos.map((info) => ({ ...info, areas: [] })) };
    const coverage = matchAlert(bare, { communities, persons });
    expect(coverage.shape.area).toBeNull();
    expect(coverage.communities).toEqual([]);
    expect(coverage.persons).toBe(0);
  });
});

describe('alert coverage on decrypted records', () => {
  it('counts the communities inside, their people and nationalities, and the person records placed there', () => {
    const coverage = matchAlert(fixtureAlert(), { communities, persons });
    expect(coverage.communities.map((item) => item.name)).toEqual(['Wadi camp', 'Port dormitory']);
    expect(coverage.people).toBe(115);
    expect(coverage.nationalities).toEqual([
      { code: 'EG', people: 60 },
      { code: 'NP', people: 30 },
      { code: 'BD', people: 10 },
      { code: 'SD', people: 0 },
    ]);
    expect(coverage.persons).toBe(2);
    expect(coverage.level).toBe('orange');
  });

  it('takes the most severe level among the infos', () => {
    const alert = fixtureAlert();
    const red: CapAlert = { ...alert, infos: alert.infos.map((info) => ({ ...info, severity: 'Extreme' })) };
    expect(alertLevel(red)).toBe('red');
  });
});

describe('alert and plans', () => {
  const zone = (id: string, west: number, south: number): Plan['hazardZones'][number] => ({
    id,
    name: `Zone ${id}`,
    source: 'drawn',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [west, south],
          [west + 0.05, south],
          [west + 0.05, south + 0.05],
          [west, south + 0.05],
          [west, south],
        ],
      ],
    },
  });
  const triggers: Plan['triggers'] = [
    { id: 't-orange', condition: 'Orange storm warning', alertLevel: 'orange', actions: ['Refresh statuses of coastal communities'] },
    { id: 't-red', condition: 'Red warning', alertLevel: 'red', actions: ['Request activation'] },
    { id: 't-phase', condition: 'Consulates move to voluntary return', alertLevel: 'voluntary_return', actions: ['Prepare manifests'] },
  ];
  const base = samplePlan();
  const plans: PlanLike[] = [
    {
      id: 'derna',
      plan: {
        ...base,
        title: 'Derna floods',
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [22.0, 32.0],
              [23.0, 32.0],
              [23.0, 33.0],
              [22.0, 33.0],
              [22.0, 32.0],
            ],
          ],
        },
        hazardZones: [zone('near', 22.6, 32.72), zone('far', 22.9, 32.9)],
        triggers,
      },
    },
    {
      id: 'tripoli',
      plan: {
        ...base,
        title: 'Tripoli',
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [13.0, 32.7],
              [13.4, 32.7],
              [13.4, 33.0],
              [13.0, 33.0],
              [13.0, 32.7],
            ],
          ],
        },
        hazardZones: [],
        triggers,
      },
    },
  ];

  it('names the plans whose area or zones the alert touches, and the triggers at its level', () => {
    const alert = fixtureAlert();
    const overlaps = matchPlans(alertShape(alert), alertLevel(alert), plans);
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]!.planId).toBe('derna');
    expect(overlaps[0]!.inPlanArea).toBe(true);
    expect(overlaps[0]!.zones).toEqual([{ id: 'near', name: 'Zone near' }]);
    expect(overlaps[0]!.triggers.map((trigger) => trigger.id)).toEqual(['t-orange', 't-phase']);
  });

  it('gives an exercise, test, system message or draft no level and offers no trigger: only Actual is a real warning', () => {
    const actual = matchAlert(fixtureAlert(), { communities, persons }, plans);
    expect([actual.realWarning, actual.level, actual.plans[0]!.triggers.length]).toEqual([true, 'orange', 2]);
    for (const status of ['Exercise', 'Test', 'System', 'Draft'] as const) {
      const coverage = matchAlert({ ...fixtureAlert(), status }, { communities, persons }, plans);
      // The area is still matched (an exercise rehearses who would be concerned), but nothing is coloured or triggered.
      expect([coverage.realWarning, coverage.level, coverage.communities.length, coverage.plans[0]!.triggers], status).toEqual([
        false,
        null,
        2,
        [],
      ]);
    }
  });
});
