// A CSO officer's header badge: how many relay requests wait for approval (polled, counts only).
import { useEffect, useState } from 'preact/hooks';
import { m } from '../alerts/messages.ts';
import type { Session } from '../session.ts';
import { listRelays } from './actions.ts';

const POLL_MS = 20_000;

export function RelayBadge({ session, onOpen }: { session: Session; onOpen: () => void }) {
  const [pending, setPending] = useState(0);
  const watch = session.identity.orgKind === 'cso' && session.identity.role === 'officer';
  useEffect(() => {
    if (!watch) return;
    let current = true;
    const poll = () =>
      listRelays(session, 'incoming')
        .then((list) => current && setPending(list.pending))
        .catch(() => undefined);
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [session, watch]);
  if (!watch || pending === 0) return null;
  return (
    <button type="button" class="activation-badge" data-testid="relay-pending" onClick={onOpen} title={m('relay.pending', { count: pending })}>
      ✉ {pending}
    </button>
  );
}
