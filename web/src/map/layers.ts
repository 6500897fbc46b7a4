// The operations map's sources and layers, shared by the app and the benchmark harness: clusters
// and a heat layer for very many communities, single points when zoomed in, the selected record's
// whereabouts trail, and rings around search results.
//
// Filtering 100,000 communities without re-clustering them: every cluster also carries, through
// MapLibre's clusterProperties, how many of its communities have each nationality, each need and
// each status. A filter on one of these sets a feature state on the clusters and points of the
// loaded tiles (a cluster's count of matching communities; hidden when none, or when a point does
// not match), which the paint expressions read: the tiles stay as they are, only their paint values
// change (a change of layer filter or data-driven paint would rebuild every tile). Any other filter
// (two at once, a date) sends the matching features again with setData (docs/decisions/0403, 0405).
import type { ExpressionSpecification, Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';
import { needs, statuses } from '../model/records.ts';
import { collection, type CommunityFeature } from './features.ts';
import { isFiltering, type MapFilter } from './filters.ts';

const empty = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/** The count property a cluster carries for a one-dimension filter, or null when the filter is not one. */
export function countPropertyFor(filter: MapFilter): string | null {
  if (filter.since) return null;
  const set = [filter.nationality && `nationality_${filter.nationality}`, filter.need && `need_${filter.need}`, filter.status && `status_${filter.status}`].filter(Boolean) as string[];
  return set.length === 1 ? set[0]! : null;
}

/** A 0/1 expression over a single community's properties: does it match? */
function matchExpression(property: string): ExpressionSpecification {
  const [dimension, value] = [property.slice(0, property.indexOf('_')), property.slice(property.indexOf('_') + 1)];
  if (dimension === 'nationality') return ['in', `|${value}|`, ['get', 'nationalities']];
  if (dimension === 'need') return ['==', ['%', ['floor', ['/', ['get', 'needs'], 2 ** needs.indexOf(value as never)]], 2], 1];
  return ['==', ['get', 'status'], value];
}

/** Count properties for the nationalities present, every need and every status. */
export function clusterCounts(nationalities: readonly string[]): Record<string, [ExpressionSpecification | string, ExpressionSpecification]> {
  const properties: Record<string, [ExpressionSpecification | string, ExpressionSpecification]> = { people: ['+', ['get', 'headcount']] };
  const names = [...nationalities.map((code) => `nationality_${code}`), ...needs.map((need) => `need_${need}`), ...statuses.map((status) => `status_${status}`)];
  for (const name of names) properties[name] = ['+', ['case', matchExpression(name), 1, 0]];
  return properties;
}

/** The most common nationalities (at most `limit`): the ones the clusters count. */
export function nationalitiesOf(features: readonly CommunityFeature[], limit = 8): string[] {
  const counts = new Map<string, number>();
  for (const feature of features) for (const code of feature.properties.nationalities.split('|')) if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([code]) => code)
    .sort();
}

/** Whether a single community's properties match a count property (the JavaScript twin of matchExpression). */
export function matchesProperty(properties: Record<string, unknown>, property: string): boolean {
  const [dimension, value] = [property.slice(0, property.indexOf('_')), property.slice(property.indexOf('_') + 1)];
  if (dimension === 'nationality') return String(properties['nationalities'] ?? '').includes(`|${value}|`);
  if (dimension === 'need') return Math.floor(Number(properties['needs'] ?? 0) / 2 ** needs.indexOf(value as never)) % 2 === 1;
  return properties['status'] === value;
}

/** The count property whose feature states are on each map now (null: none). */
const stateProperty = new WeakMap<MapLibreMap, string | null>();
const listening = new WeakSet<MapLibreMap>();

/** Sets every loaded cluster's and point's state for `property`: its count of matches, hidden when 0. */
function applyFeatureStates(map: MapLibreMap, property: string) {
  for (const feature of map.querySourceFeatures('communities')) {
    if (feature.id === undefined) continue;
    const properties = feature.properties as Record<string, unknown>;
    const count = properties['point_count'] !== undefined ? Number(properties[property] ?? 0) : matchesProperty(properties, property) ? 1 : 0;
    map.setFeatureState({ source: 'communities', id: feature.id }, { count, hidden: count === 0 });
  }
}

const hidden: ExpressionSpecification = ['boolean', ['feature-state', 'hidden'], false];

export function addRecordLayers(map: MapLibreMap, features: CommunityFeature[], nationalities: readonly string[] = nationalitiesOf(features)) {
  stateProperty.set(map, null);
  if (!listening.has(map)) {
    listening.add(map);
    // Tiles loaded later (a pan, a zoom, new data) get the current filter's states as they arrive.
    map.on('sourcedata', (event) => {
      const property = stateProperty.get(map);
      if (property && event.sourceId === 'communities' && event.tile) applyFeatureStates(map, property);
    });
  }
  map.addSource('communities', {
    type: 'geojson',
    data: collection(features),
    cluster: true,
    clusterRadius: 45,
    clusterMaxZoom: 11,
    clusterProperties: clusterCounts(nationalities),
  });
  map.addSource('trail', { type: 'geojson', data: empty() });
  map.addSource('highlight', { type: 'geojson', data: empty() });
  map.addSource('pin', { type: 'geojson', data: empty() });
  map.addLayer({ id: 'heat', type: 'heatmap', source: 'communities', maxzoom: 11, layout: { visibility: 'none' }, paint: heatPaint(null) });
  map.addLayer({
    id: 'clusters',
    type: 'circle',
    source: 'communities',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#1f3b4d',
      'circle-opacity': ['case', hidden, 0, 0.82],
      'circle-radius': ['step', ['number', ['coalesce', ['feature-state', 'count'], ['get', 'point_count']]], 12, 10, 16, 100, 22, 1000, 30, 10000, 38],
      'circle-stroke-color': '#f2c14e',
      'circle-stroke-opacity': ['case', hidden, 0, 1],
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'community-points',
    type: 'circle',
    source: 'communities',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': ['match', ['get', 'status'], 'missing', '#b3261e', 'stranded', '#d9822b', 'safe', '#2e7d32', 'evacuated', '#5c6bc0', '#1f6f8b'],
      'circle-opacity': ['case', hidden, 0, 1],
      'circle-radius': ['interpolate', ['linear'], ['get', 'headcount'], 1, 5, 100, 9, 1000, 14],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-opacity': ['case', hidden, 0, 1],
      'circle-stroke-width': 1.5,
    },
  });
  map.addLayer({ id: 'trail-line', type: 'line', source: 'trail', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#b3261e', 'line-width': 3, 'line-dasharray': [2, 1] } });
  map.addLayer({
    id: 'trail-points',
    type: 'circle',
    source: 'trail',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-color': ['case', ['get', 'last'], '#b3261e', '#ffffff'], 'circle-radius': 6, 'circle-stroke-color': '#b3261e', 'circle-stroke-width': 2 },
  });
  map.addLayer({ id: 'highlight', type: 'circle', source: 'highlight', paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 11, 'circle-stroke-color': '#f2c14e', 'circle-stroke-width': 3 } });
  map.addLayer({ id: 'pin', type: 'circle', source: 'pin', paint: { 'circle-color': '#f2c14e', 'circle-radius': 9, 'circle-stroke-color': '#1f3b4d', 'circle-stroke-width': 3 } });
}

function heatPaint(property: string | null) {
  const weight: ExpressionSpecification = property
    ? ['interpolate', ['linear'], ['case', ['has', 'point_count'], ['get', property], ['case', matchExpression(property), 1, 0]], 0, 0, 1, 0.3, 200, 1]
    : ['interpolate', ['linear'], ['coalesce', ['get', 'people'], ['get', 'headcount']], 0, 0, 50, 0.4, 2000, 1];
  return {
    'heatmap-weight': weight,
    'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 10, 2] as ExpressionSpecification,
    'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 2, 12, 10, 30] as ExpressionSpecification,
    'heatmap-opacity': 0.75,
  };
}

/**
 * Shows the communities under a one-dimension filter (or none): feature states for the clusters and
 * points, and the heat layer's weights when it is shown (a heatmap cannot read feature states).
 */
function styleFor(map: MapLibreMap, property: string | null) {
  stateProperty.set(map, property);
  if (property) applyFeatureStates(map, property);
  else map.removeFeatureState({ source: 'communities' });
  if (map.getLayoutProperty('heat', 'visibility') === 'visible') map.setPaintProperty('heat', 'heatmap-weight', heatPaint(property)['heatmap-weight']);
}

export interface ShownData {
  /** The features the source holds now (all of them, or a filtered copy). */
  features: readonly CommunityFeature[] | null;
  property: string | null;
  /** Nationalities the clusters count (fixed when the source is made). */
  counted: readonly string[];
}

const recordLayers = ['heat', 'clusters', 'community-points', 'trail-line', 'trail-points', 'highlight', 'pin'];
const recordSources = ['communities', 'trail', 'highlight', 'pin'];

/** Makes the record layers again, for a new set of nationalities to count. */
export function rebuildRecordLayers(map: MapLibreMap, features: CommunityFeature[], nationalities: readonly string[]) {
  for (const layer of recordLayers) if (map.getLayer(layer)) map.removeLayer(layer);
  for (const source of recordSources) if (map.getSource(source)) map.removeSource(source);
  addRecordLayers(map, features, nationalities);
}

/**
 * Shows `all` under `filter`: by layer expressions when the clusters carry the count (one
 * nationality, need or status), else by sending the filtered features. Returns what is shown now.
 */
export async function showFiltered(map: MapLibreMap, all: readonly CommunityFeature[], filter: MapFilter, filtered: () => CommunityFeature[], shown: ShownData): Promise<ShownData> {
  const source = map.getSource('communities') as GeoJSONSource;
  const property = isFiltering(filter) ? countPropertyFor(filter) : null;
  const counted = !property?.startsWith('nationality_') || shown.counted.includes(property.slice('nationality_'.length));
  if (!isFiltering(filter) || (property && counted)) {
    if (shown.features !== all) await source.setData(collection(all as CommunityFeature[]));
    if (shown.property !== property) styleFor(map, property);
    return { ...shown, features: all, property };
  }
  const subset = filtered();
  if (shown.property !== null) styleFor(map, null);
  await source.setData(collection(subset));
  return { ...shown, features: subset, property: null };
}

export function setHeat(map: MapLibreMap, on: boolean) {
  if (on) map.setPaintProperty('heat', 'heatmap-weight', heatPaint(stateProperty.get(map) ?? null)['heatmap-weight']);
  map.setLayoutProperty('heat', 'visibility', on ? 'visible' : 'none');
  map.setLayoutProperty('clusters', 'visibility', on ? 'none' : 'visible');
}
