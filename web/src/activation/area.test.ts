import { describe, expect, it } from 'vitest';
import { areaFromGeoJson, polygonFromVertices } from './area.ts';

describe('request area', () => {
  it('closes a drawn polygon and needs three points', () => {
    expect(
      polygonFromVertices([
        [1, 2],
        [3, 4],
      ]).ok,
    ).toBe(false);
    expect(
      polygonFromVertices([
        [1, 2],
        [3, 4],
        [5, 2],
      ]),
    ).toEqual({
      ok: true,
      positions: 4,
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [1, 2],
            [3, 4],
            [5, 2],
            [1, 2],
          ],
        ],
      },
    });
  });

  it('imports a Feature, drops altitudes and closes open rings', () => {
    const feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [22.4, 32.6, 10],
            [22.8, 32.6, 10],
            [22.8, 32.9, 10],
          ],
        ],
      },
    };
    const result = areaFromGeoJson(JSON.stringify(feature));
    expect(result).toEqual({
      ok: true,
      positions: 4,
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [22.4, 32.6],
            [22.8, 32.6],
            [22.8, 32.9],
            [22.4, 32.6],
          ],
        ],
      },
    });
  });

  it('joins several polygons of a FeatureCollection into a MultiPolygon, skipping points', () => {
    const square = (x: number) => [
      [
        [x, 0],
        [x + 1, 0],
        [x + 1, 1],
        [x, 1],
        [x, 0],
      ],
    ];
    const collection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(0) } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5, 5] } },
        { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square(2), square(4)] } },
      ],
    };
    const result = areaFromGeoJson(JSON.stringify(collection));
    expect(result.ok && result.area.type).toBe('MultiPolygon');
    expect(result.ok && result.area.coordinates).toHaveLength(3);
  });

  it('refuses what is not an area, with a reason', () => {
    expect(areaFromGeoJson('not json')).toMatchObject({ ok: false, message: /not JSON/ });
    expect(areaFromGeoJson(JSON.stringify({ type: 'Point', coordinates: [1, 2] }))).toMatchObject({ ok: false, message: /no Polygon/ });
    expect(
      areaFromGeoJson(
        JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [300000, 5000000],
              [1, 1],
              [2, 2],
              [300000, 5000000],
            ],
          ],
        }),
      ),
    ).toMatchObject({ ok: false, message: /WGS 84/ });
  });
});
