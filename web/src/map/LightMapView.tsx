// The light map for phones without WebGL: Leaflet on a canvas, the same offline basemap, the same
// communities clustered with leaflet.markercluster, the same trail and search rings. Loaded only
// when it is needed (its code is a separate chunk).
import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Leaflet from 'leaflet';
import { tapAccuracy } from '../position/accuracy.ts';
import { colourOfStatus } from './colours.ts';
import { MapLegend } from './MapLegend.tsx';
import { loadCountries, loadTileSource } from './basemap.ts';
import type { MapViewProps } from './MapView.tsx';
import { boundsOf } from './MapView.tsx';

type LeafletModule = typeof Leaflet;

/** Leaflet and its cluster plugin (which expects a global L). */
export async function loadLeaflet(): Promise<LeafletModule> {
  const leaflet = (await import('leaflet')).default;
  (globalThis as { L?: LeafletModule }).L = leaflet;
  await import('leaflet.markercluster');
  await Promise.all([
    import('leaflet/dist/leaflet.css'),
    import('leaflet.markercluster/dist/MarkerCluster.css'),
    import('leaflet.markercluster/dist/MarkerCluster.Default.css'),
  ]);
  return leaflet;
}

export function LightMapView({ features, trail, highlight, focus, onlineTiles, pin, shown, onPick, onSelect }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const state = useRef<{
    leaflet: LeafletModule;
    map: Leaflet.Map;
    clusters: Leaflet.MarkerClusterGroup;
    overlay: Leaflet.LayerGroup;
    renderer: Leaflet.Canvas;
  } | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const handlers = useRef({ onPick, onSelect });
  handlers.current = { onPick, onSelect };

  useEffect(() => {
    let cancelled = false;
    Promise.all([loadLeaflet(), loadCountries(), onlineTiles ? loadTileSource() : null])
      .then(([leaflet, countries, tiles]) => {
        if (cancelled || !container.current) return;
        const renderer = leaflet.canvas();
        const map = leaflet
          .map(container.current, { preferCanvas: true, renderer, attributionControl: true, maxZoom: 18 })
          .setView([25, 20], 2);
        map.attributionControl.setPrefix(false).addAttribution('Natural Earth');
        if (tiles) leaflet.tileLayer(tiles.tiles, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
        leaflet
          .geoJSON(countries, {
            style: { color: '#9a9387', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: tiles ? 0 : 1 },
            interactive: false,
          })
          .addTo(map);
        const clusters = leaflet.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45 });
        map.addLayer(clusters);
        const overlay = leaflet.layerGroup().addTo(map);
        map.on('click', (event: Leaflet.LeafletMouseEvent) =>
          handlers.current.onPick?.({
            lon: event.latlng.lng,
            lat: event.latlng.lat,
            source: 'map',
            // Leaflet's zoom counts 256-pixel tiles: one level above MapLibre's for the same scale.
            accuracy: tapAccuracy(map.getZoom() - 1, event.latlng.lat),
          }),
        );
        state.current = { leaflet, map, clusters, overlay, renderer };
        setLoaded(true);
      })
      .catch((reason: Error) => setError(reason.message));
    return () => {
      cancelled = true;
      state.current?.map.remove();
      state.current = null;
    };
  }, [onlineTiles]);

  const framed = useRef(false);
  useEffect(() => {
    const current = state.current;
    if (!loaded || !current) return;
    const { leaflet, clusters, renderer, map } = current;
    clusters.clearLayers();
    clusters.addLayers(
      features.map((feature) => {
        const [lon, lat] = feature.geometry.coordinates as [number, number];
        const marker = leaflet.circleMarker([lat, lon], {
          renderer,
          radius: 6,
          color: '#ffffff',
          weight: 1.5,
          fillColor: colourOfStatus(feature.properties.status),
          fillOpacity: 1,
        });
        marker.on('click', () => handlers.current.onSelect?.(feature.properties.id));
        return marker;
      }),
    );
    if (container.current) container.current.dataset.points = String(features.length);
    if (!framed.current && features.length > 0) {
      framed.current = true;
      const bounds = boundsOf(features.map((feature) => feature.geometry.coordinates as [number, number]));
      if (bounds)
        map.fitBounds(
          [
            [bounds[0][1], bounds[0][0]],
            [bounds[1][1], bounds[1][0]],
          ],
          { padding: [40, 40], maxZoom: 8 },
        );
    }
  }, [loaded, features]);

  useEffect(() => {
    const current = state.current;
    if (!loaded || !current) return;
    const { leaflet, overlay, map, renderer } = current;
    overlay.clearLayers();
    const line = trail.find((feature) => feature.geometry.type === 'LineString');
    if (line)
      leaflet
        .polyline(
          (line.geometry as GeoJSON.LineString).coordinates.map(([lon, lat]) => [lat!, lon!] as [number, number]),
          { color: '#b3261e', weight: 3, dashArray: '6 4' },
        )
        .addTo(overlay);
    for (const feature of trail) {
      if (feature.geometry.type !== 'Point') continue;
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      leaflet
        .circleMarker([lat, lon], {
          renderer,
          radius: 6,
          color: '#b3261e',
          weight: 2,
          fillColor: feature.properties?.last ? '#b3261e' : '#ffffff',
          fillOpacity: 1,
        })
        .addTo(overlay);
    }
    for (const [lon, lat] of highlight.slice(0, 2000))
      leaflet.circleMarker([lat, lon], { renderer, radius: 11, color: '#f2c14e', weight: 3, fill: false }).addTo(overlay);
    if (pin?.accuracy)
      leaflet
        .circle([pin.lat, pin.lon], {
          renderer,
          radius: pin.accuracy,
          color: '#1f3b4d',
          weight: 1,
          fillColor: '#f2c14e',
          fillOpacity: 0.15,
        })
        .addTo(overlay);
    if (pin)
      leaflet
        .circleMarker([pin.lat, pin.lon], { renderer, radius: 9, color: '#1f3b4d', weight: 3, fillColor: '#f2c14e', fillOpacity: 1 })
        .addTo(overlay);
    if (focus) map.setView([focus[1], focus[0]], Math.max(map.getZoom(), 10));
  }, [loaded, trail, highlight, pin, focus]);

  return (
    <div class="map" ref={container} data-testid="map" data-engine="leaflet" data-loaded={loaded ? 'true' : 'false'}>
      <MapLegend shown={shown} />
      {error && (
        <p class="map-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Whether this device can draw the WebGL map. */
export function hasWebGl(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}
