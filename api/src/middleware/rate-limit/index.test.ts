// Routing and arithmetic of the rate limiter with app.request() and a counting store in memory.
// The D1 store runs on real workerd + D1 in tests/api/security-rate-limit.test.ts.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../env.ts';
import { handleError } from '../../errors.ts';
import {
  bucketName,
  memberIdInBody,
  rateLimit,
  signInLimits,
  type RateLimitCounter,
  type RateLimitRule,
  type RateLimitStore,
} from './index.ts';

function countingStore() {
  const counts = new Map<string, number>();
  const seen: RateLimitCounter[] = [];
  const store: RateLimitStore = {
    async hit(counters) {
      seen.push(...counters);
      return counters.map((counter) => {
        const id = `${counter.bucket}@${counter.windowStart}`;
        counts.set(id, (counts.get(id) ?? 0) + 1);
        return counts.get(id)!;
      });
    },
  };
  return { store, seen };
}

function appWith(rules: RateLimitRule[], clock: { now: number }, secret: string | null = 'unit test secret') {
  const { store, seen } = countingStore();
  const app = new Hono<AppEnv>();
  app.use('/limited/*', rateLimit({ rules, store: () => store, now: () => clock.now, secret: () => secret ?? undefined }));
  app.post('/limited/echo', async (context) => context.json({ body: await context.req.text() }));
  app.get('/open', (context) => context.json({ ok: true }));
  app.onError(handleError);
  return { app, seen };
}

const byHeader: RateLimitRule = { name: 'ip', limit: 3, windowSeconds: 60, key: (context) => context.req.header('x-client') ?? null };

describe('rateLimit', () => {
  it('refuses wrong options when it is built, not at the first request', () => {
    expect(() => rateLimit({ rules: [] })).toThrow(/at least one rule/);
    expect(() => rateLimit({ rules: [{ ...byHeader, limit: 0 }] })).toThrow(/limit/);
    expect(() => rateLimit({ rules: [{ ...byHeader, limit: 2.5 }] })).toThrow(/limit/);
    expect(() => rateLimit({ rules: [{ ...byHeader, windowSeconds: 0 }] })).toThrow(/window/);
    expect(() => rateLimit({ rules: [{ ...byHeader, windowSeconds: 90_000 }] })).toThrow(/window/);
    expect(() => rateLimit({ rules: [{ ...byHeader, name: 'IP address' }] })).toThrow(/rule name/);
    expect(() => rateLimit({ rules: [byHeader, byHeader] })).toThrow(/two rules/);
    expect(rateLimit(signInLimits).name).toBe('rateLimitMiddleware');
  });

  it('lets the limit through, then answers 429 rate_limited with Retry-After until the window ends', async () => {
    const clock = { now: Date.UTC(2026, 0, 1, 12, 0, 15) };
    const { app } = appWith([byHeader], clock);
    const send = () =>
      app.request('/limited/echo', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-client': 'one' } });
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/3 per 60 s per ip\); try again in 45 s/);
    clock.now += 45_000;
    expect((await send()).status).toBe(200);
  });

  it('counts each key apart and skips requests a rule does not apply to', async () => {
    const { app, seen } = appWith([byHeader], { now: 0 });
    for (let i = 0; i < 3; i++) {
      await app.request('/limited/echo', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', 'x-client': 'one' },
      });
    }
    const other = await app.request('/limited/echo', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-client': 'two' },
    });
    expect(other.status).toBe(200);
    const keyless = await app.request('/limited/echo', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(keyless.status).toBe(200);
    expect((await app.request('/open')).status).toBe(200);
    expect(seen).toHaveLength(4);
    // Only keyed hashes are stored, never the key itself, nor its plain hash.
    for (const counter of seen) expect(counter.bucket).toMatch(/^ip:[0-9a-f]{32}$/);
    expect(seen[0]!.bucket).toBe(await bucketName('unit test secret', 'ip', 'one'));
    const plain = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('ip\u0000one')))
      .toString('hex')
      .slice(0, 32);
    expect(seen[0]!.bucket).not.toBe(`ip:${plain}`);
    // Another secret, other names: a copy of the table is no use without the Worker secret.
    expect(await bucketName('another secret', 'ip', 'one')).not.toBe(seen[0]!.bucket);
  });

  it('refuses to count, and so to serve, without a secret to key the buckets with', async () => {
    const { app, seen } = appWith([byHeader], { now: 0 }, null);
    const refused = await app.request('/limited/echo', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-client': 'one' },
    });
    expect(refused.status).toBe(500);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/AUDIT_SIGNING_KEY is not set/);
    expect(seen).toHaveLength(0);
  });

  it('leaves the body readable for the route after reading the member id', async () => {
    const memberRule: RateLimitRule = { name: 'member', limit: 1, windowSeconds: 600, key: memberIdInBody };
    const { app, seen } = appWith([memberRule], { now: 0 });
    const response = await app.request('/limited/echo', {
      method: 'POST',
      body: '{"memberId":"abcdefgh12"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ body: '{"memberId":"abcdefgh12"}' });
    expect(seen).toHaveLength(1);
    const malformed = await app.request('/limited/echo', {
      method: 'POST',
      body: '{"memberId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(await malformed.json()).toEqual({ body: '{"memberId":' });
    expect(seen).toHaveLength(1);
  });
});
