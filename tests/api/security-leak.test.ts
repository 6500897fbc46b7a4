// Ciphertext only at rest, and nothing in the logs: records with known names, phones and positions
// (the seeded fixtures generator) are sealed and pushed by a field device as the client does, pulled
// by an officer, summarised, released to a consulate and left to expire; then every byte the Worker stored under persistTo and everything it printed is
// scanned for the names and phones (plain, base64, hex) and for the positions (any rendering within
// about 1 km, as text and as float bytes). The scanners first prove they find what they look for.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordOpener, fromBase64, openJson, openSealingSession, sealJson, toBase64 } from '#crypto';
import { generateRecords, loadScenario } from '#fixtures';
import { addPartner, client, createOrg, invite, signIn, type Actor } from '../../scripts/lib/actors.ts';
import type { RunningWorker } from '../../scripts/worker-process.ts';
import { startOwnWorker } from '../faults/worker.ts';
import { scanForSecrets } from '../support/leak-scan.ts';
import { collectWorkerLogs, wranglerLogDirectory } from '../support/worker-logs.ts';
import { scanForCoordinates, type Position } from '../security/coordinate-scan.ts';
import { queryD1 } from '../faults/d1.ts';
import { canonicalize, sign } from '#crypto';
import { buildSummary } from '#plans/summary';
import { summarySigningPayload } from '#plans/signing';
import { api, buildRequest, decide, download, fileRequest, makeBundle, uploadRelease } from '../support/activation-actors.ts';
import { grantOrgKey } from '../../scripts/lib/actors.ts';

const generated = generateRecords(loadScenario('libya-2011'), { seed: 'leak-scan-issue-8', communities: 60, personsPerCommunity: 2 });
const records = [...generated.communities, ...generated.persons];

const secrets = [
  ...new Set(
    records.flatMap((record) => {
      const found: (string | undefined)[] = [record.name];
      if (record.kind === 'community') found.push(record.contact?.name, record.contact?.phone);
      else found.push(record.nameLatin, record.phone, record.familyContact?.name, record.familyContact?.phone);
      return found.filter((value): value is string => typeof value === 'string' && value.length >= 6);
    }),
  ),
];
const positions: Position[] = records.flatMap((record) => [
  ...(record.location ? [record.location] : []),
  ...record.history.flatMap((entry) => (entry.location ? [entry.location] : [])),
]);

let worker: RunningWorker;
let persistTo: string;
const testStarted = Date.now();
let scratch: string;
let cso: Actor;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-leak-'));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'buffer-leak-scratch-'));
  worker = await startOwnWorker({ persistTo, quiet: true });
  cso = await createOrg(worker.url, { name: 'Leak-scan CSO' });
});

afterAll(async () => {
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('the scanners find what they look for', () => {
  it('finds a planted coordinate as text at several precisions and as float64/float32 bytes, and not in a timestamp', () => {
    const { lon, lat } = positions[0]!;
    const plant = (name: string, content: Buffer | string) => {
      const directory = mkdtempSync(path.join(scratch, 'plant-'));
      writeFileSync(
        path.join(directory, name),
        Buffer.concat([
          Buffer.from(crypto.getRandomValues(new Uint8Array(4096))),
          Buffer.from(content),
          Buffer.from(crypto.getRandomValues(new Uint8Array(4096))),
        ]),
      );
      return scanForCoordinates(directory, [{ lon, lat }]).hits;
    };
    const float64 = (value: number, littleEndian: boolean) => {
      const bytes = Buffer.alloc(8);
      if (littleEndian) bytes.writeDoubleLE(value);
      else bytes.writeDoubleBE(value);
      return bytes;
    };
    const float32Pair = (first: number, second: number) => {
      const bytes = Buffer.alloc(8);
      bytes.writeFloatLE(first, 0);
      bytes.writeFloatLE(second, 4);
      return bytes;
    };
    expect(plant('json.txt', `{"lat":${lat},"lon":${lon}}`).length).toBeGreaterThanOrEqual(2);
    expect(plant('short.txt', `at ${lat.toFixed(2)} north`)).toHaveLength(1);
    expect(plant('long.txt', `y=${lat.toFixed(9)}`)).toHaveLength(1);
    expect(plant('le.bin', float64(lat, true))).toHaveLength(1);
    expect(plant('be.bin', float64(Math.round(lon * 1000) / 1000, false))).toHaveLength(1);
    expect(plant('pair.bin', float32Pair(lon, lat))).toHaveLength(1);
    expect(
      plant(
        'clock.txt',
        `2011-02-20T03:25:${String(Math.trunc(lat)).padStart(2, '0')}.${String(Math.trunc((lat % 1) * 1000)).padStart(3, '0')}Z`,
      ),
    ).toEqual([]);
    expect(plant('far.txt', `${(lat + 0.5).toFixed(5)} ${(lon - 0.5).toFixed(5)}`)).toEqual([]);
  });

  it('finds a planted name and phone in plain, base64 and hex', () => {
    const [name, phone] = [secrets.find((secret) => /[a-z]/.test(secret))!, secrets.find((secret) => /^\+\d+$/.test(secret))!];
    expect(phone).toBeDefined();
    for (const content of [`..${name}..`, Buffer.from(`x${name}`).toString('base64'), Buffer.from(phone).toString('hex')]) {
      const directory = mkdtempSync(path.join(scratch, 'plant-'));
      writeFileSync(path.join(directory, 'stored.bin'), content);
      expect(scanForSecrets(directory, [name, phone]).hits.length).toBeGreaterThan(0);
    }
  });
});

describe('what the server keeps and prints', () => {
  it('holds no name, phone or position of the records a field device pushed', async () => {
    expect(records.length).toBeGreaterThanOrEqual(150);
    expect(secrets.length).toBeGreaterThanOrEqual(200);
    expect(positions.length).toBeGreaterThanOrEqual(300);

    const field = await invite(cso, 'field', 'field tablet');
    const session = openSealingSession(field.orgId, field.orgPublicKey);
    const sealed = records.map((record) => ({ id: record.id, version: 1, envelope: toBase64(sealJson(session, record.id, 1, record)) }));
    const pushApi = client(worker.url, await signIn(field)).api.orgs[':orgId'].records;
    for (let start = 0; start < sealed.length; start += 50) {
      const response = await pushApi.$post({ param: { orgId: field.orgId }, json: { records: sealed.slice(start, start + 50) } });
      expect(response.status).toBe(200);
    }

    // An officer pulls and opens them: the server held real, readable-to-officers records.
    const page = await (
      await client(worker.url, await signIn(cso)).api.orgs[':orgId'].records.$get({ param: { orgId: cso.orgId }, query: { limit: '1000' } })
    ).json();
    if (!('records' in page)) throw new Error(JSON.stringify(page));
    expect(page.records).toHaveLength(records.length);
    const opener = createRecordOpener(cso.orgId, cso.orgKeys!);
    const first = page.records.find((record) => record.id === records[0]!.id)!;
    expect(openJson(opener, first.id, first.version, fromBase64(first.envelope))).toEqual(records[0]);
    expect(queryD1<{ count: number }>(persistTo, 'SELECT COUNT(*) AS count FROM records')[0]?.count).toBe(records.length);

    // Every other workflow that touches these people: a published summary, an activation with a
    // release that is downloaded, and a second release left to expire (the sweep deletes it).
    const scenario = loadScenario('libya-2011');
    const summary = buildSummary(
      generated.communities.map((community) => ({
        id: community.id,
        lon: community.location.lon,
        lat: community.location.lat,
        headcount: community.headcount.total,
        nationalities: community.nationalities,
        needs: community.needs,
        vulnerabilities: community.vulnerabilities,
      })),
      scenario.boundaries.features.map((feature) => ({
        id: String(feature.properties.id),
        name: String(feature.properties.name),
        geometry: feature.geometry,
      })) as never,
      { orgId: cso.orgId, generatedAt: new Date().toISOString(), threshold: 5, dimensions: ['need'] },
    );
    if (!summary.ok) throw new Error(JSON.stringify(summary));
    const published = await (await api(cso)).orgs[':orgId'].summaries.$post({
      param: { orgId: cso.orgId },
      json: { summary: summary.value as never, signature: toBase64(sign(canonicalize(summarySigningPayload(summary.value)), cso.keys)) },
    });
    expect(published.status).toBe(201);
    const second = await grantOrgKey(cso, await invite(cso, 'officer', 'second officer'));
    const consulate = await createOrg(worker.url, {
      kind: 'consulate',
      name: 'Leak-scan consulate',
      nationalities: ['NP', 'BD', 'EG', 'SD', 'IN', 'PK', 'PH', 'GH', 'NG', 'TD', 'NE', 'ET', 'ER', 'LK', 'VN', 'SY'],
    });
    expect((await addPartner(cso, consulate)).status).toBe(200);
    // The requested area lies far from every record, so its public coordinates cannot be mistaken for theirs.
    const farArea = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [11.0, 24.0],
          [11.5, 24.0],
          [11.5, 24.5],
          [11.0, 24.5],
          [11.0, 24.0],
        ],
      ],
    };
    for (const expiresInMs of [86_400_000, 3_000]) {
      const request = buildRequest(consulate, [cso.orgId], {
        area: farArea,
        nationalities: ['NP'],
        fields: ['names', 'contact', 'location', 'documents'],
        expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
      });
      const { hash, response } = await fileRequest(consulate, request);
      expect(response.status).toBe(201);
      expect((await decide(cso, hash, 'approve')).status).toBe(200);
      expect((await decide(second, hash, 'approve')).status).toBe(200);
      const uploaded = await uploadRelease(cso, hash, makeBundle(cso, request, hash, records as never, consulate.orgPublicKey));
      expect(uploaded.status).toBe(201);
      if (expiresInMs > 3_000) expect((await download(consulate, hash, uploaded.bundleId)).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await (await api(consulate)).activations.$get({ query: { direction: 'outgoing' } }); // runs the expiry sweep
    expect(queryD1<{ count: number }>(persistTo, "SELECT COUNT(*) AS count FROM releases WHERE status = 'expired'")[0]?.count).toBe(1);

    await worker.stop();
    const logs = mkdtempSync(path.join(scratch, 'logs-'));
    const { wranglerLogs } = collectWorkerLogs(worker, testStarted, logs);
    if (existsSync(wranglerLogDirectory()))
      expect(wranglerLogs, `no wrangler log of this run in ${wranglerLogDirectory()}`).toBeGreaterThan(0);

    for (const directory of [persistTo, logs]) {
      const names = scanForSecrets(directory, secrets);
      const places = scanForCoordinates(directory, positions);
      expect(names.files).toBeGreaterThan(0);
      expect(names.hits.map((hit) => `${hit.file}: ${hit.encoding}`)).toEqual([]);
      expect(places.hits.map((hit) => `${hit.source}@${hit.offset}: ${hit.form}`)).toEqual([]);
    }
    const stored = scanForSecrets(persistTo, []);
    expect(stored.bytes).toBeGreaterThan(sealed.reduce((sum, record) => sum + record.envelope.length * 0.75, 0));
    const printed = scanForSecrets(logs, []);
    console.log(
      `leak scan: ${records.length} records, ${secrets.length} names and phones, ${positions.length} positions; ${stored.files} files, ${stored.bytes} bytes stored; ${printed.files} log files, ${printed.bytes} bytes of worker output and wrangler logs: 0 hits`,
    );
  });
});
