// What a roster change does besides appending a version: give an officer the org key, remove a
// member, change k. Each is checked and turned into D1 statements at the moment it is applied:
// straight away when the change carries k signatures, or when the last co-signature arrives.
import { findMember, type MemberRow } from '../db/orgs.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { nowIso } from '../util.ts';
import { rosterHead, type RosterAction, type RotationAction } from './store.ts';

const activeOfficers = async (db: D1Database, orgId: string) =>
  (
    await db
      .prepare("SELECT COUNT(*) AS count FROM members WHERE org_id = ? AND role = 'officer' AND status = 'active'")
      .bind(orgId)
      .first<{ count: number }>()
  )?.count ?? 0;

const statementOfficersActive = async (db: D1Database, orgId: string, memberIds: readonly string[]) => {
  if (memberIds.length === 0) return 0;
  const { results } = await db
    .prepare(
      `SELECT id FROM members WHERE org_id = ? AND role = 'officer' AND status = 'active' AND id IN (${memberIds.map(() => '?').join(', ')})`,
    )
    .bind(orgId, ...memberIds)
    .all<{ id: string }>();
  return results.length;
};

export async function memberOf(db: D1Database, orgId: string, memberId: string): Promise<MemberRow> {
  const member = await findMember(db, memberId);
  if (!member || member.org_id !== orgId) throw notFound('no such member in this organisation');
  return member;
}

/**
 * A new org key: every officer of the statement gets the new key pair, sealed to their own key;
 * nobody else keeps a wrapped key (a removed officer's is gone, or goes in the same batch: `leaving`).
 */
async function rotationStatements(
  db: D1Database,
  orgId: string,
  rotation: RotationAction,
  leaving?: string,
): Promise<D1PreparedStatement[]> {
  const officers = await db
    .prepare("SELECT id FROM members WHERE org_id = ? AND role = 'officer' AND status = 'active'")
    .bind(orgId)
    .all<{ id: string }>();
  const active = new Set(officers.results.map((row) => row.id).filter((memberId) => memberId !== leaving));
  for (const wrap of rotation.wraps)
    if (!active.has(wrap.memberId)) throw conflict(`${wrap.memberId} is no longer an active officer; propose the rotation again`);
  return [
    db.prepare('UPDATE orgs SET public_key = ?, key_id = ? WHERE id = ?').bind(rotation.orgPublicKey, rotation.keyId, orgId),
    db.prepare("UPDATE members SET wrapped_org_key = NULL WHERE org_id = ? AND role = 'officer'").bind(orgId),
    ...rotation.wraps.map((wrap) =>
      db.prepare('UPDATE members SET wrapped_org_key = ? WHERE id = ? AND org_id = ?').bind(wrap.wrappedOrgKey, wrap.memberId, orgId),
    ),
  ];
}

/** Checks that the action can still be done, and returns its statements. */
export async function actionStatements(db: D1Database, orgId: string, action: RosterAction): Promise<D1PreparedStatement[]> {
  switch (action.kind) {
    case 'grant': {
      const member = await memberOf(db, orgId, action.memberId);
      if (member.status !== 'active') throw forbidden('this member has been removed; the org key cannot be given to them');
      if (member.role !== 'officer') throw forbidden('only officers hold the org key; field devices seal with the public key alone');
      return [db.prepare('UPDATE members SET wrapped_org_key = ? WHERE id = ?').bind(action.wrappedOrgKey, action.memberId)];
    }
    case 'remove': {
      const member = await memberOf(db, orgId, action.memberId);
      if (member.status === 'revoked') throw conflict('this member was removed already');
      if (member.role === 'officer' && (await activeOfficers(db, orgId)) <= 1)
        throw conflict('this is the last officer; invite another officer before removing this one');
      // Its sessions stay so that its next request is answered member_revoked (not a bare 401):
      // that is what tells the device to wipe itself. The auth middleware refuses them all.
      return [
        db
          .prepare("UPDATE members SET status = 'revoked', revoked_at = ?, wrapped_org_key = NULL WHERE id = ?")
          .bind(nowIso(), action.memberId),
        db.prepare('DELETE FROM auth_challenges WHERE member_id = ?').bind(action.memberId),
        // With the removal of an officer whose device was lost or seized comes the new org key, in the same batch.
        ...(action.rotate ? await rotationStatements(db, orgId, action.rotate, action.memberId) : []),
      ];
    }
    case 'admit': {
      const member = await memberOf(db, orgId, action.memberId);
      if (member.status !== 'active') throw forbidden('this member has been removed; it cannot be added to the statement');
      if (member.role !== 'field')
        throw forbidden('only field devices are added this way; an officer joins the statement when given the org key');
      return [];
    }
    case 'rotate':
      return rotationStatements(db, orgId, action);
    case 'retention':
      return [db.prepare('UPDATE orgs SET retention_days = ? WHERE id = ?').bind(action.retentionDays, orgId)];
    case 'approvals': {
      // Officers who count are those of the signed statement (an invited officer never given the org
      // key is in no statement and can approve nothing), and still active members.
      const head = await rosterHead(db, orgId);
      const count = head
        ? await statementOfficersActive(
            db,
            orgId,
            head.statement.officers.map((officer) => officer.memberId),
          )
        : await activeOfficers(db, orgId);
      if (action.approvalsRequired > count) {
        throw badRequest(
          `body.approvalsRequired: the organisation's statement lists ${count} active officer${count === 1 ? '' : 's'}; a release could never get ${action.approvalsRequired} approvals. Give more officers the org key first.`,
        );
      }
      return [db.prepare('UPDATE orgs SET approvals_required = ? WHERE id = ?').bind(action.approvalsRequired, orgId)];
    }
  }
}
