import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The model runs in browsers, Workers, Node scripts and the pure libraries: no Node built-ins, no
// DOM, no storage, no app code; only zod, papaparse and libphonenumber-js (numbering plans as data),
// and, as a type only, the release groups the protocol names.
const sources = readdirSync(new URL('.', import.meta.url)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('model purity', () => {
  it.each(sources)('%s uses no I/O, DOM or app imports', (name) => {
    const text = readFileSync(new URL(name, import.meta.url), 'utf8');
    const typeOnly = /^import type [^'";]*?\sfrom\s*['"]#crypto\/protocol['"];?$/gm;
    const imports = [
      ...text.replace(typeOnly, '').matchAll(/^(?:import|export)[^'";]*?\sfrom\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm),
    ].map((match) => match[1] ?? match[2]!);
    for (const source of imports)
      expect(source, `${name} imports ${source}`).toMatch(/^(\.\/[a-z-]+\.ts|zod|papaparse|libphonenumber-js)$/);
    expect(text).not.toMatch(/\b(window|document\.|localStorage|indexedDB|fetch\(|XMLHttpRequest|process\.)/);
  });
});
