// An organisation's members: the list, adding a field device to the statement, removing a member
// or a lost device (with a new org key in the same statement when a device was lost or seized).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { requireCaller } from '../auth/middleware.ts';
import { listMembers, memberToJson } from '../db/orgs.ts';
import type { AppEnv } from '../env.ts';
import { conflict } from '../errors.ts';
import { actionStatements, memberOf } from '../roster/actions.ts';
import { admitChange, checkRemovalRotation, checkRotation, removalChange, removalOf } from '../roster/policy.ts';
import { expectedAfter, orgKeyIdHex, type RosterAction, rosterHead, signedRosterSchema, submitRoster } from '../roster/store.ts';
import { errorResponses, memberSchema, orgIdParam } from '../schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { memberParams, orgKeyOf, rotationWraps, waitingResponse } from './shared.ts';

/** A DELETE may come without a body (removing a field device needs none): read it as `{}`. */
const emptyBodyIsEmptyObject = createMiddleware<AppEnv>(async function emptyBodyIsEmptyObjectMiddleware(context, next) {
  if ((await context.req.text()).trim() === '') (context.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve('{}');
  await next();
});

const listMembersRoute = createRoute({
  method: 'get',
  path: '/{orgId}/members',
  tags: ['organisations'],
  summary: "The organisation's members (officers only)",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: orgIdParam },
  responses: {
    200: { description: 'Members', content: { 'application/json': { schema: z.object({ members: z.array(memberSchema) }) } } },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

const admitFieldDeviceRoute = createRoute({
  method: 'put',
  path: '/{orgId}/members/{memberId}/statement',
  tags: ['organisations'],
  summary: "Add a field device to the organisation statement, so officers' devices accept the records it seals (officers only)",
  description:
    "`roster` is the next version of the statement: the same officers, k and org key, and the field devices with this one added under the signing key it registered. One officer's signature is enough for a change of field devices alone (decision 0605): a field device reads nothing. Until a device is in the statement, officers' devices set its records aside as of unknown origin.",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: memberParams,
    body: jsonBody(z.object({ roster: signedRosterSchema }).strict()),
  },
  responses: {
    200: { description: 'Added: the new statement version is the head', content: { 'application/json': { schema: memberSchema } } },
    202: waitingResponse('Waiting for co-signatures (only while the head is an old v1 roster)'),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

const revokeMemberRoute = createRoute({
  method: 'delete',
  path: '/{orgId}/members/{memberId}',
  tags: ['organisations'],
  summary: 'Remove a member or a lost device (officers only); its tokens stop working at once',
  description:
    'The member can no longer sign in; its next contact gets 401 member_revoked and the client wipes itself. A removed officer’s device keeps the org key it held, so officers rotate it (crypto/FORMAT.md): for a device lost or seized, in the same statement as the removal (`rotation`), so no capture is ever sealed to a key that device holds after it is removed. Removing an officer listed in the officer roster needs `roster`: the next version without them, same k, proposed by the caller; it takes effect with the signatures of k officers (202 until others co-sign). A field device is removed by one officer.',
  middleware: [requireCaller({ roles: ['officer'] }), emptyBodyIsEmptyObject] as const,
  request: {
    params: memberParams,
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              roster: signedRosterSchema.optional(),
              rotation: z
                .object({
                  keyId: orgKeyIdHex,
                  wrappedOrgKeys: rotationWraps,
                })
                .strict()
                .optional()
                .openapi({
                  description:
                    'With an officer whose device was lost or seized: the new org key in the same statement (`roster` names it), wrapped to each officer who remains. The app requires it for a lost or seized device (decision 0606).',
                }),
            })
            .strict(),
        },
      },
      required: false,
    },
  },
  responses: {
    200: { description: 'Removed', content: { 'application/json': { schema: memberSchema } } },
    202: waitingResponse(),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

export const memberRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listMembersRoute, async (context) => {
    const members = await listMembers(context.env.DB, context.req.valid('param').orgId);
    return context.json({ members: members.map(memberToJson) }, 200);
  })
  .openapi(admitFieldDeviceRoute, async (context) => {
    const { orgId, memberId } = context.req.valid('param');
    const { roster } = context.req.valid('json');
    const db = context.env.DB;
    const member = await memberOf(db, orgId, memberId);
    const action: RosterAction = { kind: 'admit', memberId };
    const statements = await actionStatements(db, orgId, action);
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no statement yet');
    const change = admitChange(head.statement, memberId, member);
    const submitted = await submitRoster(
      db,
      orgId,
      roster,
      expectedAfter(
        head.statement,
        {
          orgPublicKey: await orgKeyOf(db, orgId),
          signerId: context.get('caller').memberId,
          what: `adding ${member.label} as a field device`,
        },
        change,
      ),
      action,
    );
    if (!submitted.ready) {
      await submitted.insert.run();
      return context.json({ proposal: submitted.proposal }, 202);
    }
    await db.batch([...statements, submitted.insert]);
    return context.json(memberToJson(member), 200);
  })
  .openapi(revokeMemberRoute, async (context) => {
    const { orgId, memberId } = context.req.valid('param');
    const db = context.env.DB;
    const member = await memberOf(db, orgId, memberId);
    const { roster, rotation } = context.req.valid('json');
    const head = await rosterHead(db, orgId);
    const removal = removalOf(head?.statement, memberId);
    if (rotation) {
      const naming = checkRemovalRotation(head?.statement, removal, roster);
      checkRotation(
        await orgKeyOf(db, orgId),
        naming.statement.orgPublicKey,
        removal.remaining,
        'body.rotation.wrappedOrgKeys',
        rotation.wrappedOrgKeys,
      );
    }
    const action: RosterAction = {
      kind: 'remove',
      memberId,
      ...(rotation && roster
        ? { rotate: { orgPublicKey: roster.statement.orgPublicKey, keyId: rotation.keyId, wraps: rotation.wrappedOrgKeys } }
        : {}),
    };
    const statements = await actionStatements(db, orgId, action);
    const revoked = memberToJson({ ...member, status: 'revoked', revoked_at: nowIso(), wrapped_org_key: null });
    const removing = removalChange(head?.statement, memberId, removal, roster);
    if (!removing) {
      await db.batch(statements);
      return context.json(revoked, 200);
    }
    const submitted = await submitRoster(
      db,
      orgId,
      removing.roster,
      expectedAfter(
        removing.head,
        {
          orgPublicKey: rotation ? removing.roster.statement.orgPublicKey : await orgKeyOf(db, orgId),
          signerId: context.get('caller').memberId,
          what: rotation ? `removing ${member.label} and rotating the org key` : `removing ${member.label}`,
        },
        removing.change,
      ),
      action,
    );
    if (!submitted.ready) {
      await submitted.insert.run();
      return context.json({ proposal: submitted.proposal }, 202);
    }
    await db.batch([...statements, submitted.insert]);
    return context.json(revoked, 200);
  });
