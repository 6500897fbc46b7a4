// Contingency planning end to end, in real Chromium against the real Worker, three browser contexts:
// a CSO officer publishes a privacy-safe summary built on the device from its decrypted records; a
// city officer draws a plan on the map and sees the people in a newly drawn hazard zone come from that
// summary, saves two versions and sees their diff, loses a race to another save without losing the
// edit, and prints the plan; a consulate officer, a partner, signs a version off.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PlanVersion } from '#plans';
import { loadScenario } from '#fixtures';
import { addPartner, client, createOrg, signIn, type Actor } from '../../scripts/lib/actors.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';
import { pushSealed, seedBuilders } from '../support/seed-records.ts';

const baseUrl = inject('workerUrl');
const passphrase = 'plans test passphrase';

let browser: Browser;
let cso: Actor;
let city: Actor;
let consulate: Actor;
const pages: Record<'cso' | 'city' | 'consul', Page> = {} as never;
const errors: Record<string, string[]> = {};
let planId = '';

const seed = seedBuilders();
const records = [
  seed.community({
    name: 'Benghazi brickworks',
    location: { lon: 20.07, lat: 32.12 },
    headcount: { total: 70 },
    nationalities: [
      { code: 'NP', count: 40 },
      { code: 'BD', count: 30 },
    ],
  }),
  seed.community({
    name: 'Benghazi port shed',
    location: { lon: 20.08, lat: 32.11 },
    headcount: { total: 3 },
    nationalities: [{ code: 'ET', count: 3 }],
  }),
  seed.community({
    name: 'Derna port dormitory',
    location: { lon: 22.64, lat: 32.76 },
    headcount: { total: 300 },
    nationalities: [{ code: 'NP', count: 300 }],
  }),
];

const capAlert = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>benghazi-clashes-1</identifier><sender>crisis-cell@example.org</sender><sent>2026-11-23T10:00:00+00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Security</category><event>Armed clashes</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>
    <area><areaDesc>Port district</areaDesc><circle>32.11,20.06 3</circle></area>
  </info>
</alert>`;

function signInBrowser(page: Page, actor: Actor, orgName: string, orgKind: string, label: string) {
  return signInAsActor(page, baseUrl, actor, { orgName, orgKind, label, passphrase });
}

async function openPlans(page: Page) {
  await page.getByTestId('open-plans').click();
  await page.getByTestId('plans-workspace').waitFor();
  await expect.poll(() => page.getByTestId('plan-map').getAttribute('data-loaded'), { timeout: 60_000 }).toBe('true');
}

async function section(page: Page, name: string) {
  await page.getByTestId('plans-workspace').getByRole('tab', { name, exact: true }).click();
}

/** Clicks the map at a fraction of its width and height. */
async function clickMap(page: Page, x: number, y: number) {
  const canvas = page.getByTestId('plan-map').locator('canvas');
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * x, y: box.height * y } });
}

const api = async (actor: Actor) => client(baseUrl, await signIn(actor)).api;

beforeAll(async () => {
  cso = await createOrg(baseUrl, { name: 'Pravasi Network (plans)', founderLabel: 'CSO officer' });
  city = await createOrg(baseUrl, { kind: 'city', name: 'Benghazi Crisis Cell', founderLabel: 'Salem' });
  consulate = await createOrg(baseUrl, {
    kind: 'consulate',
    name: 'Embassy of Nepal (plans)',
    nationalities: ['NP'],
    founderLabel: 'Consul',
  });
  for (const requester of [city, consulate]) {
    expect((await addPartner(cso, requester)).status).toBe(200);
  }
  expect((await pushSealed(cso, records)).status).toBe(200);

  browser = await launchChromium();
  for (const name of ['cso', 'city', 'consul'] as const) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    pages[name] = await context.newPage();
    errors[name] = watchPageErrors(pages[name]);
  }
});

afterAll(async () => {
  await browser?.close();
});

describe('contingency planning in three browsers', () => {
  it('a CSO officer publishes a summary built on the device; small counts are hidden', async () => {
    const page = pages.cso;
    await signInBrowser(page, cso, 'Pravasi Network (plans)', 'cso', 'CSO officer');
    await expect.poll(() => page.getByTestId('community-list').textContent(), { timeout: 60_000 }).toContain('Derna port dormitory');
    await openPlans(page);
    const summaries = page.getByTestId('summaries');
    await expect.poll(() => summaries.textContent(), { timeout: 30_000 }).toContain('Libya 2011 boundaries');
    await summaries.getByTestId('publish-summary').click();
    await expect
      .poll(() => page.getByTestId('plans-status').textContent(), { timeout: 30_000 })
      .toMatch(/Summary published: \d+ areas, [1-9]\d* count\(s\) hidden/);
    const table = await page.getByTestId('summary-table').textContent();
    expect(table).toContain('hidden');
    expect(table).toContain('300');
    await page.waitForTimeout(500);
    await screenshot(page, 'plans-summary-published');
    const published = (await (
      await (await api(city)).orgs[':orgId'].summaries.$get({ param: { orgId: cso.orgId }, query: {} })
    ).json()) as { summaries: { summary: { cells: { nationality: string; count?: number; suppressed: boolean }[] } }[] };
    const ethiopian = published.summaries[0]!.summary.cells.filter((cell) => cell.nationality === 'ET');
    expect(ethiopian.length).toBeGreaterThan(0);
    expect(ethiopian.every((cell) => cell.suppressed && cell.count === undefined)).toBe(true);

    // The CSO's own plans are analysed from its records on this device, not from the summary.
    await page.getByTestId('new-from-scenario').click();
    await section(page, 'Analysis');
    await expect
      .poll(() => page.getByTestId('population-source').textContent(), { timeout: 30_000 })
      .toContain('own records on this device (3 communities)');
    await expect
      .poll(() => page.getByTestId('zone-figure').count(), { timeout: 10_000 })
      .toBe(loadScenario('libya-2011').hazardZones.features.length);
    await expect.poll(() => page.getByTestId('assignment-totals').textContent()).toMatch(/of 373 people placed/);
  });

  it('a city officer draws a hazard zone and sees the people in it, from the summary', async () => {
    const page = pages.city;
    await signInBrowser(page, city, 'Benghazi Crisis Cell', 'city', 'Salem');
    await openPlans(page);
    await page.getByTestId('new-plan').click();
    const details = page.getByTestId('plan-details');
    await details.locator('input[name=title]').fill('Benghazi evacuation of migrant workers');
    await details
      .getByTestId('partners')
      .getByLabel(/Embassy of Nepal \(plans\)/)
      .check();
    await section(page, 'Analysis');
    await expect
      .poll(() => page.getByTestId('population-source').textContent(), { timeout: 30_000 })
      .toContain('summaries published by 1 CSO');
    expect(await page.getByTestId('zone-figure').count()).toBe(0);

    await section(page, 'Layers');
    await page.getByRole('button', { name: 'Draw hazard zone' }).click();
    for (const [x, y] of [
      [0.35, 0.35],
      [0.65, 0.35],
      [0.65, 0.65],
      [0.35, 0.65],
    ] as const)
      await clickMap(page, x, y);
    await expect.poll(() => page.getByTestId('drawing-hint').textContent()).toContain('4 corners');
    await page.getByTestId('finish-drawing').click();
    await expect.poll(() => page.getByTestId('plan-map').getAttribute('data-zones')).toBe('1');
    await page.getByRole('button', { name: 'Place assembly point' }).click();
    await clickMap(page, 0.2, 0.5);
    await expect.poll(() => page.getByTestId('plan-map').getAttribute('data-points')).toBe('1');
    await page.getByRole('button', { name: 'Pan the map' }).click();

    await section(page, 'Analysis');
    const figure = page.getByTestId('zone-figure');
    await expect.poll(() => figure.count(), { timeout: 10_000 }).toBe(1);
    // The Benghazi area's published people (70 + 3: its total is published even though the ET cell is not).
    const people = Number(await figure.getAttribute('data-people'));
    expect(people).toBeGreaterThanOrEqual(70);
    expect(people).toBeLessThan(373);
    expect(await figure.textContent()).toMatch(/small counts? hidden/);
    // Summaries place an area's people at a point inside the area (here ~35 km from the city): one
    // assembly point of capacity 100 within 60 km takes the Benghazi people; Derna is out of reach.
    await page.getByTestId('analysis').locator('input[name=maxDistanceKm]').fill('60');
    await expect.poll(() => page.getByTestId('assignment-totals').textContent()).toBe('73 of 373 people placed; 300 not placed');
    expect(await page.getByTestId('gaps').textContent()).toContain('300 people');
    await screenshot(page, 'plans-zone-drawn');
  });

  it('saves two versions, shows their diff in words and on the map', async () => {
    const page = pages.city;
    await section(page, 'Plan');
    await page.getByTestId('save-plan-details').click();
    await expect.poll(() => page.getByTestId('plans-status').textContent(), { timeout: 30_000 }).toContain('Plan created (version 1)');
    const { plans } = (await (await (await api(city)).plans.$get()).json()) as { plans: { id: string; title: string }[] };
    planId = plans.find((plan) => plan.title === 'Benghazi evacuation of migrant workers')!.id;

    await section(page, 'Layers');
    const point = page.getByTestId('assembly-point-item');
    await point.getByLabel('Name').fill('Benghazi stadium');
    await point.getByLabel('Capacity').fill('50');
    await section(page, 'Versions');
    await expect.poll(() => page.getByTestId('unsaved').textContent()).toContain('(2)');
    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('plans-status').textContent(), { timeout: 30_000 }).toContain('Saved version 2');

    await page.getByTestId('versions').locator('select[name=from]').selectOption('1');
    await page.getByTestId('versions').locator('select[name=to]').selectOption('2');
    await page.getByTestId('compare').click();
    const diff = page.getByTestId('diff');
    await expect.poll(() => diff.textContent(), { timeout: 15_000 }).toContain('capacity 100 → 50');
    expect(await diff.textContent()).toContain('name Assembly point 1 → Benghazi stadium');
    await expect.poll(async () => Number(await page.getByTestId('plan-map').getAttribute('data-changes'))).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await screenshot(page, 'plans-diff');
    await section(page, 'Analysis');
    await expect
      .poll(() => page.getByTestId('analysis').textContent(), { timeout: 10_000 })
      .toContain('Benghazi stadium: 50 / 50 · over by 23');
  });

  it('keeps an edit when someone else saved first, and re-applies it on their version', async () => {
    const page = pages.city;
    const cityApi = await api(city);
    const latest = (await (await cityApi.plans[':planId'].$get({ param: { planId } })).json()) as { latest: PlanVersion };
    const theirs = { ...latest.latest.plan, status: 'in_review' };
    expect(
      (await cityApi.plans[':planId'].versions.$post({ param: { planId }, json: { plan: theirs as never, baseVersion: 2 } })).status,
    ).toBe(201);

    await section(page, 'Plan');
    await page.getByTestId('plan-details').locator('input[name=title]').fill('Benghazi evacuation (my edit)');
    await page.getByTestId('save-plan-details').click();
    const conflict = page.getByTestId('conflict');
    await expect.poll(() => conflict.textContent(), { timeout: 30_000 }).toContain('Your edit is kept here');
    await conflict.getByRole('button', { name: 'Reload latest' }).click();
    await expect.poll(() => page.getByTestId('reapply').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('reapply').click();
    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('plans-status').textContent(), { timeout: 30_000 }).toContain('Saved version 4');
    const saved = (await (await cityApi.plans[':planId'].$get({ param: { planId } })).json()) as { latest: PlanVersion };
    expect(saved.latest.plan.title).toBe('Benghazi evacuation (my edit)');
    expect(saved.latest.plan.status).toBe('in_review');
    expect(saved.latest.plan.partners).toEqual(['Embassy of Nepal (plans)']);
  });

  it('a partner consulate officer signs the version off, and everyone sees who signed which version', async () => {
    const page = pages.consul;
    await signInBrowser(page, consulate, 'Embassy of Nepal (plans)', 'consulate', 'Consul');
    await openPlans(page);
    await page.getByTestId('plans-list').getByRole('button', { name: 'Benghazi evacuation (my edit)' }).click();
    await section(page, 'Versions');
    expect(await page.getByTestId('save-plan').count()).toBe(0);
    await page.getByTestId('sign-off').click();
    await expect.poll(() => page.getByTestId('plans-status').textContent(), { timeout: 30_000 }).toContain('Signed off version 4');
    expect(await page.getByTestId('signoff').textContent()).toContain('Embassy of Nepal (plans) signed version 4');
    const record = (await (await (await api(city)).plans[':planId'].$get({ param: { planId } })).json()) as {
      signOffs: { orgId: string; version: number }[];
    };
    expect(record.signOffs).toEqual([expect.objectContaining({ orgId: consulate.orgId, version: 4 })]);
    await screenshot(page, 'plans-signed-off');
  });

  it('imports hazard zones from a CAP alert, moves a point on the map, and exports them as GeoJSON', async () => {
    const page = pages.city;
    await section(page, 'Layers');
    await page.getByTestId('import-zones').setInputFiles({ name: 'alert.xml', mimeType: 'application/xml', buffer: Buffer.from(capAlert) });
    await expect.poll(() => page.getByTestId('plans-status').textContent()).toContain('1 hazard zone(s) imported from CAP');
    await expect.poll(() => page.getByTestId('plan-map').getAttribute('data-zones')).toBe('2');
    await page.getByTestId('assembly-point-item').getByRole('button', { name: 'Move', exact: true }).click();
    expect(await page.getByTestId('drawing-hint').textContent()).toContain('"Benghazi stadium"');
    await clickMap(page, 0.5, 0.85);
    await page.getByTestId('layer-toggle').getByLabel('Summary areas').uncheck();
    await page.waitForTimeout(500);
    await screenshot(page, 'plans-layers');
    await section(page, 'Export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download GeoJSON' }).click()]);
    expect(download.suggestedFilename()).toBe('benghazi-evacuation-my-edit.geojson');
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      features: { properties: { layer: string; name: string; source?: string }; geometry: { coordinates: number[] } }[];
    };
    const zones = exported.features.filter((feature) => feature.properties.layer === 'hazard_zone');
    expect(zones.map((zone) => zone.properties.source).sort()).toEqual(['cap', 'drawn']);
    const stadium = exported.features.find((feature) => feature.properties.layer === 'assembly_point')!;
    const saved = (await (await (await api(city)).plans[':planId'].$get({ param: { planId } })).json()) as { latest: PlanVersion };
    expect(stadium.geometry.coordinates[1]).toBeLessThan(saved.latest.plan.assemblyPoints[0]!.lat);

    // The plan screens follow the language picker: in Arabic, right to left.
    const workspace = page.getByTestId('plans-workspace');
    await workspace.getByTestId('language').selectOption('ar');
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    expect(await workspace.locator('header strong').first().textContent()).toBe('خطط الطوارئ');
    expect(await workspace.getByRole('tab', { name: 'الطبقات', exact: true }).count()).toBe(1);
    expect(await workspace.getByRole('button', { name: 'تنزيل GeoJSON', exact: true }).count()).toBe(1);
    expect(await page.getByTestId('plans-status').textContent()).toMatch(/^استُوردت (1|١) منطقة خطر من CAP$/);
    expect(await workspace.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
    await screenshot(page, 'plans-arabic');
    await workspace.getByTestId('language').selectOption('en');
    await workspace.getByRole('tab', { name: 'Layers', exact: true }).waitFor();

    // KML is read in the browser by @tmcw/togeojson over @xmldom/xmldom, with the project's checks:
    // a coordinate it would skip refuses the file, naming the placemark; a Google Earth file adds its polygons.
    await section(page, 'Layers');
    const broken =
      '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString><coordinates>20.1,32.1 20.2,abc 20.3,32.2</coordinates></LineString></Placemark></kml>';
    await page
      .getByTestId('import-zones')
      .setInputFiles({ name: 'broken.kml', mimeType: 'application/vnd.google-earth.kml+xml', buffer: Buffer.from(broken) });
    await expect
      .poll(() => page.getByTestId('plans-status').textContent())
      .toBe('Could not import the file: "20.2,abc" is not a longitude,latitude[,altitude] tuple (Placemark 1)');
    const googleEarth = readFileSync(new URL('../../contingency-plans/test-data/hazard-zones.kml', import.meta.url));
    await page
      .getByTestId('import-zones')
      .setInputFiles({ name: 'hazard-zones.kml', mimeType: 'application/vnd.google-earth.kml+xml', buffer: googleEarth });
    await expect.poll(() => page.getByTestId('plans-status').textContent()).toContain('2 hazard zone(s) imported from KML');
    await expect.poll(() => page.getByTestId('plan-map').getAttribute('data-zones')).toBe('4');
  });

  it("keeps a contact's phone in E.164, read in the country of the plan's area (Libya)", async () => {
    const page = pages.city;
    await section(page, 'Layers');
    await page.getByRole('button', { name: 'Add: Contacts' }).click();
    const contact = page.getByTestId('contact-item').last();
    const phone = contact.getByLabel('Phone');
    await phone.fill('091 234 5678');
    await expect.poll(() => contact.getByTestId('contact-phone-reading').textContent()).toContain('+218 91 2345678 (Libya)');
    await phone.blur();
    await expect.poll(() => phone.inputValue()).toBe('+218912345678');
    // What cannot be read is kept as typed, and the field says why.
    await phone.fill('ask at the gate');
    await phone.blur();
    await expect.poll(() => phone.inputValue()).toBe('ask at the gate');
    expect(await contact.getByTestId('contact-phone-reading').getAttribute('class')).toBe('warning');
  });

  it('prints the plan with its map, and nothing went wrong on any page', async () => {
    const page = pages.city;
    await section(page, 'Export');
    await page.getByTestId('print-plan').click();
    const printed = page.getByTestId('plan-print');
    await printed.waitFor();
    expect(await printed.locator('h1').textContent()).toBe('Benghazi evacuation (my edit)');
    expect(await printed.textContent()).toContain('Benghazi stadium');
    const image = await page.getByTestId('print-map').getAttribute('src');
    expect(image).toMatch(/^data:image\/png;base64,/);
    expect(image!.length).toBeGreaterThan(5000);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'plans-print');
    expect(await page.getByTestId('org-name').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: 'screen' });
    // The one refused save (409, the race above) is logged by Chromium as a failed load; nothing else.
    for (const [name, list] of Object.entries(errors))
      expect(
        list.filter((error) => !error.includes('409 (Conflict)')),
        name,
      ).toEqual([]);
  });
});
