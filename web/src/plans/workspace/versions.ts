// Saving a plan as a new version, the conflict when someone else saved first (reload, then apply
// the edit again), signing a version off, and the difference shown on the map.
import { diffPlans, type Plan, type PlanDiff } from '#plans';
import { useMemo, useState } from 'preact/hooks';
import type { Session } from '../../session.ts';
import * as actions from '../actions.ts';
import { checkPlan, reapplyEdit } from '../draft.ts';
import { m } from '../messages.ts';
import { openedRecord, type PlanEditor } from './editor.ts';
import type { PlansStatus } from './status.ts';

export interface Conflict {
  message: string;
  mine: Plan;
  base: Plan;
  baseVersion: number;
  latest: Plan | null;
}

interface Options {
  session: Session;
  editor: PlanEditor;
  status: PlansStatus;
  /** After any save: the plans list shows the new version. */
  onSaved: () => void;
  /** A save met a newer version: the versions panel explains. */
  onConflict: () => void;
}

export function usePlanVersions({ session, editor, status, onSaved, onConflict }: Options) {
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const { open } = editor;

  async function save() {
    if (!open) return;
    const checked = checkPlan(open.draft);
    if (!checked.ok) return status.warn('error.invalid', { message: checked.message });
    await status.run(async () => {
      if (!open.record) {
        const record = await actions.createPlan(session, checked.plan, open.sharedWith);
        editor.replace(openedRecord(record, open.sharedWith));
        status.say('versions.created');
      } else {
        const result = await actions.saveVersion(session, checked.plan, open.record.latest.version, open.sharedWith);
        if (result.ok) {
          editor.replace(openedRecord(result.record, open.sharedWith));
          setConflict(null);
          status.say('versions.saved', { version: result.record.latestVersion });
        } else {
          // Their edit stays in memory (and on screen) until they reload and apply it again.
          const baseVersion = open.record.latest.version;
          setConflict({
            message: m('versions.conflict', { latest: `${baseVersion + 1}+`, base: baseVersion }),
            mine: open.draft,
            base: open.base,
            baseVersion,
            latest: null,
          });
          onConflict();
        }
      }
      onSaved();
    });
  }

  async function reloadLatest() {
    if (!open?.record || !conflict) return;
    try {
      const record = await actions.openPlan(session, open.record.id);
      editor.replace({ ...open, record, base: record.latest.plan, draft: record.latest.plan });
      setConflict({
        ...conflict,
        latest: record.latest.plan,
        message: m('versions.conflict', { latest: record.latestVersion, base: conflict.baseVersion }),
      });
    } catch (error) {
      status.fail(error);
    }
  }

  function reapply() {
    if (!open || !conflict?.latest) return;
    editor.replace({ ...open, draft: reapplyEdit(conflict.base, conflict.mine, conflict.latest) });
    setConflict(null);
  }

  async function signOff(version: number) {
    const record = open?.record;
    if (!open || !record) return;
    await status.run(async () => {
      const document = version === record.latest.version ? record.latest : await actions.openVersion(session, record.id, version);
      editor.replace({ ...open, record: await actions.signOffVersion(session, document) });
      status.say('versions.signed', { version });
    });
  }

  const unsavedChanges = useMemo(() => (open?.record ? diffPlans(open.base, open.draft).changes.length : 0), [open?.base, open?.draft]);

  return {
    diff,
    showDiff: setDiff,
    conflict,
    unsavedChanges,
    save,
    reloadLatest,
    reapply,
    signOff,
    /** Forgets the diff and any conflict: another plan is opened or this one closed. */
    reset: () => {
      setDiff(null);
      setConflict(null);
    },
  };
}
