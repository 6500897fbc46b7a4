// Production code does not stand on test data (issue 17, one model of the data): the fixtures
// package holds invented people and organisations for the demo, the tests and the bench, so no
// shipped module may import it. Reference geography the product offers (the scenario areas and
// places a plan can start from) lives in contingency-plans/src/reference-scenarios.ts, which the
// fixtures import in turn (decision 0806).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourcesUnder(directory: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, directory))) {
    if (name === 'node_modules' || name === 'dist') continue;
    const relative = path.join(directory, name);
    if (statSync(path.join(root, relative)).isDirectory()) out.push(...sourcesUnder(relative));
    else if (/\.(ts|tsx|mts)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('test-helpers.ts')) out.push(relative);
  }
  return out;
}

const production = ['web/src', 'api/src', 'model', 'crypto/src', 'contingency-plans/src'].flatMap(sourcesUnder);

/** Every import specifier of a file: static, re-exports, type-only and dynamic `import()`. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [
    ...text.matchAll(
      /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm,
    ),
  ].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** True when a specifier, written in `file`, reaches the fixtures package. */
function reachesFixtures(file: string, specifier: string): boolean {
  if (specifier === '#fixtures' || specifier.startsWith('#fixtures/')) return true;
  if (!specifier.startsWith('.')) return false;
  const target = path.relative(root, path.resolve(root, path.dirname(file), specifier));
  return target === 'fixtures' || target.startsWith(`fixtures${path.sep}`);
}

describe('production code and the fixtures', () => {
  it('finds the production sources it checks', () => {
    expect(production).toContain(path.join('web', 'src', 'plans', 'PlansWorkspace.tsx'));
    expect(production.some((file) => file.startsWith(path.join('api', 'src')))).toBe(true);
  });

  it('recognises an import of the fixtures however it is written', () => {
    const file = path.join('web', 'src', 'plans', 'example.ts');
    expect(reachesFixtures(file, '#fixtures')).toBe(true);
    expect(reachesFixtures(file, '#fixtures/scenarios')).toBe(true);
    expect(reachesFixtures(file, '../../../fixtures/src/index.ts')).toBe(true);
    expect(reachesFixtures(file, './fixtures.ts')).toBe(false);
    expect(reachesFixtures(file, '#plans')).toBe(false);
  });

  it('no non-test file under web/src, api/src, model, crypto/src or contingency-plans/src imports #fixtures or a path into fixtures/', () => {
    const offending = production.flatMap((file) =>
      specifiersOf(file)
        .filter((specifier) => reachesFixtures(file, specifier))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
