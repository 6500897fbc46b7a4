// Issue 14, finding 2: one officer could defeat k-of-n, three ways (decision 0602 let any one officer
// sign the next roster version, and decisions were counted against the head roster). On ae09a82:
//  (a) A and C approve, B vetoes; A alone removes B (200) and the release upload then returns 201;
//  (b) A invites an officer account whose keys A holds and grants it the org key on A's signature
//      alone (200): two "approvals";
//  (c) PATCH /settings lowers k to 1 on A's signature alone (200).
// Here each is refused or held as a proposal until k officers co-sign (decision 0603), and a
// decision is judged against the roster the request was filed under.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { rosterBytes, type RosterStatement } from '#crypto/roster';
import { sign, toBase64 } from '#crypto';
import {
  addPartner,
  client,
  cosignWaiting,
  createOrg,
  fetchRoster,
  grantOrgKey,
  invite,
  proposeGrant,
  revokeMember,
  setApprovalsRequired,
  signIn,
  type Actor,
} from '../../scripts/lib/actors.ts';
import { checkApprovals, checkRoster, type ActivationDetail } from '../../web/src/activation/verify.ts';
import {
  api,
  buildRequest,
  countRows,
  decide,
  fileRequest,
  makeBundle,
  queryRows,
  tamper,
  uploadRelease,
} from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

let officerA: Actor;
let officerB: Actor;
let officerC: Actor;
let consulate: Actor;

const rosterVersion = async (actor: Actor) => (await fetchRoster(actor)).at(-1)!.statement.version;
const officersOf = async (actor: Actor) => (await fetchRoster(actor)).at(-1)!.statement.officers.map((officer) => officer.memberId);
const waitingProposal = async (actor: Actor) =>
  (
    (await (
      await client(baseUrl, await signIn(actor)).api.orgs[':orgId'].roster.proposal.$get({ param: { orgId: actor.orgId } })
    ).json()) as {
      proposal: { version: number; signers: string[]; needed: number; statement: RosterStatement; action: { kind: string } } | null;
    }
  ).proposal;
const withdraw = async (actor: Actor) =>
  client(baseUrl, await signIn(actor)).api.orgs[':orgId'].roster.proposal.$delete({ param: { orgId: actor.orgId }, query: {} });
const detailFor = async (actor: Actor, hash: string) =>
  (await (await api(actor)).activations[':hash'].$get({ param: { hash } })).json() as unknown as Promise<ActivationDetail>;

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Quorum CSO', approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B')); // bootstrap: one officer, k = 2
  officerC = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer C'), [officerB]);
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Quorum consulate', nationalities: ['NP'] });
  await addPartner(officerA, consulate);
});

describe('k officers for every change of who counts', () => {
  it('the bootstrap rule: the founder added the second officer alone, the third needed two', async () => {
    const chain = await fetchRoster(officerA);
    expect(chain.map((link) => [link.statement.version, 1 + (link.cosignatures?.length ?? 0)])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(chain.every((link) => link.statement.orgPublicKey === toBase64(officerA.orgPublicKey))).toBe(true);
    expect((await checkRoster(officerA.orgId, chain, null)).ok).toBe(true);
  });

  it('(c) one officer cannot lower k: the change waits for a co-signature, and nothing changes until then', async () => {
    const version = await rosterVersion(officerA);
    const response = await setApprovalsRequired(officerA, 1);
    expect(response.status).toBe(202);
    expect(
      queryRows<{ approvals_required: number }>(persistTo, 'SELECT approvals_required FROM orgs WHERE id = ?', officerA.orgId)[0]!
        .approvals_required,
    ).toBe(2);
    expect(await rosterVersion(officerA)).toBe(version);
    const proposal = await waitingProposal(officerB);
    expect(proposal).toMatchObject({ version: version + 1, signers: [officerA.memberId], needed: 2, action: { kind: 'approvals' } });
    // A cannot count twice.
    expect((await cosignWaiting(officerA)).status).toBe(409);
    // B cannot withdraw A's change (B simply does not co-sign); A withdraws it: it never takes effect.
    expect((await withdraw(officerB)).status).toBe(403);
    expect(await waitingProposal(officerA)).not.toBeNull();
    expect((await withdraw(officerA)).status).toBe(200);
    expect(await waitingProposal(officerA)).toBeNull();
    expect(await rosterVersion(officerA)).toBe(version);
  });

  it('(b) a sock puppet granted the org key by one officer is not an officer, and its approval does not count', async () => {
    const puppet = await invite(officerA, 'officer', 'Puppet of A');
    const response = await proposeGrant(officerA, puppet);
    expect(response.status).toBe(202);
    expect(await officersOf(officerA)).not.toContain(puppet.memberId);
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', puppet.memberId)[0]!
        .wrapped_org_key,
    ).toBeNull();
    // The puppet signs the proposal itself: it is not an officer of the current version.
    const statement = (await waitingProposal(officerA))!.statement;
    const selfSigned = await client(baseUrl, await signIn(puppet)).api.orgs[':orgId'].roster.proposal.cosign.$post({
      param: { orgId: officerA.orgId },
      json: { version: statement.version, signature: toBase64(sign(rosterBytes(statement), puppet.keys)) },
    });
    expect([400, 403]).toContain(selfSigned.status);
    expect(await officersOf(officerA)).not.toContain(puppet.memberId);
    expect((await withdraw(officerA)).status).toBe(200);

    const { hash } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    const byPuppet = await decide({ ...puppet, orgKeys: officerA.orgKeys }, hash, 'approve');
    expect(((await byPuppet.json()) as { targets: { status: string }[] }).targets[0]!.status).toBe('pending');
    const check = await checkRoster(officerA.orgId, (await detailFor(consulate, hash)).rosters?.[officerA.orgId], null);
    if (!check.ok) throw new Error(check.message);
    expect(await checkApprovals(await detailFor(consulate, hash), officerA.orgId, check.roster)).toMatchObject({
      ok: false,
      reason: 'not_enough_approvals',
    });
  });

  it("(a) A and C approve, B vetoes: removing B alone is held; removed with two signatures, B's veto still stands against the request", async () => {
    const request = buildRequest(consulate, [officerA.orgId]);
    const { hash } = await fileRequest(consulate, request);
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    expect((await decide(officerC, hash, 'approve')).status).toBe(200);
    expect((await decide(officerB, hash, 'veto')).status).toBe(200);

    // A alone: held.
    const alone = await revokeMember(officerA, officerB.memberId);
    expect(alone.status).toBe(202);
    expect(queryRows<{ status: string }>(persistTo, 'SELECT status FROM members WHERE id = ?', officerB.memberId)[0]!.status).toBe(
      'active',
    );
    expect((await withdraw(officerA)).status).toBe(200);

    // A and C together may remove B (that is their right), but not the veto B cast.
    expect((await revokeMember(officerA, officerB.memberId, [officerC])).status).toBe(200);
    expect(await officersOf(officerA)).not.toContain(officerB.memberId);
    const bundle = makeBundle(
      officerA,
      request,
      hash,
      [{ id: 'c1', kind: 'community', headcount: { total: 3 } }],
      officerA.keys.boxPublicKey,
    );
    const upload = await uploadRelease(officerA, hash, bundle);
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as { error: { message: string } }).error.message).toMatch(/vetoed/);
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM releases WHERE request_hash = ?', hash)).toBe(0);
    // The requester's own check agrees, from the signed chain.
    const detail = await detailFor(consulate, hash);
    const check = await checkRoster(officerA.orgId, detail.rosters?.[officerA.orgId], null);
    if (!check.ok) throw new Error(check.message);
    expect(await checkApprovals(detail, officerA.orgId, check.roster)).toMatchObject({ ok: false, reason: 'vetoed' });

    // The server then says the request was filed under the version without B (776fda9: every device
    // took that number as given, so B's veto no longer counted and the check said ok). A device that
    // saw the request before keeps the version it saw and refuses the new claim.
    const seenVersion = detail.targets.find((target) => target.orgId === officerA.orgId)!.rosterVersion!;
    tamper(
      persistTo,
      'UPDATE activation_targets SET roster_version = ? WHERE request_hash = ? AND org_id = ?',
      await rosterVersion(officerA),
      hash,
      officerA.orgId,
    );
    const rewritten = await detailFor(consulate, hash);
    expect(rewritten.targets[0]!.rosterVersion).toBe(await rosterVersion(officerA));
    expect(await checkApprovals(rewritten, officerA.orgId, check.roster)).toMatchObject({ ok: true }); // the attack, on a device with no earlier view
    const pinned = await checkApprovals(rewritten, officerA.orgId, check.roster, undefined, { rosterVersion: seenVersion });
    expect(pinned).toMatchObject({ ok: false, reason: 'roster_broken' });
    expect(pinned.ok ? '' : pinned.message).toMatch(new RegExp(`this device saw version ${seenVersion}`));
    // Or the server names no version at all (as for requests filed before it was recorded): a veto
    // then counts from anyone who was ever an officer in the verified chain, so B's still stands
    // (the attacker's review of 91d6bc5: judged against the head alone, the veto was dropped).
    tamper(persistTo, 'UPDATE activation_targets SET roster_version = NULL WHERE request_hash = ? AND org_id = ?', hash, officerA.orgId);
    const unnamed = await detailFor(consulate, hash);
    expect(unnamed.targets[0]!.rosterVersion).toBeNull();
    expect(await checkApprovals(unnamed, officerA.orgId, check.roster)).toMatchObject({ ok: false, reason: 'vetoed' });
    expect(await checkApprovals(unnamed, officerA.orgId, check.roster, undefined, { rosterVersion: seenVersion })).toMatchObject({
      ok: false,
      reason: 'roster_broken',
    });
  });

  it('officers added after a request was filed do not count towards its k', async () => {
    const { hash } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    const late = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer D (later)'), [officerC]);
    expect(await officersOf(officerA)).toContain(late.memberId);
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    const second = await decide(late, hash, 'approve');
    expect(((await second.json()) as { targets: { status: string }[] }).targets[0]!.status).toBe('pending');
    const third = await decide(officerC, hash, 'approve');
    expect(((await third.json()) as { targets: { status: string }[] }).targets[0]!.status).toBe('approved');
  });

  it('a co-signature by another officer applies the waiting change, with its action, in one step', async () => {
    const fresh = await invite(officerA, 'officer', 'Officer E');
    expect((await proposeGrant(officerA, fresh)).status).toBe(202);
    const applied = await cosignWaiting(officerC);
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ applied: true, proposal: null });
    expect(await officersOf(officerA)).toContain(fresh.memberId);
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', fresh.memberId)[0]!
        .wrapped_org_key,
    ).not.toBeNull();
    expect((await checkRoster(officerA.orgId, await fetchRoster(officerA), null)).ok).toBe(true);
  });
});

describe('a rogue officer cannot hold the roster hostage (several changes may wait; only the proposer withdraws)', () => {
  it("B and C remove A although A keeps a change of its own waiting and tries to withdraw theirs (on e8ece89 B's proposal got 409 while A's waited, and A could withdraw it)", async () => {
    const a = await createOrg(baseUrl, { name: 'Hostage CSO', approvalsRequired: 2, founderLabel: 'Rogue A' });
    const b = await grantOrgKey(a, await invite(a, 'officer', 'Officer B'));
    const c = await grantOrgKey(a, await invite(a, 'officer', 'Officer C'), [b]);
    // A files a change of its own (k = 1) to occupy the slot.
    expect((await setApprovalsRequired(a, 1)).status).toBe(202);
    // B proposes removing A: it waits beside A's change.
    expect((await revokeMember(b, a.memberId)).status).toBe(202);
    const api = (actor: Actor) => signIn(actor).then((token) => client(baseUrl, token).api.orgs[':orgId'].roster.proposal);
    const listed = (await (await (await api(c)).$get({ param: { orgId: a.orgId } })).json()) as {
      proposals: { hash: string; version: number; signerId: string; statement: RosterStatement }[];
    };
    expect(listed.proposals.map((proposal) => proposal.signerId).sort()).toEqual([a.memberId, b.memberId].sort());
    const removal = listed.proposals.find((proposal) => proposal.signerId === b.memberId)!;
    // A cannot withdraw B's change.
    expect((await (await api(a)).$delete({ param: { orgId: a.orgId }, query: { hash: removal.hash } })).status).toBe(403);
    // C co-signs B's change: A is out, and A's own change is dropped as stale.
    const cosigned = await (await api(c)).cosign.$post({
      param: { orgId: a.orgId },
      json: { version: removal.version, hash: removal.hash, signature: toBase64(sign(rosterBytes(removal.statement), c.keys)) },
    });
    expect(cosigned.status).toBe(200);
    expect(((await cosigned.json()) as { applied: boolean }).applied).toBe(true);
    expect(await officersOf(b)).not.toContain(a.memberId);
    expect(((await (await (await api(b)).$get({ param: { orgId: a.orgId } })).json()) as { proposals: unknown[] }).proposals).toEqual([]);
    expect((await fetchRoster(b)).at(-1)!.statement.approvalsRequired).toBe(2);
  });
});
