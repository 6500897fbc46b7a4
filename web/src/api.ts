// The API, typed from the Worker's own route types (Hono's typed client): no hand-written shapes.
import { hc } from 'hono/client';
import type { AppType } from '../../api/src/index.ts';

export type ApiClient = ReturnType<typeof hc<AppType>>;

export function createApiClient(token?: string, baseUrl = location.origin): ApiClient {
  return hc<AppType>(baseUrl, {
    fetch: reachServer,
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
  });
}

/**
 * The server could not be reached (no network, a refused or cut connection): "offline", told apart
 * from a server's answer (ApiRequestError) and from a bug (any other error, a TypeError included).
 */
export class OfflineError extends Error {
  constructor(readonly reason: string) {
    super(`the server could not be reached (${reason})`);
    this.name = 'OfflineError';
  }
}

/** fetch(), with a request that never reached the server rejected as OfflineError. */
async function reachServer(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    // fetch() rejects with a TypeError for a network failure, whatever navigator.onLine believes.
    if (error instanceof TypeError) throw new OfflineError(error.message);
    throw error;
  }
}

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server refused an audit entry because another party appended first (409 stale_audit_head). */
export const isStaleAuditHead = (error: unknown): boolean => error instanceof ApiRequestError && error.code === 'stale_audit_head';

/**
 * Sends an action whose audit entry continues a chain: `read` gives what to sign onto, `send` signs
 * and sends. When another party appended first, reads and signs again (up to three more times).
 */
export async function onChainHead<Head, T>(read: () => Promise<Head>, send: (head: Head) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const head = await read();
    try {
      return await send(head);
    } catch (error) {
      if (attempt < 3 && isStaleAuditHead(error)) continue;
      throw error;
    }
  }
}

type JsonResponse = { ok: boolean; status: number; json(): Promise<unknown> };
type SuccessBody<R extends JsonResponse> = Exclude<Awaited<ReturnType<R['json']>>, { error: unknown }>;

/** Unwraps a typed response: the JSON body on success, an ApiRequestError with the server's message otherwise. */
export async function expectOk<R extends JsonResponse>(response: R): Promise<SuccessBody<R>> {
  if (response.ok) return (await response.json()) as SuccessBody<R>;
  let code = 'http_error';
  let message = `the server answered ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiRequestError(response.status, code, message);
}
