// The operations map (MapLibre GL, drawn on the GPU): the offline basemap, the communities as
// clusters or heat, a selected record's trail, search results ringed, and a tap to drop a pin.
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Position } from '#model/records';
import { metresPerPixelAtZoom0, tapAccuracy } from '../position/accuracy.ts';
import { collection, type CommunityFeature } from './features.ts';
import { MapLegend, type ShownOnMap } from './MapLegend.tsx';
import { addRecordLayers, openCluster, setHeat, showRecords, tapped } from './layers.ts';
import { noFilter, type MapFilter } from './filters.ts';
import { useOfflineMap } from './useOfflineMap.ts';

export interface MapViewProps {
  /** Every community; `filter` says which to show (the light map gets them filtered already). */
  features: CommunityFeature[];
  filter?: MapFilter;
  trail: GeoJSON.Feature[];
  highlight: [number, number][];
  focus: [number, number] | null;
  heat: boolean;
  onlineTiles: boolean;
  /** The position being recorded, with its accuracy circle when it has one. */
  pin: Position | null;
  /** What the filters leave on the map, counted as the list beside it counts (the legend says it). */
  shown: ShownOnMap;
  /** A tap on the map: a position placed there, as close as a fingertip at this zoom. */
  onPick?: (position: Position) => void;
  onSelect?: (id: string) => void;
}

/** The bounding box of many points without building an array of them. */
export function boundsOf(points: Iterable<[number, number]>): [[number, number], [number, number]] | null {
  let [west, south, east, north] = [180, 90, -180, -90];
  let any = false;
  for (const [lon, lat] of points) {
    any = true;
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return any
    ? [
        [west, south],
        [east, north],
      ]
    : null;
}

function* coordinatesOf(features: CommunityFeature[]): Generator<[number, number]> {
  for (const feature of features) yield feature.geometry.coordinates as [number, number];
}

export function MapView({
  features,
  filter = noFilter,
  trail,
  highlight,
  focus,
  heat,
  onlineTiles,
  pin,
  shown,
  onPick,
  onSelect,
}: MapViewProps) {
  const handlers = useRef({ onPick, onSelect });
  handlers.current = { onPick, onSelect };
  /** Whether the view has been fitted to the communities yet (once per map). */
  const framed = useRef(false);
  const {
    container,
    mapRef,
    loaded,
    error: mapError,
  } = useOfflineMap({
    center: [20, 25],
    zoom: 2,
    onlineTiles,
    attribution: 'Natural Earth',
    readyOn: 'idle',
    setup: (map) => {
      addRecordLayers(map);
      map.on('click', (event) => {
        const target = tapped(map, event.point);
        if (target && 'cluster' in target) openCluster(map, target.cluster);
        else if (target) handlers.current.onSelect?.(target.community.properties.id);
        else
          handlers.current.onPick?.({
            lon: event.lngLat.lng,
            lat: event.lngLat.lat,
            source: 'map',
            accuracy: tapAccuracy(map.getZoom(), event.lngLat.lat),
          });
      });
    },
    removed: () => {
      framed.current = false;
    },
  });
  const [updateError, setError] = useState<string | null>(null);
  const error = mapError ?? updateError;

  const updating = useRef(Promise.resolve());
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    // One update at a time, in order: a filter change while the last data is still in the worker waits.
    updating.current = updating.current
      .then(async () => {
        if (mapRef.current !== map) return;
        const matching = await showRecords(map, features, filter);
        if (container.current) container.current.dataset.points = String(matching);
      })
      .catch((reason: Error) => setError(reason.message));
    // The first time there is something to show, frame it.
    if (!framed.current && features.length > 0) {
      framed.current = true;
      const bounds = boundsOf(coordinatesOf(features));
      if (bounds) map.fitBounds(bounds, { padding: 60, maxZoom: 8, duration: 0 });
    }
  }, [loaded, features, filter]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('trail') as GeoJSONSource | undefined)?.setData(collection(trail));
    const points = trail
      .filter((feature) => feature.geometry.type === 'Point')
      .map((feature) => (feature.geometry as GeoJSON.Point).coordinates as [number, number]);
    const bounds = boundsOf(points.length > 1 ? points : []);
    if (bounds) map.fitBounds(bounds, { padding: 80, maxZoom: 11, duration: 400 });
    else if (focus) map.easeTo({ center: focus, zoom: Math.max(map.getZoom(), 10), duration: 400 });
  }, [loaded, trail, focus]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const ring = highlight
      .slice(0, 5000)
      .map((coordinates): GeoJSON.Feature => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } }));
    (map.getSource('highlight') as GeoJSONSource | undefined)?.setData(collection(ring));
    const bounds = boundsOf(highlight);
    if (bounds && highlight.length > 0) map.fitBounds(bounds, { padding: 80, maxZoom: 11, duration: 400 });
  }, [loaded, highlight]);

  useEffect(() => {
    if (loaded && mapRef.current) setHeat(mapRef.current, heat);
  }, [loaded, heat]);

  useEffect(() => {
    if (!loaded) return;
    // The accuracy circle's radius in pixels at zoom 0 (metres over metres per pixel); the layer scales it by 2^zoom.
    const features: GeoJSON.Feature[] = pin
      ? [
          {
            type: 'Feature',
            properties: { radiusAtZoom0: (pin.accuracy ?? 0) / metresPerPixelAtZoom0(pin.lat) },
            geometry: { type: 'Point', coordinates: [pin.lon, pin.lat] },
          },
        ]
      : [];
    (mapRef.current?.getSource('pin') as GeoJSONSource | undefined)?.setData(collection(features));
  }, [loaded, pin]);

  return (
    <div class="map" ref={container} data-testid="map" data-engine="maplibre" data-loaded={loaded ? 'true' : 'false'}>
      <MapLegend shown={shown} />
      {error && (
        <p class="map-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
