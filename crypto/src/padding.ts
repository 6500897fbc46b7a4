// Length hiding. Plaintexts are padded to a bucket before encryption, in the byte format of
// libsodium's sodium_pad (ISO/IEC 7816-4: one 0x80 byte, then zeros), with block size = bucket.
// The padding is written here rather than through sodium.pad because the wrapper's copy in and out
// of WebAssembly cost 8 µs a record (more than the AEAD itself); a test checks our bytes equal
// sodium.pad's and that sodium.unpad accepts them.
// Buckets follow Padmé (Nikitin et al., PETS 2019): at most ~12% overhead, and a length leaks only
// O(log log n) bits. Minimum bucket 256 bytes, so short records all look alike.
import { CryptoError } from './errors.ts';

export const MIN_BUCKET = 256;

/** The padded length for `length` bytes of plaintext (always > length: there is a marker byte). */
export function bucketLength(length: number): number {
  const needed = length + 1;
  if (needed <= MIN_BUCKET) return MIN_BUCKET;
  const exponent = Math.floor(Math.log2(needed));
  const lowBits = exponent - (Math.floor(Math.log2(exponent)) + 1);
  const step = 2 ** lowBits;
  return Math.ceil(needed / step) * step;
}

/** Plaintext, 0x80, zeros: a new array of bucketLength(plaintext.length) bytes. */
export function pad(plaintext: Uint8Array): Uint8Array {
  const out = new Uint8Array(bucketLength(plaintext.length));
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

/** Inverse of pad; also checks the padded length is the bucket of the unpadded one. */
export function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80 || bucketLength(end) !== padded.length) {
    throw new CryptoError('tampered', 'bad padding');
  }
  return padded.subarray(0, end);
}
