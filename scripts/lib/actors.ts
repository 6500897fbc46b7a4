// Actors that speak to the real Worker the way the web client does: keys made with real libsodium,
// requests through the API's typed client. Used by the tests and by the demo seeding. Each step of
// the protocol (founding, joining, signing in, signing statements, rotation keys) is the web client's
// own, from web/src/protocol/ (decision 0808); what is here is an actor's state and how it sends.
import { hc } from 'hono/client';
import {
  createRecordOpener,
  fromBase64,
  generateOrgKeys,
  openSealingSession,
  orgKeyId,
  rewrapRecords,
  sealJson,
  toBase64,
  toHex,
  wrapOrgKey,
  type MemberKeys,
  type OrgKeys,
} from '#crypto';
import type { RosterChangeRequest, RosterStatement, RosterStatementV2, SignedRoster } from '#crypto/roster';
import { cosignRoster } from '#crypto/roster-sign';
import type { PartnerKind } from '#crypto/partner';
import type { AppType } from '../../api/src/index.ts';
import { ApiRequestError } from '../../web/src/api.ts';
import { acceptInvitation, foundOrganisation, requestToken } from '../../web/src/protocol/membership.ts';
import { partnerStatement } from '../../web/src/protocol/partner.ts';
import {
  cosignature,
  listsMember,
  memberEntry,
  rotationKeys,
  signNextStatement,
  withFieldDevice,
  withOfficer,
  withoutMember,
} from '../../web/src/protocol/statement.ts';

export const client = (baseUrl: string, token?: string) =>
  hc<AppType>(baseUrl, { headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}) });

export interface Actor {
  baseUrl: string;
  orgId: string;
  memberId: string;
  keys: MemberKeys;
  orgKeys: OrgKeys | null;
  orgPublicKey: Uint8Array;
  role: 'officer' | 'field';
}

export async function createOrg(
  baseUrl: string,
  options: {
    kind?: 'cso' | 'consulate' | 'city';
    name?: string;
    country?: string;
    nationalities?: string[];
    founderLabel?: string;
    approvalsRequired?: number;
  } = {},
): Promise<Actor> {
  const kind = options.kind ?? 'cso';
  const { orgId, founderId, keys, orgKeys, body } = await foundOrganisation({
    kind,
    name: options.name ?? `Test org ${crypto.randomUUID().slice(0, 6)}`,
    ...(options.country ? { country: options.country } : {}),
    nationalities: options.nationalities ?? (kind === 'consulate' ? ['NP'] : []),
    approvalsRequired: options.approvalsRequired ?? 2,
    founderLabel: options.founderLabel ?? 'Founding officer',
  });
  // From the founder's own address, like signIn (POST /api/orgs is limited per address).
  const anonymous = hc<AppType>(baseUrl, { headers: { 'cf-connecting-ip': deviceAddress(founderId) } });
  const response = await anonymous.api.orgs.$post({ json: body });
  if (response.status !== 201) throw new Error(`createOrg failed: ${response.status} ${await response.text()}`);
  return { baseUrl, orgId, memberId: founderId, keys, orgKeys, orgPublicKey: orgKeys.publicKey, role: 'officer' };
}

/**
 * The address a local worker counts an actor's sign-ins against. Each actor stands for a device of
 * its own, so each signs in from an address of its own (wrangler dev keeps the CF-Connecting-IP a
 * client sends; on Cloudflare the edge sets it). Otherwise a whole test run would count as one
 * office behind one address and meet the per-address sign-in limit (decision 0501), which
 * tests/api/security-rate-limit.test.ts checks on its own.
 */
export function deviceAddress(memberId: string): string {
  let hash = 0;
  for (let index = 0; index < memberId.length; index++) hash = (Math.imul(hash, 31) + memberId.charCodeAt(index)) >>> 0;
  return `127.${(hash >>> 16) & 0xff}.${(hash >>> 8) & 0xff}.${(hash & 0x7f) + 2}`;
}

export async function signIn(actor: Pick<Actor, 'baseUrl' | 'memberId' | 'keys'>): Promise<string> {
  const anonymous = hc<AppType>(actor.baseUrl, { headers: { 'cf-connecting-ip': deviceAddress(actor.memberId) } });
  try {
    return (await requestToken(anonymous, actor.memberId, actor.keys)).token;
  } catch (error) {
    // The server's code in the message (member_revoked, rate_limited...), for the tests that expect a refusal.
    if (error instanceof ApiRequestError) throw new Error(`sign-in failed: ${error.status} ${error.code}: ${error.message}`);
    throw error;
  }
}

export async function invite(officer: Actor, role: 'officer' | 'field', label = `${role} device`): Promise<Actor> {
  const token = await signIn(officer);
  const created = await (
    await client(officer.baseUrl, token).api.orgs[':orgId'].invitations.$post({
      param: { orgId: officer.orgId },
      json: { role, expiresInHours: 1 },
    })
  ).json();
  if (!('code' in created)) throw new Error(`no invitation: ${JSON.stringify(created)}`);
  const { memberId, keys, body } = await acceptInvitation({ orgId: officer.orgId, code: created.code, label });
  const response = await client(officer.baseUrl).api.invitations.accept.$post({ json: body });
  if (response.status !== 201) throw new Error(`accept failed: ${response.status} ${await response.text()}`);
  return { baseUrl: officer.baseUrl, orgId: officer.orgId, memberId, keys, orgKeys: null, orgPublicKey: officer.orgPublicKey, role };
}

/** A member as a statement lists an officer (the web client's, in web/src/protocol/statement.ts). */
export const rosterEntry = memberEntry;

/** The organisation's roster chain as the server holds it (oldest first). */
export async function fetchRoster(actor: Actor, orgId = actor.orgId): Promise<(SignedRoster & { hash: string })[]> {
  const response = await client(actor.baseUrl, await signIn(actor)).api.orgs[':orgId'].roster.$get({ param: { orgId }, query: {} });
  if (response.status !== 200) throw new Error(`roster failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { chain: (SignedRoster & { hash: string })[] }).chain;
}

/**
 * A CSO officer lists a consulate or city as a partner (decision 0609): the requester's current
 * statement head (the fingerprint the two would compare out of band), the kind and the
 * nationalities, signed by the officer. `nationalities` defaults to what the requester registered.
 */
export async function addPartner(officer: Actor, requester: Actor, options: { kind?: PartnerKind; nationalities?: string[] } = {}) {
  const head = (await fetchRoster(requester)).at(-1)!;
  const org = await client(requester.baseUrl, await signIn(requester)).api.orgs[':orgId'].$get({ param: { orgId: requester.orgId } });
  const registered = (await org.json()) as { kind: PartnerKind; nationalities: string[] };
  const partner = partnerStatement(officer, {
    orgId: requester.orgId,
    kind: options.kind ?? registered.kind,
    nationalities: options.nationalities ?? registered.nationalities,
    head: { version: head.statement.version, hash: head.hash },
  });
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].relationships[':requesterOrgId'].$put({
    param: { orgId: officer.orgId, requesterOrgId: requester.orgId },
    json: { partner },
  });
}

/**
 * The next roster version (v2), proposed by `officer` from the head the server shows, and co-signed
 * by `cosigners` (officers of that head, gathering their signatures out of band): k signatures in
 * all apply a change at once; fewer leave it waiting as the organisation's proposal.
 */
export async function signNextRoster(
  officer: Actor,
  change: (head: RosterStatement) => RosterChangeRequest,
  cosigners: readonly Actor[] = [],
): Promise<SignedRoster<RosterStatementV2>> {
  const head = (await fetchRoster(officer)).at(-1)?.statement;
  if (!head) throw new Error('the organisation has no roster');
  const signed = await signNextStatement(head, toBase64(officer.orgPublicKey), change(head), officer);
  return cosigners.reduce((roster, cosigner) => cosignRoster(roster, cosigner.memberId, cosigner.keys), signed);
}

/** Throws with the server's words unless the change was applied (200). */
async function applied(response: { status: number; text: () => Promise<string> }, what: string) {
  if (response.status !== 200) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
  return response;
}

/** An officer seals the org key to another officer's key, and proposes the roster version that adds them (co-signed by `cosigners`). */
export async function grantOrgKey(officer: Actor, to: Actor, cosigners: readonly Actor[] = []): Promise<Actor> {
  await applied(await proposeGrant(officer, to, cosigners), 'grant');
  return { ...to, orgKeys: officer.orgKeys };
}

/** The same, returning the answer as it is (200 applied, 202 waiting for co-signatures). */
export async function proposeGrant(officer: Actor, to: Actor, cosigners: readonly Actor[] = []) {
  if (!officer.orgKeys) throw new Error('the granting officer holds no org key');
  const roster = await signNextRoster(officer, withOfficer(memberEntry(to.memberId, to.keys)), cosigners);
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId']['org-key'].$put({
    param: { orgId: officer.orgId, memberId: to.memberId },
    json: { wrappedOrgKey: wrapOrgKey(officer.orgKeys, officer.orgId, to.keys.boxPublicKey), roster },
  });
}

/** An officer adds a field device to the statement under the key it registered (one officer's signature is enough, decision 0605). */
export async function admitFieldDevice(officer: Actor, device: Actor) {
  const roster = await signNextRoster(
    officer,
    withFieldDevice({ memberId: device.memberId, signPublicKey: toBase64(device.keys.signPublicKey) }),
  );
  await applied(
    await client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId'].statement.$put({
      param: { orgId: officer.orgId, memberId: device.memberId },
      json: { roster },
    }),
    'admitting the field device',
  );
  return device;
}

/** An officer removes a member; a member in the statement leaves it in a version proposed by `officer` and co-signed by `cosigners`. */
export async function revokeMember(officer: Actor, memberId: string, cosigners: readonly Actor[] = []) {
  const head = (await fetchRoster(officer)).at(-1)?.statement;
  const json = head && listsMember(head, memberId) ? { roster: await signNextRoster(officer, withoutMember(memberId), cosigners) } : {};
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId'].$delete({
    param: { orgId: officer.orgId, memberId },
    json,
  });
}

/**
 * An officer removes an officer whose device was lost or seized, and rotates the org key in the same
 * statement (decision 0606): the new key pair wrapped to every officer who remains. Returns the
 * answer and the new key pair.
 */
export async function revokeAndRotate(officer: Actor, memberId: string, cosigners: readonly Actor[] = []) {
  const head = (await fetchRoster(officer)).at(-1)?.statement;
  if (!head) throw new Error('the organisation has no statement');
  const next = generateOrgKeys();
  const roster = await signNextRoster(
    { ...officer, orgPublicKey: next.publicKey },
    (current) => ({ officers: withoutMember(memberId)(current).officers }),
    cosigners,
  );
  const rotation = rotationKeys(officer.orgId, next, head.officers, memberId);
  const response = await client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId'].$delete({
    param: { orgId: officer.orgId, memberId },
    json: { roster, rotation },
  });
  return { response, orgKeys: next, roster, rotation };
}

/** An officer changes k, with the roster version that says so (co-signed by `cosigners`). */
export async function setApprovalsRequired(officer: Actor, approvalsRequired: number, cosigners: readonly Actor[] = []) {
  const roster = await signNextRoster(officer, () => ({ approvalsRequired }), cosigners);
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].settings.$patch({
    param: { orgId: officer.orgId },
    json: { approvalsRequired, roster },
  });
}

/** An officer changes how long the server keeps records, with the statement version that says so (co-signed by `cosigners`). */
export async function setRetention(officer: Actor, retentionDays: number, cosigners: readonly Actor[] = []) {
  const roster = await signNextRoster(officer, () => ({ retentionDays }), cosigners);
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].settings.$patch({
    param: { orgId: officer.orgId },
    json: { retentionDays, roster },
  });
}

/** An officer co-signs the organisation's waiting roster change (as the app does after showing it). */
export async function cosignWaiting(officer: Actor) {
  const api = client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].roster.proposal;
  const waiting = (await (await api.$get({ param: { orgId: officer.orgId } })).json()) as {
    proposal: { version: number; statement: RosterStatement } | null;
  };
  if (!waiting.proposal) throw new Error('no roster change is waiting');
  const signature = cosignature(waiting.proposal.statement, officer.keys);
  return api.cosign.$post({ param: { orgId: officer.orgId }, json: { version: waiting.proposal.version, signature } });
}

/** Raw JSON request, for inputs the typed client would refuse to build. */
export async function rawRequest(baseUrl: string, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // leave null
  }
  return { status: response.status, json: json as { error?: { code: string; message: string } } & Record<string, unknown>, text };
}

/**
 * An officer rotates the org key (decision 0606): a new key pair, the statement naming it (co-signed
 * by `cosigners`), and the pair wrapped to every officer of the statement, to the box key the
 * statement lists. Returns the answer and the new key pair.
 */
export async function rotateOrgKey(officer: Actor, cosigners: readonly Actor[] = []) {
  const head = (await fetchRoster(officer)).at(-1)?.statement;
  if (!head) throw new Error('the organisation has no statement');
  const next = generateOrgKeys();
  const roster = await signNextRoster({ ...officer, orgPublicKey: next.publicKey }, () => ({}), cosigners);
  const response = await client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].rotation.$post({
    param: { orgId: officer.orgId },
    json: { roster, ...rotationKeys(officer.orgId, next, head.officers) },
  });
  return { response, orgKeys: next };
}

/** An officer's device re-wraps every stored envelope still under `previous` to `current` and sends the new slots; returns the server's last answer. */
export async function rewrapStored(officer: Actor, previous: OrgKeys, current: OrgKeys, batch = 500) {
  const api = client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'];
  const stale: { seq: number; recordId: string; version: number; envelope: Uint8Array }[] = [];
  const previousId = toHex(orgKeyId(previous.publicKey));
  for (let after = 0; ; ) {
    const page = await (await api.records.$get({ param: { orgId: officer.orgId }, query: { after: String(after), limit: '5000' } })).json();
    if (!('records' in page)) throw new Error(JSON.stringify(page));
    for (const row of page.records) {
      const envelope = fromBase64(row.envelope);
      if (toHex(envelope.subarray(2, 10)) === previousId) stale.push({ seq: row.seq, recordId: row.id, version: row.version, envelope });
    }
    after = page.cursor;
    if (!page.more) break;
  }
  const opener = createRecordOpener(officer.orgId, previous);
  const rewrapped = rewrapRecords(opener, current.publicKey, stale);
  let last = { replaced: 0, skipped: 0, remaining: 0 };
  for (let start = 0; start < stale.length; start += batch) {
    const response = await api.records.slots.$put({
      param: { orgId: officer.orgId },
      json: {
        records: stale.slice(start, start + batch).map((row, index) => ({ seq: row.seq, envelope: toBase64(rewrapped[start + index]!) })),
      },
    });
    if (response.status !== 200) throw new Error(`slots failed: ${response.status} ${await response.text()}`);
    last = (await response.json()) as typeof last;
  }
  return last;
}

/**
 * Seals `records` (version 1) under the actor's org key, as authored by that actor (decision 0605),
 * and pushes them as a device's sync would, `batch` records a request. Returns the first refusal, or
 * the last answer. The demo seeding and the browser suites' seed records both push this way.
 */
export async function pushSealed(actor: Actor, records: readonly { id: string }[], batch = 1000) {
  const sealing = openSealingSession(actor.orgId, actor.orgPublicKey, actor.keys);
  const sealed = records.map((record) => ({ id: record.id, version: 1, envelope: toBase64(sealJson(sealing, record.id, 1, record)) }));
  const api = client(actor.baseUrl, await signIn(actor)).api.orgs[':orgId'].records;
  const push = (start: number) => api.$post({ param: { orgId: actor.orgId }, json: { records: sealed.slice(start, start + batch) } });
  let response = await push(0);
  for (let start = batch; start < sealed.length && response.status === 200; start += batch) response = await push(start);
  return response;
}
