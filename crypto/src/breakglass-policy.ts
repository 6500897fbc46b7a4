// Break-glass, the server's side: may the server hand over its escrowed share now? Only after the
// waiting period has run out with no valid officer veto. WebCrypto only (runs in the Worker).
// Design and reasoning: docs/decisions/0101-break-glass.md.
import { canonicalize } from './canonical.ts';
import { verifyApprovals, type Decision } from './activation.ts';
import { CryptoError } from './errors.ts';
import { fromBase64, toBase64 } from './encoding.ts';
import { sha256, verifyEd25519 } from './webcrypto.ts';

export const ARRANGEMENT_FORMAT = 'buffer/arrangement/v1';

/**
 * The shortest waiting period an arrangement may have: 12 hours, so that an officer who is asleep or
 * away when the glass is broken still has a waking half-day to see it and veto (decision 0103). The
 * server refuses shorter descriptors, officers' devices will not sign one, and requesters' devices
 * do not trust one.
 */
export const BREAK_GLASS_MIN_WAIT_SECONDS = 12 * 3600;
/** The longest: two weeks. Past that a crisis is better served by a normal, approved activation. */
export const BREAK_GLASS_MAX_WAIT_SECONDS = 14 * 86_400;

export function waitingPeriodAllowed(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= BREAK_GLASS_MIN_WAIT_SECONDS && seconds <= BREAK_GLASS_MAX_WAIT_SECONDS;
}

/** Signed by the officer who set the arrangement up; the requester checks it before relying on it. */
export interface ArrangementDescriptor {
  format: typeof ARRANGEMENT_FORMAT;
  arrangementId: string;
  orgId: string;
  requester: { id: string; signPublicKey: string; boxPublicKey: string };
  /** The arrangement's X25519 public key that record data keys are wrapped to (base64url). */
  publicKey: string;
  waitingPeriodSeconds: number;
  fields: string[];
  createdAt: string;
  createdBy: { memberId: string; signPublicKey: string };
}

export function arrangementBytes(descriptor: ArrangementDescriptor): Uint8Array {
  return canonicalize(descriptor);
}

export async function verifyArrangement(
  descriptor: ArrangementDescriptor,
  signature: string,
  officerKeys: readonly string[],
): Promise<boolean> {
  if (descriptor?.format !== ARRANGEMENT_FORMAT || !officerKeys.includes(descriptor.createdBy?.signPublicKey)) return false;
  if (!waitingPeriodAllowed(descriptor.waitingPeriodSeconds)) return false;
  try {
    return await verifyEd25519(fromBase64(descriptor.createdBy.signPublicKey), fromBase64(signature), arrangementBytes(descriptor));
  } catch {
    return false;
  }
}

/**
 * The officers who signed an arrangement (decision 0610): its creator, with the descriptor's own
 * checks (verifyArrangement), and each co-signer over the same bytes, each by the key `officers`
 * (member id → base64url Ed25519 key, from the CSO's statement) names. A signature that does not
 * verify, or by a member the map does not name, counts for nothing.
 */
export async function arrangementSigners(
  descriptor: ArrangementDescriptor,
  signature: string,
  cosignatures: readonly { memberId: string; signature: string }[],
  officers: ReadonlyMap<string, string>,
): Promise<string[]> {
  const signers = new Set<string>();
  const creatorKey = officers.get(descriptor.createdBy?.memberId);
  if (creatorKey && (await verifyArrangement(descriptor, signature, [creatorKey]))) signers.add(descriptor.createdBy.memberId);
  const bytes = arrangementBytes(descriptor);
  for (const cosignature of cosignatures) {
    const key = officers.get(cosignature.memberId);
    if (!key || signers.has(cosignature.memberId)) continue;
    try {
      if (await verifyEd25519(fromBase64(key), fromBase64(cosignature.signature), bytes)) signers.add(cosignature.memberId);
    } catch {
      // not base64url: counts for nothing
    }
  }
  return [...signers];
}

/** What every copy of an arrangement answers instead of a request hash: base64url SHA-256 of arrangementBytes(descriptor) (FORMAT.md, "Break-glass"). */
export async function arrangementCopyHash(descriptor: ArrangementDescriptor): Promise<string> {
  return toBase64(await sha256(arrangementBytes(descriptor)));
}

export type BreakGlassStatus =
  | { state: 'waiting'; releasableAt: string }
  | { state: 'vetoed'; vetoedBy: string[] }
  | { state: 'releasable'; releasableAt: string };

/**
 * Status of a break-glass activation (request hash `requestHash`, started at `startedAt`).
 * A valid veto by any registered officer, at any time, stops it for good.
 */
export async function breakGlassStatus(input: {
  requestHash: string;
  startedAt: string;
  waitingPeriodSeconds: number;
  decisions: readonly Decision[];
  officerKeys: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  now?: Date;
}): Promise<BreakGlassStatus> {
  const started = Date.parse(input.startedAt);
  if (Number.isNaN(started) || !Number.isFinite(input.waitingPeriodSeconds) || input.waitingPeriodSeconds < 0) {
    throw new CryptoError('bad_format', 'breakGlassStatus: bad start time or waiting period');
  }
  const vetoes = input.decisions.filter((decision) => decision?.decision === 'veto');
  const checked = await verifyApprovals(input.requestHash, vetoes, input.officerKeys, 1);
  if (!checked.ok && checked.reason === 'vetoed') return { state: 'vetoed', vetoedBy: checked.vetoedBy };
  const releasableAt = new Date(started + input.waitingPeriodSeconds * 1000).toISOString();
  const now = (input.now ?? new Date()).getTime();
  return now >= Date.parse(releasableAt) ? { state: 'releasable', releasableAt } : { state: 'waiting', releasableAt };
}
