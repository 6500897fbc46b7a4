// Signing side of the officer roster (clients; libsodium). Verification: roster.ts.
import { toBase64 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import { normaliseRoster, ROSTER_PURPOSE, rosterBytes, type RosterOfficer, type RosterStatement, type SignedRoster } from './roster.ts';

/** Signs a statement as `signerId` (who must be an officer of the previous version, or of v1 itself). */
export function signRoster(statement: RosterStatement, signerId: string, keys: MemberKeys): SignedRoster {
  const normalised = normaliseRoster(statement);
  return { statement: normalised, signerId, signature: toBase64(sign(rosterBytes(normalised), keys)) };
}

/** Version 1: the founder alone, signed by the founder. */
export function foundingRoster(orgId: string, founder: RosterOfficer, approvalsRequired: number, keys: MemberKeys): SignedRoster {
  return signRoster({ purpose: ROSTER_PURPOSE, orgId, version: 1, previous: null, approvalsRequired, officers: [founder] }, founder.memberId, keys);
}
