// Rate limits as a middleware factory: fixed windows counted in D1, so every isolate and every
// Cloudflare location shares one count (docs/decisions/0501-rate-limits-in-d1.md). Over the limit
// the caller gets 429 `rate_limited` with a Retry-After header, in the API's one error shape.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { toHex } from '#crypto/encoding';

export interface RateLimitRule {
  /** Names the budget in storage and in the 429 message: "ip", "member". Lower case letters and dashes. */
  name: string;
  /** Requests one key may make in one window. */
  limit: number;
  /** Window length in seconds; windows are aligned on the Unix epoch. */
  windowSeconds: number;
  /** What this request counts against (an IP address, a member id), or null when the rule does not apply to it. */
  key: (context: Context<AppEnv>) => string | null | Promise<string | null>;
}

/** One counter to increment: the store answers with its count after the increment. */
export interface RateLimitCounter {
  bucket: string;
  windowStart: number;
  expiresAt: number;
}

export interface RateLimitStore {
  /** Increments every counter at once and returns the new counts, in order. */
  hit(counters: RateLimitCounter[], nowSeconds: number): Promise<number[]>;
}

export interface RateLimitOptions {
  rules: readonly RateLimitRule[];
  /** Where counts live; D1 (table rate_limits) when absent. */
  store?: (context: Context<AppEnv>) => RateLimitStore;
  /** The clock, in milliseconds; Date.now when absent. */
  now?: () => number;
  /**
   * The secret the bucket names are keyed with; the Worker secret AUDIT_SIGNING_KEY when absent
   * (a key derived from it for this purpose only). Without one the request is refused: unkeyed
   * hashes of IPv4 addresses are undone by trying all 2^32 of them.
   */
  secret?: (context: Context<AppEnv>) => string | undefined;
}

let bucketKey: { source: string; key: Promise<CryptoKey> } | null = null;

/** An HMAC-SHA-256 key for bucket names, derived from the secret with its own label (one per secret, cached). */
function bucketKeyFor(secret: string): Promise<CryptoKey> {
  if (bucketKey?.source !== secret) {
    const encoder = new TextEncoder();
    const key = (async () => {
      const parent = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const derived = new Uint8Array(await crypto.subtle.sign('HMAC', parent, encoder.encode('buffer/rate-limit-buckets/v1')));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    })();
    bucketKey = { source: secret, key };
  }
  return bucketKey.key;
}

/** The stored name of what a rule counts: "<rule>:" and 32 hex digits of HMAC(bucket key, rule NUL key). */
export async function bucketName(secret: string, rule: string, key: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await bucketKeyFor(secret), new TextEncoder().encode(`${rule}\u0000${key}`));
  return `${rule}:${toHex(new Uint8Array(mac)).slice(0, 32)}`;
}

/** Counts in D1: one atomic batch per request (upserts, plus removal of expired windows). */
export function d1RateLimitStore(db: D1Database): RateLimitStore {
  return {
    async hit(counters, nowSeconds) {
      const upserts = counters.map((counter) =>
        db
          .prepare(
            `INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES (?, ?, 1, ?)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits`,
          )
          .bind(counter.bucket, counter.windowStart, counter.expiresAt),
      );
      const results = await db.batch<{ hits: number }>([
        ...upserts,
        db.prepare('DELETE FROM rate_limits WHERE expires_at <= ?').bind(nowSeconds),
      ]);
      return counters.map((_, index) => results[index]?.results[0]?.hits ?? 0);
    },
  };
}

const ruleName = /^[a-z][a-z-]{0,31}$/;

export function rateLimit(options: RateLimitOptions) {
  if (options.rules.length === 0) throw new Error('rateLimit: give at least one rule');
  const names = new Set<string>();
  for (const rule of options.rules) {
    if (!ruleName.test(rule.name)) throw new Error(`rateLimit: rule name "${rule.name}" must be 1 to 32 lower-case letters or dashes`);
    if (names.has(rule.name)) throw new Error(`rateLimit: two rules are named "${rule.name}"`);
    names.add(rule.name);
    if (!Number.isInteger(rule.limit) || rule.limit < 1)
      throw new Error(`rateLimit: rule "${rule.name}" needs a whole limit of at least 1`);
    if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1 || rule.windowSeconds > 86_400) {
      throw new Error(`rateLimit: rule "${rule.name}" needs a window of 1 to 86400 whole seconds`);
    }
    if (typeof rule.key !== 'function') throw new Error(`rateLimit: rule "${rule.name}" needs a key function`);
  }
  const rules = [...options.rules];
  const storeFor = options.store ?? ((context: Context<AppEnv>) => d1RateLimitStore(context.env.DB));
  const now = options.now ?? Date.now;
  const secretOf = options.secret ?? ((context: Context<AppEnv>) => context.env?.AUDIT_SIGNING_KEY);

  return createMiddleware<AppEnv>(async function rateLimitMiddleware(context, next) {
    const nowSeconds = Math.floor(now() / 1000);
    const applicable: { rule: RateLimitRule; counter: RateLimitCounter }[] = [];
    for (const rule of rules) {
      const key = await rule.key(context);
      if (key === null) continue;
      const windowStart = nowSeconds - (nowSeconds % rule.windowSeconds);
      // Only a keyed hash of the key is stored: the table holds no IP address or member id, and a
      // copy of the database alone does not tell which address a bucket counts (issue 15).
      const secret = secretOf(context);
      if (!secret)
        throw new ApiError(
          500,
          'internal',
          'the server is misconfigured: AUDIT_SIGNING_KEY is not set (see README, Deploy); nothing was changed',
        );
      const bucket = await bucketName(secret, rule.name, key);
      applicable.push({ rule, counter: { bucket, windowStart, expiresAt: windowStart + rule.windowSeconds } });
    }
    if (applicable.length > 0) {
      const counts = await storeFor(context).hit(
        applicable.map((entry) => entry.counter),
        nowSeconds,
      );
      const exceeded = applicable.filter((entry, index) => (counts[index] ?? 0) > entry.rule.limit);
      if (exceeded.length > 0) {
        const retryAfter = Math.max(...exceeded.map((entry) => entry.counter.expiresAt - nowSeconds), 1);
        const rule = exceeded[0]!.rule;
        context.header('Retry-After', String(retryAfter));
        throw new ApiError(
          429,
          'rate_limited',
          `too many requests (${rule.limit} per ${rule.windowSeconds} s per ${rule.name}); try again in ${retryAfter} s`,
        );
      }
    }
    await next();
  });
}

/** The member id a sign-in request names in its JSON body, or null (the route's validation then answers). */
export async function memberIdInBody(context: Context<AppEnv>): Promise<string | null> {
  if (context.req.method !== 'POST') return null;
  try {
    const body: unknown = JSON.parse(await context.req.text());
    const memberId = body !== null && typeof body === 'object' ? (body as { memberId?: unknown }).memberId : undefined;
    return typeof memberId === 'string' && memberId.length > 0 && memberId.length <= 64 ? memberId : null;
  } catch {
    return null;
  }
}

/** The client address Cloudflare (and wrangler dev) puts in CF-Connecting-IP. */
export function clientAddress(context: Context<AppEnv>): string {
  return context.req.header('cf-connecting-ip') ?? 'unknown';
}

/**
 * Sign-in (POST /api/auth/challenge and /token). A device signs in about once an hour, so 120 per
 * member and address per 10 minutes is far above need and stops a client stuck in a loop; the
 * address is part of that key so that someone who knows a member id cannot lock the member out
 * from elsewhere. 1,000 per address per 10 minutes leaves room for an office or a mobile carrier
 * NAT with hundreds of devices (docs/decisions/0501-rate-limits-in-d1.md).
 */
export const signInLimits: RateLimitOptions = {
  rules: [
    {
      name: 'member',
      limit: 120,
      windowSeconds: 600,
      key: async (context) => {
        const memberId = await memberIdInBody(context);
        return memberId === null ? null : `${memberId} ${clientAddress(context)}`;
      },
    },
    { name: 'ip', limit: 1000, windowSeconds: 600, key: (context) => (context.req.method === 'POST' ? clientAddress(context) : null) },
  ],
};

/**
 * Activation requests (POST /api/activations): a consulate or city asks rarely, and every request
 * lands in front of the CSO's officers, so 60 per address per hour stops a flood of requests to
 * review without getting in the way of a real emergency.
 */
export const activationRequestLimits: RateLimitOptions = {
  rules: [
    {
      name: 'activation-ip',
      limit: 60,
      windowSeconds: 3600,
      key: (context) => (context.req.method === 'POST' ? clientAddress(context) : null),
    },
  ],
};

/**
 * Creating an organisation (POST /api/orgs) needs no account, so it is limited per address: a CSO,
 * a consulate or a city creates one, once; 10 an hour from one address leaves room for a training
 * session and stops a script filling the directory with look-alikes (issue 15, finding 1).
 */
export const orgCreationLimits: RateLimitOptions = {
  rules: [
    { name: 'org-ip', limit: 10, windowSeconds: 3600, key: (context) => (context.req.method === 'POST' ? clientAddress(context) : null) },
  ],
};
