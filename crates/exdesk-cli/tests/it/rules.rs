//! The rules of domain.md as seen through the CLI: identifiers with check digits, codes,
//! uniqueness, names, cohort dates and names, a placement's derived direction, defaults,
//! status moves, screening gate and capacity, fellowship money, agreement quotas, and
//! deletes of records still in use.

use serde_json::{Value, json};

use crate::harness::*;

#[test]
fn orcid_check_digit() {
    let env = Env::new();
    let cases = [
        ("0000-0002-1825-0097", EXIT_OK),
        ("0000-0001-5109-3700", EXIT_OK),
        ("0000-0002-1694-233X", EXIT_OK),
        ("0000-0002-1825-0098", EXIT_INVALID),
        ("0000-0001-5109-3701", EXIT_INVALID),
        ("0000-0002-1825-009", EXIT_INVALID),
        ("0000-0002-1825-00977", EXIT_INVALID),
        ("abcd-0002-1825-0097", EXIT_INVALID),
    ];
    for (i, (orcid, code)) in cases.into_iter().enumerate() {
        let input =
            json!({"given_name": "Orcid", "family_name": format!("Case {i}"), "orcid": orcid});
        if code == EXIT_OK {
            let rec = env.add("person", &input);
            assert_eq!(rec["orcid"], orcid, "a valid ORCID iD is stored as given");
        } else {
            env.refuses_add("person", &input, code, "orcid");
        }
    }
}

#[test]
fn ror_check_digits() {
    let env = Env::new();
    let cases = [
        ("03qryx823", EXIT_OK),
        ("042nb2s44", EXIT_OK),
        ("0316ej306", EXIT_OK),
        ("03qryx824", EXIT_INVALID),
        ("042nb2s45", EXIT_INVALID),
        ("13qryx823", EXIT_INVALID),
        ("03qryx82", EXIT_INVALID),
        ("03qryx8233", EXIT_INVALID),
    ];
    for (ror, code) in cases {
        let input = json!({"name": format!("Institution {ror}"), "country": "IL", "ror": ror});
        if code == EXIT_OK {
            assert_eq!(env.add("institution", &input)["ror"], ror);
        } else {
            env.refuses_add("institution", &input, code, "ror");
        }
    }
}

#[test]
fn country_codes() {
    let env = Env::new();
    for (country, code) in [
        ("US", EXIT_OK),
        ("IL", EXIT_OK),
        ("JP", EXIT_OK),
        ("DE", EXIT_OK),
        ("USA", EXIT_INVALID),
        ("ZZ", EXIT_INVALID),
        ("U1", EXIT_INVALID),
        ("Israel", EXIT_INVALID),
        ("", EXIT_INVALID),
    ] {
        let input = json!({"name": format!("In {country:?}"), "country": country});
        if code == EXIT_OK {
            assert_eq!(env.add("institution", &input)["country"], country);
        } else {
            env.refuses_add("institution", &input, code, "country");
        }
    }
    // Citizenships are alpha-2 codes too.
    env.add(
        "person",
        &json!({"given_name": "Ci", "family_name": "Tizen", "citizenships": ["US", "IL"]}),
    );
    env.refuses_add(
        "person",
        &json!({"given_name": "Ci", "family_name": "Tizen Two", "citizenships": ["US", "XX"]}),
        EXIT_INVALID,
        "citizenships",
    );
}

#[test]
fn currency_codes() {
    let env = Env::new();
    let w = World::build(&env);
    for (currency, code) in [
        ("USD", EXIT_OK),
        ("ILS", EXIT_OK),
        ("EUR", EXIT_OK),
        ("JPY", EXIT_OK),
        ("XYZ", EXIT_INVALID),
        ("US", EXIT_INVALID),
        ("dollars", EXIT_INVALID),
        ("", EXIT_INVALID),
    ] {
        let input = json!({"person_id": w.people[0], "title": format!("Grant {currency:?}"),
                           "award_minor": 1000, "currency": currency});
        if code == EXIT_OK {
            assert_eq!(env.add("fellowship", &input)["currency"], currency);
        } else {
            env.refuses_add("fellowship", &input, code, "currency");
        }
    }
}

#[test]
fn email_unique_case_insensitively() {
    let env = Env::new();
    env.add(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    );
    for other in [
        "dana.cohen@example.org",
        "DANA.COHEN@EXAMPLE.ORG",
        "Dana.Cohen@Example.org",
    ] {
        env.refuses_add(
            "person",
            &json!({"given_name": "Dana", "family_name": "Other", "email": other}),
            EXIT_REFUSED,
            "email",
        );
    }
    let second = env.add_id(
        "person",
        &json!({"given_name": "Eli", "family_name": "Ben", "email": "eli@example.org"}),
    );
    env.refuses_update(
        "person",
        &second,
        &json!({"email": "Dana.Cohen@EXAMPLE.org"}),
        EXIT_REFUSED,
        "email",
    );
    // The same person keeping (or re-casing) their own address is no conflict.
    env.update("person", &second, &json!({"email": "ELI@example.org"}));
}

/// Case-insensitive means beyond ASCII too: É and é are the same letter in two cases.
#[test]
fn email_unique_case_insensitively_beyond_ascii() {
    let env = Env::new();
    env.add(
        "person",
        &json!({"given_name": "Élodie", "family_name": "Durand", "email": "élodie@example.fr"}),
    );
    env.refuses_add(
        "person",
        &json!({"given_name": "Élodie", "family_name": "Autre", "email": "ÉLODIE@EXAMPLE.FR"}),
        EXIT_REFUSED,
        "email",
    );
}

#[test]
fn text_limits_count_characters() {
    let env = Env::new();
    let he200 = "א".repeat(200);
    env.add(
        "institution",
        &json!({"name": "x".repeat(200), "country": "US"}),
    );
    env.add(
        "institution",
        &json!({"name": "Long Hebrew", "name_he": he200, "country": "IL"}),
    );
    env.refuses_add(
        "institution",
        &json!({"name": "Longer Hebrew", "name_he": "א".repeat(201), "country": "IL"}),
        EXIT_INVALID,
        "name_he",
    );
    env.add(
        "person",
        &json!({"given_name": "Long", "family_name": "Notes", "notes": "line\n".repeat(2000)}),
    );
    env.refuses_add(
        "person",
        &json!({"given_name": "Longer", "family_name": "Notes", "notes": "n".repeat(10_001)}),
        EXIT_INVALID,
        "notes",
    );
}

#[test]
fn orcid_unique() {
    let env = Env::new();
    env.add(
        "person",
        &json!({"given_name": "Josiah", "family_name": "Carberry", "orcid": "0000-0002-1825-0097"}),
    );
    env.refuses_add(
        "person",
        &json!({"given_name": "Josiah", "family_name": "Twin", "orcid": "0000-0002-1825-0097"}),
        EXIT_REFUSED,
        "orcid",
    );
}

#[test]
fn person_needs_a_full_name_in_one_script() {
    let env = Env::new();
    let cases: Vec<(Value, i32, &str)> = vec![
        (
            json!({"given_name": "Dana", "family_name": "Cohen"}),
            EXIT_OK,
            "",
        ),
        (
            json!({"given_name_he": "דנה", "family_name_he": "כהן"}),
            EXIT_OK,
            "",
        ),
        (
            json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה"}),
            EXIT_OK,
            "",
        ),
        (
            json!({"given_name": "Dana", "family_name_he": "כהן"}),
            EXIT_INVALID,
            "family_name|given_name",
        ),
        (
            json!({"given_name_he": "דנה", "family_name": "Cohen"}),
            EXIT_INVALID,
            "family_name|given_name",
        ),
        (json!({"given_name": "Dana"}), EXIT_INVALID, "family_name"),
        (json!({"family_name": "Cohen"}), EXIT_INVALID, "given_name"),
        (
            json!({"family_name_he": "כהן"}),
            EXIT_INVALID,
            "given_name_he",
        ),
        (json!({}), EXIT_INVALID, "given_name|family_name"),
        (
            json!({"given_name": "דנה", "family_name": "כהן"}),
            EXIT_INVALID,
            "given_name",
        ),
        (
            json!({"given_name_he": "Dana", "family_name_he": "Cohen"}),
            EXIT_INVALID,
            "given_name_he",
        ),
        (
            json!({"given_name": "  ", "family_name": "Cohen"}),
            EXIT_INVALID,
            "given_name",
        ),
    ];
    for (input, code, field) in cases {
        if code == EXIT_OK {
            env.add("person", &input);
        } else {
            env.refuses_add("person", &input, code, field);
        }
    }
    // Removing the last full name is refused too.
    let id = env.add_id(
        "person",
        &json!({"given_name": "Only", "family_name": "Latin"}),
    );
    env.refuses_update(
        "person",
        &id,
        &json!({"given_name": null}),
        EXIT_INVALID,
        "given_name",
    );
}

#[test]
fn cohort_dates_and_unique_names() {
    let env = Env::new();
    let w = World::build(&env);
    let cohort = |program: &str, name: &str, start: &str, end: &str| json!({"program_id": program, "name": name, "start_date": start, "end_date": end});
    env.refuses_add(
        "cohort",
        &cohort(&w.program, "Backwards", "2027-01-02", "2027-01-01"),
        EXIT_INVALID,
        "end_date",
    );
    env.add(
        "cohort",
        &cohort(&w.program, "One Day", "2027-01-01", "2027-01-01"),
    );
    // The world already has "Haifa Autumn 2026" in this program.
    env.refuses_add(
        "cohort",
        &cohort(&w.program, "Haifa Autumn 2026", "2027-01-01", "2027-02-01"),
        EXIT_REFUSED,
        "name",
    );
    // The same name in another program is fine.
    let other = env.add_id(
        "program",
        &json!({"name": "Other Program", "kind": "academic_exchange", "tech_areas": ["energy"]}),
    );
    env.add(
        "cohort",
        &cohort(&other, "Haifa Autumn 2026", "2026-09-01", "2027-06-30"),
    );
    // Renaming into a clash is refused; moving the start past the end is invalid.
    env.refuses_update(
        "cohort",
        &w.cohort_us,
        &json!({"name": "Haifa Autumn 2026"}),
        EXIT_REFUSED,
        "name",
    );
    env.refuses_update(
        "cohort",
        &w.cohort_us,
        &json!({"start_date": "2027-06-01"}),
        EXIT_INVALID,
        "end_date|start_date",
    );
}

#[test]
fn placement_direction_is_derived_from_countries() {
    let env = Env::new();
    let w = World::build(&env);
    let program = &w.program;
    let host_cohort = |name: &str, host: &str| {
        env.add_id(
            "cohort",
            &json!({"program_id": program, "name": name, "host_institution_id": host,
                    "start_date": "2026-09-01", "end_date": "2027-06-30"}),
        )
    };
    let at_weizmann = host_cohort("Rehovot 2026", &w.il2);
    let at_tokyo = host_cohort("Tokyo 2026", &w.jp);
    // (person, cohort, explicit home/host, expected direction)
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (&w.people[0], &w.cohort_il, json!({}), "US->IL"),
        (&w.il_person, &w.cohort_us, json!({}), "IL->US"),
        (&w.il_person, &at_weizmann, json!({}), "domestic"),
        (&w.people[1], &w.cohort_us, json!({}), "domestic"),
        (&w.jp_person, &w.cohort_us, json!({}), "JP->US"),
        (&w.jp_person, &w.cohort_il, json!({}), "JP->IL"),
        (&w.people[2], &at_tokyo, json!({}), "US->JP"),
        // Explicit institutions win over the defaults.
        (
            &w.people[0],
            &at_weizmann,
            json!({"home_institution_id": w.jp}),
            "JP->IL",
        ),
        (
            &w.people[1],
            &at_weizmann,
            json!({"home_institution_id": w.il, "host_institution_id": w.us}),
            "IL->US",
        ),
    ];
    for (person, cohort, extra, direction) in cases {
        let mut input = json!({"person_id": person, "cohort_id": cohort});
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        let rec = env.add("placement", &input);
        assert_eq!(rec["direction"], direction, "direction of {input}");
        assert_eq!(env.get("placement", &id_of(&rec))["direction"], direction);
    }
    // Changing an institution's country re-derives the direction.
    let p = env.add_id(
        "placement",
        &json!({"person_id": w.people[2], "cohort_id": w.cohort_il}),
    );
    assert_eq!(env.get("placement", &p)["direction"], "US->IL");
    env.update("institution", &w.il, &json!({"country": "GB"}));
    assert_eq!(env.get("placement", &p)["direction"], "US->GB");
}

#[test]
fn placement_defaults_come_from_person_and_cohort() {
    let env = Env::new();
    let w = World::build(&env);
    let rec = env.add(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_il}),
    );
    assert_eq!(rec["role"], "participant");
    assert_eq!(rec["status"], "nominated");
    assert_eq!(rec["start_date"], "2026-09-01");
    assert_eq!(rec["end_date"], "2027-06-30");
    assert_eq!(rec["home_institution_id"], w.us.as_str());
    assert_eq!(rec["host_institution_id"], w.il.as_str());
    assert_eq!(rec["direction"], "US->IL");
    // Given values win over the defaults.
    let rec = env.add(
        "placement",
        &json!({"person_id": w.people[1], "cohort_id": w.cohort_il, "role": "mentor",
                "status": "accepted", "start_date": "2026-10-01", "end_date": "2027-01-31"}),
    );
    assert_eq!(rec["role"], "mentor");
    assert_eq!(rec["status"], "accepted");
    assert_eq!(rec["start_date"], "2026-10-01");
    assert_eq!(rec["end_date"], "2027-01-31");
}

#[test]
fn person_at_most_once_per_cohort() {
    let env = Env::new();
    let w = World::build(&env);
    let input = json!({"person_id": w.people[0], "cohort_id": w.cohort_il});
    env.add("placement", &input);
    env.refuses_add("placement", &input, EXIT_REFUSED, "person_id|cohort_id");
    env.refuses_add(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_il, "role": "mentor"}),
        EXIT_REFUSED,
        "person_id|cohort_id",
    );
    // Another cohort is fine; moving that placement into the first cohort is not.
    let other = env.add_id(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_us}),
    );
    env.refuses_update(
        "placement",
        &other,
        &json!({"cohort_id": w.cohort_il}),
        EXIT_REFUSED,
        "person_id|cohort_id",
    );
}

/// Brings a new placement of a new person to `path` (each step a forward move).
fn placement_at(env: &Env, w: &World, tag: &str, path: &[&str]) -> String {
    let person = World::person(env, tag, &w.us);
    let id = env.add_id(
        "placement",
        &json!({"person_id": person, "cohort_id": w.cohort_il}),
    );
    for status in path {
        env.update("placement", &id, &json!({"status": status}));
    }
    id
}

#[test]
fn status_moves_forward_freely_and_back_only_by_reopen() {
    let env = Env::new();
    let w = World::build(&env);
    // (statuses to pass through, target, --reopen, expected exit)
    let cases: &[(&[&str], &str, bool, i32)] = &[
        (&[], "applied", false, EXIT_OK),
        (&[], "confirmed", false, EXIT_OK),
        (&[], "completed", false, EXIT_OK),
        (&["applied"], "active", false, EXIT_OK),
        (&["applied", "accepted"], "confirmed", false, EXIT_OK),
        (&[], "withdrawn", false, EXIT_OK),
        (&[], "declined", false, EXIT_OK),
        (&["accepted"], "declined", false, EXIT_OK),
        (&["active"], "withdrawn", false, EXIT_OK),
        (&["confirmed"], "declined", false, EXIT_OK),
        (&["applied"], "nominated", false, EXIT_REFUSED),
        (&["accepted"], "applied", false, EXIT_REFUSED),
        (&["confirmed"], "nominated", false, EXIT_REFUSED),
        (&["active"], "accepted", false, EXIT_REFUSED),
        (&["accepted"], "applied", true, EXIT_OK),
        (&["active"], "nominated", true, EXIT_OK),
        // Terminal states refuse every move without --reopen.
        (&["completed"], "active", false, EXIT_REFUSED),
        (&["completed"], "withdrawn", false, EXIT_REFUSED),
        (&["withdrawn"], "applied", false, EXIT_REFUSED),
        (&["withdrawn"], "completed", false, EXIT_REFUSED),
        (&["withdrawn"], "declined", false, EXIT_REFUSED),
        (&["declined"], "nominated", false, EXIT_REFUSED),
        (&["declined"], "active", false, EXIT_REFUSED),
        (&["completed"], "active", true, EXIT_OK),
        (&["withdrawn"], "applied", true, EXIT_OK),
        (&["declined"], "nominated", true, EXIT_OK),
    ];
    for (i, (path, target, reopen, code)) in cases.iter().enumerate() {
        let id = placement_at(&env, &w, &i.to_string(), path);
        let from = path.last().copied().unwrap_or("nominated");
        let patch = json!({"status": target}).to_string();
        let mut args = vec!["placement", "update", &id, "--json", &patch];
        if *reopen {
            args.push("--reopen");
        }
        let out = env.unchanged_unless(*code == EXIT_OK, || env.run(&args));
        assert_eq!(
            out.code, *code,
            "{from} -> {target} (reopen: {reopen}) exited {} (expected {code}): {}",
            out.code, out.stderr
        );
        let now = env.get("placement", &id);
        if *code == EXIT_OK {
            assert_eq!(now["status"], *target, "{from} -> {target}");
            assert_eq!(out.json()["status"], *target);
        } else {
            assert_eq!(now["status"], from, "a refused move changes nothing");
            out.names("status");
        }
    }
}

#[test]
fn reopen_is_recorded() {
    let env = Env::new();
    let w = World::build(&env);
    let id = placement_at(&env, &w, "r", &["accepted"]);
    let count = |op: &str| -> i64 {
        env.sqlite()
            .query_row(
                "SELECT count(*) FROM history WHERE record_id = ?1 AND op = ?2",
                [id.as_str(), op],
                |r| r.get(0),
            )
            .expect("the change history is stored in the history table")
    };
    assert_eq!(count("reopen"), 0);
    env.run(&[
        "placement",
        "update",
        &id,
        "--json",
        r#"{"status":"applied"}"#,
        "--reopen",
    ])
    .ok();
    assert!(
        count("reopen") >= 1,
        "the backward move is recorded as a reopen"
    );
    // --reopen on a forward move is just a move.
    env.run(&[
        "placement",
        "update",
        &id,
        "--json",
        r#"{"status":"confirmed"}"#,
        "--reopen",
    ])
    .ok();
    assert_eq!(env.get("placement", &id)["status"], "confirmed");
}

#[test]
fn screening_gate_of_sensitive_programs() {
    let env = Env::new();
    let w = World::build(&env);
    let sensitive = env.add_id(
        "program",
        &json!({"name": "Secure Chips", "kind": "collaborative_project",
                "tech_areas": ["semiconductors"], "sensitive": true}),
    );
    let cohort = env.add_id(
        "cohort",
        &json!({"program_id": sensitive, "name": "Chips 2026", "host_institution_id": w.il,
                "start_date": "2026-09-01", "end_date": "2027-06-30"}),
    );
    let new_placement = |tag: &str, screening: Option<&str>| {
        let person = World::person(&env, tag, &w.us);
        let mut input = json!({"person_id": person, "cohort_id": cohort});
        if let Some(s) = screening {
            input["screening"] = json!(s);
        }
        env.add_id("placement", &input)
    };
    // (screening, target status, expected exit)
    let cases = [
        (None, "accepted", EXIT_OK),
        (None, "confirmed", EXIT_REFUSED),
        (None, "active", EXIT_REFUSED),
        (Some("pending"), "confirmed", EXIT_REFUSED),
        (Some("flagged"), "confirmed", EXIT_REFUSED),
        (Some("flagged"), "active", EXIT_REFUSED),
        (Some("not_required"), "confirmed", EXIT_REFUSED),
        (Some("cleared"), "confirmed", EXIT_OK),
        (Some("cleared"), "active", EXIT_OK),
    ];
    for (i, (screening, target, code)) in cases.into_iter().enumerate() {
        let id = new_placement(&format!("s{i}"), screening);
        let before = env.get("placement", &id);
        let out = env.unchanged_unless(code == EXIT_OK, || {
            env.try_update("placement", &id, &json!({"status": target}))
        });
        assert_eq!(
            out.code, code,
            "screening {screening:?} -> {target}: exit {} ({})",
            out.code, out.stderr
        );
        if code == EXIT_REFUSED {
            out.stderr_mentions("screening");
            assert_eq!(env.get("placement", &id), before);
        }
    }
    // Adding a placement straight into a gated state is refused the same way.
    let person = World::person(&env, "direct", &w.us);
    env.refuses_add(
        "placement",
        &json!({"person_id": person, "cohort_id": cohort, "status": "confirmed", "screening": "pending"}),
        EXIT_REFUSED,
        "screening",
    );
    env.add(
        "placement",
        &json!({"person_id": person, "cohort_id": cohort, "status": "confirmed", "screening": "cleared"}),
    );
    // Clearing and confirming in one update is allowed.
    let id = new_placement("together", Some("pending"));
    let rec = env.update(
        "placement",
        &id,
        &json!({"screening": "cleared", "status": "active"}),
    );
    assert_eq!(rec["status"], "active");
    // A program that is not sensitive has no gate.
    let person = World::person(&env, "open", &w.us);
    let id = env.add_id(
        "placement",
        &json!({"person_id": person, "cohort_id": w.cohort_il, "screening": "pending"}),
    );
    env.update("placement", &id, &json!({"status": "active"}));
}

/// A placement that is already confirmed does not reach a sensitive program's cohort
/// without cleared screening either.
#[test]
fn screening_gate_holds_when_a_placement_moves_cohort() {
    let env = Env::new();
    let w = World::build(&env);
    let sensitive = env.add_id(
        "program",
        &json!({"name": "Secure Space", "kind": "joint_training", "tech_areas": ["space"],
                "sensitive": true}),
    );
    let cohort = env.add_id(
        "cohort",
        &json!({"program_id": sensitive, "name": "Space 2026", "host_institution_id": w.il}),
    );
    let id = env.add_id(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_il, "status": "confirmed"}),
    );
    let out = env.refuses_update(
        "placement",
        &id,
        &json!({"cohort_id": cohort}),
        EXIT_REFUSED,
        "screening",
    );
    out.stderr_mentions("screening");
    // With cleared screening the move is fine.
    env.update(
        "placement",
        &id,
        &json!({"cohort_id": cohort, "screening": "cleared"}),
    );
}

/// A placement always has one of the statuses of domain.md: it cannot be cleared.
#[test]
fn placement_status_cannot_be_cleared() {
    let env = Env::new();
    let w = World::build(&env);
    for (i, status) in ["nominated", "accepted"].into_iter().enumerate() {
        let id = env.add_id(
            "placement",
            &json!({"person_id": w.people[i], "cohort_id": w.cohort_il, "status": status}),
        );
        let out = env.unchanged(|| env.try_update("placement", &id, &json!({"status": null})));
        assert!(
            out.code == EXIT_INVALID || out.code == EXIT_REFUSED,
            "clearing the status of a {status} placement exits 3 or 5, not {}: {}",
            out.code,
            out.stdout
        );
        out.names("status");
        assert_eq!(env.get("placement", &id)["status"], status);
    }
}

#[test]
fn cohort_capacity() {
    let env = Env::new();
    let w = World::build(&env);
    let cohort = env.add_id(
        "cohort",
        &json!({"program_id": w.program, "name": "Small", "capacity": 2, "host_institution_id": w.il,
                "start_date": "2026-09-01", "end_date": "2027-06-30"}),
    );
    for p in &w.people[..2] {
        env.add("placement", &json!({"person_id": p, "cohort_id": cohort}));
    }
    let third = json!({"person_id": w.people[2], "cohort_id": cohort}).to_string();
    let out = env.unchanged(|| env.run(&["placement", "add", "--json", &third]));
    out.code(EXIT_REFUSED);
    assert!(
        out.stderr.contains("capacity") || out.stderr.contains("full"),
        "stderr explains the cohort is full: {}",
        out.stderr
    );
    let rec = env.ok_json(&["placement", "add", "--json", &third, "--over-capacity"]);
    assert_eq!(rec["cohort_id"], cohort.as_str());
    assert_eq!(
        env.list("placement", &[])
            .iter()
            .filter(|p| p["cohort_id"] == cohort.as_str())
            .count(),
        3
    );
    // Still full for the next one without the override.
    let fourth = json!({"person_id": w.il_person, "cohort_id": cohort}).to_string();
    env.unchanged(|| env.run(&["placement", "add", "--json", &fourth]))
        .code(EXIT_REFUSED);
}

#[test]
fn fellowship_tranches_never_exceed_the_award() {
    let env = Env::new();
    let w = World::build(&env);
    let tranche = |amount: i64| json!({"due_date": "2026-10-01", "amount_minor": amount});
    let fellowship = |tranches: Vec<Value>| {
        json!({"person_id": w.people[0], "title": "Seed Grant", "award_minor": 1_000_000,
               "currency": "ILS", "tranches": tranches})
    };
    // Exactly the award is fine; one minor unit more is not.
    let id = env.add_id(
        "fellowship",
        &fellowship(vec![tranche(400_000), tranche(600_000)]),
    );
    env.refuses_add(
        "fellowship",
        &fellowship(vec![tranche(400_000), tranche(600_001)]),
        EXIT_INVALID,
        "tranches",
    );
    env.refuses_update(
        "fellowship",
        &id,
        &json!({"tranches": [tranche(400_000), tranche(600_000), tranche(1)]}),
        EXIT_INVALID,
        "tranches",
    );
    env.refuses_update(
        "fellowship",
        &id,
        &json!({"award_minor": 999_999}),
        EXIT_INVALID,
        "tranches|award_minor",
    );
    let rec = env.get("fellowship", &id);
    assert_eq!(rec["tranches"].as_array().map(Vec::len), Some(2));
    assert_eq!(rec["tranches"][0]["amount_minor"], 400_000);
    assert!(rec["reports"].is_array(), "reports is a list: {rec}");
}

#[test]
fn agreement_needs_two_institutions_and_computes_quotas() {
    let env = Env::new();
    let w = World::build(&env);
    for ids in [json!([]), json!([w.us])] {
        env.refuses_add(
            "agreement",
            &json!({"title": "Too few", "institution_ids": ids}),
            EXIT_INVALID,
            "institution_ids",
        );
    }
    env.add(
        "agreement",
        &json!({"title": "Three-way", "institution_ids": [w.us, w.il, w.jp]}),
    );

    // Placements between MIT and the Technion: 2 US->IL and 1 IL->US in 2026/27, 1 US->IL
    // in 2027/28; and one JP->IL, which is outside the agreement.
    let cohort_il_next = env.add_id(
        "cohort",
        &json!({"program_id": w.program, "name": "Haifa Autumn 2027", "host_institution_id": w.il,
                "start_date": "2027-11-01", "end_date": "2028-06-30"}),
    );
    for p in &w.people[..2] {
        env.add(
            "placement",
            &json!({"person_id": p, "cohort_id": w.cohort_il}),
        );
    }
    env.add(
        "placement",
        &json!({"person_id": w.people[2], "cohort_id": cohort_il_next}),
    );
    env.add(
        "placement",
        &json!({"person_id": w.il_person, "cohort_id": w.cohort_us}),
    );
    env.add(
        "placement",
        &json!({"person_id": w.jp_person, "cohort_id": w.cohort_il}),
    );

    let rec = env.add(
        "agreement",
        &json!({"title": "MIT–Technion exchange", "institution_ids": [w.us, w.il],
        "valid_from": "2026-01-01", "valid_to": "2030-12-31",
        "quotas": [
            {"academic_year": "2026/27", "direction": "US->IL", "places": 5},
            {"academic_year": "2026/27", "direction": "IL->US", "places": 3},
            {"academic_year": "2027/28", "direction": "US->IL", "places": 4},
            {"academic_year": "2028/29", "direction": "IL->US", "places": 2},
        ]}),
    );
    let used: Vec<Value> = rec["quotas"]
        .as_array()
        .expect("quotas")
        .iter()
        .map(|q| q["places_used"].clone())
        .collect();
    assert_eq!(used, vec![json!(2), json!(1), json!(1), json!(0)], "{rec}");
    assert_eq!(
        rec["reciprocity_balance"],
        json!(2),
        "3 US->IL minus 1 IL->US: {rec}"
    );
    assert_eq!(env.get("agreement", &id_of(&rec)), rec);
    // Places used follow the placements.
    let newcomer = World::person(&env, "late", &w.il);
    env.add(
        "placement",
        &json!({"person_id": newcomer, "cohort_id": w.cohort_us}),
    );
    let rec = env.get("agreement", &id_of(&rec));
    assert_eq!(rec["quotas"][1]["places_used"], 2);
    assert_eq!(rec["reciprocity_balance"], 1);
}

/// The partnership may bring in more allied countries: quotas in other directions count
/// their placements the same way, and the balance stays US->IL minus IL->US.
#[test]
fn agreement_quotas_for_other_allied_countries() {
    let env = Env::new();
    let w = World::build(&env);
    env.add(
        "placement",
        &json!({"person_id": w.jp_person, "cohort_id": w.cohort_us}),
    );
    env.add(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_il}),
    );
    let rec = env.add(
        "agreement",
        &json!({"title": "Tokyo–MIT", "institution_ids": [w.jp, w.us],
                "quotas": [{"academic_year": "2026/27", "direction": "JP->US", "places": 3},
                           {"academic_year": "2026/27", "direction": "US->JP", "places": 3}]}),
    );
    assert_eq!(rec["quotas"][0]["places_used"], 1, "{rec}");
    assert_eq!(rec["quotas"][1]["places_used"], 0, "{rec}");
    assert_eq!(rec["reciprocity_balance"], 0, "{rec}");
}

#[test]
fn institution_in_use_cannot_be_deleted() {
    let env = Env::new();
    let w = World::build(&env);
    let fresh = |name: &str| env.add_id("institution", &json!({"name": name, "country": "DE"}));
    // Each referrer: (entity, record refering to the institution).
    let home = fresh("Home Only");
    let person = env.add_id(
        "person",
        &json!({"given_name": "Ref", "family_name": "Home", "home_institution_id": home}),
    );
    let host = fresh("Host Only");
    let cohort = env.add_id(
        "cohort",
        &json!({"program_id": w.program, "name": "Hosted", "host_institution_id": host}),
    );
    let partner = fresh("Partner Only");
    let program = env.add_id(
        "program",
        &json!({"name": "Partnered", "kind": "collaborative_project", "tech_areas": ["other"],
                "partner_institution_ids": [partner]}),
    );
    let party = fresh("Party Only");
    let agreement = env.add_id(
        "agreement",
        &json!({"title": "Pact", "institution_ids": [party, w.us]}),
    );
    let placement_host = fresh("Placement Host");
    let placement = env.add_id(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_us,
                "host_institution_id": placement_host}),
    );
    let cases = [
        (home, "person", person),
        (host, "cohort", cohort),
        (partner, "program", program),
        (party, "agreement", agreement),
        (placement_host, "placement", placement),
    ];
    for (inst, entity, user) in &cases {
        env.refuses(&["institution", "delete", inst], EXIT_REFUSED, "");
        env.get("institution", inst);
        // Once the referrer is gone, the institution can go.
        env.run(&[entity, "delete", user]).ok();
        env.run(&["institution", "delete", inst]).ok();
        env.run(&["institution", "get", inst]).code(EXIT_NOT_FOUND);
    }
    env.run(&["check"]).ok();
}
