// Shape checks the server can run (no keys, no libsodium): is this upload a v1 record envelope or
// arrangement wrap at all? Rejecting anything else keeps a buggy or hostile client from storing
// plaintext on the server. It proves nothing about authenticity (only key holders can check that).
import { bucketLength } from './padding.ts';
import { toHex } from './encoding.ts';

export const RECORD_ENVELOPE_HEADER_BYTES = 138;
export const ARRANGEMENT_WRAP_LENGTH = 114;

export type ShapeResult = { ok: true; keyId: string } | { ok: false; reason: string };

/** "R" 1, 8-byte key id, ..., body whose length is a Padmé bucket + 16 (see FORMAT.md). */
export function checkRecordEnvelopeShape(bytes: Uint8Array): ShapeResult {
  if (bytes.length < 2 || bytes[0] !== 0x52) return { ok: false, reason: 'not a record envelope' };
  if (bytes[1] !== 0x01) return { ok: false, reason: `record envelope version ${bytes[1]} is not supported` };
  const padded = bytes.length - RECORD_ENVELOPE_HEADER_BYTES - 16;
  if (padded < 256) return { ok: false, reason: 'record envelope too short' };
  // A valid padded length is the bucket of some plaintext length just below it.
  if (bucketLength(padded - 1) !== padded) return { ok: false, reason: 'record envelope length is not a padding bucket' };
  return { ok: true, keyId: toHex(bytes.subarray(2, 10)) };
}

/** "A" 1, 8-byte key id, session key, nonce, wrapped key: exactly 114 bytes. */
export function checkArrangementWrapShape(bytes: Uint8Array): ShapeResult {
  if (bytes.length < 2 || bytes[0] !== 0x41) return { ok: false, reason: 'not an arrangement wrap' };
  if (bytes[1] !== 0x01) return { ok: false, reason: `arrangement wrap version ${bytes[1]} is not supported` };
  if (bytes.length !== ARRANGEMENT_WRAP_LENGTH) return { ok: false, reason: 'arrangement wrap has the wrong length' };
  return { ok: true, keyId: toHex(bytes.subarray(2, 10)) };
}
