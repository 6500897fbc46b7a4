// An invitation travels as one string, "<orgId>~<code>~<orgPublicKey>~<version>.<hash>~<role>~<secret>",
// so a member pastes a single thing. The third part is the organisation's public key as the inviting
// officer's device holds it, the fourth the organisation statement head that device verified, the
// fifth the role the officer invited for ("officer" or "field"): the joining device pins all three and
// never takes the server's word for them (issue 14; a server that swaps the key in its database,
// serves another statement chain, or calls a field phone an officer so that it keeps what it sent, is
// then refused). The sixth is a secret the server never sees: the joining device MACs its own keys
// with it, and the inviting officer's device checks that MAC before it seals the org key to those
// keys or signs them into the statement (crypto/src/invitation-binding.ts). Shorter invitations
// (made before each part was added) still work: the device then trusts the server on first use for
// what is missing, and says so for the key; without a secret the officer compares fingerprints.
import { INVITATION_SECRET_PATTERN } from '#crypto';

const ORG_ID = '[A-Za-z0-9_-]{8,64}';
const CODE = '[A-Za-z0-9_-]{16,64}';
const PUBLIC_KEY = '[A-Za-z0-9_-]{43}';
const HEAD = '([1-9][0-9]{0,8})\\.([0-9a-f]{64})';
const ROLE = '(officer|field)';
const SECRET = `(${INVITATION_SECRET_PATTERN})`;
const pattern = new RegExp(`^\\s*(${ORG_ID})~(${CODE})(?:~(${PUBLIC_KEY})(?:~${HEAD}(?:~${ROLE}(?:~${SECRET})?)?)?)?\\s*$`);

export interface Invitation {
  orgId: string;
  code: string;
  /** base64url X25519 key (32 bytes); absent in an old two-part invitation. */
  orgPublicKey?: string;
  /** The statement head the inviting officer's device verified, pinned by the joining device. */
  rosterPin?: { orgId: string; version: number; hash: string };
  /** The role the inviting officer chose; the joining device refuses a server that answers with another. */
  role?: 'officer' | 'field';
  /** The secret the joining device MACs its keys with (never sent to the server as it is). */
  bindingSecret?: string;
}

export function formatInvitation(
  orgId: string,
  code: string,
  orgPublicKey: string,
  head?: { version: number; hash: string } | null,
  role?: 'officer' | 'field',
  bindingSecret?: string,
) {
  return `${orgId}~${code}~${orgPublicKey}${head ? `~${head.version}.${head.hash}${role ? `~${role}${bindingSecret ? `~${bindingSecret}` : ''}` : ''}` : ''}`;
}

export function parseInvitation(text: string): Invitation | null {
  const match = pattern.exec(text);
  if (!match) return null;
  const invitation: Invitation = { orgId: match[1]!, code: match[2]! };
  if (match[3]) invitation.orgPublicKey = match[3];
  if (match[4] && match[5]) invitation.rosterPin = { orgId: invitation.orgId, version: Number(match[4]), hash: match[5] };
  if (match[6]) invitation.role = match[6] as 'officer' | 'field';
  if (match[7]) invitation.bindingSecret = match[7];
  return invitation;
}
