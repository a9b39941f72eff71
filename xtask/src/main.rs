//! `cargo xtask`: the project's own automation, in Rust (matklad's xtask pattern).
//!
//! `cargo xtask run` and `cargo xtask test` are the two commands a newcomer needs; both
//! install what is missing on the machine first (see `deps`). Every task prints what it
//! runs, so any step can be repeated by hand.

mod app;
mod app_bench;
mod bench;
mod bindings;
mod cmd;
mod deps;
mod dist;
mod error;
mod fuzz;
mod project;
mod run;
mod steps;
mod test;
mod ui;
mod xvfb;

use std::process::ExitCode;

use crate::error::Result;
use crate::project::Project;

const HELP: &str = "\
cargo xtask <TASK> [ARGS]

Tasks:
  run [ARGS...]  build the UI and the app, then open it on a demo database kept apart
                 from your own data (ARGS go to the app)
  test           everything CI checks: fmt, UI build and tests, bindings, clippy,
                 unit and integration tests, end-to-end tests under Xvfb
  e2e            only the end-to-end tests (builds the UI and the app first)
  dist           release build with the UI embedded, plus .deb and .rpm packages;
                 prints the release binary's path on its last line
  bindings       regenerate the TypeScript bindings in ui/src/bindings
                 (--check: only say whether they are up to date)
  bench [--people N] [--runs N] [--no-app]
                 release builds, a national dataset (N = 200,000 people by default)
                 and a table of timings beside the sqlite3 shell (see BENCHMARKS.md)
  deps           install what is missing: apt packages, tauri-driver, npm packages
  fuzz [SECONDS] run each fuzz target in fuzz/ for SECONDS (default 60) from the
                 committed seeds; installs cargo-fuzz when missing; prints executions

Environment:
  CARGO_TARGET_DIR  respected everywhere (binaries, screenshots, demo database)
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    match dispatch(task.as_deref(), rest) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(task: Option<&str>, rest: Vec<String>) -> Result<()> {
    let no_args = |task: &str| -> Result<()> {
        if let Some(extra) = rest.first() {
            error::bail!("`cargo xtask {task}` takes no arguments (got `{extra}`)");
        }
        Ok(())
    };
    match task {
        Some("run") => run::run(&Project::locate()?, &rest),
        Some("test") => {
            no_args("test")?;
            test::test(&Project::locate()?)
        }
        Some("e2e") => {
            no_args("e2e")?;
            test::e2e_only(&Project::locate()?)
        }
        Some("dist") => {
            no_args("dist")?;
            dist::dist(&Project::locate()?)
        }
        Some("bindings") => match rest.as_slice() {
            [] => bindings::regenerate(&Project::locate()?),
            [check] if check == "--check" => bindings::check(&Project::locate()?),
            _ => error::bail!("usage: cargo xtask bindings [--check]"),
        },
        Some("bench") => bench::bench(&Project::locate()?, &rest),
        Some("fuzz") => fuzz::fuzz(&Project::locate()?, &rest),
        Some("deps") => {
            no_args("deps")?;
            deps::ensure(&Project::locate()?, deps::Need::Everything)
        }
        None | Some("help" | "-h" | "--help") => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => error::bail!("unknown task `{other}`\n\n{HELP}"),
    }
}
