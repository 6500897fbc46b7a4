-- Messages out (issue 9): a requester asks a CSO to relay a message; the CSO's officers approve
-- (k of n) or decline; the CSO's devices pick the recipients and send; the requester sees counts only.
CREATE TABLE relay_requests (
  hash               TEXT PRIMARY KEY,        -- base64url SHA-256 of relayRequestBytes (crypto/src/protocol.ts)
  request            TEXT NOT NULL,
  signature          TEXT NOT NULL,
  requester_org_id   TEXT NOT NULL REFERENCES orgs(id),
  cso_org_id         TEXT NOT NULL REFERENCES orgs(id),
  approvals_required INTEGER NOT NULL,
  status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined', 'sent')),
  created_at         TEXT NOT NULL,
  expires_at         TEXT NOT NULL,
  report             TEXT                     -- counts only: { sent, failed, byLanguage }
);
CREATE INDEX relay_requests_cso ON relay_requests(cso_org_id, status);
CREATE INDEX relay_requests_requester ON relay_requests(requester_org_id);

CREATE TABLE relay_decisions (
  request_hash TEXT NOT NULL REFERENCES relay_requests(hash),
  member_id    TEXT NOT NULL REFERENCES members(id),
  decision     TEXT NOT NULL CHECK (decision IN ('approve', 'veto')),
  signature    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (request_hash, member_id)
);
