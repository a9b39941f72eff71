//! The names of many records at once (what a list page shows for the records its rows
//! refer to): the naming fields of each, by id, in one call.

use exdesk_core::Entity;
use serde_json::{Value, json};

use crate::{add, id, person, temp_db, world};

#[test]
fn names_of_many_records_come_in_one_call_by_id() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let dana = person(&mut db, "Dana", "Cohen", &w.mit);
    let noa = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name_he": "נועה", "family_name_he": "לוי", "email": "noa@example.org",
               "birth_date": "1990-01-01", "phone": "+972 50 123 4567"}),
    ));
    let asked = vec![
        noa.clone(),
        dana.clone(),
        "no-such-person".to_owned(),
        dana.clone(),
        w.technion.clone(), // an institution's id is no person's
    ];
    let names = db.names(Entity::Person, &asked).unwrap();
    assert_eq!(names.keys().cloned().collect::<Vec<_>>(), {
        let mut both = vec![dana.clone(), noa.clone()];
        both.sort();
        both
    });
    // The names in both scripts and the e-mail; nothing else of the person.
    assert_eq!(
        names[&noa],
        json!({"id": noa, "given_name": null, "family_name": null, "given_name_he": "נועה",
               "family_name_he": "לוי", "email": "noa@example.org"})
    );
    assert_eq!(names[&dana]["family_name"], "Cohen");

    let institutions = db
        .names(Entity::Institution, &[w.technion.clone(), w.mit.clone()])
        .unwrap();
    assert_eq!(
        institutions[&w.technion],
        json!({"id": w.technion, "name": "Technion", "name_he": "הטכניון", "country": "IL"})
    );
    let cohorts = db
        .names(Entity::Cohort, std::slice::from_ref(&w.plain_cohort))
        .unwrap();
    assert_eq!(cohorts[&w.plain_cohort]["name"], "Fall 2027");
    assert!(db.names(Entity::Program, &[]).unwrap().is_empty());
}

/// More ids than one statement may bind (SQLite's parameter limit) still come back whole.
#[test]
fn names_of_thousands_of_records() {
    let (_dir, mut db) = temp_db();
    let mut ids = Vec::new();
    for i in 0..1203 {
        ids.push(id(&add(
            &mut db,
            Entity::Institution,
            json!({"name": format!("Institute {i}"), "country": "US"}),
        )));
    }
    let names = db.names(Entity::Institution, &ids).unwrap();
    assert_eq!(names.len(), ids.len());
    assert!(
        ids.iter()
            .all(|i| names[i]["id"] == Value::String(i.clone()))
    );
}
