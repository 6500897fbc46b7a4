// The device's offline store (IndexedDB through Dexie). Everything personal in it is ciphertext:
// the member's keys are locked under their passphrase (Argon2id), captures are sealed, pulled
// records are kept as the envelopes the server sent.
import Dexie, { type Table } from 'dexie';

/**
 * What the device knows of its member, in memory once unlocked. Only `lockedKeys` is stored as it
 * is; everything else is stored sealed to the member's own key (StoredIdentity.profile).
 */
export interface IdentityRow {
  key: 'me';
  memberId: string;
  orgId: string;
  orgName: string;
  orgKind: 'cso' | 'consulate' | 'city';
  role: 'officer' | 'field';
  label: string;
  /** JSON of crypto's LockedMemberKeys: opens only with the passphrase. */
  lockedKeys: string;
  /**
   * The org public key this device seals to, pinned when the device joined: from the invitation, or
   * generated here (the founder). A server answer never replaces it (issue 14).
   */
  orgPublicKey: string;
  /** Where the pinned key came from; 'first-use' means the server's word, taken once (older invitations, demo accounts). */
  orgKeySource?: 'founder' | 'invitation' | 'first-use';
  /** Set when the server named another org key than the pinned one (or wrapped another key pair): nothing is sealed or unwrapped while it stands. */
  orgKeyAlarm?: OrgKeyAlarm | null;
  /** Officers: the org private key sealed to this member's own key, as the server keeps it. */
  wrappedOrgKey?: string | null;
  /**
   * Officers, during a rotation (decision 0606): the earlier org keys, still sealed to this member's
   * own key, kept only until the server holds no envelope under them; then forgotten.
   */
  previousWrappedOrgKeys?: { orgPublicKey: string; wrappedOrgKey: string }[];
}

/**
 * The identity row as stored (issue 15, a seized phone): the passphrase-locked keys, and every other
 * field of IdentityRow encrypted under a key from the member's X25519 secret key (crypto's device profile, `P` 1), so
 * that a copy of the storage taken without the passphrase names neither the member nor the
 * organisation. Rows written before this (every field in the clear) are sealed at the next unlock.
 */
export interface StoredIdentity {
  key: 'me';
  lockedKeys: string;
  profile: string;
}

export interface OrgKeyAlarm {
  /**
   * 'public_key': the server (or the statement head) named another org public key; 'wrapped_key':
   * the key it wrapped for this officer is not the pinned one; 'statement': the signed statement
   * chain does not verify from this device's pin (forked, rewritten or rolled back).
   */
  kind: 'public_key' | 'wrapped_key' | 'statement';
  /** What the server sent instead (a public key, base64url), or why the statement was refused. */
  served: string;
  seenAt: string;
}

/** A sealed record version waiting to be pushed. Drained idempotently: the server ignores replays. */
export interface OutboxRow {
  id: string;
  version: number;
  envelope: string;
  queuedAt: string;
}

/** What this device captured, sealed to the member's own key: a field device keeps a version only until the server acknowledged it (unless its worker chose to keep them, store/settings.ts). */
export interface CaptureRow {
  id: string;
  version: number;
  envelope: string;
  capturedAt: string;
  synced: 0 | 1;
}

/** An officer's copy of the org's records, as sealed envelopes from the server. */
export interface EnvelopeRow {
  seq: number;
  id: string;
  version: number;
  envelope: string;
}

export interface MetaRow {
  key: string;
  value: string | number;
}

export class BufferDatabase extends Dexie {
  /** A StoredIdentity; an IdentityRow in the clear on devices set up before the sealed profile, until their next unlock. */
  identity!: Table<StoredIdentity | IdentityRow, string>;
  outbox!: Table<OutboxRow, [string, number]>;
  captures!: Table<CaptureRow, string>;
  envelopes!: Table<EnvelopeRow, number>;
  meta!: Table<MetaRow, string>;

  constructor(name = 'buffer') {
    super(name);
    this.version(1).stores({
      identity: 'key',
      outbox: '[id+version], queuedAt',
      captures: 'id, synced',
      envelopes: 'seq, id',
      meta: 'key',
    });
  }
}

export const database = new BufferDatabase();

/** Quick wipe: everything this device holds, keys included. */
export async function wipeDevice(db: BufferDatabase = database) {
  await db.transaction('rw', [db.identity, db.outbox, db.captures, db.envelopes, db.meta], async () => {
    await Promise.all([db.identity.clear(), db.outbox.clear(), db.captures.clear(), db.envelopes.clear(), db.meta.clear()]);
  });
}
