// A few organisation routes called on the Hono app itself, app.request(path, init, env), with the
// bindings of a real D1 (tests/support/d1.ts): the routers, their validation, the auth middleware
// and the shared error answers, without a running Worker. The whole API is tested as a Worker in tests/api/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '#crypto/encoding';
import { acceptInvitationMessage } from '#crypto/protocol';
import { app } from '../../api/src/app.ts';
import { findInvitation } from '../../api/src/db/invitations.ts';
import { findMember, insertMemberStatement, insertOrgStatement } from '../../api/src/db/orgs.ts';
import { upsertRelationship } from '../../api/src/db/relationships.ts';
import { createSession } from '../../api/src/db/sessions.ts';
import { sha256Hex } from '../../api/src/util.ts';
import { localD1, type LocalD1 } from '../support/d1.ts';

let d1: LocalD1;
const createdAt = '2026-12-01T10:00:00.000Z';
const tokens: Record<string, string> = {};
const random32 = () => toBase64(crypto.getRandomValues(new Uint8Array(32)));

async function addOrg(id: string, kind: 'cso' | 'consulate', members: { id: string; role: 'officer' | 'field' }[]) {
  const db = d1.db;
  await db.batch([
    insertOrgStatement(
      db,
      { id, kind, name: `Org ${id}`, country: null, nationalities: '["SD"]', public_key: random32(), approvals_required: 1 },
      createdAt,
    ),
    ...members.map((member) =>
      insertMemberStatement(
        db,
        {
          id: member.id,
          org_id: id,
          label: `Device ${member.id}`,
          role: member.role,
          sign_public_key: random32(),
          box_public_key: random32(),
          wrapped_org_key: null,
        },
        createdAt,
      ),
    ),
  ]);
  for (const member of members) tokens[member.id] = (await createSession(db, member.id, id)).token;
}

/** A request to the app with the D1 bindings, as `member` when one is named. */
function call(path: string, init: { method?: string; body?: unknown; as?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.as) headers.authorization = `Bearer ${tokens[init.as]}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return app.request(
    path,
    { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) },
    d1.env,
  );
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
}

beforeAll(async () => {
  d1 = await localD1();
  await addOrg('cso-relief', 'cso', [
    { id: 'officer-relief', role: 'officer' },
    { id: 'field-relief', role: 'field' },
  ]);
  await addOrg('consulate-sudan', 'consulate', [{ id: 'officer-sudan', role: 'officer' }]);
});
afterAll(async () => {
  await d1?.dispose();
});

describe('invitations through the app', () => {
  it('lets an officer invite, stores only the hash of the code, and refuses a field device or nobody', async () => {
    const response = await call('/api/orgs/cso-relief/invitations', {
      method: 'POST',
      as: 'officer-relief',
      body: { role: 'field', expiresInHours: 1 },
    });
    expect(response.status).toBe(201);
    const { code, role, expiresAt } = (await response.json()) as { code: string; role: string; expiresAt: string };
    expect(role).toBe('field');
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    expect(await findInvitation(d1.db, await sha256Hex(code))).toMatchObject({ org_id: 'cso-relief', role: 'field', used_by: null });
    expect(await findInvitation(d1.db, code)).toBeNull();

    expect(
      await errorOf(await call('/api/orgs/cso-relief/invitations', { method: 'POST', as: 'field-relief', body: { role: 'field' } })),
    ).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect(await errorOf(await call('/api/orgs/cso-relief/invitations', { method: 'POST', body: { role: 'field' } }))).toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
    // Another organisation's officer cannot invite into this one.
    expect(
      (await call('/api/orgs/cso-relief/invitations', { method: 'POST', as: 'officer-sudan', body: { role: 'officer' } })).status,
    ).toBe(403);
    const invalid = await errorOf(
      await call('/api/orgs/cso-relief/invitations', { method: 'POST', as: 'officer-relief', body: { role: 'admin' } }),
    );
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_request', message: expect.stringMatching(/^body\.role: /) });
  });

  it('lets a device join once with the code and its own signature', async () => {
    const invited = await call('/api/orgs/cso-relief/invitations', { method: 'POST', as: 'officer-relief', body: { role: 'field' } });
    const { code } = (await invited.json()) as { code: string };
    const join = async (memberId: string, sign: 'own' | 'other' = 'own') => {
      const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const request = {
        code,
        orgId: 'cso-relief',
        member: {
          id: memberId,
          label: `Phone ${memberId}`,
          signPublicKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey))),
          boxPublicKey: random32(),
        },
      };
      const signer = sign === 'own' ? keys.privateKey : other.privateKey;
      const signature = toBase64(
        new Uint8Array(await crypto.subtle.sign('Ed25519', signer, new Uint8Array(acceptInvitationMessage(request)))),
      );
      return call('/api/invitations/accept', { method: 'POST', body: { request, signature } });
    };

    expect(await errorOf(await join('phone-0000', 'other'))).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await findMember(d1.db, 'phone-0000')).toBeNull();

    const joined = await join('phone-0001');
    expect(joined.status).toBe(201);
    const body = (await joined.json()) as { org: { id: string }; member: { id: string; role: string; hasOrgKey: boolean } };
    expect(body.org.id).toBe('cso-relief');
    expect(body.member).toMatchObject({ id: 'phone-0001', role: 'field', hasOrgKey: false });

    const again = await errorOf(await join('phone-0002'));
    expect(again).toMatchObject({ status: 409, code: 'conflict' });
    expect(await findMember(d1.db, 'phone-0002')).toBeNull();

    const members = await call('/api/orgs/cso-relief/members', { as: 'officer-relief' });
    expect(members.status).toBe(200);
    const { members: listed } = (await members.json()) as { members: { id: string }[] };
    expect(listed.map((member) => member.id)).toEqual(expect.arrayContaining(['officer-relief', 'field-relief', 'phone-0001']));
    expect(listed.map((member) => member.id)).not.toContain('phone-0002');
  });
});

describe('partners and the statement chain through the app', () => {
  it('hides the chain from an unrelated organisation, as if unknown, and shows it once they work together', async () => {
    const hidden = await errorOf(await call('/api/orgs/cso-relief/roster', { as: 'officer-sudan' }));
    expect(hidden).toMatchObject({ status: 404, code: 'not_found' });
    expect(await errorOf(await call('/api/orgs/nowhere-org/roster', { as: 'officer-sudan' }))).toMatchObject(hidden);

    await upsertRelationship(d1.db, {
      csoOrgId: 'cso-relief',
      requesterOrgId: 'consulate-sudan',
      createdBy: 'officer-relief',
      createdAt,
      partner: '{}',
    });
    const shown = await call('/api/orgs/cso-relief/roster', { as: 'officer-sudan' });
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual({ orgId: 'cso-relief', name: 'Org cso-relief', chain: [] });

    const directory = await call('/api/orgs', { as: 'officer-sudan' });
    expect(directory.status).toBe(200);
    const { orgs } = (await directory.json()) as { orgs: { id: string }[] };
    expect(orgs.map((org) => org.id)).toEqual(['consulate-sudan', 'cso-relief']);
  });

  it('removes a relationship once; the requester then sees the chain no more', async () => {
    const remove = () => call('/api/orgs/cso-relief/relationships/consulate-sudan', { method: 'DELETE', as: 'officer-relief' });
    expect(await (await remove()).json()).toEqual({ removed: true });
    expect(await (await remove()).json()).toEqual({ removed: false });
    expect((await call('/api/orgs/cso-relief/roster', { as: 'officer-sudan' })).status).toBe(404);
  });

  it('answers the rotation status of an organisation never rotated', async () => {
    const response = await call('/api/orgs/cso-relief/rotation', { as: 'officer-relief' });
    expect(response.status).toBe(200);
    const status = (await response.json()) as { orgPublicKey: string; keyId: string | null; staleEnvelopes: number };
    expect(status).toEqual({ orgPublicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), keyId: null, staleEnvelopes: 0 });
    expect((await call('/api/orgs/cso-relief/rotation', { as: 'field-relief' })).status).toBe(403);
  });
});
