//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure.

use std::process::Command;

use crate::deps::{self, Need};
use crate::error::{Result, bail};
use crate::project::Project;
use crate::steps::Steps;
use crate::xvfb::Xvfb;
use crate::{app, bindings, cmd, ui};

pub fn test(project: &Project) -> Result<()> {
    let mut steps = Steps::new("test");
    steps.run("deps", || deps::ensure(project, Need::Everything))?;
    steps.run("fmt", || {
        cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    steps.run("ui build", || ui::build(project))?;
    steps.run("ui check", || {
        ui::run_script_if_present(project, "check").map(drop)
    })?;
    steps.run("ui test", || {
        ui::run_script_if_present(project, "test").map(drop)
    })?;
    steps.run("bindings", || bindings::check(project))?;
    steps.run("clippy", || {
        cmd::run(cmd::cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    steps.run("cargo test", || {
        cmd::run(cmd::cargo().args(["test", "--workspace", "--exclude", "exdesk-e2e"]))
    })?;
    end_to_end_steps(project, &mut steps)?;
    steps.print_summary();
    Ok(())
}

/// `cargo xtask e2e`: only what the end-to-end tests need, for working on the UI.
pub fn e2e_only(project: &Project) -> Result<()> {
    let mut steps = Steps::new("e2e");
    steps.run("deps", || deps::ensure(project, Need::Everything))?;
    steps.run("ui build", || ui::build(project))?;
    end_to_end_steps(project, &mut steps)?;
    steps.print_summary();
    Ok(())
}

fn end_to_end_steps(project: &Project, steps: &mut Steps) -> Result<()> {
    steps.run("e2e build", || {
        app::build_debug()?;
        cmd::run(cmd::cargo().args(["test", "-p", "exdesk-e2e", "--no-run"]))
    })?;
    steps.run("e2e", || end_to_end(project))
}

/// Runs the WebDriver tests against the real app, on a private Xvfb unless the machine
/// has a display. The tests learn where everything is from `EXDESK_E2E_*` variables.
fn end_to_end(project: &Project) -> Result<()> {
    let Some(tauri_driver) = deps::tauri_driver_path() else {
        bail!("tauri-driver is not installed (run `cargo xtask deps`)");
    };
    let screenshots = project.target_dir.join("e2e-screenshots");
    let mut test = cmd::cargo();
    test.args(["test", "-p", "exdesk-e2e"])
        .env("EXDESK_E2E_APP", project.debug_bin(app::APP))
        .env("EXDESK_E2E_EXDESK", project.debug_bin(app::CLI))
        .env("EXDESK_E2E_TAURI_DRIVER", tauri_driver)
        .env("EXDESK_E2E_SCREENSHOTS", &screenshots);

    let has_display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
    let _xvfb = if has_display {
        None
    } else {
        std::fs::create_dir_all(project.scratch(""))?;
        let xvfb = Xvfb::start(&project.scratch("xvfb.log"))?;
        on_display(&mut test, &xvfb.display);
        Some(xvfb)
    };
    cmd::run(&mut test)?;
    println!("xtask: screenshots in {}", screenshots.display());
    Ok(())
}

/// Sends GTK to the X display `display`, even in a Wayland session.
fn on_display(command: &mut Command, display: &str) {
    command
        .env("DISPLAY", display)
        .env("GDK_BACKEND", "x11")
        .env_remove("WAYLAND_DISPLAY");
}
