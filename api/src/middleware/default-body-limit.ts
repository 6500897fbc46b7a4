// A body limit for every route (issue 15, finding 6: no global limit). Routes that take more (a
// records push, a release bundle, break-glass wraps, a plan, an alert) set their own, larger
// limit on the route and are named here, so this default does not refuse them first.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/** Bytes any other request body may have: the largest of them (a statement listing 5,000 field devices) is about 0.6 MiB. */
export const DEFAULT_MAX_BODY = 2 * 1024 * 1024;

/** METHOD and path of the routes with a larger limit of their own (each one's route sets it). */
export const OWN_BODY_LIMIT: readonly { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/orgs\/[^/]+\/records$/ },
  { method: 'PUT', path: /^\/api\/orgs\/[^/]+\/records\/slots$/ },
  { method: 'POST', path: /^\/api\/activations\/[^/]+\/releases$/ },
  { method: 'PUT', path: /^\/api\/arrangements\/[^/]+\/copy$/ },
  { method: 'POST', path: /^\/api\/plans(\/[^/]+\/versions)?$/ },
  { method: 'POST', path: /^\/api\/orgs\/[^/]+\/summaries$/ },
  { method: 'POST', path: /^\/api\/alerts$/ },
];

const limit = bodyLimit({
  maxSize: DEFAULT_MAX_BODY,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `a request body is at most ${DEFAULT_MAX_BODY / 1024 / 1024} MiB here`);
  },
});

export const defaultBodyLimit = createMiddleware<AppEnv>(async (context, next) => {
  const method = context.req.method;
  if (method === 'GET' || method === 'HEAD' || OWN_BODY_LIMIT.some((route) => route.method === method && route.path.test(context.req.path)))
    return next();
  return limit(context, next);
});
