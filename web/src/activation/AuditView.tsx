// A request's audit log, checked on this device (signatures, hashes, links, who may sign what) and
// told in words. A break is shown as a warning naming the first broken entry.
import { useEffect, useState } from 'preact/hooks';
import type { ChainResult } from '#crypto/audit';
import { formatDate } from '../i18n/index.ts';
import { brokenChainWarning, checkAuditChain, describeEntry, type Parties } from './audit.ts';
import { checkKeptHead, keepHead, loadKeptHead, type HeadCheck } from './audit-heads.ts';
import type { Detail } from './actions.ts';
import { m } from './messages.ts';
import type { TrustedRoster } from './verify.ts';

/**
 * Who may sign officer entries: everyone who was an officer in a version of the CSO's verified
 * roster (old entries may be signed by officers removed since). Labels come from the server and
 * are names only; a CSO whose roster did not verify has no officers here, so its entries fail.
 */
export function partiesOf(detail: Detail, serverKey: string | null, rosters: ReadonlyMap<string, TrustedRoster>): Parties {
  const officers = new Map<string, { label: string; orgName: string }>();
  for (const [orgId, roster] of rosters) {
    const labels = detail.officers[orgId] ?? [];
    for (const officer of roster.everOfficers) {
      officers.set(officer.signPublicKey, {
        label: labels.find((entry) => entry.memberId === officer.memberId)?.label ?? officer.memberId.slice(0, 8),
        orgName: detail.orgNames[orgId] ?? orgId,
      });
    }
  }
  return {
    requesterSignPublicKey: detail.request.requester.signPublicKey,
    requesterOrgName: detail.orgNames[detail.requesterOrgId] ?? 'the requester',
    officers,
    serverKey,
  };
}

export function AuditView({
  detail,
  serverKey,
  rosters,
}: {
  detail: Detail;
  serverKey: string | null;
  rosters: ReadonlyMap<string, TrustedRoster>;
}) {
  const [result, setResult] = useState<ChainResult | null>(null);
  const [head, setHead] = useState<HeadCheck>({ ok: true });
  const parties = partiesOf(detail, serverKey, rosters);
  useEffect(() => {
    let current = true;
    const chainId = `request:${detail.hash}`;
    void (async () => {
      const verdict = await checkAuditChain(detail.audit.entries, parties);
      // The head this device verified before must still be there (a cut or another history is told, not kept).
      const kept = checkKeptHead(detail.audit.entries, await loadKeptHead(chainId));
      if (verdict.ok && kept.ok) await keepHead(chainId, detail.audit.entries);
      if (current) {
        setResult(verdict);
        setHead(kept);
      }
    })();
    return () => {
      current = false;
    };
  }, [detail, serverKey, [...rosters.values()].map((roster) => roster.headHash).join()]);
  const warning = result ? (brokenChainWarning(result) ?? (head.ok ? null : head.message)) : null;
  return (
    <section class="card audit" data-testid="audit-log">
      <h2>{m('audit.title')}</h2>
      {warning ? (
        <p class="error" role="alert" data-testid="audit-broken" data-kind={head.ok ? 'chain' : head.kind}>
          {warning}
        </p>
      ) : (
        result && (
          <p class="ok" data-testid="audit-ok">
            {m('audit.ok', { count: detail.audit.entries.length })}
          </p>
        )
      )}
      <ol>
        {detail.audit.entries.map((entry) => (
          <li key={entry.seq} class={!result || result.ok || entry.seq < result.brokenAt ? '' : 'broken'}>
            {describeEntry(entry, parties, formatDate)}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A chain that lost the head this device kept, or does not verify: told where the chain is shown. */
export function ChainWarning({ check, testId }: { check: HeadCheck | undefined; testId: string }) {
  if (!check || check.ok) return null;
  return (
    <p class="error" role="alert" data-testid={testId} data-kind={check.kind}>
      {check.message}
    </p>
  );
}
