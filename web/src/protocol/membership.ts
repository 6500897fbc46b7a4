// The device side of the protocol, part one: founding an organisation, joining one with an
// invitation, signing in. Shared by the web client, the demo seeding and the tests (decision 0808),
// so each step is built and signed one way wherever it runs. Nothing here stores anything or reads
// the browser's globals: it runs in Node as in the browser, and the callers keep what it returns.
import {
  generateMemberKeys,
  generateOrgKeys,
  invitationBinding,
  ready,
  sign,
  toBase64,
  wrapOrgKey,
  type MemberKeys,
  type OrgKeys,
} from '#crypto';
import { acceptInvitationMessage, authMessage, createOrgMessage } from '#crypto/protocol';
import type { RosterStatementV2, SignedRoster } from '#crypto/roster';
import { foundingRoster } from '#crypto/roster-sign';
import { expectOk, type ApiClient } from '../api.ts';
import { memberEntry } from './statement.ts';

export interface FoundingInput {
  kind: 'cso' | 'consulate' | 'city';
  name: string;
  country?: string;
  nationalities: string[];
  approvalsRequired: number;
  founderLabel: string;
}

export interface Founding {
  orgId: string;
  founderId: string;
  /** The founder's member keys and the org key pair, made here. */
  keys: MemberKeys;
  orgKeys: OrgKeys;
  /** The org key pair sealed to the founder's own box key. */
  wrappedOrgKey: string;
  /** The body of POST /api/orgs: the request signed by the founder, and the founding statement. */
  body: { request: ReturnType<typeof foundingRequest>; signature: string; roster: SignedRoster<RosterStatementV2> };
}

function foundingRequest(input: FoundingInput, orgId: string, founderId: string, keys: MemberKeys, orgKeys: OrgKeys) {
  return {
    id: orgId,
    kind: input.kind,
    name: input.name,
    ...(input.country ? { country: input.country } : {}),
    nationalities: input.nationalities,
    publicKey: toBase64(orgKeys.publicKey),
    approvalsRequired: input.approvalsRequired,
    founder: {
      id: founderId,
      label: input.founderLabel,
      signPublicKey: toBase64(keys.signPublicKey),
      boxPublicKey: toBase64(keys.boxPublicKey),
      wrappedOrgKey: wrapOrgKey(orgKeys, orgId, keys.boxPublicKey),
    },
  };
}

/**
 * A new organisation as its founder's device makes it: the org and founder keys, the request the
 * founder signs (the server gets public keys and the org key sealed to the founder only), and the
 * founding statement (version 1) naming the founder as its one officer.
 */
export async function foundOrganisation(input: FoundingInput): Promise<Founding> {
  await ready();
  const keys = generateMemberKeys();
  const orgKeys = generateOrgKeys();
  const orgId = crypto.randomUUID();
  const founderId = crypto.randomUUID();
  const request = foundingRequest(input, orgId, founderId, keys, orgKeys);
  const signature = toBase64(sign(createOrgMessage(request), keys));
  const roster = foundingRoster(orgId, memberEntry(founderId, keys), request.approvalsRequired, keys, request.publicKey);
  return { orgId, founderId, keys, orgKeys, wrappedOrgKey: request.founder.wrappedOrgKey, body: { request, signature, roster } };
}

export interface InvitationInput {
  orgId: string;
  code: string;
  label: string;
  /** With the invitation's secret part: the role it names, bound with the new keys for the inviting officer's device. */
  role?: 'officer' | 'field';
  bindingSecret?: string;
}

/**
 * A device joining with an invitation: its member keys, made here, and the acceptance it signs. With
 * the invitation's secret part, a binding of the keys for the inviting officer's device (the server,
 * which relays them, never sees the secret and so cannot swap them unnoticed).
 */
export async function acceptInvitation(input: InvitationInput) {
  await ready();
  const keys = generateMemberKeys();
  const memberId = crypto.randomUUID();
  const member = {
    id: memberId,
    label: input.label,
    signPublicKey: toBase64(keys.signPublicKey),
    boxPublicKey: toBase64(keys.boxPublicKey),
  };
  const binding =
    input.bindingSecret && input.role
      ? invitationBinding(input.bindingSecret, {
          orgId: input.orgId,
          memberId,
          role: input.role,
          signPublicKey: member.signPublicKey,
          boxPublicKey: member.boxPublicKey,
        })
      : undefined;
  const request = { code: input.code, orgId: input.orgId, member, ...(binding ? { binding } : {}) };
  return { memberId, keys, body: { request, signature: toBase64(sign(acceptInvitationMessage(request), keys)) } };
}

/**
 * Signs in: asks the server for a challenge, signs it with the member's key and trades it for a
 * short-lived token. `anonymous` is a client without a token (the caller's, with its own fetch and
 * headers); a refusal throws the server's ApiRequestError.
 */
export async function requestToken(
  anonymous: ApiClient,
  memberId: string,
  keys: MemberKeys,
): Promise<{ token: string; expiresAt: string }> {
  const challenge = await expectOk(await anonymous.api.auth.challenge.$post({ json: { memberId } }));
  const signature = toBase64(sign(authMessage(memberId, challenge.nonce), keys));
  const { token, expiresAt } = await expectOk(
    await anonymous.api.auth.token.$post({ json: { memberId, nonce: challenge.nonce, signature } }),
  );
  return { token, expiresAt };
}
