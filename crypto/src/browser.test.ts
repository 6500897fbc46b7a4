// The same crypto code in real Chromium (where field devices and officers run it): records sealed
// in the browser open in Node and the other way round, WebCrypto Ed25519 there accepts libsodium
// signatures, and Argon2id-locked keys round-trip. Bundled with esbuild, driven by playwright-core.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fromBase64, toBase64 } from './encoding.ts';
import { generateMemberKeys, sign } from './members.ts';
import { generateOrgKeys } from './org.ts';
import { createRecordOpener, openJson, openSealingSession, sealJson } from './records.ts';
import { ready } from './sodium.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = `
import * as buffer from './crypto/src/index.ts';
globalThis.buffer = buffer;
`;

let browser: Browser;
let page: Page;

type PageApi = typeof import('./index.ts');
declare const buffer: PageApi;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/ensure-test-deps.sh, then retry`);
  await ready();
  const esbuild = await import('esbuild');
  const built = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const script = built.outputFiles[0]!.text;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  await page.route('https://crypto-test.invalid/**', (route) =>
    route.fulfill(
      route.request().url().endsWith('.js')
        ? { contentType: 'text/javascript', body: script }
        : { contentType: 'text/html', body: '<!doctype html><script src="/crypto.js"></script>' },
    ),
  );
  await page.goto('https://crypto-test.invalid/');
  await page.evaluate(() => buffer.ready());
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('crypto in Chromium', () => {
  it('records sealed in Chromium open in Node', async () => {
    const org = generateOrgKeys();
    const records = Array.from({ length: 20 }, (_, index) => ({ name: `Person ${index} é 😀`, phone: `+961 ${index}` }));
    const envelopes = await page.evaluate(
      ({ orgPublicKey, records }) => {
        const session = buffer.openSealingSession('org-1', buffer.fromBase64(orgPublicKey));
        const out = records.map((record, index) => buffer.toBase64(buffer.sealJson(session, `rec-${index}`, 1, record)));
        buffer.closeSealingSession(session);
        return out;
      },
      { orgPublicKey: toBase64(org.publicKey), records },
    );
    const opener = createRecordOpener('org-1', org);
    expect(envelopes.map((envelope, index) => openJson(opener, `rec-${index}`, 1, fromBase64(envelope)))).toEqual(records);
  });

  it('records sealed in Node open in Chromium, and tampering is caught there', async () => {
    const org = generateOrgKeys();
    const session = openSealingSession('org-1', org.publicKey);
    const envelope = toBase64(sealJson(session, 'rec-1', 3, { name: 'Amina' }));
    const result = await page.evaluate(
      ({ publicKey, secretKey, envelope }) => {
        const opener = buffer.createRecordOpener('org-1', {
          publicKey: buffer.fromBase64(publicKey),
          secretKey: buffer.fromBase64(secretKey),
        });
        const opened = buffer.openJson(opener, 'rec-1', 3, buffer.fromBase64(envelope));
        let code = 'none';
        try {
          buffer.openJson(opener, 'rec-2', 3, buffer.fromBase64(envelope));
        } catch (error) {
          code = (error as { code: string }).code;
        }
        return { opened, code };
      },
      { publicKey: toBase64(org.publicKey), secretKey: toBase64(org.secretKey), envelope },
    );
    expect(result).toEqual({ opened: { name: 'Amina' }, code: 'tampered' });
  });

  it("Chromium's WebCrypto Ed25519 verifies libsodium signatures and refuses a changed message", async () => {
    const keys = generateMemberKeys();
    const message = new TextEncoder().encode('approve');
    const signature = toBase64(sign(message, keys));
    const result = await page.evaluate(
      async ({ key, signature }) => {
        const good = await buffer.verifyEd25519(buffer.fromBase64(key), buffer.fromBase64(signature), new TextEncoder().encode('approve'));
        const bad = await buffer.verifyEd25519(buffer.fromBase64(key), buffer.fromBase64(signature), new TextEncoder().encode('veto'));
        return { good, bad };
      },
      { key: toBase64(keys.signPublicKey), signature },
    );
    expect(result).toEqual({ good: true, bad: false });
  });

  it('Argon2id-locked member keys made in Chromium unlock in Node', async () => {
    const locked = await page.evaluate(() => {
      const keys = buffer.generateMemberKeys();
      return {
        locked: buffer.lockMemberKeys(keys, 'pass phrase', { opsLimit: 1, memLimit: 8192 }),
        signPublicKey: buffer.toBase64(keys.signPublicKey),
      };
    });
    const { unlockMemberKeys } = await import('./members.ts');
    expect(toBase64(unlockMemberKeys(locked.locked, 'pass phrase').signPublicKey)).toBe(locked.signPublicKey);
  });
});
