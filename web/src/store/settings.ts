// Device settings kept in the store's meta table. None of them is personal data: lock timings, the
// wrong-passphrase counter, the map mode. The language lives in localStorage (store/language.ts)
// because it is needed before anything is unlocked.
import { readLockSettings, type LockSettings } from '../lock/policy.ts';
import { database } from './db.ts';

const FAILURES = 'failedUnlocks';

export async function loadLockSettings(): Promise<LockSettings> {
  const [autoLockMinutes, wipeAfterFailures] = await Promise.all([
    database.meta.get('autoLockMinutes'),
    database.meta.get('wipeAfterFailures'),
  ]);
  return readLockSettings({ autoLockMinutes: autoLockMinutes?.value, wipeAfterFailures: wipeAfterFailures?.value });
}

export async function saveLockSettings(settings: LockSettings) {
  await database.meta.bulkPut([
    { key: 'autoLockMinutes', value: settings.autoLockMinutes },
    { key: 'wipeAfterFailures', value: settings.wipeAfterFailures },
  ]);
}

export async function failedUnlocks(): Promise<number> {
  const row = await database.meta.get(FAILURES);
  return typeof row?.value === 'number' ? row.value : 0;
}

export async function setFailedUnlocks(count: number) {
  await database.meta.put({ key: FAILURES, value: count });
}

export interface MapSettings {
  /** Off by default: with it on, the map fetches OpenStreetMap tiles (the server learns where you look). */
  onlineTiles: boolean;
  /** Leaflet instead of WebGL, for old phones; chosen automatically when WebGL is missing. */
  lightMap: boolean;
}

export async function loadMapSettings(): Promise<MapSettings> {
  const [online, light] = await Promise.all([database.meta.get('onlineTiles'), database.meta.get('lightMap')]);
  return { onlineTiles: online?.value === 1, lightMap: light?.value === 1 };
}

export async function saveMapSettings(settings: MapSettings) {
  await database.meta.bulkPut([
    { key: 'onlineTiles', value: settings.onlineTiles ? 1 : 0 },
    { key: 'lightMap', value: settings.lightMap ? 1 : 0 },
  ]);
}

/**
 * A field device keeps the readable copies of what it captured only until the server has them
 * (issue 15: a seized phone, even unlocked, then shows nothing it sent). On: kept until wiped, so
 * whoever holds the phone and its passphrase reads them. Off unless the field worker turns it on.
 */
export async function loadKeepSyncedCaptures(): Promise<boolean> {
  return (await database.meta.get('keepSyncedCaptures'))?.value === 1;
}

export async function saveKeepSyncedCaptures(keep: boolean) {
  await database.meta.put({ key: 'keepSyncedCaptures', value: keep ? 1 : 0 });
}

/**
 * The country a phone number typed without "+" is read in when the record's place gives none
 * (decision 0802). It says where the CSO works, nothing about a person; empty until someone
 * chooses one in a form. Wiped with the device like every other setting.
 */
export async function loadPhoneCountry(): Promise<string | null> {
  const row = await database.meta.get('phoneCountry');
  return typeof row?.value === 'string' && /^[A-Z]{2}$/.test(row.value) ? row.value : null;
}

export async function savePhoneCountry(code: string) {
  await database.meta.put({ key: 'phoneCountry', value: code });
}
