// Alert feeds on the real Worker: officers follow public CAP and GDACS feeds served here by a local
// HTTP server, polls import what is new (once), the cron trigger polls what is due, and a broken
// feed is reported on the feed without breaking anything else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, invite, rawRequest, signIn, type Actor } from '../../scripts/lib/actors.ts';
import { projectRoot } from '../../scripts/worker-process.ts';
import { serveOnLoopback, type LocalServer } from '../support/local-server.ts';
import { fetchUrlProblem, MAX_FEEDS_PER_ORG } from '../../api/src/alerts/feeds.ts';

const baseUrl = inject('workerUrl');
const capFile = (name: string) => readFileSync(path.join(projectRoot, 'contingency-plans', 'test-data', name), 'utf8');

/** What the local "alerting authority" serves; tests change it between polls. */
const served = new Map<string, { type: string; body: string; status?: number; location?: string }>();
const hits: string[] = [];
let server: LocalServer;
let origin: string;

let officer: Actor;
let officerToken: string;
let field: Actor;
let other: Actor;

beforeAll(async () => {
  server = await serveOnLoopback((request, response) => {
    hits.push(request.url ?? '');
    const entry = served.get(request.url ?? '');
    if (!entry) return void response.writeHead(404).end('not here');
    response
      .writeHead(entry.status ?? 200, { 'content-type': entry.type, ...(entry.location ? { location: entry.location } : {}) })
      .end(entry.body);
  });
  origin = server.origin;
  officer = await createOrg(baseUrl, { kind: 'city', name: 'Derna Crisis Cell (feeds)' });
  officerToken = await signIn(officer);
  field = await invite(officer, 'field');
  other = await createOrg(baseUrl, { kind: 'cso', name: 'Another org (feeds)' });
});

afterAll(() => server?.close());

async function call(method: string, route: string, body?: unknown, token = officerToken) {
  const response = await rawRequest(baseUrl, method, `/api/alerts${route}`, body === undefined ? undefined : JSON.stringify(body), {
    authorization: `Bearer ${token}`,
  });
  return { status: response.status, json: response.json as any };
}

const activeIdentifiers = async () =>
  ((await call('GET', '?state=active')).json.alerts as { identifier: string }[]).map((alert) => alert.identifier).sort();

const atomIndex = (...links: string[]) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Derna alerts</title>${links
    .map(
      (link, index) =>
        `<entry><id>e${index}</id><updated>2026-11-30T10:00:00Z</updated><link rel="alternate" type="application/cap+xml" href="${link}"/></entry>`,
    )
    .join('')}</feed>`;

describe('alert feeds', () => {
  it('follow a CAP index: a poll imports each new alert once, an Update supersedes, a second poll fetches nothing again', async () => {
    served.set('/cap/alert.xml', { type: 'application/cap+xml', body: capFile('cap-flood-alert.xml') });
    served.set('/cap/update.xml', { type: 'application/cap+xml', body: capFile('cap-flood-update.xml') });
    served.set('/atom.xml', { type: 'application/atom+xml', body: atomIndex('cap/alert.xml') });
    const created = await call('POST', '/feeds', { label: 'Wadi Derna authority', url: `${origin}/atom.xml`, format: 'cap-feed' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ format: 'cap-feed', intervalMinutes: 10, lastPolledAt: null });
    const feedId = created.json.id as string;

    const first = await call('POST', `/feeds/${feedId}/poll`);
    expect(first.status).toBe(200);
    expect(first.json.result).toMatchObject({ status: 'ok', imported: 1, failed: 0 });
    expect(first.json.feed).toMatchObject({ lastStatus: 'ok', lastImported: 1 });
    expect(await activeIdentifiers()).toHaveLength(1);

    served.set('/atom.xml', { type: 'application/atom+xml', body: atomIndex('cap/update.xml', 'cap/alert.xml') });
    hits.length = 0;
    const second = await call('POST', `/feeds/${feedId}/poll`);
    expect(second.json.result).toMatchObject({ status: 'ok', imported: 1, alreadyKnown: 1 });
    expect(hits).toEqual(['/atom.xml', '/cap/update.xml']); // the alert already read is not fetched again
    const active = await activeIdentifiers();
    expect(active).toHaveLength(1);
    expect(active[0]).toMatch(/0002|update/i);

    const again = await call('POST', `/feeds/${feedId}/poll`);
    expect(again.json.result).toMatchObject({ imported: 0, alreadyKnown: 2 });
    expect((await call('POST', '/feeds', { label: 'twice', url: `${origin}/atom.xml`, format: 'cap-feed' })).status).toBe(409);
  });

  it('counts an exercise, test, system message or draft from a feed apart: never as a new real alert', async () => {
    const exercise = capFile('cap-flood-alert.xml')
      .replace('<status>Actual</status>', '<status>Exercise</status>')
      .replace('LY-NCM-2026-11-23-0001', 'LY-NCM-FEED-EXERCISE-0001');
    served.set('/cap/exercise.xml', { type: 'application/cap+xml', body: exercise });
    served.set('/drill.xml', { type: 'application/atom+xml', body: atomIndex('cap/exercise.xml') });
    const created = await call('POST', '/feeds', { label: 'Derna drill', url: `${origin}/drill.xml`, format: 'cap-feed' });
    const polled = await call('POST', `/feeds/${created.json.id}/poll`);
    expect(polled.json.result).toMatchObject({ status: 'ok', imported: 0, notRealWarnings: 1, failed: 0 });
    expect(polled.json.result.message).toBe('0 new, 1 not a real alert (exercise, test, system message or draft), 0 already known');
    expect(polled.json.feed).toMatchObject({ lastStatus: 'ok', lastImported: 0 });
    const listed = (await call('GET', '?state=active')).json.alerts as { identifier: string; status: string }[];
    expect(listed.find((alert) => alert.identifier === 'LY-NCM-FEED-EXERCISE-0001')?.status).toBe('Exercise');
  });

  it('follow a GDACS GeoJSON feed: each event is one alert, the cron trigger polls feeds that are due', async () => {
    const feature = (eventid: number, episodeid: number) => ({
      type: 'Feature',
      geometry: {
        type: 'Polygon',
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
      properties: { eventtype: 'FL', eventid, episodeid, alertlevel: 'Orange', name: `Flood ${eventid}`, fromdate: '2026-11-29T00:00:00Z' },
    });
    served.set('/gdacs.geojson', {
      type: 'application/geo+json',
      body: JSON.stringify({
        type: 'FeatureCollection',
        features: [feature(7001, 1), feature(7002, 1), { type: 'Feature', geometry: null, properties: { eventtype: 'EQ' } }],
      }),
    });
    const created = await call('POST', '/feeds', {
      label: 'GDACS floods',
      url: `${origin}/gdacs.geojson`,
      format: 'gdacs',
      intervalMinutes: 5,
    });
    expect(created.status).toBe(201);

    // wrangler dev --test-scheduled: the cron handler, as the deployed trigger would run it.
    const cron = await fetch(`${baseUrl}/__scheduled?cron=*/10+*+*+*+*`);
    expect(cron.status).toBe(200);
    const feeds = (await call('GET', '/feeds')).json.feeds as {
      id: string;
      lastStatus: string;
      lastImported: number;
      lastMessage: string;
    }[];
    const gdacs = feeds.find((feed) => feed.id === created.json.id)!;
    expect(gdacs).toMatchObject({ lastStatus: 'ok', lastImported: 2 });
    expect(gdacs.lastMessage).toMatch(/2 new.*1 could not be read.*EQ/);
    expect(await activeIdentifiers()).toEqual(expect.arrayContaining(['FL7001-1', 'FL7002-1']));

    // Polled a moment ago: the next cron run leaves it alone.
    hits.length = 0;
    await fetch(`${baseUrl}/__scheduled?cron=*/10+*+*+*+*`);
    expect(hits.filter((hit) => hit === '/gdacs.geojson')).toEqual([]);
  });

  it('reports a feed that fails on the feed, and changes no alert', async () => {
    const before = await activeIdentifiers();
    served.set('/broken.xml', { type: 'text/html', body: '<html><body>maintenance</body></html>' });
    const broken = await call('POST', '/feeds', { label: 'broken', url: `${origin}/broken.xml`, format: 'cap-feed' });
    const polled = await call('POST', `/feeds/${broken.json.id}/poll`);
    expect(polled.json.result).toMatchObject({ status: 'error', imported: 0 });
    expect(polled.json.result.message).toMatch(/Atom <feed> or an RSS <rss>.*<html>/);

    const missing = await call('POST', '/feeds', { label: 'gone', url: `${origin}/gone.xml`, format: 'cap' });
    const gone = await call('POST', `/feeds/${missing.json.id}/poll`);
    expect(gone.json.result).toMatchObject({ status: 'error' });
    expect(gone.json.result.message).toMatch(/answered 404/);
    expect(await activeIdentifiers()).toEqual(before);
  });

  it('refuses bad feeds with a clear message, and keeps feeds to officers of their own organisation', async () => {
    const bad = [
      [{ label: 'x', url: 'ftp://alerts.example/cap.xml', format: 'cap' }, /ftp: is not a web address/],
      [{ label: 'x', url: 'https://user:secret@alerts.example/cap.xml', format: 'cap' }, /user name or password/],
      [{ label: 'x', url: 'not a url', format: 'cap' }, /not a URL/],
      [{ label: 'x', url: 'https://alerts.example/cap.xml', format: 'rss' }, /format/],
      [{ label: 'x', url: 'https://alerts.example/cap.xml', format: 'cap', intervalMinutes: 1 }, /at most every 5 minutes/],
    ] as const;
    for (const [body, message] of bad) {
      const response = await call('POST', '/feeds', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json.error.message).toMatch(message);
    }
    const feeds = (await call('GET', '/feeds')).json.feeds as { id: string }[];
    expect(feeds.length).toBeGreaterThanOrEqual(3);
    expect((await call('GET', '/feeds', undefined, await signIn(field))).status).toBe(403);
    const otherToken = await signIn(other);
    expect((await call('GET', '/feeds', undefined, otherToken)).json.feeds).toEqual([]);
    expect((await call('POST', `/feeds/${feeds[0]!.id}/poll`, undefined, otherToken)).status).toBe(404);
    expect((await call('DELETE', `/feeds/${feeds[0]!.id}`, undefined, otherToken)).status).toBe(404);
    expect((await call('DELETE', `/feeds/${feeds[0]!.id}`)).json).toEqual({ deleted: true });
    expect(((await call('GET', '/feeds')).json.feeds as unknown[]).length).toBe(feeds.length - 1);
  });

  // Issue 15, finding 6. On 285cf2d redirects were followed anywhere, a CAP index could point the
  // Worker at plain http even with ALLOW_HTTP_FEEDS off, and an organisation could follow any
  // number of feeds (each poll up to 21 fetches of 10 s in the cron run).
  it('follows redirects only on the feed’s own site', async () => {
    served.set('/moved.xml', { type: 'text/plain', body: '', status: 301, location: '/cap/alert.xml' });
    served.set('/away.xml', {
      type: 'text/plain',
      body: '',
      status: 302,
      location: `${origin.replace('127.0.0.1', 'localhost')}/cap/alert.xml`,
    });
    const moved = await call('POST', '/feeds', { label: 'moved', url: `${origin}/moved.xml`, format: 'cap' });
    hits.length = 0;
    expect((await call('POST', `/feeds/${moved.json.id}/poll`)).json.result).toMatchObject({ status: 'ok', failed: 0 });
    expect(hits).toEqual(['/moved.xml', '/cap/alert.xml']);
    const away = await call('POST', '/feeds', { label: 'away', url: `${origin}/away.xml`, format: 'cap' });
    hits.length = 0;
    const refused = (await call('POST', `/feeds/${away.json.id}/poll`)).json.result;
    expect(refused).toMatchObject({ status: 'error', imported: 0 });
    expect(refused.message).toMatch(/redirects to another site \(http:\/\/localhost:\d+\)/);
    expect(hits).toEqual(['/away.xml']); // the other site was never asked
  });

  it('fetches only https documents, whatever a feed index links to (plain http only in local runs)', () => {
    expect(fetchUrlProblem('https://alerts.example/cap/1.xml', false)).toBeNull();
    expect(fetchUrlProblem('http://alerts.example/cap/1.xml', false)).toMatch(/not an https:\/\/ address/);
    expect(fetchUrlProblem('http://alerts.example/cap/1.xml', true)).toBeNull();
    expect(fetchUrlProblem('ftp://alerts.example/cap/1.xml', true)).toMatch(/not an https:\/\/ address/);
    expect(fetchUrlProblem('https://user:pw@alerts.example/cap/1.xml', false)).toMatch(/user name or password/);
  });

  it(`lets an organisation follow at most ${MAX_FEEDS_PER_ORG} feeds`, async () => {
    const token = await signIn(other);
    for (let index = 0; index < MAX_FEEDS_PER_ORG; index++) {
      expect(
        (
          await call(
            'POST',
            '/feeds',
            { label: `feed ${index}`, url: `${origin}/many/${index}.xml`, format: 'cap', intervalMinutes: 1440 },
            token,
          )
        ).status,
      ).toBe(201);
    }
    const refused = await call('POST', '/feeds', { label: 'one too many', url: `${origin}/many/extra.xml`, format: 'cap' }, token);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(new RegExp(`follows ${MAX_FEEDS_PER_ORG} feeds, the most it can`));
    expect(((await call('GET', '/feeds', undefined, token)).json.feeds as unknown[]).length).toBe(MAX_FEEDS_PER_ORG);
  });
});
