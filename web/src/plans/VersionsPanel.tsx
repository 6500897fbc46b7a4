// Saving, history, diffs in words and sign-off by partners.
import { diffPlans, signOffState, type PlanDiff, type PlanVersion } from '#plans';
import { useState } from 'preact/hooks';
import { Icon } from '../ui/icons.tsx';
import type { Org, PlanRecord } from './actions.ts';
import { m } from './messages.ts';

export interface VersionsPanelProps {
  record: PlanRecord | null;
  orgs: Org[];
  ownOrgId: string;
  isOwner: boolean;
  isOfficer: boolean;
  unsavedChanges: number;
  conflict: { message: string; latest: number | null } | null;
  busy: boolean;
  onSave: () => void;
  onReload: () => void;
  onReapply: () => void;
  onSignOff: (version: number) => void;
  loadVersion: (version: number) => Promise<PlanVersion>;
  onDiff: (diff: PlanDiff | null) => void;
}

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function VersionsPanel(props: VersionsPanelProps) {
  const { record, orgs, isOwner, isOfficer, conflict } = props;
  const latest = record?.latestVersion ?? 0;
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const orgName = (id: string) => orgs.find((org) => org.id === id)?.name ?? record?.sharedWith.find((org) => org.id === id)?.name ?? id;
  const signedHere = record?.signOffs.some((signOff) => signOff.orgId === props.ownOrgId && signOff.version === latest) ?? false;
  const state = record
    ? signOffState(
        record.latest,
        record.signOffs.map((signOff) => ({ partner: orgName(signOff.orgId), version: signOff.version, signedAt: signOff.signedAt })),
      )
    : null;

  async function compare() {
    setFailed(null);
    try {
      const [before, after] = await Promise.all([props.loadVersion(from), props.loadVersion(to)]);
      const result = diffPlans(before.plan, after.plan);
      setDiff(result);
      props.onDiff(result);
    } catch (error) {
      setFailed((error as Error).message);
    }
  }

  return (
    <section class="versions" data-testid="versions">
      {isOwner && isOfficer && (
        <p class="row">
          <button type="button" onClick={props.onSave} disabled={props.busy} data-testid="save-plan">
            {m('versions.save')}
          </button>
          {props.unsavedChanges > 0 && (
            <small data-testid="unsaved">
              {m('versions.unsaved')} ({props.unsavedChanges})
            </small>
          )}
        </p>
      )}
      {conflict && (
        <div class="conflict" role="alert" data-testid="conflict">
          <p>{conflict.message}</p>
          <button type="button" onClick={props.onReload}>
            {m('versions.reload')}
          </button>
          <button type="button" onClick={props.onReapply} disabled={conflict.latest === null} data-testid="reapply">
            {m('versions.reapply')}
          </button>
        </div>
      )}
      {record && (
        <>
          <h4>{m('versions.history')}</h4>
          <ul data-testid="version-history">
            {record.versions.map((version) => (
              <li key={version.version}>
                {m('versions.entry', { version: version.version, author: version.author, date: day(version.createdAt) })}
                {record.signOffs
                  .filter((signOff) => signOff.version === version.version)
                  .map((signOff) => (
                    <div class="signed" data-testid="signoff">
                      <Icon shape="check" />{' '}
                      {m('versions.signedBy', { org: orgName(signOff.orgId), version: signOff.version, date: day(signOff.signedAt) })}
                    </div>
                  ))}
              </li>
            ))}
          </ul>
          {state && state.stale.length > 0 && <p class="hint">{m('versions.stale', { partners: state.stale.join(', ') })}</p>}
          {state && state.missing.length > 0 && <p class="hint">{m('versions.missing', { partners: state.missing.join(', ') })}</p>}
          {isOfficer && !signedHere && (
            <button type="button" onClick={() => props.onSignOff(latest)} disabled={props.busy} data-testid="sign-off">
              {m('versions.signOff', { version: latest })}
            </button>
          )}
          {record.versions.length > 1 && (
            <div class="compare">
              <h4>{m('versions.compare')}</h4>
              <label class="inline">
                {m('versions.from')}
                <select name="from" value={from} onChange={(event) => setFrom(Number((event.currentTarget as HTMLSelectElement).value))}>
                  {record.versions.map((version) => (
                    <option value={version.version}>{version.version}</option>
                  ))}
                </select>
              </label>
              <label class="inline">
                {m('versions.to')}
                <select name="to" value={to} onChange={(event) => setTo(Number((event.currentTarget as HTMLSelectElement).value))}>
                  {record.versions.map((version) => (
                    <option value={version.version}>{version.version}</option>
                  ))}
                </select>
              </label>
              <button type="button" class="secondary" onClick={compare} data-testid="compare">
                {m('versions.compare')}
              </button>
              {failed && <p class="error">{failed}</p>}
              {diff && (
                <ul data-testid="diff">
                  {diff.changes.length === 0 && <li>{m('versions.noChanges')}</li>}
                  {diff.changes.map((change) => (
                    <li class={`change ${change.kind}`}>{change.message}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
