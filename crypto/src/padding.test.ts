import { beforeAll, describe, expect, it } from 'vitest';
import { bucketLength, MIN_BUCKET, pad, unpad } from './padding.ts';
import { lib, ready } from './sodium.ts';
import { CryptoError } from './errors.ts';
import { randomBytes } from './random.ts';

beforeAll(ready);

describe('padding', () => {
  it('writes exactly the bytes of libsodium sodium_pad, and sodium_unpad accepts them', () => {
    const sodium = lib();
    for (const length of [0, 1, 100, 255, 256, 1000, 1024, 1100, 5000, 70000]) {
      const plaintext = randomBytes(length);
      const ours = pad(plaintext);
      expect(sodium.pad(plaintext, ours.length)).toEqual(ours);
      expect(sodium.unpad(ours, ours.length)).toEqual(plaintext);
      expect(unpad(ours)).toEqual(plaintext);
    }
  });

  it('puts lengths into few buckets with at most 12% overhead above the minimum', () => {
    expect(bucketLength(0)).toBe(MIN_BUCKET);
    expect(bucketLength(255)).toBe(MIN_BUCKET);
    expect(bucketLength(256)).toBeGreaterThan(256);
    const buckets = new Set<number>();
    for (let length = 900; length <= 1100; length++) {
      const bucket = bucketLength(length);
      expect(bucket).toBeGreaterThan(length);
      expect(bucket / (length + 1)).toBeLessThanOrEqual(1.125);
      buckets.add(bucket);
    }
    expect(buckets.size).toBeLessThanOrEqual(6); // 201 lengths, 6 sizes
  });

  it('rejects padding that is missing, misplaced or not the canonical bucket', () => {
    expect(() => unpad(new Uint8Array(256))).toThrow(CryptoError);
    const padded = pad(new Uint8Array(10));
    padded[10] = 0x81;
    expect(() => unpad(padded)).toThrow(CryptoError);
    const wrongBucket = new Uint8Array(512);
    wrongBucket[10] = 0x80;
    expect(() => unpad(wrongBucket)).toThrow(CryptoError);
  });
});
