// Break-glass, the key side (libsodium). An arrangement is an X25519 key pair set up in calm times
// between an org and a requester. Record data keys (where consent allows) are also wrapped to its
// public key, beside the record envelope. Its secret key exists only as:
//   - escrow: sealed to the org key (officers can always recover it, e.g. to rotate);
//   - two Shamir shares (2-of-2), BOTH sealed to the requester's box key: the requester keeps one
//     from the start, the server stores the other and hands it over only when breakGlassStatus()
//     says 'releasable' (waiting period over, no veto).
// The server never sees a share in clear; the requester alone holds half a secret.
// Reasoning: docs/decisions/0101-break-glass.md. Layouts: crypto/FORMAT.md.
import { combine, split } from 'shamir-secret-sharing';
import { decrypt, encrypt } from './aead.ts';
import {
  arrangementBytes,
  ARRANGEMENT_FORMAT,
  BREAK_GLASS_MAX_WAIT_SECONDS,
  BREAK_GLASS_MIN_WAIT_SECONDS,
  waitingPeriodAllowed,
  type ArrangementDescriptor,
} from './breakglass-policy.ts';
import { CryptoError } from './errors.ts';
import { concatBytes, fromBase64, lengthPrefixed, toBase64, uint32 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import { keyPairMatches, orgKeyId, type OrgKeys } from './org.ts';
import {
  openRecordBody,
  readRecordBody,
  dataKeyFromSession,
  deriveSessionKey,
  unwrapDataKey,
  type RecordOpener,
  type SealingSession,
} from './records.ts';
import { RandomPool } from './random.ts';
import { lib, wipe } from './sodium.ts';

export const ARRANGEMENT_WRAP_V1 = new Uint8Array([0x41, 0x01]); // "A", 1
const SHARE_V1 = new Uint8Array([0x53, 0x01]); // "S", 1
const ESCROW_V1 = new Uint8Array([0x45, 0x01]); // "E", 1
const WRAP_BYTES = 2 + 8 + 32 + 24 + 48;

export interface Arrangement {
  descriptor: ArrangementDescriptor;
  /** Officer's Ed25519 signature over canonical(descriptor), base64url. */
  signature: string;
  /** "E" 1 || crypto_box_seal("E" 1 || lp(arrangementId) || secret key, org public key), base64url. */
  orgEscrow: string;
  /** Given to the requester at set-up: "S" 1 || crypto_box_seal(share, requester box key). */
  requesterShare: string;
  /** Stored by the server, released after the waiting period: same layout, the other share. */
  serverShare: string;
}

function sealShare(share: Uint8Array, arrangementId: string, recipient: Uint8Array): string {
  const inner = concatBytes(SHARE_V1, lengthPrefixed(arrangementId), share);
  const sealed = lib().crypto_box_seal(inner, recipient);
  wipe(inner);
  return toBase64(concatBytes(SHARE_V1, sealed));
}

function openShare(text: string, arrangementId: string, keys: Pick<MemberKeys, 'boxPublicKey' | 'boxSecretKey'>): Uint8Array {
  const bytes = fromBase64(text);
  if (bytes.length < 2 || bytes[0] !== SHARE_V1[0]) throw new CryptoError('bad_format', 'not an arrangement share');
  if (bytes[1] !== SHARE_V1[1]) throw new CryptoError('unsupported_version', 'arrangement share version not supported');
  let inner: Uint8Array;
  try {
    inner = lib().crypto_box_seal_open(bytes.subarray(2), keys.boxPublicKey, keys.boxSecretKey);
  } catch (cause) {
    throw new CryptoError('wrong_key', 'this share was not sealed to this key', { cause });
  }
  const id = lengthPrefixed(arrangementId);
  const prefix = concatBytes(SHARE_V1, id);
  if (inner.length <= prefix.length || !lib().memcmp(inner.subarray(0, prefix.length), prefix)) {
    wipe(inner);
    throw new CryptoError('wrong_key', 'share belongs to another arrangement');
  }
  const share = inner.slice(prefix.length);
  wipe(inner);
  return share;
}

export async function createArrangement(input: {
  orgId: string;
  orgPublicKey: Uint8Array;
  arrangementId: string;
  requester: { id: string; signPublicKey: Uint8Array; boxPublicKey: Uint8Array };
  waitingPeriodSeconds: number;
  fields: string[];
  createdAt?: string;
  officer: { memberId: string; keys: MemberKeys };
}): Promise<{ arrangement: Arrangement; publicKey: Uint8Array }> {
  const sodium = lib();
  if (!waitingPeriodAllowed(input.waitingPeriodSeconds)) {
    throw new RangeError(
      `createArrangement: waitingPeriodSeconds must be a whole number from ${BREAK_GLASS_MIN_WAIT_SECONDS} to ${BREAK_GLASS_MAX_WAIT_SECONDS}`,
    );
  }
  const pair = sodium.crypto_box_keypair();
  const descriptor: ArrangementDescriptor = {
    format: ARRANGEMENT_FORMAT,
    arrangementId: input.arrangementId,
    orgId: input.orgId,
    requester: {
      id: input.requester.id,
      signPublicKey: toBase64(input.requester.signPublicKey),
      boxPublicKey: toBase64(input.requester.boxPublicKey),
    },
    publicKey: toBase64(pair.publicKey),
    waitingPeriodSeconds: input.waitingPeriodSeconds,
    fields: [...new Set(input.fields)].sort(),
    createdAt: input.createdAt ?? new Date().toISOString(),
    createdBy: { memberId: input.officer.memberId, signPublicKey: toBase64(input.officer.keys.signPublicKey) },
  };
  const [requesterShare, serverShare] = await split(pair.privateKey, 2, 2);
  const escrowInner = concatBytes(ESCROW_V1, lengthPrefixed(input.arrangementId), pair.privateKey);
  const arrangement: Arrangement = {
    descriptor,
    signature: toBase64(sign(arrangementBytes(descriptor), input.officer.keys)),
    orgEscrow: toBase64(concatBytes(ESCROW_V1, sodium.crypto_box_seal(escrowInner, input.orgPublicKey))),
    requesterShare: sealShare(requesterShare!, input.arrangementId, input.requester.boxPublicKey),
    serverShare: sealShare(serverShare!, input.arrangementId, input.requester.boxPublicKey),
  };
  wipe(pair.privateKey, escrowInner, requesterShare, serverShare);
  return { arrangement, publicKey: pair.publicKey };
}

/** The requester, once the server released its share: rebuilds and checks the arrangement key. */
export async function recoverArrangementKey(
  arrangement: Pick<Arrangement, 'descriptor' | 'requesterShare' | 'serverShare'>,
  requester: Pick<MemberKeys, 'boxPublicKey' | 'boxSecretKey'>,
): Promise<OrgKeys> {
  const id = arrangement.descriptor.arrangementId;
  const shares = [openShare(arrangement.requesterShare, id, requester), openShare(arrangement.serverShare, id, requester)];
  // (memcmp throws on different lengths: such shares fail in combine() below.)
  if (shares[0]!.length === shares[1]!.length && lib().memcmp(shares[0]!, shares[1]!)) {
    wipe(...shares);
    throw new CryptoError('not_enough_shares', 'the same share twice');
  }
  let secretKey: Uint8Array;
  try {
    secretKey = await combine(shares);
  } catch (cause) {
    // Shares of different lengths or with the same x coordinate: FORMAT.md, "combining fails".
    throw new CryptoError('not_enough_shares', 'the two shares do not combine', { cause });
  } finally {
    wipe(...shares);
  }
  const publicKey = fromBase64(arrangement.descriptor.publicKey);
  if (!keyPairMatches(publicKey, secretKey)) {
    wipe(secretKey);
    throw new CryptoError('not_enough_shares', 'shares do not rebuild the arrangement key');
  }
  return { publicKey, secretKey };
}

/** Officers: the arrangement key from the org escrow. */
export function openArrangementEscrow(arrangement: Pick<Arrangement, 'descriptor' | 'orgEscrow'>, org: OrgKeys): OrgKeys {
  const bytes = fromBase64(arrangement.orgEscrow);
  if (bytes.length < 2 || bytes[0] !== ESCROW_V1[0]) throw new CryptoError('bad_format', 'not an arrangement escrow');
  if (bytes[1] !== ESCROW_V1[1]) throw new CryptoError('unsupported_version', 'arrangement escrow version not supported');
  let inner: Uint8Array;
  try {
    inner = lib().crypto_box_seal_open(bytes.subarray(2), org.publicKey, org.secretKey);
  } catch (cause) {
    throw new CryptoError('wrong_key', 'escrow not sealed to this org key', { cause });
  }
  const prefix = concatBytes(ESCROW_V1, lengthPrefixed(arrangement.descriptor.arrangementId));
  const secretKey = inner.slice(prefix.length);
  const publicKey = fromBase64(arrangement.descriptor.publicKey);
  const ok =
    inner.length === prefix.length + 32 && lib().memcmp(inner.subarray(0, prefix.length), prefix) && keyPairMatches(publicKey, secretKey);
  wipe(inner);
  if (!ok) throw new CryptoError('tampered', 'escrow does not hold this arrangement key');
  return { publicKey, secretKey };
}

/** A sealing session towards an arrangement key: one X25519 agreement, then cheap wraps. */
export interface ArrangementSession {
  readonly orgId: string;
  readonly arrangementId: string;
  readonly slotHeader: Uint8Array;
  sessionKey: Uint8Array | null;
  readonly random: RandomPool;
}

export function openArrangementSession(orgId: string, arrangementId: string, arrangementPublicKey: Uint8Array): ArrangementSession {
  const pair = lib().crypto_box_keypair();
  const sessionKey = deriveSessionKey(pair.privateKey, arrangementPublicKey, pair.publicKey, arrangementPublicKey);
  wipe(pair.privateKey);
  return {
    orgId,
    arrangementId,
    slotHeader: concatBytes(orgKeyId(arrangementPublicKey), pair.publicKey),
    sessionKey,
    random: new RandomPool(),
  };
}

export function closeArrangementSession(session: ArrangementSession): void {
  if (session.sessionKey) wipe(session.sessionKey);
  session.sessionKey = null;
  session.random.wipe();
}

/** lp("buffer/arrangement-key/v1") || lp(arrangementId) || lp(orgId) || lp(recordId) || u32be(version). */
export function arrangementAssociatedData(arrangementId: string, orgId: string, recordId: string, version: number): Uint8Array {
  return concatBytes(
    lengthPrefixed('buffer/arrangement-key/v1'),
    lengthPrefixed(arrangementId),
    lengthPrefixed(orgId),
    lengthPrefixed(recordId),
    uint32(version),
  );
}

/**
 * The extra wrap of a record's data key to an arrangement (stored beside the envelope; the envelope
 * is untouched). `source` is the device's still-open sealing session, or an officer's opener.
 * Call it only for records whose consent allows break-glass.
 */
export function wrapForArrangement(
  source: SealingSession | RecordOpener,
  target: ArrangementSession,
  recordId: string,
  version: number,
  envelope: Uint8Array,
): Uint8Array {
  if (!target.sessionKey) throw new Error('wrapForArrangement: the arrangement session is closed');
  if (source.orgId !== target.orgId) throw new CryptoError('wrong_key', 'record and arrangement belong to different orgs');
  const dataKey =
    'org' in source ? unwrapDataKey(source, recordId, version, envelope) : dataKeyFromSession(source, recordId, version, envelope);
  try {
    const nonce = target.random.take(24);
    const wrapped = encrypt(
      target.sessionKey,
      nonce,
      arrangementAssociatedData(target.arrangementId, target.orgId, recordId, version),
      dataKey,
    );
    return concatBytes(ARRANGEMENT_WRAP_V1, target.slotHeader, nonce, wrapped);
  } finally {
    wipe(dataKey);
  }
}

export interface ArrangementOpener {
  readonly orgId: string;
  readonly arrangementId: string;
  readonly keys: OrgKeys;
  readonly keyId: Uint8Array;
  readonly sessionKeys: Map<string, Uint8Array>;
}

export function createArrangementOpener(orgId: string, arrangementId: string, keys: OrgKeys): ArrangementOpener {
  if (!keyPairMatches(keys.publicKey, keys.secretKey))
    throw new CryptoError('wrong_key', 'arrangement secret key does not match its public key');
  return { orgId, arrangementId, keys, keyId: orgKeyId(keys.publicKey), sessionKeys: new Map() };
}

/** Opens a record with its arrangement wrap (the requester, after break-glass). */
export function openWithArrangement(
  opener: ArrangementOpener,
  recordId: string,
  version: number,
  envelope: Uint8Array,
  wrap: Uint8Array,
): Uint8Array {
  if (wrap.length < 2 || wrap[0] !== ARRANGEMENT_WRAP_V1[0]) throw new CryptoError('bad_format', 'not an arrangement wrap');
  if (wrap[1] !== ARRANGEMENT_WRAP_V1[1]) throw new CryptoError('unsupported_version', 'arrangement wrap version not supported');
  if (wrap.length !== WRAP_BYTES) throw new CryptoError('bad_format', 'arrangement wrap has the wrong length');
  if (!lib().memcmp(wrap.subarray(2, 10), opener.keyId)) throw new CryptoError('wrong_key', 'wrapped to another arrangement key');
  const sessionPublicKey = wrap.subarray(10, 42);
  const cacheKey = toBase64(sessionPublicKey);
  let sessionKey = opener.sessionKeys.get(cacheKey);
  if (!sessionKey) {
    sessionKey = deriveSessionKey(opener.keys.secretKey, sessionPublicKey, sessionPublicKey, opener.keys.publicKey);
    opener.sessionKeys.set(cacheKey, sessionKey);
  }
  const dataKey = decrypt(
    sessionKey,
    wrap.subarray(42, 66),
    arrangementAssociatedData(opener.arrangementId, opener.orgId, recordId, version),
    wrap.subarray(66),
  );
  if (!dataKey) throw new CryptoError('tampered', 'arrangement wrap failed authentication (altered, or another record)');
  let body: Uint8Array;
  try {
    body = openRecordBody(dataKey, opener.orgId, recordId, version, envelope);
  } finally {
    wipe(dataKey);
  }
  // The requester gets the record, not its author header: whoever holds a header could put it on
  // records of their own making (FORMAT.md, "Record body").
  const record = readRecordBody(opener.orgId, body).record.slice();
  body.fill(0);
  return record;
}

export const ARRANGEMENT_WRAP_BYTES = WRAP_BYTES;
