// The organisation key this device seals to is pinned (from the invitation, or made here by the
// founder). When the server names another one, this says so in words a field worker can act on,
// and nothing is sealed until it is sorted out (issue 14). A key taken on the server's word (an
// old invitation, a demo account) is shown with its fingerprint to compare with an officer.
import { fromBase64, memberFingerprint, toHex } from '#crypto';
import { t } from '../i18n/index.ts';
import type { IdentityRow } from '../store/db.ts';

/** The first 16 bytes of the key, as eight groups of four hex digits, to read aloud and compare. */
export function orgKeyFingerprint(publicKey: string): string {
  try {
    return (toHex(fromBase64(publicKey).subarray(0, 16)).match(/.{4}/g) ?? []).join(' ').toUpperCase();
  } catch {
    return '';
  }
}

/**
 * `deviceKeys`: this member's public keys (base64url); a field device, and an officer still waiting for
 * the org key, show their member fingerprint for an officer to compare (when the invitation's secret
 * did not bind them) before the device is added to the statement or given the org key.
 */
export function OrgKeyNotice({ identity, deviceKeys }: { identity: IdentityRow; deviceKeys?: { sign: string; box: string } }) {
  if (identity.orgKeyAlarm) {
    return (
      <div class="alarm" role="alert" data-testid="org-key-alarm" data-kind={identity.orgKeyAlarm.kind}>
        <strong>{t(identity.orgKeyAlarm.kind === 'statement' ? 'orgKey.alarm.statementTitle' : 'orgKey.alarm.title')}</strong>{' '}
        {t(identity.role === 'officer' ? 'orgKey.alarm.officer' : 'orgKey.alarm.field')}{' '}
        <span class="hint">{t('orgKey.fingerprint', { fingerprint: orgKeyFingerprint(identity.orgPublicKey) })}</span>
      </div>
    );
  }
  if (identity.orgKeySource === 'first-use' && identity.orgPublicKey) {
    return (
      <p class="hint" data-testid="org-key-first-use">
        {t('orgKey.firstUse', { fingerprint: orgKeyFingerprint(identity.orgPublicKey) })}
      </p>
    );
  }
  if (deviceKeys && (identity.role === 'field' || !identity.wrappedOrgKey)) {
    return (
      <p class="hint" data-testid="device-fingerprint">
        {t('device.fingerprint', { fingerprint: memberFingerprint(deviceKeys.sign, deviceKeys.box) })}
      </p>
    );
  }
  return null;
}
