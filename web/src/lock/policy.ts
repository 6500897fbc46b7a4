// When the device locks itself and when it wipes itself. Pure: the settings and counters live in
// the device store (store/settings.ts); the UI asks these functions what to do.

export interface LockSettings {
  /** Lock after this many minutes without a touch, a key or a click; 0 never locks by itself. */
  autoLockMinutes: number;
  /** Wipe the device after this many wrong passphrases in a row; 0 never wipes. */
  wipeAfterFailures: number;
}

export const defaultLockSettings: LockSettings = { autoLockMinutes: 5, wipeAfterFailures: 10 };

export const autoLockChoices = [0, 1, 2, 5, 10, 30, 60] as const;
export const wipeAfterChoices = [0, 3, 5, 10, 20] as const;

/** Settings from the store, with anything missing or out of range replaced by the default. */
export function readLockSettings(stored: Partial<Record<keyof LockSettings, unknown>>): LockSettings {
  const whole = (value: unknown, fallback: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : fallback;
  return {
    autoLockMinutes: whole(stored.autoLockMinutes, defaultLockSettings.autoLockMinutes, 24 * 60),
    wipeAfterFailures: whole(stored.wipeAfterFailures, defaultLockSettings.wipeAfterFailures, 1000),
  };
}

export function shouldAutoLock(settings: LockSettings, lastActivityAt: number, now: number): boolean {
  return settings.autoLockMinutes > 0 && now - lastActivityAt >= settings.autoLockMinutes * 60_000;
}

export type FailureOutcome = { failures: number; wipe: false; remaining: number | null } | { failures: number; wipe: true };

/** One more wrong passphrase: the new count, and whether the device must now wipe itself. */
export function afterFailedUnlock(settings: LockSettings, failuresBefore: number): FailureOutcome {
  const failures = failuresBefore + 1;
  if (settings.wipeAfterFailures > 0 && failures >= settings.wipeAfterFailures) return { failures, wipe: true };
  return { failures, wipe: false, remaining: settings.wipeAfterFailures > 0 ? settings.wipeAfterFailures - failures : null };
}
