import { beforeAll, describe, expect, it } from 'vitest';
import { signDecision } from './activation-sign.ts';
import {
  arrangementBytes,
  arrangementCopyHash,
  arrangementSigners,
  BREAK_GLASS_MAX_WAIT_SECONDS,
  BREAK_GLASS_MIN_WAIT_SECONDS,
  breakGlassStatus,
  verifyArrangement,
} from './breakglass-policy.ts';
import {
  ARRANGEMENT_WRAP_BYTES,
  createArrangement,
  createArrangementOpener,
  openArrangementEscrow,
  openArrangementSession,
  openWithArrangement,
  recoverArrangementKey,
  wrapForArrangement,
} from './breakglass.ts';
import { concatBytes, fromBase64, lengthPrefixed, toBase64 } from './encoding.ts';
import { generateMemberKeys, sign } from './members.ts';
import { generateOrgKeys } from './org.ts';
import { closeSealingSession, createRecordOpener, openRecord, openSealingSession, sealRecord } from './records.ts';
import { lib, ready } from './sodium.ts';
import { bytesOf, expectCryptoError, expectCryptoRejection } from './test-helpers.ts';

beforeAll(ready);

async function setup(waitingPeriodSeconds = 86_400) {
  const org = generateOrgKeys();
  const officer = generateMemberKeys();
  const requester = generateMemberKeys();
  const { arrangement, publicKey } = await createArrangement({
    orgId: 'org-1',
    orgPublicKey: org.publicKey,
    arrangementId: 'arr-1',
    requester: { id: 'city-x', signPublicKey: requester.signPublicKey, boxPublicKey: requester.boxPublicKey },
    waitingPeriodSeconds,
    fields: ['name', 'assemblyPoint'],
    createdAt: '2026-01-10T00:00:00.000Z',
    officer: { memberId: 'officer-1', keys: officer },
  });
  return { org, officer, requester, arrangement, publicKey };
}

describe('break-glass', () => {
  it('a field device wraps data keys to the arrangement at capture; the requester opens them after recovery', async () => {
    const { org, requester, arrangement, publicKey } = await setup();
    expect(await verifyArrangement(arrangement.descriptor, arrangement.signature, [arrangement.descriptor.createdBy.signPublicKey])).toBe(
      true,
    );
    const session = openSealingSession('org-1', org.publicKey);
    const target = openArrangementSession('org-1', 'arr-1', publicKey);
    const envelope = sealRecord(session, 'rec-1', 1, bytesOf('Hawa, assembly point B'));
    const untouched = envelope.slice();
    const wrap = wrapForArrangement(session, target, 'rec-1', 1, envelope);
    closeSealingSession(session);
    expect(wrap).toHaveLength(ARRANGEMENT_WRAP_BYTES);
    expect(envelope).toEqual(untouched);
    const keys = await recoverArrangementKey(arrangement, requester);
    const opener = createArrangementOpener('org-1', 'arr-1', keys);
    expect(openWithArrangement(opener, 'rec-1', 1, envelope, wrap)).toEqual(bytesOf('Hawa, assembly point B'));
    expect(openRecord(createRecordOpener('org-1', org), 'rec-1', 1, envelope)).toEqual(bytesOf('Hawa, assembly point B'));
  });

  it('an officer can add the wrap later with the org key, and recover the arrangement key from escrow', async () => {
    const { org, arrangement, publicKey } = await setup();
    const session = openSealingSession('org-1', org.publicKey);
    const envelope = sealRecord(session, 'rec-2', 4, bytesOf('later consent'));
    closeSealingSession(session);
    const wrap = wrapForArrangement(
      createRecordOpener('org-1', org),
      openArrangementSession('org-1', 'arr-1', publicKey),
      'rec-2',
      4,
      envelope,
    );
    const escrowed = openArrangementEscrow(arrangement, org);
    expect(openWithArrangement(createArrangementOpener('org-1', 'arr-1', escrowed), 'rec-2', 4, envelope, wrap)).toEqual(
      bytesOf('later consent'),
    );
    expectCryptoError(() => openArrangementEscrow(arrangement, generateOrgKeys()), 'wrong_key');
  });

  it('the requester alone (one share) and the server alone (shares sealed to the requester) cannot rebuild the key', async () => {
    const { requester, arrangement } = await setup();
    await expectCryptoRejection(
      () => recoverArrangementKey({ ...arrangement, serverShare: arrangement.requesterShare }, requester),
      'not_enough_shares',
    );
    // The server holds serverShare and the descriptor, but no key that opens either share.
    await expectCryptoRejection(() => recoverArrangementKey(arrangement, generateMemberKeys()), 'wrong_key');
    // A share from another arrangement does not combine into this one.
    const other = await setup();
    await expectCryptoRejection(
      () => recoverArrangementKey({ ...arrangement, serverShare: other.arrangement.serverShare }, requester),
      'wrong_key',
    );
  });

  it('wraps are bound to record id, version, arrangement and key', async () => {
    const { org, requester, arrangement, publicKey } = await setup();
    const session = openSealingSession('org-1', org.publicKey);
    const target = openArrangementSession('org-1', 'arr-1', publicKey);
    const a = sealRecord(session, 'rec-a', 1, bytesOf('a'));
    const b = sealRecord(session, 'rec-b', 1, bytesOf('b'));
    const wrapA = wrapForArrangement(session, target, 'rec-a', 1, a);
    const opener = createArrangementOpener('org-1', 'arr-1', await recoverArrangementKey(arrangement, requester));
    expectCryptoError(() => openWithArrangement(opener, 'rec-b', 1, b, wrapA), 'tampered');
    expectCryptoError(() => openWithArrangement(opener, 'rec-a', 2, a, wrapA), 'tampered');
    expectCryptoError(() => openWithArrangement(createArrangementOpener('org-1', 'arr-2', opener.keys), 'rec-a', 1, a, wrapA), 'tampered');
    expectCryptoError(
      () => openWithArrangement(createArrangementOpener('org-1', 'arr-1', generateOrgKeys()), 'rec-a', 1, a, wrapA),
      'wrong_key',
    );
    for (let index = 0; index < wrapA.length; index++) {
      const copy = wrapA.slice();
      copy[index]! ^= 1;
      expectCryptoError(
        () => openWithArrangement(opener, 'rec-a', 1, a, copy),
        'bad_format',
        'unsupported_version',
        'wrong_key',
        'tampered',
      );
    }
  });

  it('a device cannot wrap records of another session, or after closing', async () => {
    const { org, publicKey } = await setup();
    const first = openSealingSession('org-1', org.publicKey);
    const second = openSealingSession('org-1', org.publicKey);
    const target = openArrangementSession('org-1', 'arr-1', publicKey);
    const envelope = sealRecord(first, 'rec-1', 1, bytesOf('x'));
    expectCryptoError(() => wrapForArrangement(second, target, 'rec-1', 1, envelope), 'wrong_key');
    closeSealingSession(first);
    expect(() => wrapForArrangement(first, target, 'rec-1', 1, envelope)).toThrow(/closed/);
  });

  it('the server releases its share only after the waiting period and without a valid veto', async () => {
    const officers = [generateMemberKeys(), generateMemberKeys()];
    const officerKeys = { 'officer-0': toBase64(officers[0]!.signPublicKey), 'officer-1': toBase64(officers[1]!.signPublicKey) };
    const base = { requestHash: 'BG-REQ', startedAt: '2026-11-23T09:00:00.000Z', waitingPeriodSeconds: 3600, officerKeys };
    expect(await breakGlassStatus({ ...base, decisions: [], now: new Date('2026-11-23T09:59:59Z') })).toEqual({
      state: 'waiting',
      releasableAt: '2026-11-23T10:00:00.000Z',
    });
    expect(await breakGlassStatus({ ...base, decisions: [], now: new Date('2026-11-23T10:00:00Z') })).toEqual({
      state: 'releasable',
      releasableAt: '2026-11-23T10:00:00.000Z',
    });
    const veto = signDecision('BG-REQ', 'veto', 'officer-1', officers[1]!);
    expect(await breakGlassStatus({ ...base, decisions: [veto], now: new Date('2026-11-24T00:00:00Z') })).toEqual({
      state: 'vetoed',
      vetoedBy: ['officer-1'],
    });
    const forged = signDecision('BG-REQ', 'veto', 'officer-1', generateMemberKeys());
    const otherRequest = signDecision('OTHER', 'veto', 'officer-0', officers[0]!);
    expect(await breakGlassStatus({ ...base, decisions: [forged, otherRequest], now: new Date('2026-11-24T00:00:00Z') })).toMatchObject({
      state: 'releasable',
    });
  });

  // What the server and the requester's device both count (decision 0610): on the device this is
  // the check that a server which rewrote the stored co-signatures in D1 cannot pass.
  it('counts the officers who signed an arrangement: the creator and valid co-signers of the statement only', async () => {
    const { arrangement, officer } = await setup();
    const second = generateMemberKeys();
    const outsider = generateMemberKeys();
    const { descriptor, signature } = arrangement;
    const bytes = arrangementBytes(descriptor);
    const cosign = (memberId: string, keys: typeof second) => ({ memberId, signature: toBase64(sign(bytes, keys)) });
    const officers = new Map([
      ['officer-1', toBase64(officer.signPublicKey)],
      ['officer-2', toBase64(second.signPublicKey)],
    ]);
    expect(await arrangementSigners(descriptor, signature, [], officers)).toEqual(['officer-1']);
    expect(await arrangementSigners(descriptor, signature, [cosign('officer-2', second)], officers)).toEqual(['officer-1', 'officer-2']);
    // Forged (another key under an officer's id), not an officer, the creator twice, not base64url: none counts.
    const forged = [
      cosign('officer-2', outsider),
      cosign('outsider', outsider),
      cosign('officer-1', officer),
      { memberId: 'officer-2', signature: '!!' },
    ];
    expect(await arrangementSigners(descriptor, signature, forged, officers)).toEqual(['officer-1']);
    // A creator the statement does not list, or with another key, is not counted either.
    expect(
      await arrangementSigners(
        descriptor,
        signature,
        [cosign('officer-2', second)],
        new Map([['officer-2', toBase64(second.signPublicKey)]]),
      ),
    ).toEqual(['officer-2']);
    // The copy a requester opens answers this descriptor only.
    expect(await arrangementCopyHash(descriptor)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await arrangementCopyHash({ ...descriptor, waitingPeriodSeconds: descriptor.waitingPeriodSeconds + 1 })).not.toBe(
      await arrangementCopyHash(descriptor),
    );
  });

  it('a descriptor edited after signing (e.g. a shorter waiting period) fails verification', async () => {
    const { arrangement } = await setup();
    const keys = [arrangement.descriptor.createdBy.signPublicKey];
    expect(await verifyArrangement({ ...arrangement.descriptor, waitingPeriodSeconds: 0 }, arrangement.signature, keys)).toBe(false);
    expect(await verifyArrangement(arrangement.descriptor, arrangement.signature, [])).toBe(false);
  });

  it('the waiting period has a floor of 12 hours that devices will not sign under, nor trust', async () => {
    expect(BREAK_GLASS_MIN_WAIT_SECONDS).toBe(12 * 3600);
    await expect(setup(BREAK_GLASS_MIN_WAIT_SECONDS - 1)).rejects.toThrow(/waitingPeriodSeconds must be a whole number from 43200/);
    await expect(setup(5)).rejects.toThrow(RangeError);
    await expect(setup(BREAK_GLASS_MAX_WAIT_SECONDS + 1)).rejects.toThrow(RangeError);
    const { arrangement, officer } = await setup(BREAK_GLASS_MIN_WAIT_SECONDS);
    const keys = [arrangement.descriptor.createdBy.signPublicKey];
    expect(await verifyArrangement(arrangement.descriptor, arrangement.signature, keys)).toBe(true);
    // An officer's key that signs a 5-second descriptor by hand (not through createArrangement):
    // correctly signed, still not trusted.
    const short = { ...arrangement.descriptor, waitingPeriodSeconds: 5 };
    expect(await verifyArrangement(short, toBase64(sign(arrangementBytes(short), officer)), keys)).toBe(false);
  });

  it('two shares that cannot be combined (same x coordinate, or different lengths) are not_enough_shares, not a plain Error', async () => {
    const { requester, arrangement } = await setup();
    /** "S" 1 || seal("S" 1 || lp(arrangementId) || share, requester): a share as the writer lays it out. */
    const sealed = (share: Uint8Array) => {
      const tag = new Uint8Array([0x53, 0x01]);
      return toBase64(concatBytes(tag, lib().crypto_box_seal(concatBytes(tag, lengthPrefixed('arr-1'), share), requester.boxPublicKey)));
    };
    const withX = (fill: number, x: number, length = 32) => concatBytes(new Uint8Array(length).fill(fill), new Uint8Array([x]));
    for (const [first, second] of [
      [withX(1, 7), withX(2, 7)],
      [withX(1, 7), withX(2, 8, 31)],
    ] as const) {
      const error = await expectCryptoRejection(
        () => recoverArrangementKey({ ...arrangement, requesterShare: sealed(first), serverShare: sealed(second) }, requester),
        'not_enough_shares',
      );
      expect(error.cause).toBeInstanceOf(Error);
    }
  });

  it('an escrow tagged E with another version byte is unsupported_version; another tag is bad_format', async () => {
    const { org, arrangement } = await setup();
    const withHeader = (tag: number, version: number) => {
      const bytes = fromBase64(arrangement.orgEscrow);
      bytes[0] = tag;
      bytes[1] = version;
      return { ...arrangement, orgEscrow: toBase64(bytes) };
    };
    expectCryptoError(() => openArrangementEscrow(withHeader(0x45, 0x02), org), 'unsupported_version');
    expectCryptoError(() => openArrangementEscrow(withHeader(0x45, 0x00), org), 'unsupported_version');
    expectCryptoError(() => openArrangementEscrow(withHeader(0x53, 0x01), org), 'bad_format');
    expectCryptoError(() => openArrangementEscrow({ ...arrangement, orgEscrow: toBase64(new Uint8Array([0x45])) }, org), 'bad_format');
    expect(openArrangementEscrow(withHeader(0x45, 0x01), org).publicKey).toEqual(fromBase64(arrangement.descriptor.publicKey));
  });
});
