// The evacuation manifest from an opened release: people grouped by community, sortable, and an
// HXL-tagged CSV (header row, hashtag row, data) that humanitarian tools read. Pure functions; the
// consulate's or city's device builds it from the records it opened (web/src/activation).
// Phones are given in E.164 when they can be read in the country of the record's place (decision
// 0802), else as the CSO stored them: nothing is dropped, and only a readable number gets a link.
import { cellOf, communityFields, personFields, type Field } from '#model/fields';
import type { Community, Person, RecordBody } from '#model/records';
import { e164Of, type E164 } from '#model/phone';
import { hxlCsv, type HxlColumn } from './hxl.ts';

export type Released = Record<string, unknown>;

export interface ManifestRow {
  id: string;
  kind: 'community' | 'person';
  communityId: string | null;
  community: string;
  name: string;
  nationality: string;
  sex: string;
  dateOfBirth: string;
  /** In E.164 when it can be read, else as stored. */
  phone: string;
  /** The number to call or message, or null when the stored one cannot be read. */
  phoneE164: E164 | null;
  familyContact: string;
  passport: string;
  needs: string;
  vulnerabilities: string;
  status: string;
  headcount: number | null;
  /** Women and girls, men and boys, when the community's breakdown is known (HXL +f, +m). */
  female: number | null;
  male: number | null;
  lat: number | null;
  lon: number | null;
  place: string;
  /** The record as released, for the columns the field catalogue gives. */
  record: Released;
  /** The country national phone numbers of this row are read in (null: only "+" numbers are read). */
  phoneCountry: string | null;
}

export interface ManifestGroup {
  communityId: string | null;
  community: string;
  headcount: number | null;
  /** The community's own row (absent when only people of it were released). */
  row: ManifestRow | null;
  people: ManifestRow[];
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item) => typeof item === 'string').join('; ') : '');

function bandTotal(bands: unknown): number | null {
  if (!bands || typeof bands !== 'object') return null;
  const values = Object.values(bands as Record<string, unknown>).filter((value): value is number => typeof value === 'number');
  return values.length ? values.reduce((sum, value) => sum + value, 0) : null;
}

/** The country a national phone number of someone at `place` is read in, or null. */
export type PhoneCountryOf = (place: { lon: number; lat: number } | undefined) => string | null;

type Place = { lon: number; lat: number };
const placeOf = (value: unknown): Place | undefined => {
  const place = value as Partial<Place> | undefined;
  return typeof place?.lon === 'number' && typeof place.lat === 'number' ? { lon: place.lon, lat: place.lat } : undefined;
};

function rowOf(
  record: Released,
  communities: Map<string, { name: string; place: Place | undefined }>,
  phoneCountryOf: PhoneCountryOf,
): ManifestRow {
  const location = record.location as { lon?: number; lat?: number } | undefined;
  const kind = record.kind === 'community' ? 'community' : 'person';
  const communityId = kind === 'community' ? text(record.id) : text(record.communityId) || null;
  const nationalities = record.nationalities;
  const family = record.familyContact as { name?: string; phone?: string } | undefined;
  // A person's own place, else their released community's: the country their numbers are read in.
  const country = phoneCountryOf(placeOf(record.location) ?? (communityId ? communities.get(communityId)?.place : undefined));
  const phoneE164 = e164Of(text(record.phone), country);
  const familyPhone = text(family?.phone);
  return {
    id: text(record.id),
    kind,
    communityId,
    community: communityId ? (communities.get(communityId)?.name ?? '') : '',
    name: text(record.name),
    nationality:
      kind === 'person'
        ? text(record.nationality)
        : Array.isArray(nationalities)
          ? nationalities.map((item) => text((item as { code?: unknown })?.code)).join('; ')
          : '',
    sex: text(record.sex),
    dateOfBirth: text(record.dateOfBirth),
    phone: phoneE164 ?? text(record.phone),
    phoneE164,
    familyContact: family ? [text(family.name), e164Of(familyPhone, country) ?? familyPhone].filter(Boolean).join(' ') : '',
    passport: text((record.documents as { passport?: unknown } | undefined)?.passport),
    needs: list(record.needs),
    vulnerabilities: list(record.vulnerabilities),
    status: text(record.status),
    headcount: typeof (record.headcount as { total?: unknown })?.total === 'number' ? (record.headcount as { total: number }).total : null,
    female: bandTotal((record.headcount as { female?: unknown } | undefined)?.female),
    male: bandTotal((record.headcount as { male?: unknown } | undefined)?.male),
    lat: typeof location?.lat === 'number' ? location.lat : null,
    lon: typeof location?.lon === 'number' ? location.lon : null,
    place: text(record.placeName),
    record,
    phoneCountry: country,
  };
}

export type SortKey = 'name' | 'nationality' | 'status' | 'passport' | 'needs' | 'dateOfBirth';

export interface ManifestOptions {
  sort?: SortKey;
  descending?: boolean;
  /** Where national phone numbers are read; without it only numbers written with their "+" are. */
  phoneCountryOf?: PhoneCountryOf;
}

/** Groups people under their community (communities by name; people without one last), people sorted by `sort`. */
export function buildManifest(
  records: readonly Released[],
  { sort = 'name', descending = false, phoneCountryOf = () => null }: ManifestOptions = {},
): ManifestGroup[] {
  const communities = new Map<string, { name: string; place: Place | undefined }>();
  for (const record of records)
    if (record.kind === 'community')
      communities.set(text(record.id), {
        name: text(record.name) || `Community ${text(record.id).slice(0, 8)}`,
        place: placeOf(record.location),
      });
  const groups = new Map<string | null, ManifestGroup>();
  const groupOf = (communityId: string | null) => {
    let group = groups.get(communityId);
    if (!group) {
      group = {
        communityId,
        community: communityId
          ? (communities.get(communityId)?.name ?? `Community ${communityId.slice(0, 8)}`)
          : 'Not in a released community',
        headcount: null,
        row: null,
        people: [],
      };
      groups.set(communityId, group);
    }
    return group;
  };
  for (const record of records) {
    const row = rowOf(record, communities, phoneCountryOf);
    if (row.kind === 'community') {
      const group = groupOf(row.id);
      group.row = row;
      group.headcount = row.headcount;
    } else groupOf(row.communityId && communities.has(row.communityId) ? row.communityId : null).people.push(row);
  }
  const direction = descending ? -1 : 1;
  for (const group of groups.values())
    group.people.sort((a, b) => direction * (a[sort].localeCompare(b[sort]) || a.name.localeCompare(b.name)));
  return [...groups.values()].sort((a, b) =>
    a.communityId === null ? 1 : b.communityId === null ? -1 : a.community.localeCompare(b.community),
  );
}

type Column = HxlColumn & { value: (row: ManifestRow) => string | number | null | undefined };

/**
 * The manifest's columns: the community a row belongs to and the kind of record, then every column
 * of the field catalogue (model/src/fields.ts), communities' and people's, one per hashtag, then the
 * record id. A field the release did not let through reads as empty; a phone is written in E.164
 * when it reads in the row's country, else as stored.
 */
export function manifestColumns<P extends Person = Person>(
  catalogues: { community: readonly Field<Community>[]; person: readonly Field<P>[] } = {
    community: communityFields,
    person: personFields as readonly Field[] as readonly Field<P>[],
  },
): Column[] {
  const byTag = new Map<string, { header: string; fields: Partial<Record<'community' | 'person', Field<Community> | Field<P>>> }>();
  for (const kind of ['community', 'person'] as const) {
    const fields: readonly (Field<Community> | Field<P>)[] = catalogues[kind];
    for (const field of fields) {
      if (!field.column) continue;
      const column = byTag.get(field.column.hxl) ?? { header: field.column.header, fields: {} };
      column.fields[kind] = field;
      byTag.set(field.column.hxl, column);
    }
  }
  const cellFor = (field: Field<Community> | Field<P> | undefined, row: ManifestRow) => {
    if (!field) return undefined;
    const value = (field as Field<RecordBody>).read(row.record as Partial<RecordBody>);
    if (field.input.kind === 'phone' && typeof value === 'string') return e164Of(value, row.phoneCountry) ?? value;
    return cellOf(value);
  };
  return [
    { header: 'community', tag: '#group+community+name', value: (row) => row.community },
    { header: 'record', tag: '#meta+kind', value: (row) => row.kind },
    ...[...byTag].map(([tag, { header, fields }]): Column => ({ header, tag, value: (row) => cellFor(fields[row.kind], row) })),
    { header: 'id', tag: '#id', value: (row) => row.id },
  ];
}

const columns = manifestColumns();

/** The manifest as HXL CSV: each community's row, then its people (cells that could be formulas are neutralised). */
export function manifestToCsv(groups: readonly ManifestGroup[], using: readonly Column[] = columns): string {
  const rows = groups
    .flatMap((group) => [...(group.row ? [group.row] : []), ...group.people])
    .map((row) => using.map((column) => column.value(row) ?? null));
  return hxlCsv(
    using.map(({ header, tag }) => ({ header, tag })),
    rows,
  );
}

export const manifestHashtags = columns.map((column) => column.tag);
