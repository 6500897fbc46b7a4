// One relayed message: what it says and where, the officers' decisions (k of n, signed), and, once
// approved and verified on this device, the recipients picked from the decrypted records and the
// channels to hand the messages to (a bulk-SMS file, or per-contact SMS and WhatsApp links), then
// the counts reported. Phones and texts per person stay on this device.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { observeChain, type HeadCheck } from '../activation/audit-heads.ts';
import { AreaMap } from '../activation/AreaMap.tsx';
import { ChainWarning } from '../activation/AuditView.tsx';
import type { PartnerView } from '../activation/partners.ts';
import type { Area } from '../activation/select.ts';
import { m } from '../alerts/messages.ts';
import { directionOf } from '../i18n/index.ts';
import { openOrgRecords, type OpenedRecords } from '../records.ts';
import { ownRosterHead } from '../roster.ts';
import type { Session } from '../session.ts';
import { download } from '../ui/download.ts';
import { usePhoneCountryOf } from '../ui/phone.tsx';
import type { RosterStatement } from '#crypto/roster';
import { RELAY_REPORT_THRESHOLD } from '#plans/relay-report';
import * as actions from './actions.ts';
import type { RelayCheck, RelayDetail } from './actions.ts';
import { bulkSmsCsv, reportOf, smsLink, textFor, whatsAppLink } from './channels.ts';
import { selectRecipients, type RelayOrigin } from './recipients.ts';

/** How many items have each key. */
function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export interface RelayViewProps {
  session: Session;
  hash: string;
  orgName: (id: string) => string;
  /** The CSO's partners as its device verified them (decision 0609). */
  partners: Map<string, PartnerView>;
  onChanged: () => void;
  onError: (error: unknown) => void;
  onNotice: (text: string) => void;
}

export function RelayView({ session, hash, orgName, partners, onChanged, onError, onNotice }: RelayViewProps) {
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
          dir={directionOf(item.language)}
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
