//! Sync between devices: a property test of convergence with random edits and random,
//! repeated and dropped package deliveries, plus the refusal cases.

use std::path::{Path, PathBuf};

use exdesk_core::{Db, Entity, ErrorCode, ListQuery, WriteOptions};
use proptest::prelude::*;
use serde_json::{Value, json};

struct Device {
    db: Db,
    path: PathBuf,
}

fn ids(db: &Db, entity: Entity) -> Vec<String> {
    db.list(entity, &ListQuery::default())
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn export(dev: &mut Device, dir: &Path, n: &mut usize, for_device: Option<&str>) -> PathBuf {
    *n += 1;
    let file = dir.join(format!("p{n}.exdesk-sync"));
    dev.db.sync_export(&file, for_device, None).unwrap();
    file
}

/// Office + partners sharing a base of institutions, a program and cohorts, all trusted.
fn fleet(dir: &Path, count: usize) -> Vec<Device> {
    let mut devices: Vec<Device> = (0..count)
        .map(|i| {
            let path = dir.join(format!("d{i}.sqlite3"));
            let mut db = Db::open(&path).unwrap();
            db.set_device_name(&format!("Laptop {i}")).unwrap();
            Device { db, path }
        })
        .collect();
    let office = &mut devices[0].db;
    let mit = office
        .add(
            Entity::Institution,
            &json!({"name": "MIT", "country": "US"}),
            WriteOptions::default(),
        )
        .unwrap();
    let tech = office
        .add(
            Entity::Institution,
            &json!({"name": "Technion", "country": "IL"}),
            WriteOptions::default(),
        )
        .unwrap();
    let program = office
        .add(
            Entity::Program,
            &json!({"name": "Exchange", "kind": "academic_exchange", "tech_areas": ["ai"]}),
            WriteOptions::default(),
        )
        .unwrap();
    for (name, host) in [("Fall", &mit), ("Spring", &tech)] {
        office
            .add(
                Entity::Cohort,
                &json!({"program_id": program["id"], "name": name, "host_institution_id": host["id"]}),
                WriteOptions::default(),
            )
            .unwrap();
    }
    let base = dir.join("base.exdesk-sync");
    devices[0].db.sync_export(&base, None, None).unwrap();
    for d in devices.iter_mut().skip(1) {
        d.db.sync_import(&base, true).unwrap();
    }
    // Everyone trusts everyone.
    let mut n = 0;
    for i in 1..count {
        let file = export(&mut devices[i], dir, &mut n, None);
        for (j, d) in devices.iter_mut().enumerate() {
            if j != i {
                d.db.sync_import(&file, true).unwrap();
            }
        }
    }
    devices
}

#[derive(Debug, Clone)]
enum Op {
    AddPerson {
        dev: usize,
        name: usize,
        email: bool,
    },
    Edit {
        dev: usize,
        pick: usize,
        field: usize,
        value: usize,
    },
    Place {
        dev: usize,
        person: usize,
        cohort: usize,
    },
    Move {
        dev: usize,
        pick: usize,
        status: usize,
    },
    DeletePlacement {
        dev: usize,
        pick: usize,
    },
    DeletePerson {
        dev: usize,
        pick: usize,
    },
    Send {
        from: usize,
        to: usize,
        incremental: bool,
    },
    Replay {
        to: usize,
        package: usize,
    },
}

const GIVEN: &[(&str, &str)] = &[
    ("Dana", "דנה"),
    ("Noa", "נועה"),
    ("Avi", "אבי"),
    ("Yael", "יעל"),
];
const FAMILY: &[(&str, &str)] = &[("Cohen", "כהן"), ("Levi", "לוי"), ("Katz", "כץ")];
const STATUSES: &[&str] = &["applied", "accepted", "confirmed", "active", "withdrawn"];

fn op(devices: usize) -> impl Strategy<Value = Op> {
    let d = 0..devices;
    prop_oneof![
        3 => (d.clone(), 0..12usize, any::<bool>()).prop_map(|(dev, name, email)| Op::AddPerson { dev, name, email }),
        3 => (d.clone(), 0..20usize, 0..3usize, 0..4usize).prop_map(|(dev, pick, field, value)| Op::Edit { dev, pick, field, value }),
        2 => (d.clone(), 0..20usize, 0..2usize).prop_map(|(dev, person, cohort)| Op::Place { dev, person, cohort }),
        2 => (d.clone(), 0..20usize, 0..5usize).prop_map(|(dev, pick, status)| Op::Move { dev, pick, status }),
        1 => (d.clone(), 0..20usize).prop_map(|(dev, pick)| Op::DeletePlacement { dev, pick }),
        1 => (d.clone(), 0..20usize).prop_map(|(dev, pick)| Op::DeletePerson { dev, pick }),
        3 => (d.clone(), d.clone(), any::<bool>()).prop_map(|(from, to, incremental)| Op::Send { from, to, incremental }),
        1 => (d, 0..40usize).prop_map(|(to, package)| Op::Replay { to, package }),
    ]
}

fn run(devices: &mut [Device], dir: &Path, ops: &[Op]) {
    // Each package with whether it was made for one peer (holding only what that peer lacked).
    let mut packages: Vec<(PathBuf, bool)> = Vec::new();
    let mut n = 100;
    let ok = WriteOptions::default();
    for op in ops {
        match *op {
            Op::AddPerson { dev, name, email } => {
                let (g, gh) = GIVEN[name % GIVEN.len()];
                let (f, fh) = FAMILY[name / GIVEN.len() % FAMILY.len()];
                let mut p = json!({"given_name": g, "family_name": f, "given_name_he": gh, "family_name_he": fh});
                if email {
                    p["email"] = json!(format!(
                        "{}.{}@example.org",
                        g.to_lowercase(),
                        f.to_lowercase()
                    ));
                }
                let _ = devices[dev].db.add(Entity::Person, &p, ok);
            }
            Op::Edit {
                dev,
                pick,
                field,
                value,
            } => {
                let people = ids(&devices[dev].db, Entity::Person);
                if people.is_empty() {
                    continue;
                }
                let id = &people[pick % people.len()];
                let patch = match field {
                    0 => json!({"notes": format!("note {value} from {dev}")}),
                    1 => json!({"phone": format!("+972 4 555 {dev}{value}00")}),
                    _ => json!({"given_name": GIVEN[value % GIVEN.len()].0}),
                };
                let _ = devices[dev].db.update(Entity::Person, id, &patch, ok);
            }
            Op::Place {
                dev,
                person,
                cohort,
            } => {
                let people = ids(&devices[dev].db, Entity::Person);
                let cohorts = ids(&devices[dev].db, Entity::Cohort);
                if people.is_empty() {
                    continue;
                }
                let p = json!({"person_id": people[person % people.len()], "cohort_id": cohorts[cohort % cohorts.len()]});
                let _ = devices[dev].db.add(Entity::Placement, &p, ok);
            }
            Op::Move { dev, pick, status } => {
                let placements = ids(&devices[dev].db, Entity::Placement);
                if placements.is_empty() {
                    continue;
                }
                let id = &placements[pick % placements.len()];
                let _ = devices[dev].db.update(
                    Entity::Placement,
                    id,
                    &json!({"status": STATUSES[status]}),
                    ok,
                );
            }
            Op::DeletePlacement { dev, pick } => {
                let placements = ids(&devices[dev].db, Entity::Placement);
                if !placements.is_empty() {
                    let _ = devices[dev]
                        .db
                        .delete(Entity::Placement, &placements[pick % placements.len()]);
                }
            }
            Op::DeletePerson { dev, pick } => {
                let people = ids(&devices[dev].db, Entity::Person);
                if !people.is_empty() {
                    let _ = devices[dev]
                        .db
                        .delete(Entity::Person, &people[pick % people.len()]);
                }
            }
            Op::Send {
                from,
                to,
                incremental,
            } => {
                if from == to {
                    continue;
                }
                let target = devices[to].db.device_id().to_owned();
                let file = export(
                    &mut devices[from],
                    dir,
                    &mut n,
                    incremental.then_some(target.as_str()),
                );
                devices[to].db.sync_import(&file, false).unwrap();
                packages.push((file, incremental));
            }
            Op::Replay { to, package } => {
                if packages.is_empty() {
                    continue;
                }
                let (file, for_one_peer) = &packages[package % packages.len()];
                match devices[to].db.sync_import(file, false) {
                    Ok(_) => {}
                    Err(e) if e.to_string().contains("written by this installation") => {}
                    // A package made for another peer may lack fields of a record this
                    // device has never seen: refused whole, it changes nothing.
                    Err(e) if *for_one_peer && e.to_string().contains("incomplete") => {}
                    Err(e) => panic!("replaying {}: {e}", file.display()),
                }
            }
        }
    }
    // A final full exchange, twice so that what the first round derived travels too.
    for _ in 0..2 {
        let files: Vec<PathBuf> = (0..devices.len())
            .map(|i| export(&mut devices[i], dir, &mut n, None))
            .collect();
        for (i, d) in devices.iter_mut().enumerate() {
            for (j, file) in files.iter().enumerate() {
                if i != j {
                    d.db.sync_import(file, false).unwrap();
                }
            }
        }
    }
}

/// Every device's last write of a field that is not the final value, and that no write
/// replaced knowingly, lost a race: it must be in some device's conflict list.
fn check_losers_listed(devices: &[Device]) {
    let mut listed: Vec<String> = Vec::new();
    let mut knowingly: Vec<String> = Vec::new();
    for d in devices {
        let conn = rusqlite::Connection::open(&d.path).unwrap();
        let mut stmt = conn
            .prepare("SELECT lost_hlc, lost_supersedes FROM conflict")
            .unwrap();
        for row in stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
        {
            let (hlc, sup) = row.unwrap();
            listed.push(hlc);
            knowingly.extend(serde_json::from_str::<Vec<String>>(&sup).unwrap());
        }
    }
    let conn = rusqlite::Connection::open(&devices[0].path).unwrap();
    let mut clock = conn
        .prepare(
            "SELECT record_id, field, hlc, supersedes FROM field_clock WHERE field <> '*'
             UNION ALL -- a record created there: one row for the fields it was created with
             SELECT c.record_id, j.value, c.hlc, c.supersedes FROM field_clock c, json_each(c.fields) j
             WHERE c.field = '*' AND NOT EXISTS (SELECT 1 FROM field_clock o
                 WHERE o.entity = c.entity AND o.record_id = c.record_id AND o.field = j.value)",
        )
        .unwrap();
    let finals: Vec<(String, String, String)> = clock
        .query_map([], |r| {
            let sup: Vec<String> = serde_json::from_str(&r.get::<_, String>(3)?).unwrap();
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, sup))
        })
        .unwrap()
        .map(Result::unwrap)
        .map(|(r, f, h, sup)| {
            knowingly.extend(sup);
            (r, f, h)
        })
        .collect();
    for d in devices {
        let conn = rusqlite::Connection::open(&d.path).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT record_id, field, max(hlc) FROM (
                     SELECT record_id, field, hlc FROM history WHERE device_id = ?1
                       AND field IS NOT NULL AND op IN ('create', 'update', 'reopen')
                     UNION ALL -- a record created here: one row of all its fields
                     SELECT h.record_id, j.key, h.hlc FROM history h, json_each(h.new_value) j
                     WHERE h.device_id = ?1 AND h.field IS NULL AND h.op = 'create'
                 ) GROUP BY record_id, field",
            )
            .unwrap();
        let writes: Vec<(String, String, String)> = stmt
            .query_map([d.db.device_id()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (record, field, hlc) in writes {
            let Some((_, _, final_hlc)) =
                finals.iter().find(|(r, f, _)| *r == record && *f == field)
            else {
                continue; // the record was deleted
            };
            if *final_hlc != hlc && !knowingly.contains(&hlc) {
                assert!(
                    listed.contains(&hlc),
                    "{record}.{field} written at {hlc} lost without being listed"
                );
            }
        }
    }
}

proptest! {
    // SYNC_CASES=200 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("SYNC_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        max_shrink_iters: 64,
        .. ProptestConfig::default()
    })]

    #[test]
    fn devices_converge_whatever_the_order(count in 3usize..=5, ops in prop::collection::vec(op(5), 10..45)) {
        let dir = tempfile::tempdir().unwrap();
        let mut devices = fleet(dir.path(), count);
        let ops: Vec<Op> = ops.into_iter().map(|o| clamp(o, count)).collect();
        run(&mut devices, dir.path(), &ops);
        let reference = devices[0].db.export_all().unwrap();
        for d in &devices[1..] {
            prop_assert_eq!(&d.db.export_all().unwrap(), &reference);
        }
        for d in &devices {
            let report = d.db.check().unwrap();
            prop_assert!(report.ok, "{:?}", report.problems);
        }
        check_losers_listed(&devices);
    }
}

fn clamp(op: Op, n: usize) -> Op {
    match op {
        Op::AddPerson { dev, name, email } => Op::AddPerson {
            dev: dev % n,
            name,
            email,
        },
        Op::Edit {
            dev,
            pick,
            field,
            value,
        } => Op::Edit {
            dev: dev % n,
            pick,
            field,
            value,
        },
        Op::Place {
            dev,
            person,
            cohort,
        } => Op::Place {
            dev: dev % n,
            person,
            cohort,
        },
        Op::Move { dev, pick, status } => Op::Move {
            dev: dev % n,
            pick,
            status,
        },
        Op::DeletePlacement { dev, pick } => Op::DeletePlacement { dev: dev % n, pick },
        Op::DeletePerson { dev, pick } => Op::DeletePerson { dev: dev % n, pick },
        Op::Send {
            from,
            to,
            incremental,
        } => Op::Send {
            from: from % n,
            to: to % n,
            incremental,
        },
        Op::Replay { to, package } => Op::Replay {
            to: to % n,
            package,
        },
    }
}

#[test]
fn a_race_on_one_field_keeps_the_later_value_and_lists_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = fleet(dir.path(), 2);
    let p = d[0]
        .db
        .add(
            Entity::Person,
            &json!({"given_name": "Dana", "family_name": "Cohen"}),
            WriteOptions::default(),
        )
        .unwrap();
    let id = p["id"].as_str().unwrap().to_owned();
    let f = dir.path().join("a.exdesk-sync");
    d[0].db.sync_export(&f, None, None).unwrap();
    d[1].db.sync_import(&f, false).unwrap();
    // Both edit notes (a race) and different fields (both survive).
    d[0].db
        .update(
            Entity::Person,
            &id,
            &json!({"notes": "from the office", "phone": "+1 617 555 0100"}),
            WriteOptions::default(),
        )
        .unwrap();
    d[1].db
        .update(
            Entity::Person,
            &id,
            &json!({"notes": "from the campus", "given_name_he": "דנה", "family_name_he": "כהן"}),
            WriteOptions::default(),
        )
        .unwrap();
    let (a, b) = (
        dir.path().join("b.exdesk-sync"),
        dir.path().join("c.exdesk-sync"),
    );
    d[0].db.sync_export(&a, None, None).unwrap();
    d[1].db.sync_export(&b, None, None).unwrap();
    d[1].db.sync_import(&a, false).unwrap();
    d[0].db.sync_import(&b, false).unwrap();
    let r0 = d[0].db.get(Entity::Person, &id).unwrap();
    assert_eq!(r0, d[1].db.get(Entity::Person, &id).unwrap());
    assert_eq!(r0["notes"], "from the campus", "the later edit wins");
    assert_eq!(r0["phone"], "+1 617 555 0100");
    assert_eq!(r0["given_name_he"], "דנה");
    for dev in &d {
        let c = dev.db.conflicts(false).unwrap();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            (c[0].kind.as_str(), c[0].field.as_str()),
            ("field", "notes")
        );
        assert_eq!(c[0].lost_value, json!("from the office"));
    }
    // Restoring is a change that syncs.
    let conflict = d[1].db.conflicts(false).unwrap()[0].id.clone();
    d[1].db.resolve_conflict(&conflict, true).unwrap();
    d[1].db.sync_export(&b, None, None).unwrap();
    d[0].db.sync_import(&b, false).unwrap();
    assert_eq!(
        d[0].db.get(Entity::Person, &id).unwrap()["notes"],
        "from the office"
    );
    assert_eq!(d[0].db.export_all().unwrap(), d[1].db.export_all().unwrap());
}

#[test]
fn a_delete_wins_over_a_concurrent_edit_and_removes_dependents() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = fleet(dir.path(), 2);
    let p = d[0]
        .db
        .add(
            Entity::Person,
            &json!({"given_name": "Dana", "family_name": "Cohen"}),
            WriteOptions::default(),
        )
        .unwrap();
    let id = p["id"].as_str().unwrap().to_owned();
    let f = dir.path().join("a.exdesk-sync");
    d[0].db.sync_export(&f, None, None).unwrap();
    d[1].db.sync_import(&f, false).unwrap();
    d[0].db.delete(Entity::Person, &id).unwrap();
    d[1].db
        .update(
            Entity::Person,
            &id,
            &json!({"notes": "still coming"}),
            WriteOptions::default(),
        )
        .unwrap();
    let cohort = ids(&d[1].db, Entity::Cohort)[0].clone();
    d[1].db
        .add(
            Entity::Placement,
            &json!({"person_id": id, "cohort_id": cohort}),
            WriteOptions::default(),
        )
        .unwrap();
    exchange(&mut d, dir.path());
    for dev in &d {
        assert_eq!(
            dev.db.get(Entity::Person, &id).unwrap_err().code(),
            ErrorCode::NotFound
        );
        assert!(ids(&dev.db, Entity::Placement).is_empty());
        assert!(dev.db.check().unwrap().ok);
        let kinds: Vec<String> = dev
            .db
            .conflicts(false)
            .unwrap()
            .into_iter()
            .map(|c| c.kind)
            .collect();
        assert!(
            kinds.contains(&"edit_deleted".to_owned()) || kinds.contains(&"removed".to_owned()),
            "{kinds:?}"
        );
    }
    assert_eq!(d[0].db.export_all().unwrap(), d[1].db.export_all().unwrap());
}

#[test]
fn bad_packages_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = fleet(dir.path(), 2);
    d[0].db
        .add(
            Entity::Person,
            &json!({"given_name": "Dana", "family_name": "Cohen"}),
            WriteOptions::default(),
        )
        .unwrap();
    let good = dir.path().join("good.exdesk-sync");
    d[0].db.sync_export(&good, None, None).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let before = d[1].db.export_all().unwrap();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("empty", vec![]),
        ("foreign", br#"{"hello": "world"}"#.to_vec()),
    ];
    let mut env: Value = serde_json::from_slice(&bytes).unwrap();
    let mut tampered = env.clone();
    let payload = tampered["payload"].as_str().unwrap().to_owned();
    // One character in the middle of the payload changed.
    let mut chars: Vec<char> = payload.chars().collect();
    let mid = chars.len() / 2;
    chars[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
    let flipped: String = chars.into_iter().collect();
    tampered["payload"] = json!(flipped);
    cases.push(("tampered", serde_json::to_vec(&tampered).unwrap()));
    let mut unsigned = env.clone();
    unsigned["signature"] = json!("");
    cases.push(("unsigned", serde_json::to_vec(&unsigned).unwrap()));
    let mut renamed = env.clone();
    renamed["device_name"] = json!("Someone else");
    cases.push(("altered header", serde_json::to_vec(&renamed).unwrap()));
    env["version"] = json!(99);
    cases.push(("newer format", serde_json::to_vec(&env).unwrap()));
    for (what, bytes) in cases {
        let file = dir.path().join(format!("{what}.exdesk-sync"));
        std::fs::write(&file, bytes).unwrap();
        let err = d[1].db.sync_import(&file, true).expect_err(what);
        assert_eq!(err.code(), ErrorCode::Refused, "{what}: {err}");
        assert_eq!(
            d[1].db.export_all().unwrap(),
            before,
            "{what} changed the data"
        );
    }
    // From a device never trusted.
    let stranger_path = dir.path().join("stranger.sqlite3");
    let mut stranger = Db::open(&stranger_path).unwrap();
    stranger
        .add(
            Entity::Institution,
            &json!({"name": "Elsewhere", "country": "DE"}),
            WriteOptions::default(),
        )
        .unwrap();
    let file = dir.path().join("stranger.exdesk-sync");
    stranger.sync_export(&file, None, None).unwrap();
    let err = d[1].db.sync_import(&file, false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    assert!(err.to_string().contains("fingerprint"), "{err}");
    assert_eq!(d[1].db.export_all().unwrap(), before);
    // A good package twice: the second time changes nothing.
    d[1].db.sync_import(&good, false).unwrap();
    let once = d[1].db.export_all().unwrap();
    let again = d[1].db.sync_import(&good, false).unwrap();
    assert_eq!(again.changes, 0);
    assert_eq!(d[1].db.export_all().unwrap(), once);
}

#[test]
fn the_same_person_entered_twice_is_flagged_and_can_be_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = fleet(dir.path(), 2);
    let cohort = ids(&d[0].db, Entity::Cohort)[0].clone();
    let a = d[0]
        .db
        .add(
            Entity::Person,
            &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana@example.org"}),
            WriteOptions::default(),
        )
        .unwrap();
    let b = d[1]
        .db
        .add(
            Entity::Person,
            &json!({"given_name_he": "דנה", "family_name_he": "כהן", "email": "DANA@example.org"}),
            WriteOptions::default(),
        )
        .unwrap();
    d[1].db
        .add(
            Entity::Placement,
            &json!({"person_id": b["id"], "cohort_id": cohort}),
            WriteOptions::default(),
        )
        .unwrap();
    exchange(&mut d, dir.path());
    let dup = d[0].db.conflicts(false).unwrap();
    assert_eq!(dup.len(), 1, "{dup:?}");
    assert_eq!(dup[0].kind, "duplicate_person");
    // Until they are merged, each is still edited as usual (the clash came with the
    // sync, not with the edit); giving one the other's e-mail anew is still refused.
    let b_id = b["id"].as_str().unwrap();
    d[0].db
        .update(
            Entity::Person,
            b_id,
            &json!({"notes": "met in Haifa"}),
            WriteOptions::default(),
        )
        .unwrap();
    d[0].db
        .update(
            Entity::Person,
            b_id,
            &json!({"email": "dana@EXAMPLE.org"}),
            WriteOptions::default(),
        )
        .unwrap();
    let c = d[0]
        .db
        .add(
            Entity::Person,
            &json!({"given_name": "Noa", "family_name": "Katz", "email": "noa@example.org"}),
            WriteOptions::default(),
        )
        .unwrap();
    let err = d[0]
        .db
        .update(
            Entity::Person,
            c["id"].as_str().unwrap(),
            &json!({"email": "Dana@example.org"}),
            WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.problems()[0].code, "person.email_taken", "{err}");
    d[0].db
        .delete(Entity::Person, c["id"].as_str().unwrap())
        .unwrap();
    let merged = d[0]
        .db
        .merge_people(a["id"].as_str().unwrap(), b["id"].as_str().unwrap())
        .unwrap();
    assert_eq!(merged["given_name_he"], "דנה");
    assert_eq!(ids(&d[0].db, Entity::Person).len(), 1);
    assert_eq!(
        d[0].db
            .list(Entity::Placement, &ListQuery::default())
            .unwrap()[0]["person_id"],
        a["id"]
    );
    let merged = dir.path().join("merged.exdesk-sync");
    d[0].db.sync_export(&merged, None, None).unwrap();
    d[1].db.sync_import(&merged, false).unwrap();
    assert_eq!(d[0].db.export_all().unwrap(), d[1].db.export_all().unwrap());
}

/// The conflict list is read a page at a time: the pages hold the whole list in its
/// order, open entries first, and say how many are listed and how many are open.
#[test]
fn the_conflict_list_is_read_a_page_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = fleet(dir.path(), 2);
    // The same 23 people entered on both laptops: 23 probable duplicates.
    for dev in d.iter_mut() {
        for i in 0..23 {
            dev.db
                .add(
                    Entity::Person,
                    &json!({"given_name": format!("Given{i}"), "family_name": "Twice"}),
                    WriteOptions::default(),
                )
                .unwrap();
        }
    }
    let from = dir.path().join("from-1.exdesk-sync");
    d[1].db.sync_export(&from, None, None).unwrap();
    d[0].db.sync_import(&from, false).unwrap();
    let db = &mut d[0].db;
    let all = db.conflicts(false).unwrap();
    assert_eq!(all.len(), 23);
    let ids = |rows: &[exdesk_core::sync::ConflictEntry]| -> Vec<String> {
        rows.iter().map(|c| c.id.clone()).collect()
    };
    let mut paged = Vec::new();
    for offset in (0..30).step_by(10) {
        let page = db.conflict_page(false, offset, 10).unwrap();
        assert_eq!((page.total, page.open), (23, 23));
        assert_eq!(page.rows.len(), 10.min(23 - offset.min(23) as usize));
        paged.extend(ids(&page.rows));
    }
    assert_eq!(paged, ids(&all));
    assert!(db.conflict_page(false, 0, 0).unwrap().rows.is_empty());

    // Three dismissed: they leave the open list and come last among all entries.
    for c in &all[..3] {
        db.resolve_conflict(&c.id, false).unwrap();
    }
    let open = db.conflict_page(false, 0, 50).unwrap();
    assert_eq!((open.total, open.open, open.rows.len()), (20, 20, 20));
    assert_eq!(ids(&open.rows), ids(&all[3..]));
    let every = db.conflict_page(true, 0, 50).unwrap();
    assert_eq!((every.total, every.open), (23, 20));
    assert_eq!(ids(&every.rows), ids(&db.conflicts(true).unwrap()));
    assert!(every.rows[20..].iter().all(|c| c.resolved));
    let last = db.conflict_page(true, 20, 10).unwrap();
    assert_eq!(ids(&last.rows), ids(&every.rows[20..]));
    // A resolved entry is refused a second time; an unknown one is not found.
    assert_eq!(
        db.resolve_conflict(&all[0].id, false).unwrap_err().code(),
        ErrorCode::Refused
    );
    assert_eq!(
        db.resolve_conflict("no-such-conflict", false)
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
}

/// Two laptops that hold the same world (a sensitive program's cohort among it) and
/// trust each other.
fn pair(dir: &Path) -> (Db, Db, crate::World) {
    let mut a = Db::open(&dir.join("a.sqlite3")).unwrap();
    let mut b = Db::open(&dir.join("b.sqlite3")).unwrap();
    a.set_device_name("Office").unwrap();
    b.set_device_name("Campus").unwrap();
    let world = crate::world(&mut a);
    let first = dir.join("a-first.exdesk-sync");
    a.sync_export(&first, None, None).unwrap();
    b.sync_import(&first, true).unwrap();
    let reply = dir.join("b-first.exdesk-sync");
    b.sync_export(&reply, None, None).unwrap();
    a.sync_import(&reply, true).unwrap();
    (a, b, world)
}

/// The first two devices each export what they have, then import the other's package
/// (the first device first): changes made on both meet.
fn exchange(d: &mut [Device], dir: &Path) {
    let (a, b) = (dir.join("a.exdesk-sync"), dir.join("b.exdesk-sync"));
    d[0].db.sync_export(&a, None, None).unwrap();
    d[1].db.sync_export(&b, None, None).unwrap();
    d[0].db.sync_import(&b, false).unwrap();
    d[1].db.sync_import(&a, false).unwrap();
}

/// Sends `from`'s changes to `to`; returns the import's summary.
fn send(from: &mut Db, to: &mut Db, file: &Path) -> exdesk_core::sync::SyncSummary {
    from.sync_export(file, None, None).unwrap();
    to.sync_import(file, false).unwrap()
}

fn update(db: &mut Db, entity: Entity, id: &str, patch: Value) -> Value {
    db.update(entity, id, &patch, WriteOptions::default())
        .unwrap_or_else(|e| panic!("update {entity} {patch}: {e}"))
}

/// The open `rule` entries of a laptop's conflict list.
fn rule_entries(db: &Db) -> Vec<exdesk_core::sync::ConflictEntry> {
    db.conflicts(false)
        .unwrap()
        .into_iter()
        .filter(|c| c.kind == "rule")
        .collect()
}

/// On one laptop a sensitive program's placement goes active (its
/// screening cleared), on the other its screening is flagged while it is only accepted.
/// Each edit passes the rules where it is made; merged, the placement is active with a
/// flagged screening. The merge keeps both values and lists the broken gate on both
/// laptops, once, for the coordinator to resolve.
#[test]
fn a_merge_that_breaks_the_screening_gate_is_kept_and_listed_as_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, w) = pair(dir.path());
    let person = crate::person(&mut a, "Dana", "Cohen", &w.technion);
    let placement = crate::id(&crate::add(
        &mut a,
        Entity::Placement,
        json!({"person_id": person, "cohort_id": w.sensitive_cohort,
               "status": "accepted", "screening": "cleared"}),
    ));
    send(&mut a, &mut b, &dir.path().join("p1.exdesk-sync"));
    update(
        &mut b,
        Entity::Placement,
        &placement,
        json!({"status": "active"}),
    );
    update(
        &mut a,
        Entity::Placement,
        &placement,
        json!({"screening": "flagged"}),
    );

    let to_a = dir.path().join("b2a.exdesk-sync");
    let s = send(&mut b, &mut a, &to_a);
    assert_eq!(s.new_conflicts, 1, "{s:?}");
    let merged = a.get(Entity::Placement, &placement).unwrap();
    assert_eq!(
        (merged["status"].as_str(), merged["screening"].as_str()),
        (Some("active"), Some("flagged")),
        "the record is kept as merged"
    );
    let listed = rule_entries(&a);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let c = &listed[0];
    assert_eq!(
        (c.entity, c.record_id.as_str(), c.field.as_str()),
        (Entity::Placement, placement.as_str(), "screening")
    );
    assert_eq!(c.kept_value, json!("flagged"));
    assert_eq!(c.lost_value, Value::Null, "nothing was lost");
    let rule = c.rule.as_ref().expect("the rule broken");
    assert_eq!(rule.code, "placement.screening_not_cleared");
    assert_eq!(rule.field, "screening");
    assert!(
        rule.message.contains("\"Chips\" is a sensitive program")
            && rule.message.contains("active")
            && rule.message.contains("flagged"),
        "{}",
        rule.message
    );
    // The same package again adds nothing; nor does the return trip to the laptop that
    // lists it already, nor a later change of another field of the placement.
    assert_eq!(a.sync_import(&to_a, false).unwrap().new_conflicts, 0);
    let s = send(&mut a, &mut b, &dir.path().join("a2b.exdesk-sync"));
    assert_eq!(s.new_conflicts, 1, "the other laptop lists it too: {s:?}");
    assert_eq!(rule_entries(&b).len(), 1);
    assert_eq!(
        a.export_all().unwrap(),
        b.export_all().unwrap(),
        "both laptops hold the same merged record"
    );
    update(
        &mut b,
        Entity::Placement,
        &placement,
        json!({"notes": "asked"}),
    );
    let s = send(&mut b, &mut a, &dir.path().join("b2a-notes.exdesk-sync"));
    assert_eq!((s.changes, s.new_conflicts), (1, 0), "{s:?}");
    assert_eq!(rule_entries(&a).len(), 1);

    // Nothing to restore: the coordinator corrects the record (a recorded reopen), then
    // dismisses the entry, which stays dismissed.
    let entry = rule_entries(&a)[0].id.clone();
    let err = a.resolve_conflict(&entry, true).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused);
    a.update(
        Entity::Placement,
        &placement,
        &json!({"status": "accepted"}),
        WriteOptions {
            reopen: true,
            over_capacity: false,
        },
    )
    .unwrap();
    a.resolve_conflict(&entry, false).unwrap();
    assert!(rule_entries(&a).is_empty());
    let s = send(&mut a, &mut b, &dir.path().join("a2b-fixed.exdesk-sync"));
    assert_eq!(
        s.new_conflicts, 0,
        "a record that keeps the rules is not listed"
    );
}

/// The same check covers the other rules across a record's fields that two edits can
/// break together: dates out of order (a cohort's start moved on one laptop, its end on
/// the other), a fellowship's tranches over its award, a person left without a full
/// name in either script.
#[test]
fn other_rules_across_fields_broken_by_a_merge_are_listed_too() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, w) = pair(dir.path());
    let person = id_of(&crate::add(
        &mut a,
        Entity::Person,
        json!({"given_name": "Noa", "family_name": "Levi",
               "given_name_he": "נועה", "family_name_he": "לוי"}),
    ));
    let fellowship = id_of(&crate::add(
        &mut a,
        Entity::Fellowship,
        json!({"person_id": person, "title": "Travel", "award_minor": 100000, "currency": "USD",
               "tranches": [{"due_date": "2027-09-01", "amount_minor": 50000}]}),
    ));
    send(&mut a, &mut b, &dir.path().join("p1.exdesk-sync"));

    // The cohort runs 2027-09-01 to 2028-01-31 on both laptops.
    update(
        &mut a,
        Entity::Cohort,
        &w.plain_cohort,
        json!({"start_date": "2027-12-01"}),
    );
    update(
        &mut b,
        Entity::Cohort,
        &w.plain_cohort,
        json!({"end_date": "2027-10-31"}),
    );
    update(
        &mut a,
        Entity::Fellowship,
        &fellowship,
        json!({"award_minor": 60000}),
    );
    update(
        &mut b,
        Entity::Fellowship,
        &fellowship,
        json!({"tranches": [{"due_date": "2027-09-01", "amount_minor": 50000},
                            {"due_date": "2028-01-01", "amount_minor": 40000}]}),
    );
    update(&mut a, Entity::Person, &person, json!({"given_name": null}));
    update(
        &mut b,
        Entity::Person,
        &person,
        json!({"family_name_he": null}),
    );

    let s = send(&mut b, &mut a, &dir.path().join("b2a.exdesk-sync"));
    assert_eq!(s.new_conflicts, 3, "{s:?}");
    let mut found: Vec<(Entity, String, String)> = rule_entries(&a)
        .into_iter()
        .map(|c| {
            let rule = c.rule.expect("the rule broken");
            (c.entity, c.field, rule.code)
        })
        .collect();
    found.sort_by(|x, y| (x.0.name(), &x.1).cmp(&(y.0.name(), &y.1)));
    assert_eq!(
        found,
        vec![
            (
                Entity::Cohort,
                "end_date".to_owned(),
                "rule.date_before_start".to_owned()
            ),
            (
                Entity::Fellowship,
                "tranches".to_owned(),
                "fellowship.tranches_over_award".to_owned()
            ),
            (
                Entity::Person,
                "given_name_he".to_owned(),
                "person.name_scripts_differ".to_owned()
            ),
        ]
    );
    // Kept as merged on both sides.
    let s = send(&mut a, &mut b, &dir.path().join("a2b.exdesk-sync"));
    assert_eq!(s.new_conflicts, 3, "{s:?}");
    assert_eq!(a.export_all().unwrap(), b.export_all().unwrap());
}

fn id_of(v: &Value) -> String {
    crate::id(v)
}

/// One person placed in one cohort on two laptops: the merge keeps one placement and
/// lists the other once, whole (restorable), on both laptops, not also once per field
/// as edits that reached a deleted record.
#[test]
fn a_person_placed_twice_in_a_cohort_is_one_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = fleet(dir.path(), 2);
    let cohort = ids(&d[0].db, Entity::Cohort)[0].clone();
    let person = d[0]
        .db
        .add(
            Entity::Person,
            &json!({"given_name": "Zed", "family_name": "Zimmer"}),
            WriteOptions::default(),
        )
        .unwrap();
    let first = dir.path().join("person.exdesk-sync");
    d[0].db.sync_export(&first, None, None).unwrap();
    d[1].db.sync_import(&first, false).unwrap();
    for (i, role) in [(0, "participant"), (1, "mentor")] {
        d[i].db
            .add(
                Entity::Placement,
                &json!({"person_id": person["id"], "cohort_id": cohort, "role": role}),
                WriteOptions::default(),
            )
            .unwrap();
    }
    exchange(&mut d, dir.path());
    for device in &d {
        let kinds: Vec<String> = device
            .db
            .conflicts(false)
            .unwrap()
            .into_iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(kinds, ["removed"]);
    }
    assert_eq!(d[0].db.export_all().unwrap(), d[1].db.export_all().unwrap());
}
