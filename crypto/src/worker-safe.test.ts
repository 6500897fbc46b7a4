// The Worker (workerd) cannot run libsodium.js. These modules are its crypto: walk their imports
// and prove none of them reaches libsodium (or any npm package).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER_SAFE = [
  'encoding.ts',
  'canonical.ts',
  'webcrypto.ts',
  'errors.ts',
  'audit.ts',
  'activation.ts',
  'bundle-manifest.ts',
  'breakglass-policy.ts',
  'protocol.ts',
  'envelope-shape.ts',
  'padding.ts',
  'roster.ts',
];

function importsOf(file: string): string[] {
  const source = readFileSync(path.join(here, file), 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)]
    .filter((match) => !/^\s*(?:import|export)\s+type\s/.test(match[0]))
    .map((match) => match[1]!);
}

function closure(start: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const target of importsOf(file)) {
      if (target.startsWith('./')) queue.push(target.slice(2));
      else packages.add(target);
    }
  }
  return { files, packages };
}

describe('Worker-safe modules', () => {
  it.each(WORKER_SAFE)('%s imports no libsodium and no package', (file) => {
    const { files, packages } = closure(file);
    expect([...files].filter((name) => !WORKER_SAFE.includes(name))).toEqual([]);
    expect([...packages]).toEqual([]);
    expect(files.has('sodium.ts')).toBe(false);
  });

  it('the walker does see libsodium where it is used (so the check above can fail)', () => {
    expect(closure('records.ts').files.has('sodium.ts')).toBe(true);
    expect(closure('sodium.ts').packages.has('libsodium-wrappers-sumo')).toBe(true);
  });
});
