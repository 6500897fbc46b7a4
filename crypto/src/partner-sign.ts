// Signing side of the partner statement (clients; libsodium). Verification: partner.ts.
import { toBase64 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import { normalisePartner, partnerBytes, type PartnerStatement, type SignedPartner } from './partner.ts';

/** Signs what the officer `signerId` verified of a partner. */
export function signPartner(statement: PartnerStatement, signerId: string, keys: MemberKeys): SignedPartner {
  const normalised = normalisePartner(statement);
  return { statement: normalised, signerId, signature: toBase64(sign(partnerBytes(normalised), keys)) };
}
