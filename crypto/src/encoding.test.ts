import { describe, expect, it } from 'vitest';
import { CryptoError } from './errors.ts';
import { fromBase64, fromHex, toBase64, toHex } from './encoding.ts';

describe('base64url', () => {
  it('matches the RFC 4648 test strings (url alphabet, no padding)', () => {
    const cases: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
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
