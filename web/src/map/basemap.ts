// The embedded offline basemap: Natural Earth countries (public domain, via world-atlas), shipped
// with the app as a static asset, so the map works with no tile server and no network. A deployment
// may also offer a raster tile source (online, or tiles on its own site), named at build time in
// basemap.json (scripts/lib/basemap-config.ts, decision 0406); a user switches it on in the
// settings. It is off by default, and while it is off the map asks nothing of anyone.
import type { StyleSpecification } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';

/** The tile source this deployment offers (basemap.json), or none. */
export interface TileSource {
  tiles: string;
  attribution: string;
  /** Where the tiles come from when not this site. */
  host: string | null;
}

let tileSource: Promise<TileSource | null> | null = null;

/** The deployment's tile source; none when basemap.json is absent, unreadable or names none. */
export function loadTileSource(): Promise<TileSource | null> {
  tileSource ??= fetch('/basemap.json')
    .then((response) => (response.ok ? response.json() : {}))
    .then((config: { tiles?: unknown; attribution?: unknown; host?: unknown }) =>
      typeof config.tiles === 'string' && config.tiles.includes('{z}')
        ? {
            tiles: config.tiles,
            attribution: typeof config.attribution === 'string' ? config.attribution : '',
            host: typeof config.host === 'string' ? config.host : null,
          }
        : null,
    )
    .catch(() => null);
  return tileSource;
}

let countries: Promise<GeoJSON.FeatureCollection> | null = null;

export function loadCountries(): Promise<GeoJSON.FeatureCollection> {
  countries ??= (async () => {
    const response = await fetch(countriesUrl);
    if (!response.ok) throw new Error(`the basemap could not be loaded (${response.status})`);
    const topology = (await response.json()) as Topology<{ countries?: GeometryCollection }>;
    const layer = topology.objects.countries;
    if (!layer) throw new Error('the basemap file has no countries layer');
    return feature(topology, layer);
  })();
  countries.catch(() => (countries = null));
  return countries;
}

export function basemapStyle(countries: GeoJSON.FeatureCollection, tiles: TileSource | null = null): StyleSpecification {
  return {
    version: 8,
    sources: {
      countries: { type: 'geojson', data: countries },
      ...(tiles
        ? { streets: { type: 'raster' as const, tiles: [tiles.tiles], tileSize: 256, maxzoom: 19, attribution: tiles.attribution } }
        : {}),
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#cfe0e8' } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } },
      ...(tiles ? [{ id: 'streets', type: 'raster' as const, source: 'streets' }] : []),
      {
        id: 'borders',
        type: 'line',
        source: 'countries',
        paint: { 'line-color': '#9a9387', 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.4, 8, 1.2] },
      },
    ],
  };
}
