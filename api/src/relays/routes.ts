// Messages out (issue 9): a consulate or city asks a CSO to relay a message, in several languages,
// to the people of an area and nationalities. The CSO's officers approve (k of n) or decline, as for
// an activation; the CSO's own devices pick recipients from decrypted records (consent and language
// respected) and send through its channel. The requester only ever sees counts.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { decisionBytes, verifyApprovals } from '#crypto/activation';
import { fromBase64, toBase64 } from '#crypto/encoding';
import { relayRequestBytes, type RelayRequest } from '#crypto/protocol';
import { sha256, verifyEd25519 } from '#crypto/webcrypto';
import { relayReportProblem, RELAY_REPORT_THRESHOLD } from '#plans/relay-report';
import { areaSchema, requestHashSchema } from '../activations/schemas.ts';
import { checkRequesterAsk } from '../activations/requester.ts';
import { activeOfficerKeys } from '../activations/store.ts';
import { acceptEntry, auditChainSchema, auditEntrySchema, chainWithVerdict } from '../audit/chain.ts';
import { callerIdentity } from '../auth/caller.ts';
import { requireCaller } from '../auth/middleware.ts';
import {
  findRelay,
  insertRelayDecisionStatement,
  insertRelayStatement,
  listRelayDecisions,
  listRelays,
  markRelaySentStatement,
  memberDecidedRelay,
  type RelayRow,
  relayFiled,
  relayStatuses,
  setRelayStatus,
} from '../db/relays.ts';
import { readStored } from '../db/stored.ts';
import type { AppEnv, Caller } from '../env.ts';
import { badRequest, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import { base64url, countryCode, errorResponses, id, jsonContent, key32, signature64, withErrors } from '../schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';

const MAX_EXPIRY_DAYS = 14;
const chainOfRelay = (hash: string) => `relay:${hash}`;

const relayRequestSchema = z
  .object({
    orgId: id,
    requester: z.object({ id, signPublicKey: key32 }),
    area: areaSchema,
    nationalities: z.array(countryCode).min(1).max(50),
    messages: z
      .array(
        z.object({
          language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "ne" or "ar"'),
          text: z.string().trim().min(1).max(1000),
        }),
      )
      .min(1)
      .max(20)
      .refine((messages) => new Set(messages.map((message) => message.language)).size === messages.length, 'one message per language'),
    purpose: z.string().trim().min(10).max(2000),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    nonce: base64url(16, 64),
  })
  .openapi('RelayRequest');

// A count, or null: withheld (from 1 to RELAY_REPORT_THRESHOLD - 1, or a total that would give such a count away).
const count = z.number().int().min(0).max(10_000_000).nullable();
const counts = z.object({ sent: count, failed: count });
const reportSchema = counts
  .extend({ byLanguage: z.record(z.string().max(20), counts).refine((value) => Object.keys(value).length <= 20, 'at most 20 languages') })
  .openapi('RelayReport', {
    description: `Counts only, never who. A count from 1 to ${RELAY_REPORT_THRESHOLD - 1} is null (withheld), and so is a total when one of its language counts is (contingency-plans/src/relay-report.ts).`,
  });
const hashParam = z.object({ hash: requestHashSchema.openapi({ param: { name: 'hash', in: 'path' } }) });

const relaySummarySchema = z
  .object({ hash: z.string(), request: relayRequestSchema, status: z.enum(relayStatuses), createdAt: z.string(), expiresAt: z.string() })
  .openapi('RelaySummary');
const relaySchema = relaySummarySchema
  .extend({
    signature: z.string(),
    requesterOrgId: z.string(),
    csoOrgId: z.string(),
    approvalsRequired: z.number().int(),
    decisions: z.array(
      z.object({ memberId: z.string(), decision: z.enum(['approve', 'veto']), signature: z.string(), createdAt: z.string() }),
    ),
    report: reportSchema.nullable(),
    audit: auditChainSchema,
  })
  .openapi('Relay');

export async function relayHash(request: RelayRequest) {
  return toBase64(await sha256(relayRequestBytes(request)));
}

/** The request as filed: it passed relayRequestSchema before it was stored. */
const requestOf = (row: RelayRow) => readStored(relayRequestSchema, row.request);

async function relayForParty(db: D1Database, hash: string, caller: Caller) {
  const row = await findRelay(db, hash);
  if (!row || (row.requester_org_id !== caller.orgId && row.cso_org_id !== caller.orgId))
    throw notFound('no relay request with this hash that your organisation is a party to');
  return row;
}

async function describe(db: D1Database, row: RelayRow) {
  const results = await listRelayDecisions(db, row.hash);
  return {
    hash: row.hash,
    request: requestOf(row),
    signature: row.signature,
    requesterOrgId: row.requester_org_id,
    csoOrgId: row.cso_org_id,
    approvalsRequired: row.approvals_required,
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decisions: results.map((decision) => ({
      memberId: decision.member_id,
      decision: decision.decision,
      signature: decision.signature,
      createdAt: decision.created_at,
    })),
    report: row.report ? readStored(reportSchema, row.report) : null,
    audit: await chainWithVerdict(db, chainOfRelay(row.hash)),
  };
}

const createDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['relay'],
  summary:
    'Ask a CSO to relay a message to the people of an area and nationalities (officers of a consulate or city, or of the CSO itself for its own communities)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { body: jsonBody(z.object({ request: relayRequestSchema, signature: signature64, auditEntry: auditEntrySchema })) },
  responses: withErrors({ 201: { description: 'Filed', ...jsonContent(relaySchema) } }),
});
const listDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['relay'],
  summary: 'Relay requests addressed to your CSO (incoming) or filed by your organisation (outgoing)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { query: z.object({ direction: z.enum(['incoming', 'outgoing']).default('incoming') }) },
  responses: {
    200: { description: 'Relay requests', ...jsonContent(z.object({ relays: z.array(relaySummarySchema), pending: z.number().int() })) },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});
const getDef = createRoute({
  method: 'get',
  path: '/{hash}',
  tags: ['relay'],
  summary: 'One relay request with its decisions, its report (counts only) and audit chain',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: hashParam },
  responses: {
    200: { description: 'The relay request', ...jsonContent(relaySchema) },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});
const decideDef = createRoute({
  method: 'post',
  path: '/{hash}/decisions',
  tags: ['relay'],
  summary: 'Approve or decline a relay (officers of the CSO), with a signature over the decision',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: hashParam,
    body: jsonBody(z.object({ decision: z.enum(['approve', 'veto']), signature: signature64, auditEntry: auditEntrySchema })),
  },
  responses: withErrors({ 200: { description: 'Recorded', ...jsonContent(relaySchema) } }),
});
const reportDef = createRoute({
  method: 'post',
  path: '/{hash}/report',
  tags: ['relay'],
  summary: 'Report what was sent (officers of the CSO): counts only, never a phone number',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: hashParam, body: jsonBody(z.object({ report: reportSchema, auditEntry: auditEntrySchema })) },
  responses: withErrors({ 200: { description: 'Reported', ...jsonContent(relaySchema) } }),
});

export const relayRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { request, signature, auditEntry } = context.req.valid('json');
    const {
      org,
      me: self,
      targets,
    } = await checkRequesterAsk(db, caller, {
      what: 'relay requests',
      requester: request.requester,
      nationalities: request.nationalities,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      maxDays: MAX_EXPIRY_DAYS,
      csoOrgIds: [request.orgId],
      allowOwnCso: true,
    });
    const hash = await relayHash(request as RelayRequest);
    if (!(await verifyEd25519(fromBase64(self.signPublicKey), fromBase64(signature), fromBase64(hash))))
      throw unauthenticated('the request signature does not match your key');
    if (await relayFiled(db, hash)) throw conflict('this exact request was filed already');
    await db.batch([
      insertRelayStatement(db, {
        hash,
        request: JSON.stringify(request),
        signature,
        requesterOrgId: org.id,
        csoOrgId: request.orgId,
        approvalsRequired: targets[0]!.approvals_required,
        createdAt: nowIso(),
        expiresAt: request.expiresAt,
      }),
      await acceptEntry(db, chainOfRelay(hash), auditEntry, { actor: self, type: 'relay.requested', payload: { requestHash: hash } }),
    ]);
    return context.json(await describe(db, await relayForParty(db, hash, caller)), 201);
  })
  .openapi(listDef, async (context) => {
    const caller = context.get('caller');
    const { direction } = context.req.valid('query');
    const results = await listRelays(context.env.DB, caller.orgId, direction);
    const relays = results.map((row) => ({
      hash: row.hash,
      request: requestOf(row),
      status: row.status,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    }));
    return context.json(
      { relays, pending: direction === 'incoming' ? relays.filter((relay) => relay.status === 'pending').length : 0 },
      200,
    );
  })
  .openapi(getDef, async (context) => {
    return context.json(
      await describe(context.env.DB, await relayForParty(context.env.DB, context.req.valid('param').hash, context.get('caller'))),
      200,
    );
  })
  .openapi(decideDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { hash } = context.req.valid('param');
    const row = await relayForParty(db, hash, caller);
    if (row.cso_org_id !== caller.orgId) throw forbidden("only the CSO's officers decide on a relay");
    if (row.status !== 'pending' && row.status !== 'approved') throw conflict(`this relay was ${row.status}; no more decisions are taken`);
    if (Date.parse(row.expires_at) <= Date.now()) throw conflict('this relay request has expired');
    const { decision, signature, auditEntry } = context.req.valid('json');
    const self = await callerIdentity(db, caller);
    if (!(await verifyEd25519(fromBase64(self.signPublicKey), fromBase64(signature), decisionBytes(hash, decision, self.memberId)))) {
      throw unauthenticated('the decision signature does not match your key, this request and this decision');
    }
    if (await memberDecidedRelay(db, hash, self.memberId)) throw conflict('you already decided on this relay');
    await db.batch([
      insertRelayDecisionStatement(db, { hash, memberId: self.memberId, decision, signature, createdAt: nowIso() }),
      await acceptEntry(db, chainOfRelay(hash), auditEntry, {
        actor: self,
        type: decision === 'approve' ? 'relay.approved' : 'relay.declined',
        payload: { requestHash: hash, signature },
      }),
    ]);
    const results = await listRelayDecisions(db, hash);
    const verdict = await verifyApprovals(
      hash,
      results.map((decided) => ({
        requestHash: hash,
        memberId: decided.member_id,
        decision: decided.decision,
        signature: decided.signature,
      })),
      await activeOfficerKeys(db, row.cso_org_id),
      row.approvals_required,
    );
    const status = verdict.ok ? 'approved' : verdict.reason === 'vetoed' ? 'declined' : 'pending';
    await setRelayStatus(db, hash, status);
    return context.json(await describe(db, { ...row, status }), 200);
  })
  .openapi(reportDef, async (context) => {
    const db = context.env.DB;
    const caller = context.get('caller');
    const { hash } = context.req.valid('param');
    const row = await relayForParty(db, hash, caller);
    if (row.cso_org_id !== caller.orgId) throw forbidden("only the CSO's officers report on a relay");
    if (row.status !== 'approved')
      throw conflict(row.status === 'sent' ? 'this relay was reported already' : `this relay is ${row.status}: nothing may be sent`);
    const { report, auditEntry } = context.req.valid('json');
    const languages = new Set(requestOf(row).messages.map((message) => message.language));
    const unknown = Object.keys(report.byLanguage).filter((language) => !languages.has(language));
    if (unknown.length) throw badRequest(`body.report.byLanguage: no message was approved in ${unknown.join(', ')}`);
    // The requester learns how many people of a language live in the area it drew: small counts are withheld.
    const problem = relayReportProblem(report);
    if (problem) throw badRequest(problem);
    const self = await callerIdentity(db, caller);
    await db.batch([
      markRelaySentStatement(db, hash, JSON.stringify(report)),
      await acceptEntry(db, chainOfRelay(hash), auditEntry, {
        actor: self,
        type: 'relay.reported',
        payload: { requestHash: hash, sent: report.sent, failed: report.failed },
      }),
    ]);
    return context.json(await describe(db, { ...row, status: 'sent', report: JSON.stringify(report) }), 200);
  });
