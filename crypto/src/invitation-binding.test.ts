import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from './encoding.ts';
import {
  checkInvitationBinding,
  invitationBinding,
  memberFingerprint,
  newInvitationSecret,
  type BoundMember,
} from './invitation-binding.ts';
import { generateMemberKeys } from './members.ts';
import { ready } from './sodium.ts';
import { expectCryptoError } from './test-helpers.ts';

beforeAll(ready);

// The example in crypto/FORMAT.md ("Invitation binding"), computed with Python's hashlib.blake2b
// (keyed BLAKE2b, another implementation than libsodium's).
const example: BoundMember = {
  orgId: 'org-00000001',
  memberId: 'member-0000001',
  role: 'officer',
  signPublicKey: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE',
  boxPublicKey: 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI',
};
const exampleSecret = 'AAECAwQFBgcICQoLDA0ODw';

const memberWith = (keys = generateMemberKeys()): BoundMember => ({
  orgId: 'org-00000001',
  memberId: 'member-0000002',
  role: 'officer',
  signPublicKey: toBase64(keys.signPublicKey),
  boxPublicKey: toBase64(keys.boxPublicKey),
});

describe('invitation binding', () => {
  it('matches the worked example of FORMAT.md', () => {
    expect(invitationBinding(exampleSecret, example)).toBe('HD51qq90EYSLvmjVBp3Q9V6YsKtsHZegx4ObEKKtlj8');
    expect(memberFingerprint(example.signPublicKey, example.boxPublicKey)).toBe('DBC4 7781 F04D 0508 A54E 38BD BBDF E448');
  });

  it('holds for the keys the joining device MACed, and for nothing else', () => {
    const secret = newInvitationSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const member = memberWith();
    const binding = invitationBinding(secret, member);
    expect(checkInvitationBinding(secret, member, binding)).toBe(true);
    // The server swaps the box key (it would receive the org key), or the signing key, or the role, or the id.
    const other = memberWith();
    for (const changed of [
      { boxPublicKey: other.boxPublicKey },
      { signPublicKey: other.signPublicKey },
      { role: 'field' as const },
      { memberId: 'member-0000003' },
      { orgId: 'org-00000002' },
    ]) {
      expect(checkInvitationBinding(secret, { ...member, ...changed }, binding)).toBe(false);
    }
    // Without the secret the server cannot make one: another secret gives another binding.
    expect(checkInvitationBinding(newInvitationSecret(), member, binding)).toBe(false);
    expect(checkInvitationBinding(secret, member, null)).toBe(false);
    expect(checkInvitationBinding(secret, member, 'not base64!')).toBe(false);
    expect(checkInvitationBinding(secret, member, binding.slice(0, 20))).toBe(false);
  });

  it('refuses a malformed secret or key', () => {
    expectCryptoError(() => invitationBinding('short', example), 'bad_format');
    expectCryptoError(() => invitationBinding(exampleSecret, { ...example, boxPublicKey: 'AgIC' }), 'bad_format');
    expectCryptoError(() => memberFingerprint(example.signPublicKey, 'x'), 'bad_format');
  });
});
