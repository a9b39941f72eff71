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
