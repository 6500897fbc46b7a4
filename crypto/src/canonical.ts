// Canonical JSON: the exact bytes that get hashed and signed. Client and Worker must build the same
// bytes from the same value, so the rules are strict and any doubt is an error, not a guess.
// No libsodium here: the Worker imports it. Rules (see crypto/FORMAT.md, "Canonical JSON"):
//   - objects: plain objects only; keys sorted by UTF-16 code units; no duplicate keys after NFC;
//   - strings (keys and values): NFC-normalised; lone surrogates rejected;
//   - numbers: finite only, ECMAScript shortest round-trip form (-0 is written 0);
//   - null, true, false; arrays keep their order;
//   - undefined, functions, symbols, bigint, Dates, typed arrays, Maps, class instances: rejected.
import { CryptoError } from './errors.ts';
import { utf8 } from './encoding.ts';

const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(message: string): never {
  throw new CryptoError('bad_format', `canonicalize: ${message}`);
}

function canonicalString(value: string): string {
  if (LONE_SURROGATE.test(value)) fail('string holds a lone surrogate');
  return JSON.stringify(value.normalize('NFC'));
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function write(value: unknown, depth: number, seen: Set<object>): string {
  if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH}`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail('non-finite number');
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'string':
      return canonicalString(value);
    case 'object':
      break;
    default:
      fail(`unsupported type ${typeof value}`);
  }
  const object = value as object;
  if (seen.has(object)) fail('cycle');
  seen.add(object);
  let text: string;
  if (Array.isArray(object)) {
    const parts: string[] = [];
    for (let index = 0; index < object.length; index++) {
      if (!(index in object)) fail('sparse array');
      parts.push(write(object[index], depth + 1, seen));
    }
    text = `[${parts.join(',')}]`;
  } else {
    if (!isPlainObject(object)) fail('only plain objects and arrays');
    if (Object.getOwnPropertySymbols(object).length) fail('symbol keys');
    const entries = new Map<string, unknown>();
    for (const key of Object.keys(object)) {
      if (LONE_SURROGATE.test(key)) fail('key holds a lone surrogate');
      const normalised = key.normalize('NFC');
      if (entries.has(normalised)) fail(`two keys equal after NFC: ${JSON.stringify(normalised)}`);
      const item = (object as Record<string, unknown>)[key];
      if (item === undefined) fail(`undefined value at key ${JSON.stringify(normalised)}`);
      entries.set(normalised, item);
    }
    const keys = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    text = `{${keys.map((key) => `${JSON.stringify(key)}:${write(entries.get(key), depth + 1, seen)}`).join(',')}}`;
  }
  seen.delete(object);
  return text;
}

/** Deterministic UTF-8 JSON bytes of `value`; throws CryptoError('bad_format') on anything ambiguous. */
export function canonicalize(value: unknown): Uint8Array {
  return utf8(write(value, 0, new Set()));
}
