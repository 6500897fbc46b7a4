// Alerts in (issue 9, first part): an organisation imports a public hazard warning, a CAP 1.2 XML
// alert or a GDACS GeoJSON event. The server parses it with the plan library's CAP reader, stores
// only the public alert, and follows CAP's Update and Cancel: the alerts they reference stop being
// active. Matching alerts to communities is done on the CSO officer's device, never here.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireCaller } from '../auth/middleware.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { errorResponses, jsonContent, withErrors } from '../schemas.ts';
import { listAlerts } from '../db/alerts.ts';
import { alertSchema, importAlert, importBody, importedAlertSchema, MAX_ALERT_BYTES, toJson } from './import.ts';
import { jsonBody, validationHook } from '../validation.ts';

const importDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['alerts'],
  summary: 'Import a public hazard alert (officers): CAP 1.2 XML or a GDACS GeoJSON event; Update and Cancel follow CAP',
  middleware: [
    bodyLimit({
      maxSize: MAX_ALERT_BYTES + 1024,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `an alert is at most ${MAX_ALERT_BYTES / 1024 / 1024} MiB`);
      },
    }),
    requireCaller({ roles: ['officer'] }),
  ] as const,
  request: { body: jsonBody(importBody) },
  responses: withErrors({ 201: { description: 'Imported', ...jsonContent(importedAlertSchema) } }),
});

const listDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['alerts'],
  summary: "Your organisation's imported alerts, active ones first",
  middleware: [requireCaller({ roles: ['officer', 'field'] })] as const,
  request: { query: z.object({ state: z.enum(['active', 'all']).default('active') }) },
  responses: { 200: { description: 'Alerts', ...jsonContent(z.object({ alerts: z.array(alertSchema) })) }, 401: errorResponses[401] },
});

export const alertRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(importDef, async (context) => {
    return context.json(await importAlert(context.env.DB, context.get('caller').orgId, context.req.valid('json')), 201);
  })
  .openapi(listDef, async (context) => {
    const { state } = context.req.valid('query');
    const results = await listAlerts(context.env.DB, context.get('caller').orgId, state);
    return context.json({ alerts: results.map(toJson) }, 200);
  });
