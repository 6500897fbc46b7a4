import { beforeAll, describe, expect, it } from 'vitest';
import { requestHash, verifyApprovals, verifyRequestSignature, type ActivationRequest } from './activation.ts';
import { newRequestNonce, requestHashSync, signDecision, signRequest } from './activation-sign.ts';
import { toBase64 } from './encoding.ts';
import { CryptoError } from './errors.ts';
import { generateMemberKeys, type MemberKeys } from './members.ts';
import { ready } from './sodium.ts';

beforeAll(ready);

function makeRequest(requester: MemberKeys): ActivationRequest {
  return {
    orgIds: ['org-b', 'org-a'],
    requester: { id: 'consulate-x', signPublicKey: toBase64(requester.signPublicKey), boxPublicKey: toBase64(requester.boxPublicKey) },
    area: {
      type: 'Polygon',
      coordinates: [
        [
          [35.4, 33.8],
          [35.6, 33.8],
          [35.6, 34.0],
          [35.4, 33.8],
        ],
      ],
    },
    nationalities: ['SD', 'ET'],
    fields: ['name', 'phone', 'assemblyPoint'],
    purpose: 'Evacuation by sea from Beirut port, 2026-11-25',
    expiresAt: '2026-12-01T00:00:00.000Z',
    createdAt: '2026-11-23T09:00:00.000Z',
    nonce: newRequestNonce(),
    kind: 'release',
  };
}

function officers(count: number) {
  const list = Array.from({ length: count }, (_, index) => ({ id: `officer-${index}`, keys: generateMemberKeys() }));
  const registry = new Map(list.map((officer) => [officer.id, toBase64(officer.keys.signPublicKey)]));
  return { list, registry };
}

describe('activation requests', () => {
  it('hashes the same with WebCrypto and libsodium, and ignores the order of set-like lists', async () => {
    const request = makeRequest(generateMemberKeys());
    const hash = await requestHash(request);
    expect(requestHashSync(request)).toBe(hash);
    const reordered = {
      ...request,
      orgIds: ['org-a', 'org-b', 'org-a'],
      nationalities: ['ET', 'SD'],
      fields: ['phone', 'assemblyPoint', 'name'],
    };
    expect(await requestHash(reordered)).toBe(hash);
  });

  it('changes hash when anything that matters changes', async () => {
    const request = makeRequest(generateMemberKeys());
    const hash = await requestHash(request);
    const variants: Partial<ActivationRequest>[] = [
      { fields: [...request.fields, 'documentNumber'] },
      { nationalities: ['SD'] },
      { expiresAt: '2026-12-02T00:00:00.000Z' },
      {
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [35.4, 33.8],
              [35.7, 33.8],
              [35.6, 34.0],
              [35.4, 33.8],
            ],
          ],
        },
      },
      { nonce: newRequestNonce() },
      { kind: 'break_glass', arrangementId: 'arr-1' },
    ];
    for (const variant of variants) expect(await requestHash({ ...request, ...variant })).not.toBe(hash);
  });

  it('verifies the requester signature and rejects it on another request', async () => {
    const requester = generateMemberKeys();
    const request = makeRequest(requester);
    const signature = signRequest(request, requester);
    expect(await verifyRequestSignature(request, signature)).toBe(true);
    expect(await verifyRequestSignature({ ...request, fields: ['name'] }, signature)).toBe(false);
    expect(await verifyRequestSignature(request, 'AAAA')).toBe(false);
  });

  it('rejects malformed requests', async () => {
    const request = makeRequest(generateMemberKeys());
    await expect(requestHash({ ...request, expiresAt: 'next week' })).rejects.toBeInstanceOf(CryptoError);
    // The accepted form, but no real date or time: a rolled-over date would hash as a valid request.
    for (const time of ['2026-02-30T00:00:00.000Z', '2026-11-23T24:00:00.000Z', '2026-04-31T09:00:00.000Z', '2026-11-23T09:60:00.000Z']) {
      for (const field of ['expiresAt', 'createdAt'] as const) {
        const error = await requestHash({ ...request, [field]: time }).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect({ field, time, error }).toMatchObject({ field, time, error: expect.any(CryptoError) });
        expect((error as CryptoError).code).toBe('bad_format');
      }
    }
    expect(await requestHash({ ...request, expiresAt: '2028-02-29T23:59:59.999Z' })).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(requestHash({ ...request, nonce: 'AAAA' })).rejects.toBeInstanceOf(CryptoError);
    await expect(requestHash({ ...request, area: { type: 'Point', coordinates: [0, 0] } as never })).rejects.toBeInstanceOf(CryptoError);
    await expect(requestHash({ ...request, kind: 'break_glass' })).rejects.toBeInstanceOf(CryptoError);
    // An optional field left undefined is the same request as one without it.
    expect(await requestHash({ ...request, arrangementId: undefined })).toBe(await requestHash(request));
  });
});

describe('verifyApprovals', () => {
  it('accepts k distinct valid approvals', async () => {
    const { list, registry } = officers(3);
    const hash = await requestHash(makeRequest(generateMemberKeys()));
    const decisions = list.slice(0, 2).map((officer) => signDecision(hash, 'approve', officer.id, officer.keys));
    expect(await verifyApprovals(hash, decisions, registry, 2)).toMatchObject({ ok: true, approvers: ['officer-0', 'officer-1'] });
    expect(await verifyApprovals(hash, decisions, Object.fromEntries(registry), 3)).toMatchObject({
      ok: false,
      reason: 'not_enough_approvals',
      needed: 3,
    });
  });

  it('counts the same officer once, however many times they approve', async () => {
    const { list, registry } = officers(2);
    const hash = await requestHash(makeRequest(generateMemberKeys()));
    const twice = [signDecision(hash, 'approve', 'officer-0', list[0]!.keys), signDecision(hash, 'approve', 'officer-0', list[0]!.keys)];
    expect(await verifyApprovals(hash, twice, registry, 2)).toMatchObject({
      ok: false,
      reason: 'not_enough_approvals',
      approvers: ['officer-0'],
    });
  });

  it('one veto outweighs any number of approvals', async () => {
    const { list, registry } = officers(4);
    const hash = await requestHash(makeRequest(generateMemberKeys()));
    const decisions = [
      ...list.slice(0, 3).map((officer) => signDecision(hash, 'approve', officer.id, officer.keys)),
      signDecision(hash, 'veto', 'officer-3', list[3]!.keys),
    ];
    expect(await verifyApprovals(hash, decisions, registry, 2)).toMatchObject({ ok: false, reason: 'vetoed', vetoedBy: ['officer-3'] });
  });

  it('ignores forged, misattributed, non-officer and other-request decisions', async () => {
    const { list, registry } = officers(2);
    const outsider = generateMemberKeys();
    const hash = await requestHash(makeRequest(generateMemberKeys()));
    const otherHash = await requestHash(makeRequest(generateMemberKeys()));
    const approval = signDecision(hash, 'approve', 'officer-0', list[0]!.keys);
    const decisions = [
      signDecision(hash, 'approve', 'officer-1', outsider), // claims officer-1, signed by someone else
      signDecision(hash, 'approve', 'stranger', outsider),
      signDecision(otherHash, 'approve', 'officer-1', list[1]!.keys),
      { ...approval, memberId: 'officer-1' }, // officer-0's signature relabelled
      { ...approval, decision: 'veto' as const }, // an approval turned into a veto
    ];
    const result = await verifyApprovals(hash, decisions, registry, 1);
    expect(result).toMatchObject({ ok: false, reason: 'not_enough_approvals', approvers: [] });
    expect(result.ignored.map((entry) => entry.why)).toEqual([
      'bad signature',
      'not an officer',
      'another request',
      'bad signature',
      'bad signature',
    ]);
  });

  it('an officer key outside the registry cannot veto either', async () => {
    const { list, registry } = officers(2);
    const hash = await requestHash(makeRequest(generateMemberKeys()));
    const decisions = [
      signDecision(hash, 'approve', 'officer-0', list[0]!.keys),
      signDecision(hash, 'veto', 'officer-9', generateMemberKeys()),
    ];
    expect(await verifyApprovals(hash, decisions, registry, 1)).toMatchObject({ ok: true });
  });
});
