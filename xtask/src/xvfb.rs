//! A virtual X display for the end-to-end tests when the machine has no display of its own.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::error::{Context, Result, bail};

/// A running Xvfb, stopped with SIGTERM (so it removes its lock file and socket) on drop.
pub struct Xvfb {
    child: Child,
    /// Kept open: Xvfb announced its display here, and a closed pipe could kill it.
    _stdout: BufReader<ChildStdout>,
    pub display: String,
}

impl Xvfb {
    /// Starts Xvfb on the first free display. `-displayfd` makes Xvfb choose the display
    /// itself and print its number once it accepts connections, so there is no race with
    /// other X servers and nothing to poll.
    pub fn start(log: &Path) -> Result<Xvfb> {
        let log_file = File::create(log).context(|| format!("cannot create {}", log.display()))?;
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .context(|| "cannot start Xvfb".to_owned())?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut number = String::new();
        stdout.read_line(&mut number)?;
        let number = number.trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            let status = child.wait()?;
            let log_text = std::fs::read_to_string(log).unwrap_or_default();
            bail!("Xvfb did not start ({status}):\n{log_text}");
        }
        let display = format!(":{number}");
        println!(
            "xtask: started Xvfb on DISPLAY={display} (log: {})",
            log.display()
        );
        Ok(Xvfb {
            child,
            _stdout: stdout,
            display,
        })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        if rustix::process::kill_process(pid, rustix::process::Signal::TERM).is_err() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        println!("xtask: stopped Xvfb on DISPLAY={}", self.display);
    }
}
