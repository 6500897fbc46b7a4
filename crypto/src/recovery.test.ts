import { beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { toBase64 } from './encoding.ts';
import { generateOrgKeys } from './org.ts';
import { parseRecoveryShare, recoverOrgKey, recoveryShareQrDataUrl, recoveryShareQrSvg, splitOrgKey } from './recovery.ts';
import { lib, ready } from './sodium.ts';
import { expectCryptoError, expectCryptoRejection } from './test-helpers.ts';

beforeAll(ready);

function combinations<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, index) => combinations(items.slice(index + 1), size - 1).map((rest) => [item, ...rest]));
}

describe('recovery shares', () => {
  it('any 3 of 5 rebuild the org key; every set of 2 fails', async () => {
    const org = generateOrgKeys();
    const shares = await splitOrgKey(org, 'org-1', 3, 5);
    expect(shares).toHaveLength(5);
    for (const subset of combinations(shares, 3))
      expect((await recoverOrgKey(subset, 'org-1', org.publicKey)).secretKey).toEqual(org.secretKey);
    for (const subset of combinations(shares, 2))
      await expectCryptoRejection(() => recoverOrgKey(subset, 'org-1', org.publicKey), 'not_enough_shares');
    expect((await recoverOrgKey(shares, 'org-1', org.publicKey)).secretKey).toEqual(org.secretKey);
  });

  it('the same share given k times is still one share', async () => {
    const org = generateOrgKeys();
    const [first] = await splitOrgKey(org, 'org-1', 2, 3);
    await expectCryptoRejection(() => recoverOrgKey([first!, first!, ` ${first!}\n`], 'org-1', org.publicKey), 'not_enough_shares');
  });

  it('text carries version, org, key id, counts and a checksum that catches one typo', async () => {
    const org = generateOrgKeys();
    const [share] = await splitOrgKey(org, 'Réseau Migrants', 2, 3);
    expect(share).toMatch(/^buffer-recovery-v1\.[A-Za-z0-9_-]+\.[0-9a-f]{16}\.2of3\.1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{6}$/);
    expect(parseRecoveryShare(share!)).toMatchObject({ orgId: 'Réseau Migrants', threshold: 2, shares: 3, index: 1 });
    const parts = share!.split('.');
    const shareText = parts[5]!;
    parts[5] = (shareText[0] === 'A' ? 'B' : 'A') + shareText.slice(1);
    expectCryptoError(() => parseRecoveryShare(parts.join('.')), 'bad_format');
    expectCryptoError(() => parseRecoveryShare(share!.replace('buffer-recovery-v1', 'buffer-recovery-v2')), 'unsupported_version');
    expectCryptoError(() => parseRecoveryShare('hello'), 'bad_format');
  });

  it('refuses shares of another org or of a rotated key', async () => {
    const org = generateOrgKeys();
    const shares = await splitOrgKey(org, 'org-1', 2, 3);
    await expectCryptoRejection(() => recoverOrgKey(shares, 'org-2', org.publicKey), 'wrong_key');
    await expectCryptoRejection(() => recoverOrgKey(shares, 'org-1', generateOrgKeys().publicKey), 'wrong_key');
    const mixed = [shares[0]!, (await splitOrgKey(generateOrgKeys(), 'org-1', 2, 3))[1]!];
    await expectCryptoRejection(() => recoverOrgKey(mixed, 'org-1', org.publicKey), 'wrong_key');
  });

  it('checks the rebuilt key against the org public key: k shares from two printings of the same key do not pass', async () => {
    // Both printings carry the same org id and key id, so only the final check can tell: the
    // shares combine (or fail to) into something that is not this org's secret key.
    const org = generateOrgKeys();
    const first = await splitOrgKey(org, 'org-1', 2, 3);
    const second = await splitOrgKey(org, 'org-1', 2, 3);
    expect(first[0]!.split('.').slice(1, 3)).toEqual(second[1]!.split('.').slice(1, 3));
    for (const mixed of [
      [first[0]!, second[1]!],
      [first[2]!, second[0]!],
      [second[1]!, first[2]!],
    ]) {
      const error = await expectCryptoRejection(() => recoverOrgKey(mixed, 'org-1', org.publicKey), 'not_enough_shares');
      expect(error.message).toMatch(/do not (combine|rebuild this org key)/);
    }
    expect((await recoverOrgKey([second[0]!, second[2]!], 'org-1', org.publicKey)).secretKey).toEqual(org.secretKey);
  });

  it('QR codes encode exactly the share text', async () => {
    const org = generateOrgKeys();
    const [share] = await splitOrgKey(org, 'org-1', 2, 2);
    const svg = await recoveryShareQrSvg(share!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(await recoveryShareQrDataUrl(share!)).toMatch(/^data:image\/png;base64,/);
    const code = QRCode.create(share!, { errorCorrectionLevel: 'M' });
    expect(
      code.segments
        .map((segment) =>
          String(
            (segment as { data: unknown }).data instanceof Uint8Array
              ? new TextDecoder().decode((segment as { data: Uint8Array }).data)
              : (segment as { data: string }).data,
          ),
        )
        .join(''),
    ).toBe(share);
  });

  describe('reading is exact (FORMAT.md, "Recovery share")', () => {
    /** `share` with its parts replaced (index: text) and a checksum recomputed, so only the change is wrong. */
    async function edited(changes: Record<number, string>): Promise<string> {
      const [share] = await splitOrgKey(generateOrgKeys(), 'org-1', 2, 3);
      const parts = share!.split('.').slice(0, 6);
      for (const [index, text] of Object.entries(changes)) parts[Number(index)] = text;
      const body = parts.join('.');
      return `${body}.${toBase64(lib().crypto_hash_sha256(new TextEncoder().encode(body)).subarray(0, 4))}`;
    }

    it('an org id that is not UTF-8 is bad_format, not a TypeError', async () => {
      for (const bytes of [[0xff], [0xc3], [0x6f, 0xed, 0xa0, 0x80]]) {
        const text = await edited({ 1: toBase64(new Uint8Array(bytes)) });
        expectCryptoError(() => parseRecoveryShare(text), 'bad_format');
      }
    });

    it('index is decimal(i) for 1 <= i <= 255: no empty, exponent, hex, sign, fraction or leading zero', async () => {
      for (const index of ['', '1e0', '0x1', '+1', '-1', '1.0', '01', '0', '256', ' 1', '١']) {
        const text = await edited({ 4: index });
        expectCryptoError(() => parseRecoveryShare(text), 'bad_format');
      }
      for (const index of ['1', '9', '255']) expect(parseRecoveryShare(await edited({ 4: index })).index).toBe(Number(index));
    });

    it('k and n are checked: 2 <= k <= n <= 255', async () => {
      for (const counts of ['1of3', '0of0', '3of2', '2of256', '256of256', '2of999']) {
        const text = await edited({ 3: counts });
        expectCryptoError(() => parseRecoveryShare(text), 'bad_format');
      }
      for (const counts of ['2of2', '2of255', '255of255'])
        expect(parseRecoveryShare(await edited({ 3: counts }))).toMatchObject({
          threshold: Number(counts.split('of')[0]),
          shares: Number(counts.split('of')[1]),
        });
    });
  });
});
