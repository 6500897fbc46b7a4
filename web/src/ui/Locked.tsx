import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { unlock, type Session } from '../session.ts';
import { wipeDevice, type IdentityRow } from '../store/db.ts';

export function Locked({ identity, onSession, onWiped }: { identity: IdentityRow; onSession: (session: Session) => void; onWiped: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: Event) {
    event.preventDefault();
    const passphrase = String(new FormData(event.target as HTMLFormElement).get('passphrase'));
    setBusy(true);
    setError(null);
    try {
      onSession(await unlock(passphrase));
    } catch (reason) {
      const code = (reason as { code?: string }).code;
      setError(code === 'bad_passphrase' ? t('lock.wrong') : (reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function onWipe() {
    if (!confirm(t('lock.wipeConfirm'))) return;
    await wipeDevice();
    onWiped();
  }

  return (
    <main class="welcome">
      <form class="card" onSubmit={onSubmit} data-testid="unlock">
        <h1>{t('lock.title', { org: identity.orgName })}</h1>
        <p>
          {identity.label} · {t(identity.role === 'officer' ? 'role.officer' : 'role.field')}
        </p>
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
      <button type="button" class="danger" onClick={onWipe}>
        {t('lock.wipe')}
      </button>
    </main>
  );
}
