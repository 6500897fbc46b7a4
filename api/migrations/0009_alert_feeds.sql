-- Alert feeds an organisation follows: public CAP or GDACS URLs the Worker's cron trigger polls.
-- Only public alerts come in through them; nothing about migrants goes out.
CREATE TABLE alert_feeds (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES orgs(id),
  label            TEXT NOT NULL,
  url              TEXT NOT NULL,
  format           TEXT NOT NULL CHECK (format IN ('cap', 'cap-feed', 'gdacs')),
  interval_minutes INTEGER NOT NULL DEFAULT 10 CHECK (interval_minutes BETWEEN 5 AND 1440),
  created_by       TEXT NOT NULL REFERENCES members(id),
  created_at       TEXT NOT NULL,
  last_polled_at   TEXT,
  last_status      TEXT CHECK (last_status IN ('ok', 'error')),
  last_message     TEXT,                       -- what the last poll did, or why it failed
  last_imported    INTEGER NOT NULL DEFAULT 0,
  seen_urls        TEXT NOT NULL DEFAULT '[]', -- JSON: CAP documents of an index already fetched (newest first, at most 300)
  UNIQUE (org_id, url)
);
CREATE INDEX alert_feeds_due ON alert_feeds(last_polled_at);
