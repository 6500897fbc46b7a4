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
import { createRecordOpener, openRecord } from './records.ts';
import { ready } from './sodium.ts';
import { requestHash, verifyApprovals, verifyRequestSignature } from './activation.ts';
import { verifyChain, type AuditEntry } from './audit.ts';
import { verifyArrangement } from './breakglass-policy.ts';
import { createArrangementOpener, openArrangementEscrow, openWithArrangement, recoverArrangementKey } from './breakglass.ts';
import { unlockMemberKeys } from './members.ts';
import { unwrapOrgKey } from './org.ts';

const vectorsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-vectors');
const read = (file: string) => JSON.parse(readFileSync(path.join(vectorsDir, file), 'utf8'));
const bundleFiles = readdirSync(path.join(vectorsDir, 'bundle')).filter((file) => file.endsWith('.json')).sort();

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
      openBundle(fromBase64(vector.bundle), { boxPublicKey: fromBase64(vector.recipientPublicKey), boxSecretKey: fromBase64(vector.recipientSecretKey) }, {
        requestHash: vector.requestHash,
        officerKeys: vector.officerKeys,
        now: new Date(vector.now),
        fields: vector.fields,
      });
    if (vector.expect.ok) {
      expect((await open()).records).toEqual(vector.expect.records);
    } else {
      const error = await open().then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe(vector.expect.error);
    }
  });
});

describe('test vectors: records', () => {
  const vector = read('records-v1.json');
  type RecordCase = { description: string; orgId: string; recordId: string; version: number; envelope: string; expect: { ok: boolean; plaintext?: string; error?: string } };
  const cases = vector.cases as RecordCase[];
  it.each(cases.map((entry) => ({ name: entry.description, entry })))('$name', ({ entry }) => {
    const { orgId, recordId, version, envelope, expect: expected } = entry;
    const opener = createRecordOpener(orgId, { publicKey: fromBase64(vector.orgPublicKey), secretKey: fromBase64(vector.orgSecretKey) });
    const run = () => openRecord(opener, recordId, version, fromBase64(envelope));
    if (expected.ok) {
      expect(new TextDecoder().decode(run())).toBe(expected.plaintext);
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
    expect(new TextDecoder().decode(openWithArrangement(opener, bg.recordId, bg.version, fromBase64(bg.envelope), fromBase64(bg.wrap)))).toBe(bg.plaintext);
    const escrowed = openArrangementEscrow(bg.arrangement, { publicKey: fromBase64(vector.orgKeyWrap.orgPublicKey), secretKey: fromBase64(bg.orgSecretKey) });
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
    expect(await verifyApprovals(activation.requestHash, [activation.approval, activation.veto], activation.officerKeys, 1)).toMatchObject({ ok: false, reason: 'vetoed' });
  });
});
