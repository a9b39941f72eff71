//! Encryption at rest through the CLI: encrypt, the refusals without or with a wrong
//! passphrase, rekey, backups that stay encrypted, decrypt.

use std::ffi::OsStr;

use serde_json::json;

use crate::harness::{EXIT_REFUSED, Env};

fn with_passphrase(env: &Env, passphrase: &str, args: &[&str]) -> crate::harness::Out {
    let mut full: Vec<&OsStr> = vec![OsStr::new("--db"), env.db.as_os_str()];
    full.extend(args.iter().map(OsStr::new));
    env.run_with(&full, &[("EXDESK_PASSPHRASE", OsStr::new(passphrase))])
}

fn plain_sqlite_reads(path: &std::path::Path) -> bool {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok()
}

#[test]
fn an_encrypted_database_opens_only_with_its_passphrase_and_its_backups_stay_encrypted() {
    let env = Env::new();
    let id = env.add_id("institution", &json!({"name": "Technion", "country": "IL"}));
    with_passphrase(&env, "first passphrase", &["encrypt"]).ok();
    assert!(
        !plain_sqlite_reads(&env.db),
        "SQLite alone must not read it"
    );

    env.run(&["institution", "get", &id])
        .code(EXIT_REFUSED)
        .stderr_mentions("EXDESK_PASSPHRASE");
    with_passphrase(&env, "not the passphrase", &["institution", "get", &id])
        .code(EXIT_REFUSED)
        .stderr_mentions("passphrase");
    let got = with_passphrase(&env, "first passphrase", &["institution", "get", &id]);
    assert_eq!(got.ok().json()["name"], "Technion");
    // Encrypting it again says it is encrypted already (with or without its passphrase).
    for pass in ["first passphrase", "another passphrase"] {
        with_passphrase(&env, pass, &["encrypt"])
            .code(EXIT_REFUSED)
            .stderr_mentions("encrypted already");
    }

    let backup = env.path("backup.sqlite3");
    with_passphrase(
        &env,
        "first passphrase",
        &["backup", "-o", backup.to_str().unwrap()],
    )
    .ok();
    assert!(
        !plain_sqlite_reads(&backup),
        "a backup of an encrypted database is encrypted"
    );

    // Rekey: the new passphrase from EXDESK_NEW_PASSPHRASE; the old one stops working.
    let full: Vec<&OsStr> = vec![OsStr::new("--db"), env.db.as_os_str(), OsStr::new("rekey")];
    env.run_with(
        &full,
        &[
            ("EXDESK_PASSPHRASE", OsStr::new("first passphrase")),
            ("EXDESK_NEW_PASSPHRASE", OsStr::new("second passphrase")),
        ],
    )
    .ok();
    with_passphrase(&env, "first passphrase", &["institution", "get", &id]).code(EXIT_REFUSED);
    with_passphrase(&env, "second passphrase", &["institution", "get", &id]).ok();

    with_passphrase(&env, "second passphrase", &["decrypt"]).ok();
    assert!(
        plain_sqlite_reads(&env.db),
        "decrypted: a plain SQLite file again"
    );
    assert_eq!(env.get("institution", &id)["name"], "Technion");
}

/// A script that sets $EXDESK_PASSPHRASE once for every command: the database its first
/// command creates is a plain one (only `encrypt` encrypts), so `encrypt` then works, and
/// afterwards the same environment opens it.
#[test]
fn a_passphrase_set_from_the_start_encrypts_only_on_encrypt() {
    let env = Env::new();
    let pass = "from the very start";
    let out = with_passphrase(
        &env,
        pass,
        &[
            "institution",
            "add",
            "--json",
            r#"{"name":"Technion","country":"IL"}"#,
        ],
    );
    let id = out.ok().json()["id"].as_str().unwrap().to_owned();
    assert!(plain_sqlite_reads(&env.db), "created plain");
    with_passphrase(&env, pass, &["stats", "--json"]).ok();
    with_passphrase(&env, pass, &["encrypt"]).ok();
    assert!(!plain_sqlite_reads(&env.db), "encrypted by encrypt");
    env.run(&["institution", "get", &id]).code(EXIT_REFUSED);
    let got = with_passphrase(&env, pass, &["institution", "get", &id]);
    assert_eq!(got.ok().json()["name"], "Technion");
}

/// A wrong passphrase is one readable line on stderr: SQLCipher's own log lines ("ERROR
/// CORE sqlcipher_page_cipher: hmac check failed for pgno=1") are silenced, whether the
/// database is opened or a backup is checked before a restore.
#[test]
fn a_wrong_passphrase_is_one_readable_line() {
    let env = Env::new();
    env.add_id("institution", &json!({"name": "Technion", "country": "IL"}));
    with_passphrase(&env, "right passphrase", &["encrypt"]).ok();
    let backup = env.path("backup.sqlite3");
    let backup = backup.to_str().unwrap();
    with_passphrase(&env, "right passphrase", &["backup", "-o", backup]).ok();
    for args in [
        vec!["restore", backup],
        vec!["institution", "list"],
        vec!["backup", "-o", "again.sqlite3"],
        vec!["check"],
    ] {
        let out = with_passphrase(&env, "wrongwrong", &args);
        out.code(EXIT_REFUSED);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert!(
            lines.len() == 1 && lines[0].starts_with("error: ") && lines[0].contains("passphrase"),
            "`{}`: stderr is not one readable line:\n{}",
            out.cmd,
            out.stderr
        );
    }
}

/// `--db` naming another program's SQLite file is refused by every command (`check`
/// too), naming the file, and the file is left exactly as it was.
/// `--db` naming a file that is no database at all (a mistyped path to a text file) is
/// refused (exit 5, as a damaged file is), not an unexpected failure, and left as it was.
#[test]
fn a_file_that_is_no_database_is_refused() {
    let env = Env::new();
    let notes = env.path("notes.txt");
    let text = "not a database, just notes\n".repeat(200);
    std::fs::write(&notes, &text).unwrap();
    for args in [vec!["stats", "--json"], vec!["check"]] {
        let mut full = vec!["--db", notes.to_str().unwrap()];
        full.extend(args);
        let out = env.run_with(&full, &[]);
        out.code(EXIT_REFUSED);
        assert!(
            out.stderr.contains("notes.txt"),
            "`{}`: {}",
            out.cmd,
            out.stderr
        );
        assert!(out.stdout.is_empty(), "`{}`: {}", out.cmd, out.stdout);
    }
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
}

#[test]
fn another_programs_sqlite_file_is_refused_by_every_command_and_left_alone() {
    let env = Env::new();
    let foreign = env.path("places.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
             INSERT INTO moz_places (url) VALUES ('https://example.org');",
        )
        .unwrap();
    }
    let bytes = std::fs::read(&foreign).unwrap();
    let backup = env.path("backup.sqlite3");
    env.add_id("institution", &json!({"name": "Technion", "country": "IL"}));
    env.run(&["backup", "-o", backup.to_str().unwrap()]).ok();
    let db = foreign.to_str().unwrap();
    for args in [
        vec!["stats", "--json"],
        vec!["check"],
        vec!["init"],
        vec!["person", "list", "--json"],
        vec!["backup", "-o", "copy.sqlite3"],
        vec!["restore", backup.to_str().unwrap()],
    ] {
        let mut full = vec!["--db", db];
        full.extend(args);
        let out = env.run_with(&full, &[]);
        out.code(EXIT_REFUSED);
        assert!(
            out.stderr
                .contains("places.sqlite is not an Exchange Desk database"),
            "`{}`: {}",
            out.cmd,
            out.stderr
        );
        assert!(out.stdout.is_empty(), "`{}`: {}", out.cmd, out.stdout);
    }
    assert_eq!(std::fs::read(&foreign).unwrap(), bytes);
    assert!(!env.path("places.sqlite-wal").exists());
    assert!(!env.path("copy.sqlite3").exists());
    // A SQLite file with no tables is still made a database.
    let empty = env.path("empty.sqlite3");
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); DROP TABLE t;")
        .unwrap();
    env.run_with(&["--db", empty.to_str().unwrap(), "init"], &[])
        .ok();
    env.run_with(&["--db", empty.to_str().unwrap(), "check"], &[])
        .ok();
}

/// An import refused for a bad row (exit 3) or whose rows change nothing
/// makes no backup; one that writes does.
#[test]
fn only_an_import_that_writes_makes_a_backup() {
    let env = Env::new();
    env.add_id("institution", &json!({"name": "Technion", "country": "IL"}));
    let count = || match env.ok_json(&["backups", "--json"]) {
        serde_json::Value::Array(list) => list.len(),
        other => panic!("`backups --json` printed {other}"),
    };
    let file = env.path("people.csv");
    std::fs::write(
        &file,
        "given_name,family_name,email\nNoa,Levi,not-an-email\n",
    )
    .unwrap();
    let shown = file.to_str().unwrap();
    env.run(&["import", "person", shown]).code(3);
    assert_eq!(count(), 0, "a refused import");
    std::fs::write(
        &file,
        "given_name,family_name,email\nNoa,Levi,noa@example.org\n",
    )
    .unwrap();
    env.run(&["import", "person", shown]).ok();
    assert_eq!(count(), 1, "an import that adds a person");
    for _ in 0..2 {
        env.run(&["import", "person", shown]).ok();
    }
    assert_eq!(count(), 1, "imports that change nothing");
}

/// `restore` of a plain backup over an encrypted database keeps it
/// encrypted (with $EXDESK_PASSPHRASE) and says so on stderr; without the passphrase it
/// says the restored database is not encrypted.
#[test]
fn restoring_a_plain_backup_over_an_encrypted_database_keeps_it_encrypted() {
    let env = Env::new();
    let id = env.add_id("institution", &json!({"name": "Technion", "country": "IL"}));
    let backup = env.path("plain.sqlite3");
    let shown = backup.to_str().unwrap();
    env.run(&["backup", "-o", shown]).ok();
    with_passphrase(&env, "first passphrase", &["encrypt"]).ok();
    let out = with_passphrase(&env, "first passphrase", &["restore", shown]);
    out.ok();
    assert!(
        out.stderr
            .contains("the restored database was encrypted with the same passphrase"),
        "{}",
        out.stderr
    );
    assert!(!plain_sqlite_reads(&env.db));
    env.run(&["check"])
        .code(EXIT_REFUSED)
        .stderr_mentions("encrypted");
    with_passphrase(&env, "first passphrase", &["institution", "get", &id]).ok();
    with_passphrase(&env, "first passphrase", &["check"]).ok();
    // Without the passphrase it cannot be kept encrypted: stderr says so plainly.
    let out = env.run(&["restore", shown]);
    out.ok();
    assert!(
        out.stderr
            .contains("the restored database is NOT encrypted"),
        "{}",
        out.stderr
    );
    assert!(plain_sqlite_reads(&env.db));
    env.run(&["check"]).ok();
}
