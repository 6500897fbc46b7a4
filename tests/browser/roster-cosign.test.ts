// Decision 0603 in real Chromium: in a CSO with k = 2 and two officers, officer A gives a new officer
// the org key; the change waits. Officer B sees it in Settings, described from B's own verified
// roster, co-signs, and it takes effect. Nothing changes before B signs.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { memberFingerprint, toBase64 } from '#crypto';
import { createOrg, fetchRoster, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { launchChromium, screenshot, signInAsActor, watchPageErrors } from '../support/browser.ts';

const baseUrl = inject('workerUrl');
const passphrase = 'roster co-sign test passphrase';
const orgName = 'Co-signing Solidarity';
let browser: Browser;
let officerA: Actor;
let officerB: Actor;
let newcomer: Actor;
const errors: string[][] = [];

async function openSettings(actor: Actor, label: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  errors.push(watchPageErrors(page));
  await signInAsActor(page, baseUrl, actor, { orgName, orgKind: 'cso', label, passphrase });
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByTestId('officer-panel').waitFor();
  return page;
}

const officers = async () => (await fetchRoster(officerA)).at(-1)!.statement.officers.map((officer) => officer.memberId);

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: orgName, approvalsRequired: 2, founderLabel: 'Officer A' });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  newcomer = await invite(officerA, 'officer', 'Officer C');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('co-signing a change of officers in the app', () => {
  it('A proposes, B co-signs, and only then is the new officer in the roster', async () => {
    const pageA = await openSettings(officerA, 'Officer A');
    const row = pageA.getByTestId('officer-panel').locator('li', { hasText: 'Officer C' });
    // Invited outside this device: A compares C's fingerprint (the one C's screen shows) before sealing the org key to C.
    await expect
      .poll(() => row.getByTestId('device-key-fingerprint').textContent(), { timeout: 30_000 })
      .toContain(memberFingerprint(toBase64(newcomer.keys.signPublicKey), toBase64(newcomer.keys.boxPublicKey)));
    await row.getByTestId('fingerprint-compared').check();
    await row.getByRole('button', { name: 'Give org key' }).click();
    await expect
      .poll(() => pageA.getByTestId('approvals-saved').textContent(), { timeout: 30_000 })
      .toMatch(/Proposed\. It takes effect when enough officers have signed it/);
    expect(await officers()).not.toContain(newcomer.memberId);

    const pageB = await openSettings(officerB, 'Officer B');
    const proposal = pageB.getByTestId('roster-proposal');
    await expect.poll(() => proposal.textContent(), { timeout: 30_000 }).toContain('Add Officer C as an officer');
    expect(await pageB.getByTestId('roster-proposal-signatures').textContent()).toMatch(
      /Proposed by Officer A; signed by 1 of the 2 officers needed/,
    );
    // B did not make C's invitation: B compares C's fingerprint (the one C's screen shows) before co-signing.
    const cosign = proposal.getByRole('button', { name: 'I agree: co-sign' });
    expect(await cosign.isDisabled()).toBe(true);
    expect(await proposal.getByTestId('device-key-fingerprint').textContent()).toContain(
      memberFingerprint(toBase64(newcomer.keys.signPublicKey), toBase64(newcomer.keys.boxPublicKey)),
    );
    await proposal.getByTestId('fingerprint-compared').check();
    await screenshot(pageB, 'roster-cosign-waiting');
    await cosign.click();
    await expect.poll(() => pageB.getByTestId('approvals-saved').textContent(), { timeout: 30_000 }).toMatch(/the change has taken effect/);
    await expect.poll(officers, { timeout: 15_000 }).toContain(newcomer.memberId);
    // The panel reloads after the co-signature; the change it showed goes once that reload is in.
    await expect.poll(() => pageB.getByTestId('roster-proposal').count(), { timeout: 15_000 }).toBe(0);
    expect(errors.flat()).toEqual([]);
  });
});
