// The member's identity on this device: the locked keys as they are, everything else sealed to the
// member's own key (issue 15), and opened again with the unlocked keys.
import { CryptoError, openDeviceProfile, sealDeviceProfile, type MemberKeys } from '#crypto';
import { database, type IdentityRow, type StoredIdentity } from './store/db.ts';

/** Whether the device holds an account (its locked keys); who it is stays sealed until unlocked. */
export async function storedIdentity(): Promise<StoredIdentity | IdentityRow | undefined> {
  return database.identity.get('me');
}

/**
 * Stores the identity: the locked keys as they are, everything else sealed to the member's own key
 * (issue 15: a copy of the storage without the passphrase names neither the member nor the org).
 */
export async function saveIdentity(identity: IdentityRow, keys: Pick<MemberKeys, 'boxSecretKey'>) {
  const { key, lockedKeys, ...profile } = identity;
  const row: StoredIdentity = { key, lockedKeys, profile: sealDeviceProfile(profile, keys) };
  await database.identity.put(row);
}

/** The identity from its stored row, opened with the unlocked keys (a row from before the sealed profile is taken as it is). */
export function openIdentity(stored: StoredIdentity | IdentityRow, keys: MemberKeys): IdentityRow {
  if (!('profile' in stored)) return stored;
  try {
    return {
      ...(openDeviceProfile(stored.profile, keys) as Omit<IdentityRow, 'key' | 'lockedKeys'>),
      key: 'me',
      lockedKeys: stored.lockedKeys,
    };
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    throw new Error(
      'The passphrase is right, but this device’s record of who it belongs to does not open (it was altered). Nothing can be sent from it: wipe it and join again with a new invitation.',
    );
  }
}
