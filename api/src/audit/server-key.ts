// The server's own audit identity: an Ed25519 key (Worker secret AUDIT_SIGNING_KEY, PKCS#8,
// base64url) used only for entries no person makes: expiries. Clients accept it for those types only.
import { fromBase64, toBase64 } from '#crypto/encoding';
import { ApiError } from '../errors.ts';

export interface ServerKey {
  privateKey: CryptoKey;
  publicKey: string;
}

let cached: { source: string; key: Promise<ServerKey> } | null = null;

async function importServerKey(pkcs8: string): Promise<ServerKey> {
  const der = Uint8Array.from(fromBase64(pkcs8));
  const extractable = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
  const jwk = (await crypto.subtle.exportKey('jwk', extractable)) as JsonWebKey;
  if (!jwk.x) throw new Error('the key has no public part');
  const privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  return { privateKey, publicKey: jwk.x };
}

export function serverKey(secret: string | undefined): Promise<ServerKey> {
  if (!secret) {
    return Promise.reject(
      new ApiError(500, 'internal', 'the server is misconfigured: AUDIT_SIGNING_KEY is not set (see README, Deploy); nothing was changed'),
    );
  }
  if (cached?.source !== secret) {
    const key = importServerKey(secret).catch(() => {
      cached = null;
      throw new ApiError(
        500,
        'internal',
        'the server is misconfigured: AUDIT_SIGNING_KEY is not an Ed25519 PKCS#8 key; nothing was changed',
      );
    });
    cached = { source: secret, key };
  }
  return cached.key;
}

export async function signWithServerKey(key: ServerKey, message: Uint8Array): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, Uint8Array.from(message))));
}
