// Break-glass on the real Worker + D1: an arrangement made in calm times, the minimised copy the
// CSO's device keeps for it, activation by the requester, the waiting period, the veto, and
// decryption only at the end of it. On 53dbdde the requester received a wrap of each consenting
// record's data key and opened whole records (the test asserted that the full body, with fields
// nobody agreed to, came back); now it opens one copy holding only the agreed fields (decision 0610).
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fromBase64, openSealingSession, sealJson, toBase64 } from '#crypto';
import type { ArrangementDescriptor } from '#crypto/breakglass-policy';
import { newRequestNonce, requestHashSync, signDecision, signRequest } from '#crypto/activation-sign';
import type { ActivationRequest } from '#crypto/activation';
import type { AuditEntry } from '#crypto/audit';
import { createHash } from 'node:crypto';
import { createArrangement, recoverArrangementKey } from '#crypto/breakglass';
import { createBundle, openBundle } from '#crypto/bundle';
import { releasedProperties } from '#model/fields';
import { arrangementBytes, BREAK_GLASS_MIN_WAIT_SECONDS } from '#crypto/breakglass-policy';
import { sign } from '#crypto';
import { addPartner, client, createOrg, grantOrgKey, invite, signIn, type Actor } from '../../scripts/lib/actors.ts';
import { api, dernaArea, entry, tamper } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
const FLOOR = BREAK_GLASS_MIN_WAIT_SECONDS;

/**
 * The waiting period is at least 12 hours, so a test does not sleep through it: it moves the
 * activation's start back in the database by that much, which is what the passing of time does to
 * the server's rule (started_at + waiting period <= now).
 */
function passWaitingPeriod(arrangementId: string) {
  tamper(
    persistTo,
    'UPDATE arrangements SET started_at = ? WHERE id = ?',
    new Date(Date.now() - (FLOOR + 1) * 1000).toISOString(),
    arrangementId,
  );
}

let officerA: Actor;
let officerB: Actor;
let fieldWorker: Actor;
let consulate: Actor;
let city: Actor;

async function arrangementHead(actor: Actor, id: string): Promise<AuditEntry | null> {
  const body = (await (await (await api(actor)).arrangements[':id'].$get({ param: { id } })).json()) as {
    audit?: { entries: AuditEntry[] };
  };
  return body.audit?.entries.at(-1) ?? null;
}

/** Calm times: the CSO proposes, the consulate accepts, the field device seals records and wraps them. */
/** An arrangement between officer A's CSO and the consulate, signed by officer A alone (not yet sent). */
async function newArrangement(waitingPeriodSeconds: number, fields: Parameters<typeof createArrangement>[0]['fields']) {
  const arrangementId = crypto.randomUUID();
  const { arrangement } = await createArrangement({
    orgId: officerA.orgId,
    orgPublicKey: officerA.orgPublicKey,
    arrangementId,
    requester: { id: consulate.memberId, signPublicKey: consulate.keys.signPublicKey, boxPublicKey: consulate.keys.boxPublicKey },
    waitingPeriodSeconds,
    fields,
    officer: { memberId: officerA.memberId, keys: officerA.keys },
  });
  return { arrangementId, arrangement };
}

async function setUpArrangement(waitingPeriodSeconds: number) {
  const { arrangementId, arrangement } = await newArrangement(waitingPeriodSeconds, ['headcount', 'location', 'names']);
  const proposed = await (await api(officerA)).arrangements.$post({
    json: { arrangement: arrangement as never, auditEntry: entry(officerA, null, 'arrangement.proposed', { arrangementId }) as never },
  });
  expect(proposed.status).toBe(201);
  expect((await cosign(officerB, arrangementId, arrangement.descriptor)).status).toBe(200);
  const accepted = await (await api(consulate)).arrangements[':id'].accept.$post({
    param: { id: arrangementId },
    json: {
      signature: toBase64(sign(arrangementBytes(arrangement.descriptor), consulate.keys)),
      auditEntry: entry(consulate, await arrangementHead(consulate, arrangementId), 'arrangement.accepted', { arrangementId }) as never,
    },
  });
  expect(accepted.status).toBe(200);

  // The field device seals two records (one whose person consents to break-glass, one who does not);
  // an officer's device keeps the arrangement's copy: the consenting person only, cut to the agreed
  // fields (a field device may not: it reads no arrangement, issue 15).
  const sealing = openSealingSession(fieldWorker.orgId, fieldWorker.orgPublicKey);
  const consenting = {
    id: crypto.randomUUID(),
    body: { kind: 'person', name: 'Maya Gurung', nationality: 'NP', passport: 'PA7788123', notes: 'brother in Benghazi prison' },
  };
  const refusing = { id: crypto.randomUUID(), body: { kind: 'person', name: 'Refuses Sharing', nationality: 'NP' } };
  const envelopes = [consenting, refusing].map((record) => ({ ...record, envelope: sealJson(sealing, record.id, 1, record.body) }));
  const fieldApi = client(baseUrl, await signIn(fieldWorker)).api;
  const push = await fieldApi.orgs[':orgId'].records.$post({
    param: { orgId: fieldWorker.orgId },
    json: { records: envelopes.map((record) => ({ id: record.id, version: 1, envelope: toBase64(record.envelope) })) },
  });
  expect(push.status).toBe(200);
  const copy = copyOf(
    arrangement.descriptor,
    [{ id: consenting.id, kind: 'person', name: consenting.body.name, nationality: 'NP' }],
    officerA,
  );
  expect((await fieldApi.arrangements[':id'].copy.$put({ param: { id: arrangementId }, json: { bundle: toBase64(copy) } })).status).toBe(
    403,
  );
  const stored = await client(baseUrl, await signIn(officerA)).api.arrangements[':id'].copy.$put({
    param: { id: arrangementId },
    json: { bundle: toBase64(copy) },
  });
  expect(stored.status).toBe(200);
  return { arrangementId, consenting, refusing, shares: arrangement };
}

async function cosign(officer: Actor, arrangementId: string, descriptor: ArrangementDescriptor) {
  return (await api(officer)).arrangements[':id'].cosign.$post({
    param: { id: arrangementId },
    json: {
      signature: toBase64(sign(arrangementBytes(descriptor), officer.keys)),
      auditEntry: entry(officer, await arrangementHead(officer, arrangementId), 'arrangement.cosigned', { arrangementId }) as never,
    },
  });
}

const acceptAs = async (arrangementId: string, descriptor: ArrangementDescriptor) =>
  (await api(consulate)).arrangements[':id'].accept.$post({
    param: { id: arrangementId },
    json: {
      signature: toBase64(sign(arrangementBytes(descriptor), consulate.keys)),
      auditEntry: entry(consulate, await arrangementHead(consulate, arrangementId), 'arrangement.accepted', { arrangementId }) as never,
    },
  });

const copyHash = (descriptor: ArrangementDescriptor) => createHash('sha256').update(arrangementBytes(descriptor)).digest('base64url');

/** What an officer's device uploads: one bundle sealed to the arrangement key, signed by the officer. */
function copyOf(
  descriptor: ArrangementDescriptor,
  records: Record<string, unknown>[],
  officer: Actor,
  change: { recipient?: Uint8Array; requestHash?: string } = {},
) {
  return createBundle({
    orgId: officer.orgId,
    requestHash: change.requestHash ?? copyHash(descriptor),
    recipientBoxPublicKey: change.recipient ?? fromBase64(descriptor.publicKey),
    fields: releasedProperties(descriptor.fields as never),
    records,
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    releasedBy: { memberId: officer.memberId, keys: officer.keys },
  });
}

async function breakGlass(arrangementId: string, expiresAt = new Date(Date.now() + 86_400_000).toISOString()) {
  const request: ActivationRequest = {
    orgIds: [officerA.orgId],
    requester: {
      id: consulate.memberId,
      signPublicKey: toBase64(consulate.keys.signPublicKey),
      boxPublicKey: toBase64(consulate.keys.boxPublicKey),
    },
    area: dernaArea,
    nationalities: ['NP'],
    fields: ['headcount', 'location', 'names'],
    purpose: 'Shelling in Derna: immediate evacuation of Nepali nationals',
    expiresAt,
    createdAt: new Date().toISOString(),
    nonce: newRequestNonce(),
    kind: 'break_glass',
    arrangementId,
  };
  const hash = requestHashSync(request);
  const response = await (await api(consulate)).arrangements[':id'].activate.$post({
    param: { id: arrangementId },
    json: {
      request: request as never,
      signature: signRequest(request, consulate.keys),
      auditEntry: entry(consulate, await arrangementHead(consulate, arrangementId), 'breakglass.activated', {
        arrangementId,
        requestHash: hash,
      }) as never,
    },
  });
  return { hash, response };
}

async function askForShare(arrangementId: string) {
  return (await api(consulate)).arrangements[':id']['key-share'].$post({
    param: { id: arrangementId },
    json: {
      auditEntry: entry(consulate, await arrangementHead(consulate, arrangementId), 'breakglass.key_released', {
        arrangementId,
        requestHash: '',
      }) as never,
    },
  });
}

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Derna CSO (break-glass)', approvalsRequired: 2 });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  fieldWorker = await invite(officerA, 'field', 'Field phone');
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Embassy of Nepal (break-glass)', nationalities: ['NP'] });
  city = await createOrg(baseUrl, { kind: 'city', name: 'City (not party)' });
  const listed = await addPartner(officerA, consulate);
  expect(listed.status).toBe(200);
});

describe('break-glass', () => {
  it('refuses a waiting period under the 12-hour floor, even one an officer signed (it used to accept 5 s)', async () => {
    const { arrangementId, arrangement } = await newArrangement(FLOOR, ['headcount']);
    for (const seconds of [5, FLOOR - 1]) {
      const descriptor = { ...arrangement.descriptor, waitingPeriodSeconds: seconds };
      const signed = { ...arrangement, descriptor, signature: toBase64(sign(arrangementBytes(descriptor), officerA.keys)) };
      const response = await (await api(officerA)).arrangements.$post({
        json: { arrangement: signed as never, auditEntry: entry(officerA, null, 'arrangement.proposed', { arrangementId }) as never },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/at least 12 hours/);
    }
    const atFloor = await (await api(officerA)).arrangements.$post({
      json: { arrangement: arrangement as never, auditEntry: entry(officerA, null, 'arrangement.proposed', { arrangementId }) as never },
    });
    expect(atFloor.status).toBe(201);
  });

  it('gives nothing before the waiting period ends, then exactly the consenting records', async () => {
    const { arrangementId, consenting, refusing } = await setUpArrangement(FLOOR);
    const { hash, response } = await breakGlass(arrangementId);
    expect(response.status).toBe(200);

    const waitingForOfficers = (await (await (await api(officerB)).arrangements.$get()).json()) as { waiting: number };
    expect(waitingForOfficers.waiting).toBeGreaterThanOrEqual(1);

    const early = await (await api(consulate)).arrangements[':id']['key-share'].$post({
      param: { id: arrangementId },
      json: {
        auditEntry: entry(consulate, await arrangementHead(consulate, arrangementId), 'breakglass.key_released', {
          arrangementId,
          requestHash: hash,
        }) as never,
      },
    });
    expect(early.status).toBe(403);
    expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(/waiting period runs until/);
    const copyEarly = await (await api(consulate)).arrangements[':id'].copy.$get({ param: { id: arrangementId } });
    expect(copyEarly.status).toBe(403);

    passWaitingPeriod(arrangementId);
    const share = await (await api(consulate)).arrangements[':id']['key-share'].$post({
      param: { id: arrangementId },
      json: {
        auditEntry: entry(consulate, await arrangementHead(consulate, arrangementId), 'breakglass.key_released', {
          arrangementId,
          requestHash: hash,
        }) as never,
      },
    });
    expect(share.status).toBe(200);
    const shares = (await share.json()) as { serverShare: string; requesterShare: string };
    const details = (await (await (await api(consulate)).arrangements[':id'].$get({ param: { id: arrangementId } })).json()) as {
      descriptor: ArrangementDescriptor;
      audit: { verdict: { ok: boolean }; entries: AuditEntry[] };
    };
    const key = await recoverArrangementKey({ descriptor: details.descriptor, ...shares }, consulate.keys);
    const { bundle } = (await (await (await api(consulate)).arrangements[':id'].copy.$get({ param: { id: arrangementId } })).json()) as {
      bundle: string;
    };
    const descriptor = details.descriptor as ArrangementDescriptor;
    const opened = await openBundle(
      fromBase64(bundle),
      { boxPublicKey: fromBase64(descriptor.publicKey), boxSecretKey: key.secretKey },
      {
        requestHash: copyHash(descriptor),
        officerKeys: [toBase64(officerA.keys.signPublicKey)],
        fields: releasedProperties(descriptor.fields as never),
        orgId: officerA.orgId,
      },
    );
    // The consenting person, with the agreed fields only: no passport, no notes; nobody who refused.
    expect(opened.records).toEqual([{ id: consenting.id, kind: 'person', name: 'Maya Gurung' }]);
    expect(JSON.stringify(opened.records)).not.toMatch(/PA7788123|prison|Refuses Sharing/);
    // Nothing the server holds or serves gives the requester a record's data key.
    expect(JSON.stringify(details)).not.toMatch(/wrap/i);
    expect(refusing.id).not.toBe(consenting.id);
    expect(details.audit.verdict.ok).toBe(true);
    expect(details.audit.entries.map((candidate) => candidate.type)).toEqual([
      'arrangement.proposed',
      'arrangement.cosigned',
      'arrangement.accepted',
      'breakglass.activated',
      'breakglass.key_released',
    ]);

    // Used once, then retired: it cannot be activated again.
    expect((await breakGlass(arrangementId)).response.status).toBe(409);
  });

  it('keeps only a copy signed by the uploading officer, sealed to the arrangement key, for this arrangement', async () => {
    const { arrangementId, shares } = await setUpArrangement(FLOOR);
    const put = async (bytes: Uint8Array, officer: Actor = officerA) =>
      (await api(officer)).arrangements[':id'].copy.$put({ param: { id: arrangementId }, json: { bundle: toBase64(bytes) } });
    const record = [{ id: crypto.randomUUID(), kind: 'person', name: 'Someone', nationality: 'NP' }];
    const toConsulate = await put(copyOf(shares.descriptor, record, officerA, { recipient: consulate.keys.boxPublicKey }));
    expect(toConsulate.status).toBe(400);
    expect(((await toConsulate.json()) as { error: { message: string } }).error.message).toMatch(/not sealed to the arrangement key/);
    expect((await put(copyOf(shares.descriptor, record, officerA, { requestHash: 'x'.repeat(43) }))).status).toBe(400);
    expect((await put(copyOf(shares.descriptor, record, officerA), officerB)).status).toBe(400); // signed by A, uploaded by B
    expect((await put(copyOf(shares.descriptor, record, officerB), officerB)).status).toBe(200);
  });

  // On 3bddfba one officer alone set up an arrangement: the requester's accept answered 200 on the
  // creator's signature. Now k officers of the statement sign it first, as for a release.
  it('needs k officers to set up an arrangement: the requester cannot accept one signed by one officer alone', async () => {
    const { arrangementId, arrangement } = await newArrangement(FLOOR, ['headcount']);
    const proposed = await (await api(officerA)).arrangements.$post({
      json: { arrangement: arrangement as never, auditEntry: entry(officerA, null, 'arrangement.proposed', { arrangementId }) as never },
    });
    expect(proposed.status).toBe(201);
    const alone = await acceptAs(arrangementId, arrangement.descriptor);
    expect(alone.status).toBe(409);
    expect(((await alone.json()) as { error: { message: string } }).error.message).toMatch(/1 of the 2 needed/);
    // The creator cannot co-sign twice, nor can a field device; a forged co-signature counts for nothing.
    expect((await cosign(officerA, arrangementId, arrangement.descriptor)).status).toBe(409);
    expect((await cosign(fieldWorker, arrangementId, arrangement.descriptor)).status).toBe(403);
    const forged = await (await api(officerB)).arrangements[':id'].cosign.$post({
      param: { id: arrangementId },
      json: {
        signature: toBase64(sign(arrangementBytes(arrangement.descriptor), officerA.keys)),
        auditEntry: entry(officerB, await arrangementHead(officerB, arrangementId), 'arrangement.cosigned', { arrangementId }) as never,
      },
    });
    expect(forged.status).toBe(401);
    expect((await cosign(officerB, arrangementId, arrangement.descriptor)).status).toBe(200);
    expect((await acceptAs(arrangementId, arrangement.descriptor)).status).toBe(200);
  });

  it('stays open at most 7 days after the waiting period (it was unbounded)', async () => {
    const { arrangementId } = await setUpArrangement(FLOOR);
    const late = await breakGlass(arrangementId, new Date(Date.now() + (FLOOR + 8 * 86_400) * 1000).toISOString());
    expect(late.response.status).toBe(400);
    expect(((await late.response.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 7 days after the waiting period/,
    );
    expect((await breakGlass(arrangementId, new Date(Date.now() + (FLOOR + 6 * 86_400) * 1000).toISOString())).response.status).toBe(200);
  });

  it('the requester alone, with only its own share, cannot rebuild the key', async () => {
    const { shares } = await setUpArrangement(FLOOR);
    await expect(
      recoverArrangementKey(
        { descriptor: shares.descriptor, requesterShare: shares.requesterShare, serverShare: shares.requesterShare },
        consulate.keys,
      ),
    ).rejects.toThrow();
  });

  it('stops for good when any one officer vetoes during the waiting period', async () => {
    const { arrangementId } = await setUpArrangement(FLOOR);
    const { hash } = await breakGlass(arrangementId);
    const veto = signDecision(hash, 'veto', officerB.memberId, officerB.keys);
    const vetoed = await (await api(officerB)).arrangements[':id'].veto.$post({
      param: { id: arrangementId },
      json: {
        requestHash: hash,
        signature: veto.signature,
        auditEntry: entry(officerB, await arrangementHead(officerB, arrangementId), 'breakglass.vetoed', {
          arrangementId,
          requestHash: hash,
          signature: veto.signature,
        }) as never,
      },
    });
    expect(vetoed.status).toBe(200);
    passWaitingPeriod(arrangementId);
    const share = await askForShare(arrangementId);
    expect(share.status).toBe(403);
    expect(((await share.json()) as { error: { message: string } }).error.message).toMatch(/vetoed/);
  });

  it('is invisible to organisations that are not party to it, and field devices cannot veto', async () => {
    const { arrangementId } = await setUpArrangement(FLOOR);
    expect((await (await api(city)).arrangements[':id'].$get({ param: { id: arrangementId } })).status).toBe(404);
    const { hash } = await breakGlass(arrangementId);
    const veto = signDecision(hash, 'veto', fieldWorker.memberId, fieldWorker.keys);
    const byField = await (await api(fieldWorker)).arrangements[':id'].veto.$post({
      param: { id: arrangementId },
      json: { requestHash: hash, signature: veto.signature, auditEntry: entry(fieldWorker, null, 'breakglass.vetoed', {}) as never },
    });
    expect(byField.status).toBe(403);
  });
});
