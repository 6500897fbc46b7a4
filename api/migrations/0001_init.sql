-- Organisations, members, authentication and sealed records.
-- Nothing here identifies a migrant: records are opaque ids and ciphertext (see crypto/FORMAT.md).

CREATE TABLE orgs (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('cso', 'consulate', 'city')),
  name          TEXT NOT NULL,
  country       TEXT,                       -- ISO 3166-1 alpha-2 of the org's own country, if any
  nationalities TEXT NOT NULL DEFAULT '[]', -- JSON array: nationalities a consulate serves
  public_key    TEXT,                       -- the org's X25519 public key (base64url); CSOs seal records to it
  approvals_required INTEGER NOT NULL DEFAULT 2 CHECK (approvals_required >= 1),
  created_at    TEXT NOT NULL
);

CREATE TABLE members (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES orgs(id),
  label           TEXT NOT NULL,              -- what colleagues call this member or device
  role            TEXT NOT NULL CHECK (role IN ('officer', 'field')),
  sign_public_key TEXT NOT NULL UNIQUE,       -- Ed25519, base64url
  box_public_key  TEXT NOT NULL,              -- X25519, base64url
  wrapped_org_key TEXT,                       -- the org private key sealed to this officer (crypto/FORMAT.md)
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at      TEXT NOT NULL,
  revoked_at      TEXT
);
CREATE INDEX members_org ON members(org_id);

CREATE TABLE invitations (
  code_hash   TEXT PRIMARY KEY,               -- SHA-256 of the invitation code; the code itself is never stored
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  role        TEXT NOT NULL CHECK (role IN ('officer', 'field')),
  created_by  TEXT NOT NULL REFERENCES members(id),
  expires_at  TEXT NOT NULL,
  used_by     TEXT                        -- member id that used it; no foreign key: it is set just before that member is inserted
);

CREATE TABLE auth_challenges (
  nonce       TEXT PRIMARY KEY,
  member_id   TEXT NOT NULL REFERENCES members(id),
  expires_at  TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,               -- SHA-256 of the bearer token; the token itself is never stored
  member_id   TEXT NOT NULL REFERENCES members(id),
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  expires_at  TEXT NOT NULL
);

-- One row per sealed record version. The same (record, version) pushed twice with the same bytes
-- is stored once (idempotent sync); two devices that both wrote version N of a record produce two
-- rows with different digests, both kept, so the clients can show the conflict instead of losing an edit.
CREATE TABLE records (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT, -- the pull cursor
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  record_id   TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version >= 1),
  digest      TEXT NOT NULL,                  -- SHA-256 of the envelope, hex
  envelope    BLOB NOT NULL,
  size        INTEGER NOT NULL,
  pushed_by   TEXT NOT NULL REFERENCES members(id),
  received_at TEXT NOT NULL,
  UNIQUE (org_id, record_id, version, digest)
);
CREATE INDEX records_org_seq ON records(org_id, seq);

-- Demo only (DEMO_MODE=1): passphrase-locked key files of the demo accounts, so a newcomer can
-- sign in as a CSO officer, a field worker or a consular officer. Argon2id-locked, never plaintext.
CREATE TABLE demo_accounts (
  member_id   TEXT PRIMARY KEY REFERENCES members(id),
  title       TEXT NOT NULL,
  passphrase_hint TEXT NOT NULL,
  locked_keys TEXT NOT NULL
);
