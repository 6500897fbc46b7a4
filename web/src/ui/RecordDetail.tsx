// One record: what it says, its whereabouts history, the people linked to a community, and, when
// two devices edited it offline, both sides of every disagreement with a way to settle them.
// It shows values, so its labels are the plain `detail.*` ones, not the form's (which carry input
// hints such as "two-letter codes"), and countries by name in the chosen language.
import { useState } from 'preact/hooks';
import { countryName, formatDate, formatNumber, t } from '../i18n/index.ts';
import { stableStringify, type FieldConflict, type MergeResult } from '#model/merge';
import { communityFields, personFields } from '#model/fields';
import { need, status, type Community, type Person, type RecordBody } from '#model/records';
import { PositionText } from '../position/PositionPicker.tsx';
import { Facts, type Special } from './Facts.tsx';

export interface RecordDetailProps {
  merge: MergeResult;
  persons: Person[];
  memberLabel: (memberId: string) => string;
  onEdit: () => void;
  onAddPerson: () => void;
  onSelect: (id: string) => void;
  onResolve: (picks: Record<string, unknown>) => Promise<void>;
  onClose: () => void;
}

function describe(field: string, value: unknown): string {
  if (value === undefined || value === null) return '—';
  const knownStatus = status.safeParse(value);
  if (field === 'status' && knownStatus.success) return t(`status.${knownStatus.data}`);
  if (field === 'needs' && Array.isArray(value))
    return value.map((item) => (need.safeParse(item).success ? t(`need.${need.parse(item)}`) : String(item))).join(', ') || '—';
  if (field === 'headcount' && typeof value === 'object') return formatNumber((value as { total: number }).total);
  if (field === 'nationalities' && Array.isArray(value))
    return value
      .map((item: { code: string; count?: number }) =>
        item.count === undefined ? countryName(item.code) : `${countryName(item.code)} ${formatNumber(item.count)}`,
      )
      .join(', ');
  if (field === 'nationality' && typeof value === 'string') return countryName(value);
  if (field === 'location' && typeof value === 'object')
    return `${(value as { lat: number }).lat.toFixed(4)}, ${(value as { lon: number }).lon.toFixed(4)}`;
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== 'recordedAt')
      .map(([key, item]) => `${key}: ${typeof item === 'object' ? JSON.stringify(item) : String(item)}`)
      .join('; ');
  }
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

function ConflictPanel({
  conflicts,
  memberLabel,
  onResolve,
}: {
  conflicts: FieldConflict[];
  memberLabel: (id: string) => string;
  onResolve: RecordDetailProps['onResolve'];
}) {
  const [picks, setPicks] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  return (
    <section class="conflict" data-testid="conflict">
      <h3>{t('conflict.title')}</h3>
      <p>{t('conflict.explain')}</p>
      {conflicts.map((conflict) => {
        const picked = conflict.field in picks ? stableStringify(picks[conflict.field]) : stableStringify(conflict.chosen.value);
        return (
          <div class="conflict-field" key={conflict.field} data-field={conflict.field}>
            <strong>{conflict.field}</strong>
            {conflict.forced && <p class="warning">{t('conflict.forced')}</p>}
            <ul>
              {[conflict.chosen, ...conflict.others].map((side, index) => {
                const current = stableStringify(side.value) === picked;
                return (
                  <li key={index} class={current ? 'picked' : ''} data-testid="conflict-value">
                    <span class="label">{index === 0 ? t('conflict.chosen') : t('conflict.other')}:</span>{' '}
                    <bdi>{describe(conflict.field, side.value)}</bdi>{' '}
                    <small>{t('conflict.by', { member: memberLabel(side.updatedBy), date: formatDate(side.updatedAt) })}</small>{' '}
                    {!current && !conflict.forced && (
                      <button type="button" class="secondary small" onClick={() => setPicks({ ...picks, [conflict.field]: side.value })}>
                        {t('conflict.use')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onResolve(picks);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('conflict.confirm')}
      </button>
    </section>
  );
}

/** What the catalogue cannot say on its own: the headcount with its breakdown, countries with their counts. */
const communitySpecial: Special<Community> = {
  location: ({ location }) => <PositionText position={location} />,
  headcount: ({ headcount }) => (
    <>
      {formatNumber(headcount.total)}
      {(headcount.female || headcount.male) && (
        <small>
          {' '}
          ({t('sex.female')}{' '}
          {formatNumber((headcount.female?.children ?? 0) + (headcount.female?.adults ?? 0) + (headcount.female?.elderly ?? 0))},{' '}
          {t('sex.male')} {formatNumber((headcount.male?.children ?? 0) + (headcount.male?.adults ?? 0) + (headcount.male?.elderly ?? 0))})
        </small>
      )}
    </>
  ),
  nationalities: (community) => describe('nationalities', community.nationalities),
};

/** The Latin spelling when it differs, the refugee rule, and who the person agreed to share with. */
const personSpecial: Special<Person> = {
  location: ({ location }) => (location ? <PositionText position={location} /> : null),
  nameLatin: (person) => (person.nameLatin && person.nameLatin !== person.name ? person.nameLatin : null),
  refugee: (person) => (person.refugee ? <span class="warning">{t('detail.refugee')}</span> : null),
  consent: (person) =>
    (['ownConsulate', 'hostAuthorities', 'humanitarian'] as const)
      .filter((kind) => person.consent[kind])
      .map((kind) => t(`person.consent.${kind}`))
      .join('; ') || '—',
};

export function RecordDetail({ merge, persons, memberLabel, onEdit, onAddPerson, onSelect, onResolve, onClose }: RecordDetailProps) {
  const body: RecordBody = merge.body;
  const linked = body.kind === 'community' ? persons.filter((person) => person.communityId === body.id) : [];
  return (
    <section class="card detail" data-testid="record-detail">
      <header class="detail-head">
        <h2>{body.name}</h2>
        <button type="button" class="secondary small" onClick={onClose} aria-label={t('detail.close')}>
          ×
        </button>
      </header>
      <p class="hint">
        <span class={`badge status-${body.status}`}>{t(`status.${body.status}`)}</span>{' '}
        {t('detail.version', { version: merge.version, date: formatDate(body.updatedAt) })}
      </p>
      {merge.conflicts.length > 0 && (
        <ConflictPanel
          key={merge.heads.length + merge.version}
          conflicts={merge.conflicts}
          memberLabel={memberLabel}
          onResolve={onResolve}
        />
      )}
      {body.kind === 'community' ? (
        <Facts body={body} fields={communityFields} special={communitySpecial} />
      ) : (
        <Facts body={body} fields={personFields} special={personSpecial} />
      )}
      <div class="actions">
        <button type="button" onClick={onEdit}>
          {t('detail.edit')}
        </button>
        {body.kind === 'community' && (
          <button type="button" class="secondary" onClick={onAddPerson}>
            {t('community.addPerson')}
          </button>
        )}
      </div>
      {body.kind === 'community' && linked.length > 0 && (
        <>
          <h3>{t('community.persons', { count: linked.length })}</h3>
          <ul class="people">
            {linked.slice(0, 200).map((person) => (
              <li key={person.id}>
                <button type="button" class="link" onClick={() => onSelect(person.id)}>
                  {person.name}
                  {person.nameLatin && person.nameLatin !== person.name && <small> · {person.nameLatin}</small>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('detail.history')}</h3>
      {body.history.length === 0 ? (
        <p class="hint">{t('detail.noHistory')}</p>
      ) : (
        <ol class="history" data-testid="history">
          {[...body.history].reverse().map((entry, index) => (
            <li key={index}>
              <span class={`badge status-${entry.status}`}>{t(`status.${entry.status}`)}</span> {formatDate(entry.at)}
              {entry.placeName && <> · {entry.placeName}</>}
              {entry.note && <div class="hint">{entry.note}</div>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
