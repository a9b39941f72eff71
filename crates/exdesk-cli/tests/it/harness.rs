//! Running the real `exdesk` binary against a temporary database, and a small world of
//! records (institutions in several countries, people, a program and its cohorts) built
//! through the CLI itself.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use tempfile::TempDir;

pub const EXIT_OK: i32 = 0;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_INVALID: i32 = 3;
pub const EXIT_NOT_FOUND: i32 = 4;
pub const EXIT_REFUSED: i32 = 5;

/// A well-formed record id that no database holds.
pub const MISSING_ID: &str = "01900000-0000-7000-8000-000000000000";

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Out {
    pub cmd: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Asserts the exit code, showing the whole run when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Out {
        assert_eq!(
            self.code, expected,
            "`{}` exited {} (expected {expected})\nstdout: {}\nstderr: {}",
            self.cmd, self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Out {
        self.code(EXIT_OK)
    }

    /// stdout parsed as JSON (the whole of it: JSON only).
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}` did not print JSON only ({e}):\n{}",
                self.cmd, self.stdout
            )
        })
    }

    /// Asserts that stderr names `field`; `a|b` accepts either name.
    #[track_caller]
    pub fn names(&self, field: &str) -> &Out {
        assert!(
            field.split('|').any(|f| self.stderr.contains(f)),
            "`{}`: stderr does not name {field:?}:\n{}",
            self.cmd,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_mentions(&self, word: &str) -> &Out {
        assert!(
            self.stderr.to_lowercase().contains(&word.to_lowercase()),
            "`{}`: stderr does not mention {word:?}:\n{}",
            self.cmd,
            self.stderr
        );
        self
    }
}

/// A temporary directory with one database in it; every command runs with HOME and the
/// XDG directories inside it, so nothing outside is ever touched.
pub struct Env {
    dir: TempDir,
    pub db: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("desk.sqlite3");
        Env { dir, db }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with a clean environment: no `EXDESK_DB`, HOME in the temp dir.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_exdesk"));
        cmd.env_remove("EXDESK_DB")
            .env_remove("EXDESK_PASSPHRASE")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs the binary with exactly these arguments and environment additions.
    pub fn run_with<S: AsRef<OsStr>>(&self, args: &[S], envs: &[(&str, &OsStr)]) -> Out {
        let mut cmd = self.command();
        cmd.args(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        let output = cmd.output().expect("run exdesk");
        let out = Out {
            cmd: format!("exdesk {}", shown.join(" ")),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        // "A command never panics on bad input."
        assert!(
            out.code != 101 && out.code != -1 && !out.stderr.contains("panicked"),
            "`{}` panicked or was killed (exit {}):\n{}",
            out.cmd,
            out.code,
            out.stderr
        );
        // "With --json, stdout carries JSON only."
        if shown.iter().any(|a| a == "--json") && !out.stdout.trim().is_empty() {
            assert!(
                serde_json::from_str::<Value>(&out.stdout).is_ok(),
                "`{}`: stdout is not JSON only:\n{}",
                out.cmd,
                out.stdout
            );
        }
        out
    }

    /// Runs `exdesk --db DB ARGS...`.
    pub fn run(&self, args: &[&str]) -> Out {
        let mut full: Vec<&OsStr> = vec![OsStr::new("--db"), self.db.as_os_str()];
        full.extend(args.iter().map(OsStr::new));
        self.run_with(&full, &[])
    }

    /// Runs a command that must succeed and print JSON.
    #[track_caller]
    pub fn ok_json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        out.ok();
        out.json()
    }

    #[track_caller]
    pub fn add(&self, entity: &str, input: &Value) -> Value {
        self.ok_json(&[entity, "add", "--json", &input.to_string()])
    }

    /// Adds and returns the new record's id.
    #[track_caller]
    pub fn add_id(&self, entity: &str, input: &Value) -> String {
        id_of(&self.add(entity, input))
    }

    pub fn try_update(&self, entity: &str, id: &str, patch: &Value) -> Out {
        self.run(&[entity, "update", id, "--json", &patch.to_string()])
    }

    #[track_caller]
    pub fn update(&self, entity: &str, id: &str, patch: &Value) -> Value {
        let out = self.try_update(entity, id, patch);
        out.ok();
        out.json()
    }

    #[track_caller]
    pub fn get(&self, entity: &str, id: &str) -> Value {
        self.ok_json(&[entity, "get", id])
    }

    #[track_caller]
    pub fn list(&self, entity: &str, extra: &[&str]) -> Vec<Value> {
        let mut args = vec![entity, "list", "--json"];
        args.extend_from_slice(extra);
        match self.ok_json(&args) {
            Value::Array(items) => items,
            other => panic!("`{entity} list --json` printed {other} (not an array)"),
        }
    }

    #[track_caller]
    pub fn stats(&self) -> Value {
        self.ok_json(&["stats", "--json"])
    }

    /// `exdesk export all -o FILE` into a fresh file; returns its bytes.
    #[track_caller]
    pub fn export_bytes(&self) -> Vec<u8> {
        let file = tempfile::Builder::new()
            .prefix("export-")
            .suffix(".json")
            .tempfile_in(self.dir.path())
            .expect("temp file");
        let path = file.path().to_str().expect("utf-8 path").to_owned();
        self.run(&["export", "all", "-o", &path]).ok();
        std::fs::read(&path).expect("read export")
    }

    #[track_caller]
    pub fn export_json(&self) -> Value {
        serde_json::from_slice(&self.export_bytes()).expect("export all is JSON")
    }

    /// Runs `f` and asserts the database's `export all` is byte-identical before and after:
    /// a refused or invalid command writes nothing.
    #[track_caller]
    pub fn unchanged(&self, f: impl FnOnce() -> Out) -> Out {
        let before = self.export_bytes();
        let out = f();
        let after = self.export_bytes();
        assert!(
            before == after,
            "`{}` (exit {}) changed the data:\n--- before\n{}\n--- after\n{}",
            out.cmd,
            out.code,
            String::from_utf8_lossy(&before),
            String::from_utf8_lossy(&after)
        );
        out
    }

    /// Like [`Env::unchanged`] when `may_write` is false; just runs `f` otherwise.
    #[track_caller]
    pub fn unchanged_unless(&self, may_write: bool, f: impl FnOnce() -> Out) -> Out {
        if may_write { f() } else { self.unchanged(f) }
    }

    /// Asserts a command fails with `code`, names `field` on stderr and writes nothing.
    #[track_caller]
    pub fn refuses(&self, args: &[&str], code: i32, field: &str) -> Out {
        let out = self.unchanged(|| self.run(args));
        out.code(code).names(field);
        assert!(
            out.stdout.trim().is_empty(),
            "`{}` failed but printed on stdout (errors go to stderr):\n{}",
            out.cmd,
            out.stdout
        );
        out
    }

    #[track_caller]
    pub fn refuses_add(&self, entity: &str, input: &Value, code: i32, field: &str) -> Out {
        self.refuses(&[entity, "add", "--json", &input.to_string()], code, field)
    }

    #[track_caller]
    pub fn refuses_update(
        &self,
        entity: &str,
        id: &str,
        patch: &Value,
        code: i32,
        field: &str,
    ) -> Out {
        self.refuses(
            &[entity, "update", id, "--json", &patch.to_string()],
            code,
            field,
        )
    }

    /// A direct SQLite connection to the database file (for schema checks).
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open the database with rusqlite")
    }
}

#[track_caller]
pub fn id_of(record: &Value) -> String {
    record["id"]
        .as_str()
        .unwrap_or_else(|| panic!("record without a text id: {record}"))
        .to_owned()
}

pub fn ids(records: &[Value]) -> Vec<String> {
    records.iter().map(id_of).collect()
}

/// Asserts that every value given in `input` is in `output` (objects key by key, lists
/// item by item), so defaults and derived fields may be added but nothing given is lost.
#[track_caller]
pub fn assert_subset(input: &Value, output: &Value, path: &str) {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let Some(got) = b.get(k) else {
                    panic!("{path}.{k} is missing from the output: {output}");
                };
                assert_subset(v, got, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: {input} vs {output}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_subset(x, y, &format!("{path}[{i}]"));
            }
        }
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

/// Asserts an RFC 3339 UTC timestamp.
#[track_caller]
pub fn assert_utc_timestamp(v: &Value, what: &str) {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not text: {v}"));
    let t = chrono::DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{what} {s:?} is not RFC 3339: {e}"));
    assert_eq!(t.offset().local_minus_utc(), 0, "{what} {s:?} is not UTC");
}

/// Asserts a text UUID v7.
#[track_caller]
pub fn assert_uuid_v7(v: &Value, what: &str) {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not text: {v}"));
    let u = uuid::Uuid::parse_str(s).unwrap_or_else(|e| panic!("{what} {s:?} is no UUID: {e}"));
    assert_eq!(u.get_version_num(), 7, "{what} {s:?} is not a UUID v7");
}

/// Records every test can build on, made through the CLI.
pub struct World {
    /// MIT, US.
    pub us: String,
    /// Technion, IL.
    pub il: String,
    /// Weizmann Institute, IL.
    pub il2: String,
    /// University of Tokyo, JP.
    pub jp: String,
    /// Three people homed at the US institution; family names Aldridge, Brockmann, Castellano.
    pub people: Vec<String>,
    /// A person homed at the Israeli institution (Noa Levi / נועה לוי).
    pub il_person: String,
    /// A person homed in Japan.
    pub jp_person: String,
    /// A non-sensitive program.
    pub program: String,
    /// Its cohort hosted by the Technion, 2026-09-01 to 2027-06-30, no capacity.
    pub cohort_il: String,
    /// Its cohort hosted by MIT, 2026-10-01 to 2027-05-31, no capacity.
    pub cohort_us: String,
}

pub const FAMILY: [&str; 3] = ["Aldridge", "Brockmann", "Castellano"];

impl World {
    pub fn build(env: &Env) -> World {
        let inst = |name: &str, country: &str| {
            env.add_id("institution", &json!({"name": name, "country": country}))
        };
        let us = inst("Massachusetts Institute of Technology", "US");
        let il = inst("Technion", "IL");
        let il2 = inst("Weizmann Institute of Science", "IL");
        let jp = inst("University of Tokyo", "JP");
        let people = ["Avery", "Blake", "Casey"]
            .iter()
            .zip(FAMILY)
            .map(|(g, f)| {
                env.add_id(
                    "person",
                    &json!({"given_name": g, "family_name": f, "home_institution_id": us}),
                )
            })
            .collect();
        let il_person = env.add_id(
            "person",
            &json!({"given_name": "Noa", "family_name": "Levi", "given_name_he": "נועה",
                    "family_name_he": "לוי", "home_institution_id": il}),
        );
        let jp_person = env.add_id(
            "person",
            &json!({"given_name": "Haruto", "family_name": "Sato", "home_institution_id": jp}),
        );
        let program = env.add_id(
            "program",
            &json!({"name": "Joint AI Training", "kind": "joint_training", "tech_areas": ["ai"]}),
        );
        let cohort_il = env.add_id(
            "cohort",
            &json!({"program_id": program, "name": "Haifa Autumn 2026", "start_date": "2026-09-01",
                    "end_date": "2027-06-30", "host_institution_id": il}),
        );
        let cohort_us = env.add_id(
            "cohort",
            &json!({"program_id": program, "name": "Cambridge 2026", "start_date": "2026-10-01",
                    "end_date": "2027-05-31", "host_institution_id": us}),
        );
        World {
            us,
            il,
            il2,
            jp,
            people,
            il_person,
            jp_person,
            program,
            cohort_il,
            cohort_us,
        }
    }

    /// A new person with a unique name, homed at `home`.
    pub fn person(env: &Env, tag: &str, home: &str) -> String {
        env.add_id(
            "person",
            &json!({"given_name": "Test", "family_name": format!("Person {tag}"),
                    "home_institution_id": home}),
        )
    }
}
