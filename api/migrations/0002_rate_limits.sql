-- Fixed-window request counters for the rate-limit middleware (api/src/middleware/rate-limit).
-- A bucket is a rule name and a SHA-256 of what is counted (an IP address or a member id), never
-- the value itself; rows live one window and are deleted by the next request after they expire.
CREATE TABLE rate_limits (
  bucket       TEXT NOT NULL,     -- "<rule>:<sha-256 hex of the key, first 32 characters>"
  window_start INTEGER NOT NULL,  -- unix seconds, aligned on the window length
  hits         INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,  -- unix seconds: window_start + window length
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_expiry ON rate_limits(expires_at);
