// Shapes shared by several routes. Every input is validated with these at the boundary.
import { z } from '@hono/zod-openapi';
import { errorCodes } from './errors.ts';

export const roles = ['officer', 'field'] as const;
export type Role = (typeof roles)[number];
export const orgKinds = ['cso', 'consulate', 'city'] as const;

const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Whole bytes only: a length of 1 more than a multiple of 4, or unused bits set in the last character, decode to nothing. */
function decodesAsBase64url(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  return (base64urlAlphabet.indexOf(text.at(-1)!) & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

/** base64url without padding, of a bounded decoded length. */
export function base64url(minBytes: number, maxBytes: number) {
  const minChars = Math.ceil((minBytes * 4) / 3);
  const maxChars = Math.ceil((maxBytes * 4) / 3);
  return z
    .string()
    .min(minChars, `expected at least ${minBytes} bytes of base64url`)
    .max(maxChars, `expected at most ${maxBytes} bytes of base64url`)
    .regex(/^[A-Za-z0-9_-]*$/, 'expected base64url (A-Z a-z 0-9 - _, no padding)')
    .refine(
      decodesAsBase64url,
      'not base64url of whole bytes: the length is 1 more than a multiple of 4, or the last character has unused bits set',
    );
}

export const key32 = base64url(32, 32).length(43, 'expected a 32-byte key as 43 base64url characters');
export const signature64 = base64url(64, 64).length(86, 'expected a 64-byte Ed25519 signature as 86 base64url characters');
export const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected an id of 8 to 64 characters (A-Z a-z 0-9 - _)');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "NP"');
export const label = z.string().trim().min(1, 'a label is required').max(80, 'a label is at most 80 characters');

export const errorSchema = z.object({ error: z.object({ code: z.enum(errorCodes), message: z.string() }) }).openapi('Error');

/**
 * An OpenAPI response body of JSON with this schema. Generic so the route keeps the schema's type:
 * OpenAPIHono then checks each handler's c.json() against it, and the typed client reads it.
 */
export const jsonContent = <Schema extends z.ZodType>(schema: Schema) => ({ content: { 'application/json': { schema } } });

/** The error answers routes declare (all in the one error shape). */
export const errorResponses = {
  400: { description: 'Bad input', ...jsonContent(errorSchema) },
  401: { description: 'Not signed in', ...jsonContent(errorSchema) },
  403: { description: 'Not allowed', ...jsonContent(errorSchema) },
  404: { description: 'Not found', ...jsonContent(errorSchema) },
  409: { description: 'Conflict', ...jsonContent(errorSchema) },
} as const;
/**
 * A route's own answers with the error answers above. Not `{ ...own, ...errorResponses }`: TypeScript
 * gives spread keys as strings ("400"), which Hono's types then drop, so the typed client would
 * never see the errors.
 */
export const withErrors = <Own extends object>(own: Own): Own & typeof errorResponses => Object.assign({}, errorResponses, own);
export const tooLargeResponse = { 413: { description: 'Too large', ...jsonContent(errorSchema) } } as const;

export const orgIdParam = z.object({ orgId: id.openapi({ param: { name: 'orgId', in: 'path' } }) });

export const memberSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    label: z.string(),
    role: z.enum(roles),
    signPublicKey: z.string(),
    boxPublicKey: z.string(),
    status: z.enum(['active', 'revoked']),
    hasOrgKey: z.boolean(),
    keyBinding: z.string().nullable().openapi({
      description:
        "The joining device's MAC of its keys under the secret part of its invitation (crypto/FORMAT.md, Invitation binding); the server cannot check it, officers' devices do. Null: joined without one.",
    }),
    createdAt: z.string(),
  })
  .openapi('Member');

export const orgSchema = z
  .object({
    id: z.string(),
    kind: z.enum(orgKinds),
    name: z.string(),
    country: z.string().nullable(),
    nationalities: z.array(z.string()),
    publicKey: z.string().nullable(),
    approvalsRequired: z.number().int(),
    retentionDays: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Organisation');
