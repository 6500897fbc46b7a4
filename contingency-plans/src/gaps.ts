// The gaps in a plan, as a plain list with severity and message: what a planner should fix next.
import { booleanIntersects, booleanPointInPolygon } from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import type { AssignmentResult } from './assign.ts';
import type { Plan } from './model.ts';

export type GapSeverity = 'critical' | 'high' | 'medium' | 'low';

export type GapCode =
  | 'people_out_of_reach'
  | 'people_not_placed'
  | 'assembly_point_overflow'
  | 'assembly_point_in_hazard_zone'
  | 'shelter_in_hazard_zone'
  | 'route_crosses_hazard_zone'
  | 'no_assembly_points'
  | 'no_routes'
  | 'no_trigger'
  | 'missing_consulate_contact'
  | 'review_overdue'
  | 'review_due_soon'
  | 'task_overdue'
  | 'cap_alert_expired';

export interface Gap {
  code: GapCode;
  severity: GapSeverity;
  /** In English; `code` and `itemIds` let the web client word it in the reader's language. */
  message: string;
  itemIds: string[];
}

export interface PlanAnalysis {
  assignment?: AssignmentResult;
  /** People per nationality present in the plan area (from populationInZone or from summaries). */
  nationalitiesPresent?: Record<string, number>;
}

const severityOrder: Record<GapSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const DAY = 86_400_000;

const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

export function planGaps(plan: Plan, analysis: PlanAnalysis, now: string): Gap[] {
  const gaps: Gap[] = [];
  const add = (code: GapCode, severity: GapSeverity, message: string, itemIds: string[] = []) =>
    gaps.push({ code, severity, message, itemIds });
  const zones = plan.hazardZones.map((zone) => ({
    zone,
    feature: { type: 'Feature', properties: {}, geometry: zone.geometry } as Feature<Polygon | MultiPolygon>,
  }));

  const assignment = analysis.assignment;
  if (assignment) {
    for (const reason of ['none_within_distance', 'all_full'] as const) {
      const entries = assignment.unassigned.filter((entry) => entry.reason === reason);
      const people = entries.reduce((sum, entry) => sum + entry.people, 0);
      if (people === 0) continue;
      if (reason === 'none_within_distance') {
        add(
          'people_out_of_reach',
          'critical',
          `${plural(people, 'person', 'people')} in ${plural(entries.length, 'community', 'communities')} have no assembly point within reach: add a point nearer to them or allow a longer distance`,
          entries.map((entry) => entry.communityId),
        );
      } else {
        add(
          'people_not_placed',
          'critical',
          `${plural(people, 'person', 'people')} in ${plural(entries.length, 'community', 'communities')} could not be placed: every assembly point within reach is full`,
          entries.map((entry) => entry.communityId),
        );
      }
    }
    const names = new Map(plan.assemblyPoints.map((point) => [point.id, point.name]));
    for (const point of assignment.points) {
      if (point.overflow > 0) {
        add(
          'assembly_point_overflow',
          'high',
          `Assembly point '${names.get(point.assemblyPointId) ?? point.assemblyPointId}' is ${plural(point.overflow, 'place', 'places')} short (capacity ${point.capacity})`,
          [point.assemblyPointId],
        );
      }
    }
  }

  for (const point of plan.assemblyPoints) {
    const inside = zones.filter(({ feature }) => booleanPointInPolygon([point.lon, point.lat], feature));
    if (inside.length > 0)
      add(
        'assembly_point_in_hazard_zone',
        'critical',
        `Assembly point '${point.name}' is inside hazard zone '${inside.map(({ zone }) => zone.name).join("', '")}'`,
        [point.id, ...inside.map(({ zone }) => zone.id)],
      );
  }
  for (const shelter of plan.shelters) {
    const inside = zones.filter(({ feature }) => booleanPointInPolygon([shelter.lon, shelter.lat], feature));
    if (inside.length > 0)
      add(
        'shelter_in_hazard_zone',
        'high',
        `Shelter '${shelter.name}' is inside hazard zone '${inside.map(({ zone }) => zone.name).join("', '")}'`,
        [shelter.id, ...inside.map(({ zone }) => zone.id)],
      );
  }
  for (const route of plan.routes) {
    const line: Feature<LineString> = { type: 'Feature', properties: {}, geometry: route.geometry };
    const crossed = zones.filter(({ feature }) => booleanIntersects(line, feature));
    if (crossed.length > 0)
      add(
        'route_crosses_hazard_zone',
        'high',
        `Route '${route.name}' runs through hazard zone '${crossed.map(({ zone }) => zone.name).join("', '")}'`,
        [route.id, ...crossed.map(({ zone }) => zone.id)],
      );
  }

  if (plan.assemblyPoints.length === 0)
    add('no_assembly_points', 'high', 'The plan has no assembly points: add where people gather to be moved');
  if (plan.routes.length === 0) add('no_routes', 'high', 'The plan has no evacuation route: draw at least one');
  if (plan.triggers.length === 0) add('no_trigger', 'high', 'No trigger is defined: say which alert starts which actions');

  const served = new Set(
    plan.contacts
      .filter((contact) => contact.role === 'consulate' || contact.role === 'embassy')
      .flatMap((contact) => contact.nationalitiesServed),
  );
  const missing = Object.entries(analysis.nationalitiesPresent ?? {})
    .filter(([code, people]) => people > 0 && code !== 'unknown' && !served.has(code))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [code, people] of missing) {
    add(
      'missing_consulate_contact',
      'high',
      `No consulate or embassy contact for ${code} nationals (${plural(people, 'person', 'people')} in the area)`,
      [code],
    );
  }

  const today = Date.parse(now.slice(0, 10));
  const review = Date.parse(plan.reviewDate);
  if (review < today)
    add('review_overdue', 'medium', `The review date ${plan.reviewDate} has passed: review the plan and set the next date`);
  else if (review - today <= 30 * DAY) add('review_due_soon', 'low', `The plan is due for review on ${plan.reviewDate}`);
  for (const task of plan.tasks) {
    if (!task.done && task.due !== undefined && Date.parse(task.due) < today)
      add('task_overdue', 'medium', `Task '${task.title}' (${task.role}) was due on ${task.due}`, [task.id]);
  }
  const at = Date.parse(now);
  for (const zone of plan.hazardZones) {
    if (zone.cap?.expires !== undefined && Date.parse(zone.cap.expires) <= at)
      add(
        'cap_alert_expired',
        'low',
        `The CAP alert behind hazard zone '${zone.name}' expired at ${zone.cap.expires}: remove the zone or import the update`,
        [zone.id],
      );
  }
  return gaps.sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
}
