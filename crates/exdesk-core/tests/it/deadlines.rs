//! Deadlines: the dashboard's soonest few and their total are exactly those of the whole
//! list, whatever the day, the horizon and the number asked for.

use chrono::{Days, NaiveDate};
use exdesk_core::{Db, Entity, ListQuery, WriteOptions};
use serde_json::json;

use crate::{add, temp_db};

/// A generated dataset (every kind of deadline, open and closed records) plus ties: two
/// checklist items of one placement and two tranches of one fellowship due the same day.
fn dataset() -> (tempfile::TempDir, Db) {
    let (dir, mut db) = temp_db();
    db.generate(300, 11, &mut |_| true).unwrap();
    let first = |db: &Db, entity: Entity| {
        db.list(
            entity,
            &ListQuery {
                limit: Some(1),
                ..ListQuery::default()
            },
        )
        .unwrap()[0]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let person = add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Tia", "family_name": "Twice"}),
    );
    let cohort = first(&db, Entity::Cohort);
    db.add(
        Entity::Placement,
        &json!({"person_id": person["id"], "cohort_id": cohort,
                "visa_expires": "2026-01-15", "end_date": "2026-06-30",
                "checklist": [{"kind": "insurance", "due_date": "2026-01-15"},
                              {"kind": "visa", "due_date": "2026-01-15"}]}),
        WriteOptions {
            over_capacity: true,
            reopen: false,
        },
    )
    .unwrap();
    add(
        &mut db,
        Entity::Fellowship,
        json!({"person_id": person["id"], "title": "Twice paid", "award_minor": 200, "currency": "USD",
               "tranches": [{"due_date": "2026-01-15", "amount_minor": 100},
                            {"due_date": "2026-01-15", "amount_minor": 100}],
               "reports": [{"title": "One", "due_date": "2026-01-15"}, {"title": "Two", "due_date": "2026-01-15"}]}),
    );
    (dir, db)
}

#[test]
fn the_soonest_deadlines_and_the_total_are_those_of_the_whole_list() {
    let (_dir, db) = dataset();
    let today = exdesk_core::values::today();
    let days = [
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        today,
        today - Days::new(400),
        today + Days::new(400),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for day in days {
        for within in [0, 30, 60, 365] {
            let all = db.deadlines_on(day, within).unwrap();
            kinds.extend(all.iter().map(|d| d.kind.clone()));
            for limit in [0, 1, 2, 7, 50, all.len(), all.len() + 5] {
                let first = db.first_deadlines_on(day, within, limit).unwrap();
                assert_eq!(first.total as usize, all.len(), "{day} +{within}");
                assert_eq!(
                    first.items,
                    all[..limit.min(all.len())],
                    "{day} +{within}, first {limit}"
                );
            }
        }
    }
    // Every kind was there to be compared.
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "checklist_due",
            "cohort_start",
            "report_due",
            "tranche_due",
            "visa_expiry"
        ]
    );
}

/// What stops being due leaves the list and the count: a verified checklist item, a
/// paid tranche, a submitted report, a completed placement (its visa and checklist).
#[test]
fn closed_items_leave_the_count() {
    let (_dir, mut db) = temp_db();
    let w = crate::world(&mut db);
    let dana = crate::person(&mut db, "Dana", "Cohen", &w.mit);
    let p = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.plain_cohort, "visa_expires": "2027-08-20",
               "checklist": [{"kind": "insurance", "due_date": "2027-08-15"}, {"kind": "visa", "due_date": "2027-08-01"}]}),
    );
    let f = add(
        &mut db,
        Entity::Fellowship,
        json!({"person_id": dana, "title": "F", "award_minor": 100, "currency": "USD",
               "tranches": [{"due_date": "2027-08-20", "amount_minor": 100}],
               "reports": [{"title": "Mid-term", "due_date": "2027-08-25"}]}),
    );
    let today = NaiveDate::from_ymd_opt(2027, 8, 10).unwrap();
    let count = |db: &Db| db.first_deadlines_on(today, 30, 3).unwrap().total;
    assert_eq!(count(&db), 6);
    let update = |db: &mut Db, entity, id: &serde_json::Value, patch| {
        db.update(
            entity,
            id.as_str().unwrap(),
            &patch,
            WriteOptions::default(),
        )
        .unwrap();
    };
    update(
        &mut db,
        Entity::Fellowship,
        &f["id"],
        json!({"tranches": [{"due_date": "2027-08-20", "amount_minor": 100, "status": "paid", "paid_on": "2027-08-02"}],
               "reports": [{"title": "Mid-term", "due_date": "2027-08-25", "submitted_on": "2027-08-03"}]}),
    );
    update(
        &mut db,
        Entity::Placement,
        &p["id"],
        json!({"checklist": [{"kind": "insurance", "due_date": "2027-08-15", "status": "verified"},
                             {"kind": "visa", "due_date": "2027-08-01"}]}),
    );
    assert_eq!(count(&db), 3); // the visa, one checklist item, the cohort start
    update(
        &mut db,
        Entity::Placement,
        &p["id"],
        json!({"status": "completed"}),
    );
    let left = db.first_deadlines_on(today, 30, 3).unwrap();
    assert_eq!(left.total, 1);
    assert_eq!(left.items[0].kind, "cohort_start");
}
