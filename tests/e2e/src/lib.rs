//! Harness for the end-to-end tests: the real desktop app, driven the way a coordinator
//! would use it, through tauri-driver and WebKitWebDriver.
//!
//! Each test gets its own temporary database (seeded by the real `exdesk` CLI when it asks
//! for the demo), its own tauri-driver on free ports, and a fantoccini WebDriver session.
//! Whatever the outcome, a screenshot of the window is saved as `<test>.png`; a failing
//! test keeps its temporary directory (database and tauri-driver log) and says where.
//!
//! `cargo xtask test` builds the binaries and sets:
//! - `EXDESK_E2E_APP`: the desktop app (a build with the UI embedded),
//! - `EXDESK_E2E_EXDESK`: the `exdesk` CLI,
//! - `EXDESK_E2E_TAURI_DRIVER`: tauri-driver (else it is looked up on `PATH`),
//! - `EXDESK_E2E_SCREENSHOTS`: where screenshots go (else `target/e2e-screenshots`),
//! - `DISPLAY`: an X display (a private Xvfb when the machine has none).

mod driver;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use fantoccini::elements::Element;
pub use fantoccini::{Client, Locator};
pub use serde_json::Value;

pub use crate::driver::{Driver, comm, descendants};

/// How long a condition may take to come true before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);
/// How often a condition is checked again while waiting.
const POLL: Duration = Duration::from_millis(100);

/// The database the app starts on.
#[derive(Clone, Copy, Debug)]
pub enum Start {
    /// The bundled demo dataset, loaded by `exdesk demo`.
    Demo,
    /// No database file at all: the app's very first start.
    Empty,
    /// The synthetic dataset of `exdesk gen --people N` (a list too long to show whole).
    Generated(u32),
    /// The demo dataset, then encrypted with this passphrase by `exdesk encrypt`.
    Encrypted(&'static str),
    /// The demo dataset with a good backup in `backups/`, then pages in the middle of the
    /// database file overwritten (a bad disk sector).
    Damaged,
}

/// Starts the app on a fresh database, runs `body` against it, saves a screenshot and
/// shuts everything down; a panic in `body` fails the test after that.
pub async fn run<F, Fut>(test: &str, start: Start, body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let paths = Paths::from_env();
    let dir = tempfile::Builder::new()
        .prefix(&format!("exdesk-e2e-{test}-"))
        .tempdir()
        .expect("cannot create a temporary directory");
    let db = dir.path().join("exdesk.sqlite3");
    match start {
        Start::Demo => {
            exdesk(&paths.exdesk, &db, &["demo"]);
        }
        Start::Generated(people) => {
            exdesk(
                &paths.exdesk,
                &db,
                &["gen", "--people", &people.to_string()],
            );
        }
        Start::Encrypted(passphrase) => {
            exdesk(&paths.exdesk, &db, &["demo"]);
            exdesk_env(
                &paths.exdesk,
                &db,
                &["encrypt"],
                &[("EXDESK_PASSPHRASE", passphrase)],
            );
        }
        Start::Damaged => {
            exdesk(&paths.exdesk, &db, &["demo"]);
            let folder = dir.path().join("backups");
            // `backup -o` writes into a folder that exists (else exit 3).
            std::fs::create_dir_all(&folder).expect("cannot make the backups folder");
            let good = folder.join("exdesk-20250101T000000.000Z-manual.sqlite3");
            let good = good.to_str().expect("a UTF-8 temporary path");
            exdesk(&paths.exdesk, &db, &["backup", "-o", good]);
            let mut bytes = std::fs::read(&db).expect("the demo database is readable");
            assert!(bytes.len() > 8 * 4096, "the demo spans several pages");
            bytes[3 * 4096 + 100..6 * 4096].fill(0x5a);
            std::fs::write(&db, bytes).expect("cannot damage the database");
        }
        Start::Empty => {}
    }
    let driver = Arc::new(Driver::start(&paths.tauri_driver, &db, dir.path()).await);
    let client = driver.new_session(&paths.app).await;
    let current = Arc::new(Mutex::new(client.clone()));
    let app = App {
        client,
        db,
        exdesk: paths.exdesk.clone(),
        restart: Restart {
            driver: Arc::clone(&driver),
            app: paths.app.clone(),
            config: dir.path().join("config"),
            current: Arc::clone(&current),
        },
    };

    // In a task of its own so that a failed assertion still leaves us the client.
    let outcome = tokio::spawn(body(app)).await;
    // The session the body ended with (a restart replaces it).
    let client = current.lock().expect("the session lock").clone();

    // Bounded: a hung app must not hang the test run.
    let screenshot =
        tokio::time::timeout(PATIENCE, save_screenshot(&client, &paths.screenshots, test))
            .await
            .unwrap_or_else(|_| Err(format!("no screenshot for {test} after {PATIENCE:?}")));
    // Ending the session closes the app; dropping the driver stops tauri-driver (the
    // body's copies of it went with the body).
    let _ = tokio::time::timeout(PATIENCE, client.close()).await;
    drop(driver);

    match outcome {
        Ok(()) => {
            if let Err(err) = screenshot {
                panic!("{err}");
            }
        }
        Err(failure) => {
            let kept = dir.keep();
            eprintln!(
                "{test} failed; its database and tauri-driver log are kept in {}",
                kept.display()
            );
            if let Err(err) = screenshot {
                eprintln!("{err}");
            }
            match failure.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(failure) => panic!("{test}: {failure}"),
            }
        }
    }
}

/// The running app, as a test body sees it.
#[derive(Clone)]
pub struct App {
    client: Client,
    db: PathBuf,
    exdesk: PathBuf,
    restart: Restart,
}

/// What starting the app again needs: the same tauri-driver (so the same database and
/// XDG directories) and where the harness looks for the session to end.
#[derive(Clone)]
struct Restart {
    driver: Arc<Driver>,
    app: PathBuf,
    config: PathBuf,
    current: Arc<Mutex<Client>>,
}

impl App {
    /// The app's XDG configuration directory (where, e.g., the window state is kept).
    pub fn config_dir(&self) -> &Path {
        &self.restart.config
    }

    /// Closes the window as a user would (the app exits normally) and starts the app
    /// again on the same database and XDG directories, in a new session.
    pub async fn restart(&mut self) {
        self.client
            .close_window()
            .await
            .unwrap_or_else(|err| panic!("cannot close the window: {err}"));
        let _ = self.client.clone().close().await;
        let client = self.restart.driver.new_session(&self.restart.app).await;
        *self.restart.current.lock().expect("the session lock") = client.clone();
        self.client = client;
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs `exdesk --db <the app's database> ARGS` and returns its stdout as JSON.
    pub fn exdesk_json(&self, args: &[&str]) -> Value {
        let stdout = exdesk(&self.exdesk, &self.db, args);
        serde_json::from_str(&stdout).unwrap_or_else(|err| {
            panic!(
                "`exdesk {}` did not print JSON ({err}):\n{stdout}",
                args.join(" ")
            )
        })
    }

    /// [`App::exdesk_json`] with environment variables (`EXDESK_PASSPHRASE` for an
    /// encrypted database).
    pub fn exdesk_json_env(&self, env: &[(&str, &str)], args: &[&str]) -> Value {
        let stdout = exdesk_env(&self.exdesk, &self.db, args, env);
        serde_json::from_str(&stdout).unwrap_or_else(|err| {
            panic!(
                "`exdesk {}` did not print JSON ({err}):\n{stdout}",
                args.join(" ")
            )
        })
    }

    /// The app's database file.
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// Runs `exdesk --db DB ARGS` on any database (another laptop's, or the app's own)
    /// and returns its stdout.
    pub fn exdesk_on(&self, db: &Path, args: &[&str]) -> String {
        exdesk(&self.exdesk, db, args)
    }

    /// Waits until the first screen has rendered (`<body data-ready="true">`).
    pub async fn ready(&self) {
        self.find(r#"body[data-ready="true"]"#).await;
    }

    /// Waits for the first element matching `css`.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("no element matches `{css}` after {PATIENCE:?}: {err}"))
    }

    /// Waits for `css` and clicks it.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        element
            .click()
            .await
            .unwrap_or_else(|err| panic!("cannot click `{css}`: {err}"));
    }

    /// The visible text of the first element matching `css`, trimmed, once it exists.
    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        element
            .text()
            .await
            .unwrap_or_else(|err| panic!("cannot read the text of `{css}`: {err}"))
            .trim()
            .to_owned()
    }

    /// Waits until the first element matching `css` shows exactly `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        self.eventually(&format!("`{css}` shows {expected:?}"), || async move {
            let text = self.text_now(css).await?;
            if text == expected {
                Ok(())
            } else {
                Err(format!("it shows {text:?}"))
            }
        })
        .await;
    }

    /// Waits until exactly `expected` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, expected: usize) {
        self.eventually(
            &format!("{expected} elements match `{css}`"),
            || async move {
                let found = self
                    .client
                    .find_all(Locator::Css(css))
                    .await
                    .map_err(|err| err.to_string())?
                    .len();
                if found == expected {
                    Ok(())
                } else {
                    Err(format!("{found} match"))
                }
            },
        )
        .await;
    }

    /// Polls `probe` until it returns `Ok`, for at most [`PATIENCE`]; `Err` carries what
    /// it saw instead, for the failure message. (A closure returning `async move` rather
    /// than an async closure: the futures of async closures cannot be proven `Send` yet.)
    pub async fn eventually<T, Fut>(&self, what: &str, mut probe: impl FnMut() -> Fut) -> T
    where
        Fut: Future<Output = Result<T, String>>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match probe().await {
                Ok(value) => return value,
                Err(seen) if Instant::now() >= deadline => {
                    panic!("waited {PATIENCE:?} for {what}, but {seen}")
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// Runs `script` in the page with the first element matching `css` (once it exists) as
    /// `arguments[0]`, returning what the script returns.
    pub async fn script_on(&self, css: &str, script: &str) -> Value {
        let element = self.find(css).await;
        let arg = serde_json::to_value(&element).expect("an element serialises");
        self.client
            .execute(script, vec![arg])
            .await
            .unwrap_or_else(|err| panic!("script on `{css}` failed: {err}"))
    }

    /// Clicks `css` from a script: for buttons that a dialog's sticky footer or an open
    /// list may cover, where a WebDriver click would be intercepted.
    pub async fn click_js(&self, css: &str) {
        self.script_on(
            css,
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
        )
        .await;
    }

    /// Saves a screenshot of the window now as `<name>.png`, next to the tests' own.
    pub async fn screenshot(&self, name: &str) {
        let dir = Paths::screenshots_dir();
        let saved = tokio::time::timeout(PATIENCE, save_screenshot(&self.client, &dir, name))
            .await
            .unwrap_or_else(|_| Err(format!("no screenshot {name} after {PATIENCE:?}")));
        if let Err(err) = saved {
            panic!("{err}");
        }
    }

    /// Types `text` into the (empty) input matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("cannot type into `{css}`: {err}"));
    }

    /// Chooses `value` in the <select> matching `css`, as a user would (a `change` event).
    pub async fn choose(&self, css: &str, value: &str) {
        let script = format!(
            "const s = arguments[0]; s.value = {value}; \
             s.dispatchEvent(new Event('input', {{bubbles: true}})); \
             s.dispatchEvent(new Event('change', {{bubbles: true}})); \
             return s.value;",
            value = Value::from(value)
        );
        let chosen = self.script_on(css, &script).await;
        assert_eq!(
            chosen,
            Value::from(value),
            "`{css}` has no option {value:?}"
        );
    }

    /// Waits until `script` (an expression, evaluated in the page) returns `expected`.
    pub async fn wait_for_js(&self, script: &str, expected: Value) {
        let body = format!("return ({script});");
        self.eventually(&format!("`{script}` is {expected}"), || {
            let body = body.clone();
            let expected = expected.clone();
            async move {
                let got = self
                    .client
                    .execute(&body, Vec::new())
                    .await
                    .map_err(|err| err.to_string())?;
                if got == expected {
                    Ok(())
                } else {
                    Err(format!("it is {got}"))
                }
            }
        })
        .await;
    }

    /// The trimmed text of the first element matching `css` right now, or why there is none.
    pub async fn text_now(&self, css: &str) -> Result<String, String> {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .map_err(|err| format!("`{css}` is not there ({err})"))?;
        let text = element.text().await.map_err(|err| err.to_string())?;
        Ok(text.trim().to_owned())
    }
}

/// `n` as `Intl.NumberFormat("en-US")` shows it: `1234` → `"1,234"`.
pub fn en_us(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Where the binaries are and where screenshots go, from the `EXDESK_E2E_*` variables.
struct Paths {
    app: PathBuf,
    exdesk: PathBuf,
    tauri_driver: PathBuf,
    screenshots: PathBuf,
}

impl Paths {
    fn screenshots_dir() -> PathBuf {
        std::env::var_os("EXDESK_E2E_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let target = std::env::var_os("CARGO_TARGET_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
                target.join("e2e-screenshots")
            })
    }

    fn from_env() -> Paths {
        let required = |name: &str| -> PathBuf {
            let path = std::env::var_os(name)
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`")
                });
            assert!(path.is_file(), "{name}={} does not exist", path.display());
            path
        };
        let screenshots = Paths::screenshots_dir();
        Paths {
            app: required("EXDESK_E2E_APP"),
            exdesk: required("EXDESK_E2E_EXDESK"),
            tauri_driver: std::env::var_os("EXDESK_E2E_TAURI_DRIVER")
                .map_or_else(|| PathBuf::from("tauri-driver"), PathBuf::from),
            screenshots,
        }
    }
}

/// Runs `exdesk --db DB ARGS`, returning stdout; panics with stderr when it fails.
fn exdesk(exdesk: &Path, db: &Path, args: &[&str]) -> String {
    exdesk_env(exdesk, db, args, &[])
}

/// [`exdesk`] with environment variables set for it.
fn exdesk_env(exdesk: &Path, db: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(exdesk)
        .envs(env.iter().copied())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", exdesk.display()));
    assert!(
        output.status.success(),
        "`exdesk --db {} {}` failed ({}):\n{}",
        db.display(),
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("exdesk printed invalid UTF-8")
}

/// Starts a repaint on every animation frame, of one transparent pixel whose colour
/// alternates between two fully transparent colours (nothing shows in the picture), and
/// resolves once two frames have been painted (WebKit paints asynchronously: a busy
/// machine would otherwise capture a frame from before the last change to the page).
///
/// WebKitGTK answers WebDriver's screenshot after the web process's next paint. With
/// accelerated compositing there always is one; the app draws without it (see
/// `src-tauri/src/compositing.rs`), and then a page that has stopped changing never
/// paints again, so the screenshot waited forever (until a pointer moved over a button).
const START_REPAINTING: &str = "\
    const done = arguments[arguments.length - 1];\
    const pixel = document.createElement('div');\
    pixel.setAttribute('aria-hidden', 'true');\
    Object.assign(pixel.style, {position: 'fixed', insetBlockStart: '0',\
        insetInlineStart: '0', inlineSize: '1px', blockSize: '1px',\
        pointerEvents: 'none', zIndex: '2147483647'});\
    document.documentElement.append(pixel);\
    let frames = 0;\
    const frame = () => {\
        if (!pixel.isConnected) return;\
        pixel.style.backgroundColor = frames % 2 ? 'rgba(0, 0, 0, 0)' : 'rgba(255, 255, 255, 0)';\
        frames += 1;\
        if (frames === 2) done();\
        requestAnimationFrame(frame);\
    };\
    window.__exdeskStopRepainting = () => pixel.remove();\
    requestAnimationFrame(frame);";

/// Ends what [`START_REPAINTING`] started.
const STOP_REPAINTING: &str = "window.__exdeskStopRepainting?.();";

/// Saves what the window shows now (see [`START_REPAINTING`] for why the page repaints
/// meanwhile).
async fn save_screenshot(client: &Client, dir: &Path, test: &str) -> Result<PathBuf, String> {
    // Best effort: a page that cannot run scripts any more is still worth a picture.
    let _ = client.execute_async(START_REPAINTING, Vec::new()).await;
    let png = client.screenshot().await;
    let _ = client.execute(STOP_REPAINTING, Vec::new()).await;
    let png = png.map_err(|err| format!("cannot take a screenshot for {test}: {err}"))?;
    let path = dir.join(format!("{test}.png"));
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, png))
        .map_err(|err| format!("cannot save {}: {err}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::en_us;

    #[test]
    fn formats_like_intl_en_us() {
        for (n, shown) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(en_us(n), shown);
        }
    }
}
