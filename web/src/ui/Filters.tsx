// Search box and map filters. The filters act on the map (clusters and heat) and on the list.
import { t } from '../i18n/index.ts';
import type { MapFilter } from '../map/filters.ts';
import { needs, statuses } from '#model/records';

export interface FiltersProps {
  query: string;
  onQuery: (query: string) => void;
  filter: MapFilter;
  onFilter: (filter: MapFilter) => void;
  heat: boolean;
  onHeat: (on: boolean) => void;
  shown: number;
  found: number | null;
  nationalities: string[];
}

export function Filters({ query, onQuery, filter, onFilter, heat, onHeat, shown, found, nationalities }: FiltersProps) {
  const choose = (name: keyof MapFilter) => (event: Event) =>
    onFilter({ ...filter, [name]: (event.target as HTMLSelectElement).value || null });
  return (
    <section class="card filters" data-testid="filters">
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not in Chromium before 118 nor in older WebViews on field phones; a form with role=search is the ARIA pattern */}
      <form role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('search.label')}
          <span class="inline">
            <input
              type="search"
              name="query"
              value={query}
              onInput={(event) => onQuery((event.target as HTMLInputElement).value)}
              data-testid="search"
            />
            {query && (
              <button type="button" class="secondary small" onClick={() => onQuery('')}>
                {t('search.clear')}
              </button>
            )}
          </span>
        </label>
        {found !== null && (
          <p class="hint" data-testid="search-count">
            {t('search.results', { count: found })}
          </p>
        )}
      </form>
      <details>
        <summary>
          {t('filter.title')} · <span data-testid="filter-count">{t('filter.shown', { count: shown })}</span>
        </summary>
        <div class="filter-grid">
          <label>
            {t('filter.nationality')}
            <select name="nationality" onChange={choose('nationality')}>
              <option value="">{t('filter.any')}</option>
              {nationalities.map((code) => (
                <option value={code} key={code} selected={filter.nationality === code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('filter.need')}
            <select name="need" onChange={choose('need')}>
              <option value="">{t('filter.any')}</option>
              {needs.map((need) => (
                <option value={need} key={need} selected={filter.need === need}>
                  {t(`need.${need}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('filter.status')}
            <select name="status" onChange={choose('status')}>
              <option value="">{t('filter.any')}</option>
              {statuses.map((status) => (
                <option value={status} key={status} selected={filter.status === status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('filter.since')}
            <input type="date" name="since" value={filter.since ?? ''} onChange={choose('since')} />
          </label>
        </div>
        <label class="check">
          <input type="checkbox" name="heat" checked={heat} onChange={(event) => onHeat((event.target as HTMLInputElement).checked)} />{' '}
          {t('map.heat')}
        </label>
      </details>
    </section>
  );
}
