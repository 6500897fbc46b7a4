import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { DeviceWipedError, unlock, WrongPassphraseError, type Session } from '../session.ts';
import { wipeDevice } from '../store/db.ts';
import type { WipeReason } from './App.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';

export interface LockedProps {
  notice: string | null;
  onSession: (session: Session) => void;
  onWiped: (reason: WipeReason) => void;
}

/**
 * The lock screen. It names neither the member nor the organisation: those stay sealed to the
 * member's key until the passphrase opens it (issue 15: someone holding a locked phone learns nothing).
 */
export function Locked({ notice, onSession, onWiped }: LockedProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const passphrase = String(new FormData(form).get('passphrase'));
    setBusy(true);
    setError(null);
    try {
      onSession(await unlock(passphrase));
    } catch (reason) {
      if (reason instanceof DeviceWipedError) return onWiped(reason.reason);
      if (reason instanceof WrongPassphraseError) {
        setError(
          reason.remaining !== null && reason.remaining <= 3
            ? `${t('lock.wrong')} ${t('lock.remaining', { count: reason.remaining })}`
            : t('lock.wrong'),
        );
        form.reset();
      } else setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function onWipe() {
    if (!confirm(t('lock.wipeConfirm'))) return;
    await wipeDevice();
    onWiped('by_hand');
  }

  return (
    <main class="welcome">
      <LanguagePicker compact />
      {notice && (
        <p class="status-line" role="status">
          {notice}
        </p>
      )}
      <form class="card" onSubmit={onSubmit} data-testid="unlock">
        <h1>{t('lock.title')}</h1>
        <p>{t('lock.sealed')}</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <label>
          {t('lock.passphrase')}
          <input name="passphrase" type="password" required autocomplete="current-password" />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('form.working') : t('lock.unlock')}
        </button>
      </form>
      <button type="button" class="danger" onClick={onWipe} data-testid="quick-wipe">
        {t('lock.wipe')}
      </button>
    </main>
  );
}
