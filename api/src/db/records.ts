// Sealed records: the server keeps opaque ids, versions, digests and ciphertext, nothing more.
import { fromBase64, toBase64 } from '#crypto/encoding';
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

export async function pullRecords(db: D1Database, orgId: string, after: number, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT seq, record_id, version, digest, envelope, received_at FROM records
       WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    )
    .bind(orgId, after, limit + 1)
    .all<RecordRow>();
  const more = results.length > limit;
  const page = results.slice(0, limit).map((row) => ({
    seq: row.seq,
    id: row.record_id,
    version: row.version,
    digest: row.digest,
    envelope: toBase64(new Uint8Array(row.envelope)),
    receivedAt: row.received_at,
  }));
  return { records: page, cursor: page.at(-1)?.seq ?? after, more };
}

export async function recordStats(db: D1Database, orgId: string) {
  const row = await db
    .prepare('SELECT COUNT(*) AS versions, COUNT(DISTINCT record_id) AS records, MAX(seq) AS last FROM records WHERE org_id = ?')
    .bind(orgId)
    .first<{ versions: number; records: number; last: number | null }>();
  return { versions: row?.versions ?? 0, records: row?.records ?? 0, cursor: row?.last ?? 0 };
}
