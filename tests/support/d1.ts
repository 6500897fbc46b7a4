// A real D1 for tests that call db/ helpers or the Hono app in the test process: wrangler applies
// the migrations to a fresh local D1 (SQLite under a temporary directory, as scripts/worker-process.ts
// does for the Worker), then getPlatformProxy() starts workerd with the bindings of wrangler.toml
// over that same directory. Every D1 call goes to workerd's D1; nothing is mocked (decision 0807).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getPlatformProxy } from 'wrangler';
import { insertMemberStatement, insertOrgStatement } from '../../api/src/db/orgs.ts';
import type { Env } from '../../api/src/env.ts';
import { applyMigrations, offlineEnv, projectRoot } from '../../scripts/worker-process.ts';

export interface LocalD1 {
  /** The Worker's bindings (DB and the [vars] of wrangler.toml), for app.request(path, init, env). */
  env: Env;
  db: D1Database;
  dispose: () => Promise<void>;
}

export async function localD1(): Promise<LocalD1> {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-d1-'));
  applyMigrations(persistTo);
  // Keep wrangler quiet and offline here too (no telemetry, no update check).
  for (const name of ['WRANGLER_SEND_METRICS', 'WRANGLER_SEND_ERROR_REPORTS', 'NO_UPDATE_NOTIFIER'] as const) {
    process.env[name] ??= offlineEnv[name];
  }
  // `wrangler d1 migrations apply --persist-to X` keeps its state under X/v3; getPlatformProxy takes that directory itself.
  const proxy = await getPlatformProxy<Env>({
    configPath: path.join(projectRoot, 'wrangler.toml'),
    persist: { path: path.join(persistTo, 'v3') },
  });
  return {
    env: proxy.env,
    db: proxy.env.DB,
    dispose: async () => {
      await proxy.dispose();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

let keySeed = 0;
/** A distinct 32-byte key, base64url: the helpers store keys, they do not check them. */
export function testKey() {
  const bytes = Buffer.alloc(32, 1);
  bytes.writeUInt32BE(++keySeed);
  return bytes.toString('base64url');
}

/**
 * Inserts an organisation and one officer (`<id>-officer`) with the insert helpers the routes use,
 * for tests whose rows refer to them (D1 enforces the foreign keys). Answers the officer's id.
 */
export async function seedOrg(db: D1Database, id: string, kind: 'cso' | 'consulate' | 'city', name: string) {
  const createdAt = '2026-12-01T10:00:00.000Z';
  await insertOrgStatement(
    db,
    { id, kind, name, country: null, nationalities: '[]', public_key: testKey(), approvals_required: 1 },
    createdAt,
  ).run();
  const officer = `${id}-officer`;
  await insertMemberStatement(
    db,
    {
      id: officer,
      org_id: id,
      label: `Officer of ${name}`,
      role: 'officer',
      sign_public_key: testKey(),
      box_public_key: testKey(),
      wrapped_org_key: 'd3JhcHBlZA',
    },
    createdAt,
  ).run();
  return officer;
}
