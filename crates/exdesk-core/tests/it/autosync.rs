//! Automatic shared-folder sync: the remembered choices, the change mark, and two laptops
//! kept in step through one folder by the scheduler alone (times are passed in, so no
//! test waits).

use exdesk_core::autosync::{
    AutoSync, DEBOUNCE_MS, POLL_MS, Trigger, error_text, folder_state, imported_changes,
};
use exdesk_core::{Db, Entity, ErrorCode, ListQuery, WriteOptions};
use serde_json::json;

use crate::{add, id, temp_db};

#[test]
fn the_folder_setting_is_checked_and_can_be_forgotten() {
    let (dir, mut db) = temp_db();
    assert_eq!(db.sync_folder_setting().unwrap(), None);
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let shared = shared.to_str().unwrap().to_owned();
    db.set_sync_folder_setting(&shared).unwrap();
    assert_eq!(db.sync_folder_setting().unwrap().as_deref(), Some(&*shared));

    let missing = dir.path().join("missing");
    let file = dir.path().join("test.sqlite3");
    for (bad, says) in [
        (missing.to_str().unwrap(), "does not exist"),
        (file.to_str().unwrap(), "is not a folder"),
        ("relative/folder", "is not a full path"),
    ] {
        let err = db.set_sync_folder_setting(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Invalid);
        let problems = err.problems();
        assert_eq!(problems[0].field, "folder");
        assert!(problems[0].message.contains(says), "{bad}: {err}");
        // Nothing changed.
        assert_eq!(db.sync_folder_setting().unwrap().as_deref(), Some(&*shared));
    }
    db.set_sync_folder_setting("  ").unwrap();
    assert_eq!(db.sync_folder_setting().unwrap(), None);
}

#[test]
fn automatic_sync_is_on_until_turned_off() {
    let (_dir, mut db) = temp_db();
    assert!(db.auto_sync_enabled().unwrap());
    db.set_auto_sync(false).unwrap();
    assert!(!db.auto_sync_enabled().unwrap());
    db.set_auto_sync(true).unwrap();
    assert!(db.auto_sync_enabled().unwrap());
}

#[test]
fn the_change_mark_moves_with_every_write_only() {
    let (_dir, mut db) = temp_db();
    let start = db.change_mark().unwrap();
    let mit = add(
        &mut db,
        Entity::Institution,
        json!({"name": "MIT", "country": "US"}),
    );
    let after_add = db.change_mark().unwrap();
    assert!(after_add > start);
    db.set_setting("ui.language", "he").unwrap();
    assert_eq!(
        db.change_mark().unwrap(),
        after_add,
        "a setting is no change"
    );
    let refused = db.update(
        Entity::Institution,
        &id(&mit),
        &json!({"country": "nowhere"}),
        WriteOptions::default(),
    );
    assert!(refused.is_err());
    assert_eq!(
        db.change_mark().unwrap(),
        after_add,
        "a refused write is none"
    );
    db.delete(Entity::Institution, &id(&mit)).unwrap();
    assert!(db.change_mark().unwrap() > after_add);
}

/// The office and a partner laptop share a folder. Each runs the scheduler as the app
/// does; a change on one reaches the other through rounds the scheduler asked for.
#[test]
fn two_laptops_stay_in_step_through_the_scheduler() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let folder = shared.to_str().unwrap();
    let mut office = Db::open(&dir.path().join("office.sqlite3")).unwrap();
    let mut partner = Db::open(&dir.path().join("partner.sqlite3")).unwrap();
    office.set_device_name("Office").unwrap();
    partner.set_device_name("Partner").unwrap();

    let mut office_s = AutoSync::new();
    let mut partner_s = AutoSync::new();
    let mut now = 1_000_000;

    /// One tick; runs the round when one is due and returns its trigger.
    fn step(s: &mut AutoSync, db: &mut Db, now: u64, folder: &str) -> Option<Trigger> {
        let outbox = db.outbox_name();
        let path = std::path::Path::new(folder);
        let mark = db.change_mark().unwrap();
        let trigger = s.tick(now, Some(folder), true, mark, || {
            folder_state(path, &outbox)
        })?;
        s.begin(trigger, folder_state(path, &outbox));
        let outcome = db.sync_folder(path).map_err(|e| error_text(&e));
        s.finish(now, db.change_mark().unwrap(), outcome);
        Some(trigger)
    }

    // Both start: each writes its outbox.
    assert_eq!(
        step(&mut office_s, &mut office, now, folder),
        Some(Trigger::Start)
    );
    assert_eq!(
        step(&mut partner_s, &mut partner, now, folder),
        Some(Trigger::Start)
    );
    // The partner's package is from a device the office does not trust yet: the next
    // folder change makes a round that leaves it aside, naming the device.
    let mut office_rounds = Vec::new();
    for _ in 0..3 {
        now += POLL_MS;
        office_rounds.extend(step(&mut office_s, &mut office, now, folder));
    }
    assert_eq!(office_rounds, [Trigger::FolderChanged]);
    let status = office_s.status();
    let result = status.last_result.unwrap();
    assert!(result.imported.is_empty());
    assert_eq!(result.skipped.len(), 1);
    assert!(result.skipped[0].1.contains("not trusted"), "{result:?}");

    // Trust both ways (the trust dialog does this with the package in the folder).
    let office_pkg = shared.join(office.outbox_name());
    let partner_pkg = shared.join(partner.outbox_name());
    office.sync_import(&partner_pkg, true).unwrap();
    partner.sync_import(&office_pkg, true).unwrap();

    // The office adds an institution: after the quiet time, one round writes it out.
    add(
        &mut office,
        Entity::Institution,
        json!({"name": "Technion", "country": "IL"}),
    );
    let mut rounds = Vec::new();
    for _ in 0..(DEBOUNCE_MS / 1000 + 2) {
        now += 1000;
        rounds.extend(step(&mut office_s, &mut office, now, folder));
        rounds.extend(step(&mut partner_s, &mut partner, now, folder));
    }
    // Office: its own change; partner: the office's new package, once it settled.
    assert!(rounds.contains(&Trigger::LocalChange), "{rounds:?}");
    for _ in 0..3 {
        now += POLL_MS;
        rounds.extend(step(&mut partner_s, &mut partner, now, folder));
    }
    assert!(rounds.contains(&Trigger::FolderChanged), "{rounds:?}");
    let names: Vec<String> = partner
        .list(Entity::Institution, &ListQuery::default())
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Technion"]);
    let status = partner_s.status();
    assert_eq!(status.last_error, None);
    assert!(imported_changes(&status) > 0);

    // Quiet now: no more rounds on either side (imports do not echo back and forth
    // forever).
    let mut settle = Vec::new();
    for _ in 0..30 {
        now += 1000;
        settle.extend(step(&mut office_s, &mut office, now, folder));
        settle.extend(step(&mut partner_s, &mut partner, now, folder));
    }
    assert!(settle.len() <= 4, "{settle:?}");
    let mut quiet = Vec::new();
    for _ in 0..30 {
        now += 1000;
        quiet.extend(step(&mut office_s, &mut office, now, folder));
        quiet.extend(step(&mut partner_s, &mut partner, now, folder));
    }
    assert_eq!(quiet, []);
}

#[test]
fn a_missing_folder_is_a_readable_error_in_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("db.sqlite3")).unwrap();
    let gone = dir.path().join("gone");
    let folder = gone.to_str().unwrap();
    let mut s = AutoSync::new();
    let outbox = db.outbox_name();
    let trigger = s
        .tick(0, Some(folder), true, 0, || folder_state(&gone, &outbox))
        .unwrap();
    s.begin(trigger, folder_state(&gone, &outbox));
    let outcome = db.sync_folder(&gone).map_err(|e| error_text(&e));
    s.finish(10, db.change_mark().unwrap(), outcome);
    let status = s.status();
    let error = status.last_error.unwrap();
    assert!(error.ends_with("gone does not exist: create it, or pick the folder your file-sync service keeps in step"), "{error}");
    assert!(!error.starts_with("folder:"));
    assert!(status.next_round_at.is_some(), "a retry is planned");
}
