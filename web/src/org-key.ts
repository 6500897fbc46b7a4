// The org public key a device seals to is pinned when the device joins (issue 14); every later
// server answer is compared with the pin, never taken in its place. Pure, so it is tested alone.
import type { IdentityRow } from './store/db.ts';

/**
 * What the device keeps of the server's answer about its organisation's key. The pinned key stays
 * whatever the server says; a different one raises the alarm (cleared when the server agrees
 * again). With no pin yet (a demo account, an old two-part invitation) the server's key is taken
 * once, marked 'first-use'.
 */
export function checkServedOrgKey(
  identity: IdentityRow,
  served: string | null | undefined,
): Pick<IdentityRow, 'orgPublicKey' | 'orgKeySource' | 'orgKeyAlarm'> {
  if (!identity.orgPublicKey) return { orgPublicKey: served ?? '', orgKeySource: 'first-use', orgKeyAlarm: null };
  if (served && served !== identity.orgPublicKey) {
    return {
      orgPublicKey: identity.orgPublicKey,
      orgKeySource: identity.orgKeySource,
      orgKeyAlarm: { kind: 'public_key', served, seenAt: new Date().toISOString() },
    };
  }
  return { orgPublicKey: identity.orgPublicKey, orgKeySource: identity.orgKeySource, orgKeyAlarm: null };
}
