// A plan's layers as GeoJSON for the map: plain functions, one FeatureCollection per layer.
import { isRealWarning, type CommunityPoint, type Plan } from '#plans';

export type MapLayerName =
  | 'area'
  | 'summary'
  | 'hazardZones'
  | 'routes'
  | 'population'
  | 'assignment'
  | 'shelters'
  | 'assemblyPoints'
  | 'borderCrossings'
  | 'changes';

export const mapLayerNames: MapLayerName[] = [
  'area',
  'hazardZones',
  'assemblyPoints',
  'shelters',
  'routes',
  'borderCrossings',
  'population',
  'assignment',
  'summary',
  'changes',
];

const collection = (features: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features });
const point = (lon: number, lat: number, properties: GeoJSON.GeoJsonProperties): GeoJSON.Feature => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [lon, lat] },
});

export function planLayerFeatures(
  plan: Plan | null,
  overflowing: ReadonlySet<string>,
): Record<'area' | 'hazardZones' | 'routes' | 'shelters' | 'assemblyPoints' | 'borderCrossings', GeoJSON.FeatureCollection> {
  return {
    area: collection(plan ? [{ type: 'Feature', properties: {}, geometry: plan.area }] : []),
    // A zone from a CAP exercise, test, system message or draft is drawn grey whatever level it was given: never as a warning.
    hazardZones: collection(
      (plan?.hazardZones ?? []).map((zone) => ({
        type: 'Feature',
        properties: { id: zone.id, alertLevel: zone.cap && !isRealWarning(zone.cap) ? 'not-real' : (zone.alertLevel ?? 'red') },
        geometry: zone.geometry,
      })),
    ),
    routes: collection(
      (plan?.routes ?? []).map((route) => ({ type: 'Feature', properties: { id: route.id, mode: route.mode }, geometry: route.geometry })),
    ),
    shelters: collection(
      (plan?.shelters ?? []).map((shelter) => point(shelter.lon, shelter.lat, { id: shelter.id, capacity: shelter.capacity })),
    ),
    assemblyPoints: collection(
      (plan?.assemblyPoints ?? []).map((item) =>
        point(item.lon, item.lat, { id: item.id, capacity: item.capacity, overflowing: overflowing.has(item.id) }),
      ),
    ),
    borderCrossings: collection(
      (plan?.borderCrossings ?? []).map((crossing) => point(crossing.lon, crossing.lat, { id: crossing.id, open: crossing.open })),
    ),
  };
}

export function populationFeatures(communities: readonly CommunityPoint[]): GeoJSON.FeatureCollection {
  return collection(
    communities.map((community) => point(community.lon, community.lat, { id: community.id, headcount: community.headcount })),
  );
}
