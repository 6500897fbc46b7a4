// Issue 14 in real Chromium: a key from the server is a claim. A new officer's keys reach the officer
// who grants the org key through the server's member list; on 776fda9 the officer's device sealed
// the org key to whatever box key that list named, so a server that swapped a newcomer's keys in D1
// received the org key with the next "Give org key" (the button was there and sealed to the swapped
// key). Here an invitation made in the app carries a secret the server never sees; the joining
// device MACs its keys with it, and the officer's device seals only to keys that MAC checks, or to
// keys whose fingerprint the officer compared with the newcomer's screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateMemberKeys, memberFingerprint, ready, toBase64 } from '#crypto';
import { createOrg, invite, type Actor } from '../../scripts/lib/actors.ts';
import { queryRows, tamper } from '../support/activation-actors.ts';
import { joinWithInvitation, launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
const passphrase = 'invitation binding test passphrase';
const orgName = 'Binding Solidarity';
let browser: Browser;
let founder: Actor;
let officer: Page;
let signedIn = false;
const errors: string[][] = [];

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  errors.push(watchPageErrors(page));
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

/** The founder makes an officer invitation in the app; a new device joins with it and shows its fingerprint. */
async function inviteOfficer(label: string): Promise<{ page: Page; invitation: string; fingerprint: string; memberId: string }> {
  await ensureOfficer();
  await officer.getByTestId('officer-panel').locator('select[name=role]').selectOption('officer');
  await officer.getByRole('button', { name: 'Create invitation' }).click();
  await expect
    .poll(async () => (await officer.getByTestId('invitation').textContent()) ?? '', { timeout: 15_000 })
    .toMatch(/~officer~[\w-]{22}$/);
  const invitation = (await officer.getByTestId('invitation').textContent())!;
  const page = await newPage();
  await joinWithInvitation(page, baseUrl, invitation, { orgName, label, passphrase });
  const fingerprint = ((await page.getByTestId('device-fingerprint').textContent()) ?? '').match(/[0-9A-F]{4}( [0-9A-F]{4}){7}/)?.[0] ?? '';
  expect(fingerprint).not.toBe('');
  const [row] = queryRows<{ id: string; key_binding: string | null }>(
    persistTo,
    'SELECT id, key_binding FROM members WHERE org_id = ? AND label = ?',
    founder.orgId,
    label,
  );
  // The server holds the binding, but not the secret that made it.
  expect(row?.key_binding).toMatch(/^[\w-]{43}$/);
  expect(invitation).not.toContain(row!.key_binding!);
  return { page, invitation, fingerprint, memberId: row!.id };
}

const memberRow = (label: string) => officer.getByTestId('officer-panel').locator('li', { hasText: label });
async function showMembers() {
  await officer.getByRole('tab', { name: 'Records', exact: true }).click();
  await officer.getByRole('tab', { name: 'Settings', exact: true }).click();
}

beforeAll(async () => {
  await ready();
  founder = await createOrg(baseUrl, { name: orgName, approvalsRequired: 2, founderLabel: 'Founder' });
  browser = await launchChromium();
});

/** The founder's page, signed in once (expect.poll only runs inside a test). */
async function ensureOfficer() {
  if (signedIn) return;
  signedIn = true;
  officer = await newPage();
  await signInAsActor(officer, baseUrl, founder, { orgName, orgKind: 'cso', label: 'Founder', passphrase });
  await officer.getByRole('tab', { name: 'Settings', exact: true }).click();
  await officer.getByTestId('officer-panel').waitFor();
}

afterAll(async () => {
  await browser?.close();
});

describe('a new officer gets the org key only on keys bound to the invitation or compared', () => {
  it('keys the server swapped after the join: no mark, another fingerprint than the newcomer shows, and no way to seal to them', async () => {
    const { page, fingerprint, memberId } = await inviteOfficer('Swapped newcomer');
    // The server puts keys of its own in place of the newcomer's (it keeps the binding it was sent).
    const attacker = generateMemberKeys();
    tamper(
      persistTo,
      'UPDATE members SET sign_public_key = ?, box_public_key = ? WHERE id = ?',
      toBase64(attacker.signPublicKey),
      toBase64(attacker.boxPublicKey),
      memberId,
    );
    await showMembers();
    const row = memberRow('Swapped newcomer');
    const shown = row.getByTestId('device-key-fingerprint');
    await expect
      .poll(() => shown.textContent(), { timeout: 30_000 })
      .toContain(memberFingerprint(toBase64(attacker.signPublicKey), toBase64(attacker.boxPublicKey)));
    expect(await shown.textContent()).not.toContain(fingerprint); // what the newcomer's own screen says
    expect(await row.getByTestId('keys-bound').count()).toBe(0);
    const grant = row.getByRole('button', { name: 'Give org key' });
    expect(await grant.isDisabled()).toBe(true);
    await row.scrollIntoViewIfNeeded();
    await screenshot(officer, 'invitation-binding-swapped');
    // Nothing was sealed to anyone.
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', memberId)[0]!
        .wrapped_org_key,
    ).toBeNull();
    await page.close();
  });

  // The attacker's review of d135759: the "I compared it" tick belonged to the member, not to the
  // keys, and survived the panel's refresh after a sync: keys swapped after the tick were sealed to.
  it('a comparison holds for the keys compared: keys swapped after the tick are not sealed to', async () => {
    await ensureOfficer();
    const newcomer = await invite(founder, 'officer', 'Compared newcomer'); // made outside the app: no secret binds it
    await showMembers();
    const row = memberRow('Compared newcomer');
    const shown = row.getByTestId('device-key-fingerprint');
    await expect
      .poll(() => shown.textContent(), { timeout: 30_000 })
      .toContain(memberFingerprint(toBase64(newcomer.keys.signPublicKey), toBase64(newcomer.keys.boxPublicKey)));
    const grant = row.getByRole('button', { name: 'Give org key' });
    expect(await grant.isDisabled()).toBe(true);
    await row.getByTestId('fingerprint-compared').check();
    expect(await grant.isDisabled()).toBe(false);
    const attacker = generateMemberKeys();
    tamper(
      persistTo,
      'UPDATE members SET sign_public_key = ?, box_public_key = ? WHERE id = ?',
      toBase64(attacker.signPublicKey),
      toBase64(attacker.boxPublicKey),
      newcomer.memberId,
    );
    await officer.getByRole('button', { name: 'Sync now' }).click(); // the panel reloads the member list
    await expect
      .poll(() => shown.textContent(), { timeout: 30_000 })
      .toContain(memberFingerprint(toBase64(attacker.signPublicKey), toBase64(attacker.boxPublicKey)));
    expect(await row.getByTestId('fingerprint-compared').isChecked()).toBe(false);
    expect(await grant.isDisabled()).toBe(true);
    expect(
      queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', newcomer.memberId)[0]!
        .wrapped_org_key,
    ).toBeNull();
  });

  it('keys as the newcomer sent them: bound to the invitation, and sealed without a comparison', async () => {
    const { page, memberId } = await inviteOfficer('Bound newcomer');
    const [joined] = queryRows<{ box_public_key: string }>(persistTo, 'SELECT box_public_key FROM members WHERE id = ?', memberId);
    await showMembers();
    const row = memberRow('Bound newcomer');
    await row.getByTestId('keys-bound').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('fingerprint-compared').count()).toBe(0);
    await row.getByRole('button', { name: 'Give org key' }).click();
    // One officer so far and k = 2: the founder adds the second officer alone (the bootstrap rule, decision 0603).
    await expect
      .poll(
        () =>
          queryRows<{ wrapped_org_key: string | null }>(persistTo, 'SELECT wrapped_org_key FROM members WHERE id = ?', memberId)[0]!
            .wrapped_org_key,
        { timeout: 30_000 },
      )
      .not.toBeNull();
    // The statement now lists the newcomer with the box key its own device made.
    const [after] = queryRows<{ box_public_key: string }>(persistTo, 'SELECT box_public_key FROM members WHERE id = ?', memberId);
    expect(after!.box_public_key).toBe(joined!.box_public_key);
    const [head] = queryRows<{ statement: string }>(
      persistTo,
      'SELECT statement FROM officer_rosters WHERE org_id = ? ORDER BY version DESC LIMIT 1',
      founder.orgId,
    );
    expect(
      (JSON.parse(head!.statement) as { officers: { memberId: string; boxPublicKey: string }[] }).officers.find(
        (entry) => entry.memberId === memberId,
      )?.boxPublicKey,
    ).toBe(joined!.box_public_key);
    await page.close();
    expect(errors.flat().filter((error) => !/status of 40[19]/.test(error))).toEqual([]);
  });
});
