// The plan on the map: one GeoJSON source per layer, each with its own style, drawn by MapLibre on
// the GPU (no DOM node per feature). Drawing is plain click handling: the screen decides what a click
// means (a corner, a point, a route vertex). No text layers: the offline basemap has no glyphs.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'preact/hooks';
import type { Plan } from '#plans';
import { useOfflineMap } from '../map/useOfflineMap.ts';
import type { Position } from './draft.ts';
import { planLayerFeatures, type MapLayerName } from './map-features.ts';

export interface PlanMapProps {
  plan: Plan | null;
  population: GeoJSON.FeatureCollection;
  assignment: GeoJSON.FeatureCollection;
  summary: GeoJSON.FeatureCollection;
  changes: GeoJSON.FeatureCollection;
  overflowing: string[];
  draft: { positions: Position[]; closed: boolean };
  visible: Record<MapLayerName, boolean>;
  /** Changes when the map should fit the plan's area again (another plan opened). */
  fitKey: string;
  /** The first view, before a plan is open. */
  view: { center: [number, number]; zoom: number };
  onClick: (position: Position) => void;
  onMap?: (map: MapLibreMap | null) => void;
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Grey diagonal hatching (8×8 RGBA) for summary areas whose count is hidden. */
function hatchPattern() {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const offset = (y * size + x) * 4;
      const onLine = (x + y) % size < 2;
      data.set(onLine ? [110, 110, 110, 200] : [200, 200, 200, 90], offset);
    }
  }
  return { width: size, height: size, data };
}

/** Style layers by map layer name: the toggle shows or hides all of them. */
const styleLayers: Record<MapLayerName, string[]> = {
  area: ['area-line'],
  summary: ['summary-fill', 'summary-hidden', 'summary-line'],
  hazardZones: ['hazard-fill', 'hazard-line'],
  routes: ['route-line'],
  population: ['population-points'],
  assignment: ['assignment-lines', 'assignment-unplaced'],
  shelters: ['shelter-points'],
  assemblyPoints: ['assembly-points'],
  borderCrossings: ['crossing-points'],
  changes: ['changes-line', 'changes-points'],
};

function addLayers(map: MapLibreMap) {
  for (const source of [
    'area',
    'summary',
    'hazardZones',
    'routes',
    'population',
    'assignment',
    'shelters',
    'assemblyPoints',
    'borderCrossings',
    'changes',
    'draft',
  ]) {
    map.addSource(source, { type: 'geojson', data: empty });
  }
  map.addImage('hatch', hatchPattern());
  map.addLayer({
    id: 'area-line',
    type: 'line',
    source: 'area',
    paint: { 'line-color': '#37474f', 'line-width': 2, 'line-dasharray': [4, 2] },
  });
  map.addLayer({
    id: 'summary-fill',
    type: 'fill',
    source: 'summary',
    filter: ['!', ['get', 'hidden']],
    paint: {
      'fill-color': ['interpolate', ['linear'], ['get', 'people'], 0, '#fff7e0', 50, '#f6c163', 500, '#d9822b', 5000, '#8c3b0c'],
      'fill-opacity': 0.55,
    },
  });
  map.addLayer({
    id: 'summary-hidden',
    type: 'fill',
    source: 'summary',
    filter: ['get', 'hidden'],
    paint: { 'fill-pattern': 'hatch', 'fill-opacity': 0.8 },
  });
  map.addLayer({ id: 'summary-line', type: 'line', source: 'summary', paint: { 'line-color': '#8d6e63', 'line-width': 1 } });
  map.addLayer({
    id: 'hazard-fill',
    type: 'fill',
    source: 'hazardZones',
    paint: {
      'fill-color': ['match', ['get', 'alertLevel'], 'orange', '#ef6c00', 'green', '#2e7d32', 'not-real', '#90a4ae', '#c62828'],
      'fill-opacity': 0.25,
    },
  });
  map.addLayer({
    id: 'hazard-line',
    type: 'line',
    source: 'hazardZones',
    paint: { 'line-color': ['match', ['get', 'alertLevel'], 'not-real', '#546e7a', '#b71c1c'], 'line-width': 2 },
  });
  map.addLayer({
    id: 'route-line',
    type: 'line',
    source: 'routes',
    paint: {
      'line-color': ['match', ['get', 'mode'], 'sea', '#0277bd', 'air', '#6a1b9a', '#1565c0'],
      'line-width': 3,
      'line-dasharray': ['match', ['get', 'mode'], 'road', ['literal', [1, 0]], ['literal', [3, 2]]],
    },
  });
  map.addLayer({
    id: 'population-points',
    type: 'circle',
    source: 'population',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['get', 'headcount'], 1, 4, 100, 8, 2000, 16],
      'circle-color': '#6d4c41',
      'circle-opacity': 0.6,
    },
  });
  map.addLayer({
    id: 'assignment-lines',
    type: 'line',
    source: 'assignment',
    filter: ['==', ['geometry-type'], 'LineString'],
    paint: { 'line-color': '#546e7a', 'line-width': 1.5, 'line-opacity': 0.8 },
  });
  map.addLayer({
    id: 'assignment-unplaced',
    type: 'circle',
    source: 'assignment',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#d50000', 'circle-stroke-width': 3 },
  });
  map.addLayer({
    id: 'shelter-points',
    type: 'circle',
    source: 'shelters',
    paint: { 'circle-radius': 7, 'circle-color': '#7b1fa2', 'circle-stroke-color': 'white', 'circle-stroke-width': 2 },
  });
  map.addLayer({
    id: 'assembly-points',
    type: 'circle',
    source: 'assemblyPoints',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['get', 'capacity'], 0, 6, 1000, 10, 10000, 16],
      'circle-color': ['case', ['get', 'overflowing'], '#d50000', '#2e7d32'],
      'circle-stroke-color': 'white',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'crossing-points',
    type: 'circle',
    source: 'borderCrossings',
    paint: { 'circle-radius': 6, 'circle-color': '#212121', 'circle-stroke-color': '#ffd600', 'circle-stroke-width': 2 },
  });
  map.addLayer({
    id: 'changes-line',
    type: 'line',
    source: 'changes',
    filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': '#ffab00', 'line-width': 6, 'line-opacity': 0.85 },
  });
  map.addLayer({
    id: 'changes-points',
    type: 'circle',
    source: 'changes',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 14, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffab00', 'circle-stroke-width': 4 },
  });
  map.addLayer({
    id: 'draft-line',
    type: 'line',
    source: 'draft',
    filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': '#0d47a1', 'line-width': 2, 'line-dasharray': [2, 1] },
  });
  map.addLayer({
    id: 'draft-points',
    type: 'circle',
    source: 'draft',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 5, 'circle-color': '#0d47a1' },
  });
}

function bounds(geometry: Plan['area']): [[number, number], [number, number]] {
  const positions = geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);
  const lons = positions.map((position) => position[0]!);
  const lats = positions.map((position) => position[1]!);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

export function PlanMap(props: PlanMapProps) {
  const latest = useRef(props);
  latest.current = props;
  const { container, mapRef, loaded, error } = useOfflineMap({
    // Where the map looks before a plan is open (then it fits the plan's area).
    center: props.view.center,
    zoom: props.view.zoom,
    // The print view takes the map as an image (canvas.toDataURL()).
    preserveDrawingBuffer: true,
    setup: (map) => {
      addLayers(map);
      map.on('click', (event) => latest.current.onClick([event.lngLat.lng, event.lngLat.lat]));
      latest.current.onMap?.(map);
    },
    removed: () => latest.current.onMap?.(null),
  });

  const { plan, population, assignment, summary, changes, overflowing, draft, visible, fitKey } = props;

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const layers = planLayerFeatures(plan, new Set(overflowing));
    for (const [name, collection] of Object.entries(layers)) (map.getSource(name) as GeoJSONSource).setData(collection);
    if (container.current) {
      container.current.dataset.zones = String(plan?.hazardZones.length ?? 0);
      container.current.dataset.points = String(plan?.assemblyPoints.length ?? 0);
    }
  }, [loaded, plan, overflowing]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('population') as GeoJSONSource).setData(population);
    (map.getSource('assignment') as GeoJSONSource).setData(assignment);
    (map.getSource('summary') as GeoJSONSource).setData(summary);
    (map.getSource('changes') as GeoJSONSource).setData(changes);
    if (container.current) container.current.dataset.changes = String(changes.features.length);
  }, [loaded, population, assignment, summary, changes]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const features: GeoJSON.Feature[] = draft.positions.map((position) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: position },
    }));
    if (draft.positions.length > 1) {
      features.push({
        type: 'Feature',
        properties: {},
        geometry: { type: 'LineString', coordinates: draft.closed ? [...draft.positions, draft.positions[0]!] : draft.positions },
      });
    }
    (map.getSource('draft') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  }, [loaded, draft]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    for (const [name, ids] of Object.entries(styleLayers))
      for (const id of ids) map.setLayoutProperty(id, 'visibility', visible[name as MapLayerName] ? 'visible' : 'none');
  }, [loaded, visible]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map || !plan) return;
    map.fitBounds(bounds(plan.area), { padding: 30, maxZoom: 12, duration: 0 });
  }, [loaded, fitKey]);

  return (
    <div class="plan-map" ref={container} data-testid="plan-map" data-loaded={loaded ? 'true' : 'false'}>
      {error && (
        <p class="map-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
