//! The committed fuzz seed corpora (fuzz/corpus/TARGET/*) replayed through the same
//! entry points the fuzzer calls (`exdesk_core::fuzzing`), so CI checks every seed and
//! every regression input without a fuzzer: none may panic.

use std::path::PathBuf;

use exdesk_core::fuzzing;
use exdesk_core::{Db, Entity};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_seed_of_every_fuzz_target_replays_without_a_panic() {
    for target in fuzzing::TARGETS {
        let files = corpus(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target} has no seeds");
        for file in files {
            let data = std::fs::read(&file).expect("read seed");
            let outcome = std::panic::catch_unwind(|| fuzzing::run(target, &data));
            assert!(
                outcome.is_ok(),
                "fuzz target {target} panicked on {}",
                file.display()
            );
        }
    }
}

/// The payload target reaches the merge: a seed payload wrapped by `package_around`
/// passes the envelope checks and is applied.
#[test]
fn a_wrapped_seed_payload_is_accepted_and_merged() {
    let payload = corpus("sync_payload")
        .into_iter()
        .find(|p| p.ends_with("medium.json"))
        .expect("the medium seed payload");
    let dir = tempfile::tempdir().expect("temp dir");
    let pkg = dir.path().join("p.exdesk-sync");
    std::fs::write(
        &pkg,
        fuzzing::package_around(&std::fs::read(payload).expect("read")),
    )
    .expect("write");
    let mut db = Db::open_in_memory().expect("db");
    let summary = db
        .sync_import(&pkg, true)
        .expect("the wrapped package imports");
    assert!(summary.changes > 20, "{summary:?}");
    let placements = db
        .list(Entity::Placement, &Default::default())
        .expect("list");
    assert_eq!(placements.len(), 1);
    assert_eq!(placements[0]["status"], "accepted");
}
