// Emergency activation end to end, in real Chromium against the real Worker, three browser contexts:
// CSO officer A, CSO officer B and a consulate officer. The consulate files a request (area imported
// as GeoJSON), both CSO officers approve from their own devices, officer B builds and sends the release
// (selected and sealed in the browser), the consulate verifies and opens it and sees the manifest.
// A person without consent to their own consulate, and a refugee, are not in it. Then the server is
// tampered with (an approval deleted, an audit entry altered) and the consulate's client refuses.
// Besides the records seeded through the API, officer A types a community (pinned on the map) and a
// person into the app, and publishes a summary built on the device; after the release is revoked,
// every byte the server stored and everything it printed is scanned for what was typed and for the
// positions. The suite has a Worker and database of its own, so the scans see only its data.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberFingerprint, toBase64 } from '#crypto';
import { rosterFingerprint } from '#crypto/roster';
import { readPhone } from '#model/phone';
import { createOrg, fetchRoster, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import type { RunningWorker } from '../../scripts/worker-process.ts';
import { startOwnWorker } from '../faults/worker.ts';
import { countRows, queryRows, tamper } from '../support/activation-actors.ts';
import { deviceStorage, launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';
import { scanForSecrets } from '../support/leak-scan.ts';
import { pushSealed, seedBuilders } from '../support/seed-records.ts';
import { collectWorkerLogs, wranglerLogDirectory } from '../support/worker-logs.ts';
import { scanForCoordinates, type Position } from '../security/coordinate-scan.ts';

const passphrase = 'activation test passphrase';
const runStarted = Date.now();
let worker: RunningWorker;
let baseUrl = '';
let persistTo = '';

let browser: Browser;
let officerA: Actor;
let officerB: Actor;
let consulate: Actor;
const pages: Record<'a' | 'b' | 'consul', Page> = {} as never;
const errors: Record<string, string[]> = {};
let requestHash = '';

const seed = seedBuilders();
const consent = (ownConsulate: boolean) => seed.consent({ ownConsulate });
const ids = {
  port: crypto.randomUUID(),
  benghazi: crypto.randomUUID(),
  sita: crypto.randomUUID(),
  ram: crypto.randomUUID(),
  refugee: crypto.randomUUID(),
  far: crypto.randomUUID(),
};
const person = (id: string, communityId: string, name: string, extra: Record<string, unknown>) =>
  seed.person({ id, communityId, name, phone: '+218 91 000 0000', documents: { passport: 'confiscated', other: [] }, ...extra });
const records = [
  seed.community({
    id: ids.port,
    name: 'Derna port dormitory',
    location: { lon: 22.64, lat: 32.76 },
    headcount: { total: 40 },
    nationalities: [
      { code: 'NP', count: 30 },
      { code: 'BD', count: 10 },
    ],
    contact: { name: 'Hari Contactperson', phone: '+218 91 111 1111' },
  }),
  seed.community({
    id: ids.benghazi,
    name: 'Benghazi brickworks',
    location: { lon: 20.07, lat: 32.12 },
    headcount: { total: 25 },
    site: { type: 'work_site' },
  }),
  person(ids.sita, ids.port, 'Sita Consenting', { phone: '+218 92 222 2222' }),
  person(ids.ram, ids.port, 'Ram Noconsent', { consent: consent(false) }),
  person(ids.refugee, ids.port, 'Maya Refugee', { refugee: true, consent: consent(false) }),
  person(ids.far, ids.benghazi, 'Bishnu Faraway', {}),
];

/** What officer A types into the app, and where the pin is aimed: inside the requested area, away from its edges and from the seeded community. */
const typed = {
  site: 'Derna fish market hostel',
  contact: 'Prakash Shrestha',
  contactPhone: '+218 93 654 0021',
  person: 'गीता तामाङ',
  personLatin: 'Gita Tamang',
  personPhone: '+218 94 321 7788',
  family: 'Dil Bahadur Tamang',
  familyPhone: '+977 984 555 0123',
};
const pinTarget: Position = { lon: 22.52, lat: 32.66 };
/** Where the pin landed, as the capture form showed it (lat, lon to 5 decimals). */
let pinned: Position | undefined;

const area = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: 'Derna' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [22.45, 32.6],
            [22.8, 32.6],
            [22.8, 32.85],
            [22.45, 32.85],
            [22.45, 32.6],
          ],
        ],
      },
    },
  ],
};

function signInBrowser(page: Page, actor: Actor, orgName: string, orgKind: string, label: string) {
  return signInAsActor(page, baseUrl, actor, { orgName, orgKind, label, passphrase });
}

async function openActivation(page: Page) {
  await page.getByRole('tab', { name: 'Emergency activation' }).click();
  await page.getByTestId('activation-panel').waitFor();
}

async function openRequest(page: Page) {
  await expect.poll(() => page.getByTestId('activation-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.getByTestId('activation-item').first().click();
  await page.getByTestId('activation-view').waitFor();
}

/** Reads the capture form's pin after a click on the map at page position (x, y); waits until it differs from `previous`. */
async function pinAfterClick(page: Page, x: number, y: number, previous: string): Promise<{ text: string; position: Position }> {
  await page.mouse.click(x, y);
  const pin = page.getByTestId('capture-form').getByTestId('pin').locator('bdi');
  await expect.poll(() => pin.textContent({ timeout: 10_000 }), { timeout: 10_000 }).not.toBe(previous);
  const text = (await pin.textContent())!;
  const [lat, lon] = text.split(',').map(Number);
  return { text, position: { lon: lon!, lat: lat! } };
}

/** Drops the capture pin on `target`: two clicks measure where the map shows what, a third pins the spot. */
async function pinOn(page: Page, target: Position): Promise<Position> {
  const box = (await page.getByTestId('map').boundingBox())!;
  const [x1, y1, x2, y2] = [box.width * 0.3, box.height * 0.3, box.width * 0.7, box.height * 0.7];
  const first = await pinAfterClick(page, box.x + x1, box.y + y1, '');
  const second = await pinAfterClick(page, box.x + x2, box.y + y2, first.text);
  // Over a degree or so, longitude is linear in x and latitude close enough to linear in y.
  const x = x1 + ((target.lon - first.position.lon) / (second.position.lon - first.position.lon)) * (x2 - x1);
  const y = y1 + ((target.lat - first.position.lat) / (second.position.lat - first.position.lat)) * (y2 - y1);
  expect(x > 0 && x < box.width && y > 0 && y < box.height, `target at (${x}, ${y}) of a ${box.width}×${box.height} map`).toBe(true);
  return (await pinAfterClick(page, box.x + x, box.y + y, second.text)).position;
}

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-activation-'));
  worker = await startOwnWorker({ persistTo, quiet: true });
  baseUrl = worker.url;
  officerA = await createOrg(baseUrl, { name: 'Derna Solidarity', approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Embassy of Nepal', nationalities: ['NP'], founderLabel: 'Consul' });
  const pushed = await pushSealed(officerA, records);
  expect(pushed.status).toBe(200);

  browser = await launchChromium();
  for (const name of ['a', 'b', 'consul'] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    pages[name] = await context.newPage();
    errors[name] = watchPageErrors(pages[name]);
  }
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

describe('emergency activation in three browsers', () => {
  it('the CSO lists the consulate as a partner it works with, from the partner code the consulate gave it', async () => {
    const a = pages.a;
    await signInBrowser(a, officerA, 'Derna Solidarity', 'cso', 'Officer A');
    await expect.poll(() => a.getByTestId('community-list').textContent(), { timeout: 60_000 }).toContain('Derna port dormitory');
    await openActivation(a);
    const relationships = a.getByTestId('relationships');
    const head = (await fetchRoster(consulate)).at(-1)!;
    await relationships.locator('input[name=code]').fill(`${consulate.orgId}~${head.statement.version}.${head.hash}`);
    await relationships.getByRole('button', { name: 'Look up' }).click();
    const found = relationships.getByTestId('partner-found');
    await found.locator('input[name=kind][value=consulate]').check({ timeout: 30_000 });
    await found.locator('input[name=nationalities]').fill('NP');
    await found.getByRole('button', { name: 'The fingerprints match: sign and add' }).click();
    await expect
      .poll(() => relationships.getByTestId('partner').textContent(), { timeout: 30_000 })
      .toMatch(/Embassy of Nepal verified: a consulate or embassy, NP;/);
  });

  it('officer A types a community pinned on the map and a person into the app; both are sealed and synced', async () => {
    const a = pages.a;
    await a.getByRole('button', { name: 'Back to the map' }).click();
    await a.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    // The map frames the two seeded communities before the pin is aimed.
    await expect.poll(() => a.getByTestId('map').getAttribute('data-points'), { timeout: 30_000 }).toBe('2');
    await a.getByRole('tab', { name: 'New community', exact: true }).click();
    pinned = await pinOn(a, pinTarget);
    expect(Math.abs(pinned.lon - pinTarget.lon)).toBeLessThan(0.03);
    expect(Math.abs(pinned.lat - pinTarget.lat)).toBeLessThan(0.03);
    const form = a.getByTestId('capture-form');
    await form.locator('input[name=name]').fill(typed.site);
    await form.locator('select[name=status]').selectOption('stranded');
    await form.locator('input[name=headcount]').fill('18');
    await form.locator('input[name=nationalities]').fill('NP 18');
    await form.locator('input[name=needs][value=water]').check();
    await form.locator('input[name=contactName]').fill(typed.contact);
    await form.locator('input[name=contactPhone]').fill(typed.contactPhone);
    await form.getByRole('button', { name: 'Seal and save' }).click();
    const detail = a.getByTestId('record-detail');
    await expect.poll(() => detail.textContent(), { timeout: 15_000 }).toContain(typed.site);
    await detail.getByRole('button', { name: 'Add a person' }).click();
    const person = a.getByTestId('person-form');
    await person.locator('input[name=name]').fill(typed.person);
    await person.locator('input[name=nameLatin]').fill(typed.personLatin);
    await person.locator('select[name=sex]').selectOption('female');
    await person.locator('input[name=nationality]').fill('NP');
    await person.locator('input[name=phone]').fill(typed.personPhone);
    await person.locator('input[name=familyName]').fill(typed.family);
    await person.locator('input[name=familyPhone]').fill(typed.familyPhone);
    await person.locator('input[name=consent][value=ownConsulate]').check();
    await person.locator('input[name=consent][value=humanitarian]').check();
    await person.getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => a.getByTestId('record-detail').textContent(), { timeout: 15_000 }).toContain(typed.personLatin);
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => a.getByTestId('pending').textContent(), { timeout: 45_000 }).toBe('All synced');
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM records WHERE org_id = ?', officerA.orgId)).toBe(records.length + 2);
  });

  it('officer A publishes a summary built on the device', async () => {
    const a = pages.a;
    await a.getByTestId('open-plans').click();
    const summaries = a.getByTestId('summaries');
    await expect.poll(() => summaries.textContent(), { timeout: 60_000 }).toContain('Libya 2011 boundaries');
    await summaries.getByTestId('publish-summary').click();
    await expect.poll(() => a.getByTestId('plans-status').textContent(), { timeout: 30_000 }).toMatch(/^Summary published: \d+ areas/);
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM summaries')).toBe(1);
    await a.getByRole('button', { name: 'Back to records' }).click();
    await openActivation(a); // where the original flow left officer A, to approve the request from there
  });

  it('the consulate draws or imports the area and files a signed request', async () => {
    const consul = pages.consul;
    await signInBrowser(consul, consulate, 'Embassy of Nepal', 'consulate', 'Consul');
    await openActivation(consul);
    await consul.getByRole('button', { name: 'Request an emergency release' }).click();
    const form = consul.getByTestId('activation-request-form');
    const map = form.getByTestId('area-map');
    await form.locator('[data-testid="area-map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    // Drawing: three clicks make three vertices…
    const box = (await map.boundingBox())!;
    for (const [dx, dy] of [
      [0.3, 0.3],
      [0.6, 0.3],
      [0.5, 0.6],
    ])
      await consul.mouse.click(box.x + box.width * dx!, box.y + box.height * dy!);
    await expect.poll(() => form.getByTestId('area-status').textContent()).toBe('3 points');
    // …but the test area comes from a GeoJSON file, which replaces the drawing.
    await form
      .getByTestId('area-file')
      .setInputFiles({ name: 'derna.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(area)) });
    await expect.poll(() => form.getByTestId('area-status').textContent()).toBe('Area imported (5 positions)');
    await map.scrollIntoViewIfNeeded();
    await screenshot(consul, 'activation-1a-area-imported');
    expect(
      await form
        .locator('input[name=nationality]')
        .evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).value, (input as HTMLInputElement).checked])),
    ).toEqual([['NP', true]]);
    await form.locator('input[name=field][value=names]').check();
    await form.locator('input[name=field][value=contact]').check();
    await form.locator('textarea[name=purpose]').fill('Evacuation by sea of Nepali workers stranded at Derna port');
    await form.locator('input[name=expiry]').fill('3');
    await screenshot(consul, 'activation-1-request-form');
    await form.getByRole('button', { name: 'Sign and send the request' }).click();
    const view = consul.getByTestId('activation-view');
    await consul.locator('[data-testid="activation-view"] [data-testid="target-status"]').waitFor({ timeout: 30_000 });
    requestHash = (await view.getAttribute('data-hash')) ?? '';
    expect(requestHash).toMatch(/^[\w-]{43}$/);
    await expect.poll(() => view.getByTestId('target-status').getAttribute('data-status')).toBe('pending');
  });

  it('officer B sees the pending count, the area and a numbers-only preview, and approves', async () => {
    const b = pages.b;
    await signInBrowser(b, officerB, 'Derna Solidarity', 'cso', 'Officer B');
    await expect.poll(() => b.getByTestId('activation-pending').textContent(), { timeout: 30_000 }).toContain('1');
    await expect.poll(() => b.getByTestId('community-list').textContent(), { timeout: 60_000 }).toContain('Derna port dormitory');
    await expect.poll(() => b.getByTestId('community-list').textContent(), { timeout: 30_000 }).toContain(typed.site);
    await b.getByTestId('activation-pending').click();
    await openRequest(b);
    // Two communities and two people would go (the port and the typed hostel, Sita and Gita): Ram (no
    // consent) and Maya (refugee) are withheld; Benghazi is outside.
    await expect
      .poll(() => b.getByTestId('preview').textContent(), { timeout: 30_000 })
      .toBe('If released now, from this device’s records: 2 communities and 2 people; 2 people in the area withheld for lack of consent.');
    await b.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => b.getByTestId('my-decision').textContent(), { timeout: 15_000 }).toBe('You decided: Approve.');
    await screenshot(b, 'activation-2-officer-b-approved');
  });

  it('officer A approves; with 2 of 2 approvals verified on the device, A builds and sends the release', async () => {
    const a = pages.a;
    await openRequest(a);
    await a.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => a.getByTestId('target-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');
    await a.getByRole('button', { name: 'Build and send the release' }).click();
    await expect
      .poll(() => a.getByTestId('activation-notice').textContent(), { timeout: 60_000 })
      .toBe('Release sealed to the requester and sent (4 records).');
    await expect.poll(() => a.getByTestId('target-status').getAttribute('data-status')).toBe('released');
    await screenshot(a, 'activation-3-officer-a-released');
  });

  it('the consulate verifies the approvals, opens the release and works the manifest; consent was honoured', async () => {
    const consul = pages.consul;
    const view = consul.getByTestId('activation-view');
    await expect
      .poll(() => view.getByTestId('release-verdict').textContent(), { timeout: 30_000 })
      .toBe('Verified on this device: 2 of 2 approvals by the CSO’s officers, no veto.');
    await view.getByRole('button', { name: 'Open the release' }).click();
    const manifest = consul.getByTestId('manifest');
    await manifest.waitFor({ timeout: 30_000 });
    const text = (await manifest.textContent()) ?? '';
    expect(text).toContain('Derna port dormitory');
    expect(text).toContain('Sita Consenting');
    // Phones in E.164 (decision 0802): Sita's as the CSO stored it ('+218 92 222 2222'), read on the
    // consulate's device; the person's typed on officer A's form, stored so. Each is a number to call.
    expect(text).toContain('+218922222222');
    expect(text).toContain(typed.site);
    expect(text).toContain(typed.person);
    expect(text).toContain('+218943217788');
    expect(await manifest.locator('a[href="tel:+218922222222"]').count()).toBe(1);
    for (const absent of [
      'Ram Noconsent',
      'Maya Refugee',
      'Bishnu Faraway',
      'Benghazi',
      'Hari Contactperson',
      '+218 91 111 1111',
      '+218911111111',
      typed.contact,
      typed.contactPhone,
      '+218936540021',
      'confiscated',
    ])
      expect(text).not.toContain(absent);
    expect(await consul.getByTestId('manifest-person').count()).toBe(2);
    await expect.poll(() => consul.getByTestId('release-map').getAttribute('data-points')).toBe('4');
    const [download] = await Promise.all([consul.waitForEvent('download'), manifest.getByTestId('manifest-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[1]).toContain('#geo+lat');
    expect(lines[1]).toContain('#country+code');
    expect(lines).toHaveLength(6); // headers, hashtags, the two communities, Sita and Gita
    expect(csv).toContain('32.76');
    await expect.poll(() => view.getByTestId('audit-ok').textContent()).toMatch(/verifies on this device \(5 entries/);
    // The CSO's officer roster the approvals were checked against: version 2 (A founded, B added),
    // with the same short fingerprint on the consulate's screen and on officer A's, to compare by phone.
    const fingerprint = rosterFingerprint((await fetchRoster(officerA)).at(-1)!.hash);
    const shown = view.getByTestId('roster-fingerprint');
    expect(await shown.getAttribute('data-version')).toBe('2');
    expect(await shown.textContent()).toContain(fingerprint);
    expect(await pages.a.getByTestId('roster-fingerprint').textContent()).toContain(fingerprint);
    const audit = (await view.getByTestId('audit-log').textContent()) ?? '';
    expect(audit).toContain('Officer B (Derna Solidarity) approved at');
    expect(audit).toContain('Officer A (Derna Solidarity) sent the release at');
    // The sort choices follow the language picker (they were translated once, at import, in English).
    const sortLabels = () => manifest.getByTestId('manifest-sort').locator('option').allTextContents();
    await consul.getByTestId('language').first().selectOption('fr');
    await expect.poll(sortLabels).toEqual(['Nom', 'Nationalité', 'Situation', 'Passeport', 'Besoins', 'Date de naissance']);
    await consul.getByTestId('language').first().selectOption('en');
    await expect.poll(sortLabels).toEqual(['Name', 'Nationality', 'Status', 'Passport', 'Needs', 'Date of birth']);
    await screenshot(consul, 'activation-4-consulate-manifest');
    // Printed, the page shows the manifest and nothing else (print stylesheet).
    await consul.emulateMedia({ media: 'print' });
    expect(await view.getByTestId('audit-log').evaluate((element) => getComputedStyle(element).visibility)).toBe('hidden');
    expect(await manifest.evaluate((element) => getComputedStyle(element).visibility)).toBe('visible');
    expect(await manifest.isVisible()).toBe(true);
    await screenshot(consul, 'activation-5-consulate-manifest-print');
    await consul.emulateMedia({ media: 'screen' });
  });

  it('the consulate client refuses when the server shows only k-1 valid approvals, and shows an altered audit log', async () => {
    const consul = pages.consul;
    const [decisionB] = queryRows<Record<string, string | number>>(
      persistTo,
      'SELECT * FROM activation_decisions WHERE request_hash = ? AND member_id = ?',
      requestHash,
      officerB.memberId,
    );
    tamper(persistTo, 'DELETE FROM activation_decisions WHERE request_hash = ? AND member_id = ?', requestHash, officerB.memberId);
    const view = consul.getByTestId('activation-view');
    await expect.poll(() => view.getByTestId('release-verdict').getAttribute('data-ok'), { timeout: 30_000 }).toBe('false');
    expect(await view.getByTestId('release-verdict').textContent()).toContain('only 1 valid approval of the 2 needed');
    await view.getByRole('button', { name: 'Open the release' }).click();
    await expect
      .poll(() => view.getByTestId('release-refused').textContent(), { timeout: 15_000 })
      .toContain('Refused: only 1 valid approval of the 2 needed');
    expect(await consul.getByTestId('manifest').count()).toBe(0);

    // Someone with the database rewrites officer A's approval entry (seq 1).
    const [stored] = queryRows<{ entry: string }>(
      persistTo,
      'SELECT entry FROM audit_entries WHERE chain_id = ? AND seq = 1',
      `request:${requestHash}`,
    );
    const altered = { ...JSON.parse(stored!.entry), at: new Date(Date.now() - 60_000).toISOString() };
    tamper(
      persistTo,
      'UPDATE audit_entries SET entry = ? WHERE chain_id = ? AND seq = 1',
      JSON.stringify(altered),
      `request:${requestHash}`,
    );
    await expect
      .poll(() => view.getByTestId('audit-broken').textContent(), { timeout: 30_000 })
      .toMatch(/^The audit log does not verify: entry 2 /);
    await screenshot(consul, 'activation-6-consulate-refuses');
    // Put back what was taken, for the tests after this one.
    tamper(persistTo, 'UPDATE audit_entries SET entry = ? WHERE chain_id = ? AND seq = 1', stored!.entry, `request:${requestHash}`);
    const columns = Object.keys(decisionB!);
    tamper(
      persistTo,
      `INSERT INTO activation_decisions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ...columns.map((column) => decisionB![column]!),
    );
    await expect.poll(() => view.getByTestId('release-verdict').getAttribute('data-ok'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => view.getByTestId('audit-broken').count(), { timeout: 30_000 }).toBe(0);
  });

  it('the consulate client refuses everything from the CSO when its officer roster is forked', async () => {
    const consul = pages.consul;
    const view = consul.getByTestId('activation-view');
    const saved = queryRows<Record<string, string | number>>(
      persistTo,
      'SELECT * FROM officer_rosters WHERE org_id = ? ORDER BY version',
      officerA.orgId,
    );
    // Someone with the database rewrites version 2 so that it lists a key of theirs instead of officer B's.
    const v2 = JSON.parse(String(saved[1]!.statement)) as { officers: { memberId: string; signPublicKey: string }[] };
    const forged = {
      ...v2,
      officers: v2.officers.map((officer) =>
        officer.memberId === officerB.memberId
          ? { ...officer, signPublicKey: toBase64(crypto.getRandomValues(new Uint8Array(32))) }
          : officer,
      ),
    };
    tamper(persistTo, 'UPDATE officer_rosters SET statement = ? WHERE org_id = ? AND version = 2', JSON.stringify(forged), officerA.orgId);
    await expect
      .poll(() => view.getByTestId('roster-broken').textContent(), { timeout: 30_000 })
      .toMatch(/officer roster is broken or forked at version 2/);
    expect(await view.getByTestId('release-verdict').textContent()).toContain('officer roster is broken or forked');
    await view.getByRole('button', { name: 'Open the release' }).click();
    await expect
      .poll(() => view.getByTestId('release-refused').textContent(), { timeout: 15_000 })
      .toContain('officer roster is broken or forked at version 2');
    expect(await consul.getByTestId('manifest').count()).toBe(0);
    await screenshot(consul, 'activation-6b-consulate-roster-forked');
    tamper(
      persistTo,
      'UPDATE officer_rosters SET statement = ? WHERE org_id = ? AND version = 2',
      String(saved[1]!.statement),
      officerA.orgId,
    );
    await expect.poll(() => view.getByTestId('roster-broken').count(), { timeout: 30_000 }).toBe(0);
  });

  // On 53dbdde a release the consulate had open stayed on its screen after the revoke, until its
  // expiry or until the screen was left; now the device forgets it at its next refresh.
  it('an officer revokes the release early; the consulate forgets what it had open, sees it revoked and can no longer open it', async () => {
    const a = pages.a;
    const view = pages.consul.getByTestId('activation-view');
    await view.getByRole('button', { name: 'Open the release' }).click();
    await expect.poll(() => pages.consul.getByTestId('manifest').count(), { timeout: 30_000 }).toBe(1);
    a.once('dialog', (dialog) => void dialog.accept());
    await a.getByRole('button', { name: 'Revoke the release now' }).click();
    await expect.poll(() => a.getByTestId('target-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('revoked');
    await expect.poll(() => view.getByTestId('release').getAttribute('data-status'), { timeout: 30_000 }).toBe('revoked');
    expect(await pages.consul.getByTestId('manifest').count()).toBe(0);
    expect(await view.getByTestId('release-forgotten').textContent()).toContain('revoked this release');
    expect(await view.getByRole('button', { name: 'Open the release' }).count()).toBe(0);
  });

  it('officer A proposes giving a new officer the org key, removing them and lowering k; officer B co-signs each (k = 2); the consulate is shown every change', async () => {
    const a = pages.a;
    const b = pages.b;
    const officerC = await invite(officerA, 'officer', 'Officer C');
    await a.getByRole('button', { name: 'Back to the map' }).click();
    await a.getByRole('tab', { name: 'Settings', exact: true }).click();
    await b.getByRole('button', { name: 'Back to the map' }).click();
    /** B opens Settings, finds the waiting change described on B's own device, and co-signs it. */
    const cosignOnB = async (describes: string, newcomer?: Actor) => {
      await b.getByRole('tab', { name: 'Records', exact: true }).click();
      await b.getByRole('tab', { name: 'Settings', exact: true }).click();
      const proposal = b.getByTestId('roster-proposal');
      await expect.poll(() => proposal.textContent(), { timeout: 30_000 }).toContain(describes);
      if (newcomer) {
        // B did not make C's invitation: B's device asks B to compare C's fingerprint before co-signing.
        const cosign = proposal.getByRole('button', { name: 'I agree: co-sign' });
        expect(await cosign.isDisabled()).toBe(true);
        expect(await proposal.getByTestId('device-key-fingerprint').textContent()).toContain(
          memberFingerprint(toBase64(newcomer.keys.signPublicKey), toBase64(newcomer.keys.boxPublicKey)),
        );
        await proposal.getByTestId('fingerprint-compared').check();
      }
      await proposal.getByRole('button', { name: 'I agree: co-sign' }).click();
      await expect
        .poll(() => b.getByTestId('officer-panel').getByTestId('approvals-saved').textContent(), { timeout: 30_000 })
        .toMatch(/the change has taken effect/);
    };
    const member = a.getByTestId('officer-panel').locator('li', { hasText: 'Officer C' });
    // Invited outside this device: A compares C's fingerprint (the one C's screen shows) before sealing the org key to C.
    await expect
      .poll(() => member.getByTestId('device-key-fingerprint').textContent(), { timeout: 30_000 })
      .toContain(memberFingerprint(toBase64(officerC.keys.signPublicKey), toBase64(officerC.keys.boxPublicKey)));
    await member.getByTestId('fingerprint-compared').check();
    await member.getByRole('button', { name: 'Give org key' }).click();
    await expect
      .poll(() => a.getByTestId('officer-panel').getByTestId('approvals-saved').textContent(), { timeout: 15_000 })
      .toMatch(/^Proposed\./);
    // A's signature alone changes nothing (decision 0603: k = 2 officers sign a change of who counts).
    expect(await fetchRoster(officerA)).toHaveLength(2);
    await cosignOnB('Add Officer C as an officer', officerC);
    // Version 3 adds exactly officer C with the keys C registered, proposed by A and co-signed by B.
    await expect.poll(async () => (await fetchRoster(officerA)).length, { timeout: 15_000 }).toBe(3);
    const v3 = (await fetchRoster(officerA)).at(-1)!;
    expect(v3.signerId).toBe(officerA.memberId);
    expect(v3.cosignatures?.map((cosignature) => cosignature.signerId)).toEqual([officerB.memberId]);
    expect(v3.statement.officers.find((officer) => officer.memberId === officerC.memberId)?.signPublicKey).toBe(
      toBase64(officerC.keys.signPublicKey),
    );
    const view = pages.consul.getByTestId('activation-view');
    await expect.poll(() => view.getByTestId('roster-changed').textContent(), { timeout: 30_000 }).toContain('added Officer C;');
    await a.getByRole('tab', { name: 'Records', exact: true }).click();
    await a.getByRole('tab', { name: 'Settings', exact: true }).click();
    // C holds the org key, so the app asks why C leaves; C left, the device is in safe hands (decision 0606).
    await member.getByTestId('remove-member').click();
    await member.getByTestId('remove-left').click();
    await cosignOnB('Remove Officer C from the officers');
    await expect
      .poll(
        async () => (await fetchRoster(officerA)).at(-1)!.statement.officers.some((officer) => officer.memberId === officerC.memberId),
        { timeout: 15_000 },
      )
      .toBe(false);
    await expect
      .poll(() => view.getByTestId('roster-changed').textContent(), { timeout: 30_000 })
      .toMatch(/added Officer C;.*removed Officer C;/);
    expect(await view.getByTestId('roster-fingerprint').getAttribute('data-version')).toBe('4');
    // k changes from the same panel: A proposes version 5 with the new k, B co-signs.
    await a.getByRole('tab', { name: 'Records', exact: true }).click();
    await a.getByRole('tab', { name: 'Settings', exact: true }).click();
    const approvalsForm = a.getByTestId('approvals-form');
    await expect.poll(() => approvalsForm.locator('input[name=approvals]').inputValue(), { timeout: 15_000 }).toBe('2');
    await approvalsForm.locator('input[name=approvals]').fill('1');
    await approvalsForm.getByRole('button', { name: 'Sign and save' }).click();
    await expect.poll(() => approvalsForm.getByTestId('approvals-saved').textContent(), { timeout: 15_000 }).toMatch(/^Proposed\./);
    await cosignOnB('Approvals a release needs: from 2 to 1');
    await expect.poll(() => view.getByTestId('roster-changed').textContent(), { timeout: 30_000 }).toContain('approvals needed 2 → 1.');
    expect(await view.getByTestId('roster-fingerprint').getAttribute('data-version')).toBe('5');
    await view.getByTestId('roster-changed').scrollIntoViewIfNeeded();
    await screenshot(pages.consul, 'activation-8-consulate-roster-changed');
  });

  it('left no name, phone or position on the server or in its logs, after sync, summary, release and revocation; the pages logged no errors', async () => {
    for (const name of Object.keys(errors))
      expect(
        errors[name]!.filter((error) => !/status of 40[0-9]/.test(error)),
        name,
      ).toEqual([]);
    // Every workflow ran before the scan: the records synced, a summary, a release sent, downloaded and revoked.
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM records')).toBe(records.length + 2);
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM summaries')).toBe(1);
    expect(countRows(persistTo, "SELECT COUNT(*) AS count FROM releases WHERE status = 'revoked'")).toBe(1);
    expect(countRows(persistTo, "SELECT COUNT(*) AS count FROM audit_entries WHERE entry LIKE '%release.downloaded%'")).toBeGreaterThan(0);
    const secrets = [
      ...Object.values(typed),
      ...records.flatMap((record) => {
        const { name, phone, contact } = record as { name?: unknown; phone?: unknown; contact?: { name?: unknown; phone?: unknown } };
        return [name, phone, contact?.name, contact?.phone];
      }),
    ].filter((value): value is string => typeof value === 'string');
    // Phones also as the forms store them (E.164), not only as typed.
    secrets.push(
      ...secrets.flatMap((secret) => {
        const reading = readPhone(secret);
        return reading.ok ? [reading.e164] : [];
      }),
    );
    // The requester's browser storage, copied as a thief would (issue 15): nothing of the release it
    // opened and worked with, which lives in memory only.
    const requesterStorage = await deviceStorage(pages.consul);
    expect(requesterStorage.length).toBeGreaterThan(200);
    expect(secrets.filter((secret) => requesterStorage.includes(secret))).toEqual([]);
    await browser.close();
    await worker.stop();
    const logs = mkdtempSync(path.join(persistTo, '..', `${path.basename(persistTo)}-logs-`));
    try {
      const { wranglerLogs } = collectWorkerLogs(worker, runStarted, logs);
      if (existsSync(wranglerLogDirectory()))
        expect(wranglerLogs, `no wrangler log of this run in ${wranglerLogDirectory()}`).toBeGreaterThan(0);
      expect(pinned).toBeDefined();
      const positions = [pinned!, ...records.flatMap((record) => ('location' in record ? [record.location] : []))];
      expect(positions).toHaveLength(3);
      const found: string[] = [];
      const scanned: string[] = [];
      for (const directory of [persistTo, logs]) {
        const names = scanForSecrets(directory, secrets);
        const places = scanForCoordinates(directory, positions);
        expect(names.files).toBeGreaterThan(0);
        expect(names.bytes).toBeGreaterThan(directory === persistTo ? 100_000 : 1_000);
        scanned.push(`${names.files} files, ${names.bytes} bytes`);
        found.push(
          ...names.hits.map((hit) => `${hit.file}: ${hit.secret} as ${hit.encoding}`),
          ...places.hits.map((hit) => `${hit.source}@${hit.offset}: ${hit.form}`),
        );
      }
      expect(found).toEqual([]);
      console.log(
        `activation leak scan: ${secrets.length} names and phones, ${positions.length} positions; stored: ${scanned[0]}; printed (worker output and ${wranglerLogs} wrangler logs): ${scanned[1]}; 0 hits`,
      );
    } finally {
      rmSync(logs, { recursive: true, force: true });
    }
  });
});
