import { distance as turfDistance } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssignableCommunity, type AssignablePoint, assignToAssemblyPoints } from './assign.ts';
import { seededRandom } from './random.ts';

/** The documented heuristic written the slow, obvious way with turf.distance, to check the fast one. */
function reference(communities: AssignableCommunity[], points: AssignablePoint[], maxDistanceKm: number) {
  const candidates = communities.map((community) =>
    points
      .map((point, index) => ({ index, distance: turfDistance([community.lon, community.lat], [point.lon, point.lat]) }))
      .filter((candidate) => candidate.distance <= maxDistanceKm)
      .sort((a, b) => a.distance - b.distance || a.index - b.index),
  );
  const order = communities
    .map((_, i) => i)
    .sort((a, b) => candidates[a]!.length - candidates[b]!.length || communities[b]!.headcount - communities[a]!.headcount || a - b);
  const remaining = points.map((point) => point.capacity);
  const placed: string[] = [];
  const left: string[] = [];
  for (const i of order) {
    const community = communities[i]!;
    const options = candidates[i]!;
    if (options.length === 0) {
      left.push(`${community.id}:${community.headcount}:none_within_distance`);
      continue;
    }
    const whole = options.find((option) => remaining[option.index]! >= community.headcount);
    if (whole) {
      remaining[whole.index]! -= community.headcount;
      placed.push(`${community.id}>${points[whole.index]!.id}:${community.headcount}`);
      continue;
    }
    let rest = community.headcount;
    for (const option of options) {
      const take = Math.min(rest, remaining[option.index]!);
      if (take <= 0) continue;
      remaining[option.index]! -= take;
      rest -= take;
      placed.push(`${community.id}>${points[option.index]!.id}:${take}`);
      if (rest === 0) break;
    }
    if (rest > 0) left.push(`${community.id}:${rest}:all_full`);
  }
  return { placed, left };
}

describe('assignToAssemblyPoints against the obvious implementation', () => {
  it('places exactly the same people at the same points (random data, tight and loose capacity)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        (seed, communityCount, pointCount, tightness) => {
          const random = seededRandom(seed);
          // Clustered, as in real towns, so many communities compete for the same points.
          const centre = { lon: -10 + random() * 40, lat: -40 + random() * 80 };
          const communities = Array.from({ length: communityCount }, (_, i) => ({
            id: `c${i}`,
            lon: centre.lon + random() * 0.5,
            lat: centre.lat + random() * 0.5,
            headcount: 1 + Math.floor(random() * 80),
          }));
          const totalPeople = communities.reduce((sum, community) => sum + community.headcount, 0);
          const points = Array.from({ length: pointCount }, (_, i) => ({
            id: `p${i}`,
            lon: centre.lon + random() * 0.5,
            lat: centre.lat + random() * 0.5,
            capacity: Math.floor((random() * 2 * totalPeople * tightness) / pointCount),
          }));
          const maxDistanceKm = 2 + random() * 25;
          const ours = assignToAssemblyPoints(communities, points, { maxDistanceKm });
          if (!ours.ok) return false;
          const expected = reference(communities, points, maxDistanceKm);
          expect(ours.value.assignments.map((entry) => `${entry.communityId}>${entry.assemblyPointId}:${entry.people}`)).toEqual(
            expected.placed,
          );
          expect(ours.value.unassigned.map((entry) => `${entry.communityId}:${entry.people}:${entry.reason}`)).toEqual(expected.left);
          return true;
        },
      ),
      { numRuns: 80 },
    );
  });
});
