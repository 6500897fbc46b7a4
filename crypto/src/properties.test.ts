// Property tests (fast-check) over random records, ids, versions and JSON.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBundle, openBundle } from './bundle.ts';
import { canonicalize } from './canonical.ts';
import { fromBase64, toBase64 } from './encoding.ts';
import { CryptoError } from './errors.ts';
import { generateMemberKeys } from './members.ts';
import { generateOrgKeys } from './org.ts';
import { bucketLength, pad, unpad } from './padding.ts';
import { createRecordOpener, openJson, openRecord, openSealingSession, sealJson, sealRecord } from './records.ts';
import { lib, ready } from './sodium.ts';

beforeAll(ready);

const recordId = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
const version = fc.integer({ min: 0, max: 0xffffffff });

describe('properties', () => {
  it('any record, id and version round-trips, and only with the same id and version', () => {
    const org = generateOrgKeys();
    const session = openSealingSession('org-p', org.publicKey);
    const opener = createRecordOpener('org-p', org);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), recordId, version, recordId, (plaintext, id, v, otherId) => {
        fc.pre(!(plaintext[0] === 0x41 && plaintext[1] === 0x01)); // refused unsigned (author header tag)
        const envelope = sealRecord(session, id, v, plaintext);
        expect(openRecord(opener, id, v, envelope)).toEqual(plaintext);
        expect(envelope.length).toBe(138 + bucketLength(plaintext.length) + 16);
        if (otherId !== id) expect(() => openRecord(opener, otherId, v, envelope)).toThrow(CryptoError);
        expect(() => openRecord(opener, id, v === 0 ? 1 : v - 1, envelope)).toThrow(CryptoError);
      }),
      { numRuns: 200 },
    );
  });

  it('any single-byte change anywhere in an envelope is refused with a CryptoError', () => {
    const org = generateOrgKeys();
    const session = openSealingSession('org-p', org.publicKey);
    const opener = createRecordOpener('org-p', org);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (plaintext, position, mask) => {
        // An unsigned body may not start with the author header's tag (0x41 0x01): sealRecord refuses it.
        fc.pre(!(plaintext[0] === 0x41 && plaintext[1] === 0x01));
        const envelope = sealRecord(session, 'rec', 1, plaintext);
        const changed = envelope.slice();
        changed[position % changed.length]! ^= mask;
        expect(() => openRecord(opener, 'rec', 1, changed)).toThrow(CryptoError);
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON value survives sealJson/openJson', () => {
    const org = generateOrgKeys();
    const session = openSealingSession('org-p', org.publicKey);
    const opener = createRecordOpener('org-p', org);
    fc.assert(
      fc.property(fc.json(), (text) => {
        const value = JSON.parse(text);
        expect(openJson(opener, 'rec', 2, sealJson(session, 'rec', 2, value))).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });

  it('padding equals sodium_pad for every length and buckets grow with length', () => {
    const sodium = lib();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), (length) => {
        const bucket = bucketLength(length);
        expect(bucket).toBeGreaterThan(length);
        expect(bucket).toBeLessThanOrEqual(Math.max(256, Math.ceil((length + 1) * 1.125)));
        expect(bucketLength(length + 1)).toBeGreaterThanOrEqual(bucket);
        const plaintext = new Uint8Array(length).fill(7);
        const padded = pad(plaintext);
        expect(Buffer.from(padded).equals(Buffer.from(sodium.pad(plaintext, bucket)))).toBe(true);
        expect(unpad(padded).length).toBe(length);
      }),
      { numRuns: 150 },
    );
  });

  it('canonicalize ignores key order and is a fixed point', () => {
    const shuffleKeys = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((item, index) => shuffleKeys(item, seed + index));
      if (value && typeof value === 'object') {
        const keys = Object.keys(value);
        const rotated = keys.map((_, index) => keys[(index + seed) % keys.length]!);
        return Object.fromEntries(rotated.reverse().map((key) => [key, shuffleKeys((value as Record<string, unknown>)[key], seed + 1)]));
      }
      return value;
    };
    fc.assert(
      fc.property(fc.json(), fc.nat(50), (text, seed) => {
        const value = JSON.parse(text);
        let bytes: Uint8Array;
        try {
          bytes = canonicalize(value);
        } catch (error) {
          // Only keys that collide after NFC may be refused; anything else is a bug.
          expect((error as Error).message).toMatch(/equal after NFC|lone surrogate/);
          return;
        }
        expect(canonicalize(shuffleKeys(value, seed))).toEqual(bytes);
        expect(canonicalize(JSON.parse(new TextDecoder().decode(bytes)))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('base64url round-trips any bytes and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('any set of random records round-trips through a release bundle, minimised', async () => {
    const officer = generateMemberKeys();
    const requester = generateMemberKeys();
    const fields = ['name', 'phone', 'nationality'];
    const record = fc.record(
      {
        name: fc.string({ unit: 'grapheme', maxLength: 30 }),
        phone: fc.string({ maxLength: 20 }),
        nationality: fc.constantFrom('SD', 'ET', 'ER'),
        secret: fc.string(),
      },
      { requiredKeys: ['name'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 60 }), async (records) => {
        const bundle = createBundle({
          orgId: 'org-p',
          requestHash: 'H',
          recipientBoxPublicKey: requester.boxPublicKey,
          fields,
          records,
          expiresAt: '2099-01-01T00:00:00.000Z',
          releasedBy: { memberId: 'o', keys: officer },
          chunkSize: 1024,
        });
        const opened = await openBundle(bundle, requester, { requestHash: 'H', officerKeys: [toBase64(officer.signPublicKey)] });
        expect(opened.records).toEqual(records.map(({ secret: _secret, ...kept }) => kept));
      }),
      { numRuns: 40 },
    );
  });
});
