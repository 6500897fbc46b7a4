// The basemap option (issue 6, decision 0406): by default the map shows the embedded Natural Earth
// basemap and asks nothing of any other server; a deployment built with BASEMAP_TILES offers that
// tile source in the settings, and the page's CSP lets exactly its origin through. Here the web
// client is built a second time with a tile server on this machine, and served by its own Worker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, type Actor } from '../../scripts/lib/actors.ts';
import { projectRoot, startWorker, type RunningWorker } from '../../scripts/worker-process.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';
import { serveOnLoopback, type LocalServer } from '../support/local-server.ts';

const defaultUrl = inject('workerUrl');
// A 1x1 PNG: enough for MapLibre and Leaflet to draw a tile.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const passphrase = 'basemap test passphrase';

let tileServer: LocalServer;
let tileOrigin: string;
const tileRequests: string[] = [];
let buildDir: string;
let persistTo: string;
let worker: RunningWorker;
let browser: Browser;

beforeAll(async () => {
  tileServer = await serveOnLoopback((request, response) => {
    tileRequests.push(request.url ?? '');
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(request.url ?? '')) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(PNG);
  });
  tileOrigin = tileServer.origin;

  buildDir = mkdtempSync(path.join(os.tmpdir(), 'buffer-web-tiles-'));
  const build = spawnSync(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['scripts/build-web.ts', '--out-dir', buildDir], {
    cwd: projectRoot,
    env: { ...process.env, BASEMAP_TILES: `${tileOrigin}/{z}/{x}/{y}.png`, BASEMAP_ATTRIBUTION: 'Test tiles' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build with BASEMAP_TILES failed:\n${build.stdout}\n${build.stderr}`);
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-basemap-'));
  worker = await startWorker({ persistTo, quiet: true, assetsDir: buildDir });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await tileServer?.close();
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(persistTo, { recursive: true, force: true });
});

async function officerOn(baseUrl: string, name: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const actor: Actor = await createOrg(baseUrl, { name });
  const page = await browser.newPage();
  const errors = watchPageErrors(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await signInAsActor(page, baseUrl, actor, { orgName: name, orgKind: 'cso', label: 'Officer', passphrase });
  await page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
  return { page, errors, requests };
}

describe('basemap', () => {
  it('by default: the embedded basemap only, no tile option, no request to any other origin', async () => {
    const { page, errors, requests } = await officerOn(defaultUrl, 'Basemap default CSO');
    expect(await (await fetch(`${defaultUrl}/basemap.json`)).json()).toEqual({ tiles: null, attribution: '', host: null });
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();
    await page.getByTestId('settings').waitFor();
    expect(await page.getByTestId('settings').locator('input[name=onlineTiles]').count()).toBe(0);
    const origin = new URL(defaultUrl).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a deployment built with BASEMAP_TILES offers that source; switched on, its tiles load and the CSP lets them through', async () => {
    const headers = readFileSync(path.join(buildDir, '_headers'), 'utf8');
    expect(headers).toMatch(new RegExp(`img-src [^;]*${tileOrigin.replace(/[.:/]/g, '\\$&')}`));
    expect(headers).toMatch(new RegExp(`connect-src 'self' ${tileOrigin.replace(/[.:/]/g, '\\$&')};`));
    const { page, errors } = await officerOn(worker.url, 'Basemap tiles CSO');
    expect(tileRequests).toEqual([]); // nothing until the user chooses it
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();
    const settings = page.getByTestId('settings');
    expect(await settings.getByTestId('tile-host').textContent()).toBe(`(${new URL(tileOrigin).host})`);
    await settings.locator('input[name=onlineTiles]').check();
    await expect
      .poll(() => tileRequests.filter((url) => /^\/\d+\/\d+\/\d+\.png$/.test(url)).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'basemap-online-tiles');
    expect(errors.filter((error) => /Content Security Policy|Refused/.test(error))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
