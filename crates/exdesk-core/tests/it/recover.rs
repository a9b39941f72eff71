//! Deleted records are listed from history and recovered as new records.

use exdesk_core::{Entity, ErrorCode};
use serde_json::{Value, json};

use crate::{add, id, person, temp_db, world};

/// The fields a coordinator wrote (no id or time stamps).
fn fields(v: &Value) -> Value {
    let mut v = v.clone();
    for k in ["id", "created_at", "updated_at"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn a_deleted_person_is_listed_and_recovered_once_as_a_new_record() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let ada = add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Ada", "family_name": "Lovelace", "citizenships": ["GB", "IL"],
               "email": "ada@example.org", "home_institution_id": w.mit}),
    );
    let old_id = id(&ada);
    db.delete(Entity::Person, &old_id).unwrap();

    let deleted = db.deleted(Some(Entity::Person), 10).unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].id, old_id);
    assert_eq!(deleted[0].name, "Ada Lovelace");
    assert_eq!(deleted[0].entity, Entity::Person);
    assert!(!deleted[0].device_name.is_empty());
    assert_eq!(deleted[0].recovered_as, None);
    assert_eq!(deleted[0].record["email"], "ada@example.org");
    assert!(db.deleted(Some(Entity::Cohort), 10).unwrap().is_empty());

    let back = db.recover(Entity::Person, &old_id).unwrap();
    assert_ne!(back.id, old_id);
    assert!(back.dropped.is_empty() && back.relinked.is_empty());
    assert_eq!(fields(&back.record), fields(&ada));
    assert_eq!(
        fields(&db.get(Entity::Person, &back.id).unwrap()),
        fields(&ada)
    );
    // The old id stays deleted (a delete is final for sync).
    assert_eq!(
        db.get(Entity::Person, &old_id).unwrap_err().code(),
        ErrorCode::NotFound
    );

    let listed = db.deleted(None, 10).unwrap();
    assert_eq!(listed[0].recovered_as.as_deref(), Some(back.id.as_str()));
    let again = db.recover(Entity::Person, &old_id).unwrap_err();
    assert_eq!(again.code(), ErrorCode::Refused);
    let problem = &again.problems()[0];
    assert_eq!(problem.code, "recover.already");
    assert!(problem.message.contains(&back.id), "{problem}");
    assert_eq!(
        db.list(Entity::Person, &Default::default()).unwrap().len(),
        1
    );
}

#[test]
fn a_placement_comes_back_only_with_its_person_and_points_at_the_recovered_one() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let ada = person(&mut db, "Ada", "Lovelace", &w.mit);
    let placement = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": ada, "cohort_id": w.plain_cohort, "notes": "first",
               "checklist": [{"kind": "insurance", "due_date": "2027-08-15"},
                             {"kind": "visa", "status": "verified", "due_date": "2027-08-01"}]}),
    );
    let placement_id = id(&placement);
    // A person in use is not deleted: its placement goes first.
    assert_eq!(
        db.delete(Entity::Person, &ada).unwrap_err().code(),
        ErrorCode::Refused
    );
    db.delete(Entity::Placement, &placement_id).unwrap();
    db.delete(Entity::Person, &ada).unwrap();
    let listed = db.deleted(None, 10).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].entity, Entity::Person, "newest first");
    assert_eq!(
        listed[1].name, "Fall 2027",
        "the person is gone; the cohort names it"
    );

    let refused = db.recover(Entity::Placement, &placement_id).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Refused);
    assert_eq!(refused.problems()[0].field, "person_id");
    assert_eq!(refused.problems()[0].code, "recover.ref_gone");
    assert_eq!(
        db.list(Entity::Placement, &Default::default())
            .unwrap()
            .len(),
        0
    );

    let person = db.recover(Entity::Person, &ada).unwrap();
    let back = db.recover(Entity::Placement, &placement_id).unwrap();
    assert_eq!(back.record["person_id"], json!(person.id));
    assert_eq!(back.relinked, vec!["person_id".to_owned()]);
    assert_eq!(back.record["checklist"], placement["checklist"]);
    assert_eq!(back.record["notes"], "first");
    assert_eq!(back.record["cohort_id"], json!(w.plain_cohort));
}

#[test]
fn an_optional_reference_to_a_record_that_is_gone_is_dropped_and_said_so() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let kenji = person(&mut db, "Kenji", "Sato", &w.tokyo);
    db.delete(Entity::Person, &kenji).unwrap();
    db.delete(Entity::Institution, &w.tokyo).unwrap();
    let back = db.recover(Entity::Person, &kenji).unwrap();
    assert_eq!(back.dropped, vec!["home_institution_id".to_owned()]);
    assert_eq!(back.record["home_institution_id"], Value::Null);
    assert_eq!(back.record["family_name"], "Sato");
}

#[test]
fn a_record_that_was_never_deleted_is_not_found_and_nothing_changes() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let err = db.recover(Entity::Institution, &w.mit).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let err = db.recover(Entity::Person, "no-such-id").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(
        db.list(Entity::Institution, &Default::default())
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn a_fellowship_comes_back_with_its_tranches_and_reports() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let ada = person(&mut db, "Ada", "Lovelace", &w.mit);
    let f = add(
        &mut db,
        Entity::Fellowship,
        json!({"person_id": ada, "title": "Chips fellowship", "award_minor": 500000, "currency": "USD",
               "tranches": [{"due_date": "2027-09-01", "amount_minor": 250000, "status": "paid", "paid_on": "2027-09-02"},
                            {"due_date": "2028-01-01", "amount_minor": 250000}],
               "reports": [{"title": "Midterm", "due_date": "2027-12-01"}]}),
    );
    db.delete(Entity::Fellowship, &id(&f)).unwrap();
    let back = db.recover(Entity::Fellowship, &id(&f)).unwrap();
    assert_eq!(back.record["tranches"], f["tranches"]);
    assert_eq!(back.record["reports"], f["reports"]);
    assert_eq!(db.deleted(None, 10).unwrap()[0].name, "Chips fellowship");
}

#[test]
fn recently_deleted_reads_an_index_of_deletes_not_the_whole_history() {
    let (dir, db) = temp_db();
    drop(db);
    let conn = rusqlite::Connection::open(dir.path().join("test.sqlite3")).unwrap();
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT h.entity, h.record_id FROM history h
             WHERE h.op = 'delete' AND h.field IS NULL AND (?1 IS NULL OR h.entity = ?1)
             ORDER BY h.seq DESC LIMIT ?2",
        )
        .unwrap()
        .query_map(rusqlite::params![None::<String>, 20], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        plan.iter().any(|step| step.contains("history_deletes")),
        "{plan:?}"
    );
}
