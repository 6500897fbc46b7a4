// Break-glass from the web client (decision 0101): the CSO officer sets up an arrangement with a
// requester from the requester's card and wraps the data keys of consenting people to it; the
// requester accepts; in a crisis the requester activates, officers see the countdown and can veto;
// after the wait the requester rebuilds the arrangement key from the two shares and opens the records.
import { fromBase64, sign, toBase64, type AuditEntry } from '#crypto';
import type { ActivationRequest } from '#crypto/activation';
import { newRequestNonce, requestHashSync, signDecision, signRequest } from '#crypto/activation-sign';
import { appendEntry } from '#crypto/audit-append';
import {
  closeArrangementSession,
  createArrangement,
  createArrangementOpener,
  openArrangementSession,
  openWithArrangement,
  recoverArrangementKey,
  wrapForArrangement,
} from '#crypto/breakglass';
import { arrangementBytes, verifyArrangement, type ArrangementDescriptor, type BreakGlassStatus } from '#crypto/breakglass-policy';
import { closeRecordOpener, createRecordOpener } from '#crypto';
import type { ReleaseField } from '#crypto/protocol';
import { ApiRequestError, expectOk } from '../api.ts';
import { migrateRecord } from '../model/migrate.ts';
import type { Community, Person } from '../model/records.ts';
import { openOrgRecords } from '../records.ts';
import { fetchRosterChain, trustRoster } from '../roster.ts';
import { connect, type Session } from '../session.ts';
import { database } from '../store/db.ts';
import { consentAllows, releaseRecords, selectForRelease, type Area, type RequesterKind } from './select.ts';

export const CARD_FORMAT = 'buffer/requester-card/v1';

/** What a requester officer sends a CSO (out of band) so it can name them in an arrangement. */
export interface RequesterCard {
  format: typeof CARD_FORMAT;
  orgId: string;
  memberId: string;
  signPublicKey: string;
  /** The requester organisation's key: shares are sealed to it, so the org's officers can open them. */
  boxPublicKey: string;
}

export interface ArrangementView {
  id: string;
  csoOrgId: string;
  requesterOrgId: string;
  descriptor: ArrangementDescriptor;
  signature: string;
  status: 'proposed' | 'active' | 'waiting' | 'vetoed' | 'used' | 'retired';
  requestHash: string | null;
  startedAt: string | null;
  breakGlass: BreakGlassStatus | null;
  requesterShare: string | null;
  wraps: number;
  audit: { entries: AuditEntry[] };
}

export function requesterCard(session: Session): RequesterCard {
  const boxPublicKey = session.identity.orgPublicKey || (session.orgKeys ? toBase64(session.orgKeys.publicKey) : '');
  return { format: CARD_FORMAT, orgId: session.identity.orgId, memberId: session.identity.memberId, signPublicKey: toBase64(session.keys.signPublicKey), boxPublicKey };
}

export function parseCard(text: string): RequesterCard {
  let card: RequesterCard;
  try {
    card = JSON.parse(text) as RequesterCard;
  } catch {
    throw new Error('the card is not JSON: paste it exactly as the requester sent it');
  }
  if (card?.format !== CARD_FORMAT || [card.orgId, card.memberId, card.signPublicKey, card.boxPublicKey].some((value) => typeof value !== 'string')) {
    throw new Error('this is not a requester card');
  }
  if (fromBase64(card.signPublicKey).length !== 32 || fromBase64(card.boxPublicKey).length !== 32) throw new Error('the card’s keys are not 32-byte keys');
  return card;
}

const entry = (session: Session, previous: AuditEntry | null, type: string, payload: Record<string, unknown>) =>
  appendEntry(previous, { at: new Date().toISOString(), type, payload }, session.identity.memberId, session.keys);

export async function listArrangements(session: Session): Promise<{ arrangements: ArrangementView[]; waiting: number }> {
  const api = await connect(session);
  return (await expectOk(await api.api.arrangements.$get())) as unknown as { arrangements: ArrangementView[]; waiting: number };
}

async function getArrangement(session: Session, id: string): Promise<ArrangementView> {
  const api = await connect(session);
  return (await expectOk(await api.api.arrangements[':id'].$get({ param: { id } }))) as unknown as ArrangementView;
}

/** Sends an action whose audit entry continues the arrangement's chain, re-reading the head if another party appended first. */
async function onChain<T>(session: Session, id: string, send: (head: AuditEntry | null) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const head = (await getArrangement(session, id)).audit.entries.at(-1) ?? null;
    try {
      return await send(head);
    } catch (error) {
      if (attempt < 3 && error instanceof ApiRequestError && /does not continue the audit log/.test(error.message)) continue;
      throw error;
    }
  }
}

/**
 * CSO officer: proposes an arrangement naming the requester of `card`, then wraps the data keys of
 * the people whose consent allows release to that requester (people only: a community's body holds
 * its contact person). Returns how many records were wrapped.
 */
export async function proposeArrangement(
  session: Session,
  input: { card: RequesterCard; requesterKind: RequesterKind; nationalities: string[]; waitingPeriodSeconds: number; fields: ReleaseField[] },
): Promise<{ arrangementId: string; wrapped: number }> {
  if (!session.orgKeys) throw new Error('only an officer holding the org key sets up an arrangement');
  const api = await connect(session);
  const orgId = session.identity.orgId;
  const arrangementId = crypto.randomUUID();
  const { arrangement, publicKey } = await createArrangement({
    orgId,
    orgPublicKey: session.orgKeys.publicKey,
    arrangementId,
    requester: { id: input.card.memberId, signPublicKey: fromBase64(input.card.signPublicKey), boxPublicKey: fromBase64(input.card.boxPublicKey) },
    waitingPeriodSeconds: input.waitingPeriodSeconds,
    fields: input.fields,
    officer: { memberId: session.identity.memberId, keys: session.keys },
  });
  await expectOk(await api.api.arrangements.$post({ json: { arrangement: arrangement as never, auditEntry: entry(session, null, 'arrangement.proposed', { arrangementId }) as never } }));
  const wrapped = await wrapConsenting(session, arrangementId, publicKey, input.requesterKind, input.nationalities);
  return { arrangementId, wrapped };
}

async function wrapConsenting(session: Session, arrangementId: string, publicKey: Uint8Array, kind: RequesterKind, nationalities: string[]): Promise<number> {
  const orgId = session.identity.orgId;
  const opened = await openOrgRecords(session);
  const allowed = new Map<string, number>();
  for (const person of opened.persons) {
    const asked = kind === 'consulate' ? nationalities : [person.nationality];
    if (consentAllows(person, kind, asked)) allowed.set(person.id, opened.merges.get(person.id)?.version ?? 0);
  }
  const rows = (await database.envelopes.toArray()).filter((row) => allowed.get(row.id) === row.version);
  const opener = createRecordOpener(orgId, session.orgKeys!);
  const target = openArrangementSession(orgId, arrangementId, publicKey);
  const wraps: { recordId: string; version: number; wrap: string }[] = [];
  try {
    for (const row of rows) wraps.push({ recordId: row.id, version: row.version, wrap: toBase64(wrapForArrangement(opener, target, row.id, row.version, fromBase64(row.envelope))) });
  } finally {
    closeArrangementSession(target);
    closeRecordOpener(opener);
  }
  const api = await connect(session);
  for (let start = 0; start < wraps.length; start += 1000) {
    await expectOk(await api.api.arrangements[':id'].wraps.$put({ param: { id: arrangementId }, json: { wraps: wraps.slice(start, start + 1000) } }));
  }
  return wraps.length;
}

/**
 * The named requester checks the CSO officer's signature, by an officer of the CSO's verified
 * roster (decision 0602; not a key the arrangement names for itself), and countersigns.
 */
export async function acceptArrangement(session: Session, arrangement: ArrangementView) {
  const { descriptor } = arrangement;
  const roster = await trustRoster(arrangement.csoOrgId, await fetchRosterChain(session, arrangement.csoOrgId));
  if (!roster.ok) throw new Error(`Not accepted: ${roster.message}`);
  const creator = roster.roster.head.officers.find((officer) => officer.memberId === descriptor.createdBy.memberId && officer.signPublicKey === descriptor.createdBy.signPublicKey);
  if (!creator) throw new Error('the arrangement was not made by an officer of this CSO’s verified roster');
  if (!(await verifyArrangement(descriptor, arrangement.signature, [creator.signPublicKey]))) throw new Error('the arrangement’s signature does not verify');
  if (descriptor.requester.id !== session.identity.memberId || descriptor.requester.signPublicKey !== toBase64(session.keys.signPublicKey)) throw new Error('this arrangement names another requester');
  const api = await connect(session);
  await onChain(session, arrangement.id, async (head) =>
    expectOk(
      await api.api.arrangements[':id'].accept.$post({
        param: { id: arrangement.id },
        json: { signature: toBase64(sign(arrangementBytes(descriptor), session.keys)), auditEntry: entry(session, head, 'arrangement.accepted', { arrangementId: arrangement.id }) as never },
      }),
    ),
  );
}

/** The requester breaks the glass: a signed break_glass request; the waiting period starts. */
export async function activateBreakGlass(session: Session, arrangement: ArrangementView, input: { area: Area; nationalities: string[]; purpose: string; expiresInDays: number }) {
  const now = Date.now();
  const request: ActivationRequest = {
    orgIds: [arrangement.csoOrgId],
    requester: { ...arrangement.descriptor.requester },
    area: input.area,
    nationalities: input.nationalities,
    fields: arrangement.descriptor.fields,
    purpose: input.purpose.trim(),
    expiresAt: new Date(now + input.expiresInDays * 86_400_000).toISOString(),
    createdAt: new Date(now).toISOString(),
    nonce: newRequestNonce(),
    kind: 'break_glass',
    arrangementId: arrangement.id,
  };
  const hash = requestHashSync(request);
  const api = await connect(session);
  await onChain(session, arrangement.id, async (head) =>
    expectOk(
      await api.api.arrangements[':id'].activate.$post({
        param: { id: arrangement.id },
        json: { request: request as never, signature: signRequest(request, session.keys), auditEntry: entry(session, head, 'breakglass.activated', { arrangementId: arrangement.id, requestHash: hash }) as never },
      }),
    ),
  );
}

/** Any CSO officer vetoes a running break-glass activation: signed, final. */
export async function vetoBreakGlass(session: Session, arrangement: ArrangementView) {
  const hash = arrangement.requestHash;
  if (!hash) throw new Error('no running activation');
  const signed = signDecision(hash, 'veto', session.identity.memberId, session.keys);
  const api = await connect(session);
  await onChain(session, arrangement.id, async (head) =>
    expectOk(
      await api.api.arrangements[':id'].veto.$post({
        param: { id: arrangement.id },
        json: { requestHash: hash, signature: signed.signature, auditEntry: entry(session, head, 'breakglass.vetoed', { arrangementId: arrangement.id, requestHash: hash, signature: signed.signature }) as never },
      }),
    ),
  );
}

/**
 * The requester, after the wait: fetches the server's share (logged), rebuilds the arrangement key
 * with its own share, opens the wrapped records, and keeps only what the request asked for (area,
 * nationality, consent, fields) — in memory only.
 */
export async function openBreakGlass(session: Session, arrangement: ArrangementView, request: Pick<ActivationRequest, 'area' | 'nationalities' | 'fields'>, requesterKind: RequesterKind) {
  if (!session.orgKeys || !arrangement.requestHash) throw new Error('this device cannot open break-glass records');
  const api = await connect(session);
  const shares = (await onChain(session, arrangement.id, async (head) =>
    expectOk(
      await api.api.arrangements[':id']['key-share'].$post({
        param: { id: arrangement.id },
        json: { auditEntry: entry(session, head, 'breakglass.key_released', { arrangementId: arrangement.id, requestHash: arrangement.requestHash }) as never },
      }),
    ),
  )) as { serverShare: string; requesterShare: string };
  const key = await recoverArrangementKey({ descriptor: arrangement.descriptor, ...shares }, { boxPublicKey: session.orgKeys.publicKey, boxSecretKey: session.orgKeys.secretKey });
  const opener = createArrangementOpener(arrangement.csoOrgId, arrangement.id, key);
  const persons: Person[] = [];
  const communities: Community[] = [];
  try {
    let after = 0;
    for (;;) {
      const page = (await expectOk(await api.api.arrangements[':id'].records.$get({ param: { id: arrangement.id }, query: { after: String(after) } }))) as unknown as {
        records: { id: string; version: number; envelope: string; wrap: string }[];
        cursor: number;
        more: boolean;
      };
      for (const row of page.records) {
        const plain = openWithArrangement(opener, row.id, row.version, fromBase64(row.envelope), fromBase64(row.wrap));
        const migrated = migrateRecord(JSON.parse(new TextDecoder().decode(plain)));
        plain.fill(0);
        if (!migrated.ok || migrated.body.id !== row.id) continue;
        if (migrated.body.kind === 'person') persons.push(migrated.body);
        else communities.push(migrated.body);
      }
      after = page.cursor;
      if (!page.more) break;
    }
  } finally {
    key.secretKey.fill(0);
  }
  const scope = { area: request.area, nationalities: request.nationalities, fields: request.fields as ReleaseField[], requesterKind };
  return releaseRecords(await selectForRelease({ communities, persons }, scope), scope);
}
