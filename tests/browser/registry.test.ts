// The registry in real Chromium against the real Worker: the full community and person forms, two
// devices editing the same record offline (both values reach the officer, who settles them), the
// app in Arabic (right to left), a spreadsheet import with bad rows, search across scripts, export,
// auto-lock, wipe after wrong passphrases, and the wipe on `member_revoked`. Then the device's
// IndexedDB and localStorage, and the server's storage, are scanned for what was typed.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceStorage, joinWithInvitation, launchChromium, screenshot, watchPageErrors } from '../support/browser.ts';
import { scanForSecrets } from '../support/leak-scan.ts';
import { cellsOf, workbook } from '../support/xlsx.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
const passphrase = 'registry test passphrase';
const typed = {
  orgName: 'Kufra Solidarity Network',
  site: 'Kufra brick kiln dormitory',
  contact: 'Tesfay Habte',
  // Written the national way: the community is placed in Libya, so it is stored as +218914440199.
  contactPhone: '091 444 0199',
  person: 'सीता गुरुङ',
  personLatin: 'Seeta Gurung',
  personPhone: '+977 980 111 2233',
  // A Nepali number without its +977, for a person placed in Libya: kept as typed, with the reason.
  familyPhone: '980-111 4455',
  imported: 'Ajdabiya warehouse camp',
};

let browser: Browser;
const contexts: BrowserContext[] = [];
let officer: Page;
let field: Page;
let spare: Page;
const errors = new Map<Page, string[]>();

async function newPage(options: Parameters<Browser['newContext']>[0], clock = false) {
  const context = await browser.newContext(options);
  if (clock) await context.clock.install();
  contexts.push(context);
  const page = await context.newPage();
  errors.set(page, watchPageErrors(page));
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

const mapReady = (page: Page) => page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 60_000 });
const list = (page: Page) => page.getByTestId('community-list');
const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();

async function join(page: Page, invitation: string, label: string) {
  await joinWithInvitation(page, baseUrl, invitation, { orgName: typed.orgName, label, passphrase });
  await mapReady(page);
  // The officer adds the new device to the statement, so its records count (decision 0605).
  await tab(officer, 'Settings');
  await officer.getByRole('button', { name: 'Sync now' }).click();
  const row = officer.getByTestId('officer-panel').locator('li', { hasText: label });
  await row.getByTestId('admit-device').click({ timeout: 30_000 });
  await expect.poll(() => row.getByTestId('admit-device').count(), { timeout: 30_000 }).toBe(0);
  await tab(officer, 'Records');
}

async function invitation(role: 'field' | 'officer') {
  await tab(officer, 'Settings');
  await officer.getByTestId('officer-panel').locator('select[name=role]').selectOption(role);
  await officer.getByRole('button', { name: 'Create invitation' }).click();
  await expect.poll(() => officer.getByTestId('invitation').textContent(), { timeout: 15_000 }).toMatch(/~/);
  const code = (await officer.getByTestId('invitation').textContent())!;
  await tab(officer, 'Records');
  return code;
}

async function syncUntilDone(page: Page) {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => page.getByTestId('pending').textContent(), { timeout: 45_000 }).toBe('All synced');
}

beforeAll(async () => {
  browser = await launchChromium();
  officer = await newPage({ viewport: { width: 1280, height: 860 } });
  field = await newPage({ viewport: { width: 412, height: 880 }, isMobile: true, hasTouch: true });
  spare = await newPage({ viewport: { width: 412, height: 880 }, isMobile: true, hasTouch: true }, true);
});

afterAll(async () => {
  await browser?.close();
});

describe('the registry, end to end', () => {
  it('sets up a CSO with two field devices', async () => {
    await officer.goto(baseUrl);
    await officer.getByRole('button', { name: 'Create an organisation' }).click();
    const form = officer.getByTestId('create-org');
    await form.locator('input[name=name]').fill(typed.orgName);
    await form.locator('input[name=label]').fill('Coordinator');
    await form.locator('input[name=passphrase]').fill(passphrase);
    await form.locator('input[name=passphraseAgain]').fill(passphrase);
    await form.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => officer.getByTestId('org-name').textContent(), { timeout: 30_000 }).toBe(typed.orgName);
    await mapReady(officer);
    await join(field, await invitation('field'), 'Field phone A');
    await join(spare, await invitation('field'), 'Field phone B');
    // Phone A's worker corrects its records after they are sent (below), so it keeps them on the
    // phone: a choice the worker makes, warned (by default sent records leave the phone: decision 0608).
    await tab(field, 'Settings');
    await field.getByTestId('settings').locator('input[name=keepSyncedCaptures]').check();
    await expect.poll(() => field.getByTestId('keep-captures-risk').textContent()).toMatch(/whoever holds this phone/);
  });

  it('captures a community with the full form and a linked person; a refugee cannot consent to their own consulate', async () => {
    await tab(field, 'New community');
    const box = (await field.getByTestId('map').boundingBox())!;
    await field.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const form = field.getByTestId('capture-form');
    await form.getByTestId('pin').waitFor();
    await form.locator('input[name=name]').fill(typed.site);
    await form.locator('select[name=status]').selectOption('stranded');
    await form.locator('input[name=headcount]').fill('30');
    await form.locator('summary').first().click();
    await form.locator('input[name="female.adults"]').fill('5');
    await form.locator('input[name="male.adults"]').fill('24');
    await form.locator('input[name="male.children"]').fill('1');
    await form.locator('input[name=nationalities]').fill('ER 18, NP 12');
    await form.locator('input[name=languages]').fill('ti, ne');
    await form.locator('select[name=siteType]').selectOption('labour_camp');
    await form.locator('input[name=employer]').fill('Kufra Bricks');
    await form.locator('input[name=needs][value=water]').check();
    await form.locator('input[name=needs][value=documents]').check();
    await form.locator('input[name=vulnerabilities][value=trafficking_risk]').check();
    await form.locator('input[name=contactName]').fill(typed.contact);
    await form.locator('input[name=contactPhone]').fill(typed.contactPhone);
    // The map's centre is in Libya: the form reads the number there and says so before saving.
    await expect.poll(() => form.getByTestId('phone-country').inputValue(), { timeout: 15_000 }).toBe('LY');
    await expect.poll(() => form.getByTestId('contactPhone-reading').textContent()).toBe('International form: +218 91 4440199 (Libya)');
    await form.getByRole('button', { name: 'Seal and save' }).click();

    const detail = field.getByTestId('record-detail');
    await expect.poll(() => detail.textContent(), { timeout: 15_000 }).toContain(typed.site);
    expect(await detail.getByTestId('detail-headcount').textContent()).toBe('30 (Female 5, Male 25)');
    // The detail shows values under plain labels, not the form's hints, and countries by name.
    expect(await detail.locator('dt').allTextContents()).toContain('Nationalities');
    expect(await detail.textContent()).not.toContain('(two-letter code');
    expect(await detail.getByTestId('detail-nationalities').textContent()).toBe('Eritrea 18, Nepal 12');
    expect(await detail.textContent()).toContain('+218914440199');
    await detail.getByRole('button', { name: 'Add a person' }).click();
    const person = field.getByTestId('person-form');
    await person.locator('input[name=name]').fill(typed.person);
    await person.locator('input[name=nameLatin]').fill(typed.personLatin);
    await person.locator('select[name=sex]').selectOption('female');
    await person.locator('input[name=nationality]').fill('NP');
    await person.locator('input[name=phone]').fill(typed.personPhone);
    await person.locator('input[name=familyName]').fill('Ram Gurung');
    await person.locator('input[name=familyPhone]').fill(typed.familyPhone);
    await expect
      .poll(() => person.getByTestId('familyPhone-reading').textContent())
      .toMatch(/^Too many digits for a phone number of this country.*saved as typed/);
    await person.getByTestId('familyPhone-reading').scrollIntoViewIfNeeded();
    await screenshot(field, 'registry-person-phones');
    await person.locator('select[name=passport]').selectOption('confiscated');
    await person.locator('input[name=passportHeldBy]').fill('employer');
    await person.locator('input[name=consent][value=ownConsulate]').check();
    await person.locator('input[name=refugee]').check();
    await expect.poll(() => person.locator('input[name=consent][value=ownConsulate]').isDisabled()).toBe(true);
    expect(await person.locator('input[name=consent][value=ownConsulate]').isChecked()).toBe(false);
    expect(await person.getByTestId('refugee-rule').textContent()).toMatch(/never released to the state they fled/);
    await person.locator('input[name=refugee]').uncheck();
    await person.locator('input[name=consent][value=ownConsulate]').check();
    await person.locator('input[name=consent][value=humanitarian]').check();
    await person.getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => field.getByTestId('record-detail').textContent(), { timeout: 15_000 }).toContain(typed.personLatin);
    expect(await field.getByTestId('record-detail').textContent()).toContain('Confiscated (employer)');
    expect(await field.getByTestId('record-detail').textContent()).toContain(typed.familyPhone);
    // The person's detail too: plain labels, the country by name.
    expect(await detail.locator('dt').allTextContents()).toEqual(expect.arrayContaining(['Nationality', 'Name in Latin letters']));
    expect(await detail.textContent()).not.toMatch(/two-letter code|as in the passport/);
    expect(await detail.getByTestId('detail-nationality').textContent()).toBe('Nepal');
    await syncUntilDone(field);
  });

  it('two devices edit the same record offline; after both sync the officer sees both values and settles them', async () => {
    await syncUntilDone(officer);
    await expect.poll(() => list(officer).textContent(), { timeout: 30_000 }).toContain(typed.site);
    await field.context().setOffline(true);
    await officer.context().setOffline(true);

    // Field phone: moves the community's status and corrects the headcount.
    await tab(field, 'Records');
    await list(field)
      .getByRole('button', { name: new RegExp(typed.site) })
      .click();
    await field.getByTestId('record-detail').getByRole('button', { name: 'Edit', exact: true }).click();
    let form = field.getByTestId('capture-form');
    await form.locator('select[name=status]').selectOption('moving');
    await form.locator('input[name=headcount]').fill('31');
    await form.getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => field.getByTestId('pending').textContent(), { timeout: 15_000 }).toBe('1 waiting to sync');

    // Officer, also offline, a moment later: says they were evacuated.
    await list(officer)
      .getByRole('button', { name: new RegExp(typed.site) })
      .click();
    await officer.getByTestId('record-detail').getByRole('button', { name: 'Edit', exact: true }).click();
    form = officer.getByTestId('capture-form');
    await form.locator('select[name=status]').selectOption('evacuated');
    await form.getByRole('button', { name: 'Seal and save' }).click();
    await expect.poll(() => officer.getByTestId('pending').textContent(), { timeout: 15_000 }).toBe('1 waiting to sync');

    await field.context().setOffline(false);
    await syncUntilDone(field);
    await officer.context().setOffline(false);
    await syncUntilDone(officer);

    await expect
      .poll(() => officer.getByTestId('conflict-count').textContent(), { timeout: 30_000 })
      .toMatch(/^1 record was edited on two devices/);
    // The record's warning sign in the list is an SVG with a name, like the person marker.
    const warning = list(officer)
      .getByRole('button', { name: new RegExp(typed.site) })
      .locator('.conflict-badge svg');
    expect(await warning.count()).toBe(1);
    expect(await warning.getAttribute('aria-label')).toBe('Edited on two devices');
    const conflict = officer.getByTestId('conflict');
    await conflict.waitFor();
    const values = await conflict.getByTestId('conflict-value').allTextContents();
    expect(values.some((value) => value.includes('Evacuated'))).toBe(true);
    expect(values.some((value) => value.includes('Moving'))).toBe(true);
    // A field only one device changed is merged without asking.
    expect(await officer.getByTestId('detail-headcount').textContent()).toMatch(/^31/);
    // Both whereabouts entries survive.
    const history = await officer.getByTestId('history').textContent();
    expect(history).toContain('Moving');
    expect(history).toContain('Evacuated');
    await screenshot(officer, 'registry-conflict');

    await conflict.locator('[data-field="status"]').getByRole('button', { name: 'Use this' }).click();
    await conflict.getByRole('button', { name: 'Confirm these values' }).click();
    await expect.poll(() => officer.getByTestId('record-detail').locator('[data-testid="conflict"]').count(), { timeout: 15_000 }).toBe(0);
    await syncUntilDone(officer);
    expect(await officer.getByTestId('record-detail').textContent()).toMatch(/Moving.*Version 3/);
  });

  it('searches across scripts and spellings and rings the results on the map', async () => {
    await officer.getByTestId('search').fill('Sita Gurung');
    await expect.poll(() => officer.getByTestId('search-count').textContent(), { timeout: 10_000 }).toBe('1 found');
    expect(await list(officer).textContent()).toContain(typed.person);
    // A person is marked by an inline SVG with a name, not by an emoji the page's fonts lack (a box
    // in Debian's Chromium): drawn at a visible size, and no emoji is left in the list.
    const marker = list(officer)
      .getByRole('button', { name: new RegExp(typed.person) })
      .locator('svg');
    expect(await marker.count()).toBe(1);
    expect(await marker.getAttribute('role')).toBe('img');
    expect(await marker.getAttribute('aria-label')).toBe('Person');
    expect((await marker.boundingBox())!.width).toBeGreaterThan(8);
    expect(await list(officer).textContent()).not.toMatch(/\p{Extended_Pictographic}/u);
    await marker.scrollIntoViewIfNeeded();
    await screenshot(officer, 'registry-search-person');
    await officer.getByTestId('search').fill('111 2233');
    await expect.poll(() => officer.getByTestId('search-count').textContent()).toBe('1 found');
    await officer.getByTestId('search').fill('');
  });

  it('imports a spreadsheet: good rows sealed and listed, bad rows refused with their reasons; exports HXL CSV', async () => {
    await tab(officer, 'Import and export');
    const csv = [
      'Site name,Latitude,Longitude,Number of people,Nationality,Needs,Status',
      `${typed.imported},30.76,20.22,55,SD; ER,water food,stranded`,
      'Camp with no position,,,12,ER,water,stranded',
      'Tazirbu farm,25.66,21.06,-4,TD,food,safe',
      'Jalu oasis group,29.03,21.55,9,NE,food teleportation,moving',
      'Awjila market,29.1,21.29,14,NE,shelter,sheltering',
    ].join('\n');
    const panel = officer.getByTestId('import');
    await panel.locator('input[type=file]').setInputFiles({ name: 'sites.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await panel.getByTestId('preview').waitFor();
    expect(await panel.locator('select[name=column-3]').inputValue()).toBe('headcount');
    expect(await panel.getByTestId('preview').locator('tbody tr').count()).toBe(5);
    await screenshot(officer, 'registry-import-preview');
    await panel.getByRole('button', { name: 'Check, seal and import 5 rows' }).click();
    const report = panel.getByTestId('import-report');
    await expect.poll(() => report.textContent(), { timeout: 15_000 }).toContain('2 imported and sealed; 3 rows refused.');
    const failures = await report.locator('li').allTextContents();
    expect(failures[0]).toMatch(/^Row 3: location: needs a latitude and a longitude/);
    expect(failures[1]).toMatch(/^Row 4: headcount/);
    expect(failures[2]).toMatch(/^Row 5: unknown choice "teleportation"/);
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      officer
        .getByTestId('export')
        .getByRole('button', { name: /^CSV with HXL tags \(/ })
        .click(),
    ]);
    const exported = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(exported).toString('utf8');
    expect(text.split('\r\n')[1]).toContain('#geo+lat');
    expect(text).toContain(typed.imported);
    await tab(officer, 'Records');
    await expect.poll(() => list(officer).textContent()).toContain(typed.imported);
    await syncUntilDone(officer);
  });

  it('reads an Excel workbook in the browser (the XLSX reader loads on first use) and shows it for mapping', async () => {
    await tab(officer, 'Import and export');
    const panel = officer.getByTestId('import');
    const rows = new Map([
      [1, cellsOf(1, ['Site name', 'Latitude', 'Longitude', 'Number of people', 'Nationality'])],
      [2, cellsOf(2, ['Kufra transit yard', 24.18, 23.29, 31, 'SD'])],
    ]);
    await panel.locator('input[type=file]').setInputFiles({
      name: 'sites.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(workbook(rows)),
    });
    await panel.getByTestId('preview').waitFor();
    expect(await panel.locator('select[name=column-3]').inputValue()).toBe('headcount');
    expect(await panel.getByTestId('preview').locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('Kufra transit yard'),
    ]);
  });

  it('works in Arabic, right to left, and keeps the choice on the device', async () => {
    await field.getByTestId('language').first().selectOption('ar');
    expect(await field.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    await tab(field, 'جماعة جديدة');
    const form = field.getByTestId('capture-form');
    await form.waitFor();
    expect(await form.locator('h2').textContent()).toBe('جماعة جديدة');
    expect(await form.getByRole('button', { name: 'اختم واحفظ' }).count()).toBe(1);
    // Right to left: a label's text starts at the right edge of the form.
    const [labelBox, formBox] = [await form.locator('label').first().boundingBox(), await form.boundingBox()];
    expect(formBox!.x + formBox!.width - (labelBox!.x + labelBox!.width)).toBeLessThan(40);
    expect(labelBox!.x - formBox!.x).toBeGreaterThan(0);
    await form.locator('h2').scrollIntoViewIfNeeded();
    await screenshot(field, 'registry-arabic-form');
    await field.reload();
    await field.getByTestId('unlock').waitFor();
    expect(await field.getByTestId('unlock').locator('button[type=submit]').textContent()).toBe('فتح القفل');
    await field.getByTestId('language').first().selectOption('en');
    const unlock = field.getByTestId('unlock');
    await unlock.locator('input[name=passphrase]').fill(passphrase);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await mapReady(field);
  });

  it('locks itself after inactivity', async () => {
    await tab(spare, 'Settings');
    await spare.getByTestId('settings').locator('select[name=autoLockMinutes]').selectOption('1');
    await spare.getByTestId('settings').locator('select[name=wipeAfterFailures]').selectOption('3');
    await spare.clock.fastForward('00:50');
    await spare.waitForTimeout(300);
    expect(await spare.getByTestId('unlock').count()).toBe(0);
    await spare.clock.fastForward('00:20');
    await spare.getByTestId('unlock').waitFor({ timeout: 15_000 });
    expect(await spare.getByRole('status').textContent()).toBe('Locked after inactivity.');
  });

  it('wipes itself after the set number of wrong passphrases', async () => {
    const unlock = spare.getByTestId('unlock');
    for (const attempt of [1, 2]) {
      await unlock.locator('input[name=passphrase]').fill(`wrong passphrase ${attempt}`);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await expect
        .poll(() => spare.getByRole('alert').textContent(), { timeout: 30_000 })
        .toContain(3 - attempt === 1 ? '1 try left' : `${3 - attempt} tries left`);
    }
    await unlock.locator('input[name=passphrase]').fill('wrong passphrase 3');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await expect
      .poll(() => spare.getByTestId('wiped-notice').textContent(), { timeout: 30_000 })
      .toBe('This device was wiped: too many wrong passphrases.');
    const left = await deviceStorage(spare);
    expect(left).not.toContain('lockedKeys');
    expect(left).not.toContain('envelope');
  });

  it('never keeps plaintext of what was typed on the devices or on the server', async () => {
    const secrets = [
      typed.site,
      typed.contact,
      typed.contactPhone,
      '218914440199',
      typed.person,
      typed.personLatin,
      typed.personPhone,
      '9779801112233',
      typed.familyPhone,
      typed.imported,
      'Kufra Bricks',
    ];
    for (const page of [officer, field]) {
      const stored = await deviceStorage(page);
      expect(stored.length).toBeGreaterThan(2_000);
      for (const secret of secrets) expect(stored.includes(secret), secret).toBe(false);
    }
    const scan = scanForSecrets(persistTo, secrets);
    expect(scan.bytes).toBeGreaterThan(10_000);
    expect(scan.hits).toEqual([]);
  });

  it('wipes a device the officers removed at its next contact (401 member_revoked)', async () => {
    await tab(officer, 'Settings');
    const member = officer.getByTestId('officer-panel').locator('li', { hasText: 'Field phone A' });
    await member.getByTestId('remove-member').click();
    await expect.poll(() => member.textContent(), { timeout: 15_000 }).toContain('removed');
    await field.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(() => field.getByTestId('wiped-notice').textContent(), { timeout: 30_000 })
      .toBe('This device was wiped: an officer removed it from the organisation.');
    const left = await deviceStorage(field);
    expect(left).not.toContain('lockedKeys');
    expect(left).not.toContain('envelope');
    for (const page of [officer, field]) {
      expect(errors.get(page)!.filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::|status of 401/.test(error))).toEqual([]);
    }
  });
});
