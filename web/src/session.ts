// The member's session on this device: who they are, their unlocked keys (memory only), and a
// short-lived API token got by signing a server challenge. Unlocking works offline; the token is
// fetched when a connection is there. Keys never leave the device unlocked.
import {
  CryptoError,
  fromBase64,
  generateMemberKeys,
  generateOrgKeys,
  invitationBinding,
  lockMemberKeys,
  openDeviceProfile,
  orgKeyId,
  ready,
  releaseWorkspace,
  sealDeviceProfile,
  sign,
  toBase64,
  toHex,
  unlockMemberKeys,
  unwrapOrgKey,
  wipeMemberKeys,
  wrapOrgKey,
  wrapOrgKeyForMembers,
  type MemberKeys,
  type OrgKeys,
} from '#crypto';
import { acceptInvitationMessage, authMessage, createOrgMessage } from '#crypto/protocol';
import { rosterHash, type RosterOfficer, type RosterPin, type RosterStatement } from '#crypto/roster';
import { foundingRoster } from '#crypto/roster-sign';
import { ApiRequestError, createApiClient, expectOk, OfflineError, type ApiClient } from './api.ts';
import type { DemoAccount } from './api-types.ts';
import { afterFailedUnlock } from './lock/policy.ts';
import { forgetAuthors, ownRosterHead, rosterEntryOf, savePin, signNextRoster, trustRoster } from './roster.ts';
import { database, wipeDevice, type IdentityRow, type OrgKeyAlarm, type StoredIdentity } from './store/db.ts';
import { failedUnlocks, loadLockSettings, setFailedUnlocks } from './store/settings.ts';
import { checkServedOrgKey } from './org-key.ts';
import { requireKnownKeys, type KeyCheck, type NewMember } from './invitation-secrets.ts';
export type { KeyCheck, NewMember } from './invitation-secrets.ts';

export interface Session {
  identity: IdentityRow;
  keys: MemberKeys;
  /** Officers only: the org key pair, unwrapped from the copy sealed to them. */
  orgKeys: OrgKeys | null;
  /** Officers, during a rotation: the earlier key pairs, to open and re-wrap what is still under them. */
  previousOrgKeys: OrgKeys[];
  /** Null while offline or before the first sign-in. */
  auth: { token: string; expiresAt: string; api: ApiClient } | null;
  baseUrl: string | undefined;
}

export const newId = () => crypto.randomUUID();

/** The device wiped itself: the member was removed, or too many wrong passphrases were tried. */
export class DeviceWipedError extends Error {
  constructor(readonly reason: 'member_revoked' | 'too_many_failures') {
    super(
      reason === 'member_revoked'
        ? 'this device was removed from the organisation and has been wiped'
        : 'too many wrong passphrases: the device has been wiped',
    );
  }
}

/** A wrong passphrase; `remaining` tries before the device wipes itself (null: no limit). */
export class WrongPassphraseError extends Error {
  readonly code = 'bad_passphrase';
  constructor(readonly remaining: number | null) {
    super('that passphrase does not open the keys on this device');
  }
}

/** Zeroes every secret the session holds in memory (member keys, org keys, the crypto workspace) and drops its token. */
function forgetSecrets(session: Session) {
  wipeMemberKeys(session.keys);
  releaseWorkspace();
  session.orgKeys?.secretKey.fill(0);
  session.orgKeys = null;
  for (const keys of session.previousOrgKeys) keys.secretKey.fill(0);
  session.previousOrgKeys = [];
  session.auth = null;
}

/** Forgets the keys in memory and deletes everything on the device. */
export async function wipeSession(session: Session | null) {
  if (session) forgetSecrets(session);
  await wipeDevice();
}

/**
 * Locking (by hand or after inactivity): the server ends the token at once (best effort: offline,
 * it expires within the hour), and the keys in memory are zeroed, so a phone taken while locked
 * holds neither a usable token nor a key outside its passphrase-locked copy (issue 15).
 */
export async function lockSession(session: Session) {
  const auth = session.auth;
  forgetSecrets(session);
  if (!auth) return;
  try {
    await auth.api.api.auth.logout.$post({}, { init: { signal: AbortSignal.timeout(3_000) } });
  } catch {
    // Offline or slow: the token still ends at its expiry; the keys are gone either way.
  }
}

/** When the server says this member was removed (401 member_revoked), the device wipes itself. */
export async function checkRevoked(session: Session | null, error: unknown) {
  if (error instanceof ApiRequestError && error.status === 401 && error.code === 'member_revoked') {
    await wipeSession(session);
    throw new DeviceWipedError('member_revoked');
  }
}

/** Whether the device holds an account (its locked keys); who it is stays sealed until unlocked. */
export async function storedIdentity(): Promise<StoredIdentity | IdentityRow | undefined> {
  return database.identity.get('me');
}

/**
 * Stores the identity: the locked keys as they are, everything else sealed to the member's own key
 * (issue 15: a copy of the storage without the passphrase names neither the member nor the org).
 */
async function saveIdentity(identity: IdentityRow, keys: Pick<MemberKeys, 'boxSecretKey'>) {
  const { key, lockedKeys, ...profile } = identity;
  const row: StoredIdentity = { key, lockedKeys, profile: sealDeviceProfile(profile, keys) };
  await database.identity.put(row);
}

/** The identity from its stored row, opened with the unlocked keys (a row from before the sealed profile is taken as it is). */
function openIdentity(stored: StoredIdentity | IdentityRow, keys: MemberKeys): IdentityRow {
  if (!('profile' in stored)) return stored;
  try {
    return {
      ...(openDeviceProfile(stored.profile, keys) as Omit<IdentityRow, 'key' | 'lockedKeys'>),
      key: 'me',
      lockedKeys: stored.lockedKeys,
    };
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    throw new Error(
      'The passphrase is right, but this device’s record of who it belongs to does not open (it was altered). Nothing can be sent from it: wipe it and join again with a new invitation.',
    );
  }
}

/** Whether a lock has zeroed these keys (work started before the lock must not go on with them). */
const wiped = (keys: MemberKeys) => keys.boxSecretKey.every((byte) => byte === 0);

/** The org key pair from a wrapped copy, only when it is the pinned org key; null (and why) when it is another. */
function unwrapPinned(identity: IdentityRow, wrapped: string, keys: MemberKeys): { orgKeys: OrgKeys } | { alarm: OrgKeyAlarm } {
  try {
    return { orgKeys: unwrapOrgKey(wrapped, identity.orgId, keys, identity.orgPublicKey ? fromBase64(identity.orgPublicKey) : undefined) };
  } catch (error) {
    // Any wrapped key that does not open to the pinned org key is refused the same way: a malformed
    // one must not make the next unlock throw (one officer could lock another out of their device).
    if (!(error instanceof CryptoError)) throw error;
    return { alarm: { kind: 'wrapped_key', served: wrapped.slice(0, 16), seenAt: new Date().toISOString() } };
  }
}

function openSession(identity: IdentityRow, keys: MemberKeys, baseUrl?: string): Session {
  const unwrapped =
    identity.role === 'officer' && identity.wrappedOrgKey && !identity.orgKeyAlarm
      ? unwrapPinned(identity, identity.wrappedOrgKey, keys)
      : null;
  return {
    identity,
    keys,
    orgKeys: unwrapped && 'orgKeys' in unwrapped ? unwrapped.orgKeys : null,
    previousOrgKeys: unwrapPrevious(identity, keys),
    auth: null,
    baseUrl,
  };
}

/** The earlier org key pairs this officer still keeps during a rotation, each checked against the key it names. */
function unwrapPrevious(identity: IdentityRow, keys: MemberKeys): OrgKeys[] {
  const out: OrgKeys[] = [];
  for (const previous of identity.previousWrappedOrgKeys ?? []) {
    try {
      out.push(unwrapOrgKey(previous.wrappedOrgKey, identity.orgId, keys, fromBase64(previous.orgPublicKey)));
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
    }
  }
  return out;
}

/**
 * The statement moved the organisation to a new key (a rotation k officers signed, decision 0606):
 * the device seals to it from now on; an officer keeps the earlier key pair, still sealed to its own
 * key, until the server holds nothing under it.
 */
function adoptRotatedKey(session: Session, identity: IdentityRow, orgPublicKey: string): IdentityRow {
  const adopted: IdentityRow = { ...identity, orgPublicKey };
  if (identity.role === 'officer' && identity.wrappedOrgKey && identity.orgPublicKey) {
    const kept = (identity.previousWrappedOrgKeys ?? []).filter((previous) => previous.orgPublicKey !== identity.orgPublicKey);
    adopted.previousWrappedOrgKeys = [...kept, { orgPublicKey: identity.orgPublicKey, wrappedOrgKey: identity.wrappedOrgKey }];
    if (session.orgKeys) session.previousOrgKeys = [...session.previousOrgKeys, session.orgKeys];
    session.orgKeys = null;
  }
  return adopted;
}

/** An officer's device forgets the earlier org keys once no stored envelope is under them ("the old key destroyed"). */
export async function forgetPreviousOrgKeys(session: Session) {
  for (const keys of session.previousOrgKeys) keys.secretKey.fill(0);
  session.previousOrgKeys = [];
  if (!session.identity.previousWrappedOrgKeys?.length) return;
  const identity: IdentityRow = { ...session.identity, previousWrappedOrgKeys: [] };
  if (wiped(session.keys)) return;
  await saveIdentity(identity, session.keys);
  session.identity = identity;
}

/**
 * Makes sure the session holds a valid token: signs a fresh challenge when there is none or it is
 * about to expire, and refreshes what the server says of the member (role, org key).
 * Throws when the server cannot be reached.
 */
export async function connect(session: Session, options: { refresh?: boolean } = {}): Promise<ApiClient> {
  try {
    return await signIn(session, options.refresh);
  } catch (error) {
    await checkRevoked(session, error);
    throw error;
  }
}

async function signIn(session: Session, refresh = false): Promise<ApiClient> {
  if (session.auth && Date.parse(session.auth.expiresAt) - Date.now() > 60_000) {
    if (refresh) await refreshMember(session, session.auth.api);
    return session.auth.api;
  }
  const { identity, keys } = session;
  const anonymous = createApiClient(undefined, session.baseUrl);
  const challenge = await expectOk(await anonymous.api.auth.challenge.$post({ json: { memberId: identity.memberId } }));
  const signature = toBase64(sign(authMessage(identity.memberId, challenge.nonce), keys));
  const { token, expiresAt } = await expectOk(
    await anonymous.api.auth.token.$post({ json: { memberId: identity.memberId, nonce: challenge.nonce, signature } }),
  );
  const api = createApiClient(token, session.baseUrl);
  await refreshMember(session, api);
  session.auth = { token, expiresAt, api };
  return api;
}

/** What the server says of the member and its organisation, checked against the pin and the verified statement. */
async function refreshMember(session: Session, api: ApiClient) {
  const { identity, keys } = session;
  const me = await expectOk(await api.api.auth.me.$get());
  // The statement first: a rotation k officers signed moves the pinned key (decision 0606); the
  // server's answer is then compared with that, never taken in its place (issue 14).
  const { head, ...statement } = await checkStatement(api, identity);
  let current = identity;
  if ('rotatedTo' in statement && !identity.orgKeyAlarm) current = adoptRotatedKey(session, identity, statement.rotatedTo);
  // The role is never the server's word (it never changes a member's role, so a change would be the
  // server's alone): the verified statement's, when it lists this device, else the one it joined with.
  // A server that called a field phone an officer would otherwise make it keep what it sent.
  const role = (head && statementRole(head, identity.memberId, keys)) ?? current.role;
  if (role !== 'officer') await forgetAuthors(identity.orgId);
  const refreshed: IdentityRow = {
    ...current,
    role,
    orgName: me.org.name,
    orgKind: me.org.kind,
    ...checkServedOrgKey(current, me.org.publicKey),
  };
  if ('alarm' in statement) refreshed.orgKeyAlarm = statement.alarm;
  // A wrapped org key the server hands out is kept only once it opened to the pinned key; the last
  // good one is kept otherwise (a server that drops or garbles it cannot lock the officer out).
  if (me.wrappedOrgKey && me.wrappedOrgKey !== identity.wrappedOrgKey && !refreshed.orgKeyAlarm) {
    const unwrapped = unwrapPinned(refreshed, me.wrappedOrgKey, keys);
    if ('alarm' in unwrapped) refreshed.orgKeyAlarm = unwrapped.alarm;
    else {
      refreshed.wrappedOrgKey = me.wrappedOrgKey;
      if (session.orgKeys) unwrapped.orgKeys.secretKey.fill(0);
      else session.orgKeys = unwrapped.orgKeys;
    }
  }
  // Locked while this was under way: nothing is written with the zeroed keys.
  if (wiped(keys)) return;
  await saveIdentity(refreshed, keys);
  session.identity = refreshed;
}

/**
 * The organisation's signed statement (roster v2), verified from this device's pin (set from the
 * invitation, or on first use): a chain that does not verify, or a head naming another org key than
 * the pinned one, raises the alarm. Old v1 heads name no key and are only verified.
 */
async function checkStatement(
  api: ApiClient,
  identity: IdentityRow,
): Promise<{ head: RosterStatement | null } & ({ alarm: OrgKeyAlarm } | { rotatedTo: string } | object)> {
  const answer = await api.api.orgs[':orgId'].roster.$get({ param: { orgId: identity.orgId }, query: {} });
  const seenAt = new Date().toISOString();
  // Every organisation has a statement since version 1: a server that withholds it is refused, not believed.
  if (!answer.ok)
    return {
      head: null,
      alarm: { kind: 'statement', served: `the server did not give the organisation statement (${answer.status})`, seenAt },
    };
  const { chain } = await answer.json();
  const check = await trustRoster(identity.orgId, chain, { authors: identity.role === 'officer' });
  if (!check.ok) return { head: null, alarm: { kind: 'statement', served: check.message, seenAt } };
  const head = check.roster.head;
  const named = head.orgPublicKey;
  if (!named || !identity.orgPublicKey || named === identity.orgPublicKey) return { head };
  // The verified chain names another key than the pinned one. It moved there by a link k officers
  // signed after a version that named the pinned key: a rotation, taken. Anything else is an alarm.
  const versions = [...check.roster.versions.values()].sort((a, b) => a.version - b.version);
  const pinnedAt = versions.findIndex((statement) => statement.orgPublicKey === identity.orgPublicKey);
  if (pinnedAt >= 0 && pinnedAt < versions.length - 1) return { head, rotatedTo: named };
  return { head, alarm: { kind: 'public_key', served: named, seenAt } };
}

/** This device's role in a verified statement: listed (with its own signing key) as an officer or a field device; null when not listed. */
export function statementRole(
  head: RosterStatement,
  memberId: string,
  keys: Pick<MemberKeys, 'signPublicKey'>,
): IdentityRow['role'] | null {
  const own = toBase64(keys.signPublicKey);
  const listed = (entries: readonly { memberId: string; signPublicKey: string }[] | undefined) =>
    entries?.some((entry) => entry.memberId === memberId && entry.signPublicKey === own) ?? false;
  if (listed(head.officers)) return 'officer';
  if (listed(head.fieldDevices)) return 'field';
  return null;
}

/** Tries to connect; offline is not an error here (the device keeps working and syncs later). */
async function connectIfOnline(session: Session): Promise<Session> {
  try {
    await connect(session);
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  return session;
}

/** Opens the session: unlocks the keys with the passphrase (offline too), then signs in if it can. */
export async function unlock(passphrase: string, baseUrl?: string): Promise<Session> {
  await ready();
  const stored = await storedIdentity();
  if (!stored) throw new Error('no account on this device yet');
  let keys: MemberKeys;
  try {
    keys = unlockMemberKeys(JSON.parse(stored.lockedKeys), passphrase);
  } catch (error) {
    if ((error as { code?: string }).code !== 'bad_passphrase') throw error;
    const outcome = afterFailedUnlock(await loadLockSettings(), await failedUnlocks());
    if (outcome.wipe) {
      await wipeDevice();
      throw new DeviceWipedError('too_many_failures');
    }
    await setFailedUnlocks(outcome.failures);
    throw new WrongPassphraseError(outcome.remaining);
  }
  await setFailedUnlocks(0);
  const identity = openIdentity(stored, keys);
  // A row from before the sealed profile: sealed now, its names in the clear dropped.
  if (!('profile' in stored)) await saveIdentity(identity, keys);
  return connectIfOnline(openSession(identity, keys, baseUrl));
}

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
  await ready();
  const keys = generateMemberKeys();
  const orgKeys = generateOrgKeys();
  const orgId = newId();
  const founderId = newId();
  const wrappedOrgKey = wrapOrgKey(orgKeys, orgId, keys.boxPublicKey);
  const request = {
    id: orgId,
    kind: input.kind,
    name: input.name,
    ...(input.country ? { country: input.country } : {}),
    nationalities: input.nationalities ?? [],
    publicKey: toBase64(orgKeys.publicKey),
    approvalsRequired: input.approvalsRequired ?? 2,
    founder: {
      id: founderId,
      label: input.founderLabel,
      signPublicKey: toBase64(keys.signPublicKey),
      boxPublicKey: toBase64(keys.boxPublicKey),
      wrappedOrgKey,
    },
  };
  const signature = toBase64(sign(createOrgMessage(request), keys));
  const founder = request.founder;
  const roster = foundingRoster(
    orgId,
    { memberId: founder.id, signPublicKey: founder.signPublicKey, boxPublicKey: founder.boxPublicKey },
    request.approvalsRequired,
    keys,
    request.publicKey,
  );
  const created = await expectOk(await createApiClient(undefined, baseUrl).api.orgs.$post({ json: { request, signature, roster } }));
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
  await ready();
  const keys = generateMemberKeys();
  const memberId = newId();
  const member = {
    id: memberId,
    label: input.label,
    signPublicKey: toBase64(keys.signPublicKey),
    boxPublicKey: toBase64(keys.boxPublicKey),
  };
  // The invitation's secret part binds these keys for the inviting officer's device (the server,
  // which relays them, never sees the secret and so cannot swap them unnoticed).
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
  const signature = toBase64(sign(acceptInvitationMessage(request), keys));
  const joined = await expectOk(await createApiClient(undefined, baseUrl).api.invitations.accept.$post({ json: { request, signature } }));
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

/**
 * An officer gives another officer the org key, sealed to that officer's own box key. An officer
 * not yet in the roster joins it: this officer signs the next roster version adding them.
 */
export async function grantOrgKey(session: Session, member: NewMember, checked: KeyCheck = {}) {
  if (!session.orgKeys) throw new Error('only an officer holding the org key can share it');
  const api = await connect(session);
  // An officer already in the verified statement gets the key sealed to the box key the statement
  // names, never to what the server's member list says (it could name a key of the server's).
  const head = await ownRosterHead(session);
  const inStatement = head.officers.find((officer) => officer.memberId === member.id);
  if (inStatement && (inStatement.boxPublicKey !== member.boxPublicKey || inStatement.signPublicKey !== member.signPublicKey)) {
    throw new Error(`Not sealing: the server shows other keys for this officer than the signed statement (version ${head.version}) names`);
  }
  // A newcomer's keys are the server's word until bound to this device's invitation or compared.
  if (!inStatement) await requireKnownKeys(session.identity.orgId, { ...member, role: 'officer' }, checked);
  const wrappedOrgKey = wrapOrgKey(session.orgKeys, session.identity.orgId, fromBase64(inStatement?.boxPublicKey ?? member.boxPublicKey));
  const listed = inStatement !== undefined;
  const roster = await signNextRoster(
    session,
    (current) => ({ officers: [...current.officers.filter((officer) => officer.memberId !== member.id), rosterEntryOf(member)] }),
    head,
  );
  return expectOk(
    await api.api.orgs[':orgId'].members[':memberId']['org-key'].$put({
      param: { orgId: session.identity.orgId, memberId: member.id },
      json: listed ? { wrappedOrgKey } : { wrappedOrgKey, roster },
    }),
  );
}

/**
 * An officer proposes a new k: signs the roster version with it and sends it. It takes effect at
 * once only where this officer's signature is all the current roster needs; otherwise it waits for
 * co-signatures (`waiting: true`).
 */
export async function setApprovalsRequired(session: Session, approvalsRequired: number) {
  const api = await connect(session);
  const roster = await signNextRoster(session, () => ({ approvalsRequired }));
  const answer = await expectOk(
    await api.api.orgs[':orgId'].settings.$patch({ param: { orgId: session.identity.orgId }, json: { approvalsRequired, roster } }),
  );
  return { statement: roster.statement, waiting: 'proposal' in answer };
}

/**
 * An officer adds a field device to the organisation statement (one officer's signature is enough,
 * decision 0605), under the signing key the server lists for it: the officer compares its
 * fingerprint with the one the device shows before doing so.
 */
export async function admitFieldDevice(session: Session, member: NewMember, checked: KeyCheck = {}) {
  const api = await connect(session);
  await requireKnownKeys(session.identity.orgId, { ...member, role: 'field' }, checked);
  const head = await ownRosterHead(session);
  const roster = await signNextRoster(
    session,
    (current) => ({
      fieldDevices: [
        ...(current.fieldDevices ?? []).filter((device) => device.memberId !== member.id),
        { memberId: member.id, signPublicKey: member.signPublicKey },
      ],
    }),
    head,
  );
  return expectOk(
    await api.api.orgs[':orgId'].members[':memberId'].statement.$put({
      param: { orgId: session.identity.orgId, memberId: member.id },
      json: { roster },
    }),
  );
}

/**
 * An officer rotates the org key (decision 0606): a new key pair, the next statement naming it, and
 * the pair sealed to every officer of the verified statement, to the box key the statement lists
 * (never the server's member list). With k officers needed it waits for co-signatures; once applied,
 * every device moves to the new key at its next sign-in and officers' devices re-wrap what is stored.
 */
/**
 * The new key as a rotation request carries it: its key id, and the key pair wrapped to each
 * officer of the verified statement (crypto's wrapOrgKeyForMembers), but `leaving`.
 */
function newKeyFor(session: Session, next: OrgKeys, officers: readonly RosterOfficer[], leaving?: string) {
  const wraps = wrapOrgKeyForMembers(
    next,
    session.identity.orgId,
    officers.map((officer) => ({ memberId: officer.memberId, boxPublicKey: fromBase64(officer.boxPublicKey) })),
    leaving ? [leaving] : [],
  );
  return {
    keyId: toHex(orgKeyId(next.publicKey)).toUpperCase(),
    wrappedOrgKeys: [...wraps].map(([memberId, wrappedOrgKey]) => ({ memberId, wrappedOrgKey })),
  };
}

export async function rotateOrgKey(session: Session) {
  if (!session.orgKeys) throw new Error('only an officer holding the org key can rotate it');
  const api = await connect(session);
  const head = await ownRosterHead(session);
  const next = generateOrgKeys();
  try {
    const orgPublicKey = toBase64(next.publicKey);
    const roster = await signNextRoster(session, () => ({ orgPublicKey }), head);
    return await expectOk(
      await api.api.orgs[':orgId'].rotation.$post({
        param: { orgId: session.identity.orgId },
        json: { roster, ...newKeyFor(session, next, head.officers) },
      }),
    );
  } finally {
    // The new secret leaves this device only sealed to each officer: this officer gets it back from its own copy.
    next.secretKey.fill(0);
  }
}

/**
 * An officer removes a member; a member listed in the statement (officer or field device) leaves it
 * in a version this officer signs. With `rotate` (an officer whose device was lost or seized), the
 * same version names a new org key, wrapped to every officer who remains (decision 0606): no capture
 * is sealed to a key that device holds once the change takes effect.
 */
export async function removeMember(session: Session, member: { id: string }, { rotate = false }: { rotate?: boolean } = {}) {
  const api = await connect(session);
  const head = rotate ? await ownRosterHead(session) : null;
  if (head && !head.officers.some((officer) => officer.memberId === member.id))
    throw new Error('only an officer in the statement holds the org key; remove this member without a new key');
  const next = rotate ? generateOrgKeys() : null;
  try {
    let listed = false;
    const roster = await signNextRoster(
      session,
      (current) => {
        listed =
          current.officers.some((officer) => officer.memberId === member.id) ||
          (current.fieldDevices ?? []).some((device) => device.memberId === member.id);
        const officers = current.officers.filter((officer) => officer.memberId !== member.id);
        // A roster of one cannot lose its officer (the server says so too).
        if (officers.length === 0) throw new Error('this is the last officer in the roster; give another officer the org key first');
        return {
          officers,
          fieldDevices: (current.fieldDevices ?? []).filter((device) => device.memberId !== member.id),
          ...(next ? { orgPublicKey: toBase64(next.publicKey) } : {}),
        };
      },
      head ?? undefined,
    );
    const rotation = head && next ? newKeyFor(session, next, head.officers, member.id) : undefined;
    return expectOk(
      await api.api.orgs[':orgId'].members[':memberId'].$delete({
        param: { orgId: session.identity.orgId, memberId: member.id },
        json: listed ? { roster, ...(rotation ? { rotation } : {}) } : {},
      }),
    );
  } finally {
    // As in rotateOrgKey: the new secret leaves this device only sealed to each remaining officer.
    next?.secretKey.fill(0);
  }
}
