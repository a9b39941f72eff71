//! Sync between laptops (spec/cli.md "Sync between laptops", issue 5): the partner-campus
//! scenario through the real binary. The office loads the demo, sends a partner laptop a
//! package scoped to one cohort, the partner enters people offline and sends them back while
//! the office edits the same records; a third laptop receives the full packages in another
//! order; damaged and untrusted packages change nothing; shared-folder sync; a delete that
//! races an edit.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::harness::*;

/// The demo cohort the partner campus (Bar-Ilan University) works on.
const COHORT: &str = "Summer Institute – Ramat Gan Session";
const PARTNER_CAMPUS: &str = "Bar-Ilan University";

/// domain.md "Redacted fields": never on a partner laptop that only got scoped packages.
const REDACTED: &[(&str, &str)] = &[
    ("person", "birth_date"),
    ("person", "citizenships"),
    ("person", "phone"),
    ("person", "email"),
    ("placement", "screening"),
    ("placement", "visa_type"),
    ("placement", "visa_expires"),
];

const ENTITIES: [&str; 7] = [
    "institution",
    "person",
    "program",
    "cohort",
    "placement",
    "fellowship",
    "agreement",
];

// ------------------------------------------------------------------ laptops

/// One installation: a database of its own, a device id and name.
struct Laptop {
    env: Env,
    id: String,
    name: String,
}

impl Deref for Laptop {
    type Target = Env;
    fn deref(&self) -> &Env {
        &self.env
    }
}

impl Laptop {
    /// A new installation, named with `exdesk device --name`.
    fn new(name: &str) -> Laptop {
        let env = Env::new();
        let out = env.run(&["device", "--name", name]);
        out.ok();
        let line = out.stdout.trim_end_matches('\n');
        let (id, shown) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("`exdesk device` printed {line:?}, not id<TAB>name"));
        assert_eq!(shown, name, "`exdesk device --name` did not keep the name");
        assert_uuid_v7(&json!(id), "the device id");
        // Asking again without --name prints the same identity.
        let again = env.run(&["device"]);
        again.ok();
        assert_eq!(again.stdout.trim_end_matches('\n'), line);
        Laptop {
            env,
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    /// `sync export -o FILE EXTRA...` into this laptop's directory; the file's path.
    #[track_caller]
    fn export(&self, file: &str, extra: &[&str]) -> PathBuf {
        let path = self.path(file);
        let shown = path.to_str().expect("utf-8 path");
        let mut args = vec!["sync", "export", "-o", shown];
        args.extend_from_slice(extra);
        self.run(&args).ok();
        assert!(path.is_file(), "`sync export` wrote no {}", path.display());
        path
    }

    /// The full package: everything this laptop holds.
    #[track_caller]
    fn export_full(&self, file: &str) -> PathBuf {
        self.export(file, &[])
    }

    fn import(&self, file: &Path, trust: bool) -> Out {
        let shown = file.to_str().expect("utf-8 path");
        let mut args = vec!["sync", "import", shown];
        if trust {
            args.push("--trust");
        }
        self.run(&args)
    }

    /// Imports a package that must be accepted.
    #[track_caller]
    fn accept(&self, file: &Path, trust: bool) {
        self.import(file, trust).ok();
    }

    /// `sync conflicts --json [--all]`.
    #[track_caller]
    fn conflicts(&self, all: bool) -> Vec<Value> {
        let mut args = vec!["sync", "conflicts", "--json"];
        if all {
            args.push("--all");
        }
        match self.ok_json(&args) {
            Value::Array(items) => items,
            other => panic!("`sync conflicts --json` printed {other}, not an array"),
        }
    }

    /// `sync devices --json`.
    #[track_caller]
    fn devices(&self) -> Vec<Value> {
        match self.ok_json(&["sync", "devices", "--json"]) {
            Value::Array(items) => items,
            other => panic!("`sync devices --json` printed {other}, not an array"),
        }
    }

    /// Whether this laptop lists `other` as a trusted device.
    fn trusts(&self, other: &Laptop) -> bool {
        self.devices()
            .iter()
            .any(|d| d["id"] == other.id.as_str() && d["trusted"] == true)
    }

    /// `exdesk check` passes.
    #[track_caller]
    fn healthy(&self) {
        self.run(&["check"]).ok();
    }

    /// `export all` parsed, as id → record for each entity.
    #[track_caller]
    fn records(&self) -> BTreeMap<String, BTreeMap<String, Value>> {
        let all = self.export_json();
        ENTITIES
            .iter()
            .map(|e| {
                let list = all[*e]
                    .as_array()
                    .unwrap_or_else(|| panic!("`export all` has no {e} list"));
                let by_id = list.iter().map(|r| (id_of(r), r.clone())).collect();
                ((*e).to_owned(), by_id)
            })
            .collect()
    }
}

/// `(kind, entity, record_id, field)` of each conflict entry, to compare as a set.
fn conflict_keys(list: &[Value]) -> BTreeSet<(String, String, String, String)> {
    list.iter()
        .map(|c| {
            let s = |k: &str| {
                c[k].as_str()
                    .unwrap_or_else(|| panic!("conflict entry without text {k}: {c}"))
                    .to_owned()
            };
            (s("kind"), s("entity"), s("record_id"), s("field"))
        })
        .collect()
}

fn key(kind: &str, entity: &str, record: &str, field: &str) -> (String, String, String, String) {
    (kind.into(), entity.into(), record.into(), field.into())
}

/// A record without its redacted fields.
fn unredacted(entity: &str, record: &Value) -> Value {
    let mut r = record.clone();
    if let Value::Object(m) = &mut r {
        for (e, f) in REDACTED {
            if *e == entity {
                m.remove(*f);
            }
        }
    }
    r
}

/// Whether a value says nothing (null, absent, "" or []).
fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// The redacted fields that hold a value in `records` (entity → id → record), as lines
/// saying whether the value is the office's (`office`: leaked) or one it never had.
fn redacted_values_in(
    records: &BTreeMap<String, BTreeMap<String, Value>>,
    office: &BTreeMap<String, BTreeMap<String, Value>>,
    skip: &BTreeSet<String>,
) -> Vec<String> {
    let mut found = Vec::new();
    for (entity, field) in REDACTED {
        for (id, rec) in &records[*entity] {
            if !skip.contains(id) && !is_blank(rec.get(*field)) {
                let theirs = office[*entity].get(id).map(|r| &r[*field]);
                let what = if theirs == Some(&rec[*field]) {
                    "the office's value (leaked)".to_owned()
                } else {
                    format!(
                        "a value the office does not have (the office has {})",
                        theirs.map_or("no such record".into(), Value::to_string)
                    )
                };
                found.push(format!("{entity} {id}.{field} = {}: {what}", rec[*field]));
            }
        }
    }
    found
}

/// Every record `b` holds, compared with `a`'s through `ENTITY get ID` on both, without
/// the redacted fields; the differences (and records `a` lacks) as lines.
fn shared_differences(a: &Laptop, b: &Laptop) -> Vec<String> {
    let rb = b.records();
    let mut out = Vec::new();
    for entity in ENTITIES {
        for id in rb[entity].keys() {
            let got_b = b.get(entity, id);
            let out_a = a.run(&[entity, "get", id]);
            if out_a.code != EXIT_OK {
                out.push(format!(
                    "`{entity} get {id}` exits {} on {} (the record is on {})",
                    out_a.code, a.name, b.name
                ));
                continue;
            }
            let (x, y) = (
                unredacted(entity, &out_a.json()),
                unredacted(entity, &got_b),
            );
            if x != y {
                out.push(format!(
                    "`{entity} get {id}` differs:\n  {}: {x}\n  {}: {y}",
                    a.name, b.name
                ));
            }
        }
    }
    out
}

/// The JSON inside a package (ARCHITECTURE.md: a JSON envelope around a gzip payload,
/// base64 in `payload`), decoded independently of exdesk with python3's standard library.
fn package_payload(path: &Path) -> String {
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(
            "import sys, json, base64, gzip\n\
             env = json.load(open(sys.argv[1], encoding='utf-8'))\n\
             sys.stdout.write(gzip.decompress(base64.b64decode(env['payload'])).decode('utf-8'))",
        )
        .arg(path)
        .output()
        .expect("run /usr/bin/python3");
    assert!(
        out.status.success(),
        "cannot decode the package {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the payload is UTF-8")
}

#[track_caller]
fn assert_none(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[track_caller]
fn assert_same_export(a: &Laptop, b: &Laptop) {
    let (x, y) = (a.export_bytes(), b.export_bytes());
    if x != y {
        let (rx, ry) = (a.records(), b.records());
        let mut diff = Vec::new();
        for entity in ENTITIES {
            let ids: BTreeSet<&String> = rx[entity].keys().chain(ry[entity].keys()).collect();
            for id in ids {
                let (p, q) = (rx[entity].get(id), ry[entity].get(id));
                if p != q {
                    diff.push(format!(
                        "{entity} {id}\n  {}: {}\n  {}: {}",
                        a.name,
                        p.map_or("(absent)".into(), Value::to_string),
                        b.name,
                        q.map_or("(absent)".into(), Value::to_string)
                    ));
                }
            }
        }
        panic!(
            "`export all` of {} and {} differ ({} records):\n{}",
            a.name,
            b.name,
            diff.len(),
            diff.join("\n")
        );
    }
}

// ------------------------------------------------------------------ the partner campus

/// The office with the demo data and a partner laptop that has not imported anything yet.
struct Partnership {
    office: Laptop,
    partner: Laptop,
    cohort: String,
    /// The package scoped to [`COHORT`], for the partner.
    scoped: PathBuf,
}

fn partnership() -> Partnership {
    let office = Laptop::new("Exchange office (Washington)");
    office.run(&["demo"]).ok();
    let partner = Laptop::new("Bar-Ilan campus laptop");
    assert_ne!(office.id, partner.id, "two installations share a device id");
    let cohort = office
        .list("cohort", &[])
        .into_iter()
        .find(|c| c["name"] == COHORT)
        .unwrap_or_else(|| panic!("the demo has no cohort {COHORT:?}"));
    let cohort = id_of(&cohort);
    // Room for the partner's 40 new participants.
    office.update("cohort", &cohort, &json!({"capacity": 60}));
    let scoped = office.export("for-partner.exdesk-sync", &["--cohort", COHORT]);
    Partnership {
        office,
        partner,
        cohort,
        scoped,
    }
}

const GIVEN: [(&str, &str); 8] = [
    ("Oren", "אורן"),
    ("Hadar", "הדר"),
    ("Inbal", "ענבל"),
    ("Ziv", "זיו"),
    ("Liat", "ליאת"),
    ("Tomer", "תומר"),
    ("Adi", "עדי"),
    ("Yuval", "יובל"),
];
const FAMILY_NAMES: [(&str, &str); 5] = [
    ("Elmaliach", "אלמליח"),
    ("Vaknin", "וקנין"),
    ("Gabay", "גבאי"),
    ("Rabinovich", "רבינוביץ"),
    ("Tubul", "טובול"),
];

/// What the round trip of the partner scenario left, for the checks.
struct RoundTrip {
    office: Laptop,
    partner: Laptop,
    /// The 40 people the partner entered (the last one is `duplicate`) and their placements.
    people: Vec<String>,
    placements: Vec<String>,
    /// The demo person the office knew, and the partner's record of the same person.
    known: String,
    duplicate: String,
    /// A demo placement whose notes both laptops edited (a race) and the two values.
    race: String,
    office_note: String,
    partner_note: String,
    /// A demo placement: the office moved its status, the partner edited its notes.
    both: String,
    /// A demo placement the partner withdrew.
    withdrawn: String,
    /// A placement in another cohort the office edited (not for the partner).
    elsewhere: String,
}

/// The partner trusts the office's scoped package, enters 40 people and placements and
/// edits demo placements offline while the office edits some of the same; the partner's
/// package goes to the office and the office's answer (scoped, `--for`) to the partner.
fn round_trip() -> RoundTrip {
    let Partnership {
        office,
        partner,
        cohort,
        scoped,
    } = partnership();
    partner.accept(&scoped, true);

    // The demo placements the partner now shares with the office.
    let demo_placements: Vec<String> = ids(&partner.list("placement", &[]));
    assert!(demo_placements.len() >= 3, "{demo_placements:?}");
    let (race, both, withdrawn) = (
        demo_placements[0].clone(),
        demo_placements[1].clone(),
        demo_placements[2].clone(),
    );
    // A demo person with an e-mail and a Hebrew name whom the partner does not hold.
    let on_partner: BTreeSet<String> = ids(&partner.list("person", &[])).into_iter().collect();
    let known = office
        .list("person", &[])
        .into_iter()
        .find(|p| {
            !on_partner.contains(&id_of(p))
                && p["email"].is_string()
                && p["given_name_he"].is_string()
                && p["family_name_he"].is_string()
        })
        .expect("a demo person with an e-mail and a Hebrew name outside the cohort");
    let elsewhere = office
        .list("placement", &[])
        .into_iter()
        .find(|p| p["cohort_id"] != cohort.as_str())
        .map(|p| id_of(&p))
        .expect("a placement in another cohort");

    // The office, meanwhile.
    let office_note = "Office: certificate posted to the home university".to_owned();
    office.update("placement", &race, &json!({"notes": office_note}));
    office.update("placement", &both, &json!({"status": "completed"}));
    office.update(
        "placement",
        &elsewhere,
        &json!({"notes": "Office only: not for the partner"}),
    );

    // The partner, offline and later.
    let campus = partner
        .list("institution", &[])
        .into_iter()
        .find(|i| i["name"] == PARTNER_CAMPUS)
        .map(|i| id_of(&i))
        .expect("the partner campus came with the scoped package");
    let partner_note = "Campus: arrived late, needs housing".to_owned();
    partner.update("placement", &race, &json!({"notes": partner_note}));
    partner.update(
        "placement",
        &both,
        &json!({"notes": "Campus: presented at the hackathon"}),
    );
    partner.update("placement", &withdrawn, &json!({"status": "withdrawn"}));
    let mut people = Vec::new();
    let mut placements = Vec::new();
    for i in 0..39 {
        let (g, g_he) = GIVEN[i % GIVEN.len()];
        let (f, f_he) = FAMILY_NAMES[i / GIVEN.len()];
        let mut person = match i % 3 {
            0 => json!({"given_name_he": g_he, "family_name_he": f_he}),
            1 => {
                json!({"given_name": g, "family_name": f, "given_name_he": g_he, "family_name_he": f_he})
            }
            _ => json!({"given_name": g, "family_name": f}),
        };
        person["home_institution_id"] = json!(campus);
        if i % 4 == 0 {
            person["email"] = json!(format!("participant{i}@biu.example.ac.il"));
            person["phone"] = json!(format!("+972 3 531 {:04}", 1000 + i));
        }
        let id = partner.add_id("person", &person);
        let mut placement = json!({"person_id": id, "cohort_id": cohort,
                                   "role": if i % 10 == 9 { "mentor" } else { "participant" }});
        if i % 5 == 0 {
            placement["notes"] = json!(format!("Registered at the campus desk, table {i}"));
        }
        placements.push(partner.add_id("placement", &placement));
        people.push(id);
    }
    // The person the office already knows, entered in Hebrew with her e-mail in capitals.
    let email = known["email"].as_str().expect("e-mail").to_uppercase();
    let duplicate = partner.add_id(
        "person",
        &json!({"given_name_he": known["given_name_he"], "family_name_he": known["family_name_he"],
                "email": email, "home_institution_id": campus}),
    );
    placements.push(partner.add_id(
        "placement",
        &json!({"person_id": duplicate, "cohort_id": cohort}),
    ));
    people.push(duplicate.clone());

    // Back to the office: refused until the office trusts the partner. (--for takes the
    // device's id, or its name as `exdesk sync devices` lists it.)
    let back = partner.export("for-office.exdesk-sync", &["--for", &office.name]);
    // A package "for" this laptop itself says so (it said no such device).
    let own = partner.path("own.exdesk-sync");
    partner
        .run(&[
            "sync",
            "export",
            "-o",
            own.to_str().unwrap(),
            "--for",
            &partner.name,
        ])
        .code(EXIT_INVALID)
        .stderr_mentions("is this laptop");
    office
        .unchanged(|| office.import(&back, false))
        .code(EXIT_REFUSED)
        .stderr_mentions("fingerprint");
    office.accept(&back, true);
    // And the office's answer, least privilege: that cohort only, what the partner lacks.
    let answer = office.export(
        "for-partner-2.exdesk-sync",
        &["--for", &partner.id, "--cohort", COHORT],
    );
    partner.accept(&answer, false);

    RoundTrip {
        office,
        partner,
        people,
        placements,
        known: id_of(&known),
        duplicate,
        race,
        office_note,
        partner_note,
        both,
        withdrawn,
        elsewhere,
    }
}

#[test]
fn a_scoped_package_needs_trust_and_carries_only_its_cohort_without_redacted_fields() {
    let Partnership {
        office,
        partner,
        cohort,
        scoped,
    } = partnership();

    // The trust prompt: who wrote the package and its key fingerprint.
    let info = partner.ok_json(&["sync", "inspect", scoped.to_str().unwrap(), "--json"]);
    let me = office
        .devices()
        .into_iter()
        .find(|d| d["is_self"] == true)
        .expect("the office lists itself");
    assert_eq!(me["id"], office.id.as_str());
    assert_eq!(me["name"], office.name.as_str());
    let fingerprint = me["fingerprint"]
        .as_str()
        .expect("a fingerprint")
        .to_owned();
    assert_eq!(info["device_id"], office.id.as_str(), "{info}");
    assert_eq!(info["device_name"], office.name.as_str(), "{info}");
    assert_eq!(info["fingerprint"], fingerprint.as_str(), "{info}");
    assert_eq!(info["trusted"], false, "{info}");
    assert_eq!(info["scoped"], true, "{info}");

    // The package itself carries nothing of another cohort and none of the redacted values.
    let payload = package_payload(&scoped);
    let o = office.records();
    let placed: BTreeSet<&str> = o["placement"]
        .values()
        .filter(|pl| pl["cohort_id"] == cohort.as_str())
        .map(|pl| pl["person_id"].as_str().unwrap())
        .collect();
    let mut problems = Vec::new();
    for (id, pl) in &o["placement"] {
        if pl["cohort_id"] != cohort.as_str() && payload.contains(id.as_str()) {
            problems.push(format!(
                "the package names placement {id} of another cohort"
            ));
        }
    }
    for (id, person) in &o["person"] {
        if !placed.contains(id.as_str()) && payload.contains(id.as_str()) {
            problems.push(format!(
                "the package names person {id}, not placed in the cohort"
            ));
        }
        if placed.contains(id.as_str()) {
            for f in ["email", "phone", "birth_date"] {
                if let Some(v) = person[f].as_str()
                    && payload.contains(v)
                {
                    problems.push(format!("the package carries person {id}.{f} = {v:?}"));
                }
            }
        }
    }
    for e in ["fellowship", "agreement"] {
        for id in o[e].keys() {
            if payload.contains(id.as_str()) {
                problems.push(format!("the package names {e} {id}"));
            }
        }
    }
    assert_none(&problems, "the scoped package");

    // Refused without --trust: exit 5, the fingerprint named, nothing written, no trust.
    let refused = partner.unchanged(|| partner.import(&scoped, false));
    refused.code(EXIT_REFUSED).stderr_mentions("fingerprint");
    assert!(
        refused.stderr.contains(&fingerprint),
        "the refusal does not show the key fingerprint {fingerprint}:\n{}",
        refused.stderr
    );
    assert!(refused.stdout.trim().is_empty(), "{}", refused.stdout);
    assert!(!partner.trusts(&office));
    assert_eq!(partner.stats()["counts"]["person"], 0);

    // Accepted with --trust.
    partner.accept(&scoped, true);
    assert!(partner.trusts(&office), "{:?}", partner.devices());
    // Imported again: accepted, nothing changes.
    partner.unchanged(|| partner.import(&scoped, false)).ok();
    let again = partner.ok_json(&["sync", "inspect", scoped.to_str().unwrap(), "--json"]);
    assert_eq!(again["trusted"], true, "{again}");
    partner.healthy();

    // Only that cohort, its program, its placements, their people and the institutions
    // referenced; nothing else.
    let p = partner.records();
    let expect_ids = |entity: &str, want: BTreeSet<String>, problems: &mut Vec<String>| {
        let got: BTreeSet<String> = p[entity].keys().cloned().collect();
        if got != want {
            problems.push(format!(
                "{entity}: the partner holds {} record(s), expected {}; extra {:?}, missing {:?}",
                got.len(),
                want.len(),
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
    };
    let the_cohort = &o["cohort"][&cohort];
    let program = the_cohort["program_id"].as_str().unwrap().to_owned();
    let placements: Vec<&Value> = o["placement"]
        .values()
        .filter(|pl| pl["cohort_id"] == cohort.as_str())
        .collect();
    assert!(placements.len() >= 5, "the demo cohort has placements");
    let people: BTreeSet<String> = placements
        .iter()
        .map(|pl| pl["person_id"].as_str().unwrap().to_owned())
        .collect();
    let mut institutions: BTreeSet<String> = BTreeSet::new();
    let mut add = |v: &Value| {
        if let Some(s) = v.as_str() {
            institutions.insert(s.to_owned());
        }
    };
    add(&the_cohort["host_institution_id"]);
    for i in o["program"][&program]["partner_institution_ids"]
        .as_array()
        .into_iter()
        .flatten()
    {
        add(i);
    }
    for pl in &placements {
        add(&pl["home_institution_id"]);
        add(&pl["host_institution_id"]);
    }
    for person in &people {
        add(&o["person"][person]["home_institution_id"]);
    }
    expect_ids("cohort", BTreeSet::from([cohort.clone()]), &mut problems);
    expect_ids("program", BTreeSet::from([program]), &mut problems);
    expect_ids(
        "placement",
        placements.iter().map(|pl| id_of(pl)).collect(),
        &mut problems,
    );
    expect_ids("person", people, &mut problems);
    expect_ids("institution", institutions, &mut problems);
    expect_ids("fellowship", BTreeSet::new(), &mut problems);
    expect_ids("agreement", BTreeSet::new(), &mut problems);

    // What it holds is the office's record, less the redacted fields.
    for entity in ENTITIES {
        for (id, rec) in &p[entity] {
            if let Some(theirs) = o[entity].get(id)
                && unredacted(entity, theirs) != unredacted(entity, rec)
            {
                problems.push(format!(
                    "{entity} {id} differs from the office's:\n  office:  {}\n  partner: {}",
                    unredacted(entity, theirs),
                    unredacted(entity, rec)
                ));
            }
        }
    }
    // None of the redacted fields (the office has values for them).
    let leaked = redacted_values_in(&p, &o, &BTreeSet::new());
    problems.extend(
        leaked
            .into_iter()
            .map(|l| format!("redacted value on the partner: {l}")),
    );
    assert!(
        !redacted_values_in(&o, &o, &BTreeSet::new()).is_empty(),
        "the office holds redacted values, so their absence means something"
    );
    assert_none(&problems, "the partner's database after the scoped package");
}

#[test]
fn partner_entries_and_office_edits_meet_with_the_expected_conflicts() {
    let t = round_trip();
    let (office, partner) = (&t.office, &t.partner);
    let mut problems = Vec::new();

    // The office holds all 40 of the partner's people and placements, as entered.
    assert_eq!(t.people.len(), 40);
    assert_eq!(t.placements.len(), 40);
    let (o, p) = (office.records(), partner.records());
    for (entity, list) in [("person", &t.people), ("placement", &t.placements)] {
        for id in list {
            match o[entity].get(id) {
                None => problems.push(format!("the office lacks the partner's {entity} {id}")),
                Some(rec) if *rec != p[entity][id] => problems.push(format!(
                    "the partner's {entity} {id} arrived changed:\n  office:  {rec}\n  partner: {}",
                    p[entity][id]
                )),
                Some(_) => {}
            }
        }
    }
    // Among them, the partner's e-mails and phones (the partner's own data is not redacted).
    let with_email = t
        .people
        .iter()
        .filter(|id| o["person"].get(*id).is_some_and(|r| r["email"].is_string()))
        .count();
    assert_eq!(
        with_email, 11,
        "the partner entered 11 e-mails (10 + the duplicate)"
    );
    let hebrew_only = t
        .people
        .iter()
        .filter(|id| {
            o["person"]
                .get(*id)
                .is_some_and(|r| r["given_name"].is_null() && r["given_name_he"].is_string())
        })
        .count();
    assert_eq!(hebrew_only, 14, "13 Hebrew-only names + the duplicate");
    assert_eq!(
        office.stats()["counts"]["person"],
        49 + 40,
        "the demo's 49 people and the partner's 40"
    );

    // Every record the two share is identical (without the redacted fields).
    problems.extend(shared_differences(office, partner));

    // Different fields of one placement both survive; the same field keeps the later edit.
    for laptop in [office, partner] {
        let both = laptop.get("placement", &t.both);
        if both["status"] != "completed" || both["notes"] != "Campus: presented at the hackathon" {
            problems.push(format!(
                "{}: placement {} should keep the office's status and the partner's notes: {both}",
                laptop.name, t.both
            ));
        }
        let race = laptop.get("placement", &t.race);
        if race["notes"] != t.partner_note.as_str() {
            problems.push(format!(
                "{}: placement {} should keep the later notes {:?}: {}",
                laptop.name, t.race, t.partner_note, race["notes"]
            ));
        }
        let withdrawn = laptop.get("placement", &t.withdrawn);
        if withdrawn["status"] != "withdrawn" {
            problems.push(format!(
                "{}: placement {} should be withdrawn: {withdrawn}",
                laptop.name, t.withdrawn
            ));
        }
    }
    // The office's edit elsewhere did not travel to the partner.
    let elsewhere = partner.run(&["placement", "get", &t.elsewhere]);
    if elsewhere.code != EXIT_NOT_FOUND {
        problems.push(format!(
            "a placement of another cohort reached the partner (exit {}): {}",
            elsewhere.code, elsewhere.stdout
        ));
    }

    // The conflicts are the expected ones.
    let (a, b) = if t.known < t.duplicate {
        (&t.known, &t.duplicate)
    } else {
        (&t.duplicate, &t.known)
    };
    let race_key = key("field", "placement", &t.race, "notes");
    let dup_key = key("duplicate_person", "person", a, b);
    let office_conflicts = office.conflicts(false);
    let partner_conflicts = partner.conflicts(false);
    let want_office = BTreeSet::from([race_key.clone(), dup_key.clone()]);
    if conflict_keys(&office_conflicts) != want_office {
        problems.push(format!(
            "the office's conflicts are {:?}, expected {want_office:?}:\n{}",
            conflict_keys(&office_conflicts),
            serde_json::to_string_pretty(&office_conflicts).unwrap()
        ));
    }
    // The partner, whose value won, may or may not list the race (it never held the
    // office's value); it lists nothing else.
    let partner_keys = conflict_keys(&partner_conflicts);
    if !partner_keys.is_subset(&BTreeSet::from([race_key.clone()])) {
        problems.push(format!(
            "the partner's conflicts are {partner_keys:?}, expected at most {race_key:?}:\n{}",
            serde_json::to_string_pretty(&partner_conflicts).unwrap()
        ));
    }
    for (laptop, list) in [(office, &office_conflicts), (partner, &partner_conflicts)] {
        for c in list.iter().filter(|c| c["kind"] == "field") {
            if c["lost_value"] != t.office_note.as_str()
                || c["kept_value"] != t.partner_note.as_str()
                || c["resolved"] != false
            {
                problems.push(format!(
                    "{}: the race should list the office's value as lost and the partner's as kept: {c}",
                    laptop.name
                ));
            }
            if c["lost_device"] != office.name.as_str() || c["kept_device"] != partner.name.as_str()
            {
                problems.push(format!(
                    "{}: the race should name the devices ({} lost, {} kept): {c}",
                    laptop.name, office.name, partner.name
                ));
            }
        }
    }
    assert_none(&problems, "after the round trip");
    office.healthy();
    partner.healthy();

    // Merging the duplicate is a change like any other, and reaches the partner.
    let merged = office.ok_json(&["person", "merge", &t.known, &t.duplicate]);
    assert_eq!(id_of(&merged), t.known);
    office
        .run(&["person", "get", &t.duplicate])
        .code(EXIT_NOT_FOUND);
    let moved = office.get("placement", t.placements.last().unwrap());
    assert_eq!(moved["person_id"], t.known.as_str(), "{moved}");
    let open = conflict_keys(&office.conflicts(false));
    assert!(
        !open.contains(&dup_key),
        "the merge leaves the duplicate listed: {open:?}"
    );
    let resolved = office
        .conflicts(true)
        .into_iter()
        .find(|c| c["kind"] == "duplicate_person")
        .expect("the merged duplicate stays in `sync conflicts --all`");
    assert_eq!(resolved["resolved"], true, "{resolved}");
    office.healthy();

    let next = office.export(
        "for-partner-3.exdesk-sync",
        &["--for", &partner.id, "--cohort", COHORT],
    );
    partner.accept(&next, false);
    let mut problems = Vec::new();
    let moved = partner.get("placement", t.placements.last().unwrap());
    if moved["person_id"] != t.known.as_str() {
        problems.push(format!(
            "the partner's placement of the duplicate was not moved to the survivor: {moved}"
        ));
    }
    let gone = partner.run(&["person", "get", &t.duplicate]);
    if gone.code != EXIT_NOT_FOUND {
        problems.push(format!(
            "the merged duplicate {} is still on the partner (`person get` exits {}): {}",
            t.duplicate, gone.code, gone.stdout
        ));
    }
    match partner.run(&["person", "get", &t.known]) {
        out if out.code == EXIT_OK => {
            let survivor = out.json();
            for (e, f) in REDACTED.iter().filter(|(e, _)| *e == "person") {
                if !is_blank(survivor.get(*f)) {
                    problems.push(format!(
                        "the survivor reached the partner with its redacted {e}.{f}: {}",
                        survivor[*f]
                    ));
                }
            }
        }
        out => problems.push(format!(
            "the survivor {} (now placed in the cohort) did not reach the partner: exit {}",
            t.known, out.code
        )),
    }
    let partner_dups: Vec<Value> = partner
        .conflicts(false)
        .into_iter()
        .filter(|c| c["kind"] == "duplicate_person")
        .collect();
    if !partner_dups.is_empty() {
        problems.push(format!(
            "the partner lists a duplicate the office already merged: {partner_dups:?}"
        ));
    }
    problems.extend(shared_differences(office, partner));
    let own: BTreeSet<String> = t.people.iter().chain(&t.placements).cloned().collect();
    problems.extend(
        redacted_values_in(&partner.records(), &office.records(), &own)
            .into_iter()
            .map(|l| format!("redacted value on the partner: {l}")),
    );
    assert_none(&problems, "after the merge reached the partner");
    office.healthy();
    partner.healthy();
}

#[test]
fn a_third_laptop_receiving_the_full_packages_in_another_order_ends_identical() {
    let t = round_trip();
    let (a, b) = (&t.office, &t.partner);
    // The office merges the duplicate, so that a delete travels too.
    a.ok_json(&["person", "merge", &t.known, &t.duplicate]);
    let c = Laptop::new("Office backup laptop");

    let b_full = b.export_full("b-full.exdesk-sync");
    let a_full = a.export_full("a-full.exdesk-sync");
    c.accept(&b_full, true);
    c.accept(&a_full, true);
    a.accept(&b_full, false);
    assert_same_export(a, &c);
    a.healthy();
    c.healthy();

    // Everyone sends everyone a full package (one round): the partner becomes a full
    // peer, and the three are byte-identical.
    let laptops = [a, b, &c];
    for round in 0..1 {
        let packages: Vec<PathBuf> = laptops
            .iter()
            .map(|l| l.export_full(&format!("full-{round}.exdesk-sync")))
            .collect();
        for (i, l) in laptops.iter().enumerate() {
            for (j, file) in packages.iter().enumerate() {
                if i != j {
                    l.accept(file, true);
                }
            }
        }
    }
    assert_same_export(a, b);
    assert_same_export(a, &c);
    for l in laptops {
        l.healthy();
    }
    // The partner now holds the office's records and redacted fields, and the merge.
    b.run(&["person", "get", &t.duplicate]).code(EXIT_NOT_FOUND);
    assert_eq!(b.stats()["counts"]["person"], 49 + 39);
}

// ------------------------------------------------------------------ damaged packages

/// Two full peers that trust each other, each with the small world of the harness.
fn peers() -> (Laptop, Laptop, World) {
    let a = Laptop::new("Technion office");
    let b = Laptop::new("MIT office");
    let world = World::build(&a);
    let first = a.export_full("a-first.exdesk-sync");
    b.accept(&first, true);
    let reply = b.export_full("b-first.exdesk-sync");
    a.accept(&reply, true);
    assert!(a.trusts(&b) && b.trusts(&a));
    assert_same_export(&a, &b);
    (a, b, world)
}

/// Changes one ASCII letter or digit at or after `at` into another.
fn flip_alnum(bytes: &mut [u8], at: usize) {
    let i = (at..bytes.len())
        .find(|&i| bytes[i].is_ascii_alphanumeric())
        .expect("a letter or digit to change");
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
}

#[test]
fn damaged_foreign_and_untrusted_packages_are_refused_and_change_nothing() {
    let (a, b, world) = peers();
    a.update(
        "person",
        &world.il_person,
        &json!({"notes": "Visiting in March"}),
    );
    World::person(&a, "Package", &world.il);
    let good = a.export_full("good.exdesk-sync");
    let bytes = std::fs::read(&good).unwrap();
    let envelope: Value = serde_json::from_slice(&bytes).expect("a package is a JSON envelope");

    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut tampered = bytes.clone();
    flip_alnum(&mut tampered, bytes.len() / 2);
    cases.push(("tampered in the middle", tampered));
    let mut late = bytes.clone();
    flip_alnum(&mut late, bytes.len() * 9 / 10);
    cases.push(("tampered near the end", late));
    let header_at = String::from_utf8_lossy(&bytes)
        .find(a.name.as_str())
        .expect("the envelope names the device");
    let mut renamed = bytes.clone();
    flip_alnum(&mut renamed, header_at);
    cases.push(("device name altered", renamed));
    cases.push(("truncated", bytes[..bytes.len() / 2].to_vec()));
    cases.push((
        "cut short of its last brace",
        bytes[..bytes.len() - 2].to_vec(),
    ));
    let mut unsigned = envelope.clone();
    unsigned["signature"] = json!("");
    cases.push(("unsigned", serde_json::to_vec_pretty(&unsigned).unwrap()));
    let mut no_signature = envelope.clone();
    no_signature.as_object_mut().unwrap().remove("signature");
    cases.push((
        "no signature field",
        serde_json::to_vec(&no_signature).unwrap(),
    ));
    let mut other_key = envelope.clone();
    other_key["public_key"] = json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    cases.push(("another key", serde_json::to_vec(&other_key).unwrap()));
    let mut newer = envelope.clone();
    newer["version"] = json!(99);
    cases.push(("newer format", serde_json::to_vec(&newer).unwrap()));
    cases.push(("foreign JSON", br#"{"hello": "world"}"#.to_vec()));
    cases.push(("a JSON array", b"[1, 2, 3]".to_vec()));
    cases.push((
        "a CSV file",
        "given_name,family_name\nDana,Cohen\n".as_bytes().to_vec(),
    ));
    cases.push(("an empty file", Vec::new()));
    cases.push(("an export-all file", a.export_bytes()));
    cases.push(("binary noise", (0..=255u8).cycle().take(4096).collect()));

    let devices_before = b.devices();
    let conflicts_before = b.conflicts(true);
    for (what, data) in &cases {
        let file = b.path(&format!("{}.exdesk-sync", what.replace(' ', "-")));
        std::fs::write(&file, data).unwrap();
        for trust in [false, true] {
            let out = b.unchanged(|| b.import(&file, trust));
            assert_eq!(
                out.code, EXIT_REFUSED,
                "{what} (trust {trust}): `{}` exited {} (expected 5)\nstdout: {}\nstderr: {}",
                out.cmd, out.code, out.stdout, out.stderr
            );
            assert!(out.stdout.trim().is_empty(), "{what}: {}", out.stdout);
            assert!(
                !out.stderr.trim().is_empty(),
                "{what}: no message on stderr"
            );
        }
        let inspect = b.run(&["sync", "inspect", file.to_str().unwrap(), "--json"]);
        assert_eq!(
            inspect.code, EXIT_REFUSED,
            "{what}: `sync inspect` exited {} (expected 5): {}{}",
            inspect.code, inspect.stdout, inspect.stderr
        );
    }
    assert_eq!(
        b.devices(),
        devices_before,
        "a refused package changed the devices"
    );
    assert_eq!(b.conflicts(true), conflicts_before);

    // From a device never trusted: refused without --trust, whatever it holds.
    let stranger = Laptop::new("Unknown laptop");
    World::person(
        &stranger,
        "Stranger",
        &stranger.add_id(
            "institution",
            &json!({"name": "Elsewhere", "country": "DE"}),
        ),
    );
    let strange = stranger.export_full("stranger.exdesk-sync");
    let out = b.unchanged(|| b.import(&strange, false));
    out.code(EXIT_REFUSED).stderr_mentions("fingerprint");
    assert!(!b.trusts(&stranger));

    // A good package twice: accepted both times, the second changes nothing.
    b.accept(&good, false);
    let once = b.export_bytes();
    assert_same_export(&a, &b);
    let conflicts = b.conflicts(true);
    let again = b.unchanged(|| b.import(&good, false));
    again.ok();
    assert_eq!(b.export_bytes(), once);
    assert_eq!(b.conflicts(true), conflicts);
    // And an older package after a newer one changes nothing either.
    let first = a.path("a-first.exdesk-sync");
    b.unchanged(|| b.import(&first, false)).ok();
    b.healthy();
}

// ------------------------------------------------------------------ shared folder

/// The counts of the "imported N changes from ..." lines of `sync folder`.
fn imported_counts(out: &Out) -> Vec<u64> {
    out.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("imported "))
        .map(|l| {
            l.split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("`{}`: unreadable line {l:?}", out.cmd))
        })
        .collect()
}

#[test]
fn two_laptops_sharing_a_folder_exchange_their_new_records() {
    let a = Laptop::new("Technion office");
    let b = Laptop::new("MIT office");
    let world = World::build(&a);
    let folder = a.path("Shared with MIT");
    std::fs::create_dir(&folder).unwrap();
    let shown = folder.to_str().unwrap();
    let round = |l: &Laptop| {
        let out = l.run(&["sync", "folder", shown]);
        out.ok();
        out
    };

    // First rounds: each writes its outbox; the other's is left until trusted.
    round(&a);
    let a_outbox = folder.join(format!("{}.exdesk-sync", a.id));
    assert!(a_outbox.is_file(), "no outbox {}", a_outbox.display());
    // A package left aside is a refusal (exit 5), though the round itself was done.
    let first_b = b.unchanged(|| {
        let out = b.run(&["sync", "folder", shown]);
        out.code(EXIT_REFUSED);
        out
    });
    assert!(
        first_b.stderr.contains(&a.id) || first_b.stderr.to_lowercase().contains("trust"),
        "the untrusted outbox should be reported as skipped:\n{}",
        first_b.stderr
    );
    let b_outbox = folder.join(format!("{}.exdesk-sync", b.id));
    assert!(b_outbox.is_file(), "no outbox {}", b_outbox.display());
    b.accept(&a_outbox, true);
    a.accept(&b_outbox, true);
    assert!(a.trusts(&b) && b.trusts(&a));
    assert_same_export(&a, &b);

    // New records on each side, then a round on each.
    let alpha = World::person(&a, "Folder Alpha", &world.us);
    let beta = World::person(&b, "Folder Beta", &world.il);
    let placed = b.add_id(
        "placement",
        &json!({"person_id": beta, "cohort_id": world.cohort_il}),
    );
    round(&a);
    round(&b);
    round(&a);
    a.get("person", &beta);
    a.get("placement", &placed);
    b.get("person", &alpha);
    assert_same_export(&a, &b);

    // A second round brings nothing new.
    for l in [&a, &b, &a] {
        let out = l.unchanged(|| round(l));
        let counts = imported_counts(&out);
        assert!(
            counts.iter().all(|n| *n == 0),
            "`{}` imported changes again: {}",
            out.cmd,
            out.stdout
        );
    }
    assert_same_export(&a, &b);
    a.healthy();
    b.healthy();
}

// ------------------------------------------------------------------ delete vs edit

#[test]
fn a_delete_wins_over_a_concurrent_edit_and_both_laptops_list_it() {
    let (a, b, world) = peers();
    let person = World::person(&a, "Deleted", &world.il);
    let first = a.export("person.exdesk-sync", &["--for", &b.id]);
    b.accept(&first, false);
    b.get("person", &person);

    // A deletes the person; B, not knowing, edits them and places them in a cohort.
    a.run(&["person", "delete", &person]).ok();
    b.update("person", &person, &json!({"notes": "Arrives in September"}));
    let placement = b.add_id(
        "placement",
        &json!({"person_id": person, "cohort_id": world.cohort_il}),
    );

    let from_a = a.export("delete.exdesk-sync", &["--for", &b.id]);
    let from_b = b.export("edit.exdesk-sync", &["--for", &a.id]);
    a.accept(&from_b, false);
    b.accept(&from_a, false);

    for l in [&a, &b] {
        l.run(&["person", "get", &person]).code(EXIT_NOT_FOUND);
        l.run(&["placement", "get", &placement])
            .code(EXIT_NOT_FOUND);
        let listed = l.conflicts(false);
        let keys = conflict_keys(&listed);
        let edit = keys.iter().any(|(k, e, r, f)| {
            k == "edit_deleted" && e == "person" && *r == person && f == "notes"
        });
        let removed = keys.iter().any(|(k, e, r, _)| {
            (k == "removed" || k == "edit_deleted") && e == "placement" && *r == placement
        });
        assert!(
            edit && removed,
            "{}: the conflicts should list the lost edit of person {person} and the removed placement {placement}:\n{}",
            l.name,
            serde_json::to_string_pretty(&listed).unwrap()
        );
        for c in listed.iter().filter(|c| c["record_id"] == person.as_str()) {
            assert_eq!(c["lost_value"], "Arrives in September", "{c}");
        }
        l.healthy();
    }
    assert_same_export(&a, &b);
    assert_eq!(a.list("placement", &[]).len(), 0);
}

#[test]
fn sync_export_and_inspect_count_a_package_the_same_way() {
    let (a, b, world) = peers();
    World::person(&a, "Counted", &world.il);
    let path = a.path("counted.exdesk-sync");
    let out = a.run(&[
        "sync",
        "export",
        "-o",
        path.to_str().unwrap(),
        "--for",
        &b.id,
    ]);
    out.ok();
    let info = a.ok_json(&["sync", "inspect", path.to_str().unwrap(), "--json"]);
    let (records, changes, deletes) = (
        info["records"].as_u64().unwrap(),
        info["changes"].as_u64().unwrap(),
        info["deletes"].as_u64().unwrap(),
    );
    assert!(records >= 1 && changes > records, "{info}");
    let said = format!("wrote {records} records ({changes} field changes) and {deletes} deletes");
    assert!(out.stderr.contains(&said), "{said:?} not in {}", out.stderr);
    let text = a.run(&["sync", "inspect", path.to_str().unwrap()]);
    text.ok();
    let said = format!("{records} records ({changes} field changes), {deletes} deletes");
    assert!(
        text.stdout.contains(&said),
        "{said:?} not in {}",
        text.stdout
    );
    // The receiver applies exactly the changes the package carries.
    let applied = b.import(&path, false);
    applied.ok();
    assert!(
        applied
            .stdout
            .starts_with(&format!("applied {changes} changes")),
        "{}",
        applied.stdout
    );
}

#[test]
fn the_conflict_list_names_each_record_once_with_one_line_per_conflict() {
    let (a, b, world) = peers();
    let person = World::person(&a, "Raced", &world.il);
    b.accept(&a.export("p.exdesk-sync", &["--for", &b.id]), false);
    a.update(
        "person",
        &person,
        &json!({"notes": "from A", "phone": "+1 555 0100"}),
    );
    b.update(
        "person",
        &person,
        &json!({"notes": "from B", "phone": "+972 4 555 0101"}),
    );
    a.accept(&b.export("race.exdesk-sync", &["--for", &a.id]), false);
    let listed = a.conflicts(false);
    assert_eq!(listed.len(), 2, "{listed:#?}");
    let out = a.run(&["sync", "conflicts"]);
    out.ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(
        lines[0].starts_with("person ") && lines[0].ends_with(&person),
        "{}",
        lines[0]
    );
    assert_eq!(out.stdout.matches(&person).count(), 1, "{}", out.stdout);
    for c in &listed {
        let field = c["field"].as_str().unwrap();
        let line = lines[1..]
            .iter()
            .find(|l| l.trim_start().starts_with(c["id"].as_str().unwrap()))
            .unwrap_or_else(|| panic!("no line for {c}"));
        assert!(
            line.contains(&format!("{field}: kept {}", c["kept_value"]))
                && line.contains(&format!("lost {}", c["lost_value"])),
            "{line}"
        );
    }
}

/// A partner laptop that got a cohort's records in a scoped package (`--for`, `--cohort`)
/// holds partner copies: setting a redacted field of one is refused (exit 5, the field
/// named, nothing written); its other fields and the partner's own records stay editable.
#[test]
fn a_partner_laptop_cannot_set_the_redacted_fields_of_its_copies() {
    let office = Laptop::new("Exchange office (Washington)");
    office.run(&["demo"]).ok();
    let partner = Laptop::new("Bar-Ilan campus laptop");
    // The office learns the partner's device from its first package.
    office.accept(&partner.export_full("hello.exdesk-sync"), true);
    let scoped = office.export(
        "for-partner.exdesk-sync",
        &["--for", &partner.id, "--cohort", COHORT],
    );
    partner.accept(&scoped, true);

    let placement = partner
        .list("placement", &[])
        .into_iter()
        .next()
        .expect("the cohort's placements reached the partner");
    let id = id_of(&placement);
    assert!(placement["screening"].is_null(), "{placement}");
    let out = partner.refuses_update(
        "placement",
        &id,
        &json!({"screening": "pending"}),
        EXIT_REFUSED,
        "screening",
    );
    out.stderr_mentions("coordinator");
    let person = placement["person_id"]
        .as_str()
        .expect("person_id")
        .to_owned();
    partner.refuses_update(
        "person",
        &person,
        &json!({"email": "someone@biu.example.ac.il"}),
        EXIT_REFUSED,
        "email",
    );

    let edited = partner.update("placement", &id, &json!({"notes": "Campus: room 12"}));
    assert_eq!(edited["notes"], "Campus: room 12");
    let campus = partner
        .list("institution", &[])
        .into_iter()
        .find(|i| i["name"] == PARTNER_CAMPUS)
        .map(|i| id_of(&i))
        .expect("the partner campus came with the scoped package");
    let own = partner.add_id(
        "person",
        &json!({"given_name": "Oren", "family_name": "Tubul", "home_institution_id": campus}),
    );
    let own = partner.update("person", &own, &json!({"email": "oren@biu.example.ac.il"}));
    assert_eq!(own["email"], "oren@biu.example.ac.il");
}

// ------------------------------------------------------------------ audit fixes

/// A sensitive program's placement goes active on one laptop while its
/// screening is flagged on the other (each edit allowed where it was made). The merge
/// keeps both values and lists the broken screening gate in `sync conflicts`, naming the
/// rule; it can be dismissed once the coordinator corrected the record.
#[test]
fn a_merge_that_breaks_the_screening_gate_is_listed_naming_the_rule() {
    let (a, b, world) = peers();
    let program = a.add_id(
        "program",
        &json!({"name": "Secure AI", "kind": "fellowship", "tech_areas": ["ai"], "sensitive": true}),
    );
    let cohort = a.add_id(
        "cohort",
        &json!({"program_id": program, "name": "Secure AI 2027", "host_institution_id": world.us}),
    );
    let placement = a.add_id(
        "placement",
        &json!({"person_id": world.il_person, "cohort_id": cohort,
                "status": "accepted", "screening": "cleared"}),
    );
    b.accept(&a.export("a2b.exdesk-sync", &["--for", &b.id]), false);
    b.update("placement", &placement, &json!({"status": "active"}));
    a.update("placement", &placement, &json!({"screening": "flagged"}));
    let package = b.export("b2a.exdesk-sync", &["--for", &a.id]);
    let out = a.import(&package, false);
    out.ok();
    assert!(out.stdout.contains("1 new conflicts"), "{}", out.stdout);
    let merged = a.get("placement", &placement);
    assert_eq!(
        (&merged["status"], &merged["screening"]),
        (&json!("active"), &json!("flagged"))
    );
    let listed = a.conflicts(false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let c = &listed[0];
    assert_eq!(
        (&c["kind"], &c["entity"], &c["record_id"], &c["field"]),
        (
            &json!("rule"),
            &json!("placement"),
            &json!(placement),
            &json!("screening")
        )
    );
    assert_eq!(c["rule"]["code"], "placement.screening_not_cleared");
    assert_eq!(c["kept_value"], "flagged");
    let text = a.run(&["sync", "conflicts"]);
    text.ok();
    assert!(
        text.stdout.contains(
            "screening: the merged record breaks a rule: \"Secure AI\" is a sensitive program: \
             a placement that is active needs cleared screening, but its screening is flagged"
        ),
        "{}",
        text.stdout
    );
    // Importing it again lists nothing new.
    let again = a.import(&package, false);
    again.ok();
    assert!(again.stdout.contains("0 new conflicts"), "{}", again.stdout);
    // Nothing to restore; corrected (a recorded reopen), it is dismissed.
    let entry = c["id"].as_str().unwrap();
    a.refuses(
        &["sync", "resolve", entry, "--restore"],
        EXIT_REFUSED,
        "conflict",
    );
    a.run(&[
        "placement",
        "update",
        &placement,
        "--reopen",
        "--json",
        r#"{"status":"accepted"}"#,
    ])
    .ok();
    a.run(&["sync", "resolve", entry, "--dismiss"]).ok();
    assert!(a.conflicts(false).is_empty());
    a.healthy();
}

/// A damaged or untrusted package in the shared folder is named on stderr
/// and the round goes on with the others, then exits 5 (refused).
#[test]
fn a_refused_package_in_the_shared_folder_makes_the_round_exit_refused() {
    let (a, b, world) = peers();
    let folder = a.path("Shared");
    std::fs::create_dir(&folder).unwrap();
    let shown = folder.to_str().unwrap();
    let added = World::person(&a, "Folder", &world.il);
    a.run(&["sync", "folder", shown]).ok();
    std::fs::write(folder.join("garbage.exdesk-sync"), b"not a package at all").unwrap();
    let out = b.run(&["sync", "folder", shown]);
    out.code(EXIT_REFUSED);
    assert!(
        out.stderr.contains("garbage.exdesk-sync")
            && out
                .stderr
                .contains("1 package(s) in the shared folder were refused"),
        "{}",
        out.stderr
    );
    assert_eq!(imported_counts(&out).len(), 1, "{}", out.stdout);
    b.get("person", &added);
    // Still refused next round (the file is still there), nothing imported twice.
    let again = b.unchanged(|| b.run(&["sync", "folder", shown]));
    again.code(EXIT_REFUSED);
    std::fs::remove_file(folder.join("garbage.exdesk-sync")).unwrap();
    b.run(&["sync", "folder", shown]).ok();
}

/// `sync import` of a package already applied changes nothing and makes no
/// backup, so repeated runs keep the earlier restore points.
#[test]
fn importing_a_package_already_applied_makes_no_backup() {
    let (a, b, world) = peers();
    let backups = |l: &Laptop| match l.ok_json(&["backups", "--json"]) {
        Value::Array(list) => list,
        other => panic!("`backups --json` printed {other}"),
    };
    World::person(&a, "Backup", &world.il);
    let package = a.export("a-new.exdesk-sync", &[]);
    let before = backups(&b).len();
    b.accept(&package, false);
    let made = backups(&b);
    assert_eq!(made.len(), before + 1, "{made:?}");
    assert_eq!(made[0]["reason"], "sync");
    for _ in 0..3 {
        let out = b.import(&package, false);
        out.ok();
        assert!(
            out.stdout.starts_with("applied 0 changes"),
            "{}",
            out.stdout
        );
    }
    assert_eq!(backups(&b), made);
}
