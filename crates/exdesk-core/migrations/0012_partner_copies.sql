-- Partner copies. A package scoped to a cohort (`sync export --cohort`, for a partner
-- campus) leaves out the redacted fields of domain.md: a person's birth date,
-- citizenships, phone and e-mail, a placement's screening and visa. The laptop that
-- receives one holds its people and placements without those values, and must not set
-- them: a value written there would overwrite, at the coordinator's, one the partner
-- never saw. Both sides remember what travelled that way. Local bookkeeping, like the
-- rest of sync's: none of it is in `export all` or in packages.

-- On the partner's laptop: records it first received in a scoped package, and the fields
-- that package left out (JSON list). A write that sets one of them is refused. A record
-- the laptop created itself is never here; a full (unscoped) package carrying the record
-- takes it out again.
CREATE TABLE IF NOT EXISTS partner_copy (
    entity       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    fields       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (entity, record_id)
) WITHOUT ROWID;

-- On the coordinator's laptop: records it sent to a device in packages scoped to a
-- cohort (`sync export --for DEVICE --cohort C`), those with redacted fields. A change to
-- a redacted field of one of them that comes back from a device this laptop only ever
-- sent scoped packages is not applied but listed in `conflict` (sync_log tells which
-- packages went where).
CREATE TABLE IF NOT EXISTS scoped_sent (
    peer       TEXT NOT NULL,
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    PRIMARY KEY (entity, record_id, peer)
) WITHOUT ROWID;
