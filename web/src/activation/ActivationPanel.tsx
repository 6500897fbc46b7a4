// The emergency activation screen (issue 4): requesters file and follow requests and open releases;
// CSO officers list the requesters they work with, decide, release and revoke. Shown over the
// workspace; `onClose` goes back to the map. Also the header badge with the pending count.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDate } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { Icon } from '../ui/icons.tsx';
import { usePolledCount } from '../ui/usePolledCount.ts';
import QRCode from 'qrcode';
import { parsePartnerCode, type PartnerCode } from '#crypto/partner';
import { directory, listActivations, relatedOrgs, removeRequester, type Org, type Summary } from './actions.ts';
import { addPartner, lookUpPartner, ownPartnerCode, partnerViews, type PartnerView, type RelatedOrg } from './partners.ts';
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
  const [related, setRelated] = useState<RelatedOrg[]>([]);
  // A CSO's partners as this device verified them (decision 0609): kind, nationalities and keys come from here.
  const [partners, setPartners] = useState<Map<string, PartnerView>>(new Map());
  const [activations, setActivations] = useState<Summary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const byId = useMemo(() => new Map(orgs.map((org) => [org.id, org])), [orgs]);
  const myOrg = byId.get(session.identity.orgId) ?? null;

  async function refresh() {
    try {
      const [all, mine, list] = await Promise.all([
        directory(session),
        relatedOrgs(session),
        listActivations(session, isRequester ? 'outgoing' : 'incoming'),
      ]);
      setOrgs(all);
      setRelated(mine);
      if (!isRequester) setPartners(await partnerViews(session, mine));
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
                    <button
                      type="button"
                      class="item"
                      onClick={() => setView({ name: 'request', hash: activation.hash })}
                      data-testid="activation-item"
                    >
                      <strong>{activation.request.purpose}</strong>
                      <span>
                        {isRequester ? '' : `${byId.get(activation.requesterOrgId)?.name ?? activation.requesterOrgId} · `}
                        {!isRequester && !partners.get(activation.requesterOrgId)?.verified && (
                          <span class="pill unverified" data-testid="requester-unverified">
                            {m('unverified')}
                          </span>
                        )}
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
            {session.identity.role === 'officer' && <BreakGlass session={session} orgs={byId} partners={partners} />}
            {!isRequester && session.identity.role === 'officer' && (
              <Relationships session={session} related={related} partners={partners} onChange={refresh} />
            )}
            {isRequester && session.identity.role === 'officer' && <OwnPartnerCode session={session} />}
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
            partners={partners}
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

/**
 * A CSO lists the consulates and cities it works with: only they can ask it for a release. One is
 * added from the partner code it gave out of band, after an officer compared the fingerprint with it
 * and chose what the CSO accepts it is (decision 0609). Each is shown verified or not, on this device.
 */
function Relationships({
  session,
  related,
  partners,
  onChange,
}: {
  session: Session;
  related: RelatedOrg[];
  partners: Map<string, PartnerView>;
  onChange: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<{ code: PartnerCode; name: string; fingerprint: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function act(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const lookUp = (text: string) =>
    act(async () => {
      setFound(null);
      const code = parsePartnerCode(text);
      if (!code) throw new Error(m('relations.badCode'));
      if (code.orgId === session.identity.orgId) throw new Error(m('relations.badCode'));
      const looked = await lookUpPartner(session, code);
      setFound({ code, name: looked.name || code.orgId, fingerprint: looked.fingerprint });
    });
  const add = (form: FormData) =>
    act(async () => {
      if (!found) return;
      const kind = form.get('kind');
      if (kind !== 'consulate' && kind !== 'city') throw new Error(m('relations.chooseKind'));
      const nationalities = String(form.get('nationalities') ?? '')
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((code) => code.toUpperCase());
      await addPartner(session, found.code, { kind, nationalities: [...new Set(nationalities)] });
      setFound(null);
      await onChange();
    });
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
        {related.map((org) => {
          const view = partners.get(org.id);
          return (
            <li key={org.id} data-testid="partner" data-verified={view?.verified ? 'true' : 'false'}>
              <strong>{org.name}</strong>{' '}
              {view?.verified ? (
                <span class="ok" data-testid="partner-verified">
                  {m('relations.verified', {
                    kind: m(`relations.kind.${view.kind}`),
                    nationalities: view.nationalities.join(', ') || '—',
                    fingerprint: view.fingerprint.slice(0, 19),
                  })}
                </span>
              ) : (
                <span class="warning" data-testid="partner-unverified">
                  {m('relations.unverified', { reason: view ? (view.verified ? '' : view.reason) : '…' })}
                </span>
              )}{' '}
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => act(async () => (await removeRequester(session, org.id), await onChange()))}
                aria-label={m('relations.remove', { org: org.name })}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <form
        class="inline"
        data-testid="partner-lookup"
        onSubmit={(event) => {
          event.preventDefault();
          void lookUp(String(new FormData(event.target as HTMLFormElement).get('code') ?? ''));
        }}
      >
        <label>
          {m('relations.code')}
          <input name="code" autoComplete="off" spellcheck={false} />
        </label>
        <button type="submit" disabled={busy}>
          {m('relations.lookUp')}
        </button>
      </form>
      {found && (
        <form
          class="partner-found"
          data-testid="partner-found"
          onSubmit={(event) => {
            event.preventDefault();
            void add(new FormData(event.target as HTMLFormElement));
          }}
        >
          <p>{m('relations.found', { name: found.name })}</p>
          <p class="fingerprint-big" data-testid="partner-fingerprint">
            {found.fingerprint}
          </p>
          <fieldset>
            <legend>{m('relations.kind')}</legend>
            {/* No choice is made for the officer: the kind decides the consent rule. */}
            <label>
              <input type="radio" name="kind" value="consulate" /> {m('relations.kind.consulate')}
            </label>
            <label>
              <input type="radio" name="kind" value="city" /> {m('relations.kind.city')}
            </label>
          </fieldset>
          <label>
            {m('relations.nationalities')}
            <input name="nationalities" autoComplete="off" />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            {m('relations.confirm')}
          </button>
        </form>
      )}
    </section>
  );
}

/** A consulate's or city's own partner code, to give a CSO out of band: text, a fingerprint to read aloud, a QR code. */
function OwnPartnerCode({ session }: { session: Session }) {
  const [own, setOwn] = useState<{ code: string; fingerprint: string; qr: string } | null>(null);
  useEffect(() => {
    let current = true;
    void ownPartnerCode(session).then(async (code) => {
      if (!code || !current) return;
      const qr = await QRCode.toDataURL(code.code, { margin: 1, width: 220, errorCorrectionLevel: 'M' });
      if (current) setOwn({ ...code, qr });
    });
    return () => {
      current = false;
    };
  }, [session]);
  if (!own) return null;
  return (
    <section class="card" data-testid="own-partner-code">
      <h2>{m('partner.title')}</h2>
      <p class="hint">{m('partner.hint')}</p>
      <input readOnly value={own.code} data-testid="partner-code" onFocus={(event) => (event.currentTarget as HTMLInputElement).select()} />
      <p>{m('partner.fingerprint')}</p>
      <p class="fingerprint-big" data-testid="own-fingerprint">
        {own.fingerprint}
      </p>
      <img src={own.qr} alt={m('partner.qr')} width={220} height={220} data-testid="partner-qr" />
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
    <button
      type="button"
      class="activation-badge"
      data-testid="activation-pending"
      onClick={onOpen}
      title={m('badge.pending', { count: pending })}
    >
      <Icon shape="warning" /> {pending}
    </button>
  );
}
