// The status line of the plan screens and the one "busy" flag their server calls share.
import { useState } from 'preact/hooks';
import { describeFailure } from '../../ui/failure.ts';
import type { PlanMessageKey } from '../messages.ts';

type Params = Record<string, string | number>;

/** A message key, its parameters, and whether it reports a failure: kept as a key so the line follows a change of language. */
export type PlansMessage = { key: PlanMessageKey; params?: Params; error?: boolean };

export function usePlansStatus() {
  const [message, setMessage] = useState<PlansMessage | null>(null);
  const [busy, setBusy] = useState(false);

  const say = (key: PlanMessageKey, params?: Params) => setMessage({ key, params });
  const warn = (key: PlanMessageKey, params: Params) => setMessage({ key, params, error: true });
  const fail = (error: unknown) =>
    setMessage(
      describeFailure<PlansMessage>(error, {
        offline: () => ({ key: 'error.offline', error: true }),
        server: (message) => ({ key: 'error.server', params: { message }, error: true }),
      }),
    );

  /** Runs a server call with the workspace marked busy; a failure goes to the status line. */
  async function run(task: () => Promise<void>) {
    setBusy(true);
    try {
      await task();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  return { message, busy, say, warn, fail, run };
}

export type PlansStatus = ReturnType<typeof usePlansStatus>;
