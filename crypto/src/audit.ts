// Audit log: a hash chain of entries, each signed by its actor. This module only verifies, with
// WebCrypto (SHA-256, Ed25519), so the Worker and every client run the same check. Appending (which
// signs with libsodium) lives in audit-append.ts.
import { canonicalize } from './canonical.ts';
import { fromBase64, parseUtcTime, toBase64 } from './encoding.ts';
import { sha256, verifyEd25519 } from './webcrypto.ts';

export const AUDIT_ENTRY_PURPOSE = 'buffer/audit-entry/v1';
/** prevHash of the first entry: 32 zero bytes. */
export const GENESIS_HASH = toBase64(new Uint8Array(32));

export interface AuditActor {
  memberId: string;
  /** base64url Ed25519 public key. */
  signPublicKey: string;
}

/** What the caller chooses; seq and prevHash come from the chain. */
export interface AuditEntryInput {
  /** ISO 8601 UTC time, e.g. new Date().toISOString(). */
  at: string;
  type: string;
  payload: unknown;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  actor: AuditActor;
  /** base64url SHA-256 of entryBytes(entry). */
  hash: string;
  /** base64url Ed25519 signature by actor over the 32 hash bytes. */
  signature: string;
}

export type AuditBreak = 'bad_format' | 'bad_seq' | 'bad_prev_hash' | 'bad_hash' | 'bad_signature' | 'unknown_actor' | 'time_reversed';

export type ChainResult =
  | { ok: true; headHash: string; length: number }
  | { ok: false; brokenAt: number; reason: AuditBreak; message: string };

/** The canonical bytes that are hashed: everything but hash and signature, under a purpose tag. */
export function entryBytes(entry: Omit<AuditEntry, 'hash' | 'signature'>): Uint8Array {
  return canonicalize({
    purpose: AUDIT_ENTRY_PURPOSE,
    seq: entry.seq,
    prevHash: entry.prevHash,
    at: entry.at,
    actor: { memberId: entry.actor.memberId, signPublicKey: entry.actor.signPublicKey },
    type: entry.type,
    payload: entry.payload,
  });
}

function shapeProblem(entry: AuditEntry): string | null {
  if (!entry || typeof entry !== 'object') return 'entry is not an object';
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 0) return 'seq is not a non-negative integer';
  if (Number.isNaN(parseUtcTime(entry.at))) return 'at is not a real ISO 8601 UTC time';
  if (typeof entry.type !== 'string' || !entry.type) return 'type is missing';
  if (!entry.actor || typeof entry.actor.memberId !== 'string' || typeof entry.actor.signPublicKey !== 'string') return 'actor is missing';
  for (const field of ['prevHash', 'hash', 'signature'] as const) if (typeof entry[field] !== 'string') return `${field} is missing`;
  return null;
}

export interface VerifyChainOptions {
  /** The entry before entries[0] when verifying a suffix (its hash and seq continue the chain). */
  previous?: { seq: number; hash: string; at: string };
  /** When given, every actor key must be accepted by it (member registry, including past members). */
  isKnownActor?: (actor: AuditActor, entry: AuditEntry) => boolean;
}

/**
 * Verifies order, links, hashes and signatures. Returns the first break, so a client can show
 * exactly where the log was altered, cut or reordered.
 */
export async function verifyChain(entries: readonly AuditEntry[], options: VerifyChainOptions = {}): Promise<ChainResult> {
  let expectedSeq = options.previous ? options.previous.seq + 1 : 0;
  let expectedPrev = options.previous ? options.previous.hash : GENESIS_HASH;
  let previousTime = options.previous ? parseUtcTime(options.previous.at) : -Infinity;
  for (const entry of entries) {
    const at = typeof entry?.seq === 'number' ? entry.seq : expectedSeq;
    const broken = (reason: AuditBreak, message: string): ChainResult => ({ ok: false, brokenAt: at, reason, message });
    const problem = shapeProblem(entry);
    if (problem) return broken('bad_format', problem);
    if (entry.seq !== expectedSeq) return broken('bad_seq', `expected seq ${expectedSeq}, found ${entry.seq}`);
    if (entry.prevHash !== expectedPrev) return broken('bad_prev_hash', 'prevHash does not match the previous entry');
    const time = parseUtcTime(entry.at);
    if (time < previousTime) return broken('time_reversed', 'entry is dated before the previous one');
    let bytes: Uint8Array;
    let signature: Uint8Array;
    let publicKey: Uint8Array;
    try {
      bytes = entryBytes(entry);
      signature = fromBase64(entry.signature);
      publicKey = fromBase64(entry.actor.signPublicKey);
    } catch (error) {
      return broken('bad_format', (error as Error).message);
    }
    const hash = await sha256(bytes);
    if (toBase64(hash) !== entry.hash) return broken('bad_hash', 'hash does not match the entry contents');
    if (options.isKnownActor && !options.isKnownActor(entry.actor, entry))
      return broken('unknown_actor', `actor ${entry.actor.memberId} is not a known member key`);
    if (!(await verifyEd25519(publicKey, signature, hash))) return broken('bad_signature', 'signature does not verify with the actor key');
    expectedSeq = entry.seq + 1;
    expectedPrev = entry.hash;
    previousTime = time;
  }
  return { ok: true, headHash: expectedPrev, length: entries.length };
}
