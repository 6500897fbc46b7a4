// The officer roster on this device (decision 0602): fetch an organisation's signed chain, verify it
// from the pin this device keeps (roster-trust.ts), and, on officer screens, sign the next version
// when the officers or k change, and check and co-sign the changes other officers propose.
import { fromBase64, orgKeyId, toBase64, toHex, unwrapOrgKey } from '#crypto';
import {
  checkRosterLink,
  rosterChange,
  type RosterChange,
  type RosterChangeRequest,
  type RosterStatement,
  type RosterStatementV2,
  type SignedRoster,
} from '#crypto/roster';
import { expectOk } from './api.ts';
import type { RosterProposal } from './api-types.ts';
import { connect, type Session } from './session.ts';
import { requireKnownKeys, type KeyCheck, type NewMember } from './invitation-secrets.ts';
import { cosignature, signNextStatement } from './protocol/statement.ts';
import { trustRoster } from './roster-trust.ts';

export async function fetchRosterChain(session: Session, orgId: string): Promise<SignedRoster[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs[':orgId'].roster.$get({ param: { orgId }, query: {} }))).chain;
}

/** This officer's own organisation's roster, verified against the pin before anything is signed on top of it. */
export async function ownRosterHead(session: Session): Promise<RosterStatement> {
  const orgId = session.identity.orgId;
  const check = await trustRoster(orgId, await fetchRosterChain(session, orgId), { authors: true });
  if (!check.ok) throw new Error(`Not signing: ${check.message}`);
  return check.roster.head;
}

/**
 * The next roster version (v2), built from the verified head and proposed by this officer. It names
 * the org key this officer holds (moving a v1 roster to v2 on the way). With k officers needed, the
 * server keeps it until others co-sign it (waitingChanges, cosignWaitingChange).
 */
export async function signNextRoster(
  session: Session,
  change: (head: RosterStatement) => RosterChangeRequest,
  /** The head the caller verified already (ownRosterHead), so the chain is not fetched twice. */
  verifiedHead?: RosterStatement,
): Promise<SignedRoster<RosterStatementV2>> {
  const head = verifiedHead ?? (await ownRosterHead(session));
  const orgPublicKey = session.orgKeys ? toBase64(session.orgKeys.publicKey) : head.orgPublicKey;
  return signNextStatement(head, orgPublicKey, change(head), { memberId: session.identity.memberId, keys: session.keys });
}

export interface WaitingChange {
  version: number;
  /** The statement hash: which of the waiting changes this is. */
  hash: string;
  statement: RosterStatement;
  proposedBy: string;
  signers: string[];
  needed: number;
  /** What it changes, worked out on this device from the verified head (not the server's summary). */
  change: RosterChange | null;
  /** Why this device will not co-sign it, if it will not. */
  problem: string | null;
}

/** The roster changes waiting for co-signatures (several may wait), each checked on this device against the verified head. */
export async function waitingChanges(session: Session): Promise<WaitingChange[]> {
  const api = await connect(session);
  const { proposals } = await expectOk(await api.api.orgs[':orgId'].roster.proposal.$get({ param: { orgId: session.identity.orgId } }));
  if (proposals.length === 0) return [];
  const orgId = session.identity.orgId;
  const check = await trustRoster(orgId, await fetchRosterChain(session, orgId), { authors: true });
  if (!check.ok) throw new Error(`Not signing: ${check.message}`);
  return Promise.all(proposals.map((proposal) => checkProposal(session, proposal, check.roster.head, check.roster.headHash)));
}

async function checkProposal(session: Session, proposal: RosterProposal, head: RosterStatement, headHash: string): Promise<WaitingChange> {
  const orgId = session.identity.orgId;
  let problem: string | null = null;
  let change: RosterChange | null = null;
  // Signers and what is needed are worked out here, from the verified head: not the server's word.
  let signers: string[] = [];
  let needed = 0;
  try {
    const link = await checkRosterLink(
      { statement: proposal.statement, signerId: proposal.signerId, signature: proposal.signature, cosignatures: proposal.cosignatures },
      { statement: head, hash: headHash },
      orgId,
    );
    signers = link.signers;
    needed = link.needed;
    change = rosterChange(head, link.statement);
    if (proposal.action.kind === 'rotate') problem = rotationProblem(session, link.statement, change, proposal.action);
    else if (proposal.action.kind === 'remove' && proposal.action.rotate) {
      problem = rotationProblem(session, link.statement, change, proposal.action.rotate, proposal.action.memberId);
    } else if (session.orgKeys && link.statement.orgPublicKey !== toBase64(session.orgKeys.publicKey))
      problem = 'it names another org key than the one this officer holds';
    else if (change.rekeyed.length)
      problem = `it gives ${change.rekeyed.length} officer(s) other keys, which no change made in the app does`;
  } catch (error) {
    problem = `it does not continue the statement this device verified (${(error as Error).message})`;
  }
  return {
    version: proposal.version,
    hash: proposal.hash,
    statement: proposal.statement,
    proposedBy: proposal.signerId,
    signers,
    needed,
    change,
    problem,
  };
}

/** A new org key and its copies for the officers, as a waiting rotation carries it (alone, or with a removal). */
type RotateAction = NonNullable<Extract<RosterProposal['action'], { kind: 'remove' }>['rotate']>;

/**
 * Why this officer will not co-sign a rotation (null: it will): it must change the org key and
 * nothing else (but the removal of the officer `removing`, when the two come as one change for a
 * device lost or seized), carry a copy of the new key pair sealed to this officer that opens to
 * exactly the key the statement names, and give that key's id right (decision 0606).
 */
function rotationProblem(
  session: Session,
  statement: RosterStatement,
  change: RosterChange,
  action: RotateAction,
  removing?: string,
): string | null {
  const removedOnly = removing ? change.removed.length === 1 && change.removed[0]!.memberId === removing : change.removed.length === 0;
  if (
    !removedOnly ||
    change.added.length ||
    change.rekeyed.length ||
    change.approvalsRequired ||
    change.retentionDays ||
    change.fieldDevicesAdded.length ||
    change.fieldDevicesRemoved.length
  ) {
    return removing
      ? 'it should remove one officer and change the org key, and nothing else; this one changes other officers, field devices, k or retention too'
      : 'a rotation changes the org key and nothing else; this one changes officers, field devices, k or retention too';
  }
  if (!change.orgPublicKey) return 'it names no new org key';
  if (!statement.orgPublicKey || statement.orgPublicKey !== action.orgPublicKey)
    return 'the statement and the rotation name different keys';
  if (toHex(orgKeyId(fromBase64(statement.orgPublicKey))).toUpperCase() !== action.keyId) return 'the key id given is not the new key’s';
  const own = action.wraps.find((wrap) => wrap.memberId === session.identity.memberId);
  if (!own) return 'it carries no copy of the new key for this officer';
  try {
    unwrapOrgKey(own.wrappedOrgKey, session.identity.orgId, session.keys, fromBase64(statement.orgPublicKey)).secretKey.fill(0);
  } catch {
    return 'the copy of the new key sealed to this officer does not open to the key the statement names';
  }
  return null;
}

/**
 * The members a waiting change adds, with the keys it would sign into the statement: officers with
 * the keys the statement lists; field devices with the statement's signing key and the box key the
 * server lists (the statement names none for them; their fingerprint covers both).
 */
export function newcomersOf(change: RosterChange | null, listed: readonly NewMember[]): (NewMember & { role: 'officer' | 'field' })[] {
  if (!change) return [];
  const binding = (memberId: string) => listed.find((member) => member.id === memberId)?.keyBinding ?? null;
  return [
    ...change.added.map((officer) => ({
      id: officer.memberId,
      role: 'officer' as const,
      signPublicKey: officer.signPublicKey,
      boxPublicKey: officer.boxPublicKey,
      keyBinding: binding(officer.memberId),
    })),
    ...change.fieldDevicesAdded.map((device) => ({
      id: device.memberId,
      role: 'field' as const,
      signPublicKey: device.signPublicKey,
      boxPublicKey: listed.find((member) => member.id === device.memberId)?.boxPublicKey ?? '',
      keyBinding: binding(device.memberId),
    })),
  ];
}

/**
 * This officer co-signs a waiting change after checking it (waitingChanges); returns whether it took
 * effect. Whoever it adds must be bound to an invitation this device made or compared by this officer
 * (`checks`, by member id): a co-signature is not a rubber stamp on another officer's newcomer.
 */
export async function cosignWaitingChange(
  session: Session,
  waiting: WaitingChange,
  checks: Record<string, KeyCheck> = {},
  listed: readonly NewMember[] = [],
): Promise<boolean> {
  if (waiting.problem) throw new Error(`Not signing: ${waiting.problem}`);
  for (const newcomer of newcomersOf(waiting.change, listed)) {
    if (!newcomer.boxPublicKey) throw new Error(`Not signing: ${newcomer.id} is not in the member list, so its keys cannot be compared`);
    await requireKnownKeys(session.identity.orgId, newcomer, checks[newcomer.id] ?? {});
  }
  const api = await connect(session);
  const signature = cosignature(waiting.statement, session.keys);
  const result = await expectOk(
    await api.api.orgs[':orgId'].roster.proposal.cosign.$post({
      param: { orgId: session.identity.orgId },
      json: { version: waiting.version, signature, hash: waiting.hash },
    }),
  );
  return result.applied;
}

/** The proposer withdraws a change of theirs (only they can). */
export async function withdrawWaitingChange(session: Session, waiting: WaitingChange) {
  const api = await connect(session);
  await expectOk(
    await api.api.orgs[':orgId'].roster.proposal.$delete({ param: { orgId: session.identity.orgId }, query: { hash: waiting.hash } }),
  );
}
