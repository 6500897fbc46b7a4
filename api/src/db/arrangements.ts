// Query helpers for break-glass arrangements and their minimised copies: every statement the
// arrangement routes run on these tables, tested on their own against a real D1
// (tests/d1/arrangements-db.test.ts). Starting and vetoing a break-glass activation also write the
// activation tables, through the statements of ./activations.ts, in the same batch.
//
// The helpers that write take the audit entry of the step (acceptEntry in api/src/audit/chain.ts)
// and run it in the same batch. The updates guarded by a status (`AND status = 'proposed'`, `AND
// status = 'active'`) change nothing when a concurrent request moved the arrangement on after the
// route read it; they answer whether the row changed.
import type { ArrangementStatus } from '../arrangements/schemas.ts';
import {
  insertDecisionStatement,
  insertRequestStatement,
  insertTargetStatement,
  type NewRequest,
  type NewTarget,
  vetoTargetsStatement,
} from './activations.ts';

export interface ArrangementRow {
  id: string;
  cso_org_id: string;
  requester_org_id: string;
  descriptor: string;
  signature: string;
  requester_signature: string | null;
  org_escrow: string;
  requester_share: string;
  server_share: string;
  waiting_seconds: number;
  status: ArrangementStatus;
  request_hash: string | null;
  started_at: string | null;
  created_at: string;
  cosignatures: string;
}

const changed = (result: D1Result | undefined) => (result?.meta.changes ?? 0) > 0;

export const findArrangement = (db: D1Database, arrangementId: string) =>
  db.prepare('SELECT * FROM arrangements WHERE id = ?').bind(arrangementId).first<ArrangementRow>();

/** An organisation's arrangements, on either side, newest first (at most 200). */
export const listArrangementsOf = (db: D1Database, orgId: string) =>
  db
    .prepare('SELECT * FROM arrangements WHERE cso_org_id = ? OR requester_org_id = ? ORDER BY created_at DESC LIMIT 200')
    .bind(orgId, orgId)
    .all<ArrangementRow>()
    .then((result) => result.results);

/** A proposed arrangement as the CSO's officer signed it; its status is 'proposed', with no co-signature. */
export type NewArrangement = Pick<
  ArrangementRow,
  | 'id'
  | 'cso_org_id'
  | 'requester_org_id'
  | 'descriptor'
  | 'signature'
  | 'org_escrow'
  | 'requester_share'
  | 'server_share'
  | 'waiting_seconds'
  | 'created_at'
>;

/** Stores a proposed arrangement with its audit entry, in one batch (an id taken refuses both). */
export const insertArrangement = (db: D1Database, arrangement: NewArrangement, audit: D1PreparedStatement) =>
  db.batch([
    db
      .prepare(
        `INSERT INTO arrangements (id, cso_org_id, requester_org_id, descriptor, signature, org_escrow, requester_share, server_share, waiting_seconds, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        arrangement.id,
        arrangement.cso_org_id,
        arrangement.requester_org_id,
        arrangement.descriptor,
        arrangement.signature,
        arrangement.org_escrow,
        arrangement.requester_share,
        arrangement.server_share,
        arrangement.waiting_seconds,
        arrangement.created_at,
      ),
    audit,
  ]);

/**
 * Replaces the co-signatures (JSON) of a proposed arrangement, with the audit entry. False: the
 * arrangement was no longer proposed (accepted meanwhile), and its co-signatures are unchanged.
 */
export const setCosignatures = async (db: D1Database, arrangementId: string, cosignatures: string, audit: D1PreparedStatement) => {
  const [result] = await db.batch([
    db.prepare("UPDATE arrangements SET cosignatures = ? WHERE id = ? AND status = 'proposed'").bind(cosignatures, arrangementId),
    audit,
  ]);
  return changed(result);
};

/**
 * The requester's countersignature: a proposed arrangement becomes active, with the audit entry.
 * False: it was no longer proposed, and is unchanged.
 */
export const acceptArrangement = async (db: D1Database, arrangementId: string, requesterSignature: string, audit: D1PreparedStatement) => {
  const [result] = await db.batch([
    db
      .prepare("UPDATE arrangements SET status = 'active', requester_signature = ? WHERE id = ? AND status = 'proposed'")
      .bind(requesterSignature, arrangementId),
    audit,
  ]);
  return changed(result);
};

/**
 * Breaks the glass: files the break-glass request with the CSO as its one target, and moves an
 * active arrangement to waiting with that request, with the audit entry, in one batch. False: the
 * arrangement was no longer active (activated meanwhile); the arrangement is unchanged.
 */
export const startBreakGlass = async (
  db: D1Database,
  arrangementId: string,
  request: NewRequest,
  target: NewTarget,
  audit: D1PreparedStatement,
) => {
  const results = await db.batch([
    insertRequestStatement(db, request),
    insertTargetStatement(db, request.hash, target, request.createdAt),
    db
      .prepare("UPDATE arrangements SET status = 'waiting', request_hash = ?, started_at = ? WHERE id = ? AND status = 'active'")
      .bind(request.hash, request.createdAt, arrangementId),
    audit,
  ]);
  return changed(results[2]);
};

/**
 * An officer's veto of a running break-glass activation: the signed veto (kept once per officer),
 * the arrangement vetoed for good, the request's target vetoed, and the audit entry, in one batch.
 */
export const vetoBreakGlass = (
  db: D1Database,
  veto: { arrangementId: string; requestHash: string; orgId: string; memberId: string; signature: string; at: string },
  audit: D1PreparedStatement,
) =>
  db.batch([
    insertDecisionStatement(
      db,
      {
        request_hash: veto.requestHash,
        org_id: veto.orgId,
        member_id: veto.memberId,
        decision: 'veto',
        signature: veto.signature,
        created_at: veto.at,
      },
      { orIgnore: true },
    ),
    db.prepare("UPDATE arrangements SET status = 'vetoed' WHERE id = ?").bind(veto.arrangementId),
    vetoTargetsStatement(db, veto.requestHash, veto.at),
    audit,
  ]);

/** The server's key share was handed over: the arrangement is used, with the audit entry. */
export const markArrangementUsed = (db: D1Database, arrangementId: string, audit: D1PreparedStatement) =>
  db.batch([db.prepare("UPDATE arrangements SET status = 'used' WHERE id = ?").bind(arrangementId), audit]);

/** Stores the minimised copy, replacing the one before. */
export const upsertCopy = (db: D1Database, arrangementId: string, bundle: Uint8Array, uploadedBy: string, updatedAt: string) =>
  db
    .prepare(
      `INSERT INTO arrangement_copies (arrangement_id, bundle, uploaded_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (arrangement_id) DO UPDATE SET bundle = excluded.bundle, uploaded_by = excluded.uploaded_by, updated_at = excluded.updated_at`,
    )
    .bind(arrangementId, bundle, uploadedBy, updatedAt)
    .run();

/** When the copy was last replaced (null: none stored), without reading its bytes. */
export const copyUpdatedAt = (db: D1Database, arrangementId: string) =>
  db
    .prepare('SELECT updated_at FROM arrangement_copies WHERE arrangement_id = ?')
    .bind(arrangementId)
    .first<{ updated_at: string }>()
    .then((row) => row?.updated_at ?? null);

export const findCopy = (db: D1Database, arrangementId: string) =>
  db
    .prepare('SELECT bundle, updated_at FROM arrangement_copies WHERE arrangement_id = ?')
    .bind(arrangementId)
    .first<{ bundle: ArrayBuffer; updated_at: string }>();
