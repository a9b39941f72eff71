//! Installs what the build and the tests need and a fresh machine lacks: Debian/Ubuntu
//! packages (through apt, as root or with sudo), `tauri-driver` (cargo install) and the UI's
//! npm packages (`npm ci` from the committed lockfile). Fast when everything is present.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::cmd;
use crate::error::{Error, Result, bail};
use crate::project::{self, Project};

/// What a task is about to do, and so what it needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Build the UI and the app.
    Build,
    /// Build, and drive the app under Xvfb through WebDriver.
    Everything,
}

/// Tauri's prerequisites on Debian/Ubuntu (see Tauri's "Prerequisites" page).
const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "file",
    // Builds the OpenSSL that SQLCipher (encryption at rest) is linked with.
    "perl",
];

/// A virtual display, and WebKitWebDriver, which tauri-driver hands the app to; and the
/// outside readers the file tests check our exports with: a real spreadsheet reader
/// (Python's openpyxl, run as /usr/bin/python3) and pdftotext.
const E2E_PACKAGES: &[&str] = &[
    "xvfb",
    "webkit2gtk-driver",
    "python3-openpyxl",
    "poppler-utils",
];

/// The tauri-driver release the end-to-end harness was written against.
const TAURI_DRIVER_VERSION: &str = "^2.1";

pub fn ensure(project: &Project, need: Need) -> Result<()> {
    let mut packages = BUILD_PACKAGES.to_vec();
    if need == Need::Everything {
        packages.extend_from_slice(E2E_PACKAGES);
    }
    apt_packages(&packages)?;
    if need == Need::Everything {
        tauri_driver()?;
    }
    npm_packages(project)?;
    println!("xtask: the packages and tools the build needs are in place");
    Ok(())
}

/// Where `tauri-driver` is: on `PATH`, else where `cargo install` puts it.
pub fn tauri_driver_path() -> Option<PathBuf> {
    cmd::find_on_path("tauri-driver").or_else(|| {
        let installed = cargo_home()?.join("bin/tauri-driver");
        installed.is_file().then_some(installed)
    })
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
}

/// Installs the Debian/Ubuntu packages a task needs beyond the build's (e.g. the sqlite3
/// shell the benchmark compares against), when missing.
pub fn ensure_packages(packages: &[&str]) -> Result<()> {
    apt_packages(packages)
}

fn apt_packages(packages: &[&str]) -> Result<()> {
    if !cmd::on_path("dpkg-query") {
        println!(
            "xtask: not a Debian/Ubuntu system; make sure the equivalents of these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing = missing_apt_packages(packages)?;
    if missing.is_empty() {
        return Ok(());
    }
    let by_hand = format!("sudo apt-get install {}", missing.join(" "));
    let Some(privilege) = Privilege::here() else {
        bail!(
            "these system packages are missing: {}\n\
             xtask needs root or sudo to install them; please run:\n  {by_hand}",
            missing.join(" ")
        );
    };
    println!(
        "xtask: installing missing system packages: {}",
        missing.join(" ")
    );
    let install = cmd::run(&mut privilege.apt_get(&["update"])).and_then(|()| {
        let mut install = privilege.apt_get(&["install", "-y"]);
        install.args(&missing);
        cmd::run(&mut install)
    });
    install
        .map_err(|err| Error::new(format!("{err}\ninstall the packages by hand:\n  {by_hand}")))?;
    let still_missing = missing_apt_packages(packages)?;
    if !still_missing.is_empty() {
        bail!("apt-get did not install: {}", still_missing.join(" "));
    }
    Ok(())
}

/// How apt-get can run as root here.
enum Privilege {
    Root,
    /// `sudo`, allowed to ask for a password only when someone is at a terminal.
    Sudo {
        may_prompt: bool,
    },
}

impl Privilege {
    fn here() -> Option<Privilege> {
        if rustix::process::geteuid().is_root() {
            Some(Privilege::Root)
        } else if cmd::on_path("sudo") {
            let may_prompt = std::io::stdin().is_terminal();
            Some(Privilege::Sudo { may_prompt })
        } else {
            None
        }
    }

    fn apt_get(&self, args: &[&str]) -> Command {
        let mut command = match self {
            Privilege::Root => {
                let mut command = Command::new("apt-get");
                command.env("DEBIAN_FRONTEND", "noninteractive");
                command
            }
            Privilege::Sudo { may_prompt } => {
                let mut command = Command::new("sudo");
                if !may_prompt {
                    command.arg("--non-interactive");
                }
                // sudo resets the environment but takes VAR=value before the command.
                command.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                command
            }
        };
        command.args(args).stdin(Stdio::null());
        command
    }
}

/// The packages among `packages` that dpkg does not list as installed.
fn missing_apt_packages<'a>(packages: &[&'a str]) -> Result<Vec<&'a str>> {
    // Exits 1 and complains on stderr about packages it has never heard of: both expected.
    let output = Command::new("dpkg-query")
        .args(["-W", "-f=${Package} ${db:Status-Status}\n"])
        .args(packages)
        .stderr(Stdio::null())
        .output()?;
    let listing = String::from_utf8_lossy(&output.stdout);
    let installed: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.strip_suffix(" installed"))
        .collect();
    Ok(packages
        .iter()
        .copied()
        .filter(|package| !installed.contains(package))
        .collect())
}

fn tauri_driver() -> Result<()> {
    if tauri_driver_path().is_some() {
        return Ok(());
    }
    println!("xtask: installing tauri-driver (the WebDriver server for Tauri apps)");
    cmd::run(cmd::cargo().args([
        "install",
        "tauri-driver",
        "--locked",
        "--version",
        TAURI_DRIVER_VERSION,
    ]))?;
    if tauri_driver_path().is_none() {
        bail!(
            "`cargo install tauri-driver` succeeded but tauri-driver is neither on PATH nor in $CARGO_HOME/bin"
        );
    }
    Ok(())
}

/// The oldest Node.js the UI's tools run on (Vite 8; `engines` in ui/package.json).
const NODE_MINIMUM: &str = "20.19";

/// Fails with what to install when `node` is older than [`NODE_MINIMUM`]: npm would only
/// warn, and the UI build would then fail with an error that does not say why.
fn node_is_recent_enough() -> Result<()> {
    let out = Command::new("node").arg("--version").output();
    let Ok(out) = out else {
        bail!("node is not on PATH: install Node.js {NODE_MINIMUM} or later");
    };
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if older_than_minimum(&version) {
        bail!(
            "Node.js {version} is too old: the UI's tools need {NODE_MINIMUM} or later \
             (Debian's own nodejs package is older; take Node from NodeSource or nvm)"
        );
    }
    Ok(())
}

/// Whether `node --version`'s answer (`v20.18.1`) is older than [`NODE_MINIMUM`]; an
/// answer that is not a version counts as too old.
fn older_than_minimum(version: &str) -> bool {
    let numbers = |v: &str| -> Vec<u32> {
        v.trim_start_matches('v')
            .split('.')
            .map_while(|p| p.parse().ok())
            .collect()
    };
    let (have, need) = (numbers(version), numbers(NODE_MINIMUM));
    have.len() < 2 || have[..2] < need[..]
}

/// `npm ci` when ui/node_modules is missing or older than the committed lockfile.
fn npm_packages(project: &Project) -> Result<()> {
    let ui = project.ui_dir();
    let lockfile = ui.join("package-lock.json");
    if !ui.join("package.json").is_file() {
        bail!("{} is missing", ui.join("package.json").display());
    }
    if !lockfile.is_file() {
        bail!(
            "{} is missing: npm packages are installed from a committed lockfile \
             (run `npm install` in ui/ and commit package-lock.json)",
            lockfile.display()
        );
    }
    if !cmd::on_path("npm") {
        bail!("npm is not on PATH: install Node.js {NODE_MINIMUM} or later (it brings npm)");
    }
    node_is_recent_enough()?;
    // npm rewrites node_modules/.package-lock.json on every install.
    let installed = project::modified(&ui.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= project::modified(&lockfile) {
        return Ok(());
    }
    cmd::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ui)
            .stdin(Stdio::null()),
    )
}

#[cfg(test)]
mod tests {
    use super::older_than_minimum;

    #[test]
    fn node_versions_below_20_19_are_too_old() {
        for old in ["v18.19.0", "v20.18.3", "v20.9.0", "", "garbage"] {
            assert!(older_than_minimum(old), "{old}");
        }
        for new in ["v20.19.0", "v20.20.2", "v22.1.0", "v24.0.0"] {
            assert!(!older_than_minimum(new), "{new}");
        }
    }
}
