//! tauri-driver, the WebDriver server that starts the app: one per test, on free ports.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::{PATIENCE, POLL};

/// Session creation starts the app; a failure is retried this many times in all.
const SESSION_ATTEMPTS: usize = 3;

/// A running tauri-driver. Dropping it sends SIGTERM to the app it started (closing the
/// session does not end a Tauri app: it outlived every test, each running its own
/// background work on the machine) and then to tauri-driver, which stops WebKitWebDriver
/// (SIGKILL would leave WebKitWebDriver running). tauri-driver stays in our process
/// group, so a Ctrl-C reaches all three.
pub struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Driver {
    /// Starts tauri-driver on two free ports (its own and WebKitWebDriver's) and waits
    /// until both accept connections. The environment reaches the app: `EXDESK_DB`, and
    /// XDG directories inside `dir` so that WebKit's storage is fresh for every test.
    pub async fn start(tauri_driver: &Path, db: &Path, dir: &Path) -> Driver {
        let [port, native_port] = free_ports();
        let log = dir.join("tauri-driver.log");
        let log_file = File::create(&log).expect("cannot create the tauri-driver log");
        let child = Command::new(tauri_driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("EXDESK_DB", db)
            // Shows a path field beside each file dialog, which WebDriver cannot drive.
            .env("EXDESK_E2E", "1")
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("cannot share the log file"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", tauri_driver.display()));
        let mut driver = Driver { child, port, log };
        for port in [native_port, port] {
            driver.wait_until_listening(port).await;
        }
        driver
    }

    /// A WebDriver session on a newly started app.
    pub async fn new_session(&self, app: &Path) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut failures = Vec::new();
        let mut builder = ClientBuilder::native();
        builder.capabilities(capabilities);
        for _ in 0..SESSION_ATTEMPTS {
            match tokio::time::timeout(PATIENCE, builder.connect(&url)).await {
                Ok(Ok(client)) => return client,
                Ok(Err(err)) => failures.push(err.to_string()),
                Err(_) => failures.push(format!("no session after {PATIENCE:?}")),
            }
        }
        panic!(
            "cannot start {} through tauri-driver: {}\n{}",
            app.display(),
            failures.join("; "),
            self.log_text()
        );
    }

    /// tauri-driver's process id (the app runs among its descendants).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    async fn wait_until_listening(&mut self, port: u16) {
        let deadline = Instant::now() + PATIENCE;
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("tauri-driver exited ({status}):\n{}", self.log_text());
            }
            if Instant::now() >= deadline {
                panic!(
                    "nothing listens on port {port} after {PATIENCE:?}:\n{}",
                    self.log_text()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn log_text(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        format!("--- {} ---\n{text}", self.log.display())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The app (and its WebKit processes, which go with it), below WebKitWebDriver.
        for app in descendants(self.child.id())
            .into_iter()
            .filter(|&p| !comm(p).is_some_and(|c| c.starts_with("WebKit")))
        {
            if let Some(pid) = rustix::process::Pid::from_raw(app as i32) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
            }
        }
        let pid = rustix::process::Pid::from_child(&self.child);
        if rustix::process::kill_process(pid, rustix::process::Signal::TERM).is_err() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A process's name as the kernel keeps it (`/proc/PID/comm`, at most 15 bytes).
pub fn comm(pid: u32) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(text.trim_end().to_owned())
}

/// Every process below `root`, from the parent ids in `/proc/*/stat`.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(ppid) = parent(&entry.path().join("stat")) {
            parents.push((pid, ppid));
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(pid, ppid) in &parents {
            if ppid == p {
                out.push(pid);
                frontier.push(pid);
            }
        }
    }
    out
}

/// The parent id from `/proc/PID/stat` (the field after the parenthesised name, which
/// may itself hold spaces and parentheses).
fn parent(stat: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(stat).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Two ports nothing listens on now. Both listeners are open at once, so they differ.
fn free_ports() -> [u16; 2] {
    let bind = || TcpListener::bind("127.0.0.1:0").expect("cannot bind a local port");
    let listeners = [bind(), bind()];
    listeners.map(|listener| listener.local_addr().expect("a bound port").port())
}
