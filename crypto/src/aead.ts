// XChaCha20-Poly1305-IETF (libsodium crypto_aead_xchacha20poly1305_ietf_*) for the hot path.
//
// libsodium-wrappers copies every argument into a fresh malloc'd WebAssembly buffer, and frees them
// without zeroing, on every call. For 100,000 records that overhead (and the secrets left behind in
// freed heap) dominates. Here the same libsodium functions are called on one reusable workspace in
// the WebAssembly heap: inputs are copied in, the output copied out, and the key and plaintext
// regions are zeroed after every call. The result is byte-identical to the wrapper's (a test checks).
// Padding (sodium_pad format, see padding.ts) is written straight into the workspace.
import { bucketLength, unpad } from './padding.ts';
import { lib } from './sodium.ts';

const KEY = 32;
const NONCE = 24;
const TAG = 16;

interface RawSodium {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
  _crypto_aead_xchacha20poly1305_ietf_encrypt(c: number, clen: number, m: number, mlenLow: number, mlenHigh: number, ad: number, adlenLow: number, adlenHigh: number, nsec: number, npub: number, k: number): number;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(m: number, mlen: number, nsec: number, c: number, clenLow: number, clenHigh: number, ad: number, adlenLow: number, adlenHigh: number, npub: number, k: number): number;
}

interface Workspace {
  raw: RawSodium;
  key: number;
  nonce: number;
  ad: number;
  adCapacity: number;
  input: number;
  output: number;
  capacity: number;
}

let workspace: Workspace | null = null;

function rawSodium(): RawSodium | null {
  const raw = (lib() as unknown as { libsodium?: Partial<RawSodium> }).libsodium;
  if (!raw || typeof raw._malloc !== 'function' || typeof raw._crypto_aead_xchacha20poly1305_ietf_encrypt !== 'function') return null;
  return raw as RawSodium;
}

function allocate(raw: RawSodium, size: number): number {
  const address = raw._malloc(size);
  if (!address) throw new Error('crypto: WebAssembly heap exhausted');
  return address;
}

function release(raw: RawSodium, address: number, size: number): void {
  raw.HEAPU8.fill(0, address, address + size);
  raw._free(address);
}

function space(adLength: number, messageLength: number): Workspace | null {
  if (!workspace) {
    const raw = rawSodium();
    if (!raw) return null;
    workspace = { raw, key: allocate(raw, KEY), nonce: allocate(raw, NONCE), ad: allocate(raw, 256), adCapacity: 256, input: allocate(raw, 4096 + TAG), output: allocate(raw, 4096 + TAG), capacity: 4096 };
  }
  const current = workspace;
  if (adLength > current.adCapacity) {
    release(current.raw, current.ad, current.adCapacity);
    current.adCapacity = Math.max(adLength, current.adCapacity * 2);
    current.ad = allocate(current.raw, current.adCapacity);
  }
  if (messageLength > current.capacity) {
    release(current.raw, current.input, current.capacity + TAG);
    release(current.raw, current.output, current.capacity + TAG);
    current.capacity = Math.max(messageLength, current.capacity * 2);
    current.input = allocate(current.raw, current.capacity + TAG);
    current.output = allocate(current.raw, current.capacity + TAG);
  }
  return current;
}

function load(current: Workspace, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array): Uint8Array {
  if (key.length !== KEY || nonce.length !== NONCE) throw new TypeError('aead: bad key or nonce length');
  const heap = current.raw.HEAPU8;
  heap.set(key, current.key);
  heap.set(nonce, current.nonce);
  heap.set(ad, current.ad);
  return heap;
}

/** Zeroes key and both message regions of the workspace (called after every operation). */
function scrub(current: Workspace, length: number): void {
  const heap = current.raw.HEAPU8;
  heap.fill(0, current.key, current.key + KEY);
  heap.fill(0, current.input, current.input + length + TAG);
  heap.fill(0, current.output, current.output + length + TAG);
}

/**
 * Encrypts pad(prefix || plaintext) (sodium_pad format, Padmé bucket) and writes ciphertext||tag
 * into `out` at `offset`. Returns the number of bytes written (bucketLength(length) + 16). The
 * prefix (a record's author header) is written next to the plaintext in the workspace, never
 * concatenated in a JavaScript copy.
 */
export function encryptPaddedInto(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number, prefix?: Uint8Array): number {
  const before = prefix?.length ?? 0;
  const length = before + plaintext.length;
  const padded = bucketLength(length);
  const current = space(ad.length, padded);
  if (!current) {
    const buffer = new Uint8Array(padded);
    if (prefix) buffer.set(prefix);
    buffer.set(plaintext, before);
    buffer[length] = 0x80;
    const sealed = lib().crypto_aead_xchacha20poly1305_ietf_encrypt(buffer, ad, null, nonce, key);
    lib().memzero(buffer);
    out.set(sealed, offset);
    return sealed.length;
  }
  let heap = load(current, key, nonce, ad);
  if (prefix) heap.set(prefix, current.input);
  heap.set(plaintext, current.input + before);
  heap[current.input + length] = 0x80;
  heap.fill(0, current.input + length + 1, current.input + padded);
  const status = current.raw._crypto_aead_xchacha20poly1305_ietf_encrypt(current.output, 0, current.input, padded, 0, current.ad, ad.length, 0, 0, current.nonce, current.key);
  heap = current.raw.HEAPU8;
  if (status !== 0) {
    scrub(current, padded);
    throw new Error('aead: encryption failed');
  }
  out.set(heap.subarray(current.output, current.output + padded + TAG), offset);
  scrub(current, padded);
  return padded + TAG;
}

/** crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key). */
export function encrypt(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + TAG);
  encryptInto(key, nonce, ad, message, out, 0);
  return out;
}

/** As encrypt, writing ciphertext||tag into `out` at `offset`. */
export function encryptInto(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, message: Uint8Array, out: Uint8Array, offset: number): void {
  const current = space(ad.length, message.length);
  if (!current) {
    out.set(lib().crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key), offset);
    return;
  }
  let heap = load(current, key, nonce, ad);
  heap.set(message, current.input);
  const status = current.raw._crypto_aead_xchacha20poly1305_ietf_encrypt(current.output, 0, current.input, message.length, 0, current.ad, ad.length, 0, 0, current.nonce, current.key);
  heap = current.raw.HEAPU8;
  if (status === 0) out.set(heap.subarray(current.output, current.output + message.length + TAG), offset);
  scrub(current, message.length);
  if (status !== 0) throw new Error('aead: encryption failed');
}

/** Decrypts and verifies; null when authentication fails (wrong key, altered bytes or AD). */
export function decrypt(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  if (ciphertext.length < TAG) return null;
  const length = ciphertext.length - TAG;
  const current = space(ad.length, length);
  if (!current) {
    try {
      return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
    } catch {
      return null;
    }
  }
  let heap = load(current, key, nonce, ad);
  heap.set(ciphertext, current.input);
  const status = current.raw._crypto_aead_xchacha20poly1305_ietf_decrypt(current.output, 0, 0, current.input, ciphertext.length, 0, current.ad, ad.length, 0, current.nonce, current.key);
  heap = current.raw.HEAPU8;
  const out = status === 0 ? heap.slice(current.output, current.output + length) : null;
  scrub(current, length);
  return out;
}

/**
 * Decrypts, verifies and removes sodium_pad padding inside the workspace, copying out only the
 * plaintext. null when authentication fails; CryptoError('tampered') when the padding is not the
 * canonical Padmé bucket (cannot happen without the key).
 */
export function decryptUnpadded(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  if (ciphertext.length < TAG + 1) return null;
  const length = ciphertext.length - TAG;
  const current = space(ad.length, length);
  if (!current) {
    const padded = decrypt(key, nonce, ad, ciphertext);
    return padded && unpad(padded).slice();
  }
  let heap = load(current, key, nonce, ad);
  heap.set(ciphertext, current.input);
  const status = current.raw._crypto_aead_xchacha20poly1305_ietf_decrypt(current.output, 0, 0, current.input, ciphertext.length, 0, current.ad, ad.length, 0, current.nonce, current.key);
  heap = current.raw.HEAPU8;
  if (status !== 0) {
    scrub(current, length);
    return null;
  }
  try {
    return unpad(heap.subarray(current.output, current.output + length)).slice();
  } finally {
    scrub(current, length);
  }
}

/** Frees the workspace after zeroing it (e.g. when the app locks). */
export function releaseWorkspace(): void {
  if (!workspace) return;
  const current = workspace;
  workspace = null;
  release(current.raw, current.key, KEY);
  release(current.raw, current.nonce, NONCE);
  release(current.raw, current.ad, current.adCapacity);
  release(current.raw, current.input, current.capacity + TAG);
  release(current.raw, current.output, current.capacity + TAG);
}
