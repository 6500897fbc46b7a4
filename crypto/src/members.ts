// A member's own keys: Ed25519 to sign, X25519 to receive wrapped keys. At rest they are locked
// under a key derived from the member's passphrase with Argon2id (libsodium crypto_pwhash).
import { CryptoError } from './errors.ts';
import { canonicalize } from './canonical.ts';
import { fromBase64, toBase64 } from './encoding.ts';
import { randomBytes } from './random.ts';
import { lib, wipe } from './sodium.ts';

export interface MemberKeys {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

export const LOCKED_MEMBER_KEYS_FORMAT = 'buffer/locked-member-keys/v1';

/** JSON-safe; every field but `ciphertext` is associated data, so none can be changed unseen. */
export interface LockedMemberKeys {
  format: typeof LOCKED_MEMBER_KEYS_FORMAT;
  kdf: { algorithm: 'argon2id13'; opsLimit: number; memLimit: number; salt: string };
  signPublicKey: string;
  boxPublicKey: string;
  nonce: string;
  ciphertext: string;
}

/**
 * Defaults: Argon2id (libsodium crypto_pwhash, version 0x13, one lane), 3 passes, 64 MiB: libsodium's
 * OPSLIMIT_MODERATE with a quarter of MEMLIMIT_MODERATE. Not RFC 9106's second recommended option
 * (3 passes, 64 MiB but 4 lanes, which gives another key). 256 MiB fails on the cheap phones field
 * workers carry; see docs/decisions/0100-crypto-core.md.
 */
export const DEFAULT_OPS_LIMIT = 3;
export const DEFAULT_MEM_LIMIT = 64 * 1024 * 1024;
/** Refuse stored parameters beyond these (a tampered file must not make unlock hang or crash). */
const MAX_OPS_LIMIT = 20;
const MAX_MEM_LIMIT = 1024 * 1024 * 1024;

export function generateMemberKeys(): MemberKeys {
  const sodium = lib();
  const sign = sodium.crypto_sign_keypair();
  const box = sodium.crypto_box_keypair();
  return { signPublicKey: sign.publicKey, signSecretKey: sign.privateKey, boxPublicKey: box.publicKey, boxSecretKey: box.privateKey };
}

function header(locked: Omit<LockedMemberKeys, 'ciphertext'>): Uint8Array {
  return canonicalize({
    format: locked.format,
    kdf: locked.kdf,
    signPublicKey: locked.signPublicKey,
    boxPublicKey: locked.boxPublicKey,
    nonce: locked.nonce,
  });
}

function deriveKey(passphrase: string, salt: Uint8Array, opsLimit: number, memLimit: number): Uint8Array {
  const sodium = lib();
  return sodium.crypto_pwhash(32, passphrase.normalize('NFC'), salt, opsLimit, memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

export function lockMemberKeys(
  keys: MemberKeys,
  passphrase: string,
  options: { opsLimit?: number; memLimit?: number } = {},
): LockedMemberKeys {
  const sodium = lib();
  const opsLimit = options.opsLimit ?? DEFAULT_OPS_LIMIT;
  const memLimit = options.memLimit ?? DEFAULT_MEM_LIMIT;
  if (opsLimit < sodium.crypto_pwhash_OPSLIMIT_MIN || opsLimit > MAX_OPS_LIMIT)
    throw new RangeError('lockMemberKeys: opsLimit out of range');
  if (memLimit < sodium.crypto_pwhash_MEMLIMIT_MIN || memLimit > MAX_MEM_LIMIT)
    throw new RangeError('lockMemberKeys: memLimit out of range');
  const salt = randomBytes(sodium.crypto_pwhash_SALTBYTES);
  const nonce = randomBytes(24);
  const unsigned = {
    format: LOCKED_MEMBER_KEYS_FORMAT as typeof LOCKED_MEMBER_KEYS_FORMAT,
    kdf: { algorithm: 'argon2id13' as const, opsLimit, memLimit, salt: toBase64(salt) },
    signPublicKey: toBase64(keys.signPublicKey),
    boxPublicKey: toBase64(keys.boxPublicKey),
    nonce: toBase64(nonce),
  };
  const key = deriveKey(passphrase, salt, opsLimit, memLimit);
  const secrets = new Uint8Array(96);
  secrets.set(keys.signSecretKey, 0);
  secrets.set(keys.boxSecretKey, 64);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secrets, header(unsigned), null, nonce, key);
  wipe(key, secrets);
  return { ...unsigned, ciphertext: toBase64(ciphertext) };
}

function parseLocked(locked: LockedMemberKeys) {
  if (!locked || typeof locked !== 'object') throw new CryptoError('bad_format', 'locked keys: not an object');
  if (typeof locked.format !== 'string' || !locked.format.startsWith('buffer/locked-member-keys/')) {
    throw new CryptoError('bad_format', 'locked keys: unknown format');
  }
  if (locked.format !== LOCKED_MEMBER_KEYS_FORMAT)
    throw new CryptoError('unsupported_version', `locked keys: ${locked.format} is not supported`);
  const kdf = locked.kdf;
  if (kdf?.algorithm !== 'argon2id13' || !Number.isInteger(kdf.opsLimit) || !Number.isInteger(kdf.memLimit)) {
    throw new CryptoError('bad_format', 'locked keys: bad KDF parameters');
  }
  const sodium = lib();
  if (
    kdf.opsLimit < sodium.crypto_pwhash_OPSLIMIT_MIN ||
    kdf.opsLimit > MAX_OPS_LIMIT ||
    kdf.memLimit < sodium.crypto_pwhash_MEMLIMIT_MIN ||
    kdf.memLimit > MAX_MEM_LIMIT
  ) {
    throw new CryptoError('bad_format', 'locked keys: KDF parameters out of range');
  }
  const salt = fromBase64(kdf.salt);
  const nonce = fromBase64(locked.nonce);
  const ciphertext = fromBase64(locked.ciphertext);
  const signPublicKey = fromBase64(locked.signPublicKey);
  const boxPublicKey = fromBase64(locked.boxPublicKey);
  if (
    salt.length !== sodium.crypto_pwhash_SALTBYTES ||
    nonce.length !== 24 ||
    ciphertext.length !== 96 + 16 ||
    signPublicKey.length !== 32 ||
    boxPublicKey.length !== 32
  ) {
    throw new CryptoError('bad_format', 'locked keys: field of the wrong length');
  }
  return { salt, nonce, ciphertext, signPublicKey, boxPublicKey, kdf };
}

/** Throws CryptoError('bad_passphrase') when the passphrase is wrong or the locked keys were altered. */
export function unlockMemberKeys(locked: LockedMemberKeys, passphrase: string): MemberKeys {
  const sodium = lib();
  const parsed = parseLocked(locked);
  const key = deriveKey(passphrase, parsed.salt, parsed.kdf.opsLimit, parsed.kdf.memLimit);
  let secrets: Uint8Array;
  try {
    secrets = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, parsed.ciphertext, header(locked), parsed.nonce, key);
  } catch (cause) {
    throw new CryptoError('bad_passphrase', 'wrong passphrase (or the stored keys were altered)', { cause });
  } finally {
    wipe(key);
  }
  const keys: MemberKeys = {
    signPublicKey: parsed.signPublicKey,
    signSecretKey: secrets.slice(0, 64),
    boxPublicKey: parsed.boxPublicKey,
    boxSecretKey: secrets.slice(64, 96),
  };
  wipe(secrets);
  // The Ed25519 secret key is seed || pk: re-derive the key pair from the seed (the stored pk half
  // alone proves nothing: crypto_sign_ed25519_sk_to_pk only copies it) and compare, in constant
  // time, the derived public key and the whole derived secret key (so also the stored half).
  const derivedSign = sodium.crypto_sign_seed_keypair(keys.signSecretKey.subarray(0, 32));
  const derivedBox = sodium.crypto_scalarmult_base(keys.boxSecretKey);
  const checks = [
    sodium.memcmp(derivedSign.publicKey, keys.signPublicKey),
    sodium.memcmp(derivedSign.privateKey, keys.signSecretKey),
    sodium.memcmp(derivedBox, keys.boxPublicKey),
  ];
  const matches = checks.every(Boolean);
  wipe(derivedSign.privateKey);
  if (!matches) {
    wipe(keys.signSecretKey, keys.boxSecretKey);
    throw new CryptoError('tampered', 'locked keys: secret and public keys do not match');
  }
  return keys;
}

/** Wipes the secret halves of a member's keys (e.g. when the app locks). */
export function wipeMemberKeys(keys: MemberKeys): void {
  wipe(keys.signSecretKey, keys.boxSecretKey);
}

/** Ed25519 detached signature (64 bytes). */
export function sign(message: Uint8Array, keys: MemberKeys): Uint8Array {
  return lib().crypto_sign_detached(message, keys.signSecretKey);
}

/** Ed25519 check with libsodium (strict: rejects small-order keys and non-canonical signatures). */
export function verify(signature: Uint8Array, message: Uint8Array, signPublicKey: Uint8Array): boolean {
  if (signature.length !== 64 || signPublicKey.length !== 32) return false;
  try {
    return lib().crypto_sign_verify_detached(signature, message, signPublicKey);
  } catch {
    return false;
  }
}
