-- Several roster changes may wait at once, each keyed by its statement hash (issue 14, found by the
-- attacker review of decision 0603): with one slot that any officer could withdraw, a rogue officer
-- kept filing and withdrawing to block every change, its own removal included. Only the proposer
-- withdraws a change; the first to gather its signatures is applied, and the others for that
-- version go stale and are dropped.
CREATE TABLE roster_proposals_by_hash (
  org_id       TEXT NOT NULL REFERENCES orgs(id),
  version      INTEGER NOT NULL,
  statement    TEXT NOT NULL,
  hash         TEXT NOT NULL,
  signer_id    TEXT NOT NULL,
  signature    TEXT NOT NULL,
  cosignatures TEXT NOT NULL DEFAULT '[]',
  action       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (org_id, hash)
);
INSERT INTO roster_proposals_by_hash SELECT org_id, version, statement, hash, signer_id, signature, cosignatures, action, created_at FROM roster_proposals;
DROP TABLE roster_proposals;
ALTER TABLE roster_proposals_by_hash RENAME TO roster_proposals;
