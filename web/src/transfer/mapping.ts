// From spreadsheet columns to record fields: a guess from the column names (and HXL tags, and the
// group paths of ODK/KoboToolbox exports), which the person can change, then every row checked
// with the record schema (model/forms.ts) and either imported or refused with its reasons. Phones
// are stored in E.164, read in the country of the row's place (decision 0802); one that cannot be
// read is imported as it was written and reported with its row.
import type { RecordVersion } from '#model/merge';
import { buildCommunity, buildPerson, type FormValues, type PhoneNotice, type RecordModel } from '#model/forms';
import type { PhoneProblem } from '#model/phone';
import { fieldsOf, type Field } from '#model/fields';
import type { Community, Person, Position, RecordBody } from '#model/records';
import type { Table } from './table.ts';

export type ImportKind = 'community' | 'person';

/** The catalogue fields of a kind an import can fill: those with column names to recognise (model/src/fields.ts). */
export function importFields<Body extends RecordBody = RecordBody>(
  kind: ImportKind,
  fields: readonly Field<Body>[] = fieldsOf[kind] as readonly Field[] as readonly Field<Body>[],
): readonly Field<Body>[] {
  return fields.filter((field) => field.synonyms.length > 0);
}

/** Record fields a column can fill; the names are the form's field names. */
export const targets: Record<ImportKind, readonly string[]> = {
  community: importFields('community').map((field) => field.name),
  person: importFields('person').map((field) => field.name),
};

/** "group_ab12/Number of people" → "numberofpeople"; "#affected +f" → "#affectedf". */
function key(text: string): string {
  const last = text.split('/').pop() ?? text;
  return last
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9#]+/g, '');
}

export type ColumnMapping = (string | null)[];

/** The catalogue field an ODK/Kobo column named <geopoint>_latitude, _longitude or _precision fills. */
const odkTargets: Record<string, string> = { latitude: 'latitude', longitude: 'longitude', precision: 'positionAccuracy' };

export function guessMapping<Body extends RecordBody = RecordBody>(
  table: Pick<Table, 'headers' | 'tags'>,
  kind: ImportKind,
  fields?: readonly Field<Body>[],
): ColumnMapping {
  const importable = importFields(kind, fields);
  const used = new Set<string>();
  return table.headers.map((header, index) => {
    const candidates = [table.tags?.[index] ?? '', header].map(key).filter(Boolean);
    for (const candidate of candidates) {
      // ODK/Kobo add _latitude/_longitude/_precision columns after a geopoint named anything.
      const odk = /^(.*)(latitude|longitude|precision)$/.exec(candidate);
      for (const field of importable) {
        const target = field.name;
        if (used.has(target)) continue;
        if (field.synonyms.includes(candidate) || key(target) === candidate || (odk && target === odkTargets[odk[2]!])) {
          used.add(target);
          return target;
        }
      }
    }
    return null;
  });
}

const yes = new Set(['yes', 'y', 'true', '1', 'oui', 'si', 'sí', 'نعم', 'x']);
const sexes: Record<string, string> = {
  f: 'female',
  female: 'female',
  woman: 'female',
  femme: 'female',
  mujer: 'female',
  m: 'male',
  male: 'male',
  man: 'male',
  homme: 'male',
  hombre: 'male',
  other: 'other',
  unknown: 'unknown',
};

function enumValue(value: string, allowed: readonly string[]): string {
  const normal = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return allowed.includes(normal) ? normal : value.trim();
}

function listValue(value: string, allowed: readonly string[]): string[] {
  return value
    .split(/[\s,;|]+/)
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)
    .map((item) => (allowed.includes(item) ? item : `?${item}`));
}

/** A date as typed or as an Excel serial number, to YYYY-MM-DD; day first when ambiguous (most of the world). */
export function isoDate(value: string): string {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return text.slice(0, 10);
  if (/^\d{5}(\.\d+)?$/.test(text))
    return new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(text)) * 86_400_000).toISOString().slice(0, 10);
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (match) return `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
  return text;
}

export interface ImportDefaults {
  status: string;
  siteType: string;
}

/** One row as the form's values, with unknown choices marked so the schema refuses them by name. */
export function rowValues<Body extends RecordBody = RecordBody>(
  row: readonly string[],
  mapping: ColumnMapping,
  kind: ImportKind,
  defaults: ImportDefaults,
  fields: readonly Pick<Field<Body>, 'name' | 'input'>[] = fieldsOf[kind],
): { values: FormValues; location: Position | undefined; communityName?: string } {
  const values: FormValues = { status: defaults.status, siteType: defaults.siteType };
  const byName = new Map(fields.map((field) => [field.name, field]));
  let latitude = '';
  let longitude = '';
  let accuracy = '';
  let communityName: string | undefined;
  const consent: string[] = [];
  mapping.forEach((target, index) => {
    const cell = (row[index] ?? '').trim();
    if (!target || cell === '') return;
    switch (target) {
      case 'latitude':
        latitude = cell;
        break;
      case 'longitude':
        longitude = cell;
        break;
      case 'geopoint': {
        // ODK writes "lat lon altitude accuracy".
        const [lat, lon, , precision] = cell.split(/[\s,]+/);
        latitude ||= lat ?? '';
        longitude ||= lon ?? '';
        accuracy ||= precision ?? '';
        break;
      }
      case 'positionAccuracy':
        accuracy = cell;
        break;
      case 'positionSource':
        // What a file says about where a position came from is the file's claim: an import is an import.
        break;
      case 'sex':
        values.sex = sexes[cell.toLowerCase()] ?? cell;
        break;
      case 'refugee':
        values.refugee = yes.has(cell.toLowerCase()) ? ['yes'] : [];
        break;
      case 'communityName':
        communityName = cell;
        break;
      case 'consent.ownConsulate':
      case 'consent.hostAuthorities':
      case 'consent.humanitarian':
        if (yes.has(cell.toLowerCase())) consent.push(target.slice('consent.'.length));
        break;
      default: {
        // Anything else is read by how the catalogue says the field is asked for.
        const input = byName.get(target)?.input;
        if (input?.kind === 'choice') values[target] = enumValue(cell, input.options);
        else if (input?.kind === 'choices') values[target] = listValue(cell, input.options);
        else if (input?.kind === 'date') values[target] = isoDate(cell);
        else if (input?.kind === 'yes') values[target] = yes.has(cell.toLowerCase()) ? ['yes'] : [];
        else values[target] = cell;
      }
    }
  });
  values.consent = consent;
  const lat = Number(latitude.replace(',', '.'));
  const lon = Number(longitude.replace(',', '.'));
  const metres = Number(accuracy.replace(',', '.'));
  const location =
    latitude !== '' && longitude !== '' && Number.isFinite(lat) && Number.isFinite(lon)
      ? {
          lat,
          lon,
          source: 'imported' as const,
          ...(accuracy !== '' && Number.isFinite(metres) && metres >= 0 ? { accuracy: metres } : {}),
        }
      : undefined;
  return { values, location, ...(communityName ? { communityName } : {}) };
}

export interface ImportFailure {
  row: number;
  reasons: string[];
}

/** A phone imported as it was written, because it could not be put in E.164. */
export interface ImportNotice {
  row: number;
  /** The field, by the name the column mapping uses. */
  field: 'phone' | 'contactPhone' | 'familyPhone';
  typed: string;
  problem: PhoneProblem;
}

export interface ImportResult {
  versions: RecordVersion[];
  failures: ImportFailure[];
  notices: ImportNotice[];
}

const noticeField: Record<PhoneNotice['path'], ImportNotice['field']> = {
  phone: 'phone',
  'contact.phone': 'contactPhone',
  'familyContact.phone': 'familyPhone',
};

export interface ImportContext {
  memberId: string;
  at: string;
  newId: () => string;
  defaults: ImportDefaults;
  communities?: readonly Community[];
  /** The country a national phone number of a row at `place` is read in (place: the row's, else its community's), or null. */
  phoneCountry?: (place: Position | undefined) => string | null;
}

/**
 * Every row checked with the record schema; the good ones become version 1 of a new record. `model`:
 * the catalogue and schema to import with (by default the app's; a test passes one with a field added).
 */
export function importRows<Body extends RecordBody = RecordBody>(
  table: Table,
  mapping: ColumnMapping,
  kind: ImportKind,
  context: ImportContext,
  model?: { fields: readonly Field<Body>[]; schema: RecordModel<Body>['schema'] },
): ImportResult {
  const fields: readonly Pick<Field<Body>, 'name' | 'input'>[] = model?.fields ?? fieldsOf[kind];
  const communityByName = new Map((context.communities ?? []).map((community) => [community.name.trim().toLowerCase(), community]));
  const versions: RecordVersion[] = [];
  const failures: ImportFailure[] = [];
  const notices: ImportNotice[] = [];
  table.rows.forEach((row, index) => {
    const rowNumber = table.rowNumbers[index] ?? index + 2;
    const { values, location, communityName } = rowValues(row, mapping, kind, context.defaults, fields);
    const reasons: string[] = [];
    const unknown = fields
      .filter((field) => field.input.kind === 'choices')
      .flatMap((field) => (Array.isArray(values[field.name]) ? (values[field.name] as string[]) : []))
      .filter((item) => item.startsWith('?'));
    for (const item of unknown) reasons.push(`unknown choice "${item.slice(1)}"`);
    if (kind === 'community' && !location) reasons.push('location: needs a latitude and a longitude');
    const community = communityName ? communityByName.get(communityName.toLowerCase()) : undefined;
    if (community) values.communityId = community.id;
    else if (communityName) reasons.push(`community: no community named "${communityName}"`);
    const phoneCountry = context.phoneCountry?.(location ?? community?.location) ?? null;
    const buildContext = {
      id: context.newId(),
      memberId: context.memberId,
      at: context.at,
      ...(location ? { location } : {}),
      phoneCountry,
    };
    const built = model
      ? kind === 'community'
        ? buildCommunity(values, null, buildContext, model as RecordModel<Community>)
        : buildPerson(values, null, buildContext, model as RecordModel<Person>)
      : kind === 'community'
        ? buildCommunity(values, null, buildContext)
        : buildPerson(values, null, buildContext);
    if (!built.ok)
      for (const issue of built.issues)
        if (!(kind === 'community' && issue.path.startsWith('location') && !location))
          reasons.push(`${issue.path || 'record'}: ${issue.message}`);
    if (reasons.length > 0 || !built.ok) failures.push({ row: rowNumber, reasons: [...new Set(reasons)] });
    else {
      versions.push({ version: 1, body: built.body });
      for (const notice of built.notices)
        notices.push({ row: rowNumber, field: noticeField[notice.path], typed: notice.typed, problem: notice.problem });
    }
  });
  return { versions, failures, notices };
}
