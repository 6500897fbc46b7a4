import { useEffect, useState } from 'preact/hooks';
import { ready } from '#crypto';
import type { Session } from '../session.ts';
import { storedIdentity } from '../session.ts';
import type { IdentityRow } from '../store/db.ts';
import { Locked } from './Locked.tsx';
import { Main } from './Main.tsx';
import { Welcome } from './Welcome.tsx';

type Screen = { name: 'loading' } | { name: 'welcome' } | { name: 'locked'; identity: IdentityRow } | { name: 'main'; session: Session };

export function App() {
  const [screen, setScreen] = useState<Screen>({ name: 'loading' });

  async function showStart() {
    await ready();
    const identity = await storedIdentity();
    setScreen(identity ? { name: 'locked', identity } : { name: 'welcome' });
  }
  useEffect(() => void showStart(), []);

  const onSession = (session: Session) => setScreen({ name: 'main', session });
  switch (screen.name) {
    case 'loading':
      return <p class="loading">…</p>;
    case 'welcome':
      return <Welcome onSession={onSession} />;
    case 'locked':
      return <Locked identity={screen.identity} onSession={onSession} onWiped={() => setScreen({ name: 'welcome' })} />;
    case 'main':
      return <Main session={screen.session} onLock={() => void showStart()} />;
  }
}
