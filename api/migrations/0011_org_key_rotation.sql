-- Org key rotation (issue 14, finding 5; decision 0606). The key id (first 8 bytes of
-- BLAKE2b-256("buffer/org-key-id/v1" || key), upper-case hex) of the key records are sealed to now,
-- as the officers who signed the rotation gave it: the Worker has no BLAKE2b, and envelopes whose
-- key id differs are the ones still to re-wrap. NULL: never rotated (every envelope is under the
-- one key the organisation was created with).
ALTER TABLE orgs ADD COLUMN key_id TEXT;
