// Release bundle container and manifest: parsing and the signature check, with WebCrypto only, so
// the Worker can check a bundle an officer uploads (signed by an officer, for an approved request)
// without being able to read it. Creating and opening bundles: bundle.ts. Layout: crypto/FORMAT.md.
import { CryptoError } from './errors.ts';
import { fromBase64, fromUtf8, parseUtcTime, readUint32, utf8 } from './encoding.ts';
import { verifyEd25519 } from './webcrypto.ts';

export const BUNDLE_FORMAT = 'buffer/release-bundle/v1';
/** First bytes of every bundle file: the format name and a newline. */
export const BUNDLE_MAGIC = utf8(`${BUNDLE_FORMAT}\n`);
const MAGIC_PREFIX = utf8('buffer/release-bundle/');
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  bundleId: string;
  orgId: string;
  requestHash: string;
  /** The requester's X25519 public key the bundle key is sealed to (base64url). */
  recipient: string;
  releasedBy: { memberId: string; signPublicKey: string };
  createdAt: string;
  expiresAt: string;
  /** crypto_box_seal(bundle key, recipient), base64url (80 bytes). */
  sealedKey: string;
  chunkSize: number;
  chunks: { bytes: number; sha256: string }[];
}

export interface ParsedBundle {
  manifest: BundleManifest;
  manifestBytes: Uint8Array;
  signature: Uint8Array;
  /** Offset of the first chunk in the file. */
  chunksOffset: number;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let index = 0; index < prefix.length; index++) if (bytes[index] !== prefix[index]) return false;
  return true;
}

/** Splits the container; the manifest JSON is parsed but not yet checked or trusted. */
function splitBundle(bytes: Uint8Array): ParsedBundle {
  if (!startsWith(bytes, BUNDLE_MAGIC)) {
    if (startsWith(bytes, MAGIC_PREFIX)) throw new CryptoError('unsupported_version', 'release bundle version not supported');
    throw new CryptoError('bad_format', 'not a release bundle');
  }
  let offset = BUNDLE_MAGIC.length;
  const length = readUint32(bytes, offset);
  offset += 4;
  if (length > MAX_MANIFEST_BYTES || offset + length + 64 > bytes.length) throw new CryptoError('bad_format', 'release bundle truncated');
  const manifestBytes = bytes.slice(offset, offset + length);
  offset += length;
  const signature = bytes.slice(offset, offset + 64);
  offset += 64;
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(fromUtf8(manifestBytes)) as BundleManifest;
  } catch (cause) {
    throw new CryptoError('bad_format', 'release bundle manifest is not JSON', { cause });
  }
  if (!manifest || typeof manifest !== 'object' || typeof manifest.releasedBy?.signPublicKey !== 'string')
    throw new CryptoError('bad_format', 'release bundle manifest names no signer');
  return { manifest, manifestBytes, signature, chunksOffset: offset };
}

/** Checks the manifest's shape and that the file length matches it. */
function checkManifest(parsed: ParsedBundle, totalLength: number): void {
  const { manifest } = parsed;
  if (manifest.format !== BUNDLE_FORMAT) throw new CryptoError('bad_format', 'release bundle manifest has another format');
  const strings = [
    manifest.bundleId,
    manifest.orgId,
    manifest.requestHash,
    manifest.recipient,
    manifest.createdAt,
    manifest.expiresAt,
    manifest.sealedKey,
    manifest.releasedBy?.memberId,
    manifest.releasedBy?.signPublicKey,
  ];
  if (strings.some((value) => typeof value !== 'string')) throw new CryptoError('bad_format', 'release bundle manifest is missing fields');
  if (!Number.isInteger(manifest.chunkSize) || manifest.chunkSize < 1 || !Array.isArray(manifest.chunks))
    throw new CryptoError('bad_format', 'release bundle manifest: bad chunk list');
  let total = 0;
  for (const chunk of manifest.chunks) {
    if (
      !chunk ||
      !Number.isInteger(chunk.bytes) ||
      chunk.bytes < 17 ||
      chunk.bytes > manifest.chunkSize + 16 ||
      typeof chunk.sha256 !== 'string'
    ) {
      throw new CryptoError('bad_format', 'release bundle manifest: bad chunk entry');
    }
    total += 24 + chunk.bytes;
  }
  if (parsed.chunksOffset + total !== totalLength) throw new CryptoError('bad_format', 'release bundle length does not match its manifest');
}

/** Splits the container and checks the manifest's shape (not its signature: see verifyBundleManifest). */
export function parseBundle(bytes: Uint8Array): ParsedBundle {
  const parsed = splitBundle(bytes);
  checkManifest(parsed, bytes.length);
  return parsed;
}

export interface BundleExpectations {
  /** The approved request this bundle must answer. */
  requestHash: string;
  /** base64url Ed25519 keys of the officers allowed to release (from the org's member registry). */
  officerKeys: readonly string[];
  /** Defaults to the current time. */
  now?: Date;
  /** The approved fields; when given, a bundle carrying any other field is refused (out_of_scope). */
  fields?: readonly string[];
  /** The org the officer keys belong to; when given, a bundle for another org is refused (out_of_scope). */
  orgId?: string;
}

/**
 * Checks the officer's signature over the exact manifest bytes, that the signer is an officer, that
 * it answers the expected request and has not expired. WebCrypto only.
 */
export async function verifyBundleManifest(bytes: Uint8Array, expected: BundleExpectations): Promise<ParsedBundle> {
  // Order as in FORMAT.md: signer and signature first, then trust the manifest's contents.
  const parsed = splitBundle(bytes);
  const { manifest } = parsed;
  if (!expected.officerKeys.includes(manifest.releasedBy.signPublicKey))
    throw new CryptoError('bad_signature', 'release bundle was not signed by an officer of this org');
  if (!(await verifyEd25519(fromBase64(manifest.releasedBy.signPublicKey), parsed.signature, parsed.manifestBytes))) {
    throw new CryptoError('bad_signature', 'release bundle signature does not verify');
  }
  checkManifest(parsed, bytes.length);
  if (manifest.requestHash !== expected.requestHash) throw new CryptoError('out_of_scope', 'release bundle answers another request');
  if (expected.orgId !== undefined && manifest.orgId !== expected.orgId)
    throw new CryptoError('out_of_scope', 'release bundle comes from another org');
  const now = (expected.now ?? new Date()).getTime();
  // An expiresAt that cannot be read as a time (FORMAT.md, Conventions) counts as expired.
  if (!(parseUtcTime(manifest.expiresAt) > now)) throw new CryptoError('out_of_scope', 'release bundle has expired');
  return parsed;
}
