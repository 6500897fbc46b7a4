// The requesters (consulates, cities) a CSO works with, each with the partner statement a CSO
// officer signed after comparing the requester's fingerprint out of band (decision 0609).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CryptoError } from '#crypto/errors';
import { PARTNER_PURPOSE, type SignedPartner, verifyPartner } from '#crypto/partner';
import { requireCaller } from '../auth/middleware.ts';
import { findOrg, orgToJson } from '../db/orgs.ts';
import { listRelatedOrgs, relatedOrgToJson, removeRelationship, storedPartner, upsertRelationship } from '../db/relationships.ts';
import { rosterHashAt } from '../db/rosters.ts';
import type { AppEnv } from '../env.ts';
import { badRequest, forbidden, notFound, unauthenticated } from '../errors.ts';
import { rosterOfficerKeys } from '../roster/store.ts';
import { countryCode, errorResponses, id, orgIdParam, orgSchema, signature64 } from '../schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { hex64 } from './shared.ts';

const relationshipParams = orgIdParam.extend({ requesterOrgId: id.openapi({ param: { name: 'requesterOrgId', in: 'path' } }) });

/** What a CSO officer verified of a consulate or city (crypto/src/partner.ts; decision 0609). */
const signedPartnerSchema = z
  .object({
    statement: z.object({
      purpose: z.literal(PARTNER_PURPOSE),
      csoOrgId: id,
      requesterOrgId: id,
      kind: z.enum(['consulate', 'city']),
      nationalities: z.array(countryCode).max(50),
      requesterHead: z.object({ version: z.number().int().min(1), hash: hex64 }),
      verifiedAt: z.iso.datetime(),
    }),
    signerId: id,
    signature: signature64,
  })
  .openapi('SignedPartner', {
    description:
      "Signed by the CSO officer who compared the requester's statement fingerprint out of band: Ed25519 over partnerBytes(statement) (canonical JSON, crypto/FORMAT.md). Devices take a partner's kind, nationalities and keys from this and the requester's statement chain verified from requesterHead, never from the directory.",
  });
const relatedOrgSchema = orgSchema.extend({ partner: signedPartnerSchema.nullable() }).openapi('RelatedOrganisation');

const listRelationshipsRoute = createRoute({
  method: 'get',
  path: '/{orgId}/relationships',
  tags: ['organisations'],
  summary: 'For a CSO: the requesters it works with. For a requester: the CSOs that work with it.',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: orgIdParam },
  responses: {
    200: {
      description:
        'Related organisations, each with the partner statement the CSO signed (null for one listed before statements: unverified)',
      content: { 'application/json': { schema: z.object({ orgs: z.array(relatedOrgSchema) }) } },
    },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

const addRelationshipRoute = createRoute({
  method: 'put',
  path: '/{orgId}/relationships/{requesterOrgId}',
  tags: ['organisations'],
  summary:
    'A CSO lists a consulate or city it works with, with the partner statement its officer signed (CSO officers only): only listed requesters can ask it for a release',
  description:
    "The calling officer signs the statement (signerId is the caller). The head it names must be a version of the requester's statement, and the kind the one the requester registered; listing again replaces the statement (a new head after the requester's roster changed, other nationalities).",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: relationshipParams, body: jsonBody(z.object({ partner: signedPartnerSchema })) },
  responses: {
    200: { description: 'Listed', content: { 'application/json': { schema: relatedOrgSchema } } },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

const removeRelationshipRoute = createRoute({
  method: 'delete',
  path: '/{orgId}/relationships/{requesterOrgId}',
  tags: ['organisations'],
  summary: 'A CSO stops working with a requester (CSO officers only)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: relationshipParams },
  responses: {
    200: { description: 'Removed', content: { 'application/json': { schema: z.object({ removed: z.boolean() }) } } },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const partnerRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRelationshipsRoute, async (context) => {
    const rows = await listRelatedOrgs(context.env.DB, context.req.valid('param').orgId);
    return context.json({ orgs: rows.map(relatedOrgToJson) }, 200);
  })
  .openapi(addRelationshipRoute, async (context) => {
    const { orgId, requesterOrgId } = context.req.valid('param');
    const { partner } = context.req.valid('json');
    const db = context.env.DB;
    const caller = context.get('caller');
    const org = await findOrg(db, orgId);
    if (org?.kind !== 'cso') throw forbidden('only a CSO lists the requesters it works with');
    const requester = await findOrg(db, requesterOrgId);
    if (!requester) throw notFound('no such organisation');
    if (requester.kind === 'cso') throw badRequest('path.requesterOrgId: a requester is a consulate or a city, not a CSO');
    if (partner.signerId !== caller.memberId)
      throw badRequest('body.partner.signerId: the officer who lists a partner signs its statement');
    let statement: Awaited<ReturnType<typeof verifyPartner>>;
    try {
      statement = await verifyPartner(partner as SignedPartner, await rosterOfficerKeys(db, orgId), { csoOrgId: orgId, requesterOrgId });
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'bad_signature') throw unauthenticated(error.message);
      throw badRequest(`body.partner: ${(error as Error).message}`);
    }
    if (statement.kind !== requester.kind)
      throw badRequest(`body.partner.statement.kind: the organisation registered as a ${requester.kind}`);
    if ((await rosterHashAt(db, requesterOrgId, statement.requesterHead.version)) !== statement.requesterHead.hash)
      throw badRequest("body.partner.statement.requesterHead: not a version of the requester's statement");
    const stored = JSON.stringify({ statement, signerId: partner.signerId, signature: partner.signature });
    await upsertRelationship(db, { csoOrgId: orgId, requesterOrgId, createdBy: caller.memberId, createdAt: nowIso(), partner: stored });
    return context.json({ ...orgToJson(requester), partner: storedPartner(stored) }, 200);
  })
  .openapi(removeRelationshipRoute, async (context) => {
    const { orgId, requesterOrgId } = context.req.valid('param');
    return context.json({ removed: await removeRelationship(context.env.DB, orgId, requesterOrgId) }, 200);
  });
