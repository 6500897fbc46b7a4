// Organisations, members and invitations. The server only ever receives public keys and the org
// private key already sealed to an officer's key.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { fromBase64 } from '#crypto/encoding';
import { CryptoError } from '#crypto/errors';
import { PARTNER_PURPOSE, verifyPartner, type SignedPartner } from '#crypto/partner';
import { acceptInvitationMessage, createOrgMessage } from '#crypto/protocol';
import { isWeakEd25519PublicKey, verifyEd25519 } from '#crypto/webcrypto';
import { requireCaller } from '../auth/middleware.ts';
import {
  type OrgRow,
  findMember,
  findOrg,
  insertMemberStatement,
  insertOrgStatement,
  listMembers,
  memberToJson,
  orgToJson,
  signKeyTaken,
} from '../db/orgs.ts';
import type { AppEnv } from '../env.ts';
import { badRequest, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import {
  base64url,
  countryCode,
  errorSchema,
  id,
  key32,
  label,
  memberSchema,
  orgIdParam,
  orgKinds,
  orgSchema,
  roles,
  signature64,
} from '../schemas.ts';
import { inSeconds, nowIso, randomToken, sha256Hex } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { actionStatements, memberOf } from '../roster/actions.ts';
import {
  cosignProposal,
  describeProposal,
  describeProposals,
  expectedAfter,
  findProposal,
  orgKeyIdHex,
  proposalSchema,
  rosterChain,
  rosterHead,
  rosterOfficerKeys,
  signedRosterSchema,
  storedRosterSchema,
  submitRoster,
  type RosterAction,
} from '../roster/store.ts';

const wrappedKey = base64url(48, 512);
/** A DELETE may come without a body (removing a field device needs none): read it as `{}`. */
const emptyBodyIsEmptyObject = createMiddleware<AppEnv>(async function emptyBodyIsEmptyObjectMiddleware(context, next) {
  if ((await context.req.text()).trim() === '') (context.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve('{}');
  await next();
});

const errors = {
  400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'Not signed in', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'Not allowed', content: { 'application/json': { schema: errorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: errorSchema } } },
  409: { description: 'Conflict', content: { 'application/json': { schema: errorSchema } } },
} as const;

const newMemberKeys = z.object({ id, label, signPublicKey: key32, boxPublicKey: key32 });

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
    400: errors[400],
    401: errors[401],
    409: errors[409],
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
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
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
    401: errors[401],
    403: errors[403],
  },
});

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
    400: errors[400],
    401: errors[401],
    403: errors[403],
  },
});

const grantOrgKeyRoute = createRoute({
  method: 'put',
  path: '/{orgId}/members/{memberId}/org-key',
  tags: ['organisations'],
  summary: 'Give an officer the org key, sealed to their own key (officers only)',
  description:
    "An officer not yet in the officer roster joins it here: `roster` is the next version, listing the current officers and this one (with their registered keys), same k and org key, proposed by the caller. With the signatures of k officers of the current version it is applied (200); with fewer it waits as the organisation's roster proposal until other officers co-sign it (202). Re-sealing the key to an officer already in the roster (after a rotation) needs no roster.",
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam.extend({ memberId: id.openapi({ param: { name: 'memberId', in: 'path' } }) }),
    body: jsonBody(z.object({ wrappedOrgKey: wrappedKey, roster: signedRosterSchema.optional() })),
  },
  responses: {
    200: { description: 'Granted', content: { 'application/json': { schema: memberSchema } } },
    202: {
      description: 'Waiting for the co-signatures of other officers',
      content: { 'application/json': { schema: z.object({ proposal: proposalSchema }) } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
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
    params: orgIdParam.extend({ memberId: id.openapi({ param: { name: 'memberId', in: 'path' } }) }),
    body: jsonBody(z.object({ roster: signedRosterSchema }).strict()),
  },
  responses: {
    200: { description: 'Added: the new statement version is the head', content: { 'application/json': { schema: memberSchema } } },
    202: {
      description: 'Waiting for co-signatures (only while the head is an old v1 roster)',
      content: { 'application/json': { schema: z.object({ proposal: proposalSchema }) } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
  },
});

const rotationWraps = z
  .array(z.object({ memberId: id, wrappedOrgKey: wrappedKey }))
  .min(1)
  .max(200);

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
    202: {
      description: 'Waiting for the co-signatures of other officers',
      content: { 'application/json': { schema: z.object({ proposal: proposalSchema }) } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    409: errors[409],
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
    401: errors[401],
    403: errors[403],
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
    params: orgIdParam.extend({ memberId: id.openapi({ param: { name: 'memberId', in: 'path' } }) }),
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
    202: {
      description: 'Waiting for the co-signatures of other officers',
      content: { 'application/json': { schema: z.object({ proposal: proposalSchema }) } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
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
    202: {
      description: 'Waiting for the co-signatures of other officers',
      content: { 'application/json': { schema: z.object({ proposal: proposalSchema }) } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    409: errors[409],
  },
});

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');

const rosterRoute = createRoute({
  method: 'get',
  path: '/{orgId}/roster',
  tags: ['organisations'],
  summary: "The organisation's officer roster: every signed version, oldest first",
  description:
    "For the organisation's own members and for organisations it works with or that are parties to one of its activations or break-glass arrangements. Clients verify the chain (crypto/src/roster.ts) and pin it on first use; officer keys and k are taken from it, never from other answers.",
  middleware: [requireCaller({ roles: ['officer', 'field'], ownOrg: false })] as const,
  request: {
    params: orgIdParam,
    query: z.object({
      head: hex64.optional().openapi({
        description:
          "A hash of one of the organisation's statement versions (from its partner code): lets an unrelated organisation read the chain",
      }),
    }),
  },
  responses: {
    200: {
      description: 'The chain',
      content: {
        'application/json': {
          schema: z
            .object({
              orgId: z.string(),
              name: z.string().openapi({ description: "The organisation's name as registered: the server's word, shown only" }),
              chain: z.array(storedRosterSchema),
            })
            .openapi('OfficerRosterChain'),
        },
      },
    },
    401: errors[401],
    404: errors[404],
  },
});

const proposalRoute = createRoute({
  method: 'get',
  path: '/{orgId}/roster/proposal',
  tags: ['organisations'],
  summary: 'The roster changes waiting for co-signatures (officers)',
  description:
    'Several may wait at once, each by its statement hash; `proposal` is the oldest. Officers check each statement on their device against the verified head before co-signing it: the server only keeps it. The first to gather its signatures is applied; the others for that version go stale and are dropped.',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: orgIdParam },
  responses: {
    200: {
      description: 'The proposals, oldest first',
      content: { 'application/json': { schema: z.object({ proposal: proposalSchema.nullable(), proposals: z.array(proposalSchema) }) } },
    },
    401: errors[401],
    403: errors[403],
  },
});

const cosignRoute = createRoute({
  method: 'post',
  path: '/{orgId}/roster/proposal/cosign',
  tags: ['organisations'],
  summary: 'Co-sign the waiting roster change (officers of the current version); with k signatures it is applied',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam,
    body: jsonBody(
      z.object({
        version: z.number().int().min(1),
        signature: signature64,
        hash: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'expected the 64 hex digits of the statement hash')
          .optional(),
      }),
    ),
  },
  responses: {
    200: {
      description: 'Co-signed: applied, or still waiting for more signatures',
      content: { 'application/json': { schema: z.object({ applied: z.boolean(), proposal: proposalSchema.nullable() }) } },
    },
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
  },
});

const withdrawRoute = createRoute({
  method: 'delete',
  path: '/{orgId}/roster/proposal',
  tags: ['organisations'],
  summary: 'Withdraw a roster change you proposed (by `hash`, or all of yours): it never takes effect',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam,
    query: z.object({
      hash: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'expected the 64 hex digits of the statement hash')
        .optional(),
    }),
  },
  responses: {
    200: {
      description: 'Withdrawn (or nothing of yours was waiting)',
      content: { 'application/json': { schema: z.object({ withdrawn: z.boolean() }) } },
    },
    401: errors[401],
    403: { description: 'Another officer proposed it', content: { 'application/json': { schema: errorSchema } } },
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
    401: errors[401],
    403: errors[403],
  },
});

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
    401: errors[401],
    403: errors[403],
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
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
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
    401: errors[401],
    403: errors[403],
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
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

async function checkSignature(signPublicKey: string, signature: string, message: Uint8Array) {
  // A weak (small-order) key would let anyone forge this member's signatures.
  if (isWeakEd25519PublicKey(fromBase64(signPublicKey))) throw badRequest('the signing key is a weak Ed25519 key; generate a new key pair');
  if (!(await verifyEd25519(fromBase64(signPublicKey), fromBase64(signature), message))) {
    throw unauthenticated('the signature does not match the keys in the request; it was not made with the key being registered');
  }
}

export const orgRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createOrgRoute, async (context) => {
    const { request, signature, roster } = context.req.valid('json');
    await checkSignature(request.founder.signPublicKey, signature, createOrgMessage(request));
    const db = context.env.DB;
    if (await findOrg(db, request.id)) throw conflict('an organisation with this id exists already');
    if (await findMember(db, request.founder.id)) throw conflict('a member with this id exists already');
    if (await signKeyTaken(db, request.founder.signPublicKey)) throw conflict('this signing key is registered already');
    if (request.kind === 'consulate' && request.nationalities.length === 0) {
      throw badRequest('body.request.nationalities: a consulate must name the nationalities it serves');
    }
    const founding = await submitRoster(db, request.id, roster, {
      retentionDays: undefined,
      officers: [
        { memberId: request.founder.id, signPublicKey: request.founder.signPublicKey, boxPublicKey: request.founder.boxPublicKey },
      ],
      fieldDevices: [],
      approvalsRequired: request.approvalsRequired,
      orgPublicKey: request.publicKey,
      signerId: request.founder.id,
      what: 'creating the organisation (version 1 names the founder alone and the org key)',
    });
    const rosterInsert = founding.insert;
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
      rosterInsert,
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
    // k and the retention period are both in the signed statement: each change needs k officers (issue 15).
    const changesK = approvalsRequired !== undefined && approvalsRequired !== head.statement.approvalsRequired;
    const changesRetention = retentionDays !== undefined && retentionDays !== head.statement.retentionDays;
    if (!changesK && !changesRetention) {
      if (roster) throw badRequest('body.roster: nothing changes, so the statement must not either');
      return context.json(orgToJson((await findOrg(db, orgId))!), 200);
    }
    if (changesK && changesRetention)
      throw badRequest('body: change k and the retention period one at a time: each is a statement of its own that officers see and sign');
    const action: RosterAction = changesK
      ? { kind: 'approvals', approvalsRequired: approvalsRequired! }
      : { kind: 'retention', retentionDays: retentionDays! };
    await actionStatements(db, orgId, action); // refused now if it could never be met
    const what = changesK ? `changing k to ${approvalsRequired}` : `keeping records ${retentionDays} days`;
    if (!roster) throw badRequest(`body.roster: ${what} needs the next version of the organisation statement, proposed by you`);
    const submitted = await submitRoster(
      db,
      orgId,
      roster,
      expectedAfter(
        head.statement,
        { orgPublicKey: await orgKeyOf(db, orgId), signerId: context.get('caller').memberId, what: `${what} (nothing else)` },
        changesK ? { approvalsRequired } : { retentionDays },
      ),
      action,
    );
    if (!submitted.ready) {
      await submitted.insert.run();
      return context.json({ proposal: submitted.proposal }, 202);
    }
    await db.batch([submitted.insert, ...(await actionStatements(db, orgId, action))]);
    return context.json(orgToJson((await findOrg(db, orgId))!), 200);
  })
  .openapi(directoryRoute, async (context) => {
    const orgId = context.get('caller').orgId;
    const { results } = await context.env.DB.prepare(
      `SELECT * FROM orgs WHERE id = ?1
         OR id IN (SELECT requester_org_id FROM relationships WHERE cso_org_id = ?1)
         OR id IN (SELECT cso_org_id FROM relationships WHERE requester_org_id = ?1)
         OR id IN (SELECT t.org_id FROM activation_targets t JOIN activation_requests r ON r.hash = t.request_hash WHERE r.requester_org_id = ?1)
         OR id IN (SELECT r.requester_org_id FROM activation_targets t JOIN activation_requests r ON r.hash = t.request_hash WHERE t.org_id = ?1)
         OR id IN (SELECT requester_org_id FROM arrangements WHERE cso_org_id = ?1)
         OR id IN (SELECT cso_org_id FROM arrangements WHERE requester_org_id = ?1)
         OR id IN (SELECT requester_org_id FROM relationships WHERE cso_org_id IN (SELECT cso_org_id FROM relationships WHERE requester_org_id = ?1))
         OR id IN (SELECT s.org_id FROM plan_shares s JOIN plans p ON p.id = s.plan_id WHERE p.owner_org_id = ?1)
       ORDER BY kind, name LIMIT 1000`,
    )
      .bind(orgId)
      .all<OrgRow>();
    return context.json({ orgs: results.map(orgToJson) }, 200);
  })
  .openapi(listRelationshipsRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { results } = await context.env.DB.prepare(
      `SELECT o.*, r.partner AS partner FROM relationships r JOIN orgs o ON o.id = CASE WHEN r.cso_org_id = ? THEN r.requester_org_id ELSE r.cso_org_id END
       WHERE r.cso_org_id = ? OR r.requester_org_id = ? ORDER BY o.name`,
    )
      .bind(orgId, orgId, orgId)
      .all<OrgRow & { partner: string | null }>();
    return context.json({ orgs: results.map((row) => ({ ...orgToJson(row), partner: storedPartner(row.partner) })) }, 200);
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
    const head = await db
      .prepare('SELECT hash FROM officer_rosters WHERE org_id = ? AND version = ?')
      .bind(requesterOrgId, statement.requesterHead.version)
      .first<{ hash: string }>();
    if (head?.hash !== statement.requesterHead.hash)
      throw badRequest("body.partner.statement.requesterHead: not a version of the requester's statement");
    const stored = JSON.stringify({ statement, signerId: partner.signerId, signature: partner.signature });
    await db
      .prepare(
        `INSERT INTO relationships (cso_org_id, requester_org_id, created_by, created_at, partner) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (cso_org_id, requester_org_id) DO UPDATE SET partner = excluded.partner`,
      )
      .bind(orgId, requesterOrgId, caller.memberId, nowIso(), stored)
      .run();
    return context.json({ ...orgToJson(requester), partner: storedPartner(stored) }, 200);
  })
  .openapi(removeRelationshipRoute, async (context) => {
    const { orgId, requesterOrgId } = context.req.valid('param');
    const result = await context.env.DB.prepare('DELETE FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?')
      .bind(orgId, requesterOrgId)
      .run();
    return context.json({ removed: (result.meta.changes ?? 0) > 0 }, 200);
  })
  .openapi(getOrgRoute, async (context) => {
    const org = await findOrg(context.env.DB, context.req.valid('param').orgId);
    if (!org) throw notFound('no such organisation');
    return context.json(orgToJson(org), 200);
  })
  .openapi(listMembersRoute, async (context) => {
    const members = await listMembers(context.env.DB, context.req.valid('param').orgId);
    return context.json({ members: members.map(memberToJson) }, 200);
  })
  .openapi(createInvitationRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { role, expiresInHours } = context.req.valid('json');
    const code = randomToken(18);
    const expiresAt = inSeconds(expiresInHours * 3600);
    await context.env.DB.prepare('INSERT INTO invitations (code_hash, org_id, role, created_by, expires_at) VALUES (?, ?, ?, ?, ?)')
      .bind(await sha256Hex(code), orgId, role, context.get('caller').memberId, expiresAt)
      .run();
    return context.json({ code, role, expiresAt }, 201);
  })
  .openapi(rosterRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const db = context.env.DB;
    const caller = context.get('caller');
    if (caller.orgId !== orgId) {
      const related = await db
        .prepare(
          `SELECT 1 AS ok FROM relationships WHERE (cso_org_id = ?1 AND requester_org_id = ?2) OR (cso_org_id = ?2 AND requester_org_id = ?1)
           UNION SELECT 1 FROM activation_targets t JOIN activation_requests r ON r.hash = t.request_hash
             WHERE (t.org_id = ?1 AND r.requester_org_id = ?2) OR (t.org_id = ?2 AND r.requester_org_id = ?1)
           UNION SELECT 1 FROM arrangements WHERE (cso_org_id = ?1 AND requester_org_id = ?2) OR (cso_org_id = ?2 AND requester_org_id = ?1)
           LIMIT 1`,
        )
        .bind(orgId, caller.orgId)
        .first();
      // Whoever holds the organisation's partner code (its id and a statement head) may read it too:
      // that is how a CSO verifies a consulate before working with it (decision 0609).
      const { head } = context.req.valid('query');
      const known =
        !related && head
          ? await db.prepare('SELECT 1 AS ok FROM officer_rosters WHERE org_id = ? AND hash = ?').bind(orgId, head).first()
          : null;
      // Unrelated organisations get the same answer as for an unknown one.
      if (!related && !known) throw notFound('no officer roster that your organisation may see');
    }
    const org = await findOrg(db, orgId);
    return context.json({ orgId, name: org?.name ?? '', chain: await rosterChain(db, orgId) }, 200);
  })
  .openapi(proposalRoute, async (context) => {
    const proposals = await describeProposals(context.env.DB, context.req.valid('param').orgId);
    return context.json({ proposal: proposals[0] ?? null, proposals }, 200);
  })
  .openapi(cosignRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { version, signature, hash } = context.req.valid('json');
    const db = context.env.DB;
    const waiting = await findProposal(db, orgId, hash);
    if (!waiting)
      throw notFound(
        hash ? 'no roster change with this hash is waiting for co-signatures' : 'no roster change is waiting for co-signatures',
      );
    if (waiting.version !== version)
      throw conflict(`the waiting change is version ${waiting.version}, not ${version}; reload it and check it again`);
    const cosigned = await cosignProposal(db, orgId, context.get('caller').memberId, signature, waiting.hash);
    if (!cosigned) throw notFound('no roster change is waiting for co-signatures');
    if (!cosigned.ready) return context.json({ applied: false, proposal: await describeProposal(db, orgId, waiting.hash) }, 200);
    await db.batch([...cosigned.statements, ...(await actionStatements(db, orgId, cosigned.action))]);
    return context.json({ applied: true, proposal: null }, 200);
  })
  .openapi(withdrawRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { hash } = context.req.valid('query');
    const db = context.env.DB;
    const caller = context.get('caller').memberId;
    // Only the officer who proposed a change withdraws it: another officer who disagrees does not
    // co-sign (and may propose something else); withdrawing others' changes let one officer block all.
    const mine = hash
      ? await db.prepare('DELETE FROM roster_proposals WHERE org_id = ? AND hash = ? AND signer_id = ?').bind(orgId, hash, caller).run()
      : await db.prepare('DELETE FROM roster_proposals WHERE org_id = ? AND signer_id = ?').bind(orgId, caller).run();
    if (!mine.meta.changes && (await findProposal(db, orgId, hash)))
      throw forbidden('only the officer who proposed this change can withdraw it; if you disagree, do not co-sign it');
    return context.json({ withdrawn: (mine.meta.changes ?? 0) > 0 }, 200);
  })
  .openapi(grantOrgKeyRoute, async (context) => {
    const { orgId, memberId } = context.req.valid('param');
    const db = context.env.DB;
    const member = await memberOf(db, orgId, memberId);
    const { wrappedOrgKey, roster } = context.req.valid('json');
    const action: RosterAction = { kind: 'grant', memberId, wrappedOrgKey };
    const statements = await actionStatements(db, orgId, action);
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no officer roster; the org key cannot be given');
    if (head.statement.officers.some((officer) => officer.memberId === memberId)) {
      if (roster) throw badRequest('body.roster: this officer is in the roster already; re-sealing the org key needs no new roster');
      await db.batch(statements);
      return context.json(memberToJson({ ...member, wrapped_org_key: wrappedOrgKey }), 200);
    }
    if (!roster)
      throw badRequest(
        'body.roster: giving the org key to a new officer needs the next version of the officer roster, adding them, proposed by you',
      );
    const submitted = await submitRoster(
      db,
      orgId,
      roster,
      expectedAfter(
        head.statement,
        { orgPublicKey: await orgKeyOf(db, orgId), signerId: context.get('caller').memberId, what: `adding ${member.label} as an officer` },
        {
          officers: [...head.statement.officers, { memberId, signPublicKey: member.sign_public_key, boxPublicKey: member.box_public_key }],
        },
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
  .openapi(admitFieldDeviceRoute, async (context) => {
    const { orgId, memberId } = context.req.valid('param');
    const { roster } = context.req.valid('json');
    const db = context.env.DB;
    const member = await memberOf(db, orgId, memberId);
    const action: RosterAction = { kind: 'admit', memberId };
    const statements = await actionStatements(db, orgId, action);
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no statement yet');
    if (head.statement.fieldDevices?.some((device) => device.memberId === memberId))
      throw conflict('this field device is in the statement already');
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
        { fieldDevices: [...(head.statement.fieldDevices ?? []), { memberId, signPublicKey: member.sign_public_key }] },
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
  .openapi(rotateRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { roster, keyId, wrappedOrgKeys } = context.req.valid('json');
    const db = context.env.DB;
    const head = await rosterHead(db, orgId);
    if (!head) throw conflict('this organisation has no statement yet');
    await checkRotation(db, orgId, roster.statement.orgPublicKey, head.statement.officers, 'body.wrappedOrgKeys', wrappedOrgKeys);
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
    const org = await db
      .prepare('SELECT public_key, key_id FROM orgs WHERE id = ?')
      .bind(orgId)
      .first<{ public_key: string; key_id: string | null }>();
    const stale = org?.key_id
      ? ((
          await db
            .prepare('SELECT COUNT(*) AS count FROM records WHERE org_id = ? AND hex(substr(envelope, 3, 8)) != ?')
            .bind(orgId, org.key_id)
            .first<{ count: number }>()
        )?.count ?? 0)
      : 0;
    return context.json({ orgPublicKey: org?.public_key ?? '', keyId: org?.key_id ?? null, staleEnvelopes: stale }, 200);
  })
  .openapi(revokeMemberRoute, async (context) => {
    const { orgId, memberId } = context.req.valid('param');
    const db = context.env.DB;
    const member = await memberOf(db, orgId, memberId);
    const { roster, rotation } = context.req.valid('json');
    const head = await rosterHead(db, orgId);
    const remaining = (head?.statement.officers ?? []).filter((officer) => officer.memberId !== memberId);
    if (rotation) {
      if (!head || !roster || remaining.length === head.statement.officers.length) {
        throw badRequest(
          'body.rotation: a new org key comes with the removal of an officer listed in the statement, and with `roster` naming that key',
        );
      }
      await checkRotation(db, orgId, roster.statement.orgPublicKey, remaining, 'body.rotation.wrappedOrgKeys', rotation.wrappedOrgKeys);
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
    const asOfficer = head?.statement.officers.some((officer) => officer.memberId === memberId) ?? false;
    const asFieldDevice = head?.statement.fieldDevices?.some((device) => device.memberId === memberId) ?? false;
    if (!head || (!asOfficer && !asFieldDevice)) {
      // Not in the statement (a field device not added yet, or an officer who never got the org key): one officer removes it.
      if (roster) throw badRequest('body.roster: this member is not in the organisation statement, so removing them changes no statement');
      await db.batch(statements);
      return context.json(revoked, 200);
    }
    if (remaining.length === 0)
      throw conflict('this is the last officer in the roster; give another officer the org key before removing this one');
    if (!roster) {
      throw badRequest(
        `body.roster: removing ${asOfficer ? 'an officer' : 'a field device'} listed in the organisation statement needs its next version, without them, proposed by you${asOfficer ? '' : ' (your signature alone is enough)'}`,
      );
    }
    const submitted = await submitRoster(
      db,
      orgId,
      roster,
      expectedAfter(
        head.statement,
        {
          orgPublicKey: rotation ? roster.statement.orgPublicKey : await orgKeyOf(db, orgId),
          signerId: context.get('caller').memberId,
          what: rotation ? `removing ${member.label} and rotating the org key` : `removing ${member.label}`,
        },
        { officers: remaining, fieldDevices: (head.statement.fieldDevices ?? []).filter((device) => device.memberId !== memberId) },
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

/**
 * A rotation names a key other than the current one, and carries the new key for exactly the
 * officers of the statement that names it (each co-signer's device opens its own copy).
 */
async function checkRotation(
  db: D1Database,
  orgId: string,
  orgPublicKey: string,
  officers: readonly { memberId: string }[],
  field: string,
  wraps: readonly { memberId: string }[],
) {
  if (orgPublicKey === (await orgKeyOf(db, orgId)))
    throw badRequest('body.roster: a rotation names a new org public key; this one is the current key');
  const expected = officers.map((officer) => officer.memberId).sort();
  const wrapped = wraps.map((wrap) => wrap.memberId).sort();
  if (expected.join('\n') !== wrapped.join('\n')) {
    throw badRequest(
      `${field}: must hold the new key for exactly the officers of the statement [${expected.join(', ')}], once each; it names [${wrapped.join(', ')}]`,
    );
  }
}

/** The org public key a new roster version must name: the one the organisation was created with (rotation: issue 14). */
async function orgKeyOf(db: D1Database, orgId: string): Promise<string> {
  const org = await findOrg(db, orgId);
  if (!org?.public_key) throw conflict('this organisation has no public key');
  return org.public_key;
}

export const invitationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(acceptInvitationRoute, async (context) => {
  const { request, signature } = context.req.valid('json');
  await checkSignature(request.member.signPublicKey, signature, acceptInvitationMessage(request));
  const db = context.env.DB;
  const codeHash = await sha256Hex(request.code);
  const invitation = await db
    .prepare('SELECT org_id, role, expires_at, used_by FROM invitations WHERE code_hash = ?')
    .bind(codeHash)
    .first<{ org_id: string; role: 'officer' | 'field'; expires_at: string; used_by: string | null }>();
  if (!invitation || invitation.org_id !== request.orgId)
    throw notFound('this invitation code is not known for this organisation; check it with the officer who sent it');
  if (invitation.used_by) throw conflict('this invitation has been used already; ask an officer for a new one');
  if (invitation.expires_at <= nowIso()) throw conflict('this invitation has expired; ask an officer for a new one');
  if (await findMember(db, request.member.id)) throw conflict('a member with this id exists already');
  if (await signKeyTaken(db, request.member.signPublicKey)) throw conflict('this signing key is registered already');
  const createdAt = nowIso();
  // The UPDATE only matches an unused invitation, and the INSERT only happens when the invitation
  // now names this member: two devices racing with the same code cannot both join.
  const [claimed] = await db.batch([
    db.prepare('UPDATE invitations SET used_by = ? WHERE code_hash = ? AND used_by IS NULL').bind(request.member.id, codeHash),
    db
      .prepare(
        `INSERT INTO members (id, org_id, label, role, sign_public_key, box_public_key, wrapped_org_key, created_at, key_binding)
         SELECT ?, ?, ?, ?, ?, ?, NULL, ?, ? WHERE (SELECT used_by FROM invitations WHERE code_hash = ?) = ?`,
      )
      .bind(
        request.member.id,
        invitation.org_id,
        request.member.label,
        invitation.role,
        request.member.signPublicKey,
        request.member.boxPublicKey,
        createdAt,
        request.binding ?? null,
        codeHash,
        request.member.id,
      ),
  ]);
  if (!claimed?.meta.changes) throw conflict('this invitation has been used already; ask an officer for a new one');
  const [org, member] = await Promise.all([findOrg(db, invitation.org_id), findMember(db, request.member.id)]);
  return context.json({ org: orgToJson(org!), member: memberToJson(member!) }, 201);
});

/** A stored partner statement as answered (null: listed before statements, or unreadable). */
function storedPartner(json: string | null): SignedPartner | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as SignedPartner;
  } catch {
    return null;
  }
}
