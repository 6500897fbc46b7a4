-- Retention (buffer.md, property 10): a crisis has an end. Each organisation sets how long the server
-- keeps its sealed records; older record versions are deleted for real by the expiry sweep.
ALTER TABLE orgs ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 3650);
CREATE INDEX records_org_received ON records(org_id, received_at);
