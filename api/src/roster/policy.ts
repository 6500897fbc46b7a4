// What each change to an organisation's statement must say, decided without I/O: routes read the
// head and the member from D1, ask here what the next version must change (or why the request is
// refused), then submit the signed version (store.ts) and apply the action (actions.ts). Pure, so
// every rule is tested on its own (policy.test.ts), not only through the routes.
import type { RosterFieldDevice, RosterOfficer, RosterStatement } from '#crypto/roster';
import type { MemberRow } from '../db/orgs.ts';
import { badRequest, conflict } from '../errors.ts';
import type { ExpectedRoster, RosterAction } from './store.ts';

type Member = Pick<MemberRow, 'label' | 'sign_public_key' | 'box_public_key'>;

/** Version 1 of a new organisation's statement: the founder alone, with the org key and k the request names. */
export function foundingRoster(request: {
  publicKey: string;
  approvalsRequired: number;
  founder: { id: string; signPublicKey: string; boxPublicKey: string };
}): ExpectedRoster {
  return {
    retentionDays: undefined,
    officers: [{ memberId: request.founder.id, signPublicKey: request.founder.signPublicKey, boxPublicKey: request.founder.boxPublicKey }],
    fieldDevices: [],
    approvalsRequired: request.approvalsRequired,
    orgPublicKey: request.publicKey,
    signerId: request.founder.id,
    what: 'creating the organisation (version 1 names the founder alone and the org key)',
  };
}

/** A consulate names the nationalities it serves (CSOs find the consulates of the people they protect by them). */
export function checkNationalities(kind: string, nationalities: readonly string[]) {
  if (kind === 'consulate' && nationalities.length === 0) {
    throw badRequest('body.request.nationalities: a consulate must name the nationalities it serves');
  }
}

/**
 * A rotation names a key other than the current one, and carries the new key for exactly the
 * officers of the statement that names it (each co-signer's device opens its own copy).
 */
export function checkRotation(
  currentKey: string,
  orgPublicKey: string,
  officers: readonly { memberId: string }[],
  field: string,
  wraps: readonly { memberId: string }[],
) {
  if (orgPublicKey === currentKey) throw badRequest('body.roster: a rotation names a new org public key; this one is the current key');
  const expected = officers.map((officer) => officer.memberId).sort();
  const wrapped = wraps.map((wrap) => wrap.memberId).sort();
  if (expected.join('\n') !== wrapped.join('\n')) {
    throw badRequest(
      `${field}: must hold the new key for exactly the officers of the statement [${expected.join(', ')}], once each; it names [${wrapped.join(', ')}]`,
    );
  }
}

/**
 * Giving `member` the org key. Null: they are an officer of the statement already, and this only
 * re-seals the key (after a rotation), with no new version. Otherwise the version proposed and the
 * officers it must list: the head's and this one.
 */
export function grantChange<Signed>(
  head: RosterStatement,
  memberId: string,
  member: Member,
  roster: Signed | undefined,
): { roster: Signed; change: { officers: RosterOfficer[] } } | null {
  if (head.officers.some((officer) => officer.memberId === memberId)) {
    if (roster !== undefined)
      throw badRequest('body.roster: this officer is in the roster already; re-sealing the org key needs no new roster');
    return null;
  }
  if (roster === undefined)
    throw badRequest(
      'body.roster: giving the org key to a new officer needs the next version of the officer roster, adding them, proposed by you',
    );
  return {
    roster,
    change: { officers: [...head.officers, { memberId, signPublicKey: member.sign_public_key, boxPublicKey: member.box_public_key }] },
  };
}

/** Adding a field device: the field devices the next version must list (the head's and this one, under the key it registered). */
export function admitChange(head: RosterStatement, memberId: string, member: Member): { fieldDevices: RosterFieldDevice[] } {
  if (head.fieldDevices?.some((device) => device.memberId === memberId)) throw conflict('this field device is in the statement already');
  return { fieldDevices: [...(head.fieldDevices ?? []), { memberId, signPublicKey: member.sign_public_key }] };
}

/** Where a member being removed stands in the statement (`head` undefined: the organisation has none). */
export interface Removal {
  /** The officers who stay. */
  remaining: RosterOfficer[];
  asOfficer: boolean;
  asFieldDevice: boolean;
}

export function removalOf(head: RosterStatement | undefined, memberId: string): Removal {
  return {
    remaining: (head?.officers ?? []).filter((officer) => officer.memberId !== memberId),
    asOfficer: head?.officers.some((officer) => officer.memberId === memberId) ?? false,
    asFieldDevice: head?.fieldDevices?.some((device) => device.memberId === memberId) ?? false,
  };
}

/**
 * A new org key only comes with the removal of an officer listed in the statement, and with the
 * version naming it: answers that version.
 */
export function checkRemovalRotation<Signed>(head: RosterStatement | undefined, removal: Removal, roster: Signed | undefined): Signed {
  if (!head || roster === undefined || removal.remaining.length === head.officers.length) {
    throw badRequest(
      'body.rotation: a new org key comes with the removal of an officer listed in the statement, and with `roster` naming that key',
    );
  }
  return roster;
}

/**
 * What the next version must list once the member is gone, with the head it follows and the
 * version proposed. Null: the member is in no statement (a field device not added yet, or an
 * officer who never got the org key), and one officer removes it with no new version.
 */
export function removalChange<Signed>(
  head: RosterStatement | undefined,
  memberId: string,
  removal: Removal,
  roster: Signed | undefined,
): { head: RosterStatement; roster: Signed; change: { officers: RosterOfficer[]; fieldDevices: RosterFieldDevice[] } } | null {
  if (!head || (!removal.asOfficer && !removal.asFieldDevice)) {
    if (roster !== undefined)
      throw badRequest('body.roster: this member is not in the organisation statement, so removing them changes no statement');
    return null;
  }
  if (removal.remaining.length === 0)
    throw conflict('this is the last officer in the roster; give another officer the org key before removing this one');
  if (roster === undefined) {
    throw badRequest(
      `body.roster: removing ${removal.asOfficer ? 'an officer' : 'a field device'} listed in the organisation statement needs its next version, without them, proposed by you${removal.asOfficer ? '' : ' (your signature alone is enough)'}`,
    );
  }
  return {
    head,
    roster,
    change: { officers: removal.remaining, fieldDevices: (head.fieldDevices ?? []).filter((device) => device.memberId !== memberId) },
  };
}

/** A settings change: the action applying it, the words for it, and what the next version changes. */
export interface SettingsChange {
  action: Extract<RosterAction, { kind: 'approvals' } | { kind: 'retention' }>;
  what: string;
  change: { approvalsRequired: number } | { retentionDays: number };
}

/**
 * k and the retention period are both in the signed statement: each change needs k officers, one at
 * a time (issue 15: one officer could shorten retention to a day). Null: nothing changes.
 */
export function settingsChange(
  head: RosterStatement,
  settings: { approvalsRequired?: number; retentionDays?: number },
  withRoster: boolean,
): SettingsChange | null {
  const { approvalsRequired, retentionDays } = settings;
  const changesK = approvalsRequired !== undefined && approvalsRequired !== head.approvalsRequired;
  const changesRetention = retentionDays !== undefined && retentionDays !== head.retentionDays;
  if (!changesK && !changesRetention) {
    if (withRoster) throw badRequest('body.roster: nothing changes, so the statement must not either');
    return null;
  }
  if (changesK && changesRetention)
    throw badRequest('body: change k and the retention period one at a time: each is a statement of its own that officers see and sign');
  if (changesK)
    return { action: { kind: 'approvals', approvalsRequired }, what: `changing k to ${approvalsRequired}`, change: { approvalsRequired } };
  return {
    action: { kind: 'retention', retentionDays: retentionDays! },
    what: `keeping records ${retentionDays} days`,
    change: { retentionDays: retentionDays! },
  };
}
