// The org key: an X25519 key pair. Field devices hold only the public half (they seal records to
// it); officers hold the secret half, wrapped to their own X25519 key with a sealed box.
import { CryptoError } from './errors.ts';
import { concatBytes, fromBase64, fromUtf8, lengthPrefixed, readUint32, toBase64, utf8 } from './encoding.ts';
import type { MemberKeys } from './members.ts';
import { lib, wipe } from './sodium.ts';

export interface OrgKeys {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Envelope tags: first byte the kind, second the version (see crypto/FORMAT.md). */
export const WRAPPED_ORG_KEY_V1 = new Uint8Array([0x57, 0x01]); // "W", 1

export function generateOrgKeys(): OrgKeys {
  const pair = lib().crypto_box_keypair();
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/**
 * 8-byte key id: the first 8 bytes of BLAKE2b-256("buffer/org-key-id/v1" || public key). Public; says
 * which key sealed what. (Not BLAKE2b with an 8-byte output: several bindings refuse outputs under
 * crypto_generichash_BYTES_MIN = 16.)
 */
export function orgKeyId(publicKey: Uint8Array): Uint8Array {
  return lib()
    .crypto_generichash(32, concatBytes(utf8('buffer/org-key-id/v1'), publicKey), null)
    .slice(0, 8);
}

/** Checks that `secretKey` is the X25519 secret of `publicKey` (constant-time compare). */
export function keyPairMatches(publicKey: Uint8Array, secretKey: Uint8Array): boolean {
  if (publicKey.length !== 32 || secretKey.length !== 32) return false;
  return lib().memcmp(lib().crypto_scalarmult_base(secretKey), publicKey);
}

/** "W" 1 || crypto_box_seal("W" 1 || lp(orgId) || orgPublicKey || orgSecretKey, memberBoxPublicKey), base64url. */
export function wrapOrgKey(org: OrgKeys, orgId: string, memberBoxPublicKey: Uint8Array): string {
  if (memberBoxPublicKey.length !== 32) throw new CryptoError('bad_format', 'wrapOrgKey: member box key must be 32 bytes');
  const plaintext = concatBytes(WRAPPED_ORG_KEY_V1, lengthPrefixed(orgId), org.publicKey, org.secretKey);
  const sealed = lib().crypto_box_seal(plaintext, memberBoxPublicKey);
  wipe(plaintext);
  return toBase64(concatBytes(WRAPPED_ORG_KEY_V1, sealed));
}

/**
 * Opens a wrapped org key with the member's box key. Pass `expectedPublicKey` (the org public key
 * from the signed org record) whenever you have it: a sealed box proves nothing about who made it.
 */
export function unwrapOrgKey(wrapped: string, orgId: string, member: MemberKeys, expectedPublicKey?: Uint8Array): OrgKeys {
  const sodium = lib();
  const bytes = fromBase64(wrapped);
  if (bytes.length < 2 || bytes[0] !== WRAPPED_ORG_KEY_V1[0]) throw new CryptoError('bad_format', 'not a wrapped org key');
  if (bytes[1] !== WRAPPED_ORG_KEY_V1[1])
    throw new CryptoError('unsupported_version', `wrapped org key version ${bytes[1]} is not supported`);
  if (bytes.length < 2 + sodium.crypto_box_SEALBYTES + 2 + 4 + 64) throw new CryptoError('bad_format', 'wrapped org key: truncated');
  let plaintext: Uint8Array;
  try {
    plaintext = sodium.crypto_box_seal_open(bytes.subarray(2), member.boxPublicKey, member.boxSecretKey);
  } catch (cause) {
    throw new CryptoError('wrong_key', 'this org key was not wrapped to this member (or it was altered)', { cause });
  }
  try {
    if (plaintext[0] !== WRAPPED_ORG_KEY_V1[0] || plaintext[1] !== WRAPPED_ORG_KEY_V1[1])
      throw new CryptoError('tampered', 'wrapped org key: inner tag mismatch');
    const idLength = readUint32(plaintext, 2);
    if (plaintext.length !== 6 + idLength + 64) throw new CryptoError('tampered', 'wrapped org key: inner length mismatch');
    if (fromUtf8(plaintext.subarray(6, 6 + idLength)) !== orgId)
      throw new CryptoError('wrong_key', 'this wrapped key belongs to another org');
    const publicKey = plaintext.slice(6 + idLength, 6 + idLength + 32);
    const secretKey = plaintext.slice(6 + idLength + 32);
    if (!keyPairMatches(publicKey, secretKey)) {
      wipe(secretKey);
      throw new CryptoError('tampered', 'wrapped org key: secret key does not match its public key');
    }
    if (expectedPublicKey && !(expectedPublicKey.length === 32 && sodium.memcmp(expectedPublicKey, publicKey))) {
      wipe(secretKey);
      throw new CryptoError('wrong_key', 'wrapped org key is not the org key on record');
    }
    return { publicKey, secretKey };
  } finally {
    wipe(plaintext);
  }
}
