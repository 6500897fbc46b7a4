// Server side of the audit log. Entries are made and signed by the actors' clients; the server
// checks each one continues its chain (seq, previous hash), is signed by the caller's registered
// key, is of the type the action calls for, and is dated now, before storing it in the same batch
// as the action itself. A chain can't be appended to out of turn: (chain, seq) is the primary key.
import { z } from '@hono/zod-openapi';
import { entryBytes, verifyChain, type AuditEntry } from '#crypto/audit';
import { toBase64 } from '#crypto/encoding';
import { sha256 } from '#crypto/webcrypto';
import { readStored } from '../db/stored.ts';
import { badRequest, staleAuditHead } from '../errors.ts';
import { signWithServerKey, type ServerKey } from './server-key.ts';

export const SERVER_ACTOR_ID = 'server';
const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;
export const AUDIT_PAYLOAD_MAX_BYTES = 4096;

export const auditEntrySchema = z
  .object({
    seq: z.number().int().min(0),
    prevHash: z.string().max(64),
    at: z.iso.datetime(),
    actor: z.object({ memberId: z.string().max(64), signPublicKey: z.string().max(64) }),
    type: z.string().max(64),
    // An entry is shown to every party: its payload carries ids, hashes and signatures, never
    // people's data. 4 KiB is several times what any entry needs; a larger one is refused (issue 15:
    // a 500 kB payload with a phone number in it was stored and served to every party).
    payload: z
      .record(z.string(), z.unknown())
      .refine(
        (payload) => new TextEncoder().encode(JSON.stringify(payload)).length <= AUDIT_PAYLOAD_MAX_BYTES,
        `must be at most ${AUDIT_PAYLOAD_MAX_BYTES} bytes of JSON`,
      ),
    hash: z.string().max(64),
    signature: z.string().max(128),
  })
  .openapi('AuditEntry');

/** verifyChain's verdict (crypto/src/audit.ts ChainResult): the first break, or the head. */
const chainVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), headHash: z.string(), length: z.number().int() }),
  z.object({
    ok: z.literal(false),
    brokenAt: z.number().int(),
    reason: z.enum(['bad_format', 'bad_seq', 'bad_prev_hash', 'bad_hash', 'bad_signature', 'unknown_actor', 'time_reversed']),
    message: z.string(),
  }),
]);

/** A chain as answers give it: every entry as stored, and the verdict the server reaches on them (clients verify again). */
export const auditChainSchema = z.object({ entries: z.array(auditEntrySchema), verdict: chainVerdictSchema }).openapi('AuditChain');

export const chainOfRequest = (hash: string) => `request:${hash}`;
export const chainOfArrangement = (id: string) => `arrangement:${id}`;

interface HeadRow {
  seq: number;
  hash: string;
  at: string;
}

export const chainHead = (db: D1Database, chainId: string) =>
  db.prepare('SELECT seq, hash, at FROM audit_entries WHERE chain_id = ? ORDER BY seq DESC LIMIT 1').bind(chainId).first<HeadRow>();

/** Entries as stored: clients' entries passed auditEntrySchema, and the server's own (serverEntry) have its shape. */
export async function listEntries(db: D1Database, chainId: string): Promise<z.output<typeof auditEntrySchema>[]> {
  const { results } = await db
    .prepare('SELECT entry FROM audit_entries WHERE chain_id = ? ORDER BY seq')
    .bind(chainId)
    .all<{ entry: string }>();
  return results.map((row) => readStored(auditEntrySchema, row.entry));
}

function insertStatement(db: D1Database, chainId: string, entry: AuditEntry) {
  return db
    .prepare('INSERT INTO audit_entries (chain_id, seq, entry, hash, at) VALUES (?, ?, ?, ?, ?)')
    .bind(chainId, entry.seq, JSON.stringify(entry), entry.hash, entry.at);
}

export interface ExpectedEntry {
  actor: { memberId: string; signPublicKey: string };
  type: string;
  /** Every key given here must be in the entry's payload with this exact value. */
  payload: Record<string, string | number | null>;
}

/** Checks a client-made entry and returns the statement that stores it (to batch with the action). */
export async function acceptEntry(db: D1Database, chainId: string, entry: AuditEntry, expected: ExpectedEntry) {
  const where = 'body.auditEntry';
  if (entry.type !== expected.type) throw badRequest(`${where}.type: expected "${expected.type}" for this action`);
  if (entry.actor.memberId !== expected.actor.memberId || entry.actor.signPublicKey !== expected.actor.signPublicKey) {
    throw badRequest(`${where}.actor: must be you, with your registered signing key`);
  }
  for (const [key, value] of Object.entries(expected.payload)) {
    if ((entry.payload as Record<string, unknown>)[key] !== value)
      throw badRequest(`${where}.payload.${key}: expected ${JSON.stringify(value)}`);
  }
  if (Math.abs(Date.parse(entry.at) - Date.now()) > CLOCK_TOLERANCE_MS) {
    throw badRequest(`${where}.at: must be the current time (within 10 minutes of the server clock); check this device's clock`);
  }
  const head = await chainHead(db, chainId);
  const result = await verifyChain([entry], head ? { previous: head } : {});
  if (!result.ok) {
    // Signed on a head that is no longer the last (another party appended first): a conflict the
    // client resolves by reading the log again. Anything else about the entry is a bad request.
    const stale = result.reason === 'bad_seq' || result.reason === 'bad_prev_hash';
    throw (stale ? staleAuditHead : badRequest)(`${where}: does not continue the audit log (${result.message}); reload it and sign again`);
  }
  return insertStatement(db, chainId, entry);
}

/** An entry by the server itself (expiries), signed with its audit key. */
export async function serverEntry(db: D1Database, key: ServerKey, chainId: string, type: string, payload: Record<string, unknown>) {
  const head = await chainHead(db, chainId);
  const unsigned = {
    seq: head ? head.seq + 1 : 0,
    prevHash: head ? head.hash : toBase64(new Uint8Array(32)),
    at: new Date(Math.max(Date.now(), head ? Date.parse(head.at) : 0)).toISOString(),
    actor: { memberId: SERVER_ACTOR_ID, signPublicKey: key.publicKey },
    type,
    payload,
  };
  const hashBytes = await sha256(entryBytes(unsigned));
  const entry: AuditEntry = { ...unsigned, hash: toBase64(hashBytes), signature: await signWithServerKey(key, hashBytes) };
  return insertStatement(db, chainId, entry);
}

/** For responses: the chain as stored, with the verdict the server reaches on it. */
export async function chainWithVerdict(db: D1Database, chainId: string) {
  const entries = await listEntries(db, chainId);
  const verdict = await verifyChain(entries);
  return { entries, verdict };
}
