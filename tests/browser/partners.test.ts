// Issue 15, finding 1, in real Chromium: anyone could pose as a consulate. On 53dbdde the CSO's
// "works with" picker listed the whole directory as `name (kind)`, the consent rule took the
// requester's kind from the server, and a release was sealed to the key the request named. Here:
// a CSO adds a consulate only from the partner code the consulate gives out of band, after the
// officer compared the fingerprint and chose the kind; kind and nationalities then come from that
// signed statement on every CSO device. A server that changes the consulate's kind in D1 changes
// nothing; an impostor with a copied name, even listed by the server, is shown unverified and
// cannot be approved.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, fetchRoster, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { buildRequest, fileRequest, queryRows, tamper } from '../support/activation-actors.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
const passphrase = 'partners test passphrase';
const consulateName = 'Embassy of Nepal (partners)';
let browser: Browser;
let officer: Actor;
let consulate: Actor;
let impostor: Actor;
let cso: Page;
let consul: Page;
const errors: string[][] = [];

async function openActivation(page: Page, actor: Actor, orgName: string, orgKind: string) {
  await signInAsActor(page, baseUrl, actor, { orgName, orgKind, label: 'Officer', passphrase });
  await page.getByRole('tab', { name: 'Emergency activation' }).click();
  await page.getByTestId('activation-panel').waitFor();
}

beforeAll(async () => {
  officer = await createOrg(baseUrl, { name: 'Partner Check Solidarity', approvalsRequired: 1 });
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: consulateName, nationalities: ['NP'] });
  impostor = await createOrg(baseUrl, {
    kind: 'consulate',
    name: consulateName,
    nationalities: ['NP', 'BD', 'IN', 'PK', 'LK', 'SY', 'SD', 'ER', 'ET', 'SO'],
  });
  browser = await launchChromium();
  cso = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  consul = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  errors.push(watchPageErrors(cso), watchPageErrors(consul));
});

afterAll(async () => {
  await browser?.close();
});

describe('verified partners', () => {
  let code = '';
  it('the consulate shows its partner code, a fingerprint to read aloud and a QR code', async () => {
    await openActivation(consul, consulate, consulateName, 'consulate');
    const card = consul.getByTestId('own-partner-code');
    await card.waitFor({ timeout: 30_000 });
    code = await card.getByTestId('partner-code').inputValue();
    expect(code).toMatch(new RegExp(`^${consulate.orgId}~1\\.[0-9a-f]{64}$`));
    expect(await card.getByTestId('own-fingerprint').textContent()).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){15}$/);
    expect(await card.getByTestId('partner-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await screenshot(consul, 'partners-1-consulate-code');
  });

  it('the CSO officer adds it from the code, after comparing the fingerprint and choosing its kind; nothing is chosen for them', async () => {
    await openActivation(cso, officer, 'Partner Check Solidarity', 'cso');
    const relationships = cso.getByTestId('relationships');
    // The directory is no longer offered: nothing to pick an impostor from.
    expect(await relationships.locator('select').count()).toBe(0);
    await relationships.locator('input[name=code]').fill(code);
    await relationships.getByRole('button', { name: 'Look up' }).click();
    const found = relationships.getByTestId('partner-found');
    await found.waitFor({ timeout: 30_000 });
    expect(await found.getByTestId('partner-fingerprint').textContent()).toBe(await consul.getByTestId('own-fingerprint').textContent());
    expect(await found.textContent()).toContain(`The server calls it “${consulateName}”`);
    // Left alone, the form submits no kind, and is refused.
    await found.locator('input[name=nationalities]').fill('np');
    await found.getByRole('button', { name: 'The fingerprints match: sign and add' }).click();
    await expect
      .poll(() => relationships.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('Choose what your organisation agrees it is');
    expect(await relationships.getByTestId('partner').count()).toBe(0);
    await found.locator('input[name=kind][value=consulate]').check();
    await found.getByRole('button', { name: 'The fingerprints match: sign and add' }).click();
    const partner = relationships.getByTestId('partner');
    await expect.poll(() => partner.getAttribute('data-verified'), { timeout: 30_000 }).toBe('true');
    expect(await partner.getByTestId('partner-verified').textContent()).toMatch(
      /verified: a consulate or embassy, NP; fingerprint [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}…/,
    );
    await screenshot(cso, 'partners-2-cso-verified');
  });

  it("a kind or nationalities changed in D1 change nothing on the CSO's device", async () => {
    tamper(persistTo, "UPDATE orgs SET kind = 'city', nationalities = ? WHERE id = ?", JSON.stringify(['NP', 'SY', 'IN']), consulate.orgId);
    try {
      await cso.getByRole('button', { name: 'Back to the map' }).click();
      await cso.getByRole('tab', { name: 'Emergency activation' }).click();
      const partner = cso.getByTestId('relationships').getByTestId('partner');
      await expect.poll(() => partner.getAttribute('data-verified'), { timeout: 30_000 }).toBe('true');
      expect(await partner.getByTestId('partner-verified').textContent()).toContain('verified: a consulate or embassy, NP;');
    } finally {
      tamper(persistTo, "UPDATE orgs SET kind = 'consulate', nationalities = ? WHERE id = ?", JSON.stringify(['NP']), consulate.orgId);
    }
  });

  // The review of d01fec1: a partner's chain was verified from the head the officer compared each
  // time, so a server could serve it rolled back to that head (an officer the consulate removed
  // since, a key it rotated away). The CSO device now pins the partner's statement and only moves
  // it forward: with version 2 seen, a chain cut back to version 1 is refused.
  it("refuses a partner's statement rolled back below what this device saw", async () => {
    await grantOrgKey(consulate, await invite(consulate, 'officer', 'Consul B'));
    const v2 = (await fetchRoster(consulate)).at(-1)!;
    expect(v2.statement.version).toBe(2);
    const reopen = async () => {
      await cso.getByRole('button', { name: 'Back to the map' }).click();
      await cso.getByRole('tab', { name: 'Emergency activation' }).click();
    };
    await reopen();
    const partner = cso.getByTestId('relationships').locator('[data-testid=partner]').filter({ hasText: consulateName }).first();
    const shortPrint = (v2.hash.slice(0, 16).match(/.{4}/g) ?? []).join(' ').toUpperCase();
    await expect.poll(() => partner.textContent(), { timeout: 30_000 }).toContain(`fingerprint ${shortPrint}`);
    const [row] = queryRows<Record<string, string | number>>(
      persistTo,
      'SELECT * FROM officer_rosters WHERE org_id = ? AND version = 2',
      consulate.orgId,
    );
    tamper(persistTo, 'DELETE FROM officer_rosters WHERE org_id = ? AND version = 2', consulate.orgId);
    try {
      await reopen();
      await expect
        .poll(() => partner.textContent(), { timeout: 30_000 })
        .toMatch(/not verified, nothing is released to it: .*(rollback|older than version 2)/);
      expect(await partner.getAttribute('data-verified')).toBe('false');
    } finally {
      const columns = Object.keys(row!);
      tamper(
        persistTo,
        `INSERT INTO officer_rosters (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ...columns.map((column) => row![column]!),
      );
    }
    await reopen();
    await expect.poll(() => partner.getAttribute('data-verified'), { timeout: 30_000 }).toBe('true');
  });

  // The review of d01fec1: the signed nationalities were not enforced, so a consulate the CSO
  // accepted for NP could ask for SY and be approved (the server checks its own registered list).
  it('a request for a nationality the CSO did not accept for the partner cannot be approved', async () => {
    tamper(persistTo, 'UPDATE orgs SET nationalities = ? WHERE id = ?', JSON.stringify(['NP', 'SY']), consulate.orgId);
    try {
      const filed = await fileRequest(
        consulate,
        buildRequest(consulate, [officer.orgId], { nationalities: ['SY'], purpose: 'Evacuation of Syrian nationals from Derna port' }),
      );
      expect(filed.response.status).toBe(201);
    } finally {
      tamper(persistTo, 'UPDATE orgs SET nationalities = ? WHERE id = ?', JSON.stringify(['NP']), consulate.orgId);
    }
    await cso.getByRole('button', { name: 'Back to the map' }).click();
    await cso.getByRole('tab', { name: 'Emergency activation' }).click();
    const item = cso.getByTestId('activation-item').filter({ hasText: 'Syrian nationals' });
    await item.click({ timeout: 30_000 });
    const view = cso.getByTestId('activation-view');
    await expect
      .poll(() => view.getByTestId('partner-problem').textContent(), { timeout: 30_000 })
      .toContain('it asks for SY, which this CSO did not accept it serves (NP)');
    expect(await view.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await view.getByRole('button', { name: 'All requests' }).first().click();
  });

  it('an impostor with the same name, listed by the server without a statement, is shown unverified and cannot be approved', async () => {
    // The server (or whoever holds its database) lists the impostor as a partner of the CSO.
    tamper(
      persistTo,
      'INSERT INTO relationships (cso_org_id, requester_org_id, created_by, created_at) VALUES (?, ?, ?, ?)',
      officer.orgId,
      impostor.orgId,
      officer.memberId,
      new Date().toISOString(),
    );
    const filed = await fileRequest(
      impostor,
      buildRequest(impostor, [officer.orgId], { purpose: 'Evacuation planning for Nepali nationals (impostor)' }),
    );
    expect(filed.response.status).toBe(201);
    await cso.getByRole('button', { name: 'Back to the map' }).click();
    await cso.getByRole('tab', { name: 'Emergency activation' }).click();
    const impostorRow = cso.getByTestId('relationships').locator('[data-testid=partner][data-verified=false]');
    await expect.poll(() => impostorRow.textContent(), { timeout: 30_000 }).toContain('not verified, nothing is released to it');
    const item = cso.getByTestId('activation-item').filter({ hasText: 'impostor' });
    await expect.poll(() => item.getByTestId('requester-unverified').count(), { timeout: 30_000 }).toBe(1);
    await item.click();
    const view = cso.getByTestId('activation-view');
    await expect.poll(() => view.getByTestId('partner-problem').textContent(), { timeout: 30_000 }).toContain('not a verified partner');
    expect(await view.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await view.getByRole('button', { name: 'Veto' }).count()).toBe(1);
    await screenshot(cso, 'partners-3-impostor-unverified');
    expect(errors.flat().filter((error) => !/status of 40[0-9]/.test(error))).toEqual([]);
  });

  // Found after 776fda9: removing a partner is an unsigned delete, and the server keeps the statement
  // the officer signed. On 776fda9 the server put the row back with that statement and every CSO
  // device showed the consulate verified again (its requests could be approved). The device now
  // keeps what it saw: a statement signed before a removal it saw makes nobody a partner again.
  it('a partner the CSO removed is not made one again by the statement the server kept', async () => {
    const [kept] = queryRows<{ partner: string; created_by: string; created_at: string }>(
      persistTo,
      'SELECT partner, created_by, created_at FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?',
      officer.orgId,
      consulate.orgId,
    );
    expect(kept?.partner).toContain('buffer/partner/v1');
    await cso.getByRole('button', { name: 'Back to the map' }).click();
    await cso.getByRole('tab', { name: 'Emergency activation' }).click();
    const partner = cso
      .getByTestId('relationships')
      .locator('[data-testid=partner]')
      .filter({ hasText: consulateName })
      .filter({ has: cso.getByTestId('partner-verified') });
    await expect.poll(() => partner.count(), { timeout: 30_000 }).toBe(1);
    await partner.getByRole('button', { name: `Remove ${consulateName}` }).click();
    await expect.poll(() => partner.count(), { timeout: 30_000 }).toBe(0);
    expect(
      queryRows(persistTo, 'SELECT 1 FROM relationships WHERE cso_org_id = ? AND requester_org_id = ?', officer.orgId, consulate.orgId),
    ).toHaveLength(0);
    // The server lists it again, with the statement the officer signed before removing it.
    tamper(
      persistTo,
      'INSERT INTO relationships (cso_org_id, requester_org_id, created_by, created_at, partner) VALUES (?, ?, ?, ?, ?)',
      officer.orgId,
      consulate.orgId,
      kept!.created_by,
      kept!.created_at,
      kept!.partner,
    );
    await cso.getByRole('button', { name: 'Back to the map' }).click();
    await cso.getByRole('tab', { name: 'Emergency activation' }).click();
    const back = cso
      .getByTestId('relationships')
      .locator('[data-testid=partner]')
      .filter({ hasText: consulateName })
      .filter({ hasText: 'stopped working with it' });
    await expect.poll(() => back.count(), { timeout: 30_000 }).toBe(1);
    expect(await back.getAttribute('data-verified')).toBe('false');
    await screenshot(cso, 'partners-4-removed-not-restored');
  });
});
