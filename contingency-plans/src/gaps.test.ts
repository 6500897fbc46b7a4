import { describe, expect, it } from 'vitest';
import { assignToAssemblyPoints } from './assign.ts';
import { planGaps } from './gaps.ts';
import { printablePlan } from './printable.ts';
import { samplePlan } from './sample-plan.ts';
import { transportNeeded } from './transport.ts';

describe('planGaps', () => {
  it('lists the gaps of a plan, worst first', () => {
    const plan = samplePlan();
    // The port sits inside the flood plain's wider redraw; the coast road crosses it.
    plan.hazardZones[0]!.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [22.61, 32.74],
          [22.67, 32.74],
          [22.67, 32.78],
          [22.61, 32.78],
          [22.61, 32.74],
        ],
      ],
    };
    plan.tasks[0]!.due = '2026-11-01';
    const assignment = assignToAssemblyPoints(
      [
        { id: 'c1', lon: 22.654, lat: 32.767, headcount: 500, nationalities: [{ code: 'NP' }] },
        { id: 'c2', lon: 23.5, lat: 32.0, headcount: 20, nationalities: [{ code: 'SD' }] },
      ],
      plan.assemblyPoints,
      { maxDistanceKm: 3 },
    );
    if (!assignment.ok) throw new Error(assignment.error.message);
    const gaps = planGaps(plan, { assignment: assignment.value, nationalitiesPresent: { NP: 500, SD: 20, BD: 0 } }, '2026-11-23T09:00:00Z');
    expect(gaps.map((gap) => [gap.severity, gap.code])).toEqual([
      ['critical', 'people_out_of_reach'],
      ['critical', 'people_not_placed'],
      ['critical', 'assembly_point_in_hazard_zone'],
      ['high', 'assembly_point_overflow'],
      ['high', 'route_crosses_hazard_zone'],
      ['high', 'route_crosses_hazard_zone'],
      ['high', 'missing_consulate_contact'],
      ['medium', 'task_overdue'],
    ]);
    expect(gaps[1]!.message).toBe('100 people in 1 community could not be placed: every assembly point within reach is full');
    expect(gaps[3]!.message).toBe("Assembly point 'Derna port' is 100 places short (capacity 400)");
    expect(gaps[6]!.message).toBe('No consulate or embassy contact for SD nationals (20 people in the area)');
  });

  it('flags review dates, missing triggers, routes and points, and expired CAP zones', () => {
    const plan = samplePlan();
    plan.triggers = [];
    plan.routes = [];
    plan.assemblyPoints = [];
    plan.hazardZones[0]!.cap = { identifier: 'x', msgType: 'Alert', references: [], expires: '2026-11-20T00:00:00.000Z' };
    const codes = (now: string) => planGaps(plan, {}, now).map((gap) => gap.code);
    expect(codes('2027-02-10T00:00:00Z')).toEqual([
      'no_assembly_points',
      'no_routes',
      'no_trigger',
      'task_overdue',
      'review_due_soon',
      'cap_alert_expired',
    ]);
    expect(codes('2027-03-02T00:00:00Z')).toContain('review_overdue');
    expect(codes('2026-11-01T00:00:00Z')).toEqual(['no_assembly_points', 'no_routes', 'no_trigger']);
  });
});

describe('printablePlan', () => {
  it('builds sections of plain text, never markup', () => {
    const plan = samplePlan();
    plan.assemblyPoints[0]!.name = '<script>alert(1)</script>';
    const assignment = assignToAssemblyPoints(
      [{ id: 'c1', lon: 22.654, lat: 32.767, headcount: 120, nationalities: [{ code: 'NP' }] }],
      plan.assemblyPoints,
      { maxDistanceKm: 5 },
    );
    if (!assignment.ok) throw new Error(assignment.error.message);
    const transport = transportNeeded(assignment.value, [{ type: 'bus', capacity: 50 }]);
    if (!transport.ok) throw new Error(transport.error.message);
    const document = printablePlan(
      plan,
      { assignment: assignment.value, transport: transport.value, nationalitiesPresent: { NP: 120 } },
      '2026-11-23T09:00:00Z',
    );
    expect(document.sections.map((section) => section.id)).toEqual([
      'overview',
      'gaps',
      'triggers',
      'hazard_zones',
      'assembly_points',
      'shelters',
      'routes',
      'transport',
      'population',
      'contacts',
      'tasks',
    ]);
    const points = document.sections.find((section) => section.id === 'assembly_points')!.blocks[0]!;
    expect(points.kind === 'table' && points.rows[0]).toEqual({
      name: '<script>alert(1)</script>',
      position: '32.76800, 22.65500',
      capacity: 400,
      assigned: 120,
      short: 0,
    });
    const transportTable = document.sections.find((section) => section.id === 'transport')!.blocks[0]!;
    expect(transportTable.kind === 'table' && transportTable.rows).toEqual([
      { point: '<script>alert(1)</script>', people: 120, vehicles: '3 × bus' },
    ]);
    expect(JSON.stringify(document)).not.toMatch(/<(table|td|div|p)[ >]/);
  });
});
