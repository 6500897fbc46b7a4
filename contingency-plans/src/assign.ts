// Assign communities to assembly points within capacity.
//
// Heuristic (greedy, documented in README.md):
// 1. Candidates: every assembly point within `maxDistanceKm`, found through a uniform grid index
//    over the points (cells about maxDistanceKm wide, so a query visits a few cells), then exact
//    distance. Distance is along the route network where both ends snap to it (and the straight
//    line is not shorter than reaching the network), straight-line (great circle) otherwise.
// 2. Order: communities with the fewest candidates first (they have least room to move), then the
//    largest first (big items first packs bins better), then input order.
// 3. Each community goes whole to its nearest candidate with room for all of it. Only when no
//    candidate can take it whole is it split, filling its candidates nearest first; what is left is
//    unassigned ("all_full") and counted as overflow at its nearest candidate.
// 4. Communities with no candidate at all are unassigned ("none_within_distance").
import { EARTH_RADIUS_KM } from './geo.ts';
import { buildGridIndex, cellsAround, type GridIndex } from './grid-index.ts';
import type { NationalityCount, SexAgeBreakdown } from './inputs.ts';
import type { LineStringGeometry } from './model.ts';
import { buildRouteNetwork, type RouteNetwork, shortestDistances, snapToNetwork } from './network.ts';
import { fail, ok, optionsError, type Result } from './result.ts';

export interface AssignableCommunity {
  id: string;
  lon: number;
  lat: number;
  headcount: number;
  nationalities?: NationalityCount[];
  breakdown?: SexAgeBreakdown;
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
  /** The whole community's sex and age breakdown, where known (scale by people / communityHeadcount for a split part). */
  breakdown?: SexAgeBreakdown;
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

type Measured = { distance: number; viaRoutes: boolean };
type RoutedDistance = (communityIndex: number, community: AssignableCommunity, pointIndex: number, straight: number) => Measured;

/** Distances from communities to points: along the network where both snap to it, else straight. */
function distanceFunction(points: AssignablePoint[], options: AssignOptions): RoutedDistance | undefined {
  if (!options.routes) return undefined;
  const network = isRouteNetwork(options.routes) ? options.routes : buildRouteNetwork(options.routes);
  if (network.lon.length === 0) return undefined;
  const tolerance = options.snapToleranceKm ?? 2;
  const pointSnaps = points.map((point) => snapToNetwork(network, point.lon, point.lat, tolerance));
  const fromPoint: (Float64Array | undefined)[] = new Array(points.length);
  const communitySnaps = new Map<number, ReturnType<typeof snapToNetwork>>();
  return (communityIndex: number, community: AssignableCommunity, pointIndex: number, straight: number): Measured => {
    const pointSnap = pointSnaps[pointIndex];
    if (!pointSnap) return { distance: straight, viaRoutes: false };
    if (!communitySnaps.has(communityIndex))
      communitySnaps.set(communityIndex, snapToNetwork(network, community.lon, community.lat, tolerance));
    const communitySnap = communitySnaps.get(communityIndex);
    if (!communitySnap || straight <= communitySnap.distanceKm + pointSnap.distanceKm) return { distance: straight, viaRoutes: false };
    const table = (fromPoint[pointIndex] ??= shortestDistances(network, pointSnap.node));
    const along = table[communitySnap.node]!;
    if (!Number.isFinite(along)) return { distance: straight, viaRoutes: false };
    return { distance: communitySnap.distanceKm + along + pointSnap.distanceKm, viaRoutes: true };
  };
}

const RADIANS = Math.PI / 180;
/** Numbers kept per place: sin and cos of half the latitude, of half the longitude, cos of the latitude. */
const STRIDE = 5;

function writeTrigonometry(into: Float64Array, slot: number, lon: number, lat: number): void {
  const halfLat = (lat * RADIANS) / 2;
  const halfLon = (lon * RADIANS) / 2;
  into[slot * STRIDE] = Math.sin(halfLat);
  into[slot * STRIDE + 1] = Math.cos(halfLat);
  into[slot * STRIDE + 2] = Math.sin(halfLon);
  into[slot * STRIDE + 3] = Math.cos(halfLon);
  into[slot * STRIDE + 4] = Math.cos(lat * RADIANS);
}

function haversineKm(term: number): number {
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(term), Math.sqrt(1 - term));
}

function haversineTerm(km: number): number {
  return Math.sin(km / (2 * EARTH_RADIUS_KM)) ** 2;
}

/** What a candidate scan needs; assembly points are stored in grid-cell order for locality. */
interface Scanner {
  grid: GridIndex;
  /** STRIDE numbers per grid slot (grid.items order). */
  pointTrigonometry: Float64Array;
  communityTrigonometry: Float64Array;
  haversineLimit: number;
  maxDistanceKm: number;
  routed: RoutedDistance | undefined;
  cells: Int32Array;
  /** Scratch output: point index, comparison key, via routes (1) or not (0). */
  foundPoint: Uint32Array;
  foundKey: Float64Array;
  foundRouted: Uint8Array;
}

/**
 * Every assembly point within reach of community i, unsorted, into the scanner's scratch arrays.
 * The key is the haversine "a" term (monotonic in distance; no trigonometry per pair thanks to the
 * half-angle identities sin(b - a) = sin b cos a - cos b sin a), or km along routes when routed.
 */
function scanCandidates(scanner: Scanner, i: number, community: AssignableCommunity): number {
  const {
    grid,
    pointTrigonometry: point,
    communityTrigonometry: own,
    haversineLimit,
    routed,
    cells,
    foundPoint,
    foundKey,
    foundRouted,
  } = scanner;
  if (!cellsAround(grid, community.lon, community.lat, scanner.maxDistanceKm, cells)) return 0;
  const sinLat = own[i * STRIDE]!;
  const cosLat = own[i * STRIDE + 1]!;
  const sinLon = own[i * STRIDE + 2]!;
  const cosLon = own[i * STRIDE + 3]!;
  const cosine = own[i * STRIDE + 4]!;
  const columns = grid.columns;
  const start = grid.start;
  let count = 0;
  for (let row = cells[2]!; row <= cells[3]!; row++) {
    const first = start[row * columns + cells[0]!]!;
    const end = start[row * columns + cells[1]! + 1]!;
    for (let j = first; j < end; j++) {
      const base = j * STRIDE;
      const sinHalfLat = point[base]! * cosLat - point[base + 1]! * sinLat;
      const sinHalfLon = point[base + 2]! * cosLon - point[base + 3]! * sinLon;
      const term = sinHalfLat * sinHalfLat + cosine * point[base + 4]! * sinHalfLon * sinHalfLon;
      if (term > haversineLimit) continue;
      const k = grid.items[j]!;
      if (routed) {
        const measured = routed(i, community, k, haversineKm(term));
        if (measured.distance > scanner.maxDistanceKm) continue;
        foundKey[count] = measured.distance;
        foundRouted[count] = measured.viaRoutes ? 1 : 0;
      } else {
        foundKey[count] = term;
        foundRouted[count] = 0;
      }
      foundPoint[count] = k;
      count++;
    }
  }
  return count;
}

/**
 * Pass 1 for community i: how many candidates it has, and its REMEMBERED nearest ones, sorted, into
 * the given arrays at i * REMEMBERED. Straight-line only (routed plans use scanCandidates).
 */
function countAndRemember(
  scanner: Scanner,
  i: number,
  community: AssignableCommunity,
  nearestPoint: Uint32Array,
  nearestKey: Float64Array,
): number {
  const { grid, pointTrigonometry: point, communityTrigonometry: own, haversineLimit, cells } = scanner;
  if (!cellsAround(grid, community.lon, community.lat, scanner.maxDistanceKm, cells)) return 0;
  const sinLat = own[i * STRIDE]!;
  const cosLat = own[i * STRIDE + 1]!;
  const sinLon = own[i * STRIDE + 2]!;
  const cosLon = own[i * STRIDE + 3]!;
  const cosine = own[i * STRIDE + 4]!;
  const columns = grid.columns;
  const start = grid.start;
  const items = grid.items;
  const base = i * REMEMBERED;
  const last = base + REMEMBERED - 1;
  let count = 0;
  let worst = haversineLimit;
  for (let row = cells[2]!; row <= cells[3]!; row++) {
    const end = start[row * columns + cells[1]! + 1]!;
    for (let j = start[row * columns + cells[0]!]!; j < end; j++) {
      const offset = j * STRIDE;
      const sinHalfLat = point[offset]! * cosLat - point[offset + 1]! * sinLat;
      const sinHalfLon = point[offset + 2]! * cosLon - point[offset + 3]! * sinLon;
      const term = sinHalfLat * sinHalfLat + cosine * point[offset + 4]! * sinHalfLon * sinHalfLon;
      if (term > haversineLimit) continue;
      count++;
      if (term > worst) continue;
      const k = items[j]!;
      // Insert into the sorted remembered list (ties: lower point index first).
      let at = count <= REMEMBERED ? base + count - 1 : last;
      if (at === last && count > REMEMBERED && (term > nearestKey[last]! || (term === nearestKey[last] && k > nearestPoint[last]!)))
        continue;
      while (at > base && (nearestKey[at - 1]! > term || (nearestKey[at - 1] === term && nearestPoint[at - 1]! > k))) {
        nearestKey[at] = nearestKey[at - 1]!;
        nearestPoint[at] = nearestPoint[at - 1]!;
        at--;
      }
      nearestKey[at] = term;
      nearestPoint[at] = k;
      if (count >= REMEMBERED) worst = nearestKey[last]!;
    }
  }
  return count;
}

/** Candidate a is nearer than b (ties: lower point index, so results do not depend on grid order). */
function closer(key: Float64Array, point: Uint32Array, a: number, b: number): boolean {
  return key[a]! < key[b]! || (key[a] === key[b] && point[a]! < point[b]!);
}

/** How many nearest candidates pass 1 remembers per community, so most placements need no rescan. */
const REMEMBERED = 8;

export function assignToAssemblyPoints(
  communities: AssignableCommunity[],
  assemblyPoints: AssignablePoint[],
  options: AssignOptions,
): Result<AssignmentResult> {
  const maxDistance = options.maxDistanceKm;
  if (!(maxDistance > 0) || !Number.isFinite(maxDistance))
    return fail(optionsError(`maxDistanceKm must be a distance above 0 km, not ${maxDistance}`));
  for (const point of assemblyPoints) {
    if (!(point.capacity >= 0)) return fail(optionsError(`assembly point "${point.id}" needs a capacity of 0 or more`));
  }
  for (const community of communities) {
    if (!(community.headcount >= 0)) return fail(optionsError(`community "${community.id}" needs a headcount of 0 or more`));
  }
  const routed = distanceFunction(assemblyPoints, options);
  const toKm = routed ? (key: number) => key : haversineKm;

  // 1. A grid over the assembly points; pass 1 counts each community's candidates and remembers
  //    its nearest few, sorted.
  // Cells a third of the reach: a query visits about 1.6 times the circle's area instead of 2.9 times.
  const grid = buildGridIndex(assemblyPoints, maxDistance / 3);
  const pointTrigonometry = new Float64Array(assemblyPoints.length * STRIDE);
  grid.items.forEach((k, slot) => writeTrigonometry(pointTrigonometry, slot, assemblyPoints[k]!.lon, assemblyPoints[k]!.lat));
  const communityTrigonometry = new Float64Array(communities.length * STRIDE);
  communities.forEach((community, i) => writeTrigonometry(communityTrigonometry, i, community.lon, community.lat));
  const scanner: Scanner = {
    grid,
    pointTrigonometry,
    communityTrigonometry,
    haversineLimit: haversineTerm(maxDistance),
    maxDistanceKm: maxDistance,
    routed,
    cells: new Int32Array(4),
    foundPoint: new Uint32Array(assemblyPoints.length),
    foundKey: new Float64Array(assemblyPoints.length),
    foundRouted: new Uint8Array(assemblyPoints.length),
  };
  const { foundPoint, foundKey, foundRouted } = scanner;
  const optionCount = new Uint32Array(communities.length);
  const nearestPoint = new Uint32Array(communities.length * REMEMBERED);
  const nearestKey = new Float64Array(communities.length * REMEMBERED);
  const nearestRouted = new Uint8Array(communities.length * REMEMBERED);
  for (let i = 0; i < communities.length; i++) {
    if (!routed) {
      optionCount[i] = countAndRemember(scanner, i, communities[i]!, nearestPoint, nearestKey);
      continue;
    }
    const count = scanCandidates(scanner, i, communities[i]!);
    optionCount[i] = count;
    const base = i * REMEMBERED;
    let kept = 0;
    for (let slot = 0; slot < count; slot++) {
      const key = foundKey[slot]!;
      const pointIndex = foundPoint[slot]!;
      if (kept === REMEMBERED) {
        const last = base + REMEMBERED - 1;
        if (key > nearestKey[last]! || (key === nearestKey[last] && pointIndex > nearestPoint[last]!)) continue;
      } else kept++;
      let at = base + kept - 1;
      while (at > base && (nearestKey[at - 1]! > key || (nearestKey[at - 1] === key && nearestPoint[at - 1]! > pointIndex))) {
        nearestKey[at] = nearestKey[at - 1]!;
        nearestPoint[at] = nearestPoint[at - 1]!;
        nearestRouted[at] = nearestRouted[at - 1]!;
        at--;
      }
      nearestKey[at] = key;
      nearestPoint[at] = pointIndex;
      nearestRouted[at] = foundRouted[slot]!;
    }
  }

  // 2. Order: fewest candidates, then largest, then input order.
  const order = new Uint32Array(communities.length);
  const headcounts = new Float64Array(communities.length);
  for (let i = 0; i < communities.length; i++) {
    order[i] = i;
    headcounts[i] = communities[i]!.headcount;
  }
  order.sort((a, b) => optionCount[a]! - optionCount[b]! || headcounts[b]! - headcounts[a]! || a - b);

  // 3. Greedy placement: the remembered nearest first; a full rescan only when none of them has
  //    room and there are more candidates than remembered.
  const remaining = Float64Array.from(assemblyPoints, (point) => point.capacity);
  const overflow = new Float64Array(assemblyPoints.length);
  const assignments: CommunityAssignment[] = [];
  const unassigned: UnassignedCommunity[] = [];
  let splitCommunities = 0;
  const assignment = (
    community: AssignableCommunity,
    pointIndex: number,
    key: number,
    viaRoutes: number,
    people: number,
    split: boolean,
  ): CommunityAssignment => ({
    communityId: community.id,
    assemblyPointId: assemblyPoints[pointIndex]!.id,
    people,
    distanceKm: toKm(key),
    viaRoutes: viaRoutes === 1,
    split,
    nationalities: community.nationalities ?? [],
    ...(community.breakdown ? { breakdown: community.breakdown } : {}),
    communityHeadcount: community.headcount,
  });
  for (const i of order) {
    const community = communities[i]!;
    const headcount = community.headcount;
    const options = optionCount[i]!;
    if (options === 0) {
      unassigned.push({
        communityId: community.id,
        people: headcount,
        reason: 'none_within_distance',
        nationalities: community.nationalities ?? [],
      });
      continue;
    }
    const base = i * REMEMBERED;
    const remembered = Math.min(options, REMEMBERED);
    let placed = false;
    for (let slot = base; slot < base + remembered; slot++) {
      const pointIndex = nearestPoint[slot]!;
      if (remaining[pointIndex]! >= headcount) {
        remaining[pointIndex]! -= headcount;
        assignments.push(assignment(community, pointIndex, nearestKey[slot]!, nearestRouted[slot]!, headcount, false));
        placed = true;
        break;
      }
    }
    if (placed) continue;
    // All of them (the remembered ones, or a rescan when there are more): nearest with room for
    // everyone, else note whether any has room at all, in one pass without sorting.
    let count = remembered;
    if (options > REMEMBERED) count = scanCandidates(scanner, i, community);
    else {
      foundPoint.set(nearestPoint.subarray(base, base + count));
      foundKey.set(nearestKey.subarray(base, base + count));
      foundRouted.set(nearestRouted.subarray(base, base + count));
    }
    let whole = -1;
    let nearest = 0;
    let anyRoom = false;
    for (let slot = 0; slot < count; slot++) {
      const room = remaining[foundPoint[slot]!]!;
      if (room > 0) anyRoom = true;
      if (closer(foundKey, foundPoint, slot, nearest)) nearest = slot;
      if (room >= headcount && (whole < 0 || closer(foundKey, foundPoint, slot, whole))) whole = slot;
    }
    if (whole >= 0) {
      remaining[foundPoint[whole]!]! -= headcount;
      assignments.push(assignment(community, foundPoint[whole]!, foundKey[whole]!, foundRouted[whole]!, headcount, false));
      continue;
    }
    if (!anyRoom) {
      overflow[foundPoint[nearest]!]! += headcount;
      unassigned.push({ communityId: community.id, people: headcount, reason: 'all_full', nationalities: community.nationalities ?? [] });
      continue;
    }
    const sorted = Array.from({ length: count }, (_, slot) => slot).sort(
      (a, b) => foundKey[a]! - foundKey[b]! || foundPoint[a]! - foundPoint[b]!,
    );
    // Fits nowhere whole: fill its candidates nearest first.
    let left = headcount;
    const parts: CommunityAssignment[] = [];
    for (const slot of sorted) {
      if (left <= 0) break;
      const pointIndex = foundPoint[slot]!;
      const take = Math.min(left, remaining[pointIndex]!);
      if (take <= 0) continue;
      remaining[pointIndex]! -= take;
      left -= take;
      parts.push(assignment(community, pointIndex, foundKey[slot]!, foundRouted[slot]!, take, true));
    }
    if (parts.length > 0) splitCommunities++;
    assignments.push(...parts);
    if (left > 0) {
      overflow[foundPoint[sorted[0]!]!]! += left;
      unassigned.push({ communityId: community.id, people: left, reason: 'all_full', nationalities: community.nationalities ?? [] });
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
