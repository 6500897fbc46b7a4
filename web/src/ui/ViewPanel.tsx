// The side panel of the working screen: its tabs, and the view each shows (the list with search and
// a record's detail, the capture forms, import and export, settings, and the officers' activation
// and tracing tools).
import { useEffect, useState } from 'preact/hooks';
import { nextVersion, type MergeResult, type RecordVersion } from '#model/merge';
import type { Position, RecordBody } from '#model/records';
import { ActivationPanel } from '../activation/ActivationPanel.tsx';
import { m as activationText } from '../activation/messages.ts';
import { m as alertText } from '../alerts/messages.ts';
import { t } from '../i18n/index.ts';
import type { OpenedRecords } from '../records.ts';
import type { Session } from '../session.ts';
import { loadKeepSyncedCaptures } from '../store/settings.ts';
import { TracingPanel } from '../tracing/TracingPanel.tsx';
import { CaptureForm } from './CaptureForm.tsx';
import { Filters, type FiltersProps } from './Filters.tsx';
import { ImportExport } from './ImportExport.tsx';
import { OfficerPanel } from './OfficerPanel.tsx';
import { PersonForm } from './PersonForm.tsx';
import { RecordDetail } from './RecordDetail.tsx';
import { RecordList } from './RecordList.tsx';
import { Settings, type SettingsProps } from './Settings.tsx';

export type View =
  | { name: 'records' }
  | { name: 'new' }
  | { name: 'edit' }
  | { name: 'person'; communityId: string | null; editing: boolean }
  | { name: 'transfer' }
  | { name: 'settings' }
  | { name: 'activation' }
  | { name: 'tracing' };

/** The views a tab opens; editing a record is reached from its detail. */
type TabName = Exclude<View['name'], 'edit' | 'person'>;

export interface ViewPanelProps {
  session: Session;
  view: View;
  onView: (view: View) => void;
  opened: OpenedRecords;
  /** The records the list shows, and how many there are in all. */
  listed: RecordBody[];
  total: number;
  selected: string | null;
  /** The selected record's versions merged. */
  current: MergeResult | null;
  onSelect: (id: string | null) => void;
  /** The position being recorded: a tap on the map, a GPS fix or typed coordinates. */
  pin: Position | null;
  onPin: (position: Position) => void;
  onClearPin: () => void;
  filters: FiltersProps;
  settings: Omit<SettingsProps, 'role'>;
  /** Grows with each sync: the officer panel refreshes on it. */
  syncCount: number;
  onSave: (versions: RecordVersion[]) => Promise<void>;
  onSaveBody: (body: RecordBody) => Promise<void>;
  onResolve: (picks: Record<string, unknown>) => Promise<void>;
}

export function ViewPanel(props: ViewPanelProps) {
  const { session, view, onView, opened, current, pin, onSelect, onSave, onSaveBody } = props;
  const isOfficer = session.identity.role === 'officer';
  const memberId = session.identity.memberId;
  // A field device that does not keep what it sent says so under its list (issue 15).
  const [sentLeave, setSentLeave] = useState(false);
  useEffect(
    () => void (session.identity.role === 'field' ? loadKeepSyncedCaptures().then((keep) => setSentLeave(!keep)) : undefined),
    [props.syncCount, view.name],
  );

  const tabs: [TabName, string][] = [
    ['records', t('tab.records')],
    ['new', t('tab.new')],
    ['transfer', t('tab.import')],
    ['settings', t('tab.settings')],
  ];
  if (isOfficer) tabs.push(['activation', activationText('tab')], ['tracing', alertText('tracing.tab')]);
  const communityBeingEdited = view.name === 'edit' && current?.body.kind === 'community' ? current.body : null;
  const personBeingEdited = view.name === 'person' && view.editing && current?.body.kind === 'person' ? current.body : null;
  const showRecord = (id: string) => {
    onSelect(id);
    onView({ name: 'records' });
  };

  return (
    <aside class="panel">
      <div class="tabs" role="tablist">
        {tabs.map(([name, label]) => (
          <button
            type="button"
            role="tab"
            key={name}
            aria-selected={view.name === name}
            class={view.name === name ? 'tab active' : 'tab'}
            onClick={() => {
              if (name === 'new') onSelect(null);
              onView({ name });
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {(view.name === 'new' || view.name === 'edit') && (
        <CaptureForm
          pin={pin}
          onPin={props.onPin}
          memberId={memberId}
          existing={communityBeingEdited}
          onSave={onSaveBody}
          onCancel={() => {
            props.onClearPin();
            onView({ name: 'records' });
          }}
        />
      )}
      {view.name === 'person' && (
        <PersonForm
          memberId={memberId}
          existing={personBeingEdited}
          communityId={view.communityId}
          communities={opened.communities}
          pin={pin}
          onPin={props.onPin}
          onSave={onSaveBody}
          onCancel={() => onView({ name: 'records' })}
        />
      )}
      {view.name === 'records' && (
        <>
          <Filters {...props.filters} />
          {current && (
            <RecordDetail
              merge={current}
              persons={opened.persons}
              memberLabel={(id) => (id === memberId ? session.identity.label : id.slice(0, 8))}
              onEdit={() =>
                onView(current.body.kind === 'community' ? { name: 'edit' } : { name: 'person', communityId: null, editing: true })
              }
              onAddPerson={() => onView({ name: 'person', communityId: current.body.id, editing: false })}
              onSelect={onSelect}
              onResolve={props.onResolve}
              onClose={() => onSelect(null)}
            />
          )}
          <RecordList opened={opened} records={props.listed} total={props.total} selected={props.selected} onSelect={onSelect} />
          {sentLeave && (
            <p class="hint" data-testid="sent-leave">
              {t('list.sentLeave')}
            </p>
          )}
        </>
      )}
      {view.name === 'tracing' && (
        <TracingPanel
          opened={opened}
          onShow={showRecord}
          onTraced={async (person, note) => {
            const at = new Date().toISOString();
            await onSave([
              nextVersion(
                opened.merges.get(person.id) ?? null,
                { ...person, notes: person.notes ? `${person.notes}\n${note}` : note, updatedAt: at, updatedBy: memberId },
                { memberId, at },
              ),
            ]);
          }}
        />
      )}
      {view.name === 'activation' && <ActivationPanel session={session} onClose={() => onView({ name: 'records' })} />}
      {view.name === 'transfer' && <ImportExport session={session} opened={opened} onImport={onSave} />}
      {view.name === 'settings' && <Settings {...props.settings} role={session.identity.role} />}
      {isOfficer && view.name === 'settings' && <OfficerPanel session={session} refreshKey={props.syncCount} />}
    </aside>
  );
}
