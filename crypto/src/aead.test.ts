import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, decryptUnpadded, encrypt, encryptPaddedInto, releaseWorkspace, sealKeySlotAndBody } from './aead.ts';
import { bucketLength } from './padding.ts';
import { randomBytes } from './random.ts';
import { lib, ready } from './sodium.ts';

/** pad(text) encrypted, as records' bodies are (encryptPaddedInto into a buffer of the right size). */
function encryptPadded(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, text: Uint8Array): Uint8Array {
  const out = new Uint8Array(bucketLength(text.length) + 16);
  encryptPaddedInto(key, nonce, ad, text, out, 0);
  return out;
}

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
      expect(
        same(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ours, ad, nonce, key), message),
        `wrapper decrypt ${length}`,
      ).toBe(true);
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
    const expected = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      sodium.pad(plaintext, bucketLength(1000)),
      new Uint8Array([1, 2]),
      null,
      nonce,
      key,
    );
    expect(out.subarray(10)).toEqual(expected);
    expect(decryptUnpadded(key, nonce, new Uint8Array([1, 2]), expected)).toEqual(plaintext);
    expect(decryptUnpadded(key, nonce, new Uint8Array([1, 3]), expected)).toBeNull();
    // Authentic but not padded (another producer): refused as tampered, not returned raw.
    const unpadded = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array(300), null, null, nonce, key);
    expect(() => decryptUnpadded(key, nonce, new Uint8Array(), unpadded)).toThrow(/padding/);
  });

  it('sealKeySlotAndBody writes the same key slot and body as two wrapper calls, and leaves the workspace clean', () => {
    const sodium = lib();
    const [slotKey, dataKey, slotNonce, bodyNonce] = [randomBytes(32), randomBytes(32), randomBytes(24), randomBytes(24)];
    const prefix = randomBytes(98);
    const plaintext = randomBytes(1000);
    const tail = randomBytes(14);
    const [slotAd, bodyAd] = [randomBytes(30), randomBytes(31)];
    const padded = bucketLength(98 + 1000);
    const envelope = new Uint8Array(100 + padded + 16);
    expect(
      sealKeySlotAndBody(slotKey, slotNonce, [slotAd, tail], dataKey, bodyNonce, [bodyAd, tail], prefix, plaintext, envelope, 5, 100),
    ).toBe(true);
    // Checked before the wrapper runs below (it frees its copies without zeroing them).
    const heap = (lib() as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    expect(Buffer.from(heap).indexOf(Buffer.from(dataKey))).toBe(-1);
    expect(Buffer.from(heap).indexOf(Buffer.from(plaintext.subarray(0, 64)))).toBe(-1);
    const join = (a: Uint8Array, b: Uint8Array) => new Uint8Array([...a, ...b]);
    expect(envelope.subarray(5, 5 + 48)).toEqual(
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(dataKey, join(slotAd, tail), null, slotNonce, slotKey),
    );
    expect(envelope.subarray(100)).toEqual(
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        sodium.pad(join(prefix, plaintext), padded),
        join(bodyAd, tail),
        null,
        bodyNonce,
        dataKey,
      ),
    );
    expect(envelope.subarray(53, 100).every((byte) => byte === 0)).toBe(true);
    expect(() =>
      sealKeySlotAndBody(
        slotKey,
        slotNonce,
        [slotAd, tail],
        dataKey,
        bodyNonce,
        [bodyAd, tail],
        prefix,
        plaintext,
        envelope.subarray(0, 200),
        5,
        100,
      ),
    ).toThrow(RangeError);
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

  it('gives each opened plaintext its own bytes, and zeroes them all when the workspace is released (the app locks)', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(24);
    const ad = new Uint8Array(4);
    const plain = [new TextEncoder().encode('first record, a name'), new TextEncoder().encode('second record, a phone')];
    const opened = plain.map((text) => decryptUnpadded(key, nonce, ad, encryptPadded(key, nonce, ad, text))!);
    expect(opened.map((bytes) => new TextDecoder().decode(bytes))).toEqual(['first record, a name', 'second record, a phone']);
    opened[0]!.fill(0); // wiping one view leaves the other intact
    expect(new TextDecoder().decode(opened[1])).toBe('second record, a phone');
    releaseWorkspace();
    expect(opened[1]!.every((byte) => byte === 0)).toBe(true);
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
