//! `exdesk ENTITY add|get|update|delete|list` for every entity, driven by one table of cases:
//! valid records, a partial update, list filters, and invalid input per field.

use serde_json::{Value, json};

use crate::harness::*;

/// One entity's test data. Builders get the world and an index (0, 1, 2) for distinct records.
struct Case {
    entity: &'static str,
    /// The fields of domain.md every record of the entity carries.
    fields: &'static [&'static str],
    add: fn(&World, usize) -> Value,
    /// A valid partial update of record 0.
    patch: fn(&World) -> Value,
    /// `list --query` text that matches record 0 and not record 1.
    query: &'static str,
    /// Invalid records to add: (input, the field stderr must name).
    bad_adds: fn(&World) -> Vec<(Value, &'static str)>,
    /// Invalid patches of record 0: (patch, the field stderr must name).
    bad_patches: fn(&World) -> Vec<(Value, &'static str)>,
}

const TAGS: [&str; 3] = ["Alpha", "Bravo", "Charlie"];

fn cases() -> Vec<Case> {
    vec![
        Case {
            entity: "institution",
            fields: &[
                "name", "name_he", "country", "sector", "city", "website", "ror",
            ],
            add: |_, n| {
                let mut v = json!({
                    "name": format!("{} Institute", TAGS[n]),
                    "name_he": (["מכון אלפא", "מכון בראבו", "מכון צ'רלי"][n]),
                    "country": (["US", "IL", "JP"][n]),
                    "sector": (["academia", "government", "industry"][n]),
                    "city": "Springfield",
                    "website": "https://alpha.example.edu",
                });
                if n == 0 {
                    v["ror"] = json!("03qryx823");
                }
                v
            },
            patch: |_| json!({"city": "Haifa", "sector": "nonprofit"}),
            query: "Alpha",
            bad_adds: |_| {
                vec![
                    (json!({"name": "X", "country": "USA"}), "country"),
                    (json!({"name": "X", "country": "ZZ"}), "country"),
                    (json!({"country": "US"}), "name"),
                    (json!({"name": "X"}), "country"),
                    (
                        json!({"name": "X", "country": "US", "ror": "03qryx824"}),
                        "ror",
                    ),
                    (
                        json!({"name": "X", "country": "US", "sector": "university"}),
                        "sector",
                    ),
                    (
                        json!({"name": "X", "country": "US", "website": "not a web address"}),
                        "website",
                    ),
                    (
                        json!({"name": "X", "country": "US", "name_he": "Latin only"}),
                        "name_he",
                    ),
                    (json!({"name": "X".repeat(201), "country": "US"}), "name"),
                    (
                        json!({"name": "X", "country": "US", "colour": "blue"}),
                        "colour",
                    ),
                ]
            },
            bad_patches: |_| {
                vec![
                    (json!({"country": "XX"}), "country"),
                    (json!({"name": null}), "name"),
                    (json!({"ror": "0abcdefgh"}), "ror"),
                ]
            },
        },
        Case {
            entity: "person",
            fields: &[
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
            add: |w, n| match n {
                0 => json!({
                    "given_name": "Dara", "family_name": "Delacroix",
                    "email": "dara.delacroix@example.edu", "orcid": "0000-0002-1825-0097",
                    "birth_date": "1990-04-01", "citizenships": ["US", "IL"],
                    "phone": "+1 (617) 555-0100", "home_institution_id": w.us,
                    "notes": "line one\nline two",
                }),
                1 => json!({
                    "given_name_he": "אלי", "family_name_he": "איסטווד",
                    "email": "eli@example.ac.il", "home_institution_id": w.il,
                }),
                _ => json!({
                    "given_name": "Fern", "family_name": "Fairbanks",
                    "given_name_he": "פרן", "family_name_he": "פיירבנקס",
                }),
            },
            patch: |_| json!({"phone": "+972 4 829 1111", "notes": "updated"}),
            query: "Delacroix",
            bad_adds: |w| {
                let p = |extra: Value| {
                    let mut v = json!({"given_name": "Gil", "family_name": "Goren"});
                    for (k, x) in extra.as_object().unwrap() {
                        v[k] = x.clone();
                    }
                    v
                };
                vec![
                    (p(json!({"orcid": "0000-0002-1825-0098"})), "orcid"),
                    (p(json!({"email": "gil@"})), "email"),
                    (p(json!({"birth_date": "31/12/1990"})), "birth_date"),
                    (p(json!({"citizenships": ["ZZ"]})), "citizenships"),
                    (p(json!({"phone": "call me"})), "phone"),
                    (
                        p(json!({"home_institution_id": MISSING_ID})),
                        "home_institution_id",
                    ),
                    (p(json!({"given_name": "גיל"})), "given_name"),
                    (p(json!({"notes": "bell \u{7} here"})), "notes"),
                    (json!({"given_name": "Gil"}), "family_name"),
                    (json!({"given_name_he": "גיל"}), "family_name_he"),
                    (
                        json!({"email": "gil@example.org", "home_institution_id": w.us}),
                        "given_name|family_name",
                    ),
                ]
            },
            bad_patches: |_| {
                vec![
                    (json!({"orcid": "0000-0002-1825-0098"}), "orcid"),
                    (json!({"family_name": null}), "family_name"),
                    (json!({"email": "not an address"}), "email"),
                ]
            },
        },
        Case {
            entity: "program",
            fields: &[
                "name",
                "kind",
                "tech_areas",
                "sensitive",
                "partner_institution_ids",
                "funder",
                "description",
            ],
            add: |w, n| {
                json!({
                    "name": format!("{} Exchange", TAGS[n]),
                    "kind": (["academic_exchange", "collaborative_project", "fellowship"][n]),
                    "tech_areas": ([["ai", "semiconductors"], ["energy", "space"], ["robotics", "other"]][n]),
                    "sensitive": n == 0,
                    "partner_institution_ids": [w.us, w.il],
                    "funder": "BIRD Foundation",
                    "description": "A long description.\nSecond line.",
                })
            },
            patch: |_| json!({"funder": "NSF", "tech_areas": ["space"]}),
            query: "Alpha",
            bad_adds: |w| {
                vec![
                    (
                        json!({"name": "P", "kind": "bootcamp", "tech_areas": ["ai"]}),
                        "kind",
                    ),
                    (
                        json!({"name": "P", "kind": "fellowship", "tech_areas": []}),
                        "tech_areas",
                    ),
                    (
                        json!({"name": "P", "kind": "fellowship", "tech_areas": ["quantum"]}),
                        "tech_areas",
                    ),
                    (json!({"name": "P", "kind": "fellowship"}), "tech_areas"),
                    (json!({"kind": "fellowship", "tech_areas": ["ai"]}), "name"),
                    (
                        json!({"name": "P", "kind": "fellowship", "tech_areas": ["ai"], "sensitive": "yes"}),
                        "sensitive",
                    ),
                    (
                        json!({"name": "P", "kind": "fellowship", "tech_areas": ["ai"],
                            "partner_institution_ids": [w.us, MISSING_ID]}),
                        "partner_institution_ids",
                    ),
                ]
            },
            bad_patches: |_| {
                vec![
                    (json!({"tech_areas": []}), "tech_areas"),
                    (json!({"kind": "hackathon"}), "kind"),
                ]
            },
        },
        Case {
            entity: "cohort",
            fields: &[
                "program_id",
                "name",
                "start_date",
                "end_date",
                "capacity",
                "host_institution_id",
                "location",
            ],
            add: |w, n| {
                json!({
                    "program_id": w.program,
                    "name": format!("{} Cohort 2026", TAGS[n]),
                    "start_date": "2026-09-01", "end_date": "2027-06-30",
                    "capacity": 10, "host_institution_id": w.il, "location": "Haifa",
                })
            },
            patch: |_| json!({"location": "Rehovot", "capacity": 12}),
            query: "Alpha",
            bad_adds: |w| {
                let c = |extra: Value| {
                    let mut v = json!({"program_id": w.program, "name": "Bad Cohort",
                                       "start_date": "2026-09-01", "end_date": "2027-06-30"});
                    for (k, x) in extra.as_object().unwrap() {
                        v[k] = x.clone();
                    }
                    v
                };
                vec![
                    (c(json!({"end_date": "2026-08-31"})), "end_date"),
                    (c(json!({"start_date": "2026-13-01"})), "start_date"),
                    (c(json!({"capacity": -1})), "capacity"),
                    (c(json!({"capacity": "ten"})), "capacity"),
                    (
                        c(json!({"host_institution_id": "not-an-id"})),
                        "host_institution_id",
                    ),
                    (c(json!({"program_id": MISSING_ID})), "program_id"),
                    (json!({"name": "Orphan"}), "program_id"),
                    (json!({"program_id": w.program}), "name"),
                ]
            },
            bad_patches: |_| {
                vec![
                    (json!({"end_date": "2020-01-01"}), "end_date"),
                    (json!({"capacity": 1.5}), "capacity"),
                ]
            },
        },
        Case {
            entity: "placement",
            fields: &[
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
                "checklist",
            ],
            add: |w, n| {
                json!({
                    "person_id": w.people[n], "cohort_id": w.cohort_il,
                    "role": (["participant", "mentor", "staff"][n]),
                    "visa_type": "J-1", "visa_expires": "2027-12-31",
                    "checklist": [
                        {"kind": "visa", "status": "submitted", "due_date": "2026-08-01"},
                        {"kind": "insurance", "status": "missing", "due_date": "2026-08-15"},
                    ],
                })
            },
            patch: |_| json!({"status": "applied", "visa_type": "F-1"}),
            query: FAMILY[0],
            bad_adds: |w| {
                let p = |extra: Value| {
                    let mut v = json!({"person_id": w.people[2], "cohort_id": w.cohort_us});
                    for (k, x) in extra.as_object().unwrap() {
                        v[k] = x.clone();
                    }
                    v
                };
                vec![
                    (p(json!({"role": "student"})), "role"),
                    (p(json!({"status": "pending"})), "status"),
                    (p(json!({"screening": "maybe"})), "screening"),
                    (p(json!({"direction": "US->IL"})), "direction"),
                    (p(json!({"visa_type": "H-1B"})), "visa_type"),
                    (p(json!({"visa_expires": "2027-02-30"})), "visa_expires"),
                    (p(json!({"checklist": [{"kind": "passport"}]})), "checklist"),
                    (
                        p(json!({"checklist": [{"kind": "visa", "status": "lost"}]})),
                        "checklist",
                    ),
                    (
                        p(json!({"start_date": "2027-07-01", "end_date": "2027-06-30"})),
                        "end_date",
                    ),
                    (p(json!({"person_id": MISSING_ID})), "person_id"),
                    (json!({"person_id": w.people[2]}), "cohort_id"),
                ]
            },
            bad_patches: |_| {
                vec![
                    (json!({"screening": "maybe"}), "screening"),
                    (json!({"direction": "IL->US"}), "direction"),
                    (json!({"role": "boss"}), "role"),
                ]
            },
        },
        Case {
            entity: "fellowship",
            fields: &[
                "person_id",
                "placement_id",
                "title",
                "award_minor",
                "currency",
                "tranches",
                "reports",
            ],
            add: |w, n| {
                json!({
                    "person_id": w.people[n],
                    "title": format!("{} Fellowship", TAGS[n]),
                    "award_minor": 5_000_000, "currency": (["USD", "ILS", "EUR"][n]),
                    "tranches": [
                        {"due_date": "2026-09-01", "amount_minor": 2_500_000, "status": "paid", "paid_on": "2026-09-02"},
                        {"due_date": "2027-01-15", "amount_minor": 2_500_000, "status": "scheduled"},
                    ],
                    "reports": [{"title": "Midterm report", "due_date": "2027-01-31"}],
                })
            },
            patch: |_| json!({"currency": "ILS", "award_minor": 6_000_000}),
            query: "Alpha",
            bad_adds: |w| {
                let f = |extra: Value| {
                    let mut v = json!({"person_id": w.people[1], "title": "Bad", "award_minor": 1000,
                                       "currency": "USD"});
                    for (k, x) in extra.as_object().unwrap() {
                        v[k] = x.clone();
                    }
                    v
                };
                vec![
                    (f(json!({"currency": "XYZ"})), "currency"),
                    (f(json!({"currency": "dollars"})), "currency"),
                    (f(json!({"award_minor": -5})), "award_minor"),
                    (f(json!({"award_minor": "lots"})), "award_minor"),
                    (
                        f(
                            json!({"tranches": [{"due_date": "2026-09-01", "amount_minor": 600},
                                           {"due_date": "2026-12-01", "amount_minor": 401}]}),
                        ),
                        "tranches",
                    ),
                    (
                        f(
                            json!({"tranches": [{"due_date": "2026-09-01", "amount_minor": 100, "status": "late"}]}),
                        ),
                        "tranches",
                    ),
                    (
                        f(json!({"tranches": [{"due_date": "2026-09-01", "amount_minor": -1}]})),
                        "tranches",
                    ),
                    (
                        f(json!({"reports": [{"due_date": "2027-01-01"}]})),
                        "reports",
                    ),
                    (f(json!({"person_id": MISSING_ID})), "person_id"),
                    (
                        json!({"person_id": w.people[1], "award_minor": 1000, "currency": "USD"}),
                        "title",
                    ),
                ]
            },
            bad_patches: |_| {
                vec![
                    (json!({"award_minor": 1000}), "tranches|award_minor"),
                    (json!({"currency": "XXQ"}), "currency"),
                ]
            },
        },
        Case {
            entity: "agreement",
            fields: &[
                "title",
                "institution_ids",
                "valid_from",
                "valid_to",
                "quotas",
            ],
            add: |w, n| {
                json!({
                    "title": format!("{} Exchange MOU", TAGS[n]),
                    "institution_ids": [w.us, w.il],
                    "valid_from": "2026-01-01", "valid_to": "2030-12-31",
                    "quotas": [{"academic_year": "2026/27", "direction": "US->IL", "places": 5}],
                })
            },
            patch: |_| json!({"valid_to": "2031-12-31"}),
            query: "Alpha",
            bad_adds: |w| {
                vec![
                    (
                        json!({"title": "A", "institution_ids": [w.us]}),
                        "institution_ids",
                    ),
                    (
                        json!({"title": "A", "institution_ids": []}),
                        "institution_ids",
                    ),
                    (json!({"title": "A"}), "institution_ids"),
                    (
                        json!({"title": "A", "institution_ids": [w.us, w.us]}),
                        "institution_ids",
                    ),
                    (
                        json!({"title": "A", "institution_ids": [w.us, MISSING_ID]}),
                        "institution_ids",
                    ),
                    (json!({"institution_ids": [w.us, w.il]}), "title"),
                    (
                        json!({"title": "A", "institution_ids": [w.us, w.il],
                            "valid_from": "2026-01-01", "valid_to": "2025-12-31"}),
                        "valid_to",
                    ),
                    (
                        json!({"title": "A", "institution_ids": [w.us, w.il],
                            "quotas": [{"academic_year": "2026/27", "direction": "US->IL", "places": -1}]}),
                        "quotas",
                    ),
                ]
            },
            bad_patches: |w| {
                vec![
                    (json!({"institution_ids": [w.us]}), "institution_ids"),
                    (json!({"valid_from": "2032-01-01"}), "valid_to|valid_from"),
                ]
            },
        },
    ]
}

fn case(entity: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.entity == entity)
        .expect("a case per entity")
}

/// add prints the record with id, created_at and updated_at and every given field; get
/// prints the same; the record carries every field of domain.md.
fn add_and_get(c: &Case) {
    let env = Env::new();
    let w = World::build(&env);
    for n in 0..3 {
        let input = (c.add)(&w, n);
        let rec = env.add(c.entity, &input);
        assert_uuid_v7(&rec["id"], &format!("{} id", c.entity));
        assert_utc_timestamp(&rec["created_at"], "created_at");
        assert_utc_timestamp(&rec["updated_at"], "updated_at");
        assert_subset(&input, &rec, c.entity);
        for f in c.fields {
            assert!(
                rec.get(*f).is_some(),
                "{} record lacks the field {f}: {rec}",
                c.entity
            );
        }
        let got = env.get(c.entity, &id_of(&rec));
        assert_eq!(got, rec, "{} get differs from what add printed", c.entity);
    }
}

/// update changes only the given fields and moves updated_at; get shows the change.
fn update_changes_only_given_fields(c: &Case) {
    let env = Env::new();
    let w = World::build(&env);
    let before = env.add(c.entity, &(c.add)(&w, 0));
    let id = id_of(&before);
    let patch = (c.patch)(&w);
    let after = env.update(c.entity, &id, &patch);
    assert_subset(&patch, &after, c.entity);
    let (Value::Object(b), Value::Object(a)) = (&before, &after) else {
        panic!("records are objects");
    };
    assert_eq!(
        b.keys().collect::<Vec<_>>(),
        a.keys().collect::<Vec<_>>(),
        "{}: the fields of the record changed",
        c.entity
    );
    for (k, old) in b {
        if k == "updated_at" || patch.get(k).is_some() {
            continue;
        }
        assert_eq!(
            &a[k], old,
            "{}: update {patch} changed {k}, which it did not name",
            c.entity
        );
    }
    assert_utc_timestamp(&after["updated_at"], "updated_at");
    assert_ne!(
        after["updated_at"], before["updated_at"],
        "updated_at moved"
    );
    assert!(
        after["updated_at"].as_str() > before["updated_at"].as_str(),
        "updated_at went forward: {} -> {}",
        before["updated_at"],
        after["updated_at"]
    );
    assert_eq!(after["created_at"], before["created_at"]);
    assert_eq!(env.get(c.entity, &id), after, "get shows the update");
}

/// list --json is an array of every record; --limit and --query narrow it.
/// How many tab-separated cells a line of `ENTITY list` (without `--json`) has: the id,
/// then the entity's summary columns.
fn text_columns(entity: &str) -> usize {
    match entity {
        "person" => 4,
        "institution" | "program" | "fellowship" => 3,
        "cohort" | "agreement" => 4,
        "placement" => 5,
        other => panic!("no text columns for {other}"),
    }
}

/// Every line of `ENTITY list` without `--json` has the same columns in the same places.
#[track_caller]
fn assert_text_columns(env: &Env, entity: &str) -> Vec<Vec<String>> {
    let out = env.run(&[entity, "list"]);
    out.ok();
    let rows: Vec<Vec<String>> = out
        .stdout
        .lines()
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect();
    assert!(!rows.is_empty(), "`{entity} list` printed nothing");
    for row in &rows {
        assert_eq!(
            row.len(),
            text_columns(entity),
            "`{entity} list`: a line with other columns than the rest:\n{}",
            out.stdout
        );
    }
    rows
}

fn list_limit_and_query(c: &Case) {
    let env = Env::new();
    let w = World::build(&env);
    let recs: Vec<Value> = (0..3).map(|n| env.add(c.entity, &(c.add)(&w, n))).collect();
    assert_text_columns(&env, c.entity);
    let total = env.stats()["counts"][c.entity]
        .as_u64()
        .expect("stats count") as usize;
    let all = env.list(c.entity, &[]);
    assert_eq!(
        all.len(),
        total,
        "{} list --json lists every record",
        c.entity
    );
    for r in &recs {
        assert!(
            all.contains(r),
            "{} list --json holds the full record {r}",
            c.entity
        );
    }
    for limit in [1usize, 2] {
        let some = env.list(c.entity, &["--limit", &limit.to_string()]);
        assert_eq!(some.len(), limit, "{} list --limit {limit}", c.entity);
    }
    let found = ids(&env.list(c.entity, &["--query", c.query]));
    assert!(
        found.contains(&id_of(&recs[0])),
        "{} list --query {:?} finds record 0: {found:?}",
        c.entity,
        c.query
    );
    assert!(
        !found.contains(&id_of(&recs[1])),
        "{} list --query {:?} leaves out record 1",
        c.entity,
        c.query
    );
    let limited = env.list(c.entity, &["--query", c.query, "--limit", "1"]);
    assert_eq!(limited.len(), 1);
    assert!(
        env.list(c.entity, &["--query", "Zyxwvut"]).is_empty(),
        "{} list --query with no match is an empty array",
        c.entity
    );
}

/// delete removes the record: get, update and delete of it are then not found (4).
fn delete_and_missing(c: &Case) {
    let env = Env::new();
    let w = World::build(&env);
    let id = env.add_id(c.entity, &(c.add)(&w, 0));
    let other = env.add_id(c.entity, &(c.add)(&w, 1));
    env.run(&[c.entity, "delete", &id]).ok();
    env.run(&[c.entity, "get", &id]).code(EXIT_NOT_FOUND);
    env.run(&[c.entity, "delete", &id]).code(EXIT_NOT_FOUND);
    env.unchanged(|| env.try_update(c.entity, &id, &(c.patch)(&w)))
        .code(EXIT_NOT_FOUND);
    assert!(!ids(&env.list(c.entity, &[])).contains(&id));
    env.get(c.entity, &other);
    env.run(&[c.entity, "get", MISSING_ID]).code(EXIT_NOT_FOUND);
    env.unchanged(|| env.run(&[c.entity, "delete", MISSING_ID]))
        .code(EXIT_NOT_FOUND);
    env.unchanged(|| env.try_update(c.entity, MISSING_ID, &(c.patch)(&w)))
        .code(EXIT_NOT_FOUND);
}

/// Every invalid field exits 3, names the field on stderr and writes nothing.
fn invalid_input(c: &Case) {
    let env = Env::new();
    let w = World::build(&env);
    let id = env.add_id(c.entity, &(c.add)(&w, 0));
    for (input, field) in (c.bad_adds)(&w) {
        env.refuses_add(c.entity, &input, EXIT_INVALID, field);
    }
    for (patch, field) in (c.bad_patches)(&w) {
        env.refuses_update(c.entity, &id, &patch, EXIT_INVALID, field);
    }
    // Not JSON, and JSON that is not an object.
    for text in ["{bad", "", "[]", "42", "\"text\""] {
        env.refuses(&[c.entity, "add", "--json", text], EXIT_INVALID, "");
        env.refuses(&[c.entity, "update", &id, "--json", text], EXIT_INVALID, "");
    }
}

macro_rules! entity_tests {
    ($($module:ident => $entity:literal),* $(,)?) => {$(
        mod $module {
            #[test]
            fn add_and_get() {
                super::add_and_get(&super::case($entity));
            }
            #[test]
            fn update_changes_only_given_fields() {
                super::update_changes_only_given_fields(&super::case($entity));
            }
            #[test]
            fn list_limit_and_query() {
                super::list_limit_and_query(&super::case($entity));
            }
            #[test]
            fn delete_and_missing() {
                super::delete_and_missing(&super::case($entity));
            }
            #[test]
            fn invalid_input() {
                super::invalid_input(&super::case($entity));
            }
        }
    )*};
}

entity_tests! {
    institution => "institution",
    person => "person",
    program => "program",
    cohort => "cohort",
    placement => "placement",
    fellowship => "fellowship",
    agreement => "agreement",
}

/// Errors go to stderr as one line per problem, naming each field.
#[test]
fn every_problem_gets_its_own_line() {
    let env = Env::new();
    let out = env.refuses_add(
        "person",
        &json!({"given_name": "Gil", "family_name": "Goren", "orcid": "0000-0002-1825-0098",
                "email": "nope", "birth_date": "yesterday"}),
        EXIT_INVALID,
        "orcid",
    );
    for field in ["orcid", "email", "birth_date"] {
        let lines: Vec<&str> = out.stderr.lines().filter(|l| l.contains(field)).collect();
        assert_eq!(
            lines.len(),
            1,
            "one stderr line names {field}:\n{}",
            out.stderr
        );
    }
    assert!(out.stdout.trim().is_empty(), "nothing printed on stdout");
}

/// A person's email and ORCID are stored as given when valid; the record's fields keep
/// the names of domain.md in both scripts.
#[test]
fn person_in_hebrew_only_and_latin_only() {
    let env = Env::new();
    let he = env.add(
        "person",
        &json!({"given_name_he": "דנה", "family_name_he": "כהן"}),
    );
    assert_eq!(he["given_name_he"], "דנה");
    assert_eq!(he["family_name_he"], "כהן");
    assert!(he["given_name"].is_null() && he["family_name"].is_null());
    let la = env.add(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen"}),
    );
    assert!(la["given_name_he"].is_null());
    // Apostrophes, hyphens and spaces, and what looks like a formula, are just text.
    let odd = env.add(
        "person",
        &json!({"given_name": "Seán", "family_name": "O'Brien-Levi de la Cruz"}),
    );
    assert_eq!(odd["family_name"], "O'Brien-Levi de la Cruz");
    let formula = env.add("institution", &json!({"name": "=SUM(A1)", "country": "US"}));
    assert_eq!(formula["name"], "=SUM(A1)");
}

/// A write while another program holds the database's write lock (past the busy timeout)
/// is the contract's "locked": refused with exit 5 and a readable line, nothing written.
#[test]
fn a_write_to_a_database_another_program_is_writing_is_refused() {
    let env = Env::new();
    env.run(&["init"]).ok();
    let other = rusqlite::Connection::open(&env.db).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    env.run(&[
        "person",
        "add",
        "--json",
        r#"{"given_name":"Noa","family_name":"Levi"}"#,
    ])
    .code(EXIT_REFUSED)
    .stderr_mentions("busy");
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    let people = env.run(&["person", "list", "--json"]).ok().json();
    assert_eq!(people.as_array().map(Vec::len), Some(0), "{people}");
}

/// `%` and `_` in a list filter are characters, not wildcards: a filter of punctuation
/// alone matches no record, and an agreement's title matches them literally.
#[test]
fn a_list_filter_of_wildcard_characters_matches_them_literally() {
    let env = Env::new();
    env.run(&["demo"]).ok();
    for entity in ["person", "institution", "agreement", "fellowship"] {
        for query in ["%", "_", "%%"] {
            let hits = env
                .run(&[entity, "list", "--query", query, "--json"])
                .ok()
                .json();
            assert_eq!(
                hits.as_array().map(Vec::len),
                Some(0),
                "{entity} {query}: {hits}"
            );
        }
    }
    let agreements = env.run(&["agreement", "list", "--json"]).ok().json();
    let title = agreements[0]["title"].as_str().unwrap().to_owned();
    let word = title.split_whitespace().next().unwrap();
    let hits = env
        .run(&["agreement", "list", "--query", word, "--json"])
        .ok()
        .json();
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|a| a["title"] == title.as_str()),
        "{word}: {hits}"
    );
}

/// `person list` without `--json`: a person without a Hebrew name has an empty cell
/// there, so their e-mail stays in the e-mail column (it used to slide left into the
/// Hebrew name's place), and one without a Latin name the same.
#[test]
fn list_text_leaves_an_empty_cell_for_an_absent_value() {
    let env = Env::new();
    env.add(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana@example.org"}),
    );
    env.add(
        "person",
        &json!({"given_name_he": "נועה", "family_name_he": "לוי", "email": "noa@example.org"}),
    );
    env.add(
        "person",
        &json!({"given_name": "Gil", "given_name_he": "גיל", "family_name_he": "גורן"}),
    );
    let rows = assert_text_columns(&env, "person");
    let row = |email: &str| {
        rows.iter()
            .find(|r| r[3] == email)
            .unwrap_or_else(|| panic!("no line with {email} in the e-mail column: {rows:?}"))
            .clone()
    };
    assert_eq!(
        row("dana@example.org")[1..],
        ["Dana Cohen", "", "dana@example.org"]
    );
    assert_eq!(
        row("noa@example.org")[1..],
        ["", "נועה לוי", "noa@example.org"]
    );
    assert_eq!(row("")[1..], ["Gil", "גיל גורן", ""]);
}
