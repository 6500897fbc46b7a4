// Regenerates the committed test vectors: `npx tsx crypto/test-vectors/generate.ts`.
// Every key here is TEST-ONLY, derived from a public label. Never use them for real data.
// Outputs are random (fresh nonces and keys), so regenerating changes the files; the tests check
// that our code and crypto/interop/open_bundle.py (written from FORMAT.md alone) agree on them.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sodium from 'libsodium-wrappers-sumo';
import { parseBundle, type BundleManifest } from '../src/bundle-manifest.ts';
import { assembleBundle, bundlePayload, createBundle, writeBundle, type BundleInput } from '../src/bundle.ts';
import { canonicalize } from '../src/canonical.ts';
import { toBase64, utf8 } from '../src/encoding.ts';
import type { MemberKeys } from '../src/members.ts';
import { bucketLength, pad } from '../src/padding.ts';
import { openSealingSession, sealRecord } from '../src/records.ts';
import { ready } from '../src/sodium.ts';
import type { ActivationRequest } from '../src/activation.ts';
import { requestHashSync, signDecision, signRequest } from '../src/activation-sign.ts';
import { appendEntry } from '../src/audit-append.ts';
import type { AuditEntry } from '../src/audit.ts';
import { createArrangement, openArrangementSession, wrapForArrangement } from '../src/breakglass.ts';
import { lockMemberKeys } from '../src/members.ts';
import { wrapOrgKey } from '../src/org.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const WARNING = 'TEST-ONLY KEYS derived from public labels: anyone can recompute them. Never use for real data.';

await ready();

function testMember(label: string): MemberKeys {
  const seed = sodium.crypto_hash_sha256(utf8(`buffer TEST-ONLY ${label}`));
  const signing = sodium.crypto_sign_seed_keypair(seed);
  const box = sodium.crypto_box_seed_keypair(seed);
  return { signPublicKey: signing.publicKey, signSecretKey: signing.privateKey, boxPublicKey: box.publicKey, boxSecretKey: box.privateKey };
}

const officer = testMember('officer');
const outsider = testMember('outsider');
const requester = testMember('requester');
const otherRequester = testMember('other-requester');
const requestHash = toBase64(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY request')));
const records = [
  { name: 'Test Person Amina', phone: '+000 00 000 001', nationality: 'SD', assemblyPoint: 'AP-7', documentNumber: 'NOT-RELEASED-1' },
  { name: 'Test Person José', phone: '+000 00 000 002', nationality: 'ET', assemblyPoint: 'AP-7', documentNumber: 'NOT-RELEASED-2' },
  { name: 'Test Person 李', phone: '+000 00 000 003', nationality: 'SD', assemblyPoint: 'AP-9' },
  ...Array.from({ length: 37 }, (_, index) => ({ name: `Test Person ${index + 4}`, phone: `+000 00 ${String(index + 4).padStart(6, '0')}`, nationality: 'ER', assemblyPoint: `AP-${index % 5}` })),
];
const fields = ['name', 'phone', 'nationality', 'assemblyPoint'];
const base: BundleInput = {
  orgId: 'org-test',
  requestHash,
  recipientBoxPublicKey: requester.boxPublicKey,
  fields,
  records,
  expiresAt: '2030-01-01T00:00:00.000Z',
  createdAt: '2026-11-23T10:00:00.000Z',
  releasedBy: { memberId: 'officer-test', keys: officer },
  chunkSize: 1024,
};
const expectedRecords = records.map((record) => Object.fromEntries(fields.filter((field) => field in record).map((field) => [field, (record as Record<string, string>)[field]])));

const context = {
  warning: WARNING,
  recipientPublicKey: toBase64(requester.boxPublicKey),
  recipientSecretKey: toBase64(requester.boxSecretKey),
  officerKeys: [toBase64(officer.signPublicKey)],
  requestHash,
  now: '2026-11-24T00:00:00.000Z',
  fields: [...fields].sort(),
};

type Expect = { ok: true; records: unknown[] } | { ok: false; error: string };
const bundleDir = path.join(here, 'bundle');
rmSync(bundleDir, { recursive: true, force: true });
mkdirSync(bundleDir, { recursive: true });
function write(name: string, description: string, bundle: Uint8Array, expect: Expect, overrides: Partial<typeof context> = {}) {
  const vector = { description, ...context, ...overrides, bundle: toBase64(bundle), expect };
  writeFileSync(path.join(bundleDir, `${name}.json`), `${JSON.stringify(vector, null, 2)}\n`);
}

function split(bundle: Uint8Array) {
  const parsed = parseBundle(bundle);
  const frames: Uint8Array[] = [];
  let offset = parsed.chunksOffset;
  for (const chunk of parsed.manifest.chunks) {
    frames.push(bundle.slice(offset, offset + 24 + chunk.bytes));
    offset += 24 + chunk.bytes;
  }
  return { manifest: parsed.manifest, frames, parsed };
}
const hashOf = (frame: Uint8Array) => toBase64(sodium.crypto_hash_sha256(frame));

const good = createBundle(base);
write('good-basic', '40 records over several 1 KiB chunks; opens to `expect.records`', good, { ok: true, records: expectedRecords });
write('good-empty', 'zero records: header line only', createBundle({ ...base, records: [] }), { ok: true, records: [] });

const flipped = good.slice();
flipped[flipped.length - 30]! ^= 0x01;
write('bad-flipped-chunk-byte', 'one bit flipped in the last chunk: its SHA-256 no longer matches the signed manifest', flipped, { ok: false, error: 'tampered' });

const { manifest, frames, parsed } = split(good);
const manifestFlip = good.slice();
manifestFlip[29 + 40]! ^= 0x01;
write('bad-flipped-manifest-byte', 'one bit flipped inside the manifest: the officer signature fails', manifestFlip, { ok: false, error: 'bad_signature' });

const byOutsider: BundleManifest = { ...manifest, releasedBy: { memberId: 'officer-test', signPublicKey: toBase64(outsider.signPublicKey) } };
write('bad-signed-by-non-officer', 'manifest re-signed by a key that is not an officer key', writeBundle(byOutsider, outsider, frames), { ok: false, error: 'bad_signature' });

const swappedFrames = [frames[1]!, frames[0]!, ...frames.slice(2)];
const swappedBytes = good.slice();
swappedBytes.set(swappedFrames[0]!, parsed.chunksOffset);
swappedBytes.set(swappedFrames[1]!, parsed.chunksOffset + frames[0]!.length);
write('bad-chunks-swapped', 'first two chunks swapped, manifest unchanged: chunk hashes do not match', swappedBytes, { ok: false, error: 'tampered' });

const resigned: BundleManifest = { ...manifest, chunks: swappedFrames.map((frame) => ({ bytes: frame.length - 24, sha256: hashOf(frame) })) };
write('bad-chunks-swapped-resigned', 'first two chunks swapped AND the manifest re-signed by the officer: only the chunk index in the AD catches it', writeBundle(resigned, officer, swappedFrames), { ok: false, error: 'tampered' });

const dropped: BundleManifest = { ...manifest, chunks: manifest.chunks.slice(0, -1) };
write('bad-last-chunk-dropped-resigned', 'last chunk removed and manifest re-signed: the chunk count in the AD catches it', writeBundle(dropped, officer, frames.slice(0, -1)), { ok: false, error: 'tampered' });

write('bad-truncated', 'file cut 10 bytes short', good.subarray(0, good.length - 10), { ok: false, error: 'bad_format' });
write('bad-wrong-recipient', 'sealed to another requester', createBundle({ ...base, recipientBoxPublicKey: otherRequester.boxPublicKey }), { ok: false, error: 'wrong_key' });
write('bad-expired', 'opened after expiresAt', good, { ok: false, error: 'out_of_scope' }, { now: '2030-01-02T00:00:00.000Z' });
write('bad-other-request', 'answers another request hash', createBundle({ ...base, requestHash: toBase64(new Uint8Array(32)) }), { ok: false, error: 'out_of_scope' });

const v2 = good.slice();
v2.set(utf8('buffer/release-bundle/v2\n'));
write('bad-unsupported-version', 'magic says v2', v2, { ok: false, error: 'unsupported_version' });

const lyingHeader = pad(utf8(`${JSON.stringify({ format: 'buffer/release-records/v1', recordCount: 3, fields: context.fields })}\n${JSON.stringify(expectedRecords[0])}\n${JSON.stringify(expectedRecords[1])}\n`));
write('bad-record-count', 'validly signed, but the header claims 3 records and 2 follow', assembleBundle(base, lyingHeader), { ok: false, error: 'tampered' });

const extraField = pad(utf8(`${JSON.stringify({ format: 'buffer/release-records/v1', recordCount: 1, fields: context.fields })}\n${JSON.stringify(records[0])}\n`));
write('bad-field-not-approved', 'validly signed, but a record carries documentNumber, which the header does not list', assembleBundle(base, extraField), { ok: false, error: 'out_of_scope' });

const wideHeader = bundlePayload(records, [...fields, 'documentNumber']);
write('bad-header-fields-not-approved', 'validly signed, header lists documentNumber, which the request did not approve', assembleBundle(base, wideHeader), { ok: false, error: 'out_of_scope' });

// Records, canonical JSON and padding: our implementation only (not needed to open a bundle).
const org = (() => {
  const seed = sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY org'));
  const pair = sodium.crypto_box_seed_keypair(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
})();
const session = openSealingSession('org-test', org.publicKey);
const plaintext = '{"name":"Test Person Amina","phone":"+000 00 000 001"}';
const envelope = sealRecord(session, 'rec-1', 2, utf8(plaintext));
const flipBody = envelope.slice();
flipBody[flipBody.length - 1]! ^= 1;
const v9 = envelope.slice();
v9[1] = 9;
writeFileSync(
  path.join(here, 'records-v1.json'),
  `${JSON.stringify(
    {
      warning: WARNING,
      orgPublicKey: toBase64(org.publicKey),
      orgSecretKey: toBase64(org.secretKey),
      cases: [
        { description: 'opens', orgId: 'org-test', recordId: 'rec-1', version: 2, envelope: toBase64(envelope), expect: { ok: true, plaintext } },
        { description: 'another record id', orgId: 'org-test', recordId: 'rec-2', version: 2, envelope: toBase64(envelope), expect: { ok: false, error: 'tampered' } },
        { description: 'rolled back version', orgId: 'org-test', recordId: 'rec-1', version: 1, envelope: toBase64(envelope), expect: { ok: false, error: 'tampered' } },
        { description: 'another org id', orgId: 'org-other', recordId: 'rec-1', version: 2, envelope: toBase64(envelope), expect: { ok: false, error: 'tampered' } },
        { description: 'last tag byte flipped', orgId: 'org-test', recordId: 'rec-1', version: 2, envelope: toBase64(flipBody), expect: { ok: false, error: 'tampered' } },
        { description: 'truncated to the header', orgId: 'org-test', recordId: 'rec-1', version: 2, envelope: toBase64(envelope.subarray(0, 138)), expect: { ok: false, error: 'bad_format' } },
        { description: 'version byte 9', orgId: 'org-test', recordId: 'rec-1', version: 2, envelope: toBase64(v9), expect: { ok: false, error: 'unsupported_version' } },
        { description: 'sealed to another org key', orgId: 'org-test', recordId: 'rec-1', version: 2, envelope: toBase64(sealRecord(openSealingSession('org-test', requester.boxPublicKey), 'rec-1', 2, utf8(plaintext))), expect: { ok: false, error: 'wrong_key' } },
      ],
    },
    null,
    2,
  )}\n`,
);

const canonicalCases = [
  { input: '{"b":1,"a":[true,null,{"d":2,"c":"x"}]}', canonical: '{"a":[true,null,{"c":"x","d":2}],"b":1}' },
  { input: '{"name":"Jose\\u0301"}', canonical: '{"name":"José"}' },
  { input: '{"é":1,"z":2,"Z":3,"😀":4,"ﬀ":5}', canonical: '{"Z":3,"z":2,"é":1,"😀":4,"ﬀ":5}' },
  { input: '[1.0,-0,1e21,0.1,100]', canonical: '[1,0,1e+21,0.1,100]' },
  { input: '"line\\nbreak \\u0000 \\u2028"', canonical: '"line\\nbreak \\u0000 \u2028"' },
];
for (const entry of canonicalCases) {
  const actual = new TextDecoder().decode(canonicalize(JSON.parse(entry.input)));
  if (actual !== entry.canonical) throw new Error(`canonical vector disagrees: ${actual}`);
}
writeFileSync(
  path.join(here, 'canonical.json'),
  `${JSON.stringify({ cases: canonicalCases, rejected: ['"\\ud800"', '{"Jos\\u00e9":1,"Jose\\u0301":2}'], padding: [0, 1, 255, 256, 1000, 1023, 1024, 1100, 5000, 65536].map((length) => ({ length, bucket: bucketLength(length) })) }, null, 2)}\n`,
);

// Keys at rest, org key wraps, break-glass wraps, audit chain, activation: freeze the v1 layouts so
// a later change that cannot read today's data fails a test.
const lockedKeys = lockMemberKeys(officer, 'test-only passphrase', { opsLimit: 1, memLimit: 8192 });
const orgWrap = wrapOrgKey(org, 'org-test', officer.boxPublicKey);
const { arrangement, publicKey: arrangementPublicKey } = await createArrangement({
  orgId: 'org-test',
  orgPublicKey: org.publicKey,
  arrangementId: 'arr-test',
  requester: { id: 'requester-test', signPublicKey: requester.signPublicKey, boxPublicKey: requester.boxPublicKey },
  waitingPeriodSeconds: 86400,
  fields: ['name', 'assemblyPoint'],
  createdAt: '2026-01-01T00:00:00.000Z',
  officer: { memberId: 'officer-test', keys: officer },
});
const breakGlassSession = openSealingSession('org-test', org.publicKey);
const breakGlassEnvelope = sealRecord(breakGlassSession, 'rec-bg', 1, utf8(plaintext));
const arrangementWrap = wrapForArrangement(breakGlassSession, openArrangementSession('org-test', 'arr-test', arrangementPublicKey), 'rec-bg', 1, breakGlassEnvelope);
const chain: AuditEntry[] = [];
for (const [index, type] of ['request', 'approval', 'approval', 'release'].entries()) {
  chain.push(appendEntry(chain.at(-1) ?? null, { at: `2026-11-23T10:0${index}:00.000Z`, type, payload: { requestHash, index } }, 'officer-test', officer));
}
const request: ActivationRequest = {
  orgIds: ['org-test'],
  requester: { id: 'requester-test', signPublicKey: toBase64(requester.signPublicKey), boxPublicKey: toBase64(requester.boxPublicKey) },
  area: { type: 'Polygon', coordinates: [[[35.4, 33.8], [35.6, 33.8], [35.6, 34.0], [35.4, 33.8]]] },
  nationalities: ['SD', 'ET'],
  fields: ['names', 'location'],
  purpose: 'TEST-ONLY evacuation request',
  expiresAt: '2030-01-01T00:00:00.000Z',
  createdAt: '2026-11-23T09:00:00.000Z',
  nonce: toBase64(new Uint8Array(16).fill(7)),
  kind: 'release',
};
const hash = requestHashSync(request);
writeFileSync(
  path.join(here, 'keys-v1.json'),
  `${JSON.stringify(
    {
      warning: WARNING,
      member: { signPublicKey: toBase64(officer.signPublicKey), boxPublicKey: toBase64(officer.boxPublicKey), boxSecretKey: toBase64(officer.boxSecretKey) },
      lockedMemberKeys: { locked: lockedKeys, passphrase: 'test-only passphrase', wrongPassphrase: 'test-only passphrasE' },
      orgKeyWrap: { orgId: 'org-test', wrapped: orgWrap, orgPublicKey: toBase64(org.publicKey) },
      breakGlass: {
        arrangement,
        requesterBoxPublicKey: toBase64(requester.boxPublicKey),
        requesterBoxSecretKey: toBase64(requester.boxSecretKey),
        orgSecretKey: toBase64(org.secretKey),
        recordId: 'rec-bg',
        version: 1,
        envelope: toBase64(breakGlassEnvelope),
        wrap: toBase64(arrangementWrap),
        plaintext,
      },
      audit: { chain },
      activation: { request, requestHash: hash, requesterSignature: signRequest(request, requester), approval: signDecision(hash, 'approve', 'officer-test', officer), veto: signDecision(hash, 'veto', 'officer-test', officer), officerKeys: { 'officer-test': toBase64(officer.signPublicKey) } },
    },
    null,
    2,
  )}\n`,
);

console.log(`wrote ${readdirSync(bundleDir).length} bundle vectors, records-v1.json, canonical.json, keys-v1.json`);
