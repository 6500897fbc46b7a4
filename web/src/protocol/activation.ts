// The device side of the protocol, part three: an activation as the requester and the CSO officers
// act on it. The request the requester signs, an officer's decision, the release bundle and the
// audit entries each action carries. Shared by the web client and the tests (decision 0808); pure:
// the caller signs each entry onto the chain head it holds and sends it.
import { sha256, toBase64, toHex, type MemberKeys } from '#crypto';
import type { DecisionKind } from '#crypto/activation';
import { newRequestNonce, signDecision } from '#crypto/activation-sign';
import { createBundle, type ReleasedRecord } from '#crypto/bundle';
import { parseBundle } from '#crypto/bundle-manifest';
import type { ReleaseField } from '#crypto/protocol';
import { releasedProperties } from '#model/fields';
import type { ActivationRequestBody } from '../api-types.ts';

/** What an action adds to a request's audit chain, before it is signed onto the head. */
export interface AuditStep {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * A release request from the requester's device (kind 'release': k-of-n approvals). The release is
 * sealed to `orgPublicKey`, the requester org's key, so any of its officers can open it; the nonce
 * makes two identical asks hash differently.
 */
export function activationRequest(input: {
  requester: { memberId: string; keys: Pick<MemberKeys, 'signPublicKey'> };
  orgPublicKey: string;
  orgIds: string[];
  area: ActivationRequestBody['area'];
  nationalities: string[];
  fields: ReleaseField[];
  purpose: string;
  expiresAt: string;
  createdAt: string;
}): ActivationRequestBody {
  return {
    orgIds: input.orgIds,
    requester: {
      id: input.requester.memberId,
      signPublicKey: toBase64(input.requester.keys.signPublicKey),
      boxPublicKey: input.orgPublicKey,
    },
    area: input.area,
    nationalities: input.nationalities,
    fields: input.fields,
    purpose: input.purpose,
    expiresAt: input.expiresAt,
    createdAt: input.createdAt,
    nonce: newRequestNonce(),
    kind: 'release',
  };
}

/** The audit step that files a request. */
export const requestFiled = (requestHash: string): AuditStep => ({ type: 'activation.requested', payload: { requestHash } });

/** An officer's approval or veto of a request (signed over its hash), and the audit step that carries it. */
export function decisionOn(requestHash: string, decision: DecisionKind, officer: { orgId: string; memberId: string; keys: MemberKeys }) {
  const { signature } = signDecision(requestHash, decision, officer.memberId, officer.keys);
  const step: AuditStep = {
    type: decision === 'approve' ? 'activation.approved' : 'activation.vetoed',
    payload: { requestHash, orgId: officer.orgId, signature },
  };
  return { signature, step };
}

/**
 * The release an officer builds for an approved request: the records (already selected and
 * minimised) sealed to `recipient`, the requester org's key, with the fields the request names and
 * its expiry, signed by the releasing officer.
 */
export function releaseBundle(
  officer: { orgId: string; memberId: string; keys: MemberKeys },
  request: { hash: string; fields: readonly string[]; expiresAt: string },
  records: readonly ReleasedRecord[],
  recipient: Uint8Array,
): Uint8Array {
  return createBundle({
    orgId: officer.orgId,
    requestHash: request.hash,
    recipientBoxPublicKey: recipient,
    fields: releasedProperties(request.fields as ReleaseField[]),
    records,
    expiresAt: request.expiresAt,
    releasedBy: { memberId: officer.memberId, keys: officer.keys },
  });
}

/** The audit step that uploads a bundle: the release id is the bundle's own (from its manifest), with its SHA-256. */
export async function releaseUploaded(
  requestHash: string,
  orgId: string,
  bundle: Uint8Array,
): Promise<{ releaseId: string; step: AuditStep }> {
  const releaseId = parseBundle(bundle).manifest.bundleId;
  const digest = toHex(await sha256(bundle));
  return { releaseId, step: { type: 'release.uploaded', payload: { requestHash, orgId, releaseId, sha256: digest } } };
}

/** The audit step that downloads a release. */
export const releaseDownloaded = (requestHash: string, releaseId: string): AuditStep => ({
  type: 'release.downloaded',
  payload: { requestHash, releaseId },
});
