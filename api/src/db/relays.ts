// Query helpers for relay requests (messages out, issue 9) and the CSO officers' decisions on them:
// the statements api/src/relays/routes.ts runs, tested on their own against a real D1
// (tests/d1/relays-db.test.ts). Statements that go into one batch with an audit entry are returned
// unrun (…Statement), as insertOrgStatement does; the route batches them with acceptEntry's.

// The values the table's CHECK constraint allows (api/migrations/0007_relay.sql).
export const relayStatuses = ['pending', 'approved', 'declined', 'sent'] as const;
export type RelayStatus = (typeof relayStatuses)[number];

export interface RelayRow {
  hash: string;
  request: string;
  signature: string;
  requester_org_id: string;
  cso_org_id: string;
  approvals_required: number;
  status: RelayStatus;
  created_at: string;
  expires_at: string;
  report: string | null;
}

export interface RelayDecisionRow {
  member_id: string;
  decision: 'approve' | 'veto';
  signature: string;
  created_at: string;
}

export const findRelay = (db: D1Database, hash: string) =>
  db.prepare('SELECT * FROM relay_requests WHERE hash = ?').bind(hash).first<RelayRow>();

export const relayFiled = (db: D1Database, hash: string) =>
  db.prepare('SELECT 1 AS taken FROM relay_requests WHERE hash = ?').bind(hash).first().then(Boolean);

/**
 * Relays addressed to the organisation as a CSO (incoming) or filed by it (outgoing), newest first,
 * at most 200.
 */
export const listRelays = (db: D1Database, orgId: string, direction: 'incoming' | 'outgoing') =>
  db
    .prepare(
      `SELECT * FROM relay_requests WHERE ${direction === 'outgoing' ? 'requester_org_id' : 'cso_org_id'} = ? ORDER BY created_at DESC LIMIT 200`,
    )
    .bind(orgId)
    .all<RelayRow>()
    .then((result) => result.results);

export interface NewRelay {
  hash: string;
  /** The request as JSON (it passed the routes' relay request schema). */
  request: string;
  signature: string;
  requesterOrgId: string;
  csoOrgId: string;
  approvalsRequired: number;
  createdAt: string;
  expiresAt: string;
}

/** Files a relay, pending (the column's default). A hash filed already fails on the primary key. */
export const insertRelayStatement = (db: D1Database, relay: NewRelay) =>
  db
    .prepare(
      `INSERT INTO relay_requests (hash, request, signature, requester_org_id, cso_org_id, approvals_required, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      relay.hash,
      relay.request,
      relay.signature,
      relay.requesterOrgId,
      relay.csoOrgId,
      relay.approvalsRequired,
      relay.createdAt,
      relay.expiresAt,
    );

/** The decisions on a relay, oldest first. */
export const listRelayDecisions = (db: D1Database, hash: string) =>
  db
    .prepare('SELECT member_id, decision, signature, created_at FROM relay_decisions WHERE request_hash = ? ORDER BY created_at')
    .bind(hash)
    .all<RelayDecisionRow>()
    .then((result) => result.results);

export const memberDecidedRelay = (db: D1Database, hash: string, memberId: string) =>
  db.prepare('SELECT 1 AS done FROM relay_decisions WHERE request_hash = ? AND member_id = ?').bind(hash, memberId).first().then(Boolean);

export interface NewRelayDecision {
  hash: string;
  memberId: string;
  decision: 'approve' | 'veto';
  signature: string;
  createdAt: string;
}

/** One officer's decision; a second one of the same officer fails on the primary key (request, member). */
export const insertRelayDecisionStatement = (db: D1Database, decision: NewRelayDecision) =>
  db
    .prepare('INSERT INTO relay_decisions (request_hash, member_id, decision, signature, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(decision.hash, decision.memberId, decision.decision, decision.signature, decision.createdAt);

/** Sets the status the decisions so far give (pending, approved or declined). */
/**
 * Sets the status the decisions give. Only a relay still open to decisions moves: a declined one
 * (a veto is final) and a sent one stay, so a decision counted while a report lands cannot turn a
 * sent relay back into an approved one.
 */
export const setRelayStatus = (db: D1Database, hash: string, status: RelayStatus) =>
  db.prepare("UPDATE relay_requests SET status = ? WHERE hash = ? AND status IN ('pending', 'approved')").bind(status, hash).run();

/**
 * Marks an approved relay sent with its report (counts only). Only an approved relay moves: one
 * reported already, declined or pending is left as it is (the statement changes no row).
 */
export const markRelaySentStatement = (db: D1Database, hash: string, report: string) =>
  db.prepare("UPDATE relay_requests SET status = 'sent', report = ? WHERE hash = ? AND status = 'approved'").bind(report, hash);
