// GeoJSON (RFC 7946) export of a plan, import of hazard zones, and a validator that lists problems.
// Export rules: one FeatureCollection, [longitude, latitude] order, exterior rings counterclockwise
// and holes clockwise (the right-hand rule, RFC 7946 section 3.1.6), no "crs" member, positions
// rounded to 6 decimals (about 10 cm, RFC 7946 section 11.2).
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { roundTo, signedArea } from './geo.ts';
import type { AreaGeometry, HazardZone, Plan } from './model.ts';
import { areaGeometry } from './model.ts';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';

export const COORDINATE_DECIMALS = 6;

export type PlanLayer = 'plan_area' | 'hazard_zone' | 'assembly_point' | 'shelter' | 'route' | 'border_crossing';

function roundPosition(position: Position): Position {
  return position.map((value) => roundTo(value, COORDINATE_DECIMALS));
}

/** Exterior counterclockwise, holes clockwise; positions rounded. */
function rewindRings(rings: Position[][]): Position[][] {
  return rings.map((ring, index) => {
    const rounded = ring.map(roundPosition);
    const counterclockwise = signedArea(rounded) > 0;
    const wantCounterclockwise = index === 0;
    return counterclockwise === wantCounterclockwise ? rounded : [...rounded].reverse();
  });
}

/** A geometry ready for RFC 7946 output: rounded, rings wound by the right-hand rule. */
export function normaliseGeometry<G extends Geometry>(geometry: G): G {
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: roundPosition(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(roundPosition) };
    case 'MultiLineString':
      return { ...geometry, coordinates: geometry.coordinates.map((line) => line.map(roundPosition)) };
    case 'Polygon':
      return { ...geometry, coordinates: rewindRings(geometry.coordinates) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map(rewindRings) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map(normaliseGeometry) };
  }
}

function feature(layer: PlanLayer, id: string, geometry: Geometry, properties: Record<string, unknown>): Feature {
  const clean = Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
  return { type: 'Feature', id: `${layer}:${id}`, geometry: normaliseGeometry(geometry), properties: { layer, id, ...clean } };
}

/** Every mapped layer of the plan as features, each with `layer`, `id`, `name` and its own fields. */
export function planFeatures(plan: Plan): Feature[] {
  return [
    feature('plan_area', plan.id, plan.area, {
      name: plan.title,
      scenario: plan.scenario,
      status: plan.status,
      reviewDate: plan.reviewDate,
    }),
    ...plan.hazardZones.map((zone) =>
      feature('hazard_zone', zone.id, zone.geometry, {
        name: zone.name,
        source: zone.source,
        alertLevel: zone.alertLevel,
        capStatus: zone.cap?.status,
        capEvent: zone.cap?.event,
        capExpires: zone.cap?.expires,
      }),
    ),
    ...plan.assemblyPoints.map((point) =>
      feature(
        'assembly_point',
        point.id,
        { type: 'Point', coordinates: [point.lon, point.lat] },
        { name: point.name, capacity: point.capacity },
      ),
    ),
    ...plan.shelters.map((shelter) =>
      feature(
        'shelter',
        shelter.id,
        { type: 'Point', coordinates: [shelter.lon, shelter.lat] },
        { name: shelter.name, capacity: shelter.capacity },
      ),
    ),
    ...plan.routes.map((route) =>
      feature('route', route.id, route.geometry, { name: route.name, mode: route.mode, capacity: route.capacity }),
    ),
    ...plan.borderCrossings.map((crossing) =>
      feature(
        'border_crossing',
        crossing.id,
        { type: 'Point', coordinates: [crossing.lon, crossing.lat] },
        { name: crossing.name, countries: crossing.countries.join('-'), open: crossing.open },
      ),
    ),
  ];
}

export function planToFeatureCollection(plan: Plan): FeatureCollection {
  return { type: 'FeatureCollection', features: planFeatures(plan) };
}

/** The plan's map layers as RFC 7946 GeoJSON text. */
export function planToGeoJson(plan: Plan): string {
  return JSON.stringify(planToFeatureCollection(plan));
}

/** Hazard zones from GeoJSON text: every Polygon or MultiPolygon feature (name from properties.name). */
export function hazardZonesFromGeoJson(text: string, idPrefix = 'geojson'): Result<HazardZone[], ConvertError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(convertError(`this is not JSON (${(error as Error).message}): export the zone as GeoJSON and try again`));
  }
  const problems = validateRfc7946(parsed).filter((problem) => problem.severity === 'error');
  if (problems.length > 0) return fail(convertError(`this GeoJSON has problems: ${problems[0]!.message}`, problems[0]!.path));
  const object = parsed as { type: string; features?: Feature[]; geometry?: Geometry };
  const features: Feature[] =
    object.type === 'FeatureCollection'
      ? object.features!
      : object.type === 'Feature'
        ? [object as Feature]
        : [{ type: 'Feature', properties: {}, geometry: object as Geometry }];
  const zones: HazardZone[] = [];
  features.forEach((item, index) => {
    const geometry = item.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return;
    const checked = areaGeometry.safeParse(geometry);
    if (!checked.success) return;
    const name =
      typeof item.properties?.name === 'string' && item.properties.name.trim()
        ? item.properties.name.trim().slice(0, 200)
        : `Zone ${index + 1}`;
    zones.push({ id: `${idPrefix}-${index + 1}`, name, geometry: normaliseGeometry(checked.data as AreaGeometry), source: 'geojson' });
  });
  if (zones.length === 0) return fail(convertError('no polygon in this GeoJSON: a hazard zone needs a Polygon or MultiPolygon'));
  return ok(zones);
}

export interface GeoJsonProblem {
  /** JSON path of the offending member, e.g. "features[3].geometry.coordinates[0]". */
  path: string;
  message: string;
  /** "error": breaks RFC 7946; "warning": allowed but not recommended (e.g. more than 6 decimals). */
  severity: 'error' | 'warning';
}

const geometryTypes = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems with a GeoJSON value against RFC 7946; empty when it conforms. */
export function validateRfc7946(value: unknown): GeoJsonProblem[] {
  const problems: GeoJsonProblem[] = [];
  const error = (path: string, message: string) => problems.push({ path, message, severity: 'error' });
  const warning = (path: string, message: string) => problems.push({ path, message, severity: 'warning' });

  const checkPosition = (position: unknown, path: string): boolean => {
    if (
      !Array.isArray(position) ||
      position.length < 2 ||
      position.length > 3 ||
      !position.every((n) => typeof n === 'number' && Number.isFinite(n))
    ) {
      error(path, 'a position is an array of 2 or 3 numbers: [longitude, latitude] or [longitude, latitude, altitude]');
      return false;
    }
    const [longitude, latitude] = position as number[];
    if (Math.abs(longitude!) > 180) error(path, `longitude ${longitude} is outside -180..180 (are longitude and latitude swapped?)`);
    if (Math.abs(latitude!) > 90) error(path, `latitude ${latitude} is outside -90..90 (are longitude and latitude swapped?)`);
    if ((position as number[]).some((n) => roundTo(n, COORDINATE_DECIMALS) !== n))
      warning(path, 'more than 6 decimals: RFC 7946 recommends 6 (about 10 cm)');
    return true;
  };
  const checkPositions = (positions: unknown, path: string, minimum: number): positions is number[][] => {
    if (!Array.isArray(positions)) {
      error(path, 'expected an array of positions');
      return false;
    }
    const valid = positions.map((position, index) => checkPosition(position, `${path}[${index}]`)).every(Boolean);
    if (positions.length < minimum) {
      error(path, `expected at least ${minimum} positions, found ${positions.length}`);
      return false;
    }
    return valid;
  };
  const checkRings = (rings: unknown, path: string) => {
    if (!Array.isArray(rings) || rings.length === 0) return error(path, 'a polygon is a non-empty array of linear rings');
    rings.forEach((ring, index) => {
      const ringPath = `${path}[${index}]`;
      if (!checkPositions(ring, ringPath, 4)) return;
      const first = ring[0]!;
      const last = ring.at(-1)!;
      if (first[0] !== last[0] || first[1] !== last[1]) error(ringPath, 'a linear ring must end at the position it starts from');
      const area = signedArea(ring);
      if (index === 0 && area < 0) error(ringPath, 'the exterior ring must be counterclockwise (right-hand rule)');
      if (index > 0 && area > 0) error(ringPath, 'a hole must be clockwise (right-hand rule)');
    });
  };
  const checkBbox = (object: Record<string, unknown>, path: string) => {
    if (!('bbox' in object)) return;
    const bbox = object.bbox;
    if (!Array.isArray(bbox) || (bbox.length !== 4 && bbox.length !== 6) || !bbox.every((n) => typeof n === 'number'))
      error(`${path}.bbox`, 'bbox must be 4 (or 6) numbers');
  };
  const checkGeometry = (geometry: unknown, path: string) => {
    if (!isObject(geometry) || typeof geometry.type !== 'string' || !geometryTypes.includes(geometry.type)) {
      return error(path, `expected a geometry, one of ${geometryTypes.join(', ')}`);
    }
    if ('crs' in geometry) error(`${path}.crs`, 'RFC 7946 removed "crs": coordinates are always WGS 84 longitude, latitude');
    checkBbox(geometry, path);
    const coordinates = geometry.coordinates;
    const at = `${path}.coordinates`;
    switch (geometry.type) {
      case 'Point':
        checkPosition(coordinates, at);
        break;
      case 'MultiPoint':
        checkPositions(coordinates, at, 0);
        break;
      case 'LineString':
        checkPositions(coordinates, at, 2);
        break;
      case 'MultiLineString':
        if (!Array.isArray(coordinates)) error(at, 'expected an array of lines');
        else coordinates.forEach((line, index) => checkPositions(line, `${at}[${index}]`, 2));
        break;
      case 'Polygon':
        checkRings(coordinates, at);
        break;
      case 'MultiPolygon':
        if (!Array.isArray(coordinates)) error(at, 'expected an array of polygons');
        else coordinates.forEach((polygon, index) => checkRings(polygon, `${at}[${index}]`));
        break;
      case 'GeometryCollection':
        if (!Array.isArray(geometry.geometries)) error(`${path}.geometries`, 'expected an array of geometries');
        else geometry.geometries.forEach((inner, index) => checkGeometry(inner, `${path}.geometries[${index}]`));
        break;
    }
  };
  const checkFeature = (item: unknown, path: string) => {
    if (!isObject(item) || item.type !== 'Feature') return error(path, 'expected a Feature');
    if (!('geometry' in item)) error(`${path}.geometry`, 'a Feature needs a "geometry" member (null is allowed)');
    else if (item.geometry !== null) checkGeometry(item.geometry, `${path}.geometry`);
    if (!('properties' in item)) error(`${path}.properties`, 'a Feature needs a "properties" member (null is allowed)');
    else if (item.properties !== null && !isObject(item.properties)) error(`${path}.properties`, 'properties must be an object or null');
    if ('id' in item && typeof item.id !== 'string' && typeof item.id !== 'number')
      error(`${path}.id`, 'a Feature id is a string or a number');
    if ('crs' in item) error(`${path}.crs`, 'RFC 7946 removed "crs"');
    checkBbox(item, path);
  };

  if (!isObject(value) || typeof value.type !== 'string') {
    error('', 'expected a GeoJSON object with a "type"');
    return problems;
  }
  if (value.type === 'FeatureCollection') {
    if ('crs' in value) error('crs', 'RFC 7946 removed "crs": coordinates are always WGS 84 longitude, latitude');
    checkBbox(value, '');
    if (!Array.isArray(value.features)) error('features', 'a FeatureCollection needs a "features" array');
    else value.features.forEach((item, index) => checkFeature(item, `features[${index}]`));
  } else if (value.type === 'Feature') checkFeature(value, '');
  else checkGeometry(value, '');
  return problems;
}
