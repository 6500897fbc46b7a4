// The exact bytes members sign to talk to the API. Client and Worker both build them here, so the
// two can never disagree. No libsodium in this module: the Worker imports it.
import { canonicalize } from './canonical.ts';

export const PURPOSE = {
  auth: 'buffer/auth/v1',
  createOrg: 'buffer/create-org/v1',
  acceptInvitation: 'buffer/accept-invitation/v1',
} as const;

/** Signed by a member to exchange a one-time server nonce for a short-lived token. */
export function authMessage(memberId: string, nonce: string): Uint8Array {
  return canonicalize({ purpose: PURPOSE.auth, memberId, nonce });
}

/** Signed by an org's founding member: proves they hold the signing key they register. */
export function createOrgMessage(request: unknown): Uint8Array {
  return canonicalize({ purpose: PURPOSE.createOrg, request });
}

/** Signed by a new member accepting an invitation: binds the code to the keys they register. */
export function acceptInvitationMessage(request: unknown): Uint8Array {
  return canonicalize({ purpose: PURPOSE.acceptInvitation, request });
}
