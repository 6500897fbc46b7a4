import { booleanPointInPolygon, buffer as turfBuffer, point } from '@turf/turf';
import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import type { CommunityPoint } from './inputs.ts';
import type { AreaGeometry } from './model.ts';
import { indexPoints, populationInZone, populationInZoneColumns } from './population.ts';
import { seededRandom } from './random.ts';

const zone: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [20.0, 32.6],
      [20.4, 32.55],
      [20.5, 32.9],
      [20.2, 33.0],
      [20.05, 32.85],
      [20.0, 32.6],
    ],
  ],
};

function randomCommunities(count: number, seed: number): CommunityPoint[] {
  const random = seededRandom(seed);
  const codes = ['NP', 'BD', 'EG', 'SD', 'PH'];
  return Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    lon: 19.6 + random() * 1.3,
    lat: 32.2 + random() * 1.2,
    headcount: 1 + Math.floor(random() * 200),
    nationalities: [{ code: codes[Math.floor(random() * codes.length)]! }],
    needs: [],
    vulnerabilities: [],
  }));
}

function turfLoop(geometry: AreaGeometry, points: CommunityPoint[], bufferKm: number): string[] {
  const buffered =
    bufferKm > 0
      ? turfBuffer({ type: 'Feature', properties: {}, geometry }, bufferKm, { units: 'kilometers' })!
      : { type: 'Feature' as const, properties: {}, geometry };
  return points
    .filter((community) => booleanPointInPolygon(point([community.lon, community.lat]), buffered as never))
    .map((community) => community.id);
}

describe('populationInZone', () => {
  it.each([0, 5, 20])('finds the same communities as a plain Turf loop with a %i km buffer', (bufferKm) => {
    const points = randomCommunities(5000, 7 + bufferKm);
    const result = populationInZone(zone, points, { bufferKm });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expected = turfLoop(zone, points, bufferKm);
    expect(result.value.communityIds).toEqual(expected);
    expect(result.value.communities).toBe(expected.length);
    const people = points.filter((community) => expected.includes(community.id)).reduce((sum, community) => sum + community.headcount, 0);
    expect(result.value.people).toBe(people);
    expect(Object.values(result.value.byNationality).reduce((a, b) => a + b, 0)).toBe(people);
  });

  it('grows with the buffer and agrees between objects, columns and an index', () => {
    const points = randomCommunities(20_000, 99);
    const lon = Float64Array.from(points, (p) => p.lon);
    const lat = Float64Array.from(points, (p) => p.lat);
    const headcount = Uint32Array.from(points, (p) => p.headcount);
    const codes = ['NP', 'BD', 'EG', 'SD', 'PH'];
    const nationality = Uint16Array.from(points, (p) => codes.indexOf(p.nationalities[0]!.code));
    const index = indexPoints(lon, lat);
    const small = populationInZone(zone, points, { bufferKm: 2 });
    const large = populationInZone(zone, points, { bufferKm: 15 });
    const columns = populationInZoneColumns(zone, { lon, lat, headcount, nationality, nationalityCodes: codes }, { bufferKm: 15, index });
    if (!small.ok || !large.ok || !columns.ok) throw new Error('zone query failed');
    expect(large.value.people).toBeGreaterThan(small.value.people);
    expect(columns.value.people).toBe(large.value.people);
    expect(columns.value.byNationality).toEqual(large.value.byNationality);
    expect(Array.from(columns.value.inside, (i) => points[i]!.id)).toEqual(large.value.communityIds);
  });

  it("keeps Turf's answer when the index given cannot serve these columns (rounded coordinates, other points)", () => {
    // A hair outside the square: Float32 coordinates would put these points on its edges (inside).
    const square: AreaGeometry = {
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
    const random = seededRandom(31);
    const positions = [
      [1 + 1e-9, 0.5],
      [-1e-9, 0.25],
      [0.5, 1 + 1e-9],
      ...Array.from({ length: 2_000 }, () => [-0.5 + 2 * random(), -0.5 + 2 * random()]),
    ];
    const lon = Float64Array.from(positions, (p) => p[0]!);
    const lat = Float64Array.from(positions, (p) => p[1]!);
    const headcount = new Uint32Array(positions.length).fill(1);
    const feature = { type: 'Feature' as const, properties: {}, geometry: square };
    const expected = positions.flatMap((p, i) => (booleanPointInPolygon(p, feature) ? [i] : []));
    expect(expected).not.toContain(0);
    const rounded = new KDBush(positions.length, 64, Float32Array);
    for (const p of positions) rounded.add(p[0]!, p[1]!);
    const others = indexPoints(lon.subarray(0, 100), lat.subarray(0, 100));
    for (const index of [indexPoints(lon, lat), rounded.finish(), others]) {
      const result = populationInZoneColumns(square, { lon, lat, headcount }, { bufferKm: 0, index });
      if (!result.ok) throw new Error(result.error.message);
      expect(Array.from(result.value.inside)).toEqual(expected);
    }
  });

  it('counts holes as outside and splits mixed nationalities', () => {
    const withHole: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
        [
          [0.4, 0.4],
          [0.4, 0.6],
          [0.6, 0.6],
          [0.6, 0.4],
          [0.4, 0.4],
        ],
      ],
    };
    const points: CommunityPoint[] = [
      {
        id: 'in',
        lon: 0.2,
        lat: 0.2,
        headcount: 10,
        nationalities: [{ code: 'NP', count: 7 }, { code: 'BD' }],
        needs: [],
        vulnerabilities: [],
      },
      { id: 'hole', lon: 0.5, lat: 0.5, headcount: 50, nationalities: [{ code: 'NP' }], needs: [], vulnerabilities: [] },
      { id: 'out', lon: 1.5, lat: 0.5, headcount: 50, nationalities: [{ code: 'NP' }], needs: [], vulnerabilities: [] },
    ];
    const result = populationInZone(withHole, points, { bufferKm: 0 });
    expect(result.ok && result.value).toMatchObject({ communities: 1, people: 10, byNationality: { BD: 3, NP: 7 }, communityIds: ['in'] });
  });

  it('handles a MultiPolygon zone like the Turf loop', () => {
    const two: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [19.7, 32.3],
            [19.9, 32.3],
            [19.9, 32.5],
            [19.7, 32.5],
            [19.7, 32.3],
          ],
        ],
        [
          [
            [20.6, 33.0],
            [20.8, 33.0],
            [20.8, 33.2],
            [20.6, 33.0],
          ],
        ],
      ],
    };
    const points = randomCommunities(8000, 3);
    for (const bufferKm of [0, 4]) {
      const result = populationInZone(two, points, { bufferKm });
      expect(result.ok && result.value.communityIds).toEqual(turfLoop(two, points, bufferKm));
    }
  });

  it('refuses a negative buffer with a named error', () => {
    const result = populationInZone(zone, [], { bufferKm: -1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.name).toBe('OptionsError');
  });
});
