// The Worker: the API under /api (Hono, validated with zod, described by OpenAPI) and the web
// client as static assets (wrangler.toml [assets]). The chained app's type is exported so the web
// client calls the API through Hono's typed client.
import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { activationRoutes } from './activations/routes.ts';
import { feedRoutes, pollDueFeeds } from './alerts/feeds.ts';
import { alertRoutes } from './alerts/routes.ts';
import { arrangementRoutes } from './arrangements/routes.ts';
import { planRoutes, summaryRoutes } from './plans/routes.ts';
import { relayRoutes } from './relays/routes.ts';
import { expireDue } from './activations/expiry.ts';
import { serverKey } from './audit/server-key.ts';
import { authRoutes } from './auth/routes.ts';
import { demoRoutes } from './demo/routes.ts';
import type { AppEnv, Env } from './env.ts';
import { errorBody, handleError } from './errors.ts';
import { activationRequestLimits, rateLimit, signInLimits } from './middleware/rate-limit/index.ts';
import { invitationRoutes, orgRoutes } from './orgs/routes.ts';
import { recordRoutes } from './records/routes.ts';
import { validationHook } from './validation.ts';
import { API_VERSION } from './version.ts';


const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

app.use('/api/*', secureHeaders({ crossOriginResourcePolicy: 'same-origin', referrerPolicy: 'no-referrer' }));
app.use('/api/*', async (context, next) => {
  await next();
  context.header('Cache-Control', 'no-store');
});
app.use('/api/auth/*', rateLimit(signInLimits));
app.use('/api/activations', rateLimit(activationRequestLimits));

const routes = app
  .get('/api/health', (context) => context.json({ ok: true, version: API_VERSION }))
  .route('/api/auth', authRoutes)
  .route('/api/orgs', orgRoutes)
  .route('/api/orgs', recordRoutes)
  .route('/api/invitations', invitationRoutes)
  .route('/api/demo', demoRoutes)
  .route('/api/activations', activationRoutes)
  .route('/api/arrangements', arrangementRoutes)
  .route('/api/plans', planRoutes)
  .route('/api/alerts/feeds', feedRoutes)
  .route('/api/alerts', alertRoutes)
  .route('/api/relays', relayRoutes)
  .route('/api/orgs', summaryRoutes)
  .get('/api/server-identity', async (context) => {
    const key = await serverKey(context.env.AUDIT_SIGNING_KEY);
    return context.json({ auditSignPublicKey: key.publicKey, actorId: 'server', signs: ['release.expired', 'activation.expired'] });
  });

app.doc31('/api/openapi.json', {
  openapi: '3.1.0',
  info: {
    title: 'Migrant buffer API',
    version: API_VERSION,
    description:
      'The server holds ciphertext only: records are sealed on CSO devices (crypto/FORMAT.md). Members sign in with their Ed25519 device key (challenge, then bearer token).',
  },
});
app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

app.notFound((context) => context.json(errorBody('not_found', `no route ${context.req.method} ${new URL(context.req.url).pathname}`), 404));
app.onError(handleError);

export type AppType = typeof routes;

export default {
  fetch: app.fetch,
  /** Cron trigger (wrangler.toml): expiries happen even when nobody calls the API; due alert feeds are polled. */
  async scheduled(_controller: ScheduledController, env: Env) {
    await expireDue(env.DB, await serverKey(env.AUDIT_SIGNING_KEY));
    await pollDueFeeds(env.DB);
  },
} satisfies ExportedHandler<Env>;
