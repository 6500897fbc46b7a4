// A map for activation: the request's area (drawn by clicks, or shown), and released records as
// points. Same offline basemap as the main map; MapLibre, or a plain notice without WebGL.
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef } from 'preact/hooks';
import { useOfflineMap } from '../map/useOfflineMap.ts';
import { outerRings } from './area.ts';
import type { AnyArea } from './select.ts';

export interface MapPoint {
  lon: number;
  lat: number;
  kind: 'community' | 'person';
  label: string;
}

export interface AreaMapProps {
  area: AnyArea | null;
  draft?: [number, number][];
  points?: MapPoint[];
  onClick?: (position: [number, number]) => void;
  testId?: string;
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function boundsOfPositions(positions: number[][]): [[number, number], [number, number]] | null {
  if (positions.length === 0) return null;
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const [lon, lat] of positions) {
    west = Math.min(west, lon!);
    east = Math.max(east, lon!);
    south = Math.min(south, lat!);
    north = Math.max(north, lat!);
  }
  return [
    [west, south],
    [east, north],
  ];
}

export function AreaMap({ area, draft = [], points = [], onClick, testId = 'area-map' }: AreaMapProps) {
  const handler = useRef(onClick);
  handler.current = onClick;
  const { container, mapRef, loaded, error } = useOfflineMap({
    center: [20, 28],
    zoom: 3,
    readyOn: 'idle',
    setup: (m) => {
      m.addSource('area', { type: 'geojson', data: empty });
      m.addSource('draft', { type: 'geojson', data: empty });
      m.addSource('released', { type: 'geojson', data: empty });
      m.addLayer({ id: 'area-fill', type: 'fill', source: 'area', paint: { 'fill-color': '#b3261e', 'fill-opacity': 0.12 } });
      m.addLayer({ id: 'area-line', type: 'line', source: 'area', paint: { 'line-color': '#b3261e', 'line-width': 2 } });
      m.addLayer({
        id: 'draft-line',
        type: 'line',
        source: 'draft',
        paint: { 'line-color': '#1f5f8b', 'line-width': 2, 'line-dasharray': [2, 1] },
      });
      m.addLayer({
        id: 'draft-points',
        type: 'circle',
        source: 'draft',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 5, 'circle-color': '#1f5f8b' },
      });
      m.addLayer({
        id: 'released-points',
        type: 'circle',
        source: 'released',
        paint: {
          'circle-radius': ['case', ['==', ['get', 'kind'], 'community'], 7, 4],
          'circle-color': ['case', ['==', ['get', 'kind'], 'community'], '#2e7d32', '#5c6bc0'],
          'circle-stroke-color': 'white',
          'circle-stroke-width': 1,
        },
      });
      m.on('click', (event) => handler.current?.([event.lngLat.lng, event.lngLat.lat]));
    },
  });

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('area') as GeoJSONSource).setData(area ? { type: 'Feature', properties: {}, geometry: area } : empty);
    const bounds = area ? boundsOfPositions(outerRings(area).flat()) : null;
    if (bounds) map.fitBounds(bounds, { padding: 40, maxZoom: 12, duration: 0 });
  }, [loaded, area]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const features: GeoJSON.Feature[] = draft.map((position) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: position },
    }));
    if (draft.length > 1)
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [...draft, draft[0]!] } });
    (map.getSource('draft') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  }, [loaded, draft]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const features: GeoJSON.Feature[] = points.map((point) => ({
      type: 'Feature',
      properties: { kind: point.kind, label: point.label },
      geometry: { type: 'Point', coordinates: [point.lon, point.lat] },
    }));
    (map.getSource('released') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
    if (container.current) container.current.dataset.points = String(points.length);
  }, [loaded, points]);

  return (
    <div
      class="activation-map"
      ref={container}
      data-testid={testId}
      data-loaded={loaded ? 'true' : 'false'}
      data-vertices={String(draft.length)}
    >
      {error && (
        <p class="map-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
