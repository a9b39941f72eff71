//! A placement's defaults, derived direction, status rules, screening gate and capacity;
//! fellowships' money and agreements' derived figures.

use exdesk_core::{Entity, ErrorCode, WriteOptions};
use serde_json::json;

use crate::{add, id, person, temp_db, world};

const REOPEN: WriteOptions = WriteOptions {
    reopen: true,
    over_capacity: false,
};

#[test]
fn defaults_and_direction_come_from_person_and_cohort() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.mit);
    let p = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.plain_cohort}),
    );
    assert_eq!(p["role"], "participant");
    assert_eq!(p["status"], "nominated");
    assert_eq!(p["screening"], "not_required");
    assert_eq!(p["home_institution_id"], w.mit.as_str());
    assert_eq!(p["host_institution_id"], w.technion.as_str());
    assert_eq!(
        (p["start_date"].as_str(), p["end_date"].as_str()),
        (Some("2027-09-01"), Some("2028-01-31"))
    );
    assert_eq!(p["direction"], "US->IL");
    assert_eq!(p["checklist"], json!([]));

    let noa = person(&mut db, "Noa", "Levi", &w.technion);
    let p = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": noa, "cohort_id": w.sensitive_cohort}),
    );
    assert_eq!(
        (p["direction"].as_str(), p["screening"].as_str()),
        (Some("IL->US"), Some("pending"))
    );
    let ken = person(&mut db, "Ken", "Sato", &w.tokyo);
    let p = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": ken, "cohort_id": w.sensitive_cohort}),
    );
    assert_eq!(p["direction"], "JP->US");
    let avi = person(&mut db, "Avi", "Levi", &w.technion);
    let p = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": avi, "cohort_id": w.plain_cohort}),
    );
    assert_eq!(p["direction"], "domestic");
    let err = db
        .update(
            Entity::Placement,
            &id(&p),
            &json!({"direction": "US->IL"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Invalid, "direction")
    );

    // Changing an institution's country re-derives the direction.
    db.update(
        Entity::Institution,
        &w.tokyo,
        &json!({"country": "DE"}),
        WriteOptions::default(),
    )
    .unwrap();
    let stats = db.stats().unwrap();
    assert_eq!(stats.placements_by_direction.get("DE->US"), Some(&1));
    assert_eq!(stats.placements_by_direction.get("JP->US"), None);
}

#[test]
fn a_person_is_placed_once_per_cohort() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.mit);
    add(
        &mut db,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.plain_cohort}),
    );
    let err = db
        .add(
            Entity::Placement,
            &json!({"person_id": dana, "cohort_id": w.plain_cohort}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Refused, "person_id")
    );
}

#[test]
fn status_moves_forward_freely_and_backward_only_by_reopen() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.mit);
    let p = id(&add(
        &mut db,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.plain_cohort}),
    ));
    let mv = |db: &mut exdesk_core::Db, to: &str, opts| {
        db.update(Entity::Placement, &p, &json!({"status": to}), opts)
            .map(|r| r["status"].clone())
    };
    assert_eq!(
        mv(&mut db, "applied", WriteOptions::default()).unwrap(),
        "applied"
    );
    assert_eq!(
        mv(&mut db, "confirmed", WriteOptions::default()).unwrap(),
        "confirmed",
        "skips forward"
    );
    let err = mv(&mut db, "accepted", WriteOptions::default()).unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Refused, "status")
    );
    assert!(err.to_string().contains("reopen"), "{err}");
    assert_eq!(mv(&mut db, "accepted", REOPEN).unwrap(), "accepted");
    assert_eq!(
        mv(&mut db, "withdrawn", WriteOptions::default()).unwrap(),
        "withdrawn"
    );
    for to in ["active", "nominated", "declined"] {
        assert_eq!(
            mv(&mut db, to, WriteOptions::default()).unwrap_err().code(),
            ErrorCode::Refused,
            "withdrawn -> {to}"
        );
    }
    assert_eq!(mv(&mut db, "applied", REOPEN).unwrap(), "applied");
    assert_eq!(
        mv(&mut db, "bogus", WriteOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::Invalid
    );
    let reopens: Vec<_> = db
        .history(Entity::Placement, &p)
        .unwrap()
        .into_iter()
        .filter(|h| h.op == "reopen")
        .collect();
    assert_eq!(reopens.len(), 2);
    assert_eq!(reopens[0].old_value, json!("confirmed"));
    assert_eq!(reopens[0].new_value, json!("accepted"));
}

#[test]
fn sensitive_programs_gate_confirmation_on_cleared_screening() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.technion);
    let p = id(&add(
        &mut db,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.sensitive_cohort, "status": "accepted"}),
    ));
    for to in ["confirmed", "active", "completed"] {
        let err = db
            .update(
                Entity::Placement,
                &p,
                &json!({"status": to}),
                WriteOptions::default(),
            )
            .unwrap_err();
        assert_eq!(
            (err.code(), err.problems()[0].field.as_str()),
            (ErrorCode::Refused, "screening"),
            "{to}"
        );
        assert!(
            err.to_string().contains("screening must be cleared"),
            "{err}"
        );
    }
    db.update(
        Entity::Placement,
        &p,
        &json!({"screening": "flagged"}),
        WriteOptions::default(),
    )
    .unwrap();
    assert!(
        db.update(
            Entity::Placement,
            &p,
            &json!({"status": "confirmed"}),
            WriteOptions::default()
        )
        .is_err()
    );
    // Clearing and confirming in one write is allowed.
    let r = db
        .update(
            Entity::Placement,
            &p,
            &json!({"status": "confirmed", "screening": "cleared"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(r["status"], "confirmed");
    // Past the gate the screening stays cleared: a flag first moves the placement back
    // (a recorded reopen) or out.
    for screening in ["flagged", "pending"] {
        let err = db
            .update(
                Entity::Placement,
                &p,
                &json!({"screening": screening}),
                WriteOptions::default(),
            )
            .unwrap_err();
        assert_eq!(
            (err.code(), err.problems()[0].field.as_str()),
            (ErrorCode::Refused, "screening"),
        );
        assert!(
            err.to_string().contains("keeps its screening cleared"),
            "{err}"
        );
    }
    let r = db
        .update(
            Entity::Placement,
            &p,
            &json!({"status": "accepted", "screening": "flagged"}),
            WriteOptions {
                reopen: true,
                ..WriteOptions::default()
            },
        )
        .unwrap();
    assert_eq!(
        (&r["status"], &r["screening"]),
        (&json!("accepted"), &json!("flagged"))
    );
    // Other fields of a gated placement still change freely.
    db.update(
        Entity::Placement,
        &p,
        &json!({"status": "confirmed", "screening": "cleared"}),
        WriteOptions::default(),
    )
    .unwrap();
    db.update(
        Entity::Placement,
        &p,
        &json!({"notes": "arrives in March"}),
        WriteOptions::default(),
    )
    .unwrap();
    // Adding straight into a gated state needs cleared screening too.
    let noa = person(&mut db, "Noa", "Levi", &w.technion);
    let err = db
        .add(
            Entity::Placement,
            &json!({"person_id": noa, "cohort_id": w.sensitive_cohort, "status": "active"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    // Plain programs have no gate.
    let avi = person(&mut db, "Avi", "Levi", &w.mit);
    add(
        &mut db,
        Entity::Placement,
        json!({"person_id": avi, "cohort_id": w.plain_cohort, "status": "active"}),
    );
}

#[test]
fn capacity_is_enforced_unless_overridden() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db); // plain cohort capacity 2
    let people: Vec<String> = (0..4)
        .map(|i| person(&mut db, "P", &format!("N{i}"), &w.mit))
        .collect();
    let first = id(&add(
        &mut db,
        Entity::Placement,
        json!({"person_id": people[0], "cohort_id": w.plain_cohort}),
    ));
    add(
        &mut db,
        Entity::Placement,
        json!({"person_id": people[1], "cohort_id": w.plain_cohort}),
    );
    let err = db
        .add(
            Entity::Placement,
            &json!({"person_id": people[2], "cohort_id": w.plain_cohort}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Refused, "cohort_id")
    );
    assert!(err.to_string().contains("full"), "{err}");
    let over = WriteOptions {
        over_capacity: true,
        reopen: false,
    };
    db.add(
        Entity::Placement,
        &json!({"person_id": people[2], "cohort_id": w.plain_cohort}),
        over,
    )
    .unwrap();
    // A withdrawn placement frees its place; reopening it needs the place back.
    db.update(
        Entity::Placement,
        &first,
        &json!({"status": "withdrawn"}),
        WriteOptions::default(),
    )
    .unwrap();
    let err = db
        .add(
            Entity::Placement,
            &json!({"person_id": people[3], "cohort_id": w.plain_cohort}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::Refused,
        "still 2 taken after the override"
    );
    assert!(
        db.update(
            Entity::Placement,
            &first,
            &json!({"status": "nominated"}),
            REOPEN
        )
        .is_err()
    );
}

#[test]
fn fellowships_never_pay_out_more_than_the_award() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.mit);
    let f = add(
        &mut db,
        Entity::Fellowship,
        json!({"person_id": dana, "title": "Chips fellowship", "award_minor": 1_000_000, "currency": "ils",
               "tranches": [{"due_date": "2027-01-01", "amount_minor": 600_000}], "reports": [{"title": "Final"}]}),
    );
    assert_eq!(f["currency"], "ILS");
    assert_eq!(f["tranches"][0]["status"], "scheduled");
    let err = db
        .update(Entity::Fellowship, &id(&f), &json!({"tranches": [{"due_date": "2027-01-01", "amount_minor": 600_000}, {"due_date": "2027-06-01", "amount_minor": 500_000}]}), WriteOptions::default())
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Invalid, "tranches")
    );
    let err = db
        .update(
            Entity::Fellowship,
            &id(&f),
            &json!({"tranches": [{"due_date": "2027-01-01"}]}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.problems()[0].field, "tranches[0].amount_minor");
}

#[test]
fn agreements_count_places_used_and_reciprocity() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let a = add(
        &mut db,
        Entity::Agreement,
        json!({"title": "Technion–MIT MOU", "institution_ids": [w.technion, w.mit],
               "quotas": [{"academic_year": "2027/28", "direction": "US->IL", "places": 3},
                          {"academic_year": "2027/28", "direction": "IL->US", "places": 3}]}),
    );
    assert_eq!(a["quotas"][0]["places_used"], 0);
    assert_eq!(a["reciprocity_balance"], 0);
    for name in ["A", "B"] {
        let p = person(&mut db, name, "Smith", &w.mit);
        add(
            &mut db,
            Entity::Placement,
            json!({"person_id": p, "cohort_id": w.plain_cohort}),
        );
    }
    let a = db.get(Entity::Agreement, &id(&a)).unwrap();
    assert_eq!(a["quotas"][0]["places_used"], 2, "{a}");
    assert_eq!(a["quotas"][1]["places_used"], 0);
    assert_eq!(a["reciprocity_balance"], 2);
}

#[test]
fn deadlines_are_derived_from_records() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.mit);
    let p = add(
        &mut db,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.plain_cohort, "visa_type": "J-1", "visa_expires": "2027-12-01",
               "checklist": [{"kind": "insurance", "due_date": "2027-08-15"}, {"kind": "visa", "status": "verified", "due_date": "2027-08-01"}]}),
    );
    add(
        &mut db,
        Entity::Fellowship,
        json!({"person_id": dana, "title": "F", "award_minor": 100, "currency": "USD",
        "tranches": [{"due_date": "2027-08-20", "amount_minor": 50}], "reports": [{"title": "Mid-term", "due_date": "2027-08-25"}]}),
    );
    let today = chrono::NaiveDate::from_ymd_opt(2027, 8, 10).unwrap();
    let kinds: Vec<(String, String)> = db
        .deadlines_on(today, 30)
        .unwrap()
        .into_iter()
        .map(|d| (d.kind, d.due_date))
        .collect();
    assert_eq!(
        kinds,
        [
            ("checklist_due".to_owned(), "2027-08-15".to_owned()),
            ("tranche_due".to_owned(), "2027-08-20".to_owned()),
            ("report_due".to_owned(), "2027-08-25".to_owned()),
            ("cohort_start".to_owned(), "2027-09-01".to_owned()),
            ("visa_expiry".to_owned(), "2027-12-01".to_owned()),
        ]
    );
    let visa = db
        .deadlines_on(today, 30)
        .unwrap()
        .into_iter()
        .find(|d| d.kind == "visa_expiry")
        .unwrap();
    assert_eq!(visa.record_id, id(&p));
    assert!(
        visa.detail.contains("before the placement ends"),
        "{}",
        visa.detail
    );
}

/// A partner laptop holds the placements of a sensitive cohort without their screening
/// (redacted from scoped packages): it edits them and completes active ones, and what it
/// leaves absent is no change of the screening.
#[test]
fn a_partner_copy_without_screening_is_edited_and_completed() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = exdesk_core::Db::open(&dir.path().join("office.sqlite3")).unwrap();
    let w = world(&mut office);
    let dana = person(&mut office, "Dana", "Cohen", &w.technion);
    let placement = id(&add(
        &mut office,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.sensitive_cohort, "status": "active",
               "screening": "cleared"}),
    ));
    let package = dir.path().join("scoped.exdesk-sync");
    office
        .sync_export(&package, None, Some(&w.sensitive_cohort))
        .unwrap();
    let mut partner = exdesk_core::Db::open(&dir.path().join("partner.sqlite3")).unwrap();
    partner.sync_import(&package, true).unwrap();
    let copy = partner.get(Entity::Placement, &placement).unwrap();
    assert!(copy["screening"].is_null(), "{copy}");

    let edited = partner
        .update(
            Entity::Placement,
            &placement,
            &json!({"notes": "room 12"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(edited["notes"], "room 12");
    let done = partner
        .update(
            Entity::Placement,
            &placement,
            &json!({"status": "completed"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(done["status"], "completed");
    // Setting it there is refused: the coordinator keeps it (tests/it/partner_copy.rs).
    let err = partner
        .update(
            Entity::Placement,
            &placement,
            &json!({"screening": "pending"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    assert_eq!(err.problems()[0].code, "partner_copy.field", "{err}");
}
