// The list beside the map: search results when there is a query, else the communities that pass
// the map's filters. Long lists are cut (the map shows them all).
import { formatNumber, t } from '../i18n/index.ts';
import type { OpenedRecords } from '../records.ts';
import type { RecordBody } from '#model/records';
import { Icon } from './icons.tsx';

const SHOWN = 200;

export interface RecordListProps {
  opened: OpenedRecords;
  records: RecordBody[];
  total: number;
  selected: string | null;
  onSelect: (id: string) => void;
}

function summary(record: RecordBody): string {
  if (record.kind === 'community') {
    return `${t('list.people', { count: record.headcount.total })} · ${record.nationalities.map((item) => item.code).join(', ')} · ${t(`status.${record.status}`)}`;
  }
  return [record.nameLatin && record.nameLatin !== record.name ? record.nameLatin : null, record.nationality, t(`status.${record.status}`)]
    .filter(Boolean)
    .join(' · ');
}

export function RecordList({ opened, records, total, selected, onSelect }: RecordListProps) {
  // The communities listed, as many as the map draws when filters narrow both (the map's legend says the same).
  const listedCommunities = records.filter((record) => record.kind === 'community').length;
  return (
    <section class="card list" data-testid="community-list">
      <h2 data-testid="list-count" data-communities={String(listedCommunities)}>
        {listedCommunities === opened.communities.length
          ? t('list.title', { count: opened.communities.length })
          : t('list.titleOf', { count: listedCommunities, total: opened.communities.length })}
        {opened.persons.length > 0 && <small> · {t('list.persons', { count: opened.persons.length })}</small>}
      </h2>
      {opened.unreadable.length > 0 && <p class="warning">{t('list.unreadable', { count: opened.unreadable.length })}</p>}
      {opened.unverified.length > 0 && (
        <p class="warning" role="alert" data-testid="unverified-count" data-count={String(opened.unverified.length)}>
          {t('list.unverified', { count: opened.unverified.length })}
        </p>
      )}
      {opened.conflicts.length > 0 && (
        <p class="warning" data-testid="conflict-count">
          {t('list.conflicts', { count: opened.conflicts.length })}
        </p>
      )}
      {records.length === 0 && <p class="hint">{total === 0 ? t('list.empty') : t('search.none')}</p>}
      <ul>
        {records.slice(0, SHOWN).map((record) => (
          <li key={record.id} class={record.id === selected ? 'selected' : ''}>
            <button type="button" onClick={() => onSelect(record.id)}>
              <strong>
                {record.kind === 'person' && (
                  <>
                    <Icon shape="person" label={t('list.person')} />{' '}
                  </>
                )}
                {record.name}
                {opened.conflicts.includes(record.id) && (
                  <>
                    {' '}
                    <span class="badge conflict-badge">
                      <Icon shape="warning" label={t('conflict.title')} />
                    </span>
                  </>
                )}
              </strong>
              <span>{summary(record)}</span>
            </button>
          </li>
        ))}
      </ul>
      {records.length > SHOWN && <p class="hint">{t('list.more', { shown: formatNumber(SHOWN), count: formatNumber(records.length) })}</p>}
    </section>
  );
}
