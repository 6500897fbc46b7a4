// Rotation and revocation: a new org key, data keys re-wrapped to it (record bodies untouched, so
// the server receives only new 114-byte key slots), and the new key wrapped to every member except
// the revoked ones. A revoked member keeps whatever old org key they had, which opens only records
// still wrapped to the old key: rotate, re-wrap everything, then delete the old slots.
import { generateOrgKeys, orgKeyId, wrapOrgKey, type OrgKeys } from './org.ts';
import {
  closeSealingSession,
  openSealingSession,
  RECORD_LAYOUT,
  unwrapDataKey,
  writeKeySlot,
  recordKeyAssociatedData,
  type RecordOpener,
} from './records.ts';
import { wipe } from './sodium.ts';

export interface StoredRecord {
  recordId: string;
  version: number;
  envelope: Uint8Array;
}

export interface RewrapOptions {
  /** Called every `progressEvery` records and at the end. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

/**
 * Re-wraps each record's data key from the old org key (`oldOpener`) to `newOrgPublicKey`. Returns
 * new envelopes whose body bytes (nonce, ciphertext, tag) are identical to the old ones.
 */
export function rewrapRecords(
  oldOpener: RecordOpener,
  newOrgPublicKey: Uint8Array,
  records: readonly StoredRecord[],
  options: RewrapOptions = {},
): Uint8Array[] {
  const session = openSealingSession(oldOpener.orgId, newOrgPublicKey);
  const every = Math.max(1, options.progressEvery ?? 1000);
  const out: Uint8Array[] = [];
  try {
    records.forEach((record, index) => {
      const dataKey = unwrapDataKey(oldOpener, record.recordId, record.version, record.envelope);
      try {
        const envelope = record.envelope.slice();
        const wrapNonce = session.random.take(24);
        writeKeySlot(
          envelope,
          session.slotHeader,
          session.sessionKey!,
          dataKey,
          wrapNonce,
          recordKeyAssociatedData(oldOpener.orgId, record.recordId, record.version),
        );
        out.push(envelope);
      } finally {
        wipe(dataKey);
      }
      if ((index + 1) % every === 0 && index + 1 < records.length) options.onProgress?.(index + 1, records.length);
    });
    options.onProgress?.(records.length, records.length);
    return out;
  } finally {
    closeSealingSession(session);
  }
}

export interface MemberBoxKey {
  memberId: string;
  boxPublicKey: Uint8Array;
}

/** Wraps `org` to every member not in `revokedMemberIds`. */
export function wrapOrgKeyForMembers(
  org: OrgKeys,
  orgId: string,
  members: readonly MemberBoxKey[],
  revokedMemberIds: readonly string[] = [],
): Map<string, string> {
  const revoked = new Set(revokedMemberIds);
  const wraps = new Map<string, string>();
  for (const member of members) if (!revoked.has(member.memberId)) wraps.set(member.memberId, wrapOrgKey(org, orgId, member.boxPublicKey));
  return wraps;
}

/** Whole rotation in one call: new key, wraps for remaining officers, re-wrapped records. */
export function rotateOrgKey(
  input: {
    oldOpener: RecordOpener;
    officers: readonly MemberBoxKey[];
    revokedMemberIds: readonly string[];
    records: readonly StoredRecord[];
  } & RewrapOptions,
): { org: OrgKeys; keyId: Uint8Array; wraps: Map<string, string>; envelopes: Uint8Array[] } {
  const org = generateOrgKeys();
  const wraps = wrapOrgKeyForMembers(org, input.oldOpener.orgId, input.officers, input.revokedMemberIds);
  const envelopes = rewrapRecords(input.oldOpener, org.publicKey, input.records, input);
  return { org, keyId: orgKeyId(org.publicKey), wraps, envelopes };
}

/** True when the two envelopes carry the same body (what rotation must guarantee). */
export function sameBody(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = RECORD_LAYOUT.bodyNonce; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
