// Benchmark and scale-test harness (not part of the app build): the app's own map layers, feature
// building, filters and record opening, driven from Node through window.harness (bench/groups/map.ts,
// bench/groups/web.ts, tests/browser/map-scale.test.ts). MapLibre and Leaflet + markercluster get
// the same features in the same page.
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { generateRecords, loadScenario } from '#fixtures';
import {
  ready,
  openSealingSession,
  closeSealingSession,
  sealRecord,
  toBase64,
  generateOrgKeys,
  createRecordOpener,
  closeRecordOpener,
} from '#crypto';
import { basemapStyle, loadCountries } from '../src/map/basemap.ts';
import { communityFeatures, filterFeatures, type CommunityFeature } from '../src/map/features.ts';
import { matchesFilter, noFilter, type MapFilter } from '../src/map/filters.ts';
import { addRecordLayers, drawnFeatures, openCluster, setHeat, showRecords, tapped } from '../src/map/layers.ts';
import { loadLeaflet } from '../src/map/LightMapView.tsx';
import type { Community } from '#model/records';
import { openRows, type OpenedRecords } from '../src/records.ts';
import type * as Leaflet from 'leaflet';

setWorkerUrl(workerUrl);

const container = document.getElementById('map')!;
const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

let communities: Community[] = [];
let features: CommunityFeature[] = [];
/** The list the MapLibre map was given in its last first render (a copy of `features`). */
let all: CommunityFeature[] = [];
let countries: GeoJSON.FeatureCollection | null = null;
let maplibre: MapLibreMap | null = null;
let leaflet: { library: typeof Leaflet; map: Leaflet.Map; clusters: Leaflet.MarkerClusterGroup; markers: Leaflet.CircleMarker[] } | null =
  null;
let held: OpenedRecords | null = null;
let plain: unknown[] | null = null;

function clear() {
  maplibre?.remove();
  maplibre = null;
  leaflet?.map.remove();
  leaflet = null;
  container.replaceChildren();
}

const harness = {
  /** Communities from the fixture generator (same seed, same data in every run). */
  async generate(count: number) {
    communities = generateRecords(loadScenario('libya-2011'), {
      seed: 'bench-map',
      communities: count,
      personsPerCommunity: 0,
    }).communities;
    features = communityFeatures(communities);
    countries = await loadCountries();
    return features.length;
  },

  /**
   * MapLibre: the map is up with its basemap (as in the app, where records are opened after the map
   * loads); timed from handing it the 100,000 features to the map idle with them clustered and drawn.
   */
  async maplibreFirstRender(): Promise<number> {
    clear();
    const map = new MapLibreMap({
      container,
      style: basemapStyle(countries!),
      bounds: [
        [9.3, 19.5],
        [25.2, 33.2],
      ],
      attributionControl: false,
      fadeDuration: 0,
    });
    maplibre = map;
    await new Promise<void>((resolve) => map.once('load', () => resolve()));
    addRecordLayers(map);
    await new Promise<void>((resolve) => map.once('idle', () => resolve()));
    // A new list each run, as the app gets after opening records: it is indexed and clustered inside
    // the timed part, nothing is reused from the last run.
    all = features.slice();
    const started = performance.now();
    const idle = new Promise<void>((resolve) => map.once('idle', () => resolve()));
    // What MapView does with new records: indexed, clustered for the view, the view's clusters sent.
    await showRecords(map, all, noFilter);
    await idle;
    return performance.now() - started;
  },

  async maplibreFilter(filter: MapFilter): Promise<number> {
    const map = maplibre!;
    const started = performance.now();
    const idle = new Promise<void>((resolve) => map.once('idle', () => resolve()));
    await showRecords(map, all, filter);
    map.triggerRepaint();
    await idle;
    return performance.now() - started;
  },

  /** A pan of (dx, dy) pixels without animation, to the map idle again with the new area drawn. */
  async maplibrePan(dx: number, dy: number): Promise<number> {
    const map = maplibre!;
    const started = performance.now();
    const idle = new Promise<void>((resolve) => map.once('idle', () => resolve()));
    map.panBy([dx, dy], { animate: false });
    await idle;
    return performance.now() - started;
  },

  /** What one MapLibre frame costs here: the map redrawn without pause for `duration` ms, milliseconds per frame drawn. */
  async maplibreFrameMs(duration = 1500): Promise<number> {
    const map = maplibre!;
    let frames = 0;
    const count = () => frames++;
    map.on('render', count);
    map.repaint = true;
    await new Promise((resolve) => setTimeout(resolve, duration));
    map.repaint = false;
    map.off('render', count);
    return duration / Math.max(1, frames);
  },

  maplibreHeat(on: boolean) {
    setHeat(maplibre!, on);
  },

  /** The heat layer's weights in the loaded tiles, beside the people they stand for. */
  heatWeights() {
    return maplibre!
      .querySourceFeatures('communities')
      .map((feature) => ({ people: Number(feature.properties.people), weight: Number(feature.properties.weight) }));
  },

  /** What MapLibre drew: clusters and their counts, single points. */
  maplibreRendered() {
    const rendered = drawnFeatures(maplibre!, ['clusters', 'community-points']);
    const seen = new Set<string>();
    let clusters = 0;
    let points = 0;
    let total = 0;
    for (const feature of rendered) {
      const key = String(feature.id);
      if (seen.has(key)) continue;
      seen.add(key);
      if (feature.properties.cluster) {
        clusters += 1;
        // Under a filter a cluster shows its count of matching communities.
        total += Number(feature.state?.count ?? feature.properties.point_count);
      } else {
        points += 1;
        total += 1;
      }
    }
    return { clusters, points, total };
  },

  /**
   * Taps the largest cluster drawn, as a user would (MapView's tap: the same tapped and openCluster),
   * and waits for the map to settle: the zoom before and after, the cluster's count, and what is
   * drawn then.
   */
  async maplibreTapLargestCluster() {
    const map = maplibre!;
    const clusters = drawnFeatures(map, ['clusters']);
    const largest = clusters.sort((a, b) => Number(b.properties.point_count) - Number(a.properties.point_count))[0];
    if (!largest) throw new Error('no cluster drawn');
    const point = map.project((largest.geometry as GeoJSON.Point).coordinates as [number, number]);
    const target = tapped(map, point);
    if (!target || !('cluster' in target)) throw new Error('the tap did not land on a cluster');
    const zoomBefore = map.getZoom();
    const idle = new Promise<void>((resolve) => map.once('idle', () => resolve()));
    openCluster(map, target.cluster, 0);
    await idle;
    const [[west, south], [east, north]] = target.cluster as [[number, number], [number, number]];
    const view = map.getBounds();
    const inView = view.contains([west, south]) && view.contains([east, north]);
    return { count: Number(largest.properties.point_count), zoomBefore, zoomAfter: map.getZoom(), inView, drawn: this.maplibreRendered() };
  },

  /** Taps the first single community drawn: the record it opens, and how far from the tap that community is drawn. */
  maplibreTapPoint() {
    const map = maplibre!;
    const point = drawnFeatures(map, ['community-points'])[0];
    if (!point) return null;
    const at = map.project((point.geometry as GeoJSON.Point).coordinates as [number, number]);
    const target = tapped(map, at);
    if (!target || !('community' in target)) return null;
    // Where the opened community is drawn, in pixels from the tap (points overlap when close together).
    const drawnAt = map.project(target.community.geometry.coordinates as [number, number]);
    return { id: target.community.properties.id, pixelsAway: Math.hypot(drawnAt.x - at.x, drawnAt.y - at.y) };
  },

  /**
   * Moves the map without animation to community `index` of the list at `zoom` and waits for it to
   * settle: whether that community is drawn (on its own, or inside a cluster drawn there).
   */
  async maplibreJumpTo(index: number, zoom: number) {
    const map = maplibre!;
    const feature = all[index]!;
    const idle = new Promise<void>((resolve) => map.once('idle', () => resolve()));
    map.jumpTo({ center: feature.geometry.coordinates as [number, number], zoom });
    await idle;
    const drawn = drawnFeatures(map, ['clusters', 'community-points']);
    const own = drawn.some((rendered) => rendered.id === feature.id);
    const centre = map.project(feature.geometry.coordinates as [number, number]);
    const covering = drawn.some(
      (rendered) =>
        rendered.properties.cluster && map.project((rendered.geometry as GeoJSON.Point).coordinates as [number, number]).dist(centre) < 60,
    );
    return { own, covering, drawn: drawn.length };
  },

  /** Leaflet + markercluster, the baseline: the same basemap up first, then the same features, timed the same way. */
  async leafletFirstRender(): Promise<number> {
    clear();
    const library = await loadLeaflet();
    const renderer = library.canvas();
    const map = library.map(container, { preferCanvas: true, renderer, maxZoom: 18 }).fitBounds([
      [19.5, 9.3],
      [33.2, 25.2],
    ]);
    library
      .geoJSON(countries!, { style: { color: '#9a9387', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1 }, interactive: false })
      .addTo(map);
    await frame();
    const started = performance.now();
    const clusters = library.markerClusterGroup({ chunkedLoading: false, maxClusterRadius: 45, showCoverageOnHover: false });
    const markers = features.map((feature) => {
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      return library.circleMarker([lat, lon], { renderer, radius: 6, color: '#ffffff', weight: 1.5, fillColor: '#1f6f8b', fillOpacity: 1 });
    });
    clusters.addLayers(markers);
    map.addLayer(clusters);
    leaflet = { library, map, clusters, markers };
    await frame();
    return performance.now() - started;
  },

  /** The same pan; markercluster updates what it shows on moveend, then the next frame draws it. */
  async leafletPan(dx: number, dy: number): Promise<number> {
    const { map } = leaflet!;
    const started = performance.now();
    const moved = new Promise<void>((resolve) => map.once('moveend', () => resolve()));
    map.panBy([dx, dy], { animate: false });
    await moved;
    await frame();
    return performance.now() - started;
  },

  async leafletFilter(filter: MapFilter): Promise<number> {
    const { clusters, markers } = leaflet!;
    const started = performance.now();
    const kept = markers.filter((_, index) => matchesFilter(features[index]!.properties, filter));
    clusters.clearLayers();
    clusters.addLayers(kept);
    await frame();
    return performance.now() - started;
  },

  countMatching(filter: MapFilter) {
    return filterFeatures(features, filter).length;
  },

  /**
   * The client holding `count` records as the app does after sync: sealed envelopes opened with
   * the app's openRows (decrypt, migrate, validate, merge), plus the map features. Returns the
   * milliseconds it took; the result stays referenced until release().
   */
  async openAndHold(count: number): Promise<number> {
    await ready();
    const source = generateRecords(loadScenario('libya-2011'), {
      seed: 'bench-heap',
      communities: count,
      personsPerCommunity: 0,
    }).communities;
    const orgKeys = generateOrgKeys();
    const orgId = 'bench-org';
    const sealing = openSealingSession(orgId, orgKeys.publicKey);
    const encoder = new TextEncoder();
    const rows = source.map((community) => ({
      id: community.id,
      version: 1,
      envelope: toBase64(sealRecord(sealing, community.id, 1, encoder.encode(JSON.stringify(community)))),
    }));
    closeSealingSession(sealing);
    source.length = 0;
    const opener = createRecordOpener(orgId, orgKeys);
    const started = performance.now();
    const opened = openRows([{ rows, opener }]);
    const elapsed = performance.now() - started;
    closeRecordOpener(opener);
    rows.length = 0;
    held = opened;
    (held as OpenedRecords & { features?: CommunityFeature[] }).features = communityFeatures(opened.communities);
    return elapsed;
  },

  /** The baseline: the same kind of bodies as plain parsed JSON and nothing else. */
  async holdPlain(count: number): Promise<number> {
    const text = JSON.stringify(
      generateRecords(loadScenario('libya-2011'), { seed: 'bench-heap', communities: count, personsPerCommunity: 0 }).communities,
    );
    plain = JSON.parse(text) as unknown[];
    return plain.length;
  },

  heldCount() {
    return held ? held.communities.length : 0;
  },

  release() {
    held = null;
    plain = null;
    communities = [];
    features = [];
    clear();
  },

  noFilter,
};

(window as unknown as { harness: typeof harness }).harness = harness;
document.body.dataset.ready = 'true';
