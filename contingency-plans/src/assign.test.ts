import { distance as turfDistance } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssignableCommunity, type AssignablePoint, assignToAssemblyPoints } from './assign.ts';
import { roundTo } from './geo.ts';
import { seededRandom } from './random.ts';
import { transportNeeded, vehicleMix } from './transport.ts';

const community = (id: string, lon: number, lat: number, headcount: number, code = 'NP'): AssignableCommunity => ({
  id,
  lon,
  lat,
  headcount,
  nationalities: [{ code }],
});

describe('assignToAssemblyPoints', () => {
  it('sends each community whole to its nearest point with room, and reports distance', () => {
    const points: AssignablePoint[] = [
      { id: 'port', lon: 22.64, lat: 32.77, capacity: 100 },
      { id: 'stadium', lon: 22.7, lat: 32.75, capacity: 100 },
    ];
    const result = assignToAssemblyPoints([community('a', 22.641, 32.771, 60), community('b', 22.642, 32.772, 60)], points, {
      maxDistanceKm: 20,
    });
    if (!result.ok) throw new Error(result.error.message);
    const byCommunity = Object.fromEntries(result.value.assignments.map((entry) => [entry.communityId, entry]));
    // Same number of options and same size: id order, so "a" gets the port, "b" does not fit and goes on.
    expect(byCommunity.a!.assemblyPointId).toBe('port');
    expect(byCommunity.b!.assemblyPointId).toBe('stadium');
    expect(byCommunity.b!.split).toBe(false);
    expect(roundTo(byCommunity.a!.distanceKm, 3)).toBe(roundTo(turfDistance([22.641, 32.771], [22.64, 32.77]), 3));
    expect(result.value.points.map((point) => [point.assemblyPointId, point.load, point.remaining])).toEqual([
      ['port', 60, 40],
      ['stadium', 60, 40],
    ]);
  });

  it('serves communities with fewer options first', () => {
    const points: AssignablePoint[] = [
      { id: 'near-both', lon: 0, lat: 0, capacity: 50 },
      { id: 'only-for-flexible', lon: 0.2, lat: 0, capacity: 50 },
    ];
    // "stuck" can only reach near-both; "flexible" is nearer to near-both but can also reach the other one.
    const result = assignToAssemblyPoints([community('flexible', 0.05, 0, 50), community('stuck', -0.15, 0, 50)], points, {
      maxDistanceKm: 18,
    });
    if (!result.ok) throw new Error(result.error.message);
    const placed = Object.fromEntries(result.value.assignments.map((entry) => [entry.communityId, entry.assemblyPointId]));
    expect(placed).toEqual({ stuck: 'near-both', flexible: 'only-for-flexible' });
    expect(result.value.unassigned).toEqual([]);
  });

  it('splits only a community that fits nowhere whole, and reports overflow and reasons', () => {
    const points: AssignablePoint[] = [
      { id: 'small-1', lon: 0, lat: 0, capacity: 30 },
      { id: 'small-2', lon: 0.01, lat: 0, capacity: 30 },
    ];
    const result = assignToAssemblyPoints([community('big', 0.001, 0, 100), community('far', 5, 5, 10)], points, { maxDistanceKm: 10 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.assignments.map((entry) => [entry.assemblyPointId, entry.people, entry.split])).toEqual([
      ['small-1', 30, true],
      ['small-2', 30, true],
    ]);
    expect(result.value.unassigned.map((entry) => [entry.communityId, entry.people, entry.reason])).toEqual([
      ['far', 10, 'none_within_distance'],
      ['big', 40, 'all_full'],
    ]);
    expect(result.value.points.find((point) => point.assemblyPointId === 'small-1')!.overflow).toBe(40);
    expect(result.value.totals).toEqual({ communities: 2, people: 110, assignedPeople: 60, unassignedPeople: 50, splitCommunities: 1 });
  });

  it('measures distance along the routes when both ends are near them', () => {
    // A river: the west point is close in a straight line, but the only road to it makes a long loop.
    const points: AssignablePoint[] = [
      { id: 'west', lon: 0, lat: 0, capacity: 100 },
      { id: 'east', lon: 0.12, lat: 0, capacity: 100 },
    ];
    const loop = {
      type: 'LineString' as const,
      coordinates: [
        [0.05, 0],
        [0.05, 0.3],
        [0, 0.3],
        [0, 0],
      ],
    };
    const eastRoad = {
      type: 'LineString' as const,
      coordinates: [
        [0.05, 0],
        [0.12, 0],
      ],
    };
    const straight = assignToAssemblyPoints([community('c', 0.05, 0, 10)], points, { maxDistanceKm: 100 });
    const routed = assignToAssemblyPoints([community('c', 0.05, 0, 10)], points, {
      maxDistanceKm: 100,
      routes: [loop, eastRoad],
      snapToleranceKm: 0.5,
    });
    if (!straight.ok || !routed.ok) throw new Error('assignment failed');
    expect(straight.value.assignments[0]!.assemblyPointId).toBe('west');
    expect(routed.value.assignments[0]!.assemblyPointId).toBe('east');
    expect(routed.value.assignments[0]!.viaRoutes).toBe(true);
    expect(roundTo(routed.value.assignments[0]!.distanceKm, 3)).toBe(roundTo(turfDistance([0.05, 0], [0.12, 0]), 3));
  });

  it('keeps capacity, conservation and the nobody-left-while-room rule on random data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (seed, communityCount, pointCount) => {
          const random = seededRandom(seed);
          const communities = Array.from({ length: communityCount }, (_, i) =>
            community(`c${i}`, random(), random(), Math.floor(random() * 120)),
          );
          const points = Array.from({ length: pointCount }, (_, i) => ({
            id: `p${i}`,
            lon: random(),
            lat: random(),
            capacity: Math.floor(random() * 500),
          }));
          const maxDistanceKm = 5 + random() * 40;
          const result = assignToAssemblyPoints(communities, points, { maxDistanceKm });
          if (!result.ok) return false;
          const { assignments, points: loads, unassigned, totals } = result.value;
          for (const load of loads) expect(load.load).toBeLessThanOrEqual(load.capacity);
          const placed =
            assignments.reduce((sum, entry) => sum + entry.people, 0) + unassigned.reduce((sum, entry) => sum + entry.people, 0);
          expect(placed).toBe(totals.people);
          const remaining = new Map(loads.map((load) => [load.assemblyPointId, load.remaining]));
          for (const entry of assignments) expect(entry.distanceKm).toBeLessThanOrEqual(maxDistanceKm);
          for (const entry of unassigned) {
            const source = communities.find((c) => c.id === entry.communityId)!;
            const reachable = points.filter(
              (point) => turfDistance([source.lon, source.lat], [point.lon, point.lat]) <= maxDistanceKm - 1e-9,
            );
            if (entry.reason === 'none_within_distance') expect(reachable).toEqual([]);
            else for (const point of reachable) expect(remaining.get(point.id)).toBe(0);
          }
          // Split only when it fits nowhere whole: a whole assignment never has a nearer point with room... at its turn;
          // afterwards, a split community never has a reachable point with room left for all of it.
          for (const entry of assignments.filter((a) => a.split)) {
            const source = communities.find((c) => c.id === entry.communityId)!;
            for (const point of points) {
              if (turfDistance([source.lon, source.lat], [point.lon, point.lat]) <= maxDistanceKm - 1e-9)
                expect(remaining.get(point.id)!).toBeLessThan(source.headcount);
            }
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a distance of zero', () => {
    const result = assignToAssemblyPoints([], [], { maxDistanceKm: 0 });
    expect(!result.ok && result.error.name).toBe('OptionsError');
  });
});

describe('transportNeeded', () => {
  it('mixes vehicles with fewest trips and splits by nationality', () => {
    expect(
      vehicleMix(110, [
        { type: 'bus', capacity: 50 },
        { type: 'minibus', capacity: 15 },
      ]),
    ).toEqual({ bus: 2, minibus: 1 });
    expect(
      vehicleMix(130, [
        { type: 'bus', capacity: 50 },
        { type: 'minibus', capacity: 15 },
      ]),
    ).toEqual({ bus: 3 });
    expect(
      vehicleMix(140, [
        { type: 'bus', capacity: 50 },
        { type: 'minibus', capacity: 15 },
      ]),
    ).toEqual({ bus: 3 });
    const assignment = assignToAssemblyPoints(
      [
        { id: 'a', lon: 0, lat: 0, headcount: 60, nationalities: [{ code: 'NP', count: 40 }, { code: 'BD' }] },
        { id: 'b', lon: 0.001, lat: 0, headcount: 12, nationalities: [{ code: 'PH' }] },
      ],
      [{ id: 'p', lon: 0, lat: 0, capacity: 1000 }],
      { maxDistanceKm: 5 },
    );
    if (!assignment.ok) throw new Error(assignment.error.message);
    const result = transportNeeded(assignment.value, [
      { type: 'bus', capacity: 50 },
      { type: 'minibus', capacity: 15 },
    ]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.points[0]).toMatchObject({ assemblyPointId: 'p', people: 72, ifOnly: { bus: 2, minibus: 5 }, mix: { bus: 2 } });
    expect(result.value.byNationality).toEqual({
      BD: { people: 20, mix: { bus: 1 } },
      NP: { people: 40, mix: { bus: 1 } },
      PH: { people: 12, mix: { minibus: 1 } },
    });
  });

  it('refuses a vehicle without capacity', () => {
    const result = transportNeeded(
      {
        assignments: [],
        points: [],
        unassigned: [],
        totals: { communities: 0, people: 0, assignedPeople: 0, unassignedPeople: 0, splitCommunities: 0 },
      },
      [{ type: 'bus', capacity: 0 }],
    );
    expect(result.ok).toBe(false);
  });
});
