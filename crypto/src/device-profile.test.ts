import { beforeAll, describe, expect, it } from 'vitest';
import { openDeviceProfile, sealDeviceProfile } from './device-profile.ts';
import { concatBytes, fromBase64, toBase64, utf8 } from './encoding.ts';
import { generateMemberKeys } from './members.ts';
import { pad } from './padding.ts';
import { lib, ready } from './sodium.ts';
import { expectCryptoError } from './test-helpers.ts';

beforeAll(ready);

const profile = { memberId: 'm-1', orgId: 'o-1', orgName: 'Tripoli Migrant Solidarity', role: 'field', label: 'Field phone of Amal' };

describe('device profile', () => {
  it('opens with the member keys it was written with, and shows none of its text', () => {
    const member = generateMemberKeys();
    const sealed = sealDeviceProfile(profile, member);
    expect(openDeviceProfile(sealed, member)).toEqual(profile);
    const raw = new TextDecoder('latin1').decode(fromBase64(sealed));
    for (const text of Object.values(profile)) expect(raw.includes(text)).toBe(false);
    // A fresh nonce each time: the same profile written twice looks different.
    expect(sealDeviceProfile(profile, member)).not.toBe(sealed);
  });

  it('hides the length of the names: profiles of different lengths fill the same bucket', () => {
    const member = generateMemberKeys();
    const short = sealDeviceProfile({ ...profile, label: 'A' }, member);
    const long = sealDeviceProfile({ ...profile, label: 'A much longer label for this phone' }, member);
    expect(fromBase64(short).length).toBe(fromBase64(long).length);
  });

  it('cannot be written by anyone without the member keys: a profile made with the public key alone is refused', () => {
    const member = generateMemberKeys();
    // What a sealed box would have allowed: anyone who knows the public key writes a profile.
    const forged = toBase64(
      concatBytes(
        new Uint8Array([0x50, 0x01]),
        lib().crypto_box_seal(pad(utf8(JSON.stringify({ ...profile, orgPublicKey: 'attacker' }))), member.boxPublicKey),
      ),
    );
    expectCryptoError(() => openDeviceProfile(forged, member), 'tampered');
    expectCryptoError(() => openDeviceProfile(sealDeviceProfile(profile, generateMemberKeys()), member), 'tampered');
  });

  it('refuses to write under keys a lock wiped (a sync still under way when the phone locked)', () => {
    const member = generateMemberKeys();
    member.boxSecretKey.fill(0);
    expectCryptoError(() => sealDeviceProfile(profile, member), 'bad_format');
  });

  it('refuses another version, a truncated, garbled or altered profile', () => {
    const member = generateMemberKeys();
    const bytes = fromBase64(sealDeviceProfile(profile, member));
    expectCryptoError(
      () => openDeviceProfile(toBase64(concatBytes(new Uint8Array([0x50, 0x02]), bytes.subarray(2))), member),
      'unsupported_version',
    );
    expectCryptoError(
      () => openDeviceProfile(toBase64(concatBytes(new Uint8Array([0x57, 0x01]), bytes.subarray(2))), member),
      'bad_format',
    );
    expectCryptoError(() => openDeviceProfile(toBase64(bytes.subarray(0, 100)), member), 'bad_format');
    expectCryptoError(() => openDeviceProfile('not base64 !', member), 'bad_format');
    const flipped = bytes.slice();
    flipped[flipped.length - 1]! ^= 1;
    expectCryptoError(() => openDeviceProfile(toBase64(flipped), member), 'tampered');
  });
});
