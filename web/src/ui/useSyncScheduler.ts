// The records the working screen shows, and the schedule that keeps them in step with the server:
// a sync at start (when the browser believes it is online), on the browser's "online" event, and every
// RETRY_PENDING_MS while records wait to be sent; an officer also pulls every PULL_EVERY_MS.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { OfflineError } from '../api.ts';
import type { MessageKey } from '../i18n/index.ts';
import { emptyRecords, endSealing, openVisibleRecords, type OpenedRecords } from '../records.ts';
import { pendingCount, sync } from '../sync.ts';
import { DeviceWipedError, type Session } from '../session.ts';

// A device with records waiting retries often; an officer also pulls now and then.
const RETRY_PENDING_MS = 10_000;
const PULL_EVERY_MS = 60_000;

/** A line for the status bar, kept as a key and its values so that it follows a change of language. */
export interface StatusMessage {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface SyncScheduler {
  opened: OpenedRecords;
  /** Records saved on this device and not yet sent. */
  pending: number;
  /** Whether the server answered the last time it was asked (or the browser went online since). */
  online: boolean;
  syncing: boolean;
  /** Grows on each sync that reached the server and each return online: screens refresh on it. */
  syncCount: number;
  /** Opens the records again from the device's store. */
  reload: () => Promise<void>;
  /** Syncs now, unless a sync is already running. */
  runSync: () => Promise<void>;
}

export function useSyncScheduler(
  session: Session,
  onStatus: (message: StatusMessage) => void,
  onWiped: (reason: DeviceWipedError['reason']) => void,
): SyncScheduler {
  const [opened, setOpened] = useState<OpenedRecords>(emptyRecords);
  const [pending, setPending] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
  const [syncing, setSyncing] = useState(false);
  const [syncCount, setSyncCount] = useState(0);
  const isOfficer = session.identity.role === 'officer';

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
        if (progress.stale) onStatus({ key: 'sync.rewrapping', params: { done: progress.rewrapped ?? 0, total: progress.stale } });
      });
      setOnline(true);
      setSyncCount((count) => count + 1);
      onStatus({ key: 'sync.done', params: { pushed: result.pushed, pulled: result.pulled } });
      await reload();
    } catch (reason) {
      if (wiped(reason)) return;
      // The server could not be reached: "offline", whatever navigator.onLine believes.
      if (reason instanceof OfflineError) {
        setOnline(false);
        console.info(`sync: ${reason.message}`);
      } else onStatus({ key: 'sync.failed', params: { message: (reason as Error).message } });
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

  return { opened, pending, online, syncing, syncCount, reload, runSync };
}
