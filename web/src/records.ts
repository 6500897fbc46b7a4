// Capture, sync and reading of records on the device. Records are sealed here, before anything
// is stored or sent: to the org key (for the officers) and to the member's own key (so a field
// worker can see what they captured until it is purged).
import {
  closeSealingSession,
  createRecordOpener,
  fromBase64,
  openRecord,
  openSealingSession,
  sealRecord,
  toBase64,
  type RecordOpener,
  type SealingSession,
} from '#crypto';
import { expectOk } from './api.ts';
import { community as communitySchema, type Community, type RecordBody } from './model/records.ts';
import { connect, type Session } from './session.ts';
import { database } from './store/db.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Sealers {
  org: SealingSession;
  own: SealingSession;
}
const sealersBySession = new WeakMap<Session, Sealers>();

function sealersFor(session: Session): Sealers {
  let sealers = sealersBySession.get(session);
  if (!sealers) {
    sealers = {
      org: openSealingSession(session.identity.orgId, fromBase64(session.identity.orgPublicKey)),
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
  const plaintext = encoder.encode(JSON.stringify(record));
  const sealers = sealersFor(session);
  const forOrg = toBase64(sealRecord(sealers.org, record.id, version, plaintext));
  const forMe = toBase64(sealRecord(sealers.own, record.id, version, plaintext));
  plaintext.fill(0);
  const now = new Date().toISOString();
  await database.transaction('rw', database.outbox, database.captures, async () => {
    await database.outbox.put({ id: record.id, version, envelope: forOrg, queuedAt: now });
    await database.captures.put({ id: record.id, version, envelope: forMe, capturedAt: now, synced: 0 });
  });
}

export interface SyncProgress {
  pushed: number;
  pending: number;
  pulled: number;
}

const PUSH_BATCH = 500;
const PULL_PAGE = 2000;

/**
 * Pushes the outbox, then (officers) pulls new records. Safe to interrupt and to repeat: a row
 * leaves the outbox only after the server has stored it, and the server ignores replays.
 */
export async function sync(session: Session, onProgress?: (progress: SyncProgress) => void): Promise<SyncProgress> {
  const api = await connect(session);
  const orgId = session.identity.orgId;
  const progress: SyncProgress = { pushed: 0, pending: await database.outbox.count(), pulled: 0 };
  onProgress?.({ ...progress });
  for (;;) {
    const batch = await database.outbox.orderBy('queuedAt').limit(PUSH_BATCH).toArray();
    if (batch.length === 0) break;
    await expectOk(
      await api.api.orgs[':orgId'].records.$post({
        param: { orgId },
        json: { records: batch.map(({ id, version, envelope }) => ({ id, version, envelope })) },
      }),
    );
    await database.transaction('rw', database.outbox, database.captures, async () => {
      await database.outbox.bulkDelete(batch.map((row) => [row.id, row.version] as [string, number]));
      for (const row of batch) {
        await database.captures.where('id').equals(row.id).and((capture) => capture.version === row.version).modify({ synced: 1 });
      }
    });
    progress.pushed += batch.length;
    progress.pending = await database.outbox.count();
    onProgress?.({ ...progress });
  }
  if (session.identity.role === 'officer' && session.orgKeys) {
    let cursor = Number((await database.meta.get('pullCursor'))?.value ?? 0);
    for (;;) {
      const page = await expectOk(
        await api.api.orgs[':orgId'].records.$get({ param: { orgId }, query: { after: String(cursor), limit: String(PULL_PAGE) } }),
      );
      await database.transaction('rw', database.envelopes, database.meta, async () => {
        await database.envelopes.bulkPut(page.records.map(({ seq, id, version, envelope }) => ({ seq, id, version, envelope })));
        await database.meta.put({ key: 'pullCursor', value: page.cursor });
      });
      cursor = page.cursor;
      progress.pulled += page.records.length;
      onProgress?.({ ...progress });
      if (!page.more) break;
    }
  }
  return progress;
}

export interface OpenedRecords {
  communities: Community[];
  /** Records whose envelope failed to open (tampered, wrong key): shown, never silently dropped. */
  unreadable: { id: string; version: number; reason: string }[];
  /** Records with two different versions of the same number: two devices edited offline. */
  conflicts: string[];
}

function openAll(rows: { id: string; version: number; envelope: string }[], opener: RecordOpener): OpenedRecords {
  const latest = new Map<string, { version: number; body: RecordBody; copies: number }>();
  const unreadable: OpenedRecords['unreadable'] = [];
  const conflicts = new Set<string>();
  for (const row of rows) {
    try {
      const body = JSON.parse(decoder.decode(openRecord(opener, row.id, row.version, fromBase64(row.envelope)))) as RecordBody;
      const current = latest.get(row.id);
      if (!current || row.version > current.version) latest.set(row.id, { version: row.version, body, copies: 1 });
      else if (row.version === current.version) {
        current.copies += 1;
        conflicts.add(row.id);
      }
    } catch (error) {
      unreadable.push({ id: row.id, version: row.version, reason: (error as Error).message });
    }
  }
  const communities: Community[] = [];
  for (const { body } of latest.values()) {
    if (body.kind === 'community') {
      const parsed = communitySchema.safeParse(body);
      if (parsed.success) communities.push(parsed.data);
      else unreadable.push({ id: body.id, version: -1, reason: 'does not match the record schema' });
    }
  }
  return { communities, unreadable, conflicts: [...conflicts] };
}

/** Officer: every record of the org this device has pulled, decrypted in memory. */
export async function openOrgRecords(session: Session): Promise<OpenedRecords> {
  if (!session.orgKeys) return { communities: [], unreadable: [], conflicts: [] };
  const opener = createRecordOpener(session.identity.orgId, session.orgKeys);
  return openAll(await database.envelopes.toArray(), opener);
}

/** Field worker: what this device captured, from the copies sealed to the member's own key. */
export async function openOwnCaptures(session: Session): Promise<OpenedRecords> {
  const opener = createRecordOpener(ownScope(session), { publicKey: session.keys.boxPublicKey, secretKey: session.keys.boxSecretKey });
  return openAll(await database.captures.toArray(), opener);
}

export async function pendingCount() {
  return database.outbox.count();
}
