// Query helpers for contingency plans (versions, partners, sign-offs) and published summaries: the
// statements api/src/plans/routes.ts runs, tested on their own against a real D1 (tests/d1/plans-db.test.ts).
import { planVersion, type PlanVersion, type planStatuses } from '#plans/model';
import type { orgKinds } from '../schemas.ts';
import { readStored } from './stored.ts';

export interface PlanRow {
  id: string;
  owner_org_id: string;
  title: string;
  /** The saved plan's own status (the plan model's planStatuses). */
  status: (typeof planStatuses)[number];
  latest_version: number;
  created_at: string;
  updated_at: string;
}

export const findPlan = (db: D1Database, planId: string) => db.prepare('SELECT * FROM plans WHERE id = ?').bind(planId).first<PlanRow>();

export const planExists = (db: D1Database, planId: string) =>
  db.prepare('SELECT 1 AS taken FROM plans WHERE id = ?').bind(planId).first().then(Boolean);

/** Whether the plan is shared with the organisation (its owner is not in plan_shares). */
export const planSharedWith = (db: D1Database, planId: string, orgId: string) =>
  db.prepare('SELECT 1 AS ok FROM plan_shares WHERE plan_id = ? AND org_id = ?').bind(planId, orgId).first().then(Boolean);

/** Plans the organisation owns or is a partner in, last changed first (at most 500). */
export const listPlansFor = (db: D1Database, orgId: string) =>
  db
    .prepare(
      `SELECT * FROM plans WHERE owner_org_id = ? OR id IN (SELECT plan_id FROM plan_shares WHERE org_id = ?) ORDER BY updated_at DESC LIMIT 500`,
    )
    .bind(orgId, orgId)
    .all<PlanRow>()
    .then((result) => result.results);

/** One saved version, or null when the plan has no such version. */
export async function readPlanVersion(db: D1Database, planId: string, version: number): Promise<PlanVersion | null> {
  const row = await db
    .prepare('SELECT document FROM plan_versions WHERE plan_id = ? AND version = ?')
    .bind(planId, version)
    .first<{ document: string }>();
  // Stored by insertVersionStatement: a PlanVersion around a plan that passed the plan model's schema.
  return row ? readStored(planVersion, row.document) : null;
}

/** The version history, newest first. */
export const listPlanVersions = (db: D1Database, planId: string) =>
  db
    .prepare('SELECT version, author_label, created_at FROM plan_versions WHERE plan_id = ? ORDER BY version DESC')
    .bind(planId)
    .all<{ version: number; author_label: string; created_at: string }>()
    .then((result) => result.results);

/** The partner organisations a plan is shared with, by name. */
export const listPlanShares = (db: D1Database, planId: string) =>
  db
    .prepare('SELECT o.id, o.name, o.kind FROM plan_shares s JOIN orgs o ON o.id = s.org_id WHERE s.plan_id = ? ORDER BY o.name')
    .bind(planId)
    .all<{ id: string; name: string; kind: (typeof orgKinds)[number] }>()
    .then((result) => result.results);

/** Every sign-off of every version, oldest first. */
export const listPlanSignOffs = (db: D1Database, planId: string) =>
  db
    .prepare('SELECT version, org_id, member_id, signature, signed_at FROM plan_signoffs WHERE plan_id = ? ORDER BY signed_at')
    .bind(planId)
    .all<{ version: number; org_id: string; member_id: string; signature: string; signed_at: string }>()
    .then((result) => result.results);

const insertVersionStatement = (db: D1Database, document: PlanVersion, authorId: string) =>
  db
    .prepare('INSERT INTO plan_versions (plan_id, version, author_id, author_label, created_at, document) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(document.planId, document.version, authorId, document.author, document.createdAt, JSON.stringify(document));

const insertShareStatements = (db: D1Database, planId: string, orgIds: string[]) =>
  [...new Set(orgIds)].map((orgId) => db.prepare('INSERT INTO plan_shares (plan_id, org_id) VALUES (?, ?)').bind(planId, orgId));

/**
 * Creates a plan with its version 1 (`document`) and its partners, in one batch: all or nothing.
 * A plan id taken already fails the batch (primary key), and nothing is stored.
 */
export async function createPlan(db: D1Database, ownerOrgId: string, document: PlanVersion, authorId: string, sharedWith: string[]) {
  const { plan, createdAt } = document;
  await db.batch([
    db
      .prepare('INSERT INTO plans (id, owner_org_id, title, status, latest_version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
      .bind(plan.id, ownerOrgId, plan.title, plan.status, createdAt, createdAt),
    insertVersionStatement(db, document, authorId),
    ...insertShareStatements(db, plan.id, sharedWith),
  ]);
}

/**
 * Saves `document` (version baseVersion + 1) as the plan's latest, in one batch; `sharedWith`, when
 * given, replaces the partners. The plan moves on only if its latest version is still `baseVersion`:
 * answers false when it is not (someone saved first). Two saves on the same base insert the same
 * (plan, version) row, so the second batch fails on the primary key, changes nothing, and answers
 * false too (on e06baae it threw, and the route answered 500 instead of 409).
 */
export async function savePlanVersion(db: D1Database, baseVersion: number, document: PlanVersion, authorId: string, sharedWith?: string[]) {
  const { plan, planId } = document;
  try {
    const [updated] = await db.batch([
      db
        .prepare('UPDATE plans SET latest_version = ?, title = ?, status = ?, updated_at = ? WHERE id = ? AND latest_version = ?')
        .bind(document.version, plan.title, plan.status, document.createdAt, planId, baseVersion),
      insertVersionStatement(db, document, authorId),
      ...(sharedWith
        ? [db.prepare('DELETE FROM plan_shares WHERE plan_id = ?').bind(planId), ...insertShareStatements(db, planId, sharedWith)]
        : []),
    ]);
    return Boolean(updated?.meta.changes);
  } catch (error) {
    // The race of two saves on one base: the later batch fails on the version's primary key and
    // changes nothing. Told apart from any other failure by the plan having moved on: then the
    // answer is "someone saved first" (a 409 for the route), as for a stale base.
    const latest = await db.prepare('SELECT latest_version FROM plans WHERE id = ?').bind(planId).first<{ latest_version: number }>();
    if (latest && latest.latest_version !== baseVersion) return false;
    throw error;
  }
}

export const hasSignedOff = (db: D1Database, planId: string, version: number, orgId: string) =>
  db
    .prepare('SELECT 1 AS done FROM plan_signoffs WHERE plan_id = ? AND version = ? AND org_id = ?')
    .bind(planId, version, orgId)
    .first()
    .then(Boolean);

export interface SignOff {
  planId: string;
  version: number;
  orgId: string;
  memberId: string;
  signature: string;
  signedAt: string;
}

/** Stores an organisation's sign-off of a version; a second one of the same organisation fails (primary key). */
export const insertSignOff = (db: D1Database, signOff: SignOff) =>
  db
    .prepare('INSERT INTO plan_signoffs (plan_id, version, org_id, member_id, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(signOff.planId, signOff.version, signOff.orgId, signOff.memberId, signOff.signature, signOff.signedAt)
    .run();

// ---- Summaries -----------------------------------------------------------------------------------

export interface NewSummary {
  id: string;
  orgId: string;
  generatedAt: string;
  /** The summary as JSON (it passed the routes' summary schema). */
  summary: string;
  signature: string;
  signedBy: string;
  createdAt: string;
}

export const insertSummary = (db: D1Database, summary: NewSummary) =>
  db
    .prepare('INSERT INTO summaries (id, org_id, generated_at, summary, signature, signed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(summary.id, summary.orgId, summary.generatedAt, summary.summary, summary.signature, summary.signedBy, summary.createdAt)
    .run();

export interface SummaryRow {
  id: string;
  summary: string;
  signature: string;
  signed_by: string;
  sign_public_key: string;
  label: string;
}

/** A CSO's published summaries with their signer's key and label, newest first, at most `limit`. */
export const listSummaries = (db: D1Database, orgId: string, limit: number) =>
  db
    .prepare(
      `SELECT s.id, s.summary, s.signature, s.signed_by, m.sign_public_key, m.label FROM summaries s JOIN members m ON m.id = s.signed_by
       WHERE s.org_id = ? ORDER BY s.generated_at DESC LIMIT ?`,
    )
    .bind(orgId, limit)
    .all<SummaryRow>()
    .then((result) => result.results);

/** Whether the requester works with the CSO (a relationship, this way round only): it may read the CSO's summaries. */
export const requesterOfCso = (db: D1Database, csoOrgId: string, requesterOrgId: string) =>
  db
    .prepare('SELECT 1 AS ok FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?')
    .bind(csoOrgId, requesterOrgId)
    .first()
    .then(Boolean);
