// From what a person typed to a record body, and back. Pure: the form components collect their
// fields into FormValues (strings, or lists for checkboxes) and hand them here. Validation is the
// record schema's; a status or place change appends a whereabouts entry, never overwrites one.
// Phones are stored in E.164 when they can be read, else as typed with a notice (./phone.ts).
import type { z } from 'zod';
import { communityFields, personFields, type Field } from './fields.ts';
import { phoneToStore, type PhoneProblem } from './phone.ts';
import {
  community as communitySchema,
  person as personSchema,
  RECORD_SCHEMA_VERSION,
  type Community,
  type Person,
  type Position,
  type VersionReference,
  type Whereabouts,
} from './records.ts';

export type FormValues = Record<string, string | string[] | undefined>;

/** A phone kept as typed because it could not be put in E.164, and why. */
export interface PhoneNotice {
  path: 'phone' | 'contact.phone' | 'familyContact.phone';
  typed: string;
  problem: PhoneProblem;
}

export type BuildResult<Body> =
  | { ok: true; body: Body; notices: PhoneNotice[] }
  | { ok: false; issues: { path: string; message: string }[] };

const text = (values: FormValues, name: string) => {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
};
const list = (values: FormValues, name: string) => {
  const value = values[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};
const optional = (value: string) => (value === '' ? undefined : value);
const words = (value: string) =>
  value
    .split(/[,;\n]+/)
    .map((item) => item.trim())
    .filter(Boolean);
const numberOrNaN = (value: string) => (value === '' ? Number.NaN : Number(value));

/** "NP 40, IN 12, BD" or "ER ET" or "NP:40" → [{code: NP, count: 40}, …]; anything else is kept for the schema to refuse. */
export function parseNationalities(value: string): { code: string; count?: number }[] {
  const result: { code: string; count?: number }[] = [];
  for (const token of value.split(/[\s,;|/:=×]+/).filter(Boolean)) {
    const last = result[result.length - 1];
    if (/^\d+$/.test(token) && last && last.count === undefined) last.count = Number(token);
    else result.push({ code: token.toUpperCase() });
  }
  return result;
}

export function formatNationalities(nationalities: Community['nationalities']): string {
  return nationalities.map(({ code, count }) => (count === undefined ? code : `${code} ${count}`)).join(', ');
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** A whereabouts entry when the status or the place changed since the last one. */
export function whereaboutsChange(
  history: readonly Whereabouts[],
  status: Whereabouts['status'],
  location: Position | undefined,
  placeName: string | undefined,
  at: string,
): Whereabouts | null {
  const last = history[history.length - 1];
  const samePlace = (a?: Position, b?: Position) => (a && b ? Math.abs(a.lon - b.lon) < 1e-6 && Math.abs(a.lat - b.lat) < 1e-6 : a === b);
  if (last && last.status === status && samePlace(last.location, location) && (placeName === undefined || last.placeName === placeName))
    return null;
  return { at, status, ...(location ? { location } : {}), ...(placeName ? { placeName } : {}) };
}

const BANDS = ['children', 'adults', 'elderly'] as const;

function breakdown(values: FormValues, sex: 'female' | 'male') {
  const numbers = BANDS.map((band) => text(values, `${sex}.${band}`));
  if (numbers.every((value) => value === '')) return undefined;
  return Object.fromEntries(BANDS.map((band, index) => [band, numbers[index] === '' ? 0 : Number(numbers[index])])) as Record<
    (typeof BANDS)[number],
    number
  >;
}

export interface BuildContext {
  id: string;
  memberId: string;
  at: string;
  location?: Position;
  /** ISO 3166-1 alpha-2: the country a phone typed without "+" or "00" is read in (decision 0802). */
  phoneCountry?: string | null;
}

/** Each phone field's value to store, and a notice for each kept as typed. */
function phones(fields: { path: PhoneNotice['path']; typed: string; stored: string | undefined }[], country: string | null | undefined) {
  const notices: PhoneNotice[] = [];
  const values = fields.map(({ path, typed, stored }) => {
    const { value, problem } = phoneToStore(typed, stored, country);
    if (problem && value !== undefined) notices.push({ path, typed: value, problem });
    return value;
  });
  return { values, notices };
}

/** The status and place a form gives, and the whereabouts entry they add to the record's history, if any. */
function whereaboutsOf<Status extends Whereabouts['status']>(
  values: FormValues,
  existing: { history: readonly Whereabouts[]; location?: Position } | null,
  context: BuildContext,
) {
  const status = text(values, 'status') as Status;
  const location = context.location ?? existing?.location;
  const placeName = optional(text(values, 'placeName'));
  const history = existing?.history ?? [];
  return { status, location, placeName, history, change: whereaboutsChange(history, status, location, placeName, context.at) };
}

/** What communities and people share: needs, vulnerabilities, status and its history, notes, merge parents. */
function sharedFields<Status extends Whereabouts['status']>(
  values: FormValues,
  { status, history, change }: { status: Status; history: readonly Whereabouts[]; change: Whereabouts | null },
  existing: { parents?: VersionReference[] } | null,
) {
  return {
    needs: list(values, 'needs'),
    vulnerabilities: list(values, 'vulnerabilities'),
    status,
    history: change ? [...history, change] : history,
    ...(text(values, 'notes') ? { notes: text(values, 'notes') } : {}),
    ...(existing?.parents ? { parents: existing.parents } : {}),
  };
}

/**
 * The catalogue's fields this build has no rule of its own for, read from the form by how the
 * catalogue says they are asked: a field added to the catalogue (model/src/fields.ts) is built with
 * no other change here. Fields in a group, or drawn by hand, keep the rules above.
 */
export function catalogueValues(
  values: FormValues,
  fields: readonly FieldShape[],
  built: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.group || field.name !== field.property || Object.hasOwn(built, field.property)) continue;
    const input = field.input;
    if (input.kind === 'custom' || input.kind === 'phone') continue;
    if (input.kind === 'choices') out[field.property] = list(values, field.name);
    else if (input.kind === 'yes') out[field.property] = list(values, field.name).includes('yes');
    else if (input.kind === 'words') out[field.property] = words(text(values, field.name));
    else {
      const value = text(values, field.name);
      if (value !== '') out[field.property] = input.kind === 'country' ? value.toUpperCase() : value;
      else if (input.kind === 'choice') out[field.property] = input.fallback;
    }
  }
  return out;
}

/** What a build checks a record against: the catalogue and the schema (a test passes a catalogue with a field added). */
export interface RecordModel<Body> {
  fields: readonly FieldShape[];
  schema: z.ZodType<Body>;
}

/** What a build reads of a catalogue entry (a catalogue of a record with more fields fits too). */
type FieldShape = Pick<Field, 'name' | 'input' | 'group'> & { property: string };

/** `candidate` checked against `schema`: the record, or the issues to show beside the fields. */
function checked<Body>(schema: z.ZodType<Body>, candidate: unknown, notices: PhoneNotice[]): BuildResult<Body> {
  const parsed = schema.safeParse(candidate);
  return parsed.success ? { ok: true, body: parsed.data, notices } : { ok: false, issues: issuesOf(parsed.error) };
}

export function buildCommunity(values: FormValues, existing: Community | null, context: BuildContext): BuildResult<Community>;
export function buildCommunity<Body extends Community>(
  values: FormValues,
  existing: Community | null,
  context: BuildContext,
  model: RecordModel<Body>,
): BuildResult<Body>;
export function buildCommunity(
  values: FormValues,
  existing: Community | null,
  context: BuildContext,
  model: RecordModel<Community> = { fields: communityFields, schema: communitySchema },
): BuildResult<Community> {
  const whereabouts = whereaboutsOf<Community['status']>(values, existing, context);
  const { location, placeName } = whereabouts;
  const female = breakdown(values, 'female');
  const male = breakdown(values, 'male');
  const contactName = text(values, 'contactName');
  const {
    values: [contactPhone],
    notices,
  } = phones(
    contactName ? [{ path: 'contact.phone', typed: text(values, 'contactPhone'), stored: existing?.contact?.phone }] : [],
    context.phoneCountry,
  );
  const employer = text(values, 'employer');
  const candidate = {
    id: existing?.id ?? context.id,
    schemaVersion: RECORD_SCHEMA_VERSION,
    kind: 'community',
    updatedAt: context.at,
    updatedBy: context.memberId,
    name: text(values, 'name'),
    location,
    ...(placeName ? { placeName } : {}),
    headcount: { total: numberOrNaN(text(values, 'headcount')), ...(female ? { female } : {}), ...(male ? { male } : {}) },
    nationalities: parseNationalities(text(values, 'nationalities')),
    languages: words(text(values, 'languages')),
    site: { type: text(values, 'siteType') || 'other', ...(employer ? { employer } : {}) },
    ...(contactName
      ? {
          contact: {
            name: contactName,
            ...(contactPhone ? { phone: contactPhone } : {}),
            ...(text(values, 'contactLanguage') ? { language: text(values, 'contactLanguage') } : {}),
            ...(list(values, 'contactConsentsToMessages').includes('yes') ? { consentsToMessages: true } : {}),
          },
        }
      : {}),
    ...sharedFields(values, whereabouts, existing),
  };
  return checked(model.schema, { ...candidate, ...catalogueValues(values, model.fields, candidate) }, notices);
}

export function buildPerson(values: FormValues, existing: Person | null, context: BuildContext): BuildResult<Person>;
export function buildPerson<Body extends Person>(
  values: FormValues,
  existing: Person | null,
  context: BuildContext,
  model: RecordModel<Body>,
): BuildResult<Body>;
export function buildPerson(
  values: FormValues,
  existing: Person | null,
  context: BuildContext,
  model: RecordModel<Person> = { fields: personFields, schema: personSchema },
): BuildResult<Person> {
  const whereabouts = whereaboutsOf<Person['status']>(values, existing, context);
  const { location } = whereabouts;
  const consentChecked = new Set(list(values, 'consent'));
  const refugee = list(values, 'refugee').includes('yes');
  const consent = {
    ownConsulate: consentChecked.has('ownConsulate'),
    hostAuthorities: consentChecked.has('hostAuthorities'),
    humanitarian: consentChecked.has('humanitarian'),
    messages: consentChecked.has('messages'),
  };
  const consentChanged =
    !existing ||
    (['ownConsulate', 'hostAuthorities', 'humanitarian'] as const).some((key) => existing.consent[key] !== consent[key]) ||
    (existing.consent.messages ?? false) !== consent.messages;
  const familyName = text(values, 'familyName');
  const heldBy = text(values, 'passportHeldBy');
  const {
    values: [phone, familyPhone],
    notices,
  } = phones(
    [
      { path: 'phone', typed: text(values, 'phone'), stored: existing?.phone },
      { path: 'familyContact.phone', typed: familyName ? text(values, 'familyPhone') : '', stored: existing?.familyContact?.phone },
    ],
    context.phoneCountry,
  );
  const candidate = {
    id: existing?.id ?? context.id,
    schemaVersion: RECORD_SCHEMA_VERSION,
    kind: 'person',
    updatedAt: context.at,
    updatedBy: context.memberId,
    ...(text(values, 'communityId') ? { communityId: text(values, 'communityId') } : {}),
    name: text(values, 'name'),
    ...(text(values, 'nameLatin') ? { nameLatin: text(values, 'nameLatin') } : {}),
    sex: text(values, 'sex') || 'unknown',
    ...(text(values, 'dateOfBirth') ? { dateOfBirth: text(values, 'dateOfBirth') } : {}),
    nationality: text(values, 'nationality').toUpperCase(),
    refugee,
    ...(phone ? { phone } : {}),
    languages: words(text(values, 'languages')),
    documents: {
      passport: text(values, 'passport') || 'none',
      ...(heldBy ? { passportHeldBy: heldBy } : {}),
      other: words(text(values, 'otherDocuments')),
    },
    ...(familyName
      ? {
          familyContact: {
            name: familyName,
            ...(familyPhone ? { phone: familyPhone } : {}),
            ...(text(values, 'familyRelation') ? { relation: text(values, 'familyRelation') } : {}),
          },
        }
      : {}),
    ...(location ? { location } : {}),
    consent: { ...consent, recordedAt: consentChanged ? context.at : existing!.consent.recordedAt },
    ...sharedFields(values, whereabouts, existing),
  };
  return checked(model.schema, { ...candidate, ...catalogueValues(values, model.fields, candidate) }, notices);
}
