// The working screen: header with sync state, the map, and the side panel (capture, list, officer tools).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { MapView } from '../map/MapView.tsx';
import type { Community } from '../model/records.ts';
import { endSealing, openOrgRecords, openOwnCaptures, pendingCount, saveRecord, sync, type OpenedRecords } from '../records.ts';
import type { Session } from '../session.ts';
import { CaptureForm } from './CaptureForm.tsx';
import { CommunityList } from './CommunityList.tsx';
import { OfficerPanel } from './OfficerPanel.tsx';

// A device with records waiting retries often; an officer also pulls now and then.
const RETRY_PENDING_MS = 10_000;
const PULL_EVERY_MS = 60_000;

export function Main({ session, onLock }: { session: Session; onLock: () => void }) {
  const [opened, setOpened] = useState<OpenedRecords>({ communities: [], unreadable: [], conflicts: [] });
  const [pending, setPending] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
  const [message, setMessage] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [syncCount, setSyncCount] = useState(0);
  const [pin, setPin] = useState<{ lon: number; lat: number } | null>(null);
  const [capturing, setCapturing] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const isOfficer = session.identity.role === 'officer';

  const reload = useCallback(async () => {
    setOpened(isOfficer && session.orgKeys ? await openOrgRecords(session) : await openOwnCaptures(session));
    setPending(await pendingCount());
  }, [session]);

  const inFlight = useRef(false);
  const runSync = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSyncing(true);
    try {
      const result = await sync(session, (progress) => setPending(progress.pending));
      setOnline(true);
      setSyncCount((count) => count + 1);
      setMessage(t('sync.done', { pushed: result.pushed, pulled: result.pulled }));
      await reload();
    } catch (reason) {
      // fetch() rejects with a TypeError when the server cannot be reached: that is "offline",
      // whatever navigator.onLine believes.
      if (reason instanceof TypeError) setOnline(false);
      else setMessage(t('sync.failed', { message: (reason as Error).message }));
    } finally {
      inFlight.current = false;
      setSyncing(false);
    }
  }, [session, reload]);

  useEffect(() => {
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

  async function onSave(community: Community) {
    await saveRecord(session, community, 1);
    setMessage(t('capture.saved'));
    setPin(null);
    setCapturing(false);
    await reload();
    void runSync();
  }

  function lock() {
    endSealing(session);
    onLock();
  }

  const first = opened.communities[0];
  const center: [number, number] = first ? [first.location.lon, first.location.lat] : [20, 25];

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
        <button type="button" onClick={runSync} disabled={syncing}>
          {t('header.sync')}
        </button>
        <button type="button" class="secondary" onClick={lock}>
          {t('header.lock')}
        </button>
      </header>
      {message && (
        <p class="status-line" role="status" data-testid="status-line">
          {message}
        </p>
      )}
      <div class="workspace">
        <MapView
          communities={opened.communities}
          center={center}
          zoom={first ? 6 : 2}
          pin={pin}
          onPick={(position) => {
            setPin(position);
            setCapturing(true);
          }}
          onSelect={setSelected}
        />
        <aside class="panel">
          {capturing || pin ? (
            <CaptureForm pin={pin} memberId={session.identity.memberId} onSave={onSave} onCancel={() => (setPin(null), setCapturing(false))} />
          ) : (
            <button type="button" class="primary" onClick={() => setCapturing(true)}>
              {t('capture.title')}
            </button>
          )}
          <CommunityList opened={opened} selected={selected} onSelect={setSelected} />
          {isOfficer && <OfficerPanel session={session} refreshKey={syncCount} />}
        </aside>
      </div>
    </div>
  );
}
