-- Roster v2 (decision 0603, crypto/FORMAT.md "Organisation statement"): each new version carries
-- the org public key and is signed by k officers of the version it replaces. A proposal waits in
-- roster_proposals until enough officers have co-signed it; then the version and the action it
-- stands for (an officer added, a member removed, k changed) are written in one batch.
ALTER TABLE officer_rosters ADD COLUMN cosignatures TEXT NOT NULL DEFAULT '[]'; -- JSON [{signerId, signature}]

CREATE TABLE roster_proposals (
  org_id       TEXT PRIMARY KEY REFERENCES orgs(id), -- one change waits at a time
  version      INTEGER NOT NULL,
  statement    TEXT NOT NULL,   -- JSON of the normalised statement
  hash         TEXT NOT NULL,
  signer_id    TEXT NOT NULL,   -- who proposed it
  signature    TEXT NOT NULL,
  cosignatures TEXT NOT NULL DEFAULT '[]',
  action       TEXT NOT NULL,   -- JSON: what applying it does besides appending the version
  created_at   TEXT NOT NULL
);

-- The roster version a request was filed under: approvals count only from its officers (still
-- officers), vetoes from its officers even after they leave.
ALTER TABLE activation_targets ADD COLUMN roster_version INTEGER;
