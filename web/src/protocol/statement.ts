// The device side of the protocol, part two: the organisation statement (roster v2, decisions 0602,
// 0605, 0606) as an officer's device changes it. The next version signed on top of a head, the
// changes the app makes (an officer added, a field device admitted, a member removed), a new org key
// wrapped to the officers, a co-signature. Shared by the web client, the demo seeding and the tests
// (decision 0808); pure: the caller fetches and verifies the head and sends what this signs.
import { fromBase64, orgKeyId, sign, toBase64, toHex, wrapOrgKeyForMembers, type MemberKeys, type OrgKeys } from '#crypto';
import {
  nextRoster,
  rosterBytes,
  type RosterChangeRequest,
  type RosterFieldDevice,
  type RosterOfficer,
  type RosterStatement,
  type RosterStatementV2,
  type SignedRoster,
} from '#crypto/roster';
import { signRoster } from '#crypto/roster-sign';

/** A member as a statement lists an officer: its id and both public keys. */
export const memberEntry = (memberId: string, keys: Pick<MemberKeys, 'signPublicKey' | 'boxPublicKey'>): RosterOfficer => ({
  memberId,
  signPublicKey: toBase64(keys.signPublicKey),
  boxPublicKey: toBase64(keys.boxPublicKey),
});

/** The same from a member as the API lists it (keys in base64url). */
export const rosterEntryOf = (member: { id: string; signPublicKey: string; boxPublicKey: string }): RosterOfficer => ({
  memberId: member.id,
  signPublicKey: member.signPublicKey,
  boxPublicKey: member.boxPublicKey,
});

/**
 * The next statement version (v2) on top of `head`, signed by the proposing officer. It names
 * `orgPublicKey` (moving a v1 head to v2 on the way) unless the change names another. With k officers
 * needed, others co-sign it (cosignature) before it applies.
 */
export async function signNextStatement(
  head: RosterStatement,
  orgPublicKey: string | undefined,
  change: RosterChangeRequest,
  signer: { memberId: string; keys: MemberKeys },
): Promise<SignedRoster<RosterStatementV2>> {
  return signRoster(await nextRoster(head, { ...(orgPublicKey ? { orgPublicKey } : {}), ...change }), signer.memberId, signer.keys);
}

/** An officer's signature over a waiting statement version, as the co-signing request carries it. */
export const cosignature = (statement: RosterStatement, keys: MemberKeys): string => toBase64(sign(rosterBytes(statement), keys));

/** The change that lists `officer` (replacing an earlier entry of the same member). */
export const withOfficer =
  (officer: RosterOfficer) =>
  (head: RosterStatement): RosterChangeRequest => ({
    officers: [...head.officers.filter((entry) => entry.memberId !== officer.memberId), officer],
  });

/** The change that lists a field device under its signing key (one officer's signature is enough, decision 0605). */
export const withFieldDevice =
  (device: RosterFieldDevice) =>
  (head: RosterStatement): RosterChangeRequest => ({
    fieldDevices: [...(head.fieldDevices ?? []).filter((entry) => entry.memberId !== device.memberId), device],
  });

/** The change that takes a member out of the statement, as an officer or a field device. */
export const withoutMember =
  (memberId: string) =>
  (head: RosterStatement): Required<Pick<RosterChangeRequest, 'officers' | 'fieldDevices'>> => ({
    officers: head.officers.filter((entry) => entry.memberId !== memberId),
    fieldDevices: (head.fieldDevices ?? []).filter((entry) => entry.memberId !== memberId),
  });

/** Whether the statement lists the member, as an officer or a field device. */
export const listsMember = (head: RosterStatement, memberId: string): boolean =>
  head.officers.some((entry) => entry.memberId === memberId) || (head.fieldDevices ?? []).some((entry) => entry.memberId === memberId);

/**
 * A new org key as a rotation request carries it (decision 0606): its key id, and the key pair
 * wrapped to each officer of the verified statement, to the box key the statement lists, but `leaving`.
 */
export function rotationKeys(orgId: string, next: OrgKeys, officers: readonly RosterOfficer[], leaving?: string) {
  const wraps = wrapOrgKeyForMembers(
    next,
    orgId,
    officers.map((officer) => ({ memberId: officer.memberId, boxPublicKey: fromBase64(officer.boxPublicKey) })),
    leaving ? [leaving] : [],
  );
  return {
    keyId: toHex(orgKeyId(next.publicKey)).toUpperCase(),
    wrappedOrgKeys: [...wraps].map(([memberId, wrappedOrgKey]) => ({ memberId, wrappedOrgKey })),
  };
}
