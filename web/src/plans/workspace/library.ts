// The plans this organisation can open, and the directory of organisations to share them with.
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../session.ts';
import * as actions from '../actions.ts';
import type { Org, PlanListItem } from '../actions.ts';
import type { PlansStatus } from './status.ts';

export function usePlanLibrary(session: Session, status: PlansStatus) {
  const [plans, setPlans] = useState<PlanListItem[]>([]);
  const [orgs, setOrgs] = useState<Org[]>([]);

  async function refresh() {
    try {
      const [list, directory] = await Promise.all([actions.listPlans(session), actions.directory(session)]);
      setPlans(list);
      setOrgs(directory);
    } catch (error) {
      status.fail(error);
    }
  }

  useEffect(() => {
    void refresh();
  }, [session]);

  return { plans, orgs, refresh };
}
