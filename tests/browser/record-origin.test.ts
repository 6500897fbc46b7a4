// Issue 14, finding 3 in real Chromium: a record's origin. The org public key is public, so anyone
// (the server first) can seal a record that opens cleanly; and the server can register a "field
// member" of its own. An officer's device now accepts a record only when its author header (inside
// the encryption, decision 0605) names a key of the organisation's verified statement: officers and
// the field devices an officer added there. Here:
//  - a record sealed with no author (what the server can make from FORMAT.md alone) and a record of
//    a field member no officer added are set aside: not in the list or its count, said in words;
//  - the officer compares the device's fingerprint, adds it to the statement with one signature,
//    and its record appears; the unsigned one stays aside.
// On ded9d52 both injected records were listed and counted like any other.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { memberFingerprint, openSealingSession, ready, sealJson, toBase64 } from '#crypto';
import { client, createOrg, fetchRoster, invite, signIn, type Actor } from '../../scripts/lib/actors.ts';
import { pushSealed, seedBuilders } from '../support/seed-records.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';

const baseUrl = inject('workerUrl');
const passphrase = 'record origin test passphrase';
const orgName = 'Origin Checking Solidarity';
let browser: Browser;
let officer: Actor;
let phone: Actor;
let errors: string[];

/** Seals with no author header, or as `author`, and uploads with `uploader`'s token: the envelope is what the officer's device judges. */
async function push(uploader: Actor, record: { id: string }, author?: Actor) {
  const sealing = openSealingSession(officer.orgId, officer.orgPublicKey, author?.keys);
  const response = await client(baseUrl, await signIn(uploader)).api.orgs[':orgId'].records.$post({
    param: { orgId: officer.orgId },
    json: { records: [{ id: record.id, version: 1, envelope: toBase64(sealJson(sealing, record.id, 1, record)) }] },
  });
  expect(response.status).toBe(200);
}

const listed = (page: Page) => page.getByTestId('community-list').textContent();
const setAside = (page: Page) => page.getByTestId('unverified-count').getAttribute('data-count');

beforeAll(async () => {
  await ready();
  officer = await createOrg(baseUrl, { name: orgName, approvalsRequired: 1, founderLabel: 'Officer' });
  phone = await invite(officer, 'field', 'Field phone');
  const { community } = seedBuilders();
  expect((await pushSealed(officer, [community({ name: 'Officer camp', location: { lon: 22.64, lat: 32.76 } })])).status).toBe(200);
  // What the server can make on its own: sealed to the public org key, no author.
  await push(officer, community({ name: 'Injected camp', location: { lon: 22.65, lat: 32.77 } }));
  // A field member's record before any officer added the device to the statement.
  await push(phone, community({ name: 'Phone camp', location: { lon: 22.66, lat: 32.75 } }), phone);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("a record's origin, checked against the signed statement", () => {
  it('sets aside records with no author or an author not in the statement, until an officer adds the device', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    errors = watchPageErrors(page);
    await signInAsActor(page, baseUrl, officer, { orgName, orgKind: 'cso', label: 'Officer', passphrase });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => listed(page), { timeout: 60_000 }).toContain('Officer camp');
    await expect.poll(() => setAside(page), { timeout: 30_000 }).toBe('2');
    expect(await listed(page)).not.toContain('Injected camp');
    expect(await listed(page)).not.toContain('Phone camp');
    expect(await listed(page)).toContain('Communities (1)');
    expect(await page.getByTestId('unverified-count').textContent()).toContain('2 records were set aside');

    // The officer compares the fingerprint the phone shows with the one listed, and adds it.
    await page.getByRole('tab', { name: 'Settings' }).click();
    const row = page.getByTestId('officer-panel').locator('li', { hasText: 'Field phone' });
    // Invited outside this device (no invitation secret binds its keys): compared by hand, then added.
    expect(await row.getByTestId('device-key-fingerprint').textContent()).toContain(
      memberFingerprint(toBase64(phone.keys.signPublicKey), toBase64(phone.keys.boxPublicKey)),
    );
    expect(await row.getByTestId('admit-device').isDisabled()).toBe(true);
    await row.getByTestId('fingerprint-compared').check();
    await screenshot(page, 'record-origin-admit');
    await row.getByTestId('admit-device').click();
    await expect
      .poll(async () => (await fetchRoster(officer)).at(-1)!.statement.fieldDevices?.map((device) => device.memberId), { timeout: 30_000 })
      .toEqual([phone.memberId]);
    await expect.poll(() => row.getByTestId('admit-device').count(), { timeout: 30_000 }).toBe(0);

    await page.getByRole('tab', { name: 'Records' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => listed(page), { timeout: 60_000 }).toContain('Phone camp');
    await expect.poll(() => setAside(page), { timeout: 30_000 }).toBe('1');
    expect(await listed(page)).not.toContain('Injected camp');
    expect(await listed(page)).toContain('Communities (2)');
    expect(errors).toEqual([]);
  });
});
