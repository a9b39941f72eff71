//! `cargo xtask dist`: the release app and its .deb and .rpm packages, built by Tauri's
//! own bundler so the UI is embedded exactly as in a release (never a dev server).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::deps::{self, Need};
use crate::error::{Result, bail};
use crate::project::{self, Project};
use crate::steps::Steps;
use crate::{app, cmd, ui};

/// The formats Tauri can bundle offline (an AppImage needs downloads).
const BUNDLES: &[&str] = &["deb", "rpm"];

pub fn dist(project: &Project) -> Result<()> {
    let mut steps = Steps::new("dist");
    steps.run("deps", || deps::ensure(project, Need::Build))?;
    steps.run("ui build", || ui::build(project))?;
    let started = SystemTime::now();
    steps.run("tauri build", || tauri_build(project))?;
    let mut packages = Vec::new();
    steps.run("find packages", || {
        for format in BUNDLES {
            let dir = project.target_dir.join("release/bundle").join(format);
            let found = files_made_since(&dir, format, started)?;
            if found.is_empty() {
                bail!("tauri build made no .{format} package");
            }
            packages.extend(found);
        }
        Ok(())
    })?;
    steps.print_summary();

    println!("\nPackages:");
    for package in &packages {
        println!("  {}", package.display());
    }
    println!("Release binary:");
    // The last line: scripts take the binary's path from here.
    println!("{}", project.release_bin(app::APP).display());
    Ok(())
}

/// `tauri build` from ui/node_modules (what `npx tauri` would run), in src-tauri/. The UI
/// was just built, so the config's beforeBuildCommand is dropped (a JSON merge patch:
/// `null` removes the key) rather than building it a second time.
fn tauri_build(project: &Project) -> Result<()> {
    let tauri_cli = project.ui_dir().join("node_modules/.bin/tauri");
    if !tauri_cli.exists() {
        bail!(
            "{} is missing: add @tauri-apps/cli to the devDependencies of ui/package.json",
            tauri_cli.display()
        );
    }
    cmd::run(
        Command::new(tauri_cli)
            .args(["build", "--ci", "--bundles", &BUNDLES.join(",")])
            .args(["--config", r#"{"build":{"beforeBuildCommand":null}}"#])
            .current_dir(project.root.join("src-tauri"))
            .stdin(Stdio::null()),
    )
}

/// The `*.extension` files in `dir` written since `since` (older builds' packages stay there).
fn files_made_since(dir: &Path, extension: &str, since: SystemTime) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if dir.is_dir() {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            let fresh = project::modified(&path).is_some_and(|m| m >= since);
            if fresh && path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
