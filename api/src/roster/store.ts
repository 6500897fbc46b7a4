// The officer roster on the server: stored signed statements, the check that a new statement is
// the valid next link AND says what the accompanying action does, and the officer keys that count.
import { z } from '@hono/zod-openapi';
import { ROSTER_PURPOSE, RosterError, verifyRosterChain, type RosterOfficer, type RosterStatement, type SignedRoster } from '#crypto/roster';
import { badRequest, conflict } from '../errors.ts';
import { id, key32, signature64 } from '../schemas.ts';

export const rosterOfficerSchema = z.object({ memberId: id, signPublicKey: key32, boxPublicKey: key32 });

export const signedRosterSchema = z
  .object({
    statement: z.object({
      purpose: z.literal(ROSTER_PURPOSE),
      orgId: id,
      version: z.number().int().min(1),
      previous: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits').nullable(),
      approvalsRequired: z.number().int().min(1).max(20),
      officers: z.array(rosterOfficerSchema).min(1).max(200),
    }),
    signerId: id,
    signature: signature64,
  })
  .openapi('SignedOfficerRoster', {
    description:
      "One version of the organisation's officer roster (crypto/FORMAT.md, \"Officer roster\"): signed by an officer of the previous version (version 1: by the founder it lists), naming the previous version's hash.",
  });

export interface RosterRow {
  org_id: string;
  version: number;
  statement: string;
  hash: string;
  signer_id: string;
  signature: string;
  created_at: string;
}

export function rowToSigned(row: RosterRow): SignedRoster & { hash: string; createdAt: string } {
  return { statement: JSON.parse(row.statement) as RosterStatement, signerId: row.signer_id, signature: row.signature, hash: row.hash, createdAt: row.created_at };
}

export const rosterChain = (db: D1Database, orgId: string) =>
  db
    .prepare('SELECT * FROM officer_rosters WHERE org_id = ? ORDER BY version')
    .bind(orgId)
    .all<RosterRow>()
    .then((result) => result.results.map(rowToSigned));

export const rosterHead = (db: D1Database, orgId: string) =>
  db
    .prepare('SELECT * FROM officer_rosters WHERE org_id = ? ORDER BY version DESC LIMIT 1')
    .bind(orgId)
    .first<RosterRow>()
    .then((row) => (row ? rowToSigned(row) : null));

const sameOfficers = (a: readonly RosterOfficer[], b: readonly RosterOfficer[]) => {
  const key = (officers: readonly RosterOfficer[]) =>
    officers
      .map((officer) => `${officer.memberId} ${officer.signPublicKey} ${officer.boxPublicKey}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
};

const describe = (officers: readonly RosterOfficer[]) => officers.map((officer) => officer.memberId).sort().join(', ');

/**
 * `signed` must be the next valid version after the stored head (or version 1 when there is none),
 * signed by `signerId` (the caller), and list exactly `expected.officers` with k = expected.approvalsRequired.
 * Returns the INSERT to batch with the action, so the roster and the action change together.
 */
export async function acceptRoster(
  db: D1Database,
  orgId: string,
  signed: SignedRoster,
  expected: { officers: readonly RosterOfficer[]; approvalsRequired: number; signerId: string; what: string },
): Promise<D1PreparedStatement> {
  const head = await rosterHead(db, orgId);
  if (signed.statement.orgId !== orgId) throw badRequest(`body.roster: names organisation ${signed.statement.orgId}, not ${orgId}`);
  const wanted = head ? head.statement.version + 1 : 1;
  if (signed.statement.version !== wanted) {
    throw conflict(
      `body.roster: version ${signed.statement.version} is stale or out of order; the roster is at version ${head?.statement.version ?? 0}, so ${expected.what} needs version ${wanted}. Reload the roster and sign again.`,
    );
  }
  if (signed.signerId !== expected.signerId) throw badRequest('body.roster: must be signed by you, the officer doing this');
  let hash: string;
  let statement: RosterStatement;
  try {
    const verified = await verifyRosterChain([signed], { orgId, anchor: head?.statement ?? null });
    hash = verified.headHash;
    statement = verified.head;
  } catch (error) {
    if (error instanceof RosterError) {
      const stale = head && /does not continue/.test(error.message);
      throw (stale ? conflict : badRequest)(`body.roster: ${error.message}${stale ? '. Reload the roster and sign again.' : ''}`);
    }
    throw badRequest(`body.roster: ${(error as Error).message}`);
  }
  if (!sameOfficers(signed.statement.officers, expected.officers)) {
    throw badRequest(
      `body.roster: does not match ${expected.what}; it lists officers [${describe(signed.statement.officers)}] where [${describe(expected.officers)}] was expected, each with the keys they registered`,
    );
  }
  if (signed.statement.approvalsRequired !== expected.approvalsRequired) {
    throw badRequest(`body.roster: does not match ${expected.what}; it sets k = ${signed.statement.approvalsRequired} where ${expected.approvalsRequired} was expected`);
  }
  return db
    .prepare('INSERT INTO officer_rosters (org_id, version, statement, hash, signer_id, signature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(orgId, statement.version, JSON.stringify(statement), hash, signed.signerId, signed.signature, new Date().toISOString());
}

/** The officers of the head roster whose member rows are still active with the same signing key. */
export async function rosterOfficerKeys(db: D1Database, orgId: string): Promise<Map<string, string>> {
  const head = await rosterHead(db, orgId);
  if (!head) return new Map();
  const { results } = await db
    .prepare("SELECT id, sign_public_key FROM members WHERE org_id = ? AND role = 'officer' AND status = 'active'")
    .bind(orgId)
    .all<{ id: string; sign_public_key: string }>();
  const active = new Map(results.map((row) => [row.id, row.sign_public_key]));
  return new Map(head.statement.officers.filter((officer) => active.get(officer.memberId) === officer.signPublicKey).map((officer) => [officer.memberId, officer.signPublicKey]));
}
