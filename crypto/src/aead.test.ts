import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, decryptUnpadded, encrypt, encryptPaddedInto, releaseWorkspace } from './aead.ts';
import { bucketLength } from './padding.ts';
import { randomBytes } from './random.ts';
import { lib, ready } from './sodium.ts';

beforeAll(ready);

describe('aead workspace (libsodium XChaCha20-Poly1305 without the wrapper copies)', () => {
  it('is byte-identical to libsodium-wrappers for many sizes, growing the workspace as needed', () => {
    const sodium = lib();
    for (const length of [0, 1, 32, 1000, 4096, 4097, 70000, 300000]) {
      const key = randomBytes(32);
      const nonce = randomBytes(24);
      const ad = randomBytes(length % 700);
      const message = randomBytes(length);
      const ours = encrypt(key, nonce, ad, message);
      const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));
      expect(same(ours, sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key)), `encrypt ${length}`).toBe(true);
      expect(same(decrypt(key, nonce, ad, ours), message), `decrypt ${length}`).toBe(true);
      expect(same(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ours, ad, nonce, key), message), `wrapper decrypt ${length}`).toBe(true);
    }
  });

  it('encryptPaddedInto equals the wrapper over sodium.pad output', () => {
    const sodium = lib();
    const key = randomBytes(32);
    const nonce = randomBytes(24);
    const plaintext = randomBytes(1000);
    const out = new Uint8Array(10 + bucketLength(1000) + 16);
    const written = encryptPaddedInto(key, nonce, new Uint8Array([1, 2]), plaintext, out, 10);
    expect(written).toBe(bucketLength(1000) + 16);
    const expected = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sodium.pad(plaintext, bucketLength(1000)), new Uint8Array([1, 2]), null, nonce, key);
    expect(out.subarray(10)).toEqual(expected);
    expect(decryptUnpadded(key, nonce, new Uint8Array([1, 2]), expected)).toEqual(plaintext);
    expect(decryptUnpadded(key, nonce, new Uint8Array([1, 3]), expected)).toBeNull();
    // Authentic but not padded (another producer): refused as tampered, not returned raw.
    const unpadded = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array(300), null, null, nonce, key);
    expect(() => decryptUnpadded(key, nonce, new Uint8Array(), unpadded)).toThrow(/padding/);
  });

  it('returns null on any wrong key, nonce, AD or ciphertext byte, and works again after release', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(24);
    const ad = randomBytes(20);
    const sealed = encrypt(key, nonce, ad, randomBytes(64));
    const flip = (bytes: Uint8Array, index: number) => {
      const copy = bytes.slice();
      copy[index]! ^= 1;
      return copy;
    };
    expect(decrypt(flip(key, 0), nonce, ad, sealed)).toBeNull();
    expect(decrypt(key, flip(nonce, 23), ad, sealed)).toBeNull();
    expect(decrypt(key, nonce, flip(ad, 5), sealed)).toBeNull();
    for (let index = 0; index < sealed.length; index += 9) expect(decrypt(key, nonce, ad, flip(sealed, index))).toBeNull();
    expect(decrypt(key, nonce, ad, sealed.subarray(0, 15))).toBeNull();
    releaseWorkspace();
    expect(decrypt(key, nonce, ad, sealed)).toHaveLength(64);
  });

  it('leaves no key or plaintext in the WebAssembly heap after a call', () => {
    const raw = (lib() as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium;
    const marker = new TextEncoder().encode('MARKER-secret-name-0123456789-XYZ');
    const key = randomBytes(32);
    const sealed = encrypt(key, randomBytes(24), new Uint8Array(), marker);
    decrypt(key, sealed.subarray(0, 24), new Uint8Array(), sealed); // fails (wrong nonce), still scrubs
    const heap = Buffer.from(raw.HEAPU8.buffer);
    expect(heap.includes(Buffer.from(marker))).toBe(false);
    expect(heap.includes(Buffer.from(key))).toBe(false);
  });
});
