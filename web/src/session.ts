// The member's session on this device: who they are, their unlocked keys (memory only), and a
// short-lived API token got by signing a server challenge. Unlocking works offline; the token is
// fetched when a connection is there. Keys never leave the device unlocked.
import {
  CryptoError,
  fromBase64,
  ready,
  releaseWorkspace,
  toBase64,
  unlockMemberKeys,
  unwrapOrgKey,
  wipeMemberKeys,
  type MemberKeys,
  type OrgKeys,
} from '#crypto';
import type { RosterStatement } from '#crypto/roster';
import { ApiRequestError, createApiClient, expectOk, OfflineError, type ApiClient } from './api.ts';
import { openIdentity, saveIdentity, storedIdentity } from './identity.ts';
import { afterFailedUnlock } from './lock/policy.ts';
import { requestToken } from './protocol/membership.ts';
import { forgetAuthors, trustRoster } from './roster-trust.ts';
import { wipeDevice, type IdentityRow, type OrgKeyAlarm } from './store/db.ts';
import { failedUnlocks, loadLockSettings, setFailedUnlocks } from './store/settings.ts';
import { checkServedOrgKey } from './org-key.ts';

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

export function openSession(identity: IdentityRow, keys: MemberKeys, baseUrl?: string): Session {
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
  const { token, expiresAt } = await requestToken(anonymous, identity.memberId, keys);
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
export async function connectIfOnline(session: Session): Promise<Session> {
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
