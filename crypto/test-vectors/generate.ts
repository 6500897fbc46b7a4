// Regenerates the committed test vectors: `npx tsx crypto/test-vectors/generate.ts`, or only the
// files named, e.g. `npx tsx crypto/test-vectors/generate.ts org-statement-v2.json` (`bundle` for
// the bundle folder). Every key here is TEST-ONLY, derived from a public label. Never use them for
// real data. Bundles, records, keys-v1, locked keys and recovery shares use fresh nonces and keys,
// so regenerating changes them; canonical.json, roster-v1.json, org-statement-v2.json and
// partner-v1.json are deterministic (seeded keys, Ed25519 signatures) and come out byte for byte the same. The tests
// check that our code (crypto/src/vectors.test.ts) and the PyNaCl readers in crypto/interop/
// (written from FORMAT.md alone; crypto/src/interop.test.ts) give every case its `expect`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sodium from 'libsodium-wrappers-sumo';
import { encrypt } from '../src/aead.ts';
import { BUNDLE_FORMAT, parseBundle, type BundleManifest } from '../src/bundle-manifest.ts';
import { assembleBundle, bundlePayload, chunkAssociatedData, createBundle, writeBundle, type BundleInput } from '../src/bundle.ts';
import { canonicalize } from '../src/canonical.ts';
import { concatBytes, toBase64, utf8 } from '../src/encoding.ts';
import type { MemberKeys } from '../src/members.ts';
import { bucketLength, pad } from '../src/padding.ts';
import {
  authorHeader,
  deriveSessionKey,
  openSealingSession,
  RECORD_V1,
  recordBodyAssociatedData,
  recordKeyAssociatedData,
  sealRecord,
} from '../src/records.ts';
import { ready } from '../src/sodium.ts';
import type { ActivationRequest } from '../src/activation.ts';
import { requestHashSync, signDecision, signRequest } from '../src/activation-sign.ts';
import { appendEntry } from '../src/audit-append.ts';
import type { AuditEntry } from '../src/audit.ts';
import { createArrangement, openArrangementSession, wrapForArrangement } from '../src/breakglass.ts';
import { lockMemberKeys, type LockedMemberKeys } from '../src/members.ts';
import { orgKeyId, wrapOrgKey } from '../src/org.ts';
import { encodeRecoveryShare, parseRecoveryShare, splitOrgKey } from '../src/recovery.ts';
import {
  decisionKeys,
  nextRoster,
  normaliseRoster,
  ROSTER_PURPOSE,
  ROSTER_V2_PURPOSE,
  rosterBytes,
  rosterHash,
  verifyRosterChainFrom,
  type RosterFieldDevice,
  type RosterOfficer,
  type RosterPin,
  type RosterSignature,
  type RosterStatement,
  type SignedRoster,
} from '../src/roster.ts';
import { cosignRoster, foundingRoster, foundingRosterV1, signRoster } from '../src/roster-sign.ts';
import { verifyApprovals, type Decision } from '../src/activation.ts';
import { sign } from '../src/members.ts';
import {
  parsePartnerCode,
  PARTNER_PURPOSE,
  partnerBytes,
  verifyPartner,
  type PartnerStatement,
  type SignedPartner,
} from '../src/partner.ts';
import { signPartner } from '../src/partner-sign.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const WARNING = 'TEST-ONLY KEYS derived from public labels: anyone can recompute them. Never use for real data.';

/** The files named on the command line (all when none): `bundle` or a file name in this folder. */
const only = new Set(process.argv.slice(2));
const written: string[] = [];
function output(file: string, text: string) {
  const name = path.relative(here, file);
  if (only.size > 0 && !only.has(name) && !only.has(name.split(path.sep)[0]!)) return;
  writeFileSync(file, text);
  if (!name.startsWith(`bundle${path.sep}`)) written.push(name);
}

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
  ...Array.from({ length: 37 }, (_, index) => ({
    name: `Test Person ${index + 4}`,
    phone: `+000 00 ${String(index + 4).padStart(6, '0')}`,
    nationality: 'ER',
    assemblyPoint: `AP-${index % 5}`,
  })),
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
const expectedRecords = records.map((record) =>
  Object.fromEntries(fields.filter((field) => field in record).map((field) => [field, (record as Record<string, string>)[field]])),
);

const context = {
  warning: WARNING,
  orgId: base.orgId,
  recipientPublicKey: toBase64(requester.boxPublicKey),
  recipientSecretKey: toBase64(requester.boxSecretKey),
  officerKeys: [toBase64(officer.signPublicKey)],
  requestHash,
  now: '2026-11-24T00:00:00.000Z',
  fields: [...fields].sort(),
};

type Expect = { ok: true; records: unknown[] } | { ok: false; error: string };
const bundleDir = path.join(here, 'bundle');
if (only.size === 0 || only.has('bundle')) {
  rmSync(bundleDir, { recursive: true, force: true });
  mkdirSync(bundleDir, { recursive: true });
}
function write(name: string, description: string, bundle: Uint8Array, expect: Expect, overrides: Partial<typeof context> = {}) {
  const vector = { description, ...context, ...overrides, bundle: toBase64(bundle), expect };
  output(path.join(bundleDir, `${name}.json`), `${JSON.stringify(vector, null, 2)}\n`);
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
write('bad-flipped-chunk-byte', 'one bit flipped in the last chunk: its SHA-256 no longer matches the signed manifest', flipped, {
  ok: false,
  error: 'tampered',
});

const { manifest, frames, parsed } = split(good);
const manifestFlip = good.slice();
manifestFlip[29 + 40]! ^= 0x01;
write('bad-flipped-manifest-byte', 'one bit flipped inside the manifest: the officer signature fails', manifestFlip, {
  ok: false,
  error: 'bad_signature',
});

const byOutsider: BundleManifest = {
  ...manifest,
  releasedBy: { memberId: 'officer-test', signPublicKey: toBase64(outsider.signPublicKey) },
};
write('bad-signed-by-non-officer', 'manifest re-signed by a key that is not an officer key', writeBundle(byOutsider, outsider, frames), {
  ok: false,
  error: 'bad_signature',
});

const swappedFrames = [frames[1]!, frames[0]!, ...frames.slice(2)];
const swappedBytes = good.slice();
swappedBytes.set(swappedFrames[0]!, parsed.chunksOffset);
swappedBytes.set(swappedFrames[1]!, parsed.chunksOffset + frames[0]!.length);
write('bad-chunks-swapped', 'first two chunks swapped, manifest unchanged: chunk hashes do not match', swappedBytes, {
  ok: false,
  error: 'tampered',
});

const resigned: BundleManifest = {
  ...manifest,
  chunks: swappedFrames.map((frame) => ({ bytes: frame.length - 24, sha256: hashOf(frame) })),
};
write(
  'bad-chunks-swapped-resigned',
  'first two chunks swapped AND the manifest re-signed by the officer: only the chunk index in the AD catches it',
  writeBundle(resigned, officer, swappedFrames),
  { ok: false, error: 'tampered' },
);

const dropped: BundleManifest = { ...manifest, chunks: manifest.chunks.slice(0, -1) };
write(
  'bad-last-chunk-dropped-resigned',
  'last chunk removed and manifest re-signed: the chunk count in the AD catches it',
  writeBundle(dropped, officer, frames.slice(0, -1)),
  { ok: false, error: 'tampered' },
);

write('bad-truncated', 'file cut 10 bytes short', good.subarray(0, good.length - 10), { ok: false, error: 'bad_format' });
write('bad-wrong-recipient', 'sealed to another requester', createBundle({ ...base, recipientBoxPublicKey: otherRequester.boxPublicKey }), {
  ok: false,
  error: 'wrong_key',
});
write('bad-expired', 'opened after expiresAt', good, { ok: false, error: 'out_of_scope' }, { now: '2030-01-02T00:00:00.000Z' });
write('bad-other-request', 'answers another request hash', createBundle({ ...base, requestHash: toBase64(new Uint8Array(32)) }), {
  ok: false,
  error: 'out_of_scope',
});

const v2 = good.slice();
v2.set(utf8('buffer/release-bundle/v2\n'));
write('bad-unsupported-version', 'magic says v2', v2, { ok: false, error: 'unsupported_version' });

const lyingHeader = pad(
  utf8(
    `${JSON.stringify({ format: 'buffer/release-records/v1', recordCount: 3, fields: context.fields })}\n${JSON.stringify(expectedRecords[0])}\n${JSON.stringify(expectedRecords[1])}\n`,
  ),
);
write('bad-record-count', 'validly signed, but the header claims 3 records and 2 follow', assembleBundle(base, lyingHeader), {
  ok: false,
  error: 'tampered',
});

const extraField = pad(
  utf8(
    `${JSON.stringify({ format: 'buffer/release-records/v1', recordCount: 1, fields: context.fields })}\n${JSON.stringify(records[0])}\n`,
  ),
);
write(
  'bad-field-not-approved',
  'validly signed, but a record carries documentNumber, which the header does not list',
  assembleBundle(base, extraField),
  { ok: false, error: 'out_of_scope' },
);

const wideHeader = bundlePayload(records, [...fields, 'documentNumber']);
write(
  'bad-header-fields-not-approved',
  'validly signed, header lists documentNumber, which the request did not approve',
  assembleBundle(base, wideHeader),
  { ok: false, error: 'out_of_scope' },
);

write(
  'good-default-chunk-size',
  'the default chunkSize, 65536: the whole payload in one chunk',
  createBundle({ ...base, chunkSize: undefined }),
  { ok: true, records: expectedRecords },
);
write(
  'bad-expired-at-instant',
  'opened at exactly expiresAt: already expired (a bundle is valid while now < expiresAt)',
  good,
  { ok: false, error: 'out_of_scope' },
  { now: base.expiresAt },
);
write(
  'bad-expires-impossible-date',
  'validly signed; expiresAt is 2030-02-30T00:00:00.000Z, which is no date (it does not roll over to March 2): cannot be read as a time, so expired',
  assembleBundle({ ...base, expiresAt: '2030-02-30T00:00:00.000Z' }, bundlePayload(records, fields)),
  { ok: false, error: 'out_of_scope' },
);
write(
  'bad-expires-not-a-time',
  'validly signed; expiresAt is "2030-01-01", a date without the time: not of the accepted form, so expired',
  assembleBundle({ ...base, expiresAt: '2030-01-01' }, bundlePayload(records, fields)),
  { ok: false, error: 'out_of_scope' },
);
write(
  'bad-other-org',
  'validly signed by an officer key the reader holds, but the manifest names another org',
  createBundle({ ...base, orgId: 'org-other' }),
  { ok: false, error: 'out_of_scope' },
);

/** A validly signed bundle whose chunks are exactly `plaintexts` (any sizes), for the size checks. */
function customBundle(
  plaintexts: readonly Uint8Array[],
  options: { chunkSize?: number; sealedTo?: Uint8Array; sealedKeyTail?: Uint8Array } = {},
): Uint8Array {
  const bundleKey = sodium.randombytes_buf(32);
  const bundleId = toBase64(sodium.randombytes_buf(16));
  const frames = plaintexts.map((plaintext, index) => {
    const nonce = sodium.randombytes_buf(24);
    return concatBytes(nonce, encrypt(bundleKey, nonce, chunkAssociatedData(bundleId, index, plaintexts.length), plaintext));
  });
  const custom: BundleManifest = {
    format: BUNDLE_FORMAT,
    bundleId,
    orgId: base.orgId,
    requestHash,
    recipient: toBase64(requester.boxPublicKey),
    releasedBy: { memberId: 'officer-test', signPublicKey: toBase64(officer.signPublicKey) },
    createdAt: base.createdAt!,
    expiresAt: base.expiresAt,
    sealedKey: toBase64(
      sodium.crypto_box_seal(
        concatBytes(bundleKey, options.sealedKeyTail ?? new Uint8Array(0)),
        options.sealedTo ?? requester.boxPublicKey,
      ),
    ),
    chunkSize: options.chunkSize ?? 1024,
    chunks: frames.map((frame) => ({ bytes: frame.length - 24, sha256: hashOf(frame) })),
  };
  return writeBundle(custom, officer, frames);
}
/** Cuts `payload` into a first chunk of `first` bytes, then chunks of `size`. */
function cut(payload: Uint8Array, first: number, size = 1024): Uint8Array[] {
  const out = [payload.subarray(0, first)];
  for (let offset = first; offset < payload.length; offset += size) out.push(payload.subarray(offset, offset + size));
  return out;
}
const payload = bundlePayload(records, fields);
write(
  'bad-sealed-key-will-not-open',
  "`recipient` is the reader's key, but `sealedKey` was sealed to another key: crypto_box_seal_open fails",
  customBundle(cut(payload, 1024), { sealedTo: otherRequester.boxPublicKey }),
  { ok: false, error: 'wrong_key' },
);
write(
  'bad-sealed-key-33-bytes',
  "validly signed; `sealedKey` opens with the reader's key, but to 33 bytes (the 32-byte bundle key and one more): not a bundle key",
  customBundle(cut(payload, 1024), { sealedKeyTail: new Uint8Array([0]) }),
  { ok: false, error: 'wrong_key' },
);
write(
  'bad-chunk-short-resigned',
  'validly signed; chunk 0 holds 1000 plaintext bytes where chunkSize is 1024 (only the last chunk may be short)',
  customBundle(cut(payload, 1000)),
  { ok: false, error: 'tampered' },
);
write(
  'bad-chunk-entry-too-long',
  'validly signed; chunks[0].bytes is 1116, more than chunkSize + 16 = 1040',
  customBundle(cut(payload, 1100)),
  { ok: false, error: 'bad_format' },
);
write(
  'bad-chunk-entry-too-short',
  'validly signed; chunks[0].bytes is 16 (an empty chunk), under the minimum of 17',
  customBundle(cut(payload, 0)),
  { ok: false, error: 'bad_format' },
);
write(
  'bad-chunk-size-zero',
  'validly signed; chunkSize is 0 (it must be an integer >= 1)',
  customBundle(cut(payload, 1024), { chunkSize: 0 }),
  { ok: false, error: 'bad_format' },
);

const payloadText = utf8(
  `${[JSON.stringify({ format: 'buffer/release-records/v1', recordCount: records.length, fields: context.fields }), ...expectedRecords.map((record) => JSON.stringify(record))].join('\n')}\n`,
);
const overPadded = new Uint8Array(bucketLength(payloadText.length) + 1024);
overPadded.set(payloadText);
overPadded[payloadText.length] = 0x80;
write(
  'bad-padding-bucket',
  `validly signed; the payload is padded to ${overPadded.length} bytes, not to its bucket B(${payloadText.length}) = ${bucketLength(payloadText.length)}`,
  assembleBundle(base, overPadded),
  { ok: false, error: 'tampered' },
);
const noNewline = pad(
  utf8(
    `${JSON.stringify({ format: 'buffer/release-records/v1', recordCount: 1, fields: context.fields })}\n${JSON.stringify(expectedRecords[0])}`,
  ),
);
write('bad-no-final-newline', 'validly signed; the last record line does not end in 0x0A', assembleBundle(base, noNewline), {
  ok: false,
  error: 'tampered',
});
const notJson = pad(
  utf8(`${JSON.stringify({ format: 'buffer/release-records/v1', recordCount: 1, fields: context.fields })}\nname=Test Person Amina\n`),
);
write('bad-record-line-not-json', 'validly signed; the record line is not JSON', assembleBundle(base, notJson), {
  ok: false,
  error: 'bad_format',
});

// Records (read by crypto/interop/open_records.py), canonical JSON and padding (open_keys.py).
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
/** An authentic envelope (right key, right AD) whose body is exactly `padded`: tests the padding check alone. */
function envelopeWithBody(recordId: string, version: number, padded: Uint8Array): Uint8Array {
  const ephemeral = sodium.crypto_box_keypair();
  const sessionKey = deriveSessionKey(ephemeral.privateKey, org.publicKey, ephemeral.publicKey, org.publicKey);
  const dataKey = sodium.randombytes_buf(32);
  const [wrapNonce, bodyNonce] = [sodium.randombytes_buf(24), sodium.randombytes_buf(24)];
  return concatBytes(
    RECORD_V1,
    orgKeyId(org.publicKey),
    ephemeral.publicKey,
    wrapNonce,
    encrypt(sessionKey, wrapNonce, recordKeyAssociatedData('org-test', recordId, version), dataKey),
    bodyNonce,
    encrypt(dataKey, bodyNonce, recordBodyAssociatedData('org-test', recordId, version), padded),
  );
}
function padTo(text: string, length: number, marker = true): Uint8Array {
  const out = new Uint8Array(length);
  const bytes = utf8(text);
  out.set(bytes);
  if (marker) out[bytes.length] = 0x80;
  return out;
}
const lowOrder = envelope.slice();
lowOrder.fill(0, 10, 42);
// Author headers (FORMAT.md, "Record body"): a field device's key from a fixed seed, TEST ONLY.
const fieldDevice = (() => {
  const pair = sodium.crypto_sign_seed_keypair(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY field device')));
  return { signPublicKey: pair.publicKey, signSecretKey: pair.privateKey };
})();
const authored = sealRecord(openSealingSession('org-test', org.publicKey, fieldDevice), 'rec-1', 2, utf8(plaintext));
const header = authorHeader('org-test', fieldDevice);
/** The header with its key replaced by another device's: the signature no longer matches. */
const forgedAuthorHeader = header.slice();
forgedAuthorHeader.set(sodium.crypto_sign_seed_keypair(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY other device'))).publicKey, 2);
const authoredBody = (head: Uint8Array, rest = plaintext) => {
  const body = concatBytes(head, utf8(rest));
  const padded = new Uint8Array(bucketLength(body.length));
  padded.set(body);
  padded[body.length] = 0x80;
  return envelopeWithBody('rec-1', 2, padded);
};
output(
  path.join(here, 'records-v1.json'),
  `${JSON.stringify(
    {
      warning: WARNING,
      orgPublicKey: toBase64(org.publicKey),
      orgSecretKey: toBase64(org.secretKey),
      cases: [
        {
          description: 'opens',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelope),
          expect: { ok: true, plaintext },
        },
        {
          description: 'another record id',
          orgId: 'org-test',
          recordId: 'rec-2',
          version: 2,
          envelope: toBase64(envelope),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'rolled back version',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 1,
          envelope: toBase64(envelope),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'another org id',
          orgId: 'org-other',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelope),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'last tag byte flipped',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(flipBody),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'truncated to the header',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelope.subarray(0, 138)),
          expect: { ok: false, error: 'bad_format' },
        },
        {
          description: 'version byte 9',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(v9),
          expect: { ok: false, error: 'unsupported_version' },
        },
        {
          description: 'sealed to another org key',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(sealRecord(openSealingSession('org-test', requester.boxPublicKey), 'rec-1', 2, utf8(plaintext))),
          expect: { ok: false, error: 'wrong_key' },
        },
        {
          description: '154 bytes: shorter than 138 + 16 + 1',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelope.subarray(0, 154)),
          expect: { ok: false, error: 'bad_format' },
        },
        {
          description: '155 bytes: long enough to be read, the body then fails authentication',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelope.subarray(0, 155)),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'session public key of small order (all zero): X25519 gives zero',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(lowOrder),
          expect: { ok: false, error: 'wrong_key' },
        },
        {
          description: 'authentic, body padded to 512 bytes where B(len) is 256',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelopeWithBody('rec-1', 2, padTo(plaintext, 512))),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'authentic, body padded to 64 bytes, under the smallest bucket (a 218-byte envelope)',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelopeWithBody('rec-1', 2, padTo(plaintext, 64))),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'authentic, 256-byte body without the 0x80 marker',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelopeWithBody('rec-1', 2, padTo(plaintext, 256, false))),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'authentic, canonical padding built by hand: opens',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelopeWithBody('rec-1', 2, padTo(plaintext, 256))),
          expect: { ok: true, plaintext },
        },
        {
          description: 'an authored body: the record after the 98-byte header, and its author',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(authored),
          expect: { ok: true, plaintext, author: toBase64(fieldDevice.signPublicKey) },
        },
        {
          description: "authored body whose header names another device's key (signature made by this one)",
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(authoredBody(forgedAuthorHeader)),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'authored body whose header was signed for organisation org-other',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(authoredBody(authorHeader('org-other', fieldDevice))),
          expect: { ok: false, error: 'tampered' },
        },
        {
          description: 'body of 60 bytes starting with 0x41 0x01: an author header cut short',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(authoredBody(header.subarray(0, 60), '')),
          expect: { ok: false, error: 'bad_format' },
        },
        {
          description: 'body starting with 0x41 0x02: not an author header, an unsigned body',
          orgId: 'org-test',
          recordId: 'rec-1',
          version: 2,
          envelope: toBase64(envelopeWithBody('rec-1', 2, padTo('A\u0002{}', 256))),
          expect: { ok: true, plaintext: 'A\u0002{}' },
        },
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
  { input: '["\\u001f\\b\\t\\n\\f\\r\\"\\\\\\/\\u007f\\u00e9"]', canonical: '["\\u001f\\b\\t\\n\\f\\r\\"\\\\/\u007fé"]' },
  {
    input: '[1e-7,123456789012345678901,5e-324,-1.5,0.000001,1e21,9007199254740993,-0.0,1E2,2.50]',
    canonical: '[1e-7,123456789012345680000,5e-324,-1.5,0.000001,1e+21,9007199254740992,0,100,2.5]',
  },
  { input: '{ "b" : [ ] , "a" : { } }', canonical: '{"a":{},"b":[]}' },
  { input: `${'['.repeat(64)}1${']'.repeat(64)}`, canonical: `${'['.repeat(64)}1${']'.repeat(64)}` },
];
for (const entry of canonicalCases) {
  const actual = new TextDecoder().decode(canonicalize(JSON.parse(entry.input)));
  if (actual !== entry.canonical) throw new Error(`canonical vector disagrees: ${actual}`);
}
output(
  path.join(here, 'canonical.json'),
  `${JSON.stringify({ cases: canonicalCases, rejected: ['"\\ud800"', '"a\\udc00"', '{"Jos\\u00e9":1,"Jose\\u0301":2}', `${'['.repeat(65)}1${']'.repeat(65)}`], padding: [0, 1, 255, 256, 1000, 1023, 1024, 1100, 5000, 65536].map((length) => ({ length, bucket: bucketLength(length) })) }, null, 2)}\n`,
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
const arrangementWrap = wrapForArrangement(
  breakGlassSession,
  openArrangementSession('org-test', 'arr-test', arrangementPublicKey),
  'rec-bg',
  1,
  breakGlassEnvelope,
);
const chain: AuditEntry[] = [];
for (const [index, type] of ['request', 'approval', 'approval', 'release'].entries()) {
  chain.push(
    appendEntry(
      chain.at(-1) ?? null,
      { at: `2026-11-23T10:0${index}:00.000Z`, type, payload: { requestHash, index } },
      'officer-test',
      officer,
    ),
  );
}
const request: ActivationRequest = {
  orgIds: ['org-test'],
  requester: { id: 'requester-test', signPublicKey: toBase64(requester.signPublicKey), boxPublicKey: toBase64(requester.boxPublicKey) },
  area: {
    type: 'Polygon',
    coordinates: [
      [
        [35.4, 33.8],
        [35.6, 33.8],
        [35.6, 34.0],
        [35.4, 33.8],
      ],
    ],
  },
  nationalities: ['SD', 'ET'],
  fields: ['names', 'location'],
  purpose: 'TEST-ONLY evacuation request',
  expiresAt: '2030-01-01T00:00:00.000Z',
  createdAt: '2026-11-23T09:00:00.000Z',
  nonce: toBase64(new Uint8Array(16).fill(7)),
  kind: 'release',
};
const hash = requestHashSync(request);
output(
  path.join(here, 'keys-v1.json'),
  `${JSON.stringify(
    {
      warning: WARNING,
      member: {
        signPublicKey: toBase64(officer.signPublicKey),
        boxPublicKey: toBase64(officer.boxPublicKey),
        boxSecretKey: toBase64(officer.boxSecretKey),
      },
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
      activation: {
        request,
        requestHash: hash,
        requesterSignature: signRequest(request, requester),
        approval: signDecision(hash, 'approve', 'officer-test', officer),
        veto: signDecision(hash, 'veto', 'officer-test', officer),
        officerKeys: { 'officer-test': toBase64(officer.signPublicKey) },
      },
    },
    null,
    2,
  )}\n`,
);

// Locked member keys: one good file, and each way a reader must refuse one (FORMAT.md, "Locked member keys").
const PASSPHRASE = 'test-only passphrase';
const FAST = { opsLimit: 1, memLimit: 8192 };
const locked = lockMemberKeys(officer, PASSPHRASE, FAST);
const lockedAccented = lockMemberKeys(officer, 'test-only Jos\u00e9', FAST);
const edit = (change: (copy: Record<string, unknown> & { kdf: Record<string, unknown> }) => void): LockedMemberKeys => {
  const copy = JSON.parse(JSON.stringify(locked)) as Record<string, unknown> & { kdf: Record<string, unknown> };
  change(copy);
  return copy as unknown as LockedMemberKeys;
};
// Validly encrypted under the passphrase, but the stored sign public key is another member's.
const mismatched = lockMemberKeys({ ...officer, signPublicKey: outsider.signPublicKey }, PASSPHRASE, FAST);
// Validly encrypted; signSecretKey is the outsider's seed followed by the officer's public key, and
// signPublicKey is the officer's: the last 32 bytes match, the key the seed gives does not.
const splicedSecret = concatBytes(outsider.signSecretKey.subarray(0, 32), officer.signPublicKey);
const splicedSeed = lockMemberKeys({ ...officer, signSecretKey: splicedSecret }, PASSPHRASE, FAST);
const unlocked = { ok: true, signPublicKey: toBase64(officer.signPublicKey), boxPublicKey: toBase64(officer.boxPublicKey) };
const lockedCases: { description: string; locked: unknown; passphrase: string; expect: unknown }[] = [
  { description: 'unlocks', locked, passphrase: PASSPHRASE, expect: unlocked },
  {
    description: 'passphrase typed in NFD (e + U+0301) unlocks a file locked with NFC (é): NFC before Argon2id',
    locked: lockedAccented,
    passphrase: 'test-only Jose\u0301',
    expect: unlocked,
  },
  { description: 'wrong passphrase', locked, passphrase: 'test-only passphrasE', expect: { ok: false, error: 'bad_passphrase' } },
  {
    description: 'boxPublicKey replaced: it is associated data, so the AEAD fails',
    locked: edit((copy) => (copy.boxPublicKey = toBase64(outsider.boxPublicKey))),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_passphrase' },
  },
  {
    description: 'opsLimit changed to 2 (within bounds): associated data, the AEAD fails',
    locked: edit((copy) => (copy.kdf.opsLimit = 2)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_passphrase' },
  },
  {
    description: 'secret keys validly encrypted, but signPublicKey is not the public half of the stored secret key',
    locked: mismatched,
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'tampered' },
  },
  {
    description:
      'secret keys validly encrypted; the last 32 bytes of signSecretKey equal signPublicKey, but its seed (first 32 bytes) gives another public key',
    locked: splicedSeed,
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'tampered' },
  },
  {
    description: 'opsLimit 21: above the maximum of 20, refused before deriving',
    locked: edit((copy) => (copy.kdf.opsLimit = 21)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'opsLimit 0: under the minimum of 1',
    locked: edit((copy) => (copy.kdf.opsLimit = 0)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'opsLimit 1.5: not an integer',
    locked: edit((copy) => (copy.kdf.opsLimit = 1.5)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'memLimit 1 GiB + 1024: above the maximum of 2^30',
    locked: edit((copy) => (copy.kdf.memLimit = 2 ** 30 + 1024)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'memLimit 8191: under the minimum of 8192',
    locked: edit((copy) => (copy.kdf.memLimit = 8191)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'algorithm argon2i13',
    locked: edit((copy) => (copy.kdf.algorithm = 'argon2i13')),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'salt of 15 bytes',
    locked: edit((copy) => (copy.kdf.salt = toBase64(new Uint8Array(15)))),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'nonce written with base64 padding (=)',
    locked: edit((copy) => (copy.nonce = `${copy.nonce as string}=`)),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'ciphertext one byte short (111 bytes)',
    locked: edit(
      (copy) =>
        (copy.ciphertext = toBase64(
          sodium.from_base64(copy.ciphertext as string, sodium.base64_variants.URLSAFE_NO_PADDING).subarray(0, 111),
        )),
    ),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'format buffer/locked-member-keys/v2',
    locked: edit((copy) => (copy.format = 'buffer/locked-member-keys/v2')),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'unsupported_version' },
  },
  {
    description: 'format of another kind',
    locked: edit((copy) => (copy.format = 'buffer/wrapped-keys/v1')),
    passphrase: PASSPHRASE,
    expect: { ok: false, error: 'bad_format' },
  },
];
output(path.join(here, 'locked-keys-v1.json'), `${JSON.stringify({ warning: WARNING, cases: lockedCases }, null, 2)}\n`);

// Officer roster (buffer/officer-roster/v1): a four-version chain, then each way a chain or a pin
// must be refused. Every refusal is bad_format and names the first version that failed.
const rosterPeople = Object.fromEntries(['a', 'b', 'c', 'mallory'].map((id) => [id, testMember(`roster-${id}`)])) as Record<
  'a' | 'b' | 'c' | 'mallory',
  MemberKeys
>;
const asOfficer = (memberId: keyof typeof rosterPeople): RosterOfficer => ({
  memberId,
  signPublicKey: toBase64(rosterPeople[memberId].signPublicKey),
  boxPublicKey: toBase64(rosterPeople[memberId].boxPublicKey),
});
const ROSTER_ORG = 'org-test';
async function rosterLink(
  before: RosterStatement | null,
  officers: RosterOfficer[],
  approvalsRequired: number,
  signer: keyof typeof rosterPeople,
  signerId: string = signer,
): Promise<SignedRoster> {
  const statement: RosterStatement = {
    purpose: ROSTER_PURPOSE,
    orgId: ROSTER_ORG,
    version: before ? before.version + 1 : 1,
    previous: before ? await rosterHash(before) : null,
    approvalsRequired,
    officers,
  };
  return signRoster(statement, signerId, rosterPeople[signer]);
}
const r1 = await rosterLink(null, [asOfficer('a')], 1, 'a');
const r2 = await rosterLink(r1.statement, [asOfficer('b'), asOfficer('a')], 1, 'a');
const r3 = await rosterLink(r2.statement, [asOfficer('a'), asOfficer('b'), asOfficer('c')], 2, 'b');
const r4 = await rosterLink(r3.statement, [asOfficer('b'), asOfficer('c')], 2, 'c');
const rosterChain = [r1, r2, r3, r4];
const pinAt = async (signed: SignedRoster): Promise<RosterPin> => ({
  orgId: ROSTER_ORG,
  version: signed.statement.version,
  hash: await rosterHash(signed.statement),
});
const head = async (signed: SignedRoster) => ({ ok: true, version: signed.statement.version, hash: await rosterHash(signed.statement) });
const refused = (version: number) => ({ ok: false, error: 'bad_format', version });
const unsigned = (statement: Record<string, unknown>): SignedRoster => ({
  statement: statement as unknown as RosterStatement,
  signerId: 'a',
  signature: toBase64(new Uint8Array(64)),
});
const forgedV5 = await rosterLink(r4.statement, [asOfficer('b'), asOfficer('c'), asOfficer('mallory')], 2, 'mallory', 'b');
const lateV5 = await rosterLink(r4.statement, [asOfficer('a'), asOfficer('b'), asOfficer('c')], 2, 'a');
const relinkedV2 = signRoster({ ...r2.statement, previous: await rosterHash(r3.statement) }, 'a', rosterPeople.a);
const forkedV2 = await rosterLink(r1.statement, [asOfficer('a'), asOfficer('mallory')], 1, 'a');
const upperPrevious = { ...r2.statement, previous: (r2.statement.previous as string).toUpperCase() };
const rosterCases = [
  {
    description: 'the whole chain, no pin (first use): head is version 4',
    orgId: ROSTER_ORG,
    pin: null,
    chain: rosterChain,
    expect: await head(r4),
  },
  {
    description: 'pinned at version 2, the whole chain: passes through the pin',
    orgId: ROSTER_ORG,
    pin: await pinAt(r2),
    chain: rosterChain,
    expect: await head(r4),
  },
  {
    description: 'pinned at version 2, a chain starting at the pinned version',
    orgId: ROSTER_ORG,
    pin: await pinAt(r2),
    chain: rosterChain.slice(1),
    expect: await head(r4),
  },
  {
    description: 'pinned at version 4, the chain up to it: nothing new',
    orgId: ROSTER_ORG,
    pin: await pinAt(r4),
    chain: rosterChain,
    expect: await head(r4),
  },
  {
    description: 'version 5 claims signer b but is signed with another key',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [...rosterChain, forgedV5],
    expect: refused(5),
  },
  {
    description: 'version 5 signed by a, who is not an officer of version 4',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [...rosterChain, lateV5],
    expect: refused(5),
  },
  { description: 'versions 2 and 3 swapped', orgId: ROSTER_ORG, pin: null, chain: [r1, r3, r2, r4], expect: refused(3) },
  { description: 'version 3 missing', orgId: ROSTER_ORG, pin: null, chain: [r1, r2, r4], expect: refused(4) },
  { description: 'starts at version 2 with no pin', orgId: ROSTER_ORG, pin: null, chain: rosterChain.slice(1), expect: refused(2) },
  {
    description: 'version 3 altered after signing (approvalsRequired 2 -> 1)',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [r1, r2, { ...r3, statement: { ...r3.statement, approvalsRequired: 1 } }, r4],
    expect: refused(3),
  },
  {
    description: 'version 2 validly signed but its previous names version 3',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [r1, relinkedV2, r3, r4],
    expect: refused(2),
  },
  {
    description: 'version 2 previous written in upper-case hex',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [r1, unsigned(upperPrevious)],
    expect: refused(2),
  },
  { description: 'chain of another organisation', orgId: 'org-other', pin: null, chain: rosterChain, expect: refused(1) },
  {
    description: 'version 1 lists the same memberId twice',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [unsigned({ ...r1.statement, officers: [asOfficer('a'), { ...asOfficer('b'), memberId: 'a' }] })],
    expect: refused(1),
  },
  {
    description: 'version 1 has two officers with one signing key',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [unsigned({ ...r1.statement, officers: [asOfficer('a'), { ...asOfficer('b'), signPublicKey: asOfficer('a').signPublicKey }] })],
    expect: refused(1),
  },
  {
    description: 'version 1 officer key of 31 bytes',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [unsigned({ ...r1.statement, officers: [{ ...asOfficer('a'), boxPublicKey: toBase64(new Uint8Array(31)) }] })],
    expect: refused(1),
  },
  {
    description: 'version 1 with approvalsRequired 0',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [unsigned({ ...r1.statement, approvalsRequired: 0 })],
    expect: refused(1),
  },
  {
    description: 'version 1 whose previous is not null',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [unsigned({ ...r1.statement, previous: await rosterHash(r1.statement) })],
    expect: refused(1),
  },
  {
    description: 'version 1 with another purpose',
    orgId: ROSTER_ORG,
    pin: null,
    chain: [unsigned({ ...r1.statement, purpose: 'buffer/officer-roster/v9' })],
    expect: refused(1),
  },
  {
    description: 'pinned at version 2; another version 2, validly signed by a: a fork',
    orgId: ROSTER_ORG,
    pin: await pinAt(r2),
    chain: [r1, forkedV2],
    expect: refused(2),
  },
  { description: 'pinned at version 2; the fork alone', orgId: ROSTER_ORG, pin: await pinAt(r2), chain: [forkedV2], expect: refused(2) },
  {
    description: 'pinned at version 3; the server shows versions 1 and 2: a rollback',
    orgId: ROSTER_ORG,
    pin: await pinAt(r3),
    chain: [r1, r2],
    expect: refused(3),
  },
  {
    description: 'pinned at version 3; a chain that starts after version 1 but not at the pin',
    orgId: ROSTER_ORG,
    pin: await pinAt(r3),
    chain: [r4, r3],
    expect: refused(4),
  },
];
output(path.join(here, 'roster-v1.json'), `${JSON.stringify({ warning: WARNING, cases: rosterCases }, null, 2)}\n`);

// Organisation statement (buffer/org-statement/v2, FORMAT.md "Organisation statement"): chains that
// verify, each way a link must be refused (every refusal bad_format, naming the failing version),
// and whose decisions count on a request (decisionKeys). Each `expect` is written here by hand from
// the rules; the generator stops if the reference code disagrees with one.
type StatementPerson = { id: string; keys: MemberKeys };
const statementPerson = (id: string, label: string = id): StatementPerson => ({ id, keys: testMember(`org-statement-${label}`) });
const [sa, sb, sc, sd, se, smallory] = ['a', 'b', 'c', 'd', 'e', 'mallory'].map((id) => statementPerson(id)) as [
  StatementPerson,
  StatementPerson,
  StatementPerson,
  StatementPerson,
  StatementPerson,
  StatementPerson,
];
const sbRekeyed = statementPerson('b', 'b-rekeyed');
const scRekeyed = statementPerson('c', 'c-rekeyed');
const listed = (...people: StatementPerson[]): RosterOfficer[] =>
  people.map((person) => ({
    memberId: person.id,
    signPublicKey: toBase64(person.keys.signPublicKey),
    boxPublicKey: toBase64(person.keys.boxPublicKey),
  }));
const STATEMENT_ORG = 'org-test';
const STATEMENT_ORG_KEY = toBase64(org.publicKey);
const OTHER_ORG_KEY = toBase64(
  sodium.crypto_box_seed_keypair(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY org-statement other org key'))).publicKey,
);
/** One signature over the statement's bytes (rosterBytes when it is well formed, else canonical JSON of it as given). */
const signatureOf = (
  statement: RosterStatement | Record<string, unknown>,
  person: StatementPerson,
  signerId: string = person.id,
): RosterSignature => {
  let bytes: Uint8Array;
  try {
    bytes = rosterBytes(statement as RosterStatement);
  } catch {
    bytes = canonicalize(statement);
  }
  return { signerId, signature: toBase64(sign(bytes, person.keys)) };
};
/** A link carrying exactly these signatures, the first as the proposer's (no `cosignatures` member when there are none). */
const carrying = (
  statement: RosterStatement | Record<string, unknown>,
  [proposer, ...cosignatures]: [RosterSignature, ...RosterSignature[]],
): SignedRoster => ({
  statement: statement as RosterStatement,
  ...proposer,
  ...(cosignatures.length > 0 ? { cosignatures } : {}),
});
/** Signed by `proposer`, then co-signed by each of `cosigners` with the signing API. */
const signedBy = <S extends RosterStatement>(statement: S, proposer: StatementPerson, ...cosigners: StatementPerson[]): SignedRoster<S> =>
  cosigners.reduce((signed, person) => cosignRoster(signed, person.id, person.keys), signRoster(statement, proposer.id, proposer.keys));
const v1Statement = async (
  before: RosterStatement | null,
  officers: RosterOfficer[],
  approvalsRequired: number,
): Promise<RosterStatement> =>
  normaliseRoster({
    purpose: ROSTER_PURPOSE,
    orgId: STATEMENT_ORG,
    version: before ? before.version + 1 : 1,
    previous: before ? await rosterHash(before) : null,
    approvalsRequired,
    officers,
  });

// The main chain: a founds with k = 2; a alone adds b (bootstrap: quorum(v1) = min(2, 1) = 1);
// a and b add c; b and c lower k to 1; then c alone removes a (quorum(v4) = 1).
const s1 = foundingRoster(STATEMENT_ORG, listed(sa)[0]!, 2, sa.keys, STATEMENT_ORG_KEY);
const s2 = signedBy(await nextRoster(s1.statement, { officers: listed(sa, sb) }), sa);
const s3 = signedBy(await nextRoster(s2.statement, { officers: listed(sa, sb, sc) }), sa, sb);
const s4 = signedBy(await nextRoster(s3.statement, { approvalsRequired: 1 }), sb, sc);
const s5 = signedBy(await nextRoster(s4.statement, { officers: listed(sb, sc) }), sc);
const s4ByAll = signedBy(s4.statement, sb, sc, sa);
const founders = signedBy(
  {
    purpose: ROSTER_V2_PURPOSE,
    orgId: STATEMENT_ORG,
    version: 1,
    previous: null,
    approvalsRequired: 2,
    officers: listed(sa, sb),
    orgPublicKey: STATEMENT_ORG_KEY,
  },
  sa,
  sb,
);
// An old chain (buffer/officer-roster/v1, one signer a link), then its migration to v2, signed by
// quorum(o2) = min(2, 2) = 2 officers of the v1 head.
const o1 = foundingRosterV1(STATEMENT_ORG, listed(sa)[0]!, 1, sa.keys);
const o2 = signRoster(await v1Statement(o1.statement, listed(sa, sb), 2), sa.id, sa.keys);
const o3 = signedBy(await nextRoster(o2.statement, { orgPublicKey: STATEMENT_ORG_KEY }), sb, sa);
const o4 = signedBy(await nextRoster(o3.statement, { officers: listed(sa, sb, sc) }), sa, sb);
// The chain the decision cases are judged on: R = d2 (a, b, c, e; k = 2); H = d3, made by b and c:
// a removed, d added, c re-keyed.
const d1 = foundingRoster(STATEMENT_ORG, listed(sa)[0]!, 2, sa.keys, STATEMENT_ORG_KEY);
const d2 = signedBy(await nextRoster(d1.statement, { officers: listed(sa, sb, sc, se) }), sa);
const d3 = signedBy(await nextRoster(d2.statement, { officers: listed(sb, scRekeyed, sd, se) }), sb, sc);

// Links that must be refused. Changes proposed on v3 (a, b, c; k = 2), which need two of a, b, c.
const removeA = await nextRoster(s3.statement, { officers: listed(sb, sc) });
const lowerK = await nextRoster(s3.statement, { approvalsRequired: 1 });
const addMallory = await nextRoster(s3.statement, { officers: listed(sa, sb, sc, smallory) });
const swapOrgKey = await nextRoster(s3.statement, { orgPublicKey: OTHER_ORG_KEY });
const rekeyB = await nextRoster(s3.statement, { officers: listed(sa, sbRekeyed, sc) });
const v1AfterV2 = await v1Statement(s3.statement, listed(sa, sb, sc), 2);
const twoFoundersByOne = signRoster({ ...founders.statement }, sa.id, sa.keys);
// Two founders whose ids differ only in normalisation ("José" as U+00E9 and as e + U+0301), each
// with its own key, both signing the canonical JSON of the statement with the officers in UTF-16
// order as given (the bytes a reader without the NFC check builds: both ids come out as "José").
const [joseNfc, joseNfd] = [statementPerson('Jos\u00e9', 'jose-nfc'), statementPerson('Jose\u0301', 'jose-nfd')];
const twinFounders = {
  purpose: ROSTER_V2_PURPOSE,
  orgId: STATEMENT_ORG,
  version: 1,
  previous: null,
  approvalsRequired: 2,
  officers: listed(joseNfd, joseNfc),
  orgPublicKey: STATEMENT_ORG_KEY,
};
const withoutOrgKey = {
  purpose: ROSTER_V2_PURPOSE,
  orgId: STATEMENT_ORG,
  version: 2,
  previous: await rosterHash(s1.statement),
  approvalsRequired: 2,
  officers: listed(sa, sb),
};
// A v1 statement with an orgPublicKey member, signed over its bytes without that member: only the
// rule "a v1 statement has no orgPublicKey" refuses it (a reader dropping the member would accept).
const v1WithoutOrgKey = {
  purpose: ROSTER_PURPOSE,
  orgId: STATEMENT_ORG,
  version: 1,
  previous: null,
  approvalsRequired: 1,
  officers: listed(sa),
};
const v1WithOrgKey = { ...v1WithoutOrgKey, orgPublicKey: STATEMENT_ORG_KEY };
const v1WithNullOrgKey = { ...v1WithoutOrgKey, orgPublicKey: null };
const o3v1Cosigned = await v1Statement(o2.statement, listed(sa, sb, sc), 2);

// Field devices (decision 0605) and retentionDays (issue 15), from the main chain's version 3 (a, b,
// c; k = 2, so quorum(v3) = 2): a and b set retentionDays to 30; b and c add d (30 carried over);
// d alone adds two field devices (nothing else changes: one officer); a alone removes one; c alone
// removes the last (the member is then left out); d alone restates version 8 (nothing changes).
const [phone1, phone2] = ['phone-1', 'phone-2'].map((id) => statementPerson(id)) as [StatementPerson, StatementPerson];
const asDevice = (...people: StatementPerson[]): RosterFieldDevice[] =>
  people.map((person) => ({ memberId: person.id, signPublicKey: toBase64(person.keys.signPublicKey) }));
const f4 = signedBy(await nextRoster(s3.statement, { retentionDays: 30 }), sa, sb);
const f5 = signedBy(await nextRoster(f4.statement, { officers: listed(sa, sb, sc, sd) }), sb, sc);
const f6Statement = await nextRoster(f5.statement, { fieldDevices: asDevice(phone1, phone2) });
// Stored with its field devices out of order: a reader sorts them by memberId (like officers) before building the bytes.
const f6 = carrying({ ...f6Statement, fieldDevices: asDevice(phone2, phone1) }, [signatureOf(f6Statement, sd)]);
const f7 = signedBy(await nextRoster(f6Statement, { fieldDevices: asDevice(phone1) }), sa);
const f8 = signedBy(await nextRoster(f7.statement, { fieldDevices: [] }), sc);
const f9 = signedBy(await nextRoster(f8.statement, {}), sd);
const retention3650 = signedBy(await nextRoster(s3.statement, { retentionDays: 3650 }), sb, sc);
const retentionTo1 = await nextRoster(f4.statement, { retentionDays: 1 });
const shortenedByTwo = signedBy(retentionTo1, sa, sc);
// Version 6 after f5 (retentionDays 30): adds a field device and leaves retentionDays out, i.e.
// back to the deployment's default: not a change of field devices alone.
const dropRetention = normaliseRoster({ ...f6Statement, fieldDevices: asDevice(phone1), retentionDays: undefined });
// Malformed version 4 statements on s3, signed by a and b (quorum(v3) = 2) over their canonical
// JSON as given, or over the bytes without the offending member where a reader dropping it would
// then accept: only the rule refuses them.
const noChange4 = await nextRoster(s3.statement, {});
const withRetention = (value: unknown) => ({ ...f4.statement, retentionDays: value });
const withDevices = (value: unknown) => ({ ...noChange4, fieldDevices: value });
const byAB = (statement: Record<string, unknown>, signedOver: RosterStatement | Record<string, unknown> = statement) =>
  carrying(statement, [signatureOf(signedOver, sa), signatureOf(signedOver, sb)]);
const phone1Key = toBase64(phone1.keys.signPublicKey);
const v1WithRetention = { ...v1WithoutOrgKey, retentionDays: 30 };
const v1WithDevices = { ...v1WithoutOrgKey, fieldDevices: asDevice(phone1) };
// Version 1 listing the officer "José" (U+00E9) and a field device "José" (e + U+0301): one id after NFC.
const joseFounderAndDevice = {
  purpose: ROSTER_V2_PURPOSE,
  orgId: STATEMENT_ORG,
  version: 1,
  previous: null,
  approvalsRequired: 1,
  officers: listed(joseNfc),
  orgPublicKey: STATEMENT_ORG_KEY,
  fieldDevices: [{ memberId: 'Jose\u0301', signPublicKey: phone1Key }],
};
// Field device changes proposed on v3 together with something else, each signed by a alone.
const addPhone1 = await nextRoster(s3.statement, { fieldDevices: asDevice(phone1) });
const addPhone1LowerK = await nextRoster(s3.statement, { fieldDevices: asDevice(phone1), approvalsRequired: 1 });
const addPhone1SetRetention = await nextRoster(s3.statement, { fieldDevices: asDevice(phone1), retentionDays: 30 });
const addPhone1SwapOrgKey = await nextRoster(s3.statement, { fieldDevices: asDevice(phone1), orgPublicKey: OTHER_ORG_KEY });
const addPhone1NewBoxKeyC = await nextRoster(s3.statement, {
  fieldDevices: asDevice(phone1),
  officers: [...listed(sa, sb), { ...listed(sc)[0]!, boxPublicKey: listed(scRekeyed)[0]!.boxPublicKey }],
});
// The migration from the v1 head o2 (a, b; k = 2) naming a field device, signed by b alone: P is v1.
const migrateWithDevice = await nextRoster(o2.statement, { orgPublicKey: STATEMENT_ORG_KEY, fieldDevices: asDevice(phone1) });

const statementPin = async (signed: SignedRoster): Promise<RosterPin> => ({
  orgId: STATEMENT_ORG,
  version: signed.statement.version,
  hash: await rosterHash(signed.statement),
});
const statementHead = async (signed: SignedRoster) => ({
  ok: true,
  version: signed.statement.version,
  hash: await rosterHash(signed.statement),
  orgPublicKey: signed.statement.orgPublicKey ?? null,
});
const statementRefused = (version: number) => ({ ok: false, error: 'bad_format', version });
const statementCases: {
  description: string;
  orgId: string;
  pin: RosterPin | null;
  chain: SignedRoster[];
  expect: Record<string, unknown>;
}[] = [
  {
    description: 'version 1 (v2): the founder alone, k = 2, with the org public key',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1],
    expect: await statementHead(s1),
  },
  {
    description: 'version 1 (v2) listing two officers, signed by both',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [founders],
    expect: await statementHead(founders),
  },
  {
    description: 'bootstrap: with k = 2 and one officer, the founder adds the second officer alone (quorum(v1) = min(2, 1) = 1)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2],
    expect: await statementHead(s2),
  },
  {
    description: 'a third officer added by the proposer a and the co-signer b (quorum(v2) = 2)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3],
    expect: await statementHead(s3),
  },
  {
    description: 'k lowered from 2 to 1, signed by b and co-signed by c, two officers of version 3',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, s4],
    expect: await statementHead(s4),
  },
  {
    description: 'k lowered with three signatures where two are needed',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, s4ByAll],
    expect: await statementHead(s4ByAll),
  },
  {
    description: 'after k = 1, one officer (c) alone removes a: the quorum is that of the previous version',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, s4, s5],
    expect: await statementHead(s5),
  },
  {
    description:
      'an old chain (two buffer/officer-roster/v1 links, v2 k = 2), then its migration to v2 signed by b and co-signed by a (quorum of the v1 head: 2), then a v2 link',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [o1, o2, o3, o4],
    expect: await statementHead(o4),
  },
  {
    description: 'pinned at version 2; the chain starts at the pinned version (version 3 counted against the pinned statement)',
    orgId: STATEMENT_ORG,
    pin: await statementPin(s2),
    chain: [s2, s3, s4, s5],
    expect: await statementHead(s5),
  },
  {
    description: 'pinned at version 3; the whole chain passes through the pin',
    orgId: STATEMENT_ORG,
    pin: await statementPin(s3),
    chain: [s1, s2, s3, s4],
    expect: await statementHead(s4),
  },
  {
    description:
      'the chain the decision cases are judged on: version 3 removes a, adds d and re-keys c, signed by b and by c with the key of version 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [d1, d2, d3],
    expect: await statementHead(d3),
  },
  {
    description: 'retentionDays set to 30 by a and co-signed by b (quorum(v3) = 2)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4],
    expect: await statementHead(f4),
  },
  {
    description: 'retentionDays 3650 (the maximum), signed by b and c',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, retention3650],
    expect: await statementHead(retention3650),
  },
  {
    description: 'retentionDays shortened from 30 to 1 (the minimum) by a and c (quorum(v4) = 2)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, shortenedByTwo],
    expect: await statementHead(shortenedByTwo),
  },
  {
    description: 'b and c add officer d; retentionDays 30 carried over (it is in the hashed bytes)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, f5],
    expect: await statementHead(f5),
  },
  {
    description:
      'd alone adds field devices phone-1 and phone-2, nothing else changes (decision 0605: one officer); stored out of order, sorted by memberId in the bytes',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, f5, f6],
    expect: await statementHead(f6),
  },
  {
    description: 'a alone removes field device phone-2 (one officer)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, f5, f6, f7],
    expect: await statementHead(f7),
  },
  {
    description: 'c alone removes the last field device: fieldDevices is left out (one officer)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, f5, f6, f7, f8],
    expect: await statementHead(f8),
  },
  {
    description: 'd alone restates version 8 with nothing changed: every condition of the one-officer rule holds',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, f5, f6, f7, f8, f9],
    expect: await statementHead(f9),
  },
  {
    description: 'pinned at version 6 (with field devices and retentionDays): the chain from the pin',
    orgId: STATEMENT_ORG,
    pin: await statementPin(f6),
    chain: [f6, f7, f8],
    expect: await statementHead(f8),
  },

  {
    description: 'one officer (b) removes another (a): 1 signature, quorum(v3) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(removeA, sb)],
    expect: statementRefused(4),
  },
  {
    description: 'one officer (a) lowers k to 1: 1 signature, quorum(v3) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(lowerK, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'one officer (a) adds an officer (mallory): 1 signature, quorum(v3) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addMallory, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'one officer (a) changes orgPublicKey: 1 signature, quorum(v3) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(swapOrgKey, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'sock puppet: a adds mallory and mallory co-signs her own admission (she is an officer of version 4, not of version 3)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addMallory, sa, smallory)],
    expect: statementRefused(4),
  },
  {
    description: 'the same signer twice: a proposes, b co-signs twice (each signature valid; a and b would be enough)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, carrying(lowerK, [signatureOf(lowerK, sa), signatureOf(lowerK, sb), signatureOf(lowerK, sb)])],
    expect: statementRefused(4),
  },
  {
    description: 'the same signer twice: the proposer a also as co-signer',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, carrying(lowerK, [signatureOf(lowerK, sa), signatureOf(lowerK, sa)])],
    expect: statementRefused(4),
  },
  {
    description: "a co-signature that does not verify (c signed version 3's bytes), although a and b alone would be enough",
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, carrying(lowerK, [signatureOf(lowerK, sa), signatureOf(lowerK, sb), signatureOf(s3.statement, sc)])],
    expect: statementRefused(4),
  },
  {
    description: 'b re-keyed in version 4 co-signs it with the new key: signatures are checked with the keys of version 3',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(rekeyB, sa, sbRekeyed)],
    expect: statementRefused(4),
  },
  {
    description: 'version 4 altered after signing (approvalsRequired 1 -> 3), both signatures kept',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, { ...s4, statement: { ...s4.statement, approvalsRequired: 3 } }],
    expect: statementRefused(4),
  },
  {
    description: 'version 1 (v2) listing two officers, signed by one',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [twoFoundersByOne],
    expect: statementRefused(1),
  },
  {
    description:
      'version 1 (v2) listing "José" twice, as e + U+0301 (NFD) and as U+00E9 (NFC), with two keys, signed by both: the memberIds are equal after NFC',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(twinFounders, [signatureOf(twinFounders, joseNfc), signatureOf(twinFounders, joseNfd)])],
    expect: statementRefused(1),
  },
  {
    description: 'version 1 (v2) signed by the founder and co-signed by mallory, whom it does not list',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [signedBy(s1.statement, sa, smallory)],
    expect: statementRefused(1),
  },
  {
    description: 'a v2 statement without orgPublicKey (version 2, validly signed by a over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, carrying(withoutOrgKey, [signatureOf(withoutOrgKey, sa)])],
    expect: statementRefused(2),
  },
  {
    description: 'a v1 statement (buffer/officer-roster/v1) carrying orgPublicKey, validly signed over its canonical JSON',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(v1WithOrgKey, [signatureOf(v1WithOrgKey, sa)])],
    expect: statementRefused(1),
  },
  {
    description: 'a v1 statement carrying orgPublicKey, signed over its bytes without that member: refused by the rule itself',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(v1WithOrgKey, [signatureOf(v1WithoutOrgKey, sa)])],
    expect: statementRefused(1),
  },
  {
    description: 'a v1 statement carrying orgPublicKey: null (the member is there), signed over its bytes without that member',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(v1WithNullOrgKey, [signatureOf(v1WithoutOrgKey, sa)])],
    expect: statementRefused(1),
  },
  {
    description: 'a v1 link (buffer/officer-roster/v1) after a v2 link, signed by a, an officer of version 3',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signRoster(v1AfterV2, sa.id, sa.keys)],
    expect: statementRefused(4),
  },
  {
    description: 'a v1 link carrying a co-signature (a signs, b co-signs; both officers of version 2)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [o1, o2, carrying(o3v1Cosigned, [signatureOf(o3v1Cosigned, sa), signatureOf(o3v1Cosigned, sb)])],
    expect: statementRefused(3),
  },
  {
    description: 'the migration from a v1 head with k = 2 and two officers, signed by b alone',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [o1, o2, signRoster(o3.statement, sb.id, sb.keys)],
    expect: statementRefused(3),
  },
  {
    description: "pinned at version 3; version 4 lowers k with a's signature alone (counted against the pinned statement)",
    orgId: STATEMENT_ORG,
    pin: await statementPin(s3),
    chain: [s3, signedBy(lowerK, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'retentionDays set to 30 by a alone: a change other than field devices, quorum(v3) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(f4.statement, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'retentionDays shortened from 30 to 1 by a alone: quorum(v4) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, signedBy(retentionTo1, sa)],
    expect: statementRefused(5),
  },
  {
    description: 'd alone adds a field device and leaves retentionDays (30 in version 5) out: retentionDays changes too, quorum(v5) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, f4, f5, signedBy(dropRetention, sd)],
    expect: statementRefused(6),
  },
  {
    description: 'retentionDays 0 (signed by a and b over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withRetention(0))],
    expect: statementRefused(4),
  },
  {
    description: 'retentionDays 3651 (signed by a and b over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withRetention(3651))],
    expect: statementRefused(4),
  },
  {
    description: 'retentionDays 1.5: not an integer (signed by a and b over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withRetention(1.5))],
    expect: statementRefused(4),
  },
  {
    description: 'retentionDays "30": a string (signed by a and b over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withRetention('30'))],
    expect: statementRefused(4),
  },
  {
    description: 'retentionDays null: the member is there, so it must be an integer (signed by a and b over the bytes without it)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withRetention(null), noChange4)],
    expect: statementRefused(4),
  },
  {
    description: 'a v1 statement carrying retentionDays, signed over its bytes without that member: refused by the rule itself',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(v1WithRetention, [signatureOf(v1WithoutOrgKey, sa)])],
    expect: statementRefused(1),
  },
  {
    description: 'a v1 statement carrying fieldDevices, signed over its bytes without that member: refused by the rule itself',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(v1WithDevices, [signatureOf(v1WithoutOrgKey, sa)])],
    expect: statementRefused(1),
  },
  {
    description: 'fieldDevices [] (left out when there are none), signed by a and b over the bytes without it',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withDevices([]), noChange4)],
    expect: statementRefused(4),
  },
  {
    description: 'fieldDevices null, signed by a and b over the bytes without it',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withDevices(null), noChange4)],
    expect: statementRefused(4),
  },
  {
    description: 'a field device with the memberId of officer c (signed by a and b over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withDevices([{ memberId: 'c', signPublicKey: phone1Key }]))],
    expect: statementRefused(4),
  },
  {
    description: 'a field device with the signPublicKey of officer c (signed by a and b over its canonical JSON)',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withDevices([{ memberId: 'phone-1', signPublicKey: listed(sc)[0]!.signPublicKey }]))],
    expect: statementRefused(4),
  },
  {
    description:
      'version 1 listing the officer "José" (U+00E9) and a field device "José" (e + U+0301), signed by the officer: one memberId after NFC',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [carrying(joseFounderAndDevice, [signatureOf(joseFounderAndDevice, joseNfc)])],
    expect: statementRefused(1),
  },
  {
    description: 'two field devices "José", as e + U+0301 and as U+00E9, with two keys: one memberId after NFC',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [
      s1,
      s2,
      s3,
      byAB(
        withDevices([
          { memberId: 'Jose\u0301', signPublicKey: phone1Key },
          { memberId: 'Jos\u00e9', signPublicKey: toBase64(phone2.keys.signPublicKey) },
        ]),
      ),
    ],
    expect: statementRefused(4),
  },
  {
    description: 'two field devices with the memberId phone-1',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [
      s1,
      s2,
      s3,
      byAB(
        withDevices([
          { memberId: 'phone-1', signPublicKey: phone1Key },
          { memberId: 'phone-1', signPublicKey: toBase64(phone2.keys.signPublicKey) },
        ]),
      ),
    ],
    expect: statementRefused(4),
  },
  {
    description: 'two field devices with one signPublicKey',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [
      s1,
      s2,
      s3,
      byAB(
        withDevices([
          { memberId: 'phone-1', signPublicKey: phone1Key },
          { memberId: 'phone-2', signPublicKey: phone1Key },
        ]),
      ),
    ],
    expect: statementRefused(4),
  },
  {
    description: 'a field device with a boxPublicKey member (exactly memberId and signPublicKey), signed over the bytes without it',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [
      s1,
      s2,
      s3,
      byAB(withDevices([{ ...asDevice(phone1)[0]!, boxPublicKey: toBase64(phone1.keys.boxPublicKey) }]), withDevices(asDevice(phone1))),
    ],
    expect: statementRefused(4),
  },
  {
    description: 'a field device signPublicKey of 31 bytes',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, byAB(withDevices([{ memberId: 'phone-1', signPublicKey: toBase64(new Uint8Array(31)) }]))],
    expect: statementRefused(4),
  },
  {
    description: 'phone-1 signs the link that adds it: a field device is not an officer',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addPhone1, phone1)],
    expect: statementRefused(4),
  },
  {
    description: 'a alone adds a field device and lowers k to 1: not field devices alone, quorum(v3) = 2',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addPhone1LowerK, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'a alone adds a field device and sets retentionDays: not field devices alone',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addPhone1SetRetention, sa)],
    expect: statementRefused(4),
  },
  {
    description: 'a alone adds a field device and changes orgPublicKey: not field devices alone',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addPhone1SwapOrgKey, sa)],
    expect: statementRefused(4),
  },
  {
    description:
      "a alone adds a field device and changes officer c's boxPublicKey (same memberId and signPublicKey): not field devices alone",
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [s1, s2, s3, signedBy(addPhone1NewBoxKeyC, sa)],
    expect: statementRefused(4),
  },
  {
    description:
      'the migration from a v1 head (a, b; k = 2) naming a field device, signed by b alone: P is v1, so the one-officer rule does not apply',
    orgId: STATEMENT_ORG,
    pin: null,
    chain: [o1, o2, signedBy(migrateWithDevice, sb)],
    expect: statementRefused(3),
  },
];
for (const entry of statementCases) {
  const actual = await verifyRosterChainFrom(entry.pin, entry.chain, entry.orgId).then(
    (verified) => ({ ok: true, version: verified.head.version, hash: verified.headHash, orgPublicKey: verified.head.orgPublicKey ?? null }),
    (error: unknown) => ({ ok: false, error: (error as { code?: string }).code, version: (error as { version?: number }).version }),
  );
  if (JSON.stringify(actual) !== JSON.stringify(entry.expect))
    throw new Error(`org statement vector "${entry.description}": the reference gives ${JSON.stringify(actual)}`);
}

// Decisions on a request filed under R = d2 (a, b, c, e), judged with the head H = d3 (b, c
// re-keyed, d, e). Approvals count from officers of R still in H with the same key; vetoes from
// officers of R (with R's key) or of H (officers not in R, with H's key).
const decisionHash = toBase64(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY org-statement request')));
const otherDecisionHash = toBase64(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY org-statement other request')));
const decide = (person: StatementPerson, decision: string, hash: string = decisionHash, memberId: string = person.id): Decision => ({
  decision: decision as Decision['decision'],
  requestHash: hash,
  memberId,
  signature: toBase64(sign(canonicalize({ purpose: 'buffer/activation-decision/v1', requestHash: hash, decision, memberId }), person.keys)),
});
const approve = (person: StatementPerson) => decide(person, 'approve');
const veto = (person: StatementPerson) => decide(person, 'veto');
const flippedSignature = (decision: Decision): Decision => {
  const signature = sodium.from_base64(decision.signature, sodium.base64_variants.URLSAFE_NO_PADDING);
  signature[0]! ^= 1;
  return { ...decision, signature: toBase64(signature) };
};
const R = d2.statement;
const H = d3.statement;
const released = (...approvers: string[]) => ({ ok: true, approvers });
const vetoed = (...vetoedBy: string[]) => ({ ok: false, reason: 'vetoed', vetoedBy });
const short = (...approvers: string[]) => ({ ok: false, reason: 'not_enough_approvals', approvers });
const decisionCases: {
  description: string;
  atRequest: RosterStatement;
  head: RosterStatement;
  requestHash: string;
  approvalsRequired: number;
  decisions: Decision[];
  expect: Record<string, unknown>;
}[] = [
  {
    description: 'b and e, officers of R and of H with the same keys, approve: released',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se)],
    expect: released('b', 'e'),
  },
  {
    description: 'a, an officer of R removed in H, vetoes: the veto still counts',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), veto(sa)],
    expect: vetoed('a'),
  },
  {
    description: 'a, removed in H, approves: a removed officer approves nothing',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sa), approve(sb)],
    expect: short('b'),
  },
  {
    description: 'd, added after R, approves: does not count towards k',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(sd)],
    expect: short('b'),
  },
  {
    description: 'd, added after R, vetoes: a veto counts from an officer of H',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), veto(sd)],
    expect: vetoed('d'),
  },
  {
    description: "c, re-keyed in H, approves with the old key (R's): approves nothing",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(sc)],
    expect: short('b'),
  },
  {
    description: "c, re-keyed in H, approves with the new key (H's): approves nothing either (the keys of R and H differ)",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(scRekeyed)],
    expect: short('b'),
  },
  {
    description: "c, re-keyed in H, vetoes with the old key (R's): the veto counts",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), veto(sc)],
    expect: vetoed('c'),
  },
  {
    description: 'c, re-keyed in H, vetoes with the new key: an officer of R vetoes with the key R lists, so this one is ignored',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), veto(scRekeyed)],
    expect: released('b', 'e'),
  },
  {
    description: 'k = 3: two valid approvals are not enough',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 3,
    decisions: [approve(sb), approve(se)],
    expect: short('b', 'e'),
  },
  {
    description: "b approves twice; e's approval names another request hash: one approver",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(sb), decide(se, 'approve', otherDecisionHash)],
    expect: short('b'),
  },
  {
    description: "an approval in e's name signed with b's key: ignored",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), decide(sb, 'approve', decisionHash, 'e')],
    expect: short('b'),
  },
  {
    description: "a's veto with one signature bit flipped: ignored",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), flippedSignature(veto(sa))],
    expect: released('b', 'e'),
  },
  {
    description: "a's veto of another request: ignored",
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), decide(sa, 'veto', otherDecisionHash)],
    expect: released('b', 'e'),
  },
  {
    description: 'mallory, officer of neither, vetoes: ignored',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), veto(smallory)],
    expect: released('b', 'e'),
  },
  {
    description: 'd signs a decision "reject" (neither approve nor veto): ignored',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), decide(sd, 'reject')],
    expect: released('b', 'e'),
  },
  {
    description: 'b approves and vetoes: the veto outweighs every approval',
    atRequest: R,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sb), approve(se), veto(sb)],
    expect: vetoed('b'),
  },
  {
    description: 'filed under H itself: d and e approve, c with the new key: released',
    atRequest: H,
    head: H,
    requestHash: decisionHash,
    approvalsRequired: 2,
    decisions: [approve(sd), approve(se), approve(scRekeyed)],
    expect: released('c', 'd', 'e'),
  },
];
for (const entry of decisionCases) {
  const keys = decisionKeys(entry.atRequest, entry.head);
  const verdict = await verifyApprovals(entry.requestHash, entry.decisions, keys.approve, entry.approvalsRequired, keys.veto);
  const actual = verdict.ok
    ? released(...verdict.approvers)
    : verdict.reason === 'vetoed'
      ? vetoed(...verdict.vetoedBy)
      : short(...verdict.approvers);
  if (JSON.stringify(actual) !== JSON.stringify(entry.expect))
    throw new Error(`decision vector "${entry.description}": the reference gives ${JSON.stringify(actual)}`);
}
output(
  path.join(here, 'org-statement-v2.json'),
  `${JSON.stringify({ warning: WARNING, cases: statementCases, decisions: decisionCases }, null, 2)}\n`,
);

// Recovery shares of the test org key, 2 of 3 (FORMAT.md, "Recovery share").
const recoveryShares = await splitOrgKey(org, 'org-test', 2, 3);
const secondPrinting = await splitOrgKey(org, 'org-test', 2, 3);
const threeOfThree = await splitOrgKey(org, 'org-test', 3, 3);
const otherOrgShares = await splitOrgKey(org, 'org-other', 2, 3);
const otherKey = (() => {
  const pair = sodium.crypto_box_seed_keypair(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY other org')));
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
})();
const otherKeyShares = await splitOrgKey(otherKey, 'org-test', 2, 3);
const [share1, share2, share3] = recoveryShares as [string, string, string];
const withBody = (body: string) => `${body}.${toBase64(sodium.crypto_hash_sha256(utf8(body)).subarray(0, 4))}`;
const reencode = (text: string, change: (share: ReturnType<typeof parseRecoveryShare>) => void) => {
  const share = parseRecoveryShare(text);
  change(share);
  return encodeRecoveryShare(share);
};
/** `text` with part `index` replaced by `value` and the checksum recomputed: only that part is wrong. */
const withPart = (text: string, index: number, value: string) =>
  withBody(
    text
      .split('.')
      .slice(0, 6)
      .map((part, position) => (position === index ? value : part))
      .join('.'),
  );
const mistyped = share1.split('.');
mistyped[5] = (mistyped[5]![0] === 'A' ? 'B' : 'A') + mistyped[5]!.slice(1);
const recovered = { ok: true, secretKey: toBase64(org.secretKey) };
const recoveryCases = [
  { description: 'shares 1 and 2', shares: [share1, share2], expect: recovered },
  { description: 'shares 3 and 1 (any order)', shares: [share3, share1], expect: recovered },
  { description: 'all three shares', shares: [share1, share2, share3], expect: recovered },
  { description: 'surrounding white space is ignored', shares: [` ${share2}\n`, `\t${share3}`], expect: recovered },
  {
    description: 'index of share 2 edited to 9 (checksum recomputed): the index is a label, the x coordinate is in the share bytes',
    shares: [share1, reencode(share2, (share) => (share.index = 9))],
    expect: recovered,
  },
  { description: 'one share of two needed', shares: [share1], expect: { ok: false, error: 'not_enough_shares' } },
  { description: 'the same share twice', shares: [share1, share1], expect: { ok: false, error: 'not_enough_shares' } },
  {
    description: 'one share from each of two printings of the same key',
    shares: [share1, secondPrinting[1]!],
    expect: { ok: false, error: 'not_enough_shares' },
  },
  {
    description: 'a 2-of-3 share with a 3-of-3 share',
    shares: [share1, threeOfThree[1]!],
    expect: { ok: false, error: 'not_enough_shares' },
  },
  {
    description: 'one character of the share mistyped: the checksum fails',
    shares: [mistyped.join('.'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'prefix buffer-recovery-v2',
    shares: [share1.replace('buffer-recovery-v1', 'buffer-recovery-v2'), share2],
    expect: { ok: false, error: 'unsupported_version' },
  },
  { description: 'not a recovery share', shares: ['hello', share2], expect: { ok: false, error: 'bad_format' } },
  {
    description: 'six parts, checksum missing',
    shares: [share1.split('.').slice(0, 6).join('.'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'key id in upper-case hex (checksum recomputed)',
    shares: [reencode(share1, (share) => (share.keyId = share.keyId.toUpperCase())), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'counts written "2-of-3" (checksum recomputed)',
    shares: [withBody(share1.split('.').slice(0, 6).join('.').replace('.2of3.', '.2-of-3.')), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'org id bytes 0xFF: not UTF-8 (checksum recomputed)',
    shares: [withPart(share1, 1, toBase64(new Uint8Array([0xff]))), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'index empty (checksum recomputed)',
    shares: [withPart(share1, 4, ''), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'index written "1e0" (checksum recomputed)',
    shares: [withPart(share1, 4, '1e0'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'index written "0x1" (checksum recomputed)',
    shares: [withPart(share1, 4, '0x1'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'index written "01", with a leading zero (checksum recomputed)',
    shares: [withPart(share1, 4, '01'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  { description: 'index 0 (checksum recomputed)', shares: [withPart(share1, 4, '0'), share2], expect: { ok: false, error: 'bad_format' } },
  {
    description: 'index 256 (checksum recomputed)',
    shares: [withPart(share1, 4, '256'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'counts 1of3: k under 2 (checksum recomputed)',
    shares: [withPart(share1, 3, '1of3'), withPart(share2, 3, '1of3')],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'counts 3of2: k over n (checksum recomputed)',
    shares: [withPart(share1, 3, '3of2'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'counts 2of256: n over 255 (checksum recomputed)',
    shares: [withPart(share1, 3, '2of256'), share2],
    expect: { ok: false, error: 'bad_format' },
  },
  {
    description: 'shares of the same key printed for another org id',
    shares: [otherOrgShares[0]!, otherOrgShares[1]!],
    expect: { ok: false, error: 'wrong_key' },
  },
  {
    description: 'shares of another org key (another key id)',
    shares: [otherKeyShares[0]!, otherKeyShares[1]!],
    expect: { ok: false, error: 'wrong_key' },
  },
];
output(
  path.join(here, 'recovery-v1.json'),
  `${JSON.stringify({ warning: WARNING, orgId: 'org-test', orgPublicKey: toBase64(org.publicKey), cases: recoveryCases }, null, 2)}\n`,
);

// Partner statements (buffer/partner/v1, FORMAT.md "Partner statement"): steps 1-3 of verifying
// one (shape, the CSO and requester it names, the officer's signature), and partner codes. Each
// `expect` is written here by hand from the rules; the generator stops if the reference disagrees.
const partnerOfficer = testMember('partner-officer');
const partnerOutsider = testMember('partner-outsider');
const PARTNER_CSO = 'cso-test-0001';
const PARTNER_SIGNER = 'officer-p';
const CONSULATE = 'consulate-test-01';
const CITY = 'city-test-0001';
const partnerOfficers = { [PARTNER_SIGNER]: toBase64(partnerOfficer.signPublicKey) };
const requesterHeadHash = sodium.to_hex(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY partner requester statement')));
const consulate: PartnerStatement = {
  purpose: PARTNER_PURPOSE,
  csoOrgId: PARTNER_CSO,
  requesterOrgId: CONSULATE,
  kind: 'consulate',
  nationalities: ['NP', 'BD', 'LK'],
  requesterHead: { version: 3, hash: requesterHeadHash },
  verifiedAt: '2026-12-07T12:00:00.000Z',
};
const city: PartnerStatement = {
  ...consulate,
  requesterOrgId: CITY,
  kind: 'city',
  nationalities: [],
  requesterHead: { version: 1, hash: requesterHeadHash },
};
/** Signed over partnerBytes when the statement is well formed, else over the canonical JSON of it as given (so only the rule refuses it). */
const partnerSigned = (
  statement: PartnerStatement | Record<string, unknown>,
  keys: MemberKeys = partnerOfficer,
  signerId: string = PARTNER_SIGNER,
): SignedPartner => {
  let bytes: Uint8Array;
  try {
    bytes = partnerBytes(statement as unknown as PartnerStatement);
  } catch {
    bytes = canonicalize(statement as Record<string, unknown>);
  }
  return { statement: statement as unknown as PartnerStatement, signerId, signature: toBase64(sign(bytes, keys)) };
};
const sortedConsulate = { ...consulate, nationalities: ['BD', 'LK', 'NP'] };
const partnerAccepted = (statement: PartnerStatement) => ({
  ok: true,
  statement,
  partnerBytes: toBase64(canonicalize(statement as unknown as Record<string, unknown>)),
});
const partnerRefused = (error: string) => ({ ok: false, error });
// The consulate as an officer signs it (signPartner writes the nationalities sorted), then stored with them unsorted.
const signedConsulate: SignedPartner = { ...signPartner(consulate, PARTNER_SIGNER, partnerOfficer), statement: consulate };
const reversedConsulate = Object.fromEntries(Object.entries(consulate).reverse());
const consulateSignature = sodium.from_base64(signedConsulate.signature, sodium.base64_variants.URLSAFE_NO_PADDING);
const without = (statement: PartnerStatement, member: string) =>
  Object.fromEntries(Object.entries(statement).filter(([key]) => key !== member));
const fiftyOne = Array.from({ length: 51 }, (_, index) => String.fromCharCode(65 + Math.floor(index / 26), 65 + (index % 26)));
type PartnerCase = {
  description: string;
  signed: SignedPartner;
  officers: Record<string, string>;
  csoOrgId: string;
  requesterOrgId: string | null;
  expect: Record<string, unknown>;
};
const partnerCase = (
  description: string,
  signed: SignedPartner,
  expect: Record<string, unknown>,
  options: { csoOrgId?: string; requesterOrgId?: string | null } = {},
): PartnerCase => ({
  description,
  signed,
  officers: partnerOfficers,
  csoOrgId: options.csoOrgId ?? PARTNER_CSO,
  requesterOrgId: options.requesterOrgId === undefined ? (signed.statement.requesterOrgId ?? null) : options.requesterOrgId,
  expect,
});
const partnerCases: PartnerCase[] = [
  partnerCase(
    'a consulate, nationalities stored unsorted (NP, BD, LK), signed over the bytes with them sorted',
    signedConsulate,
    partnerAccepted(sortedConsulate),
  ),
  partnerCase('a city with no nationalities, no requester expected (requesterOrgId null)', partnerSigned(city), partnerAccepted(city), {
    requesterOrgId: null,
  }),
  partnerCase(
    'a city with one nationality (a city may list some)',
    partnerSigned({ ...city, nationalities: ['SY'] }),
    partnerAccepted({ ...city, nationalities: ['SY'] }),
  ),
  partnerCase(
    'the consulate with its members stored in reverse order: the signature is over canonical JSON, not the stored text',
    { ...signedConsulate, statement: reversedConsulate as unknown as PartnerStatement },
    partnerAccepted(sortedConsulate),
  ),

  partnerCase(
    'an unknown member (note), validly signed over the canonical JSON with it',
    partnerSigned({ ...consulate, note: 'checked by phone' }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'purpose buffer/partner/v2, validly signed',
    partnerSigned({ ...consulate, purpose: 'buffer/partner/v2' }),
    partnerRefused('bad_format'),
  ),
  partnerCase('verifiedAt missing, validly signed', partnerSigned(without(consulate, 'verifiedAt')), partnerRefused('bad_format')),
  partnerCase(
    'a consulate with no nationalities, validly signed',
    partnerSigned({ ...consulate, nationalities: [] }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'a nationality in lower case (np), validly signed',
    partnerSigned({ ...consulate, nationalities: ['np', 'BD'] }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'a nationality listed twice (NP, BD, NP), validly signed',
    partnerSigned({ ...consulate, nationalities: ['NP', 'BD', 'NP'] }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    '51 nationalities (at most 50), validly signed',
    partnerSigned({ ...consulate, nationalities: fiftyOne }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'requesterOrgId equal to csoOrgId, validly signed',
    partnerSigned({ ...consulate, requesterOrgId: PARTNER_CSO }),
    partnerRefused('bad_format'),
    { requesterOrgId: null },
  ),
  partnerCase(
    'requesterHead.hash in upper-case hex, validly signed',
    partnerSigned({ ...consulate, requesterHead: { version: 3, hash: requesterHeadHash.toUpperCase() } }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'requesterHead.version 0, validly signed',
    partnerSigned({ ...consulate, requesterHead: { version: 0, hash: requesterHeadHash } }),
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'verifiedAt with an offset (+01:00) instead of Z, validly signed',
    partnerSigned({ ...consulate, verifiedAt: '2026-12-07T13:00:00.000+01:00' }),
    partnerRefused('bad_format'),
  ),
  partnerCase('a statement for another CSO: verified for cso-other-0001', signedConsulate, partnerRefused('bad_format'), {
    csoOrgId: 'cso-other-0001',
  }),
  partnerCase('a statement naming another requester: verified for consulate-other-01', signedConsulate, partnerRefused('bad_format'), {
    requesterOrgId: 'consulate-other-01',
  }),
  partnerCase(
    'signed by officer-x, who is not in the officer map',
    partnerSigned(consulate, partnerOutsider, 'officer-x'),
    partnerRefused('bad_signature'),
  ),
  partnerCase(
    'signerId officer-p, but signed with another key',
    partnerSigned(consulate, partnerOutsider),
    partnerRefused('bad_signature'),
  ),
  partnerCase(
    'kind changed from consulate to city after signing (nationalities kept: a valid city statement)',
    { ...signedConsulate, statement: { ...consulate, kind: 'city' } },
    partnerRefused('bad_signature'),
  ),
  partnerCase(
    'the signature written with base64 padding (==): not base64url',
    { ...signedConsulate, signature: `${signedConsulate.signature}==` },
    partnerRefused('bad_format'),
  ),
  partnerCase(
    'the signature cut to 63 bytes',
    { ...signedConsulate, signature: toBase64(consulateSignature.subarray(0, 63)) },
    partnerRefused('bad_signature'),
  ),
];
for (const entry of partnerCases) {
  const actual = await verifyPartner(entry.signed, new Map(Object.entries(entry.officers)), {
    csoOrgId: entry.csoOrgId,
    ...(entry.requesterOrgId === null ? {} : { requesterOrgId: entry.requesterOrgId }),
  }).then(
    (statement) => ({ ok: true, statement, partnerBytes: toBase64(partnerBytes(statement)) }),
    (error: unknown) => ({ ok: false, error: (error as { code?: string }).code }),
  );
  if (JSON.stringify(actual) !== JSON.stringify(entry.expect))
    throw new Error(`partner vector "${entry.description}": the reference gives ${JSON.stringify(actual)}`);
}
const codeHash = sodium.to_hex(sodium.crypto_hash_sha256(utf8('buffer TEST-ONLY partner code')));
const codeOf = (orgId: string, version: number | string, hash: string = codeHash) => `${orgId}~${version}.${hash}`;
const readCode = (orgId: string, version: number, hash: string = codeHash) => ({ orgId, version, hash });
const displayed = codeHash.toUpperCase().match(/.{4}/g)!.join(' ');
const partnerCodes: { description: string; text: string; expect: Record<string, unknown> | null }[] = [
  { description: 'a code', text: codeOf(CONSULATE, 3), expect: readCode(CONSULATE, 3) },
  { description: 'white space around it (space, tab, line feed)', text: ` \t${codeOf(CONSULATE, 3)}\n`, expect: readCode(CONSULATE, 3) },
  {
    description: 'no-break spaces (U+00A0) around it: white space in the ECMAScript sense',
    text: `\u00a0${codeOf(CONSULATE, 3)}\u00a0`,
    expect: readCode(CONSULATE, 3),
  },
  {
    description: 'a byte-order mark (U+FEFF) before it: ECMAScript white space (Python str.strip keeps it)',
    text: `\ufeff${codeOf(CONSULATE, 3)}`,
    expect: readCode(CONSULATE, 3),
  },
  {
    description: 'U+0085 (next line) after it: not ECMAScript white space (Python str.strip removes it)',
    text: `${codeOf(CONSULATE, 3)}\u0085`,
    expect: null,
  },
  {
    description: 'hash in upper-case hex: read and lower-cased',
    text: codeOf(CONSULATE, 3, codeHash.toUpperCase()),
    expect: readCode(CONSULATE, 3),
  },
  {
    description: 'hash in mixed case',
    text: codeOf(CONSULATE, 3, codeHash.slice(0, 32).toUpperCase() + codeHash.slice(32)),
    expect: readCode(CONSULATE, 3),
  },
  {
    description: 'version 999999999, the largest; an org id of 8 characters with _ and -',
    text: codeOf('a_b-C9z0', 999999999),
    expect: readCode('a_b-C9z0', 999999999),
  },
  { description: 'an org id of 64 characters', text: codeOf('x'.repeat(64), 1), expect: readCode('x'.repeat(64), 1) },
  { description: 'version 0', text: codeOf(CONSULATE, 0), expect: null },
  { description: 'version 03: a leading zero', text: codeOf(CONSULATE, '03'), expect: null },
  { description: 'version 1000000000: ten digits', text: codeOf(CONSULATE, 1000000000), expect: null },
  { description: 'hash of 63 hex digits', text: codeOf(CONSULATE, 3, codeHash.slice(1)), expect: null },
  { description: 'hash of 65 hex digits', text: codeOf(CONSULATE, 3, `${codeHash}0`), expect: null },
  { description: 'a g in the hash', text: codeOf(CONSULATE, 3, `g${codeHash.slice(1)}`), expect: null },
  { description: 'an org id of 7 characters', text: codeOf('consula', 3), expect: null },
  { description: 'an org id of 65 characters', text: codeOf('x'.repeat(65), 3), expect: null },
  { description: 'an org id with a dot', text: codeOf('consulate.test', 3), expect: null },
  { description: 'a space inside', text: codeOf(CONSULATE, 3).replace('~', ' ~'), expect: null },
  { description: 'the hash as shown to people (16 upper-case groups of four)', text: codeOf(CONSULATE, 3, displayed), expect: null },
  { description: 'an invitation, not a partner code', text: `${CONSULATE}~code~${toBase64(org.publicKey)}~3.${codeHash}`, expect: null },
  { description: 'empty text', text: '', expect: null },
];
for (const entry of partnerCodes) {
  if (JSON.stringify(parsePartnerCode(entry.text)) !== JSON.stringify(entry.expect))
    throw new Error(`partner code vector "${entry.description}": the reference gives ${JSON.stringify(parsePartnerCode(entry.text))}`);
}
output(path.join(here, 'partner-v1.json'), `${JSON.stringify({ warning: WARNING, cases: partnerCases, codes: partnerCodes }, null, 2)}\n`);

console.log(
  `wrote ${only.size === 0 || only.has('bundle') ? `${readdirSync(bundleDir).length} bundle vectors, ` : ''}${written.join(', ')}`,
);
