import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { generateMemberKeys, sign, verify } from './members.ts';
import { ready } from './sodium.ts';
import { sha256, verifyEd25519 } from './webcrypto.ts';

beforeAll(ready);

describe('verifyEd25519 (WebCrypto) against libsodium signatures', () => {
  it('accepts a libsodium signature and rejects every single-bit change', async () => {
    const keys = generateMemberKeys();
    const message = new TextEncoder().encode('approve request 42');
    const signature = sign(message, keys);
    expect(await verifyEd25519(keys.signPublicKey, signature, message)).toBe(true);
    for (const [name, bytes] of [['signature', signature], ['message', message], ['key', keys.signPublicKey]] as const) {
      for (const index of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
        const changed = { signature, message, key: keys.signPublicKey };
        const copy = bytes.slice();
        copy[index]! ^= 1;
        changed[name === 'key' ? 'key' : name] = copy;
        expect(await verifyEd25519(changed.key, changed.signature, changed.message), `${name}[${index}]`).toBe(false);
      }
    }
  });

  it('rejects a signature by another key and malformed lengths without throwing', async () => {
    const alice = generateMemberKeys();
    const bob = generateMemberKeys();
    const message = new Uint8Array([1, 2, 3]);
    const signature = sign(message, alice);
    expect(await verifyEd25519(bob.signPublicKey, signature, message)).toBe(false);
    expect(await verifyEd25519(alice.signPublicKey.subarray(1), signature, message)).toBe(false);
    expect(await verifyEd25519(alice.signPublicKey, signature.subarray(0, 63), message)).toBe(false);
  });

  it('libsodium verify accepts a WebCrypto-made signature (node:crypto Ed25519), both ways agree', async () => {
    const pair = generateKeyPairSync('ed25519');
    const raw = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const message = new TextEncoder().encode('both directions');
    const signature = new Uint8Array(nodeSign(null, message, pair.privateKey));
    const publicKey = new Uint8Array(raw);
    expect(verify(signature, message, publicKey)).toBe(true);
    expect(await verifyEd25519(publicKey, signature, message)).toBe(true);
    signature[10]! ^= 0x80;
    expect(verify(signature, message, publicKey)).toBe(false);
    expect(await verifyEd25519(publicKey, signature, message)).toBe(false);
  });
});

describe('sha256', () => {
  it('matches node:crypto and the FIPS 180 "abc" vector', async () => {
    const abc = new TextEncoder().encode('abc');
    expect(Buffer.from(await sha256(abc)).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const random = crypto.getRandomValues(new Uint8Array(5000));
    expect(Buffer.from(await sha256(random))).toEqual(createHash('sha256').update(random).digest());
  });
});
