// Capture and reading of records on the device (sync.ts sends and fetches them). Records are sealed here, before anything
// is stored or sent: to the org key (for the officers) and to the member's own key (so a field
// worker can see what they captured until it is purged).
import {
  closeRecordOpener,
  closeSealingSession,
  createRecordOpener,
  CryptoError,
  fromBase64,
  openAuthoredRecord,
  openSealingSession,
  sealRecord,
  toBase64,
  type RecordOpener,
  type SealingSession,
} from '#crypto';
import { t } from './i18n/index.ts';
import { mergeVersions, referenceOf, type MergeResult, type RecordVersion } from '#model/merge';
import { migrateRecord } from '#model/migrate';
import type { Community, Person, RecordBody } from '#model/records';
import { loadAuthors } from './roster-trust.ts';
import type { Session } from './session.ts';
import { database, type CaptureRow, type OutboxRow } from './store/db.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Sealers {
  org: SealingSession;
  own: SealingSession;
}
const sealersBySession = new WeakMap<Session, Sealers>();

/** Nothing is sealed while the server names another org key than the one this device pinned (issue 14). */
export class OrgKeyAlarmError extends Error {
  readonly code = 'org_key_alarm';
  constructor() {
    super(t('orgKey.alarm.capture'));
  }
}

/** The device's two sealing sessions for this session (to the org key, to the member's own key). */
export function sealersFor(session: Session): Sealers {
  if (session.identity.orgKeyAlarm) throw new OrgKeyAlarmError();
  let sealers = sealersBySession.get(session);
  // The statement moved the organisation to a new key (a rotation): seal to that one from now on.
  if (sealers && toBase64(sealers.org.orgPublicKey) !== session.identity.orgPublicKey) {
    endSealing(session);
    sealers = undefined;
  }
  if (!sealers) {
    sealers = {
      // Every body sealed to the org carries this member's author header (decision 0605).
      org: openSealingSession(session.identity.orgId, fromBase64(session.identity.orgPublicKey), session.keys),
      own: openSealingSession(ownScope(session), session.keys.boxPublicKey),
    };
    sealersBySession.set(session, sealers);
  }
  return sealers;
}

/** Records sealed to a member's own key are bound to this scope instead of the org id. */
const ownScope = (session: Session) => `member:${session.identity.memberId}`;

/** Forgets the sealing secrets: after this the device cannot read back what it sealed to the org. */
export function endSealing(session: Session) {
  const sealers = sealersBySession.get(session);
  if (sealers) {
    closeSealingSession(sealers.org);
    closeSealingSession(sealers.own);
    sealersBySession.delete(session);
  }
}

/** Seals a record version and queues it for sync, in one transaction: it is never half saved. */
export async function saveRecord(session: Session, record: RecordBody, version: number) {
  await saveVersions(session, [{ version, body: record }]);
}

export interface OpenedRecords {
  communities: Community[];
  persons: Person[];
  /** Per record id: the version to edit from, its heads and the fields two devices disagree on. */
  merges: Map<string, MergeResult>;
  /** Records whose envelope failed to open (tampered, wrong key, unknown schema): shown, never silently dropped. */
  unreadable: { id: string; version: number; reason: string }[];
  /** Records with more than one head: two devices edited offline. Both sides are kept. */
  conflicts: string[];
  /**
   * Record versions that opened but whose origin is not a member of the signed statement: no author
   * header (sealed by anyone holding the public key, such as the server), or an author no verified
   * statement lists. Set aside: never in the list, the map, a summary, a release or an alert count.
   */
  unverified: { id: string; version: number; reason: 'unsigned' | 'unknown_author' }[];
}

export const emptyRecords = (): OpenedRecords => ({
  communities: [],
  persons: [],
  merges: new Map(),
  unreadable: [],
  conflicts: [],
  unverified: [],
});

interface SealedRow {
  id: string;
  version: number;
  envelope: string;
}

/**
 * Opens sealed rows, migrates old schemas, and merges every record's versions (model/merge.ts).
 * With `authors` (signing key -> member id, from verified statements), a version whose author is
 * not among them is set aside in `unverified`; without, the rows are this device's own copies.
 */
export function openRows(
  sources: { rows: SealedRow[]; opener: RecordOpener; previous?: RecordOpener[]; authors?: ReadonlyMap<string, string> }[],
): OpenedRecords {
  const versionsById = new Map<string, RecordVersion[]>();
  const opened = emptyRecords();
  for (const { rows, opener, previous = [], authors } of sources) {
    for (const row of rows) {
      let raw: unknown;
      try {
        const { record, author } = openWithAny([opener, ...previous], row);
        if (authors && (author === null || !authors.has(author))) {
          opened.unverified.push({ id: row.id, version: row.version, reason: author === null ? 'unsigned' : 'unknown_author' });
          continue;
        }
        raw = JSON.parse(decoder.decode(record));
      } catch (error) {
        opened.unreadable.push({ id: row.id, version: row.version, reason: (error as Error).message });
        continue;
      }
      const migrated = migrateRecord(raw);
      if (!migrated.ok || migrated.body.id !== row.id) {
        opened.unreadable.push({
          id: row.id,
          version: row.version,
          reason: migrated.ok ? 'the record id inside does not match its envelope' : migrated.reason,
        });
        continue;
      }
      const list = versionsById.get(row.id);
      if (list) list.push({ version: row.version, body: migrated.body });
      else versionsById.set(row.id, [{ version: row.version, body: migrated.body }]);
    }
  }
  for (const [id, versions] of versionsById) {
    const merged =
      versions.length === 1
        ? { body: versions[0]!.body, version: versions[0]!.version, heads: [referenceOf(versions[0]!)], conflicts: [] }
        : mergeVersions(versions);
    opened.merges.set(id, merged);
    if (merged.heads.length > 1) opened.conflicts.push(id);
    if (merged.body.kind === 'community') opened.communities.push(merged.body);
    else opened.persons.push(merged.body);
  }
  return opened;
}

/** Opens with the current org key, or during a rotation with an earlier one (the envelope's key id says which). */
function openWithAny(openers: RecordOpener[], row: SealedRow) {
  const envelope = fromBase64(row.envelope);
  for (const [index, opener] of openers.entries()) {
    try {
      return openAuthoredRecord(opener, row.id, row.version, envelope);
    } catch (error) {
      if (!(error instanceof CryptoError && error.code === 'wrong_key') || index === openers.length - 1) throw error;
    }
  }
  throw new CryptoError('wrong_key', 'no key to open this record');
}

/** Opens what this member sealed to its own key; the caller closes it. */
export function ownOpener(session: Session): RecordOpener {
  return createRecordOpener(ownScope(session), { publicKey: session.keys.boxPublicKey, secretKey: session.keys.boxSecretKey });
}

/** Officer: every record of the org this device has pulled, plus its own edits not yet pulled back, decrypted in memory. */
export async function openOrgRecords(session: Session): Promise<OpenedRecords> {
  if (!session.orgKeys) return emptyRecords();
  const [envelopes, unsynced, syncedIds] = await Promise.all([
    database.envelopes.toArray(),
    database.captures.where('synced').equals(0).toArray(),
    database.captures.where('synced').equals(1).primaryKeys(),
  ]);
  // A capture the server took but this device has not pulled back yet (the pull failed after the
  // push): shown from the device's own copy, so it never drops out of the officer's list meanwhile.
  const pulled = new Set(envelopes.map((row) => row.id));
  const missing = syncedIds.filter((id) => !pulled.has(id));
  const pushedNotPulled =
    missing.length > 0 ? (await database.captures.bulkGet(missing)).filter((row): row is CaptureRow => row !== undefined) : [];
  const opener = createRecordOpener(session.identity.orgId, session.orgKeys);
  const previous = session.previousOrgKeys.map((keys) => createRecordOpener(session.identity.orgId, keys));
  const own = ownOpener(session);
  const authors = await loadAuthors(session.identity.orgId);
  try {
    return openRows([
      { rows: withoutRewrappedCopies(envelopes), opener, previous, authors },
      { rows: [...unsynced, ...pushedNotPulled], opener: own },
    ]);
  } finally {
    closeRecordOpener(opener);
    for (const earlier of previous) closeRecordOpener(earlier);
    closeRecordOpener(own);
  }
}

/**
 * After a rotation the server hands out each re-wrapped envelope again under a new seq: the same
 * record version with the same body (base64url characters 152 on, which are bytes 114 on) and
 * another key slot. One copy is kept, the newest.
 */
function withoutRewrappedCopies(rows: (SealedRow & { seq?: number })[]): SealedRow[] {
  const newest = new Map<string, SealedRow & { seq?: number }>();
  for (const row of rows) {
    const key = `${row.id} ${row.version} ${row.envelope.slice(152)}`; // ids and base64url hold no spaces
    const seen = newest.get(key);
    if (!seen || (row.seq ?? 0) > (seen.seq ?? 0)) newest.set(key, row);
  }
  return newest.size === rows.length ? rows : [...newest.values()];
}

/** Field worker: what this device captured, from the copies sealed to the member's own key. */
export async function openOwnCaptures(session: Session): Promise<OpenedRecords> {
  const rows = await database.captures.toArray();
  const opener = ownOpener(session);
  try {
    return openRows([{ rows, opener }]);
  } finally {
    closeRecordOpener(opener);
  }
}

/** What the device shows: the org's records for an officer holding the org key, its own captures otherwise. */
export async function openVisibleRecords(session: Session): Promise<OpenedRecords> {
  return session.identity.role === 'officer' && session.orgKeys ? openOrgRecords(session) : openOwnCaptures(session);
}

/** Seals and queues a batch of new or edited versions in one transaction (imports, merges). */
export async function saveVersions(session: Session, versions: RecordVersion[]) {
  const sealers = sealersFor(session);
  const now = new Date().toISOString();
  const outbox: OutboxRow[] = [];
  const captures: CaptureRow[] = [];
  for (const { version, body } of versions) {
    const plaintext = encoder.encode(JSON.stringify(body));
    outbox.push({ id: body.id, version, envelope: toBase64(sealRecord(sealers.org, body.id, version, plaintext)), queuedAt: now });
    captures.push({
      id: body.id,
      version,
      envelope: toBase64(sealRecord(sealers.own, body.id, version, plaintext)),
      capturedAt: now,
      synced: 0,
    });
    plaintext.fill(0);
  }
  await database.transaction('rw', database.outbox, database.captures, async () => {
    await database.outbox.bulkPut(outbox);
    await database.captures.bulkPut(captures);
  });
}
