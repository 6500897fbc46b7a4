// Reading records written under an older schema. A body is migrated step by step up to
// RECORD_SCHEMA_VERSION, then checked with the current schema. Migrations never widen consent
// and never invent facts: what the old schema did not record is left empty or said in `notes`.
import { needs, record, RECORD_SCHEMA_VERSION, statuses, type RecordBody } from './records.ts';

export type MigrationResult = { ok: true; body: RecordBody; migratedFrom: number | null } | { ok: false; reason: string };

type Body = Record<string, unknown>;

/**
 * Schema 0, the field pilot's format (before whereabouts history and consent per purpose):
 * community { kind, id, name, lon, lat, people, nationality: "NP, IN", needs: "water;food", status,
 *   contactName?, contactPhone?, updatedAt, updatedBy }
 * person { kind, id, name, nationality, refugee, shareWithConsulate, phone?, communityId?, updatedAt, updatedBy }
 */
function fromVersion0(old: Body): Body {
  const status = statuses.includes(old.status as never) ? (old.status as string) : 'stranded';
  const updatedAt = String(old.updatedAt);
  const listOf = (value: unknown) =>
    String(value ?? '')
      .split(/[\s,;]+/)
      .map((item) => item.trim())
      .filter(Boolean);
  const common = {
    id: old.id,
    schemaVersion: 1,
    updatedAt,
    updatedBy: old.updatedBy,
    needs: listOf(old.needs).filter((need) => needs.includes(need as never)),
    vulnerabilities: [],
    status,
  };
  if (old.kind === 'community') {
    const location = { lon: Number(old.lon), lat: Number(old.lat) };
    return {
      ...common,
      kind: 'community',
      name: old.name,
      location,
      headcount: { total: Number(old.people ?? 0) },
      nationalities: listOf(old.nationality).map((code) => ({ code: code.toUpperCase() })),
      languages: [],
      site: { type: 'other' },
      ...(old.contactName ? { contact: { name: old.contactName, ...(old.contactPhone ? { phone: old.contactPhone } : {}) } } : {}),
      history: [{ at: updatedAt, status, location }],
    };
  }
  const refugee = old.refugee === true;
  return {
    ...common,
    kind: 'person',
    ...(old.communityId ? { communityId: old.communityId } : {}),
    name: old.name,
    sex: 'unknown',
    nationality: String(old.nationality ?? '').toUpperCase(),
    refugee,
    ...(old.phone ? { phone: old.phone } : {}),
    languages: [],
    documents: { passport: 'none', other: [] },
    // Schema 0 asked one question (own consulate); the other purposes stay refused until asked.
    consent: {
      ownConsulate: old.shareWithConsulate === true && !refugee,
      hostAuthorities: false,
      humanitarian: false,
      recordedAt: updatedAt,
    },
    notes: 'Migrated from schema 0: passport status and consent for host authorities and humanitarian agencies were not asked.',
    history: [{ at: updatedAt, status }],
  };
}

const steps: Record<number, (old: Body) => Body> = { 0: fromVersion0 };

export function migrateRecord(raw: unknown): MigrationResult {
  if (!raw || typeof raw !== 'object') return { ok: false, reason: 'not a record object' };
  let body = raw as Body;
  const start = typeof body.schemaVersion === 'number' ? (body.schemaVersion as number) : 0;
  if (start > RECORD_SCHEMA_VERSION)
    return { ok: false, reason: `written by a newer version of the app (schema ${start}); update the app to open it` };
  for (let version = start; version < RECORD_SCHEMA_VERSION; version++) {
    const step = steps[version];
    if (!step) return { ok: false, reason: `no migration from schema ${version}` };
    body = step(body);
  }
  const parsed = record.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join('.') || 'record'}: ${issue.message}` };
  }
  return { ok: true, body: parsed.data, migratedFrom: start === RECORD_SCHEMA_VERSION ? null : start };
}
