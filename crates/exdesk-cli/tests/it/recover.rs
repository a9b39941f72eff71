//! `exdesk ENTITY deleted` and `exdesk ENTITY recover ID`: a deleted record comes back as a
//! new record with its values, at most once.

use serde_json::{Value, json};

use crate::harness::*;

#[test]
fn a_deleted_person_and_its_placement_are_recovered_as_new_records() {
    let env = Env::new();
    let w = World::build(&env);
    let ada = env.add(
        "person",
        &json!({"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.org",
                "citizenships": ["GB"], "home_institution_id": w.us}),
    );
    let ada_id = id_of(&ada);
    let placement = env.add(
        "placement",
        &json!({"person_id": ada_id, "cohort_id": w.cohort_il, "notes": "keep me",
                "checklist": [{"kind": "insurance", "due_date": "2026-08-15"}]}),
    );
    let placement_id = id_of(&placement);
    // The person is in use: refused until the placement is deleted.
    env.run(&["person", "delete", &ada_id])
        .code(EXIT_REFUSED)
        .stderr_mentions("placement");
    env.run(&["placement", "delete", &placement_id]).ok();
    env.run(&["person", "delete", &ada_id]).ok();

    let listed = env.ok_json(&["person", "deleted", "--json"]);
    assert_eq!(listed[0]["id"], json!(ada_id));
    assert_eq!(listed[0]["name"], "Ada Lovelace");
    assert_eq!(listed[0]["record"]["email"], "ada@example.org");
    let text = env.run(&["person", "deleted"]);
    text.ok();
    assert!(text.stdout.contains(&ada_id) && text.stdout.contains("Ada Lovelace"));

    // The placement's person is gone: refused, naming the field.
    env.unchanged(|| env.run(&["placement", "recover", &placement_id]))
        .code(EXIT_REFUSED)
        .names("person_id");

    let person = env.ok_json(&["person", "recover", &ada_id, "--json"]);
    let new_ada = person["id"].as_str().unwrap().to_owned();
    assert_ne!(new_ada, ada_id);
    for field in [
        "given_name",
        "family_name",
        "email",
        "citizenships",
        "home_institution_id",
    ] {
        assert_eq!(person["record"][field], ada[field], "{field}");
    }
    assert_eq!(person["dropped"], json!([]));
    assert_eq!(env.get("person", &new_ada)["email"], "ada@example.org");
    env.run(&["person", "get", &ada_id]).code(EXIT_NOT_FOUND);

    // Now the placement comes back, pointing at the recovered person.
    let out = env.run(&["placement", "recover", &placement_id]);
    out.ok();
    assert!(
        out.stdout
            .contains("now pointing at recovered records: person_id"),
        "{}",
        out.stdout
    );
    let back = env.list("placement", &[]);
    assert_eq!(back.len(), 1);
    assert_eq!(back[0]["person_id"], json!(new_ada));
    assert_eq!(back[0]["notes"], "keep me");
    assert_eq!(back[0]["checklist"], placement["checklist"]);

    // Twice is refused, naming the record it was recovered as.
    env.unchanged(|| env.run(&["person", "recover", &ada_id]))
        .code(EXIT_REFUSED)
        .stderr_mentions(&format!("already recovered as {new_ada}"));
    let listed = env.ok_json(&["person", "deleted", "--json"]);
    assert_eq!(listed[0]["recovered_as"], json!(new_ada));

    // `export all` holds the recovered records.
    let all = env.export_json();
    let has = |entity: &str, id: &str| {
        all[entity]
            .as_array()
            .unwrap()
            .iter()
            .any(|r: &Value| r["id"] == json!(id))
    };
    assert!(has("person", &new_ada) && !has("person", &ada_id));
    assert!(has("placement", back[0]["id"].as_str().unwrap()));
}

#[test]
fn a_dropped_reference_is_reported_and_bad_ids_exit_as_the_spec_says() {
    let env = Env::new();
    let w = World::build(&env);
    let inst = env.add_id("institution", &json!({"name": "Gone U", "country": "FR"}));
    let p = env.add_id(
        "person",
        &json!({"given_name": "Marie", "family_name": "Curie", "home_institution_id": inst}),
    );
    env.run(&["person", "delete", &p]).ok();
    env.run(&["institution", "delete", &inst]).ok();
    let out = env.run(&["person", "recover", &p]);
    out.ok();
    assert!(
        out.stdout.contains("dropped") && out.stdout.contains("home_institution_id"),
        "{}",
        out.stdout
    );

    env.unchanged(|| env.run(&["person", "recover", MISSING_ID]))
        .code(EXIT_NOT_FOUND);
    // A live record was never deleted: nothing to recover.
    env.unchanged(|| env.run(&["person", "recover", &w.il_person]))
        .code(EXIT_NOT_FOUND);
    env.run(&["person", "deleted", "--limit", "x"])
        .code(EXIT_USAGE);
    assert_eq!(env.ok_json(&["cohort", "deleted", "--json"]), json!([]));
}
