// The walking skeleton in real Chromium against the real Worker: a CSO is created in the browser,
// a field device joins, captures a community while offline, syncs when back online, and an officer
// sees it on the map. Then every byte the server stored is scanned for what was typed and for the
// pinned position. The slice has a Worker and database of its own, so the scans see only its data
// (other browser suites store public coordinates, such as request areas, in the shared one).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorker } from '../../scripts/worker-process.ts';
import { startOwnWorker } from '../faults/worker.ts';
import { launchChromium, screenshot, watchPageErrors } from '../support/browser.ts';
import { scanForSecrets } from '../support/leak-scan.ts';
import { scanForCoordinates, type Position } from '../security/coordinate-scan.ts';

let worker: RunningWorker;
let baseUrl: string;
let persistTo: string;

/** Where the field worker dropped the pin, as the capture form showed it (lat, lon to 5 decimals). */
let pinned: Position | undefined;

const typed = {
  orgName: 'Derna Migrant Solidarity',
  siteName: 'Wadi Derna brickworks camp',
  contactName: 'Bikash Lama',
  contactPhone: '+218 92 555 0147',
  secondSite: 'Sirte road workshop',
  passphrase: 'correct horse battery staple',
};

let browser: Browser;
let officerContext: BrowserContext;
let fieldContext: BrowserContext;
let officer: Page;
let field: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-slice-'));
  worker = await startOwnWorker({ persistTo, quiet: true });
  baseUrl = worker.url;
  browser = await launchChromium();
  officerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  fieldContext = await browser.newContext({ viewport: { width: 412, height: 860 }, isMobile: true, hasTouch: true });
  officer = await officerContext.newPage();
  field = await fieldContext.newPage();
  pageErrors = [...watchPageErrors(officer), ...watchPageErrors(field)];
  pageErrors = [];
  for (const page of [officer, field]) {
    const errors = watchPageErrors(page);
    page.on('close', () => pageErrors.push(...errors));
    (page as Page & { errors?: string[] }).errors = errors;
  }
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

const errorsOf = (page: Page) => (page as Page & { errors?: string[] }).errors ?? [];

async function mapReady(page: Page) {
  await page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
}

describe('the slice, end to end', () => {
  let invitation = '';

  it('creates a CSO in the browser; the server gets public keys only', async () => {
    await officer.goto(baseUrl);
    await officer.getByRole('button', { name: 'Create an organisation' }).click();
    const form = officer.getByTestId('create-org');
    await form.locator('select[name=kind]').selectOption('cso');
    await form.locator('input[name=name]').fill(typed.orgName);
    await form.locator('input[name=label]').fill('Coordinator');
    await form.locator('input[name=passphrase]').fill(typed.passphrase);
    await form.locator('input[name=passphraseAgain]').fill(typed.passphrase);
    await form.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => officer.getByTestId('org-name').textContent(), { timeout: 30_000 }).toBe(typed.orgName);
    await mapReady(officer);
  });

  it('invites a field device, which joins with the invitation', async () => {
    await officer.getByRole('tab', { name: 'Settings' }).click();
    await officer.getByTestId('officer-panel').locator('select[name=role]').selectOption('field');
    await officer.getByRole('button', { name: 'Create invitation' }).click();
    invitation = (await officer.getByTestId('invitation').textContent({ timeout: 15_000 })) ?? '';
    // org, code, the org key, the statement head and the role the new device pins, and the secret it binds its keys with
    expect(invitation).toMatch(/^[\w-]+~[\w-]+~[\w-]{43}~1\.[0-9a-f]{64}~field~[\w-]{22}$/);

    await field.goto(baseUrl);
    await field.getByRole('button', { name: 'Join with an invitation' }).click();
    const form = field.getByTestId('join-org');
    await form.locator('input[name=invitation]').fill(invitation);
    await form.locator('input[name=label]').fill('Field phone 1');
    await form.locator('input[name=passphrase]').fill(typed.passphrase);
    await form.locator('input[name=passphraseAgain]').fill(typed.passphrase);
    await form.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => field.getByTestId('org-name').textContent(), { timeout: 30_000 }).toBe(typed.orgName);
    await mapReady(field);
    // The phone shows its fingerprint; the officer's device needs no comparison here: the phone's
    // keys are bound to the invitation this device made (its secret part), so the officer adds the
    // device to the statement at once: from then on its records count (decision 0605).
    const shown = ((await field.getByTestId('device-fingerprint').textContent()) ?? '').match(/[0-9A-F]{4}( [0-9A-F]{4}){7}/)?.[0];
    expect(shown).toBeTruthy();
    await officer.getByRole('button', { name: 'Sync now' }).click();
    const row = officer.getByTestId('officer-panel').locator('li', { hasText: 'Field phone 1' });
    await row.getByTestId('keys-bound').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('fingerprint-compared').count()).toBe(0);
    await row.getByTestId('admit-device').click();
    await expect.poll(() => row.getByTestId('admit-device').count(), { timeout: 30_000 }).toBe(0);
    // The service worker must hold the app before the phone goes offline.
    await field.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  });

  it('captures a community offline: the app opens with no network, the record is sealed and queued', async () => {
    await fieldContext.setOffline(true);
    await field.reload();
    const unlock = field.getByTestId('unlock');
    await unlock.locator('input[name=passphrase]').fill('wrong passphrase!');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => field.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/does not open/);
    await unlock.locator('input[name=passphrase]').fill(typed.passphrase);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => field.getByTestId('connection').textContent(), { timeout: 30_000 }).toBe('Offline');
    await mapReady(field);

    const box = (await field.getByTestId('map').boundingBox())!;
    await field.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const form = field.getByTestId('capture-form');
    await form.getByTestId('pin').waitFor();
    const [lat, lon] = ((await form.getByTestId('pin').locator('bdi').textContent()) ?? '').split(',').map(Number);
    expect(Number.isFinite(lat) && Number.isFinite(lon)).toBe(true);
    pinned = { lat: lat!, lon: lon! };
    await form.locator('input[name=name]').fill(typed.siteName);
    await form.locator('input[name=headcount]').fill('64');
    await form.locator('input[name=nationalities]').fill('NP, IN');
    await form.locator('select[name=status]').selectOption('stranded');
    await form.locator('input[value=water]').check();
    await form.locator('input[value=transport]').check();
    await form.locator('input[name=contactName]').fill(typed.contactName);
    await form.locator('input[name=contactPhone]').fill(typed.contactPhone);
    await form.getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => field.getByTestId('pending').textContent(), { timeout: 15_000 }).toBe('1 waiting to sync');
    await expect.poll(() => field.getByTestId('community-list').textContent()).toContain(typed.siteName);
    await screenshot(field, 'slice-field-offline-capture');
  });

  it('syncs when the connection comes back', async () => {
    await fieldContext.setOffline(false);
    await expect.poll(() => field.getByTestId('pending').textContent(), { timeout: 45_000 }).toBe('All synced');
  });

  it('shows the community to the officer, decrypted in the officer browser, on the map and in the list', async () => {
    await officer.getByRole('tab', { name: 'Records' }).click();
    await officer.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => officer.getByTestId('community-list').textContent(), { timeout: 30_000 }).toContain(typed.siteName);
    await expect.poll(() => officer.getByTestId('community-list').textContent()).toContain('64 people');
    // The map holds the community: MapView writes how many points it gave MapLibre's source.
    await mapReady(officer);
    await expect.poll(() => officer.getByTestId('map').getAttribute('data-points'), { timeout: 30_000 }).toBe('1');
    await officer.waitForTimeout(1500); // let the frame settle for the screenshot
    const file = await screenshot(officer, 'slice-officer-map');
    expect(file).toMatch(/slice-officer-map\.png$/);
    // A tap on its point opens the record: the map holds only a numeric id for it, not the record's.
    // The map framed the one community, so it sits at the centre.
    const box = (await officer.getByTestId('map').boundingBox())!;
    await officer.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => officer.getByTestId('record-detail').textContent(), { timeout: 10_000 }).toContain(typed.siteName);
    expect(errorsOf(officer)).toEqual([]);
    expect(errorsOf(field).filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(error))).toEqual([]);
  });

  it("keeps the officer's own new record listed when its upload went through but the download failed", async () => {
    // The server takes the upload; every download of the org's records is cut (as on a flaky line).
    const download = /\/api\/orgs\/[^/]+\/records\?/;
    let cut = 0;
    await officer.route(download, (route) =>
      route.request().method() === 'GET' ? (cut++, route.abort('connectionreset')) : route.continue(),
    );
    await officer.getByRole('tab', { name: 'New community' }).click();
    const box = (await officer.getByTestId('map').boundingBox())!;
    await officer.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.8);
    const form = officer.getByTestId('capture-form');
    await form.getByTestId('pin').waitFor();
    await form.locator('input[name=name]').fill(typed.secondSite);
    await form.locator('input[name=headcount]').fill('12');
    await form.locator('input[name=nationalities]').fill('NP');
    await form.getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => officer.getByTestId('pending').textContent(), { timeout: 30_000 }).toBe('All synced');
    await expect.poll(() => cut).toBeGreaterThan(0);
    // After a restart the list comes from the device's store alone: the record must be in it.
    await officer.reload();
    const unlock = officer.getByTestId('unlock');
    await unlock.locator('input[name=passphrase]').fill(typed.passphrase);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await officer.getByRole('tab', { name: 'Records' }).click();
    await expect.poll(() => officer.getByTestId('community-list').textContent(), { timeout: 30_000 }).toContain(typed.secondSite);
    expect(await officer.getByTestId('community-list').textContent()).toContain(typed.siteName);
    // Once downloads work again, the server's copy takes its place: still listed once.
    await officer.unroute(download);
    await officer.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => officer.getByTestId('pending').textContent(), { timeout: 30_000 }).toBe('All synced');
    await expect
      .poll(async () => ((await officer.getByTestId('community-list').textContent()) ?? '').split(typed.secondSite).length - 1)
      .toBe(1);
  });

  it('left no plaintext of what was typed, nor the pinned position, anywhere in the server storage', () => {
    // The contact phone also as the form stores it (E.164, decision 0802).
    const secrets = [typed.siteName, typed.secondSite, typed.contactName, typed.contactPhone, '+218925550147', 'Wadi Derna', 'Bikash'];
    const scan = scanForSecrets(persistTo, secrets);
    expect(scan.files).toBeGreaterThan(0);
    expect(scan.bytes).toBeGreaterThan(10_000);
    expect(scan.hits).toEqual([]);
    // Nor the position of the pin, at any precision within about 1 km, as text or float bytes.
    expect(pinned).toBeDefined();
    const places = scanForCoordinates(persistTo, [pinned!]);
    expect(places.hits.map((hit) => `${hit.source}@${hit.offset}: ${hit.form}`)).toEqual([]);
  });
});
