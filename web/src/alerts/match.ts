// Which of the organisation's communities a public alert concerns, computed on the CSO officer's
// device from decrypted records (pure: no I/O; nothing here is ever sent). An alert's area is the
// union of the shapes of all its <info> blocks (CAP repeats the same area per language, so equal
// shapes are counted once); a community is covered when its position is inside any of them. Plans
// are matched by their area and hazard zones, and their triggers by the alert's level. An alert that
// is not a real warning (CAP status Exercise, Test, System or Draft) is matched too, since an exercise
// rehearses who would be concerned, but it has no level and fires no trigger.
import { booleanIntersects } from '@turf/turf';
import { alertLevelOfSeverity, isRealWarning, type AlertLevel, type CapAlert, type Plan, type Trigger } from '#plans';
import { inArea, prepareArea } from '../activation/select.ts';
import type { Community, Person } from '#model/records';
import type { Alert } from '../api-types.ts';

/** An alert as the API lists it (api-types.ts): the public alert, parsed by the server, and its state. */
export type ImportedAlert = Alert;

export interface AlertShape {
  /** All the alert's polygons and circles as one MultiPolygon, or null when it has none. */
  area: GeoJSON.MultiPolygon | null;
  /** Names of the shaped areas, once each (areaDesc of every info's areas). */
  names: string[];
  /** Areas given only by name or geocode: not matched, listed so the officer knows. */
  withoutShape: string[];
}

export function alertShape(alert: CapAlert): AlertShape {
  const polygons: GeoJSON.Position[][][] = [];
  const seen = new Set<string>();
  const names: string[] = [];
  const withoutShape: string[] = [];
  for (const info of alert.infos) {
    for (const area of info.areas) {
      const parts = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
      let added = false;
      for (const rings of parts) {
        const key = JSON.stringify(rings);
        if (seen.has(key)) continue;
        seen.add(key);
        polygons.push(rings as GeoJSON.Position[][]);
        added = true;
      }
      if (added && !names.includes(area.areaDesc)) names.push(area.areaDesc);
    }
    for (const name of info.areasWithoutShape) if (!withoutShape.includes(name)) withoutShape.push(name);
  }
  return { area: polygons.length ? { type: 'MultiPolygon', coordinates: polygons } : null, names, withoutShape };
}

/** The most severe level among the alert's infos, on the GDACS scale (green, orange, red). */
export function alertLevel(alert: CapAlert): AlertLevel | null {
  const order: AlertLevel[] = ['green', 'orange', 'red'];
  let best = -1;
  for (const info of alert.infos) best = Math.max(best, order.indexOf(alertLevelOfSeverity(info.severity) ?? ('none' as AlertLevel)));
  return best >= 0 ? order[best]! : null;
}

export interface CoveredCommunity {
  id: string;
  name: string;
  lon: number;
  lat: number;
  people: number;
  nationalities: string[];
}

export interface PlanOverlap {
  planId: string;
  title: string;
  /** The plan's own area overlaps the alert. */
  inPlanArea: boolean;
  /** Hazard zones of the plan that the alert's area touches. */
  zones: { id: string; name: string }[];
  /** The plan's triggers at the alert's level: their actions are offered, never run. None for an alert that is not real. */
  triggers: Trigger[];
}

export interface AlertCoverage {
  /** CAP status "Actual": anything else is never coloured, counted or triggered as a warning. */
  realWarning: boolean;
  shape: AlertShape;
  /** Null for an alert that is not a real warning, whatever its severity. */
  level: AlertLevel | null;
  communities: CoveredCommunity[];
  /** Sum of the covered communities' headcounts. */
  people: number;
  /** Nationalities present in the covered communities, most people first (people: known counts only). */
  nationalities: { code: string; people: number }[];
  /** Person records placed inside the area (their own position, else their community's). */
  persons: number;
  plans: PlanOverlap[];
}

export interface PlanLike {
  id: string;
  plan: Pick<Plan, 'title' | 'area' | 'hazardZones' | 'triggers'>;
}

const gdacsOrder: AlertLevel[] = ['green', 'orange', 'red'];

function overlaps(area: GeoJSON.MultiPolygon, geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon) {
  return booleanIntersects({ type: 'Feature', properties: {}, geometry: area }, { type: 'Feature', properties: {}, geometry });
}

/**
 * Which plans the alert concerns: those whose area or hazard zones its area touches. An alert that is
 * not a real warning (`realWarning` false) offers no trigger, not even a MICIC phase trigger.
 */
export function matchPlans(shape: AlertShape, level: AlertLevel | null, plans: readonly PlanLike[], realWarning = true): PlanOverlap[] {
  if (!shape.area) return [];
  const overlapping: PlanOverlap[] = [];
  for (const { id, plan } of plans) {
    const zones = plan.hazardZones
      .filter((zone) => overlaps(shape.area!, zone.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon))
      .map((zone) => ({ id: zone.id, name: zone.name }));
    const inPlanArea = overlaps(shape.area, plan.area as GeoJSON.Polygon | GeoJSON.MultiPolygon);
    if (!inPlanArea && zones.length === 0) continue;
    // A trigger on the GDACS scale fires at its level or above; a MICIC phase trigger is offered whatever the level.
    const triggers = plan.triggers.filter((trigger) => {
      const at = gdacsOrder.indexOf(trigger.alertLevel);
      return realWarning && (at < 0 || (level !== null && at <= gdacsOrder.indexOf(level)));
    });
    overlapping.push({ planId: id, title: plan.title, inPlanArea, zones, triggers });
  }
  return overlapping;
}

export function matchAlert(
  alert: CapAlert,
  records: { communities: readonly Community[]; persons: readonly Person[] },
  plans: readonly PlanLike[] = [],
): AlertCoverage {
  const shape = alertShape(alert);
  const realWarning = isRealWarning(alert);
  const level = realWarning ? alertLevel(alert) : null;
  const covered: CoveredCommunity[] = [];
  const byNationality = new Map<string, number>();
  let persons = 0;
  if (shape.area) {
    const prepared = prepareArea(shape.area);
    for (const community of records.communities) {
      if (!inArea(prepared, community.location)) continue;
      covered.push({
        id: community.id,
        name: community.name,
        lon: community.location.lon,
        lat: community.location.lat,
        people: community.headcount.total,
        nationalities: community.nationalities.map((item) => item.code),
      });
      for (const item of community.nationalities) byNationality.set(item.code, (byNationality.get(item.code) ?? 0) + (item.count ?? 0));
    }
    // A person without a position of their own is where their community is: already decided above.
    const coveredIds = new Set(covered.map((community) => community.id));
    for (const person of records.persons) {
      if (person.location ? inArea(prepared, person.location) : person.communityId !== undefined && coveredIds.has(person.communityId))
        persons++;
    }
  }
  covered.sort((a, b) => b.people - a.people || a.name.localeCompare(b.name));
  const nationalities = [...byNationality]
    .map(([code, people]) => ({ code, people }))
    .sort((a, b) => b.people - a.people || a.code.localeCompare(b.code));
  return {
    realWarning,
    shape,
    level,
    communities: covered,
    people: covered.reduce((sum, community) => sum + community.people, 0),
    nationalities,
    persons,
    plans: matchPlans(shape, level, plans, realWarning),
  };
}
