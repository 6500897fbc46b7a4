// Signing side of activation (clients; libsodium). Verification: activation.ts.
import { decisionBytes, requestBytes, type ActivationRequest, type Decision, type DecisionKind } from './activation.ts';
import { toBase64 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import { randomBytes } from './random.ts';
import { lib } from './sodium.ts';

/** Same value as activation.ts requestHash, computed synchronously with libsodium. */
export function requestHashSync(request: ActivationRequest): string {
  return toBase64(lib().crypto_hash_sha256(requestBytes(request)));
}

export function newRequestNonce(): string {
  return toBase64(randomBytes(16));
}

/** The requester's signature over the 32 bytes of the request hash. */
export function signRequest(request: ActivationRequest, requesterKeys: MemberKeys): string {
  return toBase64(sign(lib().crypto_hash_sha256(requestBytes(request)), requesterKeys));
}

export function signDecision(requestHash: string, decision: DecisionKind, memberId: string, keys: MemberKeys): Decision {
  return { decision, requestHash, memberId, signature: toBase64(sign(decisionBytes(requestHash, decision, memberId), keys)) };
}
