// The audit chain of a request, checked on this device (crypto verifyChain) and told in words.
// Who may sign what: the requester files; officers of an addressed CSO approve, veto, release and
// revoke; an officer of the requesting organisation downloads; the server's own key signs expiry only.
import { verifyChain, type AuditActor, type AuditEntry, type ChainResult } from '#crypto/audit';

export interface Parties {
  requesterSignPublicKey: string;
  requesterOrgName: string;
  /** Officers of the addressed CSOs: signing key → label and org name. */
  officers: Map<string, { label: string; orgName: string }>;
  /** The server's audit key (GET /api/server-identity), accepted for expiry entries only. */
  serverKey: string | null;
}

const OFFICER_TYPES = new Set(['activation.approved', 'activation.vetoed', 'release.uploaded', 'release.revoked']);
const SERVER_TYPES = new Set(['release.expired', 'activation.expired']);

/** Whether `actor` may have signed an entry of this type (the chain check calls it for each entry). */
export function mayHaveSigned(parties: Parties, actor: AuditActor, type: string): boolean {
  if (parties.serverKey && actor.signPublicKey === parties.serverKey) return SERVER_TYPES.has(type);
  if (SERVER_TYPES.has(type)) return false;
  if (OFFICER_TYPES.has(type)) return parties.officers.has(actor.signPublicKey);
  if (type === 'activation.requested') return actor.signPublicKey === parties.requesterSignPublicKey;
  // Downloads: any officer of the requesting organisation (their keys are not all published to the CSO).
  return !parties.officers.has(actor.signPublicKey);
}

export function checkAuditChain(entries: readonly AuditEntry[], parties: Parties): Promise<ChainResult> {
  return verifyChain(entries, { isKnownActor: (actor, entry) => mayHaveSigned(parties, actor, entry.type) });
}

export function actorName(parties: Parties, actor: AuditActor): string {
  if (parties.serverKey && actor.signPublicKey === parties.serverKey) return 'The server';
  const officer = parties.officers.get(actor.signPublicKey);
  if (officer) return `${officer.label} (${officer.orgName})`;
  if (actor.signPublicKey === parties.requesterSignPublicKey) return `The requesting officer (${parties.requesterOrgName})`;
  return `An officer of ${parties.requesterOrgName}`;
}

const verbs: Record<string, string> = {
  'activation.requested': 'filed the request',
  'activation.approved': 'approved',
  'activation.vetoed': 'vetoed',
  'release.uploaded': 'sent the release',
  'release.downloaded': 'downloaded the release',
  'release.revoked': 'revoked the release',
  'release.expired': 'deleted the expired release',
  'activation.expired': 'closed the expired request',
};

/** "Officer B (Derna CSO) approved at 23 Nov 2026, 10:04." */
export function describeEntry(entry: AuditEntry, parties: Parties, formatTime: (iso: string) => string = (iso) => iso): string {
  return `${actorName(parties, entry.actor)} ${verbs[entry.type] ?? `recorded “${entry.type}”`} at ${formatTime(entry.at)}.`;
}

/** The warning to show when the chain does not verify, naming the first broken entry. */
export function brokenChainWarning(result: ChainResult): string | null {
  if (result.ok) return null;
  const why: Record<string, string> = {
    bad_format: 'is malformed',
    bad_seq: 'is out of sequence (an entry was removed or inserted)',
    bad_prev_hash: 'does not follow the entry before it (the log was cut or reordered)',
    bad_hash: 'was altered after it was signed',
    bad_signature: 'carries a signature that does not verify',
    unknown_actor: 'was signed by a key that may not sign it',
    time_reversed: 'is dated before the entry before it',
  };
  return `The audit log does not verify: entry ${result.brokenAt + 1} ${why[result.reason] ?? result.reason}. Everything from that entry on cannot be trusted.`;
}
