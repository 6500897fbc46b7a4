// Officer administration: giving another officer the org key, admitting field devices, changing k,
// rotating the org key and removing members, each as a statement version this officer signs.
import { fromBase64, generateOrgKeys, toBase64, wrapOrgKey } from '#crypto';
import { expectOk } from './api.ts';
import { requireKnownKeys, type KeyCheck, type NewMember } from './invitation-secrets.ts';
import { listsMember, rosterEntryOf, rotationKeys, withFieldDevice, withOfficer, withoutMember } from './protocol/statement.ts';
import { ownRosterHead, signNextRoster } from './roster.ts';
import { connect, type Session } from './session.ts';

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
  const roster = await signNextRoster(session, withOfficer(rosterEntryOf(member)), head);
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
  const roster = await signNextRoster(session, withFieldDevice({ memberId: member.id, signPublicKey: member.signPublicKey }), head);
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
        json: { roster, ...rotationKeys(session.identity.orgId, next, head.officers) },
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
        listed = listsMember(current, member.id);
        const change = withoutMember(member.id)(current);
        // A roster of one cannot lose its officer (the server says so too).
        if (change.officers.length === 0) throw new Error('this is the last officer in the roster; give another officer the org key first');
        return { ...change, ...(next ? { orgPublicKey: toBase64(next.publicKey) } : {}) };
      },
      head ?? undefined,
    );
    const rotation = head && next ? rotationKeys(session.identity.orgId, next, head.officers, member.id) : undefined;
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
