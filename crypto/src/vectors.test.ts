// Our implementation against the committed vectors in crypto/test-vectors (see generate.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from './bundle.ts';
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';
import { fromBase64, toBase64 } from './encoding.ts';
import { bucketLength } from './padding.ts';
import { createRecordOpener, openAuthoredRecord, openRecord } from './records.ts';
import { ready } from './sodium.ts';
import { requestHash, verifyApprovals, verifyRequestSignature, type Decision } from './activation.ts';
import { verifyChain, type AuditEntry } from './audit.ts';
import { verifyArrangement } from './breakglass-policy.ts';
import { createArrangementOpener, openArrangementEscrow, openWithArrangement, recoverArrangementKey } from './breakglass.ts';
import { unlockMemberKeys, type LockedMemberKeys } from './members.ts';
import { unwrapOrgKey } from './org.ts';
import { parsePartnerCode, partnerBytes, verifyPartner, type PartnerCode, type PartnerStatement, type SignedPartner } from './partner.ts';
import { recoverOrgKey } from './recovery.ts';
import { decisionKeys, RosterError, verifyRosterChainFrom, type RosterPin, type RosterStatement, type SignedRoster } from './roster.ts';

const vectorsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-vectors');
const read = (file: string) => JSON.parse(readFileSync(path.join(vectorsDir, file), 'utf8'));
const bundleFiles = readdirSync(path.join(vectorsDir, 'bundle'))
  .filter((file) => file.endsWith('.json'))
  .sort();

beforeAll(ready);

describe('test vectors: release bundles', () => {
  it('has good and bad vectors, all marked TEST-ONLY', () => {
    expect(bundleFiles.filter((file) => file.startsWith('good-')).length).toBeGreaterThanOrEqual(2);
    expect(bundleFiles.filter((file) => file.startsWith('bad-')).length).toBeGreaterThanOrEqual(10);
    for (const file of bundleFiles) expect(read(`bundle/${file}`).warning).toMatch(/TEST-ONLY/);
  });

  it.each(bundleFiles)('%s', async (file) => {
    const vector = read(`bundle/${file}`);
    const open = () =>
      openBundle(
        fromBase64(vector.bundle),
        { boxPublicKey: fromBase64(vector.recipientPublicKey), boxSecretKey: fromBase64(vector.recipientSecretKey) },
        {
          requestHash: vector.requestHash,
          officerKeys: vector.officerKeys,
          now: new Date(vector.now),
          fields: vector.fields,
          orgId: vector.orgId,
        },
      );
    if (vector.expect.ok) {
      expect((await open()).records).toEqual(vector.expect.records);
    } else {
      const error = await open().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe(vector.expect.error);
    }
  });
});

describe('test vectors: records', () => {
  const vector = read('records-v1.json');
  type RecordCase = {
    description: string;
    orgId: string;
    recordId: string;
    version: number;
    envelope: string;
    expect: { ok: boolean; plaintext?: string; author?: string; error?: string };
  };
  const cases = vector.cases as RecordCase[];
  it.each(cases.map((entry) => ({ name: entry.description, entry })))('$name', ({ entry }) => {
    const { orgId, recordId, version, envelope, expect: expected } = entry;
    const opener = createRecordOpener(orgId, { publicKey: fromBase64(vector.orgPublicKey), secretKey: fromBase64(vector.orgSecretKey) });
    const run = () => openRecord(opener, recordId, version, fromBase64(envelope));
    if (expected.ok) {
      expect(new TextDecoder().decode(run())).toBe(expected.plaintext);
      expect(openAuthoredRecord(opener, recordId, version, fromBase64(envelope)).author ?? undefined).toBe(expected.author);
    } else {
      expect(run).toThrow(CryptoError);
      try {
        run();
      } catch (error) {
        expect((error as CryptoError).code).toBe(expected.error);
      }
    }
  });
});

/** The CryptoError code `action` fails with (the test fails if it succeeds or throws anything else). */
async function failureCode(action: () => unknown): Promise<string> {
  const error = await Promise.resolve()
    .then(action)
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(CryptoError);
  return (error as CryptoError).code;
}

describe('test vectors: locked member keys', () => {
  type LockedCase = {
    description: string;
    locked: LockedMemberKeys;
    passphrase: string;
    expect: { ok: true; signPublicKey: string; boxPublicKey: string } | { ok: false; error: string };
  };
  const cases = read('locked-keys-v1.json').cases as LockedCase[];
  it('has negative vectors for every parameter bound and for a secret that does not match its public key', () => {
    expect(cases.filter((entry) => !entry.expect.ok).map((entry) => entry.expect.ok === false && entry.expect.error)).toEqual(
      expect.arrayContaining(['bad_passphrase', 'bad_format', 'unsupported_version', 'tampered']),
    );
  });
  it.each(cases.map((entry) => ({ name: entry.description, entry })))('$name', async ({ entry }) => {
    const run = () => unlockMemberKeys(entry.locked, entry.passphrase);
    if (entry.expect.ok) {
      const keys = run();
      expect({ ok: true, signPublicKey: toBase64(keys.signPublicKey), boxPublicKey: toBase64(keys.boxPublicKey) }).toEqual(entry.expect);
    } else {
      expect(await failureCode(run)).toBe(entry.expect.error);
    }
  });
});

describe('test vectors: officer roster', () => {
  type RosterCase = {
    description: string;
    orgId: string;
    pin: RosterPin | null;
    chain: SignedRoster[];
    expect: { ok: true; version: number; hash: string } | { ok: false; error: string; version: number };
  };
  const cases = read('roster-v1.json').cases as RosterCase[];
  it.each(cases.map((entry) => ({ name: entry.description, entry })))('$name', async ({ entry }) => {
    const result = await verifyRosterChainFrom(entry.pin, entry.chain, entry.orgId).then(
      (verified) => ({ ok: true, version: verified.head.version, hash: verified.headHash }),
      (error: unknown) => {
        expect(error).toBeInstanceOf(RosterError);
        return { ok: false, error: (error as RosterError).code, version: (error as RosterError).version };
      },
    );
    expect(result).toEqual(entry.expect);
  });
});

describe('test vectors: organisation statement v2 (co-signed links, quorum, decisions)', () => {
  const vector = read('org-statement-v2.json');
  type ChainCase = {
    description: string;
    orgId: string;
    pin: RosterPin | null;
    chain: SignedRoster[];
    expect: { ok: true; version: number; hash: string; orgPublicKey: string | null } | { ok: false; error: string; version: number };
  };
  type Verdict =
    | { ok: true; approvers: string[] }
    | { ok: false; reason: 'vetoed'; vetoedBy: string[] }
    | { ok: false; reason: 'not_enough_approvals'; approvers: string[] };
  type DecisionCase = {
    description: string;
    atRequest: RosterStatement;
    head: RosterStatement;
    requestHash: string;
    approvalsRequired: number;
    decisions: Decision[];
    expect: Verdict;
  };
  const cases = vector.cases as ChainCase[];
  const decisions = vector.decisions as DecisionCase[];

  it('has good and bad chains, every refusal bad_format naming a version, and every kind of verdict', () => {
    expect(vector.warning).toMatch(/TEST-ONLY/);
    expect(cases.filter((entry) => entry.expect.ok).length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((entry) => !entry.expect.ok).length).toBeGreaterThanOrEqual(12);
    for (const entry of cases)
      if (!entry.expect.ok) expect(entry.expect).toEqual({ ok: false, error: 'bad_format', version: expect.any(Number) });
    // v2 statements with co-signatures, and an old v1 chain migrated to v2, are among the good chains.
    const good = cases.filter((entry) => entry.expect.ok).flatMap((entry) => entry.chain);
    expect(good.some((signed) => (signed.cosignatures?.length ?? 0) > 0)).toBe(true);
    expect(good.some((signed) => signed.statement.purpose === 'buffer/officer-roster/v1')).toBe(true);
    expect(new Set(decisions.map((entry) => (entry.expect.ok ? 'ok' : entry.expect.reason)))).toEqual(
      new Set(['ok', 'vetoed', 'not_enough_approvals']),
    );
  });

  it.each(cases.map((entry) => ({ name: entry.description, entry })))('chain: $name', async ({ entry }) => {
    const result = await verifyRosterChainFrom(entry.pin, entry.chain, entry.orgId).then(
      (verified) => ({
        ok: true,
        version: verified.head.version,
        hash: verified.headHash,
        orgPublicKey: verified.head.orgPublicKey ?? null,
      }),
      (error: unknown) => {
        expect(error).toBeInstanceOf(RosterError);
        return { ok: false, error: (error as RosterError).code, version: (error as RosterError).version };
      },
    );
    expect(result).toEqual(entry.expect);
  });

  it.each(decisions.map((entry) => ({ name: entry.description, entry })))('decisions: $name', async ({ entry }) => {
    const keys = decisionKeys(entry.atRequest, entry.head);
    const verdict = await verifyApprovals(entry.requestHash, entry.decisions, keys.approve, entry.approvalsRequired, keys.veto);
    const result = verdict.ok
      ? { ok: true, approvers: verdict.approvers }
      : verdict.reason === 'vetoed'
        ? { ok: false, reason: 'vetoed', vetoedBy: verdict.vetoedBy }
        : { ok: false, reason: 'not_enough_approvals', approvers: verdict.approvers };
    expect(result).toEqual(entry.expect);
  });
});

describe('test vectors: recovery shares', () => {
  const vector = read('recovery-v1.json');
  type RecoveryCase = { description: string; shares: string[]; expect: { ok: true; secretKey: string } | { ok: false; error: string } };
  const cases = vector.cases as RecoveryCase[];
  it.each(cases.map((entry) => ({ name: entry.description, entry })))('$name', async ({ entry }) => {
    const run = () => recoverOrgKey(entry.shares, vector.orgId, fromBase64(vector.orgPublicKey));
    if (entry.expect.ok) {
      expect(toBase64((await run()).secretKey)).toBe(entry.expect.secretKey);
    } else {
      expect(await failureCode(run)).toBe(entry.expect.error);
    }
  });
});

describe('test vectors: partner statements and codes', () => {
  const vector = read('partner-v1.json');
  type PartnerCase = {
    description: string;
    signed: SignedPartner;
    officers: Record<string, string>;
    csoOrgId: string;
    requesterOrgId: string | null;
    expect: { ok: true; statement: PartnerStatement; partnerBytes: string } | { ok: false; error: string };
  };
  const cases = vector.cases as PartnerCase[];
  const codes = vector.codes as { description: string; text: string; expect: PartnerCode | null }[];

  it('has good and bad statements (each refusal of steps 1-3) and good and bad codes, all TEST-ONLY', () => {
    expect(vector.warning).toMatch(/TEST-ONLY/);
    const good = cases.filter((entry) => entry.expect.ok);
    expect(good.map((entry) => entry.signed.statement.kind).sort()).toEqual(expect.arrayContaining(['city', 'consulate']));
    // The first good case stores its nationalities unsorted; its bytes have them sorted.
    expect(good[0]!.signed.statement.nationalities).not.toEqual([...good[0]!.signed.statement.nationalities].sort());
    expect(new Set(cases.filter((entry) => !entry.expect.ok).map((entry) => !entry.expect.ok && entry.expect.error))).toEqual(
      new Set(['bad_format', 'bad_signature']),
    );
    expect(codes.some((entry) => entry.expect === null) && codes.some((entry) => entry.expect !== null)).toBe(true);
  });

  it.each(cases.map((entry) => ({ name: entry.description, entry })))('$name', async ({ entry }) => {
    const result = await verifyPartner(entry.signed, new Map(Object.entries(entry.officers)), {
      csoOrgId: entry.csoOrgId,
      ...(entry.requesterOrgId === null ? {} : { requesterOrgId: entry.requesterOrgId }),
    }).then(
      (statement) => ({ ok: true, statement, partnerBytes: toBase64(partnerBytes(statement)) }),
      (error: unknown) => {
        expect(error).toBeInstanceOf(CryptoError);
        return { ok: false, error: (error as CryptoError).code };
      },
    );
    expect(result).toEqual(entry.expect);
  });

  it.each(codes.map((entry) => ({ name: entry.description, entry })))('code: $name', ({ entry }) => {
    expect(parsePartnerCode(entry.text)).toEqual(entry.expect);
  });
});

describe('test vectors: canonical JSON and padding', () => {
  const vector = read('canonical.json');
  it('canonicalises each input to the expected text', () => {
    for (const entry of vector.cases) expect(new TextDecoder().decode(canonicalize(JSON.parse(entry.input)))).toBe(entry.canonical);
  });
  it('rejects the rejected inputs', () => {
    for (const input of vector.rejected) expect(() => canonicalize(JSON.parse(input))).toThrow(CryptoError);
  });
  it('pads to the listed buckets', () => {
    for (const entry of vector.padding) expect(bucketLength(entry.length)).toBe(entry.bucket);
  });
});

describe('test vectors: keys, wraps, break-glass, audit, activation (v1 layouts stay readable)', () => {
  const vector = read('keys-v1.json');
  const member = () => ({ ...unlockMemberKeys(vector.lockedMemberKeys.locked, vector.lockedMemberKeys.passphrase) });

  it('locked member keys unlock with the passphrase and refuse a near miss', () => {
    const keys = member();
    expect(toBase64(keys.signPublicKey)).toBe(vector.member.signPublicKey);
    expect(toBase64(keys.boxSecretKey)).toBe(vector.member.boxSecretKey);
    expect(() => unlockMemberKeys(vector.lockedMemberKeys.locked, vector.lockedMemberKeys.wrongPassphrase)).toThrow(/passphrase/);
  });

  it('the wrapped org key opens with the member key and matches the org public key', () => {
    const org = unwrapOrgKey(vector.orgKeyWrap.wrapped, vector.orgKeyWrap.orgId, member(), fromBase64(vector.orgKeyWrap.orgPublicKey));
    expect(toBase64(org.publicKey)).toBe(vector.orgKeyWrap.orgPublicKey);
  });

  it('break-glass: shares rebuild the arrangement key, which opens the wrapped record; escrow agrees', async () => {
    const bg = vector.breakGlass;
    const requester = { boxPublicKey: fromBase64(bg.requesterBoxPublicKey), boxSecretKey: fromBase64(bg.requesterBoxSecretKey) };
    const keys = await recoverArrangementKey(bg.arrangement, requester);
    const opener = createArrangementOpener('org-test', 'arr-test', keys);
    expect(
      new TextDecoder().decode(openWithArrangement(opener, bg.recordId, bg.version, fromBase64(bg.envelope), fromBase64(bg.wrap))),
    ).toBe(bg.plaintext);
    const escrowed = openArrangementEscrow(bg.arrangement, {
      publicKey: fromBase64(vector.orgKeyWrap.orgPublicKey),
      secretKey: fromBase64(bg.orgSecretKey),
    });
    expect(escrowed.secretKey).toEqual(keys.secretKey);
    expect(await verifyArrangement(bg.arrangement.descriptor, bg.arrangement.signature, [vector.member.signPublicKey])).toBe(true);
  });

  it('the audit chain verifies, and an edited copy breaks at the edit', async () => {
    const chain = vector.audit.chain as AuditEntry[];
    expect(await verifyChain(chain)).toMatchObject({ ok: true, length: 4 });
    const edited = JSON.parse(JSON.stringify(chain)) as AuditEntry[];
    edited[2]!.type = 'veto';
    expect(await verifyChain(edited)).toMatchObject({ ok: false, brokenAt: 2, reason: 'bad_hash' });
  });

  it('the request hash is stable, signatures verify, a veto outweighs the approval', async () => {
    const activation = vector.activation;
    expect(await requestHash(activation.request)).toBe(activation.requestHash);
    expect(await verifyRequestSignature(activation.request, activation.requesterSignature)).toBe(true);
    expect(await verifyApprovals(activation.requestHash, [activation.approval], activation.officerKeys, 1)).toMatchObject({ ok: true });
    expect(await verifyApprovals(activation.requestHash, [activation.approval, activation.veto], activation.officerKeys, 1)).toMatchObject({
      ok: false,
      reason: 'vetoed',
    });
  });
});
