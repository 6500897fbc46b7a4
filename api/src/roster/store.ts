// The officer roster on the server (decisions 0602, 0603): stored signed statements, the check that
// a new statement is the valid next link AND says what the accompanying action does, proposals
// that wait for the co-signatures of k officers, and the officer keys whose decisions count.
import { z } from '@hono/zod-openapi';
import {
  checkRosterLink,
  decisionKeys,
  ROSTER_PURPOSE,
  ROSTER_V2_PURPOSE,
  type RosterFieldDevice,
  type RosterOfficer,
  type RosterSignature,
  type RosterStatement,
  type SignedRoster,
} from '#crypto/roster';
import { badRequest, conflict, staleRoster } from '../errors.ts';
import { id, key32, signature64 } from '../schemas.ts';

export const rosterOfficerSchema = z.object({ memberId: id, signPublicKey: key32, boxPublicKey: key32 });
export const rosterFieldDeviceSchema = z.object({ memberId: id, signPublicKey: key32 }).strict();
const rosterSignatureSchema = z.object({ signerId: id, signature: signature64 });

const statementFields = {
  orgId: id,
  version: z.number().int().min(1),
  previous: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits')
    .nullable(),
  approvalsRequired: z.number().int().min(1).max(20),
  officers: z.array(rosterOfficerSchema).min(1).max(200),
  fieldDevices: z.array(rosterFieldDeviceSchema).min(1).max(5000).optional(),
  /** Days the server keeps a record version (issue 15); absent: the deployment's default. */
  retentionDays: z.number().int().min(1).max(3650).optional(),
};

/** What a client submits: always a v2 statement, with the proposer's signature and any co-signatures it gathered. */
export const signedRosterSchema = z
  .object({
    statement: z
      .object({ purpose: z.literal(ROSTER_V2_PURPOSE), ...statementFields, orgPublicKey: key32 })
      .refine((statement) => (statement.version === 1) === (statement.previous === null), {
        path: ['previous'],
        message: "null for version 1, else the previous version's hash",
      }),
    signerId: id,
    signature: signature64,
    cosignatures: z.array(rosterSignatureSchema).max(200).optional(),
  })
  .openapi('SignedOrgStatement', {
    description:
      "One version of the organisation's statement (crypto/FORMAT.md, \"Organisation statement\"): officers, k and the org public key, naming the previous version's hash, signed by k officers of the previous version (the proposer's signature plus co-signatures; version 1: by every officer it lists).",
  });

/** A stored version as the chain answer gives it: old v1 links (one signer, no org key) may precede v2 ones. */
export const storedRosterSchema = z
  .object({
    statement: z.object({ purpose: z.enum([ROSTER_PURPOSE, ROSTER_V2_PURPOSE]), ...statementFields, orgPublicKey: key32.optional() }),
    signerId: id,
    signature: signature64,
    cosignatures: z.array(rosterSignatureSchema),
    hash: z.string(),
    createdAt: z.string(),
  })
  .openapi('StoredOrgStatement');

/** keyid(org public key) in upper-case hex (crypto/FORMAT.md), as officers' devices compute it: the Worker has no BLAKE2b. */
export const orgKeyIdHex = z.string().regex(/^[0-9A-F]{16}$/, 'expected the 16 upper-case hex digits of keyid(new key)');

/** A new org key and its copies for the officers of the statement that names it (decision 0606). */
const rotationShape = {
  orgPublicKey: key32,
  /** keyid(orgPublicKey) in upper-case hex, as the signing officers' devices computed and checked it. */
  keyId: orgKeyIdHex,
  /** The new org key pair wrapped to each officer of the statement (crypto/FORMAT.md, "Wrapped org key"). */
  wraps: z
    .array(z.object({ memberId: id, wrappedOrgKey: z.string().min(64).max(700) }))
    .min(1)
    .max(200),
};
const rotationSchema = z.object(rotationShape);
export type RotationAction = z.infer<typeof rotationSchema>;

/** What applying a roster change does besides appending the version (stored with a proposal). */
export const rosterActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grant'), memberId: id, wrappedOrgKey: z.string() }),
  z.object({
    kind: z.literal('remove'),
    memberId: id,
    /** Removal and rotation in one statement (an officer whose device was lost or seized): the new key for the officers who remain. */
    rotate: rotationSchema.optional(),
  }),
  z.object({ kind: z.literal('approvals'), approvalsRequired: z.number().int().min(1).max(20) }),
  z.object({ kind: z.literal('retention'), retentionDays: z.number().int().min(1).max(3650) }),
  z.object({ kind: z.literal('admit'), memberId: id }),
  z.object({ kind: z.literal('rotate') }).extend(rotationShape),
]);
export type RosterAction = z.infer<typeof rosterActionSchema>;

export const proposalSchema = z
  .object({
    orgId: z.string(),
    version: z.number(),
    hash: z.string(),
    statement: storedRosterSchema.shape.statement,
    signerId: z.string(),
    signature: z.string(),
    cosignatures: z.array(rosterSignatureSchema),
    action: rosterActionSchema,
    /** Distinct officers who signed so far, and how many must. */
    signers: z.array(z.string()),
    needed: z.number(),
    createdAt: z.string(),
  })
  .openapi('RosterProposal');
export type RosterProposal = z.infer<typeof proposalSchema>;

export interface RosterRow {
  org_id: string;
  version: number;
  statement: string;
  hash: string;
  signer_id: string;
  signature: string;
  cosignatures: string;
  created_at: string;
}

export function rowToSigned(row: RosterRow): SignedRoster & { cosignatures: RosterSignature[]; hash: string; createdAt: string } {
  return {
    statement: JSON.parse(row.statement) as RosterStatement,
    signerId: row.signer_id,
    signature: row.signature,
    cosignatures: JSON.parse(row.cosignatures || '[]') as RosterSignature[],
    hash: row.hash,
    createdAt: row.created_at,
  };
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

export const rosterAt = (db: D1Database, orgId: string, version: number) =>
  db
    .prepare('SELECT * FROM officer_rosters WHERE org_id = ? AND version = ?')
    .bind(orgId, version)
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

const describe = (officers: readonly { memberId: string }[]) =>
  officers
    .map((officer) => officer.memberId)
    .sort()
    .join(', ');

const sameFieldDevices = (a: readonly RosterFieldDevice[], b: readonly RosterFieldDevice[]) => {
  const key = (devices: readonly RosterFieldDevice[]) =>
    devices
      .map((device) => `${device.memberId} ${device.signPublicKey}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
};

export interface ExpectedRoster {
  officers: readonly RosterOfficer[];
  /** The field devices it must list (decision 0605), each with the signing key it registered. */
  fieldDevices: readonly RosterFieldDevice[];
  approvalsRequired: number;
  /** The org public key the statement must name (the org's, until rotation exists). */
  orgPublicKey: string;
  /** The retention it must name: the head's, unless this change is about retention (undefined: none named). */
  retentionDays: number | undefined;
  /** The caller: the proposer's signature must be theirs. */
  signerId: string;
  /** Words for the error messages: "adding Officer B as an officer". */
  what: string;
}

/**
 * What the next version must say for a change made from `head`: the head's officers, field
 * devices, k and retention, with `change` applied (only the members it names). Every route that
 * submits a statement builds its expectation here, so a member added to the statement is carried
 * in one place.
 */
export function expectedAfter(
  head: RosterStatement,
  base: Pick<ExpectedRoster, 'orgPublicKey' | 'signerId' | 'what'>,
  change: Partial<Pick<ExpectedRoster, 'officers' | 'fieldDevices' | 'approvalsRequired' | 'retentionDays'>> = {},
): ExpectedRoster {
  return {
    officers: head.officers,
    fieldDevices: head.fieldDevices ?? [],
    approvalsRequired: head.approvalsRequired,
    retentionDays: head.retentionDays,
    ...base,
    ...change,
  };
}

export type SubmittedRoster =
  | { ready: true; insert: D1PreparedStatement }
  | { ready: false; proposal: RosterProposal; insert: D1PreparedStatement };

const insertVersion = (db: D1Database, orgId: string, statement: RosterStatement, hash: string, signed: SignedRoster) =>
  db
    .prepare(
      'INSERT INTO officer_rosters (org_id, version, statement, hash, signer_id, signature, cosignatures, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .bind(
      orgId,
      statement.version,
      JSON.stringify(statement),
      hash,
      signed.signerId,
      signed.signature,
      JSON.stringify(signed.cosignatures ?? []),
      new Date().toISOString(),
    );

async function checkLink(db: D1Database, orgId: string, signed: SignedRoster) {
  const head = await rosterHead(db, orgId);
  if (signed.statement.orgId !== orgId) throw badRequest(`body.roster: names organisation ${signed.statement.orgId}, not ${orgId}`);
  const wanted = head ? head.statement.version + 1 : 1;
  if (signed.statement.version !== wanted) {
    throw staleRoster(
      `body.roster: version ${signed.statement.version} is stale or out of order; the roster is at version ${head?.statement.version ?? 0}, so this change needs version ${wanted}. Reload the roster and sign again.`,
    );
  }
  if (head && signed.statement.previous !== head.hash) {
    throw staleRoster(
      `body.roster: version ${signed.statement.version} does not continue version ${head.statement.version} (its previous hash differs). Reload the roster and sign again.`,
    );
  }
  try {
    return { head, link: await checkRosterLink(signed, head ? { statement: head.statement, hash: head.hash } : null, orgId) };
  } catch (error) {
    throw badRequest(`body.roster: ${(error as Error).message}`);
  }
}

/**
 * `signed` must be the next valid version after the stored head (or version 1 when there is none),
 * proposed by `expected.signerId` (the caller), listing exactly `expected.officers` with
 * k = expected.approvalsRequired and the org's public key. With the signatures of k officers of
 * the head (rosterQuorum) it is ready: the INSERT is batched with the action, so both change
 * together. With fewer it becomes the organisation's proposal, kept until others co-sign it
 * (409 when another change is already waiting).
 */
export async function submitRoster(
  db: D1Database,
  orgId: string,
  signed: SignedRoster,
  expected: ExpectedRoster,
  action?: RosterAction,
): Promise<SubmittedRoster> {
  if (signed.signerId !== expected.signerId)
    throw badRequest('body.roster: must be signed by you first, the officer proposing this change');
  const { link } = await checkLink(db, orgId, signed);
  const statement = link.statement;
  if (!sameOfficers(statement.officers, expected.officers)) {
    throw badRequest(
      `body.roster: does not match ${expected.what}; it lists officers [${describe(statement.officers)}] where [${describe(expected.officers)}] was expected, each with the keys they registered`,
    );
  }
  if (!sameFieldDevices(statement.fieldDevices ?? [], expected.fieldDevices)) {
    throw badRequest(
      `body.roster: does not match ${expected.what}; it lists field devices [${describe(statement.fieldDevices ?? [])}] where [${describe(expected.fieldDevices)}] was expected, each with the signing key it registered`,
    );
  }
  if (statement.approvalsRequired !== expected.approvalsRequired) {
    throw badRequest(
      `body.roster: does not match ${expected.what}; it sets k = ${statement.approvalsRequired} where ${expected.approvalsRequired} was expected`,
    );
  }
  if (statement.orgPublicKey !== expected.orgPublicKey)
    throw badRequest(`body.roster: does not match ${expected.what}; it names another org public key than the organisation's`);
  if (statement.retentionDays !== expected.retentionDays) {
    throw badRequest(
      `body.roster: does not match ${expected.what}; it keeps records ${statement.retentionDays ?? 'the default number of'} days where ${expected.retentionDays ?? 'the default'} was expected`,
    );
  }
  if (link.signers.length >= link.needed) return { ready: true, insert: insertVersion(db, orgId, statement, link.hash, signed) };
  if (!action) throw badRequest(`body.roster: needs the signatures of ${link.needed} officers; it has ${link.signers.length}`);
  if (await findProposal(db, orgId, link.hash))
    throw conflict('this change is proposed already; co-sign it (GET /api/orgs/{orgId}/roster/proposal)');
  const createdAt = new Date().toISOString();
  const proposal: RosterProposal = {
    orgId,
    version: statement.version,
    hash: link.hash,
    statement,
    signerId: signed.signerId,
    signature: signed.signature,
    cosignatures: signed.cosignatures ?? [],
    action,
    signers: link.signers,
    needed: link.needed,
    createdAt,
  };
  const insert = db
    .prepare(
      'INSERT INTO roster_proposals (org_id, version, statement, hash, signer_id, signature, cosignatures, action, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .bind(
      orgId,
      statement.version,
      JSON.stringify(statement),
      link.hash,
      signed.signerId,
      signed.signature,
      JSON.stringify(proposal.cosignatures),
      JSON.stringify(action),
      createdAt,
    );
  return { ready: false, proposal, insert };
}

/** A roster_proposals row: a version not yet appended, and the action it stands for. */
interface ProposalRow extends RosterRow {
  action: string;
}

const proposalSigned = (row: ProposalRow): SignedRoster => ({
  statement: JSON.parse(row.statement) as RosterStatement,
  signerId: row.signer_id,
  signature: row.signature,
  cosignatures: JSON.parse(row.cosignatures) as RosterSignature[],
});

/** A waiting proposal: the one with this statement hash, or the oldest one still waiting for the next version. */
export async function findProposal(db: D1Database, orgId: string, hash?: string) {
  if (hash !== undefined)
    return db.prepare('SELECT * FROM roster_proposals WHERE org_id = ? AND hash = ?').bind(orgId, hash).first<ProposalRow>();
  return (await listProposalRows(db, orgId)).rows[0] ?? null;
}

/** Every proposal for the version after the head, oldest first; those for a version taken already are stale and dropped. */
async function listProposalRows(db: D1Database, orgId: string): Promise<{ head: RosterHead; rows: ProposalRow[] }> {
  const head = await rosterHead(db, orgId);
  const next = (head?.statement.version ?? 0) + 1;
  await db.prepare('DELETE FROM roster_proposals WHERE org_id = ? AND version < ?').bind(orgId, next).run();
  const { results } = await db
    .prepare('SELECT * FROM roster_proposals WHERE org_id = ? ORDER BY created_at, hash')
    .bind(orgId)
    .all<ProposalRow>();
  return { head, rows: results };
}

/** Every waiting proposal, each re-checked against the head (read once for all). */
export async function describeProposals(db: D1Database, orgId: string): Promise<RosterProposal[]> {
  const { head, rows } = await listProposalRows(db, orgId);
  return Promise.all(rows.map((row) => describeRow(orgId, row, head)));
}

/** A waiting proposal (by hash, or the oldest), re-checked against the head (a stale one is reported as such, not applied). */
export async function describeProposal(db: D1Database, orgId: string, hash?: string): Promise<RosterProposal | null> {
  const row = await findProposal(db, orgId, hash);
  return row ? describeRow(orgId, row, await rosterHead(db, orgId)) : null;
}

type RosterHead = Awaited<ReturnType<typeof rosterHead>>;

async function describeRow(orgId: string, row: ProposalRow, head: RosterHead): Promise<RosterProposal> {
  const signed = proposalSigned(row);
  let signers: string[] = [];
  let needed = Number.POSITIVE_INFINITY;
  try {
    const link = await checkRosterLink(signed, head ? { statement: head.statement, hash: head.hash } : null, orgId);
    signers = link.signers;
    needed = link.needed;
  } catch {
    // Stale (the head moved) or broken: shown with no valid signers; withdrawing it is the way out.
  }
  return {
    orgId,
    version: row.version,
    hash: row.hash,
    statement: signed.statement,
    signerId: row.signer_id,
    signature: row.signature,
    cosignatures: signed.cosignatures ?? [],
    action: rosterActionSchema.parse(JSON.parse(row.action)),
    signers,
    needed: Number.isFinite(needed) ? needed : 0,
    createdAt: row.created_at,
  };
}

/**
 * Adds the caller's co-signature to the waiting proposal. Returns the proposal as it now stands and,
 * when it has the signatures it needs, the INSERT of the version and the proposal's DELETE to batch
 * with its action.
 */
export async function cosignProposal(db: D1Database, orgId: string, signerId: string, signature: string, hash?: string) {
  const row = await findProposal(db, orgId, hash);
  if (!row) return null;
  const proposed = proposalSigned(row);
  if (proposed.signerId === signerId || proposed.cosignatures?.some((cosignature) => cosignature.signerId === signerId))
    throw conflict('you have signed this change already');
  const signed: SignedRoster = { ...proposed, cosignatures: [...(proposed.cosignatures ?? []), { signerId, signature }] };
  const { link } = await checkLink(db, orgId, signed);
  const action = rosterActionSchema.parse(JSON.parse(row.action));
  if (link.signers.length >= link.needed) {
    return {
      ready: true as const,
      action,
      // Applied: every other proposal for this version is stale now.
      statements: [
        insertVersion(db, orgId, link.statement, link.hash, signed),
        db.prepare('DELETE FROM roster_proposals WHERE org_id = ? AND version <= ?').bind(orgId, row.version),
      ],
    };
  }
  // Compare-and-set: two officers co-signing at the same moment must not overwrite each other's
  // signature (the last writer won before); the second is told to try again.
  const written = await db
    .prepare('UPDATE roster_proposals SET cosignatures = ? WHERE org_id = ? AND hash = ? AND cosignatures = ?')
    .bind(JSON.stringify(signed.cosignatures), orgId, row.hash, row.cosignatures)
    .run();
  if (!written.meta.changes) throw conflict('another officer co-signed this change at the same moment; load it again and sign');
  return { ready: false as const, action };
}

/** The officers of the head roster whose member rows are still active with the same signing key. */
export async function rosterOfficerKeys(db: D1Database, orgId: string): Promise<Map<string, string>> {
  const head = await rosterHead(db, orgId);
  if (!head) return new Map();
  return activeOnly(db, orgId, new Map(head.statement.officers.map((officer) => [officer.memberId, officer.signPublicKey])));
}

async function activeOnly(db: D1Database, orgId: string, keys: Map<string, string>) {
  const { results } = await db
    .prepare("SELECT id, sign_public_key FROM members WHERE org_id = ? AND role = 'officer' AND status = 'active'")
    .bind(orgId)
    .all<{ id: string; sign_public_key: string }>();
  const active = new Map(results.map((row) => [row.id, row.sign_public_key]));
  return new Map([...keys].filter(([memberId, key]) => active.get(memberId) === key));
}

/**
 * Whose decisions count on a request filed under roster `version` (decision 0603, crypto
 * decisionKeys): approvals from officers of that version still officers of the head with the same
 * key (and still active members); vetoes from officers of either version, removed or not.
 * A request with no recorded version (filed before migration 0010) is judged by the head alone.
 */
export async function decisionKeysAt(
  db: D1Database,
  orgId: string,
  version: number | null,
): Promise<{ approve: Map<string, string>; veto: Map<string, string> }> {
  const head = await rosterHead(db, orgId);
  if (!head) return { approve: new Map(), veto: new Map() };
  const atRequest = version === null ? head : ((await rosterAt(db, orgId, version)) ?? head);
  const keys = decisionKeys(atRequest.statement, head.statement);
  return { approve: await activeOnly(db, orgId, keys.approve), veto: keys.veto };
}
