// The area of a request: drawn vertex by vertex on the map, or imported from a GeoJSON file.
// Always a GeoJSON Polygon or MultiPolygon with [lon, lat] positions (altitudes dropped), closed
// rings, within the API's bounds.
import type { AnyArea, Area } from './select.ts';

export const MAX_AREA_POSITIONS = 20_000;

export type AreaResult = { ok: true; area: Area; positions: number } | { ok: false; message: string };

/** A polygon from clicked vertices (at least 3), closed. */
export function polygonFromVertices(vertices: readonly [number, number][]): AreaResult {
  if (vertices.length < 3) return { ok: false, message: 'click at least three points on the map to draw the area' };
  const ring: [number, number][] = [...vertices.map(([lon, lat]): [number, number] => [lon, lat]), [vertices[0]![0], vertices[0]![1]]];
  return { ok: true, area: { type: 'Polygon', coordinates: [ring] }, positions: ring.length };
}

function cleanRing(ring: unknown): [number, number][] | string {
  if (!Array.isArray(ring)) return 'a ring is not a list of positions';
  const positions: [number, number][] = [];
  for (const position of ring) {
    if (!Array.isArray(position) || typeof position[0] !== 'number' || typeof position[1] !== 'number')
      return 'a position is not [longitude, latitude]';
    const [lon, lat] = position as number[];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon!) > 180 || Math.abs(lat!) > 90)
      return 'a position is outside [-180..180, -90..90]: is the file in longitude, latitude (WGS 84)?';
    positions.push([lon!, lat!]);
  }
  if (positions.length < 3) return 'a ring has fewer than three positions';
  const first = positions[0]!;
  const last = positions.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) positions.push([first[0], first[1]]);
  if (positions.length < 4) return 'a ring has fewer than three distinct positions';
  return positions;
}

function cleanPolygon(rings: unknown): [number, number][][] | string {
  if (!Array.isArray(rings) || rings.length === 0) return 'a polygon has no rings';
  const out: [number, number][][] = [];
  for (const ring of rings) {
    const cleaned = cleanRing(ring);
    if (typeof cleaned === 'string') return cleaned;
    out.push(cleaned);
  }
  return out;
}

/** Every Polygon and MultiPolygon in a GeoJSON geometry, Feature or FeatureCollection, as one area. */
export function areaFromGeoJson(text: string): AreaResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the file is not JSON (GeoJSON expected)' };
  }
  const geometries: unknown[] = [];
  const collect = (value: unknown) => {
    const node = value as { type?: string; geometry?: unknown; features?: unknown[]; geometries?: unknown[] } | null;
    if (!node || typeof node !== 'object') return;
    if (node.type === 'FeatureCollection' && Array.isArray(node.features)) node.features.forEach(collect);
    else if (node.type === 'Feature') collect(node.geometry);
    else if (node.type === 'GeometryCollection' && Array.isArray(node.geometries)) node.geometries.forEach(collect);
    else if (node.type === 'Polygon' || node.type === 'MultiPolygon') geometries.push(node);
  };
  collect(json);
  if (geometries.length === 0) return { ok: false, message: 'the file holds no Polygon or MultiPolygon' };
  const polygons: [number, number][][][] = [];
  for (const geometry of geometries as { type: string; coordinates: unknown }[]) {
    const list = geometry.type === 'Polygon' ? [geometry.coordinates] : Array.isArray(geometry.coordinates) ? geometry.coordinates : [null];
    for (const rings of list) {
      const cleaned = cleanPolygon(rings);
      if (typeof cleaned === 'string') return { ok: false, message: cleaned };
      polygons.push(cleaned);
    }
  }
  const positions = polygons.reduce((sum, rings) => sum + rings.reduce((inner, ring) => inner + ring.length, 0), 0);
  if (positions > MAX_AREA_POSITIONS)
    return { ok: false, message: `the area has ${positions} positions; at most ${MAX_AREA_POSITIONS} (simplify it in a GIS first)` };
  const area: Area =
    polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  return { ok: true, area, positions };
}

/** Whether every position of `area` is a [longitude, latitude] pair: the only areas the API takes. */
export function isRequestArea(area: AnyArea): area is Area {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  return polygons.every((rings) => rings.every((ring) => ring.every((position) => position.length === 2)));
}

/** The outer rings of an area, for drawing. */
export function outerRings(area: AnyArea): number[][][] {
  return (area.type === 'Polygon' ? [area.coordinates] : area.coordinates).map((rings) => rings[0] ?? []);
}
