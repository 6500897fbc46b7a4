import { beforeAll, describe, expect, it } from 'vitest';
import { generateOrgKeys } from './org.ts';
import {
  closeSealingSession,
  createRecordOpener,
  dataKeyFromSession,
  openJson,
  openRecord,
  openSealingSession,
  RECORD_HEADER_BYTES,
  RECORD_LAYOUT,
  sealJson,
  sealRecord,
} from './records.ts';
import { bucketLength } from './padding.ts';
import { lib, ready } from './sodium.ts';
import { bytesOf, expectCryptoError } from './test-helpers.ts';

beforeAll(ready);

function setup() {
  const org = generateOrgKeys();
  const session = openSealingSession('org-1', org.publicKey);
  const opener = createRecordOpener('org-1', org);
  return { org, session, opener };
}

describe('records', () => {
  it('round-trips bytes and JSON, with a fresh nonce and data key every time', () => {
    const { session, opener } = setup();
    const plaintext = bytesOf('Amina, +961 70 000 000, 33.89,35.50');
    const first = sealRecord(session, 'rec-1', 1, plaintext);
    const second = sealRecord(session, 'rec-1', 1, plaintext);
    expect(first).not.toEqual(second);
    expect(openRecord(opener, 'rec-1', 1, first)).toEqual(plaintext);
    expect(openRecord(opener, 'rec-1', 1, second)).toEqual(plaintext);
    const value = { name: 'Amina', phone: '+961 70 000 000', children: [{ age: 4 }], note: 'é😀' };
    expect(openJson(opener, 'rec-2', 7, sealJson(session, 'rec-2', 7, value))).toEqual(value);
    expect(openRecord(opener, 'rec-3', 0, sealRecord(session, 'rec-3', 0, new Uint8Array()))).toEqual(new Uint8Array());
  });

  it('does not contain the plaintext, and pads to the bucket size', () => {
    const { session } = setup();
    const plaintext = bytesOf('UNIQUE-NAME-Zaynab-'.repeat(20));
    const envelope = sealRecord(session, 'rec-1', 1, plaintext);
    expect(Buffer.from(envelope).includes(Buffer.from('UNIQUE-NAME'))).toBe(false);
    expect(envelope.length).toBe(RECORD_HEADER_BYTES + bucketLength(plaintext.length) + 16);
    const shorter = sealRecord(session, 'rec-1', 1, plaintext.subarray(0, plaintext.length - 5));
    expect(shorter.length).toBe(envelope.length);
  });

  it('every flipped byte is caught, with a code that says where', () => {
    const { session, opener } = setup();
    const envelope = sealRecord(session, 'rec-1', 3, bytesOf('secret'));
    for (let index = 0; index < envelope.length; index++) {
      const copy = envelope.slice();
      copy[index]! ^= 0x01;
      const expected =
        index === 0
          ? 'bad_format'
          : index === 1
            ? 'unsupported_version'
            : index < RECORD_LAYOUT.sessionPublicKey
              ? 'wrong_key'
              : 'tampered';
      expectCryptoError(() => openRecord(opener, 'rec-1', 3, copy), expected);
    }
  });

  it('a ciphertext cannot be moved to another record id, version or org', () => {
    const { org, session, opener } = setup();
    const envelope = sealRecord(session, 'rec-1', 3, bytesOf('secret'));
    expectCryptoError(() => openRecord(opener, 'rec-2', 3, envelope), 'tampered');
    expectCryptoError(() => openRecord(opener, 'rec-1', 2, envelope), 'tampered');
    expectCryptoError(() => openRecord(opener, 'rec-1', 4, envelope), 'tampered');
    expectCryptoError(() => openRecord(createRecordOpener('org-2', org), 'rec-1', 3, envelope), 'tampered');
    expectCryptoError(() => openRecord(createRecordOpener('org-1', generateOrgKeys()), 'rec-1', 3, envelope), 'wrong_key');
  });

  it('swapping bodies or key slots between two records is caught', () => {
    const { session, opener } = setup();
    const a = sealRecord(session, 'rec-a', 1, bytesOf('alpha'));
    const b = sealRecord(session, 'rec-b', 1, bytesOf('bravo'));
    const bodyFromB = a.slice();
    bodyFromB.set(b.subarray(RECORD_LAYOUT.bodyNonce), RECORD_LAYOUT.bodyNonce);
    expectCryptoError(() => openRecord(opener, 'rec-a', 1, bodyFromB), 'tampered');
    const slotFromB = b.slice();
    slotFromB.set(a.subarray(0, RECORD_LAYOUT.bodyNonce), 0);
    expectCryptoError(() => openRecord(opener, 'rec-b', 1, slotFromB), 'tampered');
  });

  it('envelopes sealed one after another share a slab but not bytes: changing one leaves the others whole', () => {
    const { session, opener } = setup();
    const envelopes = Array.from({ length: 200 }, (_, index) =>
      sealRecord(session, `rec-${index}`, 1, bytesOf(`person ${index} `.repeat(20))),
    );
    const shared = new Set(envelopes.map((envelope) => envelope.buffer));
    expect(shared.size).toBeLessThan(envelopes.length);
    envelopes[0]!.fill(0xff);
    envelopes[2]![envelopes[2]!.length - 1]! ^= 1;
    expectCryptoError(() => openRecord(opener, 'rec-2', 1, envelopes[2]!), 'tampered');
    for (const index of [1, 3, 199])
      expect(new TextDecoder().decode(openRecord(opener, `rec-${index}`, 1, envelopes[index]!))).toBe(`person ${index} `.repeat(20));
    // A record larger than an eighth of the slab gets a buffer of its own.
    const large = sealRecord(session, 'rec-large', 1, new Uint8Array(20_000));
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(large.length);
  });

  it('truncated or extended envelopes are rejected', () => {
    const { session, opener } = setup();
    const envelope = sealRecord(session, 'rec-1', 1, bytesOf('secret'));
    for (const length of [0, 1, 2, 10, RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + 16, envelope.length - 1]) {
      expectCryptoError(() => openRecord(opener, 'rec-1', 1, envelope.subarray(0, length)), 'bad_format', 'tampered');
    }
    const longer = new Uint8Array(envelope.length + 1);
    longer.set(envelope);
    expectCryptoError(() => openRecord(opener, 'rec-1', 1, longer), 'tampered');
  });

  it('a field device with only the org public key and a closed session cannot open or seal', () => {
    const { org, session, opener } = setup();
    const envelope = sealRecord(session, 'rec-1', 1, bytesOf('secret'));
    const liveKey = session.sessionKey!;
    const keyCopy = Buffer.from(liveKey);
    expect(dataKeyFromSession(session, 'rec-1', 1, envelope)).toHaveLength(32); // open session: still readable
    closeSealingSession(session);
    expect(session.sessionKey).toBeNull();
    expect(liveKey.every((byte) => byte === 0)).toBe(true);
    expect(session.scratch.every((byte) => byte === 0)).toBe(true);
    const heap = Buffer.from((lib() as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8.buffer);
    expect(heap.includes(keyCopy)).toBe(false);
    expect(() => dataKeyFromSession(session, 'rec-1', 1, envelope)).toThrow(/closed/);
    expect(() => sealRecord(session, 'rec-2', 1, bytesOf('x'))).toThrow(/closed/);
    // What the device still holds: the org public key and the envelope. Using the public key as if
    // it were a secret (the only key material it has) yields a different key pair: wrong_key.
    expectCryptoError(() => createRecordOpener('org-1', { publicKey: org.publicKey, secretKey: org.publicKey }), 'wrong_key');
    expect(openRecord(opener, 'rec-1', 1, envelope)).toEqual(bytesOf('secret'));
  });

  it('one opener serves many sessions and records', () => {
    const { org, opener } = setup();
    const sessions = [openSealingSession('org-1', org.publicKey), openSealingSession('org-1', org.publicKey)];
    const envelopes = sessions.flatMap((session, s) =>
      [0, 1, 2].map((r) => ({ id: `r-${s}-${r}`, envelope: sealRecord(session, `r-${s}-${r}`, 1, bytesOf(`body ${s} ${r}`)) })),
    );
    for (const { id, envelope } of envelopes)
      expect(new TextDecoder().decode(openRecord(opener, id, 1, envelope))).toBe(`body ${id.slice(2).replace('-', ' ')}`);
    expect(opener.sessionKeys.size).toBe(2);
  });

  it('rejects versions outside [0, 2^32) before sealing', () => {
    const { session } = setup();
    for (const version of [-1, 1.5, 2 ** 32, NaN])
      expectCryptoError(() => sealRecord(session, 'rec-1', version, bytesOf('x')), 'bad_format');
  });
});

describe('record authors (issue 14, finding 3; decision 0605)', () => {
  it('a member device seals with its author header; the opener returns the verified author and the record alone', async () => {
    const { generateMemberKeys } = await import('./members.ts');
    const { openAuthoredRecord, AUTHOR_HEADER_BYTES } = await import('./records.ts');
    const { toBase64 } = await import('./encoding.ts');
    const org = generateOrgKeys();
    const field = generateMemberKeys();
    const session = openSealingSession('org-1', org.publicKey, field);
    const opener = createRecordOpener('org-1', org);
    const plaintext = bytesOf('{"name":"Amina"}');
    const envelope = sealRecord(session, 'rec-1', 1, plaintext);
    expect(envelope.length).toBe(RECORD_HEADER_BYTES + bucketLength(AUTHOR_HEADER_BYTES + plaintext.length) + 16);
    const opened = openAuthoredRecord(opener, 'rec-1', 1, envelope);
    expect(opened.record).toEqual(plaintext);
    expect(opened.author).toBe(toBase64(field.signPublicKey));
    expect(openRecord(opener, 'rec-1', 1, envelope)).toEqual(plaintext);
    // What anyone can make from the org public key alone (the server, from FORMAT.md): no author.
    const forged = sealRecord(openSealingSession('org-1', org.publicKey), 'rec-2', 1, plaintext);
    expect(openAuthoredRecord(opener, 'rec-2', 1, forged).author).toBeNull();
  });

  it("refuses a header whose signature is not its key's, or was made for another organisation", async () => {
    const { generateMemberKeys } = await import('./members.ts');
    const { openAuthoredRecord, authorHeader, readRecordBody } = await import('./records.ts');
    const org = generateOrgKeys();
    const victim = generateMemberKeys();
    const forger = generateMemberKeys();
    const opener = createRecordOpener('org-1', org);
    // The forger signs with its own key but names the victim's: tampered.
    const own = authorHeader('org-1', forger);
    const lying = Uint8Array.from(own);
    lying.set(victim.signPublicKey, 2);
    const body = (header: Uint8Array) => {
      const out = new Uint8Array(header.length + 2);
      out.set(header);
      out.set(bytesOf('{}'), header.length);
      return out;
    };
    expectCryptoError(() => readRecordBody('org-1', body(lying)), 'tampered');
    // A genuine header of the victim for another organisation: tampered here.
    expectCryptoError(() => readRecordBody('org-1', body(authorHeader('org-2', victim))), 'tampered');
    expect(readRecordBody('org-1', body(authorHeader('org-1', victim))).author).not.toBeNull();
    // Cut short: bad_format.
    expectCryptoError(() => readRecordBody('org-1', authorHeader('org-1', victim).subarray(0, 50)), 'bad_format');
    // The same through a whole envelope: a session whose header was swapped.
    const session = openSealingSession('org-1', org.publicKey, forger);
    (session as { author: Uint8Array | null }).author = lying;
    expectCryptoError(() => openAuthoredRecord(opener, 'rec-1', 1, sealRecord(session, 'rec-1', 1, bytesOf('{}'))), 'tampered');
  });

  it('an unsigned body cannot start with the author tag, so no reader can mistake one for the other', () => {
    const { session } = setup();
    expectCryptoError(() => sealRecord(session, 'rec-1', 1, new Uint8Array([0x41, 0x01, 0x7b])), 'bad_format');
    const { opener } = setup();
    expect(opener.authors.verified.size).toBe(0);
  });
});
