import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { generateMemberKeys, sign, verify } from './members.ts';
import { ready } from './sodium.ts';
import { isWeakEd25519PublicKey, sha256, verifyEd25519 } from './webcrypto.ts';
import { lib } from './sodium.ts';

beforeAll(ready);

describe('verifyEd25519 (WebCrypto) against libsodium signatures', () => {
  it('accepts a libsodium signature and rejects every single-bit change', async () => {
    const keys = generateMemberKeys();
    const message = new TextEncoder().encode('approve request 42');
    const signature = sign(message, keys);
    expect(await verifyEd25519(keys.signPublicKey, signature, message)).toBe(true);
    for (const [name, bytes] of [
      ['signature', signature],
      ['message', message],
      ['key', keys.signPublicKey],
    ] as const) {
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

describe('weak Ed25519 public keys', () => {
  const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
  const smallOrder = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  ];

  it('flags exactly the keys libsodium refuses: small order (both signs) and y >= p', () => {
    const sodium = lib();
    const withSign = (bytes: Uint8Array) => {
      const copy = bytes.slice();
      copy[31]! |= 0x80;
      return copy;
    };
    const weak = [
      ...smallOrder.map(hex),
      ...smallOrder.map((text) => withSign(hex(text))),
      hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
      hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
      hex('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'),
    ];
    for (const key of weak) {
      expect(isWeakEd25519PublicKey(key), Buffer.from(key).toString('hex')).toBe(true);
      expect(sodium.crypto_core_ed25519_is_valid_point(key), Buffer.from(key).toString('hex')).toBe(false);
    }
    for (let index = 0; index < 200; index++) expect(isWeakEd25519PublicKey(generateMemberKeys().signPublicKey)).toBe(false);
  });

  it('the listed order-8 points really have order 8 (8P is the identity, 4P is not)', () => {
    const sodium = lib();
    for (const text of smallOrder.slice(3)) {
      let point: Uint8Array = hex(text);
      const multiples: Uint8Array[] = [point];
      for (let step = 1; step < 8; step++) multiples.push((point = sodium.crypto_core_ed25519_add(point, hex(text))));
      expect(Buffer.from(multiples[7]!).toString('hex')).toBe(smallOrder[1]);
      expect(Buffer.from(multiples[3]!).toString('hex')).not.toBe(smallOrder[1]);
    }
  });

  it('verifyEd25519 refuses a small-order key even with a signature WebCrypto itself would accept', async () => {
    // With A = identity, R = identity and S = 0 the RFC 8032 equation [S]B = R + [k]A holds for every message.
    const identity = hex(smallOrder[1]!);
    const signature = new Uint8Array(64);
    signature.set(identity, 0);
    expect(await verifyEd25519(identity, signature, new TextEncoder().encode('any message'))).toBe(false);
    expect(verify(signature, new TextEncoder().encode('any message'), identity)).toBe(false);
  });
});
