// Sign-in rate limits on real workerd + D1. This suite runs its own Worker on its own database,
// because exhausting the loopback address's budget would refuse the other suites' sign-ins.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, rawRequest, signIn } from '../../scripts/lib/actors.ts';
import type { RunningWorker } from '../../scripts/worker-process.ts';
import { startOwnWorker } from '../faults/worker.ts';
import { activationRequestLimits, bucketName, orgCreationLimits, signInLimits } from '../../api/src/middleware/rate-limit/index.ts';
import { queryD1 } from '../faults/d1.ts';

const memberLimit = signInLimits.rules.find((rule) => rule.name === 'member')!.limit;
const ipLimit = signInLimits.rules.find((rule) => rule.name === 'ip')!.limit;
const activationLimit = activationRequestLimits.rules[0]!.limit;
const orgLimit = orgCreationLimits.rules[0]!.limit;

let worker: RunningWorker;
let persistTo: string;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-rate-limit-'));
  worker = await startOwnWorker({ persistTo, quiet: true });
});

afterAll(async () => {
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

const challenge = (memberId: string, headers: Record<string, string> = {}) =>
  rawRequest(worker.url, 'POST', '/api/auth/challenge', JSON.stringify({ memberId }), headers);

/** Sends `count` requests, 25 at a time, and returns their statuses in order. */
async function burst(count: number, send: (index: number) => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < count; start += 25) {
    const chunk = Array.from({ length: Math.min(25, count - start) }, (_, offset) => send(start + offset));
    statuses.push(...(await Promise.all(chunk)).map((response) => response.status));
  }
  return statuses;
}

describe('sign-in rate limits on workerd + D1', () => {
  it('lets a member sign in normally', async () => {
    const officer = await createOrg(worker.url);
    expect(await signIn(officer)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it(`refuses the ${memberLimit + 1}th challenge for one member in a window with 429 rate_limited and Retry-After`, async () => {
    const memberId = crypto.randomUUID();
    const statuses = await burst(memberLimit, () => challenge(memberId));
    expect(statuses.every((status) => status === 200)).toBe(true); // unknown member (answered like any other since issue 15), but counted
    const refused = await challenge(memberId);
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe('rate_limited');
    expect(refused.json.error?.message).toMatch(/per member\); try again in \d+ s/);
    const retryAfter = Number(
      (
        await fetch(`${worker.url}/api/auth/challenge`, {
          method: 'POST',
          body: JSON.stringify({ memberId }),
          headers: { 'content-type': 'application/json' },
        })
      ).headers.get('retry-after'),
    );
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Another member is not affected; nor is this member from another address, so knowing a
    // member id is not enough to lock that member out.
    expect((await challenge(crypto.randomUUID())).status).toBe(200);
    expect((await challenge(memberId, { 'cf-connecting-ip': '127.0.0.98' })).status).toBe(200);
  });

  // Issue 15, finding 1: on 285cf2d POST /api/orgs had no limit (a script could fill the directory
  // with look-alike consulates).
  it(`refuses the ${orgLimit + 1}th new organisation from one address in an hour, and no other address`, async () => {
    const address = { 'cf-connecting-ip': '127.0.0.70' };
    const statuses = await burst(orgLimit, () => rawRequest(worker.url, 'POST', '/api/orgs', JSON.stringify({}), address));
    expect(statuses.every((status) => status === 400)).toBe(true); // counted before validation
    const refused = await rawRequest(worker.url, 'POST', '/api/orgs', JSON.stringify({}), address);
    expect(refused.status).toBe(429);
    expect(refused.json.error?.message).toMatch(/per org-ip\); try again in \d+ s/);
    expect((await rawRequest(worker.url, 'POST', '/api/orgs', JSON.stringify({}), { 'cf-connecting-ip': '127.0.0.71' })).status).toBe(400);
    // Reading is not creating: the directory still answers (401 without a token, not 429).
    expect((await rawRequest(worker.url, 'GET', '/api/orgs', undefined, address)).status).toBe(401);
  });

  it(`refuses the ${activationLimit + 1}th activation request from one address in an hour, and nothing else there`, async () => {
    const address = { 'cf-connecting-ip': '127.0.0.60' };
    const request = () => rawRequest(worker.url, 'POST', '/api/activations', JSON.stringify({}), address);
    const statuses = await burst(activationLimit, request);
    expect(statuses.every((status) => status === 401)).toBe(true); // counted before authentication
    const refused = await request();
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/per activation-ip\); try again in \d+ s/),
    });
    // Reading activations and deciding on them are not limited; another address still asks.
    expect((await rawRequest(worker.url, 'GET', '/api/activations', undefined, address)).status).toBe(401);
    expect(
      (await rawRequest(worker.url, 'POST', '/api/activations', JSON.stringify({}), { 'cf-connecting-ip': '127.0.0.61' })).status,
    ).toBe(401);
  });

  // On 53dbdde a bucket was the plain SHA-256 of "ip NUL <address>": whoever copied the table found
  // each address by hashing all 2^32 IPv4 addresses. Now the hash is keyed with the Worker secret.
  it('stores keyed hashes of what it counts: not the member id or the address, and no hash a copy of the table alone can undo', () => {
    const rows = queryD1<{ bucket: string; hits: number }>(persistTo, 'SELECT bucket, hits FROM rate_limits');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.bucket).toMatch(/^(member|ip|activation-ip|org-ip):[0-9a-f]{32}$/);
    expect(JSON.stringify(rows)).not.toMatch(/127\.0\.0\.1|[0-9a-f]{8}-[0-9a-f]{4}-/);
    const plain = `ip:${createHash('sha256').update('ip\u0000127.0.0.1').digest('hex').slice(0, 32)}`;
    expect(rows.map((row) => row.bucket)).not.toContain(plain);
  });

  it(`refuses a client address after ${ipLimit} sign-in requests in a window, whatever member it names, and says so`, async () => {
    const secret = /AUDIT_SIGNING_KEY=(\S+)/.exec(readFileSync(path.join(persistTo, 'worker-secrets.env'), 'utf8'))![1]!;
    const loopbackBucket = await bucketName(secret, 'ip', '127.0.0.1');
    const used = queryD1<{ hits: number }>(persistTo, 'SELECT hits FROM rate_limits WHERE bucket = ?', loopbackBucket)[0]?.hits ?? 0;
    expect(used).toBeGreaterThan(memberLimit);
    const statuses = await burst(ipLimit - used, () => challenge(crypto.randomUUID()));
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    const refused = await challenge(crypto.randomUUID());
    expect(refused.status).toBe(429);
    expect(refused.json.error?.message).toMatch(/per ip/);
    // Another address has its own budget. (Locally wrangler dev keeps a CF-Connecting-IP header the
    // client wrote; on Cloudflare the edge sets it from the connection: decision 0501.)
    const elsewhere = await challenge(crypto.randomUUID(), { 'cf-connecting-ip': '127.0.0.99' });
    expect(elsewhere.status).toBe(200);
    // Token requests count against the same address.
    const token = await rawRequest(
      worker.url,
      'POST',
      '/api/auth/token',
      JSON.stringify({ memberId: crypto.randomUUID(), nonce: 'x'.repeat(43), signature: 'A'.repeat(86) }),
    );
    expect(token.status).toBe(429);
    // Reads that are not sign-ins go on: GET /api/auth/me answers 401, not 429, and health answers.
    expect((await rawRequest(worker.url, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await rawRequest(worker.url, 'GET', '/api/health')).status).toBe(200);
  });
});
