// Break-glass arrangements, for both sides. CSO officers: set one up from a requester's card, see a
// running activation's countdown and veto it. Requesters: show their card, accept, break the glass,
// and after the wait open the records (in memory only, shown as a manifest).
import { partnerViews, type PartnerView } from './partners.ts';
import { useEffect, useState } from 'preact/hooks';
import { BREAK_GLASS_MAX_WAIT_SECONDS, BREAK_GLASS_MIN_WAIT_SECONDS, waitingPeriodAllowed } from '#crypto/breakglass-policy';
import { releaseFieldNames, type ReleaseField } from '#crypto/protocol';
import { currentLanguage, formatDate } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { getActivation, relatedOrgs, type Org } from './actions.ts';
import { areaFromGeoJson } from './area.ts';
import {
  acceptArrangement,
  arrangementChain,
  cosignArrangement,
  signedBy,
  activateBreakGlass,
  listArrangements,
  openBreakGlass,
  parseCard,
  proposeArrangement,
  requesterCard,
  vetoBreakGlass,
  type ArrangementView,
} from './breakglass.ts';
import { Manifest } from './Manifest.tsx';
import { observeChain, type HeadCheck } from './audit-heads.ts';
import { ChainWarning } from './AuditView.tsx';
import { m } from './messages.ts';
import type { Area } from './select.ts';

const REFRESH_MS = 5000;
const HOUR = 3600;
const DAY = 86_400;

/** "24 hours", "3 days" in the language picked (Intl's unit names, so no catalogue entry per unit). */
export function formatWaitingPeriod(seconds: number): string {
  const [value, unit] = seconds % DAY === 0 ? [seconds / DAY, 'day'] : [Math.round((seconds / HOUR) * 10) / 10, 'hour'];
  return new Intl.NumberFormat(currentLanguage().code, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  const text =
    left >= 3600
      ? `${Math.floor(left / 3600)} h ${Math.floor((left % 3600) / 60)} min`
      : left >= 60
        ? `${Math.floor(left / 60)} min ${left % 60} s`
        : `${left} s`;
  return (
    <strong data-testid="breakglass-countdown" data-left={String(left)}>
      {left > 0 ? m('bg.left', { time: text }) : m('bg.over')}
    </strong>
  );
}

/** An arrangement's log as this device checks it, under the id its officers signed (arrangementChain). */
async function checkArrangementChain(arrangement: ArrangementView): Promise<HeadCheck> {
  let chainId: string;
  try {
    chainId = arrangementChain(arrangement);
  } catch (error) {
    return { ok: false, kind: 'broken', seq: 0, message: (error as Error).message };
  }
  return observeChain(chainId, arrangement.audit.entries);
}

export function BreakGlass({
  session,
  orgs,
  partners = new Map(),
}: {
  session: Session;
  orgs: Map<string, Org>;
  partners?: Map<string, PartnerView>;
}) {
  const isRequester = session.identity.orgKind !== 'cso';
  const [arrangements, setArrangements] = useState<ArrangementView[]>([]);
  // Each arrangement's audit chain as this device checked it (links, signatures, the head it kept).
  const [chains, setChains] = useState<Record<string, HeadCheck>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<{ id: string; records: Record<string, unknown>[]; expiresAt: string } | null>(null);
  const [areas, setAreas] = useState<Record<string, Area>>({});
  // Controlled, not defaultValue: Preact does not apply defaultValue to a <select>, and the first
  // option (then "seconds") used to be what a form left alone submitted (issue 13).
  const [waitUnit, setWaitUnit] = useState(String(HOUR));

  async function refresh() {
    try {
      const { arrangements: listed } = await listArrangements(session);
      const checks = await Promise.all(
        listed.map(async (arrangement) => [arrangement.id, await checkArrangementChain(arrangement)] as const),
      );
      setChains(Object.fromEntries(checks));
      setArrangements(listed);
    } catch (reason) {
      setError((reason as Error).message);
    }
  }
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      clearInterval(timer);
      setOpened(null);
    };
  }, [session]);

  // Opened records live in memory only, and are forgotten when the activation expires.
  useEffect(() => {
    if (!opened) return;
    const timer = setTimeout(() => setOpened(null), Math.max(0, Math.min(Date.parse(opened.expiresAt) - Date.now(), 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [opened]);

  async function run(action: () => Promise<string | void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const text = await action();
      if (text) setNotice(text);
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function onPropose(event: Event) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    await run(async () => {
      const card = parseCard(String(data.get('card') ?? ''));
      // The requester must be a verified partner, and the card one of its officers with its org key:
      // kind and nationalities are the ones this CSO signed, not the directory's (decision 0609).
      // The panel's partner check may not have finished yet: then this device checks now.
      const partner = partners.get(card.orgId) ?? (await partnerViews(session, await relatedOrgs(session))).get(card.orgId);
      if (!partner?.verified) throw new Error(m('bg.noOrg'));
      if (partner.orgPublicKey !== card.boxPublicKey || partner.officers.get(card.memberId) !== card.signPublicKey)
        throw new Error(m('bg.cardMismatch'));
      const unit = Number(data.get('unit'));
      const waitingPeriodSeconds = Math.round(Number(data.get('wait')) * unit);
      if (!waitingPeriodAllowed(waitingPeriodSeconds))
        throw new Error(m('bg.tooShort', { hours: BREAK_GLASS_MIN_WAIT_SECONDS / HOUR, days: BREAK_GLASS_MAX_WAIT_SECONDS / DAY }));
      const fields = data.getAll('field').map(String) as ReleaseField[];
      if (!fields.length) throw new Error(m('bg.noFields'));
      const result = await proposeArrangement(session, {
        card,
        requesterKind: partner.kind,
        nationalities: partner.nationalities,
        waitingPeriodSeconds,
        fields,
      });
      return m('bg.proposed', { org: partner.name, count: result.wrapped });
    });
  }

  async function onActivate(event: Event, arrangement: ArrangementView) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const myOrg = orgs.get(session.identity.orgId);
    await run(async () => {
      const area = areas[arrangement.id];
      if (!area) throw new Error(m('bg.noArea'));
      const nationalities =
        myOrg?.kind === 'consulate'
          ? myOrg.nationalities
          : String(data.get('nationalities') ?? '')
              .split(/[\s,;]+/)
              .filter(Boolean)
              .map((code) => code.toUpperCase());
      // Open for three days once the wait is over (the server wants the expiry after the wait).
      const expiresInDays = Math.ceil(arrangement.descriptor.waitingPeriodSeconds / DAY) + 3;
      await activateBreakGlass(session, arrangement, { area, nationalities, purpose: String(data.get('purpose') ?? ''), expiresInDays });
      return m('bg.activated');
    });
  }

  async function onOpen(arrangement: ArrangementView) {
    await run(async () => {
      const { request } = await getActivation(session, arrangement.requestHash!);
      setOpened({ id: arrangement.id, records: await openBreakGlass(session, arrangement, request), expiresAt: request.expiresAt });
    });
  }

  return (
    <section class="card" data-testid="breakglass">
      <h2>{m('bg.title')}</h2>
      <p class="hint">{m('bg.intro')}</p>
      {error && (
        <p class="error" role="alert" data-testid="breakglass-error">
          {error}
        </p>
      )}
      {notice && (
        <p class="ok" role="status" data-testid="breakglass-notice">
          {notice}
        </p>
      )}
      {isRequester && (
        <details>
          <summary>{m('bg.card')}</summary>
          <textarea readOnly rows={4} data-testid="requester-card" value={JSON.stringify(requesterCard(session))} />
        </details>
      )}
      {!isRequester && session.orgKeys && (
        <form onSubmit={onPropose} class="activation-form" data-testid="arrangement-form">
          <label>
            {m('bg.cardInput')}
            <textarea name="card" rows={3} required />
          </label>
          <label class="check">
            {m('bg.wait')} <input name="wait" type="number" min={1} step="any" defaultValue="24" required />
            <select name="unit" value={waitUnit} onChange={(event) => setWaitUnit((event.target as HTMLSelectElement).value)}>
              <option value={String(HOUR)}>{m('bg.unit.hours')}</option>
              <option value={String(DAY)}>{m('bg.unit.days')}</option>
            </select>
          </label>
          <div>
            {releaseFieldNames.map((field) => (
              <label key={field} class="check">
                <input
                  type="checkbox"
                  name="field"
                  value={field}
                  defaultChecked={['headcount', 'location', 'nationality', 'names'].includes(field)}
                />{' '}
                {field}
              </label>
            ))}
          </div>
          {/* Enabled once the directory is loaded: the card's organisation is looked up in it. */}
          <button type="submit" disabled={busy || !orgs.has(session.identity.orgId)}>
            {m('bg.setUp')}
          </button>
        </form>
      )}
      <ul class="activation-list" data-testid="arrangement-list">
        {arrangements.map((arrangement) => (
          <li key={arrangement.id} data-testid="arrangement" data-status={arrangement.status}>
            <p>
              <strong>{orgs.get(isRequester ? arrangement.csoOrgId : arrangement.requesterOrgId)?.name ?? '…'}</strong> ·{' '}
              {arrangement.status} ·{' '}
              <span data-testid="arrangement-wait" data-seconds={String(arrangement.descriptor.waitingPeriodSeconds)}>
                {m('bg.waitShown', { time: formatWaitingPeriod(arrangement.descriptor.waitingPeriodSeconds) })}
              </span>{' '}
              · {arrangement.descriptor.fields.join(', ')}
              {!isRequester && (
                <span data-testid="arrangement-copy">
                  {' '}
                  · {arrangement.copyUpdatedAt ? m('bg.copy', { time: formatDate(arrangement.copyUpdatedAt) }) : m('bg.noCopy')}
                </span>
              )}
              {arrangement.officerSignatures && (
                <span data-testid="arrangement-signers">
                  {' '}
                  · {m('bg.signers', { count: arrangement.officerSignatures.signers.length, needed: arrangement.officerSignatures.needed })}
                </span>
              )}
            </p>
            <ChainWarning check={chains[arrangement.id]} testId="arrangement-audit-broken" />
            {!isRequester && arrangement.status === 'proposed' && !signedBy(arrangement, session.identity.memberId) && (
              <button
                type="button"
                disabled={busy}
                onClick={() => run(async () => (await cosignArrangement(session, arrangement), m('bg.cosigned')))}
              >
                {m('bg.cosign')}
              </button>
            )}
            {arrangement.status === 'waiting' &&
              arrangement.breakGlass?.state !== 'vetoed' &&
              arrangement.breakGlass &&
              'releasableAt' in arrangement.breakGlass && (
                <p>
                  {m('bg.activatedAt', { time: arrangement.startedAt ? formatDate(arrangement.startedAt) : '' })}{' '}
                  <Countdown until={arrangement.breakGlass.releasableAt} />
                </p>
              )}
            {isRequester && arrangement.status === 'proposed' && arrangement.descriptor.requester.id === session.identity.memberId && (
              <button
                type="button"
                disabled={busy}
                onClick={() => run(async () => (await acceptArrangement(session, arrangement), m('bg.accepted')))}
              >
                {m('bg.accept')}
              </button>
            )}
            {isRequester && arrangement.status === 'active' && (
              <form class="activation-form" onSubmit={(event) => onActivate(event, arrangement)}>
                <label class="file">
                  {m('bg.area')}{' '}
                  <input
                    type="file"
                    data-testid="breakglass-area"
                    accept=".geojson,.json"
                    onChange={async (event) => {
                      const file = (event.target as HTMLInputElement).files?.[0];
                      const result = file ? areaFromGeoJson(await file.text()) : null;
                      if (result?.ok) setAreas((all) => ({ ...all, [arrangement.id]: result.area }));
                      else if (result) setError(result.message);
                    }}
                  />
                </label>
                {orgs.get(session.identity.orgId)?.kind !== 'consulate' && <input name="nationalities" placeholder="NP, BD" />}
                <label>
                  {m('bg.purpose')}
                  <textarea name="purpose" rows={2} minLength={10} required />
                </label>
                <button type="submit" class="danger" disabled={busy}>
                  {m('bg.break')}
                </button>
              </form>
            )}
            {!isRequester && arrangement.status === 'waiting' && (
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={() =>
                  confirm(m('bg.vetoConfirm')) && run(async () => (await vetoBreakGlass(session, arrangement), m('bg.vetoed')))
                }
              >
                {m('bg.veto')}
              </button>
            )}
            {isRequester &&
              (arrangement.status === 'waiting' || arrangement.status === 'used') &&
              arrangement.breakGlass?.state === 'releasable' && (
                <button type="button" class="primary" disabled={busy} onClick={() => onOpen(arrangement)}>
                  {m('bg.open')}
                </button>
              )}
            {opened?.id === arrangement.id && <Manifest records={opened.records} title={orgs.get(arrangement.csoOrgId)?.name ?? ''} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
