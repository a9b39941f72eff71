//! The "Whole database" commands: init, demo, stats, search, check, export all; the schema
//! guard; and the shape of the stored SQLite file.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::harness::*;

const ENTITIES: [&str; 7] = [
    "institution",
    "person",
    "program",
    "cohort",
    "placement",
    "fellowship",
    "agreement",
];
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
const KINDS: [&str; 4] = [
    "joint_training",
    "academic_exchange",
    "fellowship",
    "collaborative_project",
];
const TECH_AREAS: [&str; 7] = [
    "ai",
    "advanced_computing",
    "semiconductors",
    "energy",
    "space",
    "robotics",
    "other",
];
/// The direction keys the contract's example shows; read as always present, like the others.
const DIRECTIONS: [&str; 3] = ["US->IL", "IL->US", "domestic"];

#[track_caller]
fn section<'a>(stats: &'a Value, key: &str) -> &'a Map<String, Value> {
    stats[key]
        .as_object()
        .unwrap_or_else(|| panic!("stats --json has no object {key:?}: {stats}"))
}

#[track_caller]
fn count(stats: &Value, key: &str, sub: &str) -> u64 {
    section(stats, key)
        .get(sub)
        .unwrap_or_else(|| panic!("stats {key} lacks the key {sub:?}: {stats}"))
        .as_u64()
        .unwrap_or_else(|| panic!("stats {key}.{sub} is not a count: {stats}"))
}

/// Every key of the contract is present, whatever the data.
#[track_caller]
fn assert_stats_shape(stats: &Value) {
    let top: Vec<&String> = stats
        .as_object()
        .expect("stats is an object")
        .keys()
        .collect();
    for key in [
        "counts",
        "placements_by_status",
        "programs_by_kind",
        "programs_by_tech_area",
        "placements_by_direction",
    ] {
        assert!(top.iter().any(|k| *k == key), "stats lacks {key}: {stats}");
    }
    for (key, subs) in [
        ("counts", &ENTITIES[..]),
        ("placements_by_status", &STATUSES[..]),
        ("programs_by_kind", &KINDS[..]),
        ("programs_by_tech_area", &TECH_AREAS[..]),
        ("placements_by_direction", &DIRECTIONS[..]),
    ] {
        for sub in subs {
            count(stats, key, sub);
        }
    }
}

#[test]
fn init_prints_the_path_and_can_run_again() {
    let env = Env::new();
    assert!(!env.db.exists());
    let out = env.run(&["init"]);
    out.ok();
    assert_eq!(out.stdout.trim(), env.db.to_str().unwrap());
    assert!(env.db.exists(), "init created the file");
    env.add("institution", &json!({"name": "Kept", "country": "US"}));
    let again = env.run(&["init"]);
    again.ok();
    assert_eq!(again.stdout.trim(), env.db.to_str().unwrap());
    assert_eq!(env.list("institution", &[]).len(), 1, "init keeps the data");
}

#[test]
fn init_migrates_an_existing_empty_file() {
    let env = Env::new();
    std::fs::write(&env.db, b"").unwrap();
    env.run(&["init"]).ok();
    env.run(&["check"]).ok();
    env.add("institution", &json!({"name": "First", "country": "IL"}));
    assert_eq!(env.stats()["counts"]["institution"], 1);
}

#[test]
fn commands_without_json_print_readable_text() {
    let env = Env::new();
    search_world(&env);
    for args in [
        &["stats"][..],
        &["person", "list"],
        &["institution", "list", "--query", "Techn"],
        &["search", "Dana"],
    ] {
        let out = env.run(args);
        out.ok();
        assert!(
            !out.stdout.trim().is_empty(),
            "{} prints something",
            out.cmd
        );
    }
    let out = env.run(&["search", "Dana"]);
    assert!(out.stdout.contains("Dana"), "{}", out.stdout);
}

#[test]
fn stats_of_an_empty_database_has_every_key_at_zero() {
    let env = Env::new();
    let stats = env.stats();
    assert_stats_shape(&stats);
    for key in [
        "counts",
        "placements_by_status",
        "programs_by_kind",
        "programs_by_tech_area",
        "placements_by_direction",
    ] {
        for (k, v) in section(&stats, key) {
            assert_eq!(v, &json!(0), "{key}.{k} of an empty database");
        }
    }
}

#[test]
fn stats_follow_the_records() {
    let env = Env::new();
    let w = World::build(&env);
    env.add(
        "program",
        &json!({"name": "Space Fellows", "kind": "fellowship", "tech_areas": ["ai", "space"]}),
    );
    let add = |person: &str, cohort: &str, status: &str| {
        env.add(
            "placement",
            &json!({"person_id": person, "cohort_id": cohort, "status": status}),
        )
    };
    add(&w.people[0], &w.cohort_il, "nominated");
    add(&w.people[1], &w.cohort_il, "accepted");
    add(&w.il_person, &w.cohort_us, "withdrawn");
    add(&w.jp_person, &w.cohort_us, "nominated");
    add(&w.people[2], &w.cohort_us, "active");
    let stats = env.stats();
    assert_stats_shape(&stats);
    let expected_counts = [
        ("institution", 4),
        ("person", 5),
        ("program", 2),
        ("cohort", 2),
        ("placement", 5),
        ("fellowship", 0),
        ("agreement", 0),
    ];
    for (k, n) in expected_counts {
        assert_eq!(count(&stats, "counts", k), n, "counts.{k}");
    }
    for (k, n) in [
        ("nominated", 2),
        ("accepted", 1),
        ("withdrawn", 1),
        ("active", 1),
        ("applied", 0),
        ("completed", 0),
    ] {
        assert_eq!(
            count(&stats, "placements_by_status", k),
            n,
            "placements_by_status.{k}"
        );
    }
    for (k, n) in [
        ("joint_training", 1),
        ("fellowship", 1),
        ("academic_exchange", 0),
    ] {
        assert_eq!(
            count(&stats, "programs_by_kind", k),
            n,
            "programs_by_kind.{k}"
        );
    }
    for (k, n) in [("ai", 2), ("space", 1), ("energy", 0)] {
        assert_eq!(
            count(&stats, "programs_by_tech_area", k),
            n,
            "programs_by_tech_area.{k}"
        );
    }
    for (k, n) in [("US->IL", 2), ("IL->US", 1), ("JP->US", 1), ("domestic", 1)] {
        assert_eq!(
            count(&stats, "placements_by_direction", k),
            n,
            "placements_by_direction.{k}"
        );
    }
}

#[test]
fn demo_loads_a_dataset_with_every_kind_of_record() {
    let env = Env::new();
    env.run(&["demo"]).ok();
    let stats = env.stats();
    assert_stats_shape(&stats);
    for e in ENTITIES {
        assert!(count(&stats, "counts", e) > 0, "the demo has {e} records");
    }
    let sum = |key: &str| -> u64 {
        section(&stats, key)
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        sum("placements_by_status"),
        count(&stats, "counts", "placement")
    );
    assert_eq!(sum("programs_by_kind"), count(&stats, "counts", "program"));
    assert!(sum("placements_by_direction") <= count(&stats, "counts", "placement"));
    assert!(count(&stats, "placements_by_direction", "US->IL") > 0);
    assert!(count(&stats, "placements_by_direction", "IL->US") > 0);
    // The records are complete through the ordinary commands.
    for e in ENTITIES {
        assert_eq!(
            env.list(e, &[]).len() as u64,
            count(&stats, "counts", e),
            "{e} list"
        );
    }
    env.run(&["check"]).ok();
    // The demo goes only into an empty database.
    env.unchanged(|| env.run(&["demo"])).code(EXIT_REFUSED);
}

/// The people the search tests look for.
fn search_world(env: &Env) -> (String, String, String, String) {
    let inst = env.add_id(
        "institution",
        &json!({"name": "Technion", "name_he": "הטכניון", "country": "IL", "city": "Haifa"}),
    );
    let jose = env.add_id(
        "person",
        &json!({"given_name": "José", "family_name": "Álvarez", "email": "jose@example.org"}),
    );
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה",
                "family_name_he": "כהן", "home_institution_id": inst}),
    );
    let noa = env.add_id(
        "person",
        &json!({"given_name_he": "נועה", "family_name_he": "לוי"}),
    );
    (inst, jose, dana, noa)
}

#[track_caller]
fn search(env: &Env, text: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["search", text, "--json"];
    args.extend_from_slice(extra);
    let hits = env.ok_json(&args);
    let hits = hits
        .as_array()
        .unwrap_or_else(|| panic!("search --json prints an array: {hits}"))
        .clone();
    for hit in &hits {
        let keys: Vec<&String> = hit.as_object().expect("hit object").keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            ["entity", "id", "subtitle", "title"],
            "a hit is {{entity,id,title,subtitle}}: {hit}"
        );
        for k in ["entity", "id", "title", "subtitle"] {
            assert!(hit[k].is_string(), "{k} is text: {hit}");
        }
        assert!(ENTITIES.contains(&hit["entity"].as_str().unwrap()), "{hit}");
    }
    hits
}

#[track_caller]
fn hit_for<'a>(hits: &'a [Value], id: &str, query: &str) -> &'a Value {
    hits.iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("search {query:?} does not find {id}: {hits:?}"))
}

#[test]
fn search_finds_names_by_prefix_in_both_scripts_without_accents() {
    let env = Env::new();
    let (inst, jose, dana, noa) = search_world(&env);
    let zoe = env.add_id(
        "person",
        &json!({"given_name": "Zoe", "family_name": "Muller"}),
    );
    // (query, the record it must find)
    let cases = [
        ("Jose", &jose),
        ("jose", &jose),
        ("José", &jose),
        ("Jos", &jose),
        ("alvarez", &jose),
        ("Álv", &jose),
        ("Dana", &dana),
        ("Coh", &dana),
        ("Dana Coh", &dana),
        ("דנ", &dana),
        ("כהן", &dana),
        ("נוע", &noa),
        ("לו", &noa),
        ("Zoë", &zoe),
        ("Müll", &zoe),
        ("ZOE", &zoe),
        ("Techn", &inst),
        ("הטכ", &inst),
    ];
    for (query, id) in cases {
        let hits = search(&env, query, &[]);
        let hit = hit_for(&hits, id, query);
        assert_eq!(
            hit["entity"],
            if id == &inst { "institution" } else { "person" }
        );
    }
    // A person's title holds their names in every script they have.
    let hits = search(&env, "דנה", &[]);
    let title = hit_for(&hits, &dana, "דנה")["title"]
        .as_str()
        .unwrap()
        .to_owned();
    for part in ["Dana", "Cohen", "דנה", "כהן"] {
        assert!(title.contains(part), "title {title:?} holds {part}");
    }
    let hits = search(&env, "Álvarez", &[]);
    let title = hit_for(&hits, &jose, "Álvarez")["title"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        title.contains("José") && title.contains("Álvarez"),
        "{title}"
    );
    let hits = search(&env, "נועה", &[]);
    let title = hit_for(&hits, &noa, "נועה")["title"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(title.contains("נועה") && title.contains("לוי"), "{title}");
    // No match is an empty array.
    assert!(search(&env, "Zyxwvut", &[]).is_empty());
}

/// "A person's title holds their names in every script they have", also when a script
/// has only a given or only a family name.
#[test]
fn search_title_holds_every_name_a_person_has() {
    let env = Env::new();
    let cases: Vec<(Value, &str, Vec<&str>)> = vec![
        (
            json!({"given_name": "Yael", "given_name_he": "יעל", "family_name_he": "מזרחי"}),
            "מזרחי",
            vec!["Yael", "יעל", "מזרחי"],
        ),
        (
            json!({"given_name": "Oren", "family_name": "Katz", "given_name_he": "אורן"}),
            "Katz",
            vec!["Oren", "Katz", "אורן"],
        ),
        (
            json!({"family_name": "Friedman", "given_name_he": "רונית", "family_name_he": "פרידמן"}),
            "פרידמן",
            vec!["Friedman", "רונית", "פרידמן"],
        ),
        (
            json!({"given_name": "Lior", "family_name": "Ben-David", "given_name_he": "ליאור",
                   "family_name_he": "בן-דוד"}),
            "Lior",
            vec!["Lior", "Ben-David", "ליאור", "בן-דוד"],
        ),
        (
            json!({"given_name": "Maya", "family_name": "Stein"}),
            "Stein",
            vec!["Maya", "Stein"],
        ),
    ];
    let mut missing = Vec::new();
    for (input, query, parts) in cases {
        let id = env.add_id("person", &input);
        let hits = search(&env, query, &[]);
        let title = hit_for(&hits, &id, query)["title"]
            .as_str()
            .unwrap()
            .to_owned();
        for part in parts {
            if !title.contains(part) {
                missing.push(format!("the title {title:?} of {input} lacks {part:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn search_follows_updates_and_deletes() {
    let env = Env::new();
    let id = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen"}),
    );
    env.update("person", &id, &json!({"given_name": "Dina"}));
    assert!(search(&env, "Dana", &[]).is_empty(), "the old name is gone");
    assert_eq!(
        hit_for(&search(&env, "Dina", &[]), &id, "Dina")["title"],
        "Dina Cohen"
    );
    assert!(env.list("person", &["--query", "Dana"]).is_empty());
    assert_eq!(
        ids(&env.list("person", &["--query", "Din"])),
        vec![id.clone()]
    );
    env.run(&["person", "delete", &id]).ok();
    assert!(
        search(&env, "Dina", &[]).is_empty(),
        "a deleted record is not found"
    );
    assert!(env.list("person", &["--query", "Dina"]).is_empty());
}

#[test]
fn search_returns_at_most_limit_hits() {
    let env = Env::new();
    for i in 0..23 {
        env.add(
            "person",
            &json!({"given_name": format!("Zephyr{i}"), "family_name": "Quillfeather"}),
        );
    }
    assert_eq!(
        search(&env, "Quillfeather", &[]).len(),
        20,
        "default limit 20"
    );
    assert_eq!(search(&env, "Quill", &["--limit", "5"]).len(), 5);
    assert_eq!(search(&env, "Quill", &["--limit", "1"]).len(), 1);
    assert_eq!(search(&env, "Quill", &["--limit", "50"]).len(), 23);
    assert_eq!(search(&env, "Zephyr1", &["--limit", "50"]).len(), 11);
}

#[test]
fn check_reports_a_missing_file_without_creating_it() {
    let env = Env::new();
    let out = env.run(&["check"]);
    assert_ne!(out.code, 0, "check of a missing file fails: {out:?}");
    assert!(!out.stderr.trim().is_empty(), "and says why");
    assert!(!env.db.exists(), "check does not create the database");
    // The same through $EXDESK_DB.
    let other = env.path("via-env.sqlite3");
    let out = env.run_with(&["check"], &[("EXDESK_DB", other.as_os_str())]);
    assert_ne!(out.code, 0);
    assert!(!other.exists(), "check does not create $EXDESK_DB");
    assert_eq!(
        std::fs::read_dir(env.dir())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("sqlite3"))
            .count(),
        0,
        "no database file (or journal) was created"
    );
}

#[test]
fn check_passes_a_healthy_database() {
    let env = Env::new();
    env.run(&["init"]).ok();
    env.run(&["check"]).ok();
    World::build(&env);
    env.run(&["check"]).ok();
}

#[test]
fn check_fails_on_broken_references_and_on_a_damaged_file() {
    let env = Env::new();
    World::build(&env);
    {
        let db = env.sqlite();
        db.execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE person SET home_institution_id = '01900000-0000-7000-8000-0000000000ff';",
        )
        .unwrap();
    }
    let out = env.run(&["check"]);
    assert_ne!(out.code, 0, "a dangling reference is not healthy: {out:?}");
    assert!(!out.stderr.trim().is_empty());

    let junk = Env::new();
    std::fs::write(
        &junk.db,
        b"this is not a database, just some text\n".repeat(200),
    )
    .unwrap();
    let before = std::fs::read(&junk.db).unwrap();
    let out = junk.run(&["check"]);
    assert_ne!(out.code, 0, "a damaged file is not healthy");
    assert_eq!(std::fs::read(&junk.db).unwrap(), before);
}

/// A world with every entity and every kind of child record.
fn full_world(env: &Env) -> World {
    let w = World::build(env);
    let placement = env.add_id(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_il, "visa_type": "J-1",
                "visa_expires": "2027-09-30",
                "checklist": [{"kind": "visa", "status": "verified", "due_date": "2026-07-01"},
                              {"kind": "housing"}]}),
    );
    env.add(
        "placement",
        &json!({"person_id": w.il_person, "cohort_id": w.cohort_us, "status": "accepted"}),
    );
    env.add(
        "fellowship",
        &json!({"person_id": w.people[0], "placement_id": placement, "title": "Travel grant",
                "award_minor": 300_000, "currency": "USD",
                "tranches": [{"due_date": "2026-09-01", "amount_minor": 100_000, "status": "paid",
                              "paid_on": "2026-09-03"},
                             {"due_date": "2027-02-01", "amount_minor": 200_000}],
                "reports": [{"title": "Final report", "due_date": "2027-07-31"}]}),
    );
    env.add(
        "agreement",
        &json!({"title": "MIT–Technion MOU", "institution_ids": [w.us, w.il],
                "valid_from": "2026-01-01", "valid_to": "2029-12-31",
                "quotas": [{"academic_year": "2026/27", "direction": "US->IL", "places": 4}]}),
    );
    env.update(
        "institution",
        &w.jp,
        &json!({"city": "Oldtown-Before-Update"}),
    );
    env.update("institution", &w.jp, &json!({"city": "Bunkyo"}));
    w
}

#[test]
fn export_all_is_deterministic_complete_and_shared_only() {
    let env = Env::new();
    full_world(&env);
    let first = env.export_bytes();
    let second = env.export_bytes();
    assert!(
        first == second,
        "two exports of the same data are byte-identical"
    );
    let text = String::from_utf8(first.clone()).expect("UTF-8");
    let export: Value = serde_json::from_slice(&first).expect("export all is JSON");
    let root = export.as_object().expect("an object");

    // Every entity, sorted by entity, each sorted by id, each record complete.
    let entity_keys: Vec<&str> = root
        .keys()
        .map(String::as_str)
        .filter(|k| ENTITIES.contains(k))
        .collect();
    let mut sorted = ENTITIES.to_vec();
    sorted.sort();
    assert_eq!(entity_keys, sorted, "every entity, in sorted order");
    let stats = env.stats();
    for e in ENTITIES {
        let records = root[e].as_array().expect("a list per entity");
        assert_eq!(records.len() as u64, count(&stats, "counts", e), "{e}");
        let record_ids = ids(records);
        let mut by_id = record_ids.clone();
        by_id.sort();
        assert_eq!(record_ids, by_id, "{e} sorted by id");
        for r in records {
            assert_eq!(
                r,
                &env.get(e, &id_of(r)),
                "{e} exported with all its fields"
            );
        }
    }
    let fellowship = &root["fellowship"][0];
    assert_eq!(fellowship["tranches"].as_array().map(Vec::len), Some(2));
    assert_eq!(fellowship["reports"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        root["agreement"][0]["quotas"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        root["placement"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["checklist"].as_array().map(Vec::len) == Some(2)),
        "checklist items inside their placement"
    );

    // Nothing local to this installation.
    for key in root.keys() {
        let k = key.to_lowercase();
        for local in [
            "device", "history", "sync", "conflict", "log", "setting", "trust",
        ] {
            assert!(
                !k.contains(local),
                "export all holds local data under {key:?}"
            );
        }
    }
    assert!(
        !text.contains("Oldtown-Before-Update"),
        "the change history (an old value) is not exported"
    );
    let device: String = env
        .sqlite()
        .query_row("SELECT id FROM device", [], |r| r.get(0))
        .expect("this installation's device id");
    assert!(!text.contains(&device), "the device id is not exported");
}

/// Replaces ids (by order of first appearance) and timestamps, so exports of two databases
/// built alike compare equal.
fn normalized(v: &Value, seen: &mut BTreeMap<String, usize>) -> Value {
    match v {
        Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
            let n = seen.len();
            Value::String(format!("<id {}>", *seen.entry(s.clone()).or_insert(n)))
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| normalized(i, seen)).collect()),
        Value::Object(obj) => Value::Object(
            obj.iter()
                .map(|(k, x)| {
                    let x = if k == "created_at" || k == "updated_at" {
                        assert_utc_timestamp(x, k);
                        json!("<time>")
                    } else {
                        normalized(x, seen)
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn export_all_of_two_databases_built_alike_has_the_same_structure() {
    let a = Env::new();
    let b = Env::new();
    full_world(&a);
    full_world(&b);
    let ea = a.export_json();
    let eb = b.export_json();
    assert_ne!(ea, eb, "ids and timestamps differ across databases");
    assert_eq!(
        normalized(&ea, &mut BTreeMap::new()),
        normalized(&eb, &mut BTreeMap::new()),
        "same commands, same order: same export up to ids and timestamps"
    );
}

#[test]
fn export_all_overwrites_the_output_file() {
    let env = Env::new();
    World::build(&env);
    let out = env.path("out.json");
    std::fs::write(&out, "old contents that are not JSON {{{").unwrap();
    let files_before: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    env.run(&["export", "all", "-o", out.to_str().unwrap()])
        .ok();
    let written: Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).expect("the new export");
    assert_eq!(written, env.export_json());
    let mut files_after: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    files_after.retain(|f| !f.to_string_lossy().starts_with("export-"));
    let mut files_before = files_before;
    files_before.sort();
    files_after.sort();
    assert_eq!(
        files_after, files_before,
        "no temporary file is left beside it"
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let env = Env::new();
    let w = World::build(&env);
    {
        let db = env.sqlite();
        db.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&env.db).unwrap();
    let out_file = env.path("never.json");
    let out_path = out_file.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["init"],
        vec!["stats", "--json"],
        vec!["check"],
        vec!["search", "Technion", "--json"],
        vec!["export", "all", "-o", out_path],
        vec!["institution", "list", "--json"],
        vec!["institution", "get", &w.us],
        vec![
            "institution",
            "add",
            "--json",
            r#"{"name":"New","country":"US"}"#,
        ],
        vec![
            "institution",
            "update",
            &w.us,
            "--json",
            r#"{"city":"Boston"}"#,
        ],
        vec!["institution", "delete", &w.jp],
        vec!["demo"],
    ];
    for args in commands {
        let out = env.run(&args);
        out.code(EXIT_REFUSED);
        assert!(!out.stderr.trim().is_empty(), "{} says why", out.cmd);
        assert!(
            std::fs::read(&env.db).unwrap() == before,
            "{} changed the newer database",
            out.cmd
        );
    }
    assert!(!out_file.exists(), "no export from a newer database");
    let version: i64 = env
        .sqlite()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 999);
}

#[test]
fn the_sqlite_file_has_a_table_per_entity_and_a_column_per_field() {
    let env = Env::new();
    let w = full_world(&env);
    let db = env.sqlite();
    let tables: Vec<(&str, &[&str])> = vec![
        (
            "institution",
            &[
                "name", "name_he", "country", "sector", "city", "website", "ror",
            ],
        ),
        (
            "person",
            &[
                "given_name",
                "family_name",
                "given_name_he",
                "family_name_he",
                "email",
                "orcid",
                "birth_date",
                "citizenships",
                "phone",
                "home_institution_id",
                "notes",
            ],
        ),
        (
            "program",
            &[
                "name",
                "kind",
                "tech_areas",
                "sensitive",
                "funder",
                "description",
            ],
        ),
        (
            "cohort",
            &[
                "program_id",
                "name",
                "start_date",
                "end_date",
                "capacity",
                "host_institution_id",
                "location",
            ],
        ),
        (
            "placement",
            &[
                "person_id",
                "cohort_id",
                "role",
                "home_institution_id",
                "host_institution_id",
                "start_date",
                "end_date",
                "direction",
                "status",
                "screening",
                "visa_type",
                "visa_expires",
            ],
        ),
        (
            "fellowship",
            &[
                "person_id",
                "placement_id",
                "title",
                "award_minor",
                "currency",
            ],
        ),
        ("agreement", &["title", "valid_from", "valid_to"]),
    ];
    for (table, fields) in tables {
        let mut stmt = db
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap();
        let columns: Vec<String> = stmt
            .query_map([table], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!columns.is_empty(), "there is a table named {table}");
        for f in fields.iter().chain(&["id", "created_at", "updated_at"]) {
            assert!(
                columns.iter().any(|c| c == f),
                "table {table} has a column {f}: {columns:?}"
            );
        }
    }
    // The values are stored as given, in those columns.
    let (given_he, family_he, home): (String, String, String) = db
        .query_row(
            "SELECT given_name_he, family_name_he, home_institution_id FROM person WHERE id = ?1",
            [&w.il_person],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((given_he.as_str(), family_he.as_str()), ("נועה", "לוי"));
    assert_eq!(home, w.il);
    let (status, direction): (String, String) = db
        .query_row(
            "SELECT status, direction FROM placement WHERE person_id = ?1",
            [&w.il_person],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (status.as_str(), direction.as_str()),
        ("accepted", "IL->US")
    );
    let award: i64 = db
        .query_row("SELECT award_minor FROM fellowship", [], |r| r.get(0))
        .unwrap();
    assert_eq!(award, 300_000);
}
