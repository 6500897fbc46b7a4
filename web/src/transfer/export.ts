// Exports for officers: CSV with HXL hashtags (the humanitarian exchange convention) and GeoJSON
// (RFC 7946). The files are plaintext: the UI says so before it writes them.
import { toCsv, type CsvValue } from '#model/csv';
import { cellOf, columnsOf, communityFields, personFields, type Field } from '#model/fields';
import { e164Of } from '#model/phone';
import type { Community, Person, RecordBody } from '#model/records';

export type Column<Body> = [header: string, tag: string, value: (body: Body) => CsvValue];

/** The country a record's national phone numbers are read in (decision 0802), or null. */
export type PhoneCountryOfRecord<Body> = (body: Body) => string | null;

/**
 * The record's id, then every catalogue field that is a column (model/src/fields.ts), in catalogue
 * order. A phone is written in E.164 when it can be read in the record's country (as the manifest
 * and the relay write it), else as it was typed.
 */
export function columnsFor<Body extends RecordBody>(
  fields: readonly Field<Body>[],
  phoneCountry?: PhoneCountryOfRecord<Body>,
): Column<Body>[] {
  const cell = (field: Field<Body>) => (body: Body) => {
    const value = field.read(body);
    if (field.input.kind !== 'phone' || typeof value !== 'string') return cellOf(value);
    return e164Of(value, phoneCountry?.(body)) ?? value;
  };
  return [
    ['id', '#id', (body) => body.id],
    ...columnsOf(fields).map((field): Column<Body> => [field.column.header, field.column.hxl, cell(field)]),
  ];
}

export const communityColumns: Column<Community>[] = columnsFor(communityFields);
export const personColumns: Column<Person>[] = columnsFor(personFields);

type Place = { lon: number; lat: number } | undefined;

/** The export's columns with phones read in the country of each record's place (a person's own, else their community's). */
export function exportColumns(communities: readonly Community[], phoneCountryOf: (place: Place) => string | null) {
  const places = new Map(communities.map((community) => [community.id, community.location]));
  return {
    communities: columnsFor<Community>(communityFields, (community) => phoneCountryOf(community.location)),
    persons: columnsFor<Person>(personFields, (person) =>
      phoneCountryOf(person.location ?? (person.communityId ? places.get(person.communityId) : undefined)),
    ),
  };
}

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
