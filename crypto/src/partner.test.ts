import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from './encoding.ts';
import { generateMemberKeys, type MemberKeys } from './members.ts';
import { signPartner } from './partner-sign.ts';
import {
  formatPartnerCode,
  normalisePartner,
  parsePartnerCode,
  PARTNER_PURPOSE,
  partnerBytes,
  verifyPartner,
  type PartnerStatement,
} from './partner.ts';
import { ready } from './sodium.ts';

let officer: MemberKeys;
let other: MemberKeys;
const statement = (change: Partial<PartnerStatement> = {}): PartnerStatement => ({
  purpose: PARTNER_PURPOSE,
  csoOrgId: 'cso-org-0001',
  requesterOrgId: 'consulate-0001',
  kind: 'consulate',
  nationalities: ['NP', 'BD'],
  requesterHead: { version: 3, hash: 'ab'.repeat(32) },
  verifiedAt: '2026-12-07T12:00:00.000Z',
  ...change,
});

beforeAll(async () => {
  await ready();
  officer = generateMemberKeys();
  other = generateMemberKeys();
});

describe('partner statements', () => {
  it('verify under an officer of the CSO, for that CSO and that requester only', async () => {
    const signed = signPartner(statement(), 'officer-a', officer);
    expect(signed.statement.nationalities).toEqual(['BD', 'NP']); // sorted before signing
    const officers = new Map([['officer-a', toBase64(officer.signPublicKey)]]);
    expect(await verifyPartner(signed, officers, { csoOrgId: 'cso-org-0001', requesterOrgId: 'consulate-0001' })).toEqual(signed.statement);
    await expect(verifyPartner(signed, officers, { csoOrgId: 'another-cso-01' })).rejects.toThrow(/not another-cso-01/);
    await expect(verifyPartner(signed, officers, { csoOrgId: 'cso-org-0001', requesterOrgId: 'impostor-0001' })).rejects.toThrow(
      /not impostor-0001/,
    );
    await expect(
      verifyPartner(signed, new Map([['officer-a', toBase64(other.signPublicKey)]]), { csoOrgId: 'cso-org-0001' }),
    ).rejects.toThrow(/does not verify/);
    await expect(verifyPartner(signed, new Map(), { csoOrgId: 'cso-org-0001' })).rejects.toThrow(/not an officer/);
  });

  it('refuse a kind, nationality or head changed after signing', async () => {
    const signed = signPartner(statement(), 'officer-a', officer);
    const officers = new Map([['officer-a', toBase64(officer.signPublicKey)]]);
    for (const change of [
      { kind: 'city' as const, nationalities: [] },
      { nationalities: ['BD', 'NP', 'SY'] },
      { requesterHead: { version: 4, hash: 'ab'.repeat(32) } },
    ]) {
      await expect(
        verifyPartner({ ...signed, statement: { ...signed.statement, ...change } }, officers, { csoOrgId: 'cso-org-0001' }),
      ).rejects.toThrow(/does not verify/);
    }
  });

  it('refuse malformed statements with the field named', () => {
    expect(() => normalisePartner(statement({ kind: 'cso' as never }))).toThrow(/kind must be/);
    expect(() => normalisePartner(statement({ nationalities: [] }))).toThrow(/at least one nationality/);
    expect(() => normalisePartner(statement({ nationalities: ['np'] }))).toThrow(/alpha-2 code in capitals/);
    expect(() => normalisePartner(statement({ nationalities: ['NP', 'NP'] }))).toThrow(/listed twice/);
    expect(() => normalisePartner(statement({ requesterHead: { version: 0, hash: 'ab'.repeat(32) } }))).toThrow(/requesterHead.version/);
    expect(() => normalisePartner(statement({ requesterOrgId: 'cso-org-0001' }))).toThrow(/not its own partner/);
    expect(() => normalisePartner({ ...statement(), extra: 1 } as never)).toThrow(/unknown field extra/);
    expect(normalisePartner(statement({ kind: 'city', nationalities: [] })).kind).toBe('city');
    // The signed bytes are canonical JSON: the same statement in another key order signs the same.
    const reordered = Object.fromEntries(Object.entries(statement()).reverse()) as unknown as PartnerStatement;
    expect(partnerBytes(reordered)).toEqual(partnerBytes(statement()));
  });

  it('travel as a code of id and head that reads back, in either case of hex', () => {
    const code = { orgId: 'consulate-0001', version: 12, hash: 'cd'.repeat(32) };
    expect(parsePartnerCode(` ${formatPartnerCode(code)} `)).toEqual(code);
    expect(parsePartnerCode(formatPartnerCode(code).toUpperCase().replace('CONSULATE', 'consulate'))).toEqual(code);
    expect(parsePartnerCode('consulate-0001~12.abcd')).toBeNull();
    expect(parsePartnerCode(`consulate-0001~0.${'cd'.repeat(32)}`)).toBeNull();
  });
});
