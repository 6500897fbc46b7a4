// Relationships between a CSO and the requesters (consulates, cities) it works with, each with the
// partner statement a CSO officer signed (decision 0609), and the other ties that let one
// organisation read another's statement chain.
import type { SignedPartner } from '#crypto/partner';
import { type OrgRow, orgToJson } from './orgs.ts';

/** An organisation related to another, with the partner statement of their relationship (JSON, null before statements). */
export type RelatedOrgRow = OrgRow & { partner: string | null };

/** A stored partner statement as answered (null: listed before statements, or unreadable). */
export function storedPartner(json: string | null): SignedPartner | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as SignedPartner;
  } catch {
    return null;
  }
}

export const relatedOrgToJson = (row: RelatedOrgRow) => ({ ...orgToJson(row), partner: storedPartner(row.partner) });

/** For a CSO: the requesters it works with. For a requester: the CSOs that work with it. By name. */
export const listRelatedOrgs = (db: D1Database, orgId: string) =>
  db
    .prepare(
      `SELECT o.*, r.partner AS partner FROM relationships r JOIN orgs o ON o.id = CASE WHEN r.cso_org_id = ? THEN r.requester_org_id ELSE r.cso_org_id END
       WHERE r.cso_org_id = ? OR r.requester_org_id = ? ORDER BY o.name`,
    )
    .bind(orgId, orgId, orgId)
    .all<RelatedOrgRow>()
    .then((result) => result.results);

/** Lists a requester for a CSO, or replaces the partner statement of one listed already (the creator and date stay). */
export const upsertRelationship = (
  db: D1Database,
  relationship: { csoOrgId: string; requesterOrgId: string; createdBy: string; createdAt: string; partner: string },
) =>
  db
    .prepare(
      `INSERT INTO relationships (cso_org_id, requester_org_id, created_by, created_at, partner) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (cso_org_id, requester_org_id) DO UPDATE SET partner = excluded.partner`,
    )
    .bind(relationship.csoOrgId, relationship.requesterOrgId, relationship.createdBy, relationship.createdAt, relationship.partner)
    .run();

/** True when there was a relationship to remove. */
export const removeRelationship = (db: D1Database, csoOrgId: string, requesterOrgId: string) =>
  db
    .prepare('DELETE FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?')
    .bind(csoOrgId, requesterOrgId)
    .run()
    .then((result) => (result.meta.changes ?? 0) > 0);

/**
 * Whether two organisations are tied, either way round: a relationship, an activation request of
 * one that targets the other, or a break-glass arrangement between them.
 */
export const orgsRelated = (db: D1Database, orgId: string, otherOrgId: string) =>
  db
    .prepare(
      `SELECT 1 AS ok FROM relationships WHERE (cso_org_id = ?1 AND requester_org_id = ?2) OR (cso_org_id = ?2 AND requester_org_id = ?1)
       UNION SELECT 1 FROM activation_targets t JOIN activation_requests r ON r.hash = t.request_hash
         WHERE (t.org_id = ?1 AND r.requester_org_id = ?2) OR (t.org_id = ?2 AND r.requester_org_id = ?1)
       UNION SELECT 1 FROM arrangements WHERE (cso_org_id = ?1 AND requester_org_id = ?2) OR (cso_org_id = ?2 AND requester_org_id = ?1)
       LIMIT 1`,
    )
    .bind(orgId, otherOrgId)
    .first()
    .then(Boolean);

/** Whether the CSO lists the requester organisation as one it works with. */
export const csoListsRequester = (db: D1Database, csoOrgId: string, requesterOrgId: string) =>
  db
    .prepare('SELECT 1 AS ok FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?')
    .bind(csoOrgId, requesterOrgId)
    .first()
    .then(Boolean);
