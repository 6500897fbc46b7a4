// Files a plan leaves as: GeoJSON, KML and HXL-tagged CSV (strings from the library), and the
// hazard-zone imports by file type. Pure; the screen turns them into downloads.
import {
  assignmentCsv,
  hazardZonesFromCap,
  hazardZonesFromGeoJson,
  hazardZonesFromKml,
  hxlCsv,
  planToGeoJson,
  planToKml,
  type AssignmentResult,
  type ConvertError,
  type HazardZone,
  type Plan,
} from '#plans';

import type { Download } from '../ui/download.ts';

export function fileStem(plan: Plan): string {
  return (
    plan.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'plan'
  ).slice(0, 60);
}

export const geoJsonDownload = (plan: Plan): Download => ({
  name: `${fileStem(plan)}.geojson`,
  type: 'application/geo+json',
  text: planToGeoJson(plan),
});
export const kmlDownload = (plan: Plan): Download => ({
  name: `${fileStem(plan)}.kml`,
  type: 'application/vnd.google-earth.kml+xml',
  text: planToKml(plan),
});

export function assignmentDownload(plan: Plan, assignment: AssignmentResult): Download {
  const names = new Map(plan.assemblyPoints.map((point) => [point.id, point.name]));
  return { name: `${fileStem(plan)}-assignment.csv`, type: 'text/csv', text: assignmentCsv(assignment, { assemblyPoints: names }) };
}

/** Assembly points, shelters and border crossings as one HXL table. */
export function placesDownload(plan: Plan): Download {
  const columns = [
    { header: 'Layer', tag: '#loc+type' },
    { header: 'Id', tag: '#loc+code' },
    { header: 'Name', tag: '#loc+name' },
    { header: 'Latitude', tag: '#geo+lat' },
    { header: 'Longitude', tag: '#geo+lon' },
    { header: 'Capacity', tag: '#capacity' },
  ];
  const rows = [
    ...plan.assemblyPoints.map((point) => ['assembly_point', point.id, point.name, point.lat, point.lon, point.capacity]),
    ...plan.shelters.map((shelter) => ['shelter', shelter.id, shelter.name, shelter.lat, shelter.lon, shelter.capacity]),
    ...plan.borderCrossings.map((crossing) => ['border_crossing', crossing.id, crossing.name, crossing.lat, crossing.lon, '']),
  ];
  return { name: `${fileStem(plan)}-places.csv`, type: 'text/csv', text: hxlCsv(columns, rows) };
}

export type ZoneImport = { ok: true; format: 'GeoJSON' | 'KML' | 'CAP'; zones: HazardZone[] } | { ok: false; message: string };

/** Why a file was refused, with where in it when the reader says (a KML placemark, a GeoJSON path). */
const refusal = (error: ConvertError) => (error.where ? `${error.message} (${error.where})` : error.message);

/** Hazard zones from a dropped file: CAP alerts and KML are XML (told apart by their root), else GeoJSON. */
export function importZones(fileName: string, text: string): ZoneImport {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    const isCap = /<(\w+:)?alert[\s>]/.test(trimmed) && /urn:oasis:names:tc:emergency:cap/.test(trimmed);
    const result = isCap ? hazardZonesFromCap(text) : hazardZonesFromKml(text);
    return result.ok ? { ok: true, format: isCap ? 'CAP' : 'KML', zones: result.value } : { ok: false, message: refusal(result.error) };
  }
  const result = hazardZonesFromGeoJson(text, fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9-]+/g, '-') || 'geojson');
  return result.ok ? { ok: true, format: 'GeoJSON', zones: result.value } : { ok: false, message: refusal(result.error) };
}
