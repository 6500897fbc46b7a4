// The org key: giving it to an officer (sealed to their own key), rotating it, and how far stored
// envelopes are from the current key (decision 0606).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireCaller } from '../auth/middleware.ts';
import { findOrgKey, memberToJson } from '../db/orgs.ts';
import { countEnvelopesNotUnder } from '../db/records.ts';
import type { AppEnv } from '../env.ts';
import { conflict } from '../errors.ts';
import { actionStatements, memberOf } from '../roster/actions.ts';
import { checkRotation, grantChange } from '../roster/policy.ts';
import { expectedAfter, orgKeyIdHex, type RosterAction, rosterHead, signedRosterSchema, submitRoster } from '../roster/store.ts';
import { errorResponses, memberSchema, orgIdParam } from '../schemas.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { memberParams, orgKeyOf, rotationWraps, waitingResponse, wrappedKey } from './shared.ts';

const grantOrgKeyRoute = createRoute({
  method: 'put',
  path: '/{orgId}/members/{memberId}/org-key',
  tags: ['organisations'],
  summary: 'Give an officer the org key, sealed to their own key (officers only)',
  description:
    "An officer not yet in the officer roster joins it here: `roster` is the next version, listing the current officers and this one (with their registered keys), same k and org key, proposed by the caller. With the signatures of k officers of the current version it is applied (200); with fewer it waits as the organisation's roster proposal until other officers co-sign it (202). Re-sealing the key to an officer already in the roster (after a rotation) needs no roster.",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: memberParams,
    body: jsonBody(z.object({ wrappedOrgKey: wrappedKey, roster: signedRosterSchema.optional() })),
  },
  responses: {
    200: { description: 'Granted', content: { 'application/json': { schema: memberSchema } } },
    202: waitingResponse(),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

const rotateRoute = createRoute({
  method: 'post',
  path: '/{orgId}/rotation',
  tags: ['organisations'],
  summary: 'Rotate the org key: a new statement naming the new key, and the new key pair wrapped to each officer (officers only)',
  description:
    "`roster` is the next statement version: the same officers, field devices and k, and the new `orgPublicKey`; it needs the signatures of k officers (202 until others co-sign; each co-signer's device opens its own wrapped copy and checks it is the key the statement names). `wrappedOrgKeys` holds the new key pair sealed to every officer of the statement, `keyId` its key id. When applied, field devices move to the new key at their next sign-in (the statement says so), and officers' devices re-wrap the key slots of every stored envelope (PUT /api/orgs/{orgId}/records/slots). Decision 0606.",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam,
    body: jsonBody(
      z
        .object({
          roster: signedRosterSchema,
          keyId: orgKeyIdHex,
          wrappedOrgKeys: rotationWraps,
        })
        .strict(),
    ),
  },
  responses: {
    200: {
      description: 'Rotated: the statement names the new key',
      content: { 'application/json': { schema: z.object({ orgPublicKey: z.string(), version: z.number() }) } },
    },
    202: waitingResponse(),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    409: errorResponses[409],
  },
});

const rotationStatusRoute = createRoute({
  method: 'get',
  path: '/{orgId}/rotation',
  tags: ['organisations'],
  summary: 'The key records are sealed to now, and how many stored envelopes are still under an earlier key (officers only)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: orgIdParam },
  responses: {
    200: {
      description: 'Status',
      content: {
        'application/json': {
          schema: z
            .object({ orgPublicKey: z.string(), keyId: z.string().nullable(), staleEnvelopes: z.number() })
            .openapi('RotationStatus'),
        },
      },
    },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const keyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(grantOrgKeyRoute, async (context) => {
    const { orgId, memberId } = context.req.valid('param');
    const db = context.env.DB;
    const member = await memberOf(db, orgId, memberId);
    const { wrappedOrgKey, roster } = context.req.valid('json');
    const action: RosterAction = { kind: 'grant', memberId, wrappedOrgKey };
    const statements = await actionStatements(db, orgId, action);
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no officer roster; the org key cannot be given');
    const joining = grantChange(head.statement, memberId, member, roster);
    if (!joining) {
      await db.batch(statements);
      return context.json(memberToJson({ ...member, wrapped_org_key: wrappedOrgKey }), 200);
    }
    const submitted = await submitRoster(
      db,
      orgId,
      joining.roster,
      expectedAfter(
        head.statement,
        { orgPublicKey: await orgKeyOf(db, orgId), signerId: context.get('caller').memberId, what: `adding ${member.label} as an officer` },
        joining.change,
      ),
      action,
    );
    if (!submitted.ready) {
      await submitted.insert.run();
      return context.json({ proposal: submitted.proposal }, 202);
    }
    await db.batch([...statements, submitted.insert]);
    return context.json(memberToJson({ ...member, wrapped_org_key: wrappedOrgKey }), 200);
  })
  .openapi(rotateRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { roster, keyId, wrappedOrgKeys } = context.req.valid('json');
    const db = context.env.DB;
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no statement yet');
    checkRotation(await orgKeyOf(db, orgId), roster.statement.orgPublicKey, head.statement.officers, 'body.wrappedOrgKeys', wrappedOrgKeys);
    const action: RosterAction = { kind: 'rotate', orgPublicKey: roster.statement.orgPublicKey, keyId, wraps: wrappedOrgKeys };
    await actionStatements(db, orgId, action); // refused now if an officer left meanwhile
    const submitted = await submitRoster(
      db,
      orgId,
      roster,
      expectedAfter(head.statement, {
        orgPublicKey: roster.statement.orgPublicKey,
        signerId: context.get('caller').memberId,
        what: 'rotating the org key (same officers, field devices and k)',
      }),
      action,
    );
    if (!submitted.ready) {
      await submitted.insert.run();
      return context.json({ proposal: submitted.proposal }, 202);
    }
    await db.batch([submitted.insert, ...(await actionStatements(db, orgId, action))]);
    return context.json({ orgPublicKey: roster.statement.orgPublicKey, version: roster.statement.version }, 200);
  })
  .openapi(rotationStatusRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const db = context.env.DB;
    const org = await findOrgKey(db, orgId);
    const stale = org?.key_id ? await countEnvelopesNotUnder(db, orgId, org.key_id) : 0;
    return context.json({ orgPublicKey: org?.public_key ?? '', keyId: org?.key_id ?? null, staleEnvelopes: stale }, 200);
  });
