//! Opening, migrating and refusing databases; invalid writes change nothing.

use exdesk_core::{Db, Entity, Error, ErrorCode, SCHEMA_VERSION, WriteOptions};
use serde_json::json;

use crate::{add, id, person, temp_db, world};

#[test]
fn a_new_file_is_created_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/new.sqlite3");
    let db = Db::open(&path).unwrap();
    assert!(path.exists());
    let info = db.info().unwrap();
    assert_eq!(info.schema_version as i64, SCHEMA_VERSION);
    assert!(info.empty);
    assert!(!info.onboarded);
    drop(db);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Tables are named after the entities, columns after the fields.
    for entity in Entity::ALL {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [entity.name()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {entity}");
    }
    conn.prepare("SELECT id, given_name, family_name_he, orcid, citizenships, home_institution_id FROM person").unwrap();
    conn.prepare(
        "SELECT person_id, cohort_id, direction, status, screening, visa_expires FROM placement",
    )
    .unwrap();
    conn.prepare("SELECT placement_id, kind, status, due_date FROM checklist_item")
        .unwrap();
}

#[test]
fn a_missing_file_is_not_created_by_open_existing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.sqlite3");
    let err = Db::open_existing(&path).err().unwrap();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(!path.exists());
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    drop(Db::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Db::open(&path).err().expect("newer schema must be refused");
    assert!(
        matches!(err, Error::NewerSchema { found: 999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database, just some text that is long enough to matter .....",
    )
    .unwrap();
    let err = Db::open(&path).err().unwrap();
    assert_eq!(err.code(), ErrorCode::Damaged, "{err}");
}

#[test]
fn an_invalid_write_changes_nothing() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let before = db.export_all().unwrap();
    let history_before = db.history(Entity::Institution, &w.mit).unwrap().len();
    // Several problems at once, all reported, nothing written.
    let err = db
        .add(
            Entity::Person,
            &json!({"given_name": "Dana", "family_name": "Cohen", "orcid": "0000-0002-1825-0098", "email": "nope"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    let fields: Vec<String> = err.problems().into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["email", "orcid"]);
    let err = db
        .update(
            Entity::Institution,
            &w.mit,
            &json!({"country": "XX"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert_eq!(db.export_all().unwrap(), before);
    assert_eq!(
        db.history(Entity::Institution, &w.mit).unwrap().len(),
        history_before
    );
}

#[test]
fn check_reports_a_healthy_database() {
    let (_dir, mut db) = temp_db();
    world(&mut db);
    let report = db.check().unwrap();
    assert!(report.ok, "{:?}", report.problems);
}

/// A record that refers to one that is not there (a file edited by another program) is
/// named by its id, with the field and the missing id: a row number means nothing to a
/// coordinator.
#[test]
fn check_names_a_dangling_reference_by_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite3");
    let placement;
    {
        let mut db = Db::open(&path).unwrap();
        let w = world(&mut db);
        let dana = person(&mut db, "Dana", "Cohen", &w.technion);
        placement = id(&add(
            &mut db,
            Entity::Placement,
            json!({"person_id": dana, "cohort_id": w.plain_cohort}),
        ));
    }
    let missing = "01a00000-0000-7000-8000-000000000000";
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        conn.execute(
            "UPDATE placement SET cohort_id = ?1 WHERE id = ?2",
            [missing, placement.as_str()],
        )
        .unwrap();
    }
    let db = Db::open(&path).unwrap();
    let report = db.check().unwrap();
    assert!(!report.ok);
    assert_eq!(
        report.problems,
        [format!(
            "placement {placement} (cohort_id) refers to a missing cohort {missing}"
        )]
    );
}

#[test]
fn settings_and_device_name_persist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let device;
    {
        let mut db = Db::open(&path).unwrap();
        db.set_setting("onboarded", "empty").unwrap();
        db.set_device_name("Technion office laptop").unwrap();
        device = db.device_id().to_owned();
        add(
            &mut db,
            Entity::Institution,
            json!({"name": "MIT", "country": "US"}),
        );
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(db.setting("onboarded").unwrap().as_deref(), Some("empty"));
    assert_eq!(db.device_name().unwrap(), "Technion office laptop");
    assert_eq!(db.device_id(), device);
    assert!(!db.info().unwrap().empty);
}

/// Migration 0010 rewrites the search entries a database already has: after it, a Hebrew
/// word is found without its prefix letter ("טכניון" finds "הטכניון").
#[test]
fn migrating_rewrites_the_search_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let mut db = Db::open(&path).unwrap();
    let w = world(&mut db);
    drop(db);
    {
        // The entries as schema 9 wrote them: the folded words alone.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE search_fts SET body = 'technion הטכניון' WHERE rowid IN \
               (SELECT rowid FROM search_doc WHERE entity = 'institution'); \
             PRAGMA user_version = 9;",
        )
        .unwrap();
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(db.info().unwrap().schema_version as i64, SCHEMA_VERSION);
    let hits = db.search("טכניון", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].id, w.technion);
    // Every other institution's entry is its own again.
    assert_eq!(db.search("mit", 10).unwrap()[0].id, w.mit);
}
