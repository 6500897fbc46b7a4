// Appending to the audit chain (client side: signs with libsodium). Verification: audit.ts.
import { entryBytes, GENESIS_HASH, type AuditEntry, type AuditEntryInput } from './audit.ts';
import { toBase64 } from './encoding.ts';
import { sign, type MemberKeys } from './members.ts';
import { lib } from './sodium.ts';

/**
 * Builds the next entry after `previous` (null for the first), signed by `keys` as `memberId`. The
 * entry keeps the type of the payload it was given, so a caller sending it to the API (which takes a
 * JSON object) needs no cast.
 */
export function appendEntry<Payload>(
  previous: Pick<AuditEntry, 'seq' | 'hash'> | null,
  input: AuditEntryInput & { payload: Payload },
  memberId: string,
  keys: MemberKeys,
): AuditEntry & { payload: Payload } {
  const unsigned = {
    seq: previous ? previous.seq + 1 : 0,
    prevHash: previous ? previous.hash : GENESIS_HASH,
    at: input.at,
    actor: { memberId, signPublicKey: toBase64(keys.signPublicKey) },
    type: input.type,
    payload: input.payload,
  };
  const hash = lib().crypto_hash_sha256(entryBytes(unsigned));
  return { ...unsigned, hash: toBase64(hash), signature: toBase64(sign(hash, keys)) };
}
