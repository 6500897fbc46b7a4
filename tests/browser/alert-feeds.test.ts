// Alert feeds from the officer's screen, in real Chromium against the real Worker: follow a CAP index
// served by a local "alerting authority", poll it now, see the alert arrive and how the poll went; a
// bad address is refused with the server's message and nothing is added.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, type Actor } from '../../scripts/lib/actors.ts';
import { projectRoot } from '../../scripts/worker-process.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';
import { serveOnLoopback, type LocalServer } from '../support/local-server.ts';

const baseUrl = inject('workerUrl');
const passphrase = 'feeds test passphrase';
let server: LocalServer;
let origin: string;
let browser: Browser;
let page: Page;
let errors: string[];
let officer: Actor;

beforeAll(async () => {
  const cap = readFileSync(path.join(projectRoot, 'fixtures', 'alerts', 'cap-derna-storm-severe.xml'), 'utf8');
  server = await serveOnLoopback((request, response) => {
    if (request.url === '/index.atom') {
      return void response
        .writeHead(200, { 'content-type': 'application/atom+xml' })
        .end(
          `<feed xmlns="http://www.w3.org/2005/Atom"><title>NCM Libya</title><entry><id>1</id><link type="application/cap+xml" href="/cap/storm.xml"/></entry></feed>`,
        );
    }
    if (request.url === '/cap/storm.xml') return void response.writeHead(200, { 'content-type': 'application/cap+xml' }).end(cap);
    response.writeHead(404).end();
  });
  origin = server.origin;
  officer = await createOrg(baseUrl, { name: 'Derna Solidarity (feeds)' });
  browser = await launchChromium();
  page = await browser.newPage();
  errors = watchPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('alert feeds on the officer screen', () => {
  it('follows a CAP index, polls it now and shows the new alert and how the poll went', async () => {
    await signInAsActor(page, baseUrl, officer, { orgName: 'Derna Solidarity (feeds)', orgKind: 'cso', label: 'Officer', passphrase });
    await page.getByTestId('open-alerts').click();
    const workspace = page.getByTestId('alerts-workspace');
    const feeds = workspace.getByTestId('alert-feeds');
    await feeds.locator('summary').click();
    const form = feeds.getByTestId('feed-form');

    // Refused by the server, with its message; nothing added.
    await form.locator('input[name=label]').fill('Bad feed');
    await form.locator('input[name=url]').fill('https://user:secret@alerts.example/cap.xml');
    await form.getByRole('button', { name: 'Follow this feed' }).click();
    await expect.poll(() => workspace.getByTestId('alerts-status').textContent()).toMatch(/user name or password/);
    expect(await feeds.getByTestId('feed-item').count()).toBe(0);

    await form.locator('input[name=label]').fill('Libyan met office');
    await form.locator('input[name=url]').fill(`${origin}/index.atom`);
    await form.locator('select[name=format]').selectOption('cap-feed');
    await form.getByRole('button', { name: 'Follow this feed' }).click();
    await expect.poll(() => feeds.getByTestId('feed-item').count()).toBe(1);
    expect(await workspace.getByTestId('alerts-status').count()).toBe(0); // the earlier refusal is cleared
    expect(await feeds.getByTestId('feed-last').textContent()).toBe('not polled yet');
    expect(await workspace.getByTestId('alert-item').count()).toBe(0);

    await feeds.getByRole('button', { name: 'Poll now' }).click();
    await expect
      .poll(() => feeds.getByTestId('feeds-status').textContent(), { timeout: 30_000 })
      .toMatch(/Libyan met office: 1 new, 0 already known/);
    await expect.poll(() => workspace.getByTestId('alert-item').count()).toBe(1);
    expect(await workspace.getByTestId('alert-item').textContent()).toContain('Storm warning for the Derna coast');
    await expect.poll(() => feeds.getByTestId('feed-last').textContent()).toMatch(/^last poll .*: 1 new/);
    await screenshot(page, 'alert-feeds');

    page.once('dialog', (dialog) => void dialog.accept());
    await feeds.getByRole('button', { name: 'Stop following' }).click();
    await expect.poll(() => feeds.getByTestId('feed-item').count()).toBe(0);
    expect(await workspace.getByTestId('alert-item').count()).toBe(1); // the alert stays
    expect(errors.filter((error) => !/the server answered 400|status of 400/.test(error))).toEqual([]);
  });

  it('follows the language picker: in Arabic the alert screens read right to left', async () => {
    await page.getByTestId('alerts-workspace').getByRole('button', { name: 'Back to records' }).click();
    await page.getByTestId('language').first().selectOption('ar');
    await page.getByTestId('open-alerts').click();
    const workspace = page.getByTestId('alerts-workspace');
    expect(await workspace.locator('header strong').textContent()).toBe('تنبيهات المخاطر');
    expect(await workspace.getByTestId('alert-feeds').locator('summary').textContent()).toMatch(/^خلاصات التنبيهات/);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await screenshot(page, 'alerts-arabic');
    await page
      .getByTestId('language')
      .first()
      .selectOption('en')
      .catch(() => undefined);
  });
});
