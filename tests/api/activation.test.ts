// Emergency activation on the real Worker + D1: filing, k-of-n approvals, vetoes, forged and
// replayed decisions, release upload and download, revocation, expiry and the audit chain.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { toBase64 } from '#crypto';
import { verifyChain, type AuditEntry } from '#crypto/audit';
import { openBundle } from '#crypto/bundle';
import { signDecision } from '#crypto/activation-sign';
import { releasedProperties } from '#model/fields';
import { addPartner, createOrg, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { serverAuditKey } from '../../web/src/activation/actions.ts';
import type { Session } from '../../web/src/session.ts';
import {
  api,
  buildRequest,
  countRows,
  decide,
  download,
  entry,
  auditHead,
  fileRequest,
  makeBundle,
  tamper,
  uploadRelease,
} from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');

let officerA: Actor;
let officerB: Actor;
let officerC: Actor;
let fieldWorker: Actor;
let consulate: Actor;
let city: Actor;
let strangerConsulate: Actor;

const releasable = [
  {
    id: 'c1',
    kind: 'community',
    name: 'Derna port dormitory',
    headcount: { total: 40 },
    location: { lon: 22.64, lat: 32.76 },
    contact: { name: 'Hari', phone: '+218911111111' },
  },
  {
    id: 'p1',
    kind: 'person',
    communityId: 'c1',
    name: 'Sita Rai',
    nationality: 'NP',
    phone: '+218922222222',
    documents: { passport: 'confiscated' },
  },
];

async function approvedRequest(expiresInMs = 3 * 86_400_000) {
  const request = buildRequest(consulate, [officerA.orgId], { expiresAt: new Date(Date.now() + expiresInMs).toISOString() });
  const { hash, response } = await fileRequest(consulate, request);
  expect(response.status).toBe(201);
  expect((await decide(officerA, hash, 'approve')).status).toBe(200);
  expect((await decide(officerB, hash, 'approve')).status).toBe(200);
  return { request, hash };
}

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Derna CSO', approvalsRequired: 2 });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  officerC = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer C'), [officerB]);
  fieldWorker = await invite(officerA, 'field', 'Field phone');
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Embassy of Nepal', nationalities: ['NP'] });
  city = await createOrg(baseUrl, { kind: 'city', name: 'Benghazi Crisis Cell' });
  strangerConsulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Unlisted embassy', nationalities: ['NP'] });
  for (const requester of [consulate, city]) {
    const listed = await addPartner(officerA, requester);
    expect(listed.status).toBe(200);
  }
});

describe('filing a request', () => {
  it('is refused from a requester the CSO has not listed', async () => {
    const { response } = await fileRequest(strangerConsulate, buildRequest(strangerConsulate, [officerA.orgId]));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not listed/);
  });

  it('is refused for nationals the consulate does not serve', async () => {
    const { response } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId], { nationalities: ['NP', 'BD'] }));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/BD/);
  });

  it('is refused with a signature by another key, and from a CSO', async () => {
    const request = buildRequest(consulate, [officerA.orgId]);
    const { signRequest, requestHashSync } = await import('#crypto/activation-sign');
    const hash = requestHashSync(request);
    const forged = await (await api(consulate)).activations.$post({
      json: {
        request: request as never,
        signature: signRequest(request, city.keys),
        auditEntry: entry(consulate, null, 'activation.requested', { requestHash: hash }) as never,
      },
    });
    expect(forged.status).toBe(401);
    const fromCso = await fileRequest(officerA, buildRequest(officerA, [officerA.orgId]));
    expect(fromCso.response.status).toBe(403);
  });

  it('is refused when its audit entry is of the wrong type', async () => {
    const request = buildRequest(consulate, [officerA.orgId]);
    const { signRequest, requestHashSync } = await import('#crypto/activation-sign');
    const response = await (await api(consulate)).activations.$post({
      json: {
        request: request as never,
        signature: signRequest(request, consulate.keys),
        auditEntry: entry(consulate, null, 'activation.approved', { requestHash: requestHashSync(request) }) as never,
      },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/auditEntry\.type/);
  });

  it('reaches the CSO officers as pending, and is hidden from other requesters', async () => {
    const { hash, response } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    expect(response.status).toBe(201);
    const incoming = (await (await (await api(officerB)).activations.$get({ query: { direction: 'incoming' } })).json()) as {
      pending: number;
      activations: { hash: string }[];
    };
    expect(incoming.pending).toBeGreaterThanOrEqual(1);
    expect(incoming.activations.some((activation) => activation.hash === hash)).toBe(true);
    const outsider = await (await api(city)).activations[':hash'].$get({ param: { hash } });
    expect(outsider.status).toBe(404);
    // A field device of the addressed CSO neither reads the request (issue 15, least privilege: 200 on 0aea709) nor decides.
    const fieldList = await (await api(fieldWorker)).activations[':hash'].$get({ param: { hash } });
    expect(fieldList.status).toBe(403);
    expect((await decide(fieldWorker, hash, 'approve')).status).toBe(403);
  });
});

describe('approvals', () => {
  it('refuses a release with k-1 approvals, accepts it with k', async () => {
    const request = buildRequest(consulate, [officerA.orgId]);
    const { hash } = await fileRequest(consulate, request);
    const bundle = () => makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey);
    expect((await uploadRelease(officerA, hash, bundle())).status).toBe(403);
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    const early = await uploadRelease(officerA, hash, bundle());
    expect(early.status).toBe(403);
    expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(/needs 2 approvals.*has 1/);
    expect((await decide(officerB, hash, 'approve')).status).toBe(200);
    const release = await uploadRelease(officerA, hash, bundle());
    expect(release.status).toBe(201);
  });

  it('refuses a forged approval, a replayed approval and an approval of another request', async () => {
    const { hash } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    expect((await decide(officerB, hash, 'approve', officerC)).status).toBe(401); // B's decision signed with C's key
    expect((await decide(officerB, hash, 'approve')).status).toBe(200);
    expect((await decide(officerB, hash, 'approve')).status).toBe(409); // the same officer twice
    const { hash: other } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    const { signDecision } = await import('#crypto/activation-sign');
    const signedForOther = signDecision(other, 'approve', officerC.memberId, officerC.keys);
    const replayed = await (await api(officerC)).activations[':hash'].decisions.$post({
      param: { hash },
      json: {
        orgId: officerC.orgId,
        decision: 'approve',
        signature: signedForOther.signature,
        auditEntry: entry(officerC, await auditHead(officerC, hash), 'activation.approved', {
          requestHash: hash,
          orgId: officerC.orgId,
          signature: signedForOther.signature,
        }) as never,
      },
    });
    expect(replayed.status).toBe(401);
  });

  it('stops everything on a single veto, whatever the approvals', async () => {
    const request = buildRequest(consulate, [officerA.orgId]);
    const { hash } = await fileRequest(consulate, request);
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    expect((await decide(officerB, hash, 'approve')).status).toBe(200);
    const vetoed = await decide(officerC, hash, 'veto');
    expect(vetoed.status).toBe(200);
    expect(((await vetoed.json()) as { targets: { status: string }[] }).targets[0]!.status).toBe('vetoed');
    const release = await uploadRelease(officerA, hash, makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey));
    expect(release.status).toBe(403);
    expect(((await release.json()) as { error: { message: string } }).error.message).toMatch(/vetoed/);
  });
});

describe('releases', () => {
  it('lets the requester download and open exactly the approved fields; nobody else can download', async () => {
    const { request, hash } = await approvedRequest();
    const bundle = makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey);
    const uploaded = await uploadRelease(officerA, hash, bundle);
    expect(uploaded.status).toBe(201);
    const bundleId = uploaded.bundleId;

    const response = await download(consulate, hash, bundleId);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { bundle: string };
    const { fromBase64 } = await import('#crypto');
    const officerKeys = [officerA, officerB, officerC].map((officer) => toBase64(officer.keys.signPublicKey));
    const opened = await openBundle(
      fromBase64(body.bundle),
      consulate.orgKeys!.publicKey
        ? { boxPublicKey: consulate.orgKeys!.publicKey, boxSecretKey: consulate.orgKeys!.secretKey }
        : consulate.keys,
      {
        requestHash: hash,
        officerKeys,
        fields: releasedProperties(['headcount', 'location', 'names']),
      },
    );
    expect(opened.records).toHaveLength(2);
    expect(opened.records[1]).toEqual({ id: 'p1', kind: 'person', communityId: 'c1', name: 'Sita Rai' });
    expect(JSON.stringify(opened.records)).not.toMatch(/\+2189|confiscated|Hari/);

    expect((await download(city, hash, bundleId)).status).toBe(404);
    expect((await download(officerA, hash, bundleId)).status).toBe(403);
  });

  it('refuses a bundle not sealed to the requester, or signed by someone else', async () => {
    const { request, hash } = await approvedRequest();
    const wrongRecipient = makeBundle(officerA, request, hash, releasable, city.orgPublicKey);
    const refused = await uploadRelease(officerA, hash, wrongRecipient);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/requester key/);
    const signedByB = await uploadRelease(officerA, hash, makeBundle(officerB, request, hash, releasable, consulate.orgPublicKey));
    expect(signedByB.status).toBe(400);
    expect(((await signedByB.json()) as { error: { message: string } }).error.message).toMatch(/signed by you/);
  });

  it('deletes a revoked bundle at once', async () => {
    const { request, hash } = await approvedRequest();
    const uploaded = await uploadRelease(officerA, hash, makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey));
    expect(uploaded.status).toBe(201);
    const bundleId = uploaded.bundleId;
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM release_chunks WHERE release_id = ?', bundleId)).toBeGreaterThan(0);
    const revoke = await (await api(officerB)).activations[':hash'].releases[':releaseId'].revoke.$post({
      param: { hash, releaseId: bundleId },
      json: {
        auditEntry: entry(officerB, await auditHead(officerB, hash), 'release.revoked', {
          requestHash: hash,
          releaseId: bundleId,
        }) as never,
      },
    });
    expect(revoke.status).toBe(200);
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM release_chunks WHERE release_id = ?', bundleId)).toBe(0);
    expect((await download(consulate, hash, bundleId)).status).toBe(409);
  });

  it('a revoke is final for the request: no new release, and a veto is still taken (issue 15: on ae09a82 the veto got 409 and the new release 201)', async () => {
    const { request, hash } = await approvedRequest();
    const uploaded = await uploadRelease(officerA, hash, makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey));
    expect(uploaded.status).toBe(201);
    const revoke = await (await api(officerA)).activations[':hash'].releases[':releaseId'].revoke.$post({
      param: { hash, releaseId: uploaded.bundleId },
      json: {
        auditEntry: entry(officerA, await auditHead(officerA, hash), 'release.revoked', {
          requestHash: hash,
          releaseId: uploaded.bundleId,
        }) as never,
      },
    });
    expect(revoke.status).toBe(200);
    expect((await decide(officerC, hash, 'veto')).status).toBe(200);
    const again = await uploadRelease(officerA, hash, makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/a revoke is final/);
    expect(countRows(persistTo, "SELECT COUNT(*) AS count FROM releases WHERE request_hash = ? AND status = 'available'", hash)).toBe(0);
  });

  it('deletes an expired bundle and logs the expiry with the server key', async () => {
    const { request, hash } = await approvedRequest(4000);
    const uploaded = await uploadRelease(officerA, hash, makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey));
    expect(uploaded.status).toBe(201);
    const bundleId = uploaded.bundleId;
    await new Promise((resolve) => setTimeout(resolve, 4500));
    const after = (await (await (await api(consulate)).activations[':hash'].$get({ param: { hash } })).json()) as {
      releases: { id: string; status: string }[];
      audit: { entries: AuditEntry[]; verdict: { ok: boolean } };
    };
    expect(after.releases.find((release) => release.id === bundleId)?.status).toBe('expired');
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM release_chunks WHERE release_id = ?', bundleId)).toBe(0);
    const identity = (await (await fetch(`${baseUrl}/api/server-identity`)).json()) as { auditSignPublicKey: string };
    const expiry = after.audit.entries.find((candidate) => candidate.type === 'release.expired');
    expect(expiry?.actor.signPublicKey).toBe(identity.auditSignPublicKey);
    // The web client asks for that key through the typed API client, and gets the same one.
    expect(await serverAuditKey({ baseUrl } as Session)).toBe(identity.auditSignPublicKey);
    expect(after.audit.verdict.ok).toBe(true);
    expect((await download(consulate, hash, bundleId)).status).toBe(409);
  });
});

describe('the audit chain', () => {
  it('refuses an audit entry whose payload carries more than ids and signatures (a 500 kB payload with a phone number was stored on ae09a82)', async () => {
    const { hash } = await approvedRequest();
    const { signature } = signDecision(hash, 'veto', officerC.memberId, officerC.keys);
    const stuffed = entry(officerC, await auditHead(officerC, hash), 'activation.vetoed', {
      requestHash: hash,
      orgId: officerA.orgId,
      signature,
      note: `call +218 91 234 5678 ${'x'.repeat(500_000)}`,
    });
    const response = await (await api(officerC)).activations[':hash'].decisions.$post({
      param: { hash },
      json: { orgId: officerA.orgId, decision: 'veto', signature, auditEntry: stuffed as never },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/payload: must be at most 4096 bytes/);
    expect(countRows(persistTo, 'SELECT COUNT(*) AS count FROM audit_entries WHERE entry LIKE ?', '%234 5678%')).toBe(0);
  });

  it('records every step, signed by its actor, and shows a break when a stored entry is altered', async () => {
    const { request, hash } = await approvedRequest();
    const { bundleId } = await uploadRelease(officerA, hash, makeBundle(officerA, request, hash, releasable, consulate.orgPublicKey));
    await download(consulate, hash, bundleId);
    const read = async () =>
      (await (await (await api(consulate)).activations[':hash'].$get({ param: { hash } })).json()) as {
        audit: { entries: AuditEntry[]; verdict: { ok: boolean; brokenAt?: number } };
      };
    const before = await read();
    expect(before.audit.entries.map((candidate) => candidate.type)).toEqual([
      'activation.requested',
      'activation.approved',
      'activation.approved',
      'release.uploaded',
      'release.downloaded',
    ]);
    expect((await verifyChain(before.audit.entries)).ok).toBe(true);
    expect(JSON.stringify(before.audit.entries)).not.toMatch(/Sita|Derna port|\+2189/);

    // Someone with the database quietly turns the second approval into one from another member.
    const second = before.audit.entries[2]!;
    const altered = { ...second, payload: { ...(second.payload as object), orgId: 'someone-else' } };
    tamper(persistTo, 'UPDATE audit_entries SET entry = ? WHERE chain_id = ? AND seq = ?', JSON.stringify(altered), `request:${hash}`, 2);
    const after = await read();
    expect(after.audit.verdict.ok).toBe(false);
    expect(after.audit.verdict.brokenAt).toBe(2);
    const clientVerdict = await verifyChain(after.audit.entries);
    expect(clientVerdict.ok === false && clientVerdict.brokenAt).toBe(2);
  });

  it('refuses an entry that does not continue the chain: 409 stale_audit_head, a code the client retries on without reading the message (issue 17: it was 400 and the clients matched the English text)', async () => {
    const { hash } = await fileRequest(consulate, buildRequest(consulate, [officerA.orgId]));
    const { signDecision } = await import('#crypto/activation-sign');
    const signed = signDecision(hash, 'approve', officerA.memberId, officerA.keys);
    const stale = entry(officerA, null, 'activation.approved', { requestHash: hash, orgId: officerA.orgId, signature: signed.signature });
    const response = await (await api(officerA)).activations[':hash'].decisions.$post({
      param: { hash },
      json: { orgId: officerA.orgId, decision: 'approve', signature: signed.signature, auditEntry: stale as never },
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'stale_audit_head',
      message: expect.stringMatching(/does not continue the audit log/),
    });
    // On the right head but with a signature that does not verify: a bad request, not a conflict.
    const head = (await (await (await api(officerA)).activations[':hash'].$get({ param: { hash } })).json()) as {
      audit: { entries: AuditEntry[] };
    };
    const good = entry(officerA, head.audit.entries.at(-1) ?? null, 'activation.approved', {
      requestHash: hash,
      orgId: officerA.orgId,
      signature: signed.signature,
    });
    const forged = { ...good, signature: good.signature.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')) };
    const refused = await (await api(officerA)).activations[':hash'].decisions.$post({
      param: { hash },
      json: { orgId: officerA.orgId, decision: 'approve', signature: signed.signature, auditEntry: forged as never },
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
