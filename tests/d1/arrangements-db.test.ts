// The break-glass arrangement query helpers (api/src/db/arrangements.ts, and csoListsRequester of
// db/relationships.ts) on their own, against a real D1 (tests/support/d1.ts). The routes that use
// them are tested through a running Worker in tests/api/breakglass.test.ts.
//
// As in activations-db.test.ts, the audit entry a helper batches is a plain row of audit_entries at
// a given (chain, seq); one whose seq is taken must roll the whole batch back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRequest, listDecisions, listTargets, type NewRequest } from '../../api/src/db/activations.ts';
import {
  acceptArrangement,
  copyUpdatedAt,
  findArrangement,
  findCopy,
  insertArrangement,
  listArrangementsOf,
  markArrangementUsed,
  type NewArrangement,
  setCosignatures,
  startBreakGlass,
  upsertCopy,
  vetoBreakGlass,
} from '../../api/src/db/arrangements.ts';
import { insertMemberStatement, insertOrgStatement, type OrgRow } from '../../api/src/db/orgs.ts';
import { csoListsRequester, upsertRelationship } from '../../api/src/db/relationships.ts';
import { localD1, type LocalD1 } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
const createdAt = '2026-12-01T10:00:00.000Z';
let keySeed = 0;
const key = () => Buffer.alloc(32, ++keySeed).toString('base64url');
const hashOf = (n: number) => `h${String(n).padStart(42, '0')}`;

async function addOrg(id: string, kind: OrgRow['kind']) {
  await insertOrgStatement(
    db,
    { id, kind, name: id, country: null, nationalities: '[]', public_key: key(), approvals_required: 1 },
    createdAt,
  ).run();
  for (const member of [`${id}-officer`, `${id}-second`]) {
    await insertMemberStatement(
      db,
      { id: member, org_id: id, label: member, role: 'officer', sign_public_key: key(), box_public_key: key(), wrapped_org_key: null },
      createdAt,
    ).run();
  }
}

const auditRow = (chain: string, seq: number) =>
  db
    .prepare('INSERT INTO audit_entries (chain_id, seq, entry, hash, at) VALUES (?, ?, ?, ?, ?)')
    .bind(chain, seq, '{}', 'aGFzaA', createdAt);
const auditCount = async (chain: string) =>
  (await db.prepare('SELECT COUNT(*) AS n FROM audit_entries WHERE chain_id = ?').bind(chain).first<{ n: number }>())!.n;

const arrangement = (id: string, csoOrgId: string, requesterOrgId: string, at: string): NewArrangement => ({
  id,
  cso_org_id: csoOrgId,
  requester_org_id: requesterOrgId,
  descriptor: JSON.stringify({ arrangementId: id }),
  signature: 'c2ln',
  org_escrow: 'ZXNjcm93',
  requester_share: 'cmVxdWVzdGVy',
  server_share: 'c2VydmVy',
  waiting_seconds: 3600,
  created_at: at,
});

const breakGlassRequest = (n: number, arrangementId: string, at: string): NewRequest => ({
  hash: hashOf(n),
  request: JSON.stringify({ n }),
  signature: 'c2ln',
  kind: 'break_glass',
  requesterOrgId: 'consulate-b',
  requesterMemberId: 'consulate-b-officer',
  arrangementId,
  createdAt: at,
  expiresAt: '2026-12-20T00:00:00.000Z',
});

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  await addOrg('cso-a', 'cso');
  await addOrg('cso-e', 'cso');
  await addOrg('consulate-b', 'consulate');
  await addOrg('city-c', 'city');
});
afterAll(async () => {
  await d1?.dispose();
});

describe('relationships a proposal needs', () => {
  it('tells whether a CSO lists a requester, one way round only', async () => {
    await upsertRelationship(db, {
      csoOrgId: 'cso-a',
      requesterOrgId: 'consulate-b',
      createdBy: 'cso-a-officer',
      createdAt,
      partner: '{}',
    });
    expect(await csoListsRequester(db, 'cso-a', 'consulate-b')).toBe(true);
    expect(await csoListsRequester(db, 'consulate-b', 'cso-a')).toBe(false);
    expect(await csoListsRequester(db, 'cso-a', 'city-c')).toBe(false);
    expect(await csoListsRequester(db, 'cso-e', 'consulate-b')).toBe(false);
  });
});

describe('arrangements', () => {
  it('stores a proposal with its audit entry, and lists it to both sides only, newest first', async () => {
    await insertArrangement(db, arrangement('arr-1', 'cso-a', 'consulate-b', '2026-12-01T11:00:00.000Z'), auditRow('arrangement:arr-1', 1));
    await insertArrangement(db, arrangement('arr-2', 'cso-a', 'city-c', '2026-12-01T12:00:00.000Z'), auditRow('arrangement:arr-2', 1));
    await insertArrangement(db, arrangement('arr-3', 'cso-e', 'consulate-b', '2026-12-01T13:00:00.000Z'), auditRow('arrangement:arr-3', 1));
    expect(await findArrangement(db, 'arr-1')).toMatchObject({
      cso_org_id: 'cso-a',
      requester_org_id: 'consulate-b',
      status: 'proposed',
      requester_signature: null,
      waiting_seconds: 3600,
      request_hash: null,
      started_at: null,
      cosignatures: '[]',
    });
    expect(await findArrangement(db, 'arr-9')).toBeNull();
    const ids = async (orgId: string) => (await listArrangementsOf(db, orgId)).map((row) => row.id);
    expect(await ids('cso-a')).toEqual(['arr-2', 'arr-1']);
    expect(await ids('consulate-b')).toEqual(['arr-3', 'arr-1']);
    expect(await ids('city-c')).toEqual(['arr-2']);
    expect(await auditCount('arrangement:arr-1')).toBe(1);
  });

  it('refuses a proposal whose id is taken, and its audit entry with it', async () => {
    await expect(
      insertArrangement(db, arrangement('arr-1', 'cso-e', 'city-c', '2026-12-01T14:00:00.000Z'), auditRow('arrangement:arr-1', 2)),
    ).rejects.toThrow(/UNIQUE|constraint/i);
    expect((await findArrangement(db, 'arr-1'))?.cso_org_id).toBe('cso-a');
    expect(await auditCount('arrangement:arr-1')).toBe(1);
  });

  it('takes co-signatures and the acceptance while proposed, and neither after (a race lost changes nothing)', async () => {
    const cosigned = JSON.stringify([{ memberId: 'cso-a-second', signature: 'Y29zaWdu' }]);
    expect(await setCosignatures(db, 'arr-1', cosigned, auditRow('arrangement:arr-1', 2))).toBe(true);
    expect(await acceptArrangement(db, 'arr-1', 'YWNjZXB0', auditRow('arrangement:arr-1', 3))).toBe(true);
    expect(await findArrangement(db, 'arr-1')).toMatchObject({ status: 'active', requester_signature: 'YWNjZXB0', cosignatures: cosigned });

    // Read while proposed, written after the acceptance: the guarded updates match nothing.
    expect(await setCosignatures(db, 'arr-1', '[]', auditRow('arrangement:arr-1', 4))).toBe(false);
    expect(await acceptArrangement(db, 'arr-1', 'c2Vjb25k', auditRow('arrangement:arr-1', 5))).toBe(false);
    expect(await findArrangement(db, 'arr-1')).toMatchObject({ status: 'active', requester_signature: 'YWNjZXB0', cosignatures: cosigned });
  });

  it('leaves the arrangement proposed when the acceptance lost the chain head', async () => {
    await expect(acceptArrangement(db, 'arr-2', 'YWNjZXB0', auditRow('arrangement:arr-2', 1))).rejects.toThrow(/UNIQUE|constraint/i);
    expect(await findArrangement(db, 'arr-2')).toMatchObject({ status: 'proposed', requester_signature: null });
  });
});

describe('break-glass activation', () => {
  it('starts only on an active arrangement: the request, its one target and the waiting state together', async () => {
    expect(
      await startBreakGlass(
        db,
        'arr-2',
        breakGlassRequest(1, 'arr-2', '2026-12-02T00:00:00.000Z'),
        { orgId: 'cso-a', approvalsRequired: 1, rosterVersion: null },
        auditRow('arrangement:arr-2', 2),
      ),
    ).toBe(false);
    expect((await findArrangement(db, 'arr-2'))?.status).toBe('proposed');

    expect(
      await startBreakGlass(
        db,
        'arr-1',
        breakGlassRequest(2, 'arr-1', '2026-12-02T01:00:00.000Z'),
        { orgId: 'cso-a', approvalsRequired: 1, rosterVersion: 4 },
        auditRow('arrangement:arr-1', 6),
      ),
    ).toBe(true);
    expect(await findArrangement(db, 'arr-1')).toMatchObject({
      status: 'waiting',
      request_hash: hashOf(2),
      started_at: '2026-12-02T01:00:00.000Z',
    });
    expect(await findRequest(db, hashOf(2))).toMatchObject({
      kind: 'break_glass',
      arrangement_id: 'arr-1',
      requester_org_id: 'consulate-b',
      status: 'open',
    });
    expect(await listTargets(db, hashOf(2))).toEqual([
      {
        request_hash: hashOf(2),
        org_id: 'cso-a',
        approvals_required: 1,
        status: 'pending',
        updated_at: '2026-12-02T01:00:00.000Z',
        roster_version: 4,
      },
    ]);
  });

  it('does not move a waiting arrangement to a second activation that raced the first', async () => {
    expect(
      await startBreakGlass(
        db,
        'arr-1',
        breakGlassRequest(3, 'arr-1', '2026-12-02T02:00:00.000Z'),
        { orgId: 'cso-a', approvalsRequired: 1, rosterVersion: 4 },
        auditRow('arrangement:arr-1', 7),
      ),
    ).toBe(false);
    expect(await findArrangement(db, 'arr-1')).toMatchObject({
      status: 'waiting',
      request_hash: hashOf(2),
      started_at: '2026-12-02T01:00:00.000Z',
    });
  });

  it('stores nothing of an activation whose audit entry lost the chain head', async () => {
    await expect(
      startBreakGlass(
        db,
        'arr-3',
        breakGlassRequest(4, 'arr-3', '2026-12-02T03:00:00.000Z'),
        { orgId: 'cso-e', approvalsRequired: 1, rosterVersion: null },
        auditRow('arrangement:arr-3', 1),
      ),
    ).rejects.toThrow(/UNIQUE|constraint/i);
    expect(await findRequest(db, hashOf(4))).toBeNull();
    expect(await listTargets(db, hashOf(4))).toEqual([]);
  });

  it('records a veto once per officer and vetoes the arrangement and its target', async () => {
    const veto = (memberId: string, signature: string, at: string) => ({
      arrangementId: 'arr-1',
      requestHash: hashOf(2),
      orgId: 'cso-a',
      memberId,
      signature,
      at,
    });
    await vetoBreakGlass(db, veto('cso-a-officer', 'dmV0bzE', '2026-12-02T04:00:00.000Z'), auditRow('arrangement:arr-1', 8));
    // The same officer again (say, two devices): the first signed veto stays, nothing fails.
    await vetoBreakGlass(db, veto('cso-a-officer', 'dmV0bzI', '2026-12-02T05:00:00.000Z'), auditRow('arrangement:arr-1', 9));
    expect((await listDecisions(db, hashOf(2))).map((row) => [row.member_id, row.decision, row.signature, row.created_at])).toEqual([
      ['cso-a-officer', 'veto', 'dmV0bzE', '2026-12-02T04:00:00.000Z'],
    ]);
    expect((await findArrangement(db, 'arr-1'))?.status).toBe('vetoed');
    expect((await listTargets(db, hashOf(2))).map((target) => [target.status, target.updated_at])).toEqual([
      ['vetoed', '2026-12-02T05:00:00.000Z'],
    ]);
  });

  it('marks an arrangement used, with its audit entry', async () => {
    await markArrangementUsed(db, 'arr-3', auditRow('arrangement:arr-3', 2));
    expect((await findArrangement(db, 'arr-3'))?.status).toBe('used');
    expect(await auditCount('arrangement:arr-3')).toBe(2);
  });
});

describe('the minimised copy', () => {
  it('is none at first, then stored, then replaced whole', async () => {
    expect(await copyUpdatedAt(db, 'arr-3')).toBeNull();
    expect(await findCopy(db, 'arr-3')).toBeNull();
    await upsertCopy(db, 'arr-3', new Uint8Array([1, 2, 3]), 'cso-e-officer', '2026-12-03T00:00:00.000Z');
    await upsertCopy(db, 'arr-3', new Uint8Array([9, 8]), 'cso-e-second', '2026-12-03T01:00:00.000Z');
    expect(await copyUpdatedAt(db, 'arr-3')).toBe('2026-12-03T01:00:00.000Z');
    const copy = await findCopy(db, 'arr-3');
    expect([...new Uint8Array(copy!.bundle)]).toEqual([9, 8]);
    expect(copy!.updated_at).toBe('2026-12-03T01:00:00.000Z');
    const uploader = await db.prepare('SELECT uploaded_by FROM arrangement_copies WHERE arrangement_id = ?').bind('arr-3').first();
    expect(uploader).toEqual({ uploaded_by: 'cso-e-second' });
    expect(await copyUpdatedAt(db, 'arr-1')).toBeNull();
  });
});
