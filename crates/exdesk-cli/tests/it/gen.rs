//! `exdesk gen --people N [--seed S]` (spec/cli.md, "Scale"): a synthetic dataset in the
//! proportions of a national program, written through the ordinary validated writes.

use serde_json::Value;

use crate::harness::*;

const STATUSES: [&str; 8] = [
    "nominated",
    "applied",
    "accepted",
    "confirmed",
    "active",
    "completed",
    "withdrawn",
    "declined",
];

#[track_caller]
fn count(stats: &Value, key: &str, sub: &str) -> u64 {
    stats[key][sub]
        .as_u64()
        .unwrap_or_else(|| panic!("stats {key}.{sub} is not a count: {stats}"))
}

/// `export all` without the time stamps core writes (the only fields that differ between
/// two runs with the same seed).
fn without_time_stamps(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("created_at");
                m.remove("updated_at");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn gen_fills_an_empty_database_in_proportion() {
    let env = Env::new();
    let out = env.run(&["gen", "--people", "2000", "--seed", "7"]);
    out.ok();
    assert!(
        out.stdout.contains("2000 people"),
        "summary: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("100%"),
        "progress on stderr: {}",
        out.stderr
    );

    let stats = env.stats();
    // N people: N/40 institutions, N/200 programs, N/50 cohorts, 2N placements, N/4
    // fellowships, N/400 agreements.
    for (entity, n) in [
        ("person", 2000),
        ("institution", 50),
        ("program", 10),
        ("cohort", 40),
        ("placement", 4000),
        ("fellowship", 500),
        ("agreement", 5),
    ] {
        assert_eq!(count(&stats, "counts", entity), n, "{entity}: {stats}");
    }
    for status in STATUSES {
        assert!(
            count(&stats, "placements_by_status", status) > 0,
            "no {status} placement: {stats}"
        );
    }
    for dir in ["US->IL", "IL->US", "domestic"] {
        assert!(count(&stats, "placements_by_direction", dir) > 0, "{dir}");
    }
    env.run(&["check"]).ok();

    // The national-intake cohort holds N/20 placements.
    let intake = env.path("intake.csv");
    env.run(&[
        "export",
        "roster",
        "National Intake 2027",
        "-o",
        intake.to_str().unwrap(),
    ])
    .ok()
    .stderr_mentions("wrote 100 rows");

    // Bilingual people are found by their Hebrew and Latin family names.
    let hits = env.ok_json(&["search", "כהן", "--json"]);
    assert!(!hits.as_array().unwrap().is_empty(), "no כהן");
    let hits = env.ok_json(&["search", "Cohen", "--json"]);
    assert!(!hits.as_array().unwrap().is_empty(), "no Cohen");

    // Only into an empty database, like `demo`.
    env.unchanged(|| env.run(&["gen", "--people", "10"]))
        .code(EXIT_REFUSED);
}

#[test]
fn the_same_seed_gives_the_same_records() {
    let (a, b, c) = (Env::new(), Env::new(), Env::new());
    a.run(&["gen", "--people", "300", "--seed", "42"]).ok();
    b.run(&["gen", "--people", "300", "--seed", "42"]).ok();
    c.run(&["gen", "--people", "300", "--seed", "43"]).ok();
    let (ea, eb, ec) = (
        without_time_stamps(a.export_json()),
        without_time_stamps(b.export_json()),
        without_time_stamps(c.export_json()),
    );
    assert!(ea == eb, "the same seed gave different records");
    assert!(ea != ec, "different seeds gave the same records");
}

#[test]
fn gen_refuses_a_database_with_records_and_bad_arguments() {
    let env = Env::new();
    env.run(&["demo"]).ok();
    env.unchanged(|| env.run(&["gen", "--people", "100"]))
        .code(EXIT_REFUSED);

    let env = Env::new();
    env.run(&["gen", "--people", "0"])
        .code(EXIT_INVALID)
        .names("people");
    env.run(&["gen"]).code(EXIT_USAGE);
    env.run(&["gen", "--people", "ten"]).code(EXIT_USAGE);
    let stats = env.stats();
    assert_eq!(count(&stats, "counts", "person"), 0);
}
