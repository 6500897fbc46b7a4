import { beforeAll, describe, expect, it } from 'vitest';
import { appendEntry } from './audit-append.ts';
import { entryBytes, verifyChain, type AuditEntry } from './audit.ts';
import { toBase64 } from './encoding.ts';
import { generateMemberKeys, type MemberKeys } from './members.ts';
import { ready } from './sodium.ts';
import { sha256 } from './webcrypto.ts';

beforeAll(ready);

function buildChain(length: number): { entries: AuditEntry[]; alice: MemberKeys; bob: MemberKeys } {
  const alice = generateMemberKeys();
  const bob = generateMemberKeys();
  const entries: AuditEntry[] = [];
  for (let index = 0; index < length; index++) {
    const actor = index % 2 ? { id: 'bob', keys: bob } : { id: 'alice', keys: alice };
    const at = new Date(Date.UTC(2026, 10, 23, 9, 0, index)).toISOString();
    entries.push(
      appendEntry(
        entries.at(-1) ?? null,
        { at, type: index ? 'approval' : 'request', payload: { requestHash: 'abc', n: index } },
        actor.id,
        actor.keys,
      ),
    );
  }
  return { entries, alice, bob };
}

const clone = (entries: AuditEntry[]) => JSON.parse(JSON.stringify(entries)) as AuditEntry[];

describe('audit chain', () => {
  it('verifies a chain built by appendEntry, and its hash is the WebCrypto SHA-256 of the canonical bytes', async () => {
    const { entries } = buildChain(6);
    expect(await verifyChain(entries)).toEqual({ ok: true, headHash: entries[5]!.hash, length: 6 });
    const { hash: _hash, signature: _signature, ...unsigned } = entries[2]!;
    expect(toBase64(await sha256(entryBytes(unsigned)))).toBe(entries[2]!.hash);
    expect(await verifyChain([])).toMatchObject({ ok: true, length: 0 });
  });

  it('verifies a suffix given the entry before it', async () => {
    const { entries } = buildChain(5);
    expect(await verifyChain(entries.slice(3), { previous: entries[2]! })).toMatchObject({ ok: true });
    expect(await verifyChain(entries.slice(3), { previous: entries[1]! })).toMatchObject({ ok: false, brokenAt: 3, reason: 'bad_seq' });
  });

  it('reports an edited payload at the edited entry', async () => {
    const { entries } = buildChain(5);
    const edited = clone(entries);
    (edited[2]!.payload as { n: number }).n = 99;
    expect(await verifyChain(edited)).toMatchObject({ ok: false, brokenAt: 2, reason: 'bad_hash' });
  });

  it('reports a re-hashed but unsigned edit as a bad signature', async () => {
    const { entries } = buildChain(4);
    const edited = clone(entries);
    edited[1]!.type = 'veto';
    const { hash: _h, signature: _s, ...unsigned } = edited[1]!;
    edited[1]!.hash = toBase64(await sha256(entryBytes(unsigned)));
    const result = await verifyChain(edited);
    expect(result).toMatchObject({ ok: false, brokenAt: 1, reason: 'bad_signature' });
  });

  it('reports a deleted, duplicated or reordered entry', async () => {
    const { entries } = buildChain(5);
    expect(await verifyChain([...entries.slice(0, 2), ...entries.slice(3)])).toMatchObject({ ok: false, brokenAt: 3, reason: 'bad_seq' });
    expect(await verifyChain([...entries.slice(0, 3), entries[2]!, ...entries.slice(3)])).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'bad_seq',
    });
    const swapped = [entries[0]!, entries[2]!, entries[1]!];
    expect(await verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 2, reason: 'bad_seq' });
    expect(await verifyChain(entries.slice(1))).toMatchObject({ ok: false, brokenAt: 1, reason: 'bad_seq' });
  });

  it('reports a renumbered chain whose links no longer match', async () => {
    const { entries } = buildChain(4);
    const renumbered = clone(entries.slice(1)).map((entry, index) => ({ ...entry, seq: index }));
    expect(await verifyChain(renumbered)).toMatchObject({ ok: false, brokenAt: 0, reason: 'bad_prev_hash' });
  });

  it('reports an actor swap (the entry claimed by another member)', async () => {
    const { entries, bob } = buildChain(3);
    const claimed = clone(entries);
    claimed[0]!.actor = { memberId: 'bob', signPublicKey: toBase64(bob.signPublicKey) };
    expect(await verifyChain(claimed)).toMatchObject({ ok: false, brokenAt: 0, reason: 'bad_hash' });
  });

  it('rejects actors the registry does not know, and dates that go backwards', async () => {
    const { entries, alice } = buildChain(3);
    const onlyAlice = (actor: { signPublicKey: string }) => actor.signPublicKey === toBase64(alice.signPublicKey);
    expect(await verifyChain(entries, { isKnownActor: onlyAlice })).toMatchObject({ ok: false, brokenAt: 1, reason: 'unknown_actor' });
    const keys = generateMemberKeys();
    const first = appendEntry(null, { at: '2026-11-23T10:00:00.000Z', type: 't', payload: null }, 'm', keys);
    const second = appendEntry(first, { at: '2026-11-23T09:00:00.000Z', type: 't', payload: null }, 'm', keys);
    expect(await verifyChain([first, second])).toMatchObject({ ok: false, brokenAt: 1, reason: 'time_reversed' });
  });

  it('reports malformed entries as bad_format instead of throwing', async () => {
    const { entries } = buildChain(2);
    const broken = clone(entries);
    broken[1]!.at = 'yesterday';
    expect(await verifyChain(broken)).toMatchObject({ ok: false, brokenAt: 1, reason: 'bad_format' });
    const badSignature = clone(entries);
    badSignature[0]!.signature = '!!';
    expect(await verifyChain(badSignature)).toMatchObject({ ok: false, brokenAt: 0, reason: 'bad_format' });
    expect(await verifyChain([null as unknown as AuditEntry])).toMatchObject({ ok: false, brokenAt: 0, reason: 'bad_format' });
  });

  it('refuses (bad_format) a time of the accepted form that names no real instant: the fields must read back unchanged', async () => {
    const keys = generateMemberKeys();
    for (const at of [
      '2026-02-30T10:00:00.000Z',
      '2026-02-29T10:00:00.000Z',
      '2026-04-31T10:00:00.000Z',
      '2026-13-01T10:00:00.000Z',
      '2026-00-10T10:00:00.000Z',
      '2026-11-00T10:00:00.000Z',
      '2026-11-23T24:00:00.000Z',
      '2026-11-23T10:60:00.000Z',
      '2026-11-23T10:00:60.000Z',
    ]) {
      // Validly hashed and signed: only the time is wrong.
      const entry = appendEntry(null, { at, type: 't', payload: null }, 'm', keys);
      expect({ at, result: await verifyChain([entry]) }).toMatchObject({ at, result: { ok: false, brokenAt: 0, reason: 'bad_format' } });
    }
    for (const at of ['2028-02-29T23:59:59.999Z', '2026-11-23T00:00:00Z', '2026-11-23T10:00:00.123456789Z', '0000-01-01T00:00:00.000Z']) {
      expect(await verifyChain([appendEntry(null, { at, type: 't', payload: null }, 'm', keys)])).toMatchObject({ ok: true });
    }
  });
});
