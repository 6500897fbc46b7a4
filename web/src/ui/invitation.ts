// An invitation travels as one string, "<orgId>~<code>~<orgPublicKey>~<version>.<hash>", so a member
// pastes a single thing. The third part is the organisation's public key as the inviting officer's
// device holds it, the fourth the organisation statement head that device verified: the joining
// device pins both and never takes the server's word for them (issue 14; a server that swaps the
// key in its database, or serves another statement chain, is then refused). Invitations of two
// parts (made before this) still work: the device then trusts the server on first use, and says so.
const ORG_ID = '[A-Za-z0-9_-]{8,64}';
const CODE = '[A-Za-z0-9_-]{16,64}';
const PUBLIC_KEY = '[A-Za-z0-9_-]{43}';
const HEAD = '([1-9][0-9]{0,8})\\.([0-9a-f]{64})';
const pattern = new RegExp(`^\\s*(${ORG_ID})~(${CODE})(?:~(${PUBLIC_KEY})(?:~${HEAD})?)?\\s*$`);

export interface Invitation {
  orgId: string;
  code: string;
  /** base64url X25519 key (32 bytes); absent in an old two-part invitation. */
  orgPublicKey?: string;
  /** The statement head the inviting officer's device verified, pinned by the joining device. */
  rosterPin?: { orgId: string; version: number; hash: string };
}

export function formatInvitation(orgId: string, code: string, orgPublicKey: string, head?: { version: number; hash: string } | null) {
  return `${orgId}~${code}~${orgPublicKey}${head ? `~${head.version}.${head.hash}` : ''}`;
}

export function parseInvitation(text: string): Invitation | null {
  const match = pattern.exec(text);
  if (!match) return null;
  const invitation: Invitation = { orgId: match[1]!, code: match[2]! };
  if (match[3]) invitation.orgPublicKey = match[3];
  if (match[4] && match[5]) invitation.rosterPin = { orgId: invitation.orgId, version: Number(match[4]), hash: match[5] };
  return invitation;
}
