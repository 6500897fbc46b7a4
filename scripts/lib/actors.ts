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
  const response = await client(baseUrl).api.orgs.$post({ json: { request, signature: toBase64(sign(createOrgMessage(request), keys)) } });
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

/** An officer seals the org key to another officer's key, so that officer can read the org's records. */
export async function grantOrgKey(officer: Actor, to: Actor): Promise<Actor> {
  if (!officer.orgKeys) throw new Error('the granting officer holds no org key');
  const response = await client(officer.baseUrl, await signIn(officer)).api.orgs[':orgId'].members[':memberId']['org-key'].$put({
    param: { orgId: officer.orgId, memberId: to.memberId },
    json: { wrappedOrgKey: wrapOrgKey(officer.orgKeys, officer.orgId, to.keys.boxPublicKey) },
  });
  if (response.status !== 200) throw new Error(`grant failed: ${response.status} ${await response.text()}`);
  return { ...to, orgKeys: officer.orgKeys };
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
