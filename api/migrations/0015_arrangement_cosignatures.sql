-- k officers set up a break-glass arrangement (issue 15, decision 0610): the officers who co-signed
-- the descriptor after its creator, as JSON [{ "memberId", "signature" }] (Ed25519 over its bytes).
ALTER TABLE arrangements ADD COLUMN cosignatures TEXT NOT NULL DEFAULT '[]';
