// Break-glass, the server's side: may the server hand over its escrowed share now? Only after the
// waiting period has run out with no valid officer veto. WebCrypto only (runs in the Worker).
// Design and reasoning: docs/decisions/0101-break-glass.md.
import { canonicalize } from './canonical.ts';
import { verifyApprovals, type Decision } from './activation.ts';
import { CryptoError } from './errors.ts';
import { fromBase64 } from './encoding.ts';
import { verifyEd25519 } from './webcrypto.ts';

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

export async function verifyArrangement(descriptor: ArrangementDescriptor, signature: string, officerKeys: readonly string[]): Promise<boolean> {
  if (descriptor?.format !== ARRANGEMENT_FORMAT || !officerKeys.includes(descriptor.createdBy?.signPublicKey)) return false;
  if (!waitingPeriodAllowed(descriptor.waitingPeriodSeconds)) return false;
  try {
    return await verifyEd25519(fromBase64(descriptor.createdBy.signPublicKey), fromBase64(signature), arrangementBytes(descriptor));
  } catch {
    return false;
  }
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
