//! Database selection (`--db`, `$EXDESK_DB`, the per-user default) and the exit codes of
//! usage errors.

use std::ffi::OsStr;

use serde_json::json;

use crate::harness::*;

#[test]
fn exdesk_db_selects_the_database() {
    let env = Env::new();
    let via_env = env.path("from-env.sqlite3");
    let e = [("EXDESK_DB", via_env.as_os_str())];
    let out = env.run_with(&["init"], &e);
    out.ok();
    assert_eq!(out.stdout.trim(), via_env.to_str().unwrap());
    assert!(via_env.exists());
    let out = env.run_with(
        &[
            "institution",
            "add",
            "--json",
            r#"{"name":"Env Only","country":"IL"}"#,
        ],
        &e,
    );
    out.ok();
    let id = id_of(&out.json());
    let out = env.run_with(&["institution", "get", &id], &e);
    out.ok();
    assert_eq!(out.json()["name"], "Env Only");
    // The record is in that file and nowhere else.
    let mut args: Vec<&OsStr> = vec![OsStr::new("--db"), via_env.as_os_str()];
    args.extend(["institution", "get", id.as_str()].map(OsStr::new));
    env.run_with(&args, &[]).ok();
    assert!(!env.db.exists());
}

#[test]
fn db_flag_wins_over_exdesk_db() {
    let env = Env::new();
    let via_env = env.path("from-env.sqlite3");
    let e = [("EXDESK_DB", via_env.as_os_str())];
    env.run_with(&["init"], &e).ok();
    env.run_with(
        &[
            "institution",
            "add",
            "--json",
            r#"{"name":"In Env DB","country":"IL"}"#,
        ],
        &e,
    )
    .ok();
    let env_export = |env: &Env| {
        let out = env.path("env-export.json");
        env.run_with(
            &[
                OsStr::new("export"),
                OsStr::new("all"),
                OsStr::new("-o"),
                out.as_os_str(),
            ],
            &e,
        )
        .ok();
        std::fs::read(out).unwrap()
    };
    let before = env_export(&env);

    let flag = |args: &[&str]| {
        let mut full: Vec<&OsStr> = vec![OsStr::new("--db"), env.db.as_os_str()];
        full.extend(args.iter().map(OsStr::new));
        env.run_with(&full, &e)
    };
    let out = flag(&["init"]);
    out.ok();
    assert_eq!(out.stdout.trim(), env.db.to_str().unwrap());
    flag(&[
        "institution",
        "add",
        "--json",
        r#"{"name":"In Flag DB","country":"US"}"#,
    ])
    .ok();
    let names: Vec<String> = flag(&["institution", "list", "--json"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["In Flag DB"], "--db wins over $EXDESK_DB");
    assert!(
        before == env_export(&env),
        "the $EXDESK_DB database was not touched"
    );
    // The flag may also follow the command.
    let out = env.run_with(
        &[
            OsStr::new("institution"),
            OsStr::new("list"),
            OsStr::new("--json"),
            OsStr::new("--db"),
            env.db.as_os_str(),
        ],
        &e,
    );
    out.ok();
    assert_eq!(out.json().as_array().map(Vec::len), Some(1));
}

#[cfg(target_os = "linux")]
#[test]
fn without_db_or_exdesk_db_the_per_user_database_is_used() {
    let env = Env::new();
    let out = env.run_with::<&str>(&["init"], &[]);
    out.ok();
    let printed = std::path::PathBuf::from(out.stdout.trim());
    assert!(
        printed.starts_with(env.dir().join("xdg-data")),
        "the default database lives in the OS data directory: {}",
        printed.display()
    );
    assert!(printed.exists());
    // An empty $EXDESK_DB counts as unset.
    let out = env.run_with(&["init"], &[("EXDESK_DB", OsStr::new(""))]);
    out.ok();
    assert_eq!(std::path::PathBuf::from(out.stdout.trim()), printed);
}

#[test]
fn any_command_creates_and_migrates_a_missing_database() {
    let commands: [&[&str]; 5] = [
        &["stats", "--json"],
        &["institution", "list", "--json"],
        &["search", "anything", "--json"],
        &[
            "person",
            "add",
            "--json",
            r#"{"given_name":"First","family_name":"Record"}"#,
        ],
        &["export", "all", "-o", "first-export.json"],
    ];
    for args in commands {
        let env = Env::new();
        assert!(!env.db.exists());
        env.run(args).ok();
        assert!(env.db.exists(), "exdesk {args:?} created the database");
        env.run(&["check"]).ok();
    }
}

#[test]
fn usage_errors_exit_2_and_change_nothing() {
    let env = Env::new();
    let w = World::build(&env);
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["frobnicate"],
        vec!["persons", "list"],
        vec!["person"],
        vec!["person", "frob"],
        vec!["person", "add"],
        vec!["person", "update", &w.people[0]],
        vec!["person", "get"],
        vec!["person", "list", "--limit", "many"],
        vec!["person", "list", "--limit", "-1"],
        vec!["person", "list", "--no-such-flag"],
        vec!["search"],
        vec!["search", "x", "--limit", "lots"],
        vec!["export"],
        vec!["export", "all"],
        vec!["stats", "--yaml"],
    ];
    for args in cases {
        let out = env.unchanged(|| env.run(&args));
        out.code(EXIT_USAGE);
        assert!(
            !out.stderr.trim().is_empty(),
            "{} explains the usage",
            out.cmd
        );
    }
    // The database named by a usage error is not created either.
    let fresh = Env::new();
    fresh.run(&["frobnicate"]).code(EXIT_USAGE);
    assert!(!fresh.db.exists());
}

#[test]
fn invalid_json_exits_3() {
    let env = Env::new();
    let w = World::build(&env);
    for entity in [
        "institution",
        "person",
        "program",
        "cohort",
        "placement",
        "fellowship",
        "agreement",
    ] {
        for text in ["{", "{\"name\": }", "not json", "{'single': 'quotes'}"] {
            env.refuses(&[entity, "add", "--json", text], EXIT_INVALID, "json");
        }
    }
    env.refuses(
        &["person", "update", &w.people[0], "--json", "{oops"],
        EXIT_INVALID,
        "json",
    );
    // A valid record after all that is still accepted.
    env.add("institution", &json!({"name": "After", "country": "US"}));
}

/// Odd input gets the contract's exit code, never a panic (the harness checks every run
/// for one) and never a partial write.
#[test]
fn odd_input_gets_a_contract_exit_code() {
    let env = Env::new();
    let w = World::build(&env);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_obj = format!("{{\"name\": {deep}, \"country\": \"US\"}}");
    let long_notes =
        json!({"given_name": "Long", "family_name": "Notes", "notes": "x".repeat(10_001)})
            .to_string();
    let huge_capacity =
        json!({"program_id": w.program, "name": "Big", "capacity": 1e30}).to_string();
    let huge_award = json!({"person_id": w.people[0], "title": "T",
                            "award_minor": 18_446_744_073_709_551_615u64, "currency": "USD"})
    .to_string();
    let fractional_award = json!({"person_id": w.people[0], "title": "T", "award_minor": 10.5,
                                  "currency": "USD"})
    .to_string();
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (
            vec![
                "institution",
                "add",
                "--json",
                r#"{"name": 42, "country": "US"}"#,
            ],
            EXIT_INVALID,
        ),
        (
            vec![
                "institution",
                "add",
                "--json",
                r#"{"name": {"en": "X"}, "country": "US"}"#,
            ],
            EXIT_INVALID,
        ),
        (
            vec![
                "institution",
                "add",
                "--json",
                r#"{"name": "A\u0000B", "country": "US"}"#,
            ],
            EXIT_INVALID,
        ),
        (
            vec![
                "institution",
                "add",
                "--json",
                r#"{"name": "Line\nBreak", "country": "US"}"#,
            ],
            EXIT_INVALID,
        ),
        (
            vec!["institution", "add", "--json", &deep_obj],
            EXIT_INVALID,
        ),
        (vec!["institution", "add", "--json", &deep], EXIT_INVALID),
        (vec!["person", "add", "--json", &long_notes], EXIT_INVALID),
        (
            vec!["cohort", "add", "--json", &huge_capacity],
            EXIT_INVALID,
        ),
        (
            vec!["fellowship", "add", "--json", &huge_award],
            EXIT_INVALID,
        ),
        (
            vec!["fellowship", "add", "--json", &fractional_award],
            EXIT_INVALID,
        ),
        (
            vec![
                "person",
                "update",
                &w.people[0],
                "--json",
                r#"{"id": "01900000-0000-7000-8000-000000000001"}"#,
            ],
            EXIT_INVALID,
        ),
        (
            vec![
                "program",
                "add",
                "--json",
                r#"{"name": "P", "kind": "fellowship", "tech_areas": "ai, robots"}"#,
            ],
            EXIT_INVALID,
        ),
        (
            vec!["person", "get", "'; DROP TABLE person; --"],
            EXIT_NOT_FOUND,
        ),
        (vec!["person", "get", ""], EXIT_NOT_FOUND),
        (vec!["person", "delete", "*"], EXIT_NOT_FOUND),
        (
            vec![
                "placement",
                "update",
                "%",
                "--json",
                r#"{"status":"applied"}"#,
            ],
            EXIT_NOT_FOUND,
        ),
    ];
    for (args, code) in cases {
        let out = env.unchanged(|| env.run(&args));
        out.code(code);
        assert!(!out.stderr.trim().is_empty(), "{} says why", out.cmd);
    }
    // Search and list filters treat query syntax as plain text.
    for text in [
        "\"",
        "*",
        "Dana*",
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "name:x",
        "a -x",
        "^x",
        "a\"b",
        "%",
        "_",
        "'",
        "()",
        "דנה\"",
        "  ",
    ] {
        let hits = env.ok_json(&["search", text, "--json"]);
        assert!(hits.is_array(), "search {text:?}: {hits}");
        for entity in [
            "person",
            "institution",
            "placement",
            "fellowship",
            "agreement",
        ] {
            let list = env.ok_json(&[entity, "list", "--query", text, "--json"]);
            assert!(list.is_array(), "{entity} list --query {text:?}: {list}");
        }
    }
    assert_eq!(
        env.ok_json(&["person", "list", "--limit", "0", "--json"]),
        json!([])
    );
    assert_eq!(
        env.ok_json(&["search", "Aldridge", "--limit", "0", "--json"]),
        json!([])
    );
}

/// An argument whose value is not one the command takes (an ENTITY that is no entity, an
/// unknown `--date-order`, `--format`, `--lang` or roster column, a roster whose format
/// cannot be told, a merge of anything but people, a conflict resolved neither way) is a
/// usage error like clap's own: exit 2, one line naming the argument, the database not
/// even created. Invalid record data stays invalid input (exit 3).
#[test]
fn wrong_argument_values_are_usage_errors() {
    let env = Env::new();
    let csv = env.path("x.csv");
    std::fs::write(&csv, "given_name,family_name\nDana,Cohen\n").unwrap();
    let csv = csv.to_str().unwrap();
    let out_csv = env.path("out.csv");
    let out_csv = out_csv.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["import", "nonentity", csv],
            "entity: \"nonentity\" is not one of",
        ),
        (
            vec!["template", "bogus", "-o", out_csv],
            "entity: \"bogus\" is not one of",
        ),
        (
            vec!["import", "person", csv, "--date-order", "xyz"],
            "--date-order: \"xyz\" is not dmy, mdy or ymd",
        ),
        (
            vec!["export", "roster", "C", "-o", out_csv, "--format", "doc"],
            "--format: \"doc\" is not csv, xlsx, pdf or json",
        ),
        (
            vec!["export", "roster", "C", "-o", out_csv, "--lang", "fr"],
            "--lang: \"fr\" is not en or he",
        ),
        (
            vec![
                "export",
                "roster",
                "C",
                "-o",
                out_csv,
                "--columns",
                "family_name,shoe_size",
            ],
            "columns: \"shoe_size\" is not a roster column",
        ),
        (
            vec!["export", "roster", "C", "-o", "r.doc"],
            "give --format",
        ),
        (
            vec!["institution", "merge", MISSING_ID, MISSING_ID],
            "only people",
        ),
        (
            vec!["sync", "resolve", MISSING_ID],
            "--restore or --dismiss",
        ),
    ];
    for (args, says) in cases {
        let out = env.run(&args);
        out.code(EXIT_USAGE);
        assert_eq!(
            out.stderr.lines().collect::<Vec<_>>(),
            [format!(
                "error: {}",
                out.stderr.trim().trim_start_matches("error: ")
            )],
            "`{}`: one line on stderr",
            out.cmd
        );
        assert!(
            out.stderr.contains(says),
            "`{}`: stderr does not say {says:?}:\n{}",
            out.cmd,
            out.stderr
        );
        assert!(
            out.stdout.is_empty(),
            "`{}` printed {}",
            out.cmd,
            out.stdout
        );
        assert!(!env.db.exists(), "`{}` created the database", out.cmd);
    }
    // Bad record data is still invalid input.
    env.run(&[
        "person",
        "add",
        "--json",
        r#"{"given_name":"A","family_name":"B","birth_date":"1990-13-01"}"#,
    ])
    .code(EXIT_INVALID)
    .names("birth_date");
}
