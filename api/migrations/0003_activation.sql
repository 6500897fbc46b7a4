-- Emergency activation: requests, officers' decisions, release bundles, standing break-glass
-- arrangements, and the hash-chained audit log. All of it is workflow metadata the server may see
-- (buffer.md): areas, nationalities, field names, purposes, signatures. No record content.

-- A CSO lists the requesters (consulates, cities) it has a relationship with; only they can ask it.
CREATE TABLE relationships (
  cso_org_id       TEXT NOT NULL REFERENCES orgs(id),
  requester_org_id TEXT NOT NULL REFERENCES orgs(id),
  created_by       TEXT NOT NULL REFERENCES members(id),
  created_at       TEXT NOT NULL,
  PRIMARY KEY (cso_org_id, requester_org_id)
);

CREATE TABLE activation_requests (
  hash             TEXT PRIMARY KEY,          -- base64url SHA-256 of the canonical request (crypto/src/activation.ts)
  request          TEXT NOT NULL,             -- the request JSON as signed
  signature        TEXT NOT NULL,             -- the requester's Ed25519 signature over the hash
  kind             TEXT NOT NULL CHECK (kind IN ('release', 'break_glass')),
  requester_org_id TEXT NOT NULL REFERENCES orgs(id),
  requester_member_id TEXT NOT NULL REFERENCES members(id),
  arrangement_id   TEXT,
  created_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'expired'))
);
CREATE INDEX activation_requests_requester ON activation_requests(requester_org_id);

-- One row per CSO a request is addressed to: each decides on its own, with its own k.
CREATE TABLE activation_targets (
  request_hash       TEXT NOT NULL REFERENCES activation_requests(hash),
  org_id             TEXT NOT NULL REFERENCES orgs(id),
  approvals_required INTEGER NOT NULL,
  status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'vetoed', 'released', 'revoked', 'expired')),
  updated_at         TEXT NOT NULL,
  PRIMARY KEY (request_hash, org_id)
);
CREATE INDEX activation_targets_org ON activation_targets(org_id, status);

CREATE TABLE activation_decisions (
  request_hash TEXT NOT NULL REFERENCES activation_requests(hash),
  org_id       TEXT NOT NULL REFERENCES orgs(id),
  member_id    TEXT NOT NULL REFERENCES members(id),
  decision     TEXT NOT NULL CHECK (decision IN ('approve', 'veto')),
  signature    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (request_hash, member_id)
);

-- A release bundle, sealed to the requester and signed by the releasing officer (crypto/FORMAT.md).
-- Stored in chunks: a D1 value is limited in size.
CREATE TABLE releases (
  id           TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL REFERENCES activation_requests(hash),
  org_id       TEXT NOT NULL REFERENCES orgs(id),
  uploaded_by  TEXT NOT NULL REFERENCES members(id),
  bytes        INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'revoked', 'expired')),
  downloads    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX releases_request ON releases(request_hash);
CREATE INDEX releases_expiry ON releases(status, expires_at);

CREATE TABLE release_chunks (
  release_id TEXT NOT NULL REFERENCES releases(id),
  idx        INTEGER NOT NULL,
  data       BLOB NOT NULL,
  PRIMARY KEY (release_id, idx)
);

-- Break-glass: a standing arrangement made in calm times (crypto/src/breakglass.ts).
CREATE TABLE arrangements (
  id               TEXT PRIMARY KEY,
  cso_org_id       TEXT NOT NULL REFERENCES orgs(id),
  requester_org_id TEXT NOT NULL REFERENCES orgs(id),
  descriptor       TEXT NOT NULL,            -- JSON, signed by the creating officer
  signature        TEXT NOT NULL,
  requester_signature TEXT,                  -- the requester's countersignature: the arrangement is active only with it
  org_escrow       TEXT NOT NULL,            -- arrangement key sealed to the org key
  requester_share  TEXT NOT NULL,            -- Shamir share sealed to the requester (handed over at acceptance)
  server_share     TEXT NOT NULL,            -- the other share, sealed to the requester; released only after the waiting period
  waiting_seconds  INTEGER NOT NULL,
  status           TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'active', 'waiting', 'vetoed', 'used', 'retired')),
  request_hash     TEXT,                     -- the break-glass activation, once started
  started_at       TEXT,
  created_at       TEXT NOT NULL
);
CREATE INDEX arrangements_cso ON arrangements(cso_org_id);
CREATE INDEX arrangements_requester ON arrangements(requester_org_id);

-- Extra data-key wraps for records in an arrangement's scope (consent allowing).
CREATE TABLE arrangement_wraps (
  arrangement_id TEXT NOT NULL REFERENCES arrangements(id),
  record_id      TEXT NOT NULL,
  version        INTEGER NOT NULL,
  wrap           BLOB NOT NULL,
  PRIMARY KEY (arrangement_id, record_id, version)
);

-- The audit log: chains of signed entries (crypto/src/audit.ts). One chain per activation request
-- ("request:<hash>") and one per arrangement ("arrangement:<id>"). Every party to them reads them.
CREATE TABLE audit_entries (
  chain_id TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  entry    TEXT NOT NULL,                    -- the entry JSON as signed
  hash     TEXT NOT NULL,
  at       TEXT NOT NULL,
  PRIMARY KEY (chain_id, seq)
);
