// API speed on local workerd + D1 (wrangler dev on a temporary database, started and stopped here):
// sync of sealed ~1 KB records in batches of 10,000, and latency (p50, p99) and errors under 100
// concurrent connections.
// Baselines, same run, alternating with ours where they can:
// - sync: the same rows written to / read from a local SQLite file with node:sqlite in one
//   transaction, same columns, digest and base64 work, no HTTP, JSON, auth or Worker: an upper bound;
// - load: the same JSON bytes served by a plain node:http server on loopback: the floor of HTTP on
//   this machine, not a competitor.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSealingSession, sealJson, toBase64 } from '#crypto';
import { generateRecords, loadScenario } from '#fixtures';
import { createOrg, invite, signIn } from '../../scripts/lib/actors.ts';
import { projectRoot, startWorker } from '../../scripts/worker-process.ts';
import { serveOnLoopback } from '../../tests/support/local-server.ts';
import { type BenchGroup, type Metric, median, ratioOf, round, timeAlternating } from '../lib.ts';

const COMMAND = 'npm run bench -- api';
const BATCH = 10_000;
const RUNS = 3;
const LOAD_SECONDS = 8;
const CONNECTIONS = 100;

interface LoadResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

type Row = { id: string; version: number; envelope: string };

function throughputMetric(name: string, times: { ours: number[]; baseline: number[] }, baseline: string, note: string): Metric {
  const perSecond = (ms: number) => round(BATCH / (ms / 1000), 0);
  const value = perSecond(median(times.ours));
  const baselineValue = perSecond(median(times.baseline));
  return {
    name,
    value,
    unit: 'records/s',
    better: 'higher',
    baseline,
    baselineValue,
    ratio: ratioOf('higher', value, baselineValue),
    command: COMMAND,
    min: perSecond(Math.max(...times.ours)),
    max: perSecond(Math.min(...times.ours)),
    note,
  };
}

/** The same table the Worker writes (api/migrations/0001_init.sql), in a plain SQLite file. */
function baselineDatabase(directory: string) {
  const database = new DatabaseSync(path.join(directory, 'baseline.sqlite'), { enableForeignKeyConstraints: false });
  database.exec(readFileSync(path.join(projectRoot, 'api', 'migrations', '0001_init.sql'), 'utf8'));
  const insert = database.prepare(
    'INSERT OR IGNORE INTO records (org_id, record_id, version, digest, envelope, size, pushed_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const select = database.prepare(
    'SELECT seq, record_id, version, digest, envelope, received_at FROM records WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  return {
    push(rows: Row[]) {
      const receivedAt = new Date().toISOString();
      database.exec('BEGIN');
      for (const row of rows) {
        const bytes = Buffer.from(row.envelope, 'base64url');
        insert.run('org', row.id, row.version, createHash('sha256').update(bytes).digest('hex'), bytes, bytes.length, 'member', receivedAt);
      }
      database.exec('COMMIT');
    },
    pull() {
      const rows = select.all('org', 0, BATCH + 1) as {
        seq: number;
        record_id: string;
        version: number;
        digest: string;
        envelope: Uint8Array;
        received_at: string;
      }[];
      return JSON.stringify(
        rows.slice(0, BATCH).map((row) => ({
          seq: row.seq,
          id: row.record_id,
          version: row.version,
          digest: row.digest,
          envelope: Buffer.from(row.envelope).toString('base64url'),
          receivedAt: row.received_at,
        })),
      );
    },
    close: () => database.close(),
  };
}

async function loadMetrics(url: string, headers: Record<string, string>, body: string): Promise<Metric[]> {
  const server = await serveOnLoopback((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(body);
  });
  const plainUrl = `${server.origin}/`;
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
    const ours: LoadResult[] = [];
    const baseline: LoadResult[] = [];
    for (let run = 0; run < 2; run++) {
      ours.push(await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS / 2, headers }));
      baseline.push(await autocannon({ url: plainUrl, connections: CONNECTIONS, duration: LOAD_SECONDS / 2 }));
    }
    const p50 = round(median(ours.map((result) => result.latency.p50)));
    const baselineP50 = round(median(baseline.map((result) => result.latency.p50)));
    const p99 = round(median(ours.map((result) => result.latency.p99)));
    const baselineP99 = round(median(baseline.map((result) => result.latency.p99)));
    const failures = (results: LoadResult[]) => results.reduce((sum, result) => sum + result.errors + result.timeouts + result.non2xx, 0);
    const errors = failures(ours);
    const baselineErrors = failures(baseline);
    const requestsPerSecond = round(median(ours.map((result) => result.requests.average)), 0);
    const baselineRequests = round(median(baseline.map((result) => result.requests.average)), 0);
    const label = `plain node:http on loopback answering the same ${body.length}-byte JSON, same load, same run`;
    const loadNote = `autocannon, ${CONNECTIONS} connections, 2 x ${LOAD_SECONDS / 2} s after a 2 s warm-up, on GET /api/orgs/{orgId}/records?limit=10 with an officer's bearer token (auth lookup in D1, 10 sealed records); ${requestsPerSecond} req/s vs ${baselineRequests} req/s for the baseline`;
    return [
      {
        name: 'api.p50_ms_100_connections',
        value: p50,
        unit: 'ms',
        better: 'lower',
        baseline: label,
        baselineValue: baselineP50,
        ratio: ratioOf('lower', p50, baselineP50),
        command: COMMAND,
        min: round(Math.min(...ours.map((result) => result.latency.p50))),
        max: round(Math.max(...ours.map((result) => result.latency.p50))),
        note: loadNote,
      },
      {
        name: 'api.p99_ms_100_connections',
        value: p99,
        unit: 'ms',
        better: 'lower',
        baseline: label,
        baselineValue: baselineP99,
        ratio: ratioOf('lower', p99, baselineP99),
        command: COMMAND,
        min: round(Math.min(...ours.map((result) => result.latency.p99))),
        max: round(Math.max(...ours.map((result) => result.latency.p99))),
        note: loadNote,
      },
      {
        name: 'api.errors_100_connections',
        value: errors,
        unit: 'failed requests',
        better: 'lower',
        baseline: label,
        baselineValue: baselineErrors,
        ratio: errors === 0 ? 1 : ratioOf('lower', errors, Math.max(baselineErrors, 0)),
        command: COMMAND,
        note: `errors + timeouts + non-2xx over both runs (${ours.reduce((sum, result) => sum + result.requests.average * (LOAD_SECONDS / 2), 0).toFixed(0)} requests or so); ratio 1 when both are zero`,
      },
    ];
  } finally {
    await server.close();
  }
}

const group: BenchGroup = {
  name: 'api',
  async run() {
    const persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-bench-api-'));
    const baselineDirectory = mkdtempSync(path.join(os.tmpdir(), 'buffer-bench-sqlite-'));
    const worker = await startWorker({ persistTo, quiet: true });
    const baseline = baselineDatabase(baselineDirectory);
    try {
      const officer = await createOrg(worker.url, { name: 'Bench CSO' });
      const field = await invite(officer, 'field', 'bench device');
      const fieldToken = await signIn(field);
      const officerToken = await signIn(officer);

      // About 1 KB of realistic plaintext per record: generated communities with their history.
      const bodies = generateRecords(loadScenario('libya-2011'), {
        seed: 'bench-api',
        communities: BATCH,
        personsPerCommunity: 0,
      }).communities;
      const session = openSealingSession(field.orgId, field.orgPublicKey);
      let batchNumber = 0;
      const sealBatch = (): Row[] => {
        batchNumber++;
        return bodies.map((body, index) => {
          const id = `bench-${batchNumber}-${index}-${body.id.slice(0, 8)}`;
          return { id, version: 1, envelope: toBase64(sealJson(session, id, 1, body)) };
        });
      };
      const averagePlaintext = bodies.reduce((sum, body) => sum + JSON.stringify(body).length, 0) / bodies.length;

      // Push: one batch of 10,000 per run (fresh ids, sealed beforehand; only the sync is timed).
      const pending: { ours: Row[][]; baseline: Row[][] } = { ours: [], baseline: [] };
      for (let run = 0; run <= RUNS; run++) {
        const rows = sealBatch();
        pending.ours.push(rows);
        pending.baseline.push(rows);
      }
      const averageEnvelope = pending.ours[0]!.reduce((sum, row) => sum + row.envelope.length * 0.75, 0) / BATCH;
      const pushTimes = await timeAlternating(
        async () => {
          const records = pending.ours.shift()!;
          const response = await fetch(`${worker.url}/api/orgs/${field.orgId}/records`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${fieldToken}` },
            body: JSON.stringify({ records }),
          });
          const result = (await response.json()) as { stored?: number };
          if (response.status !== 200 || result.stored !== BATCH)
            throw new Error(`push failed: ${response.status} ${JSON.stringify(result)}`);
        },
        () => baseline.push(pending.baseline.shift()!),
        RUNS,
      );

      const pullTimes = await timeAlternating(
        async () => {
          const response = await fetch(`${worker.url}/api/orgs/${officer.orgId}/records?after=0&limit=${BATCH}`, {
            headers: { authorization: `Bearer ${officerToken}` },
          });
          const page = (await response.json()) as { records?: unknown[] };
          if (response.status !== 200 || page.records?.length !== BATCH) throw new Error(`pull failed: ${response.status}`);
        },
        () => {
          if ((JSON.parse(baseline.pull()) as unknown[]).length !== BATCH) throw new Error('baseline pull short');
        },
        RUNS,
      );

      const sizes = `plaintext ~${Math.round(averagePlaintext)} B, sealed envelope ~${Math.round(averageEnvelope)} B`;
      const upperBound =
        'node:sqlite, same rows in one transaction on a local file, no HTTP/JSON/auth/Worker (an upper bound, not a competitor)';
      const metrics: Metric[] = [
        throughputMetric(
          'api.push_records_per_s',
          pushTimes,
          upperBound,
          `POST of 10,000 sealed records (${sizes}) to wrangler dev (workerd + local D1), median of ${RUNS} after a warm-up; includes JSON parse, zod validation, SHA-256 per envelope and one db.batch`,
        ),
        throughputMetric(
          'api.pull_records_per_s',
          pullTimes,
          upperBound,
          `GET of one 10,000-record page with an officer's token, response parsed by the client, median of ${RUNS} after a warm-up`,
        ),
      ];

      const sample = await fetch(`${worker.url}/api/orgs/${officer.orgId}/records?limit=10`, {
        headers: { authorization: `Bearer ${officerToken}` },
      });
      metrics.push(
        ...(await loadMetrics(
          `${worker.url}/api/orgs/${officer.orgId}/records?limit=10`,
          { authorization: `Bearer ${officerToken}` },
          await sample.text(),
        )),
      );
      return { metrics };
    } finally {
      baseline.close();
      await worker.stop();
      rmSync(persistTo, { recursive: true, force: true });
      rmSync(baselineDirectory, { recursive: true, force: true });
    }
  },
};

export default group;
