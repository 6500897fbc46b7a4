// Every `npm start` option README.md documents, run as written (`npm start -- --port N` and so on),
// on a database and a web build of its own (BUFFER_STATE_DIR, BUFFER_WEB_DIR) so the suite's Worker
// and dist/web are left alone. Issue 13: all three options used to crash before the Worker started
// (ERR_PARSE_ARGS_UNKNOWN_OPTION from the web build's own parseArgs), and /api/health answered
// while the demo was still half loaded.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '#fixtures';
import { freePort, projectRoot } from '../../scripts/worker-process.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'buffer-readme-'));
const stateDir = path.join(scratch, 'state');
const env = { ...process.env, BUFFER_STATE_DIR: stateDir, BUFFER_WEB_DIR: path.join(scratch, 'web') };
const running = new Set<ChildProcess>();

function npmStart(args: string[]) {
  const child = spawn('npm', ['start', '--', ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    running.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  };
  return { child, output: () => output, stop };
}

interface Observed {
  loadingAnswers: number;
  loadingPage: string | undefined;
  accountsAtFirstHealth: { orgName: string }[];
}

/** Polls the port from the moment npm start runs until /api/health says ok, noting what it saw. */
async function waitUntilUp(port: number, started: ReturnType<typeof npmStart>): Promise<Observed> {
  const url = `http://127.0.0.1:${port}`;
  const observed: Observed = { loadingAnswers: 0, loadingPage: undefined, accountsAtFirstHealth: [] };
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited with ${started.child.exitCode}:\n${started.output()}`);
    try {
      const health = await fetch(`${url}/api/health`);
      if (health.ok) {
        // The first moment health is ok, the whole demo is there.
        const accounts = (await (await fetch(`${url}/api/demo/accounts`)).json()) as { accounts: { orgName: string }[] };
        observed.accountsAtFirstHealth = accounts.accounts;
        return observed;
      }
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'loading' });
      observed.loadingAnswers += 1;
      observed.loadingPage ??= await (await fetch(`${url}/`)).text();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // nothing listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`npm start did not answer within 240 s:\n${started.output()}`);
}

const orgNamesOf = (scenarioId: string) => new Set(loadScenario(scenarioId).organisations.map((organisation) => organisation.name));
const membersOf = (scenarioId: string) =>
  loadScenario(scenarioId).organisations.reduce((sum, organisation) => sum + organisation.members.length, 0);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
});

describe('README: npm start and its options', () => {
  it('documents exactly the options tested here', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const documented = new Set(
      [...readme.matchAll(/npm start -- ((?:--[a-z-]+ ?(?:[\w.-]+ ?)?)+)/g)].flatMap((match) =>
        [...match[1]!.matchAll(/--([a-z][a-z-]*)/g)].map((option) => option[1]),
      ),
    );
    expect([...documented].sort()).toEqual(['fresh', 'port', 'scenario']);
  });

  it('--port and --scenario: the chosen scenario on the chosen port, and a loading page until it is all there', async () => {
    const port = await freePort();
    const started = npmStart(['--port', String(port), '--scenario', 'sudan-2023']);
    try {
      const observed = await waitUntilUp(port, started);
      expect(observed.loadingAnswers).toBeGreaterThan(0);
      expect(observed.loadingPage).toContain('Loading the demo');
      expect(observed.loadingPage).toContain('sudan-2023');
      expect(observed.accountsAtFirstHealth).toHaveLength(membersOf('sudan-2023'));
      expect(new Set(observed.accountsAtFirstHealth.map((account) => account.orgName))).toEqual(orgNamesOf('sudan-2023'));
      expect(started.output()).toContain(`http://localhost:${port}`);
    } finally {
      await started.stop();
    }
  }, 300_000);

  it('a second start keeps what is there, and says how to switch scenarios instead of mixing them', async () => {
    const port = await freePort();
    const started = npmStart(['--port', String(port), '--scenario', 'libya-2011']);
    try {
      const observed = await waitUntilUp(port, started);
      expect(observed.loadingAnswers).toBe(0); // nothing to load: the Worker takes the port at once
      expect(new Set(observed.accountsAtFirstHealth.map((account) => account.orgName))).toEqual(orgNamesOf('sudan-2023'));
      expect(started.output()).toContain('npm start -- --fresh --scenario libya-2011');
    } finally {
      await started.stop();
    }
  }, 300_000);

  it('--fresh empties the database and loads the demo again', async () => {
    mkdirSync(path.join(stateDir, 'left-over'), { recursive: true });
    writeFileSync(path.join(stateDir, 'left-over', 'file'), 'from an earlier run');
    const port = await freePort();
    const started = npmStart(['--fresh', '--port', String(port)]);
    try {
      const observed = await waitUntilUp(port, started);
      expect(existsSync(path.join(stateDir, 'left-over'))).toBe(false);
      expect(new Set(observed.accountsAtFirstHealth.map((account) => account.orgName))).toEqual(orgNamesOf('libya-2011'));
      expect(observed.accountsAtFirstHealth).toHaveLength(membersOf('libya-2011'));
    } finally {
      await started.stop();
    }
  }, 300_000);

  it('refuses an unknown option, an unknown scenario and a bad port with a clear message', async () => {
    for (const [args, message] of [
      [['--prot', '8788'], /Unknown option '--prot'[\s\S]*usage: npm start/],
      [['--scenario', 'atlantis'], /unknown scenario "atlantis"; choose one of: .*libya-2011/],
      [['--port', 'eighty'], /"eighty" is not a port number/],
    ] as const) {
      const started = npmStart([...args]);
      const [code] = await once(started.child, 'exit');
      running.delete(started.child);
      expect(code).toBe(2);
      expect(started.output()).toMatch(message);
    }
  }, 120_000);
});
