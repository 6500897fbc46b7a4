// The alerts workspace (CSO officers, and anyone who imports alerts): the imported public alerts,
// and for the one chosen, the communities it covers, computed on this device from the decrypted
// records, its area on the map, the plans it concerns and what the officer may do next. Nothing
// here releases or sends anything by itself. An alert that is not a real warning (CAP status
// Exercise, Test, System or Draft) carries its label wherever it appears, on neutral styling, with
// no level colour, no trigger and no action: nothing about it may reach the communities.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { capStatuses, isRealWarning } from '#plans';
import { AreaMap, type MapPoint } from '../activation/AreaMap.tsx';
import { formatNumber } from '../i18n/index.ts';
import { openOrgRecords, type OpenedRecords } from '../records.ts';
import type { Session } from '../session.ts';
import * as actions from './actions.ts';
import { FeedsPanel } from './FeedsPanel.tsx';
import { matchAlert, type ImportedAlert, type PlanLike } from './match.ts';
import { m, type AlertMessageKey } from './messages.ts';
import { describeFailure } from '../ui/failure.ts';
import { uploadOf } from './upload.ts';
import './alerts.css';

export interface RelayDraft {
  area: GeoJSON.MultiPolygon;
  areaName: string;
  nationalities: string[];
  purpose: string;
}

export interface AlertsWorkspaceProps {
  session: Session;
  onClose: () => void;
  onDraftRelay: (draft: RelayDraft) => void;
  onOpenActivation: () => void;
}

const SHOWN_COMMUNITIES = 50;

/**
 * "Exercise — not a real alert" and the like; null for a real warning. An alert stored before
 * statuses were checked may carry one CAP does not define: it is named, and not taken as real.
 */
function notRealLabel(alert: ImportedAlert): string | null {
  if (isRealWarning(alert)) return null;
  return capStatuses.includes(alert.status)
    ? m(`status.${alert.status}` as AlertMessageKey)
    : m('status.unknown', { status: alert.status });
}

export function AlertsWorkspace({ session, onClose, onDraftRelay, onOpenActivation }: AlertsWorkspaceProps) {
  const isOfficer = session.identity.role === 'officer';
  const canMatch = isOfficer && session.identity.orgKind === 'cso';
  const [alerts, setAlerts] = useState<ImportedAlert[]>([]);
  const [showAll, setShowAll] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [records, setRecords] = useState<OpenedRecords | null>(null);
  const [plans, setPlans] = useState<PlanLike[]>([]);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  const fail = (error: unknown) =>
    setMessage({
      text: describeFailure(error, { offline: () => m('error.offline'), server: (message) => m('error.server', { message }) }),
      error: true,
    });

  async function refresh(all = showAll) {
    try {
      const list = await actions.listAlerts(session, all ? 'all' : 'active');
      setAlerts(list);
      setSelectedId((current) => (current && list.some((alert) => alert.id === current) ? current : (list[0]?.id ?? null)));
    } catch (error) {
      fail(error);
    }
  }

  useEffect(() => {
    void refresh();
    if (canMatch && session.orgKeys) void openOrgRecords(session).then(setRecords, fail);
    // Plans are officers' (a field device is refused them, issue 15).
    if (isOfficer) void actions.readablePlans(session).then(setPlans, () => setPlans([]));
  }, [session]);

  async function importFile(file: File) {
    const parsed = uploadOf(await file.text());
    if (!parsed.ok) return setMessage({ text: m('import.notAlert', { message: parsed.message }), error: true });
    try {
      const imported = await actions.importAlert(session, parsed.upload);
      const event = imported.alert.infos[0]?.headline ?? imported.alert.infos[0]?.event ?? imported.identifier;
      const done = imported.supersedes.length
        ? m('import.supersedes', { event, count: imported.supersedes.length })
        : m('import.done', { event });
      const label = notRealLabel(imported);
      setMessage({ text: label ? `${done} ${label}.` : done });
      await refresh();
      setSelectedId(imported.id);
    } catch (error) {
      fail(error);
    }
  }

  const selected = alerts.find((alert) => alert.id === selectedId) ?? null;
  const coverage = useMemo(
    () => (selected ? matchAlert(selected.alert, records ?? { communities: [], persons: [] }, plans) : null),
    [selected, records, plans],
  );
  const points = useMemo<MapPoint[]>(
    () =>
      coverage
        ? coverage.communities.map((community) => ({ lon: community.lon, lat: community.lat, kind: 'community', label: community.name }))
        : [],
    [coverage],
  );

  const info = selected?.alert.infos[0];
  const levelName = coverage?.level ? m(`level.${coverage.level}` as AlertMessageKey) : m('level.none');
  const selectedNotReal = selected ? notRealLabel(selected) : null;

  return (
    <div class="alerts-workspace" data-testid="alerts-workspace">
      <header class="bar">
        <strong>{m('title')}</strong>
        <span class="spacer" />
        <button type="button" class="secondary" onClick={onClose}>
          {m('close')}
        </button>
      </header>
      {message && (
        <p class={message.error ? 'status-line error' : 'status-line'} role="status" data-testid="alerts-status">
          {message.text}
        </p>
      )}
      <div class="workspace">
        <div class={selectedNotReal ? 'alerts-map-column not-real' : 'alerts-map-column'}>
          {selectedNotReal && (
            <p class="not-real-label" data-testid="alert-map-label">
              {selectedNotReal}
            </p>
          )}
          <AreaMap area={coverage?.shape.area ?? null} points={points} testId="alert-map" />
        </div>
        <aside class="panel alerts-panel">
          {isOfficer && (
            <label class="file">
              {m('import.label')}
              <input
                type="file"
                accept=".xml,.cap,.json,.geojson"
                data-testid="alert-file"
                onChange={(event) => {
                  const input = event.currentTarget;
                  const file = input.files?.[0];
                  if (file) void importFile(file).finally(() => (input.value = ''));
                }}
              />
            </label>
          )}
          {isOfficer && (
            <FeedsPanel session={session} onImported={() => void refresh()} onError={fail} onSuccess={() => setMessage(null)} />
          )}
          <p class="row">
            <label class="check">
              <input
                type="checkbox"
                checked={showAll}
                onChange={(event) => {
                  setShowAll(event.currentTarget.checked);
                  void refresh(event.currentTarget.checked);
                }}
              />{' '}
              {m('list.all')}
            </label>
            <button type="button" class="secondary small" onClick={() => void refresh()}>
              {m('list.refresh')}
            </button>
          </p>
          {alerts.length === 0 && <p class="hint">{m('list.none')}</p>}
          <ul class="alert-list" data-testid="alert-list">
            {alerts.map((alert) => {
              const label = notRealLabel(alert);
              return (
                <li
                  key={alert.id}
                  class={`alert-item${alert.id === selectedId ? ' selected' : ''}${label ? ' not-real' : ''}`}
                  data-status={alert.status}
                >
                  <button type="button" class="link" data-testid="alert-item" onClick={() => setSelectedId(alert.id)}>
                    {alert.alert.infos[0]?.headline ?? alert.alert.infos[0]?.event ?? alert.identifier}
                  </button>{' '}
                  {label && (
                    <>
                      <span class="not-real-label" data-testid="alert-status">
                        {label}
                      </span>{' '}
                    </>
                  )}
                  <span class={`state state-${alert.state}`}>{m(`state.${alert.state}` as AlertMessageKey)}</span>
                </li>
              );
            })}
          </ul>
          {selected && coverage && (
            <section
              class={selectedNotReal ? 'alert-detail not-real' : 'alert-detail'}
              data-testid="alert-detail"
              data-alert-id={selected.id}
              data-status={selected.status}
            >
              <h3>
                {selectedNotReal ? (
                  <span class="level level-not-real">{selectedNotReal}</span>
                ) : (
                  <span class={`level level-${coverage.level ?? 'none'}`}>{levelName}</span>
                )}{' '}
                {info?.event ?? selected.identifier}
              </h3>
              {info && (
                <p class="hint">
                  {m('alert.meta', { severity: info.severity, urgency: info.urgency, sent: selected.sent, sender: selected.sender })}
                </p>
              )}
              {info?.expires && <p class="hint">{m('alert.expires', { expires: info.expires })}</p>}
              {!coverage.shape.area ? (
                <p class="warning" data-testid="coverage">
                  {m('coverage.noArea')}
                </p>
              ) : !canMatch || !records ? (
                <p class="hint" data-testid="coverage">
                  {canMatch && session.orgKeys ? m('coverage.counting') : m('coverage.noRecords')}
                </p>
              ) : (
                <>
                  <p class="coverage" data-testid="coverage" data-communities={coverage.communities.length} data-people={coverage.people}>
                    {m(coverage.realWarning ? 'coverage.summary' : 'coverage.notReal', {
                      level: levelName,
                      communities: formatNumber(coverage.communities.length),
                      people: formatNumber(coverage.people),
                      count: coverage.nationalities.length,
                    })}
                    {coverage.nationalities.length > 0 && `: ${coverage.nationalities.map((item) => item.code).join(', ')}`}.
                  </p>
                  <p class="hint">{m('coverage.persons', { persons: coverage.persons })}</p>
                  <p class="hint">{m('coverage.local')}</p>
                  {coverage.communities.length > 0 && (
                    <details open={coverage.communities.length <= 10}>
                      <summary>{m('coverage.communities')}</summary>
                      <ul data-testid="covered-communities">
                        {coverage.communities.slice(0, SHOWN_COMMUNITIES).map((community) => (
                          <li key={community.id}>
                            {community.name} — {formatNumber(community.people)} ({community.nationalities.join(', ')})
                          </li>
                        ))}
                        {coverage.communities.length > SHOWN_COMMUNITIES && (
                          <li>{m('coverage.more', { count: coverage.communities.length - SHOWN_COMMUNITIES })}</li>
                        )}
                      </ul>
                    </details>
                  )}
                </>
              )}
              {coverage.shape.withoutShape.length > 0 && (
                <p class="hint">{m('coverage.withoutShape', { areas: coverage.shape.withoutShape.join(', ') })}</p>
              )}
              <h4>{m('plans.title')}</h4>
              {!coverage.realWarning && coverage.plans.length > 0 && <p class="hint">{m('plans.notReal')}</p>}
              {coverage.plans.length === 0 ? (
                <p class="hint" data-testid="alert-plans">
                  {m('plans.none')}
                </p>
              ) : (
                <ul data-testid="alert-plans">
                  {coverage.plans.map((plan) => (
                    <li key={plan.planId}>
                      <strong>{plan.title}</strong>
                      {plan.inPlanArea && <div class="hint">{m('plans.area')}</div>}
                      {plan.zones.length > 0 && <div>{m('plans.zones', { zones: plan.zones.map((zone) => zone.name).join(', ') })}</div>}
                      {plan.triggers.length > 0 && (
                        <div>
                          {m('plans.triggers')}
                          <ul>
                            {plan.triggers.map((trigger) => (
                              <li key={trigger.id}>
                                {trigger.condition}: {trigger.actions.join('; ')}
                              </li>
                            ))}
                          </ul>
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {selected.state !== 'active' && (
                <p class="warning" data-testid="alert-inactive">
                  {m(selected.state === 'cancelled' ? 'alert.cancelled' : 'alert.updated')}
                </p>
              )}
              {selectedNotReal && (
                <p class="not-real-note" data-testid="alert-not-real">
                  {m('alert.notReal', { status: selectedNotReal })}
                </p>
              )}
              {isOfficer && coverage.shape.area && selected.state === 'active' && coverage.realWarning && (
                <>
                  <h4>{m('actions.title')}</h4>
                  <p class="hint">{m('actions.note')}</p>
                  <p class="row">
                    {canMatch && (
                      <button
                        type="button"
                        data-testid="draft-relay"
                        onClick={() =>
                          onDraftRelay({
                            area: coverage.shape.area!,
                            areaName: coverage.shape.names.join(', ') || (info?.event ?? selected.identifier),
                            nationalities: coverage.nationalities.map((item) => item.code),
                            purpose: `${info?.headline ?? info?.event ?? selected.identifier} (${selected.identifier})`,
                          })
                        }
                      >
                        {m('actions.relay')}
                      </button>
                    )}
                    <button type="button" class="secondary" data-testid="open-activation" onClick={onOpenActivation}>
                      {m('actions.activation')}
                    </button>
                  </p>
                </>
              )}
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
