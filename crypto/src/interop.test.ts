// A second libsodium binding (PyNaCl), driven by the readers in crypto/interop/ (written from
// crypto/FORMAT.md alone), must open every good vector and refuse every bad one with the same
// error code as ours.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const PYTHON = '/usr/bin/python3';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'interop', 'open_bundle.py');
const bundleDir = path.join(root, 'test-vectors', 'bundle');
const files = readdirSync(bundleDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

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
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results).toEqual(vector.cases.map((entry) => entry.expect));
  });
});

describe('PyNaCl reads keys, the roster and organisation statement, recovery shares and canonical JSON from FORMAT.md alone', () => {
  const run = (file: string) => {
    const vectorFile = path.join(root, 'test-vectors', file);
    const result = spawnSync(PYTHON, [path.join(root, 'interop', 'open_keys.py'), vectorFile], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return {
      vector: JSON.parse(readFileSync(vectorFile, 'utf8')),
      results: result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    };
  };

  it.each(['locked-keys-v1.json', 'roster-v1.json', 'recovery-v1.json'])('agrees with every case of %s', (file) => {
    const { vector, results } = run(file);
    expect(results).toEqual((vector.cases as { expect: unknown }[]).map((entry) => entry.expect));
  });

  it('agrees with every chain and every decision case of org-statement-v2.json (co-signatures, quorum, whose decisions count)', () => {
    const { vector, results } = run('org-statement-v2.json');
    const expected = [...(vector.cases as { expect: unknown }[]), ...(vector.decisions as { expect: unknown }[])].map(
      (entry) => entry.expect,
    );
    expect(expected.length).toBeGreaterThan(40);
    expect(results).toEqual(expected);
  });

  it('writes the canonical JSON of canonical.json, refuses its rejected inputs and computes its buckets', () => {
    const { vector, results } = run('canonical.json');
    expect(results).toEqual([
      ...(vector.cases as { canonical: string }[]).map((entry) => ({ ok: true, canonical: entry.canonical })),
      ...(vector.rejected as string[]).map(() => ({ ok: false, error: 'bad_format' })),
      ...(vector.padding as { bucket: number }[]).map((entry) => ({ ok: true, bucket: entry.bucket })),
    ]);
  });
});

describe('PyNaCl reads partner statements and partner codes from FORMAT.md alone', () => {
  it('agrees with every statement case and every code of partner-v1.json', () => {
    const vectorFile = path.join(root, 'test-vectors', 'partner-v1.json');
    const vector = JSON.parse(readFileSync(vectorFile, 'utf8')) as { cases: { expect: unknown }[]; codes: { expect: unknown }[] };
    const run = spawnSync(PYTHON, [path.join(root, 'interop', 'open_partners.py'), vectorFile], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(results).toEqual([...vector.cases, ...vector.codes].map((entry) => entry.expect));
  });
});
