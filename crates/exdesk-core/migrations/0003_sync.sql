-- Sync between laptops: device keys and trust, per-field clocks, tombstones, what each
-- peer has acknowledged, and the conflict list. All of it is local bookkeeping: none of
-- it is in `export all`.

ALTER TABLE device ADD COLUMN public_key TEXT;        -- ed25519, base64
ALTER TABLE device ADD COLUMN secret_key TEXT;        -- this installation's own key only
ALTER TABLE device ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device ADD COLUMN trusted_at TEXT;

-- The winning write of every field of every shared record: its hybrid logical clock,
-- the device it came from, and the stamps of the writes it replaced (JSON list), so a
-- merge can tell an old value from a concurrent one.
CREATE TABLE field_clock (
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    origin      TEXT NOT NULL,
    supersedes  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (entity, record_id, field)
) WITHOUT ROWID;
CREATE INDEX field_clock_hlc ON field_clock (origin, hlc);

-- Deleted records: a delete is final and wins over concurrent edits.
CREATE TABLE tombstone (
    record_id   TEXT PRIMARY KEY NOT NULL,
    entity      TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    origin      TEXT NOT NULL,
    fields      TEXT NOT NULL DEFAULT '{}',  -- the deleter's field clocks: field -> hlc
    reason      TEXT NOT NULL DEFAULT 'deleted'
);
CREATE INDEX tombstone_hlc ON tombstone (origin, hlc);

-- The newest change this installation holds from each device.
CREATE TABLE seen (
    origin  TEXT PRIMARY KEY NOT NULL,
    hlc     TEXT NOT NULL
);

-- What each peer said it holds (from the `seen` of its packages): `sync export --for`
-- sends only newer changes.
CREATE TABLE peer_ack (
    peer    TEXT NOT NULL,
    origin  TEXT NOT NULL,
    hlc     TEXT NOT NULL,
    PRIMARY KEY (peer, origin)
) WITHOUT ROWID;

-- Values that lost a merge, edits to deleted records, records removed to keep the data
-- consistent, and people who look entered twice. Restoring one is a new local change.
CREATE TABLE conflict (
    id            TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,  -- field | edit_deleted | removed | duplicate_person
    entity        TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    field         TEXT NOT NULL DEFAULT '',
    lost_value    TEXT,
    lost_hlc      TEXT NOT NULL DEFAULT '',
    lost_origin   TEXT NOT NULL DEFAULT '',
    lost_supersedes TEXT NOT NULL DEFAULT '[]',  -- what the lost write had itself replaced
    kept_value    TEXT,
    kept_hlc      TEXT NOT NULL DEFAULT '',
    kept_origin   TEXT NOT NULL DEFAULT '',
    detected_at   TEXT NOT NULL,
    resolved_at   TEXT,
    resolution    TEXT,
    UNIQUE (kind, entity, record_id, field, lost_hlc, lost_origin)
);

-- Packages written and read, trust decisions, shared-folder files already imported.
CREATE TABLE sync_log (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,   -- export | import | trust | refuse
    peer        TEXT,
    file_name   TEXT,
    sha256      TEXT,
    changes     INTEGER NOT NULL DEFAULT 0,
    detail      TEXT
);
CREATE INDEX sync_log_file ON sync_log (file_name, sha256);

-- Field clocks for records written before this migration, from their history.
INSERT OR REPLACE INTO field_clock (entity, record_id, field, hlc, origin)
SELECT h.entity, h.record_id, h.field, h.hlc, h.device_id
FROM history h
JOIN (SELECT record_id, field, max(seq) AS seq FROM history WHERE field IS NOT NULL GROUP BY record_id, field) m
  ON m.seq = h.seq
WHERE h.record_id NOT IN (SELECT record_id FROM history WHERE op = 'delete');
INSERT OR REPLACE INTO seen (origin, hlc) SELECT device_id, max(hlc) FROM history GROUP BY device_id;
