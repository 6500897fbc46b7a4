// What the code imports against what package.json declares (issue 17): a package shipped code uses
// is a dependency (an install with --omit=dev still runs the app and the Worker), every dependency
// is used, every development dependency is used by tests, scripts, the bench or a tool, and one
// module owns CSV and one owns file downloads.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function filesUnder(directory: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, directory))) {
    if (name === 'node_modules' || name === 'dist' || name === '.tmp') continue;
    const relative = path.join(directory, name);
    if (statSync(path.join(root, relative)).isDirectory()) out.push(...filesUnder(relative, accept));
    else if (accept(name)) out.push(relative);
  }
  return out;
}

const source = (name: string) => /\.(ts|tsx|mts)$/.test(name);
const isTest = (file: string) => /\.test\.tsx?$/.test(file);
/** The code that runs in the browser or the Worker: the apps and the pure libraries, without tests. */
const shipped = ['web/src', 'api/src', 'crypto/src', 'contingency-plans/src', 'model/src']
  .flatMap((directory) => filesUnder(directory, source))
  .filter((file) => !isTest(file) && !file.endsWith('test-helpers.ts'));
const everything = ['web', 'api', 'crypto', 'contingency-plans', 'model', 'fixtures', 'tests', 'scripts', 'bench'].flatMap((directory) =>
  filesUnder(directory, source),
);

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
/** Bare package names a file imports; `typesToo` counts `import type` (erased, needs no install). */
function importsOf(file: string, typesToo: boolean): Set<string> {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found = new Set<string>();
  // require('x') through createRequire (packages without ESM types, such as autocannon).
  for (const match of text.matchAll(/\)\(\s*['"]([^'"./#][^'"]*)['"]\s*\)|\brequire\(\s*['"]([^'"./#][^'"]*)['"]\s*\)/g))
    if (!/^node:/.test(match[1] ?? match[2]!)) found.add(packageOf(match[1] ?? match[2]!));
  for (const match of text.matchAll(
    /^\s*(import|export)\s+(type\s+)?(?:((?:[\w*\s,$]|\{[^}]*\})*?)\bfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)(?!\.[A-Z])/gm,
  )) {
    const specifier = match[4] ?? match[5]!;
    // Only `import type {…}` (and `export type`) is erased: with verbatimModuleSyntax an
    // `import { type A } from 'x'` still loads x at run time.
    const onlyTypes = Boolean(match[2]);
    if (onlyTypes && !typesToo) continue;
    if (/^(\.|#|node:|virtual:)/.test(specifier)) continue;
    found.add(packageOf(specifier));
  }
  return found;
}

const union = (sets: Set<string>[]) => new Set(sets.flatMap((set) => [...set]));

describe('dependencies', () => {
  it('every package shipped code imports (not only its types) is in dependencies', () => {
    const missing = shipped.flatMap((file) =>
      [...importsOf(file, false)].filter((name) => !(name in manifest.dependencies)).map((name) => `${file}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('every dependency is imported by shipped code', () => {
    const used = union(shipped.map((file) => importsOf(file, false)));
    expect(Object.keys(manifest.dependencies).filter((name) => !used.has(name))).toEqual([]);
  });

  it('every development dependency is used: imported somewhere, a tool run by a script or config, or types of a package in use', () => {
    const imported = union(everything.map((file) => importsOf(file, true)));
    const config = ['scripts/ensure-test-deps.sh', '.ci/run', 'wrangler.toml', 'vitest.config.ts'].map((file) => {
      try {
        return readFileSync(path.join(root, file), 'utf8');
      } catch {
        return '';
      }
    });
    const scripts = [...Object.values(manifest.scripts), ...config].join('\n');
    const unused = Object.keys(manifest.devDependencies).filter((name) => {
      if (imported.has(name)) return false;
      const typed = /^@types\/(.+)$/.exec(name)?.[1];
      if (typed && (imported.has(typed) || imported.has(`@${typed.replace('__', '/')}`) || typed === 'node')) return false;
      if (name === '@cloudflare/workers-types') return !/workers-types/.test(readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
      // Tools run by name (vite, tsx, wrangler...) and Node itself (decision 0001).
      if (name === 'node') return false;
      // A tool is used when a script runs one of its commands (package.json "bin").
      const bin = (
        JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> }
      ).bin;
      const commands = [name, ...(bin && typeof bin === 'object' ? Object.keys(bin) : [])];
      return !commands.some((command) =>
        new RegExp(`(^|[\\s&|;(])${command.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`, 'm').test(scripts),
      );
    });
    expect(unused).toEqual([]);
  });
});

describe('one of each', () => {
  it('only model/src/csv.ts writes or reads CSV (no other file joins cells with CRLF or imports papaparse)', () => {
    const writers = shipped
      .filter((file) => file !== path.join('model', 'src', 'csv.ts'))
      .filter((file) => {
        const text = readFileSync(path.join(root, file), 'utf8');
        return /join\(\s*['"]\\r\\n['"]\s*\)/.test(text) || importsOf(file, false).has('papaparse');
      });
    expect(writers).toEqual([]);
  });

  it('only web/src/ui/download.ts makes object URLs for files to save', () => {
    const makers = shipped.filter((file) => file.startsWith('web') && /new Blob\(/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(makers).toEqual([path.join('web', 'src', 'ui', 'download.ts')]);
  });

  it('message keys are checked by the compiler: one cast to MessageKey, inside the typed option-label helper', () => {
    const casts = shipped.flatMap((file) => [...readFileSync(path.join(root, file), 'utf8').matchAll(/as MessageKey\b/g)].map(() => file));
    expect(casts).toEqual([path.join('web', 'src', 'ui', 'fields.tsx')]);
  });
});
