// Sealed records: the server keeps opaque ids, versions, digests and ciphertext, nothing more.
import { fromBase64, toBase64 } from '#crypto/encoding';
import { badRequest } from '../errors.ts';
import { nowIso, sha256Hex } from '../util.ts';

export interface IncomingRecord {
  id: string;
  version: number;
  envelope: string;
}

// D1 binds at most 100 parameters per statement: 8 per row, so 12 rows per INSERT.
const COLUMNS_PER_ROW = 8;
const ROWS_PER_STATEMENT = Math.floor(100 / COLUMNS_PER_ROW);

/**
 * Stores a batch all or nothing (one db.batch is one transaction in D1). A record already stored
 * with the same bytes is ignored, which makes replays of a push harmless.
 */
export async function storeRecords(db: D1Database, orgId: string, memberId: string, records: IncomingRecord[]) {
  const receivedAt = nowIso();
  const rows = await Promise.all(
    records.map(async (record) => {
      const bytes = fromBase64(record.envelope);
      return [orgId, record.id, record.version, await sha256Hex(bytes), bytes, bytes.byteLength, memberId, receivedAt] as const;
    }),
  );
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const placeholders = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO records (org_id, record_id, version, digest, envelope, size, pushed_by, received_at)
           VALUES ${placeholders}`,
        )
        .bind(...chunk.flat()),
    );
  }
  const results = statements.length ? await db.batch(statements) : [];
  const stored = results.reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
  return { stored, duplicates: records.length - stored };
}

interface RecordRow {
  seq: number;
  record_id: string;
  version: number;
  digest: string;
  envelope: ArrayBuffer;
  received_at: string;
}

/** Envelope bytes one page carries at most (the first row always goes): 10,000 rows of 256 KiB would be 2.5 GiB (issue 15). */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;
const PULL_CHUNK = 500;

export async function pullRecords(db: D1Database, orgId: string, after: number, limit: number) {
  const page: { seq: number; id: string; version: number; digest: string; envelope: string; receivedAt: string }[] = [];
  let bytes = 0;
  let cursor = after;
  let more = false;
  // Read in chunks, so a page that reaches the byte budget early does not read the rest.
  chunks: while (page.length < limit) {
    const take = Math.min(PULL_CHUNK, limit - page.length);
    const { results } = await db
      .prepare(
        `SELECT seq, record_id, version, digest, envelope, received_at FROM records
         WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .bind(orgId, cursor, take + 1)
      .all<RecordRow>();
    for (const row of results.slice(0, take)) {
      const size = new Uint8Array(row.envelope).byteLength;
      if (page.length > 0 && bytes + size > MAX_PAGE_BYTES) {
        more = true;
        break chunks;
      }
      bytes += size;
      cursor = row.seq;
      page.push({
        seq: row.seq,
        id: row.record_id,
        version: row.version,
        digest: row.digest,
        envelope: toBase64(new Uint8Array(row.envelope)),
        receivedAt: row.received_at,
      });
    }
    more = results.length > take;
    if (!more) break;
  }
  return { records: page, cursor: page.at(-1)?.seq ?? after, more };
}

export async function recordStats(db: D1Database, orgId: string) {
  const row = await db
    .prepare('SELECT COUNT(*) AS versions, COUNT(DISTINCT record_id) AS records, MAX(seq) AS last FROM records WHERE org_id = ?')
    .bind(orgId)
    .first<{ versions: number; records: number; last: number | null }>();
  return { versions: row?.versions ?? 0, records: row?.records ?? 0, cursor: row?.last ?? 0 };
}

const SLOT_END = 114; // bytes 2..113 are the key slot (crypto/FORMAT.md, "Record envelope")

export interface NewSlot {
  seq: number;
  envelope: string;
}

/**
 * Replaces the key slots of stored envelopes after a rotation (decision 0606): each new envelope
 * must keep the stored one's tag, length and every body byte, and name `keyId` (the current key).
 * All or nothing: any bad item refuses the whole batch (400) and changes nothing. An envelope
 * under the current key already, or gone (another officer re-wrapped it first), is skipped. Each
 * replaced envelope gets a new seq, so officers' devices pull it.
 */
export async function swapKeySlots(db: D1Database, orgId: string, keyId: string, slots: NewSlot[]) {
  type Row = { seq: number; record_id: string; version: number; envelope: ArrayBuffer; pushed_by: string; received_at: string };
  const bySeq = new Map<number, Row>();
  for (let start = 0; start < slots.length; start += 90) {
    const chunk = slots.slice(start, start + 90);
    const { results } = await db
      .prepare(
        `SELECT seq, record_id, version, envelope, pushed_by, received_at FROM records WHERE org_id = ? AND seq IN (${chunk.map(() => '?').join(', ')})`,
      )
      .bind(orgId, ...chunk.map((slot) => slot.seq))
      .all<Row>();
    for (const row of results) bySeq.set(row.seq, row);
  }
  const hex = (bytes: Uint8Array) =>
    [...bytes]
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
  const statements: D1PreparedStatement[] = [];
  let skipped = 0;
  for (const [index, slot] of slots.entries()) {
    const row = bySeq.get(slot.seq);
    if (!row) {
      skipped++;
      continue;
    }
    const stored = new Uint8Array(row.envelope);
    const next = fromBase64(slot.envelope);
    if (hex(stored.subarray(2, 10)) === keyId) {
      skipped++;
      continue;
    }
    if (next.length !== stored.length || next[0] !== stored[0] || next[1] !== stored[1])
      throw badRequest(
        `body.records[${index}]: the envelope must keep the stored one's tag, version and length; only the key slot changes`,
      );
    for (let at = SLOT_END; at < stored.length; at++) {
      if (next[at] !== stored[at])
        throw badRequest(
          `body.records[${index}]: the body differs from the stored one (byte ${at}); a rotation re-wraps the key slot and never touches the body`,
        );
    }
    if (hex(next.subarray(2, 10)) !== keyId)
      throw badRequest(
        `body.records[${index}]: the new key slot names key ${hex(next.subarray(2, 10))}, not the organisation's current key ${keyId}`,
      );
    statements.push(
      db.prepare('DELETE FROM records WHERE seq = ? AND org_id = ?').bind(slot.seq, orgId),
      db
        .prepare(
          'INSERT INTO records (org_id, record_id, version, digest, envelope, size, pushed_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(orgId, row.record_id, row.version, await sha256Hex(next), next, next.byteLength, row.pushed_by, row.received_at),
    );
  }
  if (statements.length) await db.batch(statements);
  const remaining = await db
    .prepare('SELECT COUNT(*) AS count FROM records WHERE org_id = ? AND hex(substr(envelope, 3, 8)) != ?')
    .bind(orgId, keyId)
    .first<{ count: number }>();
  return { replaced: statements.length / 2, skipped, remaining: remaining?.count ?? 0 };
}

/** How many stored envelopes are sealed under another key than `keyId` (their key id is bytes 3 to 10 of the envelope). */
export const countEnvelopesNotUnder = (db: D1Database, orgId: string, keyId: string) =>
  db
    .prepare('SELECT COUNT(*) AS count FROM records WHERE org_id = ? AND hex(substr(envelope, 3, 8)) != ?')
    .bind(orgId, keyId)
    .first<{ count: number }>()
    .then((row) => row?.count ?? 0);
