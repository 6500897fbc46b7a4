// Relayed messages: the list of incoming ones (a CSO decides on them) and outgoing ones, one of them
// opened (RelayView), and a new one composed (RelayComposeForm).
import { useEffect, useState } from 'preact/hooks';
import { directory, relatedOrgs, type Org } from '../activation/actions.ts';
import { AreaMap } from '../activation/AreaMap.tsx';
import { partnerViews, type PartnerView } from '../activation/partners.ts';
import type { AnyArea } from '../activation/select.ts';
import type { RelayDraft } from '../alerts/AlertsWorkspace.tsx';
import { m } from '../alerts/messages.ts';
import '../alerts/alerts.css';
import type { Session } from '../session.ts';
import * as actions from './actions.ts';
import type { RelaySummary } from './actions.ts';
import { relayFailure } from './failure.ts';
import { RelayComposeForm } from './RelayComposeForm.tsx';
import { RelayView } from './RelayView.tsx';

type Tab = 'incoming' | 'outgoing' | 'compose';

export interface RelayWorkspaceProps {
  session: Session;
  draft: RelayDraft | null;
  onClose: () => void;
}

export function RelayWorkspace({ session, draft, onClose }: RelayWorkspaceProps) {
  const isCso = session.identity.orgKind === 'cso';
  const isOfficer = session.identity.role === 'officer';
  const [tab, setTab] = useState<Tab>(draft ? 'compose' : isCso ? 'incoming' : 'outgoing');
  const [relays, setRelays] = useState<RelaySummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [partners, setPartners] = useState<Map<string, PartnerView>>(new Map());
  // The CSOs a relay can be addressed to: this CSO itself, or the CSOs this requester works with.
  const [targets, setTargets] = useState<Pick<Org, 'id' | 'name'>[]>([]);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [composeArea, setComposeArea] = useState<AnyArea | null>(draft?.area ?? null);
  const fail = (error: unknown) => setMessage({ text: relayFailure(error), error: true });

  async function refresh(direction: 'incoming' | 'outgoing') {
    try {
      setRelays((await actions.listRelays(session, direction)).relays);
    } catch (error) {
      fail(error);
    }
  }

  useEffect(() => {
    void directory(session).then(setOrgs, () => undefined);
    // A CSO takes a requester's kind from the partner statement its officers signed, not the directory (decision 0609).
    if (isCso && session.identity.role === 'officer')
      void relatedOrgs(session)
        .then((related) => partnerViews(session, related))
        .then(setPartners, () => undefined);
    if (isCso) setTargets([{ id: session.identity.orgId, name: session.identity.orgName }]);
    else void relatedOrgs(session).then((related) => setTargets(related.filter((org) => org.kind === 'cso')), fail);
  }, [session]);

  useEffect(() => {
    if (tab !== 'compose') void refresh(tab);
  }, [tab]);

  const orgName = (id: string) => orgs.find((org) => org.id === id)?.name ?? id.slice(0, 8);

  return (
    <div class="relay-workspace" data-testid="relay-workspace">
      <header class="bar">
        <strong>{m('relay.title')}</strong>
        <span class="spacer" />
        <button type="button" class="secondary" onClick={onClose}>
          {m('relay.close')}
        </button>
      </header>
      {message && (
        <p class={message.error ? 'status-line error' : 'status-line'} role="status" data-testid="relay-status">
          {message.text}
        </p>
      )}
      <div class="workspace">
        <aside class="panel relay-panel">
          <div class="tabs" role="tablist">
            {(isCso ? (['incoming', 'outgoing', 'compose'] as const) : (['outgoing', 'compose'] as const)).map((name) => (
              <button
                type="button"
                role="tab"
                key={name}
                aria-selected={tab === name}
                class={tab === name ? 'tab active' : 'tab'}
                onClick={() => setTab(name)}
              >
                {m(name === 'compose' ? 'relay.new' : name === 'incoming' ? 'relay.incoming' : 'relay.outgoing')}
              </button>
            ))}
          </div>
          {tab === 'compose' ? (
            isOfficer ? (
              <RelayComposeForm
                session={session}
                draft={draft}
                area={composeArea}
                onArea={setComposeArea}
                targets={targets}
                onFiled={(hash) => {
                  setMessage({ text: m('relay.filed') });
                  setSelected(hash);
                  setTab(isCso ? 'incoming' : 'outgoing');
                }}
                onError={(text) => setMessage({ text, error: true })}
              />
            ) : null
          ) : (
            <>
              {relays.length === 0 && <p class="hint">{m('relay.none')}</p>}
              <ul class="relay-list" data-testid="relay-list">
                {relays.map((relay) => (
                  <li key={relay.hash} class={relay.hash === selected ? 'relay-item selected' : 'relay-item'}>
                    <button type="button" class="link" data-testid="relay-item" onClick={() => setSelected(relay.hash)}>
                      {relay.request.purpose.slice(0, 80)}
                    </button>{' '}
                    <span class="state">{m(`relay.status.${relay.status}`)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
        <div class="relay-view-column">
          {tab === 'compose' && <AreaMap area={composeArea} testId="relay-map" />}
          {selected && tab !== 'compose' && (
            <RelayView
              key={selected}
              session={session}
              hash={selected}
              orgName={orgName}
              partners={partners}
              onChanged={() => void refresh(tab)}
              onError={fail}
              onNotice={(text) => setMessage({ text })}
            />
          )}
        </div>
      </div>
    </div>
  );
}
