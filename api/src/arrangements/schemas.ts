// Shapes of break-glass arrangements: the descriptor the CSO officer signs (validated on the way in,
// stored as sent) and the arrangement as the routes answer it.
import { z } from '@hono/zod-openapi';
import { BREAK_GLASS_MAX_WAIT_SECONDS, BREAK_GLASS_MIN_WAIT_SECONDS } from '#crypto/breakglass-policy';
import { auditChainSchema } from '../audit/chain.ts';
import { readStored } from '../db/stored.ts';
import { id, key32 } from '../schemas.ts';

export const descriptorSchema = z
  .object({
    format: z.literal('buffer/arrangement/v1'),
    arrangementId: id,
    orgId: id,
    requester: z.object({ id, signPublicKey: key32, boxPublicKey: key32 }),
    publicKey: key32,
    waitingPeriodSeconds: z
      .number()
      .int()
      .min(
        BREAK_GLASS_MIN_WAIT_SECONDS,
        `must be at least ${BREAK_GLASS_MIN_WAIT_SECONDS / 3600} hours: the waiting period is the officers' only chance to veto (decision 0103)`,
      )
      .max(BREAK_GLASS_MAX_WAIT_SECONDS),
    fields: z.array(z.string().max(40)).min(1).max(20),
    createdAt: z.iso.datetime(),
    createdBy: z.object({ memberId: id, signPublicKey: key32 }),
  })
  .openapi('ArrangementDescriptor');

/** An officer of the CSO who co-signed the descriptor after its creator (decision 0610). */
const cosignatureSchema = z.object({ memberId: z.string(), signature: z.string() });

// The values the table's CHECK constraint allows (api/migrations/0003_activation.sql).
const arrangementStatuses = ['proposed', 'active', 'waiting', 'vetoed', 'used', 'retired'] as const;
export type ArrangementStatus = (typeof arrangementStatuses)[number];

/** crypto/src/breakglass-policy.ts BreakGlassStatus: from the officers' signed vetoes and the clock. */
const breakGlassSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('waiting'), releasableAt: z.string() }),
  z.object({ state: z.literal('vetoed'), vetoedBy: z.array(z.string()) }),
  z.object({ state: z.literal('releasable'), releasableAt: z.string() }),
]);

export const arrangementSchema = z
  .object({
    id: z.string(),
    csoOrgId: z.string(),
    requesterOrgId: z.string(),
    descriptor: descriptorSchema,
    signature: z.string(),
    requesterSignature: z.string().nullable(),
    status: z.enum(arrangementStatuses),
    cosignatures: z.array(cosignatureSchema),
    officerSignatures: z
      .object({ signers: z.array(z.string()), needed: z.number().int() })
      .nullable()
      .openapi({
        description:
          "While proposed: the officers of the CSO's statement whose signatures on the descriptor are valid, and how many must sign; null afterwards",
      }),
    requestHash: z.string().nullable(),
    startedAt: z.string().nullable(),
    breakGlass: breakGlassSchema.nullable(),
    requesterShare: z.string().nullable().openapi({ description: 'For the requester once it accepted; null for the CSO' }),
    orgEscrow: z.string().nullable().openapi({ description: 'For the CSO; null for the requester' }),
    copyUpdatedAt: z.string().nullable().openapi({ description: "When the CSO's devices last replaced the minimised copy" }),
    audit: auditChainSchema,
  })
  .openapi('Arrangement');

/** The stored columns: the descriptor as it passed descriptorSchema, and the co-signatures the Worker appended. */
export const descriptorOf = (row: { descriptor: string }) => readStored(descriptorSchema, row.descriptor);
export const cosignaturesOf = (row: { cosignatures: string }) => readStored(z.array(cosignatureSchema), row.cosignatures);
