// Records: sealed on field devices to the org public key, opened by officers.
// Per session, one X25519 agreement (ephemeral key x org key) gives a session key; per record
// version, a fresh 32-byte data key encrypts the padded body with XChaCha20-Poly1305, and the data
// key itself is wrapped under the session key. Rotation and break-glass re-wrap the data key and
// never touch the body. Layout in crypto/FORMAT.md ("Record envelope").
// Authorship (issue 14, decision 0605): a member's device signs, once, a statement that it authors
// records for the organisation; every body it seals starts with that signed header, inside the
// encryption. The server cannot read a header, so it cannot put a member's header on a record of its
// own making; officers' devices check the author against the signed organisation statement.
import { CryptoError } from './errors.ts';
import { concatBytes, fromUtf8, lengthPrefixed, toBase64, toHex, uint32, utf8 } from './encoding.ts';
import { keyPairMatches, orgKeyId, type OrgKeys } from './org.ts';
import { bucketLength } from './padding.ts';
import { decrypt, decryptUnpadded, encryptInto, encryptPaddedInto, openKeySlotAndBody, sealKeySlotAndBody } from './aead.ts';
import { RandomPool } from './random.ts';
import { createSlab } from './slab.ts';
import { lib, wipe } from './sodium.ts';

export const RECORD_V1 = new Uint8Array([0x52, 0x01]); // "R", 1
const KEY_ID = 8;
const PUBLIC_KEY = 32;
const NONCE = 24;
const TAG = 16;
const DATA_KEY = 32;
/** Offsets inside a v1 record envelope. */
export const RECORD_LAYOUT = {
  keyId: 2,
  sessionPublicKey: 2 + KEY_ID,
  wrapNonce: 2 + KEY_ID + PUBLIC_KEY,
  wrappedKey: 2 + KEY_ID + PUBLIC_KEY + NONCE,
  bodyNonce: 2 + KEY_ID + PUBLIC_KEY + NONCE + DATA_KEY + TAG,
  body: 2 + KEY_ID + PUBLIC_KEY + NONCE + DATA_KEY + TAG + NONCE,
} as const;
/** Bytes before the body ciphertext; the key slot is [2, bodyNonce). */
export const RECORD_HEADER_BYTES = RECORD_LAYOUT.body;

const SESSION_LABEL = utf8('buffer/record-session/v1');
const KEY_LABEL = 'buffer/record-key/v1';
const BODY_LABEL = 'buffer/record-body/v1';

const KEY_PREFIX = new Map<string, Uint8Array>();
const BODY_PREFIX = new Map<string, Uint8Array>();

function prefixFor(cache: Map<string, Uint8Array>, label: string, orgId: string): Uint8Array {
  let prefix = cache.get(orgId);
  if (!prefix) {
    prefix = concatBytes(lengthPrefixed(label), lengthPrefixed(orgId));
    if (cache.size > 64) cache.clear();
    cache.set(orgId, prefix);
  }
  return prefix;
}

/** lp(recordId) || u32be(version), with a fast path for ASCII ids (TextEncoder costs ~2 µs a call). */
function recordTail(recordId: string, version: number): Uint8Array {
  if (!Number.isInteger(version) || version < 0 || version > 0xffffffff)
    throw new CryptoError('bad_format', 'record version must be an integer in [0, 2^32)');
  if (typeof recordId !== 'string') throw new CryptoError('bad_format', 'record id must be a string');
  const length = recordId.length;
  let ascii = true;
  for (let index = 0; index < length; index++)
    if (recordId.charCodeAt(index) > 0x7f) {
      ascii = false;
      break;
    }
  if (!ascii) return concatBytes(lengthPrefixed(recordId), uint32(version));
  const tail = new Uint8Array(8 + length);
  tail[0] = length >>> 24;
  tail[1] = (length >>> 16) & 0xff;
  tail[2] = (length >>> 8) & 0xff;
  tail[3] = length & 0xff;
  for (let index = 0; index < length; index++) tail[4 + index] = recordId.charCodeAt(index);
  const at = 4 + length;
  tail[at] = version >>> 24;
  tail[at + 1] = (version >>> 16) & 0xff;
  tail[at + 2] = (version >>> 8) & 0xff;
  tail[at + 3] = version & 0xff;
  return tail;
}

/** Associated data: lp(label) || lp(orgId) || lp(recordId) || u32be(version). */
export function recordKeyAssociatedData(orgId: string, recordId: string, version: number): Uint8Array {
  return concatBytes(prefixFor(KEY_PREFIX, KEY_LABEL, orgId), recordTail(recordId, version));
}
export function recordBodyAssociatedData(orgId: string, recordId: string, version: number): Uint8Array {
  return concatBytes(prefixFor(BODY_PREFIX, BODY_LABEL, orgId), recordTail(recordId, version));
}

/** Session key = BLAKE2b-256("buffer/record-session/v1" || X25519(secret, public) || sessionPublicKey || orgPublicKey). */
export function deriveSessionKey(
  ownSecret: Uint8Array,
  otherPublic: Uint8Array,
  sessionPublicKey: Uint8Array,
  orgPublicKey: Uint8Array,
): Uint8Array {
  const sodium = lib();
  let shared: Uint8Array;
  try {
    shared = sodium.crypto_scalarmult(ownSecret, otherPublic);
  } catch (cause) {
    throw new CryptoError('wrong_key', 'X25519 agreement failed (low-order public key)', { cause });
  }
  const input = concatBytes(SESSION_LABEL, shared, sessionPublicKey, orgPublicKey);
  const key = sodium.crypto_generichash(32, input, null);
  wipe(shared, input);
  return key;
}

/** A body that starts with these two bytes carries an author header ("A", 1). */
export const AUTHORED_BODY = new Uint8Array([0x41, 0x01]);
const SIGN_PUBLIC_KEY = 32;
const SIGNATURE = 64;
/** "A", 1, the author's Ed25519 public key, its signature. */
export const AUTHOR_HEADER_BYTES = 2 + SIGN_PUBLIC_KEY + SIGNATURE;
const AUTHOR_LABEL = 'buffer/record-author/v1';

/** What an author signs: lp("buffer/record-author/v1") || lp(orgId) || its own Ed25519 public key. */
export function authorBytes(orgId: string, signPublicKey: Uint8Array): Uint8Array {
  return concatBytes(lengthPrefixed(AUTHOR_LABEL), lengthPrefixed(orgId), signPublicKey);
}

/** A member's signing key pair, for records this device authors. */
export interface RecordAuthor {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
}

/** The 98-byte author header put before every body a member's device seals to its organisation. */
export function authorHeader(orgId: string, author: RecordAuthor): Uint8Array {
  if (author.signPublicKey.length !== SIGN_PUBLIC_KEY || author.signSecretKey.length !== 64)
    throw new CryptoError('bad_format', 'author keys must be an Ed25519 key pair');
  const signature = lib().crypto_sign_detached(authorBytes(orgId, author.signPublicKey), author.signSecretKey);
  return concatBytes(AUTHORED_BODY, author.signPublicKey, signature);
}

export interface SealingSession {
  readonly orgId: string;
  /** The author header every body of this session starts with; null: unsigned bodies (a member's own copies). */
  readonly author: Uint8Array | null;
  readonly orgPublicKey: Uint8Array;
  /** Key id, session public key: the constant part of every key slot this session writes. */
  readonly slotHeader: Uint8Array;
  sessionKey: Uint8Array | null;
  readonly random: RandomPool;
  /** 80 bytes reused per record for the data key and two nonces; zeroed after each record. */
  readonly scratch: Uint8Array;
}

/**
 * A sealing session to `orgPublicKey`. With `author`, every body starts with the author header
 * (one Ed25519 signature for the whole session, not one per record: see FORMAT.md).
 */
export function openSealingSession(orgId: string, orgPublicKey: Uint8Array, author?: RecordAuthor): SealingSession {
  if (orgPublicKey.length !== PUBLIC_KEY) throw new CryptoError('bad_format', 'org public key must be 32 bytes');
  const sodium = lib();
  const header = author ? authorHeader(orgId, author) : null;
  const ephemeral = sodium.crypto_box_keypair();
  const sessionKey = deriveSessionKey(ephemeral.privateKey, orgPublicKey, ephemeral.publicKey, orgPublicKey);
  wipe(ephemeral.privateKey);
  return {
    orgId,
    author: header,
    orgPublicKey: orgPublicKey.slice(),
    slotHeader: concatBytes(orgKeyId(orgPublicKey), ephemeral.publicKey),
    sessionKey,
    random: new RandomPool(),
    scratch: new Uint8Array(DATA_KEY + 2 * NONCE),
  };
}

/** Wipes the session key and the random pool: from now on this device cannot read what it sealed. */
export function closeSealingSession(session: SealingSession): void {
  if (session.sessionKey) wipe(session.sessionKey);
  session.sessionKey = null;
  session.random.wipe();
  wipe(session.scratch);
}

/** Writes the key slot (key id, session public key, wrap nonce, wrapped data key) into `envelope`. */
export function writeKeySlot(
  envelope: Uint8Array,
  slotHeader: Uint8Array,
  sessionKey: Uint8Array,
  dataKey: Uint8Array,
  wrapNonce: Uint8Array,
  keyAssociatedData: Uint8Array,
): void {
  envelope.set(slotHeader, RECORD_LAYOUT.keyId);
  envelope.set(wrapNonce, RECORD_LAYOUT.wrapNonce);
  encryptInto(sessionKey, wrapNonce, keyAssociatedData, dataKey, envelope, RECORD_LAYOUT.wrappedKey);
}

// Sealed envelopes are views of a shared 64 KiB slab (slab.ts): in Chromium one ArrayBuffer of
// about 1.2 KB costs about as much to allocate as sealing the record (bench: crypto; against the
// code before signatures, in pages of their own, sealing 100,000 records went from x1.00 to x1.19 in
// Chromium with it, from x1.05 to x1.11 in Node). The slab holds only ciphertext.
const envelopes = createSlab(64 * 1024, 8 * 1024);

/**
 * Seals `plaintext` as version `version` of record `recordId` (FORMAT.md, "Record envelope"). The
 * envelope is a view of a shared slab (see above): encode or slice() it before storing it as bytes.
 */
export function sealRecord(session: SealingSession, recordId: string, version: number, plaintext: Uint8Array): Uint8Array {
  const sessionKey = session.sessionKey;
  if (!sessionKey) throw new Error('sealRecord: the sealing session is closed');
  const prefix = session.author ?? undefined;
  // Without an author header a body must not look like one (readers could not tell them apart).
  if (!prefix && startsAuthored(plaintext))
    throw new CryptoError('bad_format', 'an unsigned record body cannot start with 0x41 0x01 (the author header tag)');
  const fresh = session.scratch;
  session.random.fill(fresh, 0, DATA_KEY + 2 * NONCE);
  const dataKey = fresh.subarray(0, DATA_KEY);
  const wrapNonce = fresh.subarray(DATA_KEY, DATA_KEY + NONCE);
  const bodyNonce = fresh.subarray(DATA_KEY + NONCE);
  const tail = recordTail(recordId, version);
  const envelope = envelopes.take(RECORD_HEADER_BYTES + bucketLength((prefix?.length ?? 0) + plaintext.length) + TAG);
  envelope.set(RECORD_V1, 0);
  envelope.set(session.slotHeader, RECORD_LAYOUT.keyId);
  envelope.set(wrapNonce, RECORD_LAYOUT.wrapNonce);
  envelope.set(bodyNonce, RECORD_LAYOUT.bodyNonce);
  const keyPrefix = prefixFor(KEY_PREFIX, KEY_LABEL, session.orgId);
  const bodyPrefix = prefixFor(BODY_PREFIX, BODY_LABEL, session.orgId);
  try {
    if (
      !sealKeySlotAndBody(
        sessionKey,
        wrapNonce,
        [keyPrefix, tail],
        dataKey,
        bodyNonce,
        [bodyPrefix, tail],
        prefix,
        plaintext,
        envelope,
        RECORD_LAYOUT.wrappedKey,
        RECORD_LAYOUT.body,
      )
    ) {
      writeKeySlot(envelope, session.slotHeader, sessionKey, dataKey, wrapNonce, concatBytes(keyPrefix, tail));
      encryptPaddedInto(dataKey, bodyNonce, concatBytes(bodyPrefix, tail), plaintext, envelope, RECORD_LAYOUT.body, prefix);
    }
  } finally {
    wipe(fresh);
  }
  return envelope;
}

export interface RecordOpener {
  readonly orgId: string;
  readonly org: OrgKeys;
  readonly keyId: Uint8Array;
  /** Session public key (hex) -> session key. */
  readonly sessionKeys: Map<string, Uint8Array>;
  last: { publicKey: Uint8Array; key: Uint8Array } | null;
  /** Author headers already verified (author key -> header and author), and the last one. */
  readonly authors: AuthorCache;
}

export interface AuthorCache {
  verified: Map<string, { header: Uint8Array; author: string }>;
  last: { header: Uint8Array; author: string } | null;
}

export const newAuthorCache = (): AuthorCache => ({ verified: new Map(), last: null });

/** A record's bytes and who sealed it: the author's Ed25519 public key (base64url), verified; null for an unsigned body. */
export interface AuthoredRecord {
  record: Uint8Array;
  author: string | null;
}

const startsAuthored = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === AUTHORED_BODY[0] && bytes[1] === AUTHORED_BODY[1];

function sameRange(a: Uint8Array, b: Uint8Array, length: number): boolean {
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Splits an opened body into the record and its author, checking the author's signature (cached
 * per author key in `cache`). A body that does not start with 0x41 0x01 is unsigned (author null).
 * Throws CryptoError: `bad_format` when the header is cut short, `tampered` when the signature
 * does not verify.
 */
export function readRecordBody(orgId: string, body: Uint8Array, cache: AuthorCache = newAuthorCache()): AuthoredRecord {
  if (!startsAuthored(body)) return { record: body, author: null };
  if (body.length < AUTHOR_HEADER_BYTES) throw new CryptoError('bad_format', 'record author header cut short');
  const record = body.subarray(AUTHOR_HEADER_BYTES);
  const last = cache.last;
  if (last && sameRange(last.header, body, AUTHOR_HEADER_BYTES)) return { record, author: last.author };
  const publicKey = body.subarray(2, 2 + SIGN_PUBLIC_KEY);
  const cacheKey = toHex(publicKey);
  const known = cache.verified.get(cacheKey);
  if (known && sameRange(known.header, body, AUTHOR_HEADER_BYTES)) {
    cache.last = known;
    return { record, author: known.author };
  }
  const signature = body.subarray(2 + SIGN_PUBLIC_KEY, AUTHOR_HEADER_BYTES);
  let valid = false;
  try {
    valid = lib().crypto_sign_verify_detached(signature, authorBytes(orgId, publicKey), publicKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new CryptoError('tampered', "the record's author signature does not verify");
  const entry = { header: body.slice(0, AUTHOR_HEADER_BYTES), author: toBase64(publicKey) };
  if (cache.verified.size > 4096) cache.verified.clear();
  cache.verified.set(cacheKey, entry);
  cache.last = entry;
  return { record, author: entry.author };
}

export function createRecordOpener(orgId: string, org: OrgKeys): RecordOpener {
  if (!keyPairMatches(org.publicKey, org.secretKey)) throw new CryptoError('wrong_key', 'org secret key does not match its public key');
  return { orgId, org, keyId: orgKeyId(org.publicKey), sessionKeys: new Map(), last: null, authors: newAuthorCache() };
}

/** Forgets the cached session keys (the org key itself stays the caller's to wipe). */
export function closeRecordOpener(opener: RecordOpener): void {
  for (const key of opener.sessionKeys.values()) wipe(key);
  opener.sessionKeys.clear();
  opener.last = null;
  opener.authors.verified.clear();
  opener.authors.last = null;
}

/** Checks tag, version, length and key id; returns nothing, throws the precise CryptoError. */
export function checkRecordHeader(envelope: Uint8Array, keyId: Uint8Array): void {
  if (!(envelope instanceof Uint8Array) || envelope.length < 2 || envelope[0] !== RECORD_V1[0])
    throw new CryptoError('bad_format', 'not a record envelope');
  if (envelope[1] !== RECORD_V1[1]) throw new CryptoError('unsupported_version', `record envelope version ${envelope[1]} is not supported`);
  if (envelope.length < RECORD_HEADER_BYTES + TAG + 1) throw new CryptoError('bad_format', 'record envelope truncated');
  if (!lib().memcmp(envelope.subarray(RECORD_LAYOUT.keyId, RECORD_LAYOUT.keyId + KEY_ID), keyId)) {
    throw new CryptoError('wrong_key', 'record was sealed to another org key');
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function sessionKeyFor(opener: RecordOpener, sessionPublicKey: Uint8Array): Uint8Array {
  // Records come in runs from one session: check the last one first (public bytes, no secret).
  const last = opener.last;
  if (last && sameBytes(last.publicKey, sessionPublicKey)) return last.key;
  const cacheKey = toHex(sessionPublicKey);
  let key = opener.sessionKeys.get(cacheKey);
  if (!key) {
    key = deriveSessionKey(opener.org.secretKey, sessionPublicKey, sessionPublicKey, opener.org.publicKey);
    opener.sessionKeys.set(cacheKey, key);
  }
  opener.last = { publicKey: sessionPublicKey.slice(), key };
  return key;
}

const SLOT_FAILED = 'record key slot failed authentication (altered, or another record id/version/org)';
const BODY_FAILED = 'record body failed authentication';

/** Unwraps the record's data key with the org key (caller wipes it). */
export function unwrapDataKey(
  opener: RecordOpener,
  recordId: string,
  version: number,
  envelope: Uint8Array,
  tail = recordTail(recordId, version),
): Uint8Array {
  checkRecordHeader(envelope, opener.keyId);
  const sessionKey = sessionKeyFor(opener, envelope.subarray(RECORD_LAYOUT.sessionPublicKey, RECORD_LAYOUT.wrapNonce));
  const dataKey = decrypt(
    sessionKey,
    envelope.subarray(RECORD_LAYOUT.wrapNonce, RECORD_LAYOUT.wrappedKey),
    concatBytes(prefixFor(KEY_PREFIX, KEY_LABEL, opener.orgId), tail),
    envelope.subarray(RECORD_LAYOUT.wrappedKey, RECORD_LAYOUT.bodyNonce),
  );
  if (!dataKey) throw new CryptoError('tampered', SLOT_FAILED);
  return dataKey;
}

/** Decrypts the body with a data key already unwrapped (used by openRecord and break-glass). */
export function openRecordBody(
  dataKey: Uint8Array,
  orgId: string,
  recordId: string,
  version: number,
  envelope: Uint8Array,
  tail = recordTail(recordId, version),
): Uint8Array {
  if (envelope.length < 2 || envelope[0] !== RECORD_V1[0]) throw new CryptoError('bad_format', 'not a record envelope');
  if (envelope[1] !== RECORD_V1[1]) throw new CryptoError('unsupported_version', `record envelope version ${envelope[1]} is not supported`);
  if (envelope.length < RECORD_HEADER_BYTES + TAG + 1) throw new CryptoError('bad_format', 'record envelope truncated');
  const plaintext = decryptUnpadded(
    dataKey,
    envelope.subarray(RECORD_LAYOUT.bodyNonce, RECORD_LAYOUT.body),
    concatBytes(prefixFor(BODY_PREFIX, BODY_LABEL, orgId), tail),
    envelope.subarray(RECORD_LAYOUT.body),
  );
  if (!plaintext) throw new CryptoError('tampered', BODY_FAILED);
  return plaintext;
}

/** Opens a record and checks its author header: the record's bytes and the verified author (null: unsigned). */
export function openAuthoredRecord(opener: RecordOpener, recordId: string, version: number, envelope: Uint8Array): AuthoredRecord {
  const tail = recordTail(recordId, version);
  // The fast path: key slot and body opened in one pass, the data key never leaving the Wasm heap.
  checkRecordHeader(envelope, opener.keyId);
  const opened = openKeySlotAndBody(
    sessionKeyFor(opener, envelope.subarray(RECORD_LAYOUT.sessionPublicKey, RECORD_LAYOUT.wrapNonce)),
    envelope.subarray(RECORD_LAYOUT.wrapNonce, RECORD_LAYOUT.wrappedKey),
    [prefixFor(KEY_PREFIX, KEY_LABEL, opener.orgId), tail],
    envelope.subarray(RECORD_LAYOUT.wrappedKey, RECORD_LAYOUT.bodyNonce),
    envelope.subarray(RECORD_LAYOUT.bodyNonce, RECORD_LAYOUT.body),
    [prefixFor(BODY_PREFIX, BODY_LABEL, opener.orgId), tail],
    envelope.subarray(RECORD_LAYOUT.body),
  );
  if (opened && 'body' in opened) return readRecordBody(opener.orgId, opened.body, opener.authors);
  if (opened?.failed === 'slot') throw new CryptoError('tampered', SLOT_FAILED);
  if (opened?.failed === 'body') throw new CryptoError('tampered', BODY_FAILED);
  const dataKey = unwrapDataKey(opener, recordId, version, envelope, tail);
  let body: Uint8Array;
  try {
    body = openRecordBody(dataKey, opener.orgId, recordId, version, envelope, tail);
  } finally {
    wipe(dataKey);
  }
  return readRecordBody(opener.orgId, body, opener.authors);
}

/** Opens a record: its bytes without the author header (whose signature is still checked). */
export function openRecord(opener: RecordOpener, recordId: string, version: number, envelope: Uint8Array): Uint8Array {
  return openAuthoredRecord(opener, recordId, version, envelope).record;
}

export function sealJson(session: SealingSession, recordId: string, version: number, value: unknown): Uint8Array {
  const text = JSON.stringify(value);
  if (text === undefined) throw new CryptoError('bad_format', 'sealJson: value is not JSON');
  const bytes = utf8(text);
  try {
    return sealRecord(session, recordId, version, bytes);
  } finally {
    bytes.fill(0);
  }
}

export function openJson<T = unknown>(opener: RecordOpener, recordId: string, version: number, envelope: Uint8Array): T {
  const bytes = openRecord(opener, recordId, version, envelope);
  try {
    return JSON.parse(fromUtf8(bytes)) as T;
  } catch (cause) {
    if (cause instanceof CryptoError) throw cause;
    throw new CryptoError('bad_format', 'record body is not JSON', { cause });
  } finally {
    bytes.fill(0);
  }
}

/**
 * The data key of a record this open session sealed (the device can still read what it sealed
 * until the session is closed). Used to add break-glass wraps at capture time.
 */
export function dataKeyFromSession(session: SealingSession, recordId: string, version: number, envelope: Uint8Array): Uint8Array {
  if (!session.sessionKey) throw new Error('dataKeyFromSession: the sealing session is closed');
  checkRecordHeader(envelope, session.slotHeader.subarray(0, KEY_ID));
  if (!sameBytes(envelope.subarray(RECORD_LAYOUT.sessionPublicKey, RECORD_LAYOUT.wrapNonce), session.slotHeader.subarray(KEY_ID))) {
    throw new CryptoError('wrong_key', 'record was sealed by another session');
  }
  const dataKey = decrypt(
    session.sessionKey,
    envelope.subarray(RECORD_LAYOUT.wrapNonce, RECORD_LAYOUT.wrappedKey),
    recordKeyAssociatedData(session.orgId, recordId, version),
    envelope.subarray(RECORD_LAYOUT.wrappedKey, RECORD_LAYOUT.bodyNonce),
  );
  if (!dataKey) throw new CryptoError('tampered', 'record key slot failed authentication');
  return dataKey;
}
