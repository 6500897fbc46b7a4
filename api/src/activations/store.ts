// What the activation routes make of the stored rows: which officer keys count, where a target
// stands from its signatures, the roster version a request is filed under, and the rows as answered.
// The statements themselves are api/src/db/activations.ts.
import type { Decision } from '#crypto/activation';
import { verifyApprovals } from '#crypto/activation';
import { type DecisionRow, listDecisions, type ReleaseRow, type RequestRow, type TargetRow } from '../db/activations.ts';
import { readStored } from '../db/stored.ts';
import { decisionKeysAt, rosterHead, rosterOfficerKeys } from '../roster/store.ts';
import { activationRequestSchema } from './schemas.ts';

/**
 * The keys whose approvals and vetoes count: officers of the latest signed roster (decision 0602)
 * who are still active with the key the roster names. The clients take the same set from the
 * roster chain they verified, so a row added to `members` alone counts nowhere.
 */
export async function activeOfficerKeys(db: D1Database, orgId: string): Promise<Map<string, string>> {
  return rosterOfficerKeys(db, orgId);
}

export function toDecision(row: DecisionRow): Decision {
  return { decision: row.decision, requestHash: row.request_hash, memberId: row.member_id, signature: row.signature };
}

/**
 * Where a target stands, from the signatures themselves (not from a stored flag), judged against
 * the roster the request was filed under (decision 0603): a veto by an officer of that version
 * stands after they are removed, and officers added since do not count towards k.
 */
export async function evaluateTarget(
  db: D1Database,
  hash: string,
  target: Pick<TargetRow, 'org_id' | 'approvals_required' | 'roster_version'>,
) {
  const decisions = (await listDecisions(db, hash)).filter((row) => row.org_id === target.org_id).map(toDecision);
  const keys = await decisionKeysAt(db, target.org_id, target.roster_version);
  return verifyApprovals(hash, decisions, keys.approve, target.approvals_required, keys.veto);
}

/** The roster version a new request is filed under, for each target. */
export async function currentRosterVersion(db: D1Database, orgId: string): Promise<number | null> {
  return (await rosterHead(db, orgId))?.statement.version ?? null;
}

/** The request as filed: it passed activationRequestSchema (POST /activations, or a break-glass activation) before it was stored. */
export const parseRequest = (row: RequestRow) => readStored(activationRequestSchema, row.request);

export function requestToJson(row: RequestRow) {
  return {
    hash: row.hash,
    request: parseRequest(row),
    signature: row.signature,
    kind: row.kind,
    requesterOrgId: row.requester_org_id,
    requesterMemberId: row.requester_member_id,
    arrangementId: row.arrangement_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.status,
  };
}

export function releaseToJson(row: ReleaseRow) {
  return {
    id: row.id,
    orgId: row.org_id,
    uploadedBy: row.uploaded_by,
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.status,
    downloads: row.downloads,
  };
}
