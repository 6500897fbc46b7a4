// Vitest global setup for the api and browser projects: one Worker on real workerd with a fresh
// local D1 per project run. Tests reach it through inject('workerUrl') and scan inject('persistTo').
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startWorker } from '../../scripts/worker-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    workerUrl: string;
    persistTo: string;
  }
}

export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), `buffer-${project.name}-`));
  const worker = await startWorker({ persistTo, quiet: true });
  project.provide('workerUrl', worker.url);
  project.provide('persistTo', persistTo);
  return async () => {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
