// Registering an organisation, the directory of those it knows, one organisation, and its settings
// (k and retention, both in the signed statement).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createOrgMessage } from '#crypto/protocol';
import { requireCaller } from '../auth/middleware.ts';
import {
  findMember,
  findOrg,
  insertMemberStatement,
  insertOrgStatement,
  listOrgsKnownTo,
  memberToJson,
  orgToJson,
  signKeyTaken,
} from '../db/orgs.ts';
import type { AppEnv } from '../env.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { actionStatements } from '../roster/actions.ts';
import { checkNationalities, foundingRoster, settingsChange } from '../roster/policy.ts';
import { expectedAfter, rosterHead, signedRosterSchema, submitRoster } from '../roster/store.ts';
import { countryCode, errorResponses, id, key32, memberSchema, orgIdParam, orgKinds, orgSchema, signature64 } from '../schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { checkSignature, newMemberKeys, orgKeyOf, waitingResponse, wrappedKey } from './shared.ts';

export const createOrgRequest = z
  .object({
    id,
    kind: z.enum(orgKinds),
    name: z.string().trim().min(2, 'a name of at least 2 characters is required').max(120),
    country: countryCode.optional(),
    nationalities: z.array(countryCode).max(50).default([]),
    publicKey: key32,
    approvalsRequired: z.number().int().min(1).max(20).default(2),
    founder: newMemberKeys.extend({ wrappedOrgKey: wrappedKey }),
  })
  .openapi('CreateOrganisation');

const createOrgRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['organisations'],
  summary: 'Create an organisation with its founding officer',
  description:
    "The client generates the org key pair and the founder keys; the body carries public keys and the org private key sealed to the founder. `signature` is the founder's Ed25519 signature over createOrgMessage(request) (crypto/src/protocol.ts). `roster` is version 1 of the officer roster: the founder alone, with the same keys and k, signed by the founder.",
  request: { body: jsonBody(z.object({ request: createOrgRequest, signature: signature64, roster: signedRosterSchema })) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: z.object({ org: orgSchema, member: memberSchema }) } } },
    400: errorResponses[400],
    401: errorResponses[401],
    409: errorResponses[409],
  },
});

const getOrgRoute = createRoute({
  method: 'get',
  path: '/{orgId}',
  tags: ['organisations'],
  summary: 'An organisation and its public key',
  middleware: [requireCaller({ roles: ['officer', 'field'] })] as const,
  request: { params: orgIdParam },
  responses: {
    200: { description: 'The organisation', content: { 'application/json': { schema: orgSchema } } },
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

const settingsRoute = createRoute({
  method: 'patch',
  path: '/{orgId}/settings',
  tags: ['organisations'],
  summary: 'Change how many officer approvals a release needs (k) and how long sealed records are kept (officers only)',
  description:
    'k and the retention period are in the organisation statement, so each comes with `roster`: the next version, the same in all else, proposed by the caller. It takes effect with the signatures of k officers of the current version (202 until others co-sign). One setting at a time (issue 15: one officer could shorten retention to a day).',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam,
    body: jsonBody(
      z
        .object({
          approvalsRequired: z.number().int().min(1).max(20).optional(),
          retentionDays: z.number().int().min(1).max(3650).optional(),
          roster: signedRosterSchema.optional(),
        })
        .refine((body) => body.approvalsRequired !== undefined || body.retentionDays !== undefined, 'change at least one setting'),
    ),
  },
  responses: {
    200: { description: 'The organisation with its new settings', content: { 'application/json': { schema: orgSchema } } },
    202: waitingResponse(),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    409: errorResponses[409],
  },
});

const directoryRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['organisations'],
  summary:
    "The organisations the caller's organisation works with, and its own (officers): names, kinds, nationalities served and public keys",
  description:
    "Not the whole directory (issue 15): an organisation is found by those it has a relationship, an activation or a break-glass arrangement with, or shared a plan with (not one shared with it: anyone can share a plan), by the other partners of a CSO it works with (to share plans), or by whoever holds its partner code (GET /orgs/{orgId}/roster?head=). Every field is the server's word: CSO devices take kind and nationalities from the signed partner statement.",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  responses: {
    200: { description: 'Organisations', content: { 'application/json': { schema: z.object({ orgs: z.array(orgSchema) }) } } },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const organisationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createOrgRoute, async (context) => {
    const { request, signature, roster } = context.req.valid('json');
    await checkSignature(request.founder.signPublicKey, signature, createOrgMessage(request));
    const db = context.env.DB;
    if (await findOrg(db, request.id)) throw conflict('an organisation with this id exists already');
    if (await findMember(db, request.founder.id)) throw conflict('a member with this id exists already');
    if (await signKeyTaken(db, request.founder.signPublicKey)) throw conflict('this signing key is registered already');
    checkNationalities(request.kind, request.nationalities);
    const founding = await submitRoster(db, request.id, roster, foundingRoster(request));
    const createdAt = nowIso();
    await db.batch([
      insertOrgStatement(
        db,
        {
          id: request.id,
          kind: request.kind,
          name: request.name,
          country: request.country ?? null,
          nationalities: JSON.stringify(request.nationalities),
          public_key: request.publicKey,
          approvals_required: request.approvalsRequired,
        },
        createdAt,
      ),
      insertMemberStatement(
        db,
        {
          id: request.founder.id,
          org_id: request.id,
          label: request.founder.label,
          role: 'officer',
          sign_public_key: request.founder.signPublicKey,
          box_public_key: request.founder.boxPublicKey,
          wrapped_org_key: request.founder.wrappedOrgKey,
        },
        createdAt,
      ),
      founding.insert,
    ]);
    const [org, member] = await Promise.all([findOrg(db, request.id), findMember(db, request.founder.id)]);
    return context.json({ org: orgToJson(org!), member: memberToJson(member!) }, 201);
  })
  .openapi(settingsRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { approvalsRequired, retentionDays, roster } = context.req.valid('json');
    const db = context.env.DB;
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no statement; its settings cannot be changed');
    const settings = settingsChange(head.statement, { approvalsRequired, retentionDays }, roster !== undefined);
    if (!settings) return context.json(orgToJson((await findOrg(db, orgId))!), 200);
    await actionStatements(db, orgId, settings.action); // refused now if it could never be met
    if (!roster) throw badRequest(`body.roster: ${settings.what} needs the next version of the organisation statement, proposed by you`);
    const submitted = await submitRoster(
      db,
      orgId,
      roster,
      expectedAfter(
        head.statement,
        { orgPublicKey: await orgKeyOf(db, orgId), signerId: context.get('caller').memberId, what: `${settings.what} (nothing else)` },
        settings.change,
      ),
      settings.action,
    );
    if (!submitted.ready) {
      await submitted.insert.run();
      return context.json({ proposal: submitted.proposal }, 202);
    }
    await db.batch([submitted.insert, ...(await actionStatements(db, orgId, settings.action))]);
    return context.json(orgToJson((await findOrg(db, orgId))!), 200);
  })
  .openapi(directoryRoute, async (context) => {
    const orgs = await listOrgsKnownTo(context.env.DB, context.get('caller').orgId);
    return context.json({ orgs: orgs.map(orgToJson) }, 200);
  })
  .openapi(getOrgRoute, async (context) => {
    const org = await findOrg(context.env.DB, context.req.valid('param').orgId);
    if (!org) throw notFound('no such organisation');
    return context.json(orgToJson(org), 200);
  });
