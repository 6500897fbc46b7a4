import { describe, expect, it } from 'vitest';
import { checkServedOrgKey } from './org-key.ts';
import { formatInvitation, parseInvitation } from './ui/invitation.ts';
import type { IdentityRow } from './store/db.ts';

const pinned = 'A'.repeat(43);
const other = 'B'.repeat(43);
const identity = (orgPublicKey: string, orgKeySource?: IdentityRow['orgKeySource']): IdentityRow => ({
  key: 'me',
  memberId: 'member-1',
  orgId: 'org-00001',
  orgName: 'Org',
  orgKind: 'cso',
  role: 'field',
  label: 'Phone',
  lockedKeys: '{}',
  orgPublicKey,
  ...(orgKeySource ? { orgKeySource } : {}),
});

describe('the pinned org key', () => {
  it('keeps the pin and raises the alarm when the server names another key; clears it when the server agrees again', () => {
    const swapped = checkServedOrgKey(identity(pinned, 'invitation'), other);
    expect(swapped.orgPublicKey).toBe(pinned);
    expect(swapped.orgKeyAlarm).toMatchObject({ kind: 'public_key', served: other });
    expect(checkServedOrgKey({ ...identity(pinned, 'invitation'), orgKeyAlarm: swapped.orgKeyAlarm! }, pinned).orgKeyAlarm).toBeNull();
    // A server that names no key does not move the pin either.
    expect(checkServedOrgKey(identity(pinned, 'founder'), null)).toEqual({
      orgPublicKey: pinned,
      orgKeySource: 'founder',
      orgKeyAlarm: null,
    });
  });

  it("takes the server's key only with no pin at all, and marks it as taken on first use", () => {
    expect(checkServedOrgKey(identity(''), other)).toEqual({ orgPublicKey: other, orgKeySource: 'first-use', orgKeyAlarm: null });
  });

  it('travels in the invitation; two-part invitations still parse, without a key', () => {
    const text = formatInvitation('org-00001', 'c'.repeat(22), pinned);
    expect(parseInvitation(` ${text} `)).toEqual({ orgId: 'org-00001', code: 'c'.repeat(22), orgPublicKey: pinned });
    expect(parseInvitation(`org-00001~${'c'.repeat(22)}`)).toEqual({ orgId: 'org-00001', code: 'c'.repeat(22) });
    expect(parseInvitation(`${text}x`)).toBeNull(); // a key of the wrong length is not silently dropped
    expect(parseInvitation(`org-00001~${'c'.repeat(22)}~short`)).toBeNull();
    // With the statement head the inviting officer verified: pinned by the joining device.
    const head = { version: 3, hash: 'ab'.repeat(32) };
    expect(parseInvitation(formatInvitation('org-00001', 'c'.repeat(22), pinned, head))).toEqual({
      orgId: 'org-00001',
      code: 'c'.repeat(22),
      orgPublicKey: pinned,
      rosterPin: { orgId: 'org-00001', version: 3, hash: 'ab'.repeat(32) },
    });
    expect(parseInvitation(`${formatInvitation('org-00001', 'c'.repeat(22), pinned)}~3.${'AB'.repeat(32)}`)).toBeNull(); // hex is lower case
    // ...and the role the officer chose, which the joining device holds the server to.
    expect(parseInvitation(formatInvitation('org-00001', 'c'.repeat(22), pinned, head, 'field'))?.role).toBe('field');
    expect(parseInvitation(formatInvitation('org-00001', 'c'.repeat(22), pinned, head, 'officer'))?.role).toBe('officer');
    expect(parseInvitation(`${formatInvitation('org-00001', 'c'.repeat(22), pinned, head)}~admin`)).toBeNull();
  });
});
