import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_MAGIC, parseBundle, verifyBundleManifest } from './bundle-manifest.ts';
import { createBundle, openBundle, writeBundle, type BundleInput } from './bundle.ts';
import { toBase64 } from './encoding.ts';
import { generateMemberKeys } from './members.ts';
import { lib, ready } from './sodium.ts';
import { expectCryptoRejection } from './test-helpers.ts';

beforeAll(ready);

const NOW = new Date('2026-11-24T00:00:00Z');

function scenario(recordCount = 50, chunkSize = 4096) {
  const officer = generateMemberKeys();
  const requester = generateMemberKeys();
  const records = Array.from({ length: recordCount }, (_, index) => ({
    name: `Person ${index} é`,
    phone: `+961 70 ${String(index).padStart(6, '0')}`,
    nationality: 'SD',
    documentNumber: `P${index}`,
    consent: 'release',
  }));
  const input: BundleInput = {
    orgId: 'org-1',
    requestHash: 'REQ-HASH',
    recipientBoxPublicKey: requester.boxPublicKey,
    fields: ['name', 'phone', 'nationality'],
    records,
    expiresAt: '2026-12-01T00:00:00.000Z',
    createdAt: '2026-11-23T10:00:00.000Z',
    releasedBy: { memberId: 'officer-1', keys: officer },
    chunkSize,
  };
  const bundle = createBundle(input);
  const expected = { requestHash: 'REQ-HASH', officerKeys: [toBase64(officer.signPublicKey)], now: NOW, fields: input.fields };
  return { officer, requester, records, input, bundle, expected };
}

describe('release bundles', () => {
  it('round-trips minimised records across several chunks', async () => {
    const { bundle, requester, records, expected } = scenario(200);
    const { manifest } = parseBundle(bundle);
    expect(manifest.chunks.length).toBeGreaterThan(3);
    const opened = await openBundle(bundle, requester, expected);
    expect(opened.records).toHaveLength(200);
    expect(opened.records[7]).toEqual({ name: 'Person 7 é', phone: '+961 70 000007', nationality: 'SD' });
    expect(opened.fields).toEqual(['name', 'nationality', 'phone']);
    expect(records[7]).toHaveProperty('documentNumber');
  });

  it('holds no plaintext and leaks no record count in the manifest', () => {
    const { bundle } = scenario(20);
    const text = Buffer.from(bundle);
    expect(text.includes(Buffer.from('Person'))).toBe(false);
    expect(text.includes(Buffer.from('+961'))).toBe(false);
    expect(Object.keys(parseBundle(bundle).manifest).sort()).toEqual([
      'bundleId',
      'chunkSize',
      'chunks',
      'createdAt',
      'expiresAt',
      'format',
      'orgId',
      'recipient',
      'releasedBy',
      'requestHash',
      'sealedKey',
    ]);
  });

  it('an empty release still opens (zero records)', async () => {
    const { requester, input, expected } = scenario(0);
    expect((await openBundle(createBundle(input), requester, expected)).records).toEqual([]);
  });

  it('the Worker-side check accepts it without any secret key', async () => {
    const { bundle, expected } = scenario(5);
    await expect(verifyBundleManifest(bundle, expected)).resolves.toMatchObject({ manifest: { requestHash: 'REQ-HASH' } });
  });

  it('refuses another recipient, another request, an expired bundle and an unknown signer', async () => {
    const { bundle, requester, expected } = scenario(5);
    await expectCryptoRejection(() => openBundle(bundle, generateMemberKeys(), expected), 'wrong_key');
    await expectCryptoRejection(() => openBundle(bundle, requester, { ...expected, requestHash: 'OTHER' }), 'out_of_scope');
    await expectCryptoRejection(
      () => openBundle(bundle, requester, { ...expected, now: new Date('2026-12-02T00:00:00Z') }),
      'out_of_scope',
    );
    await expectCryptoRejection(
      () => openBundle(bundle, requester, { ...expected, officerKeys: [toBase64(generateMemberKeys().signPublicKey)] }),
      'bad_signature',
    );
    await expectCryptoRejection(() => openBundle(bundle, requester, { ...expected, fields: ['name'] }), 'out_of_scope');
    await expectCryptoRejection(() => openBundle(bundle, requester, { ...expected, orgId: 'org-2' }), 'out_of_scope');
    await expect(openBundle(bundle, requester, { ...expected, orgId: 'org-1' })).resolves.toHaveProperty('records');
  });

  it('any flipped byte is refused', async () => {
    const { bundle, requester, expected } = scenario(30, 1024);
    const step = Math.max(1, Math.floor(bundle.length / 120));
    for (let index = 0; index < bundle.length; index += step) {
      const copy = bundle.slice();
      copy[index]! ^= 0x04;
      await expectCryptoRejection(
        () => openBundle(copy, requester, expected),
        'bad_format',
        'unsupported_version',
        'bad_signature',
        'tampered',
        'out_of_scope',
        'wrong_key',
      );
    }
  });

  it('a re-signed manifest by a non-officer, dropped or reordered chunks, truncation are refused', async () => {
    const { bundle, requester, expected } = scenario(30, 1024);
    const parsed = parseBundle(bundle);
    await expectCryptoRejection(() => openBundle(bundle.subarray(0, bundle.length - 1), requester, expected), 'bad_format');
    await expectCryptoRejection(() => openBundle(bundle.subarray(0, BUNDLE_MAGIC.length + 2), requester, expected), 'bad_format');
    // swap the first two chunks (same sizes): hashes in the signed manifest no longer match
    const first = parsed.chunksOffset;
    const size = 24 + parsed.manifest.chunks[0]!.bytes;
    const swapped = bundle.slice();
    swapped.set(bundle.subarray(first + size, first + 2 * size), first);
    swapped.set(bundle.subarray(first, first + size), first + size);
    await expectCryptoRejection(() => openBundle(swapped, requester, expected), 'tampered');
    const newer = bundle.slice();
    newer.set(new TextEncoder().encode('buffer/release-bundle/v9\n'));
    await expectCryptoRejection(() => openBundle(newer, requester, expected), 'unsupported_version');
  });

  it('a sealedKey that opens to anything but 32 bytes is wrong_key (FORMAT.md, opening step 7), not a TypeError', async () => {
    const { bundle, requester, officer, expected } = scenario(5, 1024);
    const parsed = parseBundle(bundle);
    const frames: Uint8Array[] = [];
    let offset = parsed.chunksOffset;
    for (const chunk of parsed.manifest.chunks) {
      frames.push(bundle.slice(offset, offset + 24 + chunk.bytes));
      offset += 24 + chunk.bytes;
    }
    for (const length of [33, 31, 0]) {
      const sealedKey = toBase64(lib().crypto_box_seal(new Uint8Array(length).fill(7), requester.boxPublicKey));
      const resigned = writeBundle({ ...parsed.manifest, sealedKey }, officer, frames);
      const error = await expectCryptoRejection(() => openBundle(resigned, requester, expected), 'wrong_key');
      expect(error.message).toMatch(/32/);
    }
  });
});
