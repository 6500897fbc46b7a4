// The field catalogue: one entry per field a person fills in or reads, for communities and people.
// Like a row of an XLSForm survey sheet, an entry says everything the app needs about a field: its
// label, how a form asks for it, how an import recognises its column, its CSV column and HXL
// hashtag, the release group that lets it out on an activation, how search weighs it and how
// sensitive it is. The forms, the detail view, import, export, the evacuation manifest, search and
// the release scope (releasedProperties) are derived from it; adding a field is the schema
// (records.ts), one entry here, its label in the translations, and the fixtures
// (docs/decisions/0803-field-catalogue.md shows that diff).
import type { ReleaseField } from '#crypto/protocol';
import { HXL_PERSON_NAME, HXL_PERSON_NAME_LATIN } from './hxl.ts';
import { documentStates, needs, siteTypes, statuses, vulnerabilities, type Community, type Person, type RecordBody } from './records.ts';

export const sexes = ['female', 'male', 'other', 'unknown'] as const;

/**
 * How a form asks for a field and an import reads its column. `custom`: the form draws it by hand
 * (the map pin, the community link, the headcount breakdown, consent) and the import has a rule of
 * its own for it.
 */
export type Input =
  | { kind: 'text'; max: number; latin?: true; required?: true }
  | { kind: 'longText'; max: number }
  | { kind: 'date' }
  | { kind: 'phone' }
  | { kind: 'country'; required?: true }
  | { kind: 'words' }
  | { kind: 'choice'; options: readonly string[]; labels: string; fallback: string }
  | { kind: 'choices'; options: readonly string[]; labels: string }
  | { kind: 'yes' }
  | { kind: 'custom' };

/**
 * Who would be harmed if the field leaked: `identifying` names a person, `contact` reaches them,
 * `special` is about health, legal status or documents, `operational` is counts, status and sites.
 */
export type Sensitivity = 'identifying' | 'contact' | 'special' | 'operational';

/** A top-level property of a kind of record (of any kind, for the union of them). */
type PropertyOf<Body> = Body extends unknown ? keyof Body & string : never;

/** A value as the catalogue reads it from a record: text, a number, a yes/no, or a list. */
export type FieldValue = string | number | boolean | readonly string[] | undefined;

export interface Field<Body extends RecordBody = RecordBody> {
  /** The form's field name, and the import target a column maps to. */
  name: string;
  /** The message key of its label in a form (web/src/i18n/catalogue/en.json). */
  label: string;
  /** The label where its value is shown (the detail view), when the form's carries an input hint. */
  shown?: string;
  /** The record property that holds it: a release lets whole top-level properties through. */
  property: PropertyOf<Body>;
  /**
   * The release group a request names to receive it (crypto/FORMAT.md); `always` goes with every
   * release (a person's community, to group people), `never` stays with the CSO (consent, refugee).
   */
  release: ReleaseField | 'always' | 'never';
  input: Input;
  /** Reads it from a record, or from a released part of one (whatever properties were let through). */
  read(body: Partial<Body>): FieldValue;
  /** Its column in the CSV export and the evacuation manifest: header and HXL hashtag (hxlstandard.org). */
  column?: { header: string; hxl: string };
  /** Column names an import recognises, folded (lower case, letters and digits; HXL tags keep their '#'). */
  synonyms: readonly string[];
  /** What search matches it as (web/src/search weighs a phone above a name above a nationality above a place). */
  search?: 'name' | 'phone' | 'nationality' | 'place';
  sensitivity: Sensitivity;
  /** For a field inside a group (a family contact): the group is written only when this field of it is filled. */
  group?: { path: readonly [string, string]; key: string };
}

/** Everyday words for the bands of a headcount, as spreadsheets name them. */
const bandWords: Record<string, readonly string[]> = {
  'female.children': ['girls'],
  'female.adults': ['women'],
  'female.elderly': ['elderlywomen'],
  'male.children': ['boys'],
  'male.adults': ['men'],
  'male.elderly': ['elderlymen'],
};

const total = (band?: { children: number; adults: number; elderly: number }) =>
  band ? band.children + band.adults + band.elderly : undefined;
const band = (community: Partial<Community>, key: 'children' | 'elderly') => {
  const headcount = community.headcount;
  return headcount && (headcount.female || headcount.male) ? (headcount.female?.[key] ?? 0) + (headcount.male?.[key] ?? 0) : undefined;
};

/** A field both kinds of record have, read from either. */
type SharedField = Field<Community> & Field<Person>;
type EitherBody = Partial<Community> | Partial<Person>;

/** A column an import reads into something the form draws by hand (a coordinate, a band of the headcount, a consent). */
function importOnly<Body extends Community | Person>(
  name: string,
  label: string,
  property: PropertyOf<Body>,
  release: Field['release'],
  synonyms: readonly string[],
  sensitivity: Sensitivity = 'operational',
): Field<Body> {
  return { name, label, property, release, input: { kind: 'custom' }, read: () => undefined, synonyms, sensitivity };
}

/** Where a record is: the pin, and the columns an import reads it from. */
function position(): SharedField[] {
  return [
    {
      name: 'location',
      label: 'community.location',
      property: 'location',
      release: 'location',
      input: { kind: 'custom' },
      read: () => undefined,
      synonyms: [],
      sensitivity: 'operational',
    },
    {
      name: 'latitude',
      label: 'detail.latitude',
      property: 'location',
      release: 'location',
      input: { kind: 'custom' },
      read: (body: EitherBody) => body.location?.lat,
      column: { header: 'latitude', hxl: '#geo+lat' },
      synonyms: ['lat', 'latitude', 'gpslatitude', 'geolocationlatitude', 'y', '#geolat'],
      sensitivity: 'operational',
    },
    {
      name: 'longitude',
      label: 'detail.longitude',
      property: 'location',
      release: 'location',
      input: { kind: 'custom' },
      read: (body: EitherBody) => body.location?.lon,
      column: { header: 'longitude', hxl: '#geo+lon' },
      synonyms: ['lon', 'lng', 'long', 'longitude', 'gpslongitude', 'geolocationlongitude', 'x', '#geolon'],
      sensitivity: 'operational',
    },
    {
      name: 'positionSource',
      label: 'detail.positionSource',
      property: 'location',
      release: 'location',
      input: { kind: 'custom' },
      read: (body: EitherBody) => body.location?.source,
      column: { header: 'position source', hxl: '#geo+source' },
      synonyms: ['positionsource', 'locationsource', '#geosource'],
      sensitivity: 'operational',
    },
    {
      name: 'positionAccuracy',
      label: 'detail.positionAccuracy',
      property: 'location',
      release: 'location',
      input: { kind: 'custom' },
      read: (body: EitherBody) => body.location?.accuracy,
      column: { header: 'position accuracy (m)', hxl: '#geo+accuracy' },
      // ODK and KoboToolbox write a geopoint's accuracy in metres as <name>_precision (mapping.ts).
      synonyms: ['positionaccuracym', 'gpsaccuracy', 'locationaccuracy', '#geoaccuracy'],
      sensitivity: 'operational',
    },
    {
      name: 'geopoint',
      label: 'community.location',
      property: 'location',
      release: 'location',
      input: { kind: 'custom' },
      read: () => undefined,
      synonyms: ['geopoint', 'gps', 'location', 'geolocation', 'coordinates', 'gpscoordinates', '#geo'],
      sensitivity: 'operational',
    },
  ];
}

/** Fields every record has: status, needs, vulnerabilities, notes. */
function sharedFields(): SharedField[] {
  return [
    {
      name: 'status',
      label: 'capture.status',
      property: 'status',
      release: 'status',
      input: { kind: 'choice', options: statuses, labels: 'status', fallback: 'stranded' },
      read: (body: EitherBody) => body.status,
      column: { header: 'status', hxl: '#status' },
      synonyms: ['status', 'situation', 'statut', 'estado', '#status'],
      sensitivity: 'operational',
    },
    {
      name: 'needs',
      label: 'capture.needs',
      property: 'needs',
      release: 'needs',
      input: { kind: 'choices', options: needs, labels: 'need' },
      read: (body: EitherBody) => body.needs,
      column: { header: 'needs', hxl: '#need' },
      synonyms: ['needs', 'need', 'besoins', 'necesidades', '#need'],
      sensitivity: 'special',
    },
    {
      name: 'vulnerabilities',
      label: 'community.vulnerabilities',
      property: 'vulnerabilities',
      release: 'needs',
      input: { kind: 'choices', options: vulnerabilities, labels: 'vulnerability' },
      read: (body: EitherBody) => body.vulnerabilities,
      column: { header: 'vulnerabilities', hxl: '#affected+vulnerable' },
      synonyms: ['vulnerabilities', 'vulnerability', 'vulnerable', '#affectedvulnerable'],
      sensitivity: 'special',
    },
  ];
}

const notes = (): SharedField => ({
  name: 'notes',
  label: 'community.notes',
  property: 'notes',
  release: 'never',
  input: { kind: 'longText', max: 10_000 },
  read: (body: EitherBody) => body.notes,
  synonyms: ['notes', 'note', 'comments', 'comment', 'remarks', 'observations', '#description'],
  sensitivity: 'special',
});

const whereabouts = (): SharedField[] => [
  {
    name: 'history',
    label: 'detail.history',
    property: 'history',
    release: 'status',
    input: { kind: 'custom' },
    read: () => undefined,
    synonyms: [],
    sensitivity: 'operational',
  },
  {
    name: 'updatedAt',
    label: 'detail.updated',
    property: 'updatedAt',
    release: 'status',
    input: { kind: 'custom' },
    read: (body: EitherBody) => body.updatedAt,
    column: { header: 'updated', hxl: '#date+updated' },
    synonyms: [],
    sensitivity: 'operational',
  },
];

/** The community's fields, in the order the form asks for them. */
export const communityFields: readonly Field<Community>[] = [
  {
    name: 'name',
    label: 'capture.siteName',
    property: 'name',
    release: 'names',
    input: { kind: 'text', max: 200, required: true },
    read: (c) => c.name,
    column: { header: 'name', hxl: '#loc+name' },
    synonyms: ['name', 'site', 'sitename', 'community', 'communityname', 'nom', 'nombre', '#locname', '#loc'],
    search: 'name',
    sensitivity: 'operational',
  },
  ...position(),
  {
    name: 'placeName',
    label: 'community.placeName',
    shown: 'detail.placeName',
    property: 'placeName',
    release: 'location',
    input: { kind: 'text', max: 200 },
    read: (c) => c.placeName,
    column: { header: 'place', hxl: '#loc+place' },
    synonyms: [
      'place',
      'placename',
      'town',
      'city',
      'district',
      'locality',
      'lieu',
      'ville',
      'lugar',
      'ciudad',
      '#locplace',
      '#adm2name',
      '#adm1name',
    ],
    search: 'place',
    sensitivity: 'operational',
  },
  sharedFields()[0]!,
  {
    name: 'headcount',
    label: 'capture.headcount',
    property: 'headcount',
    release: 'headcount',
    input: { kind: 'custom' },
    read: (c) => c.headcount?.total,
    column: { header: 'people', hxl: '#affected' },
    synonyms: [
      'headcount',
      'people',
      'persons',
      'total',
      'count',
      'number',
      'numberofpeople',
      'population',
      'affected',
      'personnes',
      'personas',
      '#affected',
      '#affectedtotal',
    ],
    sensitivity: 'operational',
  },
  {
    name: 'female',
    label: 'sex.female',
    property: 'headcount',
    release: 'headcount',
    input: { kind: 'custom' },
    read: (c) => total(c.headcount?.female),
    column: { header: 'women and girls', hxl: '#affected+f' },
    synonyms: [],
    sensitivity: 'operational',
  },
  {
    name: 'male',
    label: 'sex.male',
    property: 'headcount',
    release: 'headcount',
    input: { kind: 'custom' },
    read: (c) => total(c.headcount?.male),
    column: { header: 'men and boys', hxl: '#affected+m' },
    synonyms: [],
    sensitivity: 'operational',
  },
  {
    name: 'children',
    label: 'vulnerability.children',
    property: 'headcount',
    release: 'headcount',
    input: { kind: 'custom' },
    read: (c) => band(c, 'children'),
    column: { header: 'children', hxl: '#affected+children' },
    synonyms: [],
    sensitivity: 'operational',
  },
  {
    name: 'elderly',
    label: 'vulnerability.elderly',
    property: 'headcount',
    release: 'headcount',
    input: { kind: 'custom' },
    read: (c) => band(c, 'elderly'),
    column: { header: 'elderly', hxl: '#affected+elderly' },
    synonyms: [],
    sensitivity: 'operational',
  },
  ...(['female', 'male'] as const).flatMap((sex) =>
    (['children', 'adults', 'elderly'] as const).map((ages) =>
      importOnly<Community>(`${sex}.${ages}`, 'community.breakdown', 'headcount', 'headcount', [
        `${sex}${ages}`,
        `#affected${sex[0]}${ages}`,
        ...(bandWords[`${sex}.${ages}`] ?? []),
      ]),
    ),
  ),
  {
    name: 'nationalities',
    label: 'capture.nationalities',
    shown: 'detail.nationalities',
    property: 'nationalities',
    release: 'nationality',
    input: { kind: 'custom' },
    read: (c) => c.nationalities?.map((nationality) => nationality.code),
    column: { header: 'nationalities', hxl: '#country+code' },
    synonyms: ['nationalities', 'nationality', 'countries', 'origin', 'nationalite', 'nacionalidad', '#countrycode'],
    search: 'nationality',
    sensitivity: 'operational',
  },
  {
    name: 'languages',
    label: 'community.languages',
    shown: 'person.languages',
    property: 'languages',
    release: 'nationality',
    input: { kind: 'words' },
    read: (c) => c.languages,
    column: { header: 'languages', hxl: '#language' },
    synonyms: ['languages', 'language', 'langues', 'idiomas', '#language'],
    sensitivity: 'operational',
  },
  {
    name: 'siteType',
    label: 'capture.siteType',
    property: 'site',
    release: 'site',
    input: { kind: 'choice', options: siteTypes, labels: 'site', fallback: 'other' },
    read: (c) => c.site?.type,
    column: { header: 'site type', hxl: '#loc+type' },
    synonyms: ['sitetype', 'typeofsite', 'type', 'kindofsite', '#loctype'],
    sensitivity: 'operational',
  },
  {
    name: 'employer',
    label: 'community.employer',
    property: 'site',
    release: 'site',
    input: { kind: 'text', max: 200 },
    read: (c) => c.site?.employer,
    column: { header: 'employer', hxl: '#org+employer' },
    synonyms: ['employer', 'company', 'owner', 'employeur', 'empleador', '#orgemployer', '#orgname'],
    search: 'place',
    sensitivity: 'operational',
  },
  sharedFields()[1]!,
  sharedFields()[2]!,
  {
    name: 'contactName',
    label: 'capture.contactName',
    property: 'contact',
    release: 'contact',
    input: { kind: 'text', max: 200 },
    read: (c) => c.contact?.name,
    column: { header: 'contact', hxl: '#contact+name' },
    synonyms: ['contact', 'contactname', 'contactperson', 'focalpoint', '#contactname'],
    search: 'name',
    sensitivity: 'identifying',
    group: { path: ['contact', 'name'], key: 'contactName' },
  },
  {
    name: 'contactPhone',
    label: 'capture.contactPhone',
    property: 'contact',
    release: 'contact',
    input: { kind: 'phone' },
    read: (c) => c.contact?.phone,
    column: { header: 'contact phone', hxl: '#contact+phone' },
    synonyms: ['contactphone', 'phone', 'telephone', 'tel', 'mobile', '#contactphone'],
    search: 'phone',
    sensitivity: 'contact',
    group: { path: ['contact', 'phone'], key: 'contactName' },
  },
  {
    name: 'contactLanguage',
    label: 'community.contactLanguage',
    property: 'contact',
    release: 'contact',
    input: { kind: 'text', max: 35 },
    read: (c) => c.contact?.language,
    synonyms: ['contactlanguage'],
    sensitivity: 'operational',
    group: { path: ['contact', 'language'], key: 'contactName' },
  },
  {
    name: 'contactConsentsToMessages',
    label: 'community.contactConsentsToMessages',
    property: 'contact',
    release: 'contact',
    input: { kind: 'yes' },
    read: (c) => c.contact?.consentsToMessages,
    synonyms: [],
    sensitivity: 'operational',
    group: { path: ['contact', 'consentsToMessages'], key: 'contactName' },
  },
  notes(),
  ...whereabouts(),
];

/** The consents an export writes and an import reads, each with its hashtag and column names. */
const consentColumns = [
  [
    'ownConsulate',
    '#indicator+consent+consulate',
    ['consentownconsulate', 'consentconsulate', 'shareconsulate', 'sharewithconsulate', '#indicatorconsentconsulate'],
  ],
  [
    'hostAuthorities',
    '#indicator+consent+authorities',
    ['consenthostauthorities', 'consentauthorities', 'shareauthorities', '#indicatorconsentauthorities'],
  ],
  ['humanitarian', '#indicator+consent+humanitarian', ['consenthumanitarian', 'sharehumanitarian', '#indicatorconsenthumanitarian']],
] as const;

/** The person's fields, in the order the form asks for them. */
export const personFields: readonly Field<Person>[] = [
  {
    name: 'name',
    label: 'person.name',
    property: 'name',
    release: 'names',
    input: { kind: 'text', max: 200, required: true },
    read: (p) => p.name,
    column: { header: 'name', hxl: HXL_PERSON_NAME },
    synonyms: ['name', 'nom', 'nombre', 'fullname', 'personname', '#beneficiaryname', '#name', '#affectedname'],
    search: 'name',
    sensitivity: 'identifying',
  },
  {
    name: 'nameLatin',
    label: 'person.nameLatin',
    shown: 'detail.nameLatin',
    property: 'nameLatin',
    release: 'names',
    input: { kind: 'text', max: 200, latin: true },
    read: (p) => p.nameLatin,
    column: { header: 'name (Latin)', hxl: HXL_PERSON_NAME_LATIN },
    synonyms: [
      'namelatin',
      'latinname',
      'passportname',
      'nameinlatin',
      'romanised',
      'romanized',
      'transliteration',
      '#beneficiarynamelatin',
      '#namelatin',
    ],
    search: 'name',
    sensitivity: 'identifying',
  },
  {
    name: 'sex',
    label: 'person.sex',
    property: 'sex',
    release: 'demographics',
    input: { kind: 'choice', options: sexes, labels: 'sex', fallback: 'unknown' },
    read: (p) => p.sex,
    column: { header: 'sex', hxl: '#beneficiary+sex' },
    synonyms: ['sex', 'gender', 'sexe', 'sexo', '#sex', '#beneficiarysex'],
    sensitivity: 'identifying',
  },
  {
    name: 'dateOfBirth',
    label: 'person.dateOfBirth',
    property: 'dateOfBirth',
    release: 'demographics',
    input: { kind: 'date' },
    read: (p) => p.dateOfBirth,
    column: { header: 'date of birth', hxl: '#date+birth' },
    synonyms: ['dateofbirth', 'dob', 'birthdate', 'born', 'datedenaissance', 'fechadenacimiento', '#datebirth'],
    sensitivity: 'identifying',
  },
  {
    name: 'nationality',
    label: 'person.nationality',
    shown: 'detail.nationality',
    property: 'nationality',
    release: 'nationality',
    input: { kind: 'country', required: true },
    read: (p) => p.nationality,
    column: { header: 'nationality', hxl: '#country+code+nationality' },
    synonyms: ['nationality', 'country', 'citizenship', 'nationalite', 'nacionalidad', 'origin', '#countrycodenationality', '#countrycode'],
    search: 'nationality',
    sensitivity: 'special',
  },
  {
    name: 'refugee',
    label: 'person.refugee',
    property: 'refugee',
    release: 'never',
    input: { kind: 'custom' },
    read: (p) => p.refugee,
    column: { header: 'refugee', hxl: '#indicator+refugee' },
    synonyms: ['refugee', 'asylumseeker', 'refugie', 'refugiado', '#indicatorrefugee'],
    sensitivity: 'special',
  },
  {
    name: 'phone',
    label: 'person.phone',
    property: 'phone',
    release: 'contact',
    input: { kind: 'phone' },
    read: (p) => p.phone,
    column: { header: 'phone', hxl: '#contact+phone' },
    synonyms: ['phone', 'telephone', 'tel', 'mobile', 'phonenumber', '#contactphone'],
    search: 'phone',
    sensitivity: 'contact',
  },
  {
    name: 'languages',
    label: 'person.languages',
    property: 'languages',
    release: 'nationality',
    input: { kind: 'words' },
    read: (p) => p.languages,
    column: { header: 'languages', hxl: '#language' },
    synonyms: ['languages', 'language', 'langues', 'idiomas', '#language'],
    sensitivity: 'operational',
  },
  {
    name: 'communityId',
    label: 'person.community',
    property: 'communityId',
    release: 'always',
    input: { kind: 'custom' },
    read: (p) => p.communityId,
    column: { header: 'community id', hxl: '#loc+id' },
    synonyms: [],
    sensitivity: 'operational',
  },
  importOnly<Person>('communityName', 'person.community', 'communityId', 'always', ['community', 'communityname', 'site', 'group', 'camp']),
  sharedFields()[0]!,
  {
    name: 'placeName',
    label: 'community.placeName',
    property: 'history',
    release: 'status',
    input: { kind: 'custom' },
    read: (p) => p.history?.at(-1)?.placeName,
    synonyms: [
      'place',
      'placename',
      'town',
      'city',
      'district',
      'locality',
      'lieu',
      'ville',
      'lugar',
      'ciudad',
      '#locplace',
      '#adm2name',
      '#adm1name',
    ],
    search: 'place',
    sensitivity: 'operational',
  },
  ...position(),
  {
    name: 'passport',
    label: 'person.passport',
    property: 'documents',
    release: 'documents',
    input: { kind: 'choice', options: documentStates, labels: 'document', fallback: 'none' },
    read: (p) => p.documents?.passport,
    column: { header: 'passport', hxl: '#indicator+passport' },
    synonyms: ['passport', 'passportstatus', 'documents', 'passeport', 'pasaporte', '#indicatorpassport'],
    sensitivity: 'special',
    group: { path: ['documents', 'passport'], key: 'passport' },
  },
  {
    name: 'passportHeldBy',
    label: 'person.passportHeldBy',
    property: 'documents',
    release: 'documents',
    input: { kind: 'text', max: 200 },
    read: (p) => p.documents?.passportHeldBy,
    synonyms: ['passportheldby', 'heldby', 'whoholdsthepassport'],
    sensitivity: 'special',
    group: { path: ['documents', 'passportHeldBy'], key: 'passport' },
  },
  {
    name: 'otherDocuments',
    label: 'person.otherDocuments',
    shown: 'detail.otherDocuments',
    property: 'documents',
    release: 'documents',
    input: { kind: 'words' },
    read: (p) => p.documents?.other,
    synonyms: ['otherdocuments', 'documentsother'],
    sensitivity: 'special',
    group: { path: ['documents', 'other'], key: 'passport' },
  },
  {
    name: 'familyName',
    label: 'person.familyName',
    shown: 'person.family',
    property: 'familyContact',
    release: 'contact',
    input: { kind: 'text', max: 200 },
    read: (p) => p.familyContact?.name,
    column: { header: 'family contact', hxl: '#contact+family+name' },
    synonyms: ['familycontact', 'familyname', 'nextofkin', 'relative', '#contactfamilyname'],
    sensitivity: 'identifying',
    group: { path: ['familyContact', 'name'], key: 'familyName' },
  },
  {
    name: 'familyPhone',
    label: 'person.familyPhone',
    property: 'familyContact',
    release: 'contact',
    input: { kind: 'phone' },
    read: (p) => p.familyContact?.phone,
    column: { header: 'family phone', hxl: '#contact+family+phone' },
    synonyms: ['familyphone', 'familycontactphone', 'nextofkinphone', '#contactfamilyphone'],
    search: 'phone',
    sensitivity: 'contact',
    group: { path: ['familyContact', 'phone'], key: 'familyName' },
  },
  {
    name: 'familyRelation',
    label: 'person.familyRelation',
    property: 'familyContact',
    release: 'contact',
    input: { kind: 'text', max: 60 },
    read: (p) => p.familyContact?.relation,
    synonyms: ['familyrelation', 'relation', 'relationship'],
    sensitivity: 'identifying',
    group: { path: ['familyContact', 'relation'], key: 'familyName' },
  },
  sharedFields()[1]!,
  sharedFields()[2]!,
  {
    name: 'consent',
    label: 'person.consent',
    shown: 'detail.consent',
    property: 'consent',
    release: 'never',
    input: { kind: 'custom' },
    read: () => undefined,
    synonyms: [],
    sensitivity: 'special',
  },
  ...consentColumns.map(
    ([kind, hxl, synonyms]): Field<Person> => ({
      name: `consent.${kind}`,
      label: `person.consent.${kind}`,
      property: 'consent',
      release: 'never',
      input: { kind: 'custom' },
      read: (p) => p.consent?.[kind],
      column: {
        header: `consent ${kind === 'ownConsulate' ? 'own consulate' : kind === 'hostAuthorities' ? 'host authorities' : 'humanitarian'}`,
        hxl,
      },
      synonyms,
      sensitivity: 'special',
    }),
  ),
  notes(),
  ...whereabouts(),
];

/** The catalogue of a kind of record. */
export const fieldsOf = { community: communityFields, person: personFields } as const;

/** Always released with a record, whatever a request asked for: enough to group people under their community. */
export const ALWAYS_RELEASED = ['id', 'kind', 'communityId'] as const;

/**
 * The record properties a set of release groups lets through, sorted: the table crypto/FORMAT.md
 * gives a reader of a bundle, derived from the catalogue (a field's property goes with its group).
 */
export function releasedProperties(
  groups: readonly ReleaseField[],
  catalogues: readonly (readonly Pick<Field, 'release'>[] & readonly { property: string }[])[] = [communityFields, personFields],
): string[] {
  const wanted = new Set<string>(groups);
  const properties = new Set<string>(ALWAYS_RELEASED);
  for (const fields of catalogues) for (const field of fields) if (wanted.has(field.release)) properties.add(field.property);
  return [...properties].sort();
}

/** The fields of a catalogue that are columns of the CSV export and the manifest, in order. */
export function columnsOf<Body extends RecordBody>(
  fields: readonly Field<Body>[],
): (Field<Body> & { column: { header: string; hxl: string } })[] {
  return fields.filter((field): field is Field<Body> & { column: { header: string; hxl: string } } => field.column !== undefined);
}

/** A catalogue value as a table cell: a list space-separated (HXL's way for codes), a yes/no as the word. */
export function cellOf(value: FieldValue): string | number | undefined {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number' || value === undefined) return value;
  return value.join(' ');
}
