// Validation glue: a zod failure becomes one clear 400 naming where and what was wrong.
import type { Hook } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { AppEnv } from './env.ts';
import { badRequest, describeZodError } from './errors.ts';

export function jsonBody<Schema extends ZodType>(schema: Schema) {
  return { content: { 'application/json': { schema } }, required: true };
}

const placeNames: Record<string, string> = { json: 'body', param: 'path', query: 'query', header: 'header' };

export const validationHook: Hook<unknown, AppEnv, string, void> = (result) => {
  if (!result.success) throw badRequest(describeZodError(result.error, placeNames[result.target] ?? result.target));
};
