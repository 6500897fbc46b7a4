// One way to open a MapLibre map on the offline basemap, for every map screen (operations, activation
// area, plans): load the basemap (and the deployment's tile source when asked), make the map with
// zoom buttons, let the screen add its sources, layers and handlers once the style has loaded, and
// say when the map is ready or why it could not open. The map is removed when the screen goes.
import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'preact/hooks';
import { basemapStyle, loadCountries, loadTileSource } from './basemap.ts';

// MapLibre's worker ships as its own file; served from our origin (CSP: worker-src 'self' blob:).
setWorkerUrl(workerUrl);

export interface OfflineMapOptions {
  center: [number, number];
  zoom: number;
  /** The deployment's tile source on top of the embedded basemap (the user's setting). */
  onlineTiles?: boolean;
  /** Attribution shown (the basemap's, when the screen shows one). */
  attribution?: string;
  /** Keep the drawn image readable (a print view copies the canvas). */
  preserveDrawingBuffer?: boolean;
  /** Adds the screen's sources, layers and handlers once the style has loaded. */
  setup: (map: MapLibreMap) => void;
  /** Ready when the style has loaded, or only when the first frame with the screen's layers is drawn. */
  readyOn?: 'load' | 'idle';
  /** Called when the map is removed. */
  removed?: () => void;
}

/** The map of a screen: where to put it, the map once made, whether it is ready, and what went wrong. */
export function useOfflineMap(options: OfflineMapOptions) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const { onlineTiles = false } = options;

  useEffect(() => {
    let map: MapLibreMap | null = null;
    let cancelled = false;
    setLoaded(false);
    Promise.all([loadCountries(), onlineTiles ? loadTileSource() : null])
      .then(([countries, tiles]) => {
        if (cancelled || !container.current) return;
        const { center, zoom, attribution, preserveDrawingBuffer } = latest.current;
        map = new MapLibreMap({
          container: container.current,
          style: basemapStyle(countries, tiles),
          center,
          zoom,
          attributionControl: false,
          ...(preserveDrawingBuffer ? { canvasContextAttributes: { preserveDrawingBuffer: true } } : {}),
        });
        mapRef.current = map;
        map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
        if (attribution) map.addControl(new AttributionControl({ compact: true, customAttribution: attribution }));
        map.on('load', () => {
          latest.current.setup(map!);
          if (latest.current.readyOn === 'idle') map!.once('idle', () => setLoaded(true));
          else setLoaded(true);
        });
      })
      .catch((reason: Error) => setError(reason.message));
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
      latest.current.removed?.();
    };
  }, [onlineTiles]);

  return { container, mapRef, loaded, error };
}
