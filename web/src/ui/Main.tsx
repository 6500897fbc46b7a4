// The working screen: header with sync state, the map, the side panel (ViewPanel: search and
// filters, the list, a record's detail, the forms, import and export, settings, officer tools), and
// the overlays (plans, alerts, relay). Syncing is useSyncScheduler's, locking when idle useAutoLock's,
// and what the list and the map show useRecordSearch's; this file holds the state they share.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { toBase64 } from '#crypto';
import { nextVersion, resolveMerge, type RecordVersion } from '#model/merge';
import type { Position, RecordBody } from '#model/records';
import { formatMessage, t } from '../i18n/index.ts';
import { positionOf, trailFeatures } from '../map/features.ts';
import { noFilter, type MapFilter } from '../map/filters.ts';
import { hasWebGl, LightMapView } from '../map/LightMapView.tsx';
import { shownOnMap } from '../map/MapLegend.tsx';
import { MapView } from '../map/MapView.tsx';
import { endSealing, saveVersions } from '../records.ts';
import { lockSession, wipeSession, type DeviceWipedError, type Session } from '../session.ts';
import { loadMapSettings, saveMapSettings, type MapSettings } from '../store/settings.ts';
import { MainHeader } from './MainHeader.tsx';
import { OrgKeyNotice } from './OrgKeyNotice.tsx';
import { Overlays, useOverlays } from './Overlays.tsx';
import { useAutoLock } from './useAutoLock.ts';
import { useRecordSearch } from './useRecordSearch.ts';
import { useSyncScheduler, type StatusMessage } from './useSyncScheduler.ts';
import { ViewPanel, type View } from './ViewPanel.tsx';

export interface MainProps {
  session: Session;
  onLock: (reason?: 'auto') => void;
  onWiped: (reason: DeviceWipedError['reason'] | 'by_hand') => void;
}

export function Main({ session, onLock, onWiped }: MainProps) {
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const { opened, pending, online, syncing, syncCount, reload, runSync } = useSyncScheduler(session, setMessage, onWiped);
  const [pin, setPin] = useState<Position | null>(null);
  const [view, setView] = useState<View>({ name: 'records' });
  const overlays = useOverlays();
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<MapFilter>(noFilter);
  const [heat, setHeat] = useState(false);
  const [mapSettings, setMapSettings] = useState<MapSettings>({ onlineTiles: false, lightMap: false });
  const webGl = useMemo(hasWebGl, []);
  const memberId = session.identity.memberId;

  useEffect(() => void loadMapSettings().then(setMapSettings), [session]);
  const onLockSettings = useAutoLock(session, () => lock('auto'));

  const { features, shownFeatures, nationalities, allRecords, hits, listed, highlight } = useRecordSearch(opened, query, filter);
  const current = selected ? (opened.merges.get(selected) ?? null) : null;
  const trail = useMemo(() => trailFeatures(current?.body ?? null), [current]);
  const focus = current ? positionOf(current.body) : null;

  async function save(versions: RecordVersion[]) {
    await saveVersions(session, versions);
    setMessage({ key: 'capture.saved' });
    setPin(null);
    await reload();
    void runSync();
  }

  async function saveBody(body: RecordBody) {
    const existing = opened.merges.get(body.id) ?? null;
    await save([nextVersion(existing, body, { memberId, at: body.updatedAt })]);
    setSelected(body.id);
    setView({ name: 'records' });
  }

  async function resolve(picks: Record<string, unknown>) {
    if (!current) return;
    await save([resolveMerge(current, picks, { memberId, at: new Date().toISOString() })]);
    setMessage({ key: 'conflict.settled' });
  }

  function lock(reason?: 'auto') {
    endSealing(session);
    void lockSession(session); // zeroes the keys now; ends the token on the server when it can
    onLock(reason);
  }

  async function wipeNow() {
    if (!confirm(t('lock.wipeConfirm'))) return;
    endSealing(session);
    await wipeSession(session);
    onWiped('by_hand');
  }

  async function changeMapSettings(settings: MapSettings) {
    setMapSettings(settings);
    await saveMapSettings(settings);
  }

  const shownOnMapNow = useMemo(() => shownOnMap(shownFeatures), [shownFeatures]);
  const mapProps = {
    features: shownFeatures,
    shown: shownOnMapNow,
    filter,
    trail,
    highlight,
    focus,
    heat,
    onlineTiles: mapSettings.onlineTiles,
    pin,
    onPick: (position: Position) => {
      setPin(position);
      if (view.name === 'records' && !current) setView({ name: 'new' });
    },
    onSelect: (id: string) => {
      setSelected(id);
      setView({ name: 'records' });
    },
  };

  return (
    <div class="main">
      <MainHeader
        session={session}
        online={online}
        pending={pending}
        syncing={syncing}
        overlays={overlays}
        onSync={runSync}
        onLock={() => lock()}
        onOpenActivation={() => setView({ name: 'activation' })}
      />
      <OrgKeyNotice
        identity={session.identity}
        deviceKeys={{ sign: toBase64(session.keys.signPublicKey), box: toBase64(session.keys.boxPublicKey) }}
      />
      {message && (
        <p class="status-line" role="status" data-testid="status-line">
          {formatMessage(message.key, message.params)}
        </p>
      )}
      <div class="workspace">
        {mapSettings.lightMap || !webGl ? <LightMapView {...mapProps} /> : <MapView key="maplibre" {...mapProps} features={features} />}
        <ViewPanel
          session={session}
          view={view}
          onView={setView}
          opened={opened}
          listed={listed}
          total={allRecords.length}
          selected={selected}
          current={current}
          onSelect={setSelected}
          pin={pin}
          onPin={setPin}
          onClearPin={() => setPin(null)}
          filters={{
            query,
            onQuery: setQuery,
            filter,
            onFilter: setFilter,
            heat,
            onHeat: setHeat,
            shown: shownFeatures.length,
            found: hits?.length ?? null,
            nationalities,
          }}
          settings={{ mapSettings, webGl, onMapSettings: changeMapSettings, onLockSettings, onWipe: wipeNow }}
          syncCount={syncCount}
          onSave={save}
          onSaveBody={saveBody}
          onResolve={resolve}
        />
      </div>
      <Overlays session={session} overlays={overlays} onOpenActivation={() => setView({ name: 'activation' })} />
    </div>
  );
}
