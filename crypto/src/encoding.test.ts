import { describe, expect, it } from 'vitest';
import { CryptoError } from './errors.ts';
import { fromBase64, fromHex, parseUtcTime, toBase64, toHex } from './encoding.ts';

describe('base64url', () => {
  it('matches the RFC 4648 test strings (url alphabet, no padding)', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of cases) {
      expect(toBase64(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64(encoded))).toBe(plain);
    }
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('round-trips every length 0..300 and agrees with Node Buffer', () => {
    for (let length = 0; length < 300; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64(text)).toEqual(bytes);
    }
  });

  it.each(['Zg==', 'Zm9v\n', 'Zm+v', 'Zm/v', 'Z', 'Zh', 'Zm9', 'é'])('rejects %j as bad_format', (text) => {
    // 'Zh' and 'Zm9' carry non-zero unused bits: a second spelling of the same bytes.
    let caught: unknown;
    try {
      fromBase64(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CryptoError);
    expect((caught as CryptoError).code).toBe('bad_format');
  });
});

describe('hex', () => {
  it('round-trips and rejects odd or upper-case input', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect(fromHex('000fff')).toEqual(new Uint8Array([0, 15, 255]));
    expect(() => fromHex('abc')).toThrow(CryptoError);
    expect(() => fromHex('AB')).toThrow(CryptoError);
  });
});

describe('parseUtcTime (FORMAT.md, Conventions: Time)', () => {
  it('reads the accepted form at millisecond precision, further digits truncated', () => {
    expect(parseUtcTime('2026-11-23T10:00:00.000Z')).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseUtcTime('2026-11-23T10:00:00Z')).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseUtcTime('2026-11-23T10:00:00.5Z')).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 500));
    expect(parseUtcTime('2026-11-23T10:00:00.123999999Z')).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 123));
    expect(parseUtcTime('2028-02-29T23:59:59.999Z')).toBe(Date.UTC(2028, 1, 29, 23, 59, 59, 999));
    expect(parseUtcTime('0000-01-01T00:00:00.000Z')).toBe(Date.parse('0000-01-01T00:00:00.000Z'));
  });

  it('is NaN for another form or a date or time that does not exist (no roll-over)', () => {
    for (const text of [
      '2026-02-30T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '2026-01-01',
      '2026-01-01T00:00:00.000+00:00',
      '2026-01-01T00:00:00.0000000000Z',
      '2026-01-01T00:00:00.Z',
      '+002026-01-01T00:00:00.000Z',
      ' 2026-01-01T00:00:00.000Z',
      null,
      0,
    ]) {
      expect({ text, time: parseUtcTime(text) }).toEqual({ text, time: Number.NaN });
    }
  });
});
