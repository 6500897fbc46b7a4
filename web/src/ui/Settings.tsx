// Device settings: language, lock and wipe, map. Nothing here is personal; it stays on the device.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { autoLockChoices, wipeAfterChoices, type LockSettings } from '../lock/policy.ts';
import { loadTileSource, type TileSource } from '../map/basemap.ts';
import { loadKeepSyncedCaptures, loadLockSettings, saveKeepSyncedCaptures, saveLockSettings, type MapSettings } from '../store/settings.ts';
import { LanguagePicker } from './LanguagePicker.tsx';

export interface SettingsProps {
  mapSettings: MapSettings;
  webGl: boolean;
  onMapSettings: (settings: MapSettings) => void;
  onLockSettings: (settings: LockSettings) => void;
  onWipe: () => void;
  /** A field device is asked whether to keep what it sent (off unless chosen). */
  role: 'officer' | 'field';
}

export function Settings({ mapSettings, webGl, onMapSettings, onLockSettings, onWipe, role }: SettingsProps) {
  const [lock, setLock] = useState<LockSettings | null>(null);
  const [saved, setSaved] = useState(false);
  // The tile source this deployment offers, if any: without one there is nothing to switch on.
  const [tiles, setTiles] = useState<TileSource | null>(null);
  useEffect(() => void loadLockSettings().then(setLock), []);
  useEffect(() => void loadTileSource().then(setTiles), []);
  const [keepCaptures, setKeepCaptures] = useState(false);
  useEffect(() => void loadKeepSyncedCaptures().then(setKeepCaptures), []);

  async function changeKeepCaptures(keep: boolean) {
    setKeepCaptures(keep);
    await saveKeepSyncedCaptures(keep);
    setSaved(true);
  }

  async function changeLock(change: Partial<LockSettings>) {
    const next = { ...lock!, ...change };
    setLock(next);
    await saveLockSettings(next);
    onLockSettings(next);
    setSaved(true);
  }

  return (
    <section class="card settings" data-testid="settings">
      <h2>{t('tab.settings')}</h2>
      {saved && (
        <p class="hint" role="status">
          {t('settings.saved')}
        </p>
      )}
      <LanguagePicker />
      <h3>{t('settings.lock')}</h3>
      {lock && (
        <>
          <label>
            {t('settings.autoLock')}
            <select
              name="autoLockMinutes"
              onChange={(event) => changeLock({ autoLockMinutes: Number((event.target as HTMLSelectElement).value) })}
            >
              {autoLockChoices.map((minutes) => (
                <option value={minutes} key={minutes} selected={minutes === lock.autoLockMinutes}>
                  {minutes === 0 ? t('settings.never') : t('settings.minutes', { count: minutes })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('settings.wipeAfter')}
            <select
              name="wipeAfterFailures"
              onChange={(event) => changeLock({ wipeAfterFailures: Number((event.target as HTMLSelectElement).value) })}
            >
              {wipeAfterChoices.map((count) => (
                <option value={count} key={count} selected={count === lock.wipeAfterFailures}>
                  {count === 0 ? t('settings.never') : t('settings.tries', { count })}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {role === 'field' && (
        <>
          <h3>{t('settings.captures')}</h3>
          <p class="hint">{t('settings.capturesLeave')}</p>
          <label class="check">
            <input
              type="checkbox"
              name="keepSyncedCaptures"
              checked={keepCaptures}
              onChange={(event) => void changeKeepCaptures((event.target as HTMLInputElement).checked)}
            />{' '}
            {t('settings.keepCaptures')}
          </label>
          {keepCaptures && (
            <p class="warning" role="alert" data-testid="keep-captures-risk">
              {t('settings.keepCapturesRisk')}
            </p>
          )}
        </>
      )}
      <h3>{t('settings.map')}</h3>
      {!webGl && <p class="warning">{t('map.lightActive')}</p>}
      <label class="check">
        <input
          type="checkbox"
          name="lightMap"
          checked={mapSettings.lightMap || !webGl}
          disabled={!webGl}
          onChange={(event) => onMapSettings({ ...mapSettings, lightMap: (event.target as HTMLInputElement).checked })}
        />{' '}
        {t('map.light')}
      </label>
      {tiles && (
        <label class="check">
          <input
            type="checkbox"
            name="onlineTiles"
            checked={mapSettings.onlineTiles}
            onChange={(event) => onMapSettings({ ...mapSettings, onlineTiles: (event.target as HTMLInputElement).checked })}
          />{' '}
          {t('map.online')} <small data-testid="tile-host">({tiles.host ?? location.host})</small>
        </label>
      )}
      <h3>{t('lock.wipe')}</h3>
      <button type="button" class="danger" data-testid="wipe-now" onClick={onWipe}>
        {t('settings.wipeNow')}
      </button>
    </section>
  );
}
