// The device side of the protocol, part four: a CSO officer's partner statement (decision 0609),
// signed after comparing a requester's statement fingerprint out of band. Shared by the web client
// and the demo seeding and tests (decision 0808); pure: the caller sends it.
import type { MemberKeys } from '#crypto';
import { PARTNER_PURPOSE, type PartnerKind } from '#crypto/partner';
import { signPartner } from '#crypto/partner-sign';

/** The statement that lists `requester` as a partner of the officer's organisation, with the kind and nationalities the officer accepted. */
export function partnerStatement(
  officer: { orgId: string; memberId: string; keys: MemberKeys },
  requester: { orgId: string; kind: PartnerKind; nationalities: string[]; head: { version: number; hash: string } },
) {
  return signPartner(
    {
      purpose: PARTNER_PURPOSE,
      csoOrgId: officer.orgId,
      requesterOrgId: requester.orgId,
      kind: requester.kind,
      nationalities: requester.nationalities,
      requesterHead: requester.head,
      verifiedAt: new Date().toISOString(),
    },
    officer.memberId,
    officer.keys,
  );
}
