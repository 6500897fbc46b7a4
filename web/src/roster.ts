// The officer roster on this device (decision 0602): fetch an organisation's signed chain, verify
// it from the pin this device keeps (trust on first use), advance the pin only after it verified,
// and, on officer screens, sign the next version when the officers or k change.
import { toBase64 } from '#crypto';
import { nextRoster, type RosterOfficer, type RosterPin, type RosterStatement, type SignedRoster } from '#crypto/roster';
import { signRoster } from '#crypto/roster-sign';
import { expectOk } from './api.ts';
import { checkRoster, type RosterCheck } from './activation/verify.ts';
import { connect, type Session } from './session.ts';
import { database } from './store/db.ts';

const pinKey = (orgId: string) => `rosterPin:${orgId}`;

/** The pin this device holds for an organisation's roster (not secret; lost on wipe). */
export async function loadPin(orgId: string): Promise<RosterPin | null> {
  const row = await database.meta.get(pinKey(orgId));
  if (typeof row?.value !== 'string') return null;
  try {
    const pin = JSON.parse(row.value) as RosterPin;
    return pin.orgId === orgId && Number.isInteger(pin.version) && typeof pin.hash === 'string' ? pin : null;
  } catch {
    return null;
  }
}

async function savePin(pin: RosterPin) {
  await database.meta.put({ key: pinKey(pin.orgId), value: JSON.stringify(pin) });
}

/** Verifies `chain` against this device's pin; on success the pin moves to the verified head. */
export async function trustRoster(orgId: string, chain: readonly SignedRoster[] | undefined): Promise<RosterCheck> {
  const check = await checkRoster(orgId, chain, await loadPin(orgId));
  if (check.ok) await savePin(check.roster.pin);
  return check;
}

export async function fetchRosterChain(session: Session, orgId: string): Promise<SignedRoster[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.orgs[':orgId'].roster.$get({ param: { orgId } }))).chain as SignedRoster[];
}

/** This officer's own organisation's roster, verified against the pin before anything is signed on top of it. */
export async function ownRosterHead(session: Session): Promise<RosterStatement> {
  const orgId = session.identity.orgId;
  const check = await trustRoster(orgId, await fetchRosterChain(session, orgId));
  if (!check.ok) throw new Error(`Not signing: ${check.message}`);
  return check.roster.head;
}

/** The next roster version, built from the verified head and signed by this officer. */
export async function signNextRoster(session: Session, change: (head: RosterStatement) => { officers?: RosterOfficer[]; approvalsRequired?: number }): Promise<SignedRoster> {
  const head = await ownRosterHead(session);
  return signRoster(await nextRoster(head, change(head)), session.identity.memberId, session.keys);
}

export const rosterEntryOf = (member: { id: string; signPublicKey: string; boxPublicKey: string }): RosterOfficer => ({
  memberId: member.id,
  signPublicKey: member.signPublicKey,
  boxPublicKey: member.boxPublicKey,
});

export const ownRosterEntry = (session: Session): RosterOfficer => ({
  memberId: session.identity.memberId,
  signPublicKey: toBase64(session.keys.signPublicKey),
  boxPublicKey: toBase64(session.keys.boxPublicKey),
});
