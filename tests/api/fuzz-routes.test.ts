// Fuzzing every operation of /api/openapi.json with hostile input, with and without a valid token,
// on its own Worker and database: every answer is a 4xx in the one error shape with a message naming
// the problem, never a 5xx, and no table changes (rate-limit counters aside, which count by design).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, signIn, type Actor } from '../../scripts/lib/actors.ts';
import { startWorker, type RunningWorker } from '../../scripts/worker-process.ts';
import { tableDigests } from '../faults/d1.ts';
import { casesFor, goodRequest, operationsOf, type FuzzCase, type OpenApiDocument } from '../fuzz/inputs.ts';

const SEED = 'fuzz-2026-issue-8';
const CASES_PER_OPERATION = 70;
const CONCURRENCY = 6;

let worker: RunningWorker;
let persistTo: string;
let officer: Actor;
let token: string;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-fuzz-'));
  worker = await startWorker({ persistTo, quiet: true });
  officer = await createOrg(worker.url, { name: 'Fuzzed CSO' });
  token = await signIn(officer);
});

afterAll(async () => {
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

interface Outcome {
  fuzzCase: FuzzCase;
  authorization: string | null;
  status: number;
  text: string;
  expected: RegExp;
}

async function send(fuzzCase: FuzzCase, authorization: string | null, expected: RegExp): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (fuzzCase.contentType) headers['content-type'] = fuzzCase.contentType;
  if (authorization) headers['authorization'] = authorization;
  const response = await fetch(worker.url + fuzzCase.path, { method: fuzzCase.operation.method, headers, ...(fuzzCase.body !== null ? { body: fuzzCase.body } : {}) });
  return { fuzzCase, authorization, status: response.status, text: await response.text(), expected };
}

/** Why an answer is wrong, or null when it is a proper refusal. */
function problemWith(outcome: Outcome): string | null {
  if (outcome.status < 400 || outcome.status >= 500) return `status ${outcome.status}`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return `not JSON: ${outcome.text.slice(0, 80)}`;
  }
  if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string' || body.error.message.length < 8) return `not the error shape: ${outcome.text.slice(0, 120)}`;
  if (!outcome.expected.test(body.error.message)) return `message "${body.error.message.slice(0, 160)}" does not name the problem (${outcome.expected})`;
  return null;
}

async function inPool<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

describe('fuzzing every API operation', () => {
  it('refuses every hostile input with a 4xx naming the problem, and stores nothing', async () => {
    const document = (await (await fetch(`${worker.url}/api/openapi.json`)).json()) as OpenApiDocument;
    const { operations, resolve } = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(12);
    const before = tableDigests(persistTo, { except: ['rate_limits'] });

    const ids = { orgId: officer.orgId, memberId: officer.memberId };
    const bearer = `Bearer ${token}`;
    const forgedTokens = [
      'Bearer',
      `Bearer ${'A'.repeat(43)}`,
      `Bearer ${token.slice(0, -1)}B`.replace(/BB$/, 'BC'),
      `bearer ${token}`,
      `Bearer ${token} ${token}`,
      `Bearer ${token}=`,
      `Bearer ${'\u00ff'.repeat(43)}`,
      `Bearer ${'A'.repeat(8_000)}`,
      `Basic ${Buffer.from(`${officer.memberId}:${token}`).toString('base64')}`,
      `Bearer ${Buffer.from(token).toString('hex').slice(0, 43)}`,
    ];
    const runs: { fuzzCase: FuzzCase; authorization: string | null; expected: RegExp }[] = [];
    const tried = new Map<string, number>();
    for (const operation of operations) {
      const cases = casesFor(operation, resolve, ids, `${SEED} ${operation.method} ${operation.path}`, CASES_PER_OPERATION);
      for (const fuzzCase of cases) {
        tried.set(fuzzCase.kind, (tried.get(fuzzCase.kind) ?? 0) + 1);
        if (operation.protected) {
          runs.push({ fuzzCase, authorization: bearer, expected: fuzzCase.message });
          // Without a token the answer is 401, or 404 where the id broke the path into another route,
          // or 413 where a body limit runs before authentication.
          const alternative = { 'path traversal in ids': '|no route', 'huge body': '|MiB|at most' }[fuzzCase.kind] ?? '';
          runs.push({ fuzzCase, authorization: null, expected: new RegExp(`Bearer${alternative}`) });
        } else {
          runs.push({ fuzzCase, authorization: null, expected: fuzzCase.message });
        }
      }
      if (operation.protected) {
        // The near-valid request (never sent with a valid token) under forged tokens.
        const good = goodRequest(operation, resolve, ids);
        const body = good.base === null ? null : JSON.stringify(good.base);
        const plain = { operation, kind: 'forged tokens', detail: '', path: good.url, contentType: body === null ? null : 'application/json', body, message: /Bearer|token|sign in/ };
        for (const forged of forgedTokens) {
          tried.set('forged tokens', (tried.get('forged tokens') ?? 0) + 1);
          runs.push({ fuzzCase: { ...plain, detail: forged.slice(0, 24) }, authorization: forged, expected: /Bearer|token is not known|sign in/ });
        }
      }
    }

    const outcomes = await inPool(runs, (run) => send(run.fuzzCase, run.authorization, run.expected));
    const problems = outcomes.flatMap((outcome) => {
      const problem = problemWith(outcome);
      const who = outcome.authorization === bearer ? 'with token' : outcome.authorization ? 'forged token' : 'no token';
      return problem ? [`${outcome.fuzzCase.operation.method} ${outcome.fuzzCase.operation.path} [${outcome.fuzzCase.kind}: ${outcome.fuzzCase.detail}] ${who}: ${problem}`] : [];
    });
    const statuses = Object.fromEntries([...new Set(outcomes.map((outcome) => outcome.status))].sort().map((status) => [status, outcomes.filter((outcome) => outcome.status === status).length]));
    console.log(`fuzz (seed "${SEED}"): ${outcomes.length} requests over ${operations.length} operations; kinds ${JSON.stringify(Object.fromEntries(tried))}; statuses ${JSON.stringify(statuses)}`);

    expect(problems.slice(0, 30)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(600);
    for (const kind of ['malformed JSON', 'wrong types', 'missing fields', 'huge body', 'deep nesting', 'wrong content type', 'bad base64', 'oversize ciphertext', 'unicode junk', 'path traversal in ids', 'wrong query', 'forged tokens']) {
      expect(tried.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
    expect(tableDigests(persistTo, { except: ['rate_limits'] })).toEqual(before);
  });
});
