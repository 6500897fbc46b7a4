// Challenges and sessions. Only hashes of bearer tokens are stored, so a copy of the database
// cannot be used to act as a member.
import { inSeconds, nowIso, randomToken, sha256Hex } from '../util.ts';

export const CHALLENGE_SECONDS = 120;
export const SESSION_SECONDS = 3600;

export async function createChallenge(db: D1Database, memberId: string) {
  const nonce = randomToken(32);
  const expiresAt = inSeconds(CHALLENGE_SECONDS);
  await db.batch([
    db.prepare('DELETE FROM auth_challenges WHERE expires_at < ?').bind(nowIso()),
    db.prepare('INSERT INTO auth_challenges (nonce, member_id, expires_at) VALUES (?, ?, ?)').bind(nonce, memberId, expiresAt),
  ]);
  return { nonce, expiresAt };
}

/** Takes a challenge once: a second use of the same nonce finds nothing. */
export async function consumeChallenge(db: D1Database, nonce: string, memberId: string): Promise<boolean> {
  const row = await db
    .prepare('DELETE FROM auth_challenges WHERE nonce = ? AND member_id = ? RETURNING expires_at')
    .bind(nonce, memberId)
    .first<{ expires_at: string }>();
  return row !== null && row.expires_at > nowIso();
}

export async function createSession(db: D1Database, memberId: string, orgId: string) {
  const token = randomToken(32);
  const expiresAt = inSeconds(SESSION_SECONDS);
  await db.batch([
    db.prepare('DELETE FROM sessions WHERE expires_at < ?').bind(nowIso()),
    db
      .prepare('INSERT INTO sessions (token_hash, member_id, org_id, expires_at) VALUES (?, ?, ?, ?)')
      .bind(await sha256Hex(token), memberId, orgId, expiresAt),
  ]);
  return { token, expiresAt };
}

/** Ends the session of `token` (sign-out); answers whether there was one. */
export async function endSession(db: D1Database, token: string) {
  const ended = await db
    .prepare('DELETE FROM sessions WHERE token_hash = ?')
    .bind(await sha256Hex(token))
    .run();
  return (ended.meta.changes ?? 0) > 0;
}

export interface SessionRow {
  member_id: string;
  org_id: string;
  expires_at: string;
  role: 'officer' | 'field';
  status: 'active' | 'revoked';
}

export async function findSession(db: D1Database, token: string) {
  return db
    .prepare(
      `SELECT s.member_id, s.org_id, s.expires_at, m.role, m.status
       FROM sessions s JOIN members m ON m.id = s.member_id WHERE s.token_hash = ?`,
    )
    .bind(await sha256Hex(token))
    .first<SessionRow>();
}
