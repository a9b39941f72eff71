//! Encryption at rest, backups and restores, automatic backups.

use exdesk_core::{Db, Entity, ErrorCode, WriteOptions, safety};
use serde_json::json;

fn demo_db(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("office.sqlite3");
    Db::open(&path).unwrap().load_demo().unwrap();
    path
}

#[test]
fn an_encrypted_database_opens_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let before = Db::open(&path).unwrap().export_all().unwrap();
    let db = Db::open(&path)
        .unwrap()
        .set_passphrase(Some("correct horse"))
        .unwrap();
    assert!(db.encrypted());
    drop(db);
    assert!(exdesk_core::is_encrypted(&path));
    // Unreadable without the key, as the sqlite3 shell would find it.
    let plain = rusqlite::Connection::open(&path).unwrap();
    assert!(
        plain
            .query_row("SELECT count(*) FROM person", [], |r| r.get::<_, i64>(0))
            .is_err()
    );
    assert_eq!(Db::open(&path).err().unwrap().code(), ErrorCode::Locked);
    assert_eq!(
        Db::open_keyed(&path, Some("wrong horse"))
            .err()
            .unwrap()
            .code(),
        ErrorCode::WrongPassphrase
    );
    let db = Db::open_keyed(&path, Some("correct horse")).unwrap();
    assert_eq!(db.export_all().unwrap(), before);
    // Rekey, then decrypt: the data never changes.
    let db = db.set_passphrase(Some("battery staple")).unwrap();
    drop(db);
    assert!(Db::open_keyed(&path, Some("correct horse")).is_err());
    let db = Db::open_keyed(&path, Some("battery staple"))
        .unwrap()
        .set_passphrase(None)
        .unwrap();
    assert!(!db.encrypted());
    assert_eq!(db.export_all().unwrap(), before);
    assert!(!exdesk_core::is_encrypted(&path));
    assert_eq!(
        Db::open(&path)
            .unwrap()
            .set_passphrase(Some("short"))
            .err()
            .unwrap()
            .code(),
        ErrorCode::Invalid
    );
}

#[test]
fn backups_are_consistent_and_stay_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let db = Db::open(&path)
        .unwrap()
        .set_passphrase(Some("correct horse"))
        .unwrap();
    let copy = dir.path().join("copy.sqlite3");
    db.backup_to(&copy).unwrap();
    assert!(exdesk_core::is_encrypted(&copy));
    let restored = Db::open_keyed(&copy, Some("correct horse")).unwrap();
    assert_eq!(restored.export_all().unwrap(), db.export_all().unwrap());
    assert!(restored.check().unwrap().ok);
    assert!(db.backup_to(db.path()).is_err());
}

#[test]
fn restore_verifies_first_and_keeps_the_replaced_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open(&path).unwrap();
    let backup = dir.path().join("before.sqlite3");
    db.backup_to(&backup).unwrap();
    let before = db.export_all().unwrap();
    db.add(
        Entity::Institution,
        &json!({"name": "Added later", "country": "DE"}),
        WriteOptions::default(),
    )
    .unwrap();
    let after = db.export_all().unwrap();
    drop(db);
    // A damaged or foreign file is refused and nothing is replaced.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(
        &junk,
        b"not a database at all, certainly not a backup of one",
    )
    .unwrap();
    assert!(safety::restore(&path, &junk, None).is_err());
    let missing = dir.path().join("missing.sqlite3");
    assert!(safety::restore(&path, &missing, None).is_err());
    assert_eq!(Db::open(&path).unwrap().export_all().unwrap(), after);
    // A good backup replaces the database; the old one is kept aside.
    let summary = safety::restore(&path, &backup, None).unwrap();
    assert_eq!(Db::open(&path).unwrap().export_all().unwrap(), before);
    let kept = summary
        .replaced_kept_at
        .expect("the replaced database is kept");
    assert_eq!(
        Db::open(std::path::Path::new(&kept))
            .unwrap()
            .export_all()
            .unwrap(),
        after
    );
}

#[test]
fn imports_and_sync_imports_make_a_backup_first_and_old_ones_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open(&path).unwrap();
    db.set_setting("backup.keep", "2").unwrap();
    let file = dir.path().join("people.csv");
    for i in 0..3 {
        std::fs::write(&file, format!("given_name,family_name\nNoa,Levi{i}\n")).unwrap();
        let opts = exdesk_core::import::ImportOptions::default();
        db.import_file(Entity::Person, &file, &opts, &mut |_| true)
            .unwrap();
    }
    let backups = db.backups().unwrap();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert!(backups.iter().all(|b| b.reason == "import"));
    // The newest backup holds the data as it was before the last import.
    let newest = Db::open(std::path::Path::new(&backups[0].path)).unwrap();
    assert_eq!(
        newest.stats().unwrap().counts["person"] + 1,
        db.stats().unwrap().counts["person"]
    );
    // A dry run makes none.
    let dry = exdesk_core::import::ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    db.import_file(Entity::Person, &file, &dry, &mut |_| true)
        .unwrap();
    assert_eq!(db.backups().unwrap()[0].path, backups[0].path);
}

#[test]
fn quick_check_passes_on_a_healthy_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&demo_db(dir.path())).unwrap();
    assert!(db.quick_check().unwrap().ok);
}

#[test]
fn the_app_changes_the_passphrase_only_with_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open(&path).unwrap();
    let before = db.export_all().unwrap();
    db.change_passphrase(None, Some("correct horse")).unwrap();
    assert!(db.encrypted() && exdesk_core::is_encrypted(&path));
    assert_eq!(db.export_all().unwrap(), before);
    // A wrong current passphrase is refused, says nothing of either passphrase, and
    // changes nothing.
    let err = db
        .change_passphrase(Some("wrong horse"), Some("battery staple"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongPassphrase);
    let message = err.to_string();
    assert!(
        !message.contains("horse") && !message.contains("battery"),
        "{message}"
    );
    let err = db.change_passphrase(None, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongPassphrase);
    drop(db);
    let mut db = Db::open_keyed(&path, Some("correct horse")).unwrap();
    // Too short: refused, still encrypted with the old one.
    let err = db
        .change_passphrase(Some("correct horse"), Some("short"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    db.change_passphrase(Some("correct horse"), Some("battery staple"))
        .unwrap();
    // The database stays usable in place after each change.
    db.add(
        Entity::Institution,
        &json!({"name": "After rekey", "country": "DE"}),
        WriteOptions::default(),
    )
    .unwrap();
    let after = db.export_all().unwrap();
    drop(db);
    assert_eq!(
        Db::open_keyed(&path, Some("correct horse"))
            .err()
            .unwrap()
            .code(),
        ErrorCode::WrongPassphrase
    );
    let mut db = Db::open_keyed(&path, Some("battery staple")).unwrap();
    db.change_passphrase(Some("battery staple"), None).unwrap();
    assert!(!db.encrypted() && !exdesk_core::is_encrypted(&path));
    assert_eq!(db.export_all().unwrap(), after);
    assert_eq!(
        db.change_passphrase(None, None).unwrap_err().code(),
        ErrorCode::Refused
    );
}

#[test]
fn back_up_now_then_restore_in_place_and_keep_the_newest_n() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open(&path).unwrap();
    let made = db.backup_now().unwrap();
    assert_eq!(made.reason, "manual");
    assert!(made.bytes > 0);
    let info = db.safety_info().unwrap();
    assert!(!info.encrypted);
    assert_eq!(info.backup_keep, 10);
    assert_eq!(info.backups.len(), 1);
    assert_eq!(info.backups[0].path, made.path);
    let before = db.export_all().unwrap();
    db.add(
        Entity::Institution,
        &json!({"name": "Added after the backup", "country": "DE"}),
        WriteOptions::default(),
    )
    .unwrap();
    let after = db.export_all().unwrap();

    // A file that is not a good backup is refused and the database stays open as it was.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    assert!(db.restore_from(&junk).is_err());
    assert_eq!(db.export_all().unwrap(), after);

    let summary = db.restore_from(std::path::Path::new(&made.path)).unwrap();
    assert_eq!(db.export_all().unwrap(), before);
    let kept = summary.replaced_kept_at.expect("the replaced file is kept");
    assert_eq!(
        Db::open(std::path::Path::new(&kept))
            .unwrap()
            .export_all()
            .unwrap(),
        after
    );
    // Still usable: a write after the restore lands in the restored file.
    db.add(
        Entity::Institution,
        &json!({"name": "After the restore", "country": "FR"}),
        WriteOptions::default(),
    )
    .unwrap();
    drop(db);
    let mut db = Db::open(&path).unwrap();
    let now = db.export_all().unwrap();
    assert!(now.contains("After the restore"));
    assert!(!now.contains("Added after the backup"));

    // The rotation count: validated, then applied at the next backup.
    for bad in [0, safety::MAX_BACKUPS_KEPT + 1] {
        let err = db.set_backup_keep(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Invalid);
        assert!(format!("{err:?}").contains("backup.keep"), "{err:?}");
    }
    db.set_backup_keep(2).unwrap();
    assert_eq!(db.backup_keep().unwrap(), 2);
    db.backup_now().unwrap();
    db.backup_now().unwrap();
    let backups = db.backups().unwrap();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert!(backups.iter().all(|b| b.path != made.path));
}

#[test]
fn the_newest_good_backup_skips_damaged_and_foreign_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open(&path).unwrap();
    assert!(db.newest_good_backup().is_none());
    let good = db.backup_now().unwrap();
    let newer = db.backup_now().unwrap();
    assert_eq!(db.newest_good_backup().unwrap().path, newer.path);
    // The newest is damaged: the one before it is offered.
    std::fs::write(&newer.path, b"truncated").unwrap();
    assert_eq!(db.newest_good_backup().unwrap().path, good.path);
    // Works while the database itself cannot be opened.
    drop(db);
    assert_eq!(
        safety::newest_good_backup(&path, None).unwrap().path,
        good.path
    );
    // An encrypted backup needs its passphrase.
    let db = Db::open(&path)
        .unwrap()
        .set_passphrase(Some("correct horse"))
        .unwrap();
    let mut db = db;
    std::fs::remove_file(&good.path).unwrap();
    let keyed = db.backup_now().unwrap();
    drop(db);
    assert!(safety::newest_good_backup(&path, None).is_none());
    assert!(safety::newest_good_backup(&path, Some("wrong horse")).is_none());
    assert_eq!(
        safety::newest_good_backup(&path, Some("correct horse"))
            .unwrap()
            .path,
        keyed.path
    );
}

#[test]
fn the_daily_backup_and_quick_check_run_on_a_connection_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open_keyed(&path, None)
        .unwrap()
        .set_passphrase(Some("correct horse"))
        .unwrap();
    let detached = db.detached().unwrap();
    assert!(detached.bytes() > 0);
    assert!(detached.quick_check().unwrap().ok);
    // The app's own connection can write while the detached one backs up.
    db.add(
        Entity::Institution,
        &json!({"name": "Written meanwhile", "country": "DE"}),
        WriteOptions::default(),
    )
    .unwrap();
    let made = detached.daily_backup().unwrap().expect("a daily backup");
    assert!(exdesk_core::is_encrypted(&made));
    assert!(detached.daily_backup().unwrap().is_none(), "once a day");
    assert!(
        db.daily_backup().unwrap().is_none(),
        "once a day, either way"
    );
    let backups = db.backups().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, "daily");
    // A small file is checked when it opens.
    assert!(
        db.quick_check_at_open()
            .unwrap()
            .expect("checked at once")
            .ok
    );
    // An empty database gets no daily backup.
    let empty = Db::open(&dir.path().join("empty.sqlite3")).unwrap();
    assert!(empty.detached().unwrap().daily_backup().unwrap().is_none());
}

/// The app closed while a daily backup was being copied leaves its unfinished copy; the
/// next daily backup removes it (it may be gigabytes), and nothing else.
#[test]
fn a_daily_backup_removes_the_unfinished_copies_of_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let db = Db::open(&path).unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let unfinished = backups.join(format!(
        ".{stem}-20260101T000000.000Z-daily.sqlite3.backup.0123abcd"
    ));
    let journal = backups.join(format!(
        ".{stem}-20260101T000000.000Z-daily.sqlite3.backup.0123abcd-journal"
    ));
    let other = backups.join(format!(
        ".{stem}-20260101T000000.000Z-import.sqlite3.backup.42"
    ));
    let unrelated = backups.join(".other-20260101T000000.000Z-daily.sqlite3.backup.1");
    for file in [&unfinished, &journal, &other, &unrelated] {
        std::fs::write(file, b"half a copy").unwrap();
    }
    let made = db
        .detached()
        .unwrap()
        .daily_backup()
        .unwrap()
        .expect("made");
    assert!(made.is_file());
    assert!(
        !unfinished.exists() && !journal.exists(),
        "the unfinished copy is gone"
    );
    assert!(
        other.exists() && unrelated.exists(),
        "nothing else is touched"
    );
}

#[test]
fn quick_check_finds_damaged_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    {
        let db = Db::open(&path).unwrap();
        db.backup_to(&dir.path().join("plain.sqlite3")).unwrap();
    }
    // A copy without WAL, then pages in its middle overwritten (a bad disk sector).
    let damaged = dir.path().join("plain.sqlite3");
    let mut bytes = std::fs::read(&damaged).unwrap();
    let page = 4096;
    assert!(bytes.len() > 8 * page, "the demo spans several pages");
    for b in &mut bytes[3 * page + 100..6 * page] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let report = match Db::open(&damaged) {
        Ok(db) => db.quick_check_at_open().unwrap().expect("a small file"),
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::Damaged, "{e}");
            return;
        }
    };
    assert!(!report.ok);
    assert!(!report.problems.is_empty());
}

/// A backup cut short (the app closed while copying a national database) leaves a
/// temporary file as big as the database; the next backup removes it once it has been
/// idle for an hour, and leaves one still being written alone.
#[test]
fn a_backup_cut_short_leaves_nothing_behind_for_long() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let mut db = Db::open(&path).unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let left = backups.join(".office-20261127T101010.000Z-daily.sqlite3.backup.0123abcd");
    let left_journal = backups.join(format!("{}-journal", left.display()));
    let busy = backups.join(".office-20261128T101010.000Z-daily.sqlite3.backup.4567ef01");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3700);
    for file in [&left, &left_journal, &busy] {
        std::fs::write(file, b"half a database").unwrap();
    }
    for file in [&left, &left_journal] {
        std::fs::File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }
    db.backup_now().unwrap();
    assert!(!left.exists() && !left_journal.exists());
    assert!(busy.exists(), "a backup still being written is left alone");
    assert_eq!(db.backups().unwrap().len(), 1);
}

/// The restore point before an import or a sync import is made only when
/// it changes something. A package already applied, an import refused for a bad row, a
/// dry run and a file whose every row is unchanged leave the backups as they were, so
/// repeated no-op runs never rotate earlier restore points away.
#[test]
fn only_imports_and_sync_imports_that_change_something_make_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let office = demo_db(dir.path());
    let package = dir.path().join("office.exdesk-sync");
    Db::open(&office)
        .unwrap()
        .sync_export(&package, None, None)
        .unwrap();
    let path = dir.path().join("campus.sqlite3");
    let mut db = Db::open(&path).unwrap();
    db.add(
        Entity::Institution,
        &json!({"name": "Campus", "country": "IL"}),
        WriteOptions::default(),
    )
    .unwrap();
    let before = db.export_all().unwrap();

    let first = db.sync_import(&package, true).unwrap();
    assert!(first.changes > 0);
    let backups = db.backups().unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].reason, "sync");
    // The restore point holds the database as it was before the package.
    assert_eq!(
        Db::open(std::path::Path::new(&backups[0].path))
            .unwrap()
            .export_all()
            .unwrap(),
        before
    );
    for _ in 0..3 {
        assert_eq!(db.sync_import(&package, false).unwrap().changes, 0);
    }
    assert_eq!(db.backups().unwrap().len(), 1, "a package already applied");

    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        "given_name,family_name,email\nNoa,Levi,noa@example.org\n",
    )
    .unwrap();
    let opts = exdesk_core::import::ImportOptions::default();
    let report = db
        .import_file(Entity::Person, &file, &opts, &mut |_| true)
        .unwrap();
    assert_eq!(report.added, 1);
    let backups = db.backups().unwrap();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert_eq!(backups[0].reason, "import");
    let unchanged = db
        .import_file(Entity::Person, &file, &opts, &mut |_| true)
        .unwrap();
    assert_eq!(
        (unchanged.added, unchanged.updated, unchanged.unchanged),
        (0, 0, 1)
    );
    let dry = exdesk_core::import::ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    std::fs::write(
        &file,
        "given_name,family_name,email\nGil,Bar,gil@example.org\n",
    )
    .unwrap();
    assert!(
        !db.import_file(Entity::Person, &file, &dry, &mut |_| true)
            .unwrap()
            .written
    );
    std::fs::write(
        &file,
        "given_name,family_name,email\nGil,Bar,not-an-email\n",
    )
    .unwrap();
    assert!(
        !db.import_file(Entity::Person, &file, &opts, &mut |_| true)
            .unwrap()
            .written
    );
    let paths =
        |list: Vec<safety::BackupFile>| list.into_iter().map(|b| b.path).collect::<Vec<_>>();
    assert_eq!(
        paths(db.backups().unwrap()),
        paths(backups),
        "nothing written, no backup"
    );
}

/// A file of another program (SQLite, with tables, none of ours) given as
/// the database is refused by every way of opening it, and by a restore onto it, and is
/// not changed at all; an empty SQLite file is still made a database.
#[test]
fn another_programs_sqlite_file_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("places.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
             INSERT INTO moz_places (url) VALUES ('https://example.org');",
        )
        .unwrap();
    }
    let bytes = std::fs::read(&foreign).unwrap();
    let backup = dir.path().join("backup.sqlite3");
    Db::open(&demo_db(dir.path()))
        .unwrap()
        .backup_to(&backup)
        .unwrap();
    let refusals = [
        Db::open(&foreign).err(),
        Db::open_existing(&foreign).err(),
        Db::open_keyed(&foreign, Some("correct horse")).err(),
        safety::restore(&foreign, &backup, None).err(),
    ];
    for err in refusals {
        let err = err.expect("refused");
        assert_eq!(err.code(), ErrorCode::Refused, "{err}");
        let said = err.to_string();
        assert!(
            said.contains("places.sqlite is not an Exchange Desk database"),
            "{said}"
        );
    }
    assert_eq!(
        std::fs::read(&foreign).unwrap(),
        bytes,
        "the file is unchanged"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("places"))
        .collect();
    assert_eq!(names, ["places.sqlite"], "no log, no copy beside it");

    // A SQLite file without tables (left by a program that made none) is new.
    let empty = dir.path().join("empty.sqlite3");
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); DROP TABLE t;")
        .unwrap();
    assert!(std::fs::metadata(&empty).unwrap().len() > 0);
    let db = Db::open(&empty).unwrap();
    assert!(db.is_empty().unwrap());
    assert!(db.check().unwrap().ok);
}

/// A plain backup restored over an encrypted database is encrypted with
/// the database's passphrase before it goes in place, and the summary says so; without
/// a passphrase the result is plain and the summary says that.
#[test]
fn a_plain_backup_restored_over_an_encrypted_database_stays_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db(dir.path());
    let plain = dir.path().join("plain.sqlite3");
    let db = Db::open(&path).unwrap();
    db.backup_to(&plain).unwrap();
    let before = db.export_all().unwrap();
    let mut db = db.set_passphrase(Some("correct horse")).unwrap();
    db.add(
        Entity::Institution,
        &json!({"name": "Added later", "country": "DE"}),
        WriteOptions::default(),
    )
    .unwrap();

    // The app's restore, on the open database.
    let summary = db.restore_from(&plain).unwrap();
    assert!(db.encrypted());
    assert_eq!(db.export_all().unwrap(), before);
    let notice = summary.notice.expect("a notice");
    assert_eq!(notice.code, "restore.encrypted_again");
    drop(db);
    assert!(exdesk_core::is_encrypted(&path));
    assert_eq!(Db::open(&path).err().unwrap().code(), ErrorCode::Locked);

    // The CLI's, with the passphrase.
    let summary = safety::restore(&path, &plain, Some("correct horse")).unwrap();
    assert_eq!(summary.notice.unwrap().code, "restore.encrypted_again");
    let db = Db::open_keyed(&path, Some("correct horse")).unwrap();
    assert!(db.encrypted());
    assert_eq!(db.export_all().unwrap(), before);
    assert!(db.check().unwrap().ok);
    drop(db);
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        !name.contains(".restore.")
    }));

    // Without a passphrase it cannot be encrypted: the summary says it is not.
    let summary = safety::restore(&path, &plain, None).unwrap();
    let notice = summary.notice.expect("a notice");
    assert_eq!(notice.code, "restore.not_encrypted");
    assert!(
        notice.message.contains("NOT encrypted"),
        "{}",
        notice.message
    );
    assert!(!exdesk_core::is_encrypted(&path));
    // Plain over plain, or an encrypted backup: nothing to say.
    let summary = safety::restore(&path, &plain, None).unwrap();
    assert!(summary.notice.is_none());
}
