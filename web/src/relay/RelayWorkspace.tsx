// Relayed messages: compose one (several languages, right-to-left included), decide on one (CSO
// officers, k of n, signed), and once approved and verified on this device, pick recipients from the
// decrypted records and hand the messages to a channel — a bulk-SMS file or per-contact SMS and
// WhatsApp links — then report counts. Phones and texts per person stay on this device.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { directory, relatedOrgs, type Org } from '../activation/actions.ts';
import { areaFromGeoJson } from '../activation/area.ts';
import { AreaMap } from '../activation/AreaMap.tsx';
import { observeChain, type HeadCheck } from '../activation/audit-heads.ts';
import { ChainWarning } from '../activation/AuditView.tsx';
import type { AnyArea, Area } from '../activation/select.ts';
import type { RelayDraft } from '../alerts/AlertsWorkspace.tsx';
import { m } from '../alerts/messages.ts';
import { download } from '../ui/download.ts';
import { describeFailure } from '../ui/failure.ts';
import '../alerts/alerts.css';
import { openOrgRecords, type OpenedRecords } from '../records.ts';
import type { Session } from '../session.ts';
import * as actions from './actions.ts';
import type { RelayCheck, RelayDetail, RelaySummary } from './actions.ts';
import { RELAY_REPORT_THRESHOLD } from '#plans/relay-report';
import { partnerViews, type PartnerView } from '../activation/partners.ts';
import { ownRosterHead } from '../roster.ts';
import type { RosterStatement } from '#crypto/roster';
import { bulkSmsCsv, reportOf, smsLink, textFor, whatsAppLink } from './channels.ts';
import { selectRecipients, type RelayOrigin } from './recipients.ts';
import { usePhoneCountryOf } from '../ui/phone.tsx';

/** Languages offered for a message; the first four are the app's own. */
const LANGUAGES = [
  ['ar', 'العربية (Arabic)'],
  ['en', 'English'],
  ['fr', 'Français'],
  ['es', 'Español'],
  ['ne', 'नेपाली (Nepali)'],
  ['bn', 'বাংলা (Bengali)'],
  ['hi', 'हिन्दी (Hindi)'],
  ['ur', 'اردو (Urdu)'],
  ['am', 'አማርኛ (Amharic)'],
  ['ti', 'ትግርኛ (Tigrinya)'],
  ['so', 'Soomaali'],
  ['tl', 'Tagalog'],
  ['sw', 'Kiswahili'],
] as const;
const RTL = new Set(['ar', 'ur', 'fa', 'he', 'ps']);
const dirOf = (language: string) => (RTL.has(language.split('-')[0]!) ? 'rtl' : 'ltr');

type Tab = 'incoming' | 'outgoing' | 'compose';

/** How many items have each key. */
function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export interface RelayWorkspaceProps {
  session: Session;
  draft: RelayDraft | null;
  onClose: () => void;
}

/** What the relay screens say when a call to the server fails. */
const relayFailure = (error: unknown) =>
  describeFailure(error, { offline: () => m('relay.error.offline'), server: (message) => m('relay.error.server', { message }) });

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
              <ComposeForm
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

interface ComposeProps {
  session: Session;
  draft: RelayDraft | null;
  area: AnyArea | null;
  onArea: (area: AnyArea) => void;
  targets: Pick<Org, 'id' | 'name'>[];
  onFiled: (hash: string) => void;
  onError: (text: string) => void;
}

function ComposeForm({ session, draft, area, onArea, targets, onFiled, onError }: ComposeProps) {
  const [areaLabel, setAreaLabel] = useState(draft ? m('relay.form.areaFrom', { name: draft.areaName }) : m('relay.form.areaNone'));
  const [orgId, setOrgId] = useState('');
  const [nationalities, setNationalities] = useState((draft?.nationalities ?? []).join(', '));
  const [messages, setMessages] = useState<{ language: string; text: string }[]>([
    { language: 'ar', text: '' },
    { language: 'en', text: '' },
  ]);
  const [purpose, setPurpose] = useState(draft ? `Warn our communities: ${draft.purpose}` : '');
  const [expiry, setExpiry] = useState(3);
  const [busy, setBusy] = useState(false);
  const target = orgId || targets[0]?.id || '';

  async function submit(event: Event) {
    event.preventDefault();
    const codes = nationalities
      .split(/[\s,;]+/)
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
    const written = messages.filter((item) => item.text.trim());
    const problem = !area
      ? m('relay.form.areaNone')
      : !target
        ? m('relay.form.cso')
        : codes.length === 0 || codes.some((code) => !/^[A-Z]{2}$/.test(code))
          ? m('relay.form.nationalities')
          : written.length === 0 || new Set(written.map((item) => item.language)).size !== written.length
            ? m('relay.form.languages')
            : purpose.trim().length < 10
              ? m('relay.form.purpose')
              : null;
    if (problem) return onError(m('relay.form.invalid', { message: problem }));
    setBusy(true);
    try {
      onFiled(
        await actions.fileRelay(session, {
          orgId: target,
          area: area!,
          nationalities: [...new Set(codes)],
          messages: written,
          purpose,
          expiresInDays: expiry,
        }),
      );
    } catch (error) {
      onError(relayFailure(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form data-testid="relay-form" onSubmit={submit}>
      <h3>{m('relay.form.title')}</h3>
      <label>
        {m('relay.form.cso')}
        <select name="cso" value={target} onChange={(event) => setOrgId(event.currentTarget.value)}>
          {targets.map((org) => (
            <option key={org.id} value={org.id}>
              {org.id === session.identity.orgId ? m('relay.form.own', { name: org.name }) : org.name}
            </option>
          ))}
        </select>
      </label>
      <p data-testid="relay-area">
        {m('relay.form.area')}: {areaLabel}
      </p>
      <label>
        {m('relay.form.areaFile')}
        <input
          type="file"
          accept=".geojson,.json"
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            const result = areaFromGeoJson(await file.text());
            if (!result.ok) return onError(result.message);
            onArea(result.area);
            setAreaLabel(file.name);
          }}
        />
      </label>
      <label>
        {m('relay.form.nationalities')}
        <input name="nationalities" value={nationalities} onInput={(event) => setNationalities(event.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>{m('relay.form.languages')}</legend>
        {messages.map((item, index) => (
          <div class="relay-message" key={index}>
            <label>
              {m('relay.form.language')}
              <select
                name="language"
                value={item.language}
                onChange={(event) =>
                  setMessages(messages.map((other, at) => (at === index ? { ...other, language: event.currentTarget.value } : other)))
                }
              >
                {LANGUAGES.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {m('relay.form.text')}
              <textarea
                name={`text-${item.language}`}
                lang={item.language}
                dir={dirOf(item.language)}
                rows={3}
                maxLength={1000}
                value={item.text}
                onInput={(event) =>
                  setMessages(messages.map((other, at) => (at === index ? { ...other, text: event.currentTarget.value } : other)))
                }
              />
            </label>
          </div>
        ))}
        <button
          type="button"
          class="secondary small"
          onClick={() =>
            setMessages([
              ...messages,
              { language: LANGUAGES.find(([code]) => !messages.some((item) => item.language === code))?.[0] ?? 'en', text: '' },
            ])
          }
        >
          {m('relay.form.addLanguage')}
        </button>
      </fieldset>
      <label>
        {m('relay.form.purpose')}
        <textarea name="purpose" rows={2} maxLength={2000} value={purpose} onInput={(event) => setPurpose(event.currentTarget.value)} />
      </label>
      <label>
        {m('relay.form.expiry')}
        <input
          name="expiry"
          type="number"
          min={1}
          max={14}
          value={expiry}
          onInput={(event) => setExpiry(Math.min(14, Math.max(1, Number(event.currentTarget.value) || 1)))}
        />
      </label>
      <button type="submit" disabled={busy}>
        {m('relay.form.submit')}
      </button>
    </form>
  );
}

interface ViewProps {
  session: Session;
  hash: string;
  orgName: (id: string) => string;
  /** The CSO's partners as its device verified them (decision 0609). */
  partners: Map<string, PartnerView>;
  onChanged: () => void;
  onError: (error: unknown) => void;
  onNotice: (text: string) => void;
}

function RelayView({ session, hash, orgName, partners, onChanged, onError, onNotice }: ViewProps) {
  const [detail, setDetail] = useState<RelayDetail | null>(null);
  // The relay's audit chain as this device checked it (links, signatures, the head it kept).
  const [chain, setChain] = useState<HeadCheck | undefined>(undefined);
  // This CSO's verified statement: its officers and k, never the server's member list (issue 15).
  const [own, setOwn] = useState<RosterStatement | null>(null);
  const [records, setRecords] = useState<OpenedRecords | null>(null);
  const [check, setCheck] = useState<RelayCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const isCsoOfficer = session.identity.role === 'officer' && session.identity.orgKind === 'cso';

  async function load() {
    try {
      const loaded = await actions.getRelay(session, hash);
      setChain(await observeChain(`relay:${hash}`, loaded.audit.entries));
      setDetail(loaded);
    } catch (error) {
      onError(error);
    }
  }
  useEffect(() => {
    void load();
    if (isCsoOfficer) {
      void ownRosterHead(session).then(setOwn, onError);
      if (session.orgKeys) void openOrgRecords(session).then(setRecords, onError);
    }
  }, [hash]);

  const ours = detail !== null && detail.csoOrgId === session.identity.orgId && isCsoOfficer;
  // Who filed it, from the request's signing key: one of this CSO's officers, or an officer of a
  // verified partner (whose signed kind picks the consent rule). Anyone else: nothing is sent.
  const origin: RelayOrigin | null = detail && own ? actions.relayOrigin(detail.request, own, partners.get(detail.requesterOrgId)) : null;
  useEffect(() => {
    if (ours && detail.status === 'approved' && own) void actions.checkRelay(detail, own, origin, session.identity.orgId).then(setCheck);
  }, [detail, own, origin]);

  const phoneCountryOf = usePhoneCountryOf();
  const selection = useMemo(
    () =>
      ours && records && origin && phoneCountryOf && detail.status === 'approved'
        ? selectRecipients(
            records,
            { area: detail.request.area, nationalities: detail.request.nationalities, messages: detail.request.messages, origin },
            phoneCountryOf,
          )
        : null,
    [ours, records, detail, origin, phoneCountryOf],
  );
  if (!detail) return null;

  const mine = detail.decisions.find((decision) => decision.memberId === session.identity.memberId);
  const approvals = detail.decisions.filter((decision) => decision.decision === 'approve').length;
  const shown = (count: number | null) => (count === null ? m('relay.withheld') : String(count));
  const byLanguage = (counts: Record<string, number | null>) =>
    Object.entries(counts)
      .map(([language, count]) => `${language} ${shown(count)}`)
      .join(', ');
  const recipientCounts = selection ? byLanguage(countBy(selection.recipients, (recipient) => recipient.language)) : '';

  async function decide(decision: 'approve' | 'veto') {
    setBusy(true);
    try {
      await actions.decideRelay(session, hash, decision);
      await load();
      onChanged();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  }

  async function report() {
    if (!selection) return;
    setBusy(true);
    try {
      const tally = reportOf(selection.recipients.map((recipient) => ({ language: recipient.language, ok: true })));
      const counts = await actions.reportRelay(session, hash, tally);
      onNotice(m('relay.reported', { sent: shown(counts.sent), failed: shown(counts.failed) }));
      await load();
      onChanged();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="relay-view" data-testid="relay-view" data-hash={hash} data-status={detail.status}>
      <h3>{detail.request.purpose}</h3>
      <p class="hint">
        {m('relay.view.requestedBy', { org: orgName(detail.requesterOrgId) })} ·{' '}
        <span data-testid="relay-view-status">{m(`relay.status.${detail.status}`)}</span> ·{' '}
        <span data-testid="relay-approvals">{m('relay.view.approvals', { count: approvals, needed: detail.approvalsRequired })}</span>
      </p>
      <p class="hint">{detail.request.nationalities.join(', ')}</p>
      {detail.request.messages.map((item) => (
        <blockquote
          key={item.language}
          class="relay-message"
          lang={item.language}
          dir={dirOf(item.language)}
          data-testid={`relay-message-${item.language}`}
        >
          {item.text}
        </blockquote>
      ))}
      <AreaMap area={detail.request.area as Area} testId="relay-view-map" />
      <ChainWarning check={chain} testId="relay-audit-broken" />
      {ours && (detail.status === 'pending' || detail.status === 'approved') && (
        <p class="row">
          {mine ? (
            <span data-testid="relay-my-decision">{m('relay.view.decided', { decision: m(`relay.decision.${mine.decision}`) })}</span>
          ) : (
            <>
              {/* Approving is for relays filed by this CSO's officers or a verified partner's; declining is always possible. */}
              {origin ? (
                <button type="button" disabled={busy} onClick={() => void decide('approve')}>
                  {m('relay.view.approve')}
                </button>
              ) : (
                own && (
                  <span class="warning" data-testid="relay-unverified">
                    {m('relay.unverified')}
                  </span>
                )
              )}
              <button type="button" class="secondary" disabled={busy} onClick={() => void decide('veto')}>
                {m('relay.view.decline')}
              </button>
            </>
          )}
        </p>
      )}
      {detail.report && (
        <>
          <p data-testid="relay-report">
            {m('relay.report', {
              sent: shown(detail.report.sent),
              failed: shown(detail.report.failed),
              byLanguage: byLanguage(
                Object.fromEntries(Object.entries(detail.report.byLanguage).map(([language, counts]) => [language, counts.sent])),
              ),
            })}
          </p>
          <p class="hint">{m('relay.withheldHint', { threshold: RELAY_REPORT_THRESHOLD })}</p>
        </>
      )}
      {ours && detail.status === 'approved' && check && !check.ok && (
        <p class="warning" data-testid="relay-check">
          {m('relay.check.failed', { message: check.message })}
        </p>
      )}
      {ours && detail.status === 'approved' && check?.ok && chain?.ok && selection && (
        <section data-testid="relay-recipients" data-count={selection.recipients.length}>
          <h4>{m('relay.recipients.title')}</h4>
          <p data-testid="relay-check">{m('relay.check.ok', { count: check.approvers.length })}</p>
          <p data-testid="relay-recipient-summary">
            {m('relay.recipients.summary', { count: selection.recipients.length, byLanguage: recipientCounts || '—' })}
          </p>
          <p class="hint">{m('relay.recipients.skipped', selection.skipped)}</p>
          <p class="hint">{m('relay.recipients.local')}</p>
          <p class="row">
            <button
              type="button"
              data-testid="relay-csv"
              disabled={selection.recipients.length === 0}
              onClick={() =>
                download({
                  name: `relay-${hash.slice(0, 8)}.csv`,
                  type: 'text/csv;charset=utf-8',
                  text: bulkSmsCsv(selection.recipients, detail.request.messages),
                })
              }
            >
              {m('relay.send.file')}
            </button>
            <button
              type="button"
              class="secondary"
              data-testid="relay-report-sent"
              disabled={busy || selection.recipients.length === 0}
              onClick={() => void report()}
            >
              {m('relay.send.report', { count: selection.recipients.length })}
            </button>
          </p>
          <details>
            <summary>{m('relay.send.links')}</summary>
            <ul class="relay-links" data-testid="relay-links">
              {selection.recipients.map((recipient) => {
                const text = textFor(recipient.language, detail.request.messages);
                return (
                  <li key={recipient.recordId}>
                    <span class="phone" dir="ltr">
                      {recipient.phone}
                    </span>
                    <span>{recipient.language}</span>
                    <a href={smsLink(recipient.phone, text)}>{m('relay.send.sms')}</a>
                    <a href={whatsAppLink(recipient.phone, text)} target="_blank" rel="noopener noreferrer">
                      {m('relay.send.whatsapp')}
                    </a>
                  </li>
                );
              })}
            </ul>
          </details>
        </section>
      )}
    </section>
  );
}
