// Messages out: a consulate asks a CSO to relay a message; officers approve (k of n) or decline;
// the requester sees counts only.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { generateMemberKeys, sign, toBase64 } from '#crypto';
import { newRequestNonce, signDecision } from '#crypto/activation-sign';
import type { AuditEntry } from '#crypto/audit';
import { relayRequestBytes, type RelayRequest } from '#crypto/protocol';
import { createHash } from 'node:crypto';
import { addPartner, createOrg, fetchRoster, grantOrgKey, invite, type Actor } from '../../scripts/lib/actors.ts';
import { checkRoster } from '../../web/src/activation/verify.ts';
import { checkRelay, type RelayDetail } from '../../web/src/relay/actions.ts';
import { api, dernaArea, entry, tamper } from '../support/activation-actors.ts';

const baseUrl = inject('workerUrl');
const persistTo = inject('persistTo');
let officerA: Actor;
let officerB: Actor;
let consulate: Actor;
let outsider: Actor;

const hashOf = (request: RelayRequest) => createHash('sha256').update(relayRequestBytes(request)).digest('base64url');

async function head(actor: Actor, hash: string): Promise<AuditEntry | null> {
  const body = (await (await (await api(actor)).relays[':hash'].$get({ param: { hash } })).json()) as { audit?: { entries: AuditEntry[] } };
  return body.audit?.entries.at(-1) ?? null;
}

async function fileRelay(by: Actor = consulate, to: string = officerA.orgId) {
  const request: RelayRequest = {
    orgId: to,
    requester: { id: by.memberId, signPublicKey: toBase64(by.keys.signPublicKey) },
    area: dernaArea,
    nationalities: ['NP'],
    messages: [
      { language: 'ne', text: 'डेर्ना बन्दरगाहमा भोलि बिहान ८ बजे जहाज आउँछ।' },
      { language: 'en', text: 'A ship will be at Derna port tomorrow at 08:00.' },
    ],
    purpose: 'Tell Nepali workers in Derna about the evacuation ship',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    nonce: newRequestNonce(),
  };
  const hash = hashOf(request);
  const response = await (await api(by)).relays.$post({
    json: {
      request: request as never,
      signature: toBase64(sign(Buffer.from(hash, 'base64url'), by.keys)),
      auditEntry: entry(by, null, 'relay.requested', { requestHash: hash }) as never,
    },
  });
  return { hash, response };
}

async function decide(officer: Actor, hash: string, decision: 'approve' | 'veto') {
  const signed = signDecision(hash, decision, officer.memberId, officer.keys);
  return (await api(officer)).relays[':hash'].decisions.$post({
    param: { hash },
    json: {
      decision,
      signature: signed.signature,
      auditEntry: entry(officer, await head(officer, hash), decision === 'approve' ? 'relay.approved' : 'relay.declined', {
        requestHash: hash,
        signature: signed.signature,
      }) as never,
    },
  });
}

async function report(officer: Actor, hash: string, body: Record<string, unknown>) {
  return (await api(officer)).relays[':hash'].report.$post({
    param: { hash },
    json: {
      report: body as never,
      auditEntry: entry(officer, await head(officer, hash), 'relay.reported', {
        requestHash: hash,
        sent: body.sent as number | null,
        failed: body.failed as number | null,
      }) as never,
    },
  });
}

beforeAll(async () => {
  officerA = await createOrg(baseUrl, { name: 'Relay CSO', approvalsRequired: 2 });
  officerB = await grantOrgKey(officerA, await invite(officerA, 'officer', 'Officer B'));
  consulate = await createOrg(baseUrl, { kind: 'consulate', name: 'Embassy of Nepal (relay)', nationalities: ['NP'] });
  outsider = await createOrg(baseUrl, { kind: 'city', name: 'Unrelated city (relay)' });
  expect((await addPartner(officerA, consulate)).status).toBe(200);
});

describe('relay', () => {
  it('needs k approvals before anything is sent; the requester sees counts only', async () => {
    const { hash, response } = await fileRelay();
    expect(response.status).toBe(201);
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    const early = { sent: 10, failed: 0, byLanguage: { ne: { sent: 10, failed: 0 } } };
    expect((await report(officerA, hash, early)).status).toBe(409);
    expect((await decide(officerB, hash, 'approve')).status).toBe(200);
    const sent = await report(officerA, hash, {
      sent: 37,
      failed: null,
      byLanguage: { ne: { sent: 30, failed: null }, en: { sent: 7, failed: 0 } },
      phones: ['+218910000001'],
    });
    expect(sent.status).toBe(200);
    const seen = (await (await (await api(consulate)).relays[':hash'].$get({ param: { hash } })).json()) as {
      status: string;
      report: unknown;
      audit: { verdict: { ok: boolean } };
    };
    expect(seen.status).toBe('sent');
    expect(seen.report).toEqual({ sent: 37, failed: null, byLanguage: { ne: { sent: 30, failed: null }, en: { sent: 7, failed: 0 } } });
    expect(JSON.stringify(seen)).not.toContain('+218910000001');
    expect(seen.audit.verdict.ok).toBe(true);
  });

  // Issue 15 (after the attacker's review of d01fec1): the officer's device took the relay's k and its
  // officers from the server (the relay's approvals_required and the member list), so a server that
  // added an officer of its own with an approval and lowered k made the device send on one real
  // approval. Now both come from the CSO's verified statement (checkRelay).
  it("an officer's device counts approvals against its verified statement: an officer and a k the server wrote into D1 change nothing", async () => {
    const { hash } = await fileRelay();
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    const fake = generateMemberKeys();
    const fakeId = crypto.randomUUID();
    const now = new Date().toISOString();
    tamper(
      persistTo,
      "INSERT INTO members (id, org_id, label, role, sign_public_key, box_public_key, created_at) VALUES (?, ?, 'Server officer', 'officer', ?, ?, ?)",
      fakeId,
      officerA.orgId,
      toBase64(fake.signPublicKey),
      toBase64(fake.boxPublicKey),
      now,
    );
    tamper(
      persistTo,
      "INSERT INTO relay_decisions (request_hash, member_id, decision, signature, created_at) VALUES (?, ?, 'approve', ?, ?)",
      hash,
      fakeId,
      signDecision(hash, 'approve', fakeId, fake).signature,
      now,
    );
    tamper(persistTo, "UPDATE relay_requests SET approvals_required = 1, status = 'approved' WHERE hash = ?", hash);
    const detailOf = async () =>
      (await (await (await api(officerA)).relays[':hash'].$get({ param: { hash } })).json()) as unknown as RelayDetail & { status: string };
    const tampered = await detailOf();
    expect(tampered.status).toBe('approved'); // the server says go, with two approvals
    expect(tampered.decisions).toHaveLength(2);
    const own = await checkRoster(officerA.orgId, await fetchRoster(officerA), null);
    if (!own.ok) throw new Error(own.message);
    const refused = await checkRelay(tampered, own.roster.head, 'consulate', officerA.orgId);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? '' : refused.message).toMatch(/only 1 valid approval\(s\) of the 2 needed/);
    // B's real approval makes it two: then the device may send.
    expect((await decide(officerB, hash, 'approve')).status).toBe(200);
    const approved = await checkRelay(await detailOf(), own.roster.head, 'consulate', officerA.orgId);
    expect(approved).toMatchObject({ ok: true });
    expect(approved.ok && [...approved.approvers].sort()).toEqual([officerA.memberId, officerB.memberId].sort());
    // Anyone not an officer of this CSO or of a verified partner: nothing may be sent, whatever the approvals.
    expect(await checkRelay(await detailOf(), own.roster.head, null, officerA.orgId)).toMatchObject({ ok: false });
  });

  // Issue 15, finding 6: on 53dbdde the report was stored and shown as given, so "2 English speakers
  // in the area you drew" reached the requester (these reports got 200). Small counts are withheld
  // now, like summaries, and so is a total that would give one away.
  it('refuses a report that gives a small group away: a count from 1 to 4, or a total beside a withheld count', async () => {
    const { hash } = await fileRelay();
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    expect((await decide(officerB, hash, 'approve')).status).toBe(200);
    const exact = await report(officerA, hash, {
      sent: 14,
      failed: 0,
      byLanguage: { ne: { sent: 12, failed: 0 }, en: { sent: 2, failed: 0 } },
    });
    expect(exact.status).toBe(400);
    expect(((await exact.json()) as { error: { message: string } }).error.message).toMatch(
      /body\.report\.byLanguage\.en\.sent: a count from 1 to 4 is withheld/,
    );
    const complementary = await report(officerA, hash, {
      sent: 14,
      failed: 0,
      byLanguage: { ne: { sent: 12, failed: 0 }, en: { sent: null, failed: 0 } },
    });
    expect(complementary.status).toBe(400);
    expect(((await complementary.json()) as { error: { message: string } }).error.message).toMatch(
      /total is withheld \(null\) when a language count is/,
    );
    expect(
      ((await (await (await api(consulate)).relays[':hash'].$get({ param: { hash } })).json()) as { report: unknown }).report,
    ).toBeNull();
    expect(
      (await report(officerA, hash, { sent: null, failed: 0, byLanguage: { ne: { sent: 12, failed: 0 }, en: { sent: null, failed: 0 } } }))
        .status,
    ).toBe(200);
  });

  it('stops on a decline, and is hidden from organisations that are not party to it', async () => {
    const { hash } = await fileRelay();
    expect((await decide(officerB, hash, 'veto')).status).toBe(200);
    expect((await decide(officerA, hash, 'approve')).status).toBe(409);
    expect((await report(officerA, hash, { sent: 1, failed: 0, byLanguage: {} })).status).toBe(409);
    expect((await (await api(outsider)).relays[':hash'].$get({ param: { hash } })).status).toBe(404);
  });

  it("lets a CSO's officer ask the CSO's own officers to relay a message to its communities (after an alert), still k of n", async () => {
    const { hash, response } = await fileRelay(officerA, officerA.orgId);
    expect(response.status).toBe(201);
    const incoming = (await (await (await api(officerB)).relays.$get({ query: { direction: 'incoming' } })).json()) as {
      relays: { hash: string; status: string }[];
    };
    expect(incoming.relays.find((relay) => relay.hash === hash)?.status).toBe('pending');
    expect((await decide(officerA, hash, 'approve')).status).toBe(200);
    const approved = await decide(officerB, hash, 'approve');
    expect(((await approved.json()) as { status: string }).status).toBe('approved');
    // …but only to itself: another CSO is asked through a relationship, by a consulate or city.
    const elsewhere = await createOrg(baseUrl, { name: 'Another CSO (relay)' });
    const refused = await fileRelay(officerA, elsewhere.orgId);
    expect(refused.response.status).toBe(403);
    expect(((await refused.response.json()) as { error: { message: string } }).error.message).toMatch(/only to itself/);
  });

  it('a decline the server removes from its table still counts, from the signed log (after the review of 59d7c88)', async () => {
    // On 59d7c88 checkRelay counted only the server's list of decisions: a server that deleted the
    // decline and reset the status got the relay sent on the other officer's approval.
    const founder = await createOrg(baseUrl, { name: 'Relay CSO, one approval', approvalsRequired: 1 });
    const second = await grantOrgKey(founder, await invite(founder, 'officer', 'Second officer'));
    const { hash } = await fileRelay(founder, founder.orgId);
    expect((await decide(second, hash, 'veto')).status).toBe(200);
    tamper(persistTo, 'DELETE FROM relay_decisions WHERE request_hash = ? AND member_id = ?', hash, second.memberId);
    tamper(persistTo, "UPDATE relay_requests SET status = 'pending' WHERE hash = ?", hash);
    expect((await decide(founder, hash, 'approve')).status).toBe(200);
    const detail = (await (await (await api(founder)).relays[':hash'].$get({ param: { hash } })).json()) as unknown as RelayDetail & {
      status: string;
    };
    expect(detail.status).toBe('approved'); // the server says go, and lists one approval and no decline
    expect(detail.decisions.map((decision) => decision.decision)).toEqual(['approve']);
    const own = await checkRoster(founder.orgId, await fetchRoster(founder), null);
    if (!own.ok) throw new Error(own.message);
    expect(await checkRelay(detail, own.roster.head, 'own', founder.orgId)).toEqual({
      ok: false,
      message: 'an officer declined this relay: nothing may be sent',
    });
  });
});
