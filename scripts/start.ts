// `npm start`: the whole system on this machine. Builds the web client, applies the D1 migrations
// to a local SQLite database, starts the Worker on local workerd at http://localhost:8787 and, on
// first run, loads the demo scenario (Libya 2011 unless `npm start -- --scenario sudan-2023`).
// `npm start -- --fresh` starts from an empty database.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { listScenarios } from '#fixtures';
import { DEMO_PASSPHRASE, seedDemo } from './lib/seed-demo.ts';
import { projectRoot, startWorker } from './worker-process.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const scenarioId = option('scenario') ?? process.env['DEMO_SCENARIO'] ?? 'libya-2011';
const known = listScenarios().map((scenario) => scenario.id);
if (!known.includes(scenarioId)) {
  console.error(`unknown scenario "${scenarioId}"; choose one of: ${known.join(', ')}`);
  process.exit(2);
}
const port = Number(option('port') ?? process.env['PORT'] ?? 8787);
const persistTo = path.join(projectRoot, '.wrangler', 'state');
if (args.includes('--fresh')) rmSync(persistTo, { recursive: true, force: true });

console.log('start: building the web client…');
await import('./build-web.ts');

console.log('start: starting the Worker on local workerd with D1 on SQLite…');
const worker = await startWorker({ persistTo, port, demo: true, quiet: true });
const shutdown = async () => {
  await worker.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

const existing = (await (await fetch(`${worker.url}/api/demo/accounts`)).json()) as { accounts: { title: string; orgName: string }[] };
let accounts = existing.accounts.map(({ title, orgName }) => ({ title, orgName }));
if (accounts.length === 0) {
  console.log(`start: loading the demo scenario "${scenarioId}"…`);
  accounts = (await seedDemo(worker.url, persistTo, scenarioId)).map(({ title, orgName }) => ({ title, orgName }));
}

console.log(`
  Buffer is running at http://localhost:${port}
  API health:  http://localhost:${port}/api/health      OpenAPI: http://localhost:${port}/api/openapi.json

  Demo accounts (open the page, pick one; passphrase "${DEMO_PASSPHRASE}"):
${accounts.map((account) => `    - ${account.title}, ${account.orgName}`).join('\n')}

  Everything you type is sealed in the browser; the server keeps ciphertext only.
  Stop with Ctrl-C. Data stays in .wrangler/state (npm start -- --fresh to start over).
`);
worker.process.on('exit', (code) => {
  console.error(`start: the Worker stopped (exit ${code}):\n${worker.output().slice(-2000)}`);
  process.exit(1);
});
