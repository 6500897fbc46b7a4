// The contingency-plan model: zod v4 schemas with their inferred types. A plan is one versioned
// document (`schemaVersion`) holding its layers; a plan version wraps it with author and time.
import { z } from 'zod';

export const PLAN_SCHEMA_VERSION = 1 as const;

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
/** [longitude, latitude] or [longitude, latitude, altitude]; typed as GeoJSON's number[]. */
const position = z
  .array(z.number())
  .min(2)
  .max(3)
  .refine((value) => Math.abs(value[0]!) <= 180 && Math.abs(value[1]!) <= 90, {
    message: 'expected [longitude, latitude] within -180..180 and -90..90',
  });
const linearRing = z
  .array(position)
  .min(4)
  .refine((ring) => ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1], {
    message: 'a polygon ring must end where it starts',
  });

export const polygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(linearRing).min(1) });
export const multiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(linearRing).min(1)).min(1),
});
export const areaGeometry = z.discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry]);
export const lineStringGeometry = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) });
export type AreaGeometry = z.infer<typeof areaGeometry>;
export type LineStringGeometry = z.infer<typeof lineStringGeometry>;

/** ISO 3166-1 alpha-2 code, upper case. */
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "NP"');
const id = z.string().min(1).max(100);
const name = z.string().min(1).max(200);
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime();

export const hazardTypes = ['armed_conflict', 'flood', 'earthquake', 'cyclone', 'tsunami', 'epidemic', 'industrial', 'other'] as const;
export const planStatuses = ['draft', 'in_review', 'active', 'archived'] as const;
export const hazardSources = ['drawn', 'geojson', 'kml', 'cap'] as const;
/** MICIC consular phases, from least to most severe. */
export const consularPhases = ['precautionary', 'restriction', 'voluntary_return', 'mandatory_return'] as const;
/** CAP 1.2 <status> values. Only "Actual" is a real warning; the others must never be shown as one. */
export const capStatuses = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export type CapStatus = (typeof capStatuses)[number];
/**
 * Whether an alert is a real warning: CAP's "Actual". Exercises, tests, system messages and drafts
 * are not. A plan zone's `cap` without a status was imported before statuses were kept, when every
 * zone was taken as real: it still is.
 */
export function isRealWarning(alert: { status?: CapStatus | undefined }): boolean {
  return (alert.status ?? 'Actual') === 'Actual';
}
/** GDACS alert colours. */
export const gdacsLevels = ['green', 'orange', 'red'] as const;
export const alertLevel = z.enum([...gdacsLevels, ...consularPhases]);
export type AlertLevel = z.infer<typeof alertLevel>;
export const transportModes = ['road', 'sea', 'air'] as const;

export const hazardZone = z.object({
  id,
  name,
  geometry: areaGeometry,
  source: z.enum(hazardSources),
  alertLevel: alertLevel.optional(),
  /** For zones from a CAP alert: the alert's identifier, status, event, severity and expiry. */
  cap: z
    .object({
      identifier: z.string().max(500),
      sender: z.string().max(500).optional(),
      msgType: z.enum(['Alert', 'Update', 'Cancel']),
      /** Absent in zones imported before the status was kept. */
      status: z.enum(capStatuses).optional(),
      event: z.string().max(500).optional(),
      severity: z.string().max(20).optional(),
      urgency: z.string().max(20).optional(),
      certainty: z.string().max(20).optional(),
      expires: isoDateTime.optional(),
      references: z.array(z.string()).max(100),
    })
    .optional(),
});
export type HazardZone = z.infer<typeof hazardZone>;

const placeWithCapacity = z.object({
  id,
  name,
  lon: longitude,
  lat: latitude,
  capacity: z.number().int().min(0).max(10_000_000),
  notes: z.string().max(2000).optional(),
});
export const assemblyPoint = placeWithCapacity;
export const shelter = placeWithCapacity;
export type AssemblyPoint = z.infer<typeof assemblyPoint>;
export type Shelter = z.infer<typeof shelter>;

export const evacuationRoute = z.object({
  id,
  name,
  geometry: lineStringGeometry,
  mode: z.enum(transportModes),
  /** People per day, where known. */
  capacity: z.number().int().min(0).optional(),
});
export type EvacuationRoute = z.infer<typeof evacuationRoute>;

export const borderCrossing = z.object({
  id,
  name,
  lon: longitude,
  lat: latitude,
  countries: z.tuple([countryCode, countryCode]),
  open: z.boolean(),
  notes: z.string().max(2000).optional(),
});
export type BorderCrossing = z.infer<typeof borderCrossing>;

export const contactRoles = ['consulate', 'embassy', 'city', 'civil_protection', 'cso', 'humanitarian', 'other'] as const;
export const contact = z
  .object({
    id,
    name,
    organisation: name,
    role: z.enum(contactRoles),
    phone: z.string().max(40).optional(),
    email: z.email().optional(),
    /** Nationalities this contact serves (consulates: their own nationals). */
    nationalitiesServed: z.array(countryCode).max(300),
  })
  .refine((value) => value.phone !== undefined || value.email !== undefined, {
    message: 'a contact needs a phone number or an email address',
  });
export type Contact = z.infer<typeof contact>;

export const trigger = z.object({
  id,
  /** What starts it, in words (e.g. "GDACS red alert for the city", "airport closed"). */
  condition: z.string().min(1).max(1000),
  alertLevel,
  /** Actions this trigger starts, in order. */
  actions: z.array(z.string().min(1).max(1000)).min(1).max(100),
});
export type Trigger = z.infer<typeof trigger>;

export const task = z.object({
  id,
  title: z.string().min(1).max(500),
  /** Role responsible (e.g. "Consular duty officer"). */
  role: z.string().min(1).max(200),
  owner: z.string().max(200).optional(),
  due: isoDate.optional(),
  done: z.boolean(),
});
export type Task = z.infer<typeof task>;

const layerKeys = ['hazardZones', 'assemblyPoints', 'shelters', 'routes', 'borderCrossings', 'contacts', 'triggers', 'tasks'] as const;

export const plan = z
  .object({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    id,
    title: z.string().min(1).max(300),
    scenario: z.enum(hazardTypes),
    area: areaGeometry,
    ownerAgency: name,
    partners: z.array(name).max(200),
    reviewDate: isoDate,
    status: z.enum(planStatuses),
    hazardZones: z.array(hazardZone).max(1000),
    assemblyPoints: z.array(assemblyPoint).max(100_000),
    shelters: z.array(shelter).max(100_000),
    routes: z.array(evacuationRoute).max(10_000),
    borderCrossings: z.array(borderCrossing).max(1000),
    contacts: z.array(contact).max(10_000),
    triggers: z.array(trigger).max(1000),
    tasks: z.array(task).max(10_000),
  })
  .superRefine((value, context) => {
    // Versions are compared item by item through ids, so an id may appear only once per layer.
    for (const key of layerKeys) {
      const seen = new Set<string>();
      value[key].forEach((item, index) => {
        if (seen.has(item.id))
          context.addIssue({
            code: 'custom',
            path: [key, index, 'id'],
            message: `the id "${item.id}" is used twice in this layer: give each item its own id`,
          });
        seen.add(item.id);
      });
    }
  });
export type Plan = z.infer<typeof plan>;

export const planVersion = z.object({
  planId: id,
  version: z.number().int().min(1),
  author: name,
  createdAt: isoDateTime,
  plan,
});
export type PlanVersion = z.infer<typeof planVersion>;

export const signOff = z.object({
  partner: name,
  version: z.number().int().min(1),
  signedAt: isoDateTime,
});
export type SignOff = z.infer<typeof signOff>;

/** An empty draft plan with every layer present, for editors to start from. */
export function emptyPlan(fields: Pick<Plan, 'id' | 'title' | 'scenario' | 'area' | 'ownerAgency' | 'reviewDate'>): Plan {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    ...fields,
    partners: [],
    status: 'draft',
    hazardZones: [],
    assemblyPoints: [],
    shelters: [],
    routes: [],
    borderCrossings: [],
    contacts: [],
    triggers: [],
    tasks: [],
  };
}
