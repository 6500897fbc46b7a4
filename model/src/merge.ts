// Merging the versions of one record that two or more devices made offline (docs/decisions/0401).
// Pure: versions in, one merged body and the list of disagreements out. Nothing is dropped:
// - a field changed on one side only takes that side's value;
// - a field changed on both sides takes the value of the later `updatedAt` and keeps the others
//   visible as a conflict, for a person to confirm or change;
// - whereabouts history is the union of every version's entries, by content, ordered by `at`.
import type { RecordBody, VersionReference, Whereabouts } from './records.ts';

export interface RecordVersion<Body extends RecordBody = RecordBody> {
  version: number;
  body: Body;
}

export interface ConflictValue {
  value: unknown;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface FieldConflict {
  field: string;
  /** The value the merge took (latest `updatedAt` among the sides that changed the field). */
  chosen: ConflictValue;
  /** The other values, kept so a person can pick one instead. */
  others: ConflictValue[];
  /** Set when the merge had to override both sides to keep a rule (a refugee's own-consulate consent). */
  forced?: 'refugee_own_consulate';
}

export interface MergeResult<Body extends RecordBody = RecordBody> {
  body: Body;
  /** Highest version number among the heads: the next edit is this + 1. */
  version: number;
  /** The versions no other version was made from. More than one means offline edits met. */
  heads: VersionReference[];
  conflicts: FieldConflict[];
}

/** Fields that describe a version rather than the record: never compared. */
const versionFields = new Set(['id', 'kind', 'schemaVersion', 'updatedAt', 'updatedBy', 'history', 'parents']);

export function referenceOf(version: RecordVersion): VersionReference {
  return { version: version.version, updatedAt: version.body.updatedAt, updatedBy: version.body.updatedBy };
}

export function referenceKey(reference: VersionReference): string {
  return `${reference.version}|${reference.updatedBy}|${reference.updatedAt}`;
}

/** JSON with object keys sorted, so two equal values always give the same text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
}

/** Later first: by updatedAt, then version, then member id, so every device picks the same winner. */
function later(a: RecordVersion, b: RecordVersion): number {
  if (a.body.updatedAt !== b.body.updatedAt) return a.body.updatedAt > b.body.updatedAt ? -1 : 1;
  if (a.version !== b.version) return b.version - a.version;
  return a.body.updatedBy < b.body.updatedBy ? 1 : a.body.updatedBy > b.body.updatedBy ? -1 : 0;
}

function uniqueVersions<Body extends RecordBody>(versions: readonly RecordVersion<Body>[]): RecordVersion<Body>[] {
  const byKey = new Map<string, RecordVersion<Body>>();
  for (const version of versions) byKey.set(referenceKey(referenceOf(version)), version);
  return [...byKey.values()];
}

/**
 * The parents of a version. A version written without `parents` (older clients, imports) is
 * taken to come from every lower-numbered version.
 */
function parentKeys(version: RecordVersion, all: readonly RecordVersion[]): string[] {
  if (version.body.parents) return version.body.parents.map(referenceKey);
  return all.filter((other) => other.version < version.version).map((other) => referenceKey(referenceOf(other)));
}

export function headsOf<Body extends RecordBody>(versions: readonly RecordVersion<Body>[]): RecordVersion<Body>[] {
  const unique = uniqueVersions(versions);
  const ancestors = new Set<string>();
  for (const version of unique) for (const key of parentKeys(version, unique)) ancestors.add(key);
  const heads = unique.filter((version) => !ancestors.has(referenceKey(referenceOf(version))));
  return heads.length > 0 ? heads : unique.filter((version) => version.version === Math.max(...unique.map((item) => item.version)));
}

function ancestorsOf(start: RecordVersion, byKey: Map<string, RecordVersion>, all: readonly RecordVersion[]): Set<string> {
  const seen = new Set<string>();
  const queue = parentKeys(start, all);
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = byKey.get(key);
    if (found) queue.push(...parentKeys(found, all));
  }
  return seen;
}

/** The latest version every head descends from, when this device holds it. */
function commonAncestor(heads: readonly RecordVersion[], all: readonly RecordVersion[]): RecordVersion | undefined {
  const byKey = new Map(all.map((version) => [referenceKey(referenceOf(version)), version]));
  const sets = heads.map((head) => ancestorsOf(head, byKey, all));
  const shared = [...(sets[0] ?? [])].filter((key) => sets.every((set) => set.has(key)));
  return shared
    .map((key) => byKey.get(key))
    .filter((version): version is RecordVersion => version !== undefined)
    .sort(later)[0];
}

export function whereaboutsKey(entry: Whereabouts): string {
  return stableStringify(entry);
}

/** Every entry of every version, once each, ordered by `at` (then by content, so the order is stable). */
export function mergeHistory(histories: readonly (readonly Whereabouts[])[]): Whereabouts[] {
  const byKey = new Map<string, Whereabouts>();
  for (const history of histories) for (const entry of history) byKey.set(whereaboutsKey(entry), entry);
  return [...byKey.entries()]
    .sort(([keyA, a], [keyB, b]) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : keyA < keyB ? -1 : keyA > keyB ? 1 : 0))
    .map(([, entry]) => entry);
}

const fieldValue = (version: RecordVersion, field: string): ConflictValue => ({
  value: (version.body as unknown as Record<string, unknown>)[field],
  version: version.version,
  updatedAt: version.body.updatedAt,
  updatedBy: version.body.updatedBy,
});

/** Merges every version this device holds of one record into the body to show and the conflicts to settle. */
export function mergeVersions<Body extends RecordBody>(versions: readonly RecordVersion<Body>[]): MergeResult<Body> {
  if (versions.length === 0) throw new Error('mergeVersions needs at least one version');
  const all = uniqueVersions(versions) as RecordVersion[];
  const heads = headsOf(all).sort(later);
  const newest = heads[0]!;
  const version = Math.max(...heads.map((head) => head.version));
  const history = mergeHistory(all.map((item) => item.body.history));
  if (heads.length === 1) {
    return { body: { ...(newest.body as Body), history }, version, heads: [referenceOf(newest)], conflicts: [] };
  }
  const base = commonAncestor(heads, all);
  const fields = new Set<string>();
  for (const head of heads) for (const field of Object.keys(head.body)) if (!versionFields.has(field)) fields.add(field);
  const merged: Record<string, unknown> = { ...newest.body };
  const conflicts: FieldConflict[] = [];
  for (const field of [...fields].sort()) {
    const values = heads.map((head) => fieldValue(head, field));
    const texts = values.map((item) => stableStringify(item.value));
    if (texts.every((text) => text === texts[0])) continue;
    const baseText = base ? stableStringify(fieldValue(base, field).value) : null;
    const changed = values.filter((_, index) => texts[index] !== baseText);
    const changedTexts = new Set(changed.map((item) => stableStringify(item.value)));
    const chosen = changed[0]!; // heads are sorted latest first
    if (chosen.value === undefined) delete merged[field];
    else merged[field] = chosen.value;
    if (changedTexts.size > 1) {
      const seen = new Set([stableStringify(chosen.value)]);
      const others = changed.filter((item) => {
        const text = stableStringify(item.value);
        if (seen.has(text)) return false;
        seen.add(text);
        return true;
      });
      conflicts.push({ field, chosen, others });
    }
  }
  merged.history = history;
  merged.updatedAt = newest.body.updatedAt;
  merged.updatedBy = newest.body.updatedBy;
  // A refugee must never be released to their own consulate, whichever side said what.
  if (merged.kind === 'person' && merged.refugee === true) {
    const consent = merged.consent as { ownConsulate: boolean } | undefined;
    if (consent?.ownConsulate) {
      merged.consent = { ...consent, ownConsulate: false };
      const existing = conflicts.find((conflict) => conflict.field === 'consent');
      if (existing) existing.forced = 'refugee_own_consulate';
      else
        conflicts.push({
          field: 'consent',
          chosen: { ...fieldValue(newest, 'consent'), value: merged.consent },
          others: [fieldValue(newest, 'consent')],
          forced: 'refugee_own_consulate',
        });
    }
  }
  return { body: merged as unknown as Body, version, heads: heads.map(referenceOf), conflicts };
}

/**
 * The body of the version that settles a merge: the merged body with the values a person picked,
 * made from every head. Its version is one above the highest head.
 */
export function resolveMerge<Body extends RecordBody>(
  result: MergeResult<Body>,
  picks: Record<string, unknown>,
  by: { memberId: string; at: string },
): RecordVersion<Body> {
  const body: Record<string, unknown> = { ...result.body, ...picks, updatedAt: by.at, updatedBy: by.memberId, parents: result.heads };
  for (const [field, value] of Object.entries(picks)) if (value === undefined) delete body[field];
  return { version: result.version + 1, body: body as unknown as Body };
}

/** The body of an ordinary edit: made from the version shown, one number above it. */
export function nextVersion<Body extends RecordBody>(
  current: MergeResult<Body> | null,
  body: Body,
  by: { memberId: string; at: string },
): RecordVersion<Body> {
  if (!current) {
    const { parents: _none, ...first } = body;
    return { version: 1, body: { ...first, updatedAt: by.at, updatedBy: by.memberId } as Body };
  }
  const edited = { ...body, updatedAt: by.at, updatedBy: by.memberId, parents: current.heads };
  return { version: current.version + 1, body: edited };
}
