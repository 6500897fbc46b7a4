// What the activation routes answer: a request as filed, with its targets, decisions, releases, the
// addressed CSOs' signed rosters and its audit chain. The handlers' c.json() is checked against these.
import { z } from '@hono/zod-openapi';
import { auditChainSchema } from '../audit/chain.ts';
import { storedRosterSchema } from '../roster/store.ts';
import { activationRequestSchema } from './schemas.ts';
import { decisionKinds, releaseStatuses, requestKinds, requestStatuses, targetStatuses } from '../db/activations.ts';

export const releaseSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    uploadedBy: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: z.enum(releaseStatuses),
    downloads: z.number().int(),
  })
  .openapi('Release');

/** The request as filed and signed, and where it stands (store.ts requestToJson). */
const filedRequest = z.object({
  hash: z.string(),
  request: activationRequestSchema,
  signature: z.string(),
  kind: z.enum(requestKinds),
  requesterOrgId: z.string(),
  requesterMemberId: z.string(),
  arrangementId: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(requestStatuses),
});

export const activationSummarySchema = filedRequest
  .extend({ targets: z.array(z.object({ orgId: z.string(), status: z.enum(targetStatuses), approvalsRequired: z.number().int() })) })
  .openapi('ActivationSummary');

export const activationSchema = filedRequest
  .extend({
    orgNames: z
      .record(z.string(), z.string())
      .openapi({ description: "Each party's name as registered, by organisation id: the server's word, shown only" }),
    targets: z.array(
      z.object({
        orgId: z.string(),
        approvalsRequired: z.number().int(),
        rosterVersion: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "The target's roster version when the request was filed (null: filed before it was recorded)" }),
        status: z.enum(targetStatuses),
        updatedAt: z.string(),
      }),
    ),
    decisions: z.array(
      z.object({ orgId: z.string(), memberId: z.string(), decision: z.enum(decisionKinds), signature: z.string(), createdAt: z.string() }),
    ),
    releases: z.array(releaseSchema),
    officers: z.record(
      z.string(),
      z.array(z.object({ memberId: z.string(), label: z.string(), signPublicKey: z.string(), status: z.enum(['active', 'revoked']) })),
    ),
    rosters: z.record(z.string(), z.array(storedRosterSchema)).openapi({
      description:
        "Each addressed CSO's signed officer roster chain, oldest first: clients take officer keys and k from it, not from `officers`",
    }),
    audit: auditChainSchema,
  })
  .openapi('Activation');

export const downloadSchema = z.object({
  release: releaseSchema,
  bundle: z.string().openapi({ description: 'The sealed bundle, base64url' }),
});
