// Sync of the device's records with the server: pushes the sealed outbox, pulls the org's envelopes
// (officers), finishes a key rotation and refreshes break-glass copies. Sealing and opening are in
// records.ts; this module sits above it (and above activation/breakglass.ts), so nothing imports back.
import {
  closeRecordOpener,
  createRecordOpener,
  fromBase64,
  openRecord,
  orgKeyId,
  rewrapRecords,
  sealRecord,
  toBase64,
  toHex,
  type OrgKeys,
} from '#crypto';
import { refreshArrangementCopies } from './activation/breakglass.ts';
import { ApiRequestError, expectOk, OfflineError } from './api.ts';
import { ownOpener, sealersFor } from './records.ts';
import { checkRevoked, connect, forgetPreviousOrgKeys, type Session } from './session.ts';
import { database, type OutboxRow } from './store/db.ts';
import { loadKeepSyncedCaptures } from './store/settings.ts';

export interface SyncProgress {
  pushed: number;
  pending: number;
  pulled: number;
  /** After a rotation: key slots re-wrapped so far, of how many under an earlier key. */
  rewrapped?: number;
  stale?: number;
}

const PUSH_BATCH = 500;
const PULL_PAGE = 2000;

/**
 * Pushes the outbox, then (officers) pulls new records. Safe to interrupt and to repeat: a row
 * leaves the outbox only after the server has stored it, and the server ignores replays.
 */
export async function sync(session: Session, onProgress?: (progress: SyncProgress) => void): Promise<SyncProgress> {
  try {
    return await pushAndPull(session, onProgress);
  } catch (error) {
    await checkRevoked(session, error);
    throw error;
  }
}

async function pushAndPull(session: Session, onProgress?: (progress: SyncProgress) => void): Promise<SyncProgress> {
  // Every sync checks the statement again (not only at sign-in): a rotation reaches the device at once.
  const api = await connect(session, { refresh: true });
  const orgId = session.identity.orgId;
  const progress: SyncProgress = { pushed: 0, pending: await database.outbox.count(), pulled: 0 };
  onProgress?.({ ...progress });
  // Every sync reaches the server at least once, so a removed device learns it (401 member_revoked)
  // even with nothing to push.
  if (progress.pending === 0 && session.identity.role !== 'officer') await expectOk(await api.api.auth.me.$get());
  await resealOutbox(session);
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
        await database.captures
          .where('id')
          .equals(row.id)
          .and((capture) => capture.version === row.version)
          .modify({ synced: 1 });
      }
    });
    progress.pushed += batch.length;
    progress.pending = await database.outbox.count();
    onProgress?.({ ...progress });
  }
  // What the server acknowledged leaves a field device (its copies sealed to the member's own key),
  // unless the field worker chose to keep them: a seized phone, even unlocked, shows nothing it sent.
  if (session.identity.role !== 'officer' && !(await loadKeepSyncedCaptures())) await database.captures.where('synced').equals(1).delete();
  if (session.identity.role === 'officer' && session.orgKeys) {
    await pullAll(session, api, progress, onProgress);
    const onRewrap = onProgress ? (rewrapped: number, stale: number) => onProgress({ ...progress, rewrapped, stale }) : undefined;
    // After a rotation: the re-wrapped copies are stored under new seqs, so pull them at once (the
    // list never shows fewer records than before), then forget the old keys in the same sync.
    if ((await finishRotation(session, api, onRewrap)) > 0) {
      await pullAll(session, api, progress, onProgress);
      await finishRotation(session, api, onRewrap);
    }
    // Break-glass copies follow the records (decision 0610). A failure here does not fail the sync:
    // the copy's age is shown with each arrangement, and the next sync tries again.
    if (session.identity.orgKind === 'cso') {
      try {
        await refreshArrangementCopies(session);
      } catch (error) {
        if (!(error instanceof OfflineError) && !(error instanceof ApiRequestError)) throw error;
      }
    }
  }
  return progress;
}

/** Pulls every envelope stored after this device's cursor (officers). */
async function pullAll(
  session: Session,
  api: Awaited<ReturnType<typeof connect>>,
  progress: SyncProgress,
  onProgress?: (progress: SyncProgress) => void,
) {
  const orgId = session.identity.orgId;
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

const keyIdOf = (publicKey: Uint8Array) => toHex(orgKeyId(publicKey));
/** The key id an envelope (base64url) names: bytes 2-9, which are base64url characters 0-13 decoded. */
const envelopeKeyId = (envelope: string) => toHex(fromBase64(envelope.slice(0, 16)).subarray(2, 10));
/**
 * After a rotation, versions this device sealed to the earlier key and has not pushed yet are sealed
 * again to the key the statement names now, from the device's own copy (`captures`), so that nothing
 * reaches the server under the old key (decision 0606). A version whose own copy is gone stays as it is.
 */
async function resealOutbox(session: Session) {
  if (!session.identity.orgPublicKey || session.identity.orgKeyAlarm) return;
  const current = keyIdOf(fromBase64(session.identity.orgPublicKey));
  const stale = (await database.outbox.toArray()).filter((row) => envelopeKeyId(row.envelope) !== current);
  if (stale.length === 0) return;
  const sealers = sealersFor(session);
  const own = ownOpener(session);
  try {
    const resealed: OutboxRow[] = [];
    for (const row of stale) {
      const capture = await database.captures.get(row.id);
      if (!capture || capture.version !== row.version) continue;
      const plaintext = openRecord(own, row.id, row.version, fromBase64(capture.envelope));
      resealed.push({ ...row, envelope: toBase64(sealRecord(sealers.org, row.id, row.version, plaintext)) });
      plaintext.fill(0);
    }
    if (resealed.length) await database.outbox.bulkPut(resealed);
  } finally {
    closeRecordOpener(own);
  }
}

const SLOT_BATCH = 500;

/**
 * An officer's device after a rotation: re-wraps the key slot of every envelope it holds under an
 * earlier key to the current one and sends the new slots (bodies untouched, all or nothing per
 * batch); once the server holds no envelope under an earlier key, forgets the earlier keys.
 */
export async function finishRotation(
  session: Session,
  api: Awaited<ReturnType<typeof connect>>,
  onProgress?: (rewrapped: number, stale: number) => void,
): Promise<number> {
  if (!session.orgKeys) return 0;
  const orgId = session.identity.orgId;
  const status = await expectOk(await api.api.orgs[':orgId'].rotation.$get({ param: { orgId } }));
  const current = keyIdOf(session.orgKeys.publicKey);
  if (status.staleEnvelopes === 0) {
    if (session.previousOrgKeys.length || session.identity.previousWrappedOrgKeys?.length) {
      // The server holds nothing under an earlier key, and this device has pulled the re-wrapped copies: the old copies and the old keys go.
      const old = (await database.envelopes.toArray()).filter((row) => envelopeKeyId(row.envelope) !== current).map((row) => row.seq);
      await database.envelopes.bulkDelete(old);
      await forgetPreviousOrgKeys(session);
    }
    return 0;
  }
  const openers = new Map(session.previousOrgKeys.map((keys) => [keyIdOf(keys.publicKey), keys] as [string, OrgKeys]));
  const rows = (await database.envelopes.toArray()).filter((row) => envelopeKeyId(row.envelope) !== current);
  let rewrapped = 0;
  onProgress?.(0, rows.length);
  for (const [keyId, keys] of openers) {
    const mine = rows.filter((row) => envelopeKeyId(row.envelope) === keyId);
    const opener = createRecordOpener(orgId, keys);
    try {
      for (let start = 0; start < mine.length; start += SLOT_BATCH) {
        const batch = mine.slice(start, start + SLOT_BATCH);
        const next = rewrapRecords(
          opener,
          session.orgKeys.publicKey,
          batch.map((row) => ({ recordId: row.id, version: row.version, envelope: fromBase64(row.envelope) })),
        );
        const answer = await expectOk(
          await api.api.orgs[':orgId'].records.slots.$put({
            param: { orgId },
            json: { records: batch.map((row, index) => ({ seq: row.seq, envelope: toBase64(next[index]!) })) },
          }),
        );
        // The server stores each under a new seq (the next pull brings it); this device's copy under the old key goes.
        await database.envelopes.bulkDelete(batch.map((row) => row.seq));
        rewrapped += batch.length;
        onProgress?.(rewrapped, rows.length);
        if (answer.remaining === 0) break;
      }
    } finally {
      closeRecordOpener(opener);
    }
  }
  return rewrapped;
}

export async function pendingCount() {
  return database.outbox.count();
}
