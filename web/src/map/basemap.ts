// The embedded offline basemap: Natural Earth countries (public domain, via world-atlas), shipped
// with the app as a static asset, so the map works with no tile server and no network.
import type { StyleSpecification } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';

export async function loadCountries(): Promise<GeoJSON.FeatureCollection> {
  const response = await fetch(countriesUrl);
  if (!response.ok) throw new Error(`the basemap could not be loaded (${response.status})`);
  const topology = (await response.json()) as Topology;
  const countries = topology.objects['countries'];
  if (!countries) throw new Error('the basemap file has no countries layer');
  return feature(topology, countries) as unknown as GeoJSON.FeatureCollection;
}

export function basemapStyle(countries: GeoJSON.FeatureCollection): StyleSpecification {
  return {
    version: 8,
    sources: { countries: { type: 'geojson', data: countries } },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#cfe0e8' } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } },
      { id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#9a9387', 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.4, 8, 1.2] } },
    ],
  };
}
