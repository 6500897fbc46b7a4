// Security headers as the browser receives them from the running Worker: the web app (/, an asset,
// the manifest) under a strict first-party CSP with no inline script; the API under nosniff,
// no-referrer, same-origin resource policy and no-store; CORS not opened to any other origin.
import { describe, expect, inject, it } from 'vitest';
import { htmlProblems, parsePolicy, policyProblems } from '../security/headers.ts';

const baseUrl = inject('workerUrl');
const otherOrigin = 'https://attacker.invalid';

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(baseUrl + path, { headers, redirect: 'manual' });
  return { response, text: await response.text() };
}

function expectWebHeaders(headers: Headers, where: string) {
  const policy = headers.get('content-security-policy');
  expect(policy, where).toBeTruthy();
  expect(policyProblems(parsePolicy(policy!)), where).toEqual([]);
  expect(headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(headers.get('referrer-policy'), where).toBe('no-referrer');
  expect(headers.get('x-frame-options'), where).toBe('DENY');
  expect(headers.get('cross-origin-opener-policy'), where).toBe('same-origin');
  const permissions = headers.get('permissions-policy') ?? '';
  expect(permissions, where).toMatch(/camera=\(\)/);
  expect(permissions, where).toMatch(/microphone=\(\)/);
  expect(permissions, where).toMatch(/geolocation=\(self\)/);
}

describe('the web app', () => {
  it('serves / with a strict first-party CSP and a page without inline script or third-party URLs', async () => {
    const { response, text } = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectWebHeaders(response.headers, '/');
    const policy = parsePolicy(response.headers.get('content-security-policy')!);
    expect(policy.get('script-src')).toEqual(expect.arrayContaining(["'self'"]));
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('script-src')).not.toContain("'unsafe-eval'");
    expect(htmlProblems(text)).toEqual([]);
    expect(text).toMatch(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"/);
  });

  it('serves an asset and the manifest with the same headers and the right types', async () => {
    const { text: html } = await get('/');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    for (const [path, type] of [
      [script!, /javascript/],
      [style!, /text\/css/],
      ['/manifest.webmanifest', /manifest\+json|json/],
    ] as const) {
      const { response } = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(type);
      expectWebHeaders(response.headers, path);
    }
  });

  it('knows what it checks: a policy with inline script or a third-party origin is caught', () => {
    expect(
      policyProblems(
        parsePolicy(
          "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self' *",
        ),
      ),
    ).toEqual(["script-src allows 'unsafe-inline'", 'script-src allows https://cdn.example', 'connect-src allows *']);
    expect(
      htmlProblems('<script>alert(1)</script><img src=x onerror=alert(1)><script src="https://cdn.example/x.js"></script>'),
    ).toHaveLength(4);
  });
});

describe('the API', () => {
  for (const [path, status] of [
    ['/api/health', 200],
    ['/api/openapi.json', 200],
    ['/api/auth/me', 401],
    ['/api/no-such-route', 404],
  ] as const) {
    it(`answers ${path} as JSON with nosniff, no-referrer, same-origin resources and no-store`, async () => {
      const { response } = await get(path);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toMatch(/^(DENY|SAMEORIGIN)$/);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      expect(response.headers.get('cache-control')).toBe('no-store');
    });
  }
});

describe('CORS', () => {
  it('does not open the API or the app to another origin, on simple requests or preflights', async () => {
    for (const path of ['/api/health', '/api/auth/me', '/api/openapi.json', '/']) {
      const { response } = await get(path, { origin: otherOrigin });
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(response.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
    for (const path of ['/api/auth/token', '/api/orgs/AAAAAAAAAAAAAAAA/records']) {
      const preflight = await fetch(baseUrl + path, {
        method: 'OPTIONS',
        headers: {
          origin: otherOrigin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(preflight.headers.get('access-control-allow-methods'), path).toBeNull();
      expect(preflight.headers.get('access-control-allow-headers'), path).toBeNull();
      await preflight.body?.cancel();
    }
  });
});
