// Issue 16, part 1: the position of a community or a person from the phone, in real Chromium with
// its geolocation emulated (Playwright's context geolocation and permissions, and the DevTools
// protocol's "position unavailable"): a good fix saved with its source and accuracy and shown to the
// officer, offline too; a rough fix flagged; permission refused; no fix at all; coordinates typed in
// degrees, minutes and seconds. On the code before this test the forms had no way but a map tap.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ready } from '#crypto';
import { createOrg, type Actor } from '../../scripts/lib/actors.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';

const baseUrl = inject('workerUrl');
const account = { orgName: 'Position Test Solidarity', orgKind: 'cso', label: 'Field coordinator', passphrase: 'position test passphrase' };
/** Benghazi, Sabri district. */
const benghazi = { latitude: 32.1167, longitude: 20.0667 };

let browser: Browser;
let founder: Actor;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ready();
  founder = await createOrg(baseUrl, { name: account.orgName });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

/** A phone-sized page signed in as the founder, with geolocation as given. */
async function phone(options: { geolocation?: { latitude: number; longitude: number; accuracy?: number }; granted: boolean }) {
  const context = await browser.newContext({
    viewport: { width: 412, height: 860 },
    isMobile: true,
    hasTouch: true,
    ...(options.geolocation ? { geolocation: options.geolocation } : {}),
    permissions: options.granted ? ['geolocation'] : [],
  });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInAsActor(page, baseUrl, founder, account);
  await page.getByRole('tab', { name: 'New community' }).click();
  return { page, context, errors };
}

const form = (page: Page) => page.getByTestId('capture-form');

describe('a position from the phone', () => {
  it('takes a good GPS fix offline, saves it with its source and accuracy, and the officer sees both', async () => {
    const { page, context, errors } = await phone({ geolocation: { ...benghazi, accuracy: 12 }, granted: true });
    // The GPS needs no network.
    await context.setOffline(true);
    await form(page).getByTestId('use-my-position').click();
    await expect
      .poll(() => form(page).getByTestId('pin').textContent(), { timeout: 15_000 })
      .toBe('32.11670, 20.06670 · GPS · within 12 m');
    expect(await form(page).getByTestId('position-text').getAttribute('class')).toContain('quality-good');
    await screenshot(page, 'position-gps');
    await form(page).locator('input[name=name]').fill('Sabri bakery workers');
    await form(page).locator('input[name=headcount]').fill('14');
    await form(page).locator('input[name=nationalities]').fill('BD');
    await form(page).getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => page.getByTestId('pending').textContent(), { timeout: 15_000 }).toBe('1 waiting to sync');
    await page.getByRole('tab', { name: 'Records' }).click();
    await page.getByText('Sabri bakery workers').first().click();
    await expect
      .poll(() => page.getByTestId('record-detail').getByTestId('position-text').textContent(), { timeout: 15_000 })
      .toBe('32.11670, 20.06670 · GPS · within 12 m');
    // Offline, the sync's attempts fail to load (Chromium logs each); nothing else may go wrong.
    expect(errors.filter((error) => !error.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('flags a rough fix and keeps looking until the person stops', async () => {
    const { page } = await phone({ geolocation: { ...benghazi, accuracy: 850 }, granted: true });
    await form(page).getByTestId('use-my-position').click();
    await expect
      .poll(() => form(page).getByTestId('locating').textContent(), { timeout: 15_000 })
      .toBe('Finding your position: within 850 m so far');
    expect(await form(page).getByTestId('pin').textContent()).toBe('32.11670, 20.06670 · GPS · within 850 m');
    await form(page).getByRole('button', { name: 'Stop' }).click();
    expect(await form(page).getByTestId('position-poor').textContent()).toBe(
      'Rough position: within 850 m. Wait for a better fix outside, or place it on the map.',
    );
    expect(await form(page).getByTestId('position-text').getAttribute('class')).toContain('quality-poor');
  });

  it('stops looking once the person places the position another way: a later fix does not replace it', async () => {
    const { page, context } = await phone({ geolocation: { ...benghazi, accuracy: 850 }, granted: true });
    await form(page).getByTestId('use-my-position').click();
    await expect.poll(() => form(page).getByTestId('locating').count(), { timeout: 15_000 }).toBe(1);
    await form(page).locator('input[name=coordinates]').fill('32.09, 20.08');
    await form(page).getByTestId('set-coordinates').click();
    await expect.poll(() => form(page).getByTestId('pin').textContent()).toBe('32.09000, 20.08000 · typed coordinates');
    expect(await form(page).getByTestId('locating').count()).toBe(0);
    // A better fix now (on f3a986b it replaced the typed position, labelled GPS).
    await context.setGeolocation({ ...benghazi, accuracy: 200 });
    await page.waitForTimeout(1500);
    expect(await form(page).getByTestId('pin').textContent()).toBe('32.09000, 20.08000 · typed coordinates');
  });

  it('says what to do when the browser may not use the position', async () => {
    const { page } = await phone({ granted: false });
    await form(page).getByTestId('use-my-position').click();
    await expect
      .poll(() => form(page).getByTestId('locate-problem').textContent(), { timeout: 15_000 })
      .toContain('This browser may not use your position.');
    expect(await form(page).getByTestId('pin').count()).toBe(0);
  });

  it('says so when the phone cannot find its position', async () => {
    const { page, context } = await phone({ granted: true });
    // Without a latitude, the DevTools protocol emulates "position unavailable".
    const devtools = await context.newCDPSession(page);
    await devtools.send('Emulation.setGeolocationOverride', {});
    await form(page).getByTestId('use-my-position').click();
    await expect
      .poll(() => form(page).getByTestId('locate-problem').textContent(), { timeout: 40_000 })
      .toMatch(/^(The phone cannot find its position now\.|No position within 30 seconds\.)/);
  });

  it('explains the map: a legend of colours, sizes, groups and the pin, folded away until asked for (issue 16, part 4)', async () => {
    const { page } = await phone({ granted: false });
    const legend = page.getByTestId('map-legend');
    expect(await legend.getAttribute('open')).toBeNull();
    await legend.locator('summary').click();
    const text = await legend.locator('ul').textContent();
    for (const words of [
      'Missing',
      'Stranded',
      'Safe',
      'Evacuated',
      'Size: people in the community (1 · 100 · 1,000)',
      'A group of communities',
    ])
      expect(text).toContain(words);
    await screenshot(page, 'map-legend');
  });

  it('tells the same count on the list and on the map, filtered or not (issue 16, part 4)', async () => {
    const { page } = await phone({ granted: false });
    const captured: [string, string, string, string][] = [
      ['Garyounis dormitory', 'stranded', '20', '32.08, 20.07'],
      ['Sidi Hussein yard', 'missing', '7', '32.12, 20.08'],
    ];
    for (const [name, status, people, coordinates] of captured) {
      await page.getByRole('tab', { name: 'New community' }).click();
      await form(page).locator('input[name=coordinates]').fill(coordinates);
      await form(page).getByTestId('set-coordinates').click();
      await form(page).locator('input[name=name]').fill(name);
      await form(page).locator('input[name=headcount]').fill(people);
      await form(page).locator('input[name=nationalities]').fill('BD');
      await form(page).locator('select[name=status]').selectOption(status);
      await form(page).getByRole('button', { name: 'Seal and save' }).click();
      // Saved: the form gives way to the list.
      await expect.poll(() => form(page).count(), { timeout: 15_000 }).toBe(0);
    }
    await page.getByRole('tab', { name: 'Records' }).click();
    const listCount = () => page.getByTestId('list-count').getAttribute('data-communities');
    const mapCount = () => page.getByTestId('map-count').getAttribute('data-communities');
    await expect.poll(listCount, { timeout: 15_000 }).toBe('2');
    expect(await mapCount()).toBe('2');
    expect(await page.getByTestId('map-count').textContent()).toBe('2 communities, 27 people');
    // Narrowed by a filter, both say the same smaller number.
    await page.getByTestId('filters').locator('summary').click();
    await page.getByTestId('filters').locator('select[name=status]').selectOption('missing');
    await expect.poll(listCount).toBe('1');
    expect(await mapCount()).toBe('1');
    expect(await page.getByTestId('map-count').textContent()).toBe('1 community, 7 people');
    expect(await page.getByTestId('list-count').textContent()).toContain('Communities (1 of 2)');
  });

  it('reads coordinates typed in degrees, minutes and seconds, and says why it cannot read others', async () => {
    const { page } = await phone({ granted: false });
    const coordinates = form(page).locator('input[name=coordinates]');
    await coordinates.fill('32.1 Benghazi');
    await form(page).getByTestId('set-coordinates').click();
    expect(await form(page).getByTestId('coordinates-problem').textContent()).toContain('These are not coordinates.');
    await coordinates.fill(`32°07′00″N 20°04′00″E`);
    await coordinates.press('Enter');
    await expect.poll(() => form(page).getByTestId('pin').textContent()).toBe('32.11667, 20.06667 · typed coordinates');
    expect(await form(page).getByTestId('coordinates-problem').count()).toBe(0);
  });
});
