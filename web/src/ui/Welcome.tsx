// First run on a device: create an organisation, join one with an invitation, or (local demo) take
// a demo account.
import { useEffect, useState } from 'preact/hooks';
import { createApiClient } from '../api.ts';
import { t } from '../i18n/index.ts';
import { createOrganisation, joinOrganisation, useDemoAccount, type DemoAccount } from '../onboarding.ts';
import type { Session } from '../session.ts';
import { parseInvitation } from './invitation.ts';
import { LanguagePicker } from './LanguagePicker.tsx';

const codes = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);

function passphraseProblem(passphrase: string, again: string) {
  if (passphrase.length < 10) return t('form.passphraseShort');
  if (passphrase !== again) return t('form.passphraseMismatch');
  return null;
}

export function Welcome({ onSession, notice = null }: { onSession: (session: Session) => void; notice?: string | null }) {
  const [mode, setMode] = useState<'create' | 'join' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<DemoAccount[]>([]);

  useEffect(() => {
    createApiClient()
      .api.demo.accounts.$get()
      .then(async (response) => (response.ok ? setDemo((await response.json()).accounts) : undefined))
      .catch(() => undefined);
  }, []);

  async function run(action: () => Promise<Session>) {
    setBusy(true);
    setError(null);
    try {
      onSession(await action());
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function onCreate(event: Event) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const passphrase = String(form.get('passphrase'));
    const problem = passphraseProblem(passphrase, String(form.get('passphraseAgain')));
    if (problem) return setError(problem);
    const country = String(form.get('country') ?? '')
      .trim()
      .toUpperCase();
    void run(() =>
      createOrganisation({
        kind: form.get('kind') as 'cso' | 'consulate' | 'city',
        name: String(form.get('name')),
        ...(country ? { country } : {}),
        nationalities: codes(String(form.get('nationalities') ?? '')),
        founderLabel: String(form.get('label')),
        passphrase,
      }),
    );
  }

  function onJoin(event: Event) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const passphrase = String(form.get('passphrase'));
    const problem = passphraseProblem(passphrase, String(form.get('passphraseAgain')));
    if (problem) return setError(problem);
    const invitation = parseInvitation(String(form.get('invitation')));
    if (!invitation) return setError(t('form.invitationBad'));
    void run(() => joinOrganisation({ ...invitation, label: String(form.get('label')), passphrase }));
  }

  return (
    <main class="welcome">
      <LanguagePicker compact />
      <h1>{t('app.title')}</h1>
      <p class="tagline">{t('app.tagline')}</p>
      {notice && (
        <p class="status-line" role="status" data-testid="wiped-notice">
          {notice}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="choices">
        <button type="button" onClick={() => setMode('create')} aria-pressed={mode === 'create'}>
          {t('welcome.create')}
        </button>
        <button type="button" onClick={() => setMode('join')} aria-pressed={mode === 'join'}>
          {t('welcome.join')}
        </button>
      </div>
      {mode === 'create' && (
        <form class="card" onSubmit={onCreate} data-testid="create-org">
          <label>
            {t('form.kind')}
            <select name="kind">
              <option value="cso">{t('form.kind.cso')}</option>
              <option value="consulate">{t('form.kind.consulate')}</option>
              <option value="city">{t('form.kind.city')}</option>
            </select>
          </label>
          <label>
            {t('form.orgName')}
            <input name="name" required minLength={2} maxLength={120} />
          </label>
          <label>
            {t('form.country')}
            <input name="country" maxLength={2} pattern="[A-Za-z]{2}" />
          </label>
          <label>
            {t('form.nationalities')}
            <input name="nationalities" />
          </label>
          <NewMemberFields />
          <button type="submit" disabled={busy}>
            {busy ? t('form.working') : t('form.submit.create')}
          </button>
        </form>
      )}
      {mode === 'join' && (
        <form class="card" onSubmit={onJoin} data-testid="join-org">
          <label>
            {t('form.invitation')}
            <input name="invitation" required />
          </label>
          <NewMemberFields />
          <button type="submit" disabled={busy}>
            {busy ? t('form.working') : t('form.submit.join')}
          </button>
        </form>
      )}
      {demo.length > 0 && (
        <section class="card demo" data-testid="demo-accounts">
          <h2>{t('welcome.demo')}</h2>
          <p>{t('welcome.demoHint', { passphrase: demo[0]!.passphraseHint })}</p>
          <ul>
            {demo.map((account) => (
              <li key={account.memberId}>
                <button type="button" disabled={busy} onClick={() => run(() => useDemoAccount(account, account.passphraseHint))}>
                  {account.title} · {account.orgName}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

/** The member's own label and a new passphrase, typed twice: the same on creating and on joining an org. */
function NewMemberFields() {
  return (
    <>
      <label>
        {t('form.yourLabel')}
        <input name="label" required maxLength={80} />
      </label>
      <label>
        {t('form.passphrase')}
        <input name="passphrase" type="password" required autocomplete="new-password" />
      </label>
      <label>
        {t('form.passphraseAgain')}
        <input name="passphraseAgain" type="password" required autocomplete="new-password" />
      </label>
    </>
  );
}
