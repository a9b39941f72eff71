//! `cargo xtask bench`: release builds, a national-scale dataset, and one table of
//! timings, each beside the sqlite3 shell doing the nearest equivalent on the same data.
//!
//! Whole-process timings run the real `exdesk` binary (what a script pays); the
//! in-process ones (search as you type, pages, stats) come from core's `national` bench
//! (`crates/exdesk-core/benches/national.rs`). The table is printed and written to
//! `<target>/bench/report.md`, which BENCHMARKS.md copies.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::deps::{self, Need};
use crate::error::{Context, Result, bail};
use crate::project::Project;
use crate::steps::Steps;
use crate::{app, cmd, ui};

/// What `cargo xtask bench` was asked for.
struct Options {
    people: u32,
    runs: usize,
    app: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            people: 200_000,
            runs: 5,
            app: true,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<u64> {
                let value = args.next().map(String::as_str).unwrap_or_default();
                value
                    .replace('_', "")
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        crate::error::Error::new(format!(
                            "{name} takes a positive whole number (got `{value}`)"
                        ))
                    })
            };
            match arg.as_str() {
                "--people" => options.people = number("--people")? as u32,
                "--runs" => options.runs = number("--runs")? as usize,
                "--no-app" => options.app = false,
                other => bail!(
                    "unknown option `{other}`\nusage: cargo xtask bench [--people N] [--runs N] [--no-app]"
                ),
            }
        }
        Ok(options)
    }
}

/// One row of the table.
struct Row {
    operation: String,
    ours: String,
    sqlite: Option<String>,
    ratio: Option<f64>,
    note: String,
}

/// A whole-process measurement: the median wall time of the runs and the highest peak
/// resident set size seen.
struct Measured {
    median: Duration,
    peak_rss_kib: u64,
}

pub fn bench(project: &Project, args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let dir = project.target_dir.join("bench");
    fs::create_dir_all(&dir)?;
    let mut steps = Steps::new("bench");
    steps.run("deps", || {
        deps::ensure(project, Need::Build)?;
        deps::ensure_packages(&["sqlite3"])
    })?;
    steps.run("release build (exdesk)", || {
        cmd::run(cmd::cargo().args(["build", "--release", "-p", "exdesk-cli"]))
    })?;
    if options.app {
        steps.run("release build (desktop app)", || {
            ui::build(project)?;
            cmd::run(cmd::cargo().args([
                "build",
                "--release",
                "-p",
                app::APP,
                "--features",
                "custom-protocol",
            ]))
        })?;
    }
    let mut rows = Vec::new();
    steps.run("measure", || {
        rows = measure(project, &dir, &options)?;
        Ok(())
    })?;
    steps.print_summary();

    let report = render(&rows, &options);
    let report_path = dir.join("report.md");
    fs::write(&report_path, &report)?;
    println!("\n{report}");
    println!("written to {}", report_path.display());
    Ok(())
}

fn measure(project: &Project, dir: &Path, options: &Options) -> Result<Vec<Row>> {
    let exdesk = project.release_bin(app::CLI);
    let runs = options.runs;
    let national = dir.join("national.sqlite3");
    let mut rows = Vec::new();

    // The national dataset, made afresh: its generation is one of the timings.
    remove_db(&national)?;
    let people = options.people.to_string();
    let started = Instant::now();
    cmd::run(
        Command::new(&exdesk)
            .arg("--db")
            .arg(&national)
            .args(["gen", "--people", &people, "--seed", "1"])
            .stdout(Stdio::null()),
    )?;
    let generated = started.elapsed();
    let size = fs::metadata(&national)?.len();
    rows.push(Row {
        operation: format!("gen --people {people} (one run)"),
        ours: secs(generated),
        sqlite: None,
        ratio: None,
        note: format!("database {}", megabytes(size)),
    });
    let counts = sqlite3(
        &national,
        "SELECT (SELECT count(*) FROM institution) || ' institutions, ' || \
         (SELECT count(*) FROM program) || ' programs, ' || \
         (SELECT count(*) FROM cohort) || ' cohorts, ' || \
         (SELECT count(*) FROM placement) || ' placements, ' || \
         (SELECT count(*) FROM fellowship) || ' fellowships, ' || \
         (SELECT count(*) FROM agreement) || ' agreements'",
    )?;
    println!("dataset: {people} people, {}", counts.trim());
    // Checkpoint the WAL so every timing starts from the same file.
    sqlite3(&national, "PRAGMA wal_checkpoint(TRUNCATE)")?;

    let db_args = |args: &[&str]| {
        let mut c = Command::new(&exdesk);
        c.arg("--db").arg(&national).args(args);
        c
    };

    // Open + the dashboard's query.
    let ours = time(runs, || Ok(()), || db_args(&["stats", "--json"]))?;
    let theirs = time(
        runs,
        || Ok(()),
        || {
            sqlite3_cmd(
                &national,
                &[
                    "SELECT count(*) FROM person",
                    "SELECT count(*) FROM institution",
                    "SELECT status, direction, count(*) FROM placement GROUP BY 1, 2",
                ]
                .join(";"),
            )
        },
    )?;
    rows.push(compare(
        "open + dashboard stats (`exdesk stats --json`)",
        &ours,
        &theirs,
        "",
    ));

    // Search as a whole process, Latin and Hebrew prefixes.
    for (label, prefix) in [("Latin", "coh"), ("Hebrew", "כה")] {
        let ours = time(runs, || Ok(()), || db_args(&["search", prefix, "--json"]))?;
        let sql = format!(
            "SELECT d.entity, d.record_id FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid \
             WHERE search_fts MATCH '\"{prefix}\"*' ORDER BY bm25(search_fts) LIMIT 20"
        );
        let theirs = time(runs, || Ok(()), || sqlite3_cmd(&national, &sql))?;
        rows.push(compare(
            &format!("`exdesk search {prefix}` ({label} prefix, 20 hits)"),
            &ours,
            &theirs,
            "target ≤ 1.5× sqlite3",
        ));
    }

    // The biggest cohort's roster (the national intake: 10,000 placements).
    let cohort = sqlite3(
        &national,
        "SELECT cohort_id FROM placement GROUP BY cohort_id ORDER BY count(*) DESC LIMIT 1",
    )?;
    let cohort = cohort.trim().to_owned();
    let roster_rows = sqlite3(
        &national,
        &format!("SELECT count(*) FROM placement WHERE cohort_id = '{cohort}'"),
    )?;
    let roster_sql = format!(
        "SELECT p.family_name, p.given_name, p.family_name_he, p.given_name_he, p.email, \
         hi.name, ho.name, pl.direction, pl.role, pl.status, pl.start_date, pl.end_date, pl.screening \
         FROM placement pl JOIN person p ON p.id = pl.person_id \
         LEFT JOIN institution hi ON hi.id = pl.home_institution_id \
         LEFT JOIN institution ho ON ho.id = pl.host_institution_id \
         WHERE pl.cohort_id = '{cohort}' ORDER BY p.sort_name, pl.id"
    );
    let csv_out = dir.join("roster.csv");
    let sqlite_csv = dir.join("roster-sqlite3.csv");
    let ours = time(
        runs,
        || Ok(()),
        || {
            db_args(&[
                "export",
                "roster",
                &cohort,
                "-o",
                &csv_out.to_string_lossy(),
            ])
        },
    )?;
    let theirs = time(
        runs,
        || Ok(()),
        || {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(r#"sqlite3 -csv -header "$1" "$2" > "$3""#)
                .arg("sh")
                .arg(&national)
                .arg(&roster_sql)
                .arg(&sqlite_csv);
            c
        },
    )?;
    rows.push(compare(
        &format!("roster CSV export, {} rows", roster_rows.trim()),
        &ours,
        &theirs,
        "target ≤ 2× sqlite3 -csv",
    ));
    let xlsx_out = dir.join("roster.xlsx");
    let ours = time(
        runs,
        || Ok(()),
        || {
            db_args(&[
                "export",
                "roster",
                &cohort,
                "-o",
                &xlsx_out.to_string_lossy(),
                "--format",
                "xlsx",
            ])
        },
    )?;
    rows.push(alone(
        &format!("roster XLSX export, {} rows", roster_rows.trim()),
        &ours,
        "target < 1 s",
    ));

    // `export all` and a backup of the whole national database.
    let all_out = dir.join("export-all.json");
    let ours = time(
        runs.min(3),
        || Ok(()),
        || db_args(&["export", "all", "-o", &all_out.to_string_lossy()]),
    )?;
    let dump = dir.join("dump.sql");
    let theirs = time(
        runs.min(3),
        || Ok(()),
        || {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(r#"sqlite3 "$1" .dump > "$2""#)
                .arg("sh")
                .arg(&national)
                .arg(&dump);
            c
        },
    )?;
    rows.push(compare(
        "`export all` (sqlite3: `.dump`)",
        &ours,
        &theirs,
        &format!("{} of JSON", megabytes(fs::metadata(&all_out)?.len())),
    ));
    let _ = fs::remove_file(&dump);
    let backup = dir.join("backup.sqlite3");
    let sqlite_backup = dir.join("backup-sqlite3.sqlite3");
    let ours = time(
        runs.min(3),
        || remove_db(&backup),
        || db_args(&["backup", "-o", &backup.to_string_lossy()]),
    )?;
    let theirs = time(
        runs.min(3),
        || remove_db(&sqlite_backup),
        || sqlite3_cmd(&national, &format!(".backup '{}'", sqlite_backup.display())),
    )?;
    rows.push(compare(
        "`exdesk backup` (sqlite3: `.backup`)",
        &ours,
        &theirs,
        &megabytes(size),
    ));
    remove_db(&backup)?;
    remove_db(&sqlite_backup)?;

    // Import of a 100,000-row people CSV into an empty database.
    let csv = dir.join("people-100k.csv");
    fs::write(&csv, people_csv(100_000))?;
    let fresh = dir.join("import.sqlite3");
    let plain = dir.join("import-sqlite3.sqlite3");
    let ours = time(
        runs,
        || fresh_db(&exdesk, &fresh),
        || {
            exdesk_on(
                &exdesk,
                &fresh,
                &["import", "person", &csv.to_string_lossy()],
            )
        },
    )?;
    let theirs = time(
        runs,
        || remove_db(&plain),
        || sqlite3_cmd(&plain, &format!(".import --csv '{}' people", csv.display())),
    )?;
    rows.push(compare(
        "import 100,000-row people CSV (sqlite3: `.import` into a plain table)",
        &ours,
        &theirs,
        "target < 1 s",
    ));
    rows.push(Row {
        operation: "peak memory of that import".to_owned(),
        ours: format!("{} MB", ours.peak_rss_kib / 1024),
        sqlite: Some(format!("{} MB", theirs.peak_rss_kib / 1024)),
        ratio: None,
        note: "target < 200 MB".to_owned(),
    });
    // What SQLite alone needs to store those rows as the import does: the sqlite3 shell
    // copies the imported records (person rows, search entries, history, sync clocks)
    // into an empty database of ours, one INSERT … SELECT per table, with the import's
    // page cache, no validation and no Rust. `WHERE 1` keeps SQLite from copying the
    // tables' pages whole (its transfer optimisation), so every row and index entry is
    // inserted one by one, as an import must.
    let floor = dir.join("import-floor.sqlite3");
    let copy = format!(
        "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA synchronous = NORMAL;
         ATTACH '{}' AS src; BEGIN;
         INSERT INTO person SELECT * FROM src.person WHERE 1;
         INSERT INTO search_doc SELECT * FROM src.search_doc WHERE 1;
         INSERT INTO search_fts (rowid, body) SELECT rowid, body FROM src.search_fts WHERE 1;
         INSERT INTO history SELECT * FROM src.history WHERE 1;
         INSERT INTO field_clock SELECT * FROM src.field_clock WHERE 1;
         COMMIT;",
        fresh.display()
    );
    let written = time(
        runs,
        || fresh_db(&exdesk, &floor),
        || sqlite3_cmd(&floor, &copy),
    )?;
    rows.push(compare(
        "that import's rows stored by SQLite alone (sqlite3: INSERT … SELECT into our schema)",
        &ours,
        &written,
        "SQLite's own share of an import: indexes, search index, history, sync clocks",
    ));
    remove_db(&floor)?;
    remove_db(&fresh)?;
    remove_db(&plain)?;

    // A sync package of about 10,000 changes: exported from a small generated database,
    // imported into an empty one.
    let source = dir.join("sync-source.sqlite3");
    remove_db(&source)?;
    cmd::run(
        Command::new(&exdesk)
            .arg("--db")
            .arg(&source)
            .args(["gen", "--people", "300", "--seed", "2"])
            .stdout(Stdio::null()),
    )?;
    let package = dir.join("changes.exdesk-sync");
    let ours = time(
        runs,
        || Ok(()),
        || {
            let mut c = Command::new(&exdesk);
            c.arg("--db")
                .arg(&source)
                .args(["sync", "export", "-o"])
                .arg(&package);
            c
        },
    )?;
    let output = Command::new(&exdesk)
        .arg("--db")
        .arg(&source)
        .args(["sync", "export", "-o"])
        .arg(&package)
        .output()?;
    let changes = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // "wrote 1025 records (10429 field changes) and 0 deletes (…)": the field changes.
    let changes = changes
        .split_whitespace()
        .skip_while(|w| *w != "records")
        .nth(1)
        .and_then(|n| n.trim_start_matches('(').parse::<u64>().ok())
        .unwrap_or(0);
    let package_size = fs::metadata(&package)?.len();
    let per_change = if changes > 0 {
        format!(
            ", {:.1} bytes per change",
            package_size as f64 / changes as f64
        )
    } else {
        String::new()
    };
    rows.push(alone(
        &format!("`sync export` of {changes} changes"),
        &ours,
        &format!(
            "target < 1 s; package {}{per_change}",
            kilobytes(package_size)
        ),
    ));
    let target = dir.join("sync-target.sqlite3");
    let ours = time(
        runs,
        || fresh_db(&exdesk, &target),
        || {
            exdesk_on(
                &exdesk,
                &target,
                &["sync", "import", "--trust", &package.to_string_lossy()],
            )
        },
    )?;
    rows.push(alone(
        &format!("`sync import` of {changes} changes into an empty database"),
        &ours,
        "target < 1 s",
    ));
    remove_db(&target)?;
    remove_db(&source)?;

    // In-process: core's own bench on the national database.
    let output = cmd::read(
        cmd::cargo()
            .args([
                "bench",
                "-p",
                "exdesk-core",
                "--bench",
                "national",
                "--quiet",
            ])
            .env("EXDESK_BENCH_DB", &national),
    )?;
    for line in output.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, samples, median, p99] = fields[..] else {
            continue;
        };
        rows.push(Row {
            operation: format!("in process: {name}"),
            ours: format!("median {median} ms, p99 {p99} ms"),
            sqlite: None,
            ratio: None,
            note: format!("{samples} runs"),
        });
    }

    if options.app {
        for (operation, ours) in crate::app_bench::measure(project, &national)? {
            rows.push(Row {
                operation,
                ours,
                sqlite: None,
                ratio: None,
                note: String::new(),
            });
        }
        let binary = project.release_bin(app::APP);
        let size = fs::metadata(&binary)
            .context(|| format!("cannot read {}", binary.display()))?
            .len();
        rows.push(Row {
            operation: "desktop app release binary".to_owned(),
            ours: megabytes(size),
            sqlite: None,
            ratio: None,
            note: "target < 25 MB".to_owned(),
        });
    }
    Ok(rows)
}

/// `exdesk --db DB ARGS...`.
fn exdesk_on(exdesk: &Path, db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(exdesk);
    c.arg("--db").arg(db).args(args);
    c
}

/// Removes a database and makes an empty one in its place (untimed set-up).
fn fresh_db(exdesk: &Path, db: &Path) -> Result<()> {
    remove_db(db)?;
    cmd::run(exdesk_on(exdesk, db, &["init"]).stdout(Stdio::null()))
}

/// Runs `setup` then times `command` (stdout discarded), `runs` times; fails when a run
/// fails. Peak memory is sampled from /proc every millisecond while the process runs.
fn time(
    runs: usize,
    mut setup: impl FnMut() -> Result<()>,
    command: impl Fn() -> Command,
) -> Result<Measured> {
    let mut samples = Vec::with_capacity(runs);
    let mut peak = 0;
    for _ in 0..runs {
        setup()?;
        let mut cmd = command();
        let line = cmd::shell_line(&cmd);
        let started = Instant::now();
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context(|| format!("cannot start `{line}`"))?;
        // Read stderr while the command runs: an import's warnings fill a pipe's 64 kB,
        // and a command blocked writing to a pipe nobody reads never ends.
        let mut err = child.stderr.take();
        let drain = std::thread::spawn(move || {
            use std::io::Read as _;
            let mut text = String::new();
            if let Some(err) = err.as_mut() {
                let _ = err.read_to_string(&mut text);
            }
            text
        });
        let status = loop {
            if let Some(kib) = peak_rss_kib(child.id()) {
                peak = peak.max(kib);
            }
            if let Some(status) = child.try_wait()? {
                break status;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let elapsed = started.elapsed();
        let stderr = drain.join().unwrap_or_default();
        if !status.success() {
            bail!("`{line}` failed ({status}): {}", stderr.trim());
        }
        samples.push(elapsed);
    }
    samples.sort();
    Ok(Measured {
        median: samples[samples.len() / 2],
        peak_rss_kib: peak,
    })
}

/// `VmHWM` (the peak resident set size so far) of a running process, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn sqlite3_cmd(db: &Path, sql: &str) -> Command {
    let mut c = Command::new("sqlite3");
    c.arg(db).arg(sql);
    c
}

fn sqlite3(db: &Path, sql: &str) -> Result<String> {
    cmd::read(&mut sqlite3_cmd(db, sql))
}

/// Removes a database file with its WAL, shared-memory file and automatic backups.
fn remove_db(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        if file.exists() {
            fs::remove_file(&file).context(|| format!("cannot remove {}", file.display()))?;
        }
    }
    if let (Some(parent), Some(stem)) = (path.parent(), path.file_stem()) {
        let backups = parent.join("backups");
        if let Ok(entries) = fs::read_dir(&backups) {
            let prefix = format!("{}-", stem.to_string_lossy());
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    fs::remove_file(entry.path())?;
                }
            }
        }
    }
    Ok(())
}

/// A people sheet of `rows` rows in the template's layout: Latin and (for a third of
/// them) Hebrew names, unique e-mail addresses, citizenships, some home institutions
/// left empty. Deterministic.
fn people_csv(rows: u32) -> String {
    const GIVEN: &[(&str, &str)] = &[
        ("Dana", "דנה"),
        ("Yossi", "יוסי"),
        ("Noa", "נועה"),
        ("Avi", "אבי"),
        ("Maya", "מאיה"),
        ("Omer", "עומר"),
        ("Emily", ""),
        ("Michael", ""),
        ("Sarah", ""),
        ("David", "דוד"),
        ("Priya", ""),
        ("Wei", ""),
    ];
    const FAMILY: &[(&str, &str)] = &[
        ("Cohen", "כהן"),
        ("Levi", "לוי"),
        ("Mizrahi", "מזרחי"),
        ("Peretz", "פרץ"),
        ("Biton", "ביטון"),
        ("Smith", ""),
        ("Johnson", ""),
        ("Garcia", ""),
        ("Nguyen", ""),
        ("Friedman", "פרידמן"),
        ("Katz", "כץ"),
        ("Shapiro", "שפירא"),
        ("Williams", ""),
    ];
    const COUNTRIES: &[&str] = &["US", "IL", "US;IL", "DE", "IN", "FR"];
    let mut out = String::from(
        "given_name,family_name,given_name_he,family_name_he,email,orcid,birth_date,citizenships,phone,home_institution,notes\n",
    );
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for i in 0..rows {
        let (given, given_he) = GIVEN[next(GIVEN.len())];
        let (family, family_he) = FAMILY[next(FAMILY.len())];
        let hebrew = !given_he.is_empty() && !family_he.is_empty() && next(3) == 0;
        let (given_he, family_he) = if hebrew {
            (given_he, family_he)
        } else {
            ("", "")
        };
        let year = 1960 + next(45);
        let month = 1 + next(12);
        let day = 1 + next(28);
        let country = COUNTRIES[next(COUNTRIES.len())];
        let _ = writeln!(
            out,
            "{given},{family},{given_he},{family_he},{}.{}.{i}@example.org,,{year}-{month:02}-{day:02},{country},,,",
            given.to_lowercase(),
            family.to_lowercase(),
        );
    }
    out
}

fn compare(operation: &str, ours: &Measured, theirs: &Measured, note: &str) -> Row {
    Row {
        operation: operation.to_owned(),
        ours: secs(ours.median),
        sqlite: Some(secs(theirs.median)),
        ratio: Some(ours.median.as_secs_f64() / theirs.median.as_secs_f64().max(1e-9)),
        note: note.to_owned(),
    }
}

fn alone(operation: &str, ours: &Measured, note: &str) -> Row {
    Row {
        operation: operation.to_owned(),
        ours: secs(ours.median),
        sqlite: None,
        ratio: None,
        note: note.to_owned(),
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.0} kB", bytes as f64 / 1000.0)
}

fn render(rows: &[Row], options: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "National dataset: `exdesk gen --people {} --seed 1`; whole-process timings are the \
         median of {} runs (fewer for `export all` and backup), wall clock.\n",
        options.people, options.runs
    );
    out.push_str("| operation | Exchange Desk | sqlite3 shell | ratio | notes |\n");
    out.push_str("|---|---:|---:|---:|---|\n");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.operation,
            row.ours,
            row.sqlite.as_deref().unwrap_or("—"),
            row.ratio.map_or("—".to_owned(), |r| format!("{r:.2}×")),
            row.note
        );
    }
    out
}
