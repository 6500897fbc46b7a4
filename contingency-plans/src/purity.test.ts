import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The library must run in browsers, Workers and Node: no Node built-ins, no DOM globals, no app code.
const sources = readdirSync(new URL('.', import.meta.url)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('library purity', () => {
  it.each(sources)('%s uses no I/O, DOM or app imports', (name) => {
    const text = readFileSync(new URL(name, import.meta.url), 'utf8');
    const imports = [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
    for (const source of imports) {
      expect(source, `${name} imports ${source}`).toMatch(
        /^(\.\/[a-z-]+\.ts|#model\/[a-z-]+|zod|@turf\/turf|kdbush|robust-predicates|@xmldom\/xmldom|@tmcw\/togeojson|geojson)$/,
      );
    }
    expect(text).not.toMatch(/\b(window|document\.(body|createElement)|localStorage|fetch\(|XMLHttpRequest|process\.)/);
  });
});
