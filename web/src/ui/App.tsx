import { useEffect, useState } from 'preact/hooks';
import { ready } from '#crypto';
import { onLanguageChange, t } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { storedIdentity } from '../identity.ts';
import { Locked } from './Locked.tsx';
import { Main } from './Main.tsx';
import { Welcome } from './Welcome.tsx';

type Screen =
  | { name: 'loading' }
  | { name: 'welcome'; notice?: string }
  | { name: 'locked'; notice?: string }
  | { name: 'main'; session: Session };

export type WipeReason = 'member_revoked' | 'too_many_failures' | 'by_hand';

export function App() {
  const [screen, setScreen] = useState<Screen>({ name: 'loading' });
  const [, setLanguageVersion] = useState(0);
  useEffect(() => onLanguageChange(() => setLanguageVersion((version) => version + 1)), []);

  async function showStart(notice?: string) {
    await ready();
    const identity = await storedIdentity();
    setScreen(identity ? { name: 'locked', ...(notice ? { notice } : {}) } : { name: 'welcome' });
  }
  useEffect(() => void showStart(), []);

  const onSession = (session: Session) => setScreen({ name: 'main', session });
  const onWiped = (reason: WipeReason) =>
    setScreen({ name: 'welcome', ...(reason === 'by_hand' ? {} : { notice: t('lock.wiped', { reason: t(`lock.wiped.${reason}`) }) }) });
  switch (screen.name) {
    case 'loading':
      return <p class="loading">…</p>;
    case 'welcome':
      return <Welcome onSession={onSession} notice={screen.notice ?? null} />;
    case 'locked':
      return <Locked notice={screen.notice ?? null} onSession={onSession} onWiped={onWiped} />;
    case 'main':
      return (
        <Main
          session={screen.session}
          onLock={(reason) => void showStart(reason === 'auto' ? t('lock.auto') : undefined)}
          onWiped={onWiped}
        />
      );
  }
}
