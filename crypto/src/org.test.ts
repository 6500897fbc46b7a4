import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64, fromBase64 } from './encoding.ts';
import { generateMemberKeys } from './members.ts';
import { generateOrgKeys, unwrapOrgKey, wrapOrgKey } from './org.ts';
import { lib, ready } from './sodium.ts';
import { expectCryptoError } from './test-helpers.ts';

beforeAll(ready);

describe('org key wrapping', () => {
  it('wraps the org key to an officer, who unwraps the same key pair', () => {
    const org = generateOrgKeys();
    const officer = generateMemberKeys();
    const wrapped = wrapOrgKey(org, 'org-1', officer.boxPublicKey);
    expect(wrapped).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(unwrapOrgKey(wrapped, 'org-1', officer)).toEqual(org);
    expect(unwrapOrgKey(wrapped, 'org-1', officer, org.publicKey)).toEqual(org);
  });

  it('another member cannot unwrap it', () => {
    const org = generateOrgKeys();
    const wrapped = wrapOrgKey(org, 'org-1', generateMemberKeys().boxPublicKey);
    expectCryptoError(() => unwrapOrgKey(wrapped, 'org-1', generateMemberKeys()), 'wrong_key');
  });

  it('is bound to its org id', () => {
    const org = generateOrgKeys();
    const officer = generateMemberKeys();
    expectCryptoError(() => unwrapOrgKey(wrapOrgKey(org, 'org-1', officer.boxPublicKey), 'org-2', officer), 'wrong_key');
  });

  it('refuses a well-formed wrap of a key other than the expected org public key', () => {
    const officer = generateMemberKeys();
    const substitute = wrapOrgKey(generateOrgKeys(), 'org-1', officer.boxPublicKey);
    expectCryptoError(() => unwrapOrgKey(substitute, 'org-1', officer, generateOrgKeys().publicKey), 'wrong_key');
  });

  it('refuses a wrap whose secret does not match its public key', () => {
    const officer = generateMemberKeys();
    const mismatched = { publicKey: generateOrgKeys().publicKey, secretKey: generateOrgKeys().secretKey };
    expectCryptoError(() => unwrapOrgKey(wrapOrgKey(mismatched, 'org-1', officer.boxPublicKey), 'org-1', officer), 'tampered');
  });

  it('rejects flipped bytes, truncation, unknown tags and versions', () => {
    const officer = generateMemberKeys();
    const bytes = fromBase64(wrapOrgKey(generateOrgKeys(), 'org-1', officer.boxPublicKey));
    for (let index = 2; index < bytes.length; index += 7) {
      const copy = bytes.slice();
      copy[index]! ^= 0x20;
      expectCryptoError(() => unwrapOrgKey(toBase64(copy), 'org-1', officer), 'wrong_key', 'tampered');
    }
    expectCryptoError(() => unwrapOrgKey(toBase64(bytes.subarray(0, 40)), 'org-1', officer), 'bad_format');
    const tag = bytes.slice();
    tag[0] = 0x58;
    expectCryptoError(() => unwrapOrgKey(toBase64(tag), 'org-1', officer), 'bad_format');
    const version = bytes.slice();
    version[1] = 2;
    expectCryptoError(() => unwrapOrgKey(toBase64(version), 'org-1', officer), 'unsupported_version');
    expectCryptoError(() => unwrapOrgKey('not base64!', 'org-1', officer), 'bad_format');
  });

  it('the sealed box is what any libsodium binding can open with crypto_box_seal_open', () => {
    const org = generateOrgKeys();
    const officer = generateMemberKeys();
    const bytes = fromBase64(wrapOrgKey(org, 'org-1', officer.boxPublicKey));
    const inner = lib().crypto_box_seal_open(bytes.subarray(2), officer.boxPublicKey, officer.boxSecretKey);
    expect(inner.subarray(-32)).toEqual(org.secretKey);
  });
});
