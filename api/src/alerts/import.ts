// Importing one public alert, shared by the upload route and the feed poller (feeds.ts): parse it
// (CAP 1.2 XML with the plan library's reader, or a GDACS GeoJSON event), store only the public
// alert, and follow CAP's Update and Cancel (the alerts they reference stop being active).
import { z } from '@hono/zod-openapi';
import { parseCap, type CapAlert } from '#plans/cap';
import { badRequest, conflict } from '../errors.ts';
import { nowIso } from '../util.ts';

export const MAX_ALERT_BYTES = 2 * 1024 * 1024;

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
export const gdacsEvent = z.object({ type: z.literal('FeatureCollection'), features: z.array(gdacsFeature).min(1).max(500) });

export const importBody = z.discriminatedUnion('format', [
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

export interface AlertRow {
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

export const toJson = (row: AlertRow) => ({
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

export type AlertInput = z.infer<typeof importBody>;

/**
 * Stores one alert for an organisation. Throws 400 when a CAP document does not parse and 409 when
 * this alert (same sender and identifier) is there already.
 */
export async function importAlert(db: D1Database, orgId: string, body: AlertInput) {
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
  return { ...toJson(row!), supersedes: referenced };
}
