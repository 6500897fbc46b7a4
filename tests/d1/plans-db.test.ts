// The plan and summary query helpers (api/src/db/plans.ts) on their own, against a real D1 (decision
// 0807). The routes that use them are tested through a running Worker in tests/api/plans.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanVersion } from '#plans/model';
import { samplePlan } from '#plans/sample-plan';
import {
  createPlan,
  findPlan,
  hasSignedOff,
  insertSignOff,
  insertSummary,
  listPlanShares,
  listPlanSignOffs,
  listPlansFor,
  listPlanVersions,
  listSummaries,
  planExists,
  planSharedWith,
  readPlanVersion,
  requesterOfCso,
  savePlanVersion,
} from '../../api/src/db/plans.ts';
import { upsertRelationship } from '../../api/src/db/relationships.ts';
import { localD1, type LocalD1, seedOrg } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
let owner: string;
let partner: string;

/** Version `version` of plan `planId`, titled `title`. */
function document(planId: string, version: number, title: string, createdAt = `2026-12-0${version}T10:00:00.000Z`): PlanVersion {
  return { planId, version, author: 'Officer of Aid A', createdAt, plan: { ...samplePlan(), id: planId, title } };
}

const versionsOf = async (planId: string) => (await listPlanVersions(db, planId)).map((row) => row.version);
const sharesOf = async (planId: string) => (await listPlanShares(db, planId)).map((row) => row.id);

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  owner = await seedOrg(db, 'cso-a', 'cso', 'Aid A');
  partner = await seedOrg(db, 'consulate-b', 'consulate', 'Consulate B');
  await seedOrg(db, 'city-c', 'city', 'City C');
  await seedOrg(db, 'consulate-d', 'consulate', 'Consulate D');
});
afterAll(async () => {
  await d1?.dispose();
});

describe('plans', () => {
  it('creates a plan with version 1 and its partners (each once, by name), and reads them back', async () => {
    expect(await planExists(db, 'plan-one')).toBe(false);
    await createPlan(db, 'cso-a', document('plan-one', 1, 'Floods'), owner, ['consulate-b', 'city-c', 'consulate-b']);
    expect(await planExists(db, 'plan-one')).toBe(true);
    expect(await findPlan(db, 'plan-one')).toMatchObject({
      owner_org_id: 'cso-a',
      title: 'Floods',
      status: samplePlan().status,
      latest_version: 1,
      created_at: '2026-12-01T10:00:00.000Z',
      updated_at: '2026-12-01T10:00:00.000Z',
    });
    expect(await findPlan(db, 'nothing')).toBeNull();
    expect(await sharesOf('plan-one')).toEqual(['city-c', 'consulate-b']);
    expect(await planSharedWith(db, 'plan-one', 'consulate-b')).toBe(true);
    // The owner is not a share; an organisation it was not shared with sees nothing.
    expect(await planSharedWith(db, 'plan-one', 'cso-a')).toBe(false);
    expect(await planSharedWith(db, 'plan-one', 'consulate-d')).toBe(false);
    expect(await readPlanVersion(db, 'plan-one', 1)).toEqual(document('plan-one', 1, 'Floods'));
    expect(await readPlanVersion(db, 'plan-one', 2)).toBeNull();
    expect(await listPlanVersions(db, 'plan-one')).toEqual([
      { version: 1, author_label: 'Officer of Aid A', created_at: '2026-12-01T10:00:00.000Z' },
    ]);
  });

  it('stores nothing of a plan whose batch fails: an id taken already, or a partner that does not exist', async () => {
    await expect(createPlan(db, 'cso-a', document('plan-one', 1, 'Again'), owner, ['consulate-d'])).rejects.toThrow();
    expect((await findPlan(db, 'plan-one'))?.title).toBe('Floods');
    expect(await sharesOf('plan-one')).toEqual(['city-c', 'consulate-b']);
    // The share row refers to no organisation: the plan and its version are rolled back with it.
    await expect(createPlan(db, 'cso-a', document('plan-two', 1, 'Storms'), owner, ['no-such-org'])).rejects.toThrow();
    expect(await planExists(db, 'plan-two')).toBe(false);
    expect(await readPlanVersion(db, 'plan-two', 1)).toBeNull();
  });

  it('saves a version on the latest one, replacing the partners only when given', async () => {
    expect(await savePlanVersion(db, 1, document('plan-one', 2, 'Floods, revised'), owner, ['consulate-d'])).toBe(true);
    expect(await findPlan(db, 'plan-one')).toMatchObject({
      title: 'Floods, revised',
      latest_version: 2,
      updated_at: '2026-12-02T10:00:00.000Z',
    });
    expect(await sharesOf('plan-one')).toEqual(['consulate-d']);
    expect(await versionsOf('plan-one')).toEqual([2, 1]);
    expect(await savePlanVersion(db, 2, document('plan-one', 3, 'Floods, third'), owner)).toBe(true);
    expect(await sharesOf('plan-one')).toEqual(['consulate-d']);
    expect((await readPlanVersion(db, 'plan-one', 3))?.plan.title).toBe('Floods, third');
  });

  it('refuses a second save on the same base version and changes nothing (the race of two officers)', async () => {
    // Both read version 3; the first saves 4, the second's version 4 collides and its whole batch goes.
    expect(await savePlanVersion(db, 3, document('plan-one', 4, 'First'), owner)).toBe(true);
    // It answers false, as a stale base does, so the route says 409 "someone saved first" (on e06baae it threw: a 500).
    expect(await savePlanVersion(db, 3, document('plan-one', 4, 'Second'), owner, ['city-c'])).toBe(false);
    expect(await findPlan(db, 'plan-one')).toMatchObject({ title: 'First', latest_version: 4 });
    expect((await readPlanVersion(db, 'plan-one', 4))?.plan.title).toBe('First');
    expect(await sharesOf('plan-one')).toEqual(['consulate-d']);
  });

  it('moves the plan only from its latest version: a stale base answers false and leaves the plan as it was', async () => {
    expect(await savePlanVersion(db, 2, document('plan-one', 6, 'From an old base'), owner)).toBe(false);
    expect(await findPlan(db, 'plan-one')).toMatchObject({ title: 'First', latest_version: 4 });
  });

  it('lists the plans an organisation owns or is a partner in, last changed first', async () => {
    await createPlan(db, 'consulate-b', document('plan-three', 1, 'Consular', '2026-12-05T10:00:00.000Z'), partner, ['cso-a']);
    expect((await listPlansFor(db, 'cso-a')).map((row) => row.id)).toEqual(['plan-three', 'plan-one']);
    expect((await listPlansFor(db, 'consulate-d')).map((row) => row.id)).toEqual(['plan-one']);
    // consulate-b owns plan-three and is no longer a partner of plan-one.
    expect((await listPlansFor(db, 'consulate-b')).map((row) => row.id)).toEqual(['plan-three']);
    expect(await listPlansFor(db, 'city-c')).toEqual([]);
  });

  it('takes one sign-off per organisation and version: a second one of the same organisation fails', async () => {
    const signOff = {
      planId: 'plan-one',
      version: 4,
      orgId: 'consulate-d',
      memberId: 'consulate-d-officer',
      signature: 'c2ln',
      signedAt: '2026-12-06T10:00:00.000Z',
    };
    expect(await hasSignedOff(db, 'plan-one', 4, 'consulate-d')).toBe(false);
    await insertSignOff(db, signOff);
    expect(await hasSignedOff(db, 'plan-one', 4, 'consulate-d')).toBe(true);
    expect(await hasSignedOff(db, 'plan-one', 3, 'consulate-d')).toBe(false);
    await expect(insertSignOff(db, { ...signOff, memberId: owner, signedAt: '2026-12-07T10:00:00.000Z' })).rejects.toThrow();
    await insertSignOff(db, { ...signOff, orgId: 'cso-a', memberId: owner, signedAt: '2026-12-05T10:00:00.000Z' });
    expect(await listPlanSignOffs(db, 'plan-one')).toEqual([
      { version: 4, org_id: 'cso-a', member_id: owner, signature: 'c2ln', signed_at: '2026-12-05T10:00:00.000Z' },
      { version: 4, org_id: 'consulate-d', member_id: 'consulate-d-officer', signature: 'c2ln', signed_at: '2026-12-06T10:00:00.000Z' },
    ]);
  });
});

describe('summaries', () => {
  const summary = (id: string, generatedAt: string) => ({
    id,
    orgId: 'cso-a',
    generatedAt,
    summary: JSON.stringify({ orgId: 'cso-a', generatedAt }),
    signature: 'c2ln',
    signedBy: owner,
    createdAt: '2026-12-07T10:00:00.000Z',
  });

  it("lists a CSO's summaries newest first with their signer, at most as many as asked", async () => {
    await insertSummary(db, summary('summary-old', '2026-12-01T00:00:00.000Z'));
    await insertSummary(db, summary('summary-new', '2026-12-03T00:00:00.000Z'));
    const [latest] = await listSummaries(db, 'cso-a', 1);
    expect(await listSummaries(db, 'cso-a', 1)).toHaveLength(1);
    expect(latest).toMatchObject({ id: 'summary-new', signed_by: owner, label: 'Officer of Aid A', signature: 'c2ln' });
    expect(JSON.parse(latest!.summary).generatedAt).toBe('2026-12-03T00:00:00.000Z');
    expect((await listSummaries(db, 'cso-a', 50)).map((row) => row.id)).toEqual(['summary-new', 'summary-old']);
    expect(await listSummaries(db, 'consulate-b', 50)).toEqual([]);
  });

  it('lets a requester read a CSO it works with, that way round only', async () => {
    expect(await requesterOfCso(db, 'cso-a', 'consulate-b')).toBe(false);
    await upsertRelationship(db, {
      csoOrgId: 'cso-a',
      requesterOrgId: 'consulate-b',
      createdBy: owner,
      createdAt: '2026-12-01T00:00:00.000Z',
      partner: '{}',
    });
    expect(await requesterOfCso(db, 'cso-a', 'consulate-b')).toBe(true);
    expect(await requesterOfCso(db, 'consulate-b', 'cso-a')).toBe(false);
    expect(await requesterOfCso(db, 'cso-a', 'city-c')).toBe(false);
  });
});
