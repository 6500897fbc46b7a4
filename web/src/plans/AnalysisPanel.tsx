// The analysis as it stands after the last edit: people in each hazard zone, assignment to assembly
// points, transport and the gaps, in plain words.
import type { Plan } from '#plans';
import type { AnalysisOptions, PlanAnalysisView, Population } from './analysis.ts';
import { m } from './messages.ts';

const number = (value: number) => value.toLocaleString('en');

export function AnalysisPanel({
  plan,
  analysis,
  population,
  options,
  updating,
  onOptions,
}: {
  plan: Plan;
  analysis: PlanAnalysisView | null;
  population: Population;
  options: AnalysisOptions;
  updating: boolean;
  onOptions: (options: AnalysisOptions) => void;
}) {
  const names = new Map(plan.assemblyPoints.map((point) => [point.id, point.name]));
  return (
    <section class="analysis" data-testid="analysis" data-updating={updating ? 'true' : 'false'}>
      <p class="hint" data-testid="population-source">
        {population.kind === 'records' && m('analysis.source.records', { count: population.communities.length })}
        {population.kind === 'summaries' &&
          m('analysis.source.summaries', { count: new Set(population.summaries.map((item) => item.summary.orgId)).size })}
        {population.kind === 'none' && m('analysis.source.none')}
      </p>
      <div class="row">
        <label class="inline">
          {m('field.buffer')}
          <input
            type="number"
            min="0"
            step="0.5"
            name="bufferKm"
            value={options.bufferKm}
            onInput={(event) =>
              onOptions({ ...options, bufferKm: Math.max(0, Number((event.currentTarget as HTMLInputElement).value) || 0) })
            }
          />
        </label>
        <label class="inline">
          {m('field.maxDistance')}
          <input
            type="number"
            min="1"
            name="maxDistanceKm"
            value={options.maxDistanceKm}
            onInput={(event) =>
              onOptions({ ...options, maxDistanceKm: Math.max(1, Number((event.currentTarget as HTMLInputElement).value) || 1) })
            }
          />
        </label>
      </div>
      {updating && <p class="hint">{m('analysis.updating')}</p>}
      {analysis && (
        <>
          <ul data-testid="zone-figures">
            {analysis.zones.map((zone) => (
              <li key={zone.zoneId} data-testid="zone-figure" data-people={zone.people}>
                {zone.communities === null
                  ? m('analysis.zoneSummary', { name: zone.zoneName, people: number(zone.people) })
                  : m('analysis.zone', { name: zone.zoneName, people: number(zone.people), communities: zone.communities })}
                {zone.partial && <small> · {m('analysis.zonePartial')}</small>}
                {zone.hiddenCells > 0 && <small> · {m('analysis.zoneSuppressed', { count: zone.hiddenCells })}</small>}
              </li>
            ))}
          </ul>
          {analysis.assignment && (
            <>
              <h4>{m('analysis.assignment')}</h4>
              <p data-testid="assignment-totals">
                {m('analysis.assigned', {
                  assigned: number(analysis.assignment.totals.assignedPeople),
                  people: number(analysis.assignment.totals.people),
                  unassigned: number(analysis.assignment.totals.unassignedPeople),
                })}
              </p>
              <ul>
                {analysis.assignment.points.map((point) => (
                  <li key={point.assemblyPointId} class={point.overflow > 0 ? 'overflow' : ''}>
                    {m('analysis.point', {
                      name: names.get(point.assemblyPointId) ?? point.assemblyPointId,
                      load: number(point.load),
                      capacity: number(point.capacity),
                    })}
                    {point.overflow > 0 && <strong> · {m('analysis.overflow', { overflow: number(point.overflow) })}</strong>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {analysis.transport && analysis.transport.total.people > 0 && (
            <>
              <h4>{m('analysis.transport')}</h4>
              <p data-testid="transport">
                {Object.entries(analysis.transport.total.mix)
                  .filter(([, count]) => count > 0)
                  .map(([type, count]) => m('analysis.vehicles', { count, type }))
                  .join(', ')}
              </p>
            </>
          )}
          <h4>{m('analysis.gaps')}</h4>
          {analysis.gaps.length === 0 ? (
            <p>{m('analysis.noGaps')}</p>
          ) : (
            <ul class="gaps" data-testid="gaps">
              {analysis.gaps.map((gap) => (
                <li key={gap.code + gap.itemIds.join()} class={`gap ${gap.severity}`} data-code={gap.code}>
                  {gap.message}
                </li>
              ))}
            </ul>
          )}
          {analysis.problems.map((problem) => (
            <p class="error" role="alert">
              {problem}
            </p>
          ))}
        </>
      )}
    </section>
  );
}
