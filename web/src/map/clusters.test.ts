import { describe, expect, it } from 'vitest';
import { demoRecords, generateRecords, loadScenario } from '#fixtures';
import {
  clusterFeatures,
  clusterMaxZoom,
  clusterRadius,
  clusterZoom,
  contains,
  fromFeatureId,
  grow,
  indexPoints,
  latitudeOf,
  longitudeOf,
  matchCounts,
  mercatorX,
  mercatorY,
  type PointIndex,
  type ZoomClusters,
} from './clusters.ts';
import { communityFeatures } from './features.ts';
import { matchesFilter } from './filters.ts';

const generated = communityFeatures(
  generateRecords(loadScenario('libya-2011'), { seed: 'clusters-test', communities: 3000, personsPerCommunity: 0 }).communities,
);
const index = indexPoints(generated);

/**
 * The same greedy rule written plainly: every point against every other, no grid. Seeds are taken
 * in the grid's cell order (the order the rule is defined in); what each seed claims must come out
 * the same.
 */
function plainClusters(points: PointIndex, zoom: number): Uint32Array {
  const radius = clusterRadius / (512 * 2 ** zoom);
  const [row, column] = [(i: number) => Math.floor(points.y[i]! / radius), (i: number) => Math.floor(points.x[i]! / radius)];
  const order = Array.from({ length: points.size }, (_, i) => i).sort((a, b) => row(a) - row(b) || column(a) - column(b) || a - b);
  const clusterOf = new Uint32Array(points.size).fill(0xffffffff);
  let next = 0;
  for (const seed of order) {
    if (clusterOf[seed] !== 0xffffffff) continue;
    const c = next++;
    for (const j of order) {
      if (clusterOf[j] !== 0xffffffff) continue;
      if ((points.x[j]! - points.x[seed]!) ** 2 + (points.y[j]! - points.y[seed]!) ** 2 <= radius * radius) clusterOf[j] = c;
    }
  }
  return clusterOf;
}

function sizes(clusters: ZoomClusters) {
  return Array.from(clusters.size.subarray(0, clusters.length));
}

describe('clustering the map', () => {
  it('projects to Web Mercator and back', () => {
    for (const [lon, lat] of [
      [0, 0],
      [13.19, 32.89],
      [-70.6, -33.45],
      [179.9, 84.9],
    ] as const) {
      expect(longitudeOf(mercatorX(lon))).toBeCloseTo(lon, 9);
      expect(latitudeOf(mercatorY(lat))).toBeCloseTo(lat, 9);
    }
    expect(mercatorY(89.9)).toBe(0);
    expect(mercatorY(-89.9)).toBe(1);
  });

  it('puts every community in exactly one cluster at every zoom level, the same ones as the plain rule', () => {
    for (const zoom of [0, 3, 5, 7, 9, 11, 13, 16]) {
      const clusters = clusterZoom(index, zoom);
      expect(sizes(clusters).reduce((sum, size) => sum + size, 0)).toBe(index.size);
      const plain = plainClusters(index, zoom);
      expect(Array.from(clusters.clusterOf), `zoom ${zoom}`).toEqual(Array.from(plain));
      // Too many grid cells to pack them with the list's places: the comparison sort gives the same.
      expect(Array.from(clusterZoom(index, zoom, 0).clusterOf), `zoom ${zoom}, compared`).toEqual(Array.from(plain));
      // The seed of each cluster is in it.
      for (let c = 0; c < clusters.length; c++) expect(clusters.clusterOf[clusters.seed[c]!]).toBe(c);
    }
  });

  it("gives clusters their members' mean position, people and extent; seeds are further apart than the radius", () => {
    const zoom = 8;
    const clusters = clusterZoom(index, zoom);
    const radius = clusterRadius / (512 * 2 ** zoom);
    const sums = Array.from({ length: clusters.length }, () => ({
      x: 0,
      y: 0,
      people: 0,
      members: 0,
      west: 1,
      north: 1,
      east: 0,
      south: 0,
    }));
    for (let i = 0; i < index.size; i++) {
      const sum = sums[clusters.clusterOf[i]!]!;
      const [x, y] = [index.x[i]!, index.y[i]!];
      Object.assign(sum, {
        x: sum.x + x,
        y: sum.y + y,
        people: sum.people + index.people[i]!,
        members: sum.members + 1,
        west: Math.min(sum.west, x),
        north: Math.min(sum.north, y),
        east: Math.max(sum.east, x),
        south: Math.max(sum.south, y),
      });
      // Every member is within the radius of its seed.
      const seed = clusters.seed[clusters.clusterOf[i]!]!;
      expect(Math.hypot(x - index.x[seed]!, y - index.y[seed]!)).toBeLessThanOrEqual(radius);
    }
    for (let c = 0; c < clusters.length; c++) {
      const sum = sums[c]!;
      expect(clusters.size[c]).toBe(sum.members);
      expect(clusters.people[c]).toBeCloseTo(sum.people, 6);
      expect(clusters.x[c]).toBeCloseTo(sum.x / sum.members, 12);
      expect(clusters.y[c]).toBeCloseTo(sum.y / sum.members, 12);
      expect(Array.from(clusters.box.subarray(c * 4, c * 4 + 4))).toEqual([sum.west, sum.north, sum.east, sum.south]);
    }
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const [i, j] = [clusters.seed[a]!, clusters.seed[b]!];
        expect(Math.hypot(index.x[i]! - index.x[j]!, index.y[i]! - index.y[j]!)).toBeGreaterThan(radius);
      }
    }
  });

  it('draws every community on its own above the last clustered zoom level', () => {
    const clusters = clusterZoom(index, clusterMaxZoom + 1);
    expect(clusters.length).toBe(index.size);
    expect(sizes(clusters).every((size) => size === 1)).toBe(true);
    const features = clusterFeatures(index, clusters);
    expect(features.map((feature) => feature.id)).toEqual(generated.map((feature) => feature.id));
    expect(features.map((feature) => feature.geometry.coordinates)).toEqual(generated.map((feature) => feature.geometry.coordinates));
  });

  it("counts a filter's matches per cluster in one pass, for any filter", () => {
    const clusters = clusterZoom(index, 6);
    for (const filter of [
      { nationality: null, need: 'water', status: null, since: null },
      { nationality: 'NP', need: 'water', status: null, since: null },
      { nationality: null, need: null, status: 'stranded', since: '2011-03-01' },
    ]) {
      const match = Uint8Array.from(generated, (feature) => (matchesFilter(feature.properties, filter) ? 1 : 0));
      const counts = matchCounts(index, clusters, match);
      const expected = new Array<number>(clusters.length).fill(0);
      const people = new Array<number>(clusters.length).fill(0);
      generated.forEach((feature, i) => {
        if (!matchesFilter(feature.properties, filter)) return;
        expected[clusters.clusterOf[i]!]! += 1;
        people[clusters.clusterOf[i]!]! += feature.properties.headcount;
      });
      expect(Array.from(counts.count)).toEqual(expected);
      expect(Array.from(counts.people)).toEqual(people);
      expect(expected.reduce((a, b) => a + b, 0)).toBe(match.reduce((a, b) => a + b, 0));
    }
  });

  it('makes map features: single communities under their own id with status, clusters above with their extent', () => {
    const clusters = clusterZoom(index, 9);
    const features = clusterFeatures(index, clusters);
    expect(features).toHaveLength(clusters.length);
    let members = 0;
    for (const feature of features) {
      const named = fromFeatureId(index, Number(feature.id));
      if ('community' in named) {
        const own = generated[named.community]!;
        expect(feature.id).toBe(own.id);
        expect(feature.properties).toEqual({
          headcount: own.properties.headcount,
          people: own.properties.headcount,
          status: own.properties.status,
        });
        members += 1;
        continue;
      }
      const { west, south, east, north, point_count: count } = feature.properties as Record<string, number>;
      expect(count).toBe(clusters.size[named.cluster]);
      members += count!;
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      expect(lon).toBeGreaterThanOrEqual(west! - 1e-9);
      expect(lon).toBeLessThanOrEqual(east! + 1e-9);
      expect(lat).toBeGreaterThanOrEqual(south! - 1e-9);
      expect(lat).toBeLessThanOrEqual(north! + 1e-9);
      // No record id or date reaches the map.
      expect(Object.keys(feature.properties).sort()).toEqual(['cluster', 'east', 'north', 'people', 'point_count', 'south', 'west']);
    }
    expect(members).toBe(index.size);
  });

  it('picks the clusters inside an area, and grows an area within the world', () => {
    const clusters = clusterZoom(index, clusterMaxZoom + 1);
    // Tripoli and around it.
    const area = [mercatorX(12.9), mercatorY(33), mercatorX(13.5), mercatorY(32.7)] as const;
    const inside = clusterFeatures(index, clusters, area);
    const expected = generated.filter((feature) => {
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      return lon >= 12.9 && lon <= 13.5 && lat >= 32.7 && lat <= 33;
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(inside.map((feature) => feature.id).sort()).toEqual(expected.map((feature) => feature.id).sort());
    const grown = grow(area, 1);
    expect(contains(grown, area)).toBe(true);
    expect(contains(area, grown)).toBe(false);
    expect(grow([0.1, 0.1, 0.9, 0.9], 1)).toEqual([0, 0, 1, 1]);
  });

  it('clusters communities spread over the whole world, down to the deepest level', () => {
    const world = indexPoints(
      Array.from({ length: 400 }, (_, i) => ({
        ...generated[i]!,
        geometry: { type: 'Point' as const, coordinates: [-179 + ((i * 137) % 358), -80 + ((i * 59) % 160)] },
      })),
    );
    for (const zoom of [2, 8, 16])
      expect(Array.from(clusterZoom(world, zoom).clusterOf), `zoom ${zoom}`).toEqual(Array.from(plainClusters(world, zoom)));
  });

  it('clusters the demo data the same way twice', () => {
    const demo = indexPoints(communityFeatures(demoRecords().communities));
    expect(Array.from(clusterZoom(demo, 6).clusterOf)).toEqual(Array.from(clusterZoom(demo, 6).clusterOf));
  });
});
