// The working screen: header with sync state, the map, and the side panel (search and filters,
// the list, a record's detail, the forms, import and export, settings, officer tools).
import { OfflineError } from '../api.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { toBase64 } from '#crypto';
import { currentLanguage, formatMessage, t, type MessageKey } from '../i18n/index.ts';
import { shouldAutoLock, type LockSettings } from '../lock/policy.ts';
import { communityFeatures, filterFeatures, positionOf, trailFeatures } from '../map/features.ts';
import { isFiltering, noFilter, type MapFilter } from '../map/filters.ts';
import { hasWebGl, LightMapView } from '../map/LightMapView.tsx';
import { MapView } from '../map/MapView.tsx';
import { nextVersion, resolveMerge, type RecordVersion } from '#model/merge';
import type { RecordBody } from '#model/records';
import { emptyRecords, endSealing, openVisibleRecords, saveVersions, type OpenedRecords } from '../records.ts';
import { pendingCount, sync } from '../sync.ts';
import { buildSearchIndex, search } from '../search/index.ts';
import { DeviceWipedError, lockSession, wipeSession, type Session } from '../session.ts';
import { loadKeepSyncedCaptures, loadLockSettings, loadMapSettings, saveMapSettings, type MapSettings } from '../store/settings.ts';
import { CaptureForm } from './CaptureForm.tsx';
import { Filters } from './Filters.tsx';
import { ImportExport } from './ImportExport.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';
import { OfficerPanel } from './OfficerPanel.tsx';
import { OrgKeyNotice } from './OrgKeyNotice.tsx';
import { PersonForm } from './PersonForm.tsx';
import { RecordDetail } from './RecordDetail.tsx';
import { RecordList } from './RecordList.tsx';
import { Settings } from './Settings.tsx';
import { ActivationBadge, ActivationPanel } from '../activation/ActivationPanel.tsx';
import { m as activationText } from '../activation/messages.ts';
import { PlansWorkspace } from '../plans/PlansWorkspace.tsx';
import { m as planText } from '../plans/messages.ts';
import { AlertsWorkspace, type RelayDraft } from '../alerts/AlertsWorkspace.tsx';
import { m as alertText } from '../alerts/messages.ts';
import { RelayBadge } from '../relay/RelayBadge.tsx';
import { RelayWorkspace } from '../relay/RelayWorkspace.tsx';
import { TracingPanel } from '../tracing/TracingPanel.tsx';

// A device with records waiting retries often; an officer also pulls now and then.
const RETRY_PENDING_MS = 10_000;
const PULL_EVERY_MS = 60_000;
const LOCK_CHECK_MS = 5_000;

type View =
  | { name: 'records' }
  | { name: 'new' }
  | { name: 'edit' }
  | { name: 'person'; communityId: string | null; editing: boolean }
  | { name: 'transfer' }
  | { name: 'settings' }
  | { name: 'activation' }
  | { name: 'tracing' };

export interface MainProps {
  session: Session;
  onLock: (reason?: 'auto') => void;
  onWiped: (reason: DeviceWipedError['reason'] | 'by_hand') => void;
}

export function Main({ session, onLock, onWiped }: MainProps) {
  const [opened, setOpened] = useState<OpenedRecords>(emptyRecords);
  const [pending, setPending] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
  // Kept as a key and its values, so the line follows a change of language.
  const [message, setMessage] = useState<{ key: MessageKey; params?: Record<string, string | number> } | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [syncCount, setSyncCount] = useState(0);
  // A field device that does not keep what it sent says so under its list (issue 15).
  const [sentLeave, setSentLeave] = useState(false);
  const [pin, setPin] = useState<{ lon: number; lat: number } | null>(null);
  const [view, setView] = useState<View>({ name: 'records' });
  useEffect(
    () => void (session.identity.role === 'field' ? loadKeepSyncedCaptures().then((keep) => setSentLeave(!keep)) : undefined),
    [syncCount, view.name],
  );
  const [plansOpen, setPlansOpen] = useState(false);
  const [alertsOpen, setAlertsOpen] = useState(false);
  const [relay, setRelay] = useState<{ draft: RelayDraft | null } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<MapFilter>(noFilter);
  const [heat, setHeat] = useState(false);
  const [mapSettings, setMapSettings] = useState<MapSettings>({ onlineTiles: false, lightMap: false });
  const webGl = useMemo(hasWebGl, []);
  const isOfficer = session.identity.role === 'officer';
  const memberId = session.identity.memberId;

  const reload = useCallback(async () => {
    setOpened(await openVisibleRecords(session));
    setPending(await pendingCount());
  }, [session]);

  const wiped = useCallback(
    (error: unknown) => {
      if (error instanceof DeviceWipedError) {
        endSealing(session);
        onWiped(error.reason);
        return true;
      }
      return false;
    },
    [session],
  );

  const inFlight = useRef(false);
  const runSync = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSyncing(true);
    try {
      const result = await sync(session, (progress) => {
        setPending(progress.pending);
        // After a rotation, long work shows progress: key slots re-wrapped so far.
        if (progress.stale) setMessage({ key: 'sync.rewrapping', params: { done: progress.rewrapped ?? 0, total: progress.stale } });
      });
      setOnline(true);
      setSyncCount((count) => count + 1);
      setMessage({ key: 'sync.done', params: { pushed: result.pushed, pulled: result.pulled } });
      await reload();
    } catch (reason) {
      if (wiped(reason)) return;
      // The server could not be reached: "offline", whatever navigator.onLine believes.
      if (reason instanceof OfflineError) {
        setOnline(false);
        console.info(`sync: ${reason.message}`);
      } else setMessage({ key: 'sync.failed', params: { message: (reason as Error).message } });
    } finally {
      inFlight.current = false;
      setSyncing(false);
    }
  }, [session, reload]);

  useEffect(() => {
    void loadMapSettings().then(setMapSettings);
    void reload().then(() => (navigator.onLine ? runSync() : setOnline(false)));
    const goOnline = () => {
      setOnline(true);
      setSyncCount((count) => count + 1);
      void runSync();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    let lastPull = Date.now();
    const timer = setInterval(async () => {
      const due = (await pendingCount()) > 0 || (isOfficer && Date.now() - lastPull > PULL_EVERY_MS);
      if (!due) return;
      lastPull = Date.now();
      void runSync();
    }, RETRY_PENDING_MS);
    return () => {
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
      clearInterval(timer);
    };
  }, [session]);

  // Auto-lock after inactivity: any touch, key or scroll counts as activity.
  const lockSettings = useRef<LockSettings | null>(null);
  useEffect(() => {
    let lastActivity = Date.now();
    const touched = () => (lastActivity = Date.now());
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const name of events) window.addEventListener(name, touched, { passive: true });
    void loadLockSettings().then((settings) => (lockSettings.current = settings));
    const timer = setInterval(() => {
      if (lockSettings.current && shouldAutoLock(lockSettings.current, lastActivity, Date.now())) lock('auto');
    }, LOCK_CHECK_MS);
    return () => {
      for (const name of events) window.removeEventListener(name, touched);
      clearInterval(timer);
    };
  }, [session]);

  const features = useMemo(() => communityFeatures(opened.communities), [opened]);
  const shownFeatures = useMemo(() => (isFiltering(filter) ? filterFeatures(features, filter) : features), [features, filter]);
  const nationalities = useMemo(
    () => [...new Set(opened.communities.flatMap((community) => community.nationalities.map((item) => item.code)))].sort(),
    [opened],
  );
  const allRecords = useMemo<RecordBody[]>(() => [...opened.communities, ...opened.persons], [opened]);
  const searchIndex = useMemo(
    () => (query.trim() ? buildSearchIndex(allRecords, [currentLanguage().code]) : null),
    [allRecords, query.trim() !== ''],
  );
  const hits = useMemo(() => (searchIndex ? search(searchIndex, query) : null), [searchIndex, query]);
  const listed = useMemo<RecordBody[]>(() => {
    if (hits) return hits.map((hit) => opened.merges.get(hit.id)?.body).filter((body): body is RecordBody => Boolean(body));
    if (!isFiltering(filter)) return [...opened.communities].sort((a, b) => a.name.localeCompare(b.name));
    const ids = new Set(shownFeatures.map((feature) => feature.properties.id));
    return opened.communities.filter((community) => ids.has(community.id));
  }, [hits, opened, shownFeatures]);
  const highlight = useMemo(
    () => (hits ? listed.map(positionOf).filter((position): position is [number, number] => position !== null) : []),
    [hits, listed],
  );
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

  const communityBeingEdited = view.name === 'edit' && current?.body.kind === 'community' ? current.body : null;
  const personBeingEdited = view.name === 'person' && view.editing && current?.body.kind === 'person' ? current.body : null;
  const mapProps = {
    features: shownFeatures,
    filter,
    trail,
    highlight,
    focus,
    heat,
    onlineTiles: mapSettings.onlineTiles,
    pin,
    onPick: (position: { lon: number; lat: number }) => {
      setPin(position);
      if (view.name === 'records' && !current) setView({ name: 'new' });
    },
    onSelect: (id: string) => {
      setSelected(id);
      setView({ name: 'records' });
    },
  };
  const tabs: [View['name'], string][] = [
    ['records', t('tab.records')],
    ['new', t('tab.new')],
    ['transfer', t('tab.import')],
    ['settings', t('tab.settings')],
    ...(isOfficer ? [['activation', activationText('tab')] as [View['name'], string]] : []),
    ...(isOfficer ? [['tracing', alertText('tracing.tab')] as [View['name'], string]] : []),
  ];

  return (
    <div class="main">
      <header class="bar">
        <strong class="org" data-testid="org-name">
          {session.identity.orgName}
        </strong>
        <span class="role">{t(isOfficer ? 'role.officer' : 'role.field')}</span>
        <span class={online ? 'online' : 'offline'} data-testid="connection">
          {t(online ? 'header.online' : 'header.offline')}
        </span>
        <span data-testid="pending">{pending ? t('header.pending', { count: pending }) : t('header.synced')}</span>
        {/* A field device reads what capture and sync need, and the public warnings (issue 15, least privilege). */}
        {isOfficer && <ActivationBadge session={session} onOpen={() => setView({ name: 'activation' })} />}
        {isOfficer && (
          <button type="button" onClick={() => setPlansOpen(true)} data-testid="open-plans">
            {planText('open')}
          </button>
        )}
        <button type="button" onClick={() => setAlertsOpen(true)} data-testid="open-alerts">
          {alertText('open')}
        </button>
        {isOfficer && <RelayBadge session={session} onOpen={() => setRelay({ draft: null })} />}
        {isOfficer && (
          <button type="button" onClick={() => setRelay({ draft: null })} data-testid="open-relay">
            {alertText('relay.open')}
          </button>
        )}
        <LanguagePicker compact />
        <button type="button" onClick={runSync} disabled={syncing}>
          {t('header.sync')}
        </button>
        <button type="button" class="secondary" onClick={() => lock()}>
          {t('header.lock')}
        </button>
      </header>
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
        <aside class="panel">
          <div class="tabs" role="tablist">
            {tabs.map(([name, label]) => (
              <button
                type="button"
                role="tab"
                key={name}
                aria-selected={view.name === name}
                class={view.name === name ? 'tab active' : 'tab'}
                onClick={() => {
                  if (name === 'new') setSelected(null);
                  setView({ name } as View);
                }}
              >
                {label}
              </button>
            ))}
          </div>
          {(view.name === 'new' || view.name === 'edit') && (
            <CaptureForm
              pin={pin}
              memberId={memberId}
              existing={communityBeingEdited}
              onSave={saveBody}
              onCancel={() => {
                setPin(null);
                setView({ name: 'records' });
              }}
            />
          )}
          {view.name === 'person' && (
            <PersonForm
              memberId={memberId}
              existing={personBeingEdited}
              communityId={view.communityId}
              communities={opened.communities}
              pin={pin}
              onSave={saveBody}
              onCancel={() => setView({ name: 'records' })}
            />
          )}
          {view.name === 'records' && (
            <>
              <Filters
                query={query}
                onQuery={setQuery}
                filter={filter}
                onFilter={setFilter}
                heat={heat}
                onHeat={setHeat}
                shown={shownFeatures.length}
                found={hits?.length ?? null}
                nationalities={nationalities}
              />
              {current && (
                <RecordDetail
                  merge={current}
                  persons={opened.persons}
                  memberLabel={(id) => (id === memberId ? session.identity.label : id.slice(0, 8))}
                  onEdit={() =>
                    setView(current.body.kind === 'community' ? { name: 'edit' } : { name: 'person', communityId: null, editing: true })
                  }
                  onAddPerson={() => setView({ name: 'person', communityId: current.body.id, editing: false })}
                  onSelect={setSelected}
                  onResolve={resolve}
                  onClose={() => setSelected(null)}
                />
              )}
              <RecordList opened={opened} records={listed} total={allRecords.length} selected={selected} onSelect={setSelected} />
              {sentLeave && (
                <p class="hint" data-testid="sent-leave">
                  {t('list.sentLeave')}
                </p>
              )}
            </>
          )}
          {view.name === 'tracing' && (
            <TracingPanel
              opened={opened}
              onShow={(id) => {
                setSelected(id);
                setView({ name: 'records' });
              }}
              onTraced={async (person, note) => {
                const at = new Date().toISOString();
                await save([
                  nextVersion(
                    opened.merges.get(person.id) ?? null,
                    { ...person, notes: person.notes ? `${person.notes}\n${note}` : note, updatedAt: at, updatedBy: memberId },
                    { memberId, at },
                  ),
                ]);
              }}
            />
          )}
          {view.name === 'activation' && <ActivationPanel session={session} onClose={() => setView({ name: 'records' })} />}
          {view.name === 'transfer' && <ImportExport session={session} opened={opened} onImport={save} />}
          {view.name === 'settings' && (
            <Settings
              mapSettings={mapSettings}
              webGl={webGl}
              onMapSettings={changeMapSettings}
              onLockSettings={(settings) => (lockSettings.current = settings)}
              onWipe={wipeNow}
              role={session.identity.role}
            />
          )}
          {isOfficer && view.name === 'settings' && <OfficerPanel session={session} refreshKey={syncCount} />}
        </aside>
      </div>
      {plansOpen && <PlansWorkspace session={session} onClose={() => setPlansOpen(false)} />}
      {alertsOpen && (
        <AlertsWorkspace
          session={session}
          onClose={() => setAlertsOpen(false)}
          onDraftRelay={(draft) => {
            setAlertsOpen(false);
            setRelay({ draft });
          }}
          onOpenActivation={() => {
            setAlertsOpen(false);
            setView({ name: 'activation' });
          }}
        />
      )}
      {relay && <RelayWorkspace session={session} draft={relay.draft} onClose={() => setRelay(null)} />}
    </div>
  );
}
