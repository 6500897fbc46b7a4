// KML 2.2 export of a plan and import of placemarks (points, lines, polygons with names), for
// desktop GIS and Google Earth users. KML coordinates are "longitude,latitude[,altitude]" tuples
// separated by whitespace; polygons have one outerBoundaryIs and any innerBoundaryIs rings.
import type { Element } from '@xmldom/xmldom';
import type { Geometry, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { type PlanLayer, planFeatures } from './geojson.ts';
import type { AreaGeometry, HazardZone, Plan } from './model.ts';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';
import { child, childText, children, descendants, escapeXml, parseXml } from './xml.ts';

const layerTitles: Record<PlanLayer, string> = {
  plan_area: 'Plan area',
  hazard_zone: 'Hazard zones',
  assembly_point: 'Assembly points',
  shelter: 'Shelters',
  route: 'Evacuation routes',
  border_crossing: 'Border crossings',
};

const tuple = (position: Position) => `${position[0]},${position[1]}${position[2] !== undefined ? `,${position[2]}` : ''}`;
const tuples = (positions: Position[]) => positions.map(tuple).join(' ');

function ring(tag: 'outerBoundaryIs' | 'innerBoundaryIs', positions: Position[]): string {
  return `<${tag}><LinearRing><coordinates>${tuples(positions)}</coordinates></LinearRing></${tag}>`;
}

function polygonKml(rings: Position[][]): string {
  return `<Polygon>${rings.map((positions, index) => ring(index === 0 ? 'outerBoundaryIs' : 'innerBoundaryIs', positions)).join('')}</Polygon>`;
}

function geometryKml(geometry: Geometry): string {
  switch (geometry.type) {
    case 'Point':
      return `<Point><coordinates>${tuple(geometry.coordinates)}</coordinates></Point>`;
    case 'LineString':
      return `<LineString><coordinates>${tuples(geometry.coordinates)}</coordinates></LineString>`;
    case 'Polygon':
      return polygonKml(geometry.coordinates);
    case 'MultiPolygon':
      return `<MultiGeometry>${geometry.coordinates.map(polygonKml).join('')}</MultiGeometry>`;
    default:
      return '';
  }
}

/** The plan's map layers as a KML document, one folder per layer; other fields go in ExtendedData. */
export function planToKml(plan: Plan): string {
  const features = planFeatures(plan);
  const folders = (Object.keys(layerTitles) as PlanLayer[]).map((layer) => {
    const placemarks = features
      .filter((item) => item.properties?.layer === layer)
      .map((item) => {
        const { name, ...rest } = item.properties as Record<string, unknown>;
        const data = Object.entries(rest)
          .map(([key, value]) => `<Data name="${escapeXml(key)}"><value>${escapeXml(String(value))}</value></Data>`)
          .join('');
        return `<Placemark><name>${escapeXml(String(name ?? ''))}</name><ExtendedData>${data}</ExtendedData>${geometryKml(item.geometry!)}</Placemark>`;
      });
    return `<Folder><name>${escapeXml(layerTitles[layer])}</name>${placemarks.join('')}</Folder>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${escapeXml(plan.title)}</name>${folders.join('')}</Document></kml>\n`;
}

export interface KmlPlacemark {
  name: string;
  description?: string;
  /** ExtendedData Data name/value pairs. */
  data: Record<string, string>;
  geometry: Point | LineString | Polygon | MultiPolygon | { type: 'GeometryCollection'; geometries: (Point | LineString | Polygon)[] };
}

function parseCoordinates(text: string | null | undefined, where: string): Result<Position[], ConvertError> {
  const positions: Position[] = [];
  for (const token of (text ?? '').trim().split(/\s+/).filter(Boolean)) {
    const numbers = token.split(',').map(Number);
    if (numbers.length < 2 || numbers.length > 3 || numbers.some((n) => !Number.isFinite(n))) {
      return fail(convertError(`"${token.slice(0, 40)}" is not a longitude,latitude[,altitude] tuple`, where));
    }
    if (Math.abs(numbers[0]!) > 180 || Math.abs(numbers[1]!) > 90) return fail(convertError(`"${token.slice(0, 40)}" is outside the world's longitude and latitude range`, where));
    positions.push(numbers.length === 3 && numbers[2] === 0 ? numbers.slice(0, 2) : numbers);
  }
  return ok(positions);
}

function closeRing(positions: Position[]): Position[] {
  const first = positions[0];
  const last = positions.at(-1);
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) return [...positions, first];
  return positions;
}

function readGeometry(element: Element, where: string): Result<(Point | LineString | Polygon)[], ConvertError> {
  const found: (Point | LineString | Polygon)[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const item = node as Element;
    if (item.localName === 'Point') {
      const positions = parseCoordinates(childText(item, 'coordinates'), where);
      if (!positions.ok) return positions;
      if (positions.value.length !== 1) return fail(convertError('a Point needs exactly one coordinate tuple', where));
      found.push({ type: 'Point', coordinates: positions.value[0]! });
    } else if (item.localName === 'LineString') {
      const positions = parseCoordinates(childText(item, 'coordinates'), where);
      if (!positions.ok) return positions;
      if (positions.value.length < 2) return fail(convertError('a LineString needs at least two positions', where));
      found.push({ type: 'LineString', coordinates: positions.value });
    } else if (item.localName === 'Polygon') {
      const rings: Position[][] = [];
      const boundaries = [...children(item, 'outerBoundaryIs'), ...children(item, 'innerBoundaryIs')];
      if (children(item, 'outerBoundaryIs').length !== 1) return fail(convertError('a Polygon needs one outerBoundaryIs', where));
      for (const boundary of boundaries) {
        const linearRing = child(boundary, 'LinearRing');
        const positions = parseCoordinates(linearRing ? childText(linearRing, 'coordinates') : undefined, where);
        if (!positions.ok) return positions;
        const closed = closeRing(positions.value);
        if (closed.length < 4) return fail(convertError('a polygon ring needs at least three distinct positions', where));
        rings.push(closed);
      }
      found.push({ type: 'Polygon', coordinates: rings });
    } else if (item.localName === 'MultiGeometry') {
      const inner = readGeometry(item, where);
      if (!inner.ok) return inner;
      found.push(...inner.value);
    }
  }
  return ok(found);
}

/** Every Placemark with a geometry, in document order (folders are flattened). */
export function placemarksFromKml(text: string): Result<KmlPlacemark[], ConvertError> {
  const document = parseXml(text, 'KML');
  if (!document.ok) return document;
  if (document.value.documentElement!.localName !== 'kml') return fail(convertError('this XML is not KML: its root element is not <kml>'));
  const placemarks: KmlPlacemark[] = [];
  const elements = descendants(document.value, 'Placemark');
  for (const [index, element] of elements.entries()) {
    const where = `Placemark ${index + 1}`;
    const geometries = readGeometry(element, where);
    if (!geometries.ok) return geometries;
    if (geometries.value.length === 0) continue;
    const data: Record<string, string> = {};
    const extended = child(element, 'ExtendedData');
    if (extended) for (const item of children(extended, 'Data')) data[item.getAttribute('name') ?? ''] = childText(item, 'value') ?? '';
    const polygons = geometries.value.filter((geometry): geometry is Polygon => geometry.type === 'Polygon');
    const geometry: KmlPlacemark['geometry'] =
      geometries.value.length === 1
        ? geometries.value[0]!
        : polygons.length === geometries.value.length
          ? { type: 'MultiPolygon', coordinates: polygons.map((polygon) => polygon.coordinates) }
          : { type: 'GeometryCollection', geometries: geometries.value };
    const description = childText(element, 'description');
    placemarks.push({ name: childText(element, 'name') ?? `Placemark ${index + 1}`, ...(description ? { description } : {}), data, geometry });
  }
  return ok(placemarks);
}

/** Hazard zones from the KML's polygons (placemark names become zone names). */
export function hazardZonesFromKml(text: string, idPrefix = 'kml'): Result<HazardZone[], ConvertError> {
  const placemarks = placemarksFromKml(text);
  if (!placemarks.ok) return placemarks;
  const zones = placemarks.value
    .filter((placemark) => placemark.geometry.type === 'Polygon' || placemark.geometry.type === 'MultiPolygon')
    .map((placemark, index): HazardZone => ({
      id: `${idPrefix}-${index + 1}`,
      name: placemark.name.slice(0, 200),
      geometry: placemark.geometry as AreaGeometry,
      source: 'kml',
    }));
  if (zones.length === 0) return fail(convertError('no polygon in this KML: a hazard zone needs a Polygon'));
  return ok(zones);
}
