// The test's view of the Worker's D1 as stored on disk by wrangler dev (SQLite under persistTo):
// a digest of every table read with node:sqlite (read-only), and SQL run through `wrangler d1
// execute --local`, the same tool an operator would use, for injecting faults such as triggers.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { offlineEnv, projectRoot } from '../../scripts/worker-process.ts';

/** The SQLite file of the DB binding (miniflare keeps one file per database, beside metadata.sqlite). */
export function d1File(persistTo: string): string {
  const directory = path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(directory).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${directory}, found ${files.join(', ') || 'none'}`);
  const file = path.join(directory, files[0]!);
  if (!statSync(file).isFile()) throw new Error(`${file} is not a file`);
  return file;
}

/** Runs one query on the D1 file, read-only. */
export function queryD1<Row = Record<string, unknown>>(persistTo: string, sql: string, ...parameters: (string | number)[]): Row[] {
  const database = new DatabaseSync(d1File(persistTo), { readOnly: true });
  try {
    return database.prepare(sql).all(...parameters) as Row[];
  } finally {
    database.close();
  }
}

/** Tables of our schema (not SQLite's or wrangler's own bookkeeping). */
export function userTables(persistTo: string): string[] {
  return queryD1<{ name: string }>(
    persistTo,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY name",
  ).map((row) => row.name);
}

/** SHA-256 of every row of every table (in rowid or key order), by table, plus the row counts. */
export function tableDigests(persistTo: string, options: { except?: string[] } = {}): Record<string, { rows: number; sha256: string }> {
  const database = new DatabaseSync(d1File(persistTo), { readOnly: true });
  try {
    const tables = (
      database
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name")
        .all() as { name: string }[]
    )
      .map((row) => row.name)
      .filter((name) => !(options.except ?? []).includes(name));
    const digests: Record<string, { rows: number; sha256: string }> = {};
    for (const table of tables) {
      const hash = createHash('sha256');
      const rows = database.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all() as Record<string, unknown>[];
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          hash.update(column);
          hash.update(value instanceof Uint8Array ? Buffer.from(value) : (JSON.stringify(value) ?? 'null'));
        }
        hash.update('\n');
      }
      digests[table] = { rows: rows.length, sha256: hash.digest('hex') };
    }
    return digests;
  } finally {
    database.close();
  }
}

/** Runs SQL on the local D1 through wrangler, as an operator would; throws with wrangler's output on failure. */
export function executeD1(persistTo: string, sql: string): unknown {
  const result = spawnSync(
    path.join(projectRoot, 'node_modules', '.bin', 'wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql],
    { cwd: projectRoot, env: offlineEnv, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}
