// Small helpers for the Worker, on WebCrypto (libsodium cannot run in workerd).
import { toBase64, toHex } from '#crypto/encoding';
import { sha256 } from '#crypto/webcrypto';

/** A random token from the platform CSPRNG, base64url. */
export function randomToken(bytes = 32): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  return toHex(await sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

export const nowIso = () => new Date().toISOString();
export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
