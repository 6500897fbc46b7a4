// Alerts in: CAP 1.2 alerts (Alert, Update, Cancel) and GDACS events imported on the real Worker.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, type Actor } from '../../scripts/lib/actors.ts';
import { projectRoot } from '../../scripts/worker-process.ts';
import { api } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const capFile = (name: string) => readFileSync(path.join(projectRoot, 'contingency-plans', 'test-data', name), 'utf8');

let city: Actor;
let other: Actor;

beforeAll(async () => {
  city = await createOrg(baseUrl, { kind: 'city', name: 'Derna Crisis Cell (alerts)' });
  other = await createOrg(baseUrl, { kind: 'city', name: 'Another city (alerts)' });
});

type AlertList = { alerts: { identifier: string; state: string; alert: { infos: { areas: { geometry: { type: string } }[] }[] } }[] };

describe('alerts', () => {
  it('follow CAP: an Update supersedes the alert, a Cancel ends the update', async () => {
    const cityApi = await api(city);
    const first = await cityApi.alerts.$post({ json: { format: 'cap', content: capFile('cap-flood-alert.xml') } });
    expect(first.status).toBe(201);
    const imported = (await first.json()) as { alert: { infos: { areas: { geometry: { type: string } }[] }[] } };
    // A polygon and a circle (as a polygon) for the two areas.
    expect(imported.alert.infos[0]!.areas.map((area) => area.geometry.type)).toEqual(['Polygon', 'Polygon']);
    expect((await cityApi.alerts.$post({ json: { format: 'cap', content: capFile('cap-flood-alert.xml') } })).status).toBe(409);

    expect((await cityApi.alerts.$post({ json: { format: 'cap', content: capFile('cap-flood-update.xml') } })).status).toBe(201);
    let active = (await (await cityApi.alerts.$get({ query: {} })).json()) as AlertList;
    expect(active.alerts.map((alert) => alert.identifier)).toEqual([expect.stringMatching(/0002|update/i)]);

    expect((await cityApi.alerts.$post({ json: { format: 'cap', content: capFile('cap-flood-cancel.xml') } })).status).toBe(201);
    active = (await (await cityApi.alerts.$get({ query: {} })).json()) as AlertList;
    expect(active.alerts).toEqual([]);
    const all = (await (await cityApi.alerts.$get({ query: { state: 'all' } })).json()) as AlertList;
    expect(all.alerts.map((alert) => alert.state).sort()).toEqual(['cancelled', 'cancelled', 'updated']);

    // Another organisation sees none of it.
    expect(((await (await (await api(other)).alerts.$get({ query: { state: 'all' } })).json()) as AlertList).alerts).toEqual([]);
  });

  it('refuses what is not a CAP 1.2 alert, saying what was wrong', async () => {
    const response = await (await api(city)).alerts.$post({
      json: { format: 'cap', content: '<alert xmlns="urn:example:not-cap"><identifier>x</identifier></alert>' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not a CAP 1\.2 alert/);
    const latFirst = capFile('cap-flood-alert.xml').replace('32.74,22.63 32.74,22.65', '222.74,22.63 32.74,22.65');
    const outside = await (await api(city)).alerts.$post({ json: { format: 'cap', content: latFirst } });
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { error: { message: string } }).error.message).toMatch(/latitude first/);
  });

  it('imports a GDACS event, and a later episode updates it', async () => {
    const event = (episode: number, level: 'Orange' | 'Red') => ({
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          geometry: {
            type: 'Polygon' as const,
            coordinates: [
              [
                [22.5, 32.6],
                [22.8, 32.6],
                [22.8, 32.9],
                [22.5, 32.9],
                [22.5, 32.6],
              ],
            ],
          },
          properties: {
            eventtype: 'TC',
            eventid: 1001234,
            episodeid: episode,
            alertlevel: level,
            name: 'Tropical cyclone DANIEL',
            fromdate: '2023-09-10T00:00:00Z',
          },
        },
      ],
    });
    const cityApi = await api(city);
    expect((await cityApi.alerts.$post({ json: { format: 'gdacs', content: event(1, 'Orange') } })).status).toBe(201);
    expect((await cityApi.alerts.$post({ json: { format: 'gdacs', content: event(2, 'Red') } })).status).toBe(201);
    const active = (await (await cityApi.alerts.$get({ query: {} })).json()) as {
      alerts: { identifier: string; alert: { infos: { severity: string }[] } }[];
    };
    const cyclone = active.alerts.filter((alert) => alert.identifier.startsWith('TC1001234'));
    expect(cyclone.map((alert) => [alert.identifier, alert.alert.infos[0]!.severity])).toEqual([['TC1001234-2', 'Extreme']]);
  });

  it("imports the CAP 1.2 standard's four examples, with or without a shape to draw", async () => {
    const cityApi = await api(other);
    const imported: Record<string, { msgType: string; areas: number; without: string[] }> = {};
    for (const name of ['a1-homeland-security.xml', 'a2-thunderstorm.xml', 'a3-earthquake-update.xml', 'a4-amber-alert.xml']) {
      const response = await cityApi.alerts.$post({ json: { format: 'cap', content: capFile(`cap-standard/${name}`) } });
      expect(response.status, name).toBe(201);
      const body = (await response.json()) as { msgType: string; alert: { infos: { areas: unknown[]; areasWithoutShape: string[] }[] } };
      imported[name] = { msgType: body.msgType, areas: body.alert.infos[0]!.areas.length, without: body.alert.infos[0]!.areasWithoutShape };
    }
    expect(imported).toEqual({
      'a1-homeland-security.xml': { msgType: 'Alert', areas: 0, without: [] },
      'a2-thunderstorm.xml': { msgType: 'Alert', areas: 1, without: [] },
      'a3-earthquake-update.xml': { msgType: 'Update', areas: 1, without: [] },
      'a4-amber-alert.xml': { msgType: 'Alert', areas: 0, without: ['Los Angeles County'] },
    });
  });

  it('says of every alert whether it is a real warning: CAP status Actual, or an exercise, test, system message or draft', async () => {
    const cityApi = await api(other);
    for (const status of ['Actual', 'Exercise', 'System', 'Test', 'Draft']) {
      const content = capFile('cap-flood-alert.xml')
        .replace('<status>Actual</status>', `<status>${status}</status>`)
        .replace('LY-NCM-2026-11-23-0001', `LY-NCM-STATUS-${status}`);
      const response = await cityApi.alerts.$post({ json: { format: 'cap', content } });
      expect(response.status, status).toBe(201);
      expect(((await response.json()) as { status: string }).status, status).toBe(status);
    }
    const listed = (await (await cityApi.alerts.$get({ query: {} })).json()) as { alerts: { identifier: string; status: string }[] };
    expect(
      Object.fromEntries(
        listed.alerts.filter((alert) => alert.identifier.startsWith('LY-NCM-STATUS-')).map((alert) => [alert.identifier, alert.status]),
      ),
    ).toEqual({
      'LY-NCM-STATUS-Actual': 'Actual',
      'LY-NCM-STATUS-Exercise': 'Exercise',
      'LY-NCM-STATUS-System': 'System',
      'LY-NCM-STATUS-Test': 'Test',
      'LY-NCM-STATUS-Draft': 'Draft',
    });
    // Update and Cancel still follow CAP, each within its kind: an exercise's Cancel naming the real
    // alert leaves it active; a real Cancel ends it.
    const cancel = (status: string, identifier: string) =>
      capFile('cap-flood-cancel.xml')
        .replace('<status>Actual</status>', `<status>${status}</status>`)
        .replace('LY-NCM-2026-11-25-0003', identifier)
        .replace('LY-NCM-2026-11-23-0002', 'LY-NCM-STATUS-Actual');
    const drillCancel = await cityApi.alerts.$post({ json: { format: 'cap', content: cancel('Exercise', 'LY-NCM-STATUS-CANCEL-1') } });
    expect(await drillCancel.json()).toMatchObject({ status: 'Exercise', msgType: 'Cancel', state: 'cancelled', supersedes: [] });
    const realCancel = await cityApi.alerts.$post({ json: { format: 'cap', content: cancel('Actual', 'LY-NCM-STATUS-CANCEL-2') } });
    expect(await realCancel.json()).toMatchObject({ status: 'Actual', supersedes: ['alerts@ncm.example.ly|LY-NCM-STATUS-Actual'] });
    const after = (await (await cityApi.alerts.$get({ query: {} })).json()) as { alerts: { identifier: string }[] };
    expect(
      after.alerts
        .map((alert) => alert.identifier)
        .filter((identifier) => identifier.startsWith('LY-NCM-STATUS-'))
        .sort(),
    ).toEqual(['LY-NCM-STATUS-Draft', 'LY-NCM-STATUS-Exercise', 'LY-NCM-STATUS-System', 'LY-NCM-STATUS-Test']);

    // A GDACS event is a real warning; a status CAP 1.2 does not define is refused, not guessed.
    const gdacs = await cityApi.alerts.$post({
      json: {
        format: 'gdacs',
        content: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [22.6, 32.7] },
              properties: { eventtype: 'EQ', eventid: 4242, alertlevel: 'Green', fromdate: '2026-11-29T00:00:00Z' },
            },
          ],
        },
      },
    });
    expect(((await gdacs.json()) as { status: string }).status).toBe('Actual');
    const unknown = await cityApi.alerts.$post({
      json: { format: 'cap', content: capFile('cap-flood-alert.xml').replace('<status>Actual</status>', '<status>Exercice</status>') },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/status "Exercice" is not a CAP 1\.2 status/);
  });
});
