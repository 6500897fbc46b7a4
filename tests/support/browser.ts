// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Never `playwright install`:
// it downloads a browser, which this network does not allow.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { lockMemberKeys, openDeviceProfile, toBase64, type MemberKeys } from '#crypto';
import type { Actor } from '../../scripts/lib/actors.ts';
import { projectRoot } from '../../scripts/worker-process.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.join(projectRoot, 'tests', '.artifacts');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/ensure-test-deps.sh (npm test does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Collects console errors and CSP violations so a test can assert there were none. */
export function watchPageErrors(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/**
 * Puts an actor's passphrase-locked keys on the page's device (as a demo account would), then
 * unlocks through the UI and waits for the organisation's name in the header. `device.kdf`: lighter
 * Argon2id limits than the app's defaults, for suites that do not test the passphrase (the limits
 * are stored beside the keys, and the app unlocks with what it finds there); `device.settings`:
 * rows of the device's settings store (`meta`) to put there too, such as `{ key: 'lightMap', value: 1 }`.
 */
export async function signInAsActor(
  page: Page,
  baseUrl: string,
  actor: Actor,
  account: { orgName: string; orgKind: string; label: string; passphrase: string },
  device: { kdf?: { opsLimit: number; memLimit: number }; settings?: { key: string; value: string | number }[] } = {},
) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Create an organisation' }).waitFor({ timeout: 30_000 });
  const identity = {
    key: 'me',
    memberId: actor.memberId,
    orgId: actor.orgId,
    orgName: account.orgName,
    orgKind: account.orgKind,
    role: actor.role,
    label: account.label,
    lockedKeys: JSON.stringify(lockMemberKeys(actor.keys, account.passphrase, device.kdf)),
    orgPublicKey: toBase64(actor.orgPublicKey),
    wrappedOrgKey: null,
  };
  await page.evaluate(
    ({ row, settings }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('buffer');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction(['identity', 'meta'], 'readwrite');
          transaction.objectStore('identity').put(row);
          for (const setting of settings) transaction.objectStore('meta').put(setting);
          transaction.oncomplete = () => (open.result.close(), resolve());
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { row: identity, settings: device.settings ?? [] },
  );
  await page.reload();
  const unlock = page.getByTestId('unlock');
  await unlock.locator('input[name=passphrase]').fill(account.passphrase);
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect.poll(() => page.getByTestId('org-name').textContent(), { timeout: 60_000 }).toBe(account.orgName);
}

/** Joins through the welcome screen with an invitation, as a person would, and waits for the organisation's name. */
export async function joinWithInvitation(
  page: Page,
  baseUrl: string,
  invitation: string,
  account: { orgName: string; label: string; passphrase: string },
) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Join with an invitation' }).click();
  const form = page.getByTestId('join-org');
  await form.locator('input[name=invitation]').fill(invitation);
  await form.locator('input[name=label]').fill(account.label);
  await form.locator('input[name=passphrase]').fill(account.passphrase);
  await form.locator('input[name=passphraseAgain]').fill(account.passphrase);
  await form.getByRole('button', { name: 'Join' }).click();
  await expect.poll(() => page.getByTestId('org-name').textContent(), { timeout: 30_000 }).toBe(account.orgName);
}

/** What a device stores of its identity (web/src/store/db.ts IdentityRow), and whether it was sealed. */
export interface StoredIdentityView {
  sealed: boolean;
  role?: string;
  orgPublicKey?: string;
  wrappedOrgKey?: string | null;
  previousWrappedOrgKeys?: unknown[];
  [field: string]: unknown;
}

/**
 * The identity the page's device stores, as the member's keys open it: the row holds the locked keys
 * and the profile sealed to the member (issue 15); a row still in the clear comes back as it is.
 */
export async function storedIdentityOf(page: Page, keys: Pick<MemberKeys, 'boxSecretKey'>): Promise<StoredIdentityView> {
  const row = await page.evaluate(
    () =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const open = indexedDB.open('buffer');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('identity').objectStore('identity').get('me');
          request.onsuccess = () => (open.result.close(), resolve(request.result as Record<string, unknown> | undefined));
          request.onerror = () => reject(request.error);
        };
      }),
  );
  if (!row) throw new Error('no identity stored on this device');
  if (typeof row.profile !== 'string') return { ...row, sealed: false };
  return { ...openDeviceProfile(row.profile, keys), sealed: true };
}

/** Everything the page keeps in IndexedDB and localStorage, as text. */
export function deviceStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((database) => database.name!).filter(Boolean);
    let text = JSON.stringify({ ...localStorage });
    for (const name of names) {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(database.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve) => {
          const request = database.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        text += JSON.stringify(rows);
      }
      database.close();
    }
    return text;
  });
}

/**
 * A community captured through the app as a field worker would: the New community tab, a tap in
 * the middle of the map, the form filled and sealed. Returns the form and the pinned position as
 * the form showed it ("lat", "lon" to 5 places).
 */
export async function captureCommunity(
  page: Page,
  fields: { name: string; headcount?: string; nationalities?: string; contactName?: string; contactPhone?: string },
) {
  await page.getByRole('tab', { name: 'New community' }).click();
  await page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const form = page.getByTestId('capture-form');
  await form.getByTestId('pin').waitFor();
  const pinned = ((await form.getByTestId('pin').locator('bdi').textContent()) ?? '').split(', ');
  await form.locator('input[name=name]').fill(fields.name);
  await form.locator('input[name=headcount]').fill(fields.headcount ?? '9');
  await form.locator('input[name=nationalities]').fill(fields.nationalities ?? 'NP');
  if (fields.contactName) await form.locator('input[name=contactName]').fill(fields.contactName);
  if (fields.contactPhone) await form.locator('input[name=contactPhone]').fill(fields.contactPhone);
  await form.getByRole('button', { name: 'Seal and save' }).click();
  return { form, pinned };
}
