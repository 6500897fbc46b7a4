// The banded edges of geo.ts serve two tests: the quick even-odd one here (summaries) and
// zone-grid.ts's exact one. The quick one must agree with Turf wherever a point is not on an edge.
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { bandOf, insidePrepared, prepareEdges, preparePolygon } from './geo.ts';
import { seededRandom } from './random.ts';

function jaggedRing(random: () => number, centerX: number, centerY: number, radius: number, vertices: number): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < vertices; i++) {
    const angle = (2 * Math.PI * i) / vertices;
    const r = radius * (0.4 + 0.6 * random());
    ring.push([centerX + r * Math.cos(angle), centerY + r * Math.sin(angle)]);
    if (random() < 0.1) ring.push(ring[ring.length - 1]!); // a repeated position: a zero-length edge
  }
  ring.push(ring[0]!);
  return ring;
}

describe('prepareEdges', () => {
  it('puts every edge in each band its latitude span reaches, zero-length edges included', () => {
    const ring: Position[] = [
      [0, 0],
      [4, 0],
      [4, 0],
      [4, 3],
      [0, 8],
      [0, 0],
    ];
    const edges = prepareEdges([ring]);
    expect(edges.x0.length).toBe(5);
    expect(edges.bandCount).toBe(5);
    for (let i = 0; i < 5; i++) {
      const low = Math.min(edges.y0[i]!, edges.y1[i]!);
      const high = Math.max(edges.y0[i]!, edges.y1[i]!);
      for (let band = 0; band < edges.bandCount; band++) {
        const listed = Array.from(edges.bandEdges.subarray(edges.bandStart[band]!, edges.bandStart[band + 1]!)).includes(i);
        expect(listed).toBe(band >= bandOf(edges, low) && band <= bandOf(edges, high));
      }
    }
    expect(bandOf(edges, -100)).toBe(0);
    expect(bandOf(edges, 100)).toBe(4);
  });
});

describe('insidePrepared', () => {
  it('agrees with Turf off the edges, for polygons with holes and MultiPolygons', () => {
    const random = seededRandom(4242);
    for (let round = 0; round < 20; round++) {
      const polygons: Position[][][] = [];
      for (let k = 0; k < 1 + (round % 3); k++) {
        const centerX = 10 + 3 * k + random();
        const centerY = -5 + random();
        polygons.push([
          jaggedRing(random, centerX, centerY, 1, 5 + Math.floor(random() * 50)),
          jaggedRing(random, centerX, centerY, 0.2, 4 + Math.floor(random() * 8)).reverse(),
        ]);
      }
      const zone: Polygon | MultiPolygon =
        polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
      const prepared = preparePolygon(zone);
      const feature = { type: 'Feature' as const, properties: {}, geometry: zone };
      let inside = 0;
      for (let i = 0; i < 2000; i++) {
        const x = 8.5 + random() * (3 * polygons.length + 2);
        const y = -6.5 + random() * 4;
        const expected = booleanPointInPolygon([x, y], feature);
        expect(insidePrepared(prepared, x, y), `(${x}, ${y}) round ${round}`).toBe(expected);
        if (expected) inside++;
      }
      expect(inside).toBeGreaterThan(100);
    }
  });
});
