// Plan layers back from GeoJSON or KML: features carrying a `layer` property (as this library
// exports them, or as another tool can be told to write them) become hazard zones, assembly
// points, shelters, routes and border crossings, each checked against the plan schema.
import type { Feature, FeatureCollection } from 'geojson';
import type { PlanLayer } from './geojson.ts';
import { validateRfc7946 } from './geojson.ts';
import { placemarksFromKml } from './kml.ts';
import { assemblyPoint, borderCrossing, evacuationRoute, hazardZone, type Plan, shelter } from './model.ts';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';

export type PlanLayers = Pick<Plan, 'hazardZones' | 'assemblyPoints' | 'shelters' | 'routes' | 'borderCrossings'>;

export interface LayerImport {
  layers: PlanLayers;
  /** Features that were not imported, with the reason (index in the input order). */
  skipped: { index: number; reason: string }[];
}

const number = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));
const boolean = (value: unknown) => value === true || value === 'true';
const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

function layersFromFeatures(features: Feature[]): LayerImport {
  const layers: PlanLayers = { hazardZones: [], assemblyPoints: [], shelters: [], routes: [], borderCrossings: [] };
  const skipped: LayerImport['skipped'] = [];
  features.forEach((item, index) => {
    const properties = (item.properties ?? {}) as Record<string, unknown>;
    const layer = properties.layer as PlanLayer | undefined;
    const id = text(properties.id) ?? `${layer ?? 'feature'}-${index + 1}`;
    const name = text(properties.name) ?? id;
    const geometry = item.geometry;
    const point = geometry?.type === 'Point' ? { lon: geometry.coordinates[0], lat: geometry.coordinates[1] } : {};
    const drop = (undefinedValues: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(undefinedValues).filter(([, value]) => value !== undefined));
    let parsed: { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } };
    switch (layer) {
      case 'hazard_zone':
        parsed = hazardZone.safeParse(
          drop({ id, name, geometry, source: text(properties.source) ?? 'geojson', alertLevel: text(properties.alertLevel) }),
        );
        if (parsed.success) layers.hazardZones.push(parsed.data as PlanLayers['hazardZones'][number]);
        break;
      case 'assembly_point':
        parsed = assemblyPoint.safeParse(drop({ id, name, ...point, capacity: number(properties.capacity) }));
        if (parsed.success) layers.assemblyPoints.push(parsed.data as PlanLayers['assemblyPoints'][number]);
        break;
      case 'shelter':
        parsed = shelter.safeParse(drop({ id, name, ...point, capacity: number(properties.capacity) }));
        if (parsed.success) layers.shelters.push(parsed.data as PlanLayers['shelters'][number]);
        break;
      case 'route':
        parsed = evacuationRoute.safeParse(
          drop({ id, name, geometry, mode: text(properties.mode) ?? 'road', capacity: number(properties.capacity) }),
        );
        if (parsed.success) layers.routes.push(parsed.data as PlanLayers['routes'][number]);
        break;
      case 'border_crossing':
        parsed = borderCrossing.safeParse(
          drop({ id, name, ...point, countries: text(properties.countries)?.split('-'), open: boolean(properties.open) }),
        );
        if (parsed.success) layers.borderCrossings.push(parsed.data as PlanLayers['borderCrossings'][number]);
        break;
      case 'plan_area':
        skipped.push({ index, reason: 'the plan area is not a layer item: it is kept on the plan itself' });
        return;
      default:
        skipped.push({
          index,
          reason: `no known "layer" property (${String(layer)}): expected hazard_zone, assembly_point, shelter, route or border_crossing`,
        });
        return;
    }
    if (!parsed.success) {
      const issue = parsed.error!.issues[0]!;
      skipped.push({ index, reason: `${issue.path.join('.') || 'feature'}: ${issue.message}` });
    }
  });
  return { layers, skipped };
}

export function planLayersFromGeoJson(textValue: string): Result<LayerImport, ConvertError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(textValue);
  } catch (error) {
    return fail(convertError(`this is not JSON (${(error as Error).message})`));
  }
  const problems = validateRfc7946(parsed).filter((problem) => problem.severity === 'error');
  if (problems.length > 0) return fail(convertError(`this GeoJSON has problems: ${problems[0]!.message}`, problems[0]!.path));
  if ((parsed as { type: string }).type !== 'FeatureCollection') return fail(convertError('expected a FeatureCollection of plan layers'));
  return ok(layersFromFeatures((parsed as FeatureCollection).features));
}

export function planLayersFromKml(textValue: string): Result<LayerImport, ConvertError> {
  const placemarks = placemarksFromKml(textValue);
  if (!placemarks.ok) return placemarks;
  return ok(
    layersFromFeatures(
      placemarks.value.map(
        (placemark): Feature => ({
          type: 'Feature',
          geometry: placemark.geometry,
          properties: { ...placemark.data, name: placemark.name },
        }),
      ),
    ),
  );
}
