import { describe, expect, it } from 'vitest';
import { afterFailedUnlock, defaultLockSettings, readLockSettings, shouldAutoLock } from './policy.ts';

describe('lock policy', () => {
  it('locks only after the configured idle time, and never when set to 0', () => {
    const settings = { autoLockMinutes: 5, wipeAfterFailures: 10 };
    expect(shouldAutoLock(settings, 0, 4 * 60_000 + 59_999)).toBe(false);
    expect(shouldAutoLock(settings, 0, 5 * 60_000)).toBe(true);
    expect(shouldAutoLock({ ...settings, autoLockMinutes: 0 }, 0, 10 ** 12)).toBe(false);
  });

  it('counts wrong passphrases and wipes at the limit, not before', () => {
    const settings = { autoLockMinutes: 5, wipeAfterFailures: 3 };
    expect(afterFailedUnlock(settings, 0)).toEqual({ failures: 1, wipe: false, remaining: 2 });
    expect(afterFailedUnlock(settings, 1)).toEqual({ failures: 2, wipe: false, remaining: 1 });
    expect(afterFailedUnlock(settings, 2)).toEqual({ failures: 3, wipe: true });
    expect(afterFailedUnlock({ ...settings, wipeAfterFailures: 0 }, 500)).toEqual({ failures: 501, wipe: false, remaining: null });
  });

  it('falls back to defaults for missing or tampered settings', () => {
    expect(readLockSettings({})).toEqual(defaultLockSettings);
    expect(readLockSettings({ autoLockMinutes: -1, wipeAfterFailures: 2.5 })).toEqual(defaultLockSettings);
    expect(readLockSettings({ autoLockMinutes: 1, wipeAfterFailures: 3 })).toEqual({ autoLockMinutes: 1, wipeAfterFailures: 3 });
  });
});
