// The evacuation manifest of an opened release: grouped by community, sortable, printable (print
// stylesheet shows only this), and downloadable as HXL CSV. Plaintext stays in memory.
import { useMemo, useState } from 'preact/hooks';
import { download } from '../ui/download.ts';
import { buildManifest, manifestToCsv, type Released, type SortKey } from '#plans';
import { usePhoneCountryOf } from '../ui/phone.tsx';
import { m } from './messages.ts';

// Only the keys here: the labels are looked up when the list renders, so they follow the language
// picker (translated at import, they stayed in English).
const sortKeys: SortKey[] = ['name', 'nationality', 'status', 'passport', 'needs', 'dateOfBirth'];

export function Manifest({ records, title }: { records: Released[]; title: string }) {
  const [sort, setSort] = useState<SortKey>('name');
  const [descending, setDescending] = useState(false);
  // Phones read in the country of each record's place; until the country shapes are loaded, only numbers written with their +.
  const phoneCountryOf = usePhoneCountryOf();
  const groups = useMemo(
    () => buildManifest(records, { sort, descending, ...(phoneCountryOf ? { phoneCountryOf } : {}) }),
    [records, sort, descending, phoneCountryOf],
  );
  const people = groups.reduce((sum, group) => sum + group.people.length, 0);

  return (
    <section class="card manifest" data-testid="manifest">
      <h2>
        {m('manifest.title')} · {title}
      </h2>
      <p>{m('manifest.counts', { communities: groups.filter((group) => group.communityId).length, people })}</p>
      <div class="inline no-print">
        <label>
          {m('manifest.sort')}
          <select
            value={sort}
            onChange={(event) => setSort((event.target as HTMLSelectElement).value as SortKey)}
            data-testid="manifest-sort"
          >
            {sortKeys.map((key) => (
              <option key={key} value={key}>
                {m(`col.${key}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => setDescending(!descending)}>
          {descending ? '↓' : '↑'}
        </button>
        <button type="button" onClick={() => window.print()}>
          {m('manifest.print')}
        </button>
        <button
          type="button"
          onClick={() => download({ name: 'evacuation-manifest.csv', type: 'text/csv;charset=utf-8', text: manifestToCsv(groups) })}
          data-testid="manifest-csv"
        >
          {m('manifest.csv')}
        </button>
      </div>
      <p class="hint no-print">{m('manifest.csvWarning')}</p>
      {groups.map((group) => (
        <div class="manifest-group" key={group.communityId ?? 'none'} data-testid="manifest-group">
          <h3>
            {group.community}
            {group.headcount !== null && <span class="hint"> · {group.headcount} people</span>}
            {group.row?.lat != null && (
              <span class="hint">
                {' '}
                · {group.row.lat.toFixed(4)}, {group.row.lon!.toFixed(4)}
              </span>
            )}
          </h3>
          {group.people.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{m('col.name')}</th>
                  <th>{m('col.nationality')}</th>
                  <th>{m('col.sex')}</th>
                  <th>{m('col.born')}</th>
                  <th>{m('col.phone')}</th>
                  <th>{m('col.passport')}</th>
                  <th>{m('col.needs')}</th>
                  <th>{m('col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {group.people.map((row) => (
                  <tr key={row.id} data-testid="manifest-person">
                    <td>{row.name || row.id.slice(0, 8)}</td>
                    <td>{row.nationality}</td>
                    <td>{row.sex}</td>
                    <td>{row.dateOfBirth}</td>
                    <td dir="ltr">{row.phoneE164 ? <a href={`tel:${row.phoneE164}`}>{row.phone}</a> : row.phone}</td>
                    <td>{row.passport}</td>
                    <td>{row.needs}</td>
                    <td>{row.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}
