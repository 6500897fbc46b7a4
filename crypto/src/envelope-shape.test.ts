import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArrangementSession, wrapForArrangement } from './breakglass.ts';
import { checkArrangementWrapShape, checkRecordEnvelopeShape } from './envelope-shape.ts';
import { toHex } from './encoding.ts';
import { generateOrgKeys, orgKeyId } from './org.ts';
import { openSealingSession, RECORD_HEADER_BYTES, sealJson, sealRecord } from './records.ts';
import { ARRANGEMENT_WRAP_BYTES } from './breakglass.ts';
import { ARRANGEMENT_WRAP_LENGTH, RECORD_ENVELOPE_HEADER_BYTES } from './envelope-shape.ts';
import { ready } from './sodium.ts';

beforeAll(ready);

describe('envelope shape checks (server side, no keys)', () => {
  it('uses the same sizes as the sealing code', () => {
    expect(RECORD_ENVELOPE_HEADER_BYTES).toBe(RECORD_HEADER_BYTES);
    expect(ARRANGEMENT_WRAP_LENGTH).toBe(ARRANGEMENT_WRAP_BYTES);
  });

  it('accepts every real envelope, of any plaintext length, and reports its key id', () => {
    const org = generateOrgKeys();
    const session = openSealingSession('org-1', org.publicKey);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (length) => {
        expect(checkRecordEnvelopeShape(sealRecord(session, 'r', 1, new Uint8Array(length)))).toEqual({
          ok: true,
          keyId: toHex(orgKeyId(org.publicKey)),
        });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses plaintext JSON, other kinds and versions, and lengths no envelope can have', () => {
    const org = generateOrgKeys();
    const envelope = sealJson(openSealingSession('org-1', org.publicKey), 'r', 1, { name: 'x' });
    const plaintext = new TextEncoder().encode(JSON.stringify({ name: 'Amina', phone: '+961 70 000 000', notes: 'x'.repeat(500) }));
    expect(checkRecordEnvelopeShape(plaintext).ok).toBe(false);
    const v2 = envelope.slice();
    v2[1] = 2;
    expect(checkRecordEnvelopeShape(v2)).toEqual({ ok: false, reason: 'record envelope version 2 is not supported' });
    expect(checkRecordEnvelopeShape(envelope.subarray(0, envelope.length - 1)).ok).toBe(false);
    expect(checkRecordEnvelopeShape(envelope.subarray(0, 100)).ok).toBe(false);
  });

  it('checks arrangement wraps', () => {
    const org = generateOrgKeys();
    const arrangement = generateOrgKeys();
    const session = openSealingSession('org-1', org.publicKey);
    const envelope = sealRecord(session, 'r', 1, new Uint8Array(10));
    const wrap = wrapForArrangement(session, openArrangementSession('org-1', 'a', arrangement.publicKey), 'r', 1, envelope);
    expect(checkArrangementWrapShape(wrap)).toEqual({ ok: true, keyId: toHex(orgKeyId(arrangement.publicKey)) });
    expect(checkArrangementWrapShape(envelope).ok).toBe(false);
    expect(checkArrangementWrapShape(wrap.subarray(0, 113)).ok).toBe(false);
  });
});
