// Text and byte helpers shared by every envelope. No libsodium here: the Worker imports it.
import { CryptoError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let index = 0; index < ALPHABET.length; index++) LOOKUP[ALPHABET.charCodeAt(index)] = index;

/** base64url (RFC 4648 §5) without padding. */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    text += ALPHABET[triple >> 18]! + ALPHABET[(triple >> 12) & 63]! + ALPHABET[(triple >> 6) & 63]! + ALPHABET[triple & 63]!;
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const value = bytes[index]!;
    text += ALPHABET[value >> 2]! + ALPHABET[(value & 3) << 4]!;
  } else if (rest === 2) {
    const value = (bytes[index]! << 8) | bytes[index + 1]!;
    text += ALPHABET[value >> 10]! + ALPHABET[(value >> 4) & 63]! + ALPHABET[(value & 15) << 2]!;
  }
  return text;
}

/**
 * Strict base64url decoding: only the URL-safe alphabet, no padding, no whitespace, and the unused
 * trailing bits must be zero (so every byte string has exactly one text form).
 */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new CryptoError('bad_format', 'base64url: expected a string');
  const rest = text.length % 4;
  if (rest === 1) throw new CryptoError('bad_format', 'base64url: impossible length');
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let bits = 0;
  let bitCount = 0;
  let offset = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? LOOKUP[code]! : -1;
    if (value < 0) throw new CryptoError('bad_format', 'base64url: invalid character');
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[offset++] = (bits >> bitCount) & 0xff;
    }
  }
  if ((bits & ((1 << bitCount) - 1)) !== 0) throw new CryptoError('bad_format', 'base64url: non-canonical trailing bits');
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8 decoding: invalid sequences are a format error, not replacement characters. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new CryptoError('bad_format', 'invalid UTF-8', { cause });
  }
}

const UTC_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * A time as FORMAT.md accepts it (Conventions: `YYYY-MM-DDTHH:MM:SS[.1-9 digits]Z`, UTC), in
 * milliseconds since 1970 (fraction digits after the third truncated). NaN when the text is not of
 * that form or names no real instant: the date and time must read back unchanged, so 2026-02-30
 * (which Date.parse rolls over to March 2), 24:00:00 and :60 are refused.
 */
export function parseUtcTime(text: unknown): number {
  if (typeof text !== 'string') return Number.NaN;
  const match = UTC_TIME.exec(text);
  if (!match) return Number.NaN;
  const time = Date.parse(`${match[1]!}.${(match[2] ?? '').slice(0, 3).padEnd(3, '0')}Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 19) !== match[1]) return Number.NaN;
  return time;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function uint32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new CryptoError('bad_format', 'expected an integer in [0, 2^32)');
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length) throw new CryptoError('bad_format', 'truncated');
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, false);
}

/** Length-prefixed field: 4-byte big-endian length, then the UTF-8 bytes (or raw bytes). */
export function lengthPrefixed(value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === 'string' ? utf8(value) : value;
  return concatBytes(uint32(bytes.length), bytes);
}

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) {
    throw new CryptoError('bad_format', 'hex: expected lowercase hex digits in pairs');
  }
  const out = new Uint8Array(text.length / 2);
  for (let index = 0; index < out.length; index++) out[index] = parseInt(text.slice(index * 2, index * 2 + 2), 16);
  return out;
}
