// The API under /api (Hono, validated with zod, described by OpenAPI). The chained app's type is
// exported so the web client calls the API through Hono's typed client; index.ts makes it the Worker.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { activationRoutes } from './activations/routes.ts';
import { feedRoutes } from './alerts/feeds.ts';
import { alertRoutes } from './alerts/routes.ts';
import { arrangementRoutes } from './arrangements/routes.ts';
import { planRoutes, summaryRoutes } from './plans/routes.ts';
import { relayRoutes } from './relays/routes.ts';
import { serverKey } from './audit/server-key.ts';
import { authRoutes } from './auth/routes.ts';
import { demoRoutes } from './demo/routes.ts';
import type { AppEnv } from './env.ts';
import { errorBody, handleError } from './errors.ts';
import { defaultBodyLimit } from './middleware/default-body-limit.ts';
import { activationRequestLimits, orgCreationLimits, rateLimit, signInLimits } from './middleware/rate-limit/index.ts';
import { invitationRoutes, orgRoutes } from './orgs/routes.ts';
import { recordRoutes } from './records/routes.ts';
import { jsonContent } from './schemas.ts';
import { validationHook } from './validation.ts';
import { API_VERSION } from './version.ts';

export const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

app.use('/api/*', secureHeaders({ crossOriginResourcePolicy: 'same-origin', referrerPolicy: 'no-referrer' }));
app.use('/api/*', async (context, next) => {
  await next();
  context.header('Cache-Control', 'no-store');
});
app.use('/api/*', defaultBodyLimit);
app.use('/api/auth/*', rateLimit(signInLimits));
app.use('/api/activations', rateLimit(activationRequestLimits));
app.use('/api/orgs', rateLimit(orgCreationLimits));

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  summary: 'The Worker is up; the API version',
  responses: { 200: { description: 'up', ...jsonContent(z.object({ ok: z.literal(true), version: z.string() })) } },
});
const serverIdentityRoute = createRoute({
  method: 'get',
  path: '/api/server-identity',
  summary: "The server's Ed25519 audit key: it signs the expiry entries of audit chains, and nothing else",
  responses: {
    200: {
      description: 'the public key (base64url) and what it signs',
      ...jsonContent(z.object({ auditSignPublicKey: z.string(), actorId: z.literal('server'), signs: z.array(z.string()) })),
    },
  },
});

const routes = app
  .openapi(healthRoute, (context) => context.json({ ok: true, version: API_VERSION }, 200))
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
  .openapi(serverIdentityRoute, async (context) => {
    const key = await serverKey(context.env.AUDIT_SIGNING_KEY);
    return context.json({ auditSignPublicKey: key.publicKey, actorId: 'server', signs: ['release.expired', 'activation.expired'] }, 200);
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
