// What the relay screens do over the network: file a signed relay request, decide on one with a
// signed decision, report counts once sent, each carried with its audit entry continuing the
// relay's chain. Before anything is handed to a channel the officer's device checks the request's
// hash and signature and the k approvals itself (the server's status is not taken on trust).
// Phones and texts never go through here: only the request (area, nationalities, the messages the
// requester wrote) and counts.
import { fromBase64, sign, sha256, toBase64, verifyEd25519 } from '#crypto';
import { verifyApprovals, type Decision, type DecisionKind } from '#crypto/activation';
import { newRequestNonce, signDecision } from '#crypto/activation-sign';
import { relayRequestBytes, type RelayRequest } from '#crypto/protocol';
import { expectOk } from '../api.ts';
import { continueChain, startChain, vetoesInAudit, type SignEntry } from '../activation/audit-heads.ts';
import { connect, type Session } from '../session.ts';
import { withholdSmallCounts, type PublishedRelayReport } from '#plans/relay-report';
import type { RelayReport } from './channels.ts';
import type { RelayOrigin } from './recipients.ts';
import type { RosterStatement } from '#crypto/roster';
import type { PartnerView } from '../activation/partners.ts';
import { isRequestArea } from '../activation/area.ts';
import type { AnyArea } from '../activation/select.ts';
import type { Member, Relay, RelayRequestBody, RelaySummary } from '../api-types.ts';

/** The server's answers (api-types.ts): a relay in a list, and one relay with its decisions, report and audit chain. */
export type { RelaySummary, Member };
export type RelayDetail = Relay;

export async function relayHash(request: RelayRequest): Promise<string> {
  return toBase64(await sha256(relayRequestBytes(request)));
}

export async function listRelays(
  session: Session,
  direction: 'incoming' | 'outgoing',
): Promise<{ relays: RelaySummary[]; pending: number }> {
  const api = await connect(session);
  return expectOk(await api.api.relays.$get({ query: { direction } }));
}

export async function getRelay(session: Session, hash: string): Promise<RelayDetail> {
  const api = await connect(session);
  return expectOk(await api.api.relays[':hash'].$get({ param: { hash } }));
}

/** The members of this officer's own organisation, with their signing keys (to check approvals). */
export async function members(session: Session): Promise<Member[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs[':orgId'].members.$get({ param: { orgId: session.identity.orgId } }))).members;
}

/** Continues a relay's audit chain (continueChain: checked, signed onto its head, kept). */
const onRelayChain = <T>(
  session: Session,
  hash: string,
  send: (signEntry: SignEntry) => Promise<T>,
  options: { protective?: boolean } = {},
) => continueChain(session, `relay:${hash}`, async () => (await getRelay(session, hash)).audit.entries, send, options);

export interface NewRelay {
  /** The CSO asked to relay: this organisation itself when a CSO writes to its own communities. */
  orgId: string;
  /** Drawn, imported from a file or taken from an alert's shape; it is sent only if every position is [longitude, latitude]. */
  area: AnyArea;
  nationalities: string[];
  messages: RelayRequest['messages'];
  purpose: string;
  expiresInDays: number;
}

/** Signs and files a relay request; returns its hash. */
export async function fileRelay(session: Session, input: NewRelay): Promise<string> {
  // The API takes [longitude, latitude] pairs only (an alert's shape could carry an altitude).
  if (!isRequestArea(input.area)) throw new Error('the area has a position that is not a [longitude, latitude] pair');
  const now = Date.now();
  const request: RelayRequestBody = {
    orgId: input.orgId,
    requester: { id: session.identity.memberId, signPublicKey: toBase64(session.keys.signPublicKey) },
    area: input.area,
    nationalities: input.nationalities,
    messages: input.messages.map((message) => ({ language: message.language, text: message.text.trim() })),
    purpose: input.purpose.trim(),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + input.expiresInDays * 86_400_000).toISOString(),
    nonce: newRequestNonce(),
  };
  const hash = await relayHash(request);
  const api = await connect(session);
  await startChain(session, `relay:${hash}`, async (signEntry) =>
    expectOk(
      await api.api.relays.$post({
        json: {
          request,
          signature: toBase64(sign(fromBase64(hash), session.keys)),
          auditEntry: signEntry('relay.requested', { requestHash: hash }),
        },
      }),
    ),
  );
  return hash;
}

export async function decideRelay(session: Session, hash: string, decision: DecisionKind) {
  const api = await connect(session);
  const signed = signDecision(hash, decision, session.identity.memberId, session.keys);
  await onRelayChain(
    session,
    hash,
    async (signEntry) =>
      expectOk(
        await api.api.relays[':hash'].decisions.$post({
          param: { hash },
          json: {
            decision,
            signature: signed.signature,
            auditEntry: signEntry(decision === 'approve' ? 'relay.approved' : 'relay.declined', {
              requestHash: hash,
              signature: signed.signature,
            }),
          },
        }),
      ),
    { protective: decision === 'veto' },
  );
}

/**
 * Tells the server (and through it the requester) how many messages went out: counts only, with
 * small counts withheld (and the totals that would give them away), like summaries. Returns what was published.
 */
export async function reportRelay(session: Session, hash: string, tally: RelayReport): Promise<PublishedRelayReport> {
  const api = await connect(session);
  const counts = withholdSmallCounts(tally);
  await onRelayChain(session, hash, async (signEntry) =>
    expectOk(
      await api.api.relays[':hash'].report.$post({
        param: { hash },
        json: { report: counts, auditEntry: signEntry('relay.reported', { requestHash: hash, sent: counts.sent, failed: counts.failed }) },
      }),
    ),
  );
  return counts;
}

export type RelayCheck = { ok: true; approvers: string[] } | { ok: false; message: string };

/**
 * May this device send? The request the server shows hashes to its hash and carries the requester's
 * signature; k distinct active officers of this CSO approved it with valid signatures; nobody declined.
 */
/**
 * Who filed a relay, from its signing key: 'own' for an officer of this CSO's verified statement,
 * the signed kind for an officer of a verified partner's statement, null for anyone else (nothing
 * may be sent). Never the server's requesterOrgId or directory kind.
 */
export function relayOrigin(request: RelayDetail['request'], own: RosterStatement, partner: PartnerView | undefined): RelayOrigin | null {
  const { id, signPublicKey } = request.requester;
  if (own.officers.some((officer) => officer.memberId === id && officer.signPublicKey === signPublicKey)) return 'own';
  if (partner?.verified && partner.officers.get(id) === signPublicKey) return partner.kind;
  return null;
}

/**
 * May this device send? The request is for this CSO and hashes to its hash, its signer is one of
 * this CSO's officers or an officer of a verified partner, and k officers of this CSO's verified
 * statement approved it (k from that statement), nobody declining.
 */
export async function checkRelay(
  detail: RelayDetail,
  own: RosterStatement,
  origin: RelayOrigin | null,
  ownOrgId: string,
): Promise<RelayCheck> {
  const hash = await relayHash(detail.request);
  if (hash !== detail.hash) return { ok: false, message: 'the request the server shows does not match its hash: it was altered' };
  if (detail.request.orgId !== ownOrgId) return { ok: false, message: 'the request is addressed to another organisation' };
  if (!origin) return { ok: false, message: 'it was not signed by one of your officers or an officer of a verified partner' };
  let signed = false;
  try {
    signed = await verifyEd25519(fromBase64(detail.request.requester.signPublicKey), fromBase64(detail.signature), fromBase64(hash));
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, message: 'the requester’s signature does not verify' };
  const keys = new Map(own.officers.map((officer) => [officer.memberId, officer.signPublicKey]));
  const needed = Math.max(1, own.approvalsRequired);
  // The server's list, and every decline the audit log carries: a decline left out of the list still counts.
  const decisions: Decision[] = [...detail.decisions, ...vetoesInAudit(detail.audit.entries, 'relay.declined', hash)].map((decision) => ({
    requestHash: hash,
    memberId: decision.memberId,
    decision: decision.decision,
    signature: decision.signature,
  }));
  const verdict = await verifyApprovals(hash, decisions, keys, needed);
  if (verdict.ok) return { ok: true, approvers: verdict.approvers };
  if (verdict.reason === 'vetoed') return { ok: false, message: 'an officer declined this relay: nothing may be sent' };
  return { ok: false, message: `only ${verdict.approvers.length} valid approval(s) of the ${needed} needed` };
}
