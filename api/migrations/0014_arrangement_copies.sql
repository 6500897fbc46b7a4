-- Break-glass minimised (issue 15, decision 0610): instead of a wrap of each consenting record's data
-- key (which handed the requester whole records, and told the server which opaque records were
-- consenting people), a CSO officer's device keeps one release bundle per arrangement, sealed to the
-- arrangement key: only the agreed fields of the consenting people in the arrangement's scope,
-- padded, replaced whole at each refresh. The old wraps are dropped: devices rebuild the copy at
-- their next sync.
CREATE TABLE arrangement_copies (
  arrangement_id TEXT PRIMARY KEY REFERENCES arrangements(id),
  bundle         BLOB NOT NULL,
  uploaded_by    TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
DROP TABLE arrangement_wraps;
