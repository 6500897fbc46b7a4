// Sync of sealed records. Any member may push (field devices write); only officers pull (officers read).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireCaller } from '../auth/middleware.ts';
import { findOrgKey } from '../db/orgs.ts';
import { pullRecords, recordStats, storeRecords, swapKeySlots } from '../db/records.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, conflict } from '../errors.ts';
import { base64url, errorResponses, errorSchema, jsonContent, orgIdParam, tooLargeResponse } from '../schemas.ts';
import { jsonBody, validationHook } from '../validation.ts';

export const MAX_BATCH = 10_000;
export const MAX_ENVELOPE_BYTES = 256 * 1024;
const MAX_PUSH_BODY = 32 * 1024 * 1024;

const recordId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected an opaque record id of 16 to 64 characters (A-Z a-z 0-9 - _)');

const pushBody = z
  .object({
    records: z
      .array(
        z.object({
          id: recordId,
          version: z.number().int().min(1).max(1_000_000),
          envelope: base64url(40, MAX_ENVELOPE_BYTES),
        }),
      )
      .min(1, 'send at least one record')
      .max(MAX_BATCH, `send at most ${MAX_BATCH} records per request`),
  })
  .openapi('PushRecords');

const pushRoute = createRoute({
  method: 'post',
  path: '/{orgId}/records',
  tags: ['records'],
  summary: 'Push sealed records (idempotent; all or nothing)',
  middleware: [
    bodyLimit({
      maxSize: MAX_PUSH_BODY,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `a push is at most ${MAX_PUSH_BODY / 1024 / 1024} MiB; send smaller batches`);
      },
    }),
    requireCaller({ roles: ['officer', 'field'] }),
  ] as const,
  request: { params: orgIdParam, body: jsonBody(pushBody) },
  responses: {
    200: {
      description: 'Stored; duplicates of records already stored are counted and ignored',
      content: { 'application/json': { schema: z.object({ received: z.number(), stored: z.number(), duplicates: z.number() }) } },
    },
    // Not `...errorResponses`: TypeScript gives spread keys as strings, which Hono's types drop (schemas.ts withErrors).
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    413: tooLargeResponse[413],
  },
});

const pullRoute = createRoute({
  method: 'get',
  path: '/{orgId}/records',
  tags: ['records'],
  summary: 'Pull sealed records after a cursor (officers only)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    params: orgIdParam,
    query: z.object({
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(MAX_BATCH).default(1000),
    }),
  },
  responses: {
    200: {
      description:
        'A page of records in server order: at most `limit` rows and about 8 MiB of envelopes (`more` says whether to ask again from `cursor`)',
      content: {
        'application/json': {
          schema: z.object({
            records: z.array(
              z.object({
                seq: z.number(),
                id: z.string(),
                version: z.number(),
                digest: z.string(),
                envelope: z.string(),
                receivedAt: z.string(),
              }),
            ),
            cursor: z.number(),
            more: z.boolean(),
          }),
        },
      },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const MAX_SLOTS = 500;

const slotsRoute = createRoute({
  method: 'put',
  path: '/{orgId}/records/slots',
  tags: ['records'],
  summary: "Replace stored envelopes' key slots after an org key rotation (officers only)",
  description:
    "Each item names a stored envelope by `seq` and gives it again with a new key slot (bytes 2-113) under the organisation's current key; every body byte must be the stored one's. All or nothing per request. Envelopes already under the current key, or replaced meanwhile, are skipped. `remaining` counts the envelopes still under an earlier key: when it is 0, officers' devices forget the old key. Decision 0606.",
  middleware: [
    bodyLimit({
      maxSize: MAX_PUSH_BODY,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `a request is at most ${MAX_PUSH_BODY / 1024 / 1024} MiB; send smaller batches`);
      },
    }),
    requireCaller({ roles: ['officer'] }),
  ] as const,
  request: {
    params: orgIdParam,
    body: jsonBody(
      z
        .object({
          records: z
            .array(z.object({ seq: z.number().int().min(1), envelope: base64url(40, MAX_ENVELOPE_BYTES) }))
            .min(1, 'send at least one envelope')
            .max(MAX_SLOTS, `send at most ${MAX_SLOTS} envelopes per request`),
        })
        .strict()
        .openapi('NewKeySlots'),
    ),
  },
  responses: {
    200: {
      description: 'Replaced',
      content: { 'application/json': { schema: z.object({ replaced: z.number(), skipped: z.number(), remaining: z.number() }) } },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    409: { description: 'No rotation to finish', ...jsonContent(errorSchema) },
    413: tooLargeResponse[413],
  },
});

const statsRoute = createRoute({
  method: 'get',
  path: '/{orgId}/records/stats',
  tags: ['records'],
  summary: 'How many sealed records the server holds for the organisation (officers only)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: orgIdParam },
  responses: {
    200: {
      description: 'Counts',
      content: { 'application/json': { schema: z.object({ records: z.number(), versions: z.number(), cursor: z.number() }) } },
    },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const recordRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(pushRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { records } = context.req.valid('json');
    const result = await storeRecords(context.env.DB, orgId, context.get('caller').memberId, records);
    return context.json({ received: records.length, ...result }, 200);
  })
  .openapi(pullRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const { after, limit } = context.req.valid('query');
    return context.json(await pullRecords(context.env.DB, orgId, after, limit), 200);
  })
  .openapi(slotsRoute, async (context) => {
    const { orgId } = context.req.valid('param');
    const db = context.env.DB;
    const org = await findOrgKey(db, orgId);
    if (!org?.key_id) throw conflict('this organisation has never rotated its key: every envelope is under its one key already');
    return context.json(await swapKeySlots(db, orgId, org.key_id, context.req.valid('json').records), 200);
  })
  .openapi(statsRoute, async (context) => {
    return context.json(await recordStats(context.env.DB, context.req.valid('param').orgId), 200);
  });
