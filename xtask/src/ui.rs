//! The web front end in ui/: npm scripts, run with ui/ as the working directory.

use std::process::{Command, Stdio};

use crate::cmd;
use crate::error::Result;
use crate::project::Project;

/// `npm run build`: writes ui/dist, which the app embeds.
pub fn build(project: &Project) -> Result<()> {
    cmd::run(&mut npm(project, &["run", "build"]))
}

/// Runs `npm run SCRIPT` when package.json defines it; says whether it did.
pub fn run_script_if_present(project: &Project, script: &str) -> Result<bool> {
    let defined = cmd::read(&mut npm(
        project,
        &["pkg", "get", &format!("scripts.{script}")],
    ))?;
    // `npm pkg get` prints `{}` for a key that is not there.
    if defined.trim() == "{}" {
        println!("xtask: ui/package.json has no `{script}` script; skipped");
        return Ok(false);
    }
    let mut command = npm(project, &["run", script]);
    // Test runners such as vitest watch for changes on a terminal unless CI is set.
    command.env("CI", "true");
    cmd::run(&mut command)?;
    Ok(true)
}

fn npm(project: &Project, args: &[&str]) -> Command {
    let mut command = Command::new("npm");
    command
        .args(args)
        .current_dir(project.ui_dir())
        .stdin(Stdio::null());
    command
}
