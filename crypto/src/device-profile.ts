// The device profile (`P`, version 1): what a device knows of its member and organisation (ids,
// names, role, the pinned org key), kept in its own storage encrypted and authenticated under a key
// only the member's unlocked keys give, so that a copy of the storage taken without the passphrase
// says neither who the worker is nor which organisation they work for, and nobody without the
// passphrase can write one the device would take (issue 15, a seized phone). See crypto/FORMAT.md,
// "Device profile".
import { CryptoError } from './errors.ts';
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from './encoding.ts';
import type { MemberKeys } from './members.ts';
import { pad, unpad } from './padding.ts';
import { randomBytes } from './random.ts';
import { lib, wipe } from './sodium.ts';

export const DEVICE_PROFILE_V1 = new Uint8Array([0x50, 0x01]); // "P", 1
const LABEL = utf8('buffer/device-profile/v1');
const NONCE = 24;
const TAG = 16;

/** key = BLAKE2b-256(message "buffer/device-profile/v1", key = the member's X25519 secret key). */
function profileKey(member: Pick<MemberKeys, 'boxSecretKey'>): Uint8Array {
  if (member.boxSecretKey.length !== 32) throw new CryptoError('bad_format', 'device profile: member box secret key must be 32 bytes');
  // Keys zeroed by a lock while work was still under way: a profile under the all-zero key would be
  // readable by anyone and would no longer open with the real key.
  if (lib().is_zero(member.boxSecretKey))
    throw new CryptoError('bad_format', 'device profile: the member keys were wiped (the device locked)');
  return lib().crypto_generichash(32, LABEL, member.boxSecretKey);
}

/** "P" 1 || nonce || XChaCha20-Poly1305(key, nonce, ad = "P" 1, pad(UTF-8(JSON of profile))), base64url. */
export function sealDeviceProfile(profile: object, member: Pick<MemberKeys, 'boxSecretKey'>): string {
  const key = profileKey(member);
  const text = utf8(JSON.stringify(profile));
  const padded = pad(text);
  try {
    const nonce = randomBytes(NONCE);
    return toBase64(
      concatBytes(DEVICE_PROFILE_V1, nonce, lib().crypto_aead_xchacha20poly1305_ietf_encrypt(padded, DEVICE_PROFILE_V1, null, nonce, key)),
    );
  } finally {
    wipe(key, text, padded);
  }
}

/**
 * Opens a device profile with the member's keys. Throws CryptoError: `bad_format` (not base64url,
 * not `P`, too short, not a JSON object), `unsupported_version` (`P` with another version byte),
 * `tampered` (altered, or written under another member's keys; or bad padding).
 */
export function openDeviceProfile(sealed: string, member: Pick<MemberKeys, 'boxSecretKey'>): Record<string, unknown> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(sealed);
  } catch (cause) {
    throw new CryptoError('bad_format', 'device profile is not base64url', { cause });
  }
  if (bytes.length < 2 || bytes[0] !== DEVICE_PROFILE_V1[0]) throw new CryptoError('bad_format', 'not a device profile');
  if (bytes[1] !== DEVICE_PROFILE_V1[1])
    throw new CryptoError('unsupported_version', `device profile version ${bytes[1]} is not supported`);
  if (bytes.length < 2 + NONCE + 256 + TAG) throw new CryptoError('bad_format', 'device profile truncated');
  const key = profileKey(member);
  let padded: Uint8Array;
  try {
    padded = lib().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      bytes.subarray(2 + NONCE),
      DEVICE_PROFILE_V1,
      bytes.subarray(2, 2 + NONCE),
      key,
    );
  } catch (cause) {
    throw new CryptoError('tampered', 'device profile does not open with these member keys (altered, or another member’s)', { cause });
  } finally {
    wipe(key);
  }
  try {
    let value: unknown;
    try {
      value = JSON.parse(fromUtf8(unpad(padded)));
    } catch (cause) {
      if (cause instanceof CryptoError && cause.code === 'tampered') throw cause;
      throw new CryptoError('bad_format', 'device profile is not JSON', { cause });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new CryptoError('bad_format', 'device profile is not a JSON object');
    return value as Record<string, unknown>;
  } finally {
    wipe(padded);
  }
}
