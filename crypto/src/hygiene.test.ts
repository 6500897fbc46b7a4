// Secrets must not linger in the WebAssembly heap after a call: libsodium-wrappers frees its
// argument copies without zeroing, so sodium.ts zeroes every buffer before it is freed. This scans
// the whole heap for key material after the operations that pass secrets through libsodium.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBundle, openBundle } from './bundle.ts';
import { toBase64 } from './encoding.ts';
import { generateMemberKeys, lockMemberKeys, sign, unlockMemberKeys } from './members.ts';
import { generateOrgKeys, unwrapOrgKey, wrapOrgKey } from './org.ts';
import { createRecordOpener, openRecord, openSealingSession, sealRecord } from './records.ts';
import { lib, ready } from './sodium.ts';
import { FAST_KDF } from './test-helpers.ts';

beforeAll(ready);

function heap(): Buffer {
  return Buffer.from((lib() as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8.buffer);
}

describe('no secrets left in the WebAssembly heap', () => {
  it('after key generation, wrapping, signing, locking and opening', async () => {
    const org = generateOrgKeys();
    const member = generateMemberKeys();
    const requester = generateMemberKeys();
    const wrapped = wrapOrgKey(org, 'org-1', member.boxPublicKey);
    const unwrapped = unwrapOrgKey(wrapped, 'org-1', member);
    sign(new Uint8Array([1, 2, 3]), member);
    const locked = lockMemberKeys(member, 'passphrase', FAST_KDF);
    unlockMemberKeys(locked, 'passphrase');
    const session = openSealingSession('org-1', org.publicKey);
    const secretText = Buffer.from('NAME-Fatima-PHONE-0123456789');
    const envelope = sealRecord(session, 'rec-1', 1, secretText);
    openRecord(createRecordOpener('org-1', unwrapped), 'rec-1', 1, envelope);
    const bundle = createBundle({
      orgId: 'org-1',
      requestHash: 'H',
      recipientBoxPublicKey: requester.boxPublicKey,
      fields: ['name'],
      records: [{ name: 'BUNDLE-NAME-Yohannes' }],
      expiresAt: '2099-01-01T00:00:00.000Z',
      releasedBy: { memberId: 'm', keys: member },
    });
    await openBundle(bundle, requester, { requestHash: 'H', officerKeys: [toBase64(member.signPublicKey)] });
    const memory = heap();
    const secrets: [string, Uint8Array][] = [
      ['org secret key', org.secretKey],
      ['member sign secret key (seed half)', member.signSecretKey.subarray(0, 32)],
      ['member box secret key', member.boxSecretKey],
      ['requester box secret key', requester.boxSecretKey],
      ['record plaintext', secretText],
      ['bundle plaintext', Buffer.from('BUNDLE-NAME-Yohannes')],
      ['passphrase', Buffer.from('passphrase')],
    ];
    for (const [name, secret] of secrets) expect(memory.includes(Buffer.from(secret)), name).toBe(false);
  });
});
