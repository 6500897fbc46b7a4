import { beforeAll, describe, expect, it } from 'vitest';
import { generateMemberKeys } from './members.ts';
import { generateOrgKeys, unwrapOrgKey, wrapOrgKey } from './org.ts';
import { createRecordOpener, openRecord, openSealingSession, sealRecord } from './records.ts';
import { rotateOrgKey, sameBody } from './rotation.ts';
import { ready } from './sodium.ts';
import { bytesOf, expectCryptoError } from './test-helpers.ts';

beforeAll(ready);

describe('rotation and revocation', () => {
  it('re-wraps data keys to the new org key without touching bodies; revoked members get no wrap', () => {
    const old = generateOrgKeys();
    const alice = generateMemberKeys();
    const mallory = generateMemberKeys();
    const oldWrapForMallory = wrapOrgKey(old, 'org-1', mallory.boxPublicKey);
    const session = openSealingSession('org-1', old.publicKey);
    const records = Array.from({ length: 25 }, (_, index) => ({
      recordId: `rec-${index}`,
      version: 1 + (index % 3),
      envelope: sealRecord(session, `rec-${index}`, 1 + (index % 3), bytesOf(`person ${index}`)),
    }));
    const progress: [number, number][] = [];
    const rotated = rotateOrgKey({
      oldOpener: createRecordOpener('org-1', old),
      officers: [
        { memberId: 'alice', boxPublicKey: alice.boxPublicKey },
        { memberId: 'mallory', boxPublicKey: mallory.boxPublicKey },
      ],
      revokedMemberIds: ['mallory'],
      records,
      onProgress: (done, total) => progress.push([done, total]),
      progressEvery: 10,
    });
    expect(progress).toEqual([
      [10, 25],
      [20, 25],
      [25, 25],
    ]);
    expect([...rotated.wraps.keys()]).toEqual(['alice']);
    const newKey = unwrapOrgKey(rotated.wraps.get('alice')!, 'org-1', alice, rotated.org.publicKey);
    const newOpener = createRecordOpener('org-1', newKey);
    rotated.envelopes.forEach((envelope, index) => {
      const record = records[index]!;
      expect(sameBody(envelope, record.envelope)).toBe(true);
      expect(envelope).not.toEqual(record.envelope);
      expect(openRecord(newOpener, record.recordId, record.version, envelope)).toEqual(bytesOf(`person ${index}`));
    });
    // Mallory still holds the old org key: it opens none of the re-wrapped envelopes.
    const malloryOld = createRecordOpener('org-1', unwrapOrgKey(oldWrapForMallory, 'org-1', mallory));
    for (const [index, envelope] of rotated.envelopes.entries())
      expectCryptoError(() => openRecord(malloryOld, records[index]!.recordId, records[index]!.version, envelope), 'wrong_key');
  });

  it('a tampered record stops the re-wrap with a clear error instead of writing garbage', () => {
    const old = generateOrgKeys();
    const session = openSealingSession('org-1', old.publicKey);
    const envelope = sealRecord(session, 'rec-1', 1, bytesOf('x'));
    envelope[70]! ^= 1;
    expectCryptoError(
      () =>
        rotateOrgKey({
          oldOpener: createRecordOpener('org-1', old),
          officers: [],
          revokedMemberIds: [],
          records: [{ recordId: 'rec-1', version: 1, envelope }],
        }),
      'tampered',
    );
  });
});
