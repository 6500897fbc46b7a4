// The requester's checks, as pure functions: before downloading, that the request the server shows is
// the one that was signed and that k of the CSO's officers approved it and none vetoed (the server's
// word is not taken); after opening, that every released record is inside the approved scope.
// A release that fails any check is refused whole.
import { requestHash, verifyApprovals, verifyRequestSignature, type ActivationRequest, type Decision } from '#crypto/activation';
import type { ReleaseField } from '#crypto/protocol';
import { releasedProperties } from '#model/fields';
import {
  decisionKeys,
  RosterError,
  rosterFingerprint,
  verifyRosterChainFrom,
  type RosterChange,
  type RosterPin,
  type RosterStatement,
  type SignedRoster,
} from '#crypto/roster';
import { inArea, prepareArea } from './select.ts';
import { vetoesInAudit } from './audit-heads.ts';
import type { Activation } from '../api-types.ts';

/**
 * What the checks read of an activation answer (GET /api/activations/{hash}): the request and its
 * signature, the targets and decisions, each addressed CSO's signed roster chain (the only source of
 * officer keys and k: the server's `officers` list is shown, never used) and the audit chain, whose
 * approval and veto entries carry the decisions' own signatures. The server's word, typed as the
 * API declares it; nothing is trusted until checked.
 */
export type ActivationDetail = Pick<
  Activation,
  'hash' | 'request' | 'signature' | 'targets' | 'decisions' | 'officers' | 'rosters' | 'audit'
>;

/** A CSO's roster after its chain verified against this device's pin. */
export interface TrustedRoster {
  orgId: string;
  head: RosterStatement;
  headHash: string;
  /** Short form of headHash for comparing out of band. */
  fingerprint: string;
  /** Everyone who was an officer in any verified version (for old audit entries). */
  everOfficers: { memberId: string; signPublicKey: string }[];
  /** Every verified version by number (the pinned one and those after it; all of them when the chain came from version 1). */
  versions: Map<number, RosterStatement>;
  /** What changed since the pin this device held; null on first use or when nothing changed. */
  change: RosterChange | null;
  firstUse: boolean;
  /** The pin to keep from now on. */
  pin: RosterPin;
}

export type RosterCheck = { ok: true; roster: TrustedRoster } | { ok: false; message: string };

/**
 * Verifies a CSO's roster chain from this device's pin (or from version 1 on first use). A broken
 * or forked chain is refused; the caller keeps the returned pin only when this succeeded.
 */
export async function checkRoster(orgId: string, chain: readonly SignedRoster[] | undefined, pin: RosterPin | null): Promise<RosterCheck> {
  if (!chain || chain.length === 0)
    return { ok: false, message: 'the server sent no signed officer roster for this organisation, so its officers cannot be known' };
  try {
    const verified = await verifyRosterChainFrom(pin, chain, orgId);
    const everOfficers = new Map<string, string>();
    for (const version of verified.versions)
      for (const officer of version.statement.officers) everOfficers.set(`${officer.memberId} ${officer.signPublicKey}`, officer.memberId);
    const hasChange =
      verified.change &&
      (verified.change.added.length ||
        verified.change.removed.length ||
        verified.change.rekeyed.length ||
        verified.change.approvalsRequired ||
        verified.change.orgPublicKey);
    return {
      ok: true,
      roster: {
        orgId,
        head: verified.head,
        headHash: verified.headHash,
        fingerprint: rosterFingerprint(verified.headHash),
        everOfficers: [...everOfficers].map(([key, memberId]) => ({ memberId, signPublicKey: key.slice(memberId.length + 1) })),
        versions: new Map(verified.versions.map((version) => [version.statement.version, version.statement])),
        change: hasChange ? verified.change : null,
        firstUse: pin === null,
        pin: verified.pin,
      },
    };
  } catch (error) {
    if (error instanceof RosterError)
      return {
        ok: false,
        message: `the officer roster is broken or forked at version ${error.version} (${error.message}); do not trust anything signed in this organisation's name until its officers confirm their roster out of band`,
      };
    return { ok: false, message: `the officer roster cannot be read (${(error as Error).message})` };
  }
}

export type ApprovalCheck =
  | { ok: true; approvers: string[]; needed: number; officerKeys: string[] }
  | { ok: false; reason: 'bad_request' | 'not_addressed' | 'roster_broken' | 'vetoed' | 'not_enough_approvals'; message: string };

/** At least this many approvals, whatever the server says the CSO's setting is. */
export const MIN_APPROVALS = 1;

/**
 * Checks the request hash and signature, then the decisions of `orgId`'s officers with the keys of
 * its verified roster: k distinct approvals (k from the roster, raised to the target's value if the
 * server asks more, never below MIN_APPROVALS) and no veto. The server's `officers` list is not used.
 */
export async function checkApprovals(
  detail: ActivationDetail,
  orgId: string,
  roster: TrustedRoster,
  expectedRequester?: { signPublicKey: string },
  /** The roster version this device saw for the request the first time it looked (its own earlier view; null: none named); absent: never looked. */
  earlier?: { rosterVersion: number | null },
): Promise<ApprovalCheck> {
  let hash: string;
  try {
    hash = await requestHash(detail.request);
  } catch (error) {
    return { ok: false, reason: 'bad_request', message: `the request cannot be read (${(error as Error).message})` };
  }
  if (hash !== detail.hash)
    return { ok: false, reason: 'bad_request', message: 'the request the server shows does not match its hash: it was altered' };
  if (!(await verifyRequestSignature(detail.request, detail.signature)))
    return { ok: false, reason: 'bad_request', message: 'the request signature does not verify' };
  if (expectedRequester && detail.request.requester.signPublicKey !== expectedRequester.signPublicKey) {
    return { ok: false, reason: 'bad_request', message: 'the request was not signed by the expected requester key' };
  }
  const target = detail.targets.find((candidate) => candidate.orgId === orgId);
  if (!target || !detail.request.orgIds.includes(orgId))
    return { ok: false, reason: 'not_addressed', message: 'this organisation was not asked in the signed request' };
  if (roster.orgId !== orgId || roster.head.orgId !== orgId)
    return { ok: false, reason: 'bad_request', message: 'the officer roster given is of another organisation' };
  // Judged against the roster the request was filed under (decision 0603): approvals from its
  // officers who are still officers, vetoes from its officers and the current ones.
  // The version is the server's word: once this device has seen one, another is refused (the server
  // could name a later version, one without an officer who vetoed, to drop the veto).
  const named = typeof target.rosterVersion === 'number' ? target.rosterVersion : null;
  if (earlier && named !== earlier.rosterVersion) {
    return {
      ok: false,
      reason: 'roster_broken',
      message: `the server now says the request was filed under roster version ${named ?? 'none'}; this device saw ${earlier.rosterVersion === null ? 'no version' : `version ${earlier.rosterVersion}`}`,
    };
  }
  const atRequest = named !== null ? roster.versions.get(named) : roster.head;
  if (!atRequest)
    return {
      ok: false,
      reason: 'roster_broken',
      message: `the request was filed under roster version ${named}, which is not in the verified chain`,
    };
  const needed = Math.max(
    MIN_APPROVALS,
    roster.head.approvalsRequired,
    atRequest.approvalsRequired,
    Number.isInteger(target.approvalsRequired) ? target.approvalsRequired : MIN_APPROVALS,
  );
  const officers = roster.head.officers;
  const keys = decisionKeys(atRequest, roster.head);
  // No version named (requests filed before it was recorded, or a server that leaves it out): a veto
  // counts from anyone who was an officer in any verified version, so leaving the version out cannot
  // drop the veto of an officer removed since (it can only make a request harder to release).
  if (named === null)
    for (const officer of roster.everOfficers) if (!keys.veto.has(officer.memberId)) keys.veto.set(officer.memberId, officer.signPublicKey);
  // The server's list of decisions, and every veto the audit chain carries (issue 14, finding 4): a
  // veto the server left out of its list still counts. Each is checked with the officer's key.
  const seen = new Set<string>();
  const decisions: Decision[] = [...detail.decisions, ...vetoesInAudit(detail.audit?.entries ?? [])]
    .filter((decision) => decision.orgId === orgId && !seen.has(decision.signature) && seen.add(decision.signature))
    .map((decision) => ({ decision: decision.decision, requestHash: hash, memberId: decision.memberId, signature: decision.signature }));
  const verdict = await verifyApprovals(hash, decisions, keys.approve, needed, keys.veto);
  if (verdict.ok) return { ok: true, approvers: verdict.approvers, needed, officerKeys: officers.map((officer) => officer.signPublicKey) };
  if (verdict.reason === 'vetoed')
    return {
      ok: false,
      reason: 'vetoed',
      message: `an officer vetoed this request (${verdict.vetoedBy.length} veto); nothing may be opened`,
    };
  return {
    ok: false,
    reason: 'not_enough_approvals',
    message: `only ${verdict.approvers.length} valid approval${verdict.approvers.length === 1 ? '' : 's'} of the ${needed} needed${verdict.ignored.length ? ` (${verdict.ignored.length} decision(s) ignored: ${[...new Set(verdict.ignored.map((item) => item.why))].join(', ')})` : ''}`,
  };
}

export type ScopeCheck = { ok: true; unchecked: string[] } | { ok: false; problems: string[] };

type Position = { lon: number; lat: number };
const isPosition = (value: unknown): value is Position =>
  typeof value === 'object' && value !== null && typeof (value as Position).lon === 'number' && typeof (value as Position).lat === 'number';

/**
 * Every released record within the approved request: only approved properties, communities and
 * people only, no community contact person, positions inside the area (a person without one is
 * placed by their released community), nationalities among those asked.
 */
export function checkReleasedScope(
  records: readonly Record<string, unknown>[],
  request: Pick<ActivationRequest, 'area' | 'nationalities' | 'fields'>,
): ScopeCheck {
  const problems: string[] = [];
  const fields = request.fields as ReleaseField[];
  const allowed = new Set(releasedProperties(fields));
  const area = prepareArea(request.area);
  const nationalities = new Set(request.nationalities);
  const hasLocation = fields.includes('location');
  const hasNationality = fields.includes('nationality');
  const communities = new Map<string, Record<string, unknown>>();
  for (const record of records) if (record.kind === 'community' && typeof record.id === 'string') communities.set(record.id, record);
  const label = (record: Record<string, unknown>, index: number) =>
    `record ${index + 1} (${String(record.kind ?? '?')} ${String(record.id ?? '?').slice(0, 8)})`;
  records.forEach((record, index) => {
    const where = label(record, index);
    for (const key of Object.keys(record)) if (!allowed.has(key)) problems.push(`${where} carries "${key}", which was not approved`);
    if (record.kind !== 'community' && record.kind !== 'person') problems.push(`${where} is neither a community nor a person`);
    if (record.kind === 'community' && record.contact !== undefined)
      problems.push(`${where} names a community contact person, which is never released`);
    const position = record.location;
    if (position !== undefined && (!isPosition(position) || !inArea(area, position)))
      problems.push(`${where} lies outside the approved area`);
    if (Array.isArray(record.history)) {
      for (const entry of record.history as { location?: unknown }[]) {
        if (entry?.location !== undefined && (!isPosition(entry.location) || !inArea(area, entry.location))) {
          problems.push(`${where} has a past position outside the approved area`);
          break;
        }
      }
    }
    if (record.kind === 'community') {
      if (hasLocation && position === undefined) problems.push(`${where} has no position, so it cannot be shown to be inside the area`);
      const listed = record.nationalities;
      if (listed !== undefined) {
        const codes = Array.isArray(listed) ? listed.map((item) => (item as { code?: unknown })?.code) : [undefined];
        if (codes.some((code) => typeof code !== 'string' || !nationalities.has(code)))
          problems.push(`${where} lists a nationality that was not asked for`);
      }
    }
    if (record.kind === 'person') {
      const nationality = record.nationality;
      if (hasNationality && (typeof nationality !== 'string' || !nationalities.has(nationality)))
        problems.push(`${where} is of a nationality that was not asked for`);
      if (!hasNationality && nationality !== undefined) problems.push(`${where} carries a nationality that was not approved`);
      if (hasLocation && position === undefined) {
        const community = typeof record.communityId === 'string' ? communities.get(record.communityId) : undefined;
        if (!community || !isPosition(community.location))
          problems.push(`${where} has no position and no released community, so it cannot be shown to be inside the area`);
      }
    }
  });
  if (problems.length) return { ok: false, problems };
  const unchecked: string[] = [];
  if (!hasLocation) unchecked.push('area (location was not asked for)');
  if (!hasNationality) unchecked.push('nationality (it was not asked for)');
  return { ok: true, unchecked };
}
