// The emergency activation screen (issue 4): requesters file and follow requests and open releases;
// CSO officers list the requesters they work with, decide, release and revoke. Shown over the
// workspace; `onClose` goes back to the map. Also the header badge with the pending count.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDate } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { Icon } from '../ui/icons.tsx';
import { usePolledCount } from '../ui/usePolledCount.ts';
import { directory, listActivations, listRequester, relatedOrgs, type Org, type Summary } from './actions.ts';
import { ActivationView } from './ActivationView.tsx';
import { BreakGlass } from './BreakGlass.tsx';
import { listArrangements } from './breakglass.ts';
import './activation.css';
import { m, type ActivationMessageKey } from './messages.ts';
import { RequestForm } from './RequestForm.tsx';

type View = { name: 'list' } | { name: 'new' } | { name: 'request'; hash: string };
const LIST_REFRESH_MS = 15_000;

export function ActivationPanel({ session, onClose }: { session: Session; onClose?: () => void }) {
  const isRequester = session.identity.orgKind !== 'cso';
  const [view, setView] = useState<View>({ name: 'list' });
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [related, setRelated] = useState<Org[]>([]);
  const [activations, setActivations] = useState<Summary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const byId = useMemo(() => new Map(orgs.map((org) => [org.id, org])), [orgs]);
  const myOrg = byId.get(session.identity.orgId) ?? null;

  async function refresh() {
    try {
      const [all, mine, list] = await Promise.all([directory(session), relatedOrgs(session), listActivations(session, isRequester ? 'outgoing' : 'incoming')]);
      setOrgs(all);
      setRelated(mine);
      setActivations(list.activations);
      setError(null);
    } catch (reason) {
      setError((reason as Error).message);
    }
  }
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), LIST_REFRESH_MS);
    return () => clearInterval(timer);
  }, [session]);

  return (
    <div class="activation-screen" data-testid="activation-panel">
      <header class="activation-bar no-print">
        <strong>{m('title')}</strong>
        {onClose && (
          <button type="button" class="secondary" onClick={onClose}>
            {m('close')}
          </button>
        )}
      </header>
      <div class="activation-body">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {view.name === 'list' && (
          <>
            <p class="hint">{m(isRequester ? 'intro.requester' : 'intro.cso')}</p>
            {isRequester && session.identity.role === 'officer' && (
              <button type="button" class="primary" onClick={() => setView({ name: 'new' })}>
                {m('new')}
              </button>
            )}
            <section class="card">
              <h2>{m(isRequester ? 'outgoing' : 'incoming')}</h2>
              {activations.length === 0 && <p class="hint">{m('none')}</p>}
              <ul class="activation-list" data-testid="activation-list">
                {activations.map((activation) => (
                  <li key={activation.hash}>
                    <button type="button" class="item" onClick={() => setView({ name: 'request', hash: activation.hash })} data-testid="activation-item">
                      <strong>{activation.request.purpose}</strong>
                      <span>
                        {isRequester ? '' : `${byId.get(activation.requesterOrgId)?.name ?? activation.requesterOrgId} · `}
                        {activation.request.nationalities.join(', ')} · {formatDate(activation.createdAt)}
                      </span>
                      <span>
                        {activation.targets.map((target) => (
                          <span key={target.orgId} class={`pill ${target.status}`} data-testid="activation-status">
                            {isRequester ? `${byId.get(target.orgId)?.name ?? target.orgId}: ` : ''}
                            {m(`status.${target.status}` as ActivationMessageKey)}
                          </span>
                        ))}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
            {session.identity.role === 'officer' && <BreakGlass session={session} orgs={byId} />}
            {!isRequester && session.identity.role === 'officer' && <Relationships session={session} orgs={orgs} related={related} onChange={refresh} />}
          </>
        )}
        {view.name === 'new' && (
          <>
            <button type="button" class="secondary" onClick={() => setView({ name: 'list' })}>
              {m('view.back')}
            </button>
            <RequestForm
              session={session}
              myOrg={myOrg}
              related={related}
              onFiled={(hash) => {
                void refresh();
                setView({ name: 'request', hash });
              }}
            />
          </>
        )}
        {view.name === 'request' && (
          <ActivationView
            session={session}
            hash={view.hash}
            orgs={byId}
            onBack={() => {
              void refresh();
              setView({ name: 'list' });
            }}
          />
        )}
      </div>
    </div>
  );
}

/** A CSO lists the consulates and cities it works with: only they can ask it for a release. */
function Relationships({ session, orgs, related, onChange }: { session: Session; orgs: Org[]; related: Org[]; onChange: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const listed = new Set(related.map((org) => org.id));
  const candidates = orgs.filter((org) => org.kind !== 'cso' && !listed.has(org.id));
  async function change(requesterOrgId: string, add: boolean) {
    try {
      await listRequester(session, requesterOrgId, add);
      await onChange();
    } catch (reason) {
      setError((reason as Error).message);
    }
  }
  return (
    <section class="card" data-testid="relationships">
      <h2>{m('relations.title')}</h2>
      <p class="hint">{m('relations.hint')}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {related.map((org) => (
          <li key={org.id}>
            {org.name} ({org.kind}
            {org.nationalities.length ? `: ${org.nationalities.join(', ')}` : ''}){' '}
            <button type="button" class="secondary" onClick={() => change(org.id, false)} aria-label={m('relations.remove', { org: org.name })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 && (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            const id = String(new FormData(event.target as HTMLFormElement).get('requester') ?? '');
            if (id) void change(id, true);
          }}
        >
          <select name="requester" data-testid="requester-select">
            {candidates.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name} ({org.kind})
              </option>
            ))}
          </select>
          <button type="submit">{m('relations.add')}</button>
        </form>
      )}
    </section>
  );
}

/** Header badge for CSO officers: how many requests wait for a decision. Polls while shown. */
export function ActivationBadge({ session, onOpen }: { session: Session; onOpen: () => void }) {
  // Requests to decide, and break-glass activations running now (any officer can still veto).
  const pending = usePolledCount(session, async () => {
    const [list, arrangements] = await Promise.all([listActivations(session, 'incoming'), listArrangements(session)]);
    return list.pending + arrangements.waiting;
  });
  if (pending === 0) return null;
  return (
    <button type="button" class="activation-badge" data-testid="activation-pending" onClick={onOpen} title={m('badge.pending', { count: pending })}>
      <Icon shape="warning" /> {pending}
    </button>
  );
}
