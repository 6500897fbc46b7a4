// A second libsodium binding (PyNaCl), driven by crypto/interop/open_bundle.py, which was written
// from crypto/FORMAT.md alone, must open the good bundle vectors and refuse the bad ones with the
// same error code as ours.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const PYTHON = '/usr/bin/python3';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'interop', 'open_bundle.py');
const bundleDir = path.join(root, 'test-vectors', 'bundle');
const files = readdirSync(bundleDir).filter((file) => file.endsWith('.json')).sort();

describe('PyNaCl opens release bundles from FORMAT.md alone', () => {
  beforeAll(() => {
    try {
      execFileSync(PYTHON, ['-c', 'import nacl.bindings, nacl.signing'], { stdio: 'pipe' });
    } catch {
      throw new Error(`${PYTHON} cannot import PyNaCl (nacl): run scripts/ensure-test-deps.sh (npm test runs it first), then retry`);
    }
  });

  it.each(files)('%s', (file) => {
    const vector = JSON.parse(readFileSync(path.join(bundleDir, file), 'utf8'));
    const run = spawnSync(PYTHON, [script, path.join(bundleDir, file)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const output = JSON.parse(run.stdout);
    if (vector.expect.ok) {
      expect(run.status).toBe(0);
      expect(output.records).toEqual(vector.expect.records);
    } else {
      expect(run.status).toBe(1);
      expect(output.error).toBe(vector.expect.error);
    }
  });
});

describe('PyNaCl opens record envelopes from FORMAT.md alone', () => {
  it('agrees with every case of records-v1.json', () => {
    const vectorFile = path.join(root, 'test-vectors', 'records-v1.json');
    const vector = JSON.parse(readFileSync(vectorFile, 'utf8')) as { cases: { description: string; expect: unknown }[] };
    const run = spawnSync(PYTHON, [path.join(root, 'interop', 'open_records.py'), vectorFile], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(results).toEqual(vector.cases.map((entry) => entry.expect));
  });
});
