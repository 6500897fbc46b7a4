import { describe, expect, it } from 'vitest';
import { hazardZonesFromGeoJson, normaliseGeometry, planToFeatureCollection, planToGeoJson, validateRfc7946 } from './geojson.ts';
import { signedArea } from './geo.ts';
import { samplePlan } from './sample-plan.ts';

describe('GeoJSON export', () => {
  it('passes the RFC 7946 validator, with every layer present', () => {
    const text = planToGeoJson(samplePlan());
    const parsed = JSON.parse(text);
    expect(validateRfc7946(parsed)).toEqual([]);
    expect(parsed.crs).toBeUndefined();
    const layers = parsed.features.map((feature: { properties: { layer: string } }) => feature.properties.layer);
    expect(layers).toEqual([
      'plan_area',
      'hazard_zone',
      'assembly_point',
      'assembly_point',
      'shelter',
      'route',
      'route',
      'border_crossing',
    ]);
    const port = parsed.features.find((feature: { id: string }) => feature.id === 'assembly_point:port');
    expect(port).toEqual({
      type: 'Feature',
      id: 'assembly_point:port',
      geometry: { type: 'Point', coordinates: [22.655, 32.768] },
      properties: { layer: 'assembly_point', id: 'port', name: 'Derna port', capacity: 400 },
    });
  });

  it('rewinds rings by the right-hand rule and rounds to 6 decimals', () => {
    const clockwise = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [0, 1.12345678],
          [1, 1],
          [1, 0],
          [0, 0],
        ],
        [
          [0.2, 0.2],
          [0.4, 0.2],
          [0.4, 0.4],
          [0.2, 0.2],
        ],
      ],
    };
    const normalised = normaliseGeometry(clockwise);
    expect(signedArea(normalised.coordinates[0]!)).toBeGreaterThan(0);
    expect(signedArea(normalised.coordinates[1]!)).toBeLessThan(0);
    expect(normalised.coordinates[0]).toContainEqual([0, 1.123457]);
    expect(validateRfc7946(clockwise).map((problem) => problem.message)).toEqual([
      'more than 6 decimals: RFC 7946 recommends 6 (about 10 cm)',
      'the exterior ring must be counterclockwise (right-hand rule)',
      'a hole must be clockwise (right-hand rule)',
    ]);
  });

  it('round-trips hazard zones through GeoJSON text', () => {
    const plan = samplePlan();
    const zones = hazardZonesFromGeoJson(JSON.stringify(planToFeatureCollection(plan)));
    if (!zones.ok) throw new Error(zones.error.message);
    // The plan area and the hazard zone are the two polygons.
    expect(zones.value.map((zone) => zone.name)).toEqual([plan.title, 'Wadi Derna flood plain']);
    expect(zones.value[1]!.geometry).toEqual(normaliseGeometry(plan.hazardZones[0]!.geometry));
    expect(zones.value[1]!.source).toBe('geojson');
  });
});

describe('validateRfc7946', () => {
  it('names each problem with its path', () => {
    const bad = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:4326' } },
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [32.7, 122.6] } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0]] } },
        {
          type: 'Feature',
          properties: null,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
            ],
          },
        },
        { type: 'Feature', properties: null, geometry: null },
      ],
    };
    expect(validateRfc7946(bad).map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'crs: RFC 7946 removed "crs": coordinates are always WGS 84 longitude, latitude',
      'features[0].geometry.coordinates: latitude 122.6 is outside -90..90 (are longitude and latitude swapped?)',
      'features[1].geometry.coordinates: expected at least 2 positions, found 1',
      'features[1].properties: a Feature needs a "properties" member (null is allowed)',
      'features[2].geometry.coordinates[0]: a linear ring must end at the position it starts from',
    ]);
    expect(validateRfc7946('nope')).toHaveLength(1);
    expect(hazardZonesFromGeoJson('{').ok).toBe(false);
    expect(hazardZonesFromGeoJson(JSON.stringify(bad)).ok).toBe(false);
  });
});
