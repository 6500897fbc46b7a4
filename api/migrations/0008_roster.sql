-- The officer roster (decision 0602, crypto/src/roster.ts): each organisation's chain of signed
-- statements of who its officers are and how many approvals a release needs. (org_id, version) is
-- the primary key, so two officers racing cannot both append version n; the server verifies each
-- statement against the version before it and against the action it comes with.
CREATE TABLE officer_rosters (
  org_id     TEXT NOT NULL REFERENCES orgs(id),
  version    INTEGER NOT NULL CHECK (version >= 1),
  statement  TEXT NOT NULL,   -- JSON of the normalised RosterStatement
  hash       TEXT NOT NULL,   -- hex SHA-256 of rosterBytes(statement)
  signer_id  TEXT NOT NULL,
  signature  TEXT NOT NULL,   -- base64url Ed25519 over rosterBytes(statement)
  created_at TEXT NOT NULL,
  PRIMARY KEY (org_id, version)
);
