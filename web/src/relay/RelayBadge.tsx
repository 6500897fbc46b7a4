// A CSO officer's header badge: how many relay requests wait for approval (polled, counts only).
import { m } from '../alerts/messages.ts';
import type { Session } from '../session.ts';
import { Icon } from '../ui/icons.tsx';
import { usePolledCount } from '../ui/usePolledCount.ts';
import { listRelays } from './actions.ts';

export function RelayBadge({ session, onOpen }: { session: Session; onOpen: () => void }) {
  const pending = usePolledCount(session, async () => (await listRelays(session, 'incoming')).pending);
  if (pending === 0) return null;
  return (
    <button
      type="button"
      class="activation-badge"
      data-testid="relay-pending"
      onClick={onOpen}
      title={m('relay.pending', { count: pending })}
    >
      <Icon shape="mail" /> {pending}
    </button>
  );
}
