// Shared by the tests only. Cheap Argon2id settings so each test file stays fast; real use keeps
// the defaults of members.ts.
import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from './errors.ts';

export const FAST_KDF = { opsLimit: 1, memLimit: 8192 };

/** Runs `action` and asserts it throws a CryptoError with one of `codes`; returns the error. */
export function expectCryptoError(action: () => unknown, ...codes: CryptoErrorCode[]): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    expect(codes).toContain((error as CryptoError).code);
    return error as CryptoError;
  }
  throw new Error(`expected a CryptoError (${codes.join(' or ')}), nothing was thrown`);
}

export async function expectCryptoRejection(action: () => Promise<unknown>, ...codes: CryptoErrorCode[]): Promise<CryptoError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    expect(codes).toContain((error as CryptoError).code);
    return error as CryptoError;
  }
  throw new Error(`expected a CryptoError (${codes.join(' or ')}), nothing was thrown`);
}

export const bytesOf = (text: string) => new TextEncoder().encode(text);
