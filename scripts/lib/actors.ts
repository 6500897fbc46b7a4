// Actors that speak to the real Worker the way the web client does: keys made with real libsodium,
// requests through the API's typed client. Used by the tests and by the demo seeding.
import { hc } from 'hono/client';
import {
  generateMemberKeys,
  generateOrgKeys,
  ready,
  sign,
  toBase64,
  wrapOrgKey,
  type MemberKeys,
  type OrgKeys,
} from '#crypto';
import { acceptInvitationMessage, authMessage, createOrgMessage } from '#crypto/protocol';
import { nextRoster, type RosterOfficer, type RosterStatement, type SignedRoster } from '#crypto/roster';
import { foundingRoster, signRoster } from '#crypto/roster-sign';
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
  options: { kind?: 'cso' | 'consulate' | 'city'; name?: string; country?: string; nationalities?: string[]; founderLabel?: string; approvalsRequired?: number } = {},
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
  const roster = foundingRoster(orgId, rosterEntry(memberId, keys), request.approvalsRequired, keys);
  const response = await client(baseUrl).api.orgs.$post({ json: { request, signature: toBase64(sign(createOrgMessage(request), keys)), roster } });
  if (response.status !== 201) throw new Error(`createOrg failed: ${response.status} ${await response.text()}`);
  return { baseUrl, orgId, memberId, keys, orgKeys, orgPublicKey: orgKeys.publicKey, role: 'officer' };
}

export async function signIn(actor: Pick<Actor, 'baseUrl' | 'memberId' | 'keys'>): Promise<string> {
  const anonymous = client(actor.baseUrl);
  const challenge = await (await anonymous.api.auth.challenge.$post({ json: { memberId: actor.memberId } })).json();
  if (!('nonce' in challenge)) throw new Error(`no challenge: ${JSON.stringify(challenge)}`);
  const signature = toBase64(sign(authMessage(actor.memberId, challenge.nonce), actor.keys));
  const token = await (await anonymous.api.auth.token.$post({ json: { memberId: actor.memberId, nonce: challenge.nonce, signature } })).json();
  if (!('token' in token)) throw new Error(`no token: ${JSON.stringify(token)}`);
  return token.token;
}

export async function invite(officer: Actor, role: 'officer' | 'field', label = `${role} device`): Promise<Actor> {
  const token = await signIn(officer);
  const created = await (
    await client(officer.baseUrl, token).api.orgs[':orgId'].invitations.$post({ param: { orgId: officer.orgId }, json: { role, expiresInHours: 1 } })
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

export const rosterEntry = (memberId: string, keys: MemberKeys): RosterOfficer => ({ memberId, signPublicKey: toBase64(keys.signPublicKey), boxPublicKey: toBase64(keys.boxPublicKey) });

/** The organisation's roster chain as the server holds it (oldest first). */
export async function fetchRoster(actor: Actor, orgId = actor.orgId): Promise<(SignedRoster & { hash: string })[]> {
  const response = await client(actor.baseUrl, await signIn(actor)).api.orgs[':orgId'].roster.$get({ param: { orgId } });
  if (response.status !== 200) throw new Error(`roster failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { chain: (SignedRoster & { hash: string })[] }).chain;
}

/** The next roster version, signed by `officer`, from the head the server shows. */
export async function signNextRoster(officer: Actor, change: (head: RosterStatement) => { officers?: RosterOfficer[]; approvalsRequired?: number }): Promise<SignedRoster> {
  const head = (await fetchRoster(officer)).at(-1)?.statement;
  if (!head) throw new Error('the organisation has no roster');
  return signRoster(await nextRoster(head, change(head)), officer.memberId, officer.keys);
}

/** An officer seals the org key to another officer's key, and signs the roster version that adds them. */
export async function grantOrgKey(officer: Actor, to: Actor): Promise<Actor> {
  if (!officer.orgKeys) throw new Error('the granting officer holds no org key');
  const roster = await signNextRoster(officer, (head) => ({ officers: [...head.officers, rosterEntry(to.memberId, to.keys)] }));
  const response = await client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId']['org-key'].$put({
    param: { orgId: officer.orgId, memberId: to.memberId },
    json: { wrappedOrgKey: wrapOrgKey(officer.orgKeys, officer.orgId, to.keys.boxPublicKey), roster },
  });
  if (response.status !== 200) throw new Error(`grant failed: ${response.status} ${await response.text()}`);
  return { ...to, orgKeys: officer.orgKeys };
}

/** An officer removes a member; an officer in the roster leaves it in a version signed by `officer`. */
export async function revokeMember(officer: Actor, memberId: string) {
  const head = (await fetchRoster(officer)).at(-1)?.statement;
  const listed = head?.officers.some((entry) => entry.memberId === memberId);
  const json = head && listed ? { roster: signRoster(await nextRoster(head, { officers: head.officers.filter((entry) => entry.memberId !== memberId) }), officer.memberId, officer.keys) } : {};
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId'].$delete({ param: { orgId: officer.orgId, memberId }, json });
}

/** An officer changes k, with the roster version that says so. */
export async function setApprovalsRequired(officer: Actor, approvalsRequired: number) {
  const roster = await signNextRoster(officer, () => ({ approvalsRequired }));
  return client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].settings.$patch({ param: { orgId: officer.orgId }, json: { approvalsRequired, roster } });
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
