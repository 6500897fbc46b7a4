// The small helpers the sign-in, alert and demo routes use (db/sessions.ts endSession, db/alerts.ts,
// db/demo.ts) on their own, against a real D1 (decision 0807), and the records router's shared
// error answer for a rotation that never happened, through the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../api/src/app.ts';
import { listAlerts } from '../../api/src/db/alerts.ts';
import { listDemoAccounts } from '../../api/src/db/demo.ts';
import { createSession, endSession, findSession } from '../../api/src/db/sessions.ts';
import { localD1, type LocalD1, seedOrg } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
let officer: string;

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  officer = await seedOrg(db, 'cso-aid-a', 'cso', 'Aid A');
  await seedOrg(db, 'city-of-c', 'city', 'City C');
});
afterAll(async () => {
  await d1?.dispose();
});

describe('sessions', () => {
  it('ends a session once: its token no longer signs in, and a second sign-out ends nothing', async () => {
    const { token } = await createSession(db, officer, 'cso-aid-a');
    const other = await createSession(db, officer, 'cso-aid-a');
    expect(await findSession(db, token)).not.toBeNull();
    expect(await endSession(db, token)).toBe(true);
    expect(await findSession(db, token)).toBeNull();
    expect(await endSession(db, token)).toBe(false);
    // The member's other session stays.
    expect(await findSession(db, other.token)).toMatchObject({ member_id: officer, org_id: 'cso-aid-a' });
  });
});

describe('alerts', () => {
  const insert = (orgId: string, id: string, sent: string, state: 'active' | 'updated' | 'cancelled') =>
    db
      .prepare(
        `INSERT INTO alerts (id, org_id, source, identifier, sender, sent, msg_type, state, alert, raw, imported_at)
         VALUES (?, ?, 'cap', ?, 'sender', ?, 'Alert', ?, '{}', '<alert/>', ?)`,
      )
      .bind(id, orgId, id, sent, state, sent)
      .run();

  it("lists an organisation's alerts, active ones first then newest sent, or only the active ones", async () => {
    await insert('cso-aid-a', 'old-active', '2026-12-01T00:00:00.000Z', 'active');
    await insert('cso-aid-a', 'new-updated', '2026-12-03T00:00:00.000Z', 'updated');
    await insert('cso-aid-a', 'new-active', '2026-12-02T00:00:00.000Z', 'active');
    await insert('city-of-c', 'elsewhere', '2026-12-02T00:00:00.000Z', 'active');
    const ids = async (orgId: string, state: 'active' | 'all') => (await listAlerts(db, orgId, state)).map((row) => row.id);
    expect(await ids('cso-aid-a', 'all')).toEqual(['new-active', 'old-active', 'new-updated']);
    expect(await ids('cso-aid-a', 'active')).toEqual(['new-active', 'old-active']);
    expect(await ids('city-of-c', 'all')).toEqual(['elsewhere']);
  });
});

describe('demo accounts', () => {
  it('lists the demo accounts with their organisation, by kind then title', async () => {
    expect(await listDemoAccounts(db)).toEqual([]);
    const add = (memberId: string, title: string) =>
      db
        .prepare('INSERT INTO demo_accounts (member_id, title, passphrase_hint, locked_keys) VALUES (?, ?, ?, ?)')
        .bind(memberId, title, 'hint', `keys-${memberId}`)
        .run();
    await add('city-of-c-officer', 'City officer');
    await add(officer, 'CSO officer');
    expect(await listDemoAccounts(db)).toEqual([
      {
        member_id: 'city-of-c-officer',
        title: 'City officer',
        passphrase_hint: 'hint',
        locked_keys: 'keys-city-of-c-officer',
        org_id: 'city-of-c',
        role: 'officer',
        org_name: 'City C',
        org_kind: 'city',
      },
      {
        member_id: officer,
        title: 'CSO officer',
        passphrase_hint: 'hint',
        locked_keys: `keys-${officer}`,
        org_id: 'cso-aid-a',
        role: 'officer',
        org_name: 'Aid A',
        org_kind: 'cso',
      },
    ]);
  });
});

describe('records routes', () => {
  it("answer a key-slot swap for an organisation that never rotated with the shared 409 'conflict'", async () => {
    const { token } = await createSession(db, officer, 'cso-aid-a');
    const envelope = Buffer.alloc(120, 1).toString('base64url');
    const response = await app.request(
      '/api/orgs/cso-aid-a/records/slots',
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ seq: 1, envelope }] }),
      },
      d1.env,
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'conflict', message: 'this organisation has never rotated its key: every envelope is under its one key already' },
    });
  });

  it('refuse a push without a session with the shared 401 answer', async () => {
    const response = await app.request(
      '/api/orgs/cso-aid-a/records',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      d1.env,
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});
