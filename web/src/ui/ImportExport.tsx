// Import of spreadsheets (CSV, XLSX, ODK and KoboToolbox exports): pick a file, check the column
// matches, see a preview, import. Every row goes through the record schema and is sealed like a
// record typed by hand; refused rows are listed with their reasons. Export for officers.
import { useState } from 'preact/hooks';
import { formatNumber, t } from '../i18n/index.ts';
import type { RecordVersion } from '#model/merge';
import { siteTypes, statuses } from '#model/records';
import type { OpenedRecords } from '../records.ts';
import { newId, type Session } from '../session.ts';
import { exportColumns, toGeoJson, toHxlCsv } from '../transfer/export.ts';
import { countryAt, loadCountryShapes } from '../map/country.ts';
import {
  guessMapping,
  importRows,
  targets,
  type ColumnMapping,
  type ImportFailure,
  type ImportKind,
  type ImportNotice,
} from '../transfer/mapping.ts';
import { readTable, type Table } from '../transfer/table.ts';
import { download } from './download.ts';
import { Problems } from './fields.tsx';
import { PhoneCountrySelect, usePhoneCountry, usePhoneCountryOf } from './phone.tsx';

const PREVIEW = 5;

export interface ImportExportProps {
  session: Session;
  opened: OpenedRecords;
  onImport: (versions: RecordVersion[]) => Promise<void>;
}

export function ImportExport({ session, opened, onImport }: ImportExportProps) {
  const [table, setTable] = useState<Table | null>(null);
  const [kind, setKind] = useState<ImportKind>('community');
  const [mapping, setMapping] = useState<ColumnMapping>([]);
  const [defaults, setDefaults] = useState({ status: 'stranded', siteType: 'other' });
  const [problem, setProblem] = useState<string | null>(null);
  const [report, setReport] = useState<{ imported: number; failures: ImportFailure[]; notices: ImportNotice[] } | null>(null);
  // Rows whose place gives no country read their national phone numbers in the one chosen here.
  const phoneCountry = usePhoneCountry(null);
  const phoneCountryOf = usePhoneCountryOf();
  // The CSV buttons wait for the country shapes (a moment): a file written before would keep national numbers as typed.
  const columns = phoneCountryOf ? exportColumns(opened.communities, phoneCountryOf) : null;
  const [busy, setBusy] = useState(false);
  const isOfficer = session.identity.role === 'officer' && session.orgKeys !== null;

  async function onFile(event: Event) {
    const file = (event.target as HTMLInputElement).files?.[0];
    setReport(null);
    setProblem(null);
    if (!file) return;
    const result = await readTable(file);
    if (!result.ok) return setProblem(result.reason);
    setTable(result.table);
    setMapping(guessMapping(result.table, kind));
  }

  function changeKind(next: ImportKind) {
    setKind(next);
    if (table) setMapping(guessMapping(table, next));
  }

  async function run() {
    if (!table) return;
    setBusy(true);
    try {
      const shapes = await loadCountryShapes().catch(() => null);
      const phoneCountryOf = (place: { lon: number; lat: number } | undefined) =>
        (shapes ? countryAt(shapes, place) : null) ?? phoneCountry.country;
      const result = importRows(table, mapping, kind, {
        memberId: session.identity.memberId,
        at: new Date().toISOString(),
        newId,
        defaults,
        communities: opened.communities,
        phoneCountry: phoneCountryOf,
      });
      if (result.versions.length > 0) await onImport(result.versions);
      setReport({ imported: result.versions.length, failures: result.failures, notices: result.notices });
    } catch (reason) {
      setProblem((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const stamp = new Date().toISOString().slice(0, 10);
  return (
    <>
      <section class="card import" data-testid="import">
        <h2>{t('import.title')}</h2>
        <label>
          {t('import.kind')}
          <select name="kind" onChange={(event) => changeKind((event.target as HTMLSelectElement).value as ImportKind)}>
            <option value="community">{t('tab.new')}</option>
            <option value="person">{t('person.title')}</option>
          </select>
        </label>
        <label>
          {t('import.file')}
          <input
            type="file"
            name="file"
            accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={onFile}
          />
        </label>
        <Problems issues={problem} />
        {table && (
          <>
            <h3>{t('import.mapping')}</h3>
            <div class="mapping" data-testid="mapping">
              {table.headers.map((header, index) => (
                <label key={index}>
                  <bdi>{header || `#${index + 1}`}</bdi>
                  <select
                    name={`column-${index}`}
                    onChange={(event) => {
                      const next = [...mapping];
                      next[index] = (event.target as HTMLSelectElement).value || null;
                      setMapping(next);
                    }}
                  >
                    <option value="">{t('import.ignore')}</option>
                    {targets[kind].map((target) => (
                      <option value={target} key={target} selected={mapping[index] === target}>
                        {target}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            {!mapping.includes('status') && (
              <label>
                {t('capture.status')}
                <select
                  name="defaultStatus"
                  onChange={(event) => setDefaults({ ...defaults, status: (event.target as HTMLSelectElement).value })}
                >
                  {statuses.map((status) => (
                    <option value={status} key={status} selected={status === defaults.status}>
                      {t(`status.${status}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {kind === 'community' && !mapping.includes('siteType') && (
              <label>
                {t('capture.siteType')}
                <select
                  name="defaultSiteType"
                  onChange={(event) => setDefaults({ ...defaults, siteType: (event.target as HTMLSelectElement).value })}
                >
                  {siteTypes.map((type) => (
                    <option value={type} key={type} selected={type === defaults.siteType}>
                      {t(`site.${type}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {kind === 'community' && <p class="hint">{t('import.defaults')}</p>}
            {mapping.some((target) => target === 'phone' || target === 'contactPhone' || target === 'familyPhone') && (
              <PhoneCountrySelect phoneCountry={phoneCountry} />
            )}
            <h3>{t('import.preview', { count: Math.min(PREVIEW, table.rows.length) })}</h3>
            <div class="preview-wrap">
              <table class="preview" data-testid="preview">
                <thead>
                  <tr>
                    {table.headers.map((header, index) => (
                      <th key={index}>{mapping[index] ?? '—'}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.slice(0, PREVIEW).map((row, rowIndex) => (
                    <tr key={rowIndex}>
                      {row.map((cell, index) => (
                        <td key={index} class={mapping[index] ? '' : 'ignored'}>
                          <bdi>{cell}</bdi>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <button type="button" disabled={busy} onClick={run}>
              {busy ? t('form.working') : t('import.run', { count: table.rows.length })}
            </button>
          </>
        )}
        {report && (
          <div data-testid="import-report" role="status">
            <p>
              <strong>{t('import.done', { imported: report.imported, failed: report.failures.length })}</strong>
            </p>
            {report.failures.length > 0 && (
              <>
                <h3>{t('import.failed')}</h3>
                <ul class="failures">
                  {report.failures.map((failure) => (
                    <li key={failure.row} data-row={failure.row}>
                      {t('import.row', { row: failure.row })}: {failure.reasons.join('; ')}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {report.notices.length > 0 && (
              <>
                <h3>{t('import.phoneKept')}</h3>
                <ul class="failures" data-testid="import-phone-notices">
                  {report.notices.map((notice) => (
                    <li key={`${notice.row}-${notice.field}`} data-row={notice.row}>
                      {t('import.row', { row: notice.row })}: {notice.field} <bdi dir="ltr">{notice.typed}</bdi>:{' '}
                      {t(`phone.problem.${notice.problem}`)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </section>
      {isOfficer && (
        <section class="card export" data-testid="export">
          <h2>{t('export.title')}</h2>
          <p class="warning">{t('export.warning')}</p>
          <p class="hint">
            {t('list.title', { count: opened.communities.length })} · {t('list.persons', { count: opened.persons.length })}
          </p>
          <div class="actions wrap">
            <button
              type="button"
              disabled={!columns}
              onClick={() =>
                columns &&
                download({ name: `communities-${stamp}.csv`, type: 'text/csv', text: toHxlCsv(opened.communities, columns.communities) })
              }
            >
              {t('export.csv')} ({formatNumber(opened.communities.length)})
            </button>
            <button
              type="button"
              class="secondary"
              disabled={!columns}
              onClick={() =>
                columns && download({ name: `people-${stamp}.csv`, type: 'text/csv', text: toHxlCsv(opened.persons, columns.persons) })
              }
            >
              {t('export.csv')} · {t('list.persons', { count: opened.persons.length })}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                download({
                  name: `communities-${stamp}.geojson`,
                  type: 'application/geo+json',
                  text: JSON.stringify(toGeoJson(opened.communities)),
                })
              }
            >
              {t('export.geojson')}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
