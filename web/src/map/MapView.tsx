// The operations map (MapLibre GL, drawn on the GPU): the offline basemap, the communities as a
// clustered layer, and a click handler for dropping a pin.
import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Community } from '../model/records.ts';
import { basemapStyle, loadCountries } from './basemap.ts';

// MapLibre's worker ships as its own file; served from our origin (CSP: worker-src 'self' blob:).
setWorkerUrl(workerUrl);

export interface MapViewProps {
  communities: Community[];
  center: [number, number];
  zoom: number;
  pin: { lon: number; lat: number } | null;
  onPick?: (position: { lon: number; lat: number }) => void;
  onSelect?: (id: string) => void;
}

function communitiesGeoJson(communities: Community[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: communities.map((community) => ({
      type: 'Feature',
      id: community.id,
      properties: { id: community.id, headcount: community.headcount.total, status: community.status },
      geometry: { type: 'Point', coordinates: [community.location.lon, community.location.lat] },
    })),
  };
}

export function MapView({ communities, center, zoom, pin, onPick, onSelect }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const handlers = useRef({ onPick, onSelect });
  handlers.current = { onPick, onSelect };

  useEffect(() => {
    let map: MapLibreMap | null = null;
    let cancelled = false;
    loadCountries()
      .then((countries) => {
        if (cancelled || !container.current) return;
        map = new MapLibreMap({ container: container.current, style: basemapStyle(countries), center, zoom, attributionControl: false });
        mapRef.current = map;
        map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
        map.addControl(new AttributionControl({ compact: true, customAttribution: 'Natural Earth' }));
        map.on('load', () => {
          map!.addSource('communities', { type: 'geojson', data: communitiesGeoJson([]), cluster: true, clusterRadius: 40, clusterProperties: { people: ['+', ['get', 'headcount']] } });
          map!.addSource('pin', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
          map!.addLayer({
            id: 'clusters',
            type: 'circle',
            source: 'communities',
            filter: ['has', 'point_count'],
            paint: {
              'circle-color': '#1f3b4d',
              'circle-opacity': 0.8,
              'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 100, 22, 1000, 30],
              'circle-stroke-color': '#f2c14e',
              'circle-stroke-width': 2,
            },
          });
          map!.addLayer({
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
          map!.addLayer({ id: 'pin', type: 'circle', source: 'pin', paint: { 'circle-color': '#f2c14e', 'circle-radius': 9, 'circle-stroke-color': '#1f3b4d', 'circle-stroke-width': 3 } });
          map!.on('click', (event) => {
            const hit = map!.queryRenderedFeatures(event.point, { layers: ['community-points', 'clusters'] })[0];
            if (hit?.properties?.['cluster']) {
              map!.easeTo({ center: event.lngLat, zoom: map!.getZoom() + 2 });
              return;
            }
            if (hit?.properties?.['id']) {
              handlers.current.onSelect?.(String(hit.properties['id']));
              return;
            }
            handlers.current.onPick?.({ lon: event.lngLat.lng, lat: event.lngLat.lat });
          });
          setLoaded(true);
        });
      })
      .catch((reason: Error) => setError(reason.message));
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
    };
  }, []);

  const framed = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('communities') as GeoJSONSource | undefined)?.setData(communitiesGeoJson(communities));
    // The first time there is something to show, frame it.
    if (!framed.current && communities.length > 0) {
      framed.current = true;
      let [west, south, east, north] = [180, 90, -180, -90];
      for (const { location } of communities) {
        west = Math.min(west, location.lon);
        south = Math.min(south, location.lat);
        east = Math.max(east, location.lon);
        north = Math.max(north, location.lat);
      }
      map.fitBounds(
        [
          [west, south],
          [east, north],
        ],
        { padding: 60, maxZoom: 8, duration: 0 },
      );
    }
  }, [loaded, communities]);

  useEffect(() => {
    if (!loaded) return;
    const features: GeoJSON.Feature[] = pin ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [pin.lon, pin.lat] } }] : [];
    (mapRef.current?.getSource('pin') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }, [loaded, pin]);

  return (
    <div class="map" ref={container} data-testid="map" data-loaded={loaded ? 'true' : 'false'}>
      {error && <p class="map-error" role="alert">{error}</p>}
    </div>
  );
}
