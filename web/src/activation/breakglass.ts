// Break-glass from the web client (decisions 0101, 0610): the CSO officer sets up an arrangement
// with a requester from the requester's card, and the officers' devices keep a minimised copy for
// it (the agreed fields of the consenting people, sealed to the arrangement key); the requester
// accepts; in a crisis the requester activates, officers see the countdown and can veto; after the
// wait the requester rebuilds the arrangement key from the two shares and opens the copy.
import { fromBase64, sign, toBase64 } from '#crypto';
import { verifyApprovals, type ActivationRequest } from '#crypto/activation';
import { newRequestNonce, requestHashSync, signDecision, signRequest } from '#crypto/activation-sign';
import { createArrangement, recoverArrangementKey } from '#crypto/breakglass';
import { createBundle, openBundle } from '#crypto/bundle';
import { sha256 } from '#crypto/webcrypto';
import {
  arrangementBytes,
  arrangementCopyHash,
  arrangementSigners,
  verifyArrangement,
  type ArrangementDescriptor,
} from '#crypto/breakglass-policy';
import { isReleaseField, type ReleaseField } from '#crypto/protocol';
import { releasedProperties } from '#model/fields';
import { expectOk } from '../api.ts';
import { continueChain, startChain, vetoesInAudit, type SignEntry } from './audit-heads.ts';
import { openOrgRecords, type OpenedRecords } from '../records.ts';
import { fetchRosterChain, ownRosterHead } from '../roster.ts';
import { loadAuthors, trustRoster } from '../roster-trust.ts';
import { rosterQuorum } from '#crypto/roster';
import { connect, type Session } from '../session.ts';
import { database } from '../store/db.ts';
import { relatedOrgs } from './actions.ts';
import { partnerViews } from './partners.ts';
import { inArea, prepareArea, releaseRecords, selectForRelease, type Area, type RequesterKind } from './select.ts';
import type { ActivationRequestBody, Arrangement } from '../api-types.ts';

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

/** An arrangement as the server answers it (api-types.ts); the requester's device counts the officers' signatures again. */
export type ArrangementView = Arrangement;

export function requesterCard(session: Session): RequesterCard {
  const boxPublicKey = session.identity.orgPublicKey || (session.orgKeys ? toBase64(session.orgKeys.publicKey) : '');
  return {
    format: CARD_FORMAT,
    orgId: session.identity.orgId,
    memberId: session.identity.memberId,
    signPublicKey: toBase64(session.keys.signPublicKey),
    boxPublicKey,
  };
}

export function parseCard(text: string): RequesterCard {
  let card: RequesterCard;
  try {
    card = JSON.parse(text) as RequesterCard;
  } catch {
    throw new Error('the card is not JSON: paste it exactly as the requester sent it');
  }
  if (
    card?.format !== CARD_FORMAT ||
    [card.orgId, card.memberId, card.signPublicKey, card.boxPublicKey].some((value) => typeof value !== 'string')
  ) {
    throw new Error('this is not a requester card');
  }
  if (fromBase64(card.signPublicKey).length !== 32 || fromBase64(card.boxPublicKey).length !== 32)
    throw new Error('the card’s keys are not 32-byte keys');
  return card;
}

export async function listArrangements(session: Session): Promise<{ arrangements: ArrangementView[]; waiting: number }> {
  const api = await connect(session);
  return expectOk(await api.api.arrangements.$get());
}

async function getArrangement(session: Session, id: string): Promise<ArrangementView> {
  const api = await connect(session);
  return expectOk(await api.api.arrangements[':id'].$get({ param: { id } }));
}

/** Continues an arrangement's audit chain (continueChain: checked, signed onto its head, kept). */
/**
 * The chain of an arrangement is named by the id its officers signed (the descriptor's), never by
 * the id the server lists it under: a server that shows the same arrangement under a new id would
 * otherwise give it a log no device has kept a head of.
 */
export function arrangementChain(arrangement: Pick<ArrangementView, 'id' | 'descriptor'>): string {
  if (arrangement.id !== arrangement.descriptor.arrangementId)
    throw new Error('Not signing: the server lists this arrangement under another id than the one its officers signed.');
  return `arrangement:${arrangement.descriptor.arrangementId}`;
}

const onChain = <T>(
  session: Session,
  arrangement: Pick<ArrangementView, 'id' | 'descriptor'>,
  send: (signEntry: SignEntry) => Promise<T>,
  options: { protective?: boolean } = {},
) =>
  continueChain(
    session,
    arrangementChain(arrangement),
    async () => (await getArrangement(session, arrangement.id)).audit.entries,
    send,
    options,
  );

/**
 * CSO officer: proposes an arrangement naming the requester of `card`, then stores its minimised
 * copy (refreshArrangementCopy). `requesterKind` and `nationalities` come from the partner statement
 * the CSO signed (decision 0609). Returns how many people the copy holds.
 */
export async function proposeArrangement(
  session: Session,
  input: {
    card: RequesterCard;
    requesterKind: RequesterKind;
    nationalities: string[];
    waitingPeriodSeconds: number;
    fields: ReleaseField[];
  },
): Promise<{ arrangementId: string; wrapped: number }> {
  if (!session.orgKeys) throw new Error('only an officer holding the org key sets up an arrangement');
  const api = await connect(session);
  const orgId = session.identity.orgId;
  const arrangementId = crypto.randomUUID();
  const { arrangement } = await createArrangement({
    orgId,
    orgPublicKey: session.orgKeys.publicKey,
    arrangementId,
    requester: {
      id: input.card.memberId,
      signPublicKey: fromBase64(input.card.signPublicKey),
      boxPublicKey: fromBase64(input.card.boxPublicKey),
    },
    waitingPeriodSeconds: input.waitingPeriodSeconds,
    fields: input.fields,
    officer: { memberId: session.identity.memberId, keys: session.keys },
  });
  await startChain(session, `arrangement:${arrangementId}`, async (signEntry) =>
    expectOk(await api.api.arrangements.$post({ json: { arrangement, auditEntry: signEntry('arrangement.proposed', { arrangementId }) } })),
  );
  const people = await refreshArrangementCopy(
    session,
    arrangement.descriptor,
    { kind: input.requesterKind, nationalities: input.nationalities },
    { force: true },
  );
  return { arrangementId, wrapped: people ?? 0 };
}

/** The whole world, as an area: a copy is cut by consent, nationality and fields; the area comes with the activation. */
const WORLD: Area = {
  type: 'Polygon',
  coordinates: [
    [
      [-180, -90],
      [180, -90],
      [180, 90],
      [-180, 90],
      [-180, -90],
    ],
  ],
};
/** A copy is valid this long; devices refresh it daily or when what it holds changes. */
const COPY_VALID_DAYS = 90;
const REFRESH_AFTER_MS = 86_400_000;

/**
 * What this device holds, cheaply (no decryption): its pull cursor, how many envelopes and own
 * captures it keeps, and how many record authors its verified statements list (a device added to
 * the statement turns records that were set aside into records that count).
 */
async function heldMarker(orgId: string): Promise<string> {
  const [cursor, envelopes, captures, authors] = await Promise.all([
    database.meta.get('pullCursor'),
    database.envelopes.count(),
    database.captures.count(),
    loadAuthors(orgId),
  ]);
  return `${cursor?.value ?? 0}:${envelopes}:${captures}:${authors.size}`;
}

/**
 * The minimised copy of an arrangement (decision 0610), built on this officer's device: the
 * consenting people of the partner's kind and nationalities (any nationality for a city), and the
 * communities they live in, cut to the agreed fields, as one release bundle sealed to the
 * arrangement key and signed by this officer. Replaced whole, padded: the server learns neither
 * which records are in it nor which people consent. Uploaded when what it holds changed, or daily.
 * The records are decrypted only when the device holds something new or the copy is due (`records`
 * opens them, at most once for every arrangement a sync refreshes). Returns how many people it
 * holds, or null when nothing needed uploading.
 */
export async function refreshArrangementCopy(
  session: Session,
  descriptor: ArrangementDescriptor,
  partner: { kind: RequesterKind; nationalities: readonly string[] },
  options: { force?: boolean; records?: () => Promise<OpenedRecords> } = {},
): Promise<number | null> {
  if (!session.orgKeys) return null;
  const key = `arrangementCopy:${descriptor.arrangementId}`;
  const stored = (await database.meta.get(key))?.value;
  const last =
    typeof stored === 'string' ? (JSON.parse(stored) as { digest: string; at: number; held?: string; scope?: string }) : undefined;
  const held = await heldMarker(session.identity.orgId);
  const scopeKey = JSON.stringify([partner.kind, partner.nationalities, descriptor.fields]);
  const fresh = last !== undefined && Date.now() - last.at < REFRESH_AFTER_MS;
  if (!options.force && fresh && last.held === held && last.scope === scopeKey) return null;
  const opened = await (options.records ?? (() => openOrgRecords(session)))();
  const nationalities =
    partner.kind === 'consulate' ? [...partner.nationalities] : [...new Set(opened.persons.map((person) => person.nationality))];
  const scope = { area: WORLD, nationalities, fields: descriptor.fields as ReleaseField[], requesterKind: partner.kind };
  const selection = await selectForRelease(opened, scope);
  const versions = [...selection.communities, ...selection.persons]
    .map((record) => `${record.id}:${opened.merges.get(record.id)?.version ?? 0}`)
    .sort();
  const digest = toBase64(
    await sha256(new TextEncoder().encode(JSON.stringify([partner.kind, nationalities, descriptor.fields, versions]))),
  );
  if (!options.force && fresh && last.digest === digest) {
    // Something new on the device, nothing new in the copy: remember that, upload nothing.
    await database.meta.put({ key, value: JSON.stringify({ ...last, held, scope: scopeKey }) });
    return null;
  }
  const bundle = createBundle({
    orgId: session.identity.orgId,
    requestHash: await arrangementCopyHash(descriptor),
    recipientBoxPublicKey: fromBase64(descriptor.publicKey),
    fields: releasedProperties(descriptor.fields as ReleaseField[]),
    records: releaseRecords(selection, scope),
    expiresAt: new Date(Date.now() + COPY_VALID_DAYS * 86_400_000).toISOString(),
    releasedBy: { memberId: session.identity.memberId, keys: session.keys },
  });
  const api = await connect(session);
  await expectOk(
    await api.api.arrangements[':id'].copy.$put({ param: { id: descriptor.arrangementId }, json: { bundle: toBase64(bundle) } }),
  );
  await database.meta.put({ key, value: JSON.stringify({ digest, at: Date.now(), held, scope: scopeKey }) });
  return selection.persons.length;
}

/**
 * After a sync (officers holding the org key): refreshes the copy of every arrangement of this CSO
 * that is still open, with the kind and nationalities its partner statement gives. Partners that do
 * not verify get no new copy. The records are decrypted once for all of them, and only if one needs it.
 */
export async function refreshArrangementCopies(session: Session) {
  if (!session.orgKeys || session.identity.orgKind !== 'cso' || session.identity.role !== 'officer') return;
  const { arrangements } = await listArrangements(session);
  const open = arrangements.filter(
    (arrangement) => arrangement.csoOrgId === session.identity.orgId && ['proposed', 'active', 'waiting'].includes(arrangement.status),
  );
  if (!open.length) return;
  const partners = await partnerViews(session, await relatedOrgs(session));
  let opened: Promise<OpenedRecords> | undefined;
  const records = () => (opened ??= openOrgRecords(session));
  for (const arrangement of open) {
    const partner = partners.get(arrangement.requesterOrgId);
    if (!partner?.verified) continue;
    await refreshArrangementCopy(session, arrangement.descriptor, partner, { records });
  }
}

export const signedBy = (arrangement: ArrangementView, memberId: string) =>
  arrangement.descriptor.createdBy.memberId === memberId ||
  arrangement.cosignatures.some((cosignature) => cosignature.memberId === memberId);

/** Another officer of the CSO co-signs a proposed arrangement (k officers set one up, decision 0610), after checking its creator against the verified statement. */
export async function cosignArrangement(session: Session, arrangement: ArrangementView) {
  const head = await ownRosterHead(session);
  const creator = head.officers.find(
    (officer) =>
      officer.memberId === arrangement.descriptor.createdBy.memberId &&
      officer.signPublicKey === arrangement.descriptor.createdBy.signPublicKey,
  );
  if (!creator || !(await verifyArrangement(arrangement.descriptor, arrangement.signature, [creator.signPublicKey])))
    throw new Error('the arrangement was not signed by an officer of your verified statement');
  const api = await connect(session);
  await onChain(session, arrangement, async (signEntry) =>
    expectOk(
      await api.api.arrangements[':id'].cosign.$post({
        param: { id: arrangement.id },
        json: {
          signature: toBase64(sign(arrangementBytes(arrangement.descriptor), session.keys)),
          auditEntry: signEntry('arrangement.cosigned', { arrangementId: arrangement.id }),
        },
      }),
    ),
  );
}

/**
 * The named requester checks that k officers of the CSO's verified statement signed the
 * arrangement (its creator and those who co-signed, each signature checked here; decision 0610),
 * and countersigns.
 */
export async function acceptArrangement(session: Session, arrangement: ArrangementView) {
  const { descriptor } = arrangement;
  const roster = await trustRoster(arrangement.csoOrgId, await fetchRosterChain(session, arrangement.csoOrgId));
  if (!roster.ok) throw new Error(`Not accepted: ${roster.message}`);
  const officers = new Map(roster.roster.head.officers.map((officer) => [officer.memberId, officer.signPublicKey]));
  if (officers.get(descriptor.createdBy.memberId) !== descriptor.createdBy.signPublicKey)
    throw new Error('the arrangement was not made by an officer of this CSO’s verified roster');
  const signers = await arrangementSigners(descriptor, arrangement.signature, arrangement.cosignatures, officers);
  if (!signers.includes(descriptor.createdBy.memberId)) throw new Error('the arrangement’s signature does not verify');
  const needed = rosterQuorum(roster.roster.head);
  if (signers.length < needed) throw new Error(`Not accepted: ${signers.length} of the ${needed} officers the CSO needs have signed it`);
  if (descriptor.requester.id !== session.identity.memberId || descriptor.requester.signPublicKey !== toBase64(session.keys.signPublicKey))
    throw new Error('this arrangement names another requester');
  const api = await connect(session);
  await onChain(session, arrangement, async (signEntry) =>
    expectOk(
      await api.api.arrangements[':id'].accept.$post({
        param: { id: arrangement.id },
        json: {
          signature: toBase64(sign(arrangementBytes(descriptor), session.keys)),
          auditEntry: signEntry('arrangement.accepted', { arrangementId: arrangement.id }),
        },
      }),
    ),
  );
}

/** The requester breaks the glass: a signed break_glass request; the waiting period starts. */
export async function activateBreakGlass(
  session: Session,
  arrangement: ArrangementView,
  input: { area: Area; nationalities: string[]; purpose: string; expiresInDays: number },
) {
  const now = Date.now();
  const request: ActivationRequestBody = {
    orgIds: [arrangement.csoOrgId],
    requester: { ...arrangement.descriptor.requester },
    area: input.area,
    nationalities: input.nationalities,
    fields: arrangement.descriptor.fields.filter(isReleaseField),
    purpose: input.purpose.trim(),
    expiresAt: new Date(now + input.expiresInDays * 86_400_000).toISOString(),
    createdAt: new Date(now).toISOString(),
    nonce: newRequestNonce(),
    kind: 'break_glass',
    arrangementId: arrangement.id,
  };
  const hash = requestHashSync(request);
  const api = await connect(session);
  await onChain(session, arrangement, async (signEntry) =>
    expectOk(
      await api.api.arrangements[':id'].activate.$post({
        param: { id: arrangement.id },
        json: {
          request,
          signature: signRequest(request, session.keys),
          auditEntry: signEntry('breakglass.activated', { arrangementId: arrangement.id, requestHash: hash }),
        },
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
  await onChain(
    session,
    arrangement,
    async (signEntry) =>
      expectOk(
        await api.api.arrangements[':id'].veto.$post({
          param: { id: arrangement.id },
          json: {
            requestHash: hash,
            signature: signed.signature,
            auditEntry: signEntry('breakglass.vetoed', { arrangementId: arrangement.id, requestHash: hash, signature: signed.signature }),
          },
        }),
      ),
    { protective: true },
  );
}

/**
 * The requester, after the wait: fetches the server's share (logged), rebuilds the arrangement key
 * with its own share, opens the copy the CSO's officer prepared (checked against the CSO's verified
 * statement: signed by one of its officers, for this arrangement, only the agreed fields), and keeps
 * what the request asked for (area, nationalities) — in memory only. It never holds a record's data key.
 */
export async function openBreakGlass(
  session: Session,
  arrangement: ArrangementView,
  request: Pick<ActivationRequest, 'area' | 'nationalities' | 'fields'>,
) {
  if (!session.orgKeys || !arrangement.requestHash) throw new Error('this device cannot open break-glass records');
  const api = await connect(session);
  const roster = await trustRoster(arrangement.csoOrgId, await fetchRosterChain(session, arrangement.csoOrgId));
  if (!roster.ok) throw new Error(`Not opened: ${roster.message}`);
  // A veto ends an arrangement for good (the server never reactivates one), so any veto its log
  // carries counts, whatever status and whatever running request the server shows: each is checked
  // with an officer's key over the request it names (the log's entries are bound to this arrangement).
  const officerKeys = new Map(roster.roster.everOfficers.map((officer) => [officer.memberId, officer.signPublicKey]));
  for (const veto of vetoesInAudit(arrangement.audit.entries, 'breakglass.vetoed')) {
    if (!veto.requestHash) continue;
    const checked = await verifyApprovals(veto.requestHash, [{ ...veto, requestHash: veto.requestHash }], officerKeys, 1);
    if (!checked.ok && checked.reason === 'vetoed')
      throw new Error('Not opened: an officer of the organisation vetoed this activation (the audit log holds the veto).');
  }
  const shares = await onChain(session, arrangement, async (signEntry) =>
    expectOk(
      await api.api.arrangements[':id']['key-share'].$post({
        param: { id: arrangement.id },
        json: { auditEntry: signEntry('breakglass.key_released', { arrangementId: arrangement.id, requestHash: arrangement.requestHash }) },
      }),
    ),
  );
  const key = await recoverArrangementKey(
    { descriptor: arrangement.descriptor, ...shares },
    { boxPublicKey: session.orgKeys.publicKey, boxSecretKey: session.orgKeys.secretKey },
  );
  let records: Record<string, unknown>[];
  try {
    const { bundle } = await expectOk(await api.api.arrangements[':id'].copy.$get({ param: { id: arrangement.id } }));
    const opened = await openBundle(
      fromBase64(bundle),
      { boxPublicKey: fromBase64(arrangement.descriptor.publicKey), boxSecretKey: key.secretKey },
      {
        requestHash: await arrangementCopyHash(arrangement.descriptor),
        officerKeys: roster.roster.head.officers.map((officer) => officer.signPublicKey),
        fields: releasedProperties(arrangement.descriptor.fields as ReleaseField[]),
        orgId: arrangement.csoOrgId,
      },
    );
    records = opened.records;
  } finally {
    key.secretKey.fill(0);
  }
  return withinRequest(records, request);
}

/** The copy's records the request asked for: people of its nationalities, where the copy says where they are, inside its area. */
export function withinRequest(
  records: readonly Record<string, unknown>[],
  request: Pick<ActivationRequest, 'area' | 'nationalities'>,
): Record<string, unknown>[] {
  const area = prepareArea(request.area);
  const wanted = new Set(request.nationalities);
  const position = (record: Record<string, unknown>) => record.location as { lon: number; lat: number } | undefined;
  const communities = new Map(records.filter((record) => record.kind === 'community').map((record) => [record.id as string, record]));
  const persons = records.filter((record) => {
    if (record.kind !== 'person') return false;
    if (typeof record.nationality === 'string' && !wanted.has(record.nationality)) return false;
    const where =
      position(record) ?? (typeof record.communityId === 'string' ? position(communities.get(record.communityId) ?? {}) : undefined);
    return where === undefined || inArea(area, where);
  });
  const withPeople = new Set(persons.map((person) => person.communityId));
  const kept = [...communities.values()].filter(
    (community) => withPeople.has(community.id) && (position(community) === undefined || inArea(area, position(community))),
  );
  return [...kept, ...persons];
}
