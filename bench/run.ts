// `npm run bench [-- GROUP ...]`: runs every benchmark group (or the named ones) and writes
// bench/results.json in the format of ../shared/brief/bench.md. Metrics of groups not run this
// time are kept from the previous file, so one group can be refreshed on its own.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchGroup, Metric, Skipped } from './lib.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const groupsDir = path.join(here, 'groups');
const resultsFile = path.join(here, 'results.json');

function chromiumVersion(): string | null {
  try {
    const out = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.match(/(\d+\.[\d.]+)/)?.[1] ?? null;
  } catch {
    return null;
  }
}

const available = readdirSync(groupsDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown bench group(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const selected = wanted.length ? wanted : available;

/** bench/README.md: the latest figures as a table, rewritten by every run so it never drifts from results.json. */
function readme(results: Results): string {
  const rows = results.metrics.map((metric) => {
    const ratio = metric.ratio === undefined ? '' : `${metric.ratio}x`;
    const baseline = metric.baseline ? `${metric.baselineValue ?? ''} ${metric.unit} (${metric.baseline})` : '';
    return `| ${metric.name} | ${metric.value} ${metric.unit} | ${baseline.replace(/\|/g, '/')} | ${ratio} | \`${metric.command}\` |`;
  });
  const skipped = results.skipped.map((entry) => `- ${entry.group}: ${entry.skipped}`);
  return [
    '# Benchmarks',
    '',
    '`npm run bench` runs every group; `npm run bench -- NAME` one of them (groups are the files in `bench/groups/`).',
    'Each figure is the median of several runs after a warm-up, beside a baseline doing the same work in the same run,',
    'alternating with ours. `ratio` is how many times better than the baseline we are (above 1: we win).',
    'Format: `bench/results.json`, as described in `../shared/brief/bench.md`. This page is written by the runner.',
    '',
    `Latest run: ${results.generatedAt} on ${JSON.stringify(results.machine)}.`,
    '',
    '| metric | value | baseline | ratio | command |',
    '|---|---|---|---|---|',
    ...rows,
    ...(skipped.length ? ['', 'Not measured in the latest run:', ...skipped] : []),
    '',
  ].join('\n');
}

type Results = { generatedAt: string; machine: object; metrics: (Metric & { group?: string })[]; skipped: Skipped[] };
const previous: Results | null = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
const metrics = (previous?.metrics ?? []).filter((metric) => !selected.includes(metric.group ?? ''));
const skipped = (previous?.skipped ?? []).filter((entry) => !selected.includes(entry.group));

for (const name of selected) {
  const module = (await import(pathToFileURL(path.join(groupsDir, `${name}.ts`)).href)) as { default: BenchGroup };
  console.log(`bench: ${name} ...`);
  const started = Date.now();
  try {
    const result = await module.default.run();
    for (const metric of result.metrics) {
      metrics.push({ ...metric, group: name });
      const versus = metric.ratio !== undefined ? `  (x${metric.ratio} vs ${metric.baseline}: ${metric.baselineValue} ${metric.unit})` : '';
      console.log(`  ${metric.name} = ${metric.value} ${metric.unit}${versus}`);
    }
    for (const entry of result.skipped ?? []) {
      skipped.push({ ...entry, group: name });
      console.log(`  skipped: ${entry.skipped}`);
    }
  } catch (error) {
    const reason = `group failed: ${(error as Error).message}`;
    skipped.push({ group: name, skipped: reason });
    console.error(`  ${reason}`);
    process.exitCode = 1;
  }
  console.log(`bench: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const results: Results = {
  generatedAt: new Date().toISOString(),
  machine: { cores: os.cpus().length, node: process.version, chromium: chromiumVersion() },
  metrics,
  skipped,
};
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(here, 'README.md'), readme(results));
console.log(`bench: wrote ${path.relative(process.cwd(), resultsFile)} (${metrics.length} metrics)`);
