//! `cargo xtask run`: build everything and open the app on a demo database that is kept
//! apart from the user's own (it lives in the target directory; `cargo clean` removes it).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::deps::{self, Need};
use crate::error::{Context, Result, bail};
use crate::project::Project;
use crate::steps::Steps;
use crate::{app, cmd, ui};

pub fn run(project: &Project, app_args: &[String]) -> Result<()> {
    let db = project.target_dir.join("xtask-demo/demo.sqlite3");
    let mut steps = Steps::new("run");
    steps.run("deps", || deps::ensure(project, Need::Build))?;
    steps.run("ui build", || ui::build(project))?;
    steps.run("app build", app::build_debug)?;
    steps.run("demo database", || demo_database(project, &db))?;
    steps.print_summary();

    println!(
        "\nxtask: opening Exchange Desk on the demo database\n  {}\n\
         (delete that file for a fresh demo; your own database is not touched)",
        db.display()
    );
    if ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .all(|var| std::env::var_os(var).is_none())
    {
        println!("xtask: neither DISPLAY nor WAYLAND_DISPLAY is set; the window may not open");
    }
    let mut app = Command::new(project.debug_bin(app::APP));
    app.args(app_args).env("EXDESK_DB", &db);
    println!("$ {}", cmd::shell_line(&app));
    let status = app.status().context(|| "cannot start the app".to_owned())?;
    if !status.success() {
        bail!("the app exited with {status}");
    }
    Ok(())
}

/// Loads the demo dataset with the CLI, once: an existing demo database keeps whatever the
/// user changed in it. The file appears only when loading succeeded.
fn demo_database(project: &Project, db: &Path) -> Result<()> {
    if db.exists() {
        println!("xtask: using the existing demo database {}", db.display());
        return Ok(());
    }
    let dir = db.parent().expect("the demo database is in a directory");
    fs::create_dir_all(dir)?;
    let loading = db.with_extension("sqlite3.loading");
    for stale in sqlite_files(&loading) {
        if stale.exists() {
            fs::remove_file(&stale)?;
        }
    }
    cmd::run(
        Command::new(project.debug_bin(app::CLI))
            .arg("--db")
            .arg(&loading)
            .arg("demo"),
    )?;
    // The CLI has exited, so SQLite has checkpointed its WAL; move whatever is left along.
    for (from, to) in sqlite_files(&loading).into_iter().zip(sqlite_files(db)) {
        if from.exists() {
            fs::rename(&from, &to)
                .context(|| format!("cannot move {} to {}", from.display(), to.display()))?;
        }
    }
    println!("xtask: loaded the demo dataset into {}", db.display());
    Ok(())
}

/// The database file and the WAL and shared-memory files SQLite keeps beside it.
fn sqlite_files(db: &Path) -> [PathBuf; 3] {
    let with_suffix = |suffix: &str| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [db.to_path_buf(), with_suffix("-wal"), with_suffix("-shm")]
}
