//! A cohort's roster as a view pages, filters and sorts it, and bulk changes of every
//! row a filter matches (`Db::roster_page`, `Db::roster_update`).

use exdesk_core::dto::{RosterQuery, RosterSort};
use exdesk_core::{Db, Entity, ErrorCode, WriteOptions};
use serde_json::json;

use crate::{add, id, temp_db, world};

const STATUSES: [&str; 4] = ["nominated", "applied", "accepted", "withdrawn"];

/// A cohort without capacity of `n` placements (statuses in turn), people named
/// `Given{i}` `Family{i:03}`; every tenth also has a Hebrew name and an e-mail.
fn cohort_of(db: &mut Db, n: usize) -> String {
    let w = world(db);
    let program = id(&add(
        db,
        Entity::Program,
        json!({"name": "Big", "kind": "academic_exchange", "tech_areas": ["ai"]}),
    ));
    let cohort = id(&add(
        db,
        Entity::Cohort,
        json!({"program_id": program, "name": "Intake", "host_institution_id": w.technion}),
    ));
    for i in 0..n {
        let mut person = json!({"given_name": format!("Given{i}"), "family_name": format!("Family{i:03}"),
                                "home_institution_id": w.mit});
        if i % 10 == 0 {
            person["family_name_he"] = json!(format!("כהן{i}"));
            person["email"] = json!(format!("p{i}@example.org"));
        }
        let person = id(&add(db, Entity::Person, person));
        add(
            db,
            Entity::Placement,
            json!({"person_id": person, "cohort_id": cohort, "status": STATUSES[i % 4]}),
        );
    }
    cohort
}

fn query() -> RosterQuery {
    RosterQuery::default()
}

#[test]
fn pages_of_a_roster_cover_it_in_order() {
    let (_dir, mut db) = temp_db();
    let cohort = cohort_of(&mut db, 250);
    let whole: Vec<String> = db
        .roster(&cohort)
        .unwrap()
        .into_iter()
        .map(|r| r.placement_id)
        .collect();
    let mut paged = Vec::new();
    for offset in [0, 100, 200, 300] {
        let page = db
            .roster_page(&cohort, &RosterQuery { offset, ..query() })
            .unwrap();
        assert_eq!((page.total, page.cohort_total), (250, 250));
        assert!(page.rows.len() <= 100);
        paged.extend(page.rows.into_iter().map(|r| r.placement_id));
    }
    assert_eq!(
        paged, whole,
        "the pages are the roster, in its order, once each"
    );

    let page = db.roster_page(&cohort, &query()).unwrap();
    assert_eq!(page.summary.used, 250 - 250 / 4, "withdrawn hold no place");
    assert_eq!(page.by_status["nominated"], 63);
    assert_eq!(page.by_status["completed"], 0, "every status is present");
    let big = RosterQuery {
        limit: Some(1_000_000),
        ..query()
    };
    assert_eq!(db.roster_page(&cohort, &big).unwrap().rows.len(), 250);
    assert_eq!(
        db.roster_page("no-such-cohort", &query())
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
}

#[test]
fn a_roster_view_filters_and_sorts_in_core() {
    let (_dir, mut db) = temp_db();
    let cohort = cohort_of(&mut db, 120);
    let names = |q: RosterQuery| -> Vec<String> {
        db.roster_page(&cohort, &q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.family_name.unwrap())
            .collect()
    };
    // Text: either script and the e-mail, folded.
    assert_eq!(
        names(RosterQuery {
            text: " FAMILY011".into(),
            ..query()
        }),
        ["Family011"]
    );
    assert_eq!(
        names(RosterQuery {
            text: "כהן2".into(),
            ..query()
        }),
        ["Family020"]
    );
    assert_eq!(
        names(RosterQuery {
            text: "p30@EXAMPLE".into(),
            ..query()
        }),
        ["Family030"]
    );
    // Status filter with the other filters; descending name order.
    let applied = db
        .roster_page(
            &cohort,
            &RosterQuery {
                status: Some("applied".into()),
                descending: true,
                ..query()
            },
        )
        .unwrap();
    assert_eq!(applied.total, 30);
    assert_eq!(applied.cohort_total, 120);
    assert_eq!(applied.by_status["applied"], 30);
    assert_eq!(applied.by_status["nominated"], 0);
    assert_eq!(applied.rows[0].family_name.as_deref(), Some("Family117"));
    // Sorted by status (lifecycle order, not alphabetical), names breaking ties.
    let by_status = db
        .roster_page(
            &cohort,
            &RosterQuery {
                sort: RosterSort::Status,
                limit: Some(1000),
                ..query()
            },
        )
        .unwrap();
    let statuses: Vec<&str> = by_status.rows.iter().map(|r| r.status.as_str()).collect();
    let mut expected = statuses.clone();
    expected.sort_by_key(|s| {
        ["nominated", "applied", "accepted", "withdrawn"]
            .iter()
            .position(|x| x == s)
    });
    assert_eq!(statuses, expected);
    assert_eq!(by_status.rows[0].family_name.as_deref(), Some("Family000"));
    // Grouped (the pipeline): status first even when sorting by name descending.
    let grouped = names(RosterQuery {
        grouped: true,
        descending: true,
        limit: Some(1000),
        ..query()
    });
    assert_eq!(grouped[0], "Family116", "the last nominated name first");
    assert_eq!(grouped[30], "Family117", "then the applied ones");
    // A status that does not exist is refused, naming the field.
    let err = db
        .roster_page(
            &cohort,
            &RosterQuery {
                status: Some("lost".into()),
                ..query()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert_eq!(err.problems()[0].field, "status");
}

#[test]
fn a_bulk_change_reaches_every_matching_row_but_the_excepted() {
    let (_dir, mut db) = temp_db();
    let cohort = cohort_of(&mut db, 200);
    let nominated = RosterQuery {
        status: Some("nominated".into()),
        ..query()
    };
    let before = db.roster_page(&cohort, &nominated).unwrap();
    assert_eq!(before.total, 50);
    let kept = before.rows[0].placement_id.clone();
    let summary = db
        .roster_update(
            &cohort,
            &nominated,
            std::slice::from_ref(&kept),
            &json!({"status": "accepted"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(summary.done, 49);
    assert!(summary.refused.is_empty());
    // Read again (the change is seen, not an old read kept for paging).
    let after = db.roster_page(&cohort, &nominated).unwrap();
    assert_eq!(after.total, 1);
    assert_eq!(after.rows[0].placement_id, kept);
    assert_eq!(
        db.roster_page(&cohort, &query()).unwrap().by_status["accepted"],
        99
    );

    // A move core refuses (backward without reopen) is reported per row; nothing else
    // of those rows changes.
    let accepted = RosterQuery {
        status: Some("accepted".into()),
        ..query()
    };
    let summary = db
        .roster_update(
            &cohort,
            &accepted,
            &[],
            &json!({"status": "nominated"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(summary.done, 0);
    assert_eq!(summary.refused.len(), 99);
    assert_eq!(summary.refused[0].problems[0].field, "status");
    assert_eq!(db.roster_page(&cohort, &accepted).unwrap().total, 99);

    // A bad filter changes nothing.
    let bad = RosterQuery {
        screening: Some("maybe".into()),
        ..query()
    };
    let err = db
        .roster_update(
            &cohort,
            &bad,
            &[],
            &json!({"status": "applied"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.problems()[0].field, "screening");
    assert_eq!(db.roster_page(&cohort, &accepted).unwrap().total, 99);
}

/// A write by another connection (the CLI, another window) is seen at the next page.
#[test]
fn a_roster_page_sees_writes_of_other_connections() {
    let (dir, mut db) = temp_db();
    let cohort = cohort_of(&mut db, 20);
    let first = db.roster_page(&cohort, &query()).unwrap();
    assert_eq!(first.by_status["withdrawn"], 5);
    let mut other = Db::open(&dir.path().join("test.sqlite3")).unwrap();
    other
        .update(
            Entity::Placement,
            &first.rows[0].placement_id,
            &json!({"status": "withdrawn"}),
            WriteOptions::default(),
        )
        .unwrap();
    let again = db.roster_page(&cohort, &query()).unwrap();
    assert_eq!(again.by_status["withdrawn"], 6);
    assert_eq!(again.summary.used, 14);
}

/// The counts column of a list page: one grouped query, every id a key.
#[test]
fn count_by_counts_references_per_id() {
    let (_dir, mut db) = temp_db();
    let cohort = cohort_of(&mut db, 7);
    let other = crate::world(&mut db).plain_cohort;
    let counts = db
        .count_by(
            Entity::Placement,
            "cohort_id",
            &[cohort.clone(), other.clone(), "nobody".into()],
        )
        .unwrap();
    assert_eq!(counts[&cohort], 7);
    assert_eq!(counts[&other], 0);
    assert_eq!(counts["nobody"], 0);
    // Only a reference field may be counted by.
    let err = db
        .count_by(Entity::Placement, "status", std::slice::from_ref(&cohort))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert_eq!(err.problems()[0].field, "status");
    let err = db
        .count_by(Entity::Placement, "cohort_id; DROP TABLE x", &[cohort])
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
}

/// An institution's agreements are a filter on the agreements' list of institutions (its
/// join table), not every agreement read and sifted by the UI.
#[test]
fn lists_filter_on_a_list_of_references() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    for (title, parties) in [
        ("Technion–MIT", vec![w.technion.clone(), w.mit.clone()]),
        ("Tokyo–MIT", vec![w.tokyo.clone(), w.mit.clone()]),
    ] {
        add(
            &mut db,
            Entity::Agreement,
            json!({"title": title, "institution_ids": parties}),
        );
    }
    let titles = |db: &Db, institution: &str| -> Vec<String> {
        let page = db
            .page(
                Entity::Agreement,
                &exdesk_core::ListQuery {
                    filters: vec![("institution_ids".into(), institution.to_owned())],
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(page.total as usize, page.rows.len());
        page.rows
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(titles(&db, &w.mit), ["Technion–MIT", "Tokyo–MIT"]);
    assert_eq!(titles(&db, &w.tokyo), ["Tokyo–MIT"]);
    assert!(titles(&db, "nobody").is_empty());
}
