import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from './encoding.ts';
import { generateMemberKeys, type MemberKeys } from './members.ts';
import { nextRoster, rosterBytes, RosterError, rosterFingerprint, rosterHash, verifyRosterChain, verifyRosterChainFrom, type RosterOfficer, type SignedRoster } from './roster.ts';
import { foundingRoster, signRoster } from './roster-sign.ts';
import { ready } from './sodium.ts';

beforeAll(ready);

const ORG = 'org-derna';

interface Person {
  officer: RosterOfficer;
  keys: MemberKeys;
}

function person(memberId: string): Person {
  const keys = generateMemberKeys();
  return { keys, officer: { memberId, signPublicKey: toBase64(keys.signPublicKey), boxPublicKey: toBase64(keys.boxPublicKey) } };
}

/** v1 founder A; v2 adds B (signed by A); v3 adds C and sets k = 2 (signed by B); v4 removes A (signed by C). */
async function chainOfFour() {
  const [a, b, c] = [person('a'), person('b'), person('c')] as [Person, Person, Person];
  const v1 = foundingRoster(ORG, a.officer, 1, a.keys);
  const v2 = signRoster(await nextRoster(v1.statement, { officers: [a.officer, b.officer] }), 'a', a.keys);
  const v3 = signRoster(await nextRoster(v2.statement, { officers: [c.officer, a.officer, b.officer], approvalsRequired: 2 }), 'b', b.keys);
  const v4 = signRoster(await nextRoster(v3.statement, { officers: [b.officer, c.officer] }), 'c', c.keys);
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
    const forged = signRoster(await nextRoster(chain[3]!.statement, { officers: [...chain[3]!.statement.officers, mallory.officer] }), 'b', mallory.keys);
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
    await expectRosterError(verifyRosterChainFrom({ ...pin, version: 2, hash: await rosterHash(chain[1]!.statement) }, [chain[1]!, chain[3]!]), 4, /follows version 2/);
  });

  it('refuses another organisation’s roster', async () => {
    const { chain } = await chainOfFour();
    await expectRosterError(verifyRosterChain(chain, { orgId: 'org-other' }), 1, /not org-other/);
  });
});
