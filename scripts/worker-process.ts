// Starts the Worker on local workerd through wrangler (the same way `npm start` and the tests do):
// migrations applied to a local D1 on SQLite under `persistTo`, then `wrangler dev`, then waits
// until /api/health answers. Nothing here talks to Cloudflare.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { newAuditSigningKey } from './audit-key.ts';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wranglerBin = path.join(projectRoot, 'node_modules', '.bin', 'wrangler');

/** Keeps wrangler from calling out (telemetry, update checks) and from asking questions. */
export const offlineEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_API_TOKEN: '',
  CI: process.env.CI ?? 'true',
  NO_UPDATE_NOTIFIER: '1',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

export function applyMigrations(persistTo: string) {
  const result = spawnSync(wranglerBin, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
    cwd: projectRoot,
    env: offlineEnv,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`D1 migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * The local Worker's secrets, kept beside its database so a restart keeps the same audit identity.
 * Written as an env file for `wrangler dev --env-file` (not on the command line, where `ps` shows it).
 */
function localSecretsFile(persistTo: string): string {
  mkdirSync(persistTo, { recursive: true });
  const file = path.join(persistTo, 'worker-secrets.env');
  if (!existsSync(file) || !readFileSync(file, 'utf8').includes('AUDIT_SIGNING_KEY=')) {
    writeFileSync(file, `AUDIT_SIGNING_KEY=${newAuditSigningKey()}\n`, { mode: 0o600 });
  }
  return file;
}

export interface RunningWorker {
  url: string;
  port: number;
  persistTo: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** `assetsDir`: serve another build of the web client than dist/web (a test of a build option). */
export async function startWorker(options: {
  persistTo: string;
  port?: number;
  demo?: boolean;
  quiet?: boolean;
  assetsDir?: string;
}): Promise<RunningWorker> {
  applyMigrations(options.persistTo);
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const args = [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    options.persistTo,
    '--env-file',
    localSecretsFile(options.persistTo),
    '--show-interactive-dev-session=false',
    '--var',
    `DEMO_MODE:${options.demo ? '1' : '0'}`,
    // Local runs only: alert feeds may be plain http (tests serve them from 127.0.0.1), and the cron
    // handler can be triggered at /__scheduled (wrangler's --test-scheduled; not part of a deploy).
    '--var',
    'ALLOW_HTTP_FEEDS:1',
    '--test-scheduled',
    ...(options.assetsDir ? ['--assets', options.assetsDir] : []),
  ];
  const child = spawn(wranglerBin, args, { cwd: projectRoot, env: offlineEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (!options.quiet) process.stdout.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return { url, port, persistTo: options.persistTo, process: child, output: () => output, stop };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`wrangler dev did not answer /api/health within 120 s:\n${output.slice(-4000)}`);
}
