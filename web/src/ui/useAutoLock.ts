// Auto-lock after inactivity: any touch, key or scroll counts as activity. The lock settings are
// read from the device once, and follow a change made in Settings without a reload.
import { useEffect, useRef } from 'preact/hooks';
import { shouldAutoLock, type LockSettings } from '../lock/policy.ts';
import type { Session } from '../session.ts';
import { loadLockSettings } from '../store/settings.ts';

const LOCK_CHECK_MS = 5_000;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Calls `onIdle` when the device has been idle longer than its lock settings allow; returns the setter Settings calls. */
export function useAutoLock(session: Session, onIdle: () => void): (settings: LockSettings) => void {
  const lockSettings = useRef<LockSettings | null>(null);
  useEffect(() => {
    let lastActivity = Date.now();
    const touched = () => (lastActivity = Date.now());
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touched, { passive: true });
    void loadLockSettings().then((settings) => (lockSettings.current = settings));
    const timer = setInterval(() => {
      if (lockSettings.current && shouldAutoLock(lockSettings.current, lastActivity, Date.now())) onIdle();
    }, LOCK_CHECK_MS);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touched);
      clearInterval(timer);
    };
  }, [session]);
  return (settings) => (lockSettings.current = settings);
}
