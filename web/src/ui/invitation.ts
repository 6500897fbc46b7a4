// An invitation travels as one string, "<orgId>~<code>~<orgPublicKey>", so a member pastes a single
// thing. The third part is the organisation's public key as the inviting officer's device holds it:
// the joining device pins that key and never takes the server's word for it (issue 14; a server
// that swaps the key in its database is then refused). Invitations of two parts (made before this)
// still work: the device then trusts the server's key on first use, and says so.
const ORG_ID = '[A-Za-z0-9_-]{8,64}';
const CODE = '[A-Za-z0-9_-]{16,64}';
const PUBLIC_KEY = '[A-Za-z0-9_-]{43}';
const pattern = new RegExp(`^\\s*(${ORG_ID})~(${CODE})(?:~(${PUBLIC_KEY}))?\\s*$`);

export interface Invitation {
  orgId: string;
  code: string;
  /** base64url X25519 key (32 bytes); absent in an old two-part invitation. */
  orgPublicKey?: string;
}

export function formatInvitation(orgId: string, code: string, orgPublicKey: string) {
  return `${orgId}~${code}~${orgPublicKey}`;
}

export function parseInvitation(text: string): Invitation | null {
  const match = pattern.exec(text);
  if (!match) return null;
  return match[3] ? { orgId: match[1]!, code: match[2]!, orgPublicKey: match[3] } : { orgId: match[1]!, code: match[2]! };
}
