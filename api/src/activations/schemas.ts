// Input shapes for activation: the request as signed by the requester, decisions, releases.
import { z } from '@hono/zod-openapi';
import { releaseFieldNames } from '#crypto/protocol';
import { auditEntrySchema } from '../audit/chain.ts';
import { base64url, countryCode, id, key32, signature64 } from '../schemas.ts';

const MAX_POSITIONS = 20_000;
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z
  .array(position)
  .min(4, 'a ring needs at least 4 positions')
  .refine((points) => points[0]![0] === points.at(-1)![0] && points[0]![1] === points.at(-1)![1], 'a ring must end where it starts');
const polygon = z.array(ring).min(1);

function countPositions(
  area: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] },
): number {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  return polygons.reduce((sum, rings) => sum + rings.reduce((inner, ring) => inner + ring.length, 0), 0);
}

/** A GeoJSON Polygon or MultiPolygon (RFC 7946, lon/lat), bounded in size. */
export const areaSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: polygon }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).min(1) }),
  ])
  .refine((area) => countPositions(area) <= MAX_POSITIONS, `an area has at most ${MAX_POSITIONS} positions`)
  .openapi('Area');

export const requestHashSchema = base64url(32, 32).length(43, 'expected a request hash: 43 base64url characters');

export const activationRequestSchema = z
  .object({
    orgIds: z.array(id).min(1).max(20),
    requester: z.object({ id, signPublicKey: key32, boxPublicKey: key32 }),
    area: areaSchema,
    nationalities: z.array(countryCode).min(1).max(50),
    fields: z.array(z.enum(releaseFieldNames)).min(1).max(releaseFieldNames.length),
    purpose: z.string().trim().min(10, 'say what the release is for, in at least 10 characters').max(2000),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    nonce: base64url(16, 64),
    kind: z.enum(['release', 'break_glass']),
    arrangementId: id.optional(),
  })
  .openapi('ActivationRequest');

export const createActivationBody = z.object({ request: activationRequestSchema, signature: signature64, auditEntry: auditEntrySchema });

export const decisionBody = z.object({
  orgId: id,
  decision: z.enum(['approve', 'veto']),
  signature: signature64,
  auditEntry: auditEntrySchema,
});

/** Bundles up to 24 MiB (as base64url), stored in chunks. */
export const MAX_BUNDLE_BYTES = 24 * 1024 * 1024;
export const releaseBody = z.object({ orgId: id, bundle: base64url(64, MAX_BUNDLE_BYTES), auditEntry: auditEntrySchema });
export const auditOnlyBody = z.object({ auditEntry: auditEntrySchema });

export const hashParam = z.object({ hash: requestHashSchema.openapi({ param: { name: 'hash', in: 'path' } }) });
export const releaseParam = hashParam.extend({ releaseId: id.openapi({ param: { name: 'releaseId', in: 'path' } }) });
