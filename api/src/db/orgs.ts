// Query helpers for organisations and members: small functions over D1, tested on their own against a
// real D1 binding (tests/d1/orgs-db.test.ts) as well as through the routes.
import type { Role } from '../schemas.ts';

export interface OrgRow {
  id: string;
  kind: 'cso' | 'consulate' | 'city';
  name: string;
  country: string | null;
  nationalities: string;
  public_key: string | null;
  approvals_required: number;
  retention_days: number;
  created_at: string;
}

export interface MemberRow {
  id: string;
  org_id: string;
  label: string;
  role: Role;
  sign_public_key: string;
  box_public_key: string;
  wrapped_org_key: string | null;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
  /** The joining device's MAC of its keys under the invitation's secret (migration 0016); null before. */
  key_binding: string | null;
}

export function orgToJson(row: OrgRow) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    country: row.country,
    nationalities: JSON.parse(row.nationalities) as string[],
    publicKey: row.public_key,
    approvalsRequired: row.approvals_required,
    retentionDays: row.retention_days,
    createdAt: row.created_at,
  };
}

export function memberToJson(row: MemberRow) {
  return {
    id: row.id,
    orgId: row.org_id,
    label: row.label,
    role: row.role,
    signPublicKey: row.sign_public_key,
    boxPublicKey: row.box_public_key,
    status: row.status,
    hasOrgKey: row.wrapped_org_key !== null,
    keyBinding: row.key_binding ?? null,
    createdAt: row.created_at,
  };
}

export const findOrg = (db: D1Database, orgId: string) => db.prepare('SELECT * FROM orgs WHERE id = ?').bind(orgId).first<OrgRow>();

export const listOrgs = (db: D1Database) =>
  db
    .prepare('SELECT * FROM orgs ORDER BY name')
    .all<OrgRow>()
    .then((result) => result.results);

export const findMember = (db: D1Database, memberId: string) =>
  db.prepare('SELECT * FROM members WHERE id = ?').bind(memberId).first<MemberRow>();

export const listMembers = (db: D1Database, orgId: string) =>
  db
    .prepare('SELECT * FROM members WHERE org_id = ? ORDER BY created_at')
    .bind(orgId)
    .all<MemberRow>()
    .then((result) => result.results);

export function insertOrgStatement(db: D1Database, org: Omit<OrgRow, 'created_at' | 'retention_days'>, createdAt: string) {
  return db
    .prepare(
      `INSERT INTO orgs (id, kind, name, country, nationalities, public_key, approvals_required, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(org.id, org.kind, org.name, org.country, org.nationalities, org.public_key, org.approvals_required, createdAt);
}

export function insertMemberStatement(
  db: D1Database,
  member: Pick<MemberRow, 'id' | 'org_id' | 'label' | 'role' | 'sign_public_key' | 'box_public_key' | 'wrapped_org_key'>,
  createdAt: string,
) {
  return db
    .prepare(
      `INSERT INTO members (id, org_id, label, role, sign_public_key, box_public_key, wrapped_org_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      member.id,
      member.org_id,
      member.label,
      member.role,
      member.sign_public_key,
      member.box_public_key,
      member.wrapped_org_key,
      createdAt,
    );
}

export const signKeyTaken = (db: D1Database, signPublicKey: string) =>
  db.prepare('SELECT 1 AS taken FROM members WHERE sign_public_key = ?').bind(signPublicKey).first<{ taken: number }>().then(Boolean);

/**
 * The organisations an organisation knows (issue 15): itself, those it has a relationship, an
 * activation or a break-glass arrangement with, the other partners of a CSO it works with, and
 * those it shared a plan with (not one shared with it: anyone can share a plan).
 */
export const listOrgsKnownTo = (db: D1Database, orgId: string) =>
  db
    .prepare(
      `SELECT * FROM orgs WHERE id = ?1
         OR id IN (SELECT requester_org_id FROM relationships WHERE cso_org_id = ?1)
         OR id IN (SELECT cso_org_id FROM relationships WHERE requester_org_id = ?1)
         OR id IN (SELECT t.org_id FROM activation_targets t JOIN activation_requests r ON r.hash = t.request_hash WHERE r.requester_org_id = ?1)
         OR id IN (SELECT r.requester_org_id FROM activation_targets t JOIN activation_requests r ON r.hash = t.request_hash WHERE t.org_id = ?1)
         OR id IN (SELECT requester_org_id FROM arrangements WHERE cso_org_id = ?1)
         OR id IN (SELECT cso_org_id FROM arrangements WHERE requester_org_id = ?1)
         OR id IN (SELECT requester_org_id FROM relationships WHERE cso_org_id IN (SELECT cso_org_id FROM relationships WHERE requester_org_id = ?1))
         OR id IN (SELECT s.org_id FROM plan_shares s JOIN plans p ON p.id = s.plan_id WHERE p.owner_org_id = ?1)
       ORDER BY kind, name LIMIT 1000`,
    )
    .bind(orgId)
    .all<OrgRow>()
    .then((result) => result.results);

/** The key records are sealed to now (key_id null: never rotated), or null for an unknown organisation. */
export const findOrgKey = (db: D1Database, orgId: string) =>
  db.prepare('SELECT public_key, key_id FROM orgs WHERE id = ?').bind(orgId).first<{ public_key: string; key_id: string | null }>();

/** Every officer an org has had, active or not, with their signing keys: enough to check old decisions. */
export async function officersOf(db: D1Database, orgId: string) {
  const { results } = await db
    .prepare("SELECT id, label, sign_public_key, status FROM members WHERE org_id = ? AND role = 'officer' ORDER BY created_at")
    .bind(orgId)
    .all<{ id: string; label: string; sign_public_key: string; status: 'active' | 'revoked' }>();
  return results;
}
