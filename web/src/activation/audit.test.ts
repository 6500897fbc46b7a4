import { beforeAll, describe, expect, it } from 'vitest';
import { generateMemberKeys, ready, toBase64, type MemberKeys } from '#crypto';
import type { AuditEntry } from '#crypto/audit';
import { appendEntry } from '#crypto/audit-append';
import { brokenChainWarning, checkAuditChain, describeEntry, type Parties } from './audit.ts';

let requester: MemberKeys;
let officerA: MemberKeys;
let officerB: MemberKeys;
let server: MemberKeys;
let parties: Parties;
let chain: AuditEntry[];

const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`;

beforeAll(async () => {
  await ready();
  [requester, officerA, officerB, server] = [generateMemberKeys(), generateMemberKeys(), generateMemberKeys(), generateMemberKeys()];
  parties = {
    requesterSignPublicKey: toBase64(requester.signPublicKey),
    requesterOrgName: 'Embassy of Nepal',
    officers: new Map([
      [toBase64(officerA.signPublicKey), { label: 'Officer A', orgName: 'Derna CSO' }],
      [toBase64(officerB.signPublicKey), { label: 'Officer B', orgName: 'Derna CSO' }],
    ]),
    serverKey: toBase64(server.signPublicKey),
  };
  const steps: [MemberKeys, string, string][] = [
    [requester, 'consul', 'activation.requested'],
    [officerA, 'a', 'activation.approved'],
    [officerB, 'b', 'activation.approved'],
    [officerA, 'a', 'release.uploaded'],
    [requester, 'consul', 'release.downloaded'],
    [server, 'server', 'release.expired'],
  ];
  chain = [];
  steps.forEach(([keys, memberId, type], index) =>
    chain.push(appendEntry(chain.at(-1) ?? null, { at: at(index), type, payload: { requestHash: 'h' } }, memberId, keys)),
  );
});

describe('audit chain in words', () => {
  it('verifies and tells each step', async () => {
    expect((await checkAuditChain(chain, parties)).ok).toBe(true);
    expect(describeEntry(chain[2]!, parties)).toBe(`Officer B (Derna CSO) approved at ${at(2)}.`);
    expect(describeEntry(chain[0]!, parties)).toMatch(/^The requesting officer \(Embassy of Nepal\) filed the request/);
    expect(describeEntry(chain[5]!, parties)).toMatch(/^The server deleted the expired release/);
  });

  it('names the first broken entry when one is altered', async () => {
    const altered = chain.map((entry) => ({ ...entry }));
    altered[2] = { ...altered[2]!, payload: { requestHash: 'other' } };
    const result = await checkAuditChain(altered, parties);
    expect(result).toMatchObject({ ok: false, brokenAt: 2, reason: 'bad_hash' });
    expect(brokenChainWarning(result)).toMatch(/entry 3 was altered after it was signed/);
  });

  it('refuses an approval signed by the requester or the server, and an expiry signed by an officer', async () => {
    const forgedApproval = appendEntry(chain[0]!, { at: at(1), type: 'activation.approved', payload: {} }, 'consul', requester);
    expect(await checkAuditChain([chain[0]!, forgedApproval], parties)).toMatchObject({ ok: false, brokenAt: 1, reason: 'unknown_actor' });
    const serverApproval = appendEntry(chain[0]!, { at: at(1), type: 'activation.approved', payload: {} }, 'server', server);
    expect(await checkAuditChain([chain[0]!, serverApproval], parties)).toMatchObject({ ok: false, reason: 'unknown_actor' });
    const officerExpiry = appendEntry(chain[0]!, { at: at(1), type: 'release.expired', payload: {} }, 'a', officerA);
    expect(await checkAuditChain([chain[0]!, officerExpiry], parties)).toMatchObject({ ok: false, reason: 'unknown_actor' });
  });

  it('notices a removed entry', async () => {
    const cut = [chain[0]!, chain[1]!, chain[3]!];
    const result = await checkAuditChain(cut, parties);
    expect(result).toMatchObject({ ok: false, brokenAt: 3 });
    expect(brokenChainWarning(result)).toMatch(/^The audit log does not verify: entry 4/);
  });
});
