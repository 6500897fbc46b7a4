// Least privilege, route by route (issue 15, finding 4): every route the OpenAPI document names is
// listed here with the roles it serves, and each is called with no token, a field device's token
// and an officer's token on real workerd + D1. A field device gets what capture and sync need
// (who am I, its organisation and statement, pushing records) and the public hazard alerts; nothing
// else. On 0aea709 a field token read activation requests and their details, relay messages,
// arrangements, summaries, plans, the directory and the organisation's relationships (200 each).
// A route added without a line here fails the first test.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, invite, rawRequest, signIn, type Actor } from '../../scripts/lib/actors.ts';

const baseUrl = inject('workerUrl');

type Access = 'public' | 'member' | 'officer';
/** public: no token needed; member: officers and field devices; officer: officers only. */
const ACCESS: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/server-identity': 'public',
  'GET /api/demo/accounts': 'public',
  'POST /api/auth/challenge': 'public',
  'POST /api/auth/token': 'public',
  'POST /api/orgs': 'public',
  'POST /api/invitations/accept': 'public',

  'GET /api/auth/me': 'member',
  'POST /api/auth/logout': 'member',
  'GET /api/orgs/{orgId}': 'member',
  'GET /api/orgs/{orgId}/roster': 'member',
  'POST /api/orgs/{orgId}/records': 'member',
  'GET /api/alerts': 'member',

  'GET /api/orgs': 'officer',
  'PATCH /api/orgs/{orgId}/settings': 'officer',
  'GET /api/orgs/{orgId}/relationships': 'officer',
  'PUT /api/orgs/{orgId}/relationships/{requesterOrgId}': 'officer',
  'DELETE /api/orgs/{orgId}/relationships/{requesterOrgId}': 'officer',
  'GET /api/orgs/{orgId}/members': 'officer',
  'POST /api/orgs/{orgId}/invitations': 'officer',
  'GET /api/orgs/{orgId}/roster/proposal': 'officer',
  'DELETE /api/orgs/{orgId}/roster/proposal': 'officer',
  'POST /api/orgs/{orgId}/roster/proposal/cosign': 'officer',
  'PUT /api/orgs/{orgId}/members/{memberId}/org-key': 'officer',
  'PUT /api/orgs/{orgId}/members/{memberId}/statement': 'officer',
  'POST /api/orgs/{orgId}/rotation': 'officer',
  'GET /api/orgs/{orgId}/rotation': 'officer',
  'DELETE /api/orgs/{orgId}/members/{memberId}': 'officer',
  'GET /api/orgs/{orgId}/records': 'officer',
  'PUT /api/orgs/{orgId}/records/slots': 'officer',
  'GET /api/orgs/{orgId}/records/stats': 'officer',
  'POST /api/orgs/{orgId}/summaries': 'officer',
  'GET /api/orgs/{orgId}/summaries': 'officer',
  'POST /api/activations': 'officer',
  'GET /api/activations': 'officer',
  'GET /api/activations/{hash}': 'officer',
  'POST /api/activations/{hash}/decisions': 'officer',
  'POST /api/activations/{hash}/releases': 'officer',
  'POST /api/activations/{hash}/releases/{releaseId}/download': 'officer',
  'POST /api/activations/{hash}/releases/{releaseId}/revoke': 'officer',
  'POST /api/arrangements': 'officer',
  'GET /api/arrangements': 'officer',
  'GET /api/arrangements/{id}': 'officer',
  'POST /api/arrangements/{id}/accept': 'officer',
  'PUT /api/arrangements/{id}/copy': 'officer',
  'POST /api/arrangements/{id}/cosign': 'officer',
  'POST /api/arrangements/{id}/activate': 'officer',
  'POST /api/arrangements/{id}/veto': 'officer',
  'POST /api/arrangements/{id}/key-share': 'officer',
  'GET /api/arrangements/{id}/copy': 'officer',
  'POST /api/plans': 'officer',
  'GET /api/plans': 'officer',
  'GET /api/plans/{planId}': 'officer',
  'GET /api/plans/{planId}/versions/{version}': 'officer',
  'POST /api/plans/{planId}/versions': 'officer',
  'POST /api/plans/{planId}/versions/{version}/signoffs': 'officer',
  'GET /api/alerts/feeds': 'officer',
  'POST /api/alerts/feeds': 'officer',
  'DELETE /api/alerts/feeds/{feedId}': 'officer',
  'POST /api/alerts/feeds/{feedId}/poll': 'officer',
  'POST /api/alerts': 'officer',
  'POST /api/relays': 'officer',
  'GET /api/relays': 'officer',
  'GET /api/relays/{hash}': 'officer',
  'POST /api/relays/{hash}/decisions': 'officer',
  'POST /api/relays/{hash}/report': 'officer',
};

let officer: Actor;
let field: Actor;
let routes: string[];
const LOGOUT = 'POST /api/auth/logout';

beforeAll(async () => {
  officer = await createOrg(baseUrl, { name: 'Least privilege CSO' });
  field = await invite(officer, 'field', 'field phone');
  const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
  // Ending the token comes last, or every call after it would be 401.
  routes = [...documented.filter((route) => route !== LOGOUT), ...documented.filter((route) => route === LOGOUT)];
});

/** A concrete URL for a documented path: the caller's own org, made-up ids elsewhere (nothing is found or changed). */
function concrete(path: string): string {
  return path
    .replace('{orgId}', officer.orgId)
    .replace('{hash}', 'ab'.repeat(32))
    .replace('{version}', '1')
    .replace(/\{(memberId|requesterOrgId|id|planId|releaseId|feedId)\}/g, () => crypto.randomUUID());
}

async function call(route: string, token?: string) {
  const [method, path] = route.split(' ') as [string, string];
  return rawRequest(
    baseUrl,
    method,
    concrete(path),
    method === 'GET' ? undefined : '{}',
    token ? { authorization: `Bearer ${token}` } : {},
  );
}

const refusedForRole = (response: { status: number; json: { error?: { message: string } } }) =>
  response.status === 403 && /this needs the .* role/.test(response.json.error?.message ?? '');

describe('route × role', () => {
  it('every documented route is in the matrix, and the matrix names no other', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((route) => !(route in ACCESS))).toEqual([]);
    expect(Object.keys(ACCESS).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('without a token: every route but the public ones answers 401', async () => {
    for (const route of routes) {
      const response = await call(route);
      if (ACCESS[route] === 'public') expect(response.status, route).not.toBe(401);
      else expect(response.status, route).toBe(401);
    }
  });

  it('a field device reaches what capture and sync need, and is refused every officer route by its role', async () => {
    const token = await signIn(field);
    const refused: string[] = [];
    for (const route of routes.filter((route) => ACCESS[route] !== 'public')) {
      const response = await call(route, token);
      expect(response.status, route).not.toBe(401);
      if (refusedForRole(response)) refused.push(route);
      if (ACCESS[route] === 'officer')
        expect(response.json.error?.message, route).toMatch(/needs the officer role; you are signed in as field/);
    }
    expect(refused.sort()).toEqual(routes.filter((route) => ACCESS[route] === 'officer').sort());
  });

  it('an officer is refused no route by its role', async () => {
    const token = await signIn(officer);
    for (const route of routes.filter((route) => ACCESS[route] !== 'public')) {
      const response = await call(route, token);
      expect(response.status, route).not.toBe(401);
      expect(refusedForRole(response), `${route}: ${response.status} ${response.text.slice(0, 200)}`).toBe(false);
    }
  });
});
