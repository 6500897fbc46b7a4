// Issue 14, "Migration": an organisation whose chain is still the officer roster of before
// (buffer/officer-roster/v1, which names no org key) moves to the organisation statement v2 with its
// first change, signed by k officers of its v1 head; a device pinned at the v1 head verifies the move
// and from then on holds the org key the statement names. End to end, on workerd and D1 (the
// crypto/src/roster.test.ts unit tests cover the chain rules).
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ready, toBase64 } from '#crypto';
import { nextRoster, rosterHash, type SignedRoster } from '#crypto/roster';
import { foundingRosterV1, signRoster } from '#crypto/roster-sign';
import { client, createOrg, fetchRoster, rosterEntry, setRetention, signIn, type Actor } from '../../scripts/lib/actors.ts';
import { checkRoster } from '../../web/src/activation/verify.ts';
import { queryRows, tamper } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
let founder: Actor;
let v1: SignedRoster;
let v1Hash: string;

beforeAll(async () => {
  await ready();
  founder = await createOrg(baseUrl, { name: 'Old Roster Solidarity', approvalsRequired: 1, founderLabel: 'Founder' });
  // Its chain as an organisation made before issue 14 has it: one v1 founding roster, no org key named.
  v1 = foundingRosterV1(founder.orgId, rosterEntry(founder.memberId, founder.keys), 1, founder.keys);
  v1Hash = await rosterHash(v1.statement);
  tamper(persistTo, 'DELETE FROM officer_rosters WHERE org_id = ?', founder.orgId);
  tamper(
    persistTo,
    'INSERT INTO officer_rosters (org_id, version, statement, hash, signer_id, signature, created_at) VALUES (?, 1, ?, ?, ?, ?, ?)',
    founder.orgId,
    JSON.stringify(v1.statement),
    v1Hash,
    v1.signerId,
    v1.signature,
    new Date().toISOString(),
  );
});

describe('moving an organisation from roster v1 to statement v2', () => {
  it('the first change is a v2 statement signed by k officers of the v1 head; a device pinned at v1 follows it to the named org key', async () => {
    const before = await fetchRoster(founder);
    expect(before.map((link) => link.statement.purpose)).toEqual(['buffer/officer-roster/v1']);
    const pinnedAtV1 = { orgId: founder.orgId, version: 1, hash: v1Hash };
    const old = await checkRoster(founder.orgId, before, pinnedAtV1);
    if (!old.ok) throw new Error(old.message);
    expect(old.roster.head.orgPublicKey).toBeUndefined();

    // v1 says k = 1: the founder alone may make the move (here with a retention period set in the same change).
    const response = await setRetention(founder, 30);
    expect(response.status, await response.clone().text()).toBe(200);
    const after = await fetchRoster(founder);
    expect(after.map((link) => link.statement.purpose)).toEqual(['buffer/officer-roster/v1', 'buffer/org-statement/v2']);
    const moved = await checkRoster(founder.orgId, after, pinnedAtV1);
    if (!moved.ok) throw new Error(moved.message);
    expect(moved.roster.head).toMatchObject({
      version: 2,
      approvalsRequired: 1,
      retentionDays: 30,
      orgPublicKey: toBase64(founder.orgPublicKey),
    });
    expect(
      queryRows<{ retention_days: number }>(persistTo, 'SELECT retention_days FROM orgs WHERE id = ?', founder.orgId)[0]!.retention_days,
    ).toBe(30);
  });

  it('never back: the server refuses a v1 link after the v2 statement, and devices would too', async () => {
    const chain = await fetchRoster(founder);
    const head = chain.at(-1)!.statement;
    // A v1-shaped next version (no org key named) signed by the founder.
    const back = signRoster(
      {
        ...(await nextRoster(head, { orgPublicKey: toBase64(founder.orgPublicKey), retentionDays: 60 })),
        purpose: 'buffer/officer-roster/v1',
        orgPublicKey: undefined,
        retentionDays: undefined,
        fieldDevices: undefined,
      } as never,
      founder.memberId,
      founder.keys,
    );
    const response = await client(baseUrl, await signIn(founder)).api.orgs[':orgId'].settings.$patch({
      param: { orgId: founder.orgId },
      json: { retentionDays: 60, roster: back as never },
    });
    const answer = await response.clone().text();
    expect(answer, answer).toMatch(/expected \\"buffer\/org-statement\/v2\\"/);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await fetchRoster(founder)).length).toBe(2);
    expect((await checkRoster(founder.orgId, [...chain, back], { orgId: founder.orgId, version: 1, hash: v1Hash })).ok).toBe(false);
  });
});
