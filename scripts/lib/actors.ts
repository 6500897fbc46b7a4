// Actors that speak to the real Worker the way the web client does: keys made with real libsodium,
// requests through the API's typed client. Used by the tests and by the demo seeding.
import { hc } from 'hono/client';
import {
  createRecordOpener,
  fromBase64,
  generateMemberKeys,
  generateOrgKeys,
  orgKeyId,
  ready,
  rewrapRecords,
  sign,
  toBase64,
  toHex,
  wrapOrgKey,
  wrapOrgKeyForMembers,
  type MemberKeys,
  type OrgKeys,
} from '#crypto';
import { acceptInvitationMessage, authMessage, createOrgMessage } from '#crypto/protocol';
import {
  nextRoster,
  rosterBytes,
  type RosterChangeRequest,
  type RosterOfficer,
  type RosterStatement,
  type RosterStatementV2,
  type SignedRoster,
} from '#crypto/roster';
import { cosignRoster, foundingRoster, signRoster } from '#crypto/roster-sign';
import { PARTNER_PURPOSE, type PartnerKind } from '#crypto/partner';
import { signPartner } from '#crypto/partner-sign';
import type { AppType } from '../../api/src/index.ts';

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
  await ready();
  const keys = generateMemberKeys();
  const orgKeys = generateOrgKeys();
  const orgId = crypto.randomUUID();
  const memberId = crypto.randomUUID();
  const request = {
    id: orgId,
    kind: options.kind ?? 'cso',
    name: options.name ?? `Test org ${orgId.slice(0, 6)}`,
    ...(options.country ? { country: options.country } : {}),
    nationalities: options.nationalities ?? (options.kind === 'consulate' ? ['NP'] : []),
    publicKey: toBase64(orgKeys.publicKey),
    approvalsRequired: options.approvalsRequired ?? 2,
    founder: {
      id: memberId,
      label: options.founderLabel ?? 'Founding officer',
      signPublicKey: toBase64(keys.signPublicKey),
      boxPublicKey: toBase64(keys.boxPublicKey),
      wrappedOrgKey: wrapOrgKey(orgKeys, orgId, keys.boxPublicKey),
    },
  };
  const roster = foundingRoster(orgId, rosterEntry(memberId, keys), request.approvalsRequired, keys, request.publicKey);
  // From the founder's own address, like signIn (POST /api/orgs is limited per address).
  const anonymous = hc<AppType>(baseUrl, { headers: { 'cf-connecting-ip': deviceAddress(memberId) } });
  const response = await anonymous.api.orgs.$post({
    json: { request, signature: toBase64(sign(createOrgMessage(request), keys)), roster },
  });
  if (response.status !== 201) throw new Error(`createOrg failed: ${response.status} ${await response.text()}`);
  return { baseUrl, orgId, memberId, keys, orgKeys, orgPublicKey: orgKeys.publicKey, role: 'officer' };
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
  const challenge = await (await anonymous.api.auth.challenge.$post({ json: { memberId: actor.memberId } })).json();
  if (!('nonce' in challenge)) throw new Error(`no challenge: ${JSON.stringify(challenge)}`);
  const signature = toBase64(sign(authMessage(actor.memberId, challenge.nonce), actor.keys));
  const token = await (
    await anonymous.api.auth.token.$post({ json: { memberId: actor.memberId, nonce: challenge.nonce, signature } })
  ).json();
  if (!('token' in token)) throw new Error(`no token: ${JSON.stringify(token)}`);
  return token.token;
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
  const keys = generateMemberKeys();
  const memberId = crypto.randomUUID();
  const request = {
    code: created.code,
    orgId: officer.orgId,
    member: { id: memberId, label, signPublicKey: toBase64(keys.signPublicKey), boxPublicKey: toBase64(keys.boxPublicKey) },
  };
  const response = await client(officer.baseUrl).api.invitations.accept.$post({
    json: { request, signature: toBase64(sign(acceptInvitationMessage(request), keys)) },
  });
  if (response.status !== 201) throw new Error(`accept failed: ${response.status} ${await response.text()}`);
  return { baseUrl: officer.baseUrl, orgId: officer.orgId, memberId, keys, orgKeys: null, orgPublicKey: officer.orgPublicKey, role };
}

export const rosterEntry = (memberId: string, keys: MemberKeys): RosterOfficer => ({
  memberId,
  signPublicKey: toBase64(keys.signPublicKey),
  boxPublicKey: toBase64(keys.boxPublicKey),
});

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
  const partner = signPartner(
    {
      purpose: PARTNER_PURPOSE,
      csoOrgId: officer.orgId,
      requesterOrgId: requester.orgId,
      kind: options.kind ?? registered.kind,
      nationalities: options.nationalities ?? registered.nationalities,
      requesterHead: { version: head.statement.version, hash: head.hash },
      verifiedAt: new Date().toISOString(),
    },
    officer.memberId,
    officer.keys,
  );
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
  const statement = await nextRoster(head, { orgPublicKey: toBase64(officer.orgPublicKey), ...change(head) });
  return cosigners.reduce(
    (signed, cosigner) => cosignRoster(signed, cosigner.memberId, cosigner.keys),
    signRoster(statement, officer.memberId, officer.keys),
  );
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
  const roster = await signNextRoster(officer, (head) => ({ officers: [...head.officers, rosterEntry(to.memberId, to.keys)] }), cosigners);
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId']['org-key'].$put({
    param: { orgId: officer.orgId, memberId: to.memberId },
    json: { wrappedOrgKey: wrapOrgKey(officer.orgKeys, officer.orgId, to.keys.boxPublicKey), roster },
  });
}

/** An officer adds a field device to the statement under the key it registered (one officer's signature is enough, decision 0605). */
export async function admitFieldDevice(officer: Actor, device: Actor) {
  const roster = await signNextRoster(officer, (head) => ({
    fieldDevices: [...(head.fieldDevices ?? []), { memberId: device.memberId, signPublicKey: toBase64(device.keys.signPublicKey) }],
  }));
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
  const listed =
    head?.officers.some((entry) => entry.memberId === memberId) || head?.fieldDevices?.some((entry) => entry.memberId === memberId);
  const change = (current: RosterStatement) => ({
    officers: current.officers.filter((entry) => entry.memberId !== memberId),
    fieldDevices: (current.fieldDevices ?? []).filter((entry) => entry.memberId !== memberId),
  });
  const json = head && listed ? { roster: await signNextRoster(officer, change, cosigners) } : {};
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId'].$delete({
    param: { orgId: officer.orgId, memberId },
    json,
  });
}

/** A rotation request's new key: its key id and the pair wrapped to each officer listed but `leaving` (crypto's wrapOrgKeyForMembers). */
function newKeyFor(orgId: string, next: OrgKeys, officers: readonly RosterOfficer[], leaving?: string) {
  const wraps = wrapOrgKeyForMembers(
    next,
    orgId,
    officers.map((entry) => ({ memberId: entry.memberId, boxPublicKey: fromBase64(entry.boxPublicKey) })),
    leaving ? [leaving] : [],
  );
  return {
    keyId: toHex(orgKeyId(next.publicKey)).toUpperCase(),
    wrappedOrgKeys: [...wraps].map(([memberId, wrappedOrgKey]) => ({ memberId, wrappedOrgKey })),
  };
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
    (current) => ({ officers: current.officers.filter((entry) => entry.memberId !== memberId) }),
    cosigners,
  );
  const rotation = newKeyFor(officer.orgId, next, head.officers, memberId);
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
  const signature = toBase64(sign(rosterBytes(waiting.proposal.statement), officer.keys));
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
    json: { roster, ...newKeyFor(officer.orgId, next, head.officers) },
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
