// What the activation screens do over the network, each step as the protocol wants it: requests
// signed by the requester, decisions signed by officers, every action carried with its audit entry
// continuing the chain, releases built and sealed on the officer's device, opened and checked on the
// requester's. Plaintext records exist only in memory here; the server sees ciphertext and signatures.
import { fromBase64, openBundle, toBase64 } from '#crypto';
import type { DecisionKind } from '#crypto/activation';
import { requestHashSync, signRequest } from '#crypto/activation-sign';
import { requestHash, verifyRequestSignature } from '#crypto/activation';
import { continueChain, startChain, type SignEntry } from './audit-heads.ts';
import { notePartnerRemoved, requestProblem, type PartnerView } from './partners.ts';
import type { ReleaseField } from '#crypto/protocol';
import { releasedProperties } from '#model/fields';
import { createApiClient, expectOk } from '../api.ts';
import {
  activationRequest,
  decisionOn,
  releaseBundle,
  releaseDownloaded,
  releaseUploaded,
  requestFiled,
  type AuditStep,
} from '../protocol/activation.ts';
import { openOrgRecords } from '../records.ts';
import { connect, type Session } from '../session.ts';
import { releaseRecords, selectForRelease, type Area, type RequesterKind } from './select.ts';
import { trustRoster } from '../roster-trust.ts';
import { database } from '../store/db.ts';
import { checkApprovals, checkReleasedScope, type ActivationDetail, type ApprovalCheck, type RosterCheck } from './verify.ts';
import type { Activation, ActivationSummary, Org, RelatedOrg, Release } from '../api-types.ts';

/** The server's answers (api-types.ts): a request in a list, and one request with all it carries. */
export type Summary = ActivationSummary;
export type Detail = Activation;
export type { Org, Release };

export async function directory(session: Session): Promise<Org[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs.$get())).orgs;
}

/** For a CSO: the requesters it works with, with the partner statements its officers signed. For a requester: the CSOs that work with it. */
export async function relatedOrgs(session: Session): Promise<RelatedOrg[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs[':orgId'].relationships.$get({ param: { orgId: session.identity.orgId } }))).orgs;
}

/** A CSO stops working with a requester. (Adding one is partners.ts addPartner: a signed statement.) */
export async function removeRequester(session: Session, requesterOrgId: string) {
  const api = await connect(session);
  await expectOk(
    await api.api.orgs[':orgId'].relationships[':requesterOrgId'].$delete({ param: { orgId: session.identity.orgId, requesterOrgId } }),
  );
  // Noted at once: the server cannot bring the partner back with the statement signed before.
  await notePartnerRemoved(requesterOrgId);
}

export async function listActivations(
  session: Session,
  direction: 'incoming' | 'outgoing',
): Promise<{ activations: Summary[]; pending: number }> {
  const api = await connect(session);
  return expectOk(await api.api.activations.$get({ query: { direction } }));
}

export async function getActivation(session: Session, hash: string): Promise<Detail> {
  const api = await connect(session);
  return expectOk(await api.api.activations[':hash'].$get({ param: { hash } }));
}

export async function serverAuditKey(session: Session): Promise<string | null> {
  try {
    const response = await createApiClient(undefined, session.baseUrl ?? location.origin).api['server-identity'].$get();
    return response.ok ? (await response.json()).auditSignPublicKey : null;
  } catch {
    return null;
  }
}

export interface TargetTrust {
  roster: RosterCheck;
  approvals: ApprovalCheck;
}

/**
 * For each addressed CSO: its roster chain verified from this device's pin (the pin advances only
 * when it verifies), then the approvals checked with that roster's officer keys and k. A broken or
 * forked roster makes the approvals unverifiable, whatever the server says.
 */
export async function verifyTargets(detail: ActivationDetail): Promise<Map<string, TargetTrust>> {
  const result = new Map<string, TargetTrust>();
  for (const target of detail.targets) {
    const roster = await trustRoster(target.orgId, detail.rosters?.[target.orgId]);
    const seen = await seenRosterVersion(detail.hash, target.orgId, target.rosterVersion);
    const approvals: ApprovalCheck = roster.ok
      ? await checkApprovals(detail, target.orgId, roster.roster, undefined, seen)
      : { ok: false, reason: 'roster_broken', message: roster.message };
    result.set(target.orgId, { roster, approvals });
  }
  return result;
}

/**
 * The roster version this device first saw for a request and CSO (kept in `meta`, 0 for none named):
 * the first answer is kept, and checkApprovals refuses any other one after it (a number for none,
 * none for a number, or another number). Undefined the first time (nothing to compare with).
 */
async function seenRosterVersion(
  hash: string,
  orgId: string,
  claimed: number | null | undefined,
): Promise<{ rosterVersion: number | null } | undefined> {
  const key = `requestRoster:${hash}:${orgId}`;
  const row = await database.meta.get(key);
  if (typeof row?.value === 'number') return { rosterVersion: row.value === 0 ? null : row.value };
  await database.meta.put({ key, value: typeof claimed === 'number' ? claimed : 0 });
  return undefined;
}

async function verifiedApprovals(detail: ActivationDetail, orgId: string): Promise<ApprovalCheck> {
  return (
    (await verifyTargets(detail)).get(orgId)?.approvals ?? {
      ok: false,
      reason: 'not_addressed',
      message: 'this organisation was not asked in the signed request',
    }
  );
}

/** An audit step signed onto the head the chain holds (audit-heads.ts). */
const signStep = (signEntry: SignEntry, step: AuditStep) => signEntry(step.type, step.payload);

/** Continues a request's audit chain (continueChain: checked, signed onto its head, kept). */
const onRequestChain = <T>(
  session: Session,
  hash: string,
  send: (signEntry: SignEntry) => Promise<T>,
  options: { protective?: boolean } = {},
) => continueChain(session, `request:${hash}`, async () => (await getActivation(session, hash)).audit.entries, send, options);

export interface NewRequest {
  orgIds: string[];
  area: Area;
  nationalities: string[];
  fields: ReleaseField[];
  purpose: string;
  expiresInDays: number;
}

/** The requester signs and files. The release will be sealed to the requester ORG's key, so any of its officers can open it. */
export async function fileRequest(session: Session, input: NewRequest): Promise<string> {
  const api = await connect(session);
  const orgPublicKey = session.identity.orgPublicKey || (session.orgKeys ? toBase64(session.orgKeys.publicKey) : '');
  if (!orgPublicKey) throw new Error('this device does not know its organisation key yet: sync first');
  const now = Date.now();
  const request = activationRequest({
    requester: { memberId: session.identity.memberId, keys: session.keys },
    orgPublicKey,
    orgIds: input.orgIds,
    area: input.area,
    nationalities: input.nationalities,
    fields: input.fields,
    purpose: input.purpose.trim(),
    expiresAt: new Date(now + input.expiresInDays * 86_400_000).toISOString(),
    createdAt: new Date(now).toISOString(),
  });
  const hash = requestHashSync(request);
  await startChain(session, `request:${hash}`, async (signEntry) =>
    expectOk(
      await api.api.activations.$post({
        json: {
          request,
          signature: signRequest(request, session.keys),
          auditEntry: signStep(signEntry, requestFiled(hash)),
        },
      }),
    ),
  );
  return hash;
}

/**
 * An officer approves or vetoes. An approval is signed only over a request this device checked: the
 * hash is the request's own, the requester signed it, and it comes from a verified partner (a
 * server that shows one request and collects approvals for another's hash gets none). A veto is
 * always signed: refusing never needs the request to be right.
 */
export async function decide(
  session: Session,
  detail: Pick<Detail, 'hash' | 'request' | 'signature'>,
  decision: DecisionKind,
  partner?: PartnerView,
) {
  const hash = detail.hash;
  if (decision === 'approve') {
    if ((await requestHash(detail.request)) !== hash) throw new Error('Not approved: the request the server shows does not match its hash');
    if (!(await verifyRequestSignature(detail.request, detail.signature)))
      throw new Error('Not approved: the request signature does not verify');
    const problem = requestProblem(detail.request, partner);
    if (problem) throw new Error(`Not approved: ${problem}`);
  }
  const api = await connect(session);
  const orgId = session.identity.orgId;
  const { signature, step } = decisionOn(hash, decision, { orgId, memberId: session.identity.memberId, keys: session.keys });
  await onRequestChain(
    session,
    hash,
    async (signEntry) =>
      expectOk(
        await api.api.activations[':hash'].decisions.$post({
          param: { hash },
          json: {
            orgId,
            decision,
            signature,
            auditEntry: signStep(signEntry, step),
          },
        }),
      ),
    { protective: decision === 'veto' },
  );
}

export type ReleaseStage = 'decrypting' | 'selecting' | 'sealing' | 'uploading' | 'done';
export interface ReleaseProgress {
  stage: ReleaseStage;
  /** 0..1 */
  fraction: number;
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The CSO officer builds the release on this device: checks the approvals itself, decrypts the
 * org's records, selects (area, nationality, consent), minimises, seals to the request's requester
 * key and uploads. Returns how many records went out.
 */
export async function buildAndSendRelease(
  session: Session,
  detail: Detail,
  partner: PartnerView | undefined,
  onProgress: (progress: ReleaseProgress) => void,
): Promise<number> {
  if (!session.orgKeys) throw new Error('only an officer holding the org key can build a release');
  // Sealed to the verified partner's org key, under the kind the CSO signed: never the server's word (decision 0609).
  const problem = requestProblem(detail.request, partner);
  if (problem || !partner?.verified) throw new Error(`not releasable: ${problem}`);
  const requesterKind: RequesterKind = partner.kind;
  const orgId = session.identity.orgId;
  const approvals = await verifiedApprovals(detail, orgId);
  if (!approvals.ok) throw new Error(`not releasable: ${approvals.message}`);
  onProgress({ stage: 'decrypting', fraction: 0.05 });
  await pause();
  const opened = await openOrgRecords(session);
  const request = detail.request;
  const scope = { area: request.area, nationalities: request.nationalities, fields: request.fields as ReleaseField[], requesterKind };
  const selection = await selectForRelease(opened, scope, {
    onProgress: (done, total) => onProgress({ stage: 'selecting', fraction: 0.1 + 0.6 * (done / Math.max(total, 1)) }),
  });
  const records = releaseRecords(selection, scope);
  onProgress({ stage: 'sealing', fraction: 0.75 });
  await pause();
  const bundle = releaseBundle(
    { orgId, memberId: session.identity.memberId, keys: session.keys },
    { hash: detail.hash, fields: request.fields, expiresAt: request.expiresAt },
    records,
    fromBase64(partner.orgPublicKey),
  );
  records.length = 0;
  onProgress({ stage: 'uploading', fraction: 0.85 });
  const upload = await releaseUploaded(detail.hash, orgId, bundle);
  const api = await connect(session);
  await onRequestChain(session, detail.hash, async (signEntry) =>
    expectOk(
      await api.api.activations[':hash'].releases.$post({
        param: { hash: detail.hash },
        json: {
          orgId,
          bundle: toBase64(bundle),
          auditEntry: signStep(signEntry, upload.step),
        },
      }),
    ),
  );
  onProgress({ stage: 'done', fraction: 1 });
  return selection.communities.length + selection.persons.length;
}

export async function revokeRelease(session: Session, hash: string, releaseId: string) {
  const api = await connect(session);
  await onRequestChain(
    session,
    hash,
    async (signEntry) =>
      expectOk(
        await api.api.activations[':hash'].releases[':releaseId'].revoke.$post({
          param: { hash, releaseId },
          json: { auditEntry: signEntry('release.revoked', { requestHash: hash, releaseId }) },
        }),
      ),
    { protective: true },
  );
}

export interface OpenedRelease {
  releaseId: string;
  orgId: string;
  expiresAt: string;
  records: Record<string, unknown>[];
  unchecked: string[];
}

/** A refusal the requester must see whole: nothing of the release is shown. */
export class RefusedRelease extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

/**
 * The requester opens a release: verifies the request and the approvals first (no download
 * otherwise), downloads (logged), opens the bundle with the org key and the approved fields as its
 * scope, then checks every record is inside the area and of an asked nationality. Any failure
 * refuses the whole bundle. Nothing is stored: the caller keeps it in memory until expiry.
 */
export async function openRelease(session: Session, detail: Detail, release: Release): Promise<OpenedRelease> {
  if (!session.orgKeys)
    throw new RefusedRelease('this device holds no organisation key: only an officer who was given it can open a release');
  if (detail.request.requester.boxPublicKey !== toBase64(session.orgKeys.publicKey)) {
    throw new RefusedRelease('the request names another key to seal the release to than this organisation’s: it was not filed from here');
  }
  const approvals = await verifiedApprovals(detail, release.orgId);
  if (!approvals.ok) throw new RefusedRelease(`Refused: ${approvals.message}.`);
  const api = await connect(session);
  const body = await onRequestChain(session, detail.hash, async (signEntry) =>
    expectOk(
      await api.api.activations[':hash'].releases[':releaseId'].download.$post({
        param: { hash: detail.hash, releaseId: release.id },
        json: { auditEntry: signStep(signEntry, releaseDownloaded(detail.hash, release.id)) },
      }),
    ),
  );
  let opened: Awaited<ReturnType<typeof openBundle>>;
  try {
    opened = await openBundle(
      fromBase64(body.bundle),
      { boxPublicKey: session.orgKeys.publicKey, boxSecretKey: session.orgKeys.secretKey },
      {
        requestHash: detail.hash,
        officerKeys: approvals.officerKeys,
        fields: releasedProperties(detail.request.fields as ReleaseField[]),
      },
    );
  } catch (error) {
    throw new RefusedRelease(`Refused: the bundle does not open as an approved release (${(error as Error).message}).`);
  }
  if (opened.manifest.orgId !== release.orgId)
    throw new RefusedRelease('Refused: the bundle was released by another organisation than the one that approved.');
  const scope = checkReleasedScope(opened.records, detail.request);
  if (!scope.ok) {
    opened.records.length = 0;
    throw new RefusedRelease(
      `Refused: the release holds records outside what was approved (${scope.problems.length} problem${scope.problems.length === 1 ? '' : 's'}). Nothing of it is shown.`,
      scope.problems,
    );
  }
  return {
    releaseId: release.id,
    orgId: release.orgId,
    expiresAt: opened.manifest.expiresAt,
    records: opened.records,
    unchecked: scope.unchecked,
  };
}
