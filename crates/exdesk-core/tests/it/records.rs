//! Field validation, uniqueness, updates, deletes, lists and history.

use exdesk_core::{Entity, ErrorCode, ListQuery, WriteOptions};
use serde_json::{Value, json};

use crate::{add, id, person, temp_db, world};

/// Each invalid input is refused with the code and the field named.
#[test]
fn invalid_inputs_name_their_field() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let cases: Vec<(Entity, Value, ErrorCode, &str)> = vec![
        (
            Entity::Institution,
            json!({"country": "US"}),
            ErrorCode::Invalid,
            "name",
        ),
        (
            Entity::Institution,
            json!({"name": "X", "country": "USA"}),
            ErrorCode::Invalid,
            "country",
        ),
        (
            Entity::Institution,
            json!({"name": "X", "country": "US", "ror": "042nb2s45"}),
            ErrorCode::Invalid,
            "ror",
        ),
        (
            Entity::Institution,
            json!({"name": "X", "country": "US", "sector": "church"}),
            ErrorCode::Invalid,
            "sector",
        ),
        (
            Entity::Institution,
            json!({"name": "X", "country": "US", "website": "ftp://x"}),
            ErrorCode::Invalid,
            "website",
        ),
        (
            Entity::Institution,
            json!({"name": "X", "country": "US", "colour": "red"}),
            ErrorCode::Invalid,
            "colour",
        ),
        (
            Entity::Institution,
            json!({"name": "X".repeat(201), "country": "US"}),
            ErrorCode::Invalid,
            "name",
        ),
        (
            Entity::Institution,
            json!("just text"),
            ErrorCode::Invalid,
            "",
        ),
        (
            Entity::Person,
            json!({"given_name": "Dana"}),
            ErrorCode::Invalid,
            "family_name",
        ),
        (
            Entity::Person,
            json!({"given_name_he": "דנה"}),
            ErrorCode::Invalid,
            "family_name_he",
        ),
        (
            Entity::Person,
            json!({"given_name": "דנה", "family_name": "כהן"}),
            ErrorCode::Invalid,
            "given_name",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "orcid": "0000-0002-1825-0098"}),
            ErrorCode::Invalid,
            "orcid",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "email": "a@b"}),
            ErrorCode::Invalid,
            "email",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "birth_date": "1990-02-30"}),
            ErrorCode::Invalid,
            "birth_date",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "citizenships": ["US", "QQ"]}),
            ErrorCode::Invalid,
            "citizenships[1]",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "phone": "call me"}),
            ErrorCode::Invalid,
            "phone",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "home_institution_id": "0190aaaa-0000-7000-8000-000000000000"}),
            ErrorCode::Invalid,
            "home_institution_id",
        ),
        (
            Entity::Person,
            json!({"given_name": "A", "family_name": "B", "notes": "bell\u{7}"}),
            ErrorCode::Invalid,
            "notes",
        ),
        (
            Entity::Program,
            json!({"name": "P", "kind": "fellowship", "tech_areas": []}),
            ErrorCode::Invalid,
            "tech_areas",
        ),
        (
            Entity::Program,
            json!({"name": "P", "kind": "party", "tech_areas": ["ai"]}),
            ErrorCode::Invalid,
            "kind",
        ),
        (
            Entity::Program,
            json!({"name": "P", "kind": "fellowship", "tech_areas": ["ai", "magic"]}),
            ErrorCode::Invalid,
            "tech_areas[1]",
        ),
        (
            Entity::Program,
            json!({"name": "P", "kind": "fellowship", "tech_areas": ["ai"], "sensitive": "yes"}),
            ErrorCode::Invalid,
            "sensitive",
        ),
        (
            Entity::Cohort,
            json!({"program_id": "nope", "name": "C"}),
            ErrorCode::Invalid,
            "program_id",
        ),
        (
            Entity::Fellowship,
            json!({"title": "F", "award_minor": -5, "currency": "USD"}),
            ErrorCode::Invalid,
            "person_id",
        ),
        (
            Entity::Agreement,
            json!({"title": "MOU", "institution_ids": [w.mit]}),
            ErrorCode::Invalid,
            "institution_ids",
        ),
        (
            Entity::Agreement,
            json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "valid_from": "2027-01-01", "valid_to": "2026-01-01"}),
            ErrorCode::Invalid,
            "valid_to",
        ),
        (
            Entity::Agreement,
            json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "quotas": [{"academic_year": "2026/28", "direction": "US->IL", "places": 2}]}),
            ErrorCode::Invalid,
            "quotas[0].academic_year",
        ),
        (
            Entity::Agreement,
            json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "quotas": [{"academic_year": "2026/27", "direction": "US->XX", "places": 2}]}),
            ErrorCode::Invalid,
            "quotas[0].direction",
        ),
        (
            // Placements within one country are domestic: this quota could never be used.
            Entity::Agreement,
            json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "quotas": [{"academic_year": "2026/27", "direction": "US->US", "places": 2}]}),
            ErrorCode::Invalid,
            "quotas[0].direction",
        ),
    ];
    for (entity, input, code, field) in cases {
        let err = db
            .add(entity, &input, WriteOptions::default())
            .expect_err(&format!("{entity} {input} must fail"));
        assert_eq!(err.code(), code, "{entity} {input}: {err}");
        let fields: Vec<String> = err.problems().into_iter().map(|p| p.field).collect();
        assert!(
            fields.iter().any(|f| f == field),
            "{entity} {input}: expected field {field}, got {fields:?} ({err})"
        );
    }
}

/// A field that cannot be read hides no missing name: both are told at once. A change of
/// one field of a person who has names is told only its own problem.
#[test]
fn a_bad_field_and_a_missing_name_are_told_together() {
    let (_dir, mut db) = temp_db();
    let fields = |e: exdesk_core::Error| -> Vec<String> {
        let mut f: Vec<String> = e.problems().into_iter().map(|p| p.field).collect();
        f.sort();
        f
    };
    let err = db
        .add(
            Entity::Person,
            &json!({"given_name": "Eli", "citizenships": ["Israel"]}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(fields(err), ["citizenships[0]", "family_name"]);
    let eli = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Eli", "family_name": "Stern"}),
    ));
    let err = db
        .update(
            Entity::Person,
            &eli,
            &json!({"citizenships": ["Israel"]}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(fields(err), ["citizenships[0]"]);
    // Every problem of every item of a list of children, at once.
    let w = world(&mut db);
    let err = db
        .add(
            Entity::Agreement,
            &json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "quotas": [
                {"academic_year": "2026/27", "direction": "US->XX", "places": -2},
                {"academic_year": "2027/28", "direction": "IL->US", "places": 3, "colour": "red"}
            ]}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        fields(err),
        [
            "quotas[0].direction",
            "quotas[0].places",
            "quotas[1].colour"
        ]
    );
}

#[test]
fn values_are_stored_in_canonical_form() {
    let (_dir, mut db) = temp_db();
    let p = add(
        &mut db,
        Entity::Person,
        json!({"given_name": " Dana ", "family_name": "Cohen", "orcid": "https://orcid.org/0000-0002-1825-0097",
               "citizenships": "il, us", "email": "Dana@Example.org"}),
    );
    assert_eq!(p["given_name"], "Dana");
    assert_eq!(p["orcid"], "0000-0002-1825-0097");
    assert_eq!(p["citizenships"], json!(["IL", "US"]));
    assert_eq!(p["email"], "Dana@Example.org");
    assert!(p["id"].as_str().unwrap().len() == 36);
    assert_eq!(
        uuid::Uuid::parse_str(p["id"].as_str().unwrap())
            .unwrap()
            .get_version_num(),
        7
    );
    assert!(p["created_at"].as_str().unwrap().ends_with('Z'));
}

/// A given name in one script and a family name in the other: the message says so
/// instead of that a name is missing.
#[test]
fn names_in_two_scripts_are_named_as_such() {
    let (_dir, mut db) = temp_db();
    for input in [
        json!({"given_name_he": "דנה", "family_name": "Cohen"}),
        json!({"given_name": "Dana", "family_name_he": "כהן"}),
    ] {
        let err = db
            .add(Entity::Person, &input, WriteOptions::default())
            .unwrap_err();
        let problems = err.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].code, "person.name_scripts_differ", "{input}");
        assert!(
            problems[0].message.contains("different scripts"),
            "{problems:#?}"
        );
    }
    let err = db
        .add(
            Entity::Person,
            &json!({"given_name": "Dana"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.problems()[0].code, "person.needs_name");
}

#[test]
fn quota_directions_are_stored_as_written_in_the_spec() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let a = add(
        &mut db,
        Entity::Agreement,
        json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "quotas": [
            {"academic_year": "2026/27", "direction": " us -> il ", "places": 2},
            {"academic_year": "2026/27", "direction": "IL\u{2192}us", "places": 1},
            {"academic_year": "2026/27", "direction": "Domestic", "places": 4}]}),
    );
    let directions: Vec<&str> = a["quotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, ["US->IL", "IL->US", "domestic"]);
    // Written two ways, one direction is still one quota a year.
    let err = db
        .add(
            Entity::Agreement,
            &json!({"title": "MOU", "institution_ids": [w.mit, w.technion], "quotas": [
                {"academic_year": "2026/27", "direction": "US->IL", "places": 2},
                {"academic_year": "2026/27", "direction": "us->il", "places": 1}]}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.problems()[0].field, "quotas[1]", "{err}");
}

#[test]
fn email_and_orcid_are_unique() {
    let (_dir, mut db) = temp_db();
    add(
        &mut db,
        Entity::Person,
        json!({"given_name": "A", "family_name": "B", "email": "dana@example.org", "orcid": "0000-0002-1825-0097"}),
    );
    let err = db
        .add(
            Entity::Person,
            &json!({"given_name": "C", "family_name": "D", "email": "DANA@example.ORG"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Refused, "email")
    );
    let err = db
        .add(
            Entity::Person,
            &json!({"given_name": "C", "family_name": "D", "orcid": "0000000218250097"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Refused, "orcid")
    );
}

#[test]
fn cohort_names_are_unique_within_a_program_and_dates_ordered() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let program = db.get(Entity::Cohort, &w.plain_cohort).unwrap()["program_id"].clone();
    let err = db
        .add(
            Entity::Cohort,
            &json!({"program_id": program, "name": "fall 2027"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Refused, "name")
    );
    let err = db
        .add(Entity::Cohort, &json!({"program_id": program, "name": "Spring", "start_date": "2027-05-01", "end_date": "2027-04-01"}), WriteOptions::default())
        .unwrap_err();
    assert_eq!(
        (err.code(), err.problems()[0].field.as_str()),
        (ErrorCode::Invalid, "end_date")
    );
}

#[test]
fn update_changes_only_the_given_fields_and_records_history() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let before = db.get(Entity::Institution, &w.technion).unwrap();
    let after = db
        .update(
            Entity::Institution,
            &w.technion,
            &json!({"city": "Haifa"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(after["city"], "Haifa");
    assert_eq!(after["name"], before["name"]);
    assert_eq!(after["created_at"], before["created_at"]);
    // An identical update writes nothing.
    let again = db
        .update(
            Entity::Institution,
            &w.technion,
            &json!({"city": "Haifa"}),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(again, after);
    // A record read back can be sent as a patch (read-only fields equal to the stored ones are accepted).
    db.update(
        Entity::Institution,
        &w.technion,
        &after,
        WriteOptions::default(),
    )
    .unwrap();
    let history = db.history(Entity::Institution, &w.technion).unwrap();
    let city: Vec<_> = history
        .iter()
        .filter(|h| h.field.as_deref() == Some("city"))
        .collect();
    assert_eq!(city.len(), 1);
    assert_eq!(
        (city[0].op.as_str(), &city[0].new_value),
        ("update", &json!("Haifa"))
    );
    assert!(
        history
            .iter()
            .any(|h| h.op == "create" && h.field.as_deref() == Some("name"))
    );
    let err = db
        .update(
            Entity::Institution,
            &w.technion,
            &json!({"id": w.mit}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.problems()[0].field, "id");
}

#[test]
fn delete_is_refused_while_referenced_and_kept_in_history() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let err = db.delete(Entity::Institution, &w.technion).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    assert!(err.to_string().contains("cohort"), "{err}");
    db.delete(Entity::Institution, &w.tokyo).unwrap();
    assert_eq!(
        db.get(Entity::Institution, &w.tokyo).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert_eq!(
        db.delete(Entity::Institution, &w.tokyo).unwrap_err().code(),
        ErrorCode::NotFound
    );
    let history = db.history(Entity::Institution, &w.tokyo).unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.op, "delete");
    assert_eq!(last.old_value["name"], "University of Tokyo");
}

#[test]
fn lists_are_ordered_paged_and_filtered() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    for (g, f) in [
        ("Noa", "Levi"),
        ("Dana", "Cohen"),
        ("Avi", "Mizrahi"),
        ("José", "Álvarez"),
    ] {
        person(&mut db, g, f, &w.technion);
    }
    add(
        &mut db,
        Entity::Person,
        json!({"given_name_he": "רות", "family_name_he": "ברק"}),
    );
    let names: Vec<String> = db
        .list(Entity::Person, &ListQuery::default())
        .unwrap()
        .iter()
        .map(|p| {
            p["family_name"]
                .as_str()
                .or(p["family_name_he"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(names, ["Álvarez", "Cohen", "Levi", "Mizrahi", "ברק"]);
    let page = db
        .page(
            Entity::Person,
            &ListQuery {
                limit: Some(2),
                offset: 1,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.rows.len(), 2);
    assert_eq!(page.rows[0]["family_name"], "Cohen");
    let found = db
        .list(
            Entity::Person,
            &ListQuery {
                query: Some("alv".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    let filtered = db
        .list(
            Entity::Cohort,
            &ListQuery {
                filters: vec![("host_institution_id".into(), w.mit.clone())],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(filtered.len(), 1);
    assert_eq!(id(&filtered[0]), w.sensitive_cohort);
}

/// Sorting by e-mail ignores case and puts people without one last in both directions
/// (the order the `person_email_key` and `person_no_email` indexes hold).
#[test]
fn people_sort_by_email_ignoring_case_with_empty_ones_last() {
    let (_dir, mut db) = temp_db();
    for (given, email) in [
        ("Noa", Some("noa@technion.ac.il")),
        ("Ann", None),
        ("Dana", Some("Dana@MIT.edu")),
        ("Bo", None),
        ("Avi", Some("avi@example.org")),
    ] {
        let mut input = json!({"given_name": given, "family_name": "Test"});
        if let Some(email) = email {
            input["email"] = json!(email);
        }
        add(&mut db, Entity::Person, input);
    }
    let order = |db: &exdesk_core::Db, descending: bool| -> Vec<String> {
        db.page(
            Entity::Person,
            &ListQuery {
                sort: Some("email".into()),
                descending,
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .iter()
        .map(|p| p["given_name"].as_str().unwrap().to_owned())
        .collect()
    };
    let ascending = order(&db, false);
    assert_eq!(ascending[..3], ["Avi", "Dana", "Noa"]);
    let mut empty = ascending[3..].to_vec();
    empty.sort();
    assert_eq!(empty, ["Ann", "Bo"]);
    let descending = order(&db, true);
    assert_eq!(descending[..3], ["Noa", "Dana", "Avi"]);
    // Ties (no e-mail) are ordered by id, the other way round when descending.
    assert_eq!(
        descending[3..],
        [ascending[4].clone(), ascending[3].clone()]
    );
}

#[test]
fn search_finds_hebrew_and_latin_prefixes_ignoring_accents() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה", "family_name_he": "כהן", "home_institution_id": w.technion}),
    );
    person(&mut db, "José", "Núñez", &w.mit);
    let hits = db.search("coh", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "Dana Cohen · דנה כהן");
    assert_eq!(hits[0].entity, Entity::Person);
    assert_eq!(
        db.search("כה", 10).unwrap()[0].title,
        "Dana Cohen · דנה כהן"
    );
    assert_eq!(db.search("דָּנָה", 10).unwrap().len(), 1);
    assert_eq!(db.search("jose nun", 10).unwrap().len(), 1);
    assert_eq!(db.search("הטכ", 10).unwrap()[0].entity, Entity::Institution);
    // Hebrew writes "the" (and "and", "in", …) into the word: "טכניון" finds "הטכניון".
    let technion = db.search("טכניון", 10).unwrap();
    assert_eq!(technion.len(), 1, "{technion:?}");
    assert_eq!(technion[0].id, w.technion);
    assert_eq!(
        db.search("chips", 10).unwrap().len(),
        2,
        "program and its cohort"
    );
    assert!(db.search("zzz", 10).unwrap().is_empty());
    assert!(db.search("\" OR *", 10).unwrap().is_empty());
    // Renames and deletes reach the index.
    let p = db.search("jose", 1).unwrap()[0].id.clone();
    db.update(
        Entity::Person,
        &p,
        &json!({"given_name": "Joseph"}),
        WriteOptions::default(),
    )
    .unwrap();
    assert_eq!(db.search("joseph", 10).unwrap().len(), 1);
    db.delete(Entity::Person, &p).unwrap();
    assert!(db.search("joseph", 10).unwrap().is_empty());
    assert!(
        db.search("c", 10).unwrap().len() >= 3,
        "Cohen, Chips, Chips 2027"
    );
    assert_eq!(db.search("c", 2).unwrap().len(), 2, "limit");
}

/// A merge loses nothing: the survivor keeps its values and takes the duplicate's where
/// it had none; what the duplicate held differently (another e-mail, phone, birth date,
/// home institution, notes) is written into the survivor's notes.
#[test]
fn a_merge_keeps_the_duplicates_other_values_in_the_notes() {
    let (_dir, mut db) = temp_db();
    let w = world(&mut db);
    let keep = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Shira", "family_name": "Avraham", "email": "shira@technion.example",
               "phone": "+972 4 829 0000", "home_institution_id": w.technion,
               "notes": "Met at the Haifa fair"}),
    ));
    let dup = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name_he": "שירה", "family_name_he": "אברהם", "email": "shira.avraham@gmail.example",
               "phone": "+972 50 123 4567", "birth_date": "1996-05-14",
               "home_institution_id": w.mit, "notes": "Prefers WhatsApp"}),
    ));
    let merged = db.merge_people(&keep, &dup).unwrap();
    assert_eq!(merged["email"], "shira@technion.example");
    assert_eq!(merged["phone"], "+972 4 829 0000");
    assert_eq!(merged["home_institution_id"], w.technion.as_str());
    // Empty on the survivor: taken.
    assert_eq!(merged["given_name_he"], "שירה");
    assert_eq!(merged["birth_date"], "1996-05-14");
    let notes = merged["notes"].as_str().unwrap();
    for kept in [
        "Met at the Haifa fair",
        "Also known by e-mail shira.avraham@gmail.example",
        "phone +972 50 123 4567",
        "home institution MIT",
        "Prefers WhatsApp",
    ] {
        assert!(notes.contains(kept), "{kept:?} not in {notes:?}");
    }
}
