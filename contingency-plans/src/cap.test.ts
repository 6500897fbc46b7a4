import { readFileSync } from 'node:fs';
import { booleanPointInPolygon, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { applyCapAlert, expiredCapZones, hazardZonesFromCap, hazardZonesFromCapAlert, isRealWarning, parseCap } from './cap.ts';
import { roundTo } from './geo.ts';
import { hazardZone } from './model.ts';
import { samplePlan } from './sample-plan.ts';

const file = (name: string) => readFileSync(new URL(`../test-data/${name}`, import.meta.url), 'utf8');

describe('CAP 1.2 import', () => {
  it('reads the alert, its info and its areas, turning lat,lon into lon,lat', () => {
    const alert = parseCap(file('cap-flood-alert.xml'));
    if (!alert.ok) throw new Error(alert.error.message);
    expect(alert.value).toMatchObject({ identifier: 'LY-NCM-2026-11-23-0001', msgType: 'Alert', status: 'Actual', references: [] });
    expect(alert.value.infos.map((info) => [info.language, info.severity, info.urgency, info.certainty, info.areas.length])).toEqual([
      ['en-GB', 'Extreme', 'Immediate', 'Likely', 2],
      ['ar-LY', 'Extreme', 'Immediate', 'Likely', 1],
    ]);
    expect(alert.value.infos[0]!.areasWithoutShape).toEqual([]);
    const geocodeOnly = parseCap(
      file('cap-flood-alert.xml').replace(
        '<polygon>32.74,22.63 32.74,22.65 32.77,22.66 32.775,22.645 32.74,22.63</polygon>',
        '<geocode><valueName>ISO3166-2</valueName><value>LY-DR</value></geocode>',
      ),
    );
    expect(geocodeOnly.ok && geocodeOnly.value.infos[0]!.areasWithoutShape).toEqual(['Wadi Derna flood plain']);
    const zones = hazardZonesFromCap(file('cap-flood-alert.xml'));
    if (!zones.ok) throw new Error(zones.error.message);
    expect(zones.value.map((zone) => [zone.name, zone.alertLevel, zone.cap?.expires])).toEqual([
      ['Wadi Derna flood plain', 'red', '2026-11-24T06:00:00.000Z'],
      ['Derna harbour and low town', 'red', '2026-11-24T06:00:00.000Z'],
    ]);
    const wadi = zones.value[0]!.geometry;
    expect(wadi.type === 'Polygon' && wadi.coordinates[0]!.slice(0, 2)).toEqual([
      [22.63, 32.74],
      [22.65, 32.74],
    ]);
    // The circle: 2.5 km around the harbour, as a polygon.
    const harbour = zones.value[1]!;
    expect(harbour.geometry.type).toBe('Polygon');
    const ring = harbour.geometry.type === 'Polygon' ? harbour.geometry.coordinates[0]! : [];
    expect(ring.length).toBe(65);
    for (const position of ring) expect(roundTo(distance([22.655, 32.768], position), 2)).toBe(2.5);
    expect(booleanPointInPolygon([22.655, 32.768], harbour.geometry)).toBe(true);
    for (const zone of zones.value) expect(hazardZone.safeParse(zone).success).toBe(true);
    const arabic = hazardZonesFromCap(file('cap-flood-alert.xml'), 'ar-LY');
    expect(arabic.ok && arabic.value.map((zone) => zone.name)).toEqual(['سهل فيضان وادي درنة']);
  });

  it('keeps the status of every alert and of its zones: only Actual is a real warning, coloured by severity', () => {
    for (const status of ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const) {
      const alert = parseCap(file('cap-flood-alert.xml').replace('<status>Actual</status>', `<status>${status}</status>`));
      if (!alert.ok) throw new Error(`${status}: ${alert.error.message}`);
      expect(alert.value.status).toBe(status);
      // An exercise's zones say so, and carry no alert colour: nothing may paint them as a real warning.
      const zones = hazardZonesFromCapAlert(alert.value);
      const level = status === 'Actual' ? 'red' : undefined;
      expect(
        zones.map((zone) => [zone.cap?.status, zone.alertLevel]),
        status,
      ).toEqual([
        [status, level],
        [status, level],
      ]);
      for (const zone of zones) expect(hazardZone.safeParse(zone).success).toBe(true);
      expect(isRealWarning(alert.value), status).toBe(status === 'Actual');
    }
    // CAP 1.2 defines these five only; anything else is refused rather than guessed to be real.
    const unknown = parseCap(file('cap-flood-alert.xml').replace('<status>Actual</status>', '<status>Exercice</status>'));
    expect(unknown.ok ? 'accepted' : unknown.error.message).toMatch(/status "Exercice" is not a CAP 1\.2 status/);
  });

  it('applies Alert, Update and Cancel to the plan zones in turn', () => {
    const drawn = samplePlan().hazardZones;
    const steps = ['cap-flood-alert.xml', 'cap-flood-update.xml', 'cap-flood-cancel.xml'].map((name) => {
      const alert = parseCap(file(name));
      if (!alert.ok) throw new Error(alert.error.message);
      return alert.value;
    });
    const afterAlert = applyCapAlert(drawn, steps[0]!);
    const afterUpdate = applyCapAlert(afterAlert, steps[1]!);
    const afterCancel = applyCapAlert(afterUpdate, steps[2]!);
    expect(afterAlert.map((zone) => zone.id)).toEqual(['wadi', 'cap-LY-NCM-2026-11-23-0001-1', 'cap-LY-NCM-2026-11-23-0001-2']);
    expect(afterUpdate.map((zone) => [zone.id, zone.alertLevel])).toEqual([
      ['wadi', 'red'],
      ['cap-LY-NCM-2026-11-23-0002-1', 'orange'],
    ]);
    expect(afterCancel.map((zone) => zone.id)).toEqual(['wadi']);
    expect(expiredCapZones(afterUpdate, '2026-11-24T17:59:59Z')).toEqual([]);
    expect(expiredCapZones(afterUpdate, '2026-11-24T18:00:00Z').map((zone) => zone.id)).toEqual(['cap-LY-NCM-2026-11-23-0002-1']);
    // An exercise Cancel naming the real alert leaves the real zones alone; a real Cancel still ends them.
    const exerciseCancel = { ...steps[2]!, status: 'Exercise' as const, references: ['LY-NCM-2026-11-23-0001'] };
    expect(applyCapAlert(afterAlert, exerciseCancel).map((zone) => zone.id)).toEqual(afterAlert.map((zone) => zone.id));
    expect(applyCapAlert(afterAlert, { ...exerciseCancel, status: 'Actual' }).map((zone) => zone.id)).toEqual(['wadi']);
  });

  it('refuses what is not a usable CAP 1.2 alert, saying why', () => {
    const alert = file('cap-flood-alert.xml');
    const wrong = (text: string) => {
      const result = parseCap(text);
      return result.ok ? 'accepted' : result.error.message;
    };
    expect(wrong(alert.replace('cap:1.2', 'cap:1.1'))).toMatch(/not a CAP 1.2 alert/);
    expect(wrong(alert.replace('<msgType>Alert</msgType>', '<msgType>Ack</msgType>'))).toMatch(/only Alert, Update and Cancel/);
    expect(wrong(alert.replace('<identifier>LY-NCM-2026-11-23-0001</identifier>', ''))).toMatch(/no <identifier>/);
    // A polygon written lon,lat by mistake: 22.63 is fine as a latitude, but the ring is not closed after the swap? It is; use a value only valid one way.
    expect(wrong(alert.replace('32.74,22.63 32.74,22.65', '122.63,32.74 32.74,22.65'))).toMatch(/latitude first/);
    expect(wrong(alert.replace('32.768,22.655 2.5', '32.768,22.655'))).toMatch(/radius-in-km/);
    expect(wrong(alert.replace('32.775,22.645 32.74,22.63</polygon>', '32.775,22.645</polygon>'))).toMatch(/end with its first point/);
    expect(wrong(alert.slice(0, 200))).toMatch(/not well-formed/);
  });

  it('reads the four example messages of the CAP 1.2 standard (Appendix A), whatever their area form', () => {
    const standard = (name: string) => {
      const parsed = parseCap(file(`cap-standard/${name}`));
      if (!parsed.ok) throw new Error(`${name}: ${parsed.error.message}`);
      return parsed.value;
    };
    // A.1: no area at all: kept as an alert, with nothing to match on a map.
    const advisory = standard('a1-homeland-security.xml');
    expect(advisory).toMatchObject({ identifier: '43b080713727', sender: 'hsas@dhs.gov', msgType: 'Alert' });
    expect(advisory.infos.map((info) => [info.severity, info.areas.length, info.areasWithoutShape.length])).toEqual([['Severe', 0, 0]]);
    // A.2: a polygon (lat,lon in CAP, lon,lat here) with SAME geocodes beside it.
    const storm = standard('a2-thunderstorm.xml');
    const area = storm.infos[0]!.areas[0]!;
    expect(area.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [-120.14, 38.47],
          [-119.95, 38.34],
          [-119.74, 38.52],
          [-119.89, 38.62],
          [-120.14, 38.47],
        ],
      ],
    });
    expect(storm.infos[0]!.expires).toBe('2003-06-17T16:00:00-07:00');
    expect(booleanPointInPolygon([-119.93, 38.48], area.geometry)).toBe(true);
    // A.3: an Update naming the message it revises; a circle of radius 0 still makes a (tiny) area.
    const quake = standard('a3-earthquake-update.xml');
    expect(quake).toMatchObject({ msgType: 'Update', references: ['TRI13970876.1'] });
    const epicentre = quake.infos[0]!.areas[0]!.geometry;
    expect(booleanPointInPolygon([-115.5527, 32.9525], epicentre)).toBe(true);
    expect(booleanPointInPolygon([-115.56, 32.9525], epicentre)).toBe(false);
    // A.4: a county by geocode only: no shape we could draw, named so the officer sees it.
    const amber = standard('a4-amber-alert.xml');
    expect(amber.infos[0]!.areas).toEqual([]);
    expect(amber.infos[0]!.areasWithoutShape).toEqual(['Los Angeles County']);
    // Plan zones come only from the areas that have a shape.
    const zones = hazardZonesFromCap(file('cap-standard/a2-thunderstorm.xml'));
    expect(zones.ok && zones.value.map((zone) => [zone.alertLevel, zone.geometry.type])).toEqual([['orange', 'Polygon']]);
  });
});
