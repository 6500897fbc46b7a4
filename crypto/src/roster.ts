// The officer roster: which members of an organisation are its officers (whose approvals, vetoes
// and releases count), how many approvals a release needs (k) and, from v2 on, the organisation's
// public key. Each version names the previous version's hash, so the roster is a chain that devices
// pin. A v2 version (`buffer/org-statement/v2`, decision 0603) must be signed by k officers of the
// version it replaces (fewer only while that version has fewer than k officers): one officer alone
// cannot add a sock puppet, remove a colleague, lower k or swap the org key. Version 1 of a v2
// chain is signed by every officer it lists. A v1 version (`buffer/officer-roster/v1`, decision
// 0602) was signed by one officer; v1 links are still read in old chains, never after a v2 link.
// No libsodium in this module: the Worker verifies with it. Signing: roster-sign.ts.
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';
import { fromBase64, toHex } from './encoding.ts';
import { sha256, verifyEd25519 } from './webcrypto.ts';

export const ROSTER_PURPOSE = 'buffer/officer-roster/v1';
export const ROSTER_V2_PURPOSE = 'buffer/org-statement/v2';
export type RosterPurpose = typeof ROSTER_PURPOSE | typeof ROSTER_V2_PURPOSE;

export interface RosterOfficer {
  memberId: string;
  /** base64url Ed25519 public key (32 bytes). */
  signPublicKey: string;
  /** base64url X25519 public key (32 bytes). */
  boxPublicKey: string;
}

/** A field device in a v2 statement: a member who seals records but opens none (decision 0605). */
export interface RosterFieldDevice {
  memberId: string;
  /** base64url Ed25519 public key (32 bytes): the key its records' author header carries. */
  signPublicKey: string;
}

/** What officers sign. `officers` (and `fieldDevices`) are sorted by memberId when the bytes are built. */
export interface RosterStatement {
  purpose: RosterPurpose;
  orgId: string;
  /** 1, 2, 3, ... */
  version: number;
  /** Lower-case hex SHA-256 of the previous version's rosterBytes; null for version 1. */
  previous: string | null;
  approvalsRequired: number;
  officers: RosterOfficer[];
  /** v2 only (required there): the organisation's X25519 public key, base64url, that records are sealed to. */
  orgPublicKey?: string;
  /** v2 only, optional: the field devices whose records officers accept. Absent when there are none (never `[]` in the signed bytes). */
  fieldDevices?: RosterFieldDevice[];
  /**
   * v2 only, optional: days the server keeps a record version before deleting it (1 to 3650).
   * Absent: the deployment's default. Changing it needs k officers like any change but field
   * devices (issue 15: one officer could shorten it to a day).
   */
  retentionDays?: number;
}

/** A v2 statement: what clients sign from now on. */
export type RosterStatementV2 = RosterStatement & { purpose: typeof ROSTER_V2_PURPOSE; orgPublicKey: string };

export interface RosterSignature {
  signerId: string;
  /** base64url Ed25519 signature over rosterBytes(statement). */
  signature: string;
}

/**
 * A statement with the officer who proposed and signed it, and (v2) the officers who co-signed it.
 * Every signature is over the same bytes; the signers are officers of the previous version (of
 * version 1 itself for the first).
 */
export interface SignedRoster<Statement extends RosterStatement = RosterStatement> extends RosterSignature {
  statement: Statement;
  cosignatures?: RosterSignature[];
}

/** A client's trust anchor for one organisation: the version and hash it saw first (or last verified). */
export interface RosterPin {
  orgId: string;
  version: number;
  hash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

function fail(message: string): never {
  throw new CryptoError('bad_format', `roster: ${message}`);
}

function checkKey(value: unknown, what: string): string {
  if (typeof value !== 'string') fail(`${what} must be a base64url string`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value);
  } catch {
    fail(`${what} is not base64url`);
  }
  if (bytes.length !== 32) fail(`${what} must be 32 bytes`);
  return value;
}

/** The statement with its officers sorted, every field checked. Throws CryptoError('bad_format'). */
export function normaliseRoster(statement: RosterStatement): RosterStatement {
  if (!statement || typeof statement !== 'object') fail('statement must be an object');
  if (statement.purpose !== ROSTER_PURPOSE && statement.purpose !== ROSTER_V2_PURPOSE)
    fail(`purpose must be ${ROSTER_V2_PURPOSE} (or ${ROSTER_PURPOSE} in old chains)`);
  if (typeof statement.orgId !== 'string' || statement.orgId.length === 0) fail('orgId must be a non-empty string');
  if (!Number.isSafeInteger(statement.version) || statement.version < 1) fail('version must be an integer >= 1');
  if (statement.version === 1 ? statement.previous !== null : typeof statement.previous !== 'string' || !HEX64.test(statement.previous)) {
    fail(statement.version === 1 ? 'version 1 has previous = null' : 'previous must be the 64-hex-digit SHA-256 of the previous version');
  }
  if (!Number.isSafeInteger(statement.approvalsRequired) || statement.approvalsRequired < 1)
    fail('approvalsRequired must be an integer >= 1');
  if (!Array.isArray(statement.officers) || statement.officers.length === 0) fail('officers must be a non-empty array');
  const officers = statement.officers.map((officer, index) => {
    if (!officer || typeof officer !== 'object' || typeof officer.memberId !== 'string' || officer.memberId.length === 0)
      fail(`officers[${index}].memberId must be a non-empty string`);
    return {
      memberId: officer.memberId,
      signPublicKey: checkKey(officer.signPublicKey, `officers[${index}].signPublicKey`),
      boxPublicKey: checkKey(officer.boxPublicKey, `officers[${index}].boxPublicKey`),
    };
  });
  // Sorted by UTF-16 code units of the ids as given (FORMAT.md), not of their NFC forms: the bytes
  // of every statement signed so far stay the same.
  officers.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  for (let index = 1; index < officers.length; index++) {
    if (officers[index]!.memberId === officers[index - 1]!.memberId) fail(`officer ${officers[index]!.memberId} is listed twice`);
  }
  if (new Set(officers.map((officer) => officer.signPublicKey)).size !== officers.length) fail('two officers share a signing key');
  // The canonicaliser NFC-normalises every string it signs, so two ids (or keys) that differ only in
  // normalisation would be one officer in the signed bytes and two here: refuse them.
  if (new Set(officers.map((officer) => officer.memberId.normalize('NFC'))).size !== officers.length)
    fail('two memberIds are equal once normalised to NFC');
  if (new Set(officers.map((officer) => officer.signPublicKey.normalize('NFC'))).size !== officers.length)
    fail('two signPublicKeys are equal once normalised to NFC');
  const fieldDevices = normaliseFieldDevices(statement, officers);
  const common = {
    orgId: statement.orgId,
    version: statement.version,
    previous: statement.previous,
    approvalsRequired: statement.approvalsRequired,
    officers,
  };
  if (statement.purpose === ROSTER_PURPOSE) {
    if ('orgPublicKey' in statement && statement.orgPublicKey !== undefined) fail(`a ${ROSTER_PURPOSE} statement has no orgPublicKey`);
    if ('retentionDays' in statement && statement.retentionDays !== undefined) fail(`a ${ROSTER_PURPOSE} statement has no retentionDays`);
    return { purpose: ROSTER_PURPOSE, ...common };
  }
  const retentionDays = (statement as { retentionDays?: unknown }).retentionDays;
  if (
    retentionDays !== undefined &&
    (!Number.isSafeInteger(retentionDays) || (retentionDays as number) < 1 || (retentionDays as number) > 3650)
  )
    fail('retentionDays must be an integer from 1 to 3650');
  return {
    purpose: ROSTER_V2_PURPOSE,
    ...common,
    orgPublicKey: checkKey(statement.orgPublicKey, 'orgPublicKey'),
    ...(fieldDevices.length ? { fieldDevices } : {}),
    ...(retentionDays !== undefined ? { retentionDays: retentionDays as number } : {}),
  };
}

function normaliseFieldDevices(statement: RosterStatement, officers: readonly RosterOfficer[]): RosterFieldDevice[] {
  const given = (statement as { fieldDevices?: unknown }).fieldDevices;
  if (given === undefined) return [];
  if (statement.purpose === ROSTER_PURPOSE) fail(`a ${ROSTER_PURPOSE} statement has no fieldDevices`);
  if (!Array.isArray(given)) fail('fieldDevices must be an array');
  if (given.length === 0) fail('fieldDevices is left out when there are none, never []');
  const devices = (given as RosterFieldDevice[]).map((device, index) => {
    if (!device || typeof device !== 'object' || typeof device.memberId !== 'string' || device.memberId.length === 0)
      fail(`fieldDevices[${index}].memberId must be a non-empty string`);
    if (Object.keys(device).some((key) => key !== 'memberId' && key !== 'signPublicKey'))
      fail(`fieldDevices[${index}] has members other than memberId and signPublicKey`);
    return { memberId: device.memberId, signPublicKey: checkKey(device.signPublicKey, `fieldDevices[${index}].signPublicKey`) };
  });
  devices.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const ids = new Set(officers.map((officer) => officer.memberId.normalize('NFC')));
  const keys = new Set(officers.map((officer) => officer.signPublicKey.normalize('NFC')));
  for (const device of devices) {
    const id = device.memberId.normalize('NFC');
    const key = device.signPublicKey.normalize('NFC');
    if (ids.has(id)) fail(`${device.memberId} is listed twice (as an officer or field device)`);
    if (keys.has(key)) fail(`two members share the signing key of field device ${device.memberId}`);
    ids.add(id);
    keys.add(key);
  }
  return devices;
}

/**
 * Every key a record's author header may carry, from a statement: officers' and field devices'
 * signing keys (base64url) with their member ids.
 */
export function statementAuthors(statement: RosterStatement): Map<string, { memberId: string; role: 'officer' | 'field' }> {
  const authors = new Map<string, { memberId: string; role: 'officer' | 'field' }>();
  for (const officer of statement.officers) authors.set(officer.signPublicKey, { memberId: officer.memberId, role: 'officer' });
  for (const device of statement.fieldDevices ?? []) authors.set(device.signPublicKey, { memberId: device.memberId, role: 'field' });
  return authors;
}

/**
 * How many officers of `previous` must sign the version after it: k, or every officer while there
 * are fewer than k (an organisation founded with k = 2 and one officer adds its second officer on
 * the founder's signature; from then on two sign). The bootstrap rule: decision 0603.
 */
export function rosterQuorum(previous: RosterStatement): number {
  return Math.min(previous.approvalsRequired, previous.officers.length);
}

const officerKey = (officers: readonly RosterOfficer[]) =>
  officers.map((officer) => `${officer.memberId} ${officer.signPublicKey} ${officer.boxPublicKey}`).join('\n');

/**
 * How many officers of `previous` must sign `next` (both normalised): one when the two differ in
 * their field devices alone (a field device seals and reads nothing; adding one must be quick in
 * the field and removing a lost one quicker: decision 0605), rosterQuorum(previous) otherwise.
 */
export function linkQuorum(previous: RosterStatement, next: RosterStatement): number {
  const fieldOnly =
    previous.purpose === ROSTER_V2_PURPOSE &&
    previous.approvalsRequired === next.approvalsRequired &&
    previous.orgPublicKey === next.orgPublicKey &&
    previous.retentionDays === next.retentionDays &&
    officerKey(previous.officers) === officerKey(next.officers);
  return fieldOnly ? 1 : rosterQuorum(previous);
}

/** The exact bytes an officer signs and the chain hashes: canonical JSON of the normalised statement. */
export function rosterBytes(statement: RosterStatement): Uint8Array {
  return canonicalize(normaliseRoster(statement) as unknown as Record<string, unknown>);
}

/** Lower-case hex SHA-256 of rosterBytes: what `previous` and a pin refer to. */
export async function rosterHash(statement: RosterStatement): Promise<string> {
  return toHex(await sha256(rosterBytes(statement)));
}

/** The first 8 bytes of a roster hash as four groups of four hex digits, for comparing out of band. */
export function rosterFingerprint(hash: string): string {
  return (hash.slice(0, 16).match(/.{4}/g) ?? []).join(' ').toUpperCase();
}

export interface RosterChangeRequest {
  officers?: RosterOfficer[];
  fieldDevices?: RosterFieldDevice[];
  approvalsRequired?: number;
  /** Required when `current` is a v1 statement (it names no org key): the migration to v2. */
  orgPublicKey?: string;
  retentionDays?: number;
}

/** The next version's statement (always v2), from the current one: same org, version + 1, previous = its hash. */
export async function nextRoster(current: RosterStatement, change: RosterChangeRequest): Promise<RosterStatementV2> {
  const orgPublicKey = change.orgPublicKey ?? current.orgPublicKey;
  if (orgPublicKey === undefined) fail(`the version after a ${ROSTER_PURPOSE} statement must name the org public key`);
  return normaliseRoster({
    purpose: ROSTER_V2_PURPOSE,
    orgId: current.orgId,
    version: current.version + 1,
    previous: await rosterHash(current),
    approvalsRequired: change.approvalsRequired ?? current.approvalsRequired,
    officers: change.officers ?? current.officers,
    orgPublicKey,
    ...((change.fieldDevices ?? current.fieldDevices ?? []).length ? { fieldDevices: change.fieldDevices ?? current.fieldDevices } : {}),
    ...((change.retentionDays ?? current.retentionDays) !== undefined
      ? { retentionDays: change.retentionDays ?? current.retentionDays }
      : {}),
  }) as RosterStatementV2;
}

/**
 * Whose decisions count on a request made while `atRequest` was the roster (decision 0603): an
 * approval only from an officer of that version who is still an officer, with the same key, in
 * `head` (officers added later do not count towards k, and a removed officer's key approves
 * nothing); a veto from an officer of either (a veto stands after its officer is removed).
 */
export function decisionKeys(
  atRequest: RosterStatement,
  head: RosterStatement,
): { approve: Map<string, string>; veto: Map<string, string> } {
  const now = new Map(head.officers.map((officer) => [officer.memberId, officer.signPublicKey]));
  const approve = new Map(
    atRequest.officers
      .filter((officer) => now.get(officer.memberId) === officer.signPublicKey)
      .map((officer) => [officer.memberId, officer.signPublicKey]),
  );
  const veto = new Map(atRequest.officers.map((officer) => [officer.memberId, officer.signPublicKey]));
  for (const [memberId, key] of now) if (!veto.has(memberId)) veto.set(memberId, key);
  return { approve, veto };
}

/** Raised by the chain checks; `version` names the first version that failed. */
export class RosterError extends CryptoError {
  constructor(
    readonly version: number,
    message: string,
  ) {
    super('bad_format', `roster version ${version}: ${message}`);
    this.name = 'RosterError';
  }
}

export interface VerifiedRoster {
  /** The latest statement of the chain. */
  head: RosterStatement;
  headHash: string;
  /** Every statement, oldest first, with its hash, its proposer and every officer whose signature counted. */
  versions: { statement: RosterStatement; hash: string; signerId: string; signers: string[] }[];
}

async function checkSignature(signed: RosterSignature, signers: readonly RosterOfficer[], version: number, bytes: Uint8Array) {
  const signer = signers.find((officer) => officer.memberId === signed?.signerId);
  if (!signer)
    throw new RosterError(
      version,
      `signed by ${String(signed?.signerId)}, who is not an officer of ${version === 1 ? 'this version' : `version ${version - 1}`}`,
    );
  let valid = false;
  try {
    valid = await verifyEd25519(fromBase64(signer.signPublicKey), fromBase64(signed.signature), bytes);
  } catch {
    valid = false;
  }
  if (!valid) throw new RosterError(version, `the signature of ${signed.signerId} does not verify`);
}

/** Every signature of a link (the proposer's first), each checked; returns the distinct signers. */
async function checkSignatures(
  signed: SignedRoster,
  signers: readonly RosterOfficer[],
  version: number,
  bytes: Uint8Array,
): Promise<string[]> {
  if (signed.cosignatures !== undefined && !Array.isArray(signed.cosignatures))
    throw new RosterError(version, 'cosignatures must be an array');
  const all: RosterSignature[] = [{ signerId: signed.signerId, signature: signed.signature }, ...(signed.cosignatures ?? [])];
  const distinct = new Set<string>();
  for (const signature of all) {
    if (distinct.has(signature?.signerId)) throw new RosterError(version, `${signature.signerId} signed twice`);
    await checkSignature(signature, signers, version, bytes);
    distinct.add(signature.signerId);
  }
  return [...distinct];
}

/** One link of a chain, its signatures checked; `signers` may still be fewer than `needed`. */
export interface CheckedLink {
  statement: RosterStatement;
  hash: string;
  /** The distinct officers whose valid signatures it carries. */
  signers: string[];
  /** How many it needs: v1 link 1; v2 version 1 every officer it lists; v2 later linkQuorum(previous, it). */
  needed: number;
}

/**
 * Checks one link against the version before it (null for version 1): format, organisation,
 * version number, previous hash, and every signature it carries (each must be valid and by an
 * officer of the version before, or of version 1 itself). It does not require the signatures to be
 * enough: a proposal collects them (the server keeps it until `signers.length >= needed`).
 * Throws RosterError.
 */
export async function checkRosterLink(
  signed: SignedRoster,
  before: { statement: RosterStatement; hash: string } | null,
  orgId?: string,
): Promise<CheckedLink> {
  const claimed = typeof signed?.statement?.version === 'number' ? signed.statement.version : (before?.statement.version ?? 0) + 1;
  let statement: RosterStatement;
  try {
    statement = normaliseRoster(signed.statement);
  } catch (error) {
    throw new RosterError(claimed, (error as Error).message);
  }
  if (orgId !== undefined && statement.orgId !== orgId)
    throw new RosterError(statement.version, `belongs to organisation ${statement.orgId}, not ${orgId}`);
  if (before === null) {
    if (statement.version !== 1)
      throw new RosterError(statement.version, 'the chain does not start at version 1 and no earlier version is trusted');
  } else {
    if (statement.version !== before.statement.version + 1)
      throw new RosterError(statement.version, `follows version ${before.statement.version}: a version is missing or repeated`);
    if (statement.previous !== before.hash)
      throw new RosterError(
        statement.version,
        `does not continue version ${before.statement.version} (its previous hash differs): the chain is broken or forked`,
      );
  }
  const bytes = rosterBytes(statement);
  const hash = await rosterHash(statement);
  const officers = before === null ? statement.officers : before.statement.officers;
  if (statement.purpose === ROSTER_PURPOSE) {
    if (before?.statement.purpose === ROSTER_V2_PURPOSE)
      throw new RosterError(statement.version, `a ${ROSTER_PURPOSE} statement cannot follow a ${ROSTER_V2_PURPOSE} one`);
    if (signed.cosignatures !== undefined && !(Array.isArray(signed.cosignatures) && signed.cosignatures.length === 0)) {
      throw new RosterError(statement.version, `a ${ROSTER_PURPOSE} statement has one signature, no co-signatures`);
    }
    await checkSignature(signed, officers, statement.version, bytes);
    return { statement, hash, signers: [signed.signerId], needed: 1 };
  }
  const signers = await checkSignatures(signed, officers, statement.version, bytes);
  return { statement, hash, signers, needed: before === null ? statement.officers.length : linkQuorum(before.statement, statement) };
}

/** Throws unless the link carries the signatures it needs. */
function requireEnough(link: CheckedLink, previousVersion: number | null) {
  if (link.signers.length >= link.needed) return;
  throw new RosterError(
    link.statement.version,
    previousVersion === null
      ? `version 1 must be signed by every officer it lists (${link.needed}); it has ${link.signers.length}`
      : `needs the signatures of ${link.needed} officers of version ${previousVersion}; it has ${link.signers.length}`,
  );
}

/**
 * Verifies consecutive signed statements of one organisation. `anchor` is the statement before the
 * first one, already trusted (null when the chain starts at version 1). Rules: version 1 is signed
 * by an officer it lists; version n+1 is signed by an officer of version n, names version n's hash
 * as `previous` and its version is n + 1. Throws RosterError naming the first bad version.
 */
export async function verifyRosterChain(
  chain: readonly SignedRoster[],
  options: { orgId?: string; anchor?: RosterStatement | null } = {},
): Promise<VerifiedRoster> {
  if (!Array.isArray(chain) || chain.length === 0)
    throw new RosterError(options.anchor ? options.anchor.version + 1 : 1, 'the chain is empty');
  let before: { statement: RosterStatement; hash: string } | null = options.anchor
    ? { statement: normaliseRoster(options.anchor), hash: await rosterHash(options.anchor) }
    : null;
  const orgId = options.orgId ?? before?.statement.orgId;
  const versions: VerifiedRoster['versions'] = [];
  for (const signed of chain) {
    const link = await checkRosterLink(signed, before, orgId);
    requireEnough(link, before?.statement.version ?? null);
    versions.push({ statement: link.statement, hash: link.hash, signerId: signed.signerId, signers: link.signers });
    before = { statement: link.statement, hash: link.hash };
  }
  return { head: before!.statement, headHash: before!.hash, versions };
}

export interface RosterChange {
  added: RosterOfficer[];
  removed: RosterOfficer[];
  /** Officers whose keys changed under the same member id. */
  rekeyed: RosterOfficer[];
  approvalsRequired: { from: number; to: number } | null;
  /** The org public key changed (a rotation, or v1 to v2, where it is first named). */
  orgPublicKey: { from: string | null; to: string | null } | null;
  fieldDevicesAdded: RosterFieldDevice[];
  fieldDevicesRemoved: RosterFieldDevice[];
  /** Days records are kept (null: the deployment's default). */
  retentionDays: { from: number | null; to: number | null } | null;
}

/** What differs from one version to another (for showing a client what changed since its pin). */
export function rosterChange(from: RosterStatement, to: RosterStatement): RosterChange {
  const before = new Map(from.officers.map((officer) => [officer.memberId, officer]));
  const after = new Map(to.officers.map((officer) => [officer.memberId, officer]));
  return {
    added: to.officers.filter((officer) => !before.has(officer.memberId)),
    removed: from.officers.filter((officer) => !after.has(officer.memberId)),
    rekeyed: to.officers.filter((officer) => {
      const old = before.get(officer.memberId);
      return old !== undefined && (old.signPublicKey !== officer.signPublicKey || old.boxPublicKey !== officer.boxPublicKey);
    }),
    approvalsRequired: from.approvalsRequired === to.approvalsRequired ? null : { from: from.approvalsRequired, to: to.approvalsRequired },
    orgPublicKey:
      (from.orgPublicKey ?? null) === (to.orgPublicKey ?? null) ? null : { from: from.orgPublicKey ?? null, to: to.orgPublicKey ?? null },
    fieldDevicesAdded: (to.fieldDevices ?? []).filter(
      (device) => !(from.fieldDevices ?? []).some((old) => old.memberId === device.memberId && old.signPublicKey === device.signPublicKey),
    ),
    fieldDevicesRemoved: (from.fieldDevices ?? []).filter(
      (device) => !(to.fieldDevices ?? []).some((now) => now.memberId === device.memberId && now.signPublicKey === device.signPublicKey),
    ),
    retentionDays:
      (from.retentionDays ?? null) === (to.retentionDays ?? null)
        ? null
        : { from: from.retentionDays ?? null, to: to.retentionDays ?? null },
  };
}

/**
 * A client's check: the chain the server sends (oldest first; it may start at version 1 or at any
 * version up to the pinned one) must contain the pinned version with the pinned hash and extend it
 * by valid links. With no pin (first use), the chain must verify from version 1 and its head
 * becomes the pin. Returns the verified head, the new pin and what changed since the old pin.
 * Throws RosterError naming the version where the chain breaks or forks from the pin.
 */
export async function verifyRosterChainFrom(
  pinned: RosterPin | null,
  chain: readonly SignedRoster[],
  orgId?: string,
): Promise<VerifiedRoster & { pin: RosterPin; change: RosterChange | null; pinned: RosterStatement | null }> {
  const expectedOrg = orgId ?? pinned?.orgId;
  if (!Array.isArray(chain) || chain.length === 0) throw new RosterError(pinned ? pinned.version : 1, 'the server sent no roster');
  if (pinned === null) {
    const verified = await verifyRosterChain(chain, expectedOrg === undefined ? {} : { orgId: expectedOrg });
    return {
      ...verified,
      pin: { orgId: verified.head.orgId, version: verified.head.version, hash: verified.headHash },
      change: null,
      pinned: null,
    };
  }
  if (expectedOrg !== pinned.orgId)
    throw new RosterError(pinned.version, `the pin is for organisation ${pinned.orgId}, not ${String(expectedOrg)}`);
  if (chain[0]?.statement?.version === 1) {
    // The whole chain: verify it from version 1, then it must pass through the pin.
    const verified = await verifyRosterChain(chain, { orgId: pinned.orgId });
    const atPin = verified.versions.find((entry) => entry.statement.version === pinned.version);
    if (!atPin)
      throw new RosterError(
        pinned.version,
        `the server shows version ${verified.head.version}, older than version ${pinned.version} seen before: a rollback`,
      );
    if (atPin.hash !== pinned.hash)
      throw new RosterError(pinned.version, 'differs from the version this device saw before: the roster was forked or rewritten');
    return {
      ...verified,
      pin: { orgId: pinned.orgId, version: verified.head.version, hash: verified.headHash },
      change: verified.head.version === pinned.version ? null : rosterChange(atPin.statement, verified.head),
      pinned: atPin.statement,
    };
  }
  const start = chain.findIndex((signed) => signed?.statement?.version === pinned.version);
  if (start < 0) {
    const newest = Math.max(...chain.map((signed) => Number(signed?.statement?.version) || 0));
    throw new RosterError(
      pinned.version,
      newest < pinned.version
        ? `the server shows version ${newest}, older than version ${pinned.version} seen before: a rollback`
        : 'the pinned version is missing from the chain',
    );
  }
  if (start !== 0)
    throw new RosterError(
      chain[0]?.statement?.version ?? pinned.version,
      `a chain that does not start at version 1 must start at the pinned version ${pinned.version}`,
    );
  const anchorSigned = chain[start]!;
  let anchor: RosterStatement;
  try {
    anchor = normaliseRoster(anchorSigned.statement);
  } catch (error) {
    throw new RosterError(pinned.version, (error as Error).message);
  }
  if (anchor.orgId !== pinned.orgId || (await rosterHash(anchor)) !== pinned.hash) {
    throw new RosterError(pinned.version, 'differs from the version this device saw before: the roster was forked or rewritten');
  }
  const rest = chain.slice(start + 1);
  if (rest.length === 0) {
    return {
      head: anchor,
      headHash: pinned.hash,
      versions: [{ statement: anchor, hash: pinned.hash, signerId: anchorSigned.signerId, signers: [] }],
      pin: pinned,
      change: null,
      pinned: anchor,
    };
  }
  const verified = await verifyRosterChain(rest, { anchor, orgId: pinned.orgId });
  return {
    head: verified.head,
    headHash: verified.headHash,
    versions: [{ statement: anchor, hash: pinned.hash, signerId: anchorSigned.signerId, signers: [] }, ...verified.versions],
    pin: { orgId: pinned.orgId, version: verified.head.version, hash: verified.headHash },
    change: rosterChange(anchor, verified.head),
    pinned: anchor,
  };
}
