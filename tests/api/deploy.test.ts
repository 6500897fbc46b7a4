// What `wrangler deploy` would upload builds, and the Worker bundle carries no libsodium (it cannot
// run in workerd) and no plaintext-handling client code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineEnv, projectRoot } from '../../scripts/worker-process.ts';

describe('wrangler deploy --dry-run', () => {
  it('bundles the Worker for Cloudflare without libsodium or client code', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'buffer-deploy-'));
    const result = spawnSync(path.join(projectRoot, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
      cwd: projectRoot,
      env: offlineEnv,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const bundle = readdirSync(outdir).find((file) => file.endsWith('.js'));
    expect(bundle).toBeDefined();
    const code = readFileSync(path.join(outdir, bundle!), 'utf8');
    expect(code).toContain('/api/health');
    expect(code).not.toMatch(/libsodium|crypto_box_seal|dexie|maplibre/i);
    expect(code.length).toBeLessThan(1_500_000);
  });
});
