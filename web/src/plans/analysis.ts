// The plan's analysis as one pure function of the plan and the population it can see: people in
// each hazard zone (plus a buffer), assignment of communities to assembly points within capacity,
// transport and gaps. The population comes either from a CSO officer's own decrypted records or,
// for everyone else, from the privacy-safe summaries CSOs publish (aggregates by area).
import { bboxPolygon, booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import {
  assignToAssemblyPoints,
  planGaps,
  populationFromSummaries,
  populationInZone,
  squareGridAreas,
  transportNeeded,
  type AssignmentResult,
  type CommunityPoint,
  type Gap,
  type Plan,
  type Summary,
  type SummaryAreaGeometry,
  type TransportNeed,
} from '#plans';

export type Population =
  | { kind: 'records'; communities: CommunityPoint[] }
  | { kind: 'summaries'; summaries: { orgName: string; summary: Summary }[]; areas: SummaryAreaGeometry[] }
  | { kind: 'none' };

export interface AnalysisOptions {
  bufferKm: number;
  maxDistanceKm: number;
  now: string;
}

export interface ZoneFigure {
  zoneId: string;
  zoneName: string;
  people: number;
  communities: number | null;
  /** Summaries only: true when the count is a floor (cells hidden) or areas are only partly inside. */
  lowerBound: boolean;
  partial: boolean;
  hiddenCells: number;
}

export interface PlanAnalysisView {
  zones: ZoneFigure[];
  communities: CommunityPoint[];
  assignment: AssignmentResult | null;
  transport: TransportNeed | null;
  gaps: Gap[];
  nationalitiesPresent: Record<string, number>;
  problems: string[];
}

export const VEHICLES = [
  { type: 'bus', capacity: 50 },
  { type: 'minibus', capacity: 15 },
];

/** A summary's total for one area: everyone there, not one nationality, need, vulnerability or group. */
const areaTotal = (summary: Summary, areaId: string) =>
  summary.totals.find(
    (item) =>
      item.areaId === areaId &&
      item.nationality === undefined &&
      item.need === undefined &&
      item.vulnerability === undefined &&
      item.group === undefined,
  );

/** Summary areas as points of pooled counts: each area's published people at a point inside it. */
export function communitiesFromSummaries(
  summaries: readonly { summary: Summary }[],
  areas: readonly SummaryAreaGeometry[],
): CommunityPoint[] {
  const byId = new Map(areas.map((area) => [area.id, area]));
  const result: CommunityPoint[] = [];
  for (const { summary } of summaries) {
    for (const area of summary.areas) {
      const geometry = byId.get(area.id);
      if (!geometry) continue;
      const cells = summary.cells.filter(
        (cell) =>
          cell.areaId === area.id &&
          cell.need === undefined &&
          cell.vulnerability === undefined &&
          cell.group === undefined &&
          !cell.suppressed,
      );
      const total = areaTotal(summary, area.id);
      const people =
        total && !total.suppressed && total.count !== undefined ? total.count : cells.reduce((sum, cell) => sum + (cell.count ?? 0), 0);
      if (people <= 0) continue;
      const [lon, lat] = pointOnFeature({ type: 'Feature', properties: {}, geometry: geometry.geometry }).geometry.coordinates as [
        number,
        number,
      ];
      result.push({
        id: `${summary.orgId}:${area.id}`,
        lon,
        lat,
        headcount: people,
        nationalities: cells.map((cell) => ({ code: cell.nationality, count: cell.count! })),
        needs: [],
        vulnerabilities: [],
      });
    }
  }
  return result;
}

function sum(records: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) total[key] = (total[key] ?? 0) + value;
  return total;
}

export function analysePlan(plan: Plan, population: Population, options: AnalysisOptions): PlanAnalysisView {
  const problems: string[] = [];
  const zones: ZoneFigure[] = [];
  const communities =
    population.kind === 'records'
      ? population.communities
      : population.kind === 'summaries'
        ? communitiesFromSummaries(population.summaries, population.areas)
        : [];
  for (const zone of plan.hazardZones) {
    if (population.kind === 'records') {
      const counted = populationInZone(zone.geometry, population.communities, { bufferKm: options.bufferKm });
      if (!counted.ok) problems.push(`${zone.name}: ${counted.error.message}`);
      else
        zones.push({
          zoneId: zone.id,
          zoneName: zone.name,
          people: counted.value.people,
          communities: counted.value.communities,
          lowerBound: false,
          partial: false,
          hiddenCells: 0,
        });
    } else if (population.kind === 'summaries') {
      let people = 0;
      let lowerBound = false;
      let partial = false;
      let hiddenCells = 0;
      for (const { summary } of population.summaries) {
        const estimate = populationFromSummaries(
          zone.geometry,
          summary.cells,
          population.areas.filter((area) => summary.areas.some((item) => item.id === area.id)),
          { bufferKm: options.bufferKm, totals: summary.totals },
        );
        if (!estimate.ok) {
          problems.push(`${zone.name}: ${estimate.error.message}`);
          continue;
        }
        people += estimate.value.people;
        lowerBound ||= estimate.value.peopleLowerBound || estimate.value.byNationalityLowerBound;
        partial ||= estimate.value.includesPartialAreas;
        hiddenCells += estimate.value.suppressedCells.length;
      }
      zones.push({ zoneId: zone.id, zoneName: zone.name, people, communities: null, lowerBound, partial, hiddenCells });
    }
  }
  let assignment: AssignmentResult | null = null;
  let transport: TransportNeed | null = null;
  if (communities.length > 0 && plan.assemblyPoints.length > 0) {
    const assigned = assignToAssemblyPoints(communities, plan.assemblyPoints, {
      maxDistanceKm: options.maxDistanceKm,
      routes: plan.routes.map((route) => route.geometry),
    });
    if (assigned.ok) {
      assignment = assigned.value;
      const needed = transportNeeded(assignment, VEHICLES);
      if (needed.ok) transport = needed.value;
      else problems.push(needed.error.message);
    } else problems.push(assigned.error.message);
  }
  const nationalitiesPresent = sum(
    communities.map((community) =>
      Object.fromEntries(community.nationalities.filter((item) => item.count !== undefined).map((item) => [item.code, item.count!])),
    ),
  );
  const gaps = planGaps(plan, { ...(assignment ? { assignment } : {}), nationalitiesPresent }, options.now);
  return { zones, communities, assignment, transport, gaps, nationalitiesPresent, problems };
}

/** Lines from each community (or summary area) to its assembly point; overflow flagged for red. */
export function assignmentLines(plan: Plan, analysis: Pick<PlanAnalysisView, 'assignment' | 'communities'>): GeoJSON.FeatureCollection {
  const communities = new Map(analysis.communities.map((community) => [community.id, community]));
  const points = new Map(plan.assemblyPoints.map((point) => [point.id, point]));
  const features: GeoJSON.Feature[] = [];
  for (const item of analysis.assignment?.assignments ?? []) {
    const from = communities.get(item.communityId);
    const to = points.get(item.assemblyPointId);
    if (from && to)
      features.push({
        type: 'Feature',
        properties: { people: item.people, unassigned: false },
        geometry: {
          type: 'LineString',
          coordinates: [
            [from.lon, from.lat],
            [to.lon, to.lat],
          ],
        },
      });
  }
  for (const item of analysis.assignment?.unassigned ?? []) {
    const from = communities.get(item.communityId);
    if (from)
      features.push({
        type: 'Feature',
        properties: { people: item.people, unassigned: true },
        geometry: { type: 'Point', coordinates: [from.lon, from.lat] },
      });
  }
  return { type: 'FeatureCollection', features };
}

/** Assembly points with their load, for styling overflow in red. */
export function loadOfPoints(plan: Plan, assignment: AssignmentResult | null): Map<string, { load: number; overflow: number }> {
  const loads = new Map((assignment?.points ?? []).map((point) => [point.assemblyPointId, { load: point.load, overflow: point.overflow }]));
  return new Map(plan.assemblyPoints.map((point) => [point.id, loads.get(point.id) ?? { load: 0, overflow: 0 }]));
}

// Grid areas carry their origin and size in the id, so a reader can draw them from the summary alone.
const GRID_ID = /^grid:(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/;

/** A square grid over the points, ids "grid:<size>:<west>:<south>" that describe each square. */
export function gridAreas(
  points: readonly { lon: number; lat: number }[],
  sizeDegrees: number,
): (SummaryAreaGeometry & { name: string })[] {
  if (points.length === 0) return [];
  const west = Math.floor(Math.min(...points.map((point) => point.lon)) / sizeDegrees) * sizeDegrees;
  const south = Math.floor(Math.min(...points.map((point) => point.lat)) / sizeDegrees) * sizeDegrees;
  const east = Math.max(...points.map((point) => point.lon)) + sizeDegrees / 1000;
  const north = Math.max(...points.map((point) => point.lat)) + sizeDegrees / 1000;
  return squareGridAreas([west, south, east, north], sizeDegrees).map((area) => {
    const ring = (area.geometry as GeoJSON.Polygon).coordinates[0]!;
    const [cellWest, cellSouth] = [Number(ring[0]![0]!.toFixed(6)), Number(ring[0]![1]!.toFixed(6))];
    return { ...area, id: `grid:${sizeDegrees}:${cellWest}:${cellSouth}`, name: `${cellSouth.toFixed(2)}°, ${cellWest.toFixed(2)}°` };
  });
}

/** The square a grid id describes; null for other ids. */
export function gridAreaOfId(id: string): SummaryAreaGeometry | null {
  const match = GRID_ID.exec(id);
  if (!match) return null;
  const [size, west, south] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [east, north] = [Number((west + size).toFixed(6)), Number((south + size).toFixed(6))];
  return {
    id,
    geometry: bboxPolygon([west, south, east, north]).geometry,
  };
}

/** Geometry for every area a summary names: from known boundaries, or from grid ids. */
export function areasOfSummaries(
  summaries: readonly { summary: Summary }[],
  boundaries: readonly SummaryAreaGeometry[],
): SummaryAreaGeometry[] {
  const known = new Map(boundaries.map((area) => [area.id, area]));
  const result = new Map<string, SummaryAreaGeometry>();
  for (const { summary } of summaries) {
    for (const area of summary.areas) {
      const geometry = known.get(area.id) ?? gridAreaOfId(area.id);
      if (geometry) result.set(area.id, { ...geometry, name: area.name });
    }
  }
  return [...result.values()];
}

/** Areas shaded by published people; hidden totals flagged (drawn hatched/grey). */
export function summaryFeatures(summary: Summary, areas: readonly SummaryAreaGeometry[]): GeoJSON.FeatureCollection {
  const byId = new Map(areas.map((area) => [area.id, area]));
  const features: GeoJSON.Feature[] = [];
  for (const area of summary.areas) {
    const geometry = byId.get(area.id);
    if (!geometry) continue;
    const total = areaTotal(summary, area.id);
    // No total at all means nobody there (absent cells and totals are zero); a suppressed one is hidden.
    const hidden = total?.suppressed === true;
    features.push({
      type: 'Feature',
      properties: { id: area.id, name: area.name, people: total?.count ?? 0, hidden },
      geometry: geometry.geometry,
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The summary's area × nationality table (people; hidden cells marked). */
export function summaryRows(summary: Summary): { area: string; nationality: string; people: number | null }[] {
  const names = new Map(summary.areas.map((area) => [area.id, area.name]));
  return summary.cells
    .filter((cell) => cell.need === undefined && cell.vulnerability === undefined && cell.group === undefined)
    .map((cell) => ({
      area: names.get(cell.areaId) ?? cell.areaId,
      nationality: cell.nationality,
      people: cell.suppressed ? null : (cell.count ?? 0),
    }))
    .sort((a, b) => a.area.localeCompare(b.area) || a.nationality.localeCompare(b.nationality));
}

export interface AreaChoice {
  label: { kind: 'scenario'; name: string } | { kind: 'grid'; size: number };
  areas: (SummaryAreaGeometry & { name: string })[];
}

const inside = (point: { lon: number; lat: number }, area: SummaryAreaGeometry) =>
  booleanPointInPolygon([point.lon, point.lat], area.geometry);

/** The boundary set holding most of the points (a scenario's admin areas), else a square grid. */
export function chooseSummaryAreas(
  points: readonly { lon: number; lat: number }[],
  boundarySets: readonly { name: string; areas: (SummaryAreaGeometry & { name: string })[] }[],
  gridSize = 0.25,
): AreaChoice {
  let best: { name: string; areas: (SummaryAreaGeometry & { name: string })[]; count: number } | null = null;
  for (const set of boundarySets) {
    const count = points.filter((point) => set.areas.some((area) => inside(point, area))).length;
    if (count > 0 && (!best || count > best.count)) best = { ...set, count };
  }
  if (best && best.count * 2 >= points.length) return { label: { kind: 'scenario', name: best.name }, areas: best.areas };
  return { label: { kind: 'grid', size: gridSize }, areas: gridAreas(points, gridSize) };
}
