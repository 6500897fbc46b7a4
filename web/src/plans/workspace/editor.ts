// The plan open in the workspace: its stored record (none until first saved), the version it was
// loaded or saved as, the draft being edited, and the organisations it is shared with.
import type { Plan } from '#plans';
import { useState } from 'preact/hooks';
import type { Session } from '../../session.ts';
import * as actions from '../actions.ts';
import type { PlanRecord } from '../actions.ts';
import type { PlansStatus } from './status.ts';

export interface OpenPlan {
  record: PlanRecord | null;
  /** The plan as last loaded or saved (the base of the next save). */
  base: Plan;
  draft: Plan;
  sharedWith: string[];
}

export const openedRecord = (record: PlanRecord, sharedWith: string[]): OpenPlan => ({
  record,
  base: record.latest.plan,
  draft: record.latest.plan,
  sharedWith,
});

export function usePlanEditor(session: Session, status: PlansStatus) {
  const [open, setOpen] = useState<OpenPlan | null>(null);

  function edit(plan: Plan) {
    setOpen((current) => (current ? { ...current, draft: plan } : current));
  }

  const start = (plan: Plan) => setOpen({ record: null, base: plan, draft: plan, sharedWith: [] });

  /** Opens a stored plan at its latest version; false when it could not be read. */
  async function openStored(planId: string): Promise<boolean> {
    try {
      const record = await actions.openPlan(session, planId);
      setOpen(
        openedRecord(
          record,
          record.sharedWith.map((org) => org.id),
        ),
      );
      return true;
    } catch (error) {
      status.fail(error);
      return false;
    }
  }

  const isOwner = !open?.record || open.record.ownerOrgId === session.identity.orgId;

  return {
    open,
    /** Replaces the whole open plan (after a save, a reload or a sign-off). */
    replace: setOpen,
    edit,
    start,
    openStored,
    close: () => setOpen(null),
    share: (ids: string[]) => setOpen((current) => (current ? { ...current, sharedWith: ids } : current)),
    isOwner,
    editable: isOwner && session.identity.role === 'officer',
  };
}

export type PlanEditor = ReturnType<typeof usePlanEditor>;
