// KML 2.2 export of a plan and import of placemarks (points, lines, polygons with names), for
// desktop GIS and Google Earth users. KML coordinates are "longitude,latitude[,altitude]" tuples
// separated by whitespace; polygons have one outerBoundaryIs and any innerBoundaryIs rings.
// Import reads through @tmcw/togeojson (decision 0803), with this project's checks around it.
import { kml } from '@tmcw/togeojson';
import type { Element } from '@xmldom/xmldom';
import type { Feature, Geometry, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { type PlanLayer, planFeatures } from './geojson.ts';
import type { AreaGeometry, HazardZone, Plan } from './model.ts';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';
import { children, descendants, escapeXml, parseXml } from './xml.ts';

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
  /** The placemark's other properties as togeojson reads them: ExtendedData values (text), and style or time fields. */
  data: Record<string, unknown>;
  geometry: Point | LineString | Polygon | MultiPolygon | { type: 'GeometryCollection'; geometries: (Point | LineString | Polygon)[] };
}

/** Whitespace-separated "longitude,latitude[,altitude]" tuples, each a number in the world's range. */
function parseCoordinates(text: string | null | undefined, where: string): Result<Position[], ConvertError> {
  const positions: Position[] = [];
  for (const token of (text ?? '').trim().split(/\s+/).filter(Boolean)) {
    const numbers = token.split(',').map(Number);
    if (numbers.length < 2 || numbers.length > 3 || numbers.some((n) => !Number.isFinite(n))) {
      return fail(convertError(`"${token.slice(0, 40)}" is not a longitude,latitude[,altitude] tuple`, where));
    }
    const problem = outOfRange(numbers, token, where);
    if (problem) return fail(problem);
    positions.push(numbers);
  }
  return ok(positions);
}

function outOfRange(position: Position, written: string, where: string): ConvertError | null {
  return Math.abs(position[0]!) > 180 || Math.abs(position[1]!) > 90
    ? convertError(`"${written.slice(0, 40)}" is outside the world's longitude and latitude range`, where)
    : null;
}

const distinct = (positions: Position[]) => new Set(positions.map((position) => `${position[0]},${position[1]}`)).size;

/**
 * The project's checks on a placemark's coordinates, as written. togeojson reads leniently: it
 * drops a tuple it cannot read ("22.6,abc"), a line of one point and a ring of two, and runs a
 * Point's two tuples into one position; a zone would then be drawn without them, or elsewhere,
 * and nobody told. So a file with any of these is refused, naming the placemark.
 */
function checkPlacemark(placemark: Element, where: string): ConvertError | null {
  for (const coordinates of descendants(placemark, 'coordinates')) {
    const positions = parseCoordinates(coordinates.textContent, where);
    if (!positions.ok) return positions.error;
    const owner = (coordinates.parentNode as Element | null)?.localName;
    if (owner === 'Point' && positions.value.length !== 1) return convertError('a Point needs exactly one coordinate tuple', where);
    if (owner === 'LineString' && positions.value.length < 2) return convertError('a LineString needs at least two positions', where);
    if (owner === 'LinearRing' && distinct(positions.value) < 3)
      return convertError('a polygon ring needs at least three distinct positions', where);
  }
  for (const polygon of descendants(placemark, 'Polygon')) {
    if (children(polygon, 'outerBoundaryIs').length !== 1) return convertError('a Polygon needs one outerBoundaryIs', where);
  }
  return null;
}

/** Positions without a zero altitude (Google Earth writes ",0" on every tuple; the plan model is flat). */
function flat(position: Position): Position {
  return position.length === 3 && position[2] === 0 ? position.slice(0, 2) : position;
}

type Part = Point | LineString | Polygon;

/** One of togeojson's geometries as a plan geometry, checked again on the way out (a gx:Track's positions are not in <coordinates>). */
function partOf(geometry: Geometry, where: string): Result<Part[], ConvertError> {
  const check = (positions: Position[]) => {
    for (const position of positions) {
      if (!position.every(Number.isFinite)) return convertError('a position is not a longitude,latitude[,altitude] tuple', where);
      const problem = outOfRange(position, position.join(','), where);
      if (problem) return problem;
    }
    return null;
  };
  switch (geometry.type) {
    case 'Point': {
      const problem = check([geometry.coordinates]);
      return problem ? fail(problem) : ok([{ type: 'Point', coordinates: flat(geometry.coordinates) }]);
    }
    case 'LineString': {
      const problem = check(geometry.coordinates);
      return problem ? fail(problem) : ok([{ type: 'LineString', coordinates: geometry.coordinates.map(flat) }]);
    }
    case 'Polygon': {
      const problem = check(geometry.coordinates.flat());
      return problem ? fail(problem) : ok([{ type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(flat)) }]);
    }
    case 'GeometryCollection': {
      const parts: Part[] = [];
      for (const inner of geometry.geometries) {
        const read = partOf(inner, where);
        if (!read.ok) return read;
        parts.push(...read.value);
      }
      return ok(parts);
    }
    default:
      return ok([]);
  }
}

/** The text of a description, which togeojson gives as { "@type": "html", value } when it holds markup. */
function descriptionText(value: unknown): string | undefined {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string'
        ? (value as { value: string }).value
        : undefined;
  return text?.trim() || undefined;
}

/**
 * Every Placemark with a geometry, in document order (folders are flattened). The reading is
 * @tmcw/togeojson's, over @xmldom/xmldom (the same in the browser and in Node); the coordinates
 * are checked first as written (checkPlacemark), and the positions again on togeojson's output.
 */
export function placemarksFromKml(text: string): Result<KmlPlacemark[], ConvertError> {
  const document = parseXml(text, 'KML');
  if (!document.ok) return document;
  if (document.value.documentElement!.localName !== 'kml') return fail(convertError('this XML is not KML: its root element is not <kml>'));
  // The placemarks as togeojson finds them, so the n-th element is its n-th feature.
  const elements = Array.from(document.value.getElementsByTagName('Placemark'));
  for (const [index, element] of elements.entries()) {
    const problem = checkPlacemark(element, `Placemark ${index + 1}`);
    if (problem) return fail(problem);
  }
  let features: Feature<Geometry | null>[];
  try {
    features = kml(document.value).features.slice(0, elements.length);
  } catch (error) {
    return fail(convertError(`this KML could not be read (${(error as Error).message.split('\n')[0]})`));
  }
  const placemarks: KmlPlacemark[] = [];
  for (const [index, feature] of features.entries()) {
    const where = `Placemark ${index + 1}`;
    if (!feature.geometry) continue;
    const parts = partOf(feature.geometry, where);
    if (!parts.ok) return parts;
    if (parts.value.length === 0) continue;
    const polygons = parts.value.filter((part): part is Polygon => part.type === 'Polygon');
    const geometry: KmlPlacemark['geometry'] =
      parts.value.length === 1
        ? parts.value[0]!
        : polygons.length === parts.value.length
          ? { type: 'MultiPolygon', coordinates: polygons.map((polygon) => polygon.coordinates) }
          : { type: 'GeometryCollection', geometries: parts.value };
    const { name, description, ...data } = feature.properties ?? {};
    const text = descriptionText(description);
    placemarks.push({
      name: typeof name === 'string' && name.trim() ? name.trim() : where,
      ...(text ? { description: text } : {}),
      data,
      geometry,
    });
  }
  return ok(placemarks);
}

/** Hazard zones from the KML's polygons (placemark names become zone names). */
export function hazardZonesFromKml(text: string, idPrefix = 'kml'): Result<HazardZone[], ConvertError> {
  const placemarks = placemarksFromKml(text);
  if (!placemarks.ok) return placemarks;
  const zones = placemarks.value
    .filter((placemark) => placemark.geometry.type === 'Polygon' || placemark.geometry.type === 'MultiPolygon')
    .map(
      (placemark, index): HazardZone => ({
        id: `${idPrefix}-${index + 1}`,
        name: placemark.name.slice(0, 200),
        geometry: placemark.geometry as AreaGeometry,
        source: 'kml',
      }),
    );
  if (zones.length === 0) return fail(convertError('no polygon in this KML: a hazard zone needs a Polygon'));
  return ok(zones);
}
