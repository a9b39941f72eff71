//! Crash safety (issue 6, item 5): `exdesk import`, `exdesk sync import` and
//! `exdesk restore` on real-size inputs are killed with SIGKILL at pseudo-random moments,
//! many times; after every kill `exdesk check` passes and `export all` is wholly the
//! state before or wholly the state after the operation. The same operations on a full
//! disk (a small tmpfs; needs root) fail with a clear message and change nothing.
//!
//! `CRASH_RUNS` sets the kills per operation (default 20), `CRASH_SEED` the seed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{Env, World};

/// How many people the import file holds (and so the backup, too).
const PEOPLE: usize = 2000;
/// How many people the sync package carries (about 7 field changes each): merging is
/// slower per row than importing, and every run of the test pays for it.
const PACKAGE_PEOPLE: usize = 500;

/// splitmix64: a small seeded generator, so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` written in letters (a, b, …, z, ba, bb, …), so generated names differ in letters
/// (name matching ignores digits, as real names have none).
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// A people file of `n` rows: names, e-mails, birth dates, notes with commas and
/// Hebrew, all homed at the US institution of the world.
fn people_csv(n: usize) -> String {
    let mut s = String::from("Given name,Family name,Email,Date of birth,Notes,Institution\n");
    for i in 0..n {
        s.push_str(&format!(
            "Dana{},Levin{},person{i}@example.org,19{:02}-{:02}-{:02},\"note {i}, הערה\",Massachusetts Institute of Technology\n",
            letters(i),
            letters(i * 7 + 3),
            50 + i % 50,
            1 + i % 12,
            1 + i % 28
        ));
    }
    s
}

/// `export all` with what differs between two equal runs taken out (ids and times of
/// records a run creates), records sorted: equal for equal data.
fn normalized(export: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(export).expect("export all is JSON");
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for key in ["id", "created_at", "updated_at"] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => {
                items.iter_mut().for_each(strip);
                items.sort_by_key(|a| a.to_string());
            }
            _ => {}
        }
    }
    strip(&mut v);
    v
}

fn remove_db_files(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// One operation under test: a database to start from (copied back before every run)
/// and the arguments that change it.
struct Operation {
    name: &'static str,
    env: Env,
    /// The database as it is before the operation (a closed, checkpointed copy).
    start: PathBuf,
    args: Vec<String>,
    before: Value,
    after: Value,
    /// How long one uninterrupted run takes.
    duration: Duration,
    /// What the uninterrupted run printed (its summary).
    said: String,
}

impl Operation {
    fn new(name: &'static str, env: Env, args: Vec<String>) -> Operation {
        let start = env.path("start.sqlite3");
        std::fs::copy(&env.db, &start).expect("copy the starting database");
        let before = normalized(&env.export_bytes());
        let mut op = Operation {
            name,
            env,
            start,
            args,
            before,
            after: Value::Null,
            duration: Duration::ZERO,
            said: String::new(),
        };
        op.reset();
        let t = Instant::now();
        let out = op
            .env
            .run(&op.args.iter().map(String::as_str).collect::<Vec<_>>());
        op.duration = t.elapsed();
        out.ok();
        op.said = out.stdout.lines().last().unwrap_or("").trim().to_owned();
        op.after = normalized(&op.env.export_bytes());
        assert_ne!(op.before, op.after, "{name}: the operation changed nothing");
        op
    }

    fn reset(&self) {
        remove_db_files(&self.env.db);
        std::fs::copy(&self.start, &self.env.db).expect("restore the starting database");
    }

    fn command(&self) -> Command {
        let mut cmd = self.env.command();
        cmd.arg("--db")
            .arg(&self.env.db)
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }
}

#[derive(Default, Debug)]
struct Tally {
    runs: u32,
    killed_running: u32,
    /// Runs where the operation ended before the kill point came.
    finished: u32,
    found_before: u32,
    found_after: u32,
}

/// Starts the operation, lets it run for a random time (spun on the clock, not slept),
/// kills it with SIGKILL, and checks the database is whole and wholly before or after.
fn kill_runs(op: &Operation, runs: u64, rng: &mut Rng, tally: &mut Tally) {
    // Kill anywhere from process start to well past a normal run's end (a busy machine
    // runs it slower than the measured run).
    let span = u64::try_from(op.duration.as_micros()).unwrap_or(u64::MAX) * 2;
    for run in 0..runs {
        op.reset();
        let delay = Duration::from_micros(rng.below(span));
        let mut child = op.command().spawn().expect("start exdesk");
        let t = Instant::now();
        let mut exited = false;
        while t.elapsed() < delay {
            if child.try_wait().expect("poll exdesk").is_some() {
                exited = true;
                break;
            }
            // Leave the CPU to exdesk while waiting (a 2-core machine has little to spare).
            std::thread::yield_now();
        }
        if exited || child.try_wait().expect("poll exdesk").is_some() {
            tally.finished += 1;
        } else {
            child.kill().expect("SIGKILL");
            tally.killed_running += 1;
        }
        child.wait().expect("reap exdesk");
        tally.runs += 1;

        let check = op.env.run(&["check"]);
        assert_eq!(
            check.code, 0,
            "{} run {run}: killed after {delay:?}, `exdesk check` fails:\n{}",
            op.name, check.stderr
        );
        let now = normalized(&op.env.export_bytes());
        if now == op.before {
            tally.found_before += 1;
        } else if now == op.after {
            tally.found_after += 1;
        } else {
            panic!(
                "{} run {run}: killed after {delay:?}, the data is neither the state before nor after",
                op.name
            );
        }
    }
}

/// A database with the world and a few people of its own (the receiving laptop).
fn small_env() -> Env {
    let env = Env::new();
    World::build(&env);
    env
}

/// The three operations: an import of `PEOPLE` people, a sync package of the data
/// they make (thousands of field changes), and a restore of a backup holding them.
fn operations() -> Vec<Operation> {
    // Import.
    let env = small_env();
    let csv = env.path("people.csv");
    std::fs::write(&csv, people_csv(PEOPLE)).expect("write the people file");
    let import = Operation::new(
        "import",
        env,
        vec!["import".into(), "person".into(), csv.display().to_string()],
    );

    // Other devices make the package and the backup.
    let source = small_env();
    let some = source.path("some-people.csv");
    std::fs::write(&some, people_csv(PACKAGE_PEOPLE)).expect("write the people file");
    source
        .run(&["import", "person", some.to_str().expect("utf-8 path")])
        .ok();
    let pkg = source.path("people.exdesk-sync");
    source
        .run(&["sync", "export", "-o", pkg.to_str().expect("utf-8 path")])
        .ok();
    let backup = import.env.path("people-backup.sqlite3");
    import
        .env
        .run(&["backup", "-o", backup.to_str().expect("utf-8 path")])
        .ok();

    let env = small_env();
    let local_pkg = env.path("people.exdesk-sync");
    std::fs::copy(&pkg, &local_pkg).expect("copy the package");
    let sync = Operation::new(
        "sync import",
        env,
        vec![
            "sync".into(),
            "import".into(),
            local_pkg.display().to_string(),
            "--trust".into(),
        ],
    );

    let env = small_env();
    let local_backup = env.path("people-backup.sqlite3");
    std::fs::copy(&backup, &local_backup).expect("copy the backup");
    let restore = Operation::new(
        "restore",
        env,
        vec!["restore".into(), local_backup.display().to_string()],
    );
    vec![import, sync, restore]
}

#[test]
fn sigkill_at_random_moments_leaves_the_data_wholly_before_or_after() {
    let runs = env_number("CRASH_RUNS", 20);
    let seed = env_number("CRASH_SEED", 0x5eed_0006);
    let mut rng = Rng(seed);
    let mut report = Vec::new();
    let ops = operations();
    for op in &ops {
        let mut tally = Tally::default();
        kill_runs(op, runs, &mut rng, &mut tally);
        report.push(format!(
            "{}: {} runs (a run takes {:?}), {} killed mid-operation, {} finished first; \
             found wholly before {}, wholly after {}",
            op.name,
            tally.runs,
            op.duration,
            tally.killed_running,
            tally.finished,
            tally.found_before,
            tally.found_after
        ));
        // The kill points must spread over the operation, not all land before or after it.
        assert!(
            tally.killed_running >= 1 || runs < 5,
            "{}: no kill landed while it ran",
            op.name
        );
    }
    println!("crash safety (seed {seed:#x}, CRASH_RUNS={runs}):");
    for op in &ops {
        println!("  {}: `exdesk {}` said: {}", op.name, op.args[0], op.said);
    }
    for line in report {
        println!("  {line}");
    }
}

// ------------------------------------------------------------------ full disk

/// A small tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` bytes, or says why it cannot.
    fn mount(size: u64) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed (root and mount rights needed): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the file system, then frees `leave` bytes so that the operation starts
    /// and runs out of space part way.
    fn fill(&self, leave: u64) -> PathBuf {
        use std::io::Write as _;
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0xa5u8; 64 * 1024];
        let mut written = 0u64;
        loop {
            match f.write(&chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => written += n as u64,
            }
        }
        let _ = f.sync_all();
        f.set_len(written.saturating_sub(leave))
            .expect("free a little space");
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Runs `args` against a copy of `source` on a full tmpfs: the command fails with a
/// message about space, `check` passes and the data is unchanged.
fn on_full_disk(source: &Env, args: &[&str], leave: u64, backups_elsewhere: bool) -> String {
    let fs = match Tmpfs::mount(24 * 1024 * 1024) {
        Ok(fs) => fs,
        Err(reason) => return format!("skipped: {reason}"),
    };
    let db = fs.path().join("desk.sqlite3");
    std::fs::copy(&source.db, &db).expect("copy the database onto the tmpfs");
    if backups_elsewhere {
        // The automatic backup succeeds elsewhere; the operation itself meets the full disk.
        let elsewhere = source.path("backups-elsewhere");
        std::fs::create_dir_all(&elsewhere).expect("backups folder");
        std::os::unix::fs::symlink(&elsewhere, fs.path().join("backups")).expect("symlink");
    }
    let run = |a: &[&str]| {
        let mut full: Vec<&OsStr> = vec![OsStr::new("--db"), db.as_os_str()];
        full.extend(a.iter().map(OsStr::new));
        source.run_with(&full, &[])
    };
    let export = || {
        let out = source.path("full-disk-export.json");
        run(&["export", "all", "-o", out.to_str().expect("utf-8")]).ok();
        normalized(&std::fs::read(&out).expect("export"))
    };
    let before = export();
    let filler = fs.fill(leave);
    let out = run(args);
    assert_ne!(out.code, 0, "`{}` succeeded on a full disk", out.cmd);
    let said = out.stderr.to_lowercase();
    assert!(
        said.contains("full") || said.contains("no space"),
        "`{}` on a full disk does not say so:\n{}",
        out.cmd,
        out.stderr
    );
    std::fs::remove_file(&filler).expect("free the disk");
    run(&["check"]).ok();
    assert_eq!(
        export(),
        before,
        "`{}` on a full disk changed the data",
        out.cmd
    );
    format!("exit {}: {}", out.code, out.stderr.trim())
}

#[test]
fn a_full_disk_fails_clearly_and_changes_nothing() {
    let env = small_env();
    let csv = env.path("people.csv");
    std::fs::write(&csv, people_csv(PEOPLE)).expect("write the people file");
    let csv = csv.to_str().expect("utf-8").to_owned();

    // A package and a backup from another laptop holding the people.
    let other = small_env();
    other.run(&["import", "person", &csv]).ok();
    let pkg = env.path("people.exdesk-sync");
    other
        .run(&["sync", "export", "-o", pkg.to_str().expect("utf-8")])
        .ok();
    let backup = env.path("people-backup.sqlite3");
    other
        .run(&["backup", "-o", backup.to_str().expect("utf-8")])
        .ok();
    let pkg = pkg.to_str().expect("utf-8").to_owned();
    let backup = backup.to_str().expect("utf-8").to_owned();

    let cases: [(&str, Vec<&str>, bool); 5] = [
        (
            "import, backups elsewhere",
            vec!["import", "person", &csv],
            true,
        ),
        (
            "import, backup on the full disk",
            vec!["import", "person", &csv],
            false,
        ),
        (
            "sync import, backups elsewhere",
            vec!["sync", "import", &pkg, "--trust"],
            true,
        ),
        ("restore", vec!["restore", &backup], true),
        (
            "person add",
            vec![
                "person",
                "add",
                "--json",
                r#"{"given_name":"Big","family_name":"Notes","notes":"x"}"#,
            ],
            true,
        ),
    ];
    println!("full disk:");
    for (name, args, elsewhere) in cases {
        let leave = if name == "person add" { 0 } else { 256 * 1024 };
        let said = on_full_disk(&env, &args, leave, elsewhere);
        println!("  {name}: {said}");
        if said.starts_with("skipped") {
            return;
        }
    }
}
