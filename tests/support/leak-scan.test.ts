// The scanner itself must find what it looks for, or a clean scan proves nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanForSecrets } from './leak-scan.ts';

describe('the plaintext scan', () => {
  const secret = 'Sunita Tamang +218912345678';
  const cases: [string, (text: string) => string][] = [
    ['plain', (text) => `xx${text}yy`],
    ['hex', (text) => Buffer.from(`..${text}..`).toString('hex')],
    ['base64 offset 0', (text) => Buffer.from(text).toString('base64')],
    ['base64 offset 1', (text) => Buffer.from(`a${text}`).toString('base64')],
    ['base64 offset 2', (text) => Buffer.from(`ab${text}`).toString('base64url')],
  ];
  for (const [name, encode] of cases) {
    it(`finds a secret stored as ${name}`, () => {
      const directory = mkdtempSync(path.join(os.tmpdir(), 'scan-'));
      writeFileSync(path.join(directory, 'store.bin'), encode(secret));
      expect(scanForSecrets(directory, [secret]).hits.length).toBeGreaterThan(0);
    });
  }

  it('finds nothing in unrelated bytes', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    writeFileSync(path.join(directory, 'store.bin'), Buffer.from('nothing to see here, just ciphertext-ish bytes'));
    expect(scanForSecrets(directory, [secret]).hits).toEqual([]);
  });
});
