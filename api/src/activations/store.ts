// Query helpers for activation requests, decisions and releases.
import type { Decision } from '#crypto/activation';
import { verifyApprovals } from '#crypto/activation';
import { readStored } from '../db/stored.ts';
import { decisionKeysAt, rosterHead, rosterOfficerKeys } from '../roster/store.ts';
import { activationRequestSchema } from './schemas.ts';

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

/** Every officer an org has had, active or not, with their signing keys: enough to check old decisions. */
export async function officersOf(db: D1Database, orgId: string) {
  const { results } = await db
    .prepare("SELECT id, label, sign_public_key, status FROM members WHERE org_id = ? AND role = 'officer' ORDER BY created_at")
    .bind(orgId)
    .all<{ id: string; label: string; sign_public_key: string; status: 'active' | 'revoked' }>();
  return results;
}

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
