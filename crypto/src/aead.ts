// XChaCha20-Poly1305-IETF (libsodium crypto_aead_xchacha20poly1305_ietf_*) for the hot path.
//
// libsodium-wrappers copies every argument into a fresh malloc'd WebAssembly buffer, and frees them
// without zeroing, on every call. For 100,000 records that overhead (and the secrets left behind in
// freed heap) dominates. Here the same libsodium functions are called on one reusable workspace in
// the WebAssembly heap: inputs are copied in, the output copied out, and the key and plaintext
// regions are zeroed after every call. The result is byte-identical to the wrapper's (a test checks).
// Padding (sodium_pad format, see padding.ts) is written straight into the workspace.
import { bucketLength, unpad } from './padding.ts';
import { createSlab } from './slab.ts';
import { lib } from './sodium.ts';

const KEY = 32;
const NONCE = 24;
const TAG = 16;

interface RawSodium {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
  _crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: number,
    clen: number,
    m: number,
    mlenLow: number,
    mlenHigh: number,
    ad: number,
    adlenLow: number,
    adlenHigh: number,
    nsec: number,
    npub: number,
    k: number,
  ): number;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: number,
    mlen: number,
    nsec: number,
    c: number,
    clenLow: number,
    clenHigh: number,
    ad: number,
    adlenLow: number,
    adlenHigh: number,
    npub: number,
    k: number,
  ): number;
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

// Opened plaintexts are copied out into views of a shared 32 KiB slab (slab.ts): records just over
// 1 KiB opened 18% slower than records just under when each had its own ArrayBuffer (bench:
// crypto). Callers wipe what they opened as before; opened plaintext is never stored or posted.
const plaintexts = createSlab(32 * 1024, 8 * 1024);

/** A copy of `bytes` in a view of the plaintext slab (larger copies get their own buffer). */
function copyOut(bytes: Uint8Array): Uint8Array {
  const out = plaintexts.take(bytes.length);
  out.set(bytes);
  return out;
}

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
    workspace = {
      raw,
      key: allocate(raw, KEY),
      nonce: allocate(raw, NONCE),
      ad: allocate(raw, 256),
      adCapacity: 256,
      input: allocate(raw, 4096 + TAG),
      output: allocate(raw, 4096 + TAG),
      capacity: 4096,
    };
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

/** Encrypts the workspace's input (`length` bytes) into its output, with its key, nonce and `adLength` bytes of AD; 0 on success. */
const sealInWorkspace = (current: Workspace, length: number, adLength: number): number =>
  current.raw._crypto_aead_xchacha20poly1305_ietf_encrypt(
    current.output,
    0,
    current.input,
    length,
    0,
    current.ad,
    adLength,
    0,
    0,
    current.nonce,
    current.key,
  );

/** Decrypts and verifies the workspace's input (`length` bytes with the tag) into its output; 0 on success. */
const openInWorkspace = (current: Workspace, length: number, adLength: number): number =>
  current.raw._crypto_aead_xchacha20poly1305_ietf_decrypt(
    current.output,
    0,
    0,
    current.input,
    length,
    0,
    current.ad,
    adLength,
    0,
    current.nonce,
    current.key,
  );

/** After a decryption: zeroes the key and the plaintext (the input region held only ciphertext). */
function scrubPlaintext(current: Workspace, length: number): void {
  const heap = current.raw.HEAPU8;
  heap.fill(0, current.key, current.key + KEY);
  heap.fill(0, current.output, current.output + length);
}

/** Writes the key (when given), the nonce, a two-part associated data and `input` into the workspace. */
function loadParts(
  current: Workspace,
  key: Uint8Array | null,
  nonce: Uint8Array,
  ad: readonly [Uint8Array, Uint8Array],
  input: Uint8Array,
  inputOffset = 0,
): Uint8Array {
  const heap = current.raw.HEAPU8;
  if (key) heap.set(key, current.key);
  heap.set(nonce, current.nonce);
  heap.set(ad[0], current.ad);
  heap.set(ad[1], current.ad + ad[0].length);
  heap.set(input, current.input + inputOffset);
  return heap;
}

/**
 * Encrypts pad(prefix || plaintext) (sodium_pad format, Padmé bucket) and writes ciphertext||tag
 * into `out` at `offset`. Returns the number of bytes written (bucketLength(length) + 16). The
 * prefix (a record's author header) is written next to the plaintext in the workspace, never
 * concatenated in a JavaScript copy.
 */
export function encryptPaddedInto(
  key: Uint8Array,
  nonce: Uint8Array,
  ad: Uint8Array,
  plaintext: Uint8Array,
  out: Uint8Array,
  offset: number,
  prefix?: Uint8Array,
): number {
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
  const status = sealInWorkspace(current, padded, ad.length);
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
export function encryptInto(
  key: Uint8Array,
  nonce: Uint8Array,
  ad: Uint8Array,
  message: Uint8Array,
  out: Uint8Array,
  offset: number,
): void {
  const current = space(ad.length, message.length);
  if (!current) {
    out.set(lib().crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key), offset);
    return;
  }
  let heap = load(current, key, nonce, ad);
  heap.set(message, current.input);
  const status = sealInWorkspace(current, message.length, ad.length);
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
  const status = openInWorkspace(current, ciphertext.length, ad.length);
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
  const status = openInWorkspace(current, ciphertext.length, ad.length);
  heap = current.raw.HEAPU8;
  if (status !== 0) {
    scrub(current, length);
    return null;
  }
  try {
    return copyOut(unpad(heap.subarray(current.output, current.output + length)));
  } finally {
    scrub(current, length);
  }
}

/**
 * Frees the workspace after zeroing it, and zeroes the slab that opened plaintexts were last copied
 * into (when the app locks: views callers still hold read zeros from then on).
 */
export function releaseWorkspace(): void {
  plaintexts.wipe();
  if (!workspace) return;
  const current = workspace;
  workspace = null;
  release(current.raw, current.key, KEY);
  release(current.raw, current.nonce, NONCE);
  release(current.raw, current.ad, current.adCapacity);
  release(current.raw, current.input, current.capacity + TAG);
  release(current.raw, current.output, current.capacity + TAG);
}

/**
 * Seals a record's key slot and body in one pass through the workspace, the mirror of
 * openKeySlotAndBody: the data key is wrapped with `slotKey` into `envelope` at `slotOffset`, then
 * moved to the key region inside the WebAssembly heap and used to encrypt pad(prefix || plaintext)
 * into `envelope` at `bodyOffset`. Associated data come in two parts (cached prefix, record tail).
 * Returns false when there is no workspace (the caller falls back to the wrapper).
 */
export function sealKeySlotAndBody(
  slotKey: Uint8Array,
  slotNonce: Uint8Array,
  slotAd: readonly [Uint8Array, Uint8Array],
  dataKey: Uint8Array,
  bodyNonce: Uint8Array,
  bodyAd: readonly [Uint8Array, Uint8Array],
  prefix: Uint8Array | undefined,
  plaintext: Uint8Array,
  envelope: Uint8Array,
  slotOffset: number,
  bodyOffset: number,
): boolean {
  if (slotKey.length !== KEY || dataKey.length !== KEY || slotNonce.length !== NONCE || bodyNonce.length !== NONCE)
    throw new TypeError('aead: bad key or nonce length');
  const before = prefix?.length ?? 0;
  const length = before + plaintext.length;
  const padded = bucketLength(length);
  if (envelope.length < bodyOffset + padded + TAG || envelope.length < slotOffset + KEY + TAG)
    throw new RangeError('aead: envelope too short');
  const slotAdLength = slotAd[0].length + slotAd[1].length;
  const bodyAdLength = bodyAd[0].length + bodyAd[1].length;
  const current = space(Math.max(slotAdLength, bodyAdLength), padded);
  if (!current) return false;
  const raw = current.raw;
  let heap = loadParts(current, slotKey, slotNonce, slotAd, dataKey);
  let status = raw._crypto_aead_xchacha20poly1305_ietf_encrypt(
    current.output,
    0,
    current.input,
    KEY,
    0,
    current.ad,
    slotAdLength,
    0,
    0,
    current.nonce,
    current.key,
  );
  heap = raw.HEAPU8;
  if (status !== 0) {
    scrub(current, KEY);
    throw new Error('aead: encryption failed');
  }
  envelope.set(heap.subarray(current.output, current.output + KEY + TAG), slotOffset);
  // The data key moves from the input region to the key region, inside the WebAssembly heap.
  heap.copyWithin(current.key, current.input, current.input + KEY);
  heap = loadParts(current, null, bodyNonce, bodyAd, plaintext, before);
  if (prefix) heap.set(prefix, current.input);
  heap[current.input + length] = 0x80;
  heap.fill(0, current.input + length + 1, current.input + padded);
  status = raw._crypto_aead_xchacha20poly1305_ietf_encrypt(
    current.output,
    0,
    current.input,
    padded,
    0,
    current.ad,
    bodyAdLength,
    0,
    0,
    current.nonce,
    current.key,
  );
  heap = raw.HEAPU8;
  if (status !== 0) {
    scrub(current, padded);
    throw new Error('aead: encryption failed');
  }
  envelope.set(heap.subarray(current.output, current.output + padded + TAG), bodyOffset);
  scrub(current, padded);
  return true;
}

/** Result of openKeySlotAndBody: the unpadded body, or which of the two authentications failed. */
export type SlotAndBody = { body: Uint8Array } | { failed: 'slot' | 'body' };

/**
 * Opens a record in one pass through the workspace: the 32-byte data key is decrypted from its key
 * slot straight into the workspace's key region, and the padded body is decrypted with it there, so
 * the data key is never copied out to JavaScript (nothing to wipe, nothing to allocate). Each
 * associated data is given in two parts (a cached prefix and the record's tail) and written next to
 * each other in the workspace. Returns a copy of the unpadded body; CryptoError('tampered') for a
 * body whose padding is not its Padmé bucket (cannot happen without the key).
 */
export function openKeySlotAndBody(
  slotKey: Uint8Array,
  slotNonce: Uint8Array,
  slotAd: readonly [Uint8Array, Uint8Array],
  slot: Uint8Array,
  bodyNonce: Uint8Array,
  bodyAd: readonly [Uint8Array, Uint8Array],
  body: Uint8Array,
): SlotAndBody | null {
  if (
    slot.length !== KEY + TAG ||
    body.length < TAG + 1 ||
    slotKey.length !== KEY ||
    slotNonce.length !== NONCE ||
    bodyNonce.length !== NONCE
  )
    return null;
  const length = body.length - TAG;
  const slotAdLength = slotAd[0].length + slotAd[1].length;
  const bodyAdLength = bodyAd[0].length + bodyAd[1].length;
  const current = space(Math.max(slotAdLength, bodyAdLength), length);
  if (!current) return null;
  const raw = current.raw;
  let heap = loadParts(current, slotKey, slotNonce, slotAd, slot);
  let status = raw._crypto_aead_xchacha20poly1305_ietf_decrypt(
    current.output,
    0,
    0,
    current.input,
    KEY + TAG,
    0,
    current.ad,
    slotAdLength,
    0,
    current.nonce,
    current.key,
  );
  heap = raw.HEAPU8;
  if (status !== 0) {
    scrubPlaintext(current, KEY);
    return { failed: 'slot' };
  }
  // The data key moves from the output region to the key region, inside the WebAssembly heap.
  heap.copyWithin(current.key, current.output, current.output + KEY);
  heap.fill(0, current.output, current.output + KEY);
  heap = loadParts(current, null, bodyNonce, bodyAd, body);
  status = raw._crypto_aead_xchacha20poly1305_ietf_decrypt(
    current.output,
    0,
    0,
    current.input,
    body.length,
    0,
    current.ad,
    bodyAdLength,
    0,
    current.nonce,
    current.key,
  );
  heap = raw.HEAPU8;
  if (status !== 0) {
    scrubPlaintext(current, length);
    return { failed: 'body' };
  }
  try {
    return { body: copyOut(unpad(heap.subarray(current.output, current.output + length))) };
  } finally {
    scrubPlaintext(current, length);
  }
}
