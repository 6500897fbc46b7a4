// Contingency plans (versioned documents with partner sign-off) and privacy-safe summaries. Plans
// are validated with the plan model's own zod schema (contingency-plans/src/model.ts: pure, zod only),
// so the API and the editor can never disagree on what a plan is. See docs/decisions/0007.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { canonicalize } from '#crypto/canonical';
import { fromBase64 } from '#crypto/encoding';
import { verifyEd25519 } from '#crypto/webcrypto';
import { plan as planSchema, planStatuses, planVersion, type PlanVersion } from '#plans/model';
import { planSigningPayload, summarySigningPayload } from '#plans/signing';
import { sexAgeGroups } from '#plans/summary';
import { callerIdentity } from '../auth/caller.ts';
import { requireCaller } from '../auth/middleware.ts';
import { findOrg } from '../db/orgs.ts';
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
  type PlanRow,
  readPlanVersion,
  requesterOfCso,
  savePlanVersion,
} from '../db/plans.ts';
import { readStored } from '../db/stored.ts';
import type { AppEnv, Caller } from '../env.ts';
import { ApiError, badRequest, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import { countryCode, errorResponses, id, jsonContent, orgIdParam, orgKinds, signature64, withErrors } from '../schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';

const MAX_PLAN_BYTES = 8 * 1024 * 1024;
const MIN_THRESHOLD = 3;

const json = jsonContent;
const errors = errorResponses;
const limit = bodyLimit({
  maxSize: MAX_PLAN_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `a plan or summary is at most ${MAX_PLAN_BYTES / 1024 / 1024} MiB`);
  },
});

const planIdParam = z.object({ planId: id.openapi({ param: { name: 'planId', in: 'path' } }) });
const versionParam = planIdParam.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' } }),
});
/** One saved version of a plan, as the plan model defines it (contingency-plans/src/model.ts). */
const documentSchema = planVersion.openapi('PlanDocument');
const planListItemSchema = z
  .object({
    id: z.string(),
    ownerOrgId: z.string(),
    title: z.string(),
    status: z.enum(planStatuses),
    latestVersion: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi('PlanListItem');
const planRecordSchema = planListItemSchema
  .extend({
    createdAt: z.string(),
    latest: documentSchema.nullable().openapi({ description: 'The latest version (null only if its row is missing)' }),
    versions: z.array(z.object({ version: z.number().int(), author: z.string(), createdAt: z.string() })),
    sharedWith: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(orgKinds) })),
    signOffs: z.array(
      z.object({ version: z.number().int(), orgId: z.string(), memberId: z.string(), signature: z.string(), signedAt: z.string() }),
    ),
  })
  .openapi('PlanRecord');

async function planForViewer(db: D1Database, planId: string, caller: Caller) {
  const row = await findPlan(db, planId);
  const shared = row && (await planSharedWith(db, planId, caller.orgId));
  if (!row || (row.owner_org_id !== caller.orgId && !shared)) throw notFound('no plan with this id shared with your organisation');
  return row;
}

async function describePlan(db: D1Database, row: PlanRow) {
  const [latest, versions, shares, signOffs] = await Promise.all([
    readPlanVersion(db, row.id, row.latest_version),
    listPlanVersions(db, row.id),
    listPlanShares(db, row.id),
    listPlanSignOffs(db, row.id),
  ]);
  return {
    id: row.id,
    ownerOrgId: row.owner_org_id,
    title: row.title,
    status: row.status,
    latestVersion: row.latest_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    latest,
    versions: versions.map((version) => ({
      version: version.version,
      author: version.author_label,
      createdAt: version.created_at,
    })),
    sharedWith: shares,
    signOffs: signOffs.map((signOff) => ({
      version: signOff.version,
      orgId: signOff.org_id,
      memberId: signOff.member_id,
      signature: signOff.signature,
      signedAt: signOff.signed_at,
    })),
  };
}

async function checkShareTargets(db: D1Database, orgIds: string[], ownerOrgId: string) {
  for (const orgId of orgIds) {
    if (orgId === ownerOrgId) throw badRequest('body.sharedWith: the owner sees its own plan already');
    if (!(await findOrg(db, orgId))) throw badRequest(`body.sharedWith: no organisation ${orgId}`);
  }
}

const createDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['plans'],
  summary: 'Create a contingency plan (version 1), shared with partner organisations (officers)',
  middleware: [limit, requireCaller({ roles: ['officer'] })] as const,
  request: { body: jsonBody(z.object({ plan: planSchema, sharedWith: z.array(id).max(50).default([]) })) },
  responses: withErrors({ 201: { description: 'Created', ...json(planRecordSchema) } }),
});
const listDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['plans'],
  summary: 'Plans your organisation owns or is a partner in',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  responses: {
    200: { description: 'Plans', ...json(z.object({ plans: z.array(planListItemSchema) })) },
    401: errors[401],
    403: errors[403],
  },
});
const getDef = createRoute({
  method: 'get',
  path: '/{planId}',
  tags: ['plans'],
  summary: 'A plan: its latest version, version history, partners and sign-offs',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: planIdParam },
  responses: { 200: { description: 'The plan', ...json(planRecordSchema) }, 401: errors[401], 403: errors[403], 404: errors[404] },
});
const versionDef = createRoute({
  method: 'get',
  path: '/{planId}/versions/{version}',
  tags: ['plans'],
  summary: 'One version of a plan, as saved (for diffs)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: versionParam },
  responses: { 200: { description: 'The version', ...json(documentSchema) }, 401: errors[401], 403: errors[403], 404: errors[404] },
});
const saveDef = createRoute({
  method: 'post',
  path: '/{planId}/versions',
  tags: ['plans'],
  summary: 'Save a change as a new version (officers of the owner). Refused if someone saved since `baseVersion`: nothing is overwritten.',
  middleware: [limit, requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: planIdParam,
    body: jsonBody(z.object({ plan: planSchema, baseVersion: z.number().int().min(1), sharedWith: z.array(id).max(50).optional() })),
  },
  responses: withErrors({ 201: { description: 'Saved', ...json(planRecordSchema) } }),
});
const signOffDef = createRoute({
  method: 'post',
  path: '/{planId}/versions/{version}/signoffs',
  tags: ['plans'],
  summary: 'Sign off a version for your organisation (officers of the owner or a partner)',
  description:
    'The signature is Ed25519 over canonicalize(planSigningPayload(version)) (contingency-plans/src/signing.ts, crypto/src/canonical.ts).',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: versionParam, body: jsonBody(z.object({ signature: signature64 })) },
  responses: withErrors({ 201: { description: 'Signed off', ...json(planRecordSchema) } }),
});

export const planRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { plan, sharedWith } = context.req.valid('json');
    if (await planExists(db, plan.id)) throw conflict('a plan with this id exists already');
    await checkShareTargets(db, sharedWith, caller.orgId);
    const author = await callerIdentity(db, caller);
    const createdAt = nowIso();
    const document: PlanVersion = { planId: plan.id, version: 1, author: author.label, createdAt, plan };
    await createPlan(db, caller.orgId, document, author.memberId, sharedWith);
    return context.json(await describePlan(db, (await planForViewer(db, plan.id, caller))!), 201);
  })
  .openapi(listDef, async (context) => {
    const caller = context.get('caller');
    const results = await listPlansFor(context.env.DB, caller.orgId);
    return context.json(
      {
        plans: results.map((row) => ({
          id: row.id,
          ownerOrgId: row.owner_org_id,
          title: row.title,
          status: row.status,
          latestVersion: row.latest_version,
          updatedAt: row.updated_at,
        })),
      },
      200,
    );
  })
  .openapi(getDef, async (context) => {
    const row = await planForViewer(context.env.DB, context.req.valid('param').planId, context.get('caller'));
    return context.json(await describePlan(context.env.DB, row), 200);
  })
  .openapi(versionDef, async (context) => {
    const { planId, version } = context.req.valid('param');
    await planForViewer(context.env.DB, planId, context.get('caller'));
    const document = await readPlanVersion(context.env.DB, planId, version);
    if (!document) throw notFound('no such version of this plan');
    return context.json(document, 200);
  })
  .openapi(saveDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { planId } = context.req.valid('param');
    const { plan, baseVersion, sharedWith } = context.req.valid('json');
    const row = await planForViewer(db, planId, caller);
    if (row.owner_org_id !== caller.orgId) throw forbidden("only the owner's officers change a plan; partners sign it off");
    if (plan.id !== planId) throw badRequest('body.plan.id: must be the id of the plan being changed');
    if (baseVersion !== row.latest_version) {
      throw conflict(
        `version ${row.latest_version} was saved since you opened version ${baseVersion}: reload it and apply your change again (nothing was overwritten)`,
      );
    }
    if (sharedWith) await checkShareTargets(db, sharedWith, caller.orgId);
    const author = await callerIdentity(db, caller);
    const createdAt = nowIso();
    const document: PlanVersion = { planId, version: baseVersion + 1, author: author.label, createdAt, plan };
    const saved = await savePlanVersion(db, baseVersion, document, author.memberId, sharedWith);
    if (!saved) throw conflict('another version was saved at the same moment: reload and apply your change again');
    return context.json(await describePlan(db, (await planForViewer(db, planId, caller))!), 201);
  })
  .openapi(signOffDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { planId, version } = context.req.valid('param');
    const { signature } = context.req.valid('json');
    await planForViewer(db, planId, caller);
    const document = await readPlanVersion(db, planId, version);
    if (!document) throw notFound('no such version of this plan');
    const signer = await callerIdentity(db, caller);
    const valid = await verifyEd25519(fromBase64(signer.signPublicKey), fromBase64(signature), canonicalize(planSigningPayload(document)));
    if (!valid) throw unauthenticated('the sign-off signature does not match your key and this version');
    if (await hasSignedOff(db, planId, version, caller.orgId)) throw conflict('your organisation signed this version off already');
    await insertSignOff(db, { planId, version, orgId: caller.orgId, memberId: signer.memberId, signature, signedAt: nowIso() });
    return context.json(await describePlan(db, (await planForViewer(db, planId, caller))!), 201);
  });

// ---- Privacy-safe summaries ------------------------------------------------------------------

const suppressedOrCount = {
  count: z.number().int().min(0).optional(),
  suppressed: z.boolean(),
  reason: z.enum(['small', 'complementary']).optional(),
};
// A sex and age group is one of the plan library's six (contingency-plans/src/summary.ts), the only ones a device builds.
const layer = { need: z.string().max(40).optional(), vulnerability: z.string().max(40).optional(), group: z.enum(sexAgeGroups).optional() };
export const summarySchema = z
  .object({
    schemaVersion: z.literal(1),
    orgId: id,
    generatedAt: z.iso.datetime(),
    threshold: z.number().int().min(MIN_THRESHOLD, `the suppression threshold is at least ${MIN_THRESHOLD}`).max(1000),
    dimensions: z.array(z.enum(['need', 'vulnerability', 'sex_age'])).max(3),
    areas: z.array(z.object({ id: z.string().max(100), name: z.string().max(200) })).max(10_000),
    cells: z
      .array(
        z.object({
          areaId: z.string().max(100),
          nationality: countryCode,
          communities: z.number().int().min(0).optional(),
          ...layer,
          ...suppressedOrCount,
        }),
      )
      .max(500_000),
    totals: z
      .array(z.object({ areaId: z.string().max(100).optional(), nationality: countryCode.optional(), ...layer, ...suppressedOrCount }))
      .max(500_000),
    outsideAreas: z.object(suppressedOrCount),
  })
  .openapi('Summary');

const publishedSummarySchema = z
  .object({
    id: z.string(),
    summary: summarySchema,
    signature: z.string(),
    signedBy: z.object({ memberId: z.string(), signPublicKey: z.string(), label: z.string() }),
  })
  .openapi('PublishedSummary');

/** Every published count is at or above the threshold, and no suppressed count is published. */
function suppressionProblem(summary: z.infer<typeof summarySchema>): string | null {
  const entries: [string, { count?: number | undefined; suppressed: boolean; communities?: number | undefined }][] = [
    ...summary.cells.map((cell, index) => [`cells.${index}`, cell] as [string, typeof cell]),
    ...summary.totals.map((total, index) => [`totals.${index}`, total] as [string, typeof total]),
    ['outsideAreas', summary.outsideAreas],
  ];
  for (const [where, entry] of entries) {
    if (entry.suppressed && (entry.count !== undefined || entry.communities !== undefined))
      return `body.summary.${where}: a suppressed cell must not carry a count`;
    if (!entry.suppressed && entry.count !== undefined && entry.count > 0 && entry.count < summary.threshold) {
      return `body.summary.${where}: ${entry.count} is under the threshold (${summary.threshold}) and must be suppressed`;
    }
  }
  return null;
}

const publishDef = createRoute({
  method: 'post',
  path: '/{orgId}/summaries',
  tags: ['summaries'],
  summary: 'Publish a privacy-safe summary (CSO officers): counts by area x nationality x need, small cells suppressed, signed',
  description:
    'The signature is Ed25519 over canonicalize(summarySigningPayload(summary)). The server refuses a summary that publishes any count under its threshold.',
  middleware: [limit, requireCaller({ roles: ['officer'] })] as const,
  request: { params: orgIdParam, body: jsonBody(z.object({ summary: summarySchema, signature: signature64 })) },
  responses: withErrors({ 201: { description: 'Published', ...json(z.object({ id: z.string(), generatedAt: z.string() })) } }),
});
const listSummariesDef = createRoute({
  method: 'get',
  path: '/{orgId}/summaries',
  tags: ['summaries'],
  summary: "A CSO's published summaries, newest first (its members and the requesters it works with)",
  middleware: [requireCaller({ roles: ['officer'], ownOrg: false })] as const,
  request: { params: orgIdParam, query: z.object({ latest: z.enum(['true', 'false']).default('true') }) },
  responses: {
    200: { description: 'Summaries with signatures', ...json(z.object({ summaries: z.array(publishedSummarySchema) })) },
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

export const summaryRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(publishDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { orgId } = context.req.valid('param');
    const { summary, signature } = context.req.valid('json');
    const org = await findOrg(db, orgId);
    if (org?.kind !== 'cso') throw forbidden('only a CSO publishes summaries of its records');
    if (summary.orgId !== orgId) throw badRequest('body.summary.orgId: must be your organisation');
    const problem = suppressionProblem(summary);
    if (problem) throw badRequest(problem);
    const signer = await callerIdentity(db, caller);
    const bytes = canonicalize(summarySigningPayload(summary));
    if (!(await verifyEd25519(fromBase64(signer.signPublicKey), fromBase64(signature), bytes))) {
      throw unauthenticated('the summary signature does not match your key and this summary');
    }
    const summaryId = crypto.randomUUID();
    await insertSummary(db, {
      id: summaryId,
      orgId,
      generatedAt: summary.generatedAt,
      summary: JSON.stringify(summary),
      signature,
      signedBy: signer.memberId,
      createdAt: nowIso(),
    });
    return context.json({ id: summaryId, generatedAt: summary.generatedAt }, 201);
  })
  .openapi(listSummariesDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { orgId } = context.req.valid('param');
    const related = orgId === caller.orgId || (await requesterOfCso(db, orgId, caller.orgId));
    if (!related) throw notFound('no summaries of this organisation are shared with yours');
    const { latest } = context.req.valid('query');
    const results = await listSummaries(db, orgId, latest === 'true' ? 1 : 50);
    return context.json(
      {
        summaries: results.map((row) => ({
          id: row.id,
          summary: readStored(summarySchema, row.summary),
          signature: row.signature,
          signedBy: { memberId: row.signed_by, signPublicKey: row.sign_public_key, label: row.label },
        })),
      },
      200,
    );
  });
