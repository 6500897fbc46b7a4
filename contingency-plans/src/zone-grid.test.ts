// The grid must give exactly Turf's answer, point for point: random points, points on vertices and
// on edges (of shells and holes), points a hair off an edge, with holes, MultiPolygons and buffers.
import { booleanPointInPolygon, buffer as turfBuffer } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.ts';
import { insideZoneGrid, pointsInZoneGrid, pointsInZoneGridThroughTree, prepareZoneGrid } from './zone-grid.ts';

type Zone = Polygon | MultiPolygon;

function randomRing(random: () => number, centerX: number, centerY: number, radius: number, vertices: number): Position[] {
  // A star-shaped ring (never self-crossing) with jagged radii; some vertices snapped to a grid so
  // that horizontal and vertical edges occur.
  const ring: Position[] = [];
  for (let i = 0; i < vertices; i++) {
    const angle = (2 * Math.PI * i) / vertices;
    const r = radius * (0.4 + 0.6 * random());
    let x = centerX + r * Math.cos(angle);
    let y = centerY + r * Math.sin(angle);
    if (random() < 0.3) {
      x = Math.round(x * 100) / 100;
      y = Math.round(y * 100) / 100;
    }
    ring.push([x, y]);
  }
  if (ring.length > 3) ring[2] = [ring[2]![0]!, ring[1]![1]!]; // one horizontal edge for sure
  ring.push(ring[0]!);
  return ring;
}

function edgePoints(zone: Zone, random: () => number): Position[] {
  const points: Position[] = [];
  const polygons = zone.type === 'Polygon' ? [zone.coordinates] : zone.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i] as [number, number];
        const [bx, by] = ring[i + 1] as [number, number];
        points.push([ax, ay]); // a vertex
        points.push([(ax + bx) / 2, (ay + by) / 2]); // a midpoint (on the edge or a rounding away)
        const t = random();
        const x = ax + t * (bx - ax);
        const y = ay + t * (by - ay);
        points.push([x, y]);
        points.push([x + 1e-12, y], [x, y - 1e-12], [x - 5e-16, y + 5e-16]); // a hair off
        if (ay === by) points.push([x, ay]); // exactly on a horizontal edge
        if (ax === bx) points.push([ax, y]); // exactly on a vertical edge
      }
    }
  }
  return points;
}

function randomPoints(zone: Zone, random: () => number, count: number): Position[] {
  const polygons = zone.type === 'Polygon' ? [zone.coordinates] : zone.coordinates;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const position of polygons.flat(2)) {
    minX = Math.min(minX, position[0]!);
    minY = Math.min(minY, position[1]!);
    maxX = Math.max(maxX, position[0]!);
    maxY = Math.max(maxY, position[1]!);
  }
  const padX = (maxX - minX) * 0.2;
  const padY = (maxY - minY) * 0.2;
  return Array.from({ length: count }, () => [
    minX - padX + random() * (maxX - minX + 2 * padX),
    minY - padY + random() * (maxY - minY + 2 * padY),
  ]);
}

function expectSameAsTurf(zone: Zone, points: Position[]): number {
  const feature = { type: 'Feature' as const, properties: {}, geometry: zone };
  const expected = points.map((position) => booleanPointInPolygon(position, feature));
  const lon = Float64Array.from(points, (position) => position[0]!);
  const lat = Float64Array.from(points, (position) => position[1]!);
  // Small leaves and large ones, so that both the leaf loop and the middle points of the walk answer.
  const trees = [4, 64].map((nodeSize) => {
    const tree = new KDBush(points.length, nodeSize, Float64Array);
    for (const position of points) tree.add(position[0]!, position[1]!);
    return tree.finish();
  });
  for (const cellsAcross of [undefined, 1, 7, 64, 600]) {
    const grid = prepareZoneGrid(zone, cellsAcross);
    const single = points.map((position) => insideZoneGrid(grid, position[0]!, position[1]!));
    const mismatches = single.flatMap((answer, i) =>
      answer === expected[i] ? [] : [{ point: points[i], turf: expected[i], ours: answer, cellsAcross }],
    );
    expect(mismatches).toEqual([]);
    const rowsInside = expected.flatMap((answer, i) => (answer ? [i] : []));
    expect(Array.from(pointsInZoneGrid(grid, lon, lat))).toEqual(rowsInside);
    for (const tree of trees) expect(Array.from(pointsInZoneGridThroughTree(grid, tree))).toEqual(rowsInside);
  }
  return expected.filter(Boolean).length;
}

describe('prepareZoneGrid', () => {
  it('lists the rows inside in ascending order across blocks and bit words, whatever the row count', () => {
    // 10,007 rows: more than two scan blocks of 4,096 and a last bit word only partly used; every
    // third row sits inside the square, the rest far away in longitude, latitude or both.
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [10, 10],
          [11, 10],
          [11, 11],
          [10, 11],
          [10, 10],
        ],
      ],
    };
    const points: Position[] = Array.from({ length: 10_007 }, (_, i) =>
      i % 3 === 0 ? [10 + (i % 97) / 100, 10 + (i % 89) / 100] : i % 3 === 1 ? [10.5, 40 + i / 1e4] : [-120 - i / 1e4, 10.5],
    );
    expect(expectSameAsTurf(square, points)).toBe(3_336);
  });

  it('answers like Turf for random polygons with holes, on and off their edges', () => {
    const random = seededRandom(2026);
    for (let round = 0; round < 12; round++) {
      const centerX = 20 + random() * 5;
      const centerY = 30 + random() * 5;
      const zone: Polygon = {
        type: 'Polygon',
        coordinates: [
          randomRing(random, centerX, centerY, 0.5, 8 + Math.floor(random() * 60)),
          randomRing(random, centerX, centerY, 0.12, 5 + Math.floor(random() * 10)).reverse(),
        ],
      };
      const points = [...randomPoints(zone, random, 3000), ...edgePoints(zone, random)];
      const inside = expectSameAsTurf(zone, points);
      expect(inside).toBeGreaterThan(100); // the test would mean little if nothing were inside
      expect(inside).toBeLessThan(points.length - 100);
    }
  });

  it('answers like Turf for MultiPolygons, touching and apart, and for buffered zones', () => {
    const random = seededRandom(77);
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
            [0, 0],
          ],
          [
            [0.25, 0.25],
            [0.25, 0.75],
            [0.75, 0.75],
            [0.75, 0.25],
            [0.25, 0.25],
          ],
        ],
        [
          [
            [1, 0.5],
            [2, 0.5],
            [1.5, 1.5],
            [1, 0.5],
          ],
        ], // shares a vertex with the first
        [
          [
            [0.4, 0.4],
            [0.6, 0.4],
            [0.6, 0.6],
            [0.4, 0.6],
            [0.4, 0.4],
          ],
        ], // an island inside the hole
        [
          [
            [5, 5],
            [5.5, 5.1],
            [5.2, 5.6],
            [5, 5],
          ],
        ],
      ],
    };
    expectSameAsTurf(multi, [...randomPoints(multi, random, 5000), ...edgePoints(multi, random)]);
    const drawn: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [22.45, 32.55],
          [22.7, 32.6],
          [22.75, 32.78],
          [22.62, 32.8],
          [22.5, 32.7],
          [22.45, 32.55],
        ],
      ],
    };
    for (const km of [1, 10, 35]) {
      const grown = turfBuffer({ type: 'Feature', properties: {}, geometry: drawn }, km, { units: 'kilometers' })!.geometry as Polygon;
      expectSameAsTurf(grown, [...randomPoints(grown, random, 4000), ...edgePoints(grown, random)]);
    }
  });

  it('answers like Turf for points within rounding of a long diagonal edge (the exact orientation)', () => {
    const random = seededRandom(5);
    const triangle: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [20.123456789, 30.987654321],
          [25.3333333, 34.7777777],
          [20.5, 34.1],
          [20.123456789, 30.987654321],
        ],
      ],
    };
    const [a, b] = triangle.coordinates[0] as [[number, number], [number, number]];
    const near: Position[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = random();
      const x = a[0] + t * (b[0] - a[0]);
      const y = a[1] + t * (b[1] - a[1]);
      near.push([x, y], [x, y + 4e-15], [x, y - 4e-15], [x + 4e-15, y]);
    }
    expectSameAsTurf(triangle, near);
  });

  it('answers like Turf for a degenerate zone and for points far away', () => {
    const line: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [1, 1],
          [2, 1],
          [1, 1],
        ],
      ],
    };
    expectSameAsTurf(line, [
      [1, 1],
      [1.5, 1],
      [2, 1],
      [1.5, 1.0000001],
      [0, 0],
      [2.5, 1],
    ]);
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    expectSameAsTurf(square, [
      [-170, 80],
      [179.9, -89],
      [1 + 2 ** -52, 0.5],
      [-1e-300, 0.5],
      [-(2 ** -40), 0.5],
      [0.5, 1],
    ]);
  });
});
