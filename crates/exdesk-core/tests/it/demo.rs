//! The demo dataset, statistics, rosters and `export all`.

use exdesk_core::dto::{Agreement, Cohort, Fellowship, Institution, Person, Placement, Program};
use exdesk_core::{Db, Entity, ErrorCode, ListQuery};
use serde_json::Value;

use crate::temp_db;

fn demo() -> (tempfile::TempDir, Db) {
    let (dir, mut db) = temp_db();
    db.load_demo().unwrap();
    (dir, db)
}

#[test]
fn the_demo_covers_the_domain() {
    let (_dir, db) = demo();
    let s = db.stats().unwrap();
    for (entity, n) in &s.counts {
        assert!(*n > 0, "demo has no {entity}");
    }
    for (map, what) in [
        (&s.placements_by_status, "status"),
        (&s.programs_by_kind, "kind"),
        (&s.programs_by_tech_area, "tech area"),
    ] {
        for (k, n) in map {
            assert!(*n > 0 || k == "other", "demo has no {what} {k}");
        }
    }
    for d in ["US->IL", "IL->US", "domestic"] {
        assert!(
            s.placements_by_direction.get(d).is_some_and(|n| *n > 0),
            "direction {d}"
        );
    }
    let currencies: Vec<String> = db
        .list(Entity::Fellowship, &ListQuery::default())
        .unwrap()
        .iter()
        .map(|f| f["currency"].as_str().unwrap().to_owned())
        .collect();
    assert!(currencies.contains(&"USD".to_owned()) && currencies.contains(&"ILS".to_owned()));
    let all = db.deadlines(60).unwrap();
    assert!(all.len() > 2);
    let first = db.first_deadlines(60, 2).unwrap();
    assert_eq!(first.total as usize, all.len());
    assert_eq!(first.items, all[..2]);
    assert!(db.check().unwrap().ok);
}

#[test]
fn the_demo_loads_only_into_an_empty_database() {
    let (_dir, mut db) = demo();
    let before = db.export_all().unwrap();
    assert_eq!(db.load_demo().unwrap_err().code(), ErrorCode::Refused);
    assert_eq!(db.export_all().unwrap(), before);
}

/// The record shapes documented for TypeScript match what the store produces.
#[test]
fn every_record_matches_its_typed_shape() {
    let (_dir, db) = demo();
    fn all<T: serde::de::DeserializeOwned>(db: &Db, entity: Entity) {
        let records = db.list(entity, &ListQuery::default()).unwrap();
        assert!(!records.is_empty());
        for r in records {
            serde_json::from_value::<T>(r.clone()).unwrap_or_else(|e| panic!("{entity}: {e}\n{r}"));
        }
    }
    all::<Institution>(&db, Entity::Institution);
    all::<Person>(&db, Entity::Person);
    all::<Program>(&db, Entity::Program);
    all::<Cohort>(&db, Entity::Cohort);
    all::<Placement>(&db, Entity::Placement);
    all::<Fellowship>(&db, Entity::Fellowship);
    all::<Agreement>(&db, Entity::Agreement);
}

#[test]
fn rosters_list_every_placement_sorted_by_family_name() {
    let (_dir, db) = demo();
    for cohort in db.list(Entity::Cohort, &ListQuery::default()).unwrap() {
        let cohort_id = cohort["id"].as_str().unwrap();
        let roster = db.roster(cohort_id).unwrap();
        let placements = db
            .list(
                Entity::Placement,
                &ListQuery {
                    filters: vec![("cohort_id".into(), cohort_id.into())],
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(roster.len(), placements.len());
        let keys: Vec<String> = roster
            .iter()
            .map(|r| {
                r.family_name
                    .clone()
                    .or(r.family_name_he.clone())
                    .unwrap()
                    .to_lowercase()
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
    assert_eq!(db.roster("nope").unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn export_all_is_deterministic_and_complete() {
    let (_dir, db) = demo();
    let a = db.export_all().unwrap();
    let b = db.export_all().unwrap();
    assert_eq!(a, b);
    let v: Value = serde_json::from_str(&a).unwrap();
    let obj = v.as_object().unwrap();
    let keys: Vec<&String> = obj.keys().collect();
    assert_eq!(
        keys,
        [
            "format",
            "agreement",
            "cohort",
            "fellowship",
            "institution",
            "person",
            "placement",
            "program"
        ]
    );
    for entity in Entity::ALL {
        let records = obj[entity.name()].as_array().unwrap();
        assert_eq!(
            records.len() as u32,
            db.stats().unwrap().counts[entity.name()]
        );
        let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "{entity} sorted by id");
    }
    assert!(!a.contains("device_id") && !a.contains("\"hlc\""));
}

#[test]
fn export_all_to_a_file_is_logged_with_counts_per_entity_not_ids() {
    let (dir, mut db) = demo();
    let path = dir.path().join("all.json");
    let summary = db.export_all_to(&path).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        db.export_all().unwrap()
    );
    let counts = db.stats().unwrap().counts;
    assert_eq!(summary.rows, counts.values().sum::<u32>());
    let log = db.export_log(10).unwrap();
    assert_eq!(log.len(), 1);
    let entry = &log[0];
    assert_eq!(
        (entry.kind.as_str(), entry.format.as_str()),
        ("all", "json")
    );
    assert_eq!(entry.file_name, path.display().to_string());
    assert_eq!(entry.record_count, summary.rows);
    assert!(!entry.redacted && entry.cohort_id.is_none());
    assert_eq!(entry.entity_counts.as_ref(), Some(&counts));
    // The row names no records: at national scale that would be millions of ids.
    let ids: String = rusqlite::Connection::open(db.path())
        .unwrap()
        .query_row("SELECT record_ids FROM export_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ids, "[]");
    // A roster's row has no counts.
    let cohort = db.list(Entity::Cohort, &ListQuery::default()).unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    db.export_roster(
        &cohort,
        &dir.path().join("r.csv"),
        exdesk_core::roster::RosterFormat::Csv,
        &Default::default(),
    )
    .unwrap();
    assert_eq!(db.export_log(10).unwrap()[0].entity_counts, None);
}

#[test]
fn export_all_into_a_missing_folder_writes_and_logs_nothing() {
    let (dir, mut db) = demo();
    let path = dir.path().join("no such folder").join("all.json");
    let err = db.export_all_to(&path).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert!(err.to_string().contains("no such folder"), "{err}");
    assert!(db.export_log(10).unwrap().is_empty());
    assert!(!path.parent().unwrap().exists());
}
