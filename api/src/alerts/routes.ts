// Alerts in (issue 9, first part): an organisation imports a public hazard warning, a CAP 1.2 XML
// alert or a GDACS GeoJSON event. The server parses it with the plan library's CAP reader, stores
// only the public alert, and follows CAP's Update and Cancel: the alerts they reference stop being
// active. Matching alerts to communities is done on the CSO officer's device, never here.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { parseCap, type CapAlert } from '#plans/cap';
import { requireCaller } from '../auth/middleware.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, badRequest, conflict } from '../errors.ts';
import { errorResponses, jsonContent } from '../schemas.ts';
import { nowIso } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';

const MAX_ALERT_BYTES = 2 * 1024 * 1024;

/** A GDACS event as GeoJSON: the properties GDACS publishes that we use. */
const gdacsFeature = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon', 'Point']), coordinates: z.array(z.unknown()) }),
  properties: z.object({
    eventtype: z.string().max(10),
    eventid: z.union([z.number(), z.string().max(40)]),
    episodeid: z.union([z.number(), z.string().max(40)]).optional(),
    alertlevel: z.enum(['Green', 'Orange', 'Red']),
    name: z.string().max(300).optional(),
    fromdate: z.string().max(40),
    todate: z.string().max(40).optional(),
  }),
});
const gdacsEvent = z.object({ type: z.literal('FeatureCollection'), features: z.array(gdacsFeature).min(1).max(500) });

const importBody = z.discriminatedUnion('format', [
  z.object({ format: z.literal('cap'), content: z.string().min(20).max(MAX_ALERT_BYTES) }),
  z.object({ format: z.literal('gdacs'), content: gdacsEvent }),
]);

const severityOfGdacs = { Green: 'Minor', Orange: 'Severe', Red: 'Extreme' } as const;

/** A GDACS event in the shape of a CAP alert (one info, its polygons as areas). Episodes update earlier ones. */
function alertFromGdacs(event: z.infer<typeof gdacsEvent>): CapAlert {
  const first = event.features[0]!.properties;
  const areas = event.features
    .filter((feature) => feature.geometry.type !== 'Point')
    .map((feature) => ({ areaDesc: feature.properties.name ?? first.eventtype, geometry: feature.geometry as CapAlert['infos'][number]['areas'][number]['geometry'] }));
  const episode = Number(first.episodeid ?? 1);
  return {
    identifier: `${first.eventtype}${first.eventid}-${episode}`,
    sender: 'gdacs',
    sent: new Date(first.fromdate).toISOString(),
    status: 'Actual',
    msgType: episode > 1 ? 'Update' : 'Alert',
    references: episode > 1 ? [`${first.eventtype}${first.eventid}-${episode - 1}`] : [],
    infos: [
      {
        language: 'en',
        event: first.name ?? first.eventtype,
        urgency: 'Immediate',
        severity: severityOfGdacs[first.alertlevel],
        certainty: 'Observed',
        ...(first.todate ? { expires: new Date(first.todate).toISOString() } : {}),
        areas,
        areasWithoutShape: [],
      },
    ],
  };
}

const alertSchema = z.object({}).passthrough().openapi('Alert');

const importDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['alerts'],
  summary: 'Import a public hazard alert (officers): CAP 1.2 XML or a GDACS GeoJSON event; Update and Cancel follow CAP',
  middleware: [
    bodyLimit({ maxSize: MAX_ALERT_BYTES + 1024, onError: () => { throw new ApiError(413, 'payload_too_large', `an alert is at most ${MAX_ALERT_BYTES / 1024 / 1024} MiB`); } }),
    requireCaller({ roles: ['officer'] }),
  ] as const,
  request: { body: jsonBody(importBody) },
  responses: { 201: { description: 'Imported', ...jsonContent(alertSchema) }, ...errorResponses },
});

const listDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['alerts'],
  summary: "Your organisation's imported alerts, active ones first",
  middleware: [requireCaller()] as const,
  request: { query: z.object({ state: z.enum(['active', 'all']).default('active') }) },
  responses: { 200: { description: 'Alerts', ...jsonContent(z.object({ alerts: z.array(alertSchema) })) }, 401: errorResponses[401] },
});

interface AlertRow {
  id: string;
  source: string;
  identifier: string;
  sender: string;
  sent: string;
  msg_type: string;
  state: string;
  alert: string;
  imported_at: string;
}

const toJson = (row: AlertRow) => ({
  id: row.id,
  source: row.source,
  identifier: row.identifier,
  sender: row.sender,
  sent: row.sent,
  msgType: row.msg_type,
  state: row.state,
  alert: JSON.parse(row.alert) as CapAlert,
  importedAt: row.imported_at,
});

export const alertRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(importDef, async (context) => {
    const db = context.env.DB;
    const orgId = context.get('caller').orgId;
    const body = context.req.valid('json');
    let alert: CapAlert;
    let raw: string;
    if (body.format === 'cap') {
      const parsed = parseCap(body.content);
      if (!parsed.ok) throw badRequest(`body.content: ${parsed.error.message}${parsed.error.where ? ` (at ${parsed.error.where})` : ''}`);
      alert = parsed.value;
      raw = body.content;
    } else {
      alert = alertFromGdacs(body.content);
      raw = JSON.stringify(body.content);
    }
    const id = `${alert.sender}|${alert.identifier}`;
    if (await db.prepare('SELECT 1 AS taken FROM alerts WHERE org_id = ? AND id = ?').bind(orgId, id).first()) throw conflict('this alert was imported already');
    // CAP references name earlier alerts by identifier (of the same sender).
    const referenced = alert.references.map((identifier) => `${alert.sender}|${identifier}`);
    const newState = alert.msgType === 'Cancel' ? 'cancelled' : 'updated';
    await db.batch([
      db
        .prepare(
          `INSERT INTO alerts (id, org_id, source, identifier, sender, sent, msg_type, state, alert, raw, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(id, orgId, body.format, alert.identifier, alert.sender, alert.sent, alert.msgType, alert.msgType === 'Cancel' ? 'cancelled' : 'active', JSON.stringify(alert), raw, nowIso()),
      ...referenced.map((reference) => db.prepare("UPDATE alerts SET state = ? WHERE org_id = ? AND id = ? AND state = 'active'").bind(newState, orgId, reference)),
    ]);
    const row = await db.prepare('SELECT * FROM alerts WHERE org_id = ? AND id = ?').bind(orgId, id).first<AlertRow>();
    return context.json({ ...toJson(row!), supersedes: referenced }, 201);
  })
  .openapi(listDef, async (context) => {
    const { state } = context.req.valid('query');
    const { results } = await context.env.DB.prepare(
      `SELECT * FROM alerts WHERE org_id = ? ${state === 'active' ? "AND state = 'active'" : ''} ORDER BY state = 'active' DESC, sent DESC LIMIT 500`,
    )
      .bind(context.get('caller').orgId)
      .all<AlertRow>();
    return context.json({ alerts: results.map(toJson) }, 200);
  });
