// Invitations: only the SHA-256 of a code is stored, so a copy of the database cannot be used to join.
import type { Role } from '../schemas.ts';

export interface InvitationRow {
  org_id: string;
  role: Role;
  expires_at: string;
  used_by: string | null;
}

export const insertInvitation = (
  db: D1Database,
  invitation: { codeHash: string; orgId: string; role: Role; createdBy: string; expiresAt: string },
) =>
  db
    .prepare('INSERT INTO invitations (code_hash, org_id, role, created_by, expires_at) VALUES (?, ?, ?, ?, ?)')
    .bind(invitation.codeHash, invitation.orgId, invitation.role, invitation.createdBy, invitation.expiresAt)
    .run();

export const findInvitation = (db: D1Database, codeHash: string) =>
  db.prepare('SELECT org_id, role, expires_at, used_by FROM invitations WHERE code_hash = ?').bind(codeHash).first<InvitationRow>();

/** The member an invitation lets in: its keys, and the MAC binding them to the invitation's secret (null: none sent). */
export interface JoiningMember {
  id: string;
  label: string;
  signPublicKey: string;
  boxPublicKey: string;
  binding: string | null;
}

/**
 * Uses the invitation for this member and inserts them, in one batch: the UPDATE only matches an
 * unused invitation, and the INSERT only happens when the invitation now names this member, so two
 * devices racing with the same code cannot both join. False: the invitation was used already.
 */
export async function claimInvitation(
  db: D1Database,
  codeHash: string,
  invitation: InvitationRow,
  member: JoiningMember,
  createdAt: string,
) {
  const [claimed] = await db.batch([
    db.prepare('UPDATE invitations SET used_by = ? WHERE code_hash = ? AND used_by IS NULL').bind(member.id, codeHash),
    db
      .prepare(
        `INSERT INTO members (id, org_id, label, role, sign_public_key, box_public_key, wrapped_org_key, created_at, key_binding)
         SELECT ?, ?, ?, ?, ?, ?, NULL, ?, ? WHERE (SELECT used_by FROM invitations WHERE code_hash = ?) = ?`,
      )
      .bind(
        member.id,
        invitation.org_id,
        member.label,
        invitation.role,
        member.signPublicKey,
        member.boxPublicKey,
        createdAt,
        member.binding,
        codeHash,
        member.id,
      ),
  ]);
  return Boolean(claimed?.meta.changes);
}
