// The API on real workerd with a real local D1: organisations, sign-in, sync of sealed records,
// validation and access control.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createRecordOpener, fromBase64, openJson, openSealingSession, sealJson, sign, toBase64 } from '#crypto';
import { authMessage, createOrgMessage } from '#crypto/protocol';
import { ROSTER_V2_PURPOSE } from '#crypto/roster';
import { client, createOrg, invite, rawRequest, signIn, type Actor } from '../../scripts/lib/actors.ts';

const baseUrl = inject('workerUrl');

let cso: Actor;
let field: Actor;
let other: Actor;

beforeAll(async () => {
  cso = await createOrg(baseUrl, { name: 'Migrant Workers Network Libya' });
  field = await invite(cso, 'field');
  other = await createOrg(baseUrl, { name: 'Another CSO' });
});

describe('health and documents', () => {
  it('answers /api/health', async () => {
    const response = await rawRequest(baseUrl, 'GET', '/api/health');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: true });
  });

  it('serves an OpenAPI 3.1 document naming every route', async () => {
    const { json } = await rawRequest(baseUrl, 'GET', '/api/openapi.json');
    expect(json.openapi).toBe('3.1.0');
    const paths = Object.keys(json.paths as object);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/server-identity',
        '/api/auth/challenge',
        '/api/auth/token',
        '/api/auth/me',
        '/api/orgs',
        '/api/orgs/{orgId}/records',
        '/api/invitations/accept',
      ]),
    );
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await rawRequest(baseUrl, 'GET', '/api/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.json.error?.code).toBe('not_found');
  });

  it('serves the web client with a strict content security policy', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<script type="module"');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
  });
});

/** A well-formed version 1 statement for a create request (its signature is never reached in these tests). */
function unsignedRoster(request: {
  id: string;
  approvalsRequired: number;
  publicKey: string;
  founder: { id: string; signPublicKey: string; boxPublicKey: string };
}) {
  const { founder } = request;
  return {
    statement: {
      purpose: ROSTER_V2_PURPOSE,
      orgId: request.id,
      version: 1,
      previous: null,
      approvalsRequired: request.approvalsRequired,
      officers: [{ memberId: founder.id, signPublicKey: founder.signPublicKey, boxPublicKey: founder.boxPublicKey }],
      orgPublicKey: request.publicKey,
    },
    signerId: founder.id,
    signature: toBase64(new Uint8Array(64)),
  };
}

describe('organisations', () => {
  it('refuses an organisation whose founder signature does not match its keys', async () => {
    const impostor = await createOrg(baseUrl); // only for a valid-looking key pair
    const request = {
      id: crypto.randomUUID(),
      kind: 'cso',
      name: 'Forged',
      nationalities: [],
      publicKey: toBase64(impostor.orgPublicKey),
      approvalsRequired: 2,
      founder: {
        id: crypto.randomUUID(),
        label: 'x',
        signPublicKey: toBase64(cso.keys.signPublicKey), // someone else's key
        boxPublicKey: toBase64(impostor.keys.boxPublicKey),
        wrappedOrgKey: toBase64(new Uint8Array(80)),
      },
    };
    const signature = toBase64(sign(createOrgMessage(request), impostor.keys));
    const response = await rawRequest(
      baseUrl,
      'POST',
      '/api/orgs',
      JSON.stringify({ request, signature, roster: unsignedRoster(request) }),
    );
    expect(response.status).toBe(401);
    expect(response.json.error?.message).toMatch(/signature/);
  });

  it('refuses a weak (small-order) signing key, whose signatures anyone could forge', async () => {
    const identityPoint = new Uint8Array(32);
    identityPoint[0] = 1;
    const request = {
      id: crypto.randomUUID(),
      kind: 'cso',
      name: 'Weak key',
      nationalities: [],
      publicKey: toBase64(cso.orgPublicKey),
      approvalsRequired: 1,
      founder: {
        id: crypto.randomUUID(),
        label: 'x',
        signPublicKey: toBase64(identityPoint),
        boxPublicKey: toBase64(cso.keys.boxPublicKey),
        wrappedOrgKey: toBase64(new Uint8Array(80)),
      },
    };
    const response = await rawRequest(
      baseUrl,
      'POST',
      '/api/orgs',
      JSON.stringify({ request, signature: toBase64(new Uint8Array(64)), roster: unsignedRoster(request) }),
    );
    expect(response.status).toBe(400);
    expect(response.json.error?.message).toMatch(/weak Ed25519 key/);
  });

  it('refuses a consulate that names no nationality, saying why', async () => {
    await expect(createOrg(baseUrl, { kind: 'consulate', nationalities: [] })).rejects.toThrow(/nationalities/);
  });

  it('tells exactly which field is wrong', async () => {
    const response = await rawRequest(baseUrl, 'POST', '/api/orgs', JSON.stringify({ request: { kind: 'bank' }, signature: 'x' }));
    expect(response.status).toBe(400);
    expect(response.json.error?.code).toBe('invalid_request');
    expect(response.json.error?.message).toMatch(/body\.request\.(id|kind)/);
  });
});

describe('sign-in', () => {
  it('gives a token for a signed challenge and says who the caller is', async () => {
    const token = await signIn(cso);
    const me = await (await client(baseUrl, token).api.auth.me.$get()).json();
    expect(me).toMatchObject({ member: { id: cso.memberId, role: 'officer' }, org: { id: cso.orgId } });
    expect('wrappedOrgKey' in me && typeof me.wrappedOrgKey).toBe('string');
  });

  it('refuses a signature by another key', async () => {
    const anonymous = client(baseUrl);
    const challenge = await (await anonymous.api.auth.challenge.$post({ json: { memberId: cso.memberId } })).json();
    if (!('nonce' in challenge)) throw new Error('no nonce');
    const forged = toBase64(sign(authMessage(cso.memberId, challenge.nonce), other.keys));
    const response = await anonymous.api.auth.token.$post({ json: { memberId: cso.memberId, nonce: challenge.nonce, signature: forged } });
    expect(response.status).toBe(401);
  });

  it('refuses a replayed challenge', async () => {
    const anonymous = client(baseUrl);
    const challenge = await (await anonymous.api.auth.challenge.$post({ json: { memberId: cso.memberId } })).json();
    if (!('nonce' in challenge)) throw new Error('no nonce');
    const signature = toBase64(sign(authMessage(cso.memberId, challenge.nonce), cso.keys));
    const body = { json: { memberId: cso.memberId, nonce: challenge.nonce, signature } };
    expect((await anonymous.api.auth.token.$post(body)).status).toBe(200);
    expect((await anonymous.api.auth.token.$post(body)).status).toBe(401);
  });

  it('refuses requests without a token, with a made-up token, or with a malformed header', async () => {
    const path = `/api/orgs/${cso.orgId}/records`;
    expect((await rawRequest(baseUrl, 'GET', path)).status).toBe(401);
    expect((await rawRequest(baseUrl, 'GET', path, undefined, { authorization: `Bearer ${'A'.repeat(43)}` })).status).toBe(401);
    const malformed = await rawRequest(baseUrl, 'GET', path, undefined, { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    expect(malformed.json.error?.message).toMatch(/Bearer/);
  });
});

describe('sync of sealed records', () => {
  function sealCommunities(actor: Actor, count: number, prefix: string) {
    const session = openSealingSession(actor.orgId, actor.orgPublicKey);
    return Array.from({ length: count }, (_, index) => {
      const id = crypto.randomUUID();
      const body = { kind: 'community', name: `${prefix} ${index}`, headcount: index + 1 };
      return { id, version: 1, envelope: toBase64(sealJson(session, id, 1, body)), body };
    });
  }

  it('lets a field device push and an officer pull and open what it pushed', async () => {
    const sealed = sealCommunities(field, 25, 'Derna site');
    const fieldToken = await signIn(field);
    const push = await client(baseUrl, fieldToken).api.orgs[':orgId'].records.$post({
      param: { orgId: field.orgId },
      json: { records: sealed.map(({ id, version, envelope }) => ({ id, version, envelope })) },
    });
    expect(push.status).toBe(200);
    expect(await push.json()).toEqual({ received: 25, stored: 25, duplicates: 0 });

    const officerToken = await signIn(cso);
    const page = await (
      await client(baseUrl, officerToken).api.orgs[':orgId'].records.$get({
        param: { orgId: cso.orgId },
        query: { after: '0', limit: '1000' },
      })
    ).json();
    if (!('records' in page)) throw new Error(JSON.stringify(page));
    const opener = createRecordOpener(cso.orgId, cso.orgKeys!);
    const opened = new Map(
      page.records.map((record) => [record.id, openJson(opener, record.id, record.version, fromBase64(record.envelope))]),
    );
    for (const record of sealed) expect(opened.get(record.id)).toEqual(record.body);
  });

  it('is idempotent: replaying a push stores nothing twice', async () => {
    const sealed = sealCommunities(field, 10, 'Replay').map(({ id, version, envelope }) => ({ id, version, envelope }));
    const api = client(baseUrl, await signIn(field)).api.orgs[':orgId'].records;
    const first = await (await api.$post({ param: { orgId: field.orgId }, json: { records: sealed } })).json();
    const second = await (await api.$post({ param: { orgId: field.orgId }, json: { records: sealed } })).json();
    expect(first).toEqual({ received: 10, stored: 10, duplicates: 0 });
    expect(second).toEqual({ received: 10, stored: 0, duplicates: 10 });
  });

  it('keeps both when two devices push different version-2 edits of one record', async () => {
    const [original] = sealCommunities(field, 1, 'Conflict');
    const sessionA = openSealingSession(field.orgId, field.orgPublicKey);
    const sessionB = openSealingSession(field.orgId, field.orgPublicKey);
    const editA = toBase64(sealJson(sessionA, original!.id, 2, { name: 'edit on device A' }));
    const editB = toBase64(sealJson(sessionB, original!.id, 2, { name: 'edit on device B' }));
    const api = client(baseUrl, await signIn(field)).api.orgs[':orgId'].records;
    for (const envelope of [original!.envelope, editA, editB]) {
      const version = envelope === original!.envelope ? 1 : 2;
      expect(
        (await api.$post({ param: { orgId: field.orgId }, json: { records: [{ id: original!.id, version, envelope }] } })).status,
      ).toBe(200);
    }
    const page = await (
      await client(baseUrl, await signIn(cso)).api.orgs[':orgId'].records.$get({ param: { orgId: cso.orgId }, query: {} })
    ).json();
    if (!('records' in page)) throw new Error(JSON.stringify(page));
    const versions = page.records.filter((record) => record.id === original!.id).map((record) => record.version);
    expect(versions.sort()).toEqual([1, 2, 2]);
  });

  it('refuses a field device asking for the org records', async () => {
    const response = await client(baseUrl, await signIn(field)).api.orgs[':orgId'].records.$get({
      param: { orgId: field.orgId },
      query: {},
    });
    expect(response.status).toBe(403);
  });

  it("refuses another organisation's officer, for reading and for writing", async () => {
    const token = await signIn(other);
    const read = await client(baseUrl, token).api.orgs[':orgId'].records.$get({ param: { orgId: cso.orgId }, query: {} });
    expect(read.status).toBe(403);
    const [record] = sealCommunities(other, 1, 'Intruder');
    const write = await client(baseUrl, token).api.orgs[':orgId'].records.$post({
      param: { orgId: cso.orgId },
      json: { records: [{ id: record!.id, version: 1, envelope: record!.envelope }] },
    });
    expect(write.status).toBe(403);
  });

  it('refuses a batch with one bad record and stores none of it', async () => {
    const token = await signIn(field);
    const before = await (
      await client(baseUrl, await signIn(cso)).api.orgs[':orgId'].records.stats.$get({ param: { orgId: cso.orgId } })
    ).json();
    const good = sealCommunities(field, 3, 'Batch').map(({ id, version, envelope }) => ({ id, version, envelope }));
    const bad = [...good, { id: crypto.randomUUID(), version: 1, envelope: 'not base64!!' }];
    const response = await rawRequest(baseUrl, 'POST', `/api/orgs/${field.orgId}/records`, JSON.stringify({ records: bad }), {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(400);
    expect(response.json.error?.message).toMatch(/records\.3\.envelope/);
    const after = await (
      await client(baseUrl, await signIn(cso)).api.orgs[':orgId'].records.stats.$get({ param: { orgId: cso.orgId } })
    ).json();
    expect(after).toEqual(before);
  });
});

describe('invitations', () => {
  it('cannot be used twice', async () => {
    const token = await signIn(cso);
    const created = await (
      await client(baseUrl, token).api.orgs[':orgId'].invitations.$post({
        param: { orgId: cso.orgId },
        json: { role: 'field', expiresInHours: 1 },
      })
    ).json();
    if (!('code' in created)) throw new Error('no code');
    // First use through the helper flow, then a second device tries the same code.
    const { generateMemberKeys } = await import('#crypto');
    const { acceptInvitationMessage } = await import('#crypto/protocol');
    const attempt = async () => {
      const keys = generateMemberKeys();
      const request = {
        code: created.code,
        orgId: cso.orgId,
        member: {
          id: crypto.randomUUID(),
          label: 'phone',
          signPublicKey: toBase64(keys.signPublicKey),
          boxPublicKey: toBase64(keys.boxPublicKey),
        },
      };
      return client(baseUrl).api.invitations.accept.$post({
        json: { request, signature: toBase64(sign(acceptInvitationMessage(request), keys)) },
      });
    };
    expect((await attempt()).status).toBe(201);
    const second = await attempt();
    expect(second.status).toBe(409);
  });

  it('only officers can invite', async () => {
    const response = await client(baseUrl, await signIn(field)).api.orgs[':orgId'].invitations.$post({
      param: { orgId: field.orgId },
      json: { role: 'officer', expiresInHours: 1 },
    });
    expect(response.status).toBe(403);
  });
});

describe('removing a member', () => {
  it('ends its sessions at once and tells its device to wipe itself', async () => {
    const phone = await invite(cso, 'field', 'lost phone');
    const phoneToken = await signIn(phone);
    const officerApi = client(baseUrl, await signIn(cso)).api.orgs[':orgId'].members[':memberId'];
    const removed = await officerApi.$delete({ param: { orgId: cso.orgId, memberId: phone.memberId }, json: {} });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ status: 'revoked' });

    const push = await rawRequest(baseUrl, 'POST', `/api/orgs/${cso.orgId}/records`, JSON.stringify({ records: [] }), {
      authorization: `Bearer ${phoneToken}`,
    });
    expect(push.status).toBe(401);
    expect(push.json.error?.code).toBe('member_revoked');
    await expect(signIn(phone)).rejects.toThrow(/member_revoked/);
    expect((await officerApi.$delete({ param: { orgId: cso.orgId, memberId: phone.memberId }, json: {} })).status).toBe(409);
  });

  it('refuses to remove the last officer, and refuses field devices removing anyone', async () => {
    const officerApi = client(baseUrl, await signIn(other)).api.orgs[':orgId'].members[':memberId'];
    const last = await officerApi.$delete({ param: { orgId: other.orgId, memberId: other.memberId }, json: {} });
    expect(last.status).toBe(409);
    const fieldApi = client(baseUrl, await signIn(field)).api.orgs[':orgId'].members[':memberId'];
    expect((await fieldApi.$delete({ param: { orgId: cso.orgId, memberId: cso.memberId }, json: {} })).status).toBe(403);
  });
});
