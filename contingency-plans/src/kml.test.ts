import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseGeometry, planFeatures } from './geojson.ts';
import { hazardZonesFromKml, placemarksFromKml, planToKml } from './kml.ts';
import { hazardZone } from './model.ts';
import { samplePlan } from './sample-plan.ts';

const sample = readFileSync(new URL('../test-data/hazard-zones.kml', import.meta.url), 'utf8');

describe('KML', () => {
  it('round-trips every plan feature: names, geometry and extended data', () => {
    const plan = samplePlan();
    plan.assemblyPoints[0]!.name = 'Port <north> & "old" quay';
    const placemarks = placemarksFromKml(planToKml(plan));
    if (!placemarks.ok) throw new Error(placemarks.error.message);
    const features = planFeatures(plan);
    expect(placemarks.value.map((placemark) => placemark.name)).toEqual(features.map((feature) => feature.properties!.name));
    expect(placemarks.value.map((placemark) => placemark.geometry)).toEqual(features.map((feature) => feature.geometry));
    expect(placemarks.value[2]!.data).toEqual({ layer: 'assembly_point', id: 'port', capacity: '400' });
  });

  it('reads a Google Earth file: folders, holes, unclosed rings, altitude 0, MultiGeometry, CDATA', () => {
    const placemarks = placemarksFromKml(sample);
    if (!placemarks.ok) throw new Error(placemarks.error.message);
    expect(placemarks.value.map((placemark) => [placemark.name, placemark.geometry.type])).toEqual([
      ['Wadi & lower town', 'Polygon'],
      ['Two dams', 'MultiPolygon'],
      ['Meeting point', 'Point'],
    ]);
    expect(placemarks.value[0]!.description).toBe('Drawn by the city GIS office <b>2026-11-20</b>');
    const wadi = placemarks.value[0]!.geometry;
    expect(wadi.type === 'Polygon' && wadi.coordinates[0]![0]).toEqual([22.63, 32.74]);
    expect(wadi.type === 'Polygon' && wadi.coordinates.length).toBe(2);
    const dams = placemarks.value[1]!.geometry;
    // The second dam's ring was not closed in the file; it is closed on import.
    expect(dams.type === 'MultiPolygon' && dams.coordinates[1]![0]).toEqual([
      [22.62, 32.68],
      [22.63, 32.68],
      [22.63, 32.69],
      [22.62, 32.68],
    ]);
    const zones = hazardZonesFromKml(sample);
    expect(zones.ok && zones.value.map((zone) => [zone.id, zone.name, zone.source])).toEqual([
      ['kml-1', 'Wadi & lower town', 'kml'],
      ['kml-2', 'Two dams', 'kml'],
    ]);
    for (const zone of zones.ok ? zones.value : []) expect(hazardZone.safeParse(zone).success).toBe(true);
    expect(zones.ok && normaliseGeometry(zones.value[0]!.geometry).coordinates[0]![0]).toEqual([22.63, 32.74]);
  });

  it('reads what togeojson reads beyond the old reader: a gx:Track as a line, with its times', () => {
    const track = placemarksFromKml(
      '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark><name>Convoy</name><gx:Track><when>2026-11-20T08:00:00Z</when><when>2026-11-20T09:00:00Z</when><gx:coord>22.6 32.7 0</gx:coord><gx:coord>22.7 32.8 0</gx:coord></gx:Track></Placemark></kml>',
    );
    expect(track.ok && track.value.map((placemark) => [placemark.name, placemark.geometry])).toEqual([
      [
        'Convoy',
        {
          type: 'LineString',
          coordinates: [
            [22.6, 32.7],
            [22.7, 32.8],
          ],
        },
      ],
    ]);
    const junk = placemarksFromKml(
      '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark><gx:Track><gx:coord>22.6 north 0</gx:coord><gx:coord>22.7 32.8 0</gx:coord></gx:Track></Placemark></kml>',
    );
    expect(!junk.ok && junk.error).toMatchObject({ name: 'ConvertError', where: 'Placemark 1' });
  });

  // togeojson drops or merges these without a word; the zone would be drawn without them or elsewhere.
  it.each([
    [
      'a tuple with a letter in a line',
      '<LineString><coordinates>22.6,32.7 22.7,abc 22.8,32.9</coordinates></LineString>',
      /"22.7,abc" is not a longitude,latitude/,
    ],
    ['a Point with two tuples', '<Point><coordinates>22.6,32.7 22.7,32.8</coordinates></Point>', /exactly one coordinate tuple/],
    ['a line of one position', '<LineString><coordinates>22.6,32.7</coordinates></LineString>', /at least two positions/],
    [
      'a ring of two distinct positions',
      '<Polygon><outerBoundaryIs><LinearRing><coordinates>22.6,32.7 22.7,32.8 22.6,32.7</coordinates></LinearRing></outerBoundaryIs></Polygon>',
      /three distinct positions/,
    ],
    [
      'a polygon without an outer boundary',
      '<Polygon><innerBoundaryIs><LinearRing><coordinates>22.6,32.7 22.7,32.8 22.7,32.7</coordinates></LinearRing></innerBoundaryIs></Polygon>',
      /one outerBoundaryIs/,
    ],
    ['a latitude beyond the pole', '<Point><coordinates>12,200</coordinates></Point>', /outside the world/],
  ])('refuses %s, naming the placemark', (_what, geometry, message) => {
    const kml = `<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Fine</name><Point><coordinates>22.6,32.7</coordinates></Point></Placemark><Placemark>${geometry}</Placemark></Document></kml>`;
    const result = placemarksFromKml(kml);
    expect(!result.ok && result.error).toMatchObject({
      name: 'ConvertError',
      where: 'Placemark 2',
      message: expect.stringMatching(message),
    });
  });

  it('reports broken files with a named error', () => {
    expect(placemarksFromKml('<kml><Document>').ok).toBe(false);
    expect(placemarksFromKml('<svg xmlns="http://www.w3.org/2000/svg"/>').ok).toBe(false);
    const swapped = placemarksFromKml(
      '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Point><coordinates>12,200</coordinates></Point></Placemark></kml>',
    );
    expect(!swapped.ok && swapped.error).toMatchObject({ name: 'ConvertError', where: 'Placemark 1' });
    expect(
      hazardZonesFromKml(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Point><coordinates>12,20</coordinates></Point></Placemark></kml>',
      ).ok,
    ).toBe(false);
  });
});
