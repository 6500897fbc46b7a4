// The record model: what a CSO captures about communities and people.
// Every record is sealed on the device (crypto/) before it leaves it; the server never sees these
// fields. Schemas are versioned (`schemaVersion`); older versions are migrated on read (./migrate.ts).
import { z } from 'zod';

export const RECORD_SCHEMA_VERSION = 1 as const;

/** ISO 3166-1 alpha-2 country code, upper case (e.g. "NP"). */
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "NP"');

/** Where a position came from: the phone's GPS, a tap on the map, typed coordinates, an imported file. */
export const positionSources = ['gps', 'map', 'typed', 'imported'] as const;
export type PositionSource = (typeof positionSources)[number];

export const position = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** Absent on positions recorded before the source was kept. */
  source: z.enum(positionSources).optional(),
  /** How far off the position may be, in metres (a GPS fix's accuracy radius, or an imported precision). */
  accuracy: z.number().min(0).max(10_000_000).optional(),
});
export type Position = z.infer<typeof position>;

export const needs = ['water', 'food', 'medical', 'shelter', 'documents', 'transport', 'legal'] as const;
export const need = z.enum(needs);
export type Need = z.infer<typeof need>;

export const vulnerabilities = ['children', 'pregnant', 'disabled', 'elderly', 'trafficking_risk'] as const;
export const vulnerability = z.enum(vulnerabilities);
export type Vulnerability = z.infer<typeof vulnerability>;

export const statuses = ['stranded', 'sheltering', 'moving', 'evacuated', 'missing', 'safe'] as const;
export const status = z.enum(statuses);
export type Status = z.infer<typeof status>;

export const siteTypes = [
  'work_site',
  'labour_camp',
  'dormitory',
  'informal_settlement',
  'shelter',
  'private_housing',
  'detention',
  'other',
] as const;

/** One whereabouts entry: every status or location change is kept, never overwritten. */
export const whereabouts = z.object({
  at: z.iso.datetime(),
  status,
  location: position.optional(),
  placeName: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
});
export type Whereabouts = z.infer<typeof whereabouts>;

const count = z.number().int().min(0).max(10_000_000);
const sexAgeBands = z.object({ children: count, adults: count, elderly: count });

/** Headcount, with an optional sex x age-band breakdown (HXL +f/+m, +children/+adults/+elderly). */
export const headcount = z
  .object({
    total: count,
    female: sexAgeBands.optional(),
    male: sexAgeBands.optional(),
  })
  .refine(
    (h) => {
      const sum = (b?: z.infer<typeof sexAgeBands>) => (b ? b.children + b.adults + b.elderly : 0);
      return sum(h.female) + sum(h.male) <= h.total;
    },
    { message: 'the sex and age breakdown adds up to more than the total headcount' },
  );
export type Headcount = z.infer<typeof headcount>;

export const contact = z.object({
  name: z.string().min(1).max(200),
  phone: z.string().max(40).optional(),
  language: z.string().max(35).optional(),
  /** The contact person agreed to receive warnings and relayed messages from the CSO. Absent: no. */
  consentsToMessages: z.boolean().optional(),
});

/** Names one version of a record: its number, when and by whom it was made. */
export const versionReference = z.object({
  version: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string().min(1).max(100),
});
export type VersionReference = z.infer<typeof versionReference>;

const recordBase = {
  id: z.uuid(),
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
  updatedAt: z.iso.datetime(),
  /** Member id of the device/person who made this version. */
  updatedBy: z.string().min(1).max(100),
  needs: z.array(need).max(needs.length),
  vulnerabilities: z.array(vulnerability).max(vulnerabilities.length),
  status,
  history: z.array(whereabouts).max(10_000),
  notes: z.string().max(10_000).optional(),
  /**
   * The versions this one was made from: one for an edit, several for a merge of siblings
   * (docs/decisions/0401). Absent on a first version. Lets a reader tell heads from ancestors.
   */
  parents: z.array(versionReference).max(20).optional(),
};

export const community = z.object({
  ...recordBase,
  kind: z.literal('community'),
  name: z.string().min(1).max(200),
  location: position,
  placeName: z.string().max(200).optional(),
  headcount,
  /** Nationalities present, with a count each where known. */
  nationalities: z
    .array(z.object({ code: countryCode, count: count.optional() }))
    .min(1)
    .max(300),
  languages: z.array(z.string().min(2).max(35)).max(50),
  site: z.object({ type: z.enum(siteTypes), employer: z.string().max(200).optional() }),
  contact: contact.optional(),
});
export type Community = z.infer<typeof community>;

export const documentStates = ['held', 'confiscated', 'lost', 'expired', 'none'] as const;

export const consent = z.object({
  /** May this be released to the person's own consulate? Always false for someone who fled their own state. */
  ownConsulate: z.boolean(),
  /** May this be released to host-country authorities (city, civil protection)? */
  hostAuthorities: z.boolean(),
  /** May this be released to humanitarian agencies? */
  humanitarian: z.boolean(),
  /**
   * May the CSO itself send this person warnings and relayed messages (SMS, WhatsApp), in their
   * first listed language? Nothing about them leaves the CSO for this. Absent (older records): no.
   */
  messages: z.boolean().optional(),
  recordedAt: z.iso.datetime(),
});
export type Consent = z.infer<typeof consent>;

export const person = z
  .object({
    ...recordBase,
    kind: z.literal('person'),
    communityId: z.uuid().optional(),
    name: z.string().min(1).max(200),
    /** Latin-script spelling, for tracing across transliterations. */
    nameLatin: z.string().max(200).optional(),
    sex: z.enum(['female', 'male', 'other', 'unknown']),
    dateOfBirth: z.iso.date().optional(),
    nationality: countryCode,
    /** Fled their own state: never released to its consulate whatever else is said. */
    refugee: z.boolean(),
    phone: z.string().max(40).optional(),
    languages: z.array(z.string().min(2).max(35)).max(20),
    documents: z.object({
      passport: z.enum(documentStates),
      passportHeldBy: z.string().max(200).optional(),
      other: z.array(z.string().max(100)).max(20),
    }),
    familyContact: z
      .object({ name: z.string().min(1).max(200), phone: z.string().max(40).optional(), relation: z.string().max(60).optional() })
      .optional(),
    location: position.optional(),
    consent,
  })
  .refine((p) => !(p.refugee && p.consent.ownConsulate), {
    message: 'a refugee cannot consent to release to their own consulate',
    path: ['consent', 'ownConsulate'],
  });
export type Person = z.infer<typeof person>;

export const record = z.union([community, person]);
export type RecordBody = Community | Person;
