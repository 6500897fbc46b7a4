// Issue 15, finding 1, on workerd + D1: verified partners (decision 0609). On 53dbdde a CSO officer
// listed any consulate or city with an empty PUT (the server's directory entry was all there was to
// go on), and every account could read the whole directory: each of the "before" outcomes named
// below was observed there.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { toBase64 } from '#crypto';
import { PARTNER_PURPOSE, verifyPartner, type PartnerStatement, type SignedPartner } from '#crypto/partner';
import { signPartner } from '#crypto/partner-sign';
import { addPartner, createOrg, fetchRoster, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { api } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
let officerA: Actor;
let officerB: Actor;
let consulate: Actor;
let stranger: Actor;

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Partners CSO', approvalsRequired: 1 });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Embassy of Nepal (partners API)', nationalities: ['NP'] });
  stranger = await createOrg(baseUrl, { kind: 'city', name: 'A city nobody works with (partners API)' });
});

async function statementFor(requester: Actor, change: Partial<PartnerStatement> = {}): Promise<PartnerStatement> {
  const head = (await fetchRoster(requester)).at(-1)!;
  return {
    purpose: PARTNER_PURPOSE,
    csoOrgId: officerA.orgId,
    requesterOrgId: requester.orgId,
    kind: 'consulate',
    nationalities: ['NP'],
    requesterHead: { version: head.statement.version, hash: head.hash },
    verifiedAt: new Date().toISOString(),
    ...change,
  };
}

const put = async (officer: Actor, requesterOrgId: string, body: unknown) =>
  (await api(officer)).orgs[':orgId'].relationships[':requesterOrgId'].$put({
    param: { orgId: officer.orgId, requesterOrgId },
    json: body as never,
  });

const message = async (response: { json: () => Promise<unknown> }) =>
  ((await response.json()) as { error: { message: string } }).error.message;

describe('verified partners', () => {
  it('are listed only with a statement the calling officer signed over a real head of the requester, of the kind it registered (before: an empty PUT listed anyone)', async () => {
    expect((await put(officerA, consulate.orgId, {})).status).toBe(400);
    const forged = signPartner(await statementFor(consulate), officerA.memberId, officerB.keys);
    const refused = await put(officerA, consulate.orgId, { partner: forged });
    expect(refused.status).toBe(401);
    expect(await message(refused)).toMatch(/does not verify/);
    const byAnother = await put(officerB, consulate.orgId, {
      partner: signPartner(await statementFor(consulate), officerA.memberId, officerA.keys),
    });
    expect(await message(byAnother)).toMatch(/signerId: the officer who lists a partner signs/);
    const madeUpHead = await put(officerA, consulate.orgId, {
      partner: signPartner(
        await statementFor(consulate, { requesterHead: { version: 1, hash: 'ab'.repeat(32) } }),
        officerA.memberId,
        officerA.keys,
      ),
    });
    expect(madeUpHead.status).toBe(400);
    expect(await message(madeUpHead)).toMatch(/not a version of the requester's statement/);
    const wrongKind = await put(officerA, consulate.orgId, {
      partner: signPartner(await statementFor(consulate, { kind: 'city', nationalities: [] }), officerA.memberId, officerA.keys),
    });
    expect(await message(wrongKind)).toMatch(/registered as a consulate/);
    expect(
      (
        (await (await (await api(officerA)).orgs[':orgId'].relationships.$get({ param: { orgId: officerA.orgId } })).json()) as {
          orgs: unknown[];
        }
      ).orgs,
    ).toEqual([]);

    expect((await addPartner(officerA, consulate)).status).toBe(200);
    const listed = (await (await (await api(officerB)).orgs[':orgId'].relationships.$get({ param: { orgId: officerA.orgId } })).json()) as {
      orgs: { id: string; partner: SignedPartner | null }[];
    };
    expect(listed.orgs.map((org) => org.id)).toEqual([consulate.orgId]);
    // What officer B's device gets verifies under officer A's key, for this CSO and this requester.
    const officers = new Map([[officerA.memberId, toBase64(officerA.keys.signPublicKey)]]);
    const verified = await verifyPartner(listed.orgs[0]!.partner!, officers, { csoOrgId: officerA.orgId, requesterOrgId: consulate.orgId });
    expect(verified).toMatchObject({ kind: 'consulate', nationalities: ['NP'] });
  });

  it('show an organisation only to those it works with (before: every account read the whole directory)', async () => {
    const seenBy = async (actor: Actor) =>
      ((await (await (await api(actor)).orgs.$get()).json()) as { orgs: { id: string }[] }).orgs.map((org) => org.id);
    const byStranger = await seenBy(stranger);
    expect(byStranger).toEqual([stranger.orgId]);
    const byConsulate = await seenBy(consulate);
    expect(byConsulate.sort()).toEqual([consulate.orgId, officerA.orgId].sort());
    expect(await seenBy(officerA)).not.toContain(stranger.orgId);
  });

  it("let whoever holds a partner code read that organisation's statement, and nobody else", async () => {
    const roster = async (head?: string) =>
      (await api(officerA)).orgs[':orgId'].roster.$get({ param: { orgId: stranger.orgId }, query: head ? { head } : {} });
    expect((await roster()).status).toBe(404);
    expect((await roster('cd'.repeat(32))).status).toBe(404);
    const head = (await fetchRoster(stranger)).at(-1)!;
    const answer = await roster(head.hash);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { name: string; chain: unknown[] };
    expect(body.name).toBe('A city nobody works with (partners API)');
    expect(body.chain).toHaveLength(1);
  });
});
