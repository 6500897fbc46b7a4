// Activation: a requester (consulate, city) asks for a scoped release; officers approve or veto.
// Everyone signs a hash of the same canonical request. This module verifies with WebCrypto only
// (the Worker and the requester's client both run it); signing is in activation-sign.ts.
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';
import { fromBase64, parseUtcTime, toBase64 } from './encoding.ts';
import { sha256, verifyEd25519 } from './webcrypto.ts';

export const REQUEST_PURPOSE = 'buffer/activation-request/v1';
export const DECISION_PURPOSE = 'buffer/activation-decision/v1';

export interface ActivationRequest {
  /** Orgs whose records are asked for. */
  orgIds: string[];
  requester: { id: string; signPublicKey: string; boxPublicKey: string };
  /** GeoJSON Polygon or MultiPolygon (RFC 7946: [longitude, latitude]) of the area. */
  area: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
  nationalities: string[];
  /** Field names the requester may receive (minimisation). */
  fields: string[];
  purpose: string;
  /** ISO 8601 UTC: the release and anything derived from it expire then. */
  expiresAt: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Random, base64url, >= 16 bytes: two identical asks still hash differently. */
  nonce: string;
  /** 'release' (k-of-n approvals) or 'break_glass' (standing arrangement + waiting period). */
  kind: 'release' | 'break_glass';
  arrangementId?: string;
}

/** [longitude, latitude] or [longitude, latitude, altitude], as GeoJSON (and @types/geojson) define it. */
export type Position = number[];

export type DecisionKind = 'approve' | 'veto';

export interface Decision {
  decision: DecisionKind;
  requestHash: string;
  memberId: string;
  /** base64url Ed25519 signature over decisionBytes(requestHash, decision, memberId). */
  signature: string;
}

function sortedSet(values: unknown, name: string): string[] {
  if (!Array.isArray(values) || values.some((value) => typeof value !== 'string'))
    throw new CryptoError('bad_format', `request.${name} must be an array of strings`);
  return [...new Set(values.map((value: string) => value.normalize('NFC')))].sort();
}

/**
 * Canonical bytes of a request. Set-like arrays (orgIds, nationalities, fields) are sorted and
 * de-duplicated first, so their order can never make two hashes of the same ask.
 */
export function requestBytes(request: ActivationRequest): Uint8Array {
  if (!request || typeof request !== 'object') throw new CryptoError('bad_format', 'request must be an object');
  for (const field of ['expiresAt', 'createdAt'] as const) {
    if (Number.isNaN(parseUtcTime(request[field])))
      throw new CryptoError('bad_format', `request.${field} must be a real ISO 8601 UTC time`);
  }
  if (!request.area || (request.area.type !== 'Polygon' && request.area.type !== 'MultiPolygon'))
    throw new CryptoError('bad_format', 'request.area must be a GeoJSON Polygon or MultiPolygon');
  if (typeof request.nonce !== 'string' || fromBase64(request.nonce).length < 16)
    throw new CryptoError('bad_format', 'request.nonce must be >= 16 random bytes, base64url');
  if (request.kind !== 'release' && request.kind !== 'break_glass')
    throw new CryptoError('bad_format', 'request.kind must be release or break_glass');
  if (
    !request.requester ||
    fromBase64(request.requester.signPublicKey).length !== 32 ||
    fromBase64(request.requester.boxPublicKey).length !== 32
  ) {
    throw new CryptoError('bad_format', 'request.requester needs 32-byte signPublicKey and boxPublicKey');
  }
  const { arrangementId, ...rest } = request;
  if (request.kind === 'break_glass' && typeof arrangementId !== 'string')
    throw new CryptoError('bad_format', 'a break_glass request names its arrangementId');
  return canonicalize({
    purpose: REQUEST_PURPOSE,
    request: {
      ...rest,
      ...(arrangementId === undefined ? {} : { arrangementId }),
      orgIds: sortedSet(request.orgIds, 'orgIds'),
      nationalities: sortedSet(request.nationalities, 'nationalities'),
      fields: sortedSet(request.fields, 'fields'),
    },
  });
}

/** base64url SHA-256 of requestBytes: the value everyone signs and the audit log refers to. */
export async function requestHash(request: ActivationRequest): Promise<string> {
  return toBase64(await sha256(requestBytes(request)));
}

/**
 * What an officer signs. Not the bare hash: a signature over the bare hash would count as an
 * approval and a veto at once, so the decision and the signer are inside the signed bytes.
 */
export function decisionBytes(hash: string, decision: DecisionKind, memberId: string): Uint8Array {
  return canonicalize({ purpose: DECISION_PURPOSE, requestHash: hash, decision, memberId });
}

/** The requester's own signature over the request hash's bytes. */
export async function verifyRequestSignature(request: ActivationRequest, signature: string): Promise<boolean> {
  try {
    const hash = fromBase64(await requestHash(request));
    return await verifyEd25519(fromBase64(request.requester.signPublicKey), fromBase64(signature), hash);
  } catch {
    return false;
  }
}

export type ApprovalResult =
  | { ok: true; approvers: string[]; ignored: { memberId: string; why: string }[] }
  | { ok: false; reason: 'vetoed'; vetoedBy: string[]; approvers: string[]; ignored: { memberId: string; why: string }[] }
  | { ok: false; reason: 'not_enough_approvals'; approvers: string[]; needed: number; ignored: { memberId: string; why: string }[] };

/**
 * k distinct officers approved and no officer vetoed, each decision signed with the officer's
 * registered key. A veto outweighs any number of approvals. Decisions by non-officers, for another
 * request or with bad signatures are ignored (and listed), never counted.
 */
export async function verifyApprovals(
  hash: string,
  decisions: readonly Decision[],
  officerKeys: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  k: number,
  /** Whose vetoes count, when that is a wider set than whose approvals do (see roster.ts decisionKeys). Default: officerKeys. */
  vetoKeys: ReadonlyMap<string, string> | Readonly<Record<string, string>> = officerKeys,
): Promise<ApprovalResult> {
  if (!Number.isInteger(k) || k < 1) throw new CryptoError('bad_format', 'k must be a positive integer');
  const lookup = (keys: ReadonlyMap<string, string> | Readonly<Record<string, string>>, memberId: string): string | undefined =>
    keys instanceof Map ? keys.get(memberId) : Object.hasOwn(keys, memberId) ? (keys as Record<string, string>)[memberId] : undefined;
  const keyOf = (memberId: string, decision: string): string | undefined => lookup(decision === 'veto' ? vetoKeys : officerKeys, memberId);
  const approvers = new Set<string>();
  const vetoedBy = new Set<string>();
  const ignored: { memberId: string; why: string }[] = [];
  for (const decision of decisions) {
    const memberId = typeof decision?.memberId === 'string' ? decision.memberId : '?';
    if (decision?.requestHash !== hash) {
      ignored.push({ memberId, why: 'another request' });
      continue;
    }
    if (decision.decision !== 'approve' && decision.decision !== 'veto') {
      ignored.push({ memberId, why: 'unknown decision' });
      continue;
    }
    const key = keyOf(memberId, decision.decision);
    if (!key) {
      ignored.push({ memberId, why: 'not an officer' });
      continue;
    }
    let valid = false;
    try {
      valid = await verifyEd25519(fromBase64(key), fromBase64(decision.signature), decisionBytes(hash, decision.decision, memberId));
    } catch {
      valid = false;
    }
    if (!valid) {
      ignored.push({ memberId, why: 'bad signature' });
      continue;
    }
    (decision.decision === 'veto' ? vetoedBy : approvers).add(memberId);
  }
  const result = { approvers: [...approvers].sort(), ignored };
  if (vetoedBy.size) return { ok: false, reason: 'vetoed', vetoedBy: [...vetoedBy].sort(), ...result };
  if (approvers.size < k) return { ok: false, reason: 'not_enough_approvals', needed: k, ...result };
  return { ok: true, ...result };
}
