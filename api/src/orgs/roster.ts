// The organisation statement (officer roster) as others read it, and the changes waiting for the
// co-signatures of k officers: read, co-sign, withdraw.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireCaller } from '../auth/middleware.ts';
import { findOrg } from '../db/orgs.ts';
import { orgsRelated } from '../db/relationships.ts';
import { rosterHasHash, withdrawProposals } from '../db/rosters.ts';
import type { AppEnv } from '../env.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { actionStatements } from '../roster/actions.ts';
import {
  cosignProposal,
  describeProposal,
  describeProposals,
  findProposal,
  proposalSchema,
  rosterChain,
  storedRosterSchema,
} from '../roster/store.ts';
import { errorResponses, errorSchema, jsonContent, orgIdParam, signature64 } from '../schemas.ts';
import { jsonBody, validationHook } from '../validation.ts';
import { hex64 } from './shared.ts';

/** A statement's hash, as a roster chain names it. */
const statementHash = z.string().regex(/^[0-9a-f]{64}$/, 'expected the 64 hex digits of the statement hash');

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
    401: errorResponses[401],
    404: errorResponses[404],
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
    401: errorResponses[401],
    403: errorResponses[403],
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
        hash: statementHash.optional(),
      }),
    ),
  },
  responses: {
    200: {
      description: 'Co-signed: applied, or still waiting for more signatures',
      content: { 'application/json': { schema: z.object({ applied: z.boolean(), proposal: proposalSchema.nullable() }) } },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    409: errorResponses[409],
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
      hash: statementHash.optional(),
    }),
  },
  responses: {
    200: {
      description: 'Withdrawn (or nothing of yours was waiting)',
      content: { 'application/json': { schema: z.object({ withdrawn: z.boolean() }) } },
    },
    401: errorResponses[401],
    403: { description: 'Another officer proposed it', ...jsonContent(errorSchema) },
  },
});

export const rosterRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(rosterRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const db = context.env.DB;
    const caller = context.get('caller');
    if (caller.orgId !== orgId) {
      const related = await orgsRelated(db, orgId, caller.orgId);
      // Whoever holds the organisation's partner code (its id and a statement head) may read it too:
      // that is how a CSO verifies a consulate before working with it (decision 0609).
      const { head } = context.req.valid('query');
      const known = !related && head ? await rosterHasHash(db, orgId, head) : false;
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
    // Only the officer who proposed a change withdraws it: another officer who disagrees does not
    // co-sign (and may propose something else); withdrawing others' changes let one officer block all.
    const withdrawn = await withdrawProposals(db, orgId, context.get('caller').memberId, hash);
    if (!withdrawn && (await findProposal(db, orgId, hash)))
      throw forbidden('only the officer who proposed this change can withdraw it; if you disagree, do not co-sign it');
    return context.json({ withdrawn: withdrawn > 0 }, 200);
  });
