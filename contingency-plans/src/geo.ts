// Small geometry helpers shared by the analysis modules: great-circle distance, bounding boxes,
// ring orientation and a fast point-in-polygon test over a prepared polygon.
// Coordinates are always [longitude, latitude] in degrees (GeoJSON order).
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Mean Earth radius in km; the same value Turf uses, so distances agree with turf.distance. */
export const EARTH_RADIUS_KM = 6371.0088;
const RADIANS = Math.PI / 180;

/** Great-circle (haversine) distance in km between two lon/lat positions. */
export function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RADIANS;
  const dLon = (lon2 - lon1) * RADIANS;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RADIANS) * Math.cos(lat2 * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Degrees of latitude and longitude spanned by `km` around a latitude (longitude widens toward the poles). */
export function degreesAround(latitude: number, km: number): { latitude: number; longitude: number } {
  const latitudeDegrees = km / (EARTH_RADIUS_KM * RADIANS);
  const farthest = Math.min(89.9, Math.abs(latitude) + latitudeDegrees);
  const longitudeDegrees = latitudeDegrees / Math.cos(farthest * RADIANS);
  return { latitude: latitudeDegrees, longitude: Math.min(360, longitudeDegrees) };
}

export type BoundingBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function boundingBoxOf(geometry: Polygon | MultiPolygon): BoundingBox {
  const box: BoundingBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(geometry)) {
    for (const position of polygon[0] ?? []) {
      box[0] = Math.min(box[0], position[0]!);
      box[1] = Math.min(box[1], position[1]!);
      box[2] = Math.max(box[2], position[0]!);
      box[3] = Math.max(box[3], position[1]!);
    }
  }
  return box;
}

/** Twice the signed planar area of a ring in degrees; positive means counterclockwise. */
export function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return sum;
}

/**
 * Edges of some rings prepared for many point tests: flat typed arrays, bucketed into horizontal
 * bands so that a test at latitude y looks only at the edges whose latitude span reaches y's band.
 * The edges are position k to k + 1 of each ring, the ring's last position closing it: the same
 * edges Turf's point-in-polygon walks, zero-length ones included (Turf counts a point on one as on
 * the edge). Both the quick test below and zone-grid.ts's exact-as-Turf test read this structure.
 */
export interface PreparedEdges {
  /** Southern limit of band 0; bands are `bandHeight` tall. */
  minY: number;
  bandHeight: number;
  bandCount: number;
  /** Edge indices per band: band b holds bandEdges[bandStart[b] .. bandStart[b + 1]). */
  bandStart: Uint32Array;
  bandEdges: Uint32Array;
  /** Edge i runs from (x0[i], y0[i]) to (x1[i], y1[i]). */
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
}

/** The band holding latitude y (the first or last band beyond the edges' span). */
export function bandOf(edges: PreparedEdges, y: number): number {
  return Math.min(edges.bandCount - 1, Math.max(0, Math.floor((y - edges.minY) / edges.bandHeight)));
}

export function prepareEdges(rings: Position[][]): PreparedEdges {
  let count = 0;
  for (const ring of rings) count += Math.max(0, ring.length - 1);
  const x0 = new Float64Array(count);
  const y0 = new Float64Array(count);
  const x1 = new Float64Array(count);
  const y1 = new Float64Array(count);
  let minY = Infinity;
  let maxY = -Infinity;
  let edge = 0;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++, edge++) {
      const from = ring[i]!;
      const to = ring[i + 1]!;
      x0[edge] = from[0]!;
      y0[edge] = from[1]!;
      x1[edge] = to[0]!;
      y1[edge] = to[1]!;
      minY = Math.min(minY, from[1]!, to[1]!);
      maxY = Math.max(maxY, from[1]!, to[1]!);
    }
  }
  if (count === 0) minY = maxY = 0;
  const bandCount = Math.max(1, Math.min(4096, count));
  const edges: PreparedEdges = {
    minY,
    bandHeight: (maxY - minY) / bandCount || 1,
    bandCount,
    bandStart: new Uint32Array(bandCount + 1),
    bandEdges: new Uint32Array(0),
    x0,
    y0,
    x1,
    y1,
  };
  const { bandStart } = edges;
  for (let i = 0; i < count; i++) {
    for (let b = bandOf(edges, Math.min(y0[i]!, y1[i]!)), high = bandOf(edges, Math.max(y0[i]!, y1[i]!)); b <= high; b++)
      bandStart[b + 1]!++;
  }
  for (let b = 0; b < bandCount; b++) bandStart[b + 1]! += bandStart[b]!;
  const fill = bandStart.slice(0, bandCount);
  const bandEdges = new Uint32Array(bandStart[bandCount]!);
  for (let i = 0; i < count; i++) {
    for (let b = bandOf(edges, Math.min(y0[i]!, y1[i]!)), high = bandOf(edges, Math.max(y0[i]!, y1[i]!)); b <= high; b++)
      bandEdges[fill[b]!++] = i;
  }
  edges.bandEdges = bandEdges;
  return edges;
}

/** A polygon or MultiPolygon prepared for many quick point tests: its outer box and all its edges. */
export interface PreparedPolygon {
  box: BoundingBox;
  /** Every ring of every polygon, holes included. */
  edges: PreparedEdges;
}

export function preparePolygon(geometry: Polygon | MultiPolygon): PreparedPolygon {
  return { box: boundingBoxOf(geometry), edges: prepareEdges(polygonsOf(geometry).flat()) };
}

/**
 * Even-odd ray casting: true when (x, y) is inside the polygon (holes excluded). Points exactly on
 * an edge may fall either way; random data never sits there, and drawn zones are not that exact.
 * (zone-grid.ts has the exact test, with Turf's answer on edges.)
 */
export function insidePrepared(prepared: PreparedPolygon, x: number, y: number): boolean {
  const box = prepared.box;
  if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return false;
  const edges = prepared.edges;
  const band = bandOf(edges, y);
  const { bandStart, bandEdges, x0, y0, x1, y1 } = edges;
  let inside = false;
  for (let k = bandStart[band]!, end = bandStart[band + 1]!; k < end; k++) {
    const i = bandEdges[k]!;
    const ya = y0[i]!;
    const yb = y1[i]!;
    // A zero-length or horizontal edge never passes this test, so it never counts.
    if (ya > y !== yb > y) {
      const xa = x0[i]!;
      const crossing = xa + ((y - ya) * (x1[i]! - xa)) / (yb - ya);
      if (x < crossing) inside = !inside;
    }
  }
  return inside;
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
