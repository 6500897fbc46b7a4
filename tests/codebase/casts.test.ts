// Casts that silence the compiler whatever the types (issue 17, one model of the data): the web
// client is typed from the API (web/src/api-types.ts, Hono's typed client over the Worker's route
// types), so `as unknown as` and `as never` have no place in its production code. The exceptions
// are named here with their reason; a new one is a decision, not a habit. Hand-copied server
// interfaces cannot be counted so simply; web/src/api-types.ts is where server shapes are named.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourcesUnder(directory: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, directory))) {
    const relative = path.join(directory, name);
    if (statSync(path.join(root, relative)).isDirectory()) out.push(...sourcesUnder(relative));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(relative);
  }
  return out;
}

/** file -> why its casts are there. Only a library's own types may force one. */
const allowed: Record<string, { casts: number; reason: string }> = {};

const castPattern = /\bas\s+(unknown\s+as|never)\b/g;

/** Every cast in a file's code, as "file:line: text" (comments are skipped: they may say "as never"). */
function castsIn(file: string): string[] {
  return readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      const code = line.replace(/\/\/.*$/, '');
      if (/^\s*(\*|\/\*)/.test(code)) return [];
      return [...code.matchAll(castPattern)].map(() => `${file}:${index + 1}: ${line.trim()}`);
    });
}

describe('casts in the web client', () => {
  const files = sourcesUnder(path.join('web', 'src'));

  it('has no `as unknown as` or `as never` in web/src production code but the named exceptions', () => {
    const found = files.flatMap(castsIn);
    const unexpected = found.filter((cast) => !(cast.split(':')[0]! in allowed));
    expect(unexpected).toEqual([]);
    for (const [file, { casts }] of Object.entries(allowed)) expect(castsIn(file), `${file}: ${allowed[file]!.reason}`).toHaveLength(casts);
  });

  it('reads web/src (the scan finds the client)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain(path.join('web', 'src', 'api.ts'));
    expect(files.some((file) => file.endsWith('.test.ts'))).toBe(false);
  });
});
