// Query helpers for activation requests, their targets, decisions and releases (with their chunks):
// every statement the activation routes run on these tables, tested on their own against a real D1
// (tests/d1/activations-db.test.ts). Judging a target from its signatures and the JSON answers are
// api/src/activations/store.ts. Expiry runs its own statements (api/src/activations/expiry.ts).
//
// The helpers that write take the audit entry of the step (acceptEntry in api/src/audit/chain.ts)
// and run it in the same batch: a write and its audit entry are stored together or not at all (when
// another entry took the chain's head meanwhile, the batch rolls back).

// The values the tables' CHECK constraints allow (api/migrations/0003_activation.sql).
export const requestKinds = ['release', 'break_glass'] as const;
export const requestStatuses = ['open', 'expired'] as const;
export const targetStatuses = ['pending', 'approved', 'vetoed', 'released', 'revoked', 'expired'] as const;
export const decisionKinds = ['approve', 'veto'] as const;
export const releaseStatuses = ['available', 'revoked', 'expired'] as const;

export interface RequestRow {
  hash: string;
  request: string;
  signature: string;
  kind: (typeof requestKinds)[number];
  requester_org_id: string;
  requester_member_id: string;
  arrangement_id: string | null;
  created_at: string;
  expires_at: string;
  status: (typeof requestStatuses)[number];
}

export interface TargetRow {
  request_hash: string;
  org_id: string;
  approvals_required: number;
  status: (typeof targetStatuses)[number];
  updated_at: string;
  /** The target's roster version when the request was filed (null: filed before migration 0010). */
  roster_version: number | null;
}

export interface DecisionRow {
  request_hash: string;
  org_id: string;
  member_id: string;
  decision: (typeof decisionKinds)[number];
  signature: string;
  created_at: string;
}

export interface ReleaseRow {
  id: string;
  request_hash: string;
  org_id: string;
  uploaded_by: string;
  bytes: number;
  sha256: string;
  created_at: string;
  expires_at: string;
  status: (typeof releaseStatuses)[number];
  downloads: number;
}

export const findRequest = (db: D1Database, hash: string) =>
  db.prepare('SELECT * FROM activation_requests WHERE hash = ?').bind(hash).first<RequestRow>();

/** Requests filed by an organisation, newest first (at most 200). */
export const listOutgoingRequests = (db: D1Database, orgId: string) =>
  db
    .prepare('SELECT * FROM activation_requests WHERE requester_org_id = ? ORDER BY created_at DESC LIMIT 200')
    .bind(orgId)
    .all<RequestRow>()
    .then((result) => result.results);

/** Requests addressed to an organisation, newest first (at most 200). */
export const listIncomingRequests = (db: D1Database, orgId: string) =>
  db
    .prepare(
      `SELECT r.* FROM activation_requests r JOIN activation_targets t ON t.request_hash = r.hash
       WHERE t.org_id = ? ORDER BY r.created_at DESC LIMIT 200`,
    )
    .bind(orgId)
    .all<RequestRow>()
    .then((result) => result.results);

export const listTargets = (db: D1Database, hash: string) =>
  db
    .prepare('SELECT * FROM activation_targets WHERE request_hash = ? ORDER BY org_id')
    .bind(hash)
    .all<TargetRow>()
    .then((result) => result.results);

export const listDecisions = (db: D1Database, hash: string) =>
  db
    .prepare('SELECT * FROM activation_decisions WHERE request_hash = ? ORDER BY created_at')
    .bind(hash)
    .all<DecisionRow>()
    .then((result) => result.results);

export const listReleases = (db: D1Database, hash: string) =>
  db
    .prepare('SELECT * FROM releases WHERE request_hash = ? ORDER BY created_at')
    .bind(hash)
    .all<ReleaseRow>()
    .then((result) => result.results);

/** A request as filed; its status is 'open' (the column's default). */
export interface NewRequest {
  hash: string;
  /** The request JSON as signed. */
  request: string;
  signature: string;
  kind: RequestRow['kind'];
  requesterOrgId: string;
  requesterMemberId: string;
  arrangementId: string | null;
  createdAt: string;
  expiresAt: string;
}

/** A CSO a request is addressed to, with its k and roster version then; its status is 'pending'. */
export interface NewTarget {
  orgId: string;
  approvalsRequired: number;
  rosterVersion: number | null;
}

export const insertRequestStatement = (db: D1Database, request: NewRequest) =>
  db
    .prepare(
      `INSERT INTO activation_requests (hash, request, signature, kind, requester_org_id, requester_member_id, arrangement_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      request.hash,
      request.request,
      request.signature,
      request.kind,
      request.requesterOrgId,
      request.requesterMemberId,
      request.arrangementId,
      request.createdAt,
      request.expiresAt,
    );

export const insertTargetStatement = (db: D1Database, requestHash: string, target: NewTarget, updatedAt: string) =>
  db
    .prepare('INSERT INTO activation_targets (request_hash, org_id, approvals_required, updated_at, roster_version) VALUES (?, ?, ?, ?, ?)')
    .bind(requestHash, target.orgId, target.approvalsRequired, updatedAt, target.rosterVersion);

/** Files a request with its targets and its first audit entry, in one batch. */
export const fileRequest = (db: D1Database, request: NewRequest, targets: NewTarget[], audit: D1PreparedStatement) =>
  db.batch([
    insertRequestStatement(db, request),
    ...targets.map((target) => insertTargetStatement(db, request.hash, target, request.createdAt)),
    audit,
  ]);

/**
 * An officer's signed decision. `orIgnore`: a second decision by the same officer is dropped instead
 * of refused (the break-glass veto, which is recorded and acted on whatever the officer said before).
 */
export const insertDecisionStatement = (
  db: D1Database,
  decision: Pick<DecisionRow, 'request_hash' | 'org_id' | 'member_id' | 'decision' | 'signature' | 'created_at'>,
  { orIgnore = false } = {},
) =>
  db
    .prepare(
      `INSERT${orIgnore ? ' OR IGNORE' : ''} INTO activation_decisions (request_hash, org_id, member_id, decision, signature, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(decision.request_hash, decision.org_id, decision.member_id, decision.decision, decision.signature, decision.created_at);

/**
 * Stores a decision with its audit entry, in one batch. The table's key is (request, member): an
 * officer who decided already (a second request racing the first past the route's check) is refused
 * and the audit entry is not stored either.
 */
export const recordDecision = (db: D1Database, decision: DecisionRow, audit: D1PreparedStatement) =>
  db.batch([insertDecisionStatement(db, decision), audit]);

export const targetStatusStatement = (db: D1Database, hash: string, orgId: string, status: TargetRow['status'], updatedAt: string) =>
  db
    .prepare('UPDATE activation_targets SET status = ?, updated_at = ? WHERE request_hash = ? AND org_id = ?')
    .bind(status, updatedAt, hash, orgId);

/** Sets where a target stands (the cache of what its signatures say). */
export const setTargetStatus = (db: D1Database, hash: string, orgId: string, status: TargetRow['status'], updatedAt: string) =>
  targetStatusStatement(db, hash, orgId, status, updatedAt).run();

/** Every target of a request vetoed (a break-glass veto: the request has its CSO as its one target). */
export const vetoTargetsStatement = (db: D1Database, hash: string, updatedAt: string) =>
  db.prepare("UPDATE activation_targets SET status = 'vetoed', updated_at = ? WHERE request_hash = ?").bind(updatedAt, hash);

/** A release of this request (null: none with this id, or one of another request). */
export const findRelease = (db: D1Database, releaseId: string, hash: string) =>
  db.prepare('SELECT * FROM releases WHERE id = ? AND request_hash = ?').bind(releaseId, hash).first<ReleaseRow>();

/** Whether a release with this id exists, for any request. */
export const releaseIdTaken = (db: D1Database, releaseId: string) =>
  db.prepare('SELECT 1 AS taken FROM releases WHERE id = ?').bind(releaseId).first().then(Boolean);

export const RELEASE_CHUNK_BYTES = 512 * 1024;

export function storeChunksStatements(db: D1Database, releaseId: string, bytes: Uint8Array) {
  const statements: D1PreparedStatement[] = [];
  for (let offset = 0, index = 0; offset < bytes.length; offset += RELEASE_CHUNK_BYTES, index++) {
    statements.push(
      db
        .prepare('INSERT INTO release_chunks (release_id, idx, data) VALUES (?, ?, ?)')
        .bind(releaseId, index, bytes.subarray(offset, offset + RELEASE_CHUNK_BYTES)),
    );
  }
  return statements;
}

export async function readChunks(db: D1Database, releaseId: string): Promise<Uint8Array> {
  const { results } = await db
    .prepare('SELECT data FROM release_chunks WHERE release_id = ? ORDER BY idx')
    .bind(releaseId)
    .all<{ data: ArrayBuffer }>();
  const parts = results.map((row) => new Uint8Array(row.data));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Stores a release (its row, its bytes in chunks), marks the releasing CSO's target released, and
 * stores the audit entry, in one batch: a release id taken meanwhile refuses all of it.
 */
export const storeRelease = (
  db: D1Database,
  release: Pick<ReleaseRow, 'id' | 'request_hash' | 'org_id' | 'uploaded_by' | 'sha256' | 'created_at' | 'expires_at'>,
  bytes: Uint8Array,
  audit: D1PreparedStatement,
) =>
  db.batch([
    db
      .prepare(
        'INSERT INTO releases (id, request_hash, org_id, uploaded_by, bytes, sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(
        release.id,
        release.request_hash,
        release.org_id,
        release.uploaded_by,
        bytes.length,
        release.sha256,
        release.created_at,
        release.expires_at,
      ),
    ...storeChunksStatements(db, release.id, bytes),
    targetStatusStatement(db, release.request_hash, release.org_id, 'released', release.created_at),
    audit,
  ]);

/** Counts one download of a release, with its audit entry, in one batch. */
export const countDownload = (db: D1Database, releaseId: string, audit: D1PreparedStatement) =>
  db.batch([db.prepare('UPDATE releases SET downloads = downloads + 1 WHERE id = ?').bind(releaseId), audit]);

/**
 * Revokes a release: its status, its bytes deleted, the releasing CSO's target revoked (final for the
 * request), and the audit entry, in one batch.
 */
export const revokeRelease = (
  db: D1Database,
  release: Pick<ReleaseRow, 'id' | 'request_hash' | 'org_id'>,
  at: string,
  audit: D1PreparedStatement,
) =>
  db.batch([
    db.prepare("UPDATE releases SET status = 'revoked' WHERE id = ?").bind(release.id),
    db.prepare('DELETE FROM release_chunks WHERE release_id = ?').bind(release.id),
    targetStatusStatement(db, release.request_hash, release.org_id, 'revoked', at),
    audit,
  ]);
