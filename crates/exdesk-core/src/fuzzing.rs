//! Entry points for coverage-guided fuzzing (`fuzz/`, `cargo xtask fuzz`) and for the
//! ordinary test that replays the committed seed corpora (`tests/it/fuzz_corpus.rs`).
//!
//! Each function takes arbitrary bytes from outside (a partner file, a sync package, a
//! backup, typed text) and feeds them to the same public code the CLI and the app call.
//! The contract is the same as for any user input: a clear `Err`, never a panic or a
//! hang. The functions panic only when that contract is broken (so the fuzzer reports
//! it), e.g. when a refused write left something behind.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::import::{DateOrder, ImportOptions};
use crate::records::WriteOptions;
use crate::sync::{PACKAGE_FORMAT, PACKAGE_VERSION};
use crate::{Db, Entity, values};

/// The fuzz targets, by name: each is a directory of seeds under `fuzz/corpus/`.
pub const TARGETS: [&str; 6] = [
    "import_file",
    "sync_package",
    "sync_payload",
    "restore_file",
    "record_json",
    "value_text",
];

/// Runs the target called `name` on `data` (for the corpus replay test).
pub fn run(name: &str, data: &[u8]) {
    match name {
        "import_file" => import_file(data),
        "sync_package" => sync_package(data),
        "sync_payload" => sync_payload(data),
        "restore_file" => restore_file(data),
        "record_json" => record_json(data),
        "value_text" => value_text(data),
        other => panic!("no fuzz target {other:?}"),
    }
}

thread_local! {
    /// An in-memory database with a small world (an institution in two countries, a
    /// program, a cohort and a person) so that imports and writes have something to refer to.
    static WORLD: RefCell<Db> = RefCell::new(world());
}

fn world() -> Db {
    let mut db = Db::open_in_memory().expect("in-memory database");
    let o = WriteOptions::default();
    let us = db
        .add(
            Entity::Institution,
            &json!({"name": "MIT", "country": "US"}),
            o,
        )
        .expect("institution");
    let il = db
        .add(
            Entity::Institution,
            &json!({"name": "Technion", "country": "IL"}),
            o,
        )
        .expect("institution");
    let program = db
        .add(
            Entity::Program,
            &json!({"name": "Joint AI", "kind": "joint_training", "tech_areas": ["ai"]}),
            o,
        )
        .expect("program");
    db.add(
        Entity::Cohort,
        &json!({"program_id": program["id"], "name": "Haifa 2026", "start_date": "2026-09-01",
                "end_date": "2027-06-30", "host_institution_id": il["id"]}),
        o,
    )
    .expect("cohort");
    db.add(
        Entity::Person,
        &json!({"given_name": "Avery", "family_name": "Aldridge", "email": "avery@example.org",
                "home_institution_id": us["id"]}),
        o,
    )
    .expect("person");
    db
}

/// Runs `f` on the shared world inside a savepoint that is always rolled back, so every
/// input meets the same database.
fn in_world<T>(f: impl FnOnce(&mut Db) -> T) -> T {
    WORLD.with(|w| {
        let mut db = w.borrow_mut();
        db.conn.execute_batch("SAVEPOINT fuzz").expect("savepoint");
        let out = f(&mut db);
        db.conn
            .execute_batch("ROLLBACK TO fuzz; RELEASE fuzz")
            .expect("rollback");
        out
    })
}

/// A scratch file path of this process (fuzzers run one input at a time per process).
fn scratch(tag: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed) % 4;
    std::env::temp_dir().join(format!("exdesk-fuzz-{}-{tag}-{n}", std::process::id()))
}

/// Writes `data` to a scratch file; None when the machine cannot (a full disk is not a
/// finding about the code under test).
fn write_scratch(tag: &str, data: &[u8]) -> Option<PathBuf> {
    let path = scratch(tag);
    let mut f = std::fs::File::create(&path).ok()?;
    f.write_all(data).ok()?;
    Some(path)
}

/// A partner file (CSV/TSV in any encoding, or XLSX) imported as a dry run. The first
/// byte picks the entity and the date order; the rest is the file.
pub fn import_file(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let entity = [Entity::Person, Entity::Institution, Entity::Placement][usize::from(pick % 3)];
    let date_order = [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)][usize::from(pick / 3 % 3)];
    let opts = ImportOptions {
        dry_run: true,
        date_order,
        cohort: (pick & 0x80 != 0).then(|| "Haifa 2026".to_owned()),
        ..ImportOptions::default()
    };
    in_world(|db| {
        if let Ok(report) = db.import_bytes(entity, file, &opts, &mut |_| true) {
            assert!(!report.written, "a dry run wrote records");
        }
    });
}

/// A sync package file as it arrives (envelope, checksum, signature, payload), inspected
/// and imported with `--trust`.
pub fn sync_package(data: &[u8]) {
    let Some(path) = write_scratch("package", data) else {
        return;
    };
    in_world(|db| {
        let _ = db.sync_inspect(&path);
        let _ = db.sync_import(&path, true);
    });
    let _ = std::fs::remove_file(&path);
}

/// The key the fuzzer signs payloads with, so that they pass the envelope checks and
/// reach the merge.
fn fuzz_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

/// Wraps a payload (the JSON inside a package) into a well-formed, signed package.
pub fn package_around(payload: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(payload).expect("gzip");
    let compressed = gz.finish().expect("gzip");
    let key = fuzz_key();
    let public_key = B64.encode(key.verifying_key().to_bytes());
    let sha256: String = Sha256::digest(&compressed)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let device_id = "0190fuzz-0000-7000-8000-000000000001";
    let device_name = "fuzzer";
    let message = format!(
        "{PACKAGE_FORMAT}\n{PACKAGE_VERSION}\n{device_id}\n{device_name}\n{public_key}\n{sha256}"
    );
    let signature = B64.encode(key.sign(message.as_bytes()).to_bytes());
    serde_json::to_vec(&json!({
        "format": PACKAGE_FORMAT,
        "version": PACKAGE_VERSION,
        "device_id": device_id,
        "device_name": device_name,
        "public_key": public_key,
        "sha256": sha256,
        "signature": signature,
        "payload": B64.encode(&compressed),
    }))
    .expect("envelope JSON")
}

/// A package payload (the changes a signed package carries) merged into the world: the
/// merge must refuse what it cannot apply, never panic, and leave `check` passing.
pub fn sync_payload(data: &[u8]) {
    let Some(path) = write_scratch("payload", &package_around(data)) else {
        return;
    };
    in_world(|db| {
        if db.sync_import(&path, true).is_ok() {
            let report = db.check().expect("check after a merge");
            assert!(report.ok, "a merged package broke the database: {report:?}");
        }
    });
    let _ = std::fs::remove_file(&path);
}

/// A file given to `restore`: verified, and put in place only when it is a whole
/// Exchange Desk database.
pub fn restore_file(data: &[u8]) {
    let Some(backup) = write_scratch("backup", data) else {
        return;
    };
    let dir = scratch("restore-dir");
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let db_path = dir.join("desk.sqlite3");
    if crate::safety::restore(&db_path, &backup, None).is_ok() {
        let db = Db::open_existing(&db_path).expect("a restored database opens");
        assert!(
            db.check().expect("check").ok,
            "a restored database is damaged"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&backup);
}

/// A record as JSON (the CLI's `--json`, the app's forms), validated as an add of every
/// entity; an update of the world's person when it is an object.
pub fn record_json(data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    in_world(|db| {
        for entity in Entity::ALL {
            let _ = db.validate(entity, &input, None, WriteOptions::default());
        }
        let person = db
            .list(Entity::Person, &Default::default())
            .expect("list people");
        if let Some(id) = person.first().and_then(|p| p["id"].as_str()) {
            let _ = db.validate(
                Entity::Person,
                &input,
                Some(id),
                WriteOptions {
                    reopen: true,
                    over_capacity: false,
                },
            );
        }
    });
}

/// Typed text: every value parser, the date order, and the search box.
pub fn value_text(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let f = "field";
    let _ = values::parse_name(f, &s);
    let _ = values::parse_name_latin(f, &s);
    let _ = values::parse_name_he(f, &s);
    let _ = values::parse_notes(f, &s);
    let _ = values::parse_date(f, &s);
    let _ = values::parse_country(f, &s);
    let _ = values::parse_currency(f, &s);
    let _ = values::parse_email(f, &s);
    let _ = values::parse_orcid(f, &s);
    let _ = values::parse_ror(f, &s);
    let _ = values::parse_phone(f, &s);
    let _ = values::parse_url(f, &s);
    let _ = values::fold(&s);
    let _ = DateOrder::parse(&s);
    in_world(|db| {
        let _ = db.search(&s, 20);
    });
}
