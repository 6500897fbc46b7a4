// Small lookups over stored statement versions and waiting proposals. Storing, chaining and
// co-signing them is api/src/roster/store.ts.

/** The hash of an organisation's statement version, or null when it has no such version. */
export const rosterHashAt = (db: D1Database, orgId: string, version: number) =>
  db
    .prepare('SELECT hash FROM officer_rosters WHERE org_id = ? AND version = ?')
    .bind(orgId, version)
    .first<{ hash: string }>()
    .then((row) => row?.hash ?? null);

/** Whether `hash` is the hash of one of the organisation's statement versions (its partner code names one). */
export const rosterHasHash = (db: D1Database, orgId: string, hash: string) =>
  db.prepare('SELECT 1 AS ok FROM officer_rosters WHERE org_id = ? AND hash = ?').bind(orgId, hash).first().then(Boolean);

/** Deletes the waiting proposals `signerId` made (the one with `hash`, or all); answers how many went. */
export const withdrawProposals = (db: D1Database, orgId: string, signerId: string, hash?: string) =>
  (hash
    ? db.prepare('DELETE FROM roster_proposals WHERE org_id = ? AND hash = ? AND signer_id = ?').bind(orgId, hash, signerId)
    : db.prepare('DELETE FROM roster_proposals WHERE org_id = ? AND signer_id = ?').bind(orgId, signerId)
  )
    .run()
    .then((result) => result.meta.changes ?? 0);
