// Starting a suite's own Worker. scripts/worker-process.ts picks free ports by opening and closing
// a socket, so another process on the machine can take the port before wrangler binds it; that is
// a failure to start, not a finding, so it is retried (at most three times, each on fresh ports).
import { startWorker, type RunningWorker } from '../../scripts/worker-process.ts';

export async function startOwnWorker(options: Parameters<typeof startWorker>[0]): Promise<RunningWorker> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWorker(attempt === 1 ? options : { ...options, port: undefined });
    } catch (error) {
      if (attempt >= 3 || !/Address already in use|EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}
