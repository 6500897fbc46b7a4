// The organisation statements this device trusts (decision 0602): the pin it keeps for each
// organisation's signed chain (trust on first use), advanced only after a chain verified from it, and,
// on an officer's device, the signing keys of its own organisation's verified versions. Storage only:
// nothing here signs in or talks to the server, so the session can verify what it is served.
import { statementAuthors, type RosterPin, type RosterStatement, type SignedRoster } from '#crypto/roster';
import { checkRoster, type RosterCheck } from './activation/verify.ts';
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

export async function savePin(pin: RosterPin) {
  await database.meta.put({ key: pinKey(pin.orgId), value: JSON.stringify(pin) });
}

/**
 * Verifies `chain` against this device's pin; on success the pin moves to the verified head. With
 * `authors`, the signing keys it lists are remembered too (an officer's own organisation: its
 * device opens records by those authors); nobody else keeps that list of members.
 */
export async function trustRoster(
  orgId: string,
  chain: readonly SignedRoster[] | undefined,
  options: { authors?: boolean } = {},
): Promise<RosterCheck> {
  const check = await checkRoster(orgId, chain, await loadPin(orgId));
  if (check.ok) {
    await savePin(check.roster.pin);
    if (options.authors) await rememberAuthors(orgId, check.roster.versions.values());
  }
  return check;
}

const authorsKey = (orgId: string) => `statementAuthors:${orgId}`;

/**
 * The signing keys whose records this device accepts for an organisation (decision 0605): every
 * officer and field device of every statement version it verified, kept across sessions so records
 * open offline. A key is never taken from anything but a verified statement.
 */
export async function loadAuthors(orgId: string): Promise<Map<string, string>> {
  const row = await database.meta.get(authorsKey(orgId));
  if (typeof row?.value !== 'string') return new Map();
  try {
    return new Map(Object.entries(JSON.parse(row.value) as Record<string, string>));
  } catch {
    return new Map();
  }
}

/**
 * A field device opens no one's records but its own: it keeps no list of the organisation's members
 * and their keys (issue 15: a seized phone would give it up). Devices that kept one before forget it.
 */
export async function forgetAuthors(orgId: string) {
  await database.meta.delete(authorsKey(orgId));
}

async function rememberAuthors(orgId: string, versions: Iterable<RosterStatement>) {
  const known = await loadAuthors(orgId);
  const before = known.size;
  for (const statement of versions) for (const [key, author] of statementAuthors(statement)) known.set(key, author.memberId);
  if (known.size !== before) await database.meta.put({ key: authorsKey(orgId), value: JSON.stringify(Object.fromEntries(known)) });
}
