// Expiry: releases and requests past their time are deleted for real (bundle bytes gone), and the
// server signs an audit entry saying so. Run before every activation route and by the cron trigger.
import { chainOfRequest, serverEntry } from '../audit/chain.ts';
import type { ServerKey } from '../audit/server-key.ts';

const BATCH = 25;

export async function expireDue(db: D1Database, key: ServerKey, now = new Date()) {
  const at = now.toISOString();
  let expired = 0;
  const { results: releases } = await db
    .prepare("SELECT id, request_hash FROM releases WHERE status = 'available' AND expires_at <= ? LIMIT ?")
    .bind(at, BATCH)
    .all<{ id: string; request_hash: string }>();
  for (const release of releases) {
    const done = await unlessDoneMeanwhile(
      `release ${release.id}`,
      async () =>
        db.batch([
          db.prepare("UPDATE releases SET status = 'expired' WHERE id = ? AND status = 'available'").bind(release.id),
          db.prepare('DELETE FROM release_chunks WHERE release_id = ?').bind(release.id),
          await serverEntry(db, key, chainOfRequest(release.request_hash), 'release.expired', {
            requestHash: release.request_hash,
            releaseId: release.id,
          }),
        ]),
      async () =>
        (await db.prepare('SELECT status FROM releases WHERE id = ?').bind(release.id).first<{ status: string }>())?.status !== 'available',
    );
    if (done) expired++;
  }
  const { results: requests } = await db
    .prepare("SELECT hash FROM activation_requests WHERE status = 'open' AND expires_at <= ? LIMIT ?")
    .bind(at, BATCH)
    .all<{ hash: string }>();
  for (const request of requests) {
    const done = await unlessDoneMeanwhile(
      `request ${request.hash}`,
      async () =>
        db.batch([
          db.prepare("UPDATE activation_requests SET status = 'expired' WHERE hash = ? AND status = 'open'").bind(request.hash),
          db
            .prepare(
              "UPDATE activation_targets SET status = 'expired', updated_at = ? WHERE request_hash = ? AND status IN ('pending', 'approved', 'released')",
            )
            .bind(at, request.hash),
          db.prepare('DELETE FROM release_chunks WHERE release_id IN (SELECT id FROM releases WHERE request_hash = ?)').bind(request.hash),
          db.prepare("UPDATE releases SET status = 'expired' WHERE request_hash = ? AND status = 'available'").bind(request.hash),
          await serverEntry(db, key, chainOfRequest(request.hash), 'activation.expired', { requestHash: request.hash }),
        ]),
      async () =>
        (await db.prepare('SELECT status FROM activation_requests WHERE hash = ?').bind(request.hash).first<{ status: string }>())
          ?.status !== 'open',
    );
    if (done) expired++;
  }
  return expired + (await deleteRecordsPastRetention(db, now));
}

/**
 * Runs one expiry. Two sweeps (or a sweep and a party's own entry) may append to the same audit
 * chain at once: the loser's entry is refused (the chain's primary key) and its batch rolls back.
 * When the row turns out expired meanwhile, that is the expected outcome; otherwise the expiry is
 * tried once more on the new head. A row that still fails is reported in the Worker's log (its id
 * and the error, nothing personal) and left for the next sweep: one row that cannot be expired does
 * not stop the others, the route that triggered the sweep, or the cron's other work. Returns
 * whether this call expired the row.
 */
async function unlessDoneMeanwhile(
  what: string,
  expire: () => Promise<unknown>,
  expiredMeanwhile: () => Promise<boolean>,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await expire();
      return true;
    } catch (error) {
      if (await expiredMeanwhile()) return false;
      if (attempt === 0) continue;
      console.error(`expiry: ${what} could not be expired this sweep: ${(error as Error).message}`);
      return false;
    }
  }
}

/**
 * Sealed record versions older than their organisation's retention period are deleted for real. At
 * most 90 per sweep (D1 binds at most 100 parameters). A break-glass copy (decision 0610) not
 * refreshed within the period goes too: it holds what the records held.
 */
export async function deleteRecordsPastRetention(db: D1Database, now = new Date()) {
  await db
    .prepare(
      `DELETE FROM arrangement_copies WHERE arrangement_id IN (
         SELECT c.arrangement_id FROM arrangement_copies c JOIN arrangements a ON a.id = c.arrangement_id JOIN orgs o ON o.id = a.cso_org_id
         WHERE c.updated_at < strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-' || o.retention_days || ' days'))`,
    )
    .bind(now.toISOString())
    .run();
  const { results } = await db
    .prepare(
      `SELECT r.seq FROM records r JOIN orgs o ON o.id = r.org_id
       WHERE r.received_at < strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-' || o.retention_days || ' days') LIMIT 90`,
    )
    .bind(now.toISOString())
    .all<{ seq: number }>();
  if (results.length === 0) return 0;
  const placeholders = results.map(() => '?').join(', ');
  const seqs = results.map((row) => row.seq);
  await db
    .prepare(`DELETE FROM records WHERE seq IN (${placeholders})`)
    .bind(...seqs)
    .run();
  return results.length;
}
