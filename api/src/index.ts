// The Worker: the API (app.ts) under /api and the web client as static assets (wrangler.toml
// [assets]), plus the cron trigger.
import { expireDue } from './activations/expiry.ts';
import { pollDueFeeds } from './alerts/feeds.ts';
import { app } from './app.ts';
import { serverKey } from './audit/server-key.ts';
import type { Env } from './env.ts';

export type { AppType } from './app.ts';

export default {
  fetch: app.fetch,
  /** Cron trigger (wrangler.toml): expiries happen even when nobody calls the API; due alert feeds are polled. */
  async scheduled(_controller: ScheduledController, env: Env) {
    // Each job on its own: a failure in one is logged and does not keep the other from running.
    const jobs = await Promise.allSettled([
      serverKey(env.AUDIT_SIGNING_KEY).then((key) => expireDue(env.DB, key)),
      pollDueFeeds(env.DB, env),
    ]);
    for (const [index, job] of jobs.entries())
      if (job.status === 'rejected')
        console.error(`scheduled: ${index === 0 ? 'expiry' : 'alert feeds'} failed: ${(job.reason as Error).message}`);
  },
} satisfies ExportedHandler<Env>;
