// The one error type of the crypto package. Callers branch on `code`, never on the message.
// No libsodium here: the Worker imports it through the verification modules.

export type CryptoErrorCode =
  | 'bad_passphrase'
  | 'tampered'
  | 'wrong_key'
  | 'bad_format'
  | 'unsupported_version'
  | 'bad_signature'
  | 'out_of_scope'
  | 'not_enough_shares';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
