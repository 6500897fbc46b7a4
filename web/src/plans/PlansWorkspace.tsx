// The planning workspace: the plans list, and a plan open on the map with its editor, analysis,
// versions, summaries and exports. Opened from the main screen; everything here is a plan or an
// aggregate, never personal data (a CSO officer's records are only read on this device).
// Each concern is a hook in ./workspace/ and a panel component; this file wires them together.
import type { Plan } from '#plans';
import { referenceScenario } from '#plans/reference-scenarios';
import { useState } from 'preact/hooks';
import { formatMessage } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { LanguagePicker } from '../ui/LanguagePicker.tsx';
import * as actions from './actions.ts';
import { AnalysisPanel } from './AnalysisPanel.tsx';
import { addImportedZones, blankPlan, planFromScenario } from './draft.ts';
import { ExportsPanel } from './ExportsPanel.tsx';
import { importZones } from './exports.ts';
import { PlanDetails } from './LayerPanels.tsx';
import { LayersSection } from './LayersSection.tsx';
import { allLayersVisible, LayerToggle } from './LayerToggle.tsx';
import { m } from './messages.ts';
import { PlanMap } from './PlanMap.tsx';
import { PlansList } from './PlansList.tsx';
import { PrintView } from './PrintView.tsx';
import { SectionTabs, type Section } from './SectionTabs.tsx';
import { SummaryPanel } from './SummaryPanel.tsx';
import { VersionsPanel } from './VersionsPanel.tsx';
import { useDrawing } from './workspace/drawing.ts';
import { usePlanEditor } from './workspace/editor.ts';
import { usePlanLibrary } from './workspace/library.ts';
import { useLiveAnalysis } from './workspace/live-analysis.ts';
import { emptyCollection, useMapLayers } from './workspace/map-layers.ts';
import { usePopulation } from './workspace/population.ts';
import { usePrinting } from './workspace/printing.ts';
import { usePublishing } from './workspace/publishing.ts';
import { usePlansStatus } from './workspace/status.ts';
import { usePlanVersions } from './workspace/versions.ts';
import './plans.css';

const today = () => new Date().toISOString().slice(0, 10);
/** The reference scenario new plans start from: its geography, or a blank plan at its hub (decision 0806). */
const startingScenario = referenceScenario('libya-2011');
const startingView = { center: startingScenario.center, zoom: startingScenario.zoom };

export function PlansWorkspace({ session, onClose }: { session: Session; onClose: () => void }) {
  const isOfficer = session.identity.role === 'officer';
  const isCso = session.identity.orgKind === 'cso';
  const status = usePlansStatus();
  const library = usePlanLibrary(session, status);
  const people = usePopulation(session, status);
  const { publish } = usePublishing(session, people, status);
  const editor = usePlanEditor(session, status);
  const [section, setSection] = useState<Section>('plan');
  const versions = usePlanVersions({
    session,
    editor,
    status,
    onSaved: () => void library.refresh(),
    onConflict: () => setSection('versions'),
  });
  const open = editor.open;
  const plan = open?.draft ?? null;
  const live = useLiveAnalysis(plan, people.population);
  const { analysis } = live;
  const drawing = useDrawing(plan, editor.edit);
  const printer = usePrinting();
  const [visible, setVisible] = useState(allLayersVisible);

  function startPlan(next: Plan) {
    editor.start(next);
    versions.reset();
    setSection('plan');
  }

  async function openStored(planId: string) {
    if (!(await editor.openStored(planId))) return;
    versions.reset();
    setSection('plan');
  }

  function closePlan() {
    editor.close();
    versions.reset();
    live.clear();
    drawing.choose('none');
  }

  async function importFile(file: File) {
    if (!plan) return;
    const result = importZones(file.name, await file.text());
    if (!result.ok) return status.warn('import.failed', { message: result.message });
    editor.edit(addImportedZones(plan, result.zones));
    status.say('import.done', { count: result.zones.length, format: result.format });
  }

  const layers = useMapLayers(plan, analysis, people);
  const { summaries, shownSummary } = people;

  if (printer.printing)
    return <PrintView document={printer.printing.document} mapImage={printer.printing.mapImage} onClose={printer.close} />;

  const summaryPanel = (
    <SummaryPanel
      canPublish={isCso && isOfficer}
      communities={people.communities.length}
      areaChoice={people.areaChoice}
      summaries={summaries}
      shown={shownSummary}
      busy={status.busy}
      onShow={people.showSummary}
      onPublish={publish}
    />
  );
  const { message } = status;

  return (
    <div class="plans-workspace" data-testid="plans-workspace">
      <header class="bar">
        <strong>{m('title')}</strong>
        {plan && (
          <span class="plan-title" data-testid="open-plan-title">
            {plan.title}
          </span>
        )}
        <LanguagePicker compact />
        <button type="button" class="secondary" onClick={onClose}>
          {m('close')}
        </button>
      </header>
      {message && (
        <p class={message.error ? 'status-line error' : 'status-line'} role="status" data-testid="plans-status">
          {formatMessage(`plans.${message.key}`, message.params)}
        </p>
      )}
      <div class="workspace">
        <div class="plan-map-column">
          <PlanMap
            view={startingView}
            plan={plan}
            population={visible.population ? layers.population : emptyCollection}
            assignment={layers.lines}
            summary={layers.summary}
            changes={versions.diff?.map ?? emptyCollection}
            overflowing={layers.overflowing}
            draft={{ positions: drawing.vertices, closed: drawing.tool !== 'route' }}
            visible={visible}
            fitKey={plan?.id ?? ''}
            onClick={drawing.click}
            onMap={printer.onMap}
          />
          <LayerToggle visible={visible} onChange={setVisible} />
        </div>
        <aside class="panel plans-panel">
          {!open && (
            <PlansList
              plans={library.plans}
              canStart={isOfficer}
              scenarioName={startingScenario.title.split(':')[0]!}
              onBlank={() => startPlan(blankPlan(session.identity.orgName, [startingScenario.hub.lon, startingScenario.hub.lat], today()))}
              onFromScenario={() => startPlan(planFromScenario(startingScenario, session.identity.orgName, today()))}
              onOpen={openStored}
              onRefresh={library.refresh}
            >
              {(isCso || summaries.length > 0) && summaryPanel}
            </PlansList>
          )}
          {open && plan && (
            <>
              <SectionTabs current={section} onSelect={setSection} onClose={closePlan} />
              {section === 'plan' && (
                <>
                  <PlanDetails
                    plan={plan}
                    orgs={library.orgs}
                    ownOrgId={session.identity.orgId}
                    sharedWith={open.sharedWith}
                    editable={editor.editable}
                    onChange={editor.edit}
                    onShare={editor.share}
                  />
                  {editor.editable && (
                    <button type="button" onClick={versions.save} disabled={status.busy} data-testid="save-plan-details">
                      {m('versions.save')}
                    </button>
                  )}
                </>
              )}
              {section === 'layers' && (
                <LayersSection plan={plan} editable={editor.editable} drawing={drawing} onChange={editor.edit} onImport={importFile} />
              )}
              {section === 'analysis' && (
                <AnalysisPanel
                  plan={plan}
                  analysis={analysis}
                  population={people.population}
                  options={live.options}
                  updating={live.updating}
                  onOptions={live.setOptions}
                />
              )}
              {section === 'versions' && (
                <VersionsPanel
                  record={open.record}
                  orgs={library.orgs}
                  ownOrgId={session.identity.orgId}
                  isOwner={editor.isOwner}
                  isOfficer={isOfficer}
                  unsavedChanges={versions.unsavedChanges}
                  conflict={versions.conflict ? { message: versions.conflict.message, latest: versions.conflict.latest ? 1 : null } : null}
                  busy={status.busy}
                  onSave={versions.save}
                  onReload={versions.reloadLatest}
                  onReapply={versions.reapply}
                  onSignOff={versions.signOff}
                  loadVersion={(version) => actions.openVersion(session, open.record!.id, version)}
                  onDiff={versions.showDiff}
                />
              )}
              {section === 'summary' && summaryPanel}
              {section === 'export' && <ExportsPanel plan={plan} analysis={analysis} onPrint={() => printer.print(plan, analysis)} />}
            </>
          )}
        </aside>
      </div>
    </div>
  );
}
