//! The desktop app's row of `cargo xtask bench`: runs the end-to-end crate's `app_bench`
//! (launch to a rendered dashboard, PSS of the app and its WebKit processes) on the
//! release app, under Xvfb unless the machine has a display.

use std::path::Path;

use crate::error::{Result, bail};
use crate::project::Project;
use crate::xvfb::Xvfb;
use crate::{app, cmd, deps};

/// `(operation, value)` rows for the national database `db`; needs the release app built
/// with the UI embedded.
pub fn measure(project: &Project, db: &Path) -> Result<Vec<(String, String)>> {
    let Some(tauri_driver) = deps::tauri_driver_path() else {
        bail!("tauri-driver is not installed (run `cargo xtask deps`)");
    };
    let mut bench = cmd::cargo();
    bench
        .args([
            "run",
            "--quiet",
            "-p",
            "exdesk-e2e",
            "--bin",
            "app_bench",
            "--",
        ])
        .arg("--app")
        .arg(project.release_bin(app::APP))
        .arg("--db")
        .arg(db)
        .env("EXDESK_E2E_TAURI_DRIVER", tauri_driver);
    let _xvfb = if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        None
    } else {
        std::fs::create_dir_all(project.scratch(""))?;
        let xvfb = Xvfb::start(&project.scratch("xvfb-bench.log"))?;
        bench
            .env("DISPLAY", &xvfb.display)
            .env("GDK_BACKEND", "x11")
            .env_remove("WAYLAND_DISPLAY");
        Some(xvfb)
    };
    let output = cmd::read(&mut bench)?;
    Ok(output
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (name, value, unit) = (fields.next()?, fields.next()?, fields.next()?);
            Some((format!("desktop app: {name}"), format!("{value} {unit}")))
        })
        .collect())
}
