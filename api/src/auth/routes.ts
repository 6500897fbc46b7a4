// Challenge-response sign-in with the member's Ed25519 device key: the server hands out a one-time
// nonce, the member signs it, and gets a bearer token that lives an hour.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { fromBase64 } from '#crypto/encoding';
import { authMessage } from '#crypto/protocol';
import { verifyEd25519 } from '#crypto/webcrypto';
import { findMember, findOrg, memberToJson, orgToJson } from '../db/orgs.ts';
import { CHALLENGE_SECONDS, consumeChallenge, createChallenge, createSession, endSession } from '../db/sessions.ts';
import type { AppEnv } from '../env.ts';
import { memberRevoked, notFound, unauthenticated } from '../errors.ts';
import { inSeconds, randomToken } from '../util.ts';
import { errorSchema, id, memberSchema, orgSchema, signature64 } from '../schemas.ts';
import { requireCaller } from './middleware.ts';
import { jsonBody, validationHook } from '../validation.ts';

const challengeRoute = createRoute({
  method: 'post',
  path: '/challenge',
  tags: ['auth'],
  summary: 'Get a one-time nonce to sign with the member key',
  description:
    'The same answer whatever the member id: a known, a removed or an unknown member each get a nonce, so the endpoint tells nobody which ids exist (issue 15). Only a signature by the member key tells anything, at /token.',
  request: { body: jsonBody(z.object({ memberId: id })) },
  responses: {
    200: {
      description: 'A nonce valid for two minutes',
      content: { 'application/json': { schema: z.object({ nonce: z.string(), expiresAt: z.string() }) } },
    },
    400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
  },
});

const tokenRoute = createRoute({
  method: 'post',
  path: '/token',
  tags: ['auth'],
  summary: 'Exchange a signed nonce for a bearer token',
  request: { body: jsonBody(z.object({ memberId: id, nonce: z.string().min(16).max(128), signature: signature64 })) },
  responses: {
    200: {
      description: 'A bearer token valid for one hour',
      content: {
        'application/json': { schema: z.object({ token: z.string(), expiresAt: z.string(), memberId: z.string(), orgId: z.string() }) },
      },
    },
    400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
    401: {
      description:
        'Bad signature, unknown member, unknown or used nonce: one answer for all. A removed member that signed its nonce with its own key is told `member_revoked` (so the device wipes itself); nobody else learns that.',
      content: { 'application/json': { schema: errorSchema } },
    },
  },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'Who am I: member, organisation and, for officers, the wrapped org key',
  middleware: [requireCaller({ roles: ['officer', 'field'] })] as const,
  responses: {
    200: {
      description: 'The caller',
      content: { 'application/json': { schema: z.object({ member: memberSchema, org: orgSchema, wrappedOrgKey: z.string().nullable() }) } },
    },
    401: { description: 'Not signed in', content: { 'application/json': { schema: errorSchema } } },
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'End this token now (the app does when it locks): it answers 401 from then on',
  middleware: [requireCaller({ roles: ['officer', 'field'] })] as const,
  responses: {
    200: { description: 'Ended', content: { 'application/json': { schema: z.object({ ended: z.boolean() }) } } },
    401: { description: 'Not signed in', content: { 'application/json': { schema: errorSchema } } },
  },
});

export const authRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(challengeRoute, async (context) => {
    const { memberId } = context.req.valid('json');
    const member = await findMember(context.env.DB, memberId);
    // An unknown id gets a nonce that was never stored: the token step then refuses it like any other.
    if (!member) return context.json({ nonce: randomToken(32), expiresAt: inSeconds(CHALLENGE_SECONDS) }, 200);
    return context.json(await createChallenge(context.env.DB, memberId), 200);
  })
  .openapi(tokenRoute, async (context) => {
    const { memberId, nonce, signature } = context.req.valid('json');
    const member = await findMember(context.env.DB, memberId);
    // Same answer for every failure, so the endpoint tells an attacker nothing.
    const refuse = () => unauthenticated('sign-in failed: ask for a new challenge and sign it with this device key');
    if (!member) throw refuse();
    if (!(await consumeChallenge(context.env.DB, nonce, memberId))) throw refuse();
    const valid = await verifyEd25519(fromBase64(member.sign_public_key), fromBase64(signature), authMessage(memberId, nonce));
    if (!valid) throw refuse();
    // Only the removed device itself, which signed with its key, learns that it was removed.
    if (member.status !== 'active') throw memberRevoked();
    const session = await createSession(context.env.DB, member.id, member.org_id);
    return context.json({ ...session, memberId: member.id, orgId: member.org_id }, 200);
  })
  .openapi(logoutRoute, async (context) => {
    // requireCaller checked the header's form; the token itself is stored only as its hash.
    const token = (context.req.header('authorization') ?? '').slice('Bearer '.length);
    return context.json({ ended: await endSession(context.env.DB, token) }, 200);
  })
  .openapi(meRoute, async (context) => {
    const caller = context.get('caller');
    const [member, org] = await Promise.all([findMember(context.env.DB, caller.memberId), findOrg(context.env.DB, caller.orgId)]);
    if (!member || !org) throw notFound('member or organisation no longer exists');
    const wrappedOrgKey = member.role === 'officer' ? member.wrapped_org_key : null;
    return context.json({ member: memberToJson(member), org: orgToJson(org), wrappedOrgKey }, 200);
  });
