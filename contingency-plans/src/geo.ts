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
 * A polygon prepared for many point-in-polygon tests: edges in flat typed arrays, bucketed into
 * horizontal bands so one test looks only at the edges crossing the point's latitude.
 */
export interface PreparedPolygon {
  box: BoundingBox;
  bandCount: number;
  bandHeight: number;
  /** Edge indices per band: band b holds bandEdges[bandStart[b] .. bandStart[b + 1]). */
  bandStart: Uint32Array;
  bandEdges: Uint32Array;
  /** Edge i runs from (x0[i], y0[i]) to (x1[i], y1[i]). */
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
}

export function preparePolygon(geometry: Polygon | MultiPolygon): PreparedPolygon {
  const edges: number[] = [];
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const from = ring[i]!;
        const to = ring[i + 1]!;
        if (from[1] === to[1] && from[0] === to[0]) continue;
        edges.push(from[0]!, from[1]!, to[0]!, to[1]!);
      }
    }
  }
  const edgeCount = edges.length / 4;
  const x0 = new Float64Array(edgeCount);
  const y0 = new Float64Array(edgeCount);
  const x1 = new Float64Array(edgeCount);
  const y1 = new Float64Array(edgeCount);
  for (let i = 0; i < edgeCount; i++) {
    x0[i] = edges[i * 4]!;
    y0[i] = edges[i * 4 + 1]!;
    x1[i] = edges[i * 4 + 2]!;
    y1[i] = edges[i * 4 + 3]!;
  }
  const box = boundingBoxOf(geometry);
  const bandCount = Math.max(1, Math.min(4096, edgeCount));
  const bandHeight = (box[3] - box[1]) / bandCount || 1;
  const bandOf = (y: number) => Math.min(bandCount - 1, Math.max(0, Math.floor((y - box[1]) / bandHeight)));
  const counts = new Uint32Array(bandCount + 1);
  for (let i = 0; i < edgeCount; i++) {
    const low = bandOf(Math.min(y0[i]!, y1[i]!));
    const high = bandOf(Math.max(y0[i]!, y1[i]!));
    for (let b = low; b <= high; b++) counts[b + 1]!++;
  }
  for (let b = 0; b < bandCount; b++) counts[b + 1]! += counts[b]!;
  const bandStart = counts.slice();
  const fill = counts.slice(0, bandCount);
  const bandEdges = new Uint32Array(bandStart[bandCount]!);
  for (let i = 0; i < edgeCount; i++) {
    const low = bandOf(Math.min(y0[i]!, y1[i]!));
    const high = bandOf(Math.max(y0[i]!, y1[i]!));
    for (let b = low; b <= high; b++) bandEdges[fill[b]!++] = i;
  }
  return { box, bandCount, bandHeight, bandStart, bandEdges, x0, y0, x1, y1 };
}

/**
 * Even-odd ray casting: true when (x, y) is inside the polygon (holes excluded). Points exactly on
 * an edge may fall either way; random data never sits there, and drawn zones are not that exact.
 */
export function insidePrepared(prepared: PreparedPolygon, x: number, y: number): boolean {
  const box = prepared.box;
  if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return false;
  const band = Math.min(prepared.bandCount - 1, Math.floor((y - box[1]) / prepared.bandHeight));
  const { bandStart, bandEdges, x0, y0, x1, y1 } = prepared;
  let inside = false;
  for (let k = bandStart[band]!, end = bandStart[band + 1]!; k < end; k++) {
    const i = bandEdges[k]!;
    const ya = y0[i]!;
    const yb = y1[i]!;
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
