// Inviting a member (an officer creates a code, shown once) and joining with it. Only the code's
// hash is stored.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { acceptInvitationMessage } from '#crypto/protocol';
import { requireCaller } from '../auth/middleware.ts';
import { claimInvitation, findInvitation, insertInvitation } from '../db/invitations.ts';
import { findMember, findOrg, memberToJson, orgToJson, signKeyTaken } from '../db/orgs.ts';
import type { AppEnv } from '../env.ts';
import { conflict, notFound } from '../errors.ts';
import { base64url, errorResponses, id, memberSchema, orgIdParam, orgSchema, roles, signature64 } from '../schemas.ts';
import { inSeconds, nowIso, randomToken, sha256Hex } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { checkSignature, newMemberKeys } from './shared.ts';

const createInvitationRoute = createRoute({
  method: 'post',
  path: '/{orgId}/invitations',
  tags: ['organisations'],
  summary: 'Invite a member (officers only); the code is shown once',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam,
    body: jsonBody(
      z.object({
        role: z.enum(roles),
        expiresInHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 14)
          .default(72),
      }),
    ),
  },
  responses: {
    201: {
      description: 'Invitation',
      content: { 'application/json': { schema: z.object({ code: z.string(), role: z.enum(roles), expiresAt: z.string() }) } },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const acceptInvitationRequest = z
  .object({
    code: z.string().min(16).max(64),
    orgId: id,
    member: newMemberKeys,
    binding: base64url(32, 32).length(43, 'a binding is 32 bytes: 43 base64url characters').optional().openapi({
      description:
        "BLAKE2b-256 of the member's keys under the invitation's secret part (crypto/FORMAT.md, Invitation binding); kept for officers' devices to check",
    }),
  })
  .openapi('AcceptInvitation');

const acceptInvitationRoute = createRoute({
  method: 'post',
  path: '/accept',
  tags: ['organisations'],
  summary: 'Join an organisation with an invitation code',
  request: { body: jsonBody(z.object({ request: acceptInvitationRequest, signature: signature64 })) },
  responses: {
    201: { description: 'Joined', content: { 'application/json': { schema: z.object({ org: orgSchema, member: memberSchema }) } } },
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

/** Under /api/orgs: an officer invites. */
export const invitingRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(createInvitationRoute, async (context) => {
  const { orgId } = context.req.valid('param');
  const { role, expiresInHours } = context.req.valid('json');
  const code = randomToken(18);
  const expiresAt = inSeconds(expiresInHours * 3600);
  await insertInvitation(context.env.DB, {
    codeHash: await sha256Hex(code),
    orgId,
    role,
    createdBy: context.get('caller').memberId,
    expiresAt,
  });
  return context.json({ code, role, expiresAt }, 201);
});

/** Under /api/invitations: a new device joins (signed in by nothing but the code and its own signature). */
export const invitationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(acceptInvitationRoute, async (context) => {
  const { request, signature } = context.req.valid('json');
  await checkSignature(request.member.signPublicKey, signature, acceptInvitationMessage(request));
  const db = context.env.DB;
  const codeHash = await sha256Hex(request.code);
  const invitation = await findInvitation(db, codeHash);
  if (!invitation || invitation.org_id !== request.orgId)
    throw notFound('this invitation code is not known for this organisation; check it with the officer who sent it');
  if (invitation.used_by) throw conflict('this invitation has been used already; ask an officer for a new one');
  if (invitation.expires_at <= nowIso()) throw conflict('this invitation has expired; ask an officer for a new one');
  if (await findMember(db, request.member.id)) throw conflict('a member with this id exists already');
  if (await signKeyTaken(db, request.member.signPublicKey)) throw conflict('this signing key is registered already');
  const claimed = await claimInvitation(db, codeHash, invitation, { ...request.member, binding: request.binding ?? null }, nowIso());
  if (!claimed) throw conflict('this invitation has been used already; ask an officer for a new one');
  const [org, member] = await Promise.all([findOrg(db, invitation.org_id), findMember(db, request.member.id)]);
  return context.json({ org: orgToJson(org!), member: memberToJson(member!) }, 201);
});
