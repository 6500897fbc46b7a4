import { describe, expect, it } from 'vitest';
import { canonicalize } from './canonical.ts';
import { CryptoError } from './errors.ts';

const text = (value: unknown) => new TextDecoder().decode(canonicalize(value));

describe('canonicalize', () => {
  it('sorts keys at every depth, so key order never changes the bytes', () => {
    const a = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 };
    expect(canonicalize(a)).toEqual(canonicalize(b));
    expect(text(a)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('keeps array order (arrays are sequences, not sets)', () => {
    expect(canonicalize([1, 2])).not.toEqual(canonicalize([2, 1]));
  });

  it('sorts keys by UTF-16 code units, not by locale', () => {
    expect(text({ é: 1, z: 2, Z: 3, '€': 4, '😀': 5, ﬀ: 6 })).toBe('{"Z":3,"z":2,"é":1,"€":4,"😀":5,"ﬀ":6}');
  });

  it('normalises strings and keys to NFC, so look-alike spellings sign the same', () => {
    const composed = 'Jos\u00e9';
    const decomposed = 'Jose\u0301';
    expect(composed).not.toBe(decomposed);
    expect(canonicalize({ name: decomposed })).toEqual(canonicalize({ name: composed }));
    expect(canonicalize({ [decomposed]: 1 })).toEqual(canonicalize({ [composed]: 1 }));
  });

  it('rejects two keys that become equal after NFC', () => {
    expect(() => canonicalize({ 'Jos\u00e9': 1, 'Jose\u0301': 2 })).toThrow(/equal after NFC/);
  });

  it('rejects lone surrogates in values and keys, accepts proper pairs', () => {
    expect(() => canonicalize('\uD800')).toThrow(CryptoError);
    expect(() => canonicalize('a\uDC00b')).toThrow(CryptoError);
    expect(() => canonicalize({ '\uD83D': 1 })).toThrow(CryptoError);
    expect(text('\uD83D\uDE00')).toBe('"😀"');
  });

  it('escapes control characters and quotes exactly as JSON does', () => {
    expect(text('a"b\\c\n\u0000\u2028')).toBe('"a\\"b\\\\c\\n\\u0000\u2028"');
  });

  it('writes numbers in the shortest round-trip form and folds -0 to 0', () => {
    expect(text([1, 1.5, -0, 1e21, 0.1, 2 ** 53])).toBe('[1,1.5,0,1e+21,0.1,9007199254740992]');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['undefined', undefined],
    ['undefined property', { a: undefined }],
    ['undefined in an array', [undefined]],
    ['sparse array', [, 1]],
    ['function', () => 1],
    ['bigint', 1n],
    ['symbol', Symbol('s')],
    ['Date', new Date(0)],
    ['Uint8Array', new Uint8Array(2)],
    ['Map', new Map()],
    [
      'class instance',
      new (class Point {
        x = 1;
      })(),
    ],
  ])('rejects %s with bad_format', (_name, value) => {
    try {
      canonicalize(value);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe('bad_format');
    }
  });

  it('rejects cycles and absurd nesting', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/cycle/);
    let deep: unknown = 1;
    for (let index = 0; index < 100; index++) deep = [deep];
    expect(() => canonicalize(deep)).toThrow(/deeper/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(text([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('accepts null-prototype objects and rejects a "__proto__" trick only by value', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = 2;
    expect(text(bare)).toBe('{"a":2,"b":1}');
    expect(text(JSON.parse('{"__proto__":1}'))).toBe('{"__proto__":1}');
  });
});
