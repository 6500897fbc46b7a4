import { t, type MessageKey } from '../i18n/index.ts';
import type { OpenedRecords } from '../records.ts';

export function CommunityList({ opened, selected, onSelect }: { opened: OpenedRecords; selected: string | null; onSelect: (id: string) => void }) {
  const communities = [...opened.communities].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section class="card list" data-testid="community-list">
      <h2>{t('list.title', { count: communities.length })}</h2>
      {opened.unreadable.length > 0 && <p class="warning">{t('list.unreadable', { count: opened.unreadable.length })}</p>}
      {opened.conflicts.length > 0 && <p class="warning">{t('list.conflicts', { count: opened.conflicts.length })}</p>}
      {communities.length === 0 && <p class="hint">{t('list.empty')}</p>}
      <ul>
        {communities.slice(0, 500).map((community) => (
          <li key={community.id} class={community.id === selected ? 'selected' : ''}>
            <button type="button" onClick={() => onSelect(community.id)}>
              <strong>{community.name}</strong>
              <span>
                {t('list.people', { count: community.headcount.total })} · {community.nationalities.map((n) => n.code).join(', ')} ·{' '}
                {t(`status.${community.status}` as MessageKey)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
