import { length as turfLength } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { roundTo } from './geo.ts';
import { buildRouteNetwork, shortestDistances, snapToNetwork } from './network.ts';

describe('route network', () => {
  const coast = {
    type: 'LineString' as const,
    coordinates: [
      [22.5, 32.75],
      [22.6, 32.75],
      [22.62, 32.76],
      [22.655, 32.768],
    ],
  };
  const inland = {
    type: 'LineString' as const,
    coordinates: [
      [22.6, 32.75],
      [22.6, 32.7],
      [22.7, 32.7],
    ],
  };
  const island = {
    type: 'LineString' as const,
    coordinates: [
      [23, 33],
      [23.1, 33],
    ],
  };
  const network = buildRouteNetwork([coast, inland, island]);

  it('joins routes at shared vertices and measures paths like turf.length', () => {
    expect(network.lon.length).toBe(8);
    const start = snapToNetwork(network, 22.5, 32.75, 0.1)!;
    const end = snapToNetwork(network, 22.7, 32.7, 0.1)!;
    const distances = shortestDistances(network, start.node);
    const expected = turfLength({
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [22.5, 32.75],
          [22.6, 32.75],
          [22.6, 32.7],
          [22.7, 32.7],
        ],
      },
    });
    expect(roundTo(distances[end.node]!, 6)).toBe(roundTo(expected, 6));
    const far = snapToNetwork(network, 23, 33, 0.1)!;
    expect(distances[far.node]).toBe(Infinity);
  });

  it('snaps only within the tolerance', () => {
    expect(snapToNetwork(network, 22.55, 32.8, 1)).toBeUndefined();
    const near = snapToNetwork(network, 22.601, 32.75, 1)!;
    expect([network.lon[near.node], network.lat[near.node]]).toEqual([22.6, 32.75]);
    expect(roundTo(near.distanceKm, 3)).toBe(0.094);
    expect(snapToNetwork(buildRouteNetwork([]), 0, 0, 10)).toBeUndefined();
  });
});
