import { readFileSync } from 'node:fs';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { demoRecords } from '#fixtures';
import { countryAt, indexCountries } from './country.ts';

// The same file the app ships for its offline basemap.
const topology = JSON.parse(
  readFileSync(new URL('../../../node_modules/world-atlas/countries-50m.json', import.meta.url), 'utf8'),
) as Topology;
const countries = indexCountries(feature(topology, topology.objects.countries!) as unknown as GeoJSON.FeatureCollection);

describe('countryAt', () => {
  it.each([
    ['Tripoli', 13.18, 32.89, 'LY'],
    ['Khartoum', 32.53, 15.59, 'SD'],
    ['Kathmandu', 85.32, 27.7, 'NP'],
    ['Dhaka', 90.41, 23.81, 'BD'],
    ['Cairo', 31.24, 30.04, 'EG'],
    ['Addis Ababa', 38.75, 9.03, 'ET'],
    ['Pristina', 21.17, 42.66, 'XK'],
    // On the water by the 1:50m coastline, ashore in fact: the nearest country within 25 km.
    ['Derna port', 22.655, 32.768, 'LY'],
  ])('%s is in %s', (_place, lon, lat, code) => {
    expect(countryAt(countries, { lon, lat })).toBe(code);
  });

  it('gives no country in open sea or for no position', () => {
    expect(countryAt(countries, { lon: 18, lat: 35 })).toBeNull();
    expect(countryAt(countries, { lon: -30, lat: 0 })).toBeNull();
    expect(countryAt(countries, undefined)).toBeNull();
    expect(countryAt(countries, { lon: Number.NaN, lat: 1 })).toBeNull();
  });

  it('places every community of the Libya demo in Libya', () => {
    const { communities } = demoRecords();
    expect(new Set(communities.map((community) => countryAt(countries, community.location)))).toEqual(new Set(['LY']));
  });
});
