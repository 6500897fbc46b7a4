import { describe, expect, it } from 'vitest';
import { toBase64 } from '#crypto';
import { CARD_FORMAT, parseCard } from './breakglass.ts';

const key = toBase64(new Uint8Array(32).fill(7));
const card = { format: CARD_FORMAT, orgId: 'org-1', memberId: 'member-1', signPublicKey: key, boxPublicKey: key };

describe('requester card', () => {
  it('reads a card as the requester sent it', () => {
    expect(parseCard(JSON.stringify(card))).toEqual(card);
  });

  it('refuses what is not a card, or keys of the wrong size', () => {
    expect(() => parseCard('hello')).toThrow(/not JSON/);
    expect(() => parseCard(JSON.stringify({ ...card, format: 'other' }))).toThrow(/not a requester card/);
    expect(() => parseCard(JSON.stringify({ ...card, memberId: 42 }))).toThrow(/not a requester card/);
    expect(() => parseCard(JSON.stringify({ ...card, boxPublicKey: toBase64(new Uint8Array(16)) }))).toThrow(/32-byte/);
  });
});
