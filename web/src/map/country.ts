// Which country's territory holds a position, from the country shapes the app already ships for
// the offline basemap (Natural Earth 1:50m through world-atlas). It gives the country a national
// phone number typed for a community or a person is read in (decision 0802). world-atlas names
// countries by their ISO 3166-1 numeric code; iso-3166-1 turns that into the alpha-2 code the
// rest of the app uses. Works offline: the shapes are a static asset of the app.
import { booleanPointInPolygon, pointToPolygonDistance } from '@turf/turf';
import { whereNumeric } from 'iso-3166-1';
import { loadCountries } from './basemap.ts';

type Box = [west: number, south: number, east: number, north: number];

interface CountryShape {
  code: string;
  box: Box;
  feature: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
}

export interface CountryShapes {
  shapes: CountryShape[];
  /** Answers for places already asked about: the distance to a coastline takes tens of milliseconds, and a relay asks for every community. */
  answers: Map<string, string | null>;
}

/** Shapes without a numeric code in world-atlas that have an alpha-2 code in common use (libphonenumber-js reads +383 as XK). */
const byName: Record<string, string> = { Kosovo: 'XK' };

function boxOf(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], lon!);
      box[1] = Math.min(box[1], lat!);
      box[2] = Math.max(box[2], lon!);
      box[3] = Math.max(box[3], lat!);
    }
  }
  return box;
}

/** The countries of a world-atlas collection, each with its alpha-2 code and bounding box; shapes with no code are left out. */
export function indexCountries(countries: GeoJSON.FeatureCollection): CountryShapes {
  const shapes: CountryShape[] = [];
  for (const feature of countries.features) {
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const code = feature.id !== undefined ? whereNumeric(String(feature.id))?.alpha2 : byName[String(feature.properties?.name)];
    if (code) shapes.push({ code, box: boxOf(geometry), feature: feature as CountryShape['feature'] });
  }
  return { shapes, answers: new Map() };
}

/**
 * How far offshore a place may be and still be given the nearest country: the 1:50m coastline is
 * simplified, so a port or a beach camp can fall a few kilometres out at sea (ten of the Libya
 * demo's 300 communities, Derna port among them). 25 km is well inside any country's territorial
 * waters plus the shapes' error, and far less than the distance between two countries' mainlands
 * across the Mediterranean or the Red Sea.
 */
export const OFFSHORE_KM = 25;
// A degree of latitude is 111 km; a box grown by a little more than OFFSHORE_KM only costs a test.
const OFFSHORE_DEGREES = OFFSHORE_KM / 100;

/**
 * The ISO 3166-1 alpha-2 code of the country whose land holds `position`, else the nearest one
 * within OFFSHORE_KM of it, else null (open sea, a territory without a code).
 */
export function countryAt(countries: CountryShapes, position: { lon: number; lat: number } | null | undefined): string | null {
  if (!position || !Number.isFinite(position.lon) || !Number.isFinite(position.lat)) return null;
  const key = `${position.lon},${position.lat}`;
  let answer = countries.answers.get(key);
  if (answer === undefined) {
    answer = lookUp(countries, position);
    countries.answers.set(key, answer);
  }
  return answer;
}

function lookUp(countries: CountryShapes, { lon, lat }: { lon: number; lat: number }): string | null {
  const near: CountryShape[] = [];
  for (const shape of countries.shapes) {
    const [west, south, east, north] = shape.box;
    const margin = OFFSHORE_DEGREES / Math.max(Math.cos((lat * Math.PI) / 180), 0.1);
    if (lon < west - margin || lon > east + margin || lat < south - OFFSHORE_DEGREES || lat > north + OFFSHORE_DEGREES) continue;
    if (lon >= west && lon <= east && lat >= south && lat <= north && booleanPointInPolygon([lon, lat], shape.feature)) return shape.code;
    near.push(shape);
  }
  let best: { code: string; km: number } | null = null;
  for (const shape of near) {
    const km = pointToPolygonDistance([lon, lat], shape.feature, { units: 'kilometers' });
    if (km <= OFFSHORE_KM && (!best || km < best.km)) best = { code: shape.code, km };
  }
  return best?.code ?? null;
}

let shapes: Promise<CountryShapes> | null = null;

/** The shipped country shapes, indexed once per page. */
export function loadCountryShapes(): Promise<CountryShapes> {
  shapes ??= loadCountries().then(indexCountries);
  shapes.catch(() => (shapes = null));
  return shapes;
}
