// Onboarding: a device founds an organisation, joins one with an invitation, or (local demo only)
// takes a demo account. Keys are made here; the server gets public keys and signatures only.
import { lockMemberKeys, ready, unlockMemberKeys } from '#crypto';
import { rosterHash, type RosterPin } from '#crypto/roster';
import { createApiClient, expectOk } from './api.ts';
import type { DemoAccount } from './api-types.ts';
import { saveIdentity } from './identity.ts';
import { checkServedOrgKey } from './org-key.ts';
import { savePin } from './roster-trust.ts';
import { acceptInvitation, foundOrganisation } from './protocol/membership.ts';
import { connect, connectIfOnline, openSession, type Session } from './session.ts';
import type { IdentityRow } from './store/db.ts';

export interface CreateOrgInput {
  kind: 'cso' | 'consulate' | 'city';
  name: string;
  country?: string;
  nationalities?: string[];
  approvalsRequired?: number;
  founderLabel: string;
  passphrase: string;
}

/** Creates an organisation: org and founder keys are generated here; the server gets public keys only. */
export async function createOrganisation(input: CreateOrgInput, baseUrl?: string): Promise<Session> {
  const { orgId, founderId, keys, wrappedOrgKey, body } = await foundOrganisation({
    kind: input.kind,
    name: input.name,
    ...(input.country ? { country: input.country } : {}),
    nationalities: input.nationalities ?? [],
    approvalsRequired: input.approvalsRequired ?? 2,
    founderLabel: input.founderLabel,
  });
  const { request, roster } = body;
  const created = await expectOk(await createApiClient(undefined, baseUrl).api.orgs.$post({ json: body }));
  // The founder's device pins the roster it signed itself.
  await savePin({ orgId, version: 1, hash: await rosterHash(roster.statement) });
  const identity: IdentityRow = {
    key: 'me',
    memberId: founderId,
    orgId,
    orgName: created.org.name,
    orgKind: input.kind,
    role: 'officer',
    label: input.founderLabel,
    lockedKeys: JSON.stringify(lockMemberKeys(keys, input.passphrase)),
    orgPublicKey: request.publicKey,
    orgKeySource: 'founder',
    wrappedOrgKey,
  };
  await saveIdentity(identity, keys);
  return connectIfOnline(openSession(identity, keys, baseUrl));
}

/**
 * Joins an organisation with an invitation (a field device, or an officer who then waits for the org
 * key). The org key the invitation carries is pinned; the server's is only compared with it.
 */
export async function joinOrganisation(
  input: {
    orgId: string;
    code: string;
    orgPublicKey?: string;
    rosterPin?: RosterPin;
    role?: IdentityRow['role'];
    bindingSecret?: string;
    label: string;
    passphrase: string;
  },
  baseUrl?: string,
) {
  const { memberId, keys, body } = await acceptInvitation({
    orgId: input.orgId,
    code: input.code,
    label: input.label,
    ...(input.role ? { role: input.role } : {}),
    ...(input.bindingSecret ? { bindingSecret: input.bindingSecret } : {}),
  });
  const joined = await expectOk(await createApiClient(undefined, baseUrl).api.invitations.accept.$post({ json: body }));
  if (joined.org.id !== input.orgId)
    throw new Error('the server answered for another organisation than the invitation names; do not use this server');
  if (input.role && joined.member.role !== input.role)
    throw new Error(
      `the server made this device ${joined.member.role === 'officer' ? 'an officer' : 'a field device'}, not what the invitation says; do not use this server`,
    );
  const identity: IdentityRow = {
    key: 'me',
    memberId,
    orgId: joined.org.id,
    orgName: joined.org.name,
    orgKind: joined.org.kind,
    role: joined.member.role,
    label: input.label,
    lockedKeys: JSON.stringify(lockMemberKeys(keys, input.passphrase)),
    orgPublicKey: input.orgPublicKey ?? '',
    orgKeySource: input.orgPublicKey ? 'invitation' : 'first-use',
    wrappedOrgKey: null,
  };
  Object.assign(identity, checkServedOrgKey(identity, joined.org.publicKey));
  // The statement head the inviting officer saw: this device verifies the chain from it, not from the server's first answer.
  if (input.rosterPin?.orgId === joined.org.id) await savePin(input.rosterPin);
  await saveIdentity(identity, keys);
  return connectIfOnline(openSession(identity, keys, baseUrl));
}

/** A demo account of a local run, as GET /api/demo/accounts lists it (api-types.ts). */
export type { DemoAccount };

/** Local demo only: takes a demo account's locked key file onto this device and opens it. */
export async function useDemoAccount(account: DemoAccount, passphrase: string, baseUrl?: string) {
  await ready();
  const keys = unlockMemberKeys(JSON.parse(account.lockedKeys), passphrase);
  const identity: IdentityRow = {
    key: 'me',
    memberId: account.memberId,
    orgId: account.orgId,
    orgName: account.orgName,
    orgKind: account.orgKind,
    role: account.role,
    label: account.title,
    lockedKeys: account.lockedKeys,
    orgPublicKey: '',
    wrappedOrgKey: null,
  };
  await saveIdentity(identity, keys);
  const session = openSession(identity, keys, baseUrl);
  await connect(session);
  return session;
}
