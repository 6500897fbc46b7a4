// The requester's refusals: a release is opened only for the signed request, with k valid approvals
// by the CSO's active officers and no veto, and only if every record is inside the approved scope.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMemberKeys, generateOrgKeys, ready, toBase64, type MemberKeys } from '#crypto';
import { newRequestNonce, requestHashSync, signDecision, signRequest } from '#crypto/activation-sign';
import { releaseRecords, selectForRelease, type Scope } from './select.ts';
import { community, dernaArea, person } from './test-records.ts';
import { nextRoster, rosterHash, type RosterOfficer, type SignedRoster } from '#crypto/roster';
import { cosignRoster, foundingRoster, signRoster } from '#crypto/roster-sign';
import { checkApprovals, checkReleasedScope, checkRoster, type ActivationDetail, type TrustedRoster } from './verify.ts';

let requester: MemberKeys;
let officers: MemberKeys[];
let request: ActivationDetail['request'];
let hash: string;
let chain: SignedRoster[];
let roster: TrustedRoster;
const cso = 'cso-1';
const entry = (index: number): RosterOfficer => ({
  memberId: `officer-${index}`,
  signPublicKey: toBase64(officers[index]!.signPublicKey),
  boxPublicKey: toBase64(officers[index]!.boxPublicKey),
});

const at = '2026-11-23T10:00:00.000Z';
/** The CSO as a target of the request, filed before roster versions were recorded. */
const target = (approvalsRequired: number) => ({
  orgId: cso,
  approvalsRequired,
  rosterVersion: null,
  status: 'approved' as const,
  updatedAt: at,
});

function detail(
  decisions: { officer: number; decision: 'approve' | 'veto'; signer?: number }[],
  overrides: Partial<ActivationDetail> = {},
): ActivationDetail {
  return {
    hash,
    request,
    signature: signRequest(request, requester),
    targets: [target(2)],
    decisions: decisions.map(({ officer, decision, signer }) => ({
      orgId: cso,
      memberId: `officer-${officer}`,
      decision,
      signature: signDecision(hash, decision, `officer-${officer}`, officers[signer ?? officer]!).signature,
      createdAt: at,
    })),
    rosters: {},
    audit: { entries: [], verdict: { ok: true, headHash: '', length: 0 } },
    officers: {
      [cso]: officers.map((keys, index) => ({
        memberId: `officer-${index}`,
        label: `Officer ${index}`,
        signPublicKey: toBase64(keys.signPublicKey),
        status: index === 3 ? 'revoked' : 'active',
      })),
    },
    ...overrides,
  };
}

beforeAll(async () => {
  await ready();
  requester = generateMemberKeys();
  officers = [generateMemberKeys(), generateMemberKeys(), generateMemberKeys(), generateMemberKeys()];
  request = {
    orgIds: [cso],
    requester: { id: 'consular-officer', signPublicKey: toBase64(requester.signPublicKey), boxPublicKey: toBase64(requester.boxPublicKey) },
    area: dernaArea,
    nationalities: ['NP'],
    fields: ['headcount', 'location', 'names', 'nationality'],
    purpose: 'Evacuation of Nepali workers from Derna port',
    expiresAt: '2026-12-01T00:00:00.000Z',
    createdAt: '2026-11-23T09:00:00.000Z',
    nonce: newRequestNonce(),
    kind: 'release',
  };
  hash = requestHashSync(request);
  // v1: officer-0 founds with k = 1; v2: officers 1 to 3 join and k = 2; v3: officer-3 is removed.
  const v1 = foundingRoster(cso, entry(0), 1, officers[0]!, toBase64(generateOrgKeys().publicKey));
  const v2 = signRoster(
    await nextRoster(v1.statement, { officers: [0, 1, 2, 3].map(entry), approvalsRequired: 2 }),
    'officer-0',
    officers[0]!,
  );
  const v3 = cosignRoster(
    signRoster(await nextRoster(v2.statement, { officers: [0, 1, 2].map(entry) }), 'officer-1', officers[1]!),
    'officer-2',
    officers[2]!,
  );
  chain = [v1, v2, v3];
  const check = await checkRoster(cso, chain, null);
  if (!check.ok) throw new Error(check.message);
  roster = check.roster;
});

describe('approvals, checked by the requester', () => {
  it('accepts k approvals by active officers and no veto', async () => {
    const result = await checkApprovals(
      detail([
        { officer: 0, decision: 'approve' },
        { officer: 1, decision: 'approve' },
      ]),
      cso,
      roster,
    );
    expect(result).toMatchObject({ ok: true, needed: 2, approvers: ['officer-0', 'officer-1'] });
  });

  it('refuses k-1 approvals', async () => {
    const result = await checkApprovals(detail([{ officer: 0, decision: 'approve' }]), cso, roster);
    expect(result).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
    expect(!result.ok && result.message).toMatch(/only 1 valid approval of the 2 needed/);
  });

  it('refuses when the server shows k approvals of which one is forged, or by a removed officer', async () => {
    const forged = await checkApprovals(
      detail([
        { officer: 0, decision: 'approve' },
        { officer: 1, decision: 'approve', signer: 0 },
      ]),
      cso,
      roster,
    );
    expect(forged).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
    expect(!forged.ok && forged.message).toMatch(/bad signature/);
    const revoked = await checkApprovals(
      detail([
        { officer: 0, decision: 'approve' },
        { officer: 3, decision: 'approve' },
      ]),
      cso,
      roster,
    );
    expect(revoked).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
  });

  it('refuses a duplicated approval counted twice', async () => {
    const result = await checkApprovals(
      detail([
        { officer: 0, decision: 'approve' },
        { officer: 0, decision: 'approve' },
      ]),
      cso,
      roster,
    );
    expect(result).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
  });

  it('refuses on a single veto, whatever the approvals', async () => {
    const result = await checkApprovals(
      detail([
        { officer: 0, decision: 'approve' },
        { officer: 1, decision: 'approve' },
        { officer: 2, decision: 'veto' },
      ]),
      cso,
      roster,
    );
    expect(result).toMatchObject({ ok: false, reason: 'vetoed' });
  });

  it('refuses a request altered on the server (hash or signature), and a lowered k below 1', async () => {
    const approvals = [
      { officer: 0, decision: 'approve' as const },
      { officer: 1, decision: 'approve' as const },
    ];
    const widened = await checkApprovals(detail(approvals, { request: { ...request, nationalities: ['NP', 'IN'] } }), cso, roster);
    expect(widened).toMatchObject({ ok: false, reason: 'bad_request' });
    const badSignature = await checkApprovals(detail(approvals, { signature: signRequest(request, officers[0]!) }), cso, roster);
    expect(badSignature).toMatchObject({ ok: false, reason: 'bad_request' });
    const zeroK = await checkApprovals(detail([], { targets: [target(0)] }), cso, roster);
    expect(zeroK).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
    const notAsked = await checkApprovals(detail(approvals), 'another-cso', roster);
    expect(notAsked).toMatchObject({ ok: false, reason: 'not_addressed' });
  });
});

describe('officer keys and k come from the verified roster, not from the server', () => {
  it('ignores approvals by a key the server lists as an active officer but no roster version names', async () => {
    const fake = generateMemberKeys();
    const withFake = detail([{ officer: 0, decision: 'approve' }], {
      officers: { [cso]: [{ memberId: 'officer-fake', label: 'Fake', signPublicKey: toBase64(fake.signPublicKey), status: 'active' }] },
    });
    withFake.decisions.push({
      orgId: cso,
      memberId: 'officer-fake',
      decision: 'approve',
      signature: signDecision(hash, 'approve', 'officer-fake', fake).signature,
      createdAt: at,
    });
    const result = await checkApprovals(withFake, cso, roster);
    expect(result).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
    expect(!result.ok && result.message).toMatch(/not an officer/);
  });

  it('needs the roster’s k even when the server says 1', async () => {
    const lowered = await checkApprovals(detail([{ officer: 0, decision: 'approve' }], { targets: [target(1)] }), cso, roster);
    expect(lowered).toMatchObject({ ok: false, reason: 'not_enough_approvals' });
    expect(!lowered.ok && lowered.message).toMatch(/of the 2 needed/);
  });

  it('pins on first use, reports later changes, and refuses a fork or a rollback against the pin', async () => {
    const first = await checkRoster(cso, chain.slice(0, 1), null);
    expect(first.ok && first.roster.firstUse).toBe(true);
    if (!first.ok) return;
    const later = await checkRoster(cso, chain, first.roster.pin);
    expect(later.ok && later.roster.change?.added.map((officer) => officer.memberId)).toEqual(['officer-1', 'officer-2']);
    expect(later.ok && later.roster.change?.approvalsRequired).toEqual({ from: 1, to: 2 });
    expect(later.ok && later.roster.everOfficers.map((officer) => officer.memberId).sort()).toEqual([
      'officer-0',
      'officer-1',
      'officer-2',
      'officer-3',
    ]);
    const intruder = generateMemberKeys();
    const forkedV2 = signRoster(
      await nextRoster(chain[0]!.statement, {
        officers: [
          entry(0),
          { memberId: 'intruder', signPublicKey: toBase64(intruder.signPublicKey), boxPublicKey: toBase64(intruder.boxPublicKey) },
        ],
      }),
      'officer-0',
      officers[0]!,
    );
    const pinAtV2 = { orgId: cso, version: 2, hash: await rosterHash(chain[1]!.statement) };
    const forked = await checkRoster(cso, [chain[0]!, forkedV2], pinAtV2);
    expect(forked).toMatchObject({ ok: false });
    expect(!forked.ok && forked.message).toMatch(/broken or forked at version 2/);
    const rollback = await checkRoster(cso, chain.slice(0, 1), pinAtV2);
    expect(!rollback.ok && rollback.message).toMatch(/rollback/);
    expect(await checkRoster(cso, [], null)).toMatchObject({ ok: false });
  });
});

describe('scope of the opened records, checked by the requester', () => {
  const scope: Scope = {
    area: dernaArea,
    nationalities: ['NP'],
    fields: ['headcount', 'location', 'names', 'nationality'],
    requesterKind: 'consulate',
  };
  const inside = community('c1', 22.64, 32.76, ['NP']);
  async function honest() {
    return releaseRecords(
      await selectForRelease(
        {
          communities: [inside],
          persons: [person('p1', 'c1', 'NP'), person('p2', undefined, 'NP', {}, { location: { lon: 22.5, lat: 32.7 } })],
        },
        scope,
      ),
      scope,
    );
  }

  it('accepts what an honest officer releases', async () => {
    expect(checkReleasedScope(await honest(), request)).toEqual({ ok: true, unchecked: [] });
  });

  it('refuses a record outside the area', async () => {
    const records = await honest();
    records.push({ id: 'p9', kind: 'person', name: 'Far away', nationality: 'NP', location: { lon: 20.07, lat: 32.12 } });
    const result = checkReleasedScope(records, request);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join()).toMatch(/outside the approved area/);
  });

  it('refuses a person of another nationality, and a community listing one', async () => {
    const person = [...(await honest()), { id: 'p9', kind: 'person', name: 'Other', nationality: 'BD', communityId: 'c1' }];
    expect(checkReleasedScope(person, request).ok).toBe(false);
    const records = await honest();
    records[0] = { ...records[0]!, nationalities: [{ code: 'NP' }, { code: 'BD' }] };
    const result = checkReleasedScope(records, request);
    expect(!result.ok && result.problems.join()).toMatch(/nationality that was not asked for/);
  });

  it('refuses an extra field, and a community contact person even when contact was approved', async () => {
    const extra = (await honest()).map((record) => (record.kind === 'person' ? { ...record, phone: '+218922222222' } : record));
    const result = checkReleasedScope(extra, request);
    expect(!result.ok && result.problems.join()).toMatch(/carries "phone", which was not approved/);
    // A refugee marked as such, or a person who refused release to their consulate, cannot reach a
    // consulate's manifest even if a release let them through: these are never approved fields.
    // (The plans library's own manifest checked this again; that manifest is gone, decision 0804.)
    for (const leaked of [{ refugee: true }, { consent: { ownConsulate: false } }]) {
      const records = (await honest()).map((record) => (record.kind === 'person' ? { ...record, ...leaked } : record));
      const refused = checkReleasedScope(records, request);
      expect(!refused.ok && refused.problems.join()).toMatch(new RegExp(`carries "${Object.keys(leaked)[0]}", which was not approved`));
    }
    const withContact = [{ id: 'c1', kind: 'community', location: { lon: 22.64, lat: 32.76 }, contact: { name: 'Hari' } }];
    const contactResult = checkReleasedScope(withContact, { ...request, fields: ['location', 'contact'] });
    expect(!contactResult.ok && contactResult.problems.join()).toMatch(/contact person/);
  });

  it('refuses a person who cannot be placed, and a past position outside the area', async () => {
    const unplaced = checkReleasedScope([{ id: 'p9', kind: 'person', name: 'Nowhere', nationality: 'NP' }], request);
    expect(!unplaced.ok && unplaced.problems.join()).toMatch(/cannot be shown to be inside/);
    const trail = checkReleasedScope(
      [
        {
          id: 'p9',
          kind: 'person',
          location: { lon: 22.6, lat: 32.7 },
          history: [{ at: '2026-11-01T00:00:00.000Z', status: 'moving', location: { lon: 20.07, lat: 32.12 } }],
        },
      ],
      { ...request, fields: ['location', 'status'] },
    );
    expect(!trail.ok && trail.problems.join()).toMatch(/past position outside/);
  });

  it('says what it could not check when location or nationality were not asked for', () => {
    expect(checkReleasedScope([{ id: 'p1', kind: 'person', name: 'A' }], { ...request, fields: ['names'] })).toEqual({
      ok: true,
      unchecked: ['area (location was not asked for)', 'nationality (it was not asked for)'],
    });
  });
});
