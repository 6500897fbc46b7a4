// The embedded offline basemap: Natural Earth countries (public domain, via world-atlas), shipped
// with the app as a static asset, so the map works with no tile server and no network. An online
// street map (OpenStreetMap tiles) can be switched on in the settings; it is off by default, and
// while it is off the map asks nothing of anyone.
import type { StyleSpecification } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';

export const ONLINE_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const ONLINE_ATTRIBUTION = '© OpenStreetMap contributors';

let countries: Promise<GeoJSON.FeatureCollection> | null = null;

export function loadCountries(): Promise<GeoJSON.FeatureCollection> {
  countries ??= (async () => {
    const response = await fetch(countriesUrl);
    if (!response.ok) throw new Error(`the basemap could not be loaded (${response.status})`);
    const topology = (await response.json()) as Topology;
    const layer = topology.objects['countries'];
    if (!layer) throw new Error('the basemap file has no countries layer');
    return feature(topology, layer) as unknown as GeoJSON.FeatureCollection;
  })();
  countries.catch(() => (countries = null));
  return countries;
}

export function basemapStyle(countries: GeoJSON.FeatureCollection, onlineTiles = false): StyleSpecification {
  return {
    version: 8,
    sources: {
      countries: { type: 'geojson', data: countries },
      ...(onlineTiles ? { streets: { type: 'raster' as const, tiles: [ONLINE_TILES], tileSize: 256, maxzoom: 19, attribution: ONLINE_ATTRIBUTION } } : {}),
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#cfe0e8' } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } },
      ...(onlineTiles ? [{ id: 'streets', type: 'raster' as const, source: 'streets' }] : []),
      { id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#9a9387', 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.4, 8, 1.2] } },
    ],
  };
}
