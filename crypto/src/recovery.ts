// Recovery: the org secret key split k-of-n with Shamir (the audited `shamir-secret-sharing`
// package), each share printable as text and as a QR code. Any k rebuild it; the result is checked
// against the org public key, so a wrong or missing share can never yield a wrong key silently.
import QRCode from 'qrcode';
import { combine, split } from 'shamir-secret-sharing';
import { CryptoError } from './errors.ts';
import { fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from './encoding.ts';
import { keyPairMatches, orgKeyId, type OrgKeys } from './org.ts';
import { lib, wipe } from './sodium.ts';

export const RECOVERY_SHARE_PREFIX = 'buffer-recovery-v1';

export interface RecoveryShare {
  orgId: string;
  /** hex of orgKeyId(org public key): which key this share rebuilds. */
  keyId: string;
  threshold: number;
  shares: number;
  index: number;
  share: Uint8Array;
}

function checksum(body: string): string {
  return toBase64(lib().crypto_hash_sha256(utf8(body)).subarray(0, 4));
}

/**
 * Text form: buffer-recovery-v1.<orgId b64url>.<keyId hex>.<k>of<n>.<index>.<share b64url>.<checksum>
 * The checksum (first 4 bytes of SHA-256 of everything before it) catches typing and scanning errors.
 */
export function encodeRecoveryShare(share: RecoveryShare): string {
  const body = [
    RECOVERY_SHARE_PREFIX,
    toBase64(utf8(share.orgId)),
    share.keyId,
    `${share.threshold}of${share.shares}`,
    String(share.index),
    toBase64(share.share),
  ].join('.');
  return `${body}.${checksum(body)}`;
}

export function parseRecoveryShare(text: string): RecoveryShare {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  const parts = trimmed.split('.');
  if (parts[0] !== RECOVERY_SHARE_PREFIX) {
    if (parts[0]?.startsWith('buffer-recovery-')) throw new CryptoError('unsupported_version', 'recovery share version not supported');
    throw new CryptoError('bad_format', 'not a recovery share');
  }
  if (parts.length !== 7) throw new CryptoError('bad_format', 'recovery share: wrong number of parts');
  const body = parts.slice(0, 6).join('.');
  if (checksum(body) !== parts[6]) throw new CryptoError('bad_format', 'recovery share checksum does not match (mistyped or damaged)');
  // Counts: FORMAT.md's pattern, then 2 <= k <= n <= 255 (what any writer can have printed).
  const counts = /^([0-9]{1,3})of([0-9]{1,3})$/.exec(parts[3]!);
  if (!counts) throw new CryptoError('bad_format', 'recovery share: counts are not <k>of<n>');
  const threshold = Number(counts[1]);
  const shares = Number(counts[2]);
  if (threshold < 2 || threshold > shares || shares > 255)
    throw new CryptoError('bad_format', 'recovery share: counts outside 2 <= k <= n <= 255');
  // Index: decimal(i), ASCII digits without sign or leading zero, 1 <= i <= 255. A label only: not compared with n.
  if (!/^[1-9][0-9]{0,2}$/.test(parts[4]!) || Number(parts[4]) > 255)
    throw new CryptoError('bad_format', 'recovery share: index is not a number from 1 to 255');
  const index = Number(parts[4]);
  const orgId = fromUtf8(fromBase64(parts[1]!));
  fromHex(parts[2]!);
  return { orgId, keyId: parts[2]!, threshold, shares, index, share: fromBase64(parts[5]!) };
}

/** Splits the org secret key into `shares` text shares, any `threshold` of which rebuild it. */
export async function splitOrgKey(org: OrgKeys, orgId: string, threshold: number, shares: number): Promise<string[]> {
  if (!Number.isInteger(threshold) || !Number.isInteger(shares) || threshold < 2 || shares < threshold || shares > 255) {
    throw new RangeError('splitOrgKey: need 2 <= threshold <= shares <= 255');
  }
  if (!keyPairMatches(org.publicKey, org.secretKey)) throw new CryptoError('wrong_key', 'org secret key does not match its public key');
  const parts = await split(org.secretKey, shares, threshold);
  const keyId = toHex(orgKeyId(org.publicKey));
  const texts = parts.map((share, position) => encodeRecoveryShare({ orgId, keyId, threshold, shares, index: position + 1, share }));
  wipe(...parts);
  return texts;
}

/** Rebuilds the org key from any `threshold` shares and checks it against the org public key. */
export async function recoverOrgKey(texts: readonly string[], orgId: string, orgPublicKey: Uint8Array): Promise<OrgKeys> {
  const parsed = texts.map(parseRecoveryShare);
  const keyId = toHex(orgKeyId(orgPublicKey));
  for (const share of parsed) {
    if (share.orgId !== orgId) throw new CryptoError('wrong_key', `share ${share.index} belongs to another org`);
    if (share.keyId !== keyId) throw new CryptoError('wrong_key', `share ${share.index} belongs to another org key (rotated?)`);
  }
  const distinct = new Map<string, Uint8Array>();
  for (const share of parsed) distinct.set(toBase64(share.share), share.share);
  const threshold = parsed[0]?.threshold ?? 2;
  if (distinct.size < threshold || parsed.some((share) => share.threshold !== threshold)) {
    throw new CryptoError('not_enough_shares', `need ${threshold} different shares, got ${distinct.size}`);
  }
  let secretKey: Uint8Array;
  try {
    secretKey = await combine([...distinct.values()]);
  } catch (cause) {
    throw new CryptoError('not_enough_shares', 'shares do not combine', { cause });
  }
  if (!keyPairMatches(orgPublicKey, secretKey)) {
    wipe(secretKey);
    throw new CryptoError('not_enough_shares', 'shares do not rebuild this org key');
  }
  for (const share of parsed) wipe(share.share);
  return { publicKey: orgPublicKey.slice(), secretKey };
}

/** QR code of a share text, as an SVG document (print it; no network, no images to host). */
export function recoveryShareQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** QR code of a share text as a PNG data URL (for a screen). */
export function recoveryShareQrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2 });
}
