import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';
import { fromBase64, toBase64 } from './encoding.ts';
import { generateMemberKeys, sign, verify, type MemberKeys } from './members.ts';
import { signDecision } from './activation-sign.ts';
import { verifyApprovals } from './activation.ts';
import {
  checkRosterLink,
  decisionKeys,
  linkQuorum,
  rosterChange,
  statementAuthors,
  nextRoster,
  normaliseRoster,
  ROSTER_V2_PURPOSE,
  rosterBytes,
  RosterError,
  rosterFingerprint,
  rosterHash,
  rosterQuorum,
  verifyRosterChain,
  verifyRosterChainFrom,
  type RosterOfficer,
  type RosterStatement,
  type SignedRoster,
} from './roster.ts';
import { cosignRoster, foundingRoster, foundingRosterV1, signRoster } from './roster-sign.ts';
import { generateOrgKeys } from './org.ts';
import { ready } from './sodium.ts';

beforeAll(ready);

const ORG = 'org-derna';
let ORG_KEY = '';
beforeAll(() => {
  ORG_KEY = toBase64(generateOrgKeys().publicKey);
});

interface Person {
  officer: RosterOfficer;
  keys: MemberKeys;
}

function person(memberId: string): Person {
  const keys = generateMemberKeys();
  return { keys, officer: { memberId, signPublicKey: toBase64(keys.signPublicKey), boxPublicKey: toBase64(keys.boxPublicKey) } };
}

/** v1 founder A; v2 adds B (signed by A); v3 adds C and sets k = 2 (signed by B); v4 removes A (signed by C and B: k = 2 now). */
async function chainOfFour() {
  const [a, b, c] = [person('a'), person('b'), person('c')] as [Person, Person, Person];
  const v1 = foundingRoster(ORG, a.officer, 1, a.keys, ORG_KEY);
  const v2 = signRoster(await nextRoster(v1.statement, { officers: [a.officer, b.officer] }), 'a', a.keys);
  const v3 = signRoster(await nextRoster(v2.statement, { officers: [c.officer, a.officer, b.officer], approvalsRequired: 2 }), 'b', b.keys);
  const v4 = cosignRoster(signRoster(await nextRoster(v3.statement, { officers: [b.officer, c.officer] }), 'c', c.keys), 'b', b.keys);
  return { a, b, c, chain: [v1, v2, v3, v4] };
}

async function expectRosterError(action: Promise<unknown>, version: number, pattern: RegExp) {
  const error = await action.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RosterError);
  expect((error as RosterError).version).toBe(version);
  expect((error as RosterError).message).toMatch(pattern);
}

describe('officer roster', () => {
  it('builds the same bytes whatever the order of officers, and a 64-hex-digit hash', async () => {
    const { chain } = await chainOfFour();
    const statement = chain[2]!.statement;
    const shuffled = { ...statement, officers: [...statement.officers].reverse() };
    expect(rosterBytes(shuffled)).toEqual(rosterBytes(statement));
    expect(await rosterHash(statement)).toMatch(/^[0-9a-f]{64}$/);
    expect(rosterFingerprint(await rosterHash(statement))).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
  });

  it('verifies a good chain: head, k and officers of the last version', async () => {
    const { chain } = await chainOfFour();
    const verified = await verifyRosterChain(chain, { orgId: ORG });
    expect(verified.head.version).toBe(4);
    expect(verified.head.approvalsRequired).toBe(2);
    expect(verified.head.officers.map((officer) => officer.memberId)).toEqual(['b', 'c']);
    expect(verified.headHash).toBe(await rosterHash(chain[3]!.statement));
  });

  it('refuses a version whose signature was forged (right signer id, wrong key)', async () => {
    const { chain } = await chainOfFour();
    const mallory = person('mallory');
    const forged = signRoster(
      await nextRoster(chain[3]!.statement, { officers: [...chain[3]!.statement.officers, mallory.officer] }),
      'b',
      mallory.keys,
    );
    await expectRosterError(verifyRosterChain([...chain, forged]), 5, /signature of b does not verify/);
  });

  it('refuses a version signed by someone who is not an officer of the version before', async () => {
    const { chain, a } = await chainOfFour();
    // a was removed in v4: a cannot sign v5, even with a's real key.
    const late = signRoster(await nextRoster(chain[3]!.statement, { officers: [...chain[3]!.statement.officers, a.officer] }), 'a', a.keys);
    await expectRosterError(verifyRosterChain([...chain, late]), 5, /not an officer of version 4/);
    // Nor can an officer sign themselves into version 1 of someone else's roster.
    const mallory = person('mallory');
    const bogus = signRoster({ ...chain[0]!.statement, officers: [chain[0]!.statement.officers[0]!] }, 'mallory', mallory.keys);
    await expectRosterError(verifyRosterChain([bogus]), 1, /not an officer of this version/);
  });

  it('refuses reordered versions and a missing version', async () => {
    const { chain } = await chainOfFour();
    await expectRosterError(verifyRosterChain([chain[0]!, chain[2]!, chain[1]!, chain[3]!]), 3, /follows version 1/);
    await expectRosterError(verifyRosterChain([chain[0]!, chain[1]!, chain[3]!]), 4, /follows version 2/);
    await expectRosterError(verifyRosterChain(chain.slice(1)), 2, /does not start at version 1/);
  });

  it('refuses a version whose previous hash names another version (a broken link)', async () => {
    const { chain, a } = await chainOfFour();
    const v2 = chain[1]!.statement;
    const relinked = signRoster({ ...v2, previous: await rosterHash(chain[2]!.statement) }, 'a', a.keys);
    await expectRosterError(verifyRosterChain([chain[0]!, relinked, ...chain.slice(2)]), 2, /does not continue version 1/);
  });

  it('refuses an altered statement (the signature covers every field)', async () => {
    const { chain } = await chainOfFour();
    const altered: SignedRoster = { ...chain[2]!, statement: { ...chain[2]!.statement, approvalsRequired: 1 } };
    await expectRosterError(verifyRosterChain([chain[0]!, chain[1]!, altered]), 3, /does not verify/);
  });

  it('a client pins on first use, then accepts a chain that extends the pin and reports the change', async () => {
    const { chain } = await chainOfFour();
    const first = await verifyRosterChainFrom(null, chain.slice(0, 2), ORG);
    expect(first.pin).toEqual({ orgId: ORG, version: 2, hash: await rosterHash(chain[1]!.statement) });
    expect(first.change).toBeNull();
    const later = await verifyRosterChainFrom(first.pin, chain, ORG);
    expect(later.pin.version).toBe(4);
    expect(later.change?.added.map((officer) => officer.memberId)).toEqual(['c']);
    expect(later.change?.removed.map((officer) => officer.memberId)).toEqual(['a']);
    expect(later.change?.approvalsRequired).toEqual({ from: 1, to: 2 });
    // A chain that starts at the pinned version is enough.
    expect((await verifyRosterChainFrom(first.pin, chain.slice(1), ORG)).pin.version).toBe(4);
    // Nothing new: same pin, no change.
    expect((await verifyRosterChainFrom(later.pin, chain, ORG)).change).toBeNull();
  });

  it('refuses a fork against the pin: another valid-looking version 2', async () => {
    const { chain, a } = await chainOfFour();
    const pin = (await verifyRosterChainFrom(null, chain.slice(0, 2), ORG)).pin;
    const mallory = person('mallory');
    // The server (or a rogue founder) makes another v2 with a key of its own, properly signed by a.
    const forkedV2 = signRoster(await nextRoster(chain[0]!.statement, { officers: [a.officer, mallory.officer] }), 'a', a.keys);
    await expectRosterError(verifyRosterChainFrom(pin, [chain[0]!, forkedV2]), 2, /forked or rewritten/);
    await expectRosterError(verifyRosterChainFrom(pin, [forkedV2]), 2, /forked or rewritten/);
  });

  it('refuses a rollback below the pin and a gap after it', async () => {
    const { chain } = await chainOfFour();
    const pin = (await verifyRosterChainFrom(null, chain.slice(0, 3), ORG)).pin;
    await expectRosterError(verifyRosterChainFrom(pin, chain.slice(0, 2)), 3, /rollback/);
    await expectRosterError(verifyRosterChainFrom(pin, [chain[3]!, chain[2]!]), 4, /must start at the pinned version 3/);
    await expectRosterError(
      verifyRosterChainFrom({ ...pin, version: 2, hash: await rosterHash(chain[1]!.statement) }, [chain[1]!, chain[3]!]),
      4,
      /follows version 2/,
    );
  });

  it('refuses another organisation’s roster', async () => {
    const { chain } = await chainOfFour();
    await expectRosterError(verifyRosterChain(chain, { orgId: 'org-other' }), 1, /not org-other/);
  });
});

describe('roster v2: k officers for every change of who counts (issue 14)', () => {
  it('one officer alone cannot remove a colleague, lower k, add a sock puppet or swap the org key; k of them can', async () => {
    const { chain, b, c } = await chainOfFour(); // v4: officers b and c, k = 2
    const head = chain[3]!.statement;
    const puppet = person('puppet');
    const alone = [
      signRoster(await nextRoster(head, { officers: [b.officer] }), 'b', b.keys),
      signRoster(await nextRoster(head, { approvalsRequired: 1 }), 'b', b.keys),
      signRoster(await nextRoster(head, { officers: [...head.officers, puppet.officer] }), 'b', b.keys),
      signRoster(await nextRoster(head, { orgPublicKey: toBase64(generateOrgKeys().publicKey) }), 'b', b.keys),
    ];
    for (const link of alone)
      await expectRosterError(verifyRosterChain([...chain, link]), 5, /needs the signatures of 2 officers of version 4; it has 1/);
    // The sock puppet co-signing its own admission is not an officer of version 4.
    await expectRosterError(
      verifyRosterChain([...chain, cosignRoster(alone[2]!, 'puppet', puppet.keys)]),
      5,
      /puppet, who is not an officer of version 4/,
    );
    // b and c together can.
    const agreed = cosignRoster(alone[1]!, 'c', c.keys);
    expect((await verifyRosterChain([...chain, agreed])).head.approvalsRequired).toBe(1);
    // The same signer twice counts once, and is refused.
    await expectRosterError(
      verifyRosterChain([...chain, { ...alone[0]!, cosignatures: [{ signerId: 'b', signature: alone[0]!.signature }] }]),
      5,
      /b signed twice/,
    );
    // A co-signature that does not verify is tampering, not a missing vote.
    await expectRosterError(
      verifyRosterChain([...chain, { ...agreed, cosignatures: [{ signerId: 'c', signature: alone[0]!.signature }] }]),
      5,
      /signature of c does not verify/,
    );
  });

  it('bootstrap: while there are fewer officers than k, every officer there is signs (the founder adds the second alone)', async () => {
    const [a, b, c] = [person('a'), person('b'), person('c')] as [Person, Person, Person];
    const v1 = foundingRoster(ORG, a.officer, 2, a.keys, ORG_KEY);
    expect(rosterQuorum(v1.statement)).toBe(1);
    const v2 = signRoster(await nextRoster(v1.statement, { officers: [a.officer, b.officer] }), 'a', a.keys);
    expect(rosterQuorum(v2.statement)).toBe(2);
    const v3alone = signRoster(await nextRoster(v2.statement, { officers: [a.officer, b.officer, c.officer] }), 'a', a.keys);
    await expectRosterError(verifyRosterChain([v1, v2, v3alone]), 3, /needs the signatures of 2 officers of version 2/);
    expect((await verifyRosterChain([v1, v2, cosignRoster(v3alone, 'b', b.keys)])).head.officers).toHaveLength(3);
    // Version 1 is signed by every officer it lists: a founder cannot list a colleague who did not sign.
    const both = signRoster({ ...v1.statement, officers: [a.officer, b.officer] }, 'a', a.keys);
    await expectRosterError(verifyRosterChain([both]), 1, /version 1 must be signed by every officer it lists \(2\); it has 1/);
    expect((await verifyRosterChain([cosignRoster(both, 'b', b.keys)])).head.version).toBe(1);
  });

  it('names the org key; old v1 chains still verify, move to v2 with k signatures of the v1 officers, and never back', async () => {
    const [a, b] = [person('a'), person('b')] as [Person, Person];
    const v1 = foundingRosterV1(ORG, a.officer, 1, a.keys);
    const v2old = signRoster(
      {
        ...(await nextRoster(v1.statement, { officers: [a.officer, b.officer], orgPublicKey: ORG_KEY })),
        purpose: 'buffer/officer-roster/v1',
        orgPublicKey: undefined,
      } as never,
      'a',
      a.keys,
    );
    expect((await verifyRosterChain([v1, v2old])).head.orgPublicKey).toBeUndefined();
    await expect(nextRoster(v2old.statement, {})).rejects.toThrow(/must name the org public key/);
    const migrated = signRoster(await nextRoster(v2old.statement, { orgPublicKey: ORG_KEY, approvalsRequired: 2 }), 'a', a.keys);
    // v1 said k = 1: one officer of it suffices for the move; from then on k = 2.
    const verified = await verifyRosterChain([v1, v2old, migrated]);
    expect(verified.head.orgPublicKey).toBe(ORG_KEY);
    const back = signRoster({ ...v1.statement, version: 4, previous: verified.headHash, officers: [a.officer, b.officer] }, 'a', a.keys);
    await expectRosterError(verifyRosterChain([v1, v2old, cosignRoster(migrated, 'b', b.keys), back]), 4, /cannot follow/);
  });

  it('checkRosterLink reports the signatures a proposal has and needs, without requiring them', async () => {
    const { chain, b } = await chainOfFour();
    const head = { statement: chain[3]!.statement, hash: await rosterHash(chain[3]!.statement) };
    const proposal = signRoster(await nextRoster(head.statement, { approvalsRequired: 1 }), 'b', b.keys);
    expect(await checkRosterLink(proposal, head, ORG)).toMatchObject({ signers: ['b'], needed: 2 });
  });

  it("decisions are judged against the roster the request was filed under: a removed officer's veto stands, a later officer's approval does not count", async () => {
    const { chain, a, b, c } = await chainOfFour(); // v3: a, b, c (k = 2); v4: b, c
    const d = person('d');
    const v5 = cosignRoster(
      signRoster(await nextRoster(chain[3]!.statement, { officers: [b.officer, c.officer, d.officer] }), 'b', b.keys),
      'c',
      c.keys,
    );
    const atRequest = chain[2]!.statement;
    const head = (await verifyRosterChain([...chain, v5])).head;
    const keys = decisionKeys(atRequest, head);
    expect([...keys.approve.keys()].sort()).toEqual(['b', 'c']); // a left, d came later
    expect([...keys.veto.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    const hash = 'REQUEST-HASH';
    const vetoedByA = [
      signDecision(hash, 'veto', 'a', a.keys),
      signDecision(hash, 'approve', 'b', b.keys),
      signDecision(hash, 'approve', 'c', c.keys),
    ];
    expect(await verifyApprovals(hash, vetoedByA, keys.approve, 2, keys.veto)).toMatchObject({
      ok: false,
      reason: 'vetoed',
      vetoedBy: ['a'],
    });
    // Judged by the head alone (as before), a's veto vanished once a was removed:
    expect(
      await verifyApprovals(hash, vetoedByA, new Map(head.officers.map((officer) => [officer.memberId, officer.signPublicKey])), 2),
    ).toMatchObject({ ok: true });
    const puppetVote = [signDecision(hash, 'approve', 'b', b.keys), signDecision(hash, 'approve', 'd', d.keys)];
    expect(await verifyApprovals(hash, puppetVote, keys.approve, 2, keys.veto)).toMatchObject({
      ok: false,
      reason: 'not_enough_approvals',
      approvers: ['b'],
    });
  });
});

describe('member ids that differ only in Unicode normalisation (FORMAT.md, "Organisation statement")', () => {
  const NFC = 'Jos\u00e9';
  const NFD = 'Jose\u0301';

  it('a statement whose memberIds are equal after NFC is bad_format: the signed bytes would name one officer twice', async () => {
    const [nfc, nfd] = [person(NFC), person(NFD)];
    const statement: RosterStatement = {
      purpose: ROSTER_V2_PURPOSE,
      orgId: ORG,
      version: 1,
      previous: null,
      approvalsRequired: 1,
      officers: [nfc.officer, nfd.officer],
      orgPublicKey: ORG_KEY,
    };
    const error = (() => {
      try {
        normaliseRoster(statement);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe('bad_format');
    expect((error as CryptoError).message).toMatch(/normalis/);
    // Signed by both over the bytes a reader without the check would build (both ids come out "José"):
    // the chain is refused at version 1.
    const bytes = canonicalize({ ...statement, officers: [nfd.officer, nfc.officer] });
    expect(new TextDecoder().decode(bytes).split(NFC).length - 1).toBe(2);
    const signed: SignedRoster = {
      statement,
      signerId: NFC,
      signature: toBase64(signWith(bytes, nfc.keys)),
      cosignatures: [{ signerId: NFD, signature: toBase64(signWith(bytes, nfd.keys)) }],
    };
    await expectRosterError(verifyRosterChain([signed], { orgId: ORG }), 1, /normalis/);
  });

  it('NFD ids that do not collide still sort as given (UTF-16 code units before NFC), so the signed bytes do not change', async () => {
    const [accented, f] = [person('e\u0301'), person('f')];
    const statement = normaliseRoster({
      purpose: ROSTER_V2_PURPOSE,
      orgId: ORG,
      version: 1,
      previous: null,
      approvalsRequired: 1,
      officers: [f.officer, accented.officer],
      orgPublicKey: ORG_KEY,
    });
    expect(statement.officers.map((officer) => officer.memberId)).toEqual(['e\u0301', 'f']);
    const text = new TextDecoder().decode(rosterBytes(statement));
    expect(text.indexOf('"memberId":"\u00e9"')).toBeGreaterThan(0);
    expect(text.indexOf('"memberId":"\u00e9"')).toBeLessThan(text.indexOf('"memberId":"f"'));
  });

  it('every statement of the committed good chains keeps its signed bytes: each signature verifies over rosterBytes and each previous is the hash before', async () => {
    const vectors = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-vectors');
    let checked = 0;
    for (const file of ['roster-v1.json', 'org-statement-v2.json']) {
      const cases = JSON.parse(readFileSync(path.join(vectors, file), 'utf8')).cases as {
        pin: unknown;
        chain: SignedRoster[];
        expect: { ok: boolean; hash?: string };
      }[];
      for (const entry of cases.filter((candidate) => candidate.expect.ok && candidate.pin === null)) {
        let officers: RosterOfficer[] = [];
        let previous: string | null = null;
        for (const signed of entry.chain) {
          const bytes = rosterBytes(signed.statement);
          expect(signed.statement.previous).toBe(previous);
          if (signed.statement.version === 1) officers = signed.statement.officers;
          for (const signature of [signed, ...(signed.cosignatures ?? [])]) {
            const key = officers.find((officer) => officer.memberId === signature.signerId)!.signPublicKey;
            expect(verify(fromBase64(signature.signature), bytes, fromBase64(key))).toBe(true);
            checked++;
          }
          previous = await rosterHash(signed.statement);
          officers = normaliseRoster(signed.statement).officers;
        }
        expect(previous).toBe(entry.expect.hash);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

function signWith(bytes: Uint8Array, keys: MemberKeys): Uint8Array {
  return sign(bytes, keys);
}

describe('field devices in the statement (issue 14, finding 3; decision 0605)', () => {
  const device = (memberId: string) => {
    const keys = generateMemberKeys();
    return { memberId, signPublicKey: toBase64(keys.signPublicKey) };
  };

  it('one officer adds or removes a field device; a change that also touches officers, k or the org key needs k', async () => {
    const { b, c, chain } = await chainOfFour(); // v4: officers b, c; k = 2
    const v4 = chain[3]!;
    const phone = device('phone-1');
    const added = signRoster(await nextRoster(v4.statement, { fieldDevices: [phone] }), 'b', b.keys);
    expect(linkQuorum(v4.statement, added.statement)).toBe(1);
    const verified = await verifyRosterChain([...chain, added]);
    expect(verified.head.fieldDevices).toEqual([phone]);
    expect(statementAuthors(verified.head).get(phone.signPublicKey)).toEqual({ memberId: 'phone-1', role: 'field' });
    expect(statementAuthors(verified.head).get(b.officer.signPublicKey)?.role).toBe('officer');
    // Removing it: one officer again.
    const removed = signRoster(await nextRoster(added.statement, { fieldDevices: [] }), 'c', c.keys);
    expect((await verifyRosterChain([...chain, added, removed])).head.fieldDevices).toBeUndefined();
    // Smuggling k = 1 in with a field device: needs 2, has 1.
    const smuggled = signRoster(await nextRoster(v4.statement, { fieldDevices: [device('phone-2')], approvalsRequired: 1 }), 'b', b.keys);
    await expectRosterError(verifyRosterChain([...chain, smuggled]), 5, /needs the signatures of 2 officers/);
    // Or an officer re-keyed alongside: the same.
    const other = person('b');
    const rekeyed = signRoster(
      await nextRoster(v4.statement, { fieldDevices: [device('phone-3')], officers: [other.officer, c.officer] }),
      'b',
      b.keys,
    );
    await expectRosterError(verifyRosterChain([...chain, rekeyed]), 5, /needs the signatures of 2 officers/);
  });

  it('statements without field devices keep their bytes; [] and members listed twice are refused', async () => {
    const { chain } = await chainOfFour();
    const head = chain[3]!.statement;
    expect(rosterBytes({ ...head, fieldDevices: undefined } as RosterStatement)).toEqual(rosterBytes(head));
    expect(() => normaliseRoster({ ...head, fieldDevices: [] })).toThrow(/left out when there are none/);
    const officer = head.officers[0]!;
    expect(() =>
      normaliseRoster({ ...head, fieldDevices: [{ memberId: officer.memberId, signPublicKey: device('x').signPublicKey }] }),
    ).toThrow(/listed twice/);
    expect(() => normaliseRoster({ ...head, fieldDevices: [{ memberId: 'phone', signPublicKey: officer.signPublicKey }] })).toThrow(
      /share the signing key/,
    );
    const phone = device('phone');
    expect(() => normaliseRoster({ ...head, fieldDevices: [phone, { ...phone }] })).toThrow(/listed twice/);
    expect(() => normaliseRoster({ ...head, fieldDevices: [{ ...phone, boxPublicKey: phone.signPublicKey } as never] })).toThrow(
      /other than memberId and signPublicKey/,
    );
    const founder = person('a');
    const v1 = foundingRosterV1(ORG, founder.officer, 1, founder.keys);
    expect(() => normaliseRoster({ ...v1.statement, fieldDevices: [phone] })).toThrow(/has no fieldDevices/);
  });
});

describe('the retention period in the statement (issue 15)', () => {
  it('changing it needs k officers, even beside a field device; statements without it keep their bytes', async () => {
    const { b, c, chain } = await chainOfFour(); // v4: officers b, c; k = 2
    const v4 = chain[3]!;
    const shorter = signRoster(await nextRoster(v4.statement, { retentionDays: 1 }), 'b', b.keys);
    expect(rosterChange(v4.statement, shorter.statement).retentionDays).toEqual({ from: null, to: 1 });
    await expectRosterError(verifyRosterChain([...chain, shorter]), 5, /needs the signatures of 2 officers/);
    // Smuggled in with a field device (which one officer may add): still k.
    const smuggled = signRoster(
      await nextRoster(v4.statement, {
        retentionDays: 1,
        fieldDevices: [{ memberId: 'phone', signPublicKey: toBase64(generateMemberKeys().signPublicKey) }],
      }),
      'b',
      b.keys,
    );
    expect(linkQuorum(v4.statement, smuggled.statement)).toBe(2);
    const both = cosignRoster(shorter, 'c', c.keys);
    const verified = await verifyRosterChain([...chain, both]);
    expect(verified.head.retentionDays).toBe(1);
    // The next version carries it on unless it changes.
    expect((await nextRoster(verified.head, { approvalsRequired: 1 })).retentionDays).toBe(1);
    expect(rosterBytes({ ...v4.statement, retentionDays: undefined } as RosterStatement)).toEqual(rosterBytes(v4.statement));
    for (const bad of [0, 3651, 1.5, '30'])
      expect(() => normaliseRoster({ ...v4.statement, retentionDays: bad as never })).toThrow(
        /retentionDays must be an integer from 1 to 3650/,
      );
    const founder = person('a');
    expect(() => normaliseRoster({ ...foundingRosterV1(ORG, founder.officer, 1, founder.keys).statement, retentionDays: 30 })).toThrow(
      /has no retentionDays/,
    );
  });
});
