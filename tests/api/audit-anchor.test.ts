// Issue 14, finding 4: the audit chain was not anchored. The decisions shown to the releasing
// officer and to the requester came from the server's list (activations/routes.ts), which could
// leave a veto out while the chain still held it; and dropping the last entries of a chain was not
// detected. Here, against a real server whose D1 is altered as its operator would:
//  - the server deletes a veto from its list of decisions: the device still counts the veto, from
//    the veto's audit entry (its own signature inside) (on 1a874f0 the requester's check said ok);
//  - the server deletes the veto's audit entry too: the chain still verifies, but the head the
//    vetoing officer's device kept is gone, and checkKeptHead says the log was cut (it had no way
//    to know on 1a874f0); a rewritten entry at the kept seq is a fork.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEntry } from '#crypto/audit';
import { addPartner, createOrg, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { checkKeptHead } from '../../web/src/activation/audit-heads.ts';
import { checkApprovals, checkRoster, type ActivationDetail } from '../../web/src/activation/verify.ts';
import { api, buildRequest, decide, fileRequest, tamper } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

let officerA: Actor;
let officerB: Actor;
let officerC: Actor;
let consulate: Actor;
let hash: string;

const detailFor = async (actor: Actor) =>
  (await (await api(actor)).activations[':hash'].$get({ param: { hash } })).json() as unknown as Promise<
    ActivationDetail & { audit: { entries: AuditEntry[] } }
  >;

async function requesterCheck() {
  const detail = await detailFor(consulate);
  const roster = await checkRoster(officerA.orgId, detail.rosters?.[officerA.orgId], null);
  if (!roster.ok) throw new Error(roster.message);
  return { detail, verdict: await checkApprovals(detail, officerA.orgId, roster.roster) };
}

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Anchored CSO', approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  officerC = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer C'), [officerB]);
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Anchored consulate', nationalities: ['NP'] });
  await addPartner(officerA, consulate);
  ({ hash } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId])));
  expect((await decide(officerA, hash, 'approve')).status).toBe(200);
  expect((await decide(officerC, hash, 'approve')).status).toBe(200);
  expect((await decide(officerB, hash, 'veto')).status).toBe(200);
});

describe('the audit chain anchors the decisions', () => {
  it("a veto the server leaves out of its list of decisions still counts, from the veto's audit entry", async () => {
    expect((await requesterCheck()).verdict.ok).toBe(false);
    tamper(persistTo, 'DELETE FROM activation_decisions WHERE request_hash = ? AND member_id = ?', hash, officerB.memberId);
    const { detail, verdict } = await requesterCheck();
    expect(detail.decisions.map((decision) => decision.memberId)).not.toContain(officerB.memberId); // the server's list lies
    expect(verdict).toMatchObject({ ok: false, reason: 'vetoed' });
  });

  it("a chain cut short, or rewritten, is told apart from the head the vetoing officer's device kept", async () => {
    const before = (await detailFor(officerB)).audit.entries;
    const vetoEntry = before.at(-1)!;
    expect(vetoEntry.type).toBe('activation.vetoed');
    const kept = { seq: vetoEntry.seq, hash: vetoEntry.hash }; // what B's device keeps after signing its veto
    expect(checkKeptHead(before, kept)).toEqual({ ok: true });
    tamper(persistTo, 'DELETE FROM audit_entries WHERE chain_id = ? AND seq = ?', `request:${hash}`, vetoEntry.seq);
    const after = (await detailFor(officerB)).audit.entries;
    expect(after).toHaveLength(before.length - 1);
    const cut = checkKeptHead(after, kept);
    expect(cut).toMatchObject({ ok: false, kind: 'truncated', seq: vetoEntry.seq });
    // And with both the list and the chain cut, the requester's device alone cannot see the veto:
    // that is why every officer's device keeps its head (the vetoing officer's raises it).
    expect((await requesterCheck()).verdict.ok).toBe(true);
    // Another entry at the kept seq (here: A's approval entry moved there) is another history.
    const forked = [...after, { ...after.at(-1)!, seq: vetoEntry.seq }];
    expect(checkKeptHead(forked, kept)).toMatchObject({ ok: false, kind: 'forked' });
  });
});
