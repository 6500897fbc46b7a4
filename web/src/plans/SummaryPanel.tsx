// Privacy-safe summaries: a CSO officer publishes one built on this device from the decrypted
// records (only counts leave); everyone sees the summaries they can read as shaded areas and a table.
import type { Summary } from '#plans';
import { useState } from 'preact/hooks';
import { summaryRows, type AreaChoice } from './analysis.ts';
import { m } from './messages.ts';

export interface SummaryPanelProps {
  canPublish: boolean;
  communities: number;
  areaChoice: AreaChoice | null;
  summaries: { orgName: string; summary: Summary }[];
  shown: number;
  busy: boolean;
  onShow: (index: number) => void;
  onPublish: (threshold: number) => void;
}

export function SummaryPanel({ canPublish, communities, areaChoice, summaries, shown, busy, onShow, onPublish }: SummaryPanelProps) {
  const [threshold, setThreshold] = useState(5);
  const current = summaries[shown] ?? null;
  const rows = current ? summaryRows(current.summary) : [];
  return (
    <section class="summaries" data-testid="summaries">
      {canPublish && (
        <div class="card">
          <p class="hint">{m('summary.publishIntro')}</p>
          {areaChoice && (
            <p>
              {areaChoice.label.kind === 'scenario'
                ? m('summary.areas.scenario', { name: areaChoice.label.name })
                : m('summary.areas.grid', { size: areaChoice.label.size })}
            </p>
          )}
          <label class="inline">
            {m('field.threshold')}
            <input
              type="number"
              min="3"
              max="100"
              name="threshold"
              value={threshold}
              onInput={(event) => setThreshold(Math.max(3, Number((event.currentTarget as HTMLInputElement).value) || 5))}
            />
          </label>
          {communities === 0 ? (
            <p class="hint">{m('summary.noRecords')}</p>
          ) : (
            <button type="button" onClick={() => onPublish(threshold)} disabled={busy} data-testid="publish-summary">
              {m('summary.publish')}
            </button>
          )}
        </div>
      )}
      {summaries.length === 0 && <p class="hint">{m('summary.none')}</p>}
      {summaries.length > 1 && (
        <select value={shown} onChange={(event) => onShow(Number((event.currentTarget as HTMLSelectElement).value))}>
          {summaries.map((item, index) => (
            <option value={index}>{m('summary.from', { org: item.orgName, date: item.summary.generatedAt.slice(0, 10) })}</option>
          ))}
        </select>
      )}
      {current && (
        <>
          <h4>{m('summary.from', { org: current.orgName, date: current.summary.generatedAt.slice(0, 16).replace('T', ' ') })}</h4>
          <table class="summary-table" data-testid="summary-table">
            <thead>
              <tr>
                <th>{m('summary.area')}</th>
                <th>{m('summary.nationality')}</th>
                <th class="numeric">{m('summary.people')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr class={row.people === null ? 'hidden-count' : ''}>
                  <td>{row.area}</td>
                  <td>{row.nationality}</td>
                  <td class="numeric">{row.people === null ? m('summary.hidden') : row.people.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
