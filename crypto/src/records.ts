// Records: sealed on field devices to the org public key, opened by officers.
// Per session, one X25519 agreement (ephemeral key x org key) gives a session key; per record
// version, a fresh 32-byte data key encrypts the padded body with XChaCha20-Poly1305, and the data
// key itself is wrapped under the session key. Rotation and break-glass re-wrap the data key and
// never touch the body. Layout in crypto/FORMAT.md ("Record envelope").
import { CryptoError } from './errors.ts';
import { concatBytes, fromUtf8, lengthPrefixed, toHex, uint32, utf8 } from './encoding.ts';
import { keyPairMatches, orgKeyId, type OrgKeys } from './org.ts';
import { pad, unpad } from './padding.ts';
import { RandomPool } from './random.ts';
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

/** Associated data: lp(label) || lp(orgId) || lp(recordId) || u32be(version). */
export function recordAssociatedData(label: string, orgId: string, recordId: string, version: number): Uint8Array {
  if (!Number.isInteger(version) || version < 0 || version > 0xffffffff) throw new CryptoError('bad_format', 'record version must be an integer in [0, 2^32)');
  return concatBytes(lengthPrefixed(label), lengthPrefixed(orgId), lengthPrefixed(recordId), uint32(version));
}
export const recordKeyAssociatedData = (orgId: string, recordId: string, version: number) => recordAssociatedData(KEY_LABEL, orgId, recordId, version);
export const recordBodyAssociatedData = (orgId: string, recordId: string, version: number) => recordAssociatedData(BODY_LABEL, orgId, recordId, version);

/** Session key = BLAKE2b-256("buffer/record-session/v1" || X25519(secret, public) || sessionPublicKey || orgPublicKey). */
export function deriveSessionKey(ownSecret: Uint8Array, otherPublic: Uint8Array, sessionPublicKey: Uint8Array, orgPublicKey: Uint8Array): Uint8Array {
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

export interface SealingSession {
  readonly orgId: string;
  readonly orgPublicKey: Uint8Array;
  /** Key id, session public key: the constant part of every key slot this session writes. */
  readonly slotHeader: Uint8Array;
  sessionKey: Uint8Array | null;
  readonly random: RandomPool;
}

export function openSealingSession(orgId: string, orgPublicKey: Uint8Array): SealingSession {
  if (orgPublicKey.length !== PUBLIC_KEY) throw new CryptoError('bad_format', 'org public key must be 32 bytes');
  const sodium = lib();
  const ephemeral = sodium.crypto_box_keypair();
  const sessionKey = deriveSessionKey(ephemeral.privateKey, orgPublicKey, ephemeral.publicKey, orgPublicKey);
  wipe(ephemeral.privateKey);
  return {
    orgId,
    orgPublicKey: orgPublicKey.slice(),
    slotHeader: concatBytes(orgKeyId(orgPublicKey), ephemeral.publicKey),
    sessionKey,
    random: new RandomPool(),
  };
}

/** Wipes the session key and the random pool: from now on this device cannot read what it sealed. */
export function closeSealingSession(session: SealingSession): void {
  if (session.sessionKey) wipe(session.sessionKey);
  session.sessionKey = null;
  session.random.wipe();
}

/** Writes the key slot (key id, session public key, wrap nonce, wrapped data key) into `envelope`. */
export function writeKeySlot(envelope: Uint8Array, slotHeader: Uint8Array, sessionKey: Uint8Array, dataKey: Uint8Array, wrapNonce: Uint8Array, orgId: string, recordId: string, version: number): void {
  const wrapped = lib().crypto_aead_xchacha20poly1305_ietf_encrypt(dataKey, recordKeyAssociatedData(orgId, recordId, version), null, wrapNonce, sessionKey);
  envelope.set(slotHeader, RECORD_LAYOUT.keyId);
  envelope.set(wrapNonce, RECORD_LAYOUT.wrapNonce);
  envelope.set(wrapped, RECORD_LAYOUT.wrappedKey);
}

export function sealRecord(session: SealingSession, recordId: string, version: number, plaintext: Uint8Array): Uint8Array {
  const sessionKey = session.sessionKey;
  if (!sessionKey) throw new Error('sealRecord: the sealing session is closed');
  const sodium = lib();
  const fresh = session.random.take(DATA_KEY + 2 * NONCE);
  const dataKey = fresh.subarray(0, DATA_KEY);
  const wrapNonce = fresh.subarray(DATA_KEY, DATA_KEY + NONCE);
  const bodyNonce = fresh.subarray(DATA_KEY + NONCE);
  const padded = pad(plaintext);
  const body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, recordBodyAssociatedData(session.orgId, recordId, version), null, bodyNonce, dataKey);
  const envelope = new Uint8Array(RECORD_HEADER_BYTES + body.length);
  envelope.set(RECORD_V1, 0);
  writeKeySlot(envelope, session.slotHeader, sessionKey, dataKey, wrapNonce, session.orgId, recordId, version);
  envelope.set(bodyNonce, RECORD_LAYOUT.bodyNonce);
  envelope.set(body, RECORD_LAYOUT.body);
  wipe(fresh, padded);
  return envelope;
}

export interface RecordOpener {
  readonly orgId: string;
  readonly org: OrgKeys;
  readonly keyId: Uint8Array;
  /** Session public key (hex) -> session key. */
  readonly sessionKeys: Map<string, Uint8Array>;
}

export function createRecordOpener(orgId: string, org: OrgKeys): RecordOpener {
  if (!keyPairMatches(org.publicKey, org.secretKey)) throw new CryptoError('wrong_key', 'org secret key does not match its public key');
  return { orgId, org, keyId: orgKeyId(org.publicKey), sessionKeys: new Map() };
}

/** Forgets the cached session keys (the org key itself stays the caller's to wipe). */
export function closeRecordOpener(opener: RecordOpener): void {
  for (const key of opener.sessionKeys.values()) wipe(key);
  opener.sessionKeys.clear();
}

/** Checks tag, version, length and key id; returns nothing, throws the precise CryptoError. */
export function checkRecordHeader(envelope: Uint8Array, keyId: Uint8Array): void {
  if (!(envelope instanceof Uint8Array) || envelope.length < 2 || envelope[0] !== RECORD_V1[0]) throw new CryptoError('bad_format', 'not a record envelope');
  if (envelope[1] !== RECORD_V1[1]) throw new CryptoError('unsupported_version', `record envelope version ${envelope[1]} is not supported`);
  if (envelope.length < RECORD_HEADER_BYTES + TAG + 1) throw new CryptoError('bad_format', 'record envelope truncated');
  if (!lib().memcmp(envelope.subarray(RECORD_LAYOUT.keyId, RECORD_LAYOUT.keyId + KEY_ID), keyId)) {
    throw new CryptoError('wrong_key', 'record was sealed to another org key');
  }
}

function sessionKeyFor(opener: RecordOpener, sessionPublicKey: Uint8Array): Uint8Array {
  const cacheKey = toHex(sessionPublicKey);
  let key = opener.sessionKeys.get(cacheKey);
  if (!key) {
    key = deriveSessionKey(opener.org.secretKey, sessionPublicKey, sessionPublicKey, opener.org.publicKey);
    opener.sessionKeys.set(cacheKey, key);
  }
  return key;
}

/** Unwraps the record's data key with the org key (caller wipes it). */
export function unwrapDataKey(opener: RecordOpener, recordId: string, version: number, envelope: Uint8Array): Uint8Array {
  checkRecordHeader(envelope, opener.keyId);
  const sessionKey = sessionKeyFor(opener, envelope.subarray(RECORD_LAYOUT.sessionPublicKey, RECORD_LAYOUT.wrapNonce));
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.subarray(RECORD_LAYOUT.wrappedKey, RECORD_LAYOUT.bodyNonce),
      recordKeyAssociatedData(opener.orgId, recordId, version),
      envelope.subarray(RECORD_LAYOUT.wrapNonce, RECORD_LAYOUT.wrappedKey),
      sessionKey,
    );
  } catch (cause) {
    throw new CryptoError('tampered', 'record key slot failed authentication (altered, or another record id/version/org)', { cause });
  }
}

/** Decrypts the body with a data key already unwrapped (used by openRecord and break-glass). */
export function openRecordBody(dataKey: Uint8Array, orgId: string, recordId: string, version: number, envelope: Uint8Array): Uint8Array {
  let padded: Uint8Array;
  try {
    padded = lib().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.subarray(RECORD_LAYOUT.body),
      recordBodyAssociatedData(orgId, recordId, version),
      envelope.subarray(RECORD_LAYOUT.bodyNonce, RECORD_LAYOUT.body),
      dataKey,
    );
  } catch (cause) {
    throw new CryptoError('tampered', 'record body failed authentication', { cause });
  }
  const plaintext = unpad(padded).slice();
  wipe(padded);
  return plaintext;
}

export function openRecord(opener: RecordOpener, recordId: string, version: number, envelope: Uint8Array): Uint8Array {
  const dataKey = unwrapDataKey(opener, recordId, version, envelope);
  try {
    return openRecordBody(dataKey, opener.orgId, recordId, version, envelope);
  } finally {
    wipe(dataKey);
  }
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
