-- The export log: every file of records that left the database (issue: rosters out).
CREATE TABLE export_log (
    id            TEXT PRIMARY KEY NOT NULL,
    exported_at   TEXT NOT NULL,
    kind          TEXT NOT NULL,   -- roster | calendar | template
    format        TEXT NOT NULL,   -- csv | xlsx | pdf | json | ics
    cohort_id     TEXT,            -- the cohort of a roster (no foreign key: the log outlives it)
    file_name     TEXT NOT NULL,
    columns       TEXT NOT NULL,   -- JSON array of column keys
    redacted      INTEGER NOT NULL,
    record_count  INTEGER NOT NULL,
    record_ids    TEXT NOT NULL,   -- JSON array of the exported placement ids
    device_id     TEXT NOT NULL
);
CREATE INDEX export_log_time ON export_log (exported_at);

-- Saved column choices for rosters and saved import mappings, by name.
CREATE TABLE preset (
    kind   TEXT NOT NULL,          -- roster_columns | import_mapping
    name   TEXT NOT NULL,
    value  TEXT NOT NULL,          -- JSON
    PRIMARY KEY (kind, name)
);

-- Programs and cohorts can be archived: kept, but hidden from everyday lists.
ALTER TABLE program ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cohort ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
