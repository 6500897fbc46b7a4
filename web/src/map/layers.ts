// The operations map's sources and layers, shared by the app and the benchmark harness: clusters
// and a heat layer for very many communities, single points when zoomed in, the selected record's
// whereabouts trail, and rings around search results.
//
// The communities are clustered here (clusters.ts, docs/decisions/0408), one zoom level at a time,
// and the `communities` source gets only the clusters of the zoom level shown: all of them when they
// are few, else those around the view, sent again when the view leaves that area or the zoom level
// changes. A filter (any filter: several at once, a date) counts each cluster's matching communities
// in one pass and sets them as feature states on the features sent (a cluster's count of matches;
// hidden when none, or when a single community does not match), which the paint expressions read:
// no tile is rebuilt (decision 0405). The heat layer cannot read feature states, so while it is
// shown a filter sends the features again with the matching people as their weight.
import { headcountRadius, OTHER_STATUS_COLOUR, statusColours } from './colours.ts';
import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  GeoJSONSource,
  LngLatBoundsLike,
  Map as MapLibreMap,
  PointLike,
} from 'maplibre-gl';
import {
  clusterFeatures,
  clusterMaxZoom,
  clusterZoom,
  contains,
  fromFeatureId,
  grow,
  indexPoints,
  matchCounts,
  mercatorX,
  mercatorY,
  wholeWorld,
  type ClusterFeature,
  type MercatorBox,
  type PointIndex,
  type ZoomClusters,
} from './clusters.ts';
import { collection, type CommunityFeature } from './features.ts';
import { isFiltering, matchesFilter, noFilter, type MapFilter } from './filters.ts';

const empty = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/** At most this many clusters go to the map at once; a zoom level with more sends those around the view. */
const sendAll = 5000;
/** The heat layer gives way to the clusters and points above this zoom (a city's streets). */
const heatMaxZoom = 12;
/** Zoom levels whose clusters are kept (for going back and forth between a few). */
const keptZooms = 4;

/** What one map shows of the communities. */
interface Shown {
  index: PointIndex;
  filter: MapFilter;
  /** Which communities match the filter (null: no filter). */
  match: Uint8Array | null;
  matching: number;
  zooms: Map<number, ZoomClusters>;
  /** What the source holds: the clusters of one zoom level, the area covered, the features, and the filter their `people` count under. */
  sent: { clusters: ZoomClusters; box: MercatorBox; features: ClusterFeature[]; filter: MapFilter } | null;
  /** The current filter's counts per cluster, for the clusters they were counted on. */
  counts: { clusters: ZoomClusters; count: Uint32Array; people: Float64Array } | null;
}

const shownOn = new WeakMap<MapLibreMap, Shown>();
const listening = new WeakSet<MapLibreMap>();

const hidden: ExpressionSpecification = ['boolean', ['feature-state', 'hidden'], false];

/** Adds the record sources (empty until showRecords) and layers. */
export function addRecordLayers(map: MapLibreMap) {
  shownOn.delete(map);
  if (!listening.has(map)) {
    listening.add(map);
    // A pan or zoom that leaves what was sent, or crosses into another zoom level, sends the clusters
    // for the new view; checked on every frame of a move (a cheap comparison), so a long drag or an
    // animated zoom shows the right level on the way, not only when it ends.
    const follow = () => void refresh(map, false);
    map.on('move', follow);
    map.on('moveend', follow);
    map.on('resize', follow);
  }
  map.addSource('communities', { type: 'geojson', data: empty() });
  map.addSource('trail', { type: 'geojson', data: empty() });
  map.addSource('highlight', { type: 'geojson', data: empty() });
  map.addSource('pin', { type: 'geojson', data: empty() });
  map.addLayer({
    id: 'heat',
    type: 'heatmap',
    source: 'communities',
    maxzoom: heatMaxZoom,
    layout: { visibility: 'none' },
    paint: heatPaint(),
  });
  map.addLayer({
    id: 'clusters',
    type: 'circle',
    source: 'communities',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#1f3b4d',
      'circle-opacity': ['case', hidden, 0, 0.82],
      'circle-radius': [
        'step',
        ['number', ['coalesce', ['feature-state', 'count'], ['get', 'point_count']]],
        12,
        10,
        16,
        100,
        22,
        1000,
        30,
        10000,
        38,
      ],
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
      'circle-color': statusColourExpression(),
      'circle-opacity': ['case', hidden, 0, 1],
      'circle-radius': ['interpolate', ['linear'], ['get', 'headcount'], ...headcountRadius.flat()],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-opacity': ['case', hidden, 0, 1],
      'circle-stroke-width': 1.5,
    },
  });
  map.addLayer({
    id: 'trail-line',
    type: 'line',
    source: 'trail',
    filter: ['==', ['geometry-type'], 'LineString'],
    paint: { 'line-color': '#b3261e', 'line-width': 3, 'line-dasharray': [2, 1] },
  });
  map.addLayer({
    id: 'trail-points',
    type: 'circle',
    source: 'trail',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-color': ['case', ['get', 'last'], '#b3261e', '#ffffff'],
      'circle-radius': 6,
      'circle-stroke-color': '#b3261e',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'highlight',
    type: 'circle',
    source: 'highlight',
    paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 11, 'circle-stroke-color': '#f2c14e', 'circle-stroke-width': 3 },
  });
  map.addLayer({
    // How far off the pin may be (a GPS fix's accuracy, a tap's fingertip): a circle of that many metres.
    id: 'pin-accuracy',
    type: 'circle',
    source: 'pin',
    paint: {
      'circle-color': '#f2c14e',
      'circle-opacity': 0.15,
      'circle-stroke-color': '#1f3b4d',
      'circle-stroke-width': 1,
      'circle-radius': [
        'interpolate',
        ['exponential', 2],
        ['zoom'],
        0,
        ['get', 'radiusAtZoom0'],
        24,
        ['*', ['get', 'radiusAtZoom0'], 2 ** 24],
      ],
    },
  });
  map.addLayer({
    id: 'pin',
    type: 'circle',
    source: 'pin',
    paint: { 'circle-color': '#f2c14e', 'circle-radius': 9, 'circle-stroke-color': '#1f3b4d', 'circle-stroke-width': 3 },
  });
}

/** A community circle's colour by its status (colours.ts), as a MapLibre expression. */
function statusColourExpression(): DataDrivenPropertyValueSpecification<string> {
  const [first, ...rest] = Object.entries(statusColours);
  if (!first) return OTHER_STATUS_COLOUR;
  return ['match', ['get', 'status'], first[0], first[1], ...rest.flat(), OTHER_STATUS_COLOUR];
}

function heatPaint() {
  return {
    // Each feature's share of the most people any feature sent holds (square root: a town of a
    // quarter of the largest city's people still glows at half its strength).
    'heatmap-weight': ['sqrt', ['number', ['get', 'weight'], 0]] as ExpressionSpecification,
    'heatmap-intensity': 1.2,
    // About the clusters' own radius (45 px): neighbouring clusters blend into one warm area.
    'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 2, 30, 12, 50] as ExpressionSpecification,
    'heatmap-opacity': 0.75,
  };
}

const heatShown = (map: MapLibreMap) => map.getLayer('heat') !== undefined && map.getLayoutProperty('heat', 'visibility') === 'visible';

/** The zoom level whose clusters the map shows now. */
function zoomLevel(map: MapLibreMap): number {
  return Math.max(0, Math.min(clusterMaxZoom + 1, Math.floor(map.getZoom())));
}

/** The view in Web Mercator. */
function viewBox(map: MapLibreMap): MercatorBox {
  const bounds = map.getBounds();
  return [mercatorX(bounds.getWest()), mercatorY(bounds.getNorth()), mercatorX(bounds.getEast()), mercatorY(bounds.getSouth())];
}

function clustersAt(shown: Shown, zoom: number): ZoomClusters {
  let clusters = shown.zooms.get(zoom);
  if (clusters) {
    shown.zooms.delete(zoom);
  } else {
    clusters = clusterZoom(shown.index, zoom);
    if (shown.zooms.size >= keptZooms) shown.zooms.delete(shown.zooms.keys().next().value!);
  }
  shown.zooms.set(zoom, clusters);
  return clusters;
}

/** The current filter's counts for `clusters` (null: no filter). */
function countsAt(shown: Shown, clusters: ZoomClusters) {
  if (!shown.match) return null;
  if (shown.counts?.clusters !== clusters) shown.counts = { clusters, ...matchCounts(shown.index, clusters, shown.match) };
  return shown.counts;
}

/**
 * Sends the clusters for the view when the source does not hold them (or always, with `force`), and
 * sets the filter's states on what it holds. Resolves when MapLibre has the data.
 */
async function refresh(map: MapLibreMap, force: boolean): Promise<void> {
  const shown = shownOn.get(map);
  const source = map.getSource('communities') as GeoJSONSource | undefined;
  if (!shown || !source) return;
  const zoom = zoomLevel(map);
  const view = viewBox(map);
  if (!force && shown.sent && shown.sent.clusters.zoom === zoom && contains(shown.sent.box, view)) return;
  const clusters = clustersAt(shown, zoom);
  const counts = countsAt(shown, clusters);
  const box = clusters.length <= sendAll ? wholeWorld : grow(view, 1);
  const features = clusterFeatures(shown.index, clusters, box, counts);
  weigh(features);
  shown.sent = { clusters, box, features, filter: shown.filter };
  const sent = source.setData(collection(features));
  applyStates(map, shown);
  await sent;
}

/** The heat layer's weight of each feature: its people over the most people of any feature sent. */
function weigh(features: ClusterFeature[]) {
  let most = 0;
  for (const feature of features) most = Math.max(most, Number(feature.properties.people));
  for (const feature of features) feature.properties.weight = most > 0 ? Number(feature.properties.people) / most : 0;
}

/** Each sent feature's state under the filter: its count of matches, hidden when 0. No filter: no states. */
function applyStates(map: MapLibreMap, shown: Shown) {
  map.removeFeatureState({ source: 'communities' });
  if (!shown.match || !shown.sent) return;
  const counts = countsAt(shown, shown.sent.clusters)!;
  for (const feature of shown.sent.features) {
    const id = Number(feature.id);
    const named = fromFeatureId(shown.index, id);
    const count = 'cluster' in named ? counts.count[named.cluster]! : shown.match[named.community]!;
    map.setFeatureState({ source: 'communities', id }, { count, hidden: count === 0 });
  }
}

function matchesOf(all: readonly CommunityFeature[], filter: MapFilter): { match: Uint8Array | null; matching: number } {
  if (!isFiltering(filter)) return { match: null, matching: all.length };
  const match = new Uint8Array(all.length);
  let matching = 0;
  for (let i = 0; i < all.length; i++) if (matchesFilter(all[i]!.properties, filter)) (match[i] = 1), matching++;
  return { match, matching };
}

/**
 * Shows `all` (features with ids 1..n, features.ts) under `filter` on a map with the record layers
 * (MapView, and the benchmark that times it). A new list is indexed and clustered for the view; a
 * new filter on the same list only changes the states of what is sent (and, while the heat layer is
 * shown, its weights). Returns how many communities match.
 */
export async function showRecords(map: MapLibreMap, all: readonly CommunityFeature[], filter: MapFilter = noFilter): Promise<number> {
  let shown = shownOn.get(map);
  if (!shown || shown.index.features !== all) {
    shown = { index: indexPoints(all), filter, ...matchesOf(all, filter), zooms: new Map(), sent: null, counts: null };
    shownOn.set(map, shown);
    await refresh(map, true);
    return shown.matching;
  }
  if (sameFilter(shown.filter, filter)) return shown.matching;
  Object.assign(shown, { filter, counts: null }, matchesOf(all, filter));
  if (heatShown(map)) await refresh(map, true);
  else applyStates(map, shown);
  return shown.matching;
}

function sameFilter(a: MapFilter, b: MapFilter): boolean {
  return a.nationality === b.nationality && a.need === b.need && a.status === b.status && a.since === b.since;
}

/**
 * The communities' clusters and points MapLibre drew on `layers` (at `point`, or in the whole view):
 * under a filter, what does not match is still in the tiles, fully transparent, and not counted.
 */
export function drawnFeatures(map: MapLibreMap, layers: string[], point?: PointLike) {
  const rendered = point ? map.queryRenderedFeatures(point, { layers }) : map.queryRenderedFeatures({ layers });
  return rendered.filter((feature) => !feature.state?.hidden);
}

/** What a tap at `point` lands on: a cluster (the extent of its communities), a single community, or neither. */
export type Tapped = { cluster: LngLatBoundsLike } | { community: CommunityFeature } | null;

export function tapped(map: MapLibreMap, point: PointLike): Tapped {
  const shown = shownOn.get(map);
  const hit = drawnFeatures(map, ['community-points', 'clusters'], point)[0];
  if (!hit || !shown) return null;
  if (hit.properties.cluster) {
    const { west, south, east, north } = hit.properties as Record<string, number>;
    return {
      cluster: [
        [west!, south!],
        [east!, north!],
      ],
    };
  }
  const named = fromFeatureId(shown.index, Number(hit.id));
  const community = 'community' in named ? shown.index.features[named.community] : undefined;
  return community ? { community } : null;
}

/** Opens a tapped cluster: the map zooms to the area of its communities. */
export function openCluster(map: MapLibreMap, extent: LngLatBoundsLike, duration = 400) {
  map.fitBounds(extent, { padding: 60, maxZoom: clusterMaxZoom + 1, duration });
}

export function setHeat(map: MapLibreMap, on: boolean) {
  map.setLayoutProperty('heat', 'visibility', on ? 'visible' : 'none');
  map.setLayoutProperty('clusters', 'visibility', on ? 'none' : 'visible');
  // The weights sent are the people of the filter they were sent under.
  const shown = shownOn.get(map);
  if (on && shown?.sent && !sameFilter(shown.sent.filter, shown.filter)) void refresh(map, true);
}
