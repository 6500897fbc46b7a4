// Assign communities to assembly points within capacity.
//
// Heuristic (greedy, documented in README.md):
// 1. Candidates: every assembly point within `maxDistanceKm`, found through a KDBush index over the
//    points (bounding-box query, then exact distance), sorted nearest first. Distance is along the
//    route network where both ends snap to it, straight-line (great circle) otherwise.
// 2. Order: communities with the fewest candidates first (they have least room to move), then the
//    largest first (big items first packs bins better), then by id so the result is reproducible.
// 3. Each community goes whole to its nearest candidate with room for all of it. Only when no
//    candidate can take it whole is it split, filling its candidates nearest first; what is left is
//    unassigned ("all_full") and counted as overflow at its nearest candidate.
// 4. Communities with no candidate at all are unassigned ("none_within_distance").
import KDBush from 'kdbush';
import { degreesAround, distanceKm } from './geo.ts';
import type { NationalityCount } from './inputs.ts';
import type { LineStringGeometry } from './model.ts';
import { buildRouteNetwork, type RouteNetwork, shortestDistances, snapToNetwork } from './network.ts';
import { fail, ok, optionsError, type Result } from './result.ts';

export interface AssignableCommunity {
  id: string;
  lon: number;
  lat: number;
  headcount: number;
  nationalities?: NationalityCount[];
}

export interface AssignablePoint {
  id: string;
  lon: number;
  lat: number;
  capacity: number;
}

export interface AssignOptions {
  maxDistanceKm: number;
  /** Evacuation routes (or a network built once with buildRouteNetwork): distances follow them where possible. */
  routes?: LineStringGeometry[] | RouteNetwork;
  /** How far a community or assembly point may be from the network to use it, km (default 2). */
  snapToleranceKm?: number;
}

export interface CommunityAssignment {
  communityId: string;
  assemblyPointId: string;
  people: number;
  distanceKm: number;
  viaRoutes: boolean;
  /** True when the community had to be split over several points. */
  split: boolean;
  /** The community's nationalities, kept for transport and manifests. */
  nationalities: NationalityCount[];
  communityHeadcount: number;
}

export interface AssemblyPointLoad {
  assemblyPointId: string;
  capacity: number;
  load: number;
  remaining: number;
  /** People whose nearest candidate this was, who could not be placed anywhere (all full). */
  overflow: number;
}

export type UnassignedReason = 'none_within_distance' | 'all_full';

export interface UnassignedCommunity {
  communityId: string;
  people: number;
  reason: UnassignedReason;
  nationalities: NationalityCount[];
}

export interface AssignmentResult {
  assignments: CommunityAssignment[];
  points: AssemblyPointLoad[];
  unassigned: UnassignedCommunity[];
  totals: { communities: number; people: number; assignedPeople: number; unassignedPeople: number; splitCommunities: number };
}

export function isRouteNetwork(routes: LineStringGeometry[] | RouteNetwork): routes is RouteNetwork {
  return !Array.isArray(routes);
}

/** Distances from communities to points: along the network where both snap to it, else straight. */
function distanceFunction(points: AssignablePoint[], options: AssignOptions) {
  if (!options.routes) return undefined;
  const network = isRouteNetwork(options.routes) ? options.routes : buildRouteNetwork(options.routes);
  if (network.lon.length === 0) return undefined;
  const tolerance = options.snapToleranceKm ?? 2;
  const pointSnaps = points.map((point) => snapToNetwork(network, point.lon, point.lat, tolerance));
  const fromPoint: (Float64Array | undefined)[] = new Array(points.length);
  return (community: AssignableCommunity, pointIndex: number, straight: number): { distance: number; viaRoutes: boolean } => {
    const pointSnap = pointSnaps[pointIndex];
    if (!pointSnap) return { distance: straight, viaRoutes: false };
    const communitySnap = snapToNetwork(network, community.lon, community.lat, tolerance);
    if (!communitySnap || straight <= communitySnap.distanceKm + pointSnap.distanceKm) return { distance: straight, viaRoutes: false };
    const table = (fromPoint[pointIndex] ??= shortestDistances(network, pointSnap.node));
    const along = table[communitySnap.node]!;
    if (!Number.isFinite(along)) return { distance: straight, viaRoutes: false };
    return { distance: communitySnap.distanceKm + along + pointSnap.distanceKm, viaRoutes: true };
  };
}

export function assignToAssemblyPoints(
  communities: AssignableCommunity[],
  assemblyPoints: AssignablePoint[],
  options: AssignOptions,
): Result<AssignmentResult> {
  const maxDistance = options.maxDistanceKm;
  if (!(maxDistance > 0) || !Number.isFinite(maxDistance)) return fail(optionsError(`maxDistanceKm must be a distance above 0 km, not ${maxDistance}`));
  for (const point of assemblyPoints) {
    if (!(point.capacity >= 0)) return fail(optionsError(`assembly point "${point.id}" needs a capacity of 0 or more`));
  }
  for (const community of communities) {
    if (!(community.headcount >= 0)) return fail(optionsError(`community "${community.id}" needs a headcount of 0 or more`));
  }
  const routed = distanceFunction(assemblyPoints, options);

  // 1. Candidates, nearest first, in flat arrays (community i: start[i] .. start[i + 1]).
  const index = new KDBush(Math.max(1, assemblyPoints.length), 16, Float64Array);
  for (const point of assemblyPoints) index.add(point.lon, point.lat);
  if (assemblyPoints.length === 0) index.add(1000, 1000);
  index.finish();
  const start = new Uint32Array(communities.length + 1);
  const candidatePoint: number[] = [];
  const candidateDistance: number[] = [];
  const candidateRouted: boolean[] = [];
  const found: { point: number; distance: number; viaRoutes: boolean }[] = [];
  for (let i = 0; i < communities.length; i++) {
    const community = communities[i]!;
    const span = degreesAround(community.lat, maxDistance);
    found.length = 0;
    const near =
      assemblyPoints.length === 0
        ? []
        : span.longitude >= 180
          ? assemblyPoints.map((_, k) => k)
          : index.range(community.lon - span.longitude, community.lat - span.latitude, community.lon + span.longitude, community.lat + span.latitude);
    for (const k of near) {
      const point = assemblyPoints[k]!;
      const straight = distanceKm(community.lon, community.lat, point.lon, point.lat);
      if (straight > maxDistance) continue;
      const measured = routed ? routed(community, k, straight) : { distance: straight, viaRoutes: false };
      if (measured.distance <= maxDistance) found.push({ point: k, distance: measured.distance, viaRoutes: measured.viaRoutes });
    }
    found.sort((a, b) => a.distance - b.distance || a.point - b.point);
    for (const candidate of found) {
      candidatePoint.push(candidate.point);
      candidateDistance.push(candidate.distance);
      candidateRouted.push(candidate.viaRoutes);
    }
    start[i + 1] = candidatePoint.length;
  }

  // 2. Order: fewest candidates, then largest, then id.
  const order = Array.from(communities.keys());
  order.sort((a, b) => {
    const options = start[a + 1]! - start[a]! - (start[b + 1]! - start[b]!);
    if (options !== 0) return options;
    const size = communities[b]!.headcount - communities[a]!.headcount;
    if (size !== 0) return size;
    const idA = communities[a]!.id;
    const idB = communities[b]!.id;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });

  // 3. Greedy placement.
  const remaining = Float64Array.from(assemblyPoints, (point) => point.capacity);
  const overflow = new Float64Array(assemblyPoints.length);
  const assignments: CommunityAssignment[] = [];
  const unassigned: UnassignedCommunity[] = [];
  let splitCommunities = 0;
  for (const i of order) {
    const community = communities[i]!;
    const nationalities = community.nationalities ?? [];
    const from = start[i]!;
    const to = start[i + 1]!;
    const headcount = community.headcount;
    if (from === to) {
      unassigned.push({ communityId: community.id, people: headcount, reason: 'none_within_distance', nationalities });
      continue;
    }
    const make = (k: number, people: number, split: boolean): CommunityAssignment => ({
      communityId: community.id,
      assemblyPointId: assemblyPoints[candidatePoint[k]!]!.id,
      people,
      distanceKm: candidateDistance[k]!,
      viaRoutes: candidateRouted[k]!,
      split,
      nationalities,
      communityHeadcount: headcount,
    });
    let whole = -1;
    for (let k = from; k < to; k++) {
      if (remaining[candidatePoint[k]!]! >= headcount) {
        whole = k;
        break;
      }
    }
    if (whole >= 0) {
      remaining[candidatePoint[whole]!]! -= headcount;
      assignments.push(make(whole, headcount, false));
      continue;
    }
    let left = headcount;
    const parts: CommunityAssignment[] = [];
    for (let k = from; k < to && left > 0; k++) {
      const point = candidatePoint[k]!;
      const take = Math.min(left, remaining[point]!);
      if (take <= 0) continue;
      remaining[point]! -= take;
      left -= take;
      parts.push(make(k, take, true));
    }
    if (parts.length > 1 || (parts.length === 1 && left > 0)) splitCommunities++;
    assignments.push(...parts);
    if (left > 0) {
      overflow[candidatePoint[from]!]! += left;
      unassigned.push({ communityId: community.id, people: left, reason: 'all_full', nationalities });
    }
  }

  const points = assemblyPoints.map((point, k) => ({
    assemblyPointId: point.id,
    capacity: point.capacity,
    load: point.capacity - remaining[k]!,
    remaining: remaining[k]!,
    overflow: overflow[k]!,
  }));
  const people = communities.reduce((sum, community) => sum + community.headcount, 0);
  const unassignedPeople = unassigned.reduce((sum, entry) => sum + entry.people, 0);
  return ok({
    assignments,
    points,
    unassigned,
    totals: { communities: communities.length, people, assignedPeople: people - unassignedPeople, unassignedPeople, splitCommunities },
  });
}
