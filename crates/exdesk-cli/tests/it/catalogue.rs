//! The catalogue of bad inputs (issue 6, item 7): malformed files, wrong types,
//! out-of-range dates, oversized cells, invalid UTF-8, unknown columns, ids that do not
//! exist, status moves against the rules, SQL- and script-looking text, path tricks,
//! bad sync packages and bad backups. Each case must exit with the contract's code
//! (spec/cli.md), name the problem on stderr, print nothing on stdout, and leave the
//! database byte-for-byte unchanged (`export all` before and after).

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use serde_json::json;

use crate::harness::{
    EXIT_INVALID, EXIT_NOT_FOUND, EXIT_REFUSED, EXIT_USAGE, Env, MISSING_ID, World,
};

struct Case {
    what: &'static str,
    args: Vec<OsString>,
    code: i32,
    /// A substring stderr must hold (case-insensitive); `a|b` accepts either.
    says: &'static str,
}

fn case(what: &'static str, args: &[&str], code: i32, says: &'static str) -> Case {
    Case {
        what,
        args: args.iter().map(OsString::from).collect(),
        code,
        says,
    }
}

/// Writes `bytes` to a file in the env's folder; returns its path as text.
fn file(env: &Env, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = env.path(name);
    std::fs::write(&path, bytes).expect("write test file");
    path.to_str().expect("utf-8 path").to_owned()
}

/// A JSON package envelope with one field changed.
fn tampered(pkg: &[u8], key: &str, value: serde_json::Value) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(pkg).expect("package JSON");
    v[key] = value;
    serde_json::to_vec(&v).expect("JSON")
}

#[test]
fn every_bad_input_is_refused_clearly_and_changes_nothing() {
    let env = Env::new();
    let w = World::build(&env);
    let placement = env.add_id(
        "placement",
        &json!({"person_id": w.people[0], "cohort_id": w.cohort_il, "status": "accepted"}),
    );
    let done = env.add_id(
        "placement",
        &json!({"person_id": w.people[1], "cohort_id": w.cohort_il, "status": "completed"}),
    );
    let sensitive = env.add_id(
        "program",
        &json!({"name": "Chips", "kind": "fellowship", "tech_areas": ["semiconductors"],
                "sensitive": true}),
    );
    let small = env.add_id(
        "cohort",
        &json!({"program_id": sensitive, "name": "Chips 2026", "host_institution_id": w.il,
                "capacity": 1}),
    );
    let screened = env.add_id(
        "placement",
        &json!({"person_id": w.people[2], "cohort_id": small, "status": "accepted"}),
    );
    let roomy = env.add_id(
        "cohort",
        &json!({"program_id": sensitive, "name": "Chips 2027", "host_institution_id": w.il}),
    );
    let confirmed = env.add_id(
        "placement",
        &json!({"person_id": w.people[2], "cohort_id": roomy, "status": "confirmed",
                "screening": "cleared"}),
    );

    // Another laptop, for sync packages and backups.
    let other = Env::new();
    World::build(&other);
    let pkg_path = other.path("other.exdesk-sync");
    other
        .run(&["sync", "export", "-o", pkg_path.to_str().unwrap()])
        .ok();
    let pkg = std::fs::read(&pkg_path).unwrap();
    let own_pkg = env.path("own.exdesk-sync");
    env.run(&["sync", "export", "-o", own_pkg.to_str().unwrap()])
        .ok();
    let backup_path = other.path("other-backup.sqlite3");
    other
        .run(&["backup", "-o", backup_path.to_str().unwrap()])
        .ok();
    let backup = std::fs::read(&backup_path).unwrap();
    let newer = file(&env, "newer.sqlite3", &backup);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 9999")
        .unwrap();
    // Sound pages, but a person refers to an institution that is not there.
    let dangling = file(&env, "dangling.sqlite3", &backup);
    let edit = rusqlite::Connection::open(&dangling).unwrap();
    edit.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    edit.execute(
        "UPDATE person SET home_institution_id = ?1 WHERE rowid = (SELECT min(rowid) FROM person)",
        [MISSING_ID],
    )
    .unwrap();
    drop(edit);
    let foreign = env.path("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();

    let db = env.db.to_str().unwrap().to_owned();
    let long_name = "x".repeat(201);
    let huge_cell = format!(
        "given_name,family_name,notes\nA,B,{}\n",
        "n".repeat(100_000)
    );
    let csv = |name: &str, text: &str| file(&env, name, text);

    let mut cases = vec![
        // ---- malformed files
        case("empty file", &["import", "person", &csv("empty.csv", "")], EXIT_INVALID, "empty"),
        case(
            "binary file",
            &["import", "person", &file(&env, "img.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")],
            EXIT_INVALID,
            "binary",
        ),
        case(
            "a ZIP that is no spreadsheet",
            &["import", "person", &file(&env, "fake.xlsx", b"PK\x03\x04not really a zip")],
            EXIT_INVALID,
            "spreadsheet",
        ),
        case(
            "an unclosed quote",
            &["import", "person", &csv("quote.csv", "given_name,family_name\n\"Ann,Lee\nBo,Ng\n")],
            EXIT_INVALID,
            "quot",
        ),
        case(
            "no known column",
            &["import", "person", &csv("unknown.csv", "shoe size,favourite colour\n42,blue\n")],
            EXIT_INVALID,
            "no column",
        ),
        case(
            "two columns meaning the same field",
            &["import", "person", &csv("twice.csv", "Email,E-mail address,given_name,family_name\na@x.org,b@x.org,A,B\n")],
            EXIT_INVALID,
            "both mean",
        ),
        case(
            "a file that does not exist",
            &["import", "person", env.path("missing.csv").to_str().unwrap()],
            EXIT_INVALID,
            "missing.csv",
        ),
        case(
            "a file with no column of the entity",
            &["import", "fellowship", &csv("f.csv", "given_name\nA\n")],
            EXIT_INVALID,
            "fellowship field",
        ),
        case(
            "a mapping that is not JSON",
            &["import", "person", &csv("m.csv", "Vorname,Nachname\nA,B\n"), "--mapping", &csv("map.json", "{not json")],
            EXIT_INVALID,
            "--mapping",
        ),
        case(
            "a mapping to a field that does not exist",
            &["import", "person", &csv("m2.csv", "Vorname,Nachname\nA,B\n"), "--mapping", &csv("map2.json", r#"{"Vorname":"shoe_size"}"#)],
            EXIT_INVALID,
            "shoe_size",
        ),
        case(
            "an unknown date order",
            &["import", "person", &csv("d.csv", "given_name,family_name,birth_date\nA,B,03/04/1990\n"), "--date-order", "xyz"],
            EXIT_USAGE,
            "--date-order",
        ),
        case(
            "ambiguous dates without a date order",
            &["import", "person", &csv("d2.csv", "given_name,family_name,birth_date\nA,B,03/04/1990\n")],
            EXIT_INVALID,
            "--date-order",
        ),
        // ---- values in files
        case(
            "a date out of range in a file",
            &["import", "person", &csv("old.csv", "given_name,family_name,birth_date\nA,B,1850-01-01\n")],
            EXIT_INVALID,
            "out of range",
        ),
        case(
            "30 February in a file",
            &["import", "person", &csv("feb.csv", "given_name,family_name,birth_date\nA,B,2027-02-30\n")],
            EXIT_INVALID,
            "not a real date",
        ),
        case(
            "an oversized cell",
            &["import", "person", &csv("huge.csv", &huge_cell)],
            EXIT_INVALID,
            "at most 10000",
        ),
        case(
            "bytes that are not text in any encoding",
            &["import", "person", &file(&env, "bytes.csv", b"given_name,family_name\n\xff\xfe\x81\x8d,Smith\n")],
            EXIT_INVALID,
            "not Windows-1255",
        ),
        case(
            "a NUL inside a cell",
            &["import", "person", &file(&env, "nul.csv", b"given_name,family_name\nAn\x00n,Smith\n")],
            EXIT_INVALID,
            "file|control",
        ),
        case(
            "a bad e-mail in row 2",
            &["import", "person", &csv("mail.csv", "given_name,family_name,email\nA,B,a@example.org\nC,D,not-an-email\n")],
            EXIT_INVALID,
            "row 2",
        ),
        case(
            "an e-mail already taken by another row",
            &["import", "person", &csv("dup.csv", "given_name,family_name,email\nA,B,same@example.org\nC,D,SAME@example.org\n")],
            EXIT_INVALID,
            "same@example.org",
        ),
        case(
            "a placement row for a cohort that does not exist",
            &["import", "placement", &csv("pl.csv", "Cohort,Email,First name,Last name\nNo Such Cohort,x@example.org,X,Y\n")],
            EXIT_INVALID,
            "No Such Cohort",
        ),
        case(
            "a formula in a name cell stays text but must still be a valid name",
            &["import", "person", &csv("formula.csv", "given_name,family_name,orcid\n=HYPERLINK(\"http://evil\"),B,0000-0000-0000-0000\n")],
            EXIT_INVALID,
            "orcid",
        ),
        // ---- records: wrong types, ranges, unknown fields, ids
        case("JSON that does not parse", &["person", "add", "--json", "{\"given_name\":"], EXIT_INVALID, "--json"),
        case("JSON that is not an object", &["person", "add", "--json", "[1,2]"], EXIT_INVALID, "object"),
        case("a number for a name", &["person", "add", "--json", r#"{"given_name":123,"family_name":"B"}"#], EXIT_INVALID, "given_name"),
        case("a month 13", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","birth_date":"1990-13-01"}"#], EXIT_INVALID, "birth_date"),
        case("a year 3000", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","birth_date":"3000-01-01"}"#], EXIT_INVALID, "out of range"),
        case("a negative amount", &["fellowship", "add", "--json", &json!({"person_id": w.people[0], "name": "Grant", "award_minor": -5, "currency": "USD"}).to_string()], EXIT_INVALID, "award_minor"),
        case("a name of 201 characters", &["person", "add", "--json", &json!({"given_name": long_name, "family_name": "B"}).to_string()], EXIT_INVALID, "at most 200"),
        case("a field that does not exist", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","shoe_size":42}"#], EXIT_INVALID, "shoe_size"),
        case("an unknown enum value", &["program", "add", "--json", r#"{"name":"P","kind":"party","tech_areas":["ai"]}"#], EXIT_INVALID, "kind"),
        case("a country that is no ISO code", &["institution", "add", "--json", r#"{"name":"X","country":"Atlantis"}"#], EXIT_INVALID, "country"),
        case("an ORCID with a wrong check digit", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","orcid":"0000-0002-1825-0098"}"#], EXIT_INVALID, "orcid"),
        // Found by fuzzing: these made the parsers slice inside a character and panic.
        case("an ORCID with a multi-byte character where a digit belongs", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","orcid":"000\u06ed0002-1825-0097"}"#], EXIT_INVALID, "orcid"),
        case("a ROR id with accented letters", &["institution", "add", "--json", r#"{"name":"X","country":"US","ror":"0a\u00e9\u00e9\u00e90"}"#], EXIT_INVALID, "ror"),
        case("a reference to a record that does not exist", &["person", "add", "--json", &json!({"given_name": "A", "family_name": "B", "home_institution_id": MISSING_ID}).to_string()], EXIT_INVALID, "home_institution_id"),
        case("a reference that is not an id", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","home_institution_id":"../../etc/passwd"}"#], EXIT_INVALID, "home_institution_id"),
        case("get of an id that does not exist", &["person", "get", MISSING_ID], EXIT_NOT_FOUND, MISSING_ID),
        case("update of an id that does not exist", &["person", "update", MISSING_ID, "--json", r#"{"notes":"x"}"#], EXIT_NOT_FOUND, MISSING_ID),
        case("delete of an id that does not exist", &["institution", "delete", MISSING_ID], EXIT_NOT_FOUND, MISSING_ID),
        case("delete of a record still in use", &["institution", "delete", &w.us], EXIT_REFUSED, "still used"),
        case("an unknown entity", &["template", "spaceship", "-o", &env.path("t.csv").display().to_string()], EXIT_USAGE, "spaceship"),
        case("an unknown command", &["frobnicate"], EXIT_USAGE, "frobnicate"),
        // ---- status rules
        case("a backward status move without --reopen", &["placement", "update", &placement, "--json", r#"{"status":"nominated"}"#], EXIT_REFUSED, "status"),
        case("a move out of a final status", &["placement", "update", &done, "--json", r#"{"status":"active"}"#], EXIT_REFUSED, "status"),
        case("confirming without screening in a sensitive program", &["placement", "update", &screened, "--json", r#"{"status":"confirmed"}"#], EXIT_REFUSED, "screening"),
        case("flagging the screening of a confirmed placement in a sensitive program", &["placement", "update", &confirmed, "--json", r#"{"screening":"flagged"}"#], EXIT_REFUSED, "keeps its screening cleared"),
        case("a placement past the cohort's capacity", &["placement", "add", "--json", &json!({"person_id": w.il_person, "cohort_id": small}).to_string()], EXIT_REFUSED, "capacity"),
        case("a person placed twice in a cohort", &["placement", "add", "--json", &json!({"person_id": w.people[0], "cohort_id": w.cohort_il}).to_string()], EXIT_REFUSED, "cohort"),
        // ---- SQL- and script-looking text is data, but invalid data is still refused
        case("SQL in a field name", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","x\"; DROP TABLE person; --":1}"#], EXIT_INVALID, "not a field"),
        case("SQL in a search-like list query with a control character", &["person", "add", "--json", "{\"given_name\":\"Robert'); DROP TABLE person;--\\u0007\",\"family_name\":\"Tables\"}"], EXIT_INVALID, "control character"),
        case("script in an e-mail", &["person", "add", "--json", r#"{"given_name":"A","family_name":"B","email":"<script>alert(1)</script>@x.org"}"#], EXIT_INVALID, "email"),
        case("a javascript: URL", &["institution", "add", "--json", r#"{"name":"X","country":"US","website":"javascript:alert(1)"}"#], EXIT_INVALID, "website"),
        // ---- path tricks
        case("-o into a folder that does not exist", &["export", "all", "-o", "../../no-such-folder/x.json"], EXIT_INVALID, "no-such-folder"),
        case("-o onto a folder", &["export", "all", "-o", env.dir().to_str().unwrap()], EXIT_INVALID, "folder"),
        case("-o onto the database itself", &["export", "all", "-o", &db], EXIT_INVALID, "database itself"),
        case("-o onto the database by another path", &["export", "roster", "Haifa Autumn 2026", "--format", "csv", "-o", &format!("{}/../{}/desk.sqlite3", env.dir().display(), env.dir().file_name().unwrap().to_str().unwrap())], EXIT_INVALID, "database itself"),
        case("-o onto the database's write-ahead log", &["sync", "export", "-o", &format!("{db}-wal")], EXIT_INVALID, "database itself"),
        case("backup -o onto the database by another path", &["backup", "-o", &format!("./{}", env.db.file_name().unwrap().to_str().unwrap())], EXIT_INVALID, "database itself"),
        // ---- sync packages
        case("a package that is not JSON", &["sync", "import", &file(&env, "junk.exdesk-sync", "PK not a package")], EXIT_REFUSED, "not an Exchange Desk sync package"),
        case("a package cut short", &["sync", "import", &file(&env, "cut.exdesk-sync", &pkg[..pkg.len() / 2]), "--trust"], EXIT_REFUSED, "cut short"),
        case("a package with an altered payload", &["sync", "import", &file(&env, "altered.exdesk-sync", tampered(&pkg, "sha256", json!("00"))), "--trust"], EXIT_REFUSED, "checksum"),
        case("a package re-signed under another name", &["sync", "import", &file(&env, "renamed.exdesk-sync", tampered(&pkg, "device_name", json!("Trusted Laptop"))), "--trust"], EXIT_REFUSED, "signature"),
        case("a package of a newer format", &["sync", "import", &file(&env, "newer.exdesk-sync", tampered(&pkg, "version", json!(99))), "--trust"], EXIT_REFUSED, "newer"),
        case("a package from an untrusted device", &["sync", "import", pkg_path.to_str().unwrap()], EXIT_REFUSED, "not trusted"),
        case("this installation's own package", &["sync", "import", own_pkg.to_str().unwrap(), "--trust"], EXIT_REFUSED, "this installation"),
        // ---- backups to restore
        case("a backup that does not exist", &["restore", env.path("nope.sqlite3").to_str().unwrap()], EXIT_INVALID, "does not exist"),
        case("a folder as a backup", &["restore", env.dir().to_str().unwrap()], EXIT_INVALID, "is a folder, not a backup file"),
        case("a text file as a backup", &["restore", &csv("notes.txt", "hello")], EXIT_REFUSED, "not an Exchange Desk"),
        case("a backup cut short", &["restore", &file(&env, "cut.sqlite3", &backup[..backup.len() / 3])], EXIT_REFUSED, "damaged|not an Exchange Desk"),
        case("a backup from a newer program", &["restore", &newer], EXIT_REFUSED, "newer"),
        case("a backup whose records refer to missing ones", &["restore", &dangling], EXIT_REFUSED, "missing institution"),
        case("an SQLite file of another program", &["restore", foreign.to_str().unwrap()], EXIT_REFUSED, "not an Exchange Desk"),
    ];

    // Invalid UTF-8 in an argument is a usage error, found before anything runs.
    cases.push(Case {
        what: "invalid UTF-8 in --json",
        args: vec![
            "person".into(),
            "add".into(),
            "--json".into(),
            OsString::from_vec(b"{\"given_name\":\"\xff\",\"family_name\":\"B\"}".to_vec()),
        ],
        code: EXIT_USAGE,
        says: "UTF-8",
    });

    let count = cases.len();
    let mut failures = Vec::new();
    for c in cases {
        let mut args: Vec<OsString> = vec!["--db".into(), env.db.clone().into()];
        args.extend(c.args.iter().cloned());
        let out = env.unchanged(|| env.run_with(&args, &[]));
        let said = out.stderr.to_lowercase();
        if out.code != c.code {
            failures.push(format!(
                "{}: `{}` exited {} (expected {}):\n{}",
                c.what, out.cmd, out.code, c.code, out.stderr
            ));
        } else if !c.says.split('|').any(|s| said.contains(&s.to_lowercase())) {
            failures.push(format!(
                "{}: `{}` does not say {:?}:\n{}",
                c.what, out.cmd, c.says, out.stderr
            ));
        } else if !out.stdout.trim().is_empty() {
            failures.push(format!(
                "{}: failed but printed on stdout:\n{}",
                c.what, out.stdout
            ));
        } else if out.stderr.len() > 2000 {
            failures.push(format!(
                "{}: the message is a flood of {} bytes",
                c.what,
                out.stderr.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(count >= 40, "the catalogue holds {count} cases");
    env.run(&["check"]).ok();
    println!("bad-input catalogue: {count} cases refused clearly, the data unchanged");
}
