import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCap } from './cap.ts';
import { parseCsv } from '#model/csv';
import { hazardZonesFromGeoJson, validateRfc7946 } from './geojson.ts';
import { parseHxlCsv } from './hxl.ts';
import { placemarksFromKml } from './kml.ts';
import { planLayersFromGeoJson } from './layers-import.ts';

// Importers take files from anywhere: whatever the input, they answer with a result, never a throw.
const samples = ['cap-flood-alert.xml', 'hazard-zones.kml'].map((name) =>
  readFileSync(new URL(`../test-data/${name}`, import.meta.url), 'utf8'),
);

/** Damaged copies of real files: a slice cut out, or random text spliced in. */
const damaged = fc.oneof(
  fc
    .tuple(fc.constantFrom(...samples), fc.nat(), fc.nat({ max: 200 }))
    .map(([text, at, length]) => text.slice(0, at % text.length) + text.slice((at % text.length) + length)),
  fc
    .tuple(fc.constantFrom(...samples), fc.nat(), fc.string({ maxLength: 30 }))
    .map(([text, at, insert]) => text.slice(0, at % text.length) + insert + text.slice(at % text.length)),
  fc.string({ maxLength: 200 }),
);

describe('importers never throw', () => {
  it('CAP, KML, CSV and HXL readers return results on damaged input', () => {
    fc.assert(
      fc.property(damaged, (text) => {
        for (const read of [parseCap, placemarksFromKml, parseCsv, parseHxlCsv, hazardZonesFromGeoJson, planLayersFromGeoJson]) {
          const result = read(text);
          expect(typeof result.ok).toBe('boolean');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the GeoJSON validator lists problems for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(Array.isArray(validateRfc7946(value))).toBe(true);
        expect(Array.isArray(validateRfc7946({ type: 'FeatureCollection', features: [value] }))).toBe(true);
        expect(Array.isArray(validateRfc7946({ type: 'Polygon', coordinates: value }))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
