// Importing one public alert, shared by the upload route and the feed poller (feeds.ts): parse it
// (CAP 1.2 XML with the plan library's reader, or a GDACS GeoJSON event), store only the public
// alert, and follow CAP's Update and Cancel (the alerts they reference stop being active). Every
// alert says whether it is a real warning: CAP's status, "Actual" or an Exercise, Test, System
// message or Draft (a GDACS event is always real).
import { z } from '@hono/zod-openapi';
import { capStatuses, isRealWarning, parseCap, type CapAlert } from '#plans/cap';
import { areaGeometry } from '#plans/model';
import type { AlertRow } from '../db/alerts.ts';
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
    .map((feature) => ({
      areaDesc: feature.properties.name ?? first.eventtype,
      geometry: feature.geometry as CapAlert['infos'][number]['areas'][number]['geometry'],
    }));
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

/** A public alert as the plan library's reader parses it (contingency-plans/src/cap.ts CapAlert); a GDACS event in the same shape. */
const capAlertSchema = z
  .object({
    identifier: z.string(),
    sender: z.string(),
    sent: z.string(),
    status: z.enum(capStatuses),
    msgType: z.enum(['Alert', 'Update', 'Cancel']),
    references: z
      .array(z.string())
      .openapi({ description: 'Identifiers of the earlier alerts of the same sender this one updates or cancels' }),
    infos: z.array(
      z.object({
        language: z.string(),
        event: z.string(),
        urgency: z.string(),
        severity: z.string(),
        certainty: z.string(),
        headline: z.string().optional(),
        expires: z.string().optional(),
        areas: z
          .array(z.object({ areaDesc: z.string(), geometry: areaGeometry }))
          .openapi({ description: 'Polygons and circles (as 64-sided polygons), as GeoJSON' }),
        areasWithoutShape: z.array(z.string()).openapi({ description: 'Areas given only by name or geocode' }),
      }),
    ),
  })
  .openapi('CapAlert', { description: 'The public alert as parsed: CAP fields, its infos and their areas as GeoJSON' });

/** An imported alert as the API answers it: the status is repeated at the top so no client can miss it. */
const alertFields = z.object({
  id: z.string(),
  source: z.enum(['cap', 'gdacs']),
  identifier: z.string(),
  sender: z.string(),
  sent: z.string(),
  msgType: z.enum(['Alert', 'Update', 'Cancel']),
  status: z.enum(capStatuses).openapi({
    description: 'CAP status: only "Actual" is a real warning; an Exercise, Test, System message or Draft must never be shown as one',
  }),
  state: z.enum(['active', 'updated', 'cancelled']),
  alert: capAlertSchema,
  importedAt: z.string(),
});
export const alertSchema = alertFields.openapi('Alert');
/** The answer to an import: the alert, and the earlier alerts it updated or cancelled. */
export const importedAlertSchema = alertFields.extend({ supersedes: z.array(z.string()) }).openapi('ImportedAlert');

export const toJson = (row: AlertRow) => {
  const alert = JSON.parse(row.alert) as CapAlert;
  return {
    id: row.id,
    source: row.source as 'cap' | 'gdacs',
    identifier: row.identifier,
    sender: row.sender,
    sent: row.sent,
    msgType: row.msg_type as CapAlert['msgType'],
    status: alert.status,
    state: row.state as 'active' | 'updated' | 'cancelled',
    alert,
    importedAt: row.imported_at,
  };
};

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
  if (await db.prepare('SELECT 1 AS taken FROM alerts WHERE org_id = ? AND id = ?').bind(orgId, id).first())
    throw conflict('this alert was imported already');
  // CAP references name earlier alerts by identifier (of the same sender). An exercise's Update or
  // Cancel never ends a real warning, nor a real one an exercise: each only follows its own kind.
  const referenced = alert.references.map((identifier) => `${alert.sender}|${identifier}`);
  const newState = alert.msgType === 'Cancel' ? 'cancelled' : 'updated';
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO alerts (id, org_id, source, identifier, sender, sent, msg_type, state, alert, raw, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        id,
        orgId,
        body.format,
        alert.identifier,
        alert.sender,
        alert.sent,
        alert.msgType,
        alert.msgType === 'Cancel' ? 'cancelled' : 'active',
        JSON.stringify(alert),
        raw,
        nowIso(),
      ),
    ...referenced.map((reference) =>
      db
        .prepare(
          "UPDATE alerts SET state = ? WHERE org_id = ? AND id = ? AND state = 'active' AND (json_extract(alert, '$.status') = 'Actual') = ?",
        )
        .bind(newState, orgId, reference, isRealWarning(alert) ? 1 : 0),
    ),
  ]);
  const row = await db.prepare('SELECT * FROM alerts WHERE org_id = ? AND id = ?').bind(orgId, id).first<AlertRow>();
  // Only the alerts this one really ended: the officer is told "it replaces N", and N must be true.
  return { ...toJson(row!), supersedes: referenced.filter((_, index) => (results[index + 1]?.meta.changes ?? 0) > 0) };
}
