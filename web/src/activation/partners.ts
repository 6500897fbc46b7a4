// Verified partners on a CSO's device (issue 15, decision 0609). The server's directory entry for
// a consulate or city (name, kind, nationalities, key) is its word alone. A CSO works with a
// requester once one of its officers compared the requester's statement fingerprint out of band and
// signed a partner statement (crypto/src/partner.ts). Every device then takes the partner's kind and
// nationalities from that signed statement, and the partner's org key and officers from its
// statement chain verified from the head the officer compared. Nothing here trusts the server's row.
import { expectOk } from '../api.ts';
import { formatPartnerCode, verifyPartner, type PartnerCode, type PartnerKind } from '#crypto/partner';
import { rosterFingerprint, verifyRosterChainFrom, type SignedRoster } from '#crypto/roster';
import { partnerStatement } from '../protocol/partner.ts';
import { ownRosterHead } from '../roster.ts';
import { loadPin, savePin } from '../roster-trust.ts';
import { connect, type Session } from '../session.ts';
import { database } from '../store/db.ts';
import type { ActivationRequest } from '#crypto/activation';
import type { RelatedOrg } from '../api-types.ts';

/** A related organisation as the server lists it, with the partner statement a CSO officer signed (null: listed before statements, unverified). */
export type { RelatedOrg };

export type PartnerView =
  | {
      verified: true;
      orgId: string;
      /** The server's name for it: shown, never used to decide anything. */
      name: string;
      kind: PartnerKind;
      nationalities: string[];
      /** The partner's org public key (base64url), from its verified statement head: what releases are sealed to. */
      orgPublicKey: string;
      /** The partner's officers (member id → base64url Ed25519 key) in its verified statement head. */
      officers: Map<string, string>;
      /** The partner's current statement head, and its fingerprint. */
      head: { version: number; hash: string };
      fingerprint: string;
      signedBy: string;
    }
  | { verified: false; orgId: string; name: string; reason: string };

/** The fingerprint shown for a statement hash: all 32 bytes, in 16 groups of four hex digits, to read aloud. */
export const longFingerprint = (hash: string) => (hash.match(/.{4}/g) ?? []).join(' ').toUpperCase();

async function requesterChain(session: Session, orgId: string, head?: string): Promise<{ name: string; chain: SignedRoster[] }> {
  const api = await connect(session);
  const answer = await expectOk(await api.api.orgs[':orgId'].roster.$get({ param: { orgId }, query: head ? { head } : {} }));
  return { name: answer.name, chain: answer.chain };
}

/**
 * A requester's statement chain verified from a head (the one in its partner code, or the one a
 * partner statement names): its current head, org key and officers. Throws with the reason.
 */
export async function verifiedRequester(session: Session, code: PartnerCode) {
  const { name, chain } = await requesterChain(session, code.orgId, code.hash);
  // From this device's own pin of the requester when it is at or past the compared head: a server
  // cannot roll the requester back to an older head (an officer it removed, a key it rotated away).
  const stored = await loadPin(code.orgId);
  const start = stored && stored.version >= code.version ? stored : { orgId: code.orgId, version: code.version, hash: code.hash };
  const verified = await verifyRosterChainFrom(start, chain, code.orgId);
  const compared = verified.versions.find((entry) => entry.statement.version === code.version);
  if (compared && compared.hash !== code.hash)
    throw new Error(`its statement at version ${code.version} is not the one compared: forked or rewritten`);
  await savePin(verified.pin);
  const orgPublicKey = verified.head.orgPublicKey;
  if (!orgPublicKey) throw new Error('its statement names no organisation key (an old v1 statement): it must move to v2 first');
  return {
    /** The server's name for it: shown, never relied on. */
    name,
    head: { version: verified.head.version, hash: verified.headHash },
    orgPublicKey,
    officers: new Map(verified.head.officers.map((officer) => [officer.memberId, officer.signPublicKey])),
  };
}

/**
 * What this device saw of each partner (its own earlier view, kept in `meta`): the newest partner
 * statement it accepted (by its signed `verifiedAt`), and when it first saw the partner gone from
 * the list (removed). Removal is not signed and a server keeps old statements, so without this a
 * server could serve an older statement again (one with more nationalities, or of a partner the CSO
 * stopped working with): a statement older than the newest one seen, or not newer than a removal
 * seen, is refused. A device that never saw the newer statement or the removal cannot tell.
 */
interface PartnerPin {
  verifiedAt: string;
  removedSeenAt?: string;
}
const PARTNER_PINS = 'partnerPins';

async function loadPartnerPins(): Promise<Record<string, PartnerPin>> {
  const row = await database.meta.get(PARTNER_PINS);
  if (typeof row?.value !== 'string') return {};
  try {
    const pins = JSON.parse(row.value) as Record<string, PartnerPin>;
    return pins && typeof pins === 'object' ? pins : {};
  } catch {
    return {};
  }
}

const savePartnerPins = (pins: Record<string, PartnerPin>) => database.meta.put({ key: PARTNER_PINS, value: JSON.stringify(pins) });

/** This device removed a partner (or saw it removed): a statement signed before now no longer makes it one again. */
export async function notePartnerRemoved(orgId: string, at = new Date().toISOString()) {
  const pins = await loadPartnerPins();
  const pin = pins[orgId];
  if (!pin || pin.removedSeenAt) return;
  pins[orgId] = { ...pin, removedSeenAt: at };
  await savePartnerPins(pins);
}

/** Why a verified partner statement is older than what this device saw, or null. */
function staleness(pin: PartnerPin | undefined, verifiedAt: string): string | null {
  if (!pin) return null;
  const signed = Date.parse(verifiedAt);
  if (pin.removedSeenAt && signed <= Date.parse(pin.removedSeenAt))
    return `this CSO stopped working with it (${pin.removedSeenAt.slice(0, 10)}); the statement shown was signed before that (${verifiedAt.slice(0, 10)}): compare its fingerprint and add it again`;
  if (signed < Date.parse(pin.verifiedAt))
    return `the server shows an older partner statement (${verifiedAt.slice(0, 10)}) than this device saw (${pin.verifiedAt.slice(0, 10)}): rolled back`;
  return null;
}

/** Checks every related organisation: the officer's signature against this CSO's verified statement, and the partner's chain. */
export async function partnerViews(session: Session, related: readonly RelatedOrg[]): Promise<Map<string, PartnerView>> {
  const csoOrgId = session.identity.orgId;
  const own = await ownRosterHead(session);
  const officers = new Map(own.officers.map((officer) => [officer.memberId, officer.signPublicKey]));
  const pins = await loadPartnerPins();
  const seen: Record<string, string> = {};
  const views = await Promise.all(
    related.map(async (org): Promise<PartnerView> => {
      if (!org.partner)
        return {
          verified: false,
          orgId: org.id,
          name: org.name,
          reason: 'listed before partners were verified: compare its fingerprint and add it again',
        };
      try {
        const statement = await verifyPartner(org.partner, officers, { csoOrgId, requesterOrgId: org.id });
        const stale = staleness(pins[org.id], statement.verifiedAt);
        if (stale) return { verified: false, orgId: org.id, name: org.name, reason: stale };
        seen[org.id] = statement.verifiedAt;
        const requester = await verifiedRequester(session, { orgId: org.id, ...statement.requesterHead });
        return {
          verified: true,
          ...requester,
          orgId: org.id,
          name: org.name,
          kind: statement.kind,
          nationalities: statement.nationalities,
          fingerprint: longFingerprint(requester.head.hash),
          signedBy: org.partner.signerId,
        };
      } catch (error) {
        return { verified: false, orgId: org.id, name: org.name, reason: (error as Error).message };
      }
    }),
  );
  // The pins move forward only: newer statements are kept, and a partner gone from the list is noted as removed.
  const now = new Date().toISOString();
  let changed = false;
  for (const [orgId, verifiedAt] of Object.entries(seen)) {
    const pin = pins[orgId];
    if (!pin || Date.parse(verifiedAt) > Date.parse(pin.verifiedAt) || pin.removedSeenAt) {
      pins[orgId] = { verifiedAt: pin && Date.parse(pin.verifiedAt) > Date.parse(verifiedAt) ? pin.verifiedAt : verifiedAt };
      changed = true;
    }
  }
  const listed = new Set(related.map((org) => org.id));
  for (const [orgId, pin] of Object.entries(pins)) {
    if (!listed.has(orgId) && !pin.removedSeenAt) {
      pins[orgId] = { ...pin, removedSeenAt: now };
      changed = true;
    }
  }
  if (changed) await savePartnerPins(pins);
  return new Map(views.map((view) => [view.orgId, view]));
}

/**
 * Looks a requester up by the code it gave out of band: its statement chain verified from that
 * head, and the server's entry for it (name, kind, nationalities: shown for the officer to confirm).
 */
export async function lookUpPartner(session: Session, code: PartnerCode) {
  const requester = await verifiedRequester(session, code);
  return { ...requester, fingerprint: longFingerprint(code.hash) };
}

/** The officer signs what they verified, and lists the requester as a partner. */
export async function addPartner(session: Session, code: PartnerCode, accepted: { kind: PartnerKind; nationalities: string[] }) {
  await verifiedRequester(session, code);
  const partner = partnerStatement(
    { orgId: session.identity.orgId, memberId: session.identity.memberId, keys: session.keys },
    {
      orgId: code.orgId,
      kind: accepted.kind,
      nationalities: accepted.kind === 'city' ? [] : accepted.nationalities,
      head: { version: code.version, hash: code.hash },
    },
  );
  const api = await connect(session);
  return expectOk(
    await api.api.orgs[':orgId'].relationships[':requesterOrgId'].$put({
      param: { orgId: session.identity.orgId, requesterOrgId: code.orgId },
      json: { partner },
    }),
  );
}

/** A requester's own partner code: its id and the statement head this device verified (the pin). */
export async function ownPartnerCode(session: Session): Promise<{ code: string; fingerprint: string } | null> {
  const pin = await loadPin(session.identity.orgId);
  if (!pin) return null;
  return { code: formatPartnerCode({ orgId: pin.orgId, version: pin.version, hash: pin.hash }), fingerprint: longFingerprint(pin.hash) };
}

/**
 * Why this CSO must not act on a request from this partner (approve, release), or null: the
 * requester is a verified partner, the request was signed by one of the partner's officers, and
 * asks for the release to be sealed to the partner's org key.
 */
export function requestProblem(
  request: Pick<ActivationRequest, 'requester' | 'nationalities'>,
  view: PartnerView | undefined,
): string | null {
  if (!view) return 'this organisation is not one this CSO works with';
  if (!view.verified) return `not a verified partner: ${view.reason}`;
  if (request.requester.boxPublicKey !== view.orgPublicKey) return "the request asks for another key than the partner's organisation key";
  if (view.officers.get(request.requester.id) !== request.requester.signPublicKey)
    return "the request was not signed by an officer of the partner's statement";
  // A consulate serves the nationalities this CSO signed for it, not the ones it registered (decision 0609).
  const outside = view.kind === 'consulate' ? request.nationalities.filter((code) => !view.nationalities.includes(code)) : [];
  if (outside.length)
    return `it asks for ${outside.join(', ')}, which this CSO did not accept it serves (${view.nationalities.join(', ')})`;
  return null;
}

export { rosterFingerprint };
