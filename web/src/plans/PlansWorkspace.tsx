// The planning workspace: the plans list, and a plan open on the map with its editor, analysis,
// versions, summaries and exports. Opened from the main screen; everything here is a plan or an
// aggregate, never personal data (a CSO officer's records are only read on this device).
import {
  communityPointFromRecord,
  diffPlans,
  printablePlan,
  type CommunityPoint,
  type Plan,
  type PlanDiff,
  type PrintDocument,
  type Summary,
} from '#plans';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { openOrgRecords } from '../records.ts';
import type { Session } from '../session.ts';
import { describeFailure } from '../ui/failure.ts';
import { LanguagePicker } from '../ui/LanguagePicker.tsx';
import * as actions from './actions.ts';
import type { Org, PlanListItem, PlanRecord } from './actions.ts';
import { AnalysisPanel } from './AnalysisPanel.tsx';
import {
  analysePlan,
  areasOfSummaries,
  assignmentLines,
  chooseSummaryAreas,
  summaryFeatures,
  type AnalysisOptions,
  type AreaChoice,
  type PlanAnalysisView,
  type Population,
} from './analysis.ts';
import { allKnownAreas, knownBoundarySets } from './boundaries.ts';
import {
  addHazardZone,
  addImportedZones,
  addPlace,
  addRoute,
  blankPlan,
  checkPlan,
  movePlace,
  planFromScenario,
  polygonFromVertices,
  reapplyEdit,
  type PlaceLayer,
  type Position,
} from './draft.ts';
import { download } from '../ui/download.ts';
import { assignmentDownload, geoJsonDownload, importZones, kmlDownload, placesDownload } from './exports.ts';
import { LayerLists, PlanDetails } from './LayerPanels.tsx';
import { formatMessage } from '../i18n/index.ts';
import { mapLayerNames, populationFeatures, type MapLayerName } from './map-features.ts';
import { m, type PlanMessageKey } from './messages.ts';
import { PlanMap } from './PlanMap.tsx';
import { PrintView } from './PrintView.tsx';
import { SummaryPanel } from './SummaryPanel.tsx';
import { VersionsPanel } from './VersionsPanel.tsx';
import { referenceScenario } from '#plans/reference-scenarios';
import './plans.css';

type Tool = 'none' | 'hazardZone' | 'area' | 'assemblyPoint' | 'shelter' | 'route' | 'borderCrossing' | 'move';
type Section = 'plan' | 'layers' | 'analysis' | 'versions' | 'summary' | 'export';

interface Open {
  record: PlanRecord | null;
  /** The plan as last loaded or saved (the base of the next save). */
  base: Plan;
  draft: Plan;
  sharedWith: string[];
}

const ANALYSIS_DELAY_MS = 250;
const emptyCollection: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const today = () => new Date().toISOString().slice(0, 10);
/** The reference scenario a new plan starts from (decision 0806). */
const startingScenario = referenceScenario('libya-2011');

/** The status line of the plan screens: a message key, its parameters, and whether it reports a failure. */
type PlansMessage = { key: PlanMessageKey; params?: Record<string, string | number>; error?: boolean };

export function PlansWorkspace({ session, onClose }: { session: Session; onClose: () => void }) {
  const isOfficer = session.identity.role === 'officer';
  const isCso = session.identity.orgKind === 'cso';
  const [plans, setPlans] = useState<PlanListItem[]>([]);
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [open, setOpen] = useState<Open | null>(null);
  const [section, setSection] = useState<Section>('plan');
  const [tool, setTool] = useState<Tool>('none');
  const [vertices, setVertices] = useState<Position[]>([]);
  const [moving, setMoving] = useState<{ layer: PlaceLayer; id: string } | null>(null);
  const [visible, setVisible] = useState<Record<MapLayerName, boolean>>(
    () => Object.fromEntries(mapLayerNames.map((name) => [name, true])) as Record<MapLayerName, boolean>,
  );
  const [options, setOptions] = useState<AnalysisOptions>({ bufferKm: 1, maxDistanceKm: 25, now: new Date().toISOString() });
  const [communities, setCommunities] = useState<CommunityPoint[]>([]);
  const [summaries, setSummaries] = useState<{ orgName: string; summary: Summary }[]>([]);
  const [shownSummary, setShownSummary] = useState(0);
  const [analysis, setAnalysis] = useState<PlanAnalysisView | null>(null);
  const [updating, setUpdating] = useState(false);
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  const [conflict, setConflict] = useState<{ message: string; mine: Plan; base: Plan; baseVersion: number; latest: Plan | null } | null>(
    null,
  );
  // Kept as a key and its values, so the line follows a change of language.
  const [message, setMessage] = useState<PlansMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState<{ document: PrintDocument; mapImage: string | null } | null>(null);
  const map = useRef<MapLibreMap | null>(null);
  const knownAreas = useMemo(allKnownAreas, []);

  const say = (key: PlanMessageKey, params?: Record<string, string | number>) => setMessage({ key, params });
  const fail = (error: unknown) =>
    setMessage(
      describeFailure<PlansMessage>(error, {
        offline: () => ({ key: 'error.offline', error: true }),
        server: (message) => ({ key: 'error.server', params: { message }, error: true }),
      }),
    );

  async function refreshList() {
    try {
      const [list, directory] = await Promise.all([actions.listPlans(session), actions.directory(session)]);
      setPlans(list);
      setOrgs(directory);
    } catch (error) {
      fail(error);
    }
  }

  async function loadPopulation() {
    try {
      if (isCso && isOfficer && session.orgKeys) {
        const opened = await openOrgRecords(session);
        setCommunities(opened.communities.map((community) => communityPointFromRecord(community)));
      }
      setSummaries(await actions.readableSummaries(session));
    } catch (error) {
      fail(error);
    }
  }

  useEffect(() => {
    void refreshList();
    void loadPopulation();
  }, [session]);

  const population = useMemo<Population>(() => {
    if (communities.length > 0) return { kind: 'records', communities };
    if (summaries.length > 0) return { kind: 'summaries', summaries, areas: areasOfSummaries(summaries, knownAreas) };
    return { kind: 'none' };
  }, [communities, summaries, knownAreas]);

  // The analysis follows the edits, a moment after the last one (library calls, no network).
  useEffect(() => {
    if (!open) return;
    setUpdating(true);
    const timer = setTimeout(() => {
      setAnalysis(analysePlan(open.draft, population, options));
      setUpdating(false);
    }, ANALYSIS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [open?.draft, population, options]);

  function edit(plan: Plan) {
    setOpen((current) => (current ? { ...current, draft: plan } : current));
  }

  function startPlan(plan: Plan) {
    setOpen({ record: null, base: plan, draft: plan, sharedWith: [] });
    setDiff(null);
    setConflict(null);
    setSection('plan');
  }

  async function openExisting(planId: string) {
    try {
      const record = await actions.openPlan(session, planId);
      setOpen({ record, base: record.latest.plan, draft: record.latest.plan, sharedWith: record.sharedWith.map((org) => org.id) });
      setDiff(null);
      setConflict(null);
      setSection('plan');
    } catch (error) {
      fail(error);
    }
  }

  async function save() {
    if (!open) return;
    const checked = checkPlan(open.draft);
    if (!checked.ok) return setMessage({ key: 'error.invalid', params: { message: checked.message }, error: true });
    setBusy(true);
    try {
      if (!open.record) {
        const record = await actions.createPlan(session, checked.plan, open.sharedWith);
        setOpen({ record, base: record.latest.plan, draft: record.latest.plan, sharedWith: open.sharedWith });
        say('versions.created');
      } else {
        const result = await actions.saveVersion(session, checked.plan, open.record.latest.version, open.sharedWith);
        if (result.ok) {
          setOpen({
            record: result.record,
            base: result.record.latest.plan,
            draft: result.record.latest.plan,
            sharedWith: open.sharedWith,
          });
          setConflict(null);
          say('versions.saved', { version: result.record.latestVersion });
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
          setSection('versions');
        }
      }
      void refreshList();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  async function reloadLatest() {
    if (!open?.record || !conflict) return;
    try {
      const record = await actions.openPlan(session, open.record.id);
      setOpen({ ...open, record, base: record.latest.plan, draft: record.latest.plan });
      setConflict({
        ...conflict,
        latest: record.latest.plan,
        message: m('versions.conflict', { latest: record.latestVersion, base: conflict.baseVersion }),
      });
    } catch (error) {
      fail(error);
    }
  }

  function reapply() {
    if (!open || !conflict?.latest) return;
    setOpen({ ...open, draft: reapplyEdit(conflict.base, conflict.mine, conflict.latest) });
    setConflict(null);
  }

  async function signOff(version: number) {
    if (!open?.record) return;
    setBusy(true);
    try {
      const document =
        version === open.record.latest.version ? open.record.latest : await actions.openVersion(session, open.record.id, version);
      const record = await actions.signOffVersion(session, document);
      setOpen({ ...open, record });
      say('versions.signed', { version });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  const areaChoice = useMemo<AreaChoice | null>(
    () => (communities.length ? chooseSummaryAreas(communities, knownBoundarySets()) : null),
    [communities],
  );

  async function publish(threshold: number) {
    if (!areaChoice) return;
    setBusy(true);
    try {
      const summary = await actions.publishSummary(session, communities, areaChoice.areas, threshold);
      const hidden = summary.cells.filter((cell) => cell.suppressed).length;
      say('summary.published', { areas: summary.areas.length, hidden });
      setSummaries([{ orgName: session.identity.orgName, summary }, ...summaries.filter((item) => item.summary.orgId !== summary.orgId)]);
      setShownSummary(0);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  function mapClick(position: Position) {
    if (!open) return;
    if (tool === 'move' && moving) {
      edit(movePlace(open.draft, moving.layer, moving.id, position));
      setMoving(null);
      setTool('none');
    } else if (tool === 'hazardZone' || tool === 'area' || tool === 'route') setVertices((current) => [...current, position]);
    else if (tool === 'assemblyPoint' || tool === 'shelter' || tool === 'borderCrossing')
      edit(addPlace(open.draft, `${tool}s` as 'assemblyPoints' | 'shelters' | 'borderCrossings', position));
  }

  function finishDrawing() {
    if (!open) return;
    if (tool === 'route') {
      const next = addRoute(open.draft, vertices);
      if (next) edit(next);
    } else {
      const polygon = polygonFromVertices(vertices);
      if (polygon) edit(tool === 'area' ? { ...open.draft, area: polygon } : addHazardZone(open.draft, polygon));
    }
    setVertices([]);
  }

  function chooseTool(next: Tool) {
    setTool(next);
    setVertices([]);
    setMoving(null);
  }

  function startMove(layer: PlaceLayer, id: string) {
    chooseTool('move');
    setMoving({ layer, id });
  }

  async function importFile(file: File) {
    if (!open) return;
    const result = importZones(file.name, await file.text());
    if (!result.ok) return setMessage({ key: 'import.failed', params: { message: result.message }, error: true });
    edit(addImportedZones(open.draft, result.zones));
    say('import.done', { count: result.zones.length, format: result.format });
  }

  function print() {
    if (!open) return;
    const document = printablePlan(
      open.draft,
      {
        ...(analysis?.assignment ? { assignment: analysis.assignment } : {}),
        ...(analysis?.transport ? { transport: analysis.transport } : {}),
        gaps: analysis?.gaps ?? [],
        nationalitiesPresent: analysis?.nationalitiesPresent ?? {},
      },
      new Date().toISOString(),
    );
    let mapImage: string | null = null;
    try {
      map.current?.triggerRepaint();
      mapImage = map.current?.getCanvas().toDataURL('image/png') ?? null;
    } catch {
      mapImage = null;
    }
    setPrinting({ document, mapImage });
  }

  const plan = open?.draft ?? null;
  const isOwner = !open?.record || open.record.ownerOrgId === session.identity.orgId;
  const editable = isOwner && isOfficer;
  const unsavedChanges = useMemo(() => (open?.record ? diffPlans(open.base, open.draft).changes.length : 0), [open?.base, open?.draft]);
  const overflowing = useMemo(
    () => (analysis?.assignment?.points ?? []).filter((point) => point.overflow > 0).map((point) => point.assemblyPointId),
    [analysis],
  );
  const lines = useMemo(() => (plan && analysis ? assignmentLines(plan, analysis) : emptyCollection), [analysis]);
  const populationPoints = useMemo(() => populationFeatures(analysis?.communities ?? []), [analysis?.communities]);
  const shownSummaryFeatures = useMemo(() => {
    const current = summaries[shownSummary];
    return current ? summaryFeatures(current.summary, areasOfSummaries([current], knownAreas)) : emptyCollection;
  }, [summaries, shownSummary, knownAreas]);
  const sections: Section[] = ['plan', 'layers', 'analysis', 'versions', 'summary', 'export'];
  const drawingHint =
    tool === 'hazardZone' || tool === 'area'
      ? m('tool.hint.polygon', { count: vertices.length })
      : tool === 'route'
        ? m('tool.hint.line', { count: vertices.length })
        : tool === 'none'
          ? null
          : tool === 'move'
            ? m('tool.hint.move', {
                name: (plan?.[moving?.layer ?? 'assemblyPoints'] ?? []).find((item) => item.id === moving?.id)?.name ?? '',
              })
            : m('tool.hint.point');

  if (printing) return <PrintView document={printing.document} mapImage={printing.mapImage} onClose={() => setPrinting(null)} />;

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
            plan={plan}
            population={visible.population ? populationPoints : emptyCollection}
            assignment={lines}
            summary={shownSummaryFeatures}
            changes={diff?.map ?? emptyCollection}
            overflowing={overflowing}
            draft={{ positions: vertices, closed: tool !== 'route' }}
            visible={visible}
            fitKey={plan?.id ?? ''}
            onClick={mapClick}
            onMap={(instance) => (map.current = instance)}
          />
          <div class="layer-toggle" data-testid="layer-toggle">
            {mapLayerNames.map((name) => (
              <label class={`check swatch-${name}`} key={name}>
                <input
                  type="checkbox"
                  checked={visible[name]}
                  onChange={(event) => setVisible({ ...visible, [name]: (event.currentTarget as HTMLInputElement).checked })}
                />{' '}
                {m(`layer.${name === 'area' ? 'area' : name}` as PlanMessageKey)}
              </label>
            ))}
          </div>
        </div>
        <aside class="panel plans-panel">
          {!open && (
            <section data-testid="plans-list">
              <h3>{m('title')}</h3>
              {isOfficer && (
                <p class="row">
                  <button
                    type="button"
                    onClick={() =>
                      startPlan(blankPlan(session.identity.orgName, [startingScenario.hub.lon, startingScenario.hub.lat], today()))
                    }
                    data-testid="new-plan"
                  >
                    {m('new.blank')}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => startPlan(planFromScenario(startingScenario, session.identity.orgName, today()))}
                    data-testid="new-from-scenario"
                  >
                    {m('new.fromScenario')}: {startingScenario.title.split(':')[0]}
                  </button>
                </p>
              )}
              {plans.length === 0 && <p class="hint">{m('list.none')}</p>}
              <ul class="plan-list">
                {plans.map((item) => (
                  <li key={item.id}>
                    <button type="button" class="link" onClick={() => openExisting(item.id)}>
                      {item.title}
                    </button>{' '}
                    <small>
                      {item.status.replace(/_/g, ' ')} · {m('list.version', { version: item.latestVersion })}
                    </small>
                  </li>
                ))}
              </ul>
              <button type="button" class="secondary small" onClick={refreshList}>
                {m('list.refresh')}
              </button>
              {(isCso || summaries.length > 0) && (
                <SummaryPanel
                  canPublish={isCso && isOfficer}
                  communities={communities.length}
                  areaChoice={areaChoice}
                  summaries={summaries}
                  shown={shownSummary}
                  busy={busy}
                  onShow={setShownSummary}
                  onPublish={publish}
                />
              )}
            </section>
          )}
          {open && plan && (
            <>
              <div class="tabs" role="tablist">
                {sections.map((name) => (
                  <button
                    type="button"
                    role="tab"
                    key={name}
                    aria-selected={section === name}
                    class={section === name ? 'tab active' : 'tab'}
                    onClick={() => setSection(name)}
                  >
                    {m(`section.${name}`)}
                  </button>
                ))}
                <button
                  type="button"
                  class="tab"
                  onClick={() => {
                    setOpen(null);
                    setDiff(null);
                    setAnalysis(null);
                    chooseTool('none');
                  }}
                >
                  ×
                </button>
              </div>
              {section === 'plan' && (
                <>
                  <PlanDetails
                    plan={plan}
                    orgs={orgs}
                    ownOrgId={session.identity.orgId}
                    sharedWith={open.sharedWith}
                    editable={editable}
                    onChange={edit}
                    onShare={(ids) => setOpen({ ...open, sharedWith: ids })}
                  />
                  {editable && (
                    <button type="button" onClick={save} disabled={busy} data-testid="save-plan-details">
                      {m('versions.save')}
                    </button>
                  )}
                </>
              )}
              {section === 'layers' && (
                <section data-testid="layers">
                  {editable && (
                    <div class="tools" data-testid="tools">
                      {(['none', 'hazardZone', 'area', 'assemblyPoint', 'shelter', 'route', 'borderCrossing'] as const).map((name) => (
                        <button
                          type="button"
                          key={name}
                          class={tool === name ? 'tool active' : 'tool secondary'}
                          aria-pressed={tool === name}
                          onClick={() => chooseTool(name)}
                        >
                          {m(`tool.${name}`)}
                        </button>
                      ))}
                      {drawingHint && (
                        <p class="hint" data-testid="drawing-hint">
                          {drawingHint}
                        </p>
                      )}
                      {(tool === 'hazardZone' || tool === 'area' || tool === 'route') && (
                        <p class="row">
                          <button
                            type="button"
                            onClick={finishDrawing}
                            disabled={vertices.length < (tool === 'route' ? 2 : 3)}
                            data-testid="finish-drawing"
                          >
                            {m('tool.finish')}
                          </button>
                          <button
                            type="button"
                            class="secondary"
                            onClick={() => setVertices(vertices.slice(0, -1))}
                            disabled={vertices.length === 0}
                          >
                            {m('tool.undo')}
                          </button>
                          <button type="button" class="secondary" onClick={() => setVertices([])}>
                            {m('tool.cancel')}
                          </button>
                        </p>
                      )}
                      <label class="file">
                        {m('import.file')}
                        <input
                          type="file"
                          accept=".geojson,.json,.kml,.xml,.cap"
                          data-testid="import-zones"
                          onChange={(event) => {
                            const file = (event.currentTarget as HTMLInputElement).files?.[0];
                            if (file) void importFile(file);
                            (event.currentTarget as HTMLInputElement).value = '';
                          }}
                        />
                      </label>
                    </div>
                  )}
                  {editable ? (
                    <LayerLists plan={plan} onChange={edit} onMove={startMove} moving={moving} />
                  ) : (
                    <fieldset disabled>
                      <LayerLists plan={plan} onChange={edit} />
                    </fieldset>
                  )}
                </section>
              )}
              {section === 'analysis' && (
                <AnalysisPanel
                  plan={plan}
                  analysis={analysis}
                  population={population}
                  options={options}
                  updating={updating}
                  onOptions={setOptions}
                />
              )}
              {section === 'versions' && (
                <VersionsPanel
                  record={open.record}
                  orgs={orgs}
                  ownOrgId={session.identity.orgId}
                  isOwner={isOwner}
                  isOfficer={isOfficer}
                  unsavedChanges={unsavedChanges}
                  conflict={conflict ? { message: conflict.message, latest: conflict.latest ? 1 : null } : null}
                  busy={busy}
                  onSave={save}
                  onReload={reloadLatest}
                  onReapply={reapply}
                  onSignOff={signOff}
                  loadVersion={(version) => actions.openVersion(session, open.record!.id, version)}
                  onDiff={setDiff}
                />
              )}
              {section === 'summary' && (
                <SummaryPanel
                  canPublish={isCso && isOfficer}
                  communities={communities.length}
                  areaChoice={areaChoice}
                  summaries={summaries}
                  shown={shownSummary}
                  busy={busy}
                  onShow={setShownSummary}
                  onPublish={publish}
                />
              )}
              {section === 'export' && (
                <section class="exports" data-testid="exports">
                  <button type="button" onClick={print} data-testid="print-plan">
                    {m('export.print')}
                  </button>
                  <button type="button" class="secondary" onClick={() => download(geoJsonDownload(plan))}>
                    {m('export.geojson')}
                  </button>
                  <button type="button" class="secondary" onClick={() => download(kmlDownload(plan))}>
                    {m('export.kml')}
                  </button>
                  <button type="button" class="secondary" onClick={() => download(placesDownload(plan))}>
                    {m('export.planCsv')}
                  </button>
                  {analysis?.assignment && (
                    <button type="button" class="secondary" onClick={() => download(assignmentDownload(plan, analysis.assignment!))}>
                      {m('export.csv')}
                    </button>
                  )}
                </section>
              )}
            </>
          )}
        </aside>
      </div>
    </div>
  );
}
