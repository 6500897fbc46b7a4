// Reference scenarios: the real geography of past crises (admin areas, border crossings, assembly
// points, shelters, hazard zones, routes) that the planning workspace offers as a starting plan
// and whose areas name the cells of published summaries. Product data, not test data: the
// fixtures build their invented organisations and people on top of these (decision 0806).
// Not exported from the package index, so the API Worker does not bundle the areas.
import { libya2011 } from './reference/libya-2011.ts';
import { sudan2023 } from './reference/sudan-2023.ts';
import { turkiye2023 } from './reference/turkiye-2023.ts';

export type LonLat = [number, number];
export type BoundingBox = [west: number, south: number, east: number, north: number];
export type PolygonCoordinates = LonLat[][];
export type AreaGeometry =
  | { type: 'Polygon'; coordinates: PolygonCoordinates }
  | { type: 'MultiPolygon'; coordinates: PolygonCoordinates[] };

export type BorderCrossing = { id: string; name: string; lon: number; lat: number; from: string; to: string; note?: string };
/** areaId is absent when the point lies outside the scenario's boundaries (e.g. across a border). */
export type AssemblyPoint = { id: string; name: string; lon: number; lat: number; capacity: number; areaId?: string; invented: boolean };
export type Shelter = AssemblyPoint & { kind: 'camp' | 'tent_city' | 'public_building' | 'transit_centre' };

export type HazardZone = {
  type: 'Feature';
  id: string;
  properties: { id: string; name: string; hazard: string; severity: 'extreme' | 'severe' | 'moderate'; note: string };
  geometry: { type: 'Polygon'; coordinates: PolygonCoordinates };
};
export type Route = {
  type: 'Feature';
  id: string;
  properties: { id: string; name: string; mode: 'road' | 'sea' | 'air'; note: string };
  geometry: { type: 'LineString'; coordinates: LonLat[] };
};
export type Boundary = {
  type: 'Feature';
  id: string;
  properties: { id: string; name: string; country: string; level: 1 | 2 };
  geometry: AreaGeometry;
};

export type ReferenceScenario = {
  id: string;
  title: string;
  hazard: 'conflict' | 'earthquake' | 'cyclone';
  /** ISO 3166-1 alpha-2 of the host country. */
  country: string;
  bbox: BoundingBox;
  center: LonLat;
  zoom: number;
  /** The town the response is coordinated from: where a blank plan for this scenario starts. */
  hub: { name: string; lon: number; lat: number };
  borderCrossings: BorderCrossing[];
  assemblyPoints: AssemblyPoint[];
  shelters: Shelter[];
  hazardZones: { type: 'FeatureCollection'; features: HazardZone[] };
  routes: { type: 'FeatureCollection'; features: Route[] };
  /** Simplified admin areas (decision 0202). */
  boundaries: { type: 'FeatureCollection'; features: Boundary[] };
};

const scenarios: readonly ReferenceScenario[] = [libya2011, turkiye2023, sudan2023];

export const referenceScenarios = (): readonly ReferenceScenario[] => scenarios;

/** The reference scenario with this id; throws with the known ids when there is none. */
export function referenceScenario(id: string): ReferenceScenario {
  const scenario = scenarios.find((candidate) => candidate.id === id);
  if (!scenario) throw new Error(`no reference scenario "${id}"; known: ${scenarios.map((candidate) => candidate.id).join(', ')}`);
  return scenario;
}
