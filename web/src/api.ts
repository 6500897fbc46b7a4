// The API, typed from the Worker's own route types (Hono's typed client): no hand-written shapes.
import { hc } from 'hono/client';
import type { AppType } from '../../api/src/index.ts';

export type ApiClient = ReturnType<typeof hc<AppType>>;

export function createApiClient(token?: string, baseUrl = location.origin): ApiClient {
  return hc<AppType>(baseUrl, { headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}) });
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
