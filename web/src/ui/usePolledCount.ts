// A count the header shows for CSO officers (requests waiting for them), read at once and then
// every `everyMs` while the component is mounted. A failed read keeps the last count (offline).
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session.ts';

/** 0 for anyone but a CSO officer, who is the only one with something to decide. */
export function usePolledCount(session: Session, read: () => Promise<number>, everyMs = 20_000): number {
  const [count, setCount] = useState(0);
  const watch = session.identity.orgKind === 'cso' && session.identity.role === 'officer';
  useEffect(() => {
    if (!watch) return;
    let current = true;
    const poll = () =>
      read()
        .then((value) => current && setCount(value))
        .catch(() => undefined);
    void poll();
    const timer = setInterval(poll, everyMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [session, watch]);
  return watch ? count : 0;
}
