// The operations map's sources and layers, shared by the app and the benchmark harness: clusters
// and a heat layer for very many communities, single points when zoomed in, the selected record's
// whereabouts trail, and rings around search results.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { collection, type CommunityFeature } from './features.ts';

const empty = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

export function addRecordLayers(map: MapLibreMap, features: CommunityFeature[]) {
  map.addSource('communities', {
    type: 'geojson',
    data: collection(features),
    cluster: true,
    clusterRadius: 45,
    clusterMaxZoom: 12,
    clusterProperties: { people: ['+', ['get', 'headcount']] },
  });
  map.addSource('trail', { type: 'geojson', data: empty() });
  map.addSource('highlight', { type: 'geojson', data: empty() });
  map.addSource('pin', { type: 'geojson', data: empty() });
  // Heat: weighted by people (a cluster carries the sum), strongest where most people are.
  map.addLayer({
    id: 'heat',
    type: 'heatmap',
    source: 'communities',
    maxzoom: 11,
    layout: { visibility: 'none' },
    paint: {
      'heatmap-weight': ['interpolate', ['linear'], ['coalesce', ['get', 'people'], ['get', 'headcount']], 0, 0, 50, 0.4, 2000, 1],
      'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 10, 2],
      'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 2, 12, 10, 30],
      'heatmap-opacity': 0.75,
    },
  });
  map.addLayer({
    id: 'clusters',
    type: 'circle',
    source: 'communities',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#1f3b4d',
      'circle-opacity': 0.82,
      'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 100, 22, 1000, 30, 10000, 38],
      'circle-stroke-color': '#f2c14e',
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
      'circle-radius': ['interpolate', ['linear'], ['get', 'headcount'], 1, 5, 100, 9, 1000, 14],
      'circle-stroke-color': '#ffffff',
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

export function setHeat(map: MapLibreMap, on: boolean) {
  map.setLayoutProperty('heat', 'visibility', on ? 'visible' : 'none');
  map.setLayoutProperty('clusters', 'visibility', on ? 'none' : 'visible');
}
