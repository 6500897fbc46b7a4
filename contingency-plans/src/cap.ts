// CAP 1.2 (OASIS Common Alerting Protocol) import: the alert's status, message type and references, each
// <info>'s event, severity, urgency, certainty and expiry, and its <area> shapes as hazard zones.
// CAP writes points as "latitude,longitude" (the opposite of GeoJSON): a <polygon> is at least four
// space-separated "lat,lon" pairs, first equal to last; a <circle> is "lat,lon radius" with the
// radius in kilometres. Only an alert whose status is "Actual" is a real warning: an Exercise, Test,
// System message or Draft keeps its areas (an exercise rehearses who would be concerned) but no
// alert colour, so nothing downstream can paint or trigger on it as if it were real.
import { circle as turfCircle } from '@turf/turf';
import type { Element } from '@xmldom/xmldom';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { capStatuses, isRealWarning, type AlertLevel, type AreaGeometry, type CapStatus, type HazardZone } from './model.ts';
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';
import { childText, children, parseXml } from './xml.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

export type CapMessageType = 'Alert' | 'Update' | 'Cancel';
export { capStatuses, isRealWarning, type CapStatus };

export interface CapArea {
  areaDesc: string;
  /** Polygons and circles (circles as 64-sided polygons) of this area, as one geometry. */
  geometry: AreaGeometry;
}

export interface CapInfo {
  language: string;
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  headline?: string;
  expires?: string;
  areas: CapArea[];
  /** Areas given only by name or geocode (no polygon or circle): not mapped, listed for the planner. */
  areasWithoutShape: string[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  msgType: CapMessageType;
  /** Identifiers of the earlier alerts this one updates or cancels (from "sender,identifier,sent" triplets). */
  references: string[];
  infos: CapInfo[];
}

/** "lat,lon lat,lon ..." to [lon, lat] positions. */
function capPairs(text: string, where: string): Result<Position[], ConvertError> {
  const positions: Position[] = [];
  for (const pair of text.trim().split(/\s+/)) {
    const [latitude, longitude, ...rest] = pair.split(',').map(Number);
    if (rest.length > 0 || !Number.isFinite(latitude) || !Number.isFinite(longitude))
      return fail(convertError(`"${pair.slice(0, 40)}" is not a "latitude,longitude" pair`, where));
    if (Math.abs(latitude!) > 90 || Math.abs(longitude!) > 180)
      return fail(convertError(`"${pair.slice(0, 40)}" is outside the world (CAP writes latitude first)`, where));
    positions.push([longitude!, latitude!]);
  }
  return ok(positions);
}

function capPolygon(text: string, where: string): Result<Polygon, ConvertError> {
  const positions = capPairs(text, where);
  if (!positions.ok) return positions;
  const ring = positions.value;
  if (ring.length < 4) return fail(convertError('a CAP polygon needs at least four latitude,longitude pairs', where));
  const first = ring[0]!;
  const last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) return fail(convertError('a CAP polygon must end with its first point', where));
  return ok({ type: 'Polygon', coordinates: [ring] });
}

function capCircle(text: string, where: string): Result<Polygon, ConvertError> {
  const [centre, radius, ...rest] = text.trim().split(/\s+/);
  const kilometres = Number(radius);
  if (!centre || rest.length > 0 || !Number.isFinite(kilometres) || kilometres < 0)
    return fail(convertError('a CAP circle is "latitude,longitude radius-in-km"', where));
  const position = capPairs(centre, where);
  if (!position.ok) return position;
  const circle = turfCircle(position.value[0]!, Math.max(kilometres, 0.001), { units: 'kilometers', steps: 64 });
  return ok(circle.geometry);
}

function readArea(element: Element, where: string): Result<CapArea | undefined, ConvertError> {
  const polygons: Polygon[] = [];
  for (const item of children(element, 'polygon')) {
    const polygon = capPolygon(item.textContent ?? '', where);
    if (!polygon.ok) return polygon;
    polygons.push(polygon.value);
  }
  for (const item of children(element, 'circle')) {
    const circle = capCircle(item.textContent ?? '', where);
    if (!circle.ok) return circle;
    polygons.push(circle.value);
  }
  if (polygons.length === 0) return ok(undefined);
  const geometry: Polygon | MultiPolygon =
    polygons.length === 1 ? polygons[0]! : { type: 'MultiPolygon', coordinates: polygons.map((polygon) => polygon.coordinates) };
  return ok({ areaDesc: childText(element, 'areaDesc') ?? '', geometry });
}

const messageTypes: CapMessageType[] = ['Alert', 'Update', 'Cancel'];

export function parseCap(text: string): Result<CapAlert, ConvertError> {
  const document = parseXml(text, 'CAP');
  if (!document.ok) return document;
  const alert = document.value.documentElement!;
  if (alert.localName !== 'alert' || alert.namespaceURI !== CAP_NAMESPACE) {
    return fail(convertError(`this is not a CAP 1.2 alert: expected <alert xmlns="${CAP_NAMESPACE}">`));
  }
  const fields = Object.fromEntries(['identifier', 'sender', 'sent', 'status', 'msgType'].map((name) => [name, childText(alert, name)]));
  const missing = Object.keys(fields).filter((name) => fields[name] === undefined);
  if (missing.length > 0)
    return fail(convertError(`the CAP alert has no <${missing.join('>, <')}>: ask the sender for the complete alert`, 'alert'));
  const msgType = { value: fields.msgType! };
  if (!messageTypes.includes(msgType.value as CapMessageType)) {
    return fail(
      convertError(`msgType "${msgType.value}" carries no hazard areas: only Alert, Update and Cancel are imported`, 'alert/msgType'),
    );
  }
  const status = fields.status as CapStatus;
  if (!capStatuses.includes(status)) {
    return fail(
      convertError(
        `status "${status.slice(0, 40)}" is not a CAP 1.2 status (${capStatuses.join(', ')}): ask the sender which it is`,
        'alert/status',
      ),
    );
  }
  const references = (childText(alert, 'references') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((triplet) => triplet.split(',')[1] ?? triplet);
  const infos: CapInfo[] = [];
  for (const [index, info] of children(alert, 'info').entries()) {
    const where = `info ${index + 1}`;
    const areas: CapArea[] = [];
    const areasWithoutShape: string[] = [];
    for (const areaElement of children(info, 'area')) {
      const area = readArea(areaElement, `${where}/area`);
      if (!area.ok) return area;
      if (area.value) areas.push(area.value);
      else areasWithoutShape.push(childText(areaElement, 'areaDesc') ?? '');
    }
    const headline = childText(info, 'headline');
    const expires = childText(info, 'expires');
    infos.push({
      language: childText(info, 'language') ?? 'en-US',
      event: childText(info, 'event') ?? '',
      urgency: childText(info, 'urgency') ?? 'Unknown',
      severity: childText(info, 'severity') ?? 'Unknown',
      certainty: childText(info, 'certainty') ?? 'Unknown',
      ...(headline ? { headline } : {}),
      ...(expires ? { expires } : {}),
      areas,
      areasWithoutShape,
    });
  }
  return ok({
    identifier: fields.identifier!,
    sender: fields.sender!,
    sent: fields.sent!,
    status,
    msgType: msgType.value as CapMessageType,
    references,
    infos,
  });
}

/** CAP severity to a GDACS-style colour: Extreme red, Severe orange, Moderate and Minor green. */
export function alertLevelOfSeverity(severity: string): AlertLevel | undefined {
  return severity === 'Extreme'
    ? 'red'
    : severity === 'Severe'
      ? 'orange'
      : severity === 'Moderate' || severity === 'Minor'
        ? 'green'
        : undefined;
}

/** CAP times carry an offset ("2026-11-23T10:00:00+02:00"); zones keep UTC ISO times. */
function toUtc(time: string | undefined): string | undefined {
  if (!time) return undefined;
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/**
 * Hazard zones of one alert: one per <area> with a polygon or circle, in the infos of one language
 * (`language`, default the first info's) so a bilingual alert does not give every zone twice.
 */
export function hazardZonesFromCapAlert(alert: CapAlert, language?: string): HazardZone[] {
  const chosen = language ?? alert.infos[0]?.language;
  const zones: HazardZone[] = [];
  for (const info of alert.infos.filter((item) => item.language === chosen)) {
    for (const area of info.areas) {
      const alertLevel = isRealWarning(alert) ? alertLevelOfSeverity(info.severity) : undefined;
      const expires = toUtc(info.expires);
      zones.push({
        id: `cap-${alert.identifier}-${zones.length + 1}`.slice(0, 100),
        name: (area.areaDesc || info.event || 'CAP alert area').slice(0, 200),
        geometry: area.geometry,
        source: 'cap',
        ...(alertLevel ? { alertLevel } : {}),
        cap: {
          identifier: alert.identifier,
          sender: alert.sender,
          msgType: alert.msgType,
          status: alert.status,
          event: info.event,
          severity: info.severity,
          urgency: info.urgency,
          certainty: info.certainty,
          ...(expires ? { expires } : {}),
          references: alert.references,
        },
      });
    }
  }
  return zones;
}

export function hazardZonesFromCap(text: string, language?: string): Result<HazardZone[], ConvertError> {
  const alert = parseCap(text);
  if (!alert.ok) return alert;
  return ok(hazardZonesFromCapAlert(alert.value, language));
}

/**
 * Apply an alert to a plan's hazard zones: an Alert adds its zones; an Update replaces the zones of
 * the alerts it references; a Cancel removes them. Zones not from CAP are never touched, and an
 * exercise (or test, system message, draft) never updates or cancels the zones of a real warning,
 * nor the other way round.
 */
export function applyCapAlert(zones: HazardZone[], alert: CapAlert, language?: string): HazardZone[] {
  const referenced = new Set(alert.references);
  const superseded = (zone: HazardZone) =>
    zone.source === 'cap' &&
    zone.cap !== undefined &&
    referenced.has(zone.cap.identifier) &&
    isRealWarning(zone.cap) === isRealWarning(alert);
  const kept = alert.msgType === 'Alert' ? zones : zones.filter((zone) => !superseded(zone));
  return alert.msgType === 'Cancel' ? kept : [...kept, ...hazardZonesFromCapAlert(alert, language)];
}

/** Zones from CAP whose alert has expired at `now` (ISO time), for the planner to review. */
export function expiredCapZones(zones: HazardZone[], now: string): HazardZone[] {
  const at = Date.parse(now);
  return zones.filter((zone) => zone.cap?.expires !== undefined && Date.parse(zone.cap.expires) <= at);
}
