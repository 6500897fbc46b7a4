// The secret part of the invitations this officer's device made (crypto/src/invitation-binding.ts):
// kept here, never sent to the server, so that when the invited device has joined, this device can
// tell that the keys the server shows for it are the keys that device MACed with the secret. Kept a
// week (invitations last 72 hours), then forgotten.
import { checkInvitationBinding, type BoundMember } from '#crypto';
import { database } from './store/db.ts';

const KEY = 'invitationSecrets';
const KEEP_MS = 7 * 86_400_000;

interface KeptSecret {
  secret: string;
  role: 'officer' | 'field';
  madeAt: number;
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
 * Whether the keys the server shows for a member are those its device bound to an invitation this
 * device made (the member's `keyBinding` checks under one of the kept secrets for its role).
 */
export async function boundByOwnInvitation(orgId: string, member: { id: string; role: 'officer' | 'field'; signPublicKey: string; boxPublicKey: string; keyBinding?: string | null }): Promise<boolean> {
  if (!member.keyBinding) return false;
  const bound: BoundMember = { orgId, memberId: member.id, role: member.role, signPublicKey: member.signPublicKey, boxPublicKey: member.boxPublicKey };
  return (await keptSecrets()).some((kept) => kept.role === member.role && checkInvitationBinding(kept.secret, bound, member.keyBinding));
}
