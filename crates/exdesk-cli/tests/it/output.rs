//! Where `-o FILE` writes: a regular file is replaced atomically (written aside, then
//! renamed); a symbolic link is followed, so the file it names is replaced and the link
//! stays a link; a named pipe or a device (`/dev/stdout`) is written straight through,
//! never replaced by a file.

use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use serde_json::{Value, json};

use crate::harness::*;

/// A database with one institution: something to export.
fn desk() -> Env {
    let env = Env::new();
    env.add("institution", &json!({"name": "Technion", "country": "IL"}));
    env
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn o_follows_a_symbolic_link_and_keeps_it() {
    let env = desk();
    std::fs::create_dir(env.path("real")).unwrap();
    let target = env.path("real/export.json");
    std::fs::write(&target, "stale").unwrap();
    // A relative link, read from the folder it is in.
    let link = env.path("export.json");
    std::os::unix::fs::symlink("real/export.json", &link).unwrap();
    env.run(&["export", "all", "-o", link.to_str().unwrap()])
        .ok();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&target).unwrap())
        .expect("the link's target holds the export");
    assert!(written.to_string().contains("Technion"), "{written}");

    // A link to a file not there yet makes the file, as the shell's `>` does; a chain
    // of links ends at the last one's file.
    let later = env.path("real/later.csv");
    let first = env.path("first.csv");
    let second = env.path("real/second.csv");
    std::os::unix::fs::symlink(&later, &second).unwrap();
    std::os::unix::fs::symlink(&second, &first).unwrap();
    env.run(&["template", "person", "-o", first.to_str().unwrap()])
        .ok();
    for link in [&first, &second] {
        assert!(
            std::fs::symlink_metadata(link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert!(std::fs::read_to_string(&later).unwrap().contains("email"));

    // A backup through a link: the database file it names, the link kept.
    let backup = env.path("real/backup.sqlite3");
    let backup_link = env.path("backup.sqlite3");
    std::os::unix::fs::symlink(&backup, &backup_link).unwrap();
    env.run(&["backup", "-o", backup_link.to_str().unwrap()])
        .ok();
    assert!(
        std::fs::symlink_metadata(&backup_link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let out = env.run_with(
        &[
            "--db",
            backup.to_str().unwrap(),
            "institution",
            "list",
            "--json",
        ],
        &[],
    );
    assert!(out.ok().stdout.contains("Technion"), "{}", out.stdout);
    // Nothing was left beside either.
    for dir in [env.dir(), &env.path("real")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.ends_with(".tmp") && !name.contains(".backup."),
                "{name} left behind"
            );
        }
    }
}

#[test]
fn o_writes_a_named_pipe_straight_through() {
    let env = desk();
    let fifo = env.path("pipe.json");
    mkfifo(&fifo);
    let reading = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read the pipe"))
    };
    env.run(&["export", "all", "-o", fifo.to_str().unwrap()])
        .ok();
    // Checked before waiting for the reader: had the pipe been replaced by a file, the
    // reader would wait for a writer forever.
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the pipe was replaced by a file"
    );
    let got: Value =
        serde_json::from_slice(&reading.join().unwrap()).expect("the reader got the export");
    assert!(got.to_string().contains("Technion"), "{got}");
    for entry in std::fs::read_dir(env.dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name} left behind");
    }
}

#[test]
fn o_dev_stdout_prints_to_stdout() {
    let env = desk();
    let out = env.run(&["export", "all", "-o", "/dev/stdout"]);
    let all: Value = serde_json::from_str(&out.ok().stdout).expect("stdout is the export");
    assert!(all.to_string().contains("Technion"), "{all}");

    let out = env.run(&["export", "calendar", "-o", "/dev/stdout"]);
    assert!(
        out.ok().stdout.starts_with("BEGIN:VCALENDAR"),
        "{}",
        out.stdout
    );

    // A backup poured into a pipe is the same database file (the command names the file
    // it wrote on stderr then, not among the data).
    let out = env
        .command()
        .args([
            "--db",
            env.db.to_str().unwrap(),
            "backup",
            "-o",
            "/dev/stdout",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = env.path("from-stdout.sqlite3");
    std::fs::write(&copy, &out.stdout).unwrap();
    let listed = env.run_with(
        &[
            "--db",
            copy.to_str().unwrap(),
            "institution",
            "list",
            "--json",
        ],
        &[],
    );
    assert!(listed.ok().stdout.contains("Technion"), "{}", listed.stdout);
}

/// A database reached through a symbolic link is encrypted, restored and decrypted in
/// the file the link names; the link stays a link.
#[test]
fn a_database_behind_a_link_stays_behind_it() {
    let env = Env::new();
    std::fs::create_dir(env.path("real")).unwrap();
    let file = env.path("real/desk.sqlite3");
    let link = env.path("linked.sqlite3");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let run = |args: &[&str], passphrase: &str| {
        let mut full = vec!["--db", link.to_str().unwrap()];
        full.extend_from_slice(args);
        env.run_with(
            &full,
            &[("EXDESK_PASSPHRASE", std::ffi::OsStr::new(passphrase))],
        )
    };
    run(
        &[
            "institution",
            "add",
            "--json",
            r#"{"name":"Technion","country":"IL"}"#,
        ],
        "",
    )
    .ok();
    let backup = env.path("backup.sqlite3");
    run(&["backup", "-o", backup.to_str().unwrap()], "").ok();
    run(&["encrypt"], "a long passphrase").ok();
    run(&["decrypt"], "a long passphrase").ok();
    run(&["restore", backup.to_str().unwrap()], "").ok();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let out = run(&["institution", "list", "--json"], "");
    assert!(out.ok().stdout.contains("Technion"), "{}", out.stdout);
}
