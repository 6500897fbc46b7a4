// The audit head this device verified last, per chain (issue 14, finding 4). An entry's signature
// covers the head it continued (prevHash), so a chain cannot be re-linked, but a server can still
// show a chain cut short (the last entries dropped: a veto, a revoke) or a different history to
// different parties. Each device keeps the highest head it verified and holds every later answer to
// it: the entry at that seq must still be there, with the same hash.
import { verifyChain, type AuditEntry } from '#crypto/audit';
import { appendEntry } from '#crypto/audit-append';
import { onChainHead } from '../api.ts';
import type { Session } from '../session.ts';
import { database } from '../store/db.ts';

export interface KeptHead {
  seq: number;
  hash: string;
}

export type HeadCheck = { ok: true } | { ok: false; kind: 'truncated' | 'forked' | 'broken'; seq: number; message: string };

/** Pure: whether `entries` (a chain that verified) still holds the head this device kept. */
export function checkKeptHead(entries: readonly Pick<AuditEntry, 'seq' | 'hash'>[], kept: KeptHead | null): HeadCheck {
  if (!kept) return { ok: true };
  const atKept = entries.find((entry) => entry.seq === kept.seq);
  if (!atKept) {
    return {
      ok: false,
      kind: 'truncated',
      seq: kept.seq,
      message: `The server now shows ${entries.length} audit entries; this device saw ${kept.seq + 1}. Entries were removed (entry ${kept.seq + 1} is gone): do not trust this log, and tell the other parties by phone.`,
    };
  }
  if (atKept.hash !== kept.hash) {
    return {
      ok: false,
      kind: 'forked',
      seq: kept.seq,
      message: `Audit entry ${kept.seq + 1} differs from the one this device saw: the server shows another history than before. Do not trust this log, and tell the other parties by phone.`,
    };
  }
  return { ok: true };
}

const key = (chainId: string) => `auditHead:${chainId}`;

export async function loadKeptHead(chainId: string): Promise<KeptHead | null> {
  const row = await database.meta.get(key(chainId));
  if (typeof row?.value !== 'string') return null;
  try {
    const head = JSON.parse(row.value) as KeptHead;
    return Number.isInteger(head.seq) && typeof head.hash === 'string' ? head : null;
  } catch {
    return null;
  }
}

/** Keeps the head of a chain that verified and holds the kept one; never moves it back (one transaction, so two tabs cannot). */
export async function keepHead(chainId: string, entries: readonly Pick<AuditEntry, 'seq' | 'hash'>[]) {
  const last = entries.at(-1);
  if (!last) return;
  await database.transaction('rw', database.meta, async () => {
    const kept = await loadKeptHead(chainId);
    if (kept && kept.seq >= last.seq) return;
    await database.meta.put({ key: key(chainId), value: JSON.stringify({ seq: last.seq, hash: last.hash }) });
  });
}

/**
 * What every entry of a chain must be about, from the chain's id: a request's or a relay's hash,
 * an arrangement's id. A server cannot splice an entry of another chain into this one, nor show a
 * chain under another id than the thing its parties signed (an arrangement's descriptor names its id).
 */
function bindingOf(chainId: string): { key: string; value: string } | null {
  const [kind, value] = [chainId.slice(0, chainId.indexOf(':')), chainId.slice(chainId.indexOf(':') + 1)];
  if (kind === 'request' || kind === 'relay') return { key: 'requestHash', value };
  if (kind === 'arrangement') return { key: 'arrangementId', value };
  return null;
}

/** The first entry that is not about what the chain's id names (it was spliced in from another log). */
export function strayEntry(chainId: string, entries: readonly AuditEntry[]): AuditEntry | undefined {
  const binding = bindingOf(chainId);
  return binding ? entries.find((entry) => (entry.payload as Record<string, unknown> | null)?.[binding.key] !== binding.value) : undefined;
}

/**
 * Checks a chain the server showed before this device relies on it: every entry links to the one
 * before, hashes to its hash and is signed by its actor key, and the head kept from an earlier view
 * is still there. Who may sign what is the screen's business (activations check it in AuditView).
 */
export async function checkChain(chainId: string, entries: readonly AuditEntry[]): Promise<HeadCheck> {
  const verdict = await verifyChain(entries);
  if (!verdict.ok) {
    return {
      ok: false,
      kind: 'broken',
      seq: verdict.brokenAt,
      message: `Audit entry ${verdict.brokenAt + 1} does not verify (${verdict.message}): do not trust this log, and tell the other parties by phone.`,
    };
  }
  const stray = strayEntry(chainId, entries);
  if (stray) {
    return {
      ok: false,
      kind: 'broken',
      seq: stray.seq,
      message: `Audit entry ${stray.seq + 1} belongs to another log: do not trust this log, and tell the other parties by phone.`,
    };
  }
  return checkKeptHead(entries, await loadKeptHead(chainId));
}

/** checkChain, and keeps the head when the chain holds: what a screen does each time it shows a chain. */
export async function observeChain(chainId: string, entries: readonly AuditEntry[]): Promise<HeadCheck> {
  const check = await checkChain(chainId, entries);
  if (check.ok) await keepHead(chainId, entries);
  return check;
}

/** Signs the entry an action carries, onto the head it was given (its payload typed as the API takes it). */
export type SignEntry = (type: string, payload: Record<string, unknown>) => AuditEntry & { payload: Record<string, unknown> };

/**
 * When an entry is dated: now, or the head's time when that is later. Entries may not go back in
 * time, and the server takes one dated up to 10 minutes ahead of its clock: without this, a party
 * that dates its entries minutes ahead would get every honest entry after it refused for those
 * minutes (a veto or a revoke among them).
 */
export function entryTime(head: Pick<AuditEntry, 'at'> | null | undefined, now = Date.now()): string {
  const headTime = head ? Date.parse(head.at) : Number.NaN;
  return new Date(Number.isNaN(headTime) ? now : Math.max(now, headTime)).toISOString();
}

/**
 * Sends an action whose audit entry continues a chain (activations, relays, break-glass
 * arrangements alike). `read` gives the chain as the server shows it now; this device checks it
 * (checkChain) and keeps its head before signing, signs its entry onto the last one, sends, and
 * keeps its own entry as the head: a server that later drops that entry (a veto, a decline) is
 * caught on this device's next view. When another party appended first (409 stale_audit_head), it
 * reads and checks again, against the head it kept from the first read.
 *
 * A chain that does not check is refused, except for a `protective` action (a veto, a decline, a
 * revoke): refusing one would help whoever cut the log, so it is signed onto the head the server
 * shows and sent; the head this device kept stays, so the warning stays too.
 */
export async function continueChain<T>(
  session: Session,
  chainId: string,
  read: () => Promise<readonly AuditEntry[]>,
  send: (sign: SignEntry) => Promise<T>,
  options: { protective?: boolean } = {},
): Promise<T> {
  return onChainHead(
    async () => {
      const entries = await read();
      const check = await checkChain(chainId, entries);
      if (check.ok) await keepHead(chainId, entries);
      else if (!options.protective) throw new Error(`Not signing: ${check.message}`);
      return entries;
    },
    async (entries) => {
      let signed: AuditEntry | null = null;
      const head = entries.at(-1) ?? null;
      const sign: SignEntry = (type, payload) => {
        const entry = appendEntry(head, { at: entryTime(head), type, payload }, session.identity.memberId, session.keys);
        signed = entry;
        return { ...entry, payload };
      };
      const sent = await send(sign);
      await keepHead(chainId, signed ? [...entries, signed] : entries);
      return sent;
    },
  );
}

/** The first entry of a new chain (a request filed, an arrangement proposed): kept as the head once sent. */
export function startChain<T>(session: Session, chainId: string, send: (sign: SignEntry) => Promise<T>): Promise<T> {
  return continueChain(session, chainId, async () => [], send);
}

/**
 * The vetoes (or declines) an audit chain carries: entries of `type` about `requestHash` (when
 * given), each holding the decision's own signature. Added to the server's list of decisions before
 * counting, so a veto the server left out of that list still counts; its signature is checked with
 * the officer's key like any other. Approvals are not taken from here: a server that hides an
 * approval only delays a release, one that hides a veto lets it through.
 */
export function vetoesInAudit(
  entries: readonly AuditEntry[],
  type = 'activation.vetoed',
  requestHash?: string,
): { orgId?: string; requestHash?: string; memberId: string; decision: 'veto'; signature: string }[] {
  const out: { orgId?: string; requestHash?: string; memberId: string; decision: 'veto'; signature: string }[] = [];
  for (const entry of entries) {
    if (entry?.type !== type) continue;
    const payload = entry.payload as { orgId?: unknown; signature?: unknown; requestHash?: unknown } | null;
    if (typeof payload?.signature !== 'string' || typeof entry.actor?.memberId !== 'string') continue;
    if (requestHash !== undefined && payload.requestHash !== requestHash) continue;
    out.push({
      ...(typeof payload.orgId === 'string' ? { orgId: payload.orgId } : {}),
      ...(typeof payload.requestHash === 'string' ? { requestHash: payload.requestHash } : {}),
      memberId: entry.actor.memberId,
      decision: 'veto',
      signature: payload.signature,
    });
  }
  return out;
}
