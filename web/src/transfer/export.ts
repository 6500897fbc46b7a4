// Exports for officers: CSV with HXL hashtags (the humanitarian exchange convention) and GeoJSON
// (RFC 7946). The files are plaintext: the UI says so before it writes them.
import { toCsv, type CsvValue } from '#model/csv';
import { cellOf, columnsOf, communityFields, personFields, type Field } from '#model/fields';
import type { Community, Person, RecordBody } from '#model/records';

export type Column<Body> = [header: string, tag: string, value: (body: Body) => CsvValue];

/** The record's id, then every catalogue field that is a column (model/src/fields.ts), in catalogue order. */
export function columnsFor<Body extends RecordBody>(fields: readonly Field<Body>[]): Column<Body>[] {
  return [
    ['id', '#id', (body) => body.id],
    ...columnsOf(fields).map((field): Column<Body> => [field.column.header, field.column.hxl, (body) => cellOf(field.read(body))]),
  ];
}

export const communityColumns: Column<Community>[] = columnsFor(communityFields);
export const personColumns: Column<Person>[] = columnsFor(personFields);

/** Header row, HXL tag row, then one row per record. */
export function toHxlCsv<Body>(records: readonly Body[], columns: readonly Column<Body>[]): string {
  return toCsv([
    columns.map(([header]) => header),
    columns.map(([, tag]) => tag),
    ...records.map((record) => columns.map(([, , value]) => value(record))),
  ]);
}

/** Communities as RFC 7946 points (longitude first, WGS 84), with the same fields as the CSV. */
export function toGeoJson(communities: readonly Community[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: communities.map((community) => ({
      type: 'Feature',
      id: community.id,
      geometry: {
        type: 'Point',
        coordinates: [Math.round(community.location.lon * 1e6) / 1e6, Math.round(community.location.lat * 1e6) / 1e6],
      },
      properties: Object.fromEntries(
        communityColumns
          .filter(([header]) => !['latitude', 'longitude'].includes(header))
          .map(([header, , value]) => [header, value(community) ?? null]),
      ),
    })),
  };
}
