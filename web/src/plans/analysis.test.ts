import { describe, expect, it } from 'vitest';
import { buildSummary, samplePlan, type CommunityPoint } from '#plans';
import { addHazardZone, polygonFromVertices } from './draft.ts';
import {
  analysePlan,
  areasOfSummaries,
  assignmentLines,
  chooseSummaryAreas,
  communitiesFromSummaries,
  gridAreaOfId,
  gridAreas,
  summaryFeatures,
  summaryRows,
} from './analysis.ts';
import { knownBoundarySets } from './boundaries.ts';

const community = (id: string, lon: number, lat: number, headcount: number, code = 'NP'): CommunityPoint => ({
  id,
  lon,
  lat,
  headcount,
  nationalities: [{ code, count: headcount }],
  needs: ['water'],
  vulnerabilities: [],
});
const communities = [community('a', 22.64, 32.755, 300), community('b', 22.645, 32.76, 250, 'BD'), community('c', 22.58, 32.746, 40)];
const options = { bufferKm: 0, maxDistanceKm: 25, now: '2026-11-23T10:00:00.000Z' };

describe('analysis of a plan', () => {
  it('counts people in each hazard zone from records, and more with a buffer', () => {
    const plan = samplePlan();
    const plain = analysePlan(plan, { kind: 'records', communities }, options);
    expect(plain.zones).toEqual([expect.objectContaining({ zoneId: 'wadi', people: 550, communities: 2 })]);
    const buffered = analysePlan(plan, { kind: 'records', communities }, { ...options, bufferKm: 10 });
    expect(buffered.zones[0]!.people).toBe(590);
  });

  it('assigns within capacity and shows overflow as a gap', () => {
    const plan = { ...samplePlan(), assemblyPoints: [{ id: 'port', name: 'Derna port', lon: 22.655, lat: 32.768, capacity: 100 }] };
    const analysis = analysePlan(plan, { kind: 'records', communities }, options);
    expect(analysis.assignment!.totals.assignedPeople).toBe(100);
    expect(analysis.gaps.map((gap) => gap.code)).toContain('people_not_placed');
    const lines = assignmentLines(plan, analysis);
    expect(lines.features.filter((feature) => feature.properties!.unassigned)).not.toHaveLength(0);
    expect(analysis.transport!.total.people).toBe(100);
  });

  it('counts a newly drawn zone from published summaries, as a floor when cells are hidden', () => {
    const areas = gridAreas(communities, 0.05);
    const built = buildSummary(communities, areas, { orgId: 'cso', generatedAt: options.now, threshold: 5 });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const summaries = [{ orgName: 'CSO', summary: built.value }];
    const population = { kind: 'summaries' as const, summaries, areas: areasOfSummaries(summaries, []) };
    const before = analysePlan({ ...samplePlan(), hazardZones: [] }, population, options);
    expect(before.zones).toEqual([]);
    const zone = polygonFromVertices([
      [22.5, 32.7],
      [22.7, 32.7],
      [22.7, 32.8],
      [22.5, 32.8],
    ])!;
    const after = analysePlan(addHazardZone({ ...samplePlan(), hazardZones: [] }, zone), population, options);
    expect(after.zones[0]!.people).toBe(590);
    expect(communitiesFromSummaries(summaries, population.areas).reduce((sum, item) => sum + item.headcount, 0)).toBe(590);
  });
});

describe('summary areas', () => {
  it('grid ids describe their square, so readers can draw them', () => {
    const [first] = gridAreas([{ lon: 22.64, lat: 32.76 }], 0.25);
    expect(first!.id).toBe('grid:0.25:22.5:32.75');
    expect(gridAreaOfId(first!.id)!.geometry).toEqual(first!.geometry);
    expect(gridAreaOfId('LY-BA')).toBeNull();
  });

  it("use a scenario's boundaries when they hold the points, else a grid", () => {
    const sets = knownBoundarySets();
    expect(chooseSummaryAreas([{ lon: 20.07, lat: 32.12 }], sets).label).toEqual({ kind: 'scenario', name: 'Libya 2011' });
    expect(chooseSummaryAreas([{ lon: -60, lat: -30 }], sets).label).toEqual({ kind: 'grid', size: 0.25 });
  });

  it('shade areas by people and mark hidden counts', () => {
    const points = [community('a', 22.64, 32.755, 300), community('b', 20.07, 32.12, 2, 'BD')];
    const areas = gridAreas(points, 1);
    const built = buildSummary(points, areas, { orgId: 'cso', generatedAt: options.now, threshold: 5 });
    if (!built.ok) throw new Error(built.error.message);
    const features = summaryFeatures(built.value, areasOfSummaries([{ summary: built.value }], []));
    const hidden = features.features.filter((feature) => feature.properties!.hidden);
    const empty = features.features.filter((feature) => !feature.properties!.hidden && feature.properties!.people === 0);
    expect(hidden.length).toBeGreaterThan(0);
    // Squares nobody lives in are empty, not hidden.
    expect(empty.length).toBeGreaterThan(0);
    expect(features.features.find((feature) => feature.properties!.people === 300)).toBeDefined();
    expect(summaryRows(built.value).some((row) => row.people === null)).toBe(true);
  });
});
