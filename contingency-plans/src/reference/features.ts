// Small constructors so reference scenario modules read as data, not as GeoJSON boilerplate.
import type { HazardZone, LonLat, Route } from '../reference-scenarios.ts';

const kilometresPerDegree = 111.32;
const roundTo5 = (value: number) => Math.round(value * 1e5) / 1e5;

/** A closed polygon ring approximating a circle, for illustrative hazard zones. */
export function circleRing(lon: number, lat: number, radiusKilometres: number, steps = 32): LonLat[] {
  const ring: LonLat[] = [];
  for (let step = 0; step < steps; step++) {
    const angle = (2 * Math.PI * step) / steps;
    const dLat = (radiusKilometres * Math.sin(angle)) / kilometresPerDegree;
    const dLon = (radiusKilometres * Math.cos(angle)) / (kilometresPerDegree * Math.cos((lat * Math.PI) / 180));
    ring.push([roundTo5(lon + dLon), roundTo5(lat + dLat)]);
  }
  ring.push(ring[0]!);
  return ring;
}

export function circleZone(
  id: string,
  name: string,
  hazard: string,
  severity: HazardZone['properties']['severity'],
  note: string,
  [lon, lat]: LonLat,
  radiusKilometres: number,
): HazardZone {
  return {
    type: 'Feature',
    id,
    properties: { id, name, hazard, severity, note },
    geometry: { type: 'Polygon', coordinates: [circleRing(lon, lat, radiusKilometres)] },
  };
}

export function polygonZone(
  id: string,
  name: string,
  hazard: string,
  severity: HazardZone['properties']['severity'],
  note: string,
  ring: LonLat[],
): HazardZone {
  const closed = ring[0] && ring.at(-1) && ring[0].join() === ring.at(-1)?.join() ? ring : [...ring, ring[0]!];
  return { type: 'Feature', id, properties: { id, name, hazard, severity, note }, geometry: { type: 'Polygon', coordinates: [closed] } };
}

export function route(id: string, name: string, mode: Route['properties']['mode'], note: string, coordinates: LonLat[]): Route {
  return { type: 'Feature', id, properties: { id, name, mode, note }, geometry: { type: 'LineString', coordinates } };
}
