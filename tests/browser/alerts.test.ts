// Alerts in, messages out, in real Chromium against the real Worker, two CSO officers (2 of 2 must
// approve). Officer A imports a CAP alert (the fixture under fixtures/alerts/), sees on the device
// which communities it covers with the map, drafts a relay message in Arabic and English to them and
// approves it; officer B approves from their own device, sees the recipients picked from the
// decrypted records (consent and language respected), downloads the bulk-SMS file and reports
// counts. No phone number ever reaches the server: not in any request either browser sent, not in
// the D1 files, not in wrangler's logs.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { e164Of } from '#model/phone';
import { createOrg, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { projectRoot } from '../../scripts/worker-process.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';
import { queryRows, tamper } from '../support/activation-actors.ts';
import { scanForSecrets } from '../support/leak-scan.ts';
import { pushSealed, seedBuilders } from '../support/seed-records.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
const passphrase = 'alerts test passphrase';
const startedAt = Date.now();

let browser: Browser;
let officerA: Actor;
let officerB: Actor;
const pages: Record<'a' | 'b', Page> = {} as never;
const errors: Record<string, string[]> = {};
/** Every URL and body either browser sent to the server. */
const sent: string[] = [];

const seed = seedBuilders();
const ids = {
  port: crypto.randomUUID(),
  wadi: crypto.randomUUID(),
  benghazi: crypto.randomUUID(),
  amna: crypto.randomUUID(),
  sita: crypto.randomUUID(),
  ram: crypto.randomUUID(),
  bishnu: crypto.randomUUID(),
};
// Amna's and Sita's numbers are written the national way, as on a Libyan SIM card sleeve: the device
// reads them in the country of their community's place (decision 0802; Derna port lies just offshore
// on the basemap's 1:50m coastline, so it is the nearest country within 25 km).
const phones = {
  amna: '092 555 5555',
  sita: '092-222 2222',
  ram: '+218 92 666 6666',
  bishnu: '+218 92 999 9999',
  hari: '+218 91 111 1111',
};
const person = (
  id: string,
  communityId: string,
  name: string,
  nationality: string,
  phone: string,
  languages: string[],
  messages: boolean,
) => seed.person({ id, communityId, name, nationality, phone, languages, consent: seed.consent({ messages }) });
const records = [
  seed.community({
    id: ids.port,
    name: 'Derna port dormitory',
    location: { lon: 22.655, lat: 32.768 },
    headcount: { total: 40 },
    nationalities: [
      { code: 'NP', count: 30 },
      { code: 'BD', count: 10 },
    ],
    contact: { name: 'Hari Contactperson', phone: phones.hari, language: 'en', consentsToMessages: true },
  }),
  seed.community({
    id: ids.wadi,
    name: 'Wadi camp',
    location: { lon: 22.6, lat: 32.75 },
    headcount: { total: 60 },
    nationalities: [
      { code: 'SD', count: 50 },
      { code: 'EG', count: 10 },
    ],
    languages: ['ar'],
    site: { type: 'informal_settlement' },
  }),
  seed.community({
    id: ids.benghazi,
    name: 'Benghazi brickworks',
    location: { lon: 20.07, lat: 32.12 },
    headcount: { total: 25 },
    site: { type: 'work_site' },
  }),
  person(ids.amna, ids.wadi, 'Amna Sudanese', 'SD', phones.amna, ['ar'], true),
  person(ids.sita, ids.port, 'Sita Consenting', 'NP', phones.sita, ['ne', 'en'], true),
  person(ids.ram, ids.port, 'Ram Nomessages', 'NP', phones.ram, ['ne', 'en'], false),
  person(ids.bishnu, ids.benghazi, 'Bishnu Faraway', 'NP', phones.bishnu, ['en'], true),
];
const arabic = 'عاصفة قوية على ساحل درنة: ابتعدوا عن الوادي والميناء واتبعوا تعليمات الحماية المدنية.';
const english = 'Strong storm on the Derna coast: keep away from the wadi and the port, follow civil protection.';

async function signInBrowser(page: Page, actor: Actor, label: string) {
  await signInAsActor(page, baseUrl, actor, { orgName: 'Derna Solidarity (alerts)', orgKind: 'cso', label, passphrase });
  await expect.poll(() => page.getByTestId('community-list').textContent(), { timeout: 60_000 }).toContain('Wadi camp');
}

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Derna Solidarity (alerts)', approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  expect((await pushSealed(officerA, records)).status).toBe(200);

  browser = await launchChromium();
  for (const name of ['a', 'b'] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    pages[name] = await context.newPage();
    errors[name] = watchPageErrors(pages[name]);
    pages[name].on('request', (request) => {
      if (request.url().startsWith(baseUrl)) sent.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`);
    });
  }
});

afterAll(async () => {
  await browser?.close();
});

describe('alerts and relayed messages in two browsers', () => {
  it('officer A imports a CAP alert and sees, from the records on the device, which communities it covers, with the map', async () => {
    const a = pages.a;
    await signInBrowser(a, officerA, 'Officer A');
    await a.getByTestId('open-alerts').click();
    const workspace = a.getByTestId('alerts-workspace');
    await workspace.waitFor();
    await workspace.getByTestId('alert-file').setInputFiles(path.join(projectRoot, 'fixtures', 'alerts', 'cap-derna-storm-severe.xml'));
    await expect
      .poll(() => a.getByTestId('alerts-status').textContent(), { timeout: 30_000 })
      .toBe('Imported: Storm warning for the Derna coast.');
    const coverage = workspace.getByTestId('coverage');
    await expect
      .poll(() => coverage.textContent(), { timeout: 30_000 })
      .toBe('This orange alert covers 2 communities, about 100 people, of 4 nationalities: SD, NP, BD, EG.');
    expect(await workspace.getByTestId('covered-communities').textContent()).not.toContain('Benghazi');
    await workspace.locator('[data-testid="alert-map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => workspace.getByTestId('alert-map').getAttribute('data-points')).toBe('2');
    expect(await workspace.getByTestId('alert-detail').textContent()).toContain(
      'Areas named without a shape (not matched): Derna district',
    );

    // A GDACS event is imported the same way, and is listed with the CAP alert.
    await workspace.getByTestId('alert-file').setInputFiles(path.join(projectRoot, 'fixtures', 'alerts', 'gdacs-tc-derna.geojson'));
    await expect.poll(() => workspace.getByTestId('alert-item').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => coverage.textContent()).toMatch(/^This red alert covers 2 communities/);
    await workspace.getByTestId('alert-item').filter({ hasText: 'Storm warning for the Derna coast' }).click();
    await expect.poll(() => coverage.textContent()).toMatch(/^This orange alert/);
    await screenshot(a, 'alerts-1-coverage');
  });

  it('officer A drafts a relay to the affected communities in Arabic and English, signs it and approves', async () => {
    const a = pages.a;
    await a.getByTestId('draft-relay').click();
    const form = a.getByTestId('relay-form');
    await form.waitFor();
    expect(await form.getByTestId('relay-area').textContent()).toBe('Area: From alert: Derna coast, Derna port');
    expect(await form.locator('input[name=nationalities]').inputValue()).toBe('SD, NP, BD, EG');
    const arabicBox = form.locator('textarea[name="text-ar"]');
    expect(await arabicBox.getAttribute('dir')).toBe('rtl');
    await arabicBox.fill(arabic);
    await form.locator('textarea[name="text-en"]').fill(english);
    await a.locator('[data-testid="relay-map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
    await screenshot(a, 'alerts-2-relay-draft');
    await form.getByRole('button', { name: 'Sign and ask for approval' }).click();
    const view = a.getByTestId('relay-view');
    await view.waitFor({ timeout: 30_000 });
    expect(await view.getAttribute('data-status')).toBe('pending');
    expect(await view.getByTestId('relay-message-ar').getAttribute('dir')).toBe('rtl');
    expect(await view.getByTestId('relay-message-ar').textContent()).toBe(arabic);
    await view.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => view.getByTestId('relay-my-decision').textContent(), { timeout: 15_000 }).toBe('You decided: Approve.');
    expect(await view.getByTestId('relay-approvals').textContent()).toBe('1 of 2 approvals');
  });

  it('someone with the database erases officer A’s approval: A’s device sees the log cut short and signs nothing onto it', async () => {
    // On eb4889d a relay's chain was continued onto whatever head the server showed, and A's device
    // showed the relay undecided with nothing wrong (this test failed there).
    const a = pages.a;
    const hash = (await a.getByTestId('relay-view').getAttribute('data-hash'))!;
    const chainId = `relay:${hash}`;
    type Row = Record<string, string | number>;
    const [decision] = queryRows<Row>(persistTo, 'SELECT * FROM relay_decisions WHERE request_hash = ?', hash);
    const [approval] = queryRows<Row>(persistTo, 'SELECT * FROM audit_entries WHERE chain_id = ? AND seq = 1', chainId);
    expect(decision && approval).toBeTruthy();
    tamper(persistTo, 'DELETE FROM relay_decisions WHERE request_hash = ?', hash);
    tamper(persistTo, 'DELETE FROM audit_entries WHERE chain_id = ? AND seq = 1', chainId);
    const reopen = async () => {
      await a.getByTestId('relay-workspace').getByRole('button', { name: 'Close' }).click();
      await a.getByTestId('open-relay').click();
      await a.getByTestId('relay-workspace').getByTestId('relay-item').click();
      await a.getByTestId('relay-view').waitFor();
    };
    await reopen();
    const view = a.getByTestId('relay-view');
    const warning = view.getByTestId('relay-audit-broken');
    await expect.poll(() => warning.textContent(), { timeout: 30_000 }).toContain('Entries were removed (entry 2 is gone)');
    expect(await warning.getAttribute('data-kind')).toBe('truncated');
    await view.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => a.getByTestId('relay-status').textContent(), { timeout: 15_000 }).toContain('Not signing');
    expect(queryRows(persistTo, 'SELECT seq FROM audit_entries WHERE chain_id = ?', chainId)).toHaveLength(1);
    await screenshot(a, 'alerts-2b-relay-log-cut');
    // Put back what was taken: the kept head is there again, and the warning goes.
    for (const [table, row] of [
      ['relay_decisions', decision!],
      ['audit_entries', approval!],
    ] as const) {
      const columns = Object.keys(row);
      tamper(
        persistTo,
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ...columns.map((column) => row[column]!),
      );
    }
    await reopen();
    await expect
      .poll(() => a.getByTestId('relay-view').getByTestId('relay-my-decision').textContent(), { timeout: 30_000 })
      .toBe('You decided: Approve.');
    expect(await a.getByTestId('relay-view').getByTestId('relay-audit-broken').count()).toBe(0);
  });

  it('officer B approves; the device verifies 2 of 2, picks the recipients by consent and language, and reports counts only', async () => {
    const b = pages.b;
    await signInBrowser(b, officerB, 'Officer B');
    // The header shows what waits for a decision; it opens the messages.
    await expect.poll(() => b.getByTestId('relay-pending').textContent(), { timeout: 30_000 }).toContain('1');
    await b.getByTestId('relay-pending').click();
    const workspace = b.getByTestId('relay-workspace');
    await expect.poll(() => workspace.getByTestId('relay-item').count(), { timeout: 30_000 }).toBe(1);
    await workspace.getByTestId('relay-item').click();
    const view = workspace.getByTestId('relay-view');
    await view.waitFor();
    await view.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');
    const recipients = view.getByTestId('relay-recipients');
    await recipients.waitFor({ timeout: 30_000 });
    expect(await view.getByTestId('relay-check').textContent()).toBe('Verified on this device: 2 approvals by your officers, no decline.');
    // Amna (Arabic), Sita (English, her first language with a message) and the port's contact person;
    // Ram gave no consent to messages, Bishnu is in Benghazi.
    expect(await recipients.getAttribute('data-count')).toBe('3');
    expect(await view.getByTestId('relay-recipient-summary').textContent()).toBe('3 recipients: ar 1, en 2');
    const links = await view
      .getByTestId('relay-links')
      .locator('a')
      .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
    expect(links).toContain(`sms:+218925555555?body=${encodeURIComponent(arabic)}`);
    expect(links).toContain(`https://wa.me/218922222222?text=${encodeURIComponent(english)}`);
    const [download] = await Promise.all([b.waitForEvent('download'), view.getByTestId('relay-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    // English has commas, so it is quoted; the Arabic text has none.
    expect(csv.split('\r\n').filter(Boolean).sort()).toEqual(
      ['phone,message', `+218911111111,"${english}"`, `+218922222222,"${english}"`, `+218925555555,${arabic}`].sort(),
    );
    await screenshot(b, 'alerts-3-relay-approved');
    await view.getByTestId('relay-report-sent').click();
    await expect
      .poll(() => view.getByTestId('relay-report').textContent(), { timeout: 15_000 })
      .toBe('Report: sent withheld, failed 0 (ar withheld, en withheld).');
    // Three people in the area (one Arabic, two English speakers): on 53dbdde the requester read exactly that; small counts are withheld now (issue 15).
    expect(await view.getAttribute('data-status')).toBe('sent');
  });

  it('officer B traces a person for a family from a variant spelling; the enquiry stays on the device', async () => {
    const b = pages.b;
    await b.getByTestId('relay-workspace').getByRole('button', { name: 'Close' }).click();
    await b.getByRole('tab', { name: 'Tracing' }).click();
    const panel = b.getByTestId('tracing-panel');
    await panel.locator('input[name=tracingName]').fill('Aamna');
    await panel.locator('input[name=tracingNationality]').fill('SD');
    await panel.locator('input[name=tracingPlace]').fill('Wadi');
    await panel.getByRole('button', { name: 'Search the records' }).click();
    const first = panel.getByTestId('tracing-candidate').first();
    await expect.poll(() => first.textContent()).toContain('Amna Sudanese');
    expect(await first.textContent()).toContain('matched on: name, nationality, place; 1 of 1 name words');
    // The officer sees how the enquiry's name met the record's (issue 16: the ranking shown).
    expect(await first.getByTestId('tracing-pairings').textContent()).toBe('aamna → Amna (same sound)');
    const before = sent.length;
    await first.getByRole('button', { name: 'This is the person' }).click();
    await expect
      .poll(() => panel.getByTestId('tracing-notice').textContent(), { timeout: 15_000 })
      .toBe('Recorded in Amna Sudanese’s record (sealed, synced as ciphertext): traced for a family enquiry.');
    // The note went out as a new sealed version of Amna's record (ciphertext only; see the scan below).
    await expect
      .poll(
        () =>
          sent
            .slice(before)
            .some(
              (request) => request.startsWith('POST') && request.includes(`/orgs/${officerA.orgId}/records`) && request.includes(ids.amna),
            ),
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect.poll(() => b.getByTestId('pending').textContent(), { timeout: 30_000 }).toBe('All synced');
  });

  it('officer A imports the sender’s Cancel: the storm alert leaves the active list, and is shown cancelled with no action', async () => {
    const a = pages.a;
    await a.getByTestId('relay-workspace').getByRole('button', { name: 'Close' }).click();
    await a.getByTestId('open-alerts').click();
    const workspace = a.getByTestId('alerts-workspace');
    await workspace.getByTestId('alert-file').setInputFiles(path.join(projectRoot, 'fixtures', 'alerts', 'cap-derna-storm-cancel.xml'));
    await expect
      .poll(() => a.getByTestId('alerts-status').textContent(), { timeout: 30_000 })
      .toBe('Imported: Storm warning for the Derna coast cancelled. It replaces 1 earlier alert(s).');
    // Active: only the cyclone (a Cancel is stored cancelled itself).
    await expect.poll(() => workspace.getByTestId('alert-list').textContent()).toBe('Tropical cyclone FIXTURE (centre) active');
    await workspace.getByText('Show updated and cancelled alerts too').click();
    await expect.poll(() => workspace.getByTestId('alert-item').count()).toBe(3);
    await workspace
      .getByTestId('alert-item')
      .filter({ hasText: /^Storm warning for the Derna coast$/ })
      .click();
    await expect
      .poll(() => workspace.getByTestId('alert-inactive').textContent())
      .toBe('This alert was cancelled by its sender: no action is offered.');
    expect(await workspace.getByTestId('draft-relay').count()).toBe(0);
  });

  it('an exercise, test, system message or draft is labelled as such everywhere and never looks like a real warning', async () => {
    const a = pages.a;
    const workspace = a.getByTestId('alerts-workspace');
    const storm = readFileSync(path.join(projectRoot, 'fixtures', 'alerts', 'cap-derna-storm-severe.xml'), 'utf8');
    const labels: Record<string, string> = {
      Exercise: 'Exercise — not a real alert',
      Test: 'Test — not a real alert',
      System: 'System message — not a real alert',
      Draft: 'Draft — not a real alert',
    };
    /** The colours of a real warning's level badge (red, orange, green) in alerts.css. */
    const warningColours = ['rgb(183, 28, 28)', 'rgb(230, 81, 0)', 'rgb(46, 125, 50)'];
    for (const status of ['Actual', 'Exercise', 'Test', 'System', 'Draft']) {
      const content = storm
        .replace('<status>Actual</status>', `<status>${status}</status>`)
        .replace('LY-NCM-FIXTURE-DERNA-STORM-0001', `LY-NCM-FIXTURE-DERNA-${status.toUpperCase()}-0001`)
        .replace('<headline>Storm warning for the Derna coast</headline>', `<headline>Derna coast storm (${status})</headline>`);
      await workspace
        .getByTestId('alert-file')
        .setInputFiles({ name: `derna-${status}.xml`, mimeType: 'application/xml', buffer: Buffer.from(content) });
      await expect
        .poll(() => a.getByTestId('alerts-status').textContent(), { timeout: 30_000 })
        .toBe(`Imported: Derna coast storm (${status}).${labels[status] ? ` ${labels[status]}.` : ''}`);
    }
    for (const status of ['Actual', 'Exercise', 'Test', 'System', 'Draft']) {
      const item = workspace
        .getByTestId('alert-list')
        .locator('li')
        .filter({ hasText: `Derna coast storm (${status})` });
      await item.getByTestId('alert-item').click();
      const detail = workspace.getByTestId('alert-detail');
      await expect
        .poll(() => detail.getAttribute('data-alert-id'))
        .toBe(`alerts@ncm.example.ly|LY-NCM-FIXTURE-DERNA-${status.toUpperCase()}-0001`);
      const coverage = detail.getByTestId('coverage');
      await expect
        .poll(() => coverage.textContent(), { timeout: 30_000 })
        .toMatch(/2 communities, about 100 people, of 4 nationalities: SD, NP, BD, EG\.$/);
      const badge = detail.locator('h3 .level');
      const badgeColour = await badge.evaluate((element) => getComputedStyle(element).backgroundColor);
      const mapFilter = await workspace.getByTestId('alert-map').evaluate((element) => getComputedStyle(element).filter);
      if (status === 'Actual') {
        // The real warning keeps its colour, its framing and its actions.
        expect(await item.textContent()).toBe('Derna coast storm (Actual) active');
        expect(await badge.textContent()).toBe('orange');
        expect(badgeColour).toBe('rgb(230, 81, 0)');
        expect(await coverage.textContent()).toBe(
          'This orange alert covers 2 communities, about 100 people, of 4 nationalities: SD, NP, BD, EG.',
        );
        expect(mapFilter).toBe('none');
        expect(await detail.getByTestId('draft-relay').count()).toBe(1);
        continue;
      }
      const label = labels[status]!;
      // Listed with its label; in the detail, the label replaces the colour, on neutral styling.
      expect(await item.textContent(), status).toBe(`Derna coast storm (${status}) ${label} active`);
      expect(await badge.textContent(), status).toBe(label);
      expect(warningColours, status).not.toContain(badgeColour);
      expect(warningColours, status).not.toContain(await item.evaluate((element) => getComputedStyle(element).backgroundColor));
      // Never framed as a real alert covering communities.
      expect(await coverage.textContent(), status).toBe(
        'Not a real alert: its area would cover 2 communities, about 100 people, of 4 nationalities: SD, NP, BD, EG.',
      );
      expect(await detail.textContent(), status).not.toMatch(/alert covers|orange|Trigger actions at this level/);
      // The map says it too, and loses the warning's red.
      expect(await workspace.getByTestId('alert-map-label').textContent(), status).toBe(label);
      expect(mapFilter, status).toBe('grayscale(1)');
      // Nothing to send to communities about a warning that is not real.
      expect(await detail.getByTestId('draft-relay').count(), status).toBe(0);
      expect(await detail.getByTestId('open-activation').count(), status).toBe(0);
      expect(await detail.getByTestId('alert-not-real').textContent(), status).toBe(
        `${label}: no relay or activation is offered, so nothing reaches the communities.`,
      );
    }
    await workspace
      .getByTestId('alert-list')
      .locator('li')
      .filter({ hasText: 'Derna coast storm (Exercise)' })
      .getByTestId('alert-item')
      .click();
    await screenshot(a, 'alerts-4-exercise');
  });

  it('no phone number reached the server: not in any request, the D1 files or the logs; and the pages logged no errors', () => {
    const secrets = Object.values(phones).flatMap((phone) => [
      phone,
      phone.replace(/ /g, ''),
      phone.replace(/[ +]/g, ''),
      e164Of(phone, 'LY')!.slice(1),
    ]);
    const names = ['Amna Sudanese', 'Sita Consenting', 'Hari Contactperson', 'Wadi camp', 'Aamna', 'Traced for a family enquiry'];
    expect(sent.length).toBeGreaterThan(10);
    for (const request of sent) for (const secret of [...secrets, ...names]) expect(request, request.slice(0, 120)).not.toContain(secret);
    // The relay really was filed and reported: the server holds the messages (public text) and counts,
    // the three sent withheld (under 5).
    expect(sent.some((request) => request.includes('/api/relays') && request.includes('"sent":null'))).toBe(true);
    expect(sent.some((request) => request.includes('/api/relays') && request.includes('"sent":3'))).toBe(false);
    const stored = scanForSecrets(persistTo, [...secrets, ...names]);
    expect(stored.files).toBeGreaterThan(0);
    expect(stored.hits).toEqual([]);
    const wranglerLogs = process.env.WRANGLER_LOG_PATH ?? path.join(os.homedir(), '.config', '.wrangler', 'logs');
    const logs = mkdtempSync(path.join(os.tmpdir(), 'alerts-logs-'));
    try {
      for (const name of readdirSync(wranglerLogs)) {
        const file = path.join(wranglerLogs, name);
        if (statSync(file).mtimeMs >= startedAt - 5 * 60_000) copyFileSync(file, path.join(logs, name));
      }
    } catch {
      // no wrangler log folder on this machine: nothing was logged there
    }
    expect(scanForSecrets(logs, secrets).hits).toEqual([]);
    expect(errors.a).toEqual([]);
    expect(errors.b).toEqual([]);
  });
});
