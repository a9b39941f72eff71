//! The two binaries xtask builds and runs: the desktop app and the `exdesk` CLI.

use crate::cmd;
use crate::error::Result;

/// The desktop app's binary (package `exchange-desk`, in src-tauri/).
pub const APP: &str = "exchange-desk";
/// The command-line shell (package `exdesk-cli`).
pub const CLI: &str = "exdesk";

/// Builds the debug app with ui/dist embedded (Tauri's `custom-protocol`; without it the
/// app would load the Vite dev server) and the CLI, in one cargo run so shared
/// dependencies are built once with the same features.
pub fn build_debug() -> Result<()> {
    cmd::run(cmd::cargo().args([
        "build",
        "-p",
        "exchange-desk",
        "-p",
        "exdesk-cli",
        "--features",
        "exchange-desk/custom-protocol",
    ]))
}
