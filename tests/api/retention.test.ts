// Retention: sealed records older than the organisation's retention period are deleted for real.
import { describe, expect, inject, it } from 'vitest';
import { openSealingSession, sealJson, toBase64 } from '#crypto';
import { client, cosignWaiting, createOrg, fetchRoster, grantOrgKey, invite, setRetention, signIn } from '../../scripts/lib/actors.ts';
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

    // One officer is all this organisation has (bootstrap: min(k, officers) sign), so it applies at once.
    const settings = await setRetention(officer, 30);
    expect(settings.status).toBe(200);
    expect(await settings.json()).toMatchObject({ retentionDays: 30 });

    // Four of the six were received 40 days ago.
    for (const id of ids.slice(0, 4))
      tamper(persistTo, "UPDATE records SET received_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-40 days') WHERE record_id = ?", id);
    await (await api(officer)).activations.$get({ query: { direction: 'incoming' } }); // any activation route runs the sweep

    const remaining = countRows(persistTo, `SELECT COUNT(*) AS count FROM records WHERE org_id = ?`, officer.orgId);
    expect(remaining).toBe(2);
  });

  it('refuses a k larger than the number of officers, saying why', async () => {
    const officer = await createOrg(baseUrl, { name: 'Small CSO' });
    const response = await (await api(officer)).orgs[':orgId'].settings.$patch({
      param: { orgId: officer.orgId },
      json: { approvalsRequired: 3 },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/statement lists 1 active officer;/);
  });

  // Issue 15, finding 6: on d24b3fb one officer's PATCH { retentionDays: 1 } applied at once, and the
  // next sweep deleted every record older than a day. Now the period is in the signed statement.
  it('needs k officers to change the retention period: one officer alone only proposes it, and nothing is deleted meanwhile', async () => {
    const officerA = await createOrg(baseUrl, { name: 'Retention k CSO', approvalsRequired: 2 });
    const officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
    const field = await invite(officerA, 'field');
    const sealing = openSealingSession(field.orgId, field.orgPublicKey);
    const id = crypto.randomUUID();
    await client(baseUrl, await signIn(field)).api.orgs[':orgId'].records.$post({
      param: { orgId: field.orgId },
      json: { records: [{ id, version: 1, envelope: toBase64(sealJson(sealing, id, 1, { kind: 'community', id })) }] },
    });
    tamper(persistTo, "UPDATE records SET received_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-3 days') WHERE record_id = ?", id);
    const before = (await (await (await api(officerA)).orgs[':orgId'].$get({ param: { orgId: officerA.orgId } })).json()) as {
      retentionDays: number;
    };

    // Without a statement: refused, saying what is needed.
    const bare = await (await api(officerA)).orgs[':orgId'].settings.$patch({
      param: { orgId: officerA.orgId },
      json: { retentionDays: 1 },
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(
      /keeping records 1 days needs the next version of the organisation statement/,
    );
    // With A's signature alone: it waits.
    expect((await setRetention(officerA, 1)).status).toBe(202);
    await (await api(officerA)).activations.$get({ query: { direction: 'incoming' } }); // runs the sweep
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM records WHERE org_id = ?', officerA.orgId)).toBe(1);
    expect(
      ((await (await (await api(officerA)).orgs[':orgId'].$get({ param: { orgId: officerA.orgId } })).json()) as { retentionDays: number })
        .retentionDays,
    ).toBe(before.retentionDays);

    // B co-signs: the statement says 1 day, and the sweep applies it.
    expect((await cosignWaiting(officerB)).status).toBe(200);
    expect((await fetchRoster(officerA)).at(-1)!.statement.retentionDays).toBe(1);
    await (await api(officerA)).activations.$get({ query: { direction: 'incoming' } });
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM records WHERE org_id = ?', officerA.orgId)).toBe(0);
  });
});
