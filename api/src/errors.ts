// One error shape for the whole API: `{ "error": { "code", "message" } }`. Routes throw ApiError;
// app.onError turns anything thrown into that shape. No route formats its own errors.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

/**
 * Every `error.code` the API answers with. Clients branch on the code, never on the message (which
 * is for people and may change): one code per kind of failure, one status per code.
 */
export const errorCodes = [
  'invalid_request',
  'unauthenticated',
  'member_revoked',
  'forbidden',
  'not_found',
  'conflict',
  /** 409: the audit entry signs a head that is no longer the last (another party appended first): read the log again, sign again. */
  'stale_audit_head',
  /** 409: the roster change does not continue the head version: reload the roster, sign again. */
  'stale_roster',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(status, { message });
  }
}

export const badRequest = (message: string) => new ApiError(400, 'invalid_request', message);
export const unauthenticated = (message: string) => new ApiError(401, 'unauthenticated', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
export const staleAuditHead = (message: string) => new ApiError(409, 'stale_audit_head', message);
export const staleRoster = (message: string) => new ApiError(409, 'stale_roster', message);
/** The member was removed: a client receiving this wipes its keys and local data. */
export const memberRevoked = () =>
  new ApiError(401, 'member_revoked', 'this device was removed from the organisation; its keys and data on the device must be wiped');

const codeForStatus: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** Describes a zod failure in one line a person can act on: where, and what was wrong. */
export function describeZodError(error: ZodError, where: string): string {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    return `${where}.${path}: ${issue.message}`.replace(/\.\(root\)/, '');
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return issues.join('; ') + more;
}

export function handleError(error: Error, context: Context) {
  if (error instanceof ApiError) {
    return context.json(errorBody(error.code, error.message), error.status);
  }
  if (error instanceof HTTPException) {
    const code = codeForStatus[error.status] ?? 'invalid_request';
    const message =
      error.status === 400 && /JSON/i.test(error.message) ? 'the request body is not valid JSON' : error.message || 'request refused';
    return context.json(errorBody(code, message), error.status);
  }
  // Never echo internals to the caller. The log gets the error's own text (SQL and runtime errors
  // name columns, not values; the server holds no plaintext to leak) and no request data.
  console.error(`unhandled ${error.name} on ${context.req.method} ${new URL(context.req.url).pathname}: ${error.message.slice(0, 300)}`);
  return context.json(errorBody('internal', 'something went wrong on the server; nothing was changed, please try again'), 500);
}
