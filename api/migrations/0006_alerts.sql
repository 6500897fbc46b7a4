-- Alerts in: public CAP 1.2 and GDACS hazard warnings an organisation imports. Only the public
-- alert is stored; matching it against communities happens on the CSO officer's device.
CREATE TABLE alerts (
  id          TEXT NOT NULL,                 -- "<sender>|<identifier>"
  org_id      TEXT NOT NULL REFERENCES orgs(id),
  source      TEXT NOT NULL CHECK (source IN ('cap', 'gdacs')),
  identifier  TEXT NOT NULL,
  sender      TEXT NOT NULL,
  sent        TEXT NOT NULL,
  msg_type    TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
  state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'updated', 'cancelled')),
  alert       TEXT NOT NULL,                 -- parsed: event, severity, urgency, certainty, expiry, areas as GeoJSON
  raw         TEXT NOT NULL,                 -- as received
  imported_at TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX alerts_org_state ON alerts(org_id, state, sent);
