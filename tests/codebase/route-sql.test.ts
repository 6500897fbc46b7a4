// Routers hold no SQL (issue 17, decision 0807): a module that declares routes (createRoute) asks
// the db/ helpers, which the d1 project tests on a real D1 apart from the routes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourcesUnder(directory: string): string[] {
  return readdirSync(path.join(root, directory)).flatMap((name) => {
    const relative = path.join(directory, name);
    if (statSync(path.join(root, relative)).isDirectory()) return sourcesUnder(relative);
    return /\.ts$/.test(name) && !name.endsWith('.test.ts') ? [relative] : [];
  });
}

describe('routers', () => {
  const routers = sourcesUnder('api/src').filter((file) => readFileSync(path.join(root, file), 'utf8').includes('createRoute('));

  it('are found (the check below looks at something)', () => {
    expect(routers.length).toBeGreaterThanOrEqual(10);
  });

  it('prepare no SQL of their own', () => {
    const withSql = routers.filter((file) => readFileSync(path.join(root, file), 'utf8').includes('.prepare('));
    expect(withSql).toEqual([]);
  });
});
