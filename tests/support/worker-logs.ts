// What a Worker printed, gathered into one directory so the leak scanners can read it like stored
// bytes: its stdout and stderr as this process collected them, and wrangler's own debug logs of
// that run (files written since the run started that name the run's database directory).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningWorker } from '../../scripts/worker-process.ts';

export function wranglerLogDirectory(): string {
  return process.env.WRANGLER_LOG_PATH ?? path.join(os.homedir(), '.config', '.wrangler', 'logs');
}

/** Copies the Worker's output and its wrangler logs into `into`; returns how many wrangler logs were found. */
export function collectWorkerLogs(worker: RunningWorker, startedAt: number, into: string): { wranglerLogs: number } {
  writeFileSync(path.join(into, 'worker-output.txt'), worker.output());
  const directory = wranglerLogDirectory();
  if (!existsSync(directory)) return { wranglerLogs: 0 };
  const ours = readdirSync(directory)
    .map((name) => path.join(directory, name))
    .filter(
      (file) =>
        statSync(file).isFile() &&
        statSync(file).mtimeMs >= startedAt - 1000 &&
        readFileSync(file, 'utf8').includes(path.basename(worker.persistTo)),
    );
  for (const file of ours) copyFileSync(file, path.join(into, path.basename(file)));
  return { wranglerLogs: ours.length };
}
