// Signing side of the officer roster (clients; libsodium). Verification: roster.ts.
import { toBase64 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import {
  normaliseRoster,
  ROSTER_PURPOSE,
  ROSTER_V2_PURPOSE,
  rosterBytes,
  type RosterOfficer,
  type RosterStatement,
  type RosterStatementV2,
  type SignedRoster,
} from './roster.ts';

/** Signs a statement as `signerId`, the proposer (an officer of the previous version, or of version 1 itself). */
export function signRoster<Statement extends RosterStatement>(
  statement: Statement,
  signerId: string,
  keys: MemberKeys,
): SignedRoster<Statement> {
  const normalised = normaliseRoster(statement) as Statement;
  return { statement: normalised, signerId, signature: toBase64(sign(rosterBytes(normalised), keys)) };
}

/** Adds `signerId`'s co-signature to a proposed version (v2): the same bytes, another officer's key. */
export function cosignRoster<Statement extends RosterStatement>(
  signed: SignedRoster<Statement>,
  signerId: string,
  keys: MemberKeys,
): SignedRoster<Statement> {
  const normalised = normaliseRoster(signed.statement) as Statement;
  if (normalised.purpose !== ROSTER_V2_PURPOSE) throw new Error(`only ${ROSTER_V2_PURPOSE} statements take co-signatures`);
  const others = (signed.cosignatures ?? []).filter((cosignature) => cosignature.signerId !== signerId);
  return {
    ...signed,
    statement: normalised,
    cosignatures: [...others, { signerId, signature: toBase64(sign(rosterBytes(normalised), keys)) }],
  };
}

/** Version 1 (v2 format): the founder alone, with the org public key the founder's device made, signed by the founder. */
export function foundingRoster(
  orgId: string,
  founder: RosterOfficer,
  approvalsRequired: number,
  keys: MemberKeys,
  orgPublicKey: string,
): SignedRoster<RosterStatementV2> {
  const statement: RosterStatementV2 = {
    purpose: ROSTER_V2_PURPOSE,
    orgId,
    version: 1,
    previous: null,
    approvalsRequired,
    officers: [founder],
    orgPublicKey,
  };
  return signRoster(statement, founder.memberId, keys);
}

/** Version 1 in the old single-signer format (decision 0602): only to test that old chains still verify. */
export function foundingRosterV1(orgId: string, founder: RosterOfficer, approvalsRequired: number, keys: MemberKeys): SignedRoster {
  return signRoster(
    { purpose: ROSTER_PURPOSE, orgId, version: 1, previous: null, approvalsRequired, officers: [founder] },
    founder.memberId,
    keys,
  );
}
