import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MEM_LIMIT,
  DEFAULT_OPS_LIMIT,
  generateMemberKeys,
  lockMemberKeys,
  sign,
  unlockMemberKeys,
  verify,
  type LockedMemberKeys,
} from './members.ts';
import { lib, ready } from './sodium.ts';
import { bytesOf, expectCryptoError, FAST_KDF } from './test-helpers.ts';

beforeAll(ready);

describe('member keys', () => {
  it('lock/unlock round-trips through JSON and gives back the same keys', () => {
    const keys = generateMemberKeys();
    const locked = JSON.parse(JSON.stringify(lockMemberKeys(keys, 'correct horse battery staple', FAST_KDF))) as LockedMemberKeys;
    expect(locked.format).toBe('buffer/locked-member-keys/v1');
    expect(locked.kdf).toMatchObject({ algorithm: 'argon2id13', ...FAST_KDF });
    const unlocked = unlockMemberKeys(locked, 'correct horse battery staple');
    expect(unlocked).toEqual(keys);
  });

  it('treats the passphrase in NFC, so a re-typed accent still unlocks', () => {
    const keys = generateMemberKeys();
    const locked = lockMemberKeys(keys, 'caf\u00e9', FAST_KDF);
    expect(unlockMemberKeys(locked, 'cafe\u0301').boxSecretKey).toEqual(keys.boxSecretKey);
  });

  it('refuses a wrong passphrase with bad_passphrase', () => {
    const locked = lockMemberKeys(generateMemberKeys(), 'right', FAST_KDF);
    expectCryptoError(() => unlockMemberKeys(locked, 'wrong'), 'bad_passphrase');
    expectCryptoError(() => unlockMemberKeys(locked, ''), 'bad_passphrase');
  });

  it('detects a change to any stored field (all are bound as associated data)', () => {
    const keys = generateMemberKeys();
    const other = generateMemberKeys();
    const locked = lockMemberKeys(keys, 'pw', FAST_KDF);
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[0]! ^= 1;
      return bytes.toString('base64url');
    };
    const variants: LockedMemberKeys[] = [
      { ...locked, signPublicKey: Buffer.from(other.signPublicKey).toString('base64url') },
      { ...locked, boxPublicKey: Buffer.from(other.boxPublicKey).toString('base64url') },
      { ...locked, nonce: flip(locked.nonce) },
      { ...locked, ciphertext: flip(locked.ciphertext) },
      { ...locked, kdf: { ...locked.kdf, salt: flip(locked.kdf.salt) } },
      { ...locked, kdf: { ...locked.kdf, opsLimit: 2 } },
    ];
    for (const variant of variants) expectCryptoError(() => unlockMemberKeys(variant, 'pw'), 'bad_passphrase');
  });

  it('rejects unknown formats, newer versions and absurd KDF parameters before deriving', () => {
    const locked = lockMemberKeys(generateMemberKeys(), 'pw', FAST_KDF);
    expectCryptoError(() => unlockMemberKeys({ ...locked, format: 'something/else' as never }, 'pw'), 'bad_format');
    expectCryptoError(() => unlockMemberKeys({ ...locked, format: 'buffer/locked-member-keys/v2' as never }, 'pw'), 'unsupported_version');
    expectCryptoError(() => unlockMemberKeys({ ...locked, kdf: { ...locked.kdf, memLimit: 2 ** 40 } }, 'pw'), 'bad_format');
    expectCryptoError(() => unlockMemberKeys({ ...locked, ciphertext: locked.ciphertext.slice(4) }, 'pw'), 'bad_format');
  });

  it('refuses (tampered) a secret key whose seed does not give its public half, even when that half matches signPublicKey', () => {
    const keys = generateMemberKeys();
    const other = generateMemberKeys();
    // Another member's seed with this member's public key: the stored halves agree, the seed does not.
    const spliced = new Uint8Array(64);
    spliced.set(other.signSecretKey.subarray(0, 32), 0);
    spliced.set(keys.signPublicKey, 32);
    const locked = lockMemberKeys({ ...keys, signSecretKey: spliced }, 'pw', FAST_KDF);
    expectCryptoError(() => unlockMemberKeys(locked, 'pw'), 'tampered');
    // The seed is right but the stored public half is another key (and signPublicKey names the right one).
    const halfSwapped = keys.signSecretKey.slice();
    halfSwapped.set(other.signPublicKey, 32);
    expectCryptoError(() => unlockMemberKeys(lockMemberKeys({ ...keys, signSecretKey: halfSwapped }, 'pw', FAST_KDF), 'pw'), 'tampered');
    expect(unlockMemberKeys(lockMemberKeys(keys, 'pw', FAST_KDF), 'pw')).toEqual(keys);
  });

  it('uses strong Argon2id defaults for real use', () => {
    const sodium = lib();
    expect(DEFAULT_OPS_LIMIT).toBeGreaterThanOrEqual(sodium.crypto_pwhash_OPSLIMIT_MODERATE);
    expect(DEFAULT_MEM_LIMIT).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });
});

describe('sign / verify', () => {
  it('verifies its own signature and rejects another message or another key', () => {
    const alice = generateMemberKeys();
    const bob = generateMemberKeys();
    const signature = sign(bytesOf('hello'), alice);
    expect(signature).toHaveLength(64);
    expect(verify(signature, bytesOf('hello'), alice.signPublicKey)).toBe(true);
    expect(verify(signature, bytesOf('hellp'), alice.signPublicKey)).toBe(false);
    expect(verify(signature, bytesOf('hello'), bob.signPublicKey)).toBe(false);
    expect(verify(signature.subarray(1), bytesOf('hello'), alice.signPublicKey)).toBe(false);
  });
});
