// Issue 14, finding 5 in real Chromium (decision 0606). A CSO with k = 2 removes officer C, whose
// phone was seized; C's device still holds the org key. Officer A rotates the key in Settings, B
// sees the rotation waiting and co-signs it after opening its own copy of the new key. A's device
// then moves the stored records to the new key (new key slots, bodies untouched) and forgets the old
// key; the field phone, which was set up with the old key, follows the statement and seals its next
// capture to the new key. Afterwards C's key opens nothing the server holds.
// Then officer D's phone is seized: A removes D in Settings choosing "lost or seized", which makes
// the removal and a new key one change; B co-signs it, and D's key opens nothing the server holds.
// On 0aea709 removal had no such choice: the org key stayed in force until someone rotated it.
// On a0314ac there was no rotation: the button did not exist and the server answered 404.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRecordOpener, fromBase64, openRecord, ready, toBase64, unwrapOrgKey, type OrgKeys } from '#crypto';
import {
  admitFieldDevice,
  client,
  createOrg,
  fetchRoster,
  grantOrgKey,
  invite,
  revokeMember,
  signIn,
  type Actor,
} from '../../scripts/lib/actors.ts';
import { queryRows } from '../support/activation-actors.ts';
import { pushSealed, seedBuilders } from '../support/seed-records.ts';
import { captureCommunity, launchChromium, screenshot, signInAsActor, storedIdentityOf, watchPageErrors } from '../support/browser.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
const passphrase = 'rotation test passphrase';
const orgName = 'Rotating Solidarity';
let browser: Browser;
let officerA: Actor;
let officerB: Actor;
let officerC: Actor;
let officerD: Actor;
let phone: Actor;
let a: Page;
let b: Page;
let oldKeys: OrgKeys;
const errors: string[][] = [];

async function open(actor: Actor, label: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  errors.push(watchPageErrors(page));
  page.on('dialog', (dialog) => void dialog.accept());
  await signInAsActor(page, baseUrl, actor, { orgName, orgKind: 'cso', label, passphrase });
  return page;
}

const status = async () =>
  (await (await client(baseUrl, await signIn(officerA)).api.orgs[':orgId'].rotation.$get({ param: { orgId: officerA.orgId } })).json()) as {
    orgPublicKey: string;
    staleEnvelopes: number;
  };
const storedRows = () =>
  queryRows<{ record_id: string; version: number; envelope: string }>(
    persistTo,
    'SELECT record_id, version, hex(envelope) AS envelope FROM records WHERE org_id = ?',
    officerA.orgId,
  );
const opensWith = (keys: OrgKeys, row: { record_id: string; version: number; envelope: string }) => {
  try {
    openRecord(createRecordOpener(officerA.orgId, keys), row.record_id, row.version, Uint8Array.from(Buffer.from(row.envelope, 'hex')));
    return true;
  } catch {
    return false;
  }
};
/** The identity the device stores, opened with its member's keys (the device seals it to them). */
const identityOf = (page: Page, actor: Actor) => storedIdentityOf(page, actor.keys);

beforeAll(async () => {
  await ready();
  officerA = await createOrg(baseUrl, { name: orgName, approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  officerC = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer C'), [officerB]);
  officerD = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer D'), [officerB]);
  phone = await admitFieldDevice(officerA, await invite(officerA, 'field', 'Field phone'));
  oldKeys = officerA.orgKeys!;
  const { community } = seedBuilders();
  const records = Array.from({ length: 12 }, (_, index) =>
    community({ name: `Camp ${index + 1}`, location: { lon: 22.6 + index / 100, lat: 32.7 } }),
  );
  expect((await pushSealed(phone, records)).status).toBe(200);
  expect((await revokeMember(officerA, officerC.memberId, [officerB])).status).toBe(200);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('rotating the org key in the app', () => {
  it("A proposes, B co-signs, A's device moves every stored record to the new key and forgets the old one", async () => {
    a = await open(officerA, 'Officer A');
    await expect.poll(() => a.getByTestId('community-list').textContent(), { timeout: 60_000 }).toContain('Communities (12)');
    await a.getByRole('tab', { name: 'Settings' }).click();
    await a.getByTestId('rotate-org-key').click();
    await expect.poll(() => a.getByTestId('rotation-status').textContent(), { timeout: 30_000 }).toContain('Proposed');
    expect((await status()).orgPublicKey).toBe(toBase64(oldKeys.publicKey)); // nothing changes on one signature

    b = await open(officerB, 'Officer B');
    await b.getByRole('tab', { name: 'Settings' }).click();
    const proposal = b.getByTestId('roster-proposal');
    await expect.poll(() => proposal.getByTestId('pending-rotation').count(), { timeout: 30_000 }).toBe(1);
    await proposal.scrollIntoViewIfNeeded();
    await screenshot(b, 'rotation-cosign');
    await proposal.getByRole('button', { name: 'I agree: co-sign' }).click();
    await expect.poll(async () => (await status()).orgPublicKey, { timeout: 30_000 }).not.toBe(toBase64(oldKeys.publicKey));
    const newKey = (await status()).orgPublicKey;
    expect((await fetchRoster(officerA)).at(-1)!.statement.orgPublicKey).toBe(newKey);
    expect((await status()).staleEnvelopes).toBe(12);

    // A's next sync: the device takes the new key from the statement and re-wraps the stored slots.
    await a.getByRole('tab', { name: 'Records' }).click();
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await status()).staleEnvelopes, { timeout: 60_000 }).toBe(0);
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await identityOf(a, officerA)).previousWrappedOrgKeys?.length ?? 0, { timeout: 30_000 }).toBe(0);
    expect((await identityOf(a, officerA)).orgPublicKey).toBe(newKey);
    await expect.poll(() => a.getByTestId('community-list').textContent(), { timeout: 30_000 }).toContain('Communities (12)');
    expect(await a.getByTestId('unverified-count').count()).toBe(0);

    // The field phone was set up with the old key; it follows the statement, and its capture is sealed to the new key.
    const field = await open(phone, 'Field phone');
    await expect.poll(async () => (await identityOf(field, phone)).orgPublicKey, { timeout: 30_000 }).toBe(newKey);
    await captureCommunity(field, { name: 'Camp after the rotation', headcount: '7' });
    await field.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => storedRows().length, { timeout: 30_000 }).toBe(13);

    // C's key, which C's seized phone holds, opens nothing the server holds; the new key opens all.
    const rows = storedRows();
    expect(rows.filter((row) => opensWith(officerC.orgKeys!, row))).toEqual([]);
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => a.getByTestId('community-list').textContent(), { timeout: 30_000 }).toContain('Camp after the rotation');
    expect(errors.flat()).toEqual([]);
  });

  it('removing an officer whose phone was seized replaces the key in the same change; the seized key opens nothing', async () => {
    // The key D's phone holds now (the one after the first rotation), from D's own wrapped copy.
    const me = (await (await client(baseUrl, await signIn(officerD)).api.auth.me.$get()).json()) as { wrappedOrgKey: string | null };
    const seizedKey = (await status()).orgPublicKey;
    const seized = unwrapOrgKey(me.wrappedOrgKey!, officerA.orgId, officerD.keys, fromBase64(seizedKey));
    await a.getByRole('tab', { name: 'Settings' }).click();
    const member = a.getByTestId('officer-panel').locator('li', { hasText: 'Officer D' });
    await member.getByTestId('remove-member').click();
    // No default: the officer says why; "lost or seized" makes removal and rotation one change.
    await expect.poll(() => member.getByTestId('remove-why').textContent()).toContain('Why is Officer D leaving?');
    expect(await a.getByTestId('officer-panel').locator('li', { hasText: 'Officer C' }).getByRole('button').count()).toBe(0); // removed: nothing to give or remove
    await member.scrollIntoViewIfNeeded();
    await screenshot(a, 'rotation-remove-seized');
    await member.getByTestId('remove-seized').click();
    await expect.poll(() => a.getByTestId('rotation-status').textContent(), { timeout: 30_000 }).toContain('Proposed');
    expect((await status()).orgPublicKey).toBe(seizedKey); // one signature changes nothing
    expect(queryRows<{ status: string }>(persistTo, 'SELECT status FROM members WHERE id = ?', officerD.memberId)[0]!.status).toBe(
      'active',
    );

    await b.getByRole('tab', { name: 'Records' }).click();
    await b.getByRole('tab', { name: 'Settings' }).click();
    const proposal = b.getByTestId('roster-proposal');
    await expect.poll(() => proposal.getByTestId('pending-rotation').count(), { timeout: 30_000 }).toBe(1);
    expect(await proposal.textContent()).toContain('Remove Officer D from the officers');
    await proposal.getByRole('button', { name: 'I agree: co-sign' }).click();
    await expect.poll(async () => (await status()).orgPublicKey, { timeout: 30_000 }).not.toBe(seizedKey);
    const head = (await fetchRoster(officerA)).at(-1)!.statement;
    expect(head.orgPublicKey).toBe((await status()).orgPublicKey);
    expect(head.officers.map((officer) => officer.memberId)).not.toContain(officerD.memberId);
    expect(queryRows<{ status: string }>(persistTo, 'SELECT status FROM members WHERE id = ?', officerD.memberId)[0]!.status).toBe(
      'revoked',
    );

    await a.getByRole('tab', { name: 'Records' }).click();
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await status()).staleEnvelopes, { timeout: 60_000 }).toBe(0);
    // One sync: re-wrapped, pulled again (the list never shows fewer), and the earlier key forgotten.
    await expect.poll(() => a.getByTestId('community-list').textContent(), { timeout: 30_000 }).toContain('Communities (13)');
    await expect.poll(async () => (await identityOf(a, officerA)).previousWrappedOrgKeys?.length ?? 0, { timeout: 30_000 }).toBe(0);
    expect(storedRows().filter((row) => opensWith(seized, row))).toEqual([]);
    expect(errors.flat()).toEqual([]);
  });
});
