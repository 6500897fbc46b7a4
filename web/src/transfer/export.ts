// Exports for officers: CSV with HXL hashtags (the humanitarian exchange convention) and GeoJSON
// (RFC 7946). The files are plaintext: the UI says so before it writes them.
import { toCsv, type CsvValue } from '#model/csv';
import { HXL_PERSON_NAME, HXL_PERSON_NAME_LATIN } from '#model/hxl';
import type { Community, Person } from '#model/records';

const sum = (band?: { children: number; adults: number; elderly: number }) => (band ? band.children + band.adults + band.elderly : undefined);

export const communityColumns: [header: string, tag: string, value: (community: Community) => CsvValue][] = [
  ['id', '#id', (c) => c.id],
  ['name', '#loc+name', (c) => c.name],
  ['latitude', '#geo+lat', (c) => c.location.lat],
  ['longitude', '#geo+lon', (c) => c.location.lon],
  ['place', '#loc+place', (c) => c.placeName],
  ['status', '#status', (c) => c.status],
  ['people', '#affected', (c) => c.headcount.total],
  ['women and girls', '#affected+f', (c) => sum(c.headcount.female)],
  ['men and boys', '#affected+m', (c) => sum(c.headcount.male)],
  ['children', '#affected+children', (c) => (c.headcount.female || c.headcount.male ? (c.headcount.female?.children ?? 0) + (c.headcount.male?.children ?? 0) : undefined)],
  ['elderly', '#affected+elderly', (c) => (c.headcount.female || c.headcount.male ? (c.headcount.female?.elderly ?? 0) + (c.headcount.male?.elderly ?? 0) : undefined)],
  ['nationalities', '#country+code', (c) => c.nationalities.map((n) => n.code).join(' ')],
  ['languages', '#language', (c) => c.languages.join(' ')],
  ['site type', '#loc+type', (c) => c.site.type],
  ['employer', '#org+employer', (c) => c.site.employer],
  ['needs', '#need', (c) => c.needs.join(' ')],
  ['vulnerabilities', '#affected+vulnerable', (c) => c.vulnerabilities.join(' ')],
  ['contact', '#contact+name', (c) => c.contact?.name],
  ['contact phone', '#contact+phone', (c) => c.contact?.phone],
  ['updated', '#date+updated', (c) => c.updatedAt],
];

export const personColumns: [header: string, tag: string, value: (person: Person) => CsvValue][] = [
  ['id', '#id', (p) => p.id],
  ['community id', '#loc+id', (p) => p.communityId],
  ['name', HXL_PERSON_NAME, (p) => p.name],
  ['name (Latin)', HXL_PERSON_NAME_LATIN, (p) => p.nameLatin],
  ['sex', '#sex', (p) => p.sex],
  ['date of birth', '#date+birth', (p) => p.dateOfBirth],
  ['nationality', '#country+code+nationality', (p) => p.nationality],
  ['refugee', '#indicator+refugee', (p) => (p.refugee ? 'yes' : 'no')],
  ['phone', '#contact+phone', (p) => p.phone],
  ['status', '#status', (p) => p.status],
  ['passport', '#indicator+passport', (p) => p.documents.passport],
  ['needs', '#need', (p) => p.needs.join(' ')],
  ['consent own consulate', '#indicator+consent+consulate', (p) => (p.consent.ownConsulate ? 'yes' : 'no')],
  ['consent host authorities', '#indicator+consent+authorities', (p) => (p.consent.hostAuthorities ? 'yes' : 'no')],
  ['consent humanitarian', '#indicator+consent+humanitarian', (p) => (p.consent.humanitarian ? 'yes' : 'no')],
  ['updated', '#date+updated', (p) => p.updatedAt],
];

/** Header row, HXL tag row, then one row per record. */
export function toHxlCsv<Body>(records: readonly Body[], columns: [string, string, (body: Body) => CsvValue][]): string {
  return toCsv([columns.map(([header]) => header), columns.map(([, tag]) => tag), ...records.map((record) => columns.map(([, , value]) => value(record)))]);
}

/** Communities as RFC 7946 points (longitude first, WGS 84), with the same fields as the CSV. */
export function toGeoJson(communities: readonly Community[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: communities.map((community) => ({
      type: 'Feature',
      id: community.id,
      geometry: { type: 'Point', coordinates: [Math.round(community.location.lon * 1e6) / 1e6, Math.round(community.location.lat * 1e6) / 1e6] },
      properties: Object.fromEntries(communityColumns.filter(([header]) => !['latitude', 'longitude'].includes(header)).map(([header, , value]) => [header, value(community) ?? null])),
    })),
  };
}
