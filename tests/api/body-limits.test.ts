// Limits on every body and on the records page (issue 15, finding 6), on real workerd + D1. On
// 9fb23ef only seven routes had a body limit (any other took whatever was sent: 3 MiB to each
// answered 400 or 401 after reading it all), and a records pull could return up to 10,000
// envelopes of 256 KiB in one answer.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openSealingSession, sealJson, toBase64 } from '#crypto';
import { DEFAULT_MAX_BODY, OWN_BODY_LIMIT } from '../../api/src/middleware/default-body-limit.ts';
import { MAX_PAGE_BYTES } from '../../api/src/db/records.ts';
import { admitFieldDevice, client, createOrg, invite, rawRequest, signIn, type Actor } from '../../scripts/lib/actors.ts';

const baseUrl = inject('workerUrl');
let routes: string[];

beforeAll(async () => {
  const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
});

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, () => crypto.randomUUID());

describe('body limits', () => {
  it(`refuses a body over ${DEFAULT_MAX_BODY / 1024 / 1024} MiB on every route that takes one, unless the route sets its own larger limit`, async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(DEFAULT_MAX_BODY + 1024) });
    const withBody = routes.filter((route) => !route.startsWith('GET '));
    expect(withBody.length).toBeGreaterThan(30);
    const own: string[] = [];
    for (const route of withBody) {
      const [method, path] = route.split(' ') as [string, string];
      const url = concrete(path);
      const response = await rawRequest(baseUrl, method, url, big, { 'cf-connecting-ip': `127.9.${withBody.indexOf(route)}.1` });
      if (OWN_BODY_LIMIT.some((entry) => entry.method === method && entry.path.test(url))) {
        own.push(route);
        // Their own limit decides (larger, or an alert's 2 MiB of CAP plus the JSON around it): never this default's answer.
        expect(response.json.error?.message ?? '', route).not.toMatch(/a request body is at most 2 MiB here/);
      } else {
        expect(response.status, route).toBe(413);
        expect(response.json.error?.code, route).toBe('payload_too_large');
      }
    }
    // Every exception in the list is a documented route (no stale pattern lets a route through).
    expect(own.length).toBe(OWN_BODY_LIMIT.length + 1); // POST /api/plans and POST /api/plans/{planId}/versions share a pattern
  });
});

describe('the records page', () => {
  let officer: Actor;
  beforeAll(async () => {
    officer = await createOrg(baseUrl, { name: 'Big records CSO' });
    const phone = await admitFieldDevice(officer, await invite(officer, 'field'));
    const sealing = openSealingSession(phone.orgId, phone.orgPublicKey, phone.keys);
    const records = Array.from({ length: 48 }, () => {
      const id = crypto.randomUUID();
      return { id, version: 1, envelope: toBase64(sealJson(sealing, id, 1, { id, notes: 'n'.repeat(200 * 1024) })) };
    });
    for (let start = 0; start < records.length; start += 16) {
      const pushed = await client(baseUrl, await signIn(phone)).api.orgs[':orgId'].records.$post({
        param: { orgId: phone.orgId },
        json: { records: records.slice(start, start + 16) },
      });
      expect(pushed.status).toBe(200);
    }
  });

  it(`stops a page at about ${MAX_PAGE_BYTES / 1024 / 1024} MiB of envelopes and says there is more; following the cursor gets every record once`, async () => {
    const api = client(baseUrl, await signIn(officer)).api.orgs[':orgId'].records;
    const seen: string[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const page = (await (
        await api.$get({ param: { orgId: officer.orgId }, query: { after: String(after), limit: '10000' } })
      ).json()) as { records: { id: string; envelope: string }[]; cursor: number; more: boolean };
      pages++;
      const bytes = page.records.reduce((sum, record) => sum + Buffer.from(record.envelope, 'base64url').length, 0);
      expect(bytes).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      seen.push(...page.records.map((record) => record.id));
      after = page.cursor;
      if (!page.more) break;
    }
    expect(pages).toBeGreaterThanOrEqual(2); // 48 envelopes of about 200 KiB are more than one page
    expect(seen).toHaveLength(48);
    expect(new Set(seen).size).toBe(48);
  });
});
