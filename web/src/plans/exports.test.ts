import { describe, expect, it } from 'vitest';
import { parseHxlCsv, planLayersFromGeoJson, samplePlan } from '#plans';
import { fileStem, geoJsonDownload, importZones, kmlDownload, placesDownload } from './exports.ts';
import { planLayerFeatures } from './map-features.ts';

const cap = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>flood-1</identifier><sender>met@example.org</sender><sent>2026-11-23T10:00:00+00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>
    <area><areaDesc>Wadi Derna</areaDesc><polygon>32.74,22.63 32.74,22.65 32.77,22.66 32.74,22.63</polygon></area>
  </info>
</alert>`;

describe('exports and imports', () => {
  it('name files after the plan', () => {
    expect(fileStem(samplePlan())).toBe('derna-flood-evacuation-of-migrant-workers');
    expect(geoJsonDownload(samplePlan()).name).toMatch(/\.geojson$/);
  });

  it('write GeoJSON that reads back as the same layers', () => {
    const layers = planLayersFromGeoJson(geoJsonDownload(samplePlan()).text);
    expect(layers.ok).toBe(true);
    if (layers.ok) expect(layers.value.layers.assemblyPoints.map((point) => point.id)).toEqual(['port', 'stadium']);
  });

  it('write KML and an HXL table of places', () => {
    expect(kmlDownload(samplePlan()).text).toContain('<kml');
    const table = parseHxlCsv(placesDownload(samplePlan()).text);
    expect(table.ok).toBe(true);
    if (table.ok) expect(table.value.rows).toHaveLength(4);
  });

  it('read hazard zones from GeoJSON, KML and CAP files, and say why a file is refused', () => {
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'Zone' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [1, 1],
                [2, 1],
                [2, 2],
                [1, 1],
              ],
            ],
          },
        },
      ],
    });
    expect(importZones('zones.geojson', geojson)).toMatchObject({ ok: true, format: 'GeoJSON', zones: [{ name: 'Zone' }] });
    expect(importZones('plan.kml', kmlDownload(samplePlan()).text)).toMatchObject({ ok: true, format: 'KML' });
    const fromCap = importZones('alert.xml', cap);
    expect(fromCap).toMatchObject({ ok: true, format: 'CAP', zones: [{ source: 'cap', alertLevel: 'red' }] });
    const refused = importZones('broken.json', '{"type":"Point"');
    expect(refused.ok).toBe(false);
    // A coordinate KML readers would skip in silence: refused, saying which placemark.
    const skipped = importZones(
      'zones.kml',
      '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>22.6,32.7 22.7,abc 22.7,32.8 22.6,32.8</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>',
    );
    expect(skipped).toEqual({ ok: false, message: '"22.7,abc" is not a longitude,latitude[,altitude] tuple (Placemark 1)' });
  });

  it('import the zones of a CAP exercise labelled as such, and draw them grey, never as a warning', () => {
    const drill = importZones('drill.xml', cap.replace('<status>Actual</status>', '<status>Exercise</status>'));
    if (!drill.ok) throw new Error(drill.message);
    expect(drill.zones.map((zone) => [zone.cap?.status, zone.alertLevel])).toEqual([['Exercise', undefined]]);
    // Even if a planner gives it a level by hand, the map keeps it grey.
    const plan = { ...samplePlan(), hazardZones: [{ ...drill.zones[0]!, alertLevel: 'red' as const }, ...samplePlan().hazardZones] };
    expect(planLayerFeatures(plan, new Set()).hazardZones.features.map((feature) => feature.properties?.alertLevel)).toEqual([
      'not-real',
      'red',
    ]);
  });
});
