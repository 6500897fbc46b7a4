// Sync under faults, on its own Worker and database. Field devices push their outboxes through a
// proxy that cuts connections at seeded random points of requests and responses; batches are
// re-sent (duplicates) and sent out of order (version 2 before version 1); the Worker is killed and
// a second wrangler dev started on the same database mid-sync. Afterwards every record version every
// device made is on the server exactly once (id + version + digest): none lost, none duplicated.
// Then a real D1 failure half-way through a batch (a trigger that aborts on a poison record) must
// leave nothing of that batch stored.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSealingSession, sealJson, toBase64, type SealingSession } from '#crypto';
import { createRandom, type Random } from '#fixtures';
import { createOrg, invite, rawRequest, signIn, type Actor } from '../../scripts/lib/actors.ts';
import type { RunningWorker } from '../../scripts/worker-process.ts';
import { startOwnWorker } from '../faults/worker.ts';
import { executeD1, queryD1 } from '../faults/d1.ts';
import { httpRequest, startFaultyProxy, type FaultyProxy } from '../faults/proxy.ts';

const SEED = 'faults-issue-8';
const DEVICES = 4;
const ROUNDS = 8;
/** Rounds in which the Worker is killed mid-sync, after a seeded number of pushes. */
const RESTART_ROUNDS = [2, 5];
const NEW_RECORDS_PER_ROUND = 12;
const EDITS_PER_ROUND = 4;
const ATTEMPTS_PER_ROUND = 200;

let worker: RunningWorker;
let persistTo: string;
let cso: Actor;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(os.tmpdir(), 'buffer-faults-'));
  worker = await startOwnWorker({ persistTo, quiet: true });
  cso = await createOrg(worker.url, { name: 'Faults CSO' });
});

afterAll(async () => {
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

interface Entry {
  id: string;
  version: number;
  envelope: string;
  digest: string;
}

interface Device {
  actor: Actor;
  token: string;
  random: Random;
  session: SealingSession;
  outbox: Entry[];
  made: Entry[];
  latest: Map<string, number>;
}

const digestOf = (envelope: string) => createHash('sha256').update(Buffer.from(envelope, 'base64url')).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function seal(device: Device, id: string, version: number, round: number): Entry {
  const envelope = toBase64(
    sealJson(device.session, id, version, { kind: 'community', name: `site ${id.slice(0, 6)} v${version}`, round }),
  );
  return { id, version, envelope, digest: digestOf(envelope) };
}

/** A device's work for one round: new records and edits of earlier ones, queued in its outbox. */
function capture(device: Device, round: number) {
  for (let index = 0; index < NEW_RECORDS_PER_ROUND; index++) {
    const id = `dev${device.actor.memberId.slice(0, 8)}-r${round}-${index}-${Math.floor(device.random.next() * 1e9)}`;
    const entry = seal(device, id, 1, round);
    device.latest.set(id, 1);
    device.outbox.push(entry);
    device.made.push(entry);
  }
  const ids = [...device.latest.keys()];
  for (let index = 0; index < EDITS_PER_ROUND; index++) {
    const id = ids[Math.floor(device.random.next() * ids.length)]!;
    const version = device.latest.get(id)! + 1;
    device.latest.set(id, version);
    const entry = seal(device, id, version, round);
    device.outbox.push(entry);
    device.made.push(entry);
  }
}

interface Tally {
  attempts: number;
  failures: number;
  duplicatesSent: number;
  duplicatesAcknowledged: number;
  serverErrors: number;
  /** Pushes that failed while the Worker was down. */
  failedWhileDown: number;
  down: boolean;
}

/** Drains the outbox through the proxy: random batches in random order, retries, and re-sends. */
async function drain(device: Device, proxy: FaultyProxy, tally: Tally) {
  let consecutiveFailures = 0;
  const backOff = () => sleep(Math.min(1000, 40 * 2 ** consecutiveFailures++) + Math.floor(device.random.next() * 50));
  for (let attempt = 0; attempt < ATTEMPTS_PER_ROUND && device.outbox.length > 0; attempt++) {
    // Out of order: any entries, so an edit may go before the version it follows.
    const size = 1 + Math.floor(device.random.next() * Math.min(15, device.outbox.length));
    const batch: Entry[] = [];
    const pool = [...device.outbox];
    while (batch.length < size) batch.push(pool.splice(Math.floor(device.random.next() * pool.length), 1)[0]!);
    const body = JSON.stringify({ records: batch.map(({ id, version, envelope }) => ({ id, version, envelope })) });
    tally.attempts++;
    try {
      const answer = await httpRequest(proxy.url, 'POST', `/api/orgs/${device.actor.orgId}/records`, body, {
        authorization: `Bearer ${device.token}`,
      });
      if (answer.status === 200) {
        consecutiveFailures = 0;
        const sent = new Set(batch);
        device.outbox = device.outbox.filter((entry) => !sent.has(entry));
        const result = JSON.parse(answer.text) as { received: number; stored: number; duplicates: number };
        expect(result.received).toBe(batch.length);
        tally.duplicatesAcknowledged += result.duplicates;
        if (device.random.next() < 0.25) {
          // A duplicate delivery of a batch already acknowledged.
          tally.duplicatesSent++;
          await httpRequest(proxy.url, 'POST', `/api/orgs/${device.actor.orgId}/records`, body, {
            authorization: `Bearer ${device.token}`,
          }).catch(() => undefined);
        }
      } else {
        if (answer.status >= 500) tally.serverErrors++;
        tally.failures++;
        await backOff();
      }
    } catch {
      tally.failures++;
      if (tally.down) tally.failedWhileDown++;
      await backOff();
    }
  }
}

async function pullAll(token: string): Promise<{ id: string; version: number; digest: string; envelope: string }[]> {
  const all: { id: string; version: number; digest: string; envelope: string }[] = [];
  let after = 0;
  for (let page = 0; page < 50; page++) {
    const response = await rawRequest(worker.url, 'GET', `/api/orgs/${cso.orgId}/records?after=${after}&limit=10000`, undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(200);
    const body = response.json as unknown as {
      records: { id: string; version: number; digest: string; envelope: string }[];
      cursor: number;
      more: boolean;
    };
    all.push(...body.records);
    after = body.cursor;
    if (!body.more) break;
  }
  return all;
}

describe('sync under faults', () => {
  it('ends with every record version on the server exactly once, through cut connections, duplicates, reordering and a restart', async () => {
    const started = Date.now();
    const random = createRandom(SEED);
    const proxy = await startFaultyProxy(worker.port, createRandom(`${SEED} proxy`), {
      cutRequest: 0.2,
      cutResponse: 0.2,
      maxRequestBytes: 30_000,
      maxResponseBytes: 500,
    });
    const devices: Device[] = [];
    for (let index = 0; index < DEVICES; index++) {
      const actor = await invite(cso, 'field', `device ${index}`);
      devices.push({
        actor,
        token: await signIn(actor),
        random: createRandom(`${SEED} device ${index}`),
        session: openSealingSession(actor.orgId, actor.orgPublicKey),
        outbox: [],
        made: [],
        latest: new Map(),
      });
    }
    const tally: Tally = {
      attempts: 0,
      failures: 0,
      duplicatesSent: 0,
      duplicatesAcknowledged: 0,
      serverErrors: 0,
      failedWhileDown: 0,
      down: false,
    };
    let restarts = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const device of devices) capture(device, round);
        const syncing = Promise.all(devices.map((device) => drain(device, proxy, tally)));
        if (RESTART_ROUNDS.includes(round)) {
          // Kill the Worker mid-sync (after a seeded number of this round's pushes) and start a
          // second wrangler dev on the same database and port.
          const killAfter = tally.attempts + 2 + Math.floor(random.next() * 6);
          for (let wait = 0; wait < 500 && tally.attempts < killAfter; wait++) await sleep(10);
          const port = worker.port;
          tally.down = true;
          await worker.stop();
          worker = await startOwnWorker({ persistTo, port, quiet: true });
          proxy.target.port = worker.port; // the same port, unless another process took it meanwhile
          tally.down = false;
          restarts++;
        }
        await syncing;
        for (const device of devices) expect(device.outbox, `round ${round}: a device could not drain its outbox`).toEqual([]);
      }
    } finally {
      await proxy.close();
    }

    const made = devices.flatMap((device) => device.made);
    const stored = await pullAll(await signIn(cso));
    const key = (entry: { id: string; version: number; digest: string }) => `${entry.id}#${entry.version}#${entry.digest}`;
    const storedKeys = stored.map(key);
    expect(new Set(storedKeys).size, 'a record version was stored twice').toBe(storedKeys.length);
    expect([...storedKeys].sort()).toEqual(made.map(key).sort());
    // The digest the server reports is the digest of the bytes it returns.
    for (const record of stored.slice(0, 50)) expect(digestOf(record.envelope)).toBe(record.digest);
    expect(queryD1<{ count: number }>(persistTo, 'SELECT COUNT(*) AS count FROM records')[0]?.count).toBe(made.length);

    const cuts = {
      request: proxy.faults.filter((fault) => fault.kind === 'cut-request').length,
      response: proxy.faults.filter((fault) => fault.kind === 'cut-response').length,
    };
    console.log(
      `faults (seed "${SEED}"): ${made.length} record versions from ${DEVICES} devices over ${ROUNDS} rounds in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${tally.attempts} pushes, ${tally.failures} failed (${tally.serverErrors} 5xx), ${proxy.faults.length} connections, ${cuts.request} requests and ${cuts.response} responses cut, ` +
        `${tally.duplicatesSent} batches re-sent, ${tally.duplicatesAcknowledged} duplicates acknowledged, ${restarts} restarts (${tally.failedWhileDown} pushes failed while down)`,
    );
    expect(cuts.request).toBeGreaterThan(0);
    expect(cuts.response).toBeGreaterThan(0);
    expect(tally.duplicatesSent).toBeGreaterThan(0);
    expect(tally.duplicatesAcknowledged).toBeGreaterThan(0);
    expect(restarts).toBe(RESTART_ROUNDS.length);
    expect(tally.failedWhileDown).toBeGreaterThan(0);
  });
});

describe('a D1 write failing half-way through a batch', () => {
  it('stores nothing of the batch, answers a clear error, and stores it all once the fault is gone', async () => {
    const field = await invite(cso, 'field', 'poisoned device');
    const token = await signIn(field);
    const session = openSealingSession(field.orgId, field.orgPublicKey);
    const poison = `poison-${crypto.randomUUID()}`;
    // 30 records are three INSERT statements of 12 rows in one db.batch; the poison is the last row
    // of the last statement, so two statements have run when it fails.
    const ids = [...Array.from({ length: 29 }, () => `batch-${crypto.randomUUID()}`), poison];
    const records = ids.map((id) => ({ id, version: 1, envelope: toBase64(sealJson(session, id, 1, { kind: 'community', name: id })) }));
    executeD1(
      persistTo,
      `CREATE TRIGGER poison_record BEFORE INSERT ON records WHEN NEW.record_id = '${poison}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    const count = (list: string[]) =>
      queryD1<{ count: number }>(
        persistTo,
        `SELECT COUNT(*) AS count FROM records WHERE record_id IN (${list.map(() => '?').join(',')})`,
        ...list,
      )[0]!.count;
    try {
      const refused = await rawRequest(worker.url, 'POST', `/api/orgs/${field.orgId}/records`, JSON.stringify({ records }), {
        authorization: `Bearer ${token}`,
      });
      console.log(`poisoned batch: status ${refused.status}, ${refused.text}`);
      expect(refused.status).toBe(500);
      expect(refused.json.error).toEqual({
        code: 'internal',
        message: 'something went wrong on the server; nothing was changed, please try again',
      });
      expect(count(ids)).toBe(0);
      // The same batch without the poison goes through: the failure was the poison, not the batch.
      const clean = await rawRequest(
        worker.url,
        'POST',
        `/api/orgs/${field.orgId}/records`,
        JSON.stringify({ records: records.slice(0, 29) }),
        { authorization: `Bearer ${token}` },
      );
      expect(clean.status).toBe(200);
      expect(count(ids)).toBe(29);
    } finally {
      executeD1(persistTo, 'DROP TRIGGER IF EXISTS poison_record');
    }
    const retried = await rawRequest(worker.url, 'POST', `/api/orgs/${field.orgId}/records`, JSON.stringify({ records }), {
      authorization: `Bearer ${token}`,
    });
    expect(retried.status).toBe(200);
    expect(retried.json).toMatchObject({ received: 30, stored: 1, duplicates: 29 });
    expect(count(ids)).toBe(30);
    // The log names the failure without any request data.
    expect(worker.output()).toMatch(/unhandled Error on POST \/api\/orgs\/[^/]+\/records: .*injected failure/);
    expect(worker.output()).not.toContain(records[0]!.envelope.slice(0, 40));
  });
});
