-- Exchange Desk schema, version 1. Append-only: never edit a migration that has shipped.
-- One table per entity of spec/domain.md, columns named after its fields, ids as text UUIDs,
-- dates as ISO text, money as integer minor units, lists of codes as JSON text.

CREATE TABLE institution (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    name_he     TEXT,
    country     TEXT NOT NULL,
    sector      TEXT,
    city        TEXT,
    website     TEXT,
    ror         TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX institution_name ON institution (name COLLATE NOCASE);

CREATE TABLE person (
    id                   TEXT PRIMARY KEY NOT NULL,
    given_name           TEXT,
    family_name          TEXT,
    given_name_he        TEXT,
    family_name_he       TEXT,
    email                TEXT,
    orcid                TEXT,
    birth_date           TEXT,
    citizenships         TEXT,
    phone                TEXT,
    home_institution_id  TEXT REFERENCES institution (id),
    notes                TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    -- Derived by core: family then given name, folded (no accents, lower case), so lists
    -- sort as a person expects and a page of a large table is an index range.
    sort_name            TEXT NOT NULL DEFAULT '',
    -- Derived by core: the e-mail in lower case (full Unicode), unique when present.
    email_key            TEXT
);
-- Uniqueness of e-mail, ORCID, cohort names and person-per-cohort is checked by core on
-- every local write, not by unique indexes: two laptops may each enter the same person,
-- and a sync must never fail on that (the merge shows them as probable duplicates).
CREATE INDEX person_email ON person (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX person_orcid ON person (orcid) WHERE orcid IS NOT NULL;
CREATE INDEX person_sort ON person (sort_name, id);
CREATE INDEX person_home_institution ON person (home_institution_id);

CREATE TABLE program (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    tech_areas   TEXT NOT NULL,
    sensitive    INTEGER,
    funder       TEXT,
    description  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE program_partner (
    program_id      TEXT NOT NULL REFERENCES program (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    institution_id  TEXT NOT NULL REFERENCES institution (id),
    PRIMARY KEY (program_id, position)
);
CREATE INDEX program_partner_institution ON program_partner (institution_id);

CREATE TABLE cohort (
    id                   TEXT PRIMARY KEY NOT NULL,
    program_id           TEXT NOT NULL REFERENCES program (id),
    name                 TEXT NOT NULL,
    start_date           TEXT,
    end_date             TEXT,
    capacity             INTEGER,
    host_institution_id  TEXT REFERENCES institution (id),
    location             TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX cohort_program_name ON cohort (program_id, name COLLATE NOCASE);

CREATE TABLE placement (
    id                   TEXT PRIMARY KEY NOT NULL,
    person_id            TEXT NOT NULL REFERENCES person (id),
    cohort_id            TEXT NOT NULL REFERENCES cohort (id),
    role                 TEXT,
    home_institution_id  TEXT REFERENCES institution (id),
    host_institution_id  TEXT REFERENCES institution (id),
    start_date           TEXT,
    end_date             TEXT,
    direction            TEXT,
    status               TEXT,
    screening            TEXT,
    visa_type            TEXT,
    visa_expires         TEXT,
    notes                TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX placement_person_cohort ON placement (person_id, cohort_id);
CREATE INDEX placement_cohort ON placement (cohort_id);
CREATE INDEX placement_status ON placement (status);
CREATE INDEX placement_home ON placement (home_institution_id);
CREATE INDEX placement_host ON placement (host_institution_id);

CREATE TABLE checklist_item (
    placement_id  TEXT NOT NULL REFERENCES placement (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    status        TEXT,
    due_date      TEXT,
    PRIMARY KEY (placement_id, position)
);

CREATE TABLE fellowship (
    id            TEXT PRIMARY KEY NOT NULL,
    person_id     TEXT NOT NULL REFERENCES person (id),
    placement_id  TEXT REFERENCES placement (id),
    title         TEXT NOT NULL,
    award_minor   INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX fellowship_person ON fellowship (person_id);
CREATE INDEX fellowship_placement ON fellowship (placement_id);

CREATE TABLE tranche (
    fellowship_id  TEXT NOT NULL REFERENCES fellowship (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    due_date       TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    status         TEXT,
    paid_on        TEXT,
    PRIMARY KEY (fellowship_id, position)
);

CREATE TABLE report (
    fellowship_id  TEXT NOT NULL REFERENCES fellowship (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    due_date       TEXT,
    submitted_on   TEXT,
    PRIMARY KEY (fellowship_id, position)
);

CREATE TABLE agreement (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE agreement_institution (
    agreement_id    TEXT NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    institution_id  TEXT NOT NULL REFERENCES institution (id),
    PRIMARY KEY (agreement_id, position)
);
CREATE INDEX agreement_institution_institution ON agreement_institution (institution_id);

CREATE TABLE quota (
    agreement_id   TEXT NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    academic_year  TEXT NOT NULL,
    direction      TEXT NOT NULL,
    places         INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, position)
);

-- Local to this installation (never exported or synced as records).

-- This installation's identity.
CREATE TABLE device (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    is_self     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

-- Every change to a record, field by field: the history view, the audit trail and,
-- later, what sync packages carry. `value`s are JSON text.
CREATE TABLE history (
    seq         INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    op          TEXT NOT NULL,   -- create | update | delete | reopen
    field       TEXT,            -- NULL for a whole-record delete
    old_value   TEXT,
    new_value   TEXT,
    changed_at  TEXT NOT NULL,
    hlc         TEXT NOT NULL,   -- hybrid logical clock: orders changes across devices
    device_id   TEXT NOT NULL
);
CREATE INDEX history_record ON history (record_id, seq);

-- Small key/value settings of this installation (onboarding choice, UI preferences).
CREATE TABLE setting (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
);

-- Full-text search over people, institutions, programs and cohorts. `search_doc` maps a
-- record to the FTS rowid; `search_fts.body` holds the record's names, folded to lower case
-- without diacritics (Latin accents, Hebrew points) by core, so that the index needs no
-- custom tokenizer.
CREATE TABLE search_doc (
    rowid      INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_fts USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
