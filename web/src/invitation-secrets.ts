// The secret part of the invitations this officer's device made (crypto/src/invitation-binding.ts):
// kept here, never sent to the server, so that when the invited device has joined, this device can
// tell that the keys the server shows for it are the keys that device MACed with the secret. Kept a
// week (invitations last 72 hours), then forgotten.
import { checkInvitationBinding, memberFingerprint, type BoundMember } from '#crypto';
import { database } from './store/db.ts';

const KEY = 'invitationSecrets';
const KEEP_MS = 7 * 86_400_000;

interface KeptSecret {
  secret: string;
  role: 'officer' | 'field';
  madeAt: number;
  /** The member whose keys it bound first: it binds nobody else after (one invitation, one member). */
  usedBy?: string;
}

async function keptSecrets(): Promise<KeptSecret[]> {
  const row = await database.meta.get(KEY);
  if (typeof row?.value !== 'string') return [];
  try {
    const list = JSON.parse(row.value) as KeptSecret[];
    return Array.isArray(list) ? list.filter((kept) => typeof kept.secret === 'string' && Date.now() - kept.madeAt < KEEP_MS) : [];
  } catch {
    return [];
  }
}

/** Keeps the secret of an invitation this device just made. */
export async function keepInvitationSecret(secret: string, role: 'officer' | 'field') {
  const list = (await keptSecrets()).slice(-49);
  list.push({ secret, role, madeAt: Date.now() });
  await database.meta.put({ key: KEY, value: JSON.stringify(list) });
}

/**
 * For each member, whether the keys the server shows are those its device bound to an invitation
 * this device made (its `keyBinding` checks under one of the kept secrets for its role). In order: a
 * secret binds the first member it matches and nobody after it (one invitation, one member). The
 * kept secrets are read once and written back once.
 */
export async function boundByOwnInvitations(orgId: string, members: readonly BindableMember[]): Promise<boolean[]> {
  const list = await keptSecrets();
  let used = false;
  const bound = members.map((member) => {
    if (!member.keyBinding) return false;
    const keys: BoundMember = {
      orgId,
      memberId: member.id,
      role: member.role,
      signPublicKey: member.signPublicKey,
      boxPublicKey: member.boxPublicKey,
    };
    const match = list.find(
      (kept) =>
        kept.role === member.role &&
        (kept.usedBy === undefined || kept.usedBy === member.id) &&
        checkInvitationBinding(kept.secret, keys, member.keyBinding),
    );
    if (!match) return false;
    if (match.usedBy === undefined) {
      match.usedBy = member.id;
      used = true;
    }
    return true;
  });
  if (used) await database.meta.put({ key: KEY, value: JSON.stringify(list) });
  return bound;
}

/** boundByOwnInvitations for one member. */
export async function boundByOwnInvitation(orgId: string, member: BindableMember): Promise<boolean> {
  return (await boundByOwnInvitations(orgId, [member]))[0]!;
}

type BindableMember = { id: string; role: 'officer' | 'field'; signPublicKey: string; boxPublicKey: string; keyBinding?: string | null };

/** A member as the server lists it: its keys, and the MAC of them its device made with its invitation's secret. */
export interface NewMember {
  id: string;
  signPublicKey: string;
  boxPublicKey: string;
  keyBinding?: string | null;
}

/** `comparedFingerprint`: the member fingerprint the officer compared with the member's own screen (it must still be the fingerprint of the keys used). */
export interface KeyCheck {
  comparedFingerprint?: string;
}

/**
 * The keys of a newcomer (from the server's list, or from a waiting change another officer signed)
 * are only sealed to or signed into the statement once they are bound to an invitation this device
 * made, or the officer compared the member fingerprint with the newcomer's screen: otherwise the
 * server, or one officer, could put keys of their own there (issue 14: a key from the server is a
 * claim; decision 0611).
 */
export async function requireKnownKeys(orgId: string, member: NewMember & { role: 'officer' | 'field' }, checked: KeyCheck = {}) {
  // A comparison holds for the keys compared: keys swapped since show another fingerprint.
  if (checked.comparedFingerprint && checked.comparedFingerprint === memberFingerprint(member.signPublicKey, member.boxPublicKey)) return;
  if (await boundByOwnInvitation(orgId, member)) return;
  throw new Error(
    'Not using these keys: they are not bound to an invitation this device made. Compare the fingerprint with the one on their screen first.',
  );
}
