// The OpenAPI document names every route the Worker answers, and nothing it does not: the fuzz
// suite (tests/api/fuzz-routes.test.ts) takes its operations from the document, so a route missing
// there would go unfuzzed.
import { describe, expect, it } from 'vitest';
import { app } from './app.ts';

const documented = async () => {
  const response = await app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(document.openapi).toBe('3.1.0');
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
};

// Hono lists middleware as method ALL; the document does not describe itself.
const answered = () => [
  ...new Set(
    app.routes
      .filter((route) => route.method !== 'ALL' && route.path !== '/api/openapi.json')
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
  ),
];

describe('the OpenAPI document', () => {
  it('names every route the app answers, health and server identity included, and no other', async () => {
    const routes = answered();
    expect(routes.length).toBeGreaterThan(50);
    expect(routes).toEqual(expect.arrayContaining(['GET /api/health', 'GET /api/server-identity', 'POST /api/orgs/{orgId}/records']));
    expect((await documented()).sort()).toEqual(routes.sort());
  });
});
