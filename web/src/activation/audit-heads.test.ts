// The pure parts of continuing an audit chain (after an attacker's review of 59d7c88).
import { generateMemberKeys } from '#crypto/members';
import { appendEntry } from '#crypto/audit-append';
import { ready } from '#crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryTime, strayEntry } from './audit-heads.ts';
import { arrangementChain } from './breakglass.ts';

beforeAll(ready);

describe('continuing an audit chain', () => {
  it('dates an entry no earlier than the head, so a party that dates its entries ahead cannot get the next one refused', () => {
    const now = Date.parse('2026-12-07T10:00:00.000Z');
    expect(entryTime(null, now)).toBe('2026-12-07T10:00:00.000Z');
    expect(entryTime({ at: '2026-12-07T09:59:00.000Z' }, now)).toBe('2026-12-07T10:00:00.000Z');
    // A download dated 9 minutes ahead (the server allows 10): a revoke after it takes that time.
    expect(entryTime({ at: '2026-12-07T10:09:00.000Z' }, now)).toBe('2026-12-07T10:09:00.000Z');
  });

  it('finds an entry spliced in from another log (another request, another arrangement)', async () => {
    const keys = generateMemberKeys();
    const at = new Date().toISOString();
    const first = appendEntry(null, { at, type: 'relay.requested', payload: { requestHash: 'hash-A' } }, 'member', keys);
    const own = appendEntry(first, { at, type: 'relay.approved', payload: { requestHash: 'hash-A', signature: 'x' } }, 'member', keys);
    const spliced = appendEntry(first, { at, type: 'relay.declined', payload: { requestHash: 'hash-B', signature: 'x' } }, 'member', keys);
    expect(strayEntry('relay:hash-A', [first, own])).toBeUndefined();
    expect(strayEntry('relay:hash-A', [first, spliced])?.seq).toBe(1);
    expect(
      strayEntry('arrangement:id-1', [
        appendEntry(null, { at, type: 'arrangement.proposed', payload: { arrangementId: 'id-2' } }, 'member', keys),
      ])?.seq,
    ).toBe(0);
  });

  it('names an arrangement’s log by the id its officers signed, and refuses one the server lists under another id', () => {
    const descriptor = { arrangementId: 'signed-id' } as Parameters<typeof arrangementChain>[0]['descriptor'];
    expect(arrangementChain({ id: 'signed-id', descriptor })).toBe('arrangement:signed-id');
    expect(() => arrangementChain({ id: 'renamed-by-the-server', descriptor })).toThrow(/another id than the one its officers signed/);
  });
});
