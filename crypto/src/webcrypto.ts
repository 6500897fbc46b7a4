// Verification with WebCrypto only: runs in Cloudflare Workers (where libsodium.js cannot),
// browsers and Node. Signatures are made with libsodium elsewhere; these only check them.

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
  return api;
}

/** Copies into a fresh ArrayBuffer-backed array (WebCrypto rejects SharedArrayBuffer views). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

/**
 * y coordinates (little-endian, sign bit cleared) of the 8 small-order Ed25519 points: 0 (order 4),
 * 1 (identity), p-1 (order 2) and two of order 8. Any key whose y is one of these, whatever its
 * sign bit, is a small-order point.
 */
const SMALL_ORDER_Y = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
].map(hexBytes);

/**
 * True for Ed25519 public keys libsodium refuses and RFC 8032 verifiers may accept: small-order
 * points (a signer with one can make signatures that verify for many messages, i.e. deny or
 * duplicate their own signatures) and non-canonical encodings (y >= p). Registration should refuse
 * them; verifyEd25519 returns false for them, matching libsodium's crypto_sign_verify_detached.
 */
export function isWeakEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return true;
  const y = publicKey.slice();
  y[31]! &= 0x7f;
  let high = y[31] === 0x7f && y[0]! >= 0xed;
  for (let index = 1; index < 31 && high; index++) high = y[index] === 0xff;
  if (high) return true; // y >= p = 2^255 - 19: non-canonical
  return SMALL_ORDER_Y.some((candidate) => equalBytes(candidate, y));
}

/** Ed25519 (RFC 8032) detached signature check. Malformed or weak keys and malformed signatures give false. */
export async function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32 || isWeakEd25519PublicKey(publicKey)) return false;
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(message instanceof Uint8Array)) return false;
  try {
    const key = await subtle().importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);
    return await subtle().verify({ name: 'Ed25519' }, key, own(signature), own(message));
  } catch {
    return false;
  }
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', own(bytes)));
}

/** Constant-time equality for public values (hashes); no libsodium here. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}
