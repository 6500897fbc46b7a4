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

/**
 * What a requester may ask for: release groups, each letting whole record properties through (the
 * table is in FORMAT.md; the code derives it from the field catalogue, model/src/fields.ts,
 * releasedProperties). Always released: `id`, `kind` and `communityId` (to group people).
 */
export const releaseFieldNames = [
  'headcount',
  'location',
  'nationality',
  'names',
  'contact',
  'needs',
  'documents',
  'status',
  'demographics',
  'site',
] as const;
export type ReleaseField = (typeof releaseFieldNames)[number];
export const isReleaseField = (value: string): value is ReleaseField => (releaseFieldNames as readonly string[]).includes(value);

export const RELAY_REQUEST_PURPOSE = 'buffer/relay-request/v1';

/**
 * A consulate's or city's ask that a CSO relay a message to the people it concerns. The requester
 * signs the SHA-256 of relayRequestBytes; officers approve or decline with decisionBytes over that
 * hash, as for an activation (the purpose tag keeps the two kinds of hash apart).
 */
export interface RelayRequest {
  orgId: string;
  requester: { id: string; signPublicKey: string };
  area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  nationalities: string[];
  /** The same message in each language it goes out in. */
  messages: { language: string; text: string }[];
  purpose: string;
  createdAt: string;
  expiresAt: string;
  nonce: string;
}

export function relayRequestBytes(request: RelayRequest): Uint8Array {
  return canonicalize({ purpose: RELAY_REQUEST_PURPOSE, request });
}
