// A route network built from evacuation-route LineStrings: vertices become nodes (vertices within
// about 10 cm of each other are merged, so routes sharing a vertex connect), segments become
// edges weighted by great-circle length. Shortest paths by Dijkstra with a binary heap.
// Routes that cross without sharing a vertex are NOT connected: draw the junction as a vertex.
import KDBush from 'kdbush';
import { degreesAround, distanceKm } from './geo.ts';
import type { LineStringGeometry } from './model.ts';

export interface RouteNetwork {
  lon: Float64Array;
  lat: Float64Array;
  /** Edges of node i: neighbour[edgeStart[i] .. edgeStart[i + 1]) with lengths in km. */
  edgeStart: Uint32Array;
  neighbour: Uint32Array;
  lengthKm: Float64Array;
  index: KDBush;
}

export function buildRouteNetwork(routes: LineStringGeometry[]): RouteNetwork {
  const nodeOf = new Map<string, number>();
  const lon: number[] = [];
  const lat: number[] = [];
  const pairs: number[] = [];
  const nodeFor = (position: number[]) => {
    const key = `${position[0]!.toFixed(6)},${position[1]!.toFixed(6)}`;
    let node = nodeOf.get(key);
    if (node === undefined) {
      node = lon.length;
      nodeOf.set(key, node);
      lon.push(position[0]!);
      lat.push(position[1]!);
    }
    return node;
  };
  for (const route of routes) {
    for (let i = 0; i + 1 < route.coordinates.length; i++) {
      const from = nodeFor(route.coordinates[i]!);
      const to = nodeFor(route.coordinates[i + 1]!);
      if (from !== to) pairs.push(from, to);
    }
  }
  const nodeCount = lon.length;
  const degree = new Uint32Array(nodeCount + 1);
  for (let k = 0; k < pairs.length; k += 2) {
    degree[pairs[k]! + 1]!++;
    degree[pairs[k + 1]! + 1]!++;
  }
  for (let i = 0; i < nodeCount; i++) degree[i + 1]! += degree[i]!;
  const edgeStart = degree.slice();
  const fill = degree.slice(0, nodeCount);
  const neighbour = new Uint32Array(pairs.length);
  const lengthKm = new Float64Array(pairs.length);
  for (let k = 0; k < pairs.length; k += 2) {
    const a = pairs[k]!;
    const b = pairs[k + 1]!;
    const length = distanceKm(lon[a]!, lat[a]!, lon[b]!, lat[b]!);
    neighbour[fill[a]!] = b;
    lengthKm[fill[a]!++] = length;
    neighbour[fill[b]!] = a;
    lengthKm[fill[b]!++] = length;
  }
  const index = new KDBush(Math.max(1, nodeCount), 16, Float64Array);
  for (let i = 0; i < nodeCount; i++) index.add(lon[i]!, lat[i]!);
  if (nodeCount === 0) index.add(0, 0);
  index.finish();
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), edgeStart, neighbour, lengthKm, index };
}

/** The nearest network node within `toleranceKm`, with its distance; undefined when none is that close. */
export function snapToNetwork(
  network: RouteNetwork,
  lon: number,
  lat: number,
  toleranceKm: number,
): { node: number; distanceKm: number } | undefined {
  if (network.lon.length === 0) return undefined;
  const span = degreesAround(lat, toleranceKm);
  let best: { node: number; distanceKm: number } | undefined;
  for (const node of network.index.range(lon - span.longitude, lat - span.latitude, lon + span.longitude, lat + span.latitude)) {
    const distance = distanceKm(lon, lat, network.lon[node]!, network.lat[node]!);
    if (distance <= toleranceKm && (!best || distance < best.distanceKm)) best = { node, distanceKm: distance };
  }
  return best;
}

/** Dijkstra from one node: km along the network to every node (Infinity when unreachable). */
export function shortestDistances(network: RouteNetwork, source: number): Float64Array {
  const nodeCount = network.lon.length;
  const distance = new Float64Array(nodeCount).fill(Infinity);
  const heapNode: number[] = [];
  const heapDistance: number[] = [];
  const push = (node: number, value: number) => {
    let i = heapNode.length;
    heapNode.push(node);
    heapDistance.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapDistance[parent]! <= value) break;
      heapNode[i] = heapNode[parent]!;
      heapDistance[i] = heapDistance[parent]!;
      i = parent;
    }
    heapNode[i] = node;
    heapDistance[i] = value;
  };
  const pop = (): [number, number] => {
    const top: [number, number] = [heapNode[0]!, heapDistance[0]!];
    const lastNode = heapNode.pop()!;
    const lastDistance = heapDistance.pop()!;
    const size = heapNode.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && heapDistance[child + 1]! < heapDistance[child]!) child++;
        if (heapDistance[child]! >= lastDistance) break;
        heapNode[i] = heapNode[child]!;
        heapDistance[i] = heapDistance[child]!;
        i = child;
      }
      heapNode[i] = lastNode;
      heapDistance[i] = lastDistance;
    }
    return top;
  };
  distance[source] = 0;
  push(source, 0);
  while (heapNode.length > 0) {
    const [node, value] = pop();
    if (value > distance[node]!) continue;
    for (let k = network.edgeStart[node]!, end = network.edgeStart[node + 1]!; k < end; k++) {
      const next = network.neighbour[k]!;
      const candidate = value + network.lengthKm[k]!;
      if (candidate < distance[next]!) {
        distance[next] = candidate;
        push(next, candidate);
      }
    }
  }
  return distance;
}
