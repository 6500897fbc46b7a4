// Binding a new member's keys to the invitation it used (issue 14: a key from the server is a claim).
// The server relays a joining device's public keys to the officers; a server that swapped them would
// receive the org key when an officer grants it, or author records as a field device. So an
// invitation carries, besides the code the server checks, a secret the server never sees: the
// inviting officer's device keeps it, the joining device MACs its own keys with it, and the
// officer's device checks that MAC over the keys the server shows before it seals the org key to
// them or signs them into the statement. When no device holds the secret (another officer made the
// invitation, or it predates this), the officer compares the member fingerprint out of band
// instead. See crypto/FORMAT.md, "Invitation binding".
import { CryptoError } from './errors.ts';
import { concatBytes, fromBase64, lengthPrefixed, toBase64, toHex } from './encoding.ts';
import { randomBytes } from './random.ts';
import { lib } from './sodium.ts';

export const INVITATION_BINDING_LABEL = 'buffer/invitation-binding/v1';
const MEMBER_FINGERPRINT_LABEL = 'buffer/member-fingerprint/v1';
const SECRET_BYTES = 16;

export interface BoundMember {
  orgId: string;
  memberId: string;
  role: 'officer' | 'field';
  /** base64url Ed25519 public key (32 bytes). */
  signPublicKey: string;
  /** base64url X25519 public key (32 bytes). */
  boxPublicKey: string;
}

/** A fresh invitation secret: 16 random bytes, base64url (22 characters). */
export function newInvitationSecret(): string {
  return toBase64(randomBytes(SECRET_BYTES));
}

function key32(text: string, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
  } catch (cause) {
    throw new CryptoError('bad_format', `${what} is not base64url`, { cause });
  }
  if (bytes.length !== 32) throw new CryptoError('bad_format', `${what} must be 32 bytes`);
  return bytes;
}

function memberBytes(member: BoundMember): Uint8Array {
  if (member.role !== 'officer' && member.role !== 'field') throw new CryptoError('bad_format', 'role must be "officer" or "field"');
  return concatBytes(
    lengthPrefixed(INVITATION_BINDING_LABEL),
    lengthPrefixed(member.orgId),
    lengthPrefixed(member.memberId),
    lengthPrefixed(member.role),
    key32(member.signPublicKey, 'signPublicKey'),
    key32(member.boxPublicKey, 'boxPublicKey'),
  );
}

/** binding = BLAKE2b-256(key = secret, message = lp(label) || lp(orgId) || lp(memberId) || lp(role) || signPublicKey || boxPublicKey), base64url. */
export function invitationBinding(secret: string, member: BoundMember): string {
  let key: Uint8Array;
  try {
    key = fromBase64(secret);
  } catch (cause) {
    throw new CryptoError('bad_format', 'invitation secret is not base64url', { cause });
  }
  if (key.length !== SECRET_BYTES) throw new CryptoError('bad_format', `invitation secret must be ${SECRET_BYTES} bytes`);
  return toBase64(lib().crypto_generichash(32, memberBytes(member), key));
}

/** Whether `binding` is the MAC of these keys under `secret` (constant-time compare); false for anything malformed. */
export function checkInvitationBinding(secret: string, member: BoundMember, binding: string | null | undefined): boolean {
  if (typeof binding !== 'string') return false;
  try {
    const expected = fromBase64(invitationBinding(secret, member));
    const given = fromBase64(binding);
    return given.length === expected.length && lib().memcmp(given, expected);
  } catch {
    return false;
  }
}

/**
 * A member's fingerprint, to read aloud when no invitation secret binds its keys: the first 16 bytes
 * of BLAKE2b-256(lp("buffer/member-fingerprint/v1") || signPublicKey || boxPublicKey), as eight
 * groups of four hex digits in capitals. Both keys count: the org key is sealed to the box key.
 */
export function memberFingerprint(signPublicKey: string, boxPublicKey: string): string {
  const digest = lib().crypto_generichash(
    32,
    concatBytes(lengthPrefixed(MEMBER_FINGERPRINT_LABEL), key32(signPublicKey, 'signPublicKey'), key32(boxPublicKey, 'boxPublicKey')),
    null,
  );
  return (toHex(digest.subarray(0, 16)).match(/.{4}/g) ?? []).join(' ').toUpperCase();
}

/** The invitation secret as it travels (base64url, 22 characters); exported for parsers. */
export const INVITATION_SECRET_PATTERN = '[A-Za-z0-9_-]{22}';
