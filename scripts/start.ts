// `npm start`: the whole system on this machine. Builds the web client, applies the D1 migrations
// to a local SQLite database, starts the Worker on local workerd and, on first run, loads a demo
// scenario through the real API.
//
//   npm start                              http://localhost:8787, the Libya 2011 demo
//   npm start -- --scenario sudan-2023     another scenario (on an empty database; see --fresh)
//   npm start -- --fresh                   empty the database first, then load the demo again
//   npm start -- --port 8788               another port (PORT=8788 works too)
//
// While a demo is being loaded the port answers with a "loading the demo" page and /api/health
// answers 503 {"status":"loading"}: nobody sees a half-seeded organisation. The Worker itself only
// takes the port once the demo is complete.
//
// For tests: BUFFER_STATE_DIR (default .wrangler/state) and BUFFER_WEB_DIR (default dist/web) move
// the database and the built client elsewhere.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listScenarios } from '#fixtures';
import { buildWeb, defaultWebDir } from './lib/build-web.ts';
import { serveLoadingPage } from './lib/loading-page.ts';
import { DEMO_PASSPHRASE, seedDemo } from './lib/seed-demo.ts';
import { freePort, projectRoot, startWorker, type RunningWorker } from './worker-process.ts';

const usage = 'usage: npm start [-- --scenario ID] [-- --fresh] [-- --port N]';
let options: { scenario?: string; port?: string; fresh?: boolean; help?: boolean };
try {
  ({ values: options } = parseArgs({
    args: process.argv.slice(2),
    options: { scenario: { type: 'string' }, port: { type: 'string' }, fresh: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  console.error(`start: ${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

const known = listScenarios().map((scenario) => scenario.id);
const requestedScenario = options.scenario ?? process.env.DEMO_SCENARIO;
if (requestedScenario !== undefined && !known.includes(requestedScenario)) {
  console.error(`start: unknown scenario "${requestedScenario}"; choose one of: ${known.join(', ')}`);
  process.exit(2);
}
const portText = options.port ?? process.env.PORT ?? '8787';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
  console.error(`start: "${portText}" is not a port number (1-65535)`);
  process.exit(2);
}
const persistTo = path.resolve(process.env.BUFFER_STATE_DIR ?? path.join(projectRoot, '.wrangler', 'state'));
const webDir = path.resolve(process.env.BUFFER_WEB_DIR ?? defaultWebDir);
const assetsDir = webDir === defaultWebDir ? undefined : webDir;
/** What the state folder holds: written once a demo is completely loaded. */
const loadedFile = path.join(persistTo, 'demo-loaded.json');
interface LoadedDemo {
  scenario: string;
  accounts: { title: string; orgName: string }[];
}

if (options.fresh) {
  rmSync(persistTo, { recursive: true, force: true });
  console.log(`start: --fresh: emptied ${path.relative(projectRoot, persistTo) || persistTo}`);
}

let loaded: LoadedDemo | undefined = existsSync(loadedFile) ? (JSON.parse(readFileSync(loadedFile, 'utf8')) as LoadedDemo) : undefined;
const scenarioId = loaded?.scenario ?? requestedScenario ?? 'libya-2011';
if (loaded && requestedScenario && requestedScenario !== loaded.scenario) {
  console.warn(
    `start: the database already holds the "${loaded.scenario}" demo, which is kept. To load "${requestedScenario}" instead: npm start -- --fresh --scenario ${requestedScenario}`,
  );
}

// Until the demo is loaded the port shows a page that says so (and /api/health answers 503).
const loading = loaded ? undefined : await serveLoadingPage(port, scenarioId);
const step = (text: string) => {
  console.log(`start: ${text}`);
  loading?.setStep(text);
};

let worker: RunningWorker | undefined;
const shutdown = async () => {
  await worker?.stop();
  await loading?.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  step('building the web client…');
  console.log(await buildWeb({ outDir: webDir }));

  if (!loaded) {
    // The demo goes in through a Worker on a private port; the public one keeps the loading page.
    step('starting the Worker on local workerd with D1 on SQLite…');
    worker = await startWorker({ persistTo, port: await freePort(), demo: true, quiet: true, assetsDir });
    const existing = (await (await fetch(`${worker.url}/api/demo/accounts`)).json()) as { accounts: { title: string; orgName: string }[] };
    let accounts = existing.accounts.map(({ title, orgName }) => ({ title, orgName }));
    if (accounts.length === 0) {
      step(`loading the demo scenario "${scenarioId}"…`);
      accounts = (await seedDemo(worker.url, persistTo, scenarioId, (line) => step(line))).map(({ title, orgName }) => ({
        title,
        orgName,
      }));
    }
    loaded = { scenario: scenarioId, accounts };
    writeFileSync(loadedFile, `${JSON.stringify(loaded, null, 2)}\n`);
    await worker.stop();
    await loading?.close();
  }

  step('starting the Worker on local workerd with D1 on SQLite…');
  worker = await startWorker({ persistTo, port, demo: true, quiet: true, assetsDir });
} catch (error) {
  console.error(`start: ${(error as Error).message}`);
  await worker?.stop();
  await loading?.close();
  process.exit(1);
}

console.log(`
  Buffer is running at http://localhost:${port}   (demo: ${loaded.scenario})
  API health:  http://localhost:${port}/api/health      OpenAPI: http://localhost:${port}/api/openapi.json

  Demo accounts (open the page, pick one; passphrase "${DEMO_PASSPHRASE}"):
${loaded.accounts.map((account) => `    - ${account.title}, ${account.orgName}`).join('\n')}

  Everything you type is sealed in the browser; the server keeps ciphertext only.
  Stop with Ctrl-C. Data stays in ${path.relative(projectRoot, persistTo) || persistTo} (npm start -- --fresh to start over).
`);
const running = worker;
running.process.on('exit', (code) => {
  console.error(`start: the Worker stopped (exit ${code}):\n${running.output().slice(-2000)}`);
  process.exit(1);
});
