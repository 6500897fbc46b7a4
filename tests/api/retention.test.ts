// Retention: sealed records older than the organisation's retention period are deleted for real.
import { describe, expect, inject, it } from 'vitest';
import { openSealingSession, sealJson, toBase64 } from '#crypto';
import { client, createOrg, invite, signIn } from '../../scripts/lib/actors.ts';
import { api, countRows, tamper } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

describe('retention', () => {
  it('deletes record versions older than the retention period, and only those', async () => {
    const officer = await createOrg(baseUrl, { name: 'Retention CSO' });
    const field = await invite(officer, 'field');
    const sealing = openSealingSession(field.orgId, field.orgPublicKey);
    const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
    const push = await client(baseUrl, await signIn(field)).api.orgs[':orgId'].records.$post({
      param: { orgId: field.orgId },
      json: { records: ids.map((id) => ({ id, version: 1, envelope: toBase64(sealJson(sealing, id, 1, { kind: 'community', id })) })) },
    });
    expect(push.status).toBe(200);

    const settings = await (await api(officer)).orgs[':orgId'].settings.$patch({ param: { orgId: officer.orgId }, json: { retentionDays: 30 } });
    expect(settings.status).toBe(200);
    expect(await settings.json()).toMatchObject({ retentionDays: 30 });

    // Four of the six were received 40 days ago.
    for (const id of ids.slice(0, 4)) tamper(persistTo, "UPDATE records SET received_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-40 days') WHERE record_id = ?", id);
    await (await api(officer)).activations.$get({ query: { direction: 'incoming' } }); // any activation route runs the sweep

    const remaining = countRows(persistTo, `SELECT COUNT(*) AS count FROM records WHERE org_id = ?`, officer.orgId);
    expect(remaining).toBe(2);
  });

  it('refuses a k larger than the number of officers, saying why', async () => {
    const officer = await createOrg(baseUrl, { name: 'Small CSO' });
    const response = await (await api(officer)).orgs[':orgId'].settings.$patch({ param: { orgId: officer.orgId }, json: { approvalsRequired: 3 } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/statement lists 1 active officer;/);
  });
});
