// Release bundles: minimised records sealed to a requester's X25519 key, signed by the releasing
// officer. Openable with any libsodium binding from crypto/FORMAT.md alone (crypto_box_seal,
// crypto_aead_xchacha20poly1305_ietf, Ed25519, SHA-256, sodium_pad format).
import { decrypt, encrypt } from './aead.ts';
import {
  verifyBundleManifest,
  BUNDLE_FORMAT,
  BUNDLE_MAGIC,
  DEFAULT_CHUNK_SIZE,
  type BundleExpectations,
  type BundleManifest,
} from './bundle-manifest.ts';
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';
import { concatBytes, fromBase64, fromUtf8, toBase64, uint32, utf8 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import { pad, unpad } from './padding.ts';
import { randomBytes } from './random.ts';
import { lib, wipe } from './sodium.ts';

export const RECORDS_FORMAT = 'buffer/release-records/v1';

export type ReleasedRecord = Record<string, unknown>;

export interface BundleInput {
  orgId: string;
  requestHash: string;
  recipientBoxPublicKey: Uint8Array;
  /** Approved field names: every record is cut down to these keys (minimisation). */
  fields: readonly string[];
  records: readonly ReleasedRecord[];
  expiresAt: string;
  createdAt?: string;
  releasedBy: { memberId: string; keys: MemberKeys };
  chunkSize?: number;
}

/** AD of chunk `index` of `count`: ASCII "buffer/release-bundle/v1|<bundleId>|<index>|<count>". */
export function chunkAssociatedData(bundleId: string, index: number, count: number): Uint8Array {
  return utf8(`${BUNDLE_FORMAT}|${bundleId}|${index}|${count}`);
}

export function minimise(record: ReleasedRecord, fields: readonly string[]): ReleasedRecord {
  const out: ReleasedRecord = {};
  for (const field of fields) if (Object.hasOwn(record, field) && record[field] !== undefined) out[field] = record[field];
  return out;
}

/** Plaintext: JSON Lines, a header line then one record per line, then sodium_pad to a Padmé bucket. */
function recordsPlaintext(records: readonly ReleasedRecord[], fields: readonly string[]): Uint8Array {
  const lines = [JSON.stringify({ format: RECORDS_FORMAT, recordCount: records.length, fields: [...fields].sort() })];
  for (const record of records) lines.push(JSON.stringify(minimise(record, fields)));
  const text = utf8(`${lines.join('\n')}\n`);
  const padded = pad(text);
  text.fill(0);
  return padded;
}

export function createBundle(input: BundleInput): Uint8Array {
  const plaintext = recordsPlaintext(input.records, input.fields);
  try {
    return assembleBundle(input, plaintext);
  } finally {
    wipe(plaintext);
  }
}

/**
 * Encrypts an already padded payload into a signed bundle. createBundle builds the payload; the
 * test-vector generator uses this directly to make deliberately bad (but validly signed) bundles.
 */
export function assembleBundle(input: Omit<BundleInput, 'records' | 'fields'>, paddedPayload: Uint8Array): Uint8Array {
  const sodium = lib();
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1024 || chunkSize > 1 << 24)
    throw new RangeError('createBundle: chunkSize must be 1 KiB..16 MiB');
  if (input.recipientBoxPublicKey.length !== 32) throw new CryptoError('bad_format', 'createBundle: recipient key must be 32 bytes');
  const bundleKey = randomBytes(32);
  const bundleId = toBase64(randomBytes(16));
  const count = Math.ceil(paddedPayload.length / chunkSize);
  const sealedChunks: Uint8Array[] = [];
  const chunks: BundleManifest['chunks'] = [];
  for (let index = 0; index < count; index++) {
    const nonce = randomBytes(24);
    const ciphertext = encrypt(
      bundleKey,
      nonce,
      chunkAssociatedData(bundleId, index, count),
      paddedPayload.subarray(index * chunkSize, (index + 1) * chunkSize),
    );
    const framed = concatBytes(nonce, ciphertext);
    sealedChunks.push(framed);
    chunks.push({ bytes: ciphertext.length, sha256: toBase64(sodium.crypto_hash_sha256(framed)) });
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    bundleId,
    orgId: input.orgId,
    requestHash: input.requestHash,
    recipient: toBase64(input.recipientBoxPublicKey),
    releasedBy: { memberId: input.releasedBy.memberId, signPublicKey: toBase64(input.releasedBy.keys.signPublicKey) },
    createdAt: input.createdAt ?? new Date().toISOString(),
    expiresAt: input.expiresAt,
    sealedKey: toBase64(sodium.crypto_box_seal(bundleKey, input.recipientBoxPublicKey)),
    chunkSize,
    chunks,
  };
  wipe(bundleKey);
  return writeBundle(manifest, input.releasedBy.keys, sealedChunks);
}

/** magic || u32be(len) || canonical manifest || Ed25519(manifest) || chunks. */
export function writeBundle(manifest: BundleManifest, signer: MemberKeys, framedChunks: readonly Uint8Array[]): Uint8Array {
  const manifestBytes = canonicalize(manifest);
  const signature = sign(manifestBytes, signer);
  return concatBytes(BUNDLE_MAGIC, uint32(manifestBytes.length), manifestBytes, signature, ...framedChunks);
}

/** The padded JSON Lines payload of a bundle (exported for the test-vector generator). */
export function bundlePayload(records: readonly ReleasedRecord[], fields: readonly string[]): Uint8Array {
  return recordsPlaintext(records, fields);
}

export interface OpenedBundle {
  manifest: BundleManifest;
  fields: string[];
  records: ReleasedRecord[];
}

/**
 * The requester's side: checks signer, signature, request hash and expiry (verifyBundleManifest),
 * then opens the bundle key and every chunk, checking each chunk's hash and tag.
 */
export async function openBundle(
  bytes: Uint8Array,
  recipient: Pick<MemberKeys, 'boxPublicKey' | 'boxSecretKey'>,
  expected: BundleExpectations,
): Promise<OpenedBundle> {
  const sodium = lib();
  const { manifest, chunksOffset } = await verifyBundleManifest(bytes, expected);
  if (manifest.recipient !== toBase64(recipient.boxPublicKey))
    throw new CryptoError('wrong_key', 'release bundle was sealed to another recipient');
  let bundleKey: Uint8Array;
  try {
    bundleKey = sodium.crypto_box_seal_open(fromBase64(manifest.sealedKey), recipient.boxPublicKey, recipient.boxSecretKey);
  } catch (cause) {
    throw new CryptoError('wrong_key', 'cannot open the bundle key with this key pair', { cause });
  }
  // FORMAT.md, opening step 7: a sealedKey that does not open to exactly 32 bytes is not a bundle key.
  if (bundleKey.length !== 32) {
    wipe(bundleKey);
    throw new CryptoError('wrong_key', `the sealed bundle key opens to ${bundleKey.length} bytes, not 32`);
  }
  const parts: Uint8Array[] = [];
  try {
    let offset = chunksOffset;
    const count = manifest.chunks.length;
    for (let index = 0; index < count; index++) {
      const chunk = manifest.chunks[index]!;
      const framed = bytes.subarray(offset, offset + 24 + chunk.bytes);
      offset += framed.length;
      if (toBase64(sodium.crypto_hash_sha256(framed)) !== chunk.sha256)
        throw new CryptoError('tampered', `release bundle chunk ${index} does not match the signed manifest`);
      const plain = decrypt(bundleKey, framed.subarray(0, 24), chunkAssociatedData(manifest.bundleId, index, count), framed.subarray(24));
      if (!plain) throw new CryptoError('tampered', `release bundle chunk ${index} failed authentication`);
      if (index < count - 1 && plain.length !== manifest.chunkSize)
        throw new CryptoError('tampered', `release bundle chunk ${index} has the wrong size`);
      parts.push(plain);
    }
  } finally {
    wipe(bundleKey);
  }
  const padded = concatBytes(...parts);
  for (const part of parts) part.fill(0);
  const lines = fromUtf8(unpad(padded)).split('\n');
  padded.fill(0);
  if (lines.pop() !== '') throw new CryptoError('tampered', 'release bundle plaintext does not end with a newline');
  const parseLine = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch (cause) {
      throw new CryptoError('bad_format', 'release bundle holds a line that is not JSON', { cause });
    }
  };
  const header = parseLine(lines.shift() ?? 'null') as { format?: string; recordCount?: number; fields?: string[] } | null;
  if (!header || header.format !== RECORDS_FORMAT || header.recordCount !== lines.length || !Array.isArray(header.fields)) {
    throw new CryptoError('tampered', 'release bundle record count or header does not match');
  }
  if (expected.fields && header.fields.some((field) => !expected.fields!.includes(field)))
    throw new CryptoError('out_of_scope', 'release bundle carries fields that were not approved');
  const records = lines.map((line) => parseLine(line) as ReleasedRecord);
  for (const record of records) {
    if (!record || typeof record !== 'object' || Array.isArray(record))
      throw new CryptoError('bad_format', 'release bundle holds a record that is not a JSON object');
    for (const key of Object.keys(record))
      if (!header.fields.includes(key))
        throw new CryptoError('out_of_scope', `release bundle holds field ${key} outside the approved fields`);
  }
  return { manifest, fields: header.fields, records };
}
