// The part of the dependency policy (docs/decisions/0502-dependency-audit.md) that can be checked
// without the network: what the lockfile pins, where it comes from, and which packages may run
// install scripts. The advisory check (npm audit) needs the registry's advisory service; see 0502.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../scripts/worker-process.ts';

type LockedPackage = {
  version?: string;
  optionalDependencies?: Record<string, string>;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  link?: boolean;
  hasInstallScript?: boolean;
  license?: string;
};
const lock = JSON.parse(readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const locked = Object.entries(lock.packages).filter(([location, entry]) => location !== '' && !entry.link);
const nameOf = (location: string) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('the lockfile', () => {
  it('pins every package with a sha512 integrity hash', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    expect(locked.length).toBeGreaterThan(100);
    expect(locked.filter(([, entry]) => !/^sha512-[A-Za-z0-9+/]+=*$/.test(entry.integrity ?? '')).map(([location]) => location)).toEqual(
      [],
    );
  });

  it('takes packages from the npm registry only: no git, tarball URL, file or link specifiers', () => {
    const specifiers = { ...manifest.dependencies, ...manifest.devDependencies };
    expect(Object.entries(specifiers).filter(([, range]) => /^(git|github:|https?:|file:|link:|npm:)/.test(range))).toEqual([]);
    expect(locked.filter(([, entry]) => entry.resolved !== undefined && !entry.resolved.startsWith('https://registry.npmjs.org/'))).toEqual(
      [],
    );
    expect(locked.filter(([, entry]) => !/^\d+\.\d+\.\d+/.test(entry.version ?? ''))).toEqual([]);
  });

  it('lets only the allow-listed packages run install scripts, and none of them ships to production', () => {
    const allowed = Object.keys(manifest.allowScripts ?? {}).filter((name) => manifest.allowScripts?.[name]);
    const withScripts = locked
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([location, entry]) => ({ name: nameOf(location), dev: entry.dev === true }));
    expect(withScripts.filter((entry) => !allowed.includes(entry.name))).toEqual([]);
    expect(withScripts.filter((entry) => !entry.dev)).toEqual([]);
  });

  it('locks every platform build an optional dependency names, so `npm ci` on any OS accepts the lockfile', () => {
    // npm ci refuses a lockfile that lacks an optional dependency's entry ("Missing: … from lock
    // file"), even for a platform it would skip; an install that pruned them broke CI once.
    const missing: string[] = [];
    for (const [location, entry] of locked) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        const nested = `${location}/node_modules/${name}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) missing.push(`${nameOf(location)} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps every direct dependency locked at a version its range accepts', () => {
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, name).toBeDefined();
      const [major] = (entry!.version ?? '').split('.');
      // Caret ranges: same major (the only kind used here); anything else must be exact.
      if (range.startsWith('^')) expect(major, name).toBe(range.slice(1).split('.')[0]);
      else expect(entry!.version, name).toBe(range);
    }
  });
});
