// The partner statement: what a CSO's officer verified of a consulate or city before the CSO works
// with it (issue 15, decision 0609). The server's directory says who an organisation is, of what
// kind, and which nationalities it serves; all of that is the server's word, and anyone could
// register "Embassy of Nepal". An officer compares the requester's statement fingerprint with the
// requester out of band (read aloud, or scanned from a QR code), then signs this statement: the
// requester's statement head it compared, the kind and the nationalities the CSO accepts it serves.
// Every CSO device applies consent rules, and seals releases, from this signed view and the
// requester's statement chain verified from the head named here; never from the server's row.
// No libsodium in this module: the Worker verifies with it. Signing: partner-sign.ts.
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';
import { fromBase64, parseUtcTime } from './encoding.ts';
import { verifyEd25519 } from './webcrypto.ts';

export const PARTNER_PURPOSE = 'buffer/partner/v1';
export type PartnerKind = 'consulate' | 'city';

export interface PartnerStatement {
  purpose: typeof PARTNER_PURPOSE;
  /** The CSO whose officer verified the partner. */
  csoOrgId: string;
  /** The consulate or city. */
  requesterOrgId: string;
  /** The kind the CSO accepts: decides the consent rule (a city receives people with refugee status, a consulate does not). */
  kind: PartnerKind;
  /** ISO 3166-1 alpha-2 codes the CSO accepts the partner serves, sorted, without repeats; empty for a city. */
  nationalities: string[];
  /** The requester's organisation statement head the officer compared out of band. */
  requesterHead: { version: number; hash: string };
  /** When the officer signed (ISO 8601, UTC). */
  verifiedAt: string;
}

export interface SignedPartner {
  statement: PartnerStatement;
  /** The CSO officer who compared and signed. */
  signerId: string;
  /** base64url Ed25519 signature over partnerBytes(statement). */
  signature: string;
}

/** What a requester gives a CSO out of band: its id and statement head, as one string ("<orgId>~<version>.<hash>"). */
export interface PartnerCode {
  orgId: string;
  version: number;
  hash: string;
}

const ORG_ID = /^[A-Za-z0-9_-]{8,64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const COUNTRY = /^[A-Z]{2}$/;
const codePattern = /^\s*([A-Za-z0-9_-]{8,64})~([1-9][0-9]{0,8})\.([0-9a-fA-F]{64})\s*$/;

function fail(message: string): never {
  throw new CryptoError('bad_format', `partner: ${message}`);
}

export function formatPartnerCode(code: PartnerCode): string {
  return `${code.orgId}~${code.version}.${code.hash}`;
}

/** Reads a partner code (hex in either case, spaces around it ignored); null when it is not one. */
export function parsePartnerCode(text: string): PartnerCode | null {
  const match = codePattern.exec(text);
  if (!match) return null;
  return { orgId: match[1]!, version: Number(match[2]), hash: match[3]!.toLowerCase() };
}

/** The statement with its nationalities sorted, every field checked. Throws CryptoError('bad_format'). */
export function normalisePartner(statement: PartnerStatement): PartnerStatement {
  if (statement === null || typeof statement !== 'object') fail('the statement must be an object');
  const allowed = new Set(['purpose', 'csoOrgId', 'requesterOrgId', 'kind', 'nationalities', 'requesterHead', 'verifiedAt']);
  for (const key of Object.keys(statement)) if (!allowed.has(key)) fail(`unknown field ${key}`);
  if (statement.purpose !== PARTNER_PURPOSE) fail(`purpose must be ${PARTNER_PURPOSE}`);
  if (typeof statement.csoOrgId !== 'string' || !ORG_ID.test(statement.csoOrgId)) fail('csoOrgId must be an organisation id');
  if (typeof statement.requesterOrgId !== 'string' || !ORG_ID.test(statement.requesterOrgId))
    fail('requesterOrgId must be an organisation id');
  if (statement.requesterOrgId === statement.csoOrgId) fail('an organisation is not its own partner');
  if (statement.kind !== 'consulate' && statement.kind !== 'city') fail('kind must be "consulate" or "city"');
  if (!Array.isArray(statement.nationalities) || statement.nationalities.length > 50)
    fail('nationalities must be a list of at most 50 codes');
  for (const code of statement.nationalities)
    if (typeof code !== 'string' || !COUNTRY.test(code)) fail('each nationality is an ISO 3166-1 alpha-2 code in capitals');
  const nationalities = [...new Set(statement.nationalities)].sort();
  if (nationalities.length !== statement.nationalities.length) fail('a nationality is listed twice');
  if (statement.kind === 'consulate' && nationalities.length === 0) fail('a consulate serves at least one nationality');
  const head = statement.requesterHead;
  if (head === null || typeof head !== 'object' || Object.keys(head).sort().join() !== 'hash,version')
    fail('requesterHead must be { version, hash }');
  if (!Number.isInteger(head.version) || head.version < 1) fail('requesterHead.version must be a whole number from 1');
  if (typeof head.hash !== 'string' || !HEX64.test(head.hash)) fail('requesterHead.hash must be 64 lower-case hex digits');
  if (typeof statement.verifiedAt !== 'string' || Number.isNaN(parseUtcTime(statement.verifiedAt)))
    fail('verifiedAt must be a time in UTC (crypto/FORMAT.md, Conventions)');
  return {
    purpose: PARTNER_PURPOSE,
    csoOrgId: statement.csoOrgId,
    requesterOrgId: statement.requesterOrgId,
    kind: statement.kind,
    nationalities,
    requesterHead: { version: head.version, hash: head.hash },
    verifiedAt: statement.verifiedAt,
  };
}

/** The exact bytes an officer signs: canonical JSON of the normalised statement. */
export function partnerBytes(statement: PartnerStatement): Uint8Array {
  return canonicalize(normalisePartner(statement) as unknown as Record<string, unknown>);
}

/**
 * Checks a signed partner statement against the officers of the CSO's verified statement (member
 * id → base64url Ed25519 key). Returns the normalised statement; throws CryptoError('bad_format')
 * when it is malformed, ('bad_signature') when no listed officer signed it.
 */
export async function verifyPartner(
  signed: SignedPartner,
  officers: ReadonlyMap<string, string>,
  expect: { csoOrgId: string; requesterOrgId?: string },
): Promise<PartnerStatement> {
  if (signed === null || typeof signed !== 'object') fail('the signed statement must be an object');
  const statement = normalisePartner(signed.statement);
  if (statement.csoOrgId !== expect.csoOrgId) fail(`the statement is for organisation ${statement.csoOrgId}, not ${expect.csoOrgId}`);
  if (expect.requesterOrgId !== undefined && statement.requesterOrgId !== expect.requesterOrgId)
    fail(`the statement names ${statement.requesterOrgId}, not ${expect.requesterOrgId}`);
  const key = typeof signed.signerId === 'string' ? officers.get(signed.signerId) : undefined;
  if (!key)
    throw new CryptoError(
      'bad_signature',
      `partner: ${String(signed.signerId)} is not an officer of the organisation's verified statement`,
    );
  let signature: Uint8Array;
  try {
    signature = fromBase64(signed.signature);
  } catch {
    fail('the signature is not base64url');
  }
  if (signature.length !== 64 || !(await verifyEd25519(fromBase64(key), signature, partnerBytes(statement)))) {
    throw new CryptoError('bad_signature', 'partner: the signature does not verify under the signing officer’s key');
  }
  return statement;
}
