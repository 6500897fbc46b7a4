// The relay query helpers (api/src/db/relays.ts) on their own, against a real D1 (decision 0807).
// The routes that use them, with signatures and audit entries, are tested through a running Worker
// in tests/api/relay.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMemberStatement } from '../../api/src/db/orgs.ts';
import {
  findRelay,
  insertRelayDecisionStatement,
  insertRelayStatement,
  listRelayDecisions,
  listRelays,
  markRelaySentStatement,
  memberDecidedRelay,
  type NewRelay,
  relayFiled,
  setRelayStatus,
} from '../../api/src/db/relays.ts';
import { localD1, type LocalD1, seedOrg, testKey } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
let csoOfficer: string;
let otherOfficer: string;

const relay = (hash: string, requesterOrgId: string, createdAt: string): NewRelay => ({
  hash,
  request: JSON.stringify({ orgId: 'cso-a', purpose: `relay ${hash}` }),
  signature: 'c2ln',
  requesterOrgId,
  csoOrgId: 'cso-a',
  approvalsRequired: 2,
  createdAt,
  expiresAt: '2026-12-20T00:00:00.000Z',
});
const decision = (hash: string, memberId: string, createdAt: string, choice: 'approve' | 'veto' = 'approve') => ({
  hash,
  memberId,
  decision: choice,
  signature: `sig-${memberId}`,
  createdAt,
});
const report = JSON.stringify({ sent: 12, failed: null, byLanguage: {} });

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  csoOfficer = await seedOrg(db, 'cso-a', 'cso', 'Aid A');
  await seedOrg(db, 'consulate-b', 'consulate', 'Consulate B');
  await seedOrg(db, 'city-c', 'city', 'City C');
  // A second officer of the CSO.
  otherOfficer = 'cso-a-second';
  await insertMemberStatement(
    db,
    {
      id: otherOfficer,
      org_id: 'cso-a',
      label: 'Second officer of Aid A',
      role: 'officer',
      sign_public_key: testKey(),
      box_public_key: testKey(),
      wrapped_org_key: null,
    },
    '2026-12-01T10:00:00.000Z',
  ).run();
});
afterAll(async () => {
  await d1?.dispose();
});

describe('relay requests', () => {
  it('files a relay as pending and refuses the same hash twice', async () => {
    expect(await relayFiled(db, 'hash-one')).toBe(false);
    await insertRelayStatement(db, relay('hash-one', 'consulate-b', '2026-12-01T10:00:00.000Z')).run();
    expect(await relayFiled(db, 'hash-one')).toBe(true);
    expect(await findRelay(db, 'hash-one')).toEqual({
      hash: 'hash-one',
      signature: 'c2ln',
      requester_org_id: 'consulate-b',
      cso_org_id: 'cso-a',
      approvals_required: 2,
      request: relay('hash-one', 'consulate-b', '').request,
      status: 'pending',
      created_at: '2026-12-01T10:00:00.000Z',
      expires_at: '2026-12-20T00:00:00.000Z',
      report: null,
    });
    await expect(insertRelayStatement(db, relay('hash-one', 'city-c', '2026-12-02T10:00:00.000Z')).run()).rejects.toThrow();
    expect((await findRelay(db, 'hash-one'))?.requester_org_id).toBe('consulate-b');
    expect(await findRelay(db, 'nothing')).toBeNull();
  });

  it('lists incoming relays for the CSO and outgoing ones for the requester, newest first', async () => {
    await insertRelayStatement(db, relay('hash-two', 'city-c', '2026-12-03T10:00:00.000Z')).run();
    await insertRelayStatement(db, relay('hash-three', 'consulate-b', '2026-12-02T10:00:00.000Z')).run();
    const hashes = async (orgId: string, direction: 'incoming' | 'outgoing') =>
      (await listRelays(db, orgId, direction)).map((row) => row.hash);
    expect(await hashes('cso-a', 'incoming')).toEqual(['hash-two', 'hash-three', 'hash-one']);
    expect(await hashes('consulate-b', 'outgoing')).toEqual(['hash-three', 'hash-one']);
    expect(await hashes('consulate-b', 'incoming')).toEqual([]);
    expect(await hashes('cso-a', 'outgoing')).toEqual([]);
  });
});

describe('decisions', () => {
  it('takes one decision per officer and lists them oldest first', async () => {
    expect(await memberDecidedRelay(db, 'hash-one', csoOfficer)).toBe(false);
    await insertRelayDecisionStatement(db, decision('hash-one', csoOfficer, '2026-12-04T10:00:00.000Z')).run();
    expect(await memberDecidedRelay(db, 'hash-one', csoOfficer)).toBe(true);
    expect(await memberDecidedRelay(db, 'hash-two', csoOfficer)).toBe(false);
    // A second decision of the same officer (two devices, or a replay) fails on the primary key.
    await expect(
      insertRelayDecisionStatement(db, decision('hash-one', csoOfficer, '2026-12-05T10:00:00.000Z', 'veto')).run(),
    ).rejects.toThrow();
    await insertRelayDecisionStatement(db, decision('hash-one', otherOfficer, '2026-12-03T10:00:00.000Z', 'veto')).run();
    expect(await listRelayDecisions(db, 'hash-one')).toEqual([
      { member_id: otherOfficer, decision: 'veto', signature: `sig-${otherOfficer}`, created_at: '2026-12-03T10:00:00.000Z' },
      { member_id: csoOfficer, decision: 'approve', signature: `sig-${csoOfficer}`, created_at: '2026-12-04T10:00:00.000Z' },
    ]);
    expect(await listRelayDecisions(db, 'hash-two')).toEqual([]);
  });

  it('rolls a decision back with the batch it is in', async () => {
    await expect(
      db.batch([
        insertRelayDecisionStatement(db, decision('hash-two', csoOfficer, '2026-12-04T10:00:00.000Z')),
        // Stands for an audit entry that fails (here: a decision on a relay that does not exist).
        insertRelayDecisionStatement(db, decision('no-such-hash', csoOfficer, '2026-12-04T10:00:00.000Z')),
      ]),
    ).rejects.toThrow();
    expect(await memberDecidedRelay(db, 'hash-two', csoOfficer)).toBe(false);
  });

  it('sets the status the decisions give', async () => {
    await setRelayStatus(db, 'hash-one', 'declined');
    expect((await findRelay(db, 'hash-one'))?.status).toBe('declined');
    await setRelayStatus(db, 'hash-two', 'approved');
    expect((await findRelay(db, 'hash-two'))?.status).toBe('approved');
    // The table's CHECK constraint refuses anything else.
    await expect(setRelayStatus(db, 'hash-two', 'lost' as never)).rejects.toThrow();
  });
});

describe('reports', () => {
  it('marks only an approved relay sent: a pending or declined one is left as it is', async () => {
    for (const hash of ['hash-three', 'hash-one']) {
      const before = await findRelay(db, hash);
      const result = await markRelaySentStatement(db, hash, report).run();
      expect(result.meta.changes).toBe(0);
      expect(await findRelay(db, hash)).toEqual(before);
    }
  });

  it('reports an approved relay once: a second report (two officers at once) changes nothing', async () => {
    const first = await markRelaySentStatement(db, 'hash-two', report).run();
    expect(first.meta.changes).toBe(1);
    expect(await findRelay(db, 'hash-two')).toMatchObject({ status: 'sent', report });
    const second = await markRelaySentStatement(db, 'hash-two', JSON.stringify({ sent: 99, failed: 0, byLanguage: {} })).run();
    expect(second.meta.changes).toBe(0);
    expect(await findRelay(db, 'hash-two')).toMatchObject({ status: 'sent', report });
  });

  it('keeps a sent or declined relay as it is when a decision counted at the same moment sets a status', async () => {
    // On e06baae the decision's tally set the sent relay back to approved (its report stayed).
    await setRelayStatus(db, 'hash-two', 'approved');
    expect((await findRelay(db, 'hash-two'))?.status).toBe('sent');
    await setRelayStatus(db, 'hash-one', 'approved');
    expect((await findRelay(db, 'hash-one'))?.status).toBe('declined');
  });
});
