// The officer roster on the real Worker + D1 (decision 0602): every change of officers or k comes
// with the next signed version, the server refuses forged, stale and mismatched ones without
// changing anything, and a server that lies about officers is caught by the requester's client.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { generateMemberKeys, generateOrgKeys, sign, toBase64, wrapOrgKey } from '#crypto';
import { verifyApprovals } from '#crypto/activation';
import { signDecision } from '#crypto/activation-sign';
import { createOrgMessage } from '#crypto/protocol';
import { nextRoster, rosterHash, type RosterPin, type RosterStatementV2, type SignedRoster } from '#crypto/roster';
import { foundingRoster, signRoster } from '#crypto/roster-sign';
import {
  addPartner,
  client,
  cosignWaiting,
  createOrg,
  fetchRoster,
  grantOrgKey,
  invite,
  rawRequest,
  revokeMember,
  rosterEntry,
  setApprovalsRequired,
  signIn,
  signNextRoster,
  type Actor,
} from '../../scripts/lib/actors.ts';
import { checkApprovals, checkRoster, type ActivationDetail } from '../../web/src/activation/verify.ts';
import { api, buildRequest, countRows, decide, fileRequest, queryRows, tamper } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

const rosterRows = (orgId: string) => countRows(persistTo, 'SELECT COUNT(*) AS count FROM officer_rosters WHERE org_id = ?', orgId);
const errorOf = async (response: { json(): Promise<unknown> }) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

async function grantWith(officer: Actor, to: Actor, roster: SignedRoster<RosterStatementV2> | undefined) {
  return client(baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId']['org-key'].$put({
    param: { orgId: officer.orgId, memberId: to.memberId },
    json: { wrappedOrgKey: wrapOrgKey(officer.orgKeys!, officer.orgId, to.keys.boxPublicKey), ...(roster ? { roster } : {}) },
  });
}

describe('creating an organisation', () => {
  it('stores roster version 1 naming the founder, returned to its members', async () => {
    const founder = await createOrg(baseUrl, { name: 'Roster CSO', approvalsRequired: 2 });
    const chain = await fetchRoster(founder);
    expect(chain).toHaveLength(1);
    expect(chain[0]!.statement).toMatchObject({
      version: 1,
      previous: null,
      approvalsRequired: 2,
      officers: [rosterEntry(founder.memberId, founder.keys)],
    });
    expect(chain[0]!.hash).toBe(await rosterHash(chain[0]!.statement));
    const check = await checkRoster(founder.orgId, chain, null);
    expect(check.ok).toBe(true);
  });

  it('refuses a version 1 that names someone else or another k, and creates nothing', async () => {
    const keys = generateMemberKeys();
    const orgKeys = generateOrgKeys();
    const orgId = crypto.randomUUID();
    const founderId = crypto.randomUUID();
    const request = {
      id: orgId,
      kind: 'cso' as const,
      name: 'Mismatched roster CSO',
      nationalities: [],
      publicKey: toBase64(orgKeys.publicKey),
      approvalsRequired: 2,
      founder: {
        id: founderId,
        label: 'Founder',
        signPublicKey: toBase64(keys.signPublicKey),
        boxPublicKey: toBase64(keys.boxPublicKey),
        wrappedOrgKey: wrapOrgKey(orgKeys, orgId, keys.boxPublicKey),
      },
    };
    const signature = toBase64(sign(createOrgMessage(request), keys));
    const stranger = generateMemberKeys();
    const wrongK = foundingRoster(orgId, rosterEntry(founderId, keys), 1, keys, request.publicKey);
    const extraOfficer = signRoster(
      { ...wrongK.statement, approvalsRequired: 2, officers: [rosterEntry(founderId, keys), rosterEntry('stranger-officer', stranger)] },
      founderId,
      keys,
    );
    const forged = foundingRoster(orgId, rosterEntry(founderId, keys), 2, stranger, request.publicKey);
    for (const [roster, pattern] of [
      [wrongK, /sets k = 1 where 2 was expected/],
      [extraOfficer, /does not match creating the organisation/],
      [forged, /signature of .* does not verify/],
    ] as const) {
      const response = await client(baseUrl).api.orgs.$post({ json: { request, signature, roster } });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toMatch(pattern);
    }
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM orgs WHERE id = ?', orgId)).toBe(0);
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM members WHERE id = ?', founderId)).toBe(0);
    expect(rosterRows(orgId)).toBe(0);
    // Without a roster at all: refused by validation.
    const bare = await rawRequest(baseUrl, 'POST', '/api/orgs', JSON.stringify({ request, signature }));
    expect(bare.status).toBe(400);
  });
});

describe('changing officers and k', () => {
  let founder: Actor;
  let second: Actor;
  beforeAll(async () => {
    founder = await createOrg(baseUrl, { name: 'Changing CSO', approvalsRequired: 1 });
    second = await grantOrgKey(founder, await invite(founder, 'officer', 'Second officer'));
  });

  it('granting the org key adds the officer in version 2, signed by the granting officer', async () => {
    const chain = await fetchRoster(founder);
    expect(chain.map((signed) => signed.statement.version)).toEqual([1, 2]);
    expect(chain[1]!.signerId).toBe(founder.memberId);
    expect(chain[1]!.statement.officers.map((officer) => officer.memberId).sort()).toEqual([founder.memberId, second.memberId].sort());
    expect((await checkRoster(founder.orgId, chain, null)).ok).toBe(true);
  });

  it('refuses a grant without a roster, with a forged one, with wrong keys or by another signer, and changes nothing', async () => {
    const third = await invite(founder, 'officer', 'Third officer');
    const before = rosterRows(founder.orgId);
    const withoutRoster = await grantWith(founder, third, undefined);
    expect(withoutRoster.status).toBe(400);
    expect((await errorOf(withoutRoster)).message).toMatch(/needs the next version of the officer roster/);

    const head = (await fetchRoster(founder)).at(-1)!.statement;
    const adding = await nextRoster(head, { officers: [...head.officers, rosterEntry(third.memberId, third.keys)] });
    // Signed with the new officer's own key in the founder's name: a forgery.
    const forged = await grantWith(founder, third, signRoster(adding, founder.memberId, third.keys));
    expect(forged.status).toBe(400);
    expect((await errorOf(forged)).message).toMatch(/signature of .* does not verify/);
    // A key the server never registered for that member.
    const otherKeys = generateMemberKeys();
    const wrongKeys = await grantWith(
      founder,
      third,
      signRoster(
        await nextRoster(head, { officers: [...head.officers, rosterEntry(third.memberId, otherKeys)] }),
        founder.memberId,
        founder.keys,
      ),
    );
    expect(wrongKeys.status).toBe(400);
    expect((await errorOf(wrongKeys)).message).toMatch(/does not match adding Third officer/);
    // A valid link, but signed by another officer than the caller.
    const otherSigner = await grantWith(founder, third, signRoster(adding, second.memberId, second.keys));
    expect(otherSigner.status).toBe(400);
    expect((await errorOf(otherSigner)).message).toMatch(/signed by you/);

    expect(rosterRows(founder.orgId)).toBe(before);
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', third.memberId)[0]
        ?.wrapped_org_key,
    ).toBeNull();
  });

  it('refuses a stale roster (a version already taken) with 409', async () => {
    const fourth = await invite(founder, 'officer', 'Fourth officer');
    const fifth = await invite(founder, 'officer', 'Fifth officer');
    const head = (await fetchRoster(founder)).at(-1)!.statement;
    const forFourth = signRoster(
      await nextRoster(head, { officers: [...head.officers, rosterEntry(fourth.memberId, fourth.keys)] }),
      founder.memberId,
      founder.keys,
    );
    const forFifth = signRoster(
      await nextRoster(head, { officers: [...head.officers, rosterEntry(fifth.memberId, fifth.keys)] }),
      founder.memberId,
      founder.keys,
    );
    expect((await grantWith(founder, fourth, forFourth)).status).toBe(200);
    const stale = await grantWith(founder, fifth, forFifth);
    expect(stale.status).toBe(409);
    expect(await errorOf(stale)).toEqual({ code: 'stale_roster', message: expect.stringMatching(/stale or out of order/) });
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', fifth.memberId)[0]
        ?.wrapped_org_key,
    ).toBeNull();
    // Signed again on the new head, it goes through.
    expect((await grantOrgKey(founder, fifth)).orgKeys).not.toBeNull();
  });

  it('changing k needs the next roster with that k, and nothing else changed', async () => {
    const orgs = () =>
      queryRows<{ approvals_required: number }>(persistTo, 'SELECT approvals_required FROM orgs WHERE id = ?', founder.orgId)[0]!
        .approvals_required;
    const officerApi = (await api(founder)).orgs[':orgId'].settings;
    const bare = await officerApi.$patch({ param: { orgId: founder.orgId }, json: { approvalsRequired: 2 } });
    expect(bare.status).toBe(400);
    expect((await errorOf(bare)).message).toMatch(/changing k to 2 needs the next version/);
    const mismatched = await officerApi.$patch({
      param: { orgId: founder.orgId },
      json: { approvalsRequired: 2, roster: await signNextRoster(founder, () => ({ approvalsRequired: 3 })) },
    });
    expect(mismatched.status).toBe(400);
    expect((await errorOf(mismatched)).message).toMatch(/sets k = 3 where 2 was expected/);
    const sneaky = await officerApi.$patch({
      param: { orgId: founder.orgId },
      json: {
        approvalsRequired: 2,
        roster: await signNextRoster(founder, (head) => ({
          approvalsRequired: 2,
          officers: [...head.officers, rosterEntry('sneaky-officer', generateMemberKeys())],
        })),
      },
    });
    expect(sneaky.status).toBe(400);
    expect(orgs()).toBe(1);
    const changed = await setApprovalsRequired(founder, 2);
    expect(changed.status).toBe(200);
    expect(orgs()).toBe(2);
    expect((await fetchRoster(founder)).at(-1)!.statement.approvalsRequired).toBe(2);
  });

  it('removing an officer in the roster needs the next version without them', async () => {
    // k = 2 by now: the founder's proposal needs a second officer's signature.
    const leaving = await grantOrgKey(founder, await invite(founder, 'officer', 'Leaving officer'), [second]);
    const versions = rosterRows(founder.orgId);
    const bare = await client(baseUrl, await signIn(founder)).api.orgs[':orgId'].members[':memberId'].$delete({
      param: { orgId: founder.orgId, memberId: leaving.memberId },
      json: {},
    });
    expect(bare.status).toBe(400);
    const keeping = await client(baseUrl, await signIn(founder)).api.orgs[':orgId'].members[':memberId'].$delete({
      param: { orgId: founder.orgId, memberId: leaving.memberId },
      json: { roster: await signNextRoster(founder, () => ({ approvalsRequired: 2 })) },
    });
    expect(keeping.status).toBe(400);
    expect((await errorOf(keeping)).message).toMatch(/does not match removing Leaving officer/);
    expect(queryRows<{ status: string }>(persistTo, 'SELECT status FROM members WHERE id = ?', leaving.memberId)[0]?.status).toBe('active');
    expect(rosterRows(founder.orgId)).toBe(versions);
    expect((await revokeMember(founder, leaving.memberId, [second])).status).toBe(200);
    const head = (await fetchRoster(founder)).at(-1)!.statement;
    expect(head.officers.some((officer) => officer.memberId === leaving.memberId)).toBe(false);
    // A removed officer can no longer sign the roster (their sessions are gone, and they are not in it).
    expect((await checkRoster(founder.orgId, await fetchRoster(founder), null)).ok).toBe(true);
  });

  it('shows the roster to related organisations only', async () => {
    const consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Roster consulate', nationalities: ['NP'] });
    const response = await client(baseUrl, await signIn(consulate)).api.orgs[':orgId'].roster.$get({
      param: { orgId: founder.orgId },
      query: {},
    });
    expect(response.status).toBe(404);
    const listed = await addPartner(founder, consulate);
    expect(listed.status).toBe(200);
    expect((await fetchRoster(consulate, founder.orgId)).length).toBeGreaterThan(2);
  });
});

describe('the server counts only roster officers', () => {
  it('an officer who joined but was never given the org key (so is in no roster version) does not make k', async () => {
    const founder = await createOrg(baseUrl, { name: 'Counting CSO', approvalsRequired: 2 });
    const granted = await grantOrgKey(founder, await invite(founder, 'officer', 'Granted officer'));
    const waiting = await invite(founder, 'officer', 'Waiting officer');
    const consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Counting consulate', nationalities: ['NP'] });
    await addPartner(founder, consulate);
    const { hash } = await fileRequest(consulate, buildRequest(consulate, [founder.orgId]));
    expect((await decide(founder, hash, 'approve')).status).toBe(200);
    const third = await decide(waiting, hash, 'approve');
    expect(third.status).toBe(200);
    expect(((await third.json()) as { targets: { status: string }[] }).targets[0]!.status).toBe('pending');
    const second = await decide(granted, hash, 'approve');
    expect(((await second.json()) as { targets: { status: string }[] }).targets[0]!.status).toBe('approved');
    // Nor does it make k reachable: with two officers in the statement, k = 3 is refused (on d378064
    // the waiting officer was counted and k = 3 was taken: no release could ever get 3 approvals).
    const three = await setApprovalsRequired(founder, 3, [granted]);
    expect(three.status).toBe(400);
    expect(await three.text()).toMatch(/statement lists 2 active officers/);
  });
});

describe('two officers co-signing the same change at the same moment', () => {
  it('keeps both signatures or tells the second to sign again; neither is silently lost', async () => {
    const founder = await createOrg(baseUrl, { name: 'Racing CSO', approvalsRequired: 3 });
    const second = await grantOrgKey(founder, await invite(founder, 'officer', 'Second'));
    const third = await grantOrgKey(founder, await invite(founder, 'officer', 'Third'), [second]);
    const fourth = await grantOrgKey(founder, await invite(founder, 'officer', 'Fourth'), [second, third]);
    // k = 3 of four: the founder proposes a new k; second and third co-sign at once (one short of applying is 2 of 3 needed).
    expect((await setApprovalsRequired(founder, 2)).status).toBe(202);
    const answers = await Promise.all([cosignWaiting(second), cosignWaiting(third)]);
    const statuses = answers.map((answer) => answer.status).sort();
    // Either the two landed one after the other (the second applied it: 200 and 200), or one was told to retry (409).
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const applied = (await fetchRoster(founder)).at(-1)!.statement.approvalsRequired === 2;
    const waiting = (await (
      await client(baseUrl, await signIn(founder)).api.orgs[':orgId'].roster.proposal.$get({ param: { orgId: founder.orgId } })
    ).json()) as { proposal: { signers: string[] } | null };
    if (statuses.includes(409)) {
      // The one that was refused left no trace, and the other's signature is there.
      expect(applied || waiting.proposal?.signers.length === 2).toBe(true);
    } else expect(applied).toBe(true);
    void fourth;
  });
});

describe('a hostile server adds an officer of its own', () => {
  let officerA: Actor;
  let consulate: Actor;
  let hash: string;
  let pin: RosterPin;

  const detailFor = async (actor: Actor) =>
    (await (await api(actor)).activations[':hash'].$get({ param: { hash } })).json() as unknown as Promise<ActivationDetail>;

  beforeAll(async () => {
    officerA = await createOrg(baseUrl, { name: 'Seized-server CSO', approvalsRequired: 2 });
    // A real second officer: 2 of 2 must approve, so the server's fake one would be the deciding vote.
    await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
    consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Seized-server consulate', nationalities: ['NP'] });
    await addPartner(officerA, consulate);
    const filed = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    expect(filed.response.status).toBe(201);
    hash = filed.hash;
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    // The consulate's client sees the roster first while the server is honest, and pins it.
    const first = await checkRoster(officerA.orgId, (await detailFor(consulate)).rosters?.[officerA.orgId], null);
    if (!first.ok) throw new Error(first.message);
    pin = first.roster.pin;
  });

  it('a fake officer in `members` with a forged approval fools a client that trusts the server’s list, not one that checks the roster', async () => {
    const fake = generateMemberKeys();
    const fakeId = `fake-${crypto.randomUUID()}`;
    tamper(
      persistTo,
      "INSERT INTO members (id, org_id, label, role, sign_public_key, box_public_key, wrapped_org_key, status, created_at) VALUES (?, ?, 'Officer F', 'officer', ?, ?, NULL, 'active', ?)",
      fakeId,
      officerA.orgId,
      toBase64(fake.signPublicKey),
      toBase64(fake.boxPublicKey),
      new Date().toISOString(),
    );
    tamper(
      persistTo,
      "INSERT INTO activation_decisions (request_hash, org_id, member_id, decision, signature, created_at) VALUES (?, ?, ?, 'approve', ?, ?)",
      hash,
      officerA.orgId,
      fakeId,
      signDecision(hash, 'approve', fakeId, fake).signature,
      new Date().toISOString(),
    );
    tamper(persistTo, "UPDATE activation_targets SET status = 'approved' WHERE request_hash = ? AND org_id = ?", hash, officerA.orgId);
    const detail = await detailFor(consulate);

    // What the server now claims would pass a check against its own officer list: the attack is real.
    const serverList = new Map(
      (detail.officers[officerA.orgId] ?? [])
        .filter((officer) => officer.status === 'active')
        .map((officer) => [officer.memberId, officer.signPublicKey]),
    );
    const decisions = detail.decisions.map((decision) => ({
      decision: decision.decision,
      requestHash: hash,
      memberId: decision.memberId,
      signature: decision.signature,
    }));
    expect((await verifyApprovals(hash, decisions, serverList, 2)).ok).toBe(true);

    // The requester's client takes keys and k from the roster chain, verified from its pin: refused.
    const roster = await checkRoster(officerA.orgId, detail.rosters?.[officerA.orgId], pin);
    if (!roster.ok) throw new Error(roster.message);
    const verdict = await checkApprovals(detail, officerA.orgId, roster.roster);
    expect(verdict).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
    expect(!verdict.ok && verdict.message).toMatch(/only 1 valid approval of the 2 needed.*not an officer/);
  });

  it('a roster version forged by the fake officer is refused, naming the version', async () => {
    const fake = generateMemberKeys();
    const fakeId = `fake-${crypto.randomUUID()}`;
    const rows = queryRows<{ version: number; statement: string }>(
      persistTo,
      'SELECT version, statement FROM officer_rosters WHERE org_id = ? ORDER BY version DESC LIMIT 1',
      officerA.orgId,
    );
    const head = JSON.parse(rows[0]!.statement) as SignedRoster['statement'];
    const forged = signRoster(await nextRoster(head, { officers: [...head.officers, rosterEntry(fakeId, fake)] }), fakeId, fake);
    tamper(
      persistTo,
      'INSERT INTO officer_rosters (org_id, version, statement, hash, signer_id, signature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      officerA.orgId,
      forged.statement.version,
      JSON.stringify(forged.statement),
      await rosterHash(forged.statement),
      fakeId,
      forged.signature,
      new Date().toISOString(),
    );
    const detail = await detailFor(consulate);
    const roster = await checkRoster(officerA.orgId, detail.rosters?.[officerA.orgId], pin);
    expect(roster.ok).toBe(false);
    expect(!roster.ok && roster.message).toMatch(
      new RegExp(`broken or forked at version ${forged.statement.version}.*not an officer of version ${head.version}`),
    );
  });

  it('a whole new chain founded by the fake officer (a fork) is refused against the pin', async () => {
    const fake = generateMemberKeys();
    const fakeId = `fake-${crypto.randomUUID()}`;
    const officers = [rosterEntry(officerA.memberId, officerA.keys), rosterEntry(fakeId, fake)];
    const v1 = foundingRoster(officerA.orgId, rosterEntry(fakeId, fake), 1, fake, toBase64(officerA.orgPublicKey));
    const v2 = signRoster(await nextRoster(v1.statement, { officers, approvalsRequired: 2 }), fakeId, fake);
    tamper(persistTo, 'DELETE FROM officer_rosters WHERE org_id = ?', officerA.orgId);
    for (const signed of [v1, v2]) {
      tamper(
        persistTo,
        'INSERT INTO officer_rosters (org_id, version, statement, hash, signer_id, signature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        officerA.orgId,
        signed.statement.version,
        JSON.stringify(signed.statement),
        await rosterHash(signed.statement),
        signed.signerId,
        signed.signature,
        new Date().toISOString(),
      );
    }
    const chain = (await detailFor(consulate)).rosters?.[officerA.orgId];
    // A device that never saw this CSO would accept it (the trust-on-first-use limit)...
    expect((await checkRoster(officerA.orgId, chain, null)).ok).toBe(true);
    // ...but the consulate's device pinned version 2 of the real chain.
    const roster = await checkRoster(officerA.orgId, chain, pin);
    expect(roster.ok).toBe(false);
    expect(!roster.ok && roster.message).toMatch(/broken or forked at version 2 .*forked or rewritten/);
  });
});
