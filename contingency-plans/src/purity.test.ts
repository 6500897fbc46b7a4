import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The library must run in browsers, Workers and Node: no Node built-ins, no DOM globals, no app code.
// reference/ holds the reference scenarios' data (decision 0806).
const sources = ['', 'reference/'].flatMap((folder) =>
  readdirSync(new URL(`./${folder}`, import.meta.url))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => `${folder}${name}`),
);

describe('library purity', () => {
  it.each(sources)('%s uses no I/O, DOM or app imports', (name) => {
    const text = readFileSync(new URL(name, import.meta.url), 'utf8');
    const imports = [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
    for (const source of imports) {
      expect(source, `${name} imports ${source}`).toMatch(
        /^(\.\/(reference\/)?[a-z0-9-]+\.ts|\.\.\/reference-scenarios\.ts|#model\/[a-z-]+|zod|@turf\/turf|kdbush|robust-predicates|@xmldom\/xmldom|@tmcw\/togeojson|geojson)$/,
      );
    }
    expect(text).not.toMatch(/\b(window|document\.(body|createElement)|localStorage|fetch\(|XMLHttpRequest|process\.)/);
  });
});
