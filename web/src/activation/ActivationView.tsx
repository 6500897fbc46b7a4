// One request, for either side. CSO officers: the area, a numbers-only preview from this device's
// records, approve or veto, then build and send the release, or revoke it. Requesters: each
// release verified on this device before it is downloaded and opened; the manifest and the map.
// Both: the audit log, verified here.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ReleaseField } from '#crypto/protocol';
import { formatDate } from '../i18n/index.ts';
import { openOrgRecords } from '../records.ts';
import type { Session } from '../session.ts';
import {
  buildAndSendRelease,
  decide,
  getActivation,
  openRelease,
  RefusedRelease,
  revokeRelease,
  serverAuditKey,
  verifyTargets,
  type Detail,
  type OpenedRelease,
  type Org,
  type Release,
  type ReleaseProgress,
} from './actions.ts';
import { AreaMap, type MapPoint } from './AreaMap.tsx';
import { AuditView } from './AuditView.tsx';
import { Manifest } from './Manifest.tsx';
import { m, type ActivationMessageKey } from './messages.ts';
import { requestProblem, type PartnerView } from './partners.ts';
import { previewRelease, type Preview, type RequesterKind } from './select.ts';
import type { RosterChange } from '#crypto/roster';
import type { ApprovalCheck, RosterCheck, TrustedRoster } from './verify.ts';

const REFRESH_MS = 8000;

export function ActivationView({
  session,
  hash,
  orgs,
  partners = new Map(),
  onBack,
}: {
  session: Session;
  hash: string;
  orgs: Map<string, Org>;
  /** A CSO's partners as its device verified them (decision 0609); empty on a requester's device. */
  partners?: Map<string, PartnerView>;
  onBack: () => void;
}) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverKey, setServerKey] = useState<string | null>(null);
  const [verdicts, setVerdicts] = useState<Map<string, ApprovalCheck>>(new Map());
  const [rosters, setRosters] = useState<Map<string, RosterCheck>>(new Map());
  // Changes seen while this screen is open stay shown, although the pin has moved on.
  const [changes, setChanges] = useState<Map<string, RosterChange[]>>(new Map());
  const myOrgId = session.identity.orgId;

  async function refresh() {
    try {
      const next = await getActivation(session, hash);
      const trust = await verifyTargets(next);
      setDetail(next);
      setVerdicts(new Map([...trust].map(([orgId, item]) => [orgId, item.approvals])));
      setRosters(new Map([...trust].map(([orgId, item]) => [orgId, item.roster])));
      const seen = [...trust].flatMap(([orgId, item]) =>
        item.roster.ok && item.roster.roster.change ? [[orgId, item.roster.roster.change] as const] : [],
      );
      if (seen.length) {
        setChanges((before) => {
          const after = new Map(before);
          for (const [orgId, change] of seen) after.set(orgId, [...(after.get(orgId) ?? []), change]);
          return after;
        });
      }
    } catch (reason) {
      setError((reason as Error).message);
    }
  }
  useEffect(() => {
    void refresh();
    void serverAuditKey(session).then(setServerKey);
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [hash]);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      await refresh();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!detail) {
    return (
      <section class="card" data-testid="activation-view">
        <button type="button" class="secondary" onClick={onBack}>
          {m('view.back')}
        </button>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p>…</p>
        )}
      </section>
    );
  }
  const request = detail.request;
  const isTarget = detail.targets.some((target) => target.orgId === myOrgId);
  const isRequester = detail.requesterOrgId === myOrgId;

  return (
    <div class="activation-view" data-testid="activation-view" data-hash={hash}>
      <button type="button" class="secondary" onClick={onBack}>
        {m('view.back')}
      </button>
      <section class="card">
        <h2>{request.purpose}</h2>
        <dl class="facts">
          <dt>{m('view.requester')}</dt>
          <dd>{detail.orgNames[detail.requesterOrgId] ?? detail.requesterOrgId}</dd>
          <dt>{m('view.nationalities')}</dt>
          <dd data-testid="view-nationalities">{request.nationalities.join(', ')}</dd>
          <dt>{m('view.fields')}</dt>
          <dd>{request.fields.map((field) => m(`field.${field}` as ActivationMessageKey)).join('; ')}</dd>
          <dt>{m('view.expires')}</dt>
          <dd>{formatDate(request.expiresAt)}</dd>
        </dl>
        <h3>{m('view.decisions')}</h3>
        <ul data-testid="targets">
          {detail.targets.map((target) => {
            const approvals = new Set(
              detail.decisions
                .filter((decision) => decision.orgId === target.orgId && decision.decision === 'approve')
                .map((decision) => decision.memberId),
            ).size;
            return (
              <li key={target.orgId} data-testid="target-status" data-status={target.status}>
                <strong>{detail.orgNames[target.orgId] ?? target.orgId}</strong>: {m(`status.${target.status}` as ActivationMessageKey)} ·{' '}
                {m('view.approvals', { have: approvals, need: target.approvalsRequired })}
                <RosterLine
                  check={rosters.get(target.orgId)}
                  changes={changes.get(target.orgId)}
                  labels={detail.officers[target.orgId] ?? []}
                />
              </li>
            );
          })}
        </ul>
        <ul class="decisions">
          {detail.decisions.map((decision) => (
            <li key={decision.memberId}>
              {detail.officers[decision.orgId]?.find((officer) => officer.memberId === decision.memberId)?.label ??
                decision.memberId.slice(0, 8)}
              : {decision.decision === 'approve' ? m('view.approve') : m('view.veto')}
              {decision.createdAt ? ` · ${formatDate(decision.createdAt)}` : ''}
            </li>
          ))}
        </ul>
      </section>
      {error && (
        <p class="error" role="alert" data-testid="activation-error">
          {error}
        </p>
      )}
      {notice && (
        <p class="ok" role="status" data-testid="activation-notice">
          {notice}
        </p>
      )}
      {isTarget && (
        <CsoSide
          session={session}
          detail={detail}
          verdict={verdicts.get(myOrgId) ?? null}
          partner={partners.get(detail.requesterOrgId)}
          busy={busy}
          run={run}
          onNotice={setNotice}
        />
      )}
      {isRequester ? (
        <RequesterSide session={session} detail={detail} verdicts={verdicts} run={run} busy={busy} />
      ) : (
        <AreaMap area={request.area} testId="request-area-map" />
      )}
      <AuditView detail={detail} serverKey={serverKey} rosters={trustedRosters(rosters)} />
    </div>
  );
}

function trustedRosters(checks: Map<string, RosterCheck>): Map<string, TrustedRoster> {
  return new Map([...checks].flatMap(([orgId, check]) => (check.ok ? [[orgId, check.roster] as const] : [])));
}

/** The roster a CSO's decisions were checked against: its fingerprint, what changed, or why it is refused. */
function RosterLine({
  check,
  changes,
  labels,
}: {
  check: RosterCheck | undefined;
  changes: RosterChange[] | undefined;
  labels: { memberId: string; label: string }[];
}) {
  if (!check) return null;
  if (!check.ok) {
    return (
      <p class="error" role="alert" data-testid="roster-broken">
        {m('roster.broken', { message: check.message })}
      </p>
    );
  }
  const name = (memberId: string) => labels.find((officer) => officer.memberId === memberId)?.label ?? memberId.slice(0, 8);
  const roster = check.roster;
  return (
    <div class="roster">
      <p class="hint" data-testid="roster-fingerprint" data-version={roster.head.version}>
        {m('roster.fingerprint', { version: roster.head.version, officers: roster.head.officers.length, k: roster.head.approvalsRequired })}{' '}
        <code>{roster.fingerprint}</code>
        {roster.firstUse && ` ${m('roster.firstUse')}`}
      </p>
      {changes && changes.length > 0 && (
        <p class="warning" data-testid="roster-changed">
          {m('roster.changed')}
          {changes.map((change) => [
            change.added.length > 0 && ` ${m('roster.added', { who: change.added.map((officer) => name(officer.memberId)).join(', ') })}`,
            change.removed.length > 0 &&
              ` ${m('roster.removed', { who: change.removed.map((officer) => name(officer.memberId)).join(', ') })}`,
            change.rekeyed.length > 0 &&
              ` ${m('roster.rekeyed', { who: change.rekeyed.map((officer) => name(officer.memberId)).join(', ') })}`,
            change.approvalsRequired && ` ${m('roster.k', { from: change.approvalsRequired.from, to: change.approvalsRequired.to })}`,
          ])}
        </p>
      )}
    </div>
  );
}

function CsoSide({
  session,
  detail,
  verdict,
  partner,
  busy,
  run,
  onNotice,
}: {
  session: Session;
  detail: Detail;
  verdict: ApprovalCheck | null;
  /** The requester as this CSO verified it: its kind decides the consent rule, its key is what a release is sealed to. */
  partner: PartnerView | undefined;
  busy: boolean;
  run: (action: () => Promise<void>) => Promise<void>;
  onNotice: (text: string) => void;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [progress, setProgress] = useState<ReleaseProgress | null>(null);
  const myOrgId = session.identity.orgId;
  const target = detail.targets.find((candidate) => candidate.orgId === myOrgId)!;
  const mine = detail.decisions.find((decision) => decision.memberId === session.identity.memberId);
  const open = detail.status === 'open';
  const isOfficer = session.identity.role === 'officer' && session.orgKeys !== null;
  // Not the server's word for the requester's kind: the one an officer signed (a consulate, the stricter rule, until verified).
  const requesterKind: RequesterKind = partner?.verified ? partner.kind : 'consulate';
  const problem = requestProblem(detail.request, partner);

  useEffect(() => {
    if (!session.orgKeys) return;
    let current = true;
    void openOrgRecords(session)
      .then((opened) =>
        previewRelease(opened, {
          area: detail.request.area,
          nationalities: detail.request.nationalities,
          fields: detail.request.fields as ReleaseField[],
          requesterKind,
        }),
      )
      .then((counts) => current && setPreview(counts));
    return () => {
      current = false;
    };
  }, [detail.hash, requesterKind]);

  const myReleases = detail.releases.filter((release) => release.orgId === myOrgId && release.status === 'available');
  return (
    <section class="card" data-testid="cso-side">
      <p data-testid="preview">
        {preview
          ? m('view.preview', { communities: preview.communities, people: preview.people, withheld: preview.withheldByConsent })
          : m('view.previewLoading')}
      </p>
      {problem && (
        <p class="warning" role="alert" data-testid="partner-problem">
          {m('view.partnerProblem', { problem })}
        </p>
      )}
      {isOfficer && open && !mine && ['pending', 'approved'].includes(target.status) && (
        <div class="actions">
          {/* A veto is always possible; an approval only for a request from a verified partner. */}
          {!problem && (
            <button type="button" disabled={busy} onClick={() => run(() => decide(session, detail, 'approve', partner))}>
              {m('view.approve')}
            </button>
          )}
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() => confirm(m('view.vetoConfirm')) && run(() => decide(session, detail, 'veto'))}
          >
            {m('view.veto')}
          </button>
        </div>
      )}
      {mine && (
        <p data-testid="my-decision">{m('view.decided', { decision: mine.decision === 'approve' ? m('view.approve') : m('view.veto') })}</p>
      )}
      {verdict && !verdict.ok && target.status !== 'pending' && <p class="warning">{verdict.message}</p>}
      {isOfficer && open && !problem && verdict?.ok && target.status === 'approved' && (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const count = await buildAndSendRelease(session, detail, partner, setProgress);
              onNotice(m('view.sent', { count }));
            })
          }
        >
          {m('view.build')}
        </button>
      )}
      {progress && progress.stage !== 'done' && (
        <p>
          {m('view.building', { stage: progress.stage })} <progress max={1} value={progress.fraction} data-testid="release-progress" />
        </p>
      )}
      {isOfficer &&
        myReleases.map((release) => (
          <button
            key={release.id}
            type="button"
            class="danger"
            disabled={busy}
            onClick={() => confirm(m('view.revokeConfirm')) && run(() => revokeRelease(session, detail.hash, release.id))}
          >
            {m('view.revoke')}
          </button>
        ))}
    </section>
  );
}

function RequesterSide({
  session,
  detail,
  verdicts,
  run,
  busy,
}: {
  session: Session;
  detail: Detail;
  verdicts: Map<string, ApprovalCheck>;
  run: (action: () => Promise<void>) => Promise<void>;
  busy: boolean;
}) {
  const [opened, setOpened] = useState<OpenedRelease | null>(null);
  const [refusal, setRefusal] = useState<{ message: string; problems: string[] } | null>(null);
  const forget = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Plaintext lives in this component's memory only: forgotten at expiry, and when the screen closes.
  useEffect(
    () => () => {
      if (forget.current) clearTimeout(forget.current);
      setOpened(null);
    },
    [],
  );
  function keepUntil(release: OpenedRelease) {
    if (forget.current) clearTimeout(forget.current);
    const wait = Date.parse(release.expiresAt) - Date.now();
    forget.current = setTimeout(() => setOpened(null), Math.max(0, Math.min(wait, 2 ** 31 - 1)));
    setOpened(release);
  }
  const points = useMemo<MapPoint[]>(() => {
    if (!opened) return [];
    const communities = new Map(
      opened.records.filter((record) => record.kind === 'community').map((record) => [record.id, record.location]),
    );
    return opened.records.flatMap((record) => {
      const location = (record.location ?? communities.get(record.communityId)) as { lon?: number; lat?: number } | undefined;
      if (typeof location?.lon !== 'number' || typeof location.lat !== 'number') return [];
      return [
        {
          lon: location.lon,
          lat: location.lat,
          kind: record.kind === 'community' ? 'community' : 'person',
          label: String(record.name ?? ''),
        } as MapPoint,
      ];
    });
  }, [opened]);

  // A refusal answers the last click under the verdicts of that moment; when they change, it is stale.
  const verdictKey = [...verdicts].map(([orgId, verdict]) => `${orgId}:${verdict.ok ? 'ok' : verdict.message}`).join('|');
  useEffect(() => setRefusal(null), [verdictKey]);
  const available = detail.releases.filter((release) => release.status === 'available');
  // A revoke reaches this device at its next refresh: what it opened of that release is forgotten
  // then, not at expiry (issue 15: on 53dbdde it stayed on screen until the expiry or the screen closed).
  const [revokedNotice, setRevokedNotice] = useState(false);
  const openedStatus = opened ? detail.releases.find((release) => release.id === opened.releaseId)?.status : undefined;
  useEffect(() => {
    if (!opened || openedStatus === 'available') return;
    if (forget.current) clearTimeout(forget.current);
    setOpened(null);
    setRevokedNotice(true);
  }, [opened, openedStatus]);
  async function open(release: Release) {
    setRevokedNotice(false);
    setRefusal(null);
    try {
      keepUntil(await openRelease(session, detail, release));
    } catch (reason) {
      setOpened(null);
      if (reason instanceof RefusedRelease) setRefusal({ message: reason.message, problems: reason.problems });
      else throw reason;
    }
  }

  return (
    <>
      <section class="card" data-testid="requester-side">
        <h3>{m('view.releases')}</h3>
        {detail.releases.length === 0 && <p class="hint">{m('none')}</p>}
        {detail.releases.map((release) => {
          const verdict = verdicts.get(release.orgId);
          return (
            <div key={release.id} class="release" data-testid="release" data-status={release.status}>
              <p>
                {detail.orgNames[release.orgId] ?? release.orgId} · {formatDate(release.createdAt)} ·{' '}
                {m(`status.${release.status === 'available' ? 'released' : release.status}` as ActivationMessageKey)}
              </p>
              {release.status === 'available' && verdict && (
                <p class={verdict.ok ? 'ok' : 'error'} data-testid="release-verdict" data-ok={verdict.ok ? 'true' : 'false'}>
                  {verdict.ok
                    ? m('view.verified', { approvers: verdict.approvers.length, need: verdict.needed })
                    : m('view.notVerified', { message: verdict.message })}
                </p>
              )}
              {available.includes(release) && (
                <button type="button" class="primary" disabled={busy} onClick={() => run(() => open(release))}>
                  {m('view.open')}
                </button>
              )}
            </div>
          );
        })}
        {revokedNotice && (
          <p class="warning" role="status" data-testid="release-forgotten">
            {m('view.forgotten')}
          </p>
        )}
        {refusal && (
          <div class="refusal" role="alert" data-testid="release-refused">
            <p class="error">{refusal.message}</p>
            {refusal.problems.length > 0 && (
              <ul>
                {refusal.problems.slice(0, 20).map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {opened && (
          <p class="hint" data-testid="forget-at">
            {m('view.forgetAt', { time: formatDate(opened.expiresAt) })}
            {opened.unchecked.length > 0 && ` ${m('view.unchecked', { what: opened.unchecked.join('; ') })}`}
          </p>
        )}
      </section>
      <AreaMap area={detail.request.area} points={points} testId="release-map" />
      {opened && <Manifest records={opened.records} title={detail.orgNames[opened.orgId] ?? opened.orgId} />}
    </>
  );
}
