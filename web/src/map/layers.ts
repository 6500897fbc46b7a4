// The operations map's sources and layers, shared by the app and the benchmark harness: clusters
// and a heat layer for very many communities, single points when zoomed in, the selected record's
// whereabouts trail, and rings around search results.
//
// Filtering 100,000 communities without re-clustering them: every cluster also carries, through
// MapLibre's clusterProperties, how many of its communities have each counted nationality, each
// need and each status. A filter on one of these sets a feature state on the clusters and points of
// the loaded tiles (a cluster's count of matching communities; hidden when none, or when a point
// does not match), which the paint expressions read: the tiles stay as they are, only their paint
// values change (a change of layer filter or data-driven paint would rebuild every tile). Any other
// filter (two at once, a date) sends the matching features again with setData (docs/decisions/0403,
// 0405).
//
// The counts are packed (docs/decisions/0407): each community sent to MapLibre carries a few numbers
// in which every count has its own run of bits (a 0/1 per nationality, need and status), so the
// clusterer sums 7 numbers per merge instead of evaluating 21 expressions, and the worker receives a
// slim copy of each community (no record id, no date) instead of the app's full properties.
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

/** How the counts are packed: which names are counted, and how many bits each count has. */
export interface CountLayout {
  /** Nationalities the clusters count (the most common ones when the source was made). */
  nationalities: readonly string[];
  /** Every counted name (`nationality_NP`, `need_water`, `status_stranded`), in slot order. */
  names: readonly string[];
  /** Bits per count: enough for every community in one cluster. */
  bits: number;
  /** Counts per packed number: bits x perPack <= 53, so every sum stays an exact integer in a double. */
  perPack: number;
}

/** The layout for these nationalities and up to `size` communities. */
export function countLayout(nationalities: readonly string[], size: number): CountLayout {
  const bits = Math.max(1, Math.ceil(Math.log2(size + 1)));
  if (bits > 26) throw new Error(`too many communities for the map's packed counts: ${size}`);
  const names = [...nationalities.map((code) => `nationality_${code}`), ...needs.map((need) => `need_${need}`), ...statuses.map((status) => `status_${status}`)];
  return { nationalities: [...nationalities], names, bits, perPack: Math.floor(53 / bits) };
}

/** Two layouts are the same source if they count the same names with the same bits. */
export function sameLayout(a: CountLayout | null, b: CountLayout | null): boolean {
  return Boolean(a && b && a.bits === b.bits && a.names.join() === b.names.join());
}

/** Where `name`'s count sits: the packed property and the scale of its run of bits (null: not counted). */
function slotOf(layout: CountLayout, name: string): { key: string; scale: number } | null {
  const index = layout.names.indexOf(name);
  if (index < 0) return null;
  const compiled = compile(layout);
  const slot = compiled.slots[index]!;
  return { key: compiled.keys[slot.pack]!, scale: slot.scale };
}

function unpack(properties: Record<string, unknown>, layout: CountLayout, slot: { key: string; scale: number }): number {
  return Math.floor(Number(properties[slot.key] ?? 0) / slot.scale) % 2 ** layout.bits;
}

/** A cluster's count of communities matching `name` (a point: 1 when it matches, else 0), from its packed properties. */
export function countIn(properties: Record<string, unknown>, layout: CountLayout, name: string): number {
  const slot = slotOf(layout, name);
  return slot ? unpack(properties, layout, slot) : 0;
}

/** The same, as a MapLibre expression (the heat layer's weight under a filter). */
function countExpression(layout: CountLayout, name: string): ExpressionSpecification {
  const slot = slotOf(layout, name);
  if (!slot) return ['literal', 0] as unknown as ExpressionSpecification;
  return ['%', ['floor', ['/', ['number', ['get', slot.key], 0], slot.scale]], 2 ** layout.bits];
}

/** The cluster properties: people, and one sum per packed number. */
export function clusterCounts(layout: CountLayout): Record<string, [string, ExpressionSpecification]> {
  const properties: Record<string, [string, ExpressionSpecification]> = { people: ['+', ['get', 'headcount']] };
  for (const key of compile(layout).keys) properties[key] = ['+', ['get', key]];
  return properties;
}

/** What MapLibre gets for one community: its numeric id, headcount, status and packed 0/1 counts. */
export type MapFeature = GeoJSON.Feature<GeoJSON.Point, Record<string, number | string>>;

/** Per layout, what mapFeature needs precomputed: each slot's pack and scale, and what it tests. */
interface CompiledLayout {
  /** The packed numbers' property names, c0, c1... */
  keys: string[];
  /** Scratch for one community's packed numbers. */
  scratch: Float64Array;
  slots: { pack: number; scale: number; nationality?: string; needBit?: number; status?: string }[];
}
const compiledLayouts = new WeakMap<CountLayout, CompiledLayout>();

function compile(layout: CountLayout): CompiledLayout {
  let compiled = compiledLayouts.get(layout);
  if (compiled) return compiled;
  const packs = Math.ceil(layout.names.length / layout.perPack);
  compiled = {
    keys: Array.from({ length: packs }, (_, pack) => `c${pack}`),
    scratch: new Float64Array(packs),
    slots: layout.names.map((name, index) => {
      const [dimension, value] = [name.slice(0, name.indexOf('_')), name.slice(name.indexOf('_') + 1)];
      const slot = { pack: Math.floor(index / layout.perPack), scale: 2 ** (layout.bits * (index % layout.perPack)) };
      if (dimension === 'nationality') return { ...slot, nationality: `|${value}|` };
      if (dimension === 'need') return { ...slot, needBit: 2 ** needs.indexOf(value as never) };
      return { ...slot, status: value };
    }),
  };
  compiledLayouts.set(layout, compiled);
  return compiled;
}

/** One community's slim copy: a 1 in the run of every name it matches (the same answers as matchesFilter on one dimension). */
function mapFeature(feature: CommunityFeature, compiled: CompiledLayout): MapFeature {
  const own = feature.properties;
  const packs = compiled.scratch.fill(0);
  for (const slot of compiled.slots) {
    const match = slot.nationality !== undefined ? own.nationalities.includes(slot.nationality) : slot.needBit !== undefined ? Math.floor(own.needs / slot.needBit) % 2 === 1 : own.status === slot.status;
    if (match) packs[slot.pack]! += slot.scale;
  }
  const properties: Record<string, number | string> = { headcount: own.headcount, status: own.status };
  // Every packed number is present, 0 when nothing matches: the clusterer's sums need numbers.
  for (let pack = 0; pack < packs.length; pack++) properties[compiled.keys[pack]!] = packs[pack]!;
  return { type: 'Feature', id: feature.id!, properties, geometry: feature.geometry };
}

/** The slim copies of a whole list, made once per list and layout (a filter reuses them). */
const converted = new WeakMap<readonly CommunityFeature[], { layout: CountLayout; features: MapFeature[] }>();

/**
 * The features to send for `shownFeatures` (all of `all`, or a subset of the same objects): every
 * community's slim copy is made once; a subset picks them by id (ids are positions in `all`, plus one).
 */
export function mapFeatures(all: readonly CommunityFeature[], shownFeatures: readonly CommunityFeature[], layout: CountLayout): MapFeature[] {
  let cached = converted.get(all);
  if (!cached || !sameLayout(cached.layout, layout)) {
    const compiled = compile(layout);
    cached = { layout, features: all.map((feature) => mapFeature(feature, compiled)) };
    converted.set(all, cached);
  }
  if (shownFeatures === all) return cached.features;
  const slim = cached.features;
  return shownFeatures.map((feature) => {
    const copy = slim[Number(feature.id) - 1];
    return copy && copy.id === feature.id ? copy : mapFeature(feature, compile(layout));
  });
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

/** Per map: the count layout of its source, and the count name whose feature states are on it now (null: none). */
const mapState = new WeakMap<MapLibreMap, { layout: CountLayout; property: string | null }>();
const listening = new WeakSet<MapLibreMap>();

/** Sets every loaded cluster's and point's state for `property`: its count of matches, hidden when 0. */
function applyFeatureStates(map: MapLibreMap, layout: CountLayout, property: string) {
  const slot = slotOf(layout, property);
  for (const feature of map.querySourceFeatures('communities')) {
    if (feature.id === undefined) continue;
    const count = slot ? unpack(feature.properties as Record<string, unknown>, layout, slot) : 0;
    map.setFeatureState({ source: 'communities', id: feature.id }, { count, hidden: count === 0 });
  }
}

const hidden: ExpressionSpecification = ['boolean', ['feature-state', 'hidden'], false];

/** Adds the record sources (empty: showFiltered fills them) and layers, counting as `layout` says. */
export function addRecordLayers(map: MapLibreMap, layout: CountLayout) {
  mapState.set(map, { layout, property: null });
  if (!listening.has(map)) {
    listening.add(map);
    // Tiles loaded later (a pan, a zoom, new data) get the current filter's states as they arrive.
    map.on('sourcedata', (event) => {
      const state = mapState.get(map);
      if (state?.property && event.sourceId === 'communities' && event.tile) applyFeatureStates(map, state.layout, state.property);
    });
  }
  map.addSource('communities', {
    type: 'geojson',
    data: empty(),
    cluster: true,
    clusterRadius: 45,
    clusterMaxZoom: 11,
    clusterProperties: clusterCounts(layout),
  });
  map.addSource('trail', { type: 'geojson', data: empty() });
  map.addSource('highlight', { type: 'geojson', data: empty() });
  map.addSource('pin', { type: 'geojson', data: empty() });
  map.addLayer({ id: 'heat', type: 'heatmap', source: 'communities', maxzoom: 11, layout: { visibility: 'none' }, paint: heatPaint(layout, null) });
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

function heatPaint(layout: CountLayout, property: string | null) {
  const weight: ExpressionSpecification = property
    ? ['interpolate', ['linear'], countExpression(layout, property), 0, 0, 1, 0.3, 200, 1]
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
  const state = mapState.get(map)!;
  state.property = property;
  if (property) applyFeatureStates(map, state.layout, property);
  else map.removeFeatureState({ source: 'communities' });
  if (map.getLayoutProperty('heat', 'visibility') === 'visible') map.setPaintProperty('heat', 'heatmap-weight', heatPaint(state.layout, property)['heatmap-weight']);
}

export interface ShownData {
  /** The features the source holds now (all of them, or a filtered copy). */
  features: readonly CommunityFeature[] | null;
  property: string | null;
  /** What the clusters count (fixed when the source is made). */
  layout: CountLayout;
}

/** What a map shows before any data: nothing, counted for no nationality. */
export function emptyShown(): ShownData {
  return { features: null, property: null, layout: countLayout([], 0) };
}

const recordLayers = ['heat', 'clusters', 'community-points', 'trail-line', 'trail-points', 'highlight', 'pin'];
const recordSources = ['communities', 'trail', 'highlight', 'pin'];

/** Makes the record layers again, for a new count layout (other nationalities, or more communities). */
function rebuildRecordLayers(map: MapLibreMap, layout: CountLayout) {
  for (const layer of recordLayers) if (map.getLayer(layer)) map.removeLayer(layer);
  for (const source of recordSources) if (map.getSource(source)) map.removeSource(source);
  addRecordLayers(map, layout);
}

/**
 * Shows `all` under `filter`: by feature states when the clusters carry the count (one counted
 * nationality, need or status), else by sending the filtered features. Returns what is shown now.
 */
async function showFiltered(map: MapLibreMap, all: readonly CommunityFeature[], filter: MapFilter, filtered: () => CommunityFeature[], shown: ShownData): Promise<ShownData> {
  const source = map.getSource('communities') as GeoJSONSource;
  const property = isFiltering(filter) ? countPropertyFor(filter) : null;
  const counted = property !== null && shown.layout.names.includes(property);
  if (!isFiltering(filter) || counted) {
    if (shown.features !== all) await source.setData(collection(mapFeatures(all, all, shown.layout)));
    if (shown.property !== property) styleFor(map, property);
    return { ...shown, features: all, property };
  }
  const subset = filtered();
  if (shown.property !== null) styleFor(map, null);
  await source.setData(collection(mapFeatures(all, subset, shown.layout)));
  return { ...shown, features: subset, property: null };
}

/** The count layout of each list of communities, worked out once per list (not on every filter change). */
const layouts = new WeakMap<readonly CommunityFeature[], CountLayout>();

export function layoutFor(features: readonly CommunityFeature[]): CountLayout {
  let layout = layouts.get(features);
  if (!layout) layouts.set(features, (layout = countLayout(nationalitiesOf(features), features.length)));
  return layout;
}

/**
 * What the map does with a list of communities and a filter (MapView, and the benchmark that times
 * it): makes the source again when the list needs another count layout, then shows it filtered.
 */
export async function showRecords(map: MapLibreMap, all: readonly CommunityFeature[], filter: MapFilter, filtered: () => CommunityFeature[], shown: ShownData, heat: boolean): Promise<ShownData> {
  const layout = layoutFor(all);
  if (!sameLayout(layout, shown.layout)) {
    rebuildRecordLayers(map, layout);
    setHeat(map, heat);
    shown = { features: null, property: null, layout };
  }
  return showFiltered(map, all, filter, filtered, shown);
}

export function setHeat(map: MapLibreMap, on: boolean) {
  const state = mapState.get(map);
  if (on && state) map.setPaintProperty('heat', 'heatmap-weight', heatPaint(state.layout, state.property)['heatmap-weight']);
  map.setLayoutProperty('heat', 'visibility', on ? 'visible' : 'none');
  map.setLayoutProperty('clusters', 'visibility', on ? 'none' : 'visible');
}
