// The activation query helpers (api/src/db/activations.ts) on their own, against a real D1:
// migrations applied by wrangler, queries run by workerd (tests/support/d1.ts). The routes that use
// them are tested through a running Worker in tests/api/ (activation, breakglass, retention).
//
// A write helper runs its statements in one batch with the step's audit entry. Here the audit entry
// is a plain row of audit_entries at a given (chain, seq): inserting one whose seq is taken is what
// happens when another entry took the chain's head meanwhile, and the whole batch must roll back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countDownload,
  fileRequest,
  findRelease,
  findRequest,
  insertDecisionStatement,
  listDecisions,
  listIncomingRequests,
  listOutgoingRequests,
  listReleases,
  listTargets,
  type NewRequest,
  RELEASE_CHUNK_BYTES,
  readChunks,
  recordDecision,
  releaseIdTaken,
  revokeRelease,
  setTargetStatus,
  storeRelease,
  vetoTargetsStatement,
} from '../../api/src/db/activations.ts';
import { insertMemberStatement, insertOrgStatement, officersOf, type OrgRow } from '../../api/src/db/orgs.ts';
import { localD1, type LocalD1 } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
const createdAt = '2026-12-01T10:00:00.000Z';
let keySeed = 0;
const key = () => Buffer.alloc(32, ++keySeed).toString('base64url');
const hashOf = (n: number) => `h${String(n).padStart(42, '0')}`;

async function addMember(orgId: string, id: string, role: 'officer' | 'field', at = createdAt) {
  await insertMemberStatement(
    db,
    { id, org_id: orgId, label: id, role, sign_public_key: key(), box_public_key: key(), wrapped_org_key: null },
    at,
  ).run();
}

async function addOrg(id: string, kind: OrgRow['kind']) {
  await insertOrgStatement(
    db,
    { id, kind, name: id, country: null, nationalities: '[]', public_key: key(), approvals_required: 2 },
    createdAt,
  ).run();
  await addMember(id, `${id}-officer`, 'officer');
}

/** An audit entry's row at (chain, seq); the helpers only need it to be stored or refused with the rest. */
const auditRow = (chain: string, seq: number) =>
  db
    .prepare('INSERT INTO audit_entries (chain_id, seq, entry, hash, at) VALUES (?, ?, ?, ?, ?)')
    .bind(chain, seq, '{}', 'aGFzaA', createdAt);
const auditCount = async (chain: string) =>
  (await db.prepare('SELECT COUNT(*) AS n FROM audit_entries WHERE chain_id = ?').bind(chain).first<{ n: number }>())!.n;

const request = (n: number, at: string, requesterOrgId = 'consulate-b'): NewRequest => ({
  hash: hashOf(n),
  request: JSON.stringify({ n }),
  signature: 'c2ln',
  kind: 'release',
  requesterOrgId,
  requesterMemberId: `${requesterOrgId}-officer`,
  arrangementId: null,
  createdAt: at,
  expiresAt: '2026-12-20T00:00:00.000Z',
});
const targets = (...orgIds: string[]) => orgIds.map((orgId) => ({ orgId, approvalsRequired: 2, rosterVersion: 3 }));

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  await addOrg('cso-a', 'cso');
  await addOrg('cso-e', 'cso');
  await addOrg('consulate-b', 'consulate');
  await addOrg('city-c', 'city');
  await addMember('cso-a', 'cso-a-second', 'officer', '2026-12-01T11:00:00.000Z');
  await addMember('cso-a', 'cso-a-field', 'field');
});
afterAll(async () => {
  await d1?.dispose();
});

describe('requests and targets', () => {
  it('files a request with its targets and audit entry, and lists it on both sides, newest first', async () => {
    await fileRequest(db, request(1, '2026-12-01T12:00:00.000Z'), targets('cso-e', 'cso-a'), auditRow(`request:${hashOf(1)}`, 1));
    await fileRequest(db, request(2, '2026-12-01T13:00:00.000Z'), targets('cso-a'), auditRow(`request:${hashOf(2)}`, 1));
    await fileRequest(db, request(3, '2026-12-01T14:00:00.000Z', 'city-c'), targets('cso-e'), auditRow(`request:${hashOf(3)}`, 1));

    expect(await findRequest(db, hashOf(1))).toMatchObject({
      hash: hashOf(1),
      request: '{"n":1}',
      kind: 'release',
      requester_org_id: 'consulate-b',
      requester_member_id: 'consulate-b-officer',
      arrangement_id: null,
      status: 'open',
    });
    expect(await findRequest(db, hashOf(9))).toBeNull();
    // By org id, each pending with its k, roster version and the filing time.
    expect(await listTargets(db, hashOf(1))).toEqual([
      {
        request_hash: hashOf(1),
        org_id: 'cso-a',
        approvals_required: 2,
        status: 'pending',
        updated_at: '2026-12-01T12:00:00.000Z',
        roster_version: 3,
      },
      {
        request_hash: hashOf(1),
        org_id: 'cso-e',
        approvals_required: 2,
        status: 'pending',
        updated_at: '2026-12-01T12:00:00.000Z',
        roster_version: 3,
      },
    ]);
    expect(await auditCount(`request:${hashOf(1)}`)).toBe(1);

    const hashes = (rows: { hash: string }[]) => rows.map((row) => row.hash);
    expect(hashes(await listOutgoingRequests(db, 'consulate-b'))).toEqual([hashOf(2), hashOf(1)]);
    expect(hashes(await listOutgoingRequests(db, 'cso-a'))).toEqual([]);
    expect(hashes(await listIncomingRequests(db, 'cso-a'))).toEqual([hashOf(2), hashOf(1)]);
    expect(hashes(await listIncomingRequests(db, 'cso-e'))).toEqual([hashOf(3), hashOf(1)]);
    expect(hashes(await listIncomingRequests(db, 'consulate-b'))).toEqual([]);
  });

  it('stores nothing of a request whose audit entry lost the chain head', async () => {
    await auditRow(`request:${hashOf(4)}`, 1).run();
    await expect(fileRequest(db, request(4, createdAt), targets('cso-a'), auditRow(`request:${hashOf(4)}`, 1))).rejects.toThrow(
      /UNIQUE|constraint/i,
    );
    expect(await findRequest(db, hashOf(4))).toBeNull();
    expect(await listTargets(db, hashOf(4))).toEqual([]);
  });

  it("sets one target's status and leaves the other target's", async () => {
    await setTargetStatus(db, hashOf(1), 'cso-a', 'approved', '2026-12-02T00:00:00.000Z');
    const [a, e] = await listTargets(db, hashOf(1));
    expect(a).toMatchObject({ org_id: 'cso-a', status: 'approved', updated_at: '2026-12-02T00:00:00.000Z' });
    expect(e).toMatchObject({ org_id: 'cso-e', status: 'pending', updated_at: '2026-12-01T12:00:00.000Z' });
  });

  it('lists the officers an organisation has had, not its field workers', async () => {
    expect((await officersOf(db, 'cso-a')).map((officer) => [officer.id, officer.status])).toEqual([
      ['cso-a-officer', 'active'],
      ['cso-a-second', 'active'],
    ]);
  });
});

describe('decisions', () => {
  const decision = (memberId: string, kind: 'approve' | 'veto', at: string) => ({
    request_hash: hashOf(2),
    org_id: 'cso-a',
    member_id: memberId,
    decision: kind,
    signature: `sig-${memberId}-${kind}`,
    created_at: at,
  });

  it('stores decisions in the order they were taken', async () => {
    await recordDecision(db, decision('cso-a-second', 'approve', '2026-12-02T10:00:00.000Z'), auditRow(`request:${hashOf(2)}`, 2));
    await recordDecision(db, decision('cso-a-officer', 'approve', '2026-12-02T09:00:00.000Z'), auditRow(`request:${hashOf(2)}`, 3));
    expect((await listDecisions(db, hashOf(2))).map((row) => [row.member_id, row.decision])).toEqual([
      ['cso-a-officer', 'approve'],
      ['cso-a-second', 'approve'],
    ]);
  });

  it('refuses a second decision by the same officer (a race past the route check), and its audit entry with it', async () => {
    await expect(
      recordDecision(db, decision('cso-a-officer', 'veto', '2026-12-02T11:00:00.000Z'), auditRow(`request:${hashOf(2)}`, 4)),
    ).rejects.toThrow(/UNIQUE|constraint/i);
    expect((await listDecisions(db, hashOf(2))).find((row) => row.member_id === 'cso-a-officer')?.decision).toBe('approve');
    expect(await auditCount(`request:${hashOf(2)}`)).toBe(3);
  });

  it('drops, with OR IGNORE, a second decision by the same officer, keeping the first', async () => {
    await insertDecisionStatement(db, decision('cso-a-officer', 'veto', '2026-12-02T12:00:00.000Z'), { orIgnore: true }).run();
    const rows = await listDecisions(db, hashOf(2));
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.member_id === 'cso-a-officer')).toMatchObject({
      decision: 'approve',
      signature: 'sig-cso-a-officer-approve',
    });
  });

  it('vetoes every target of a request', async () => {
    await vetoTargetsStatement(db, hashOf(3), '2026-12-03T00:00:00.000Z').run();
    expect((await listTargets(db, hashOf(3))).map((target) => target.status)).toEqual(['vetoed']);
    expect((await listTargets(db, hashOf(1))).map((target) => target.status)).toEqual(['approved', 'pending']);
  });
});

describe('releases', () => {
  // More than one chunk, with a last chunk that is not full.
  const bytes = new Uint8Array(RELEASE_CHUNK_BYTES + 1000).map((_, index) => index % 251);
  const release = (id: string, orgId: string) => ({
    id,
    request_hash: hashOf(1),
    org_id: orgId,
    uploaded_by: `${orgId}-officer`,
    sha256: 'f'.repeat(64),
    created_at: '2026-12-04T00:00:00.000Z',
    expires_at: '2026-12-10T00:00:00.000Z',
  });

  it("stores a release in chunks, reads its bytes back, and marks the releasing CSO's target released", async () => {
    expect(await releaseIdTaken(db, 'release-1')).toBe(false);
    await storeRelease(db, release('release-1', 'cso-a'), bytes, auditRow(`request:${hashOf(1)}`, 2));
    expect(await releaseIdTaken(db, 'release-1')).toBe(true);
    const row = await findRelease(db, 'release-1', hashOf(1));
    expect(row).toMatchObject({ org_id: 'cso-a', bytes: bytes.length, status: 'available', downloads: 0 });
    // A release is found only under its own request.
    expect(await findRelease(db, 'release-1', hashOf(2))).toBeNull();
    const chunks = await db.prepare('SELECT idx FROM release_chunks WHERE release_id = ? ORDER BY idx').bind('release-1').all();
    expect(chunks.results).toEqual([{ idx: 0 }, { idx: 1 }]);
    expect(Buffer.from(await readChunks(db, 'release-1')).equals(Buffer.from(bytes))).toBe(true);
    expect((await listTargets(db, hashOf(1))).map((target) => [target.org_id, target.status])).toEqual([
      ['cso-a', 'released'],
      ['cso-e', 'pending'],
    ]);
    expect((await listReleases(db, hashOf(1))).map((listed) => listed.id)).toEqual(['release-1']);
  });

  it('refuses a release whose id was taken meanwhile, with its chunks, target status and audit entry', async () => {
    await expect(
      storeRelease(db, release('release-1', 'cso-e'), new Uint8Array([1, 2, 3]), auditRow(`request:${hashOf(1)}`, 3)),
    ).rejects.toThrow(/UNIQUE|constraint/i);
    expect((await findRelease(db, 'release-1', hashOf(1)))?.org_id).toBe('cso-a');
    expect((await readChunks(db, 'release-1')).length).toBe(bytes.length);
    expect((await listTargets(db, hashOf(1))).find((target) => target.org_id === 'cso-e')?.status).toBe('pending');
    expect(await auditCount(`request:${hashOf(1)}`)).toBe(2);
  });

  it('counts downloads, and not one whose audit entry lost the chain head', async () => {
    await countDownload(db, 'release-1', auditRow(`request:${hashOf(1)}`, 3));
    await countDownload(db, 'release-1', auditRow(`request:${hashOf(1)}`, 4));
    await expect(countDownload(db, 'release-1', auditRow(`request:${hashOf(1)}`, 4))).rejects.toThrow(/UNIQUE|constraint/i);
    expect((await findRelease(db, 'release-1', hashOf(1)))?.downloads).toBe(2);
  });

  it("revokes a release: its bytes deleted, the releasing CSO's target revoked, the other target untouched", async () => {
    await revokeRelease(
      db,
      { id: 'release-1', request_hash: hashOf(1), org_id: 'cso-a' },
      '2026-12-05T00:00:00.000Z',
      auditRow(`request:${hashOf(1)}`, 5),
    );
    expect((await findRelease(db, 'release-1', hashOf(1)))?.status).toBe('revoked');
    expect((await readChunks(db, 'release-1')).length).toBe(0);
    expect((await listTargets(db, hashOf(1))).map((target) => [target.org_id, target.status, target.updated_at])).toEqual([
      ['cso-a', 'revoked', '2026-12-05T00:00:00.000Z'],
      ['cso-e', 'pending', '2026-12-01T12:00:00.000Z'],
    ]);
  });
});
