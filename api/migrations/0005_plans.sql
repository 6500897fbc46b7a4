-- Contingency plans and privacy-safe summaries. Both are planning documents without personal data:
-- plans hold zones, assembly points, routes and contacts of agencies; summaries hold counts with
-- small cells suppressed. Stored as the JSON their owners signed.

CREATE TABLE plans (
  id             TEXT PRIMARY KEY,
  owner_org_id   TEXT NOT NULL REFERENCES orgs(id),
  title          TEXT NOT NULL,
  status         TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX plans_owner ON plans(owner_org_id);

-- Every saved change is a new version: nothing is overwritten.
CREATE TABLE plan_versions (
  plan_id      TEXT NOT NULL REFERENCES plans(id),
  version      INTEGER NOT NULL,
  author_id    TEXT NOT NULL REFERENCES members(id),
  author_label TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  document     TEXT NOT NULL,                -- the PlanVersion JSON (contingency-plans/src/model.ts)
  PRIMARY KEY (plan_id, version)
);

-- Partner organisations that see the plan and sign off its versions.
CREATE TABLE plan_shares (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  org_id  TEXT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (plan_id, org_id)
);

CREATE TABLE plan_signoffs (
  plan_id   TEXT NOT NULL REFERENCES plans(id),
  version   INTEGER NOT NULL,
  org_id    TEXT NOT NULL REFERENCES orgs(id),
  member_id TEXT NOT NULL REFERENCES members(id),
  signature TEXT NOT NULL,                   -- Ed25519 over canonical planSigningPayload(version)
  signed_at TEXT NOT NULL,
  PRIMARY KEY (plan_id, version, org_id)
);

-- Privacy-safe summaries a CSO publishes for planning before any activation.
CREATE TABLE summaries (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs(id),
  generated_at TEXT NOT NULL,
  summary      TEXT NOT NULL,                -- the Summary JSON (contingency-plans/src/summary.ts)
  signature    TEXT NOT NULL,                -- an officer's Ed25519 over canonical summarySigningPayload
  signed_by    TEXT NOT NULL REFERENCES members(id),
  created_at   TEXT NOT NULL
);
CREATE INDEX summaries_org ON summaries(org_id, generated_at);
