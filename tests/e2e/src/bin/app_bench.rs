//! `app_bench`: how long the desktop app takes from launch to a dashboard with its counts,
//! and how much memory it and its WebKit processes hold, on a given database.
//!
//! ```text
//! app_bench --app PATH --db PATH [--runs N] [--cohort ID]
//! ```
//! Needs a display (`DISPLAY`; `cargo xtask bench` starts Xvfb) and tauri-driver
//! (`EXDESK_E2E_TAURI_DRIVER`, else on `PATH`). Each run starts tauri-driver, then times
//! from the WebDriver session request (which launches the app) until the dashboard's
//! person count is in the DOM, polling for it (stderr shows when the page's steps
//! happened, from the UI's performance marks). Each run then measures memory (the median
//! run is reported, memory varies with WebKit's garbage collection): the
//! proportional set size (PSS, `/proc/PID/smaps_rollup`) summed over the app and its
//! WebKit processes (WebKitWebProcess, WebKitNetworkProcess), after the dashboard, after
//! the people list's first rows, after the biggest cohort's roster (`--cohort`, else the
//! generated dataset's national intake, found with the cohort list's filter) and after
//! scrolling that roster to its end. Prints `name<TAB>value<TAB>unit` lines.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use exdesk_e2e::{Client, Driver, Locator, PATIENCE, comm, descendants};

/// How often the page is asked whether the awaited element is there yet.
const POLL: Duration = Duration::from_millis(10);
/// How long a launch may take (a database of an older schema is migrated first).
const LAUNCH_PATIENCE: Duration = Duration::from_secs(300);

struct Options {
    app: PathBuf,
    db: PathBuf,
    runs: usize,
    cohort: Option<String>,
}

fn usage() -> ! {
    eprintln!("usage: app_bench --app PATH --db PATH [--runs N] [--cohort ID]");
    std::process::exit(2);
}

fn options() -> Options {
    let mut app = None;
    let mut db = None;
    let mut runs = 5;
    let mut cohort = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--app" => app = Some(PathBuf::from(value())),
            "--db" => db = Some(PathBuf::from(value())),
            "--runs" => {
                runs = value()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .unwrap_or_else(|| usage())
            }
            "--cohort" => cohort = Some(value()),
            _ => usage(),
        }
    }
    let (Some(app), Some(db)) = (app, db) else {
        usage()
    };
    for (name, path) in [("--app", &app), ("--db", &db)] {
        if !path.is_file() {
            eprintln!("app_bench: {name} {} does not exist", path.display());
            std::process::exit(2);
        }
    }
    Options {
        app,
        db,
        runs,
        cohort,
    }
}

#[tokio::main]
async fn main() {
    let options = options();
    let tauri_driver = std::env::var_os("EXDESK_E2E_TAURI_DRIVER")
        .map_or_else(|| PathBuf::from("tauri-driver"), PathBuf::from);
    // WebKit's storage and the app's settings persist between runs, as between a user's
    // launches; they live in a scratch directory, not in the user's home.
    let scratch = tempfile::Builder::new()
        .prefix("exdesk-app-bench-")
        .tempdir()
        .expect("cannot create a scratch directory");

    let mut launches = Vec::with_capacity(options.runs);
    let mut steps: Vec<(&'static str, Vec<Memory>)> = Vec::new();
    for run in 0..options.runs {
        let driver = Driver::start(&tauri_driver, &options.db, scratch.path()).await;
        let started = Instant::now();
        let started_at = std::time::SystemTime::now();
        let client = driver.new_session(&options.app).await;
        let session = started.elapsed();
        wait_for_within(&client, r#"[data-testid="count-person"]"#, LAUNCH_PATIENCE).await;
        let elapsed = started.elapsed();
        launches.push(elapsed);
        eprintln!(
            "app_bench: run {}: session after {} ms, dashboard counts after {} ms; {}",
            run + 1,
            session.as_millis(),
            elapsed.as_millis(),
            page_steps(&client, started_at).await
        );

        let memory =
            measure_memory(&client, &driver, &options.app, options.cohort.as_deref()).await;
        for (step, sample) in memory {
            match steps.iter_mut().find(|(s, _)| *s == step) {
                Some((_, samples)) => samples.push(sample),
                None => steps.push((step, vec![sample])),
            }
        }
        let _ = client.close().await;
        drop(driver);
    }
    // Memory varies from run to run (when WebKit collects garbage): the run with the
    // median total, process by process, then the median and the largest total.
    for (step, samples) in &mut steps {
        samples.sort_by_key(|s| s.total);
        let median = &samples[samples.len() / 2];
        for (name, pid, kib) in &median.processes {
            println!("PSS after {step}: {name} ({pid})\t{:.1}\tMB", mb(*kib));
        }
        println!(
            "PSS after {step}: app + WebKit ({} processes, median of {})\t{:.1}\tMB",
            median.processes.len(),
            samples.len(),
            mb(median.total)
        );
        println!(
            "PSS after {step}: app + WebKit (largest)\t{:.1}\tMB",
            mb(samples[samples.len() - 1].total)
        );
    }
    launches.sort();
    let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1000.0);
    println!(
        "launch to dashboard counts (median of {})\t{}\tms",
        launches.len(),
        ms(launches[launches.len() / 2])
    );
    println!(
        "launch to dashboard counts (fastest)\t{}\tms",
        ms(launches[0])
    );
    println!(
        "launch to dashboard counts (slowest)\t{}\tms",
        ms(launches[launches.len() - 1])
    );
}

/// PSS of the app and its WebKit processes after the dashboard, the people list and the
/// biggest cohort, each once the page shows it.
async fn measure_memory(
    client: &Client,
    driver: &Driver,
    app: &Path,
    cohort: Option<&str>,
) -> Vec<(&'static str, Memory)> {
    let mut out = Vec::new();
    let app = app_process(driver.pid(), app);
    out.push(("dashboard", memory(app)));

    click(client, r#"[data-testid="nav-people"]"#).await;
    wait_for(client, r#"[data-testid="person-row"]"#).await;
    out.push(("people list", memory(app)));

    click(client, r#"[data-testid="nav-cohorts"]"#).await;
    wait_for(client, r#"[data-testid="cohort-row"]"#).await;
    let row = match cohort {
        Some(id) => format!(r#"[data-testid="cohort-row"][data-id="{id}"]"#),
        None => {
            let search = wait_for(client, r#"[data-testid="cohort-search"]"#).await;
            search
                .send_keys(NATIONAL_INTAKE)
                .await
                .expect("cannot type into the cohort filter");
            wait_for(client, r#"[data-testid="cohort-range"]"#).await;
            // The list shows only the matches once the filter has been applied.
            let deadline = Instant::now() + PATIENCE;
            loop {
                let text = client
                    .execute(
                        "return document.querySelector('[data-testid=\"cohort-row\"]')?.textContent ?? '';",
                        Vec::new(),
                    )
                    .await
                    .expect("cannot read the cohort list");
                if text.as_str().is_some_and(|t| t.contains(NATIONAL_INTAKE)) {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "no cohort named {NATIONAL_INTAKE:?} after {PATIENCE:?}"
                );
                tokio::time::sleep(POLL).await;
            }
            r#"[data-testid="cohort-row"]"#.to_owned()
        }
    };
    let element = wait_for(client, &row).await;
    let arg = serde_json::to_value(&element).expect("an element serialises");
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
            vec![arg],
        )
        .await
        .expect("cannot open the cohort");
    wait_for(client, r#"[data-testid="placement-row"]"#).await;
    out.push(("biggest cohort", memory(app)));

    let grid = wait_for(client, r#"[data-testid="placement-grid"]"#).await;
    let arg = serde_json::to_value(&grid).expect("an element serialises");
    let rows = client
        .execute(
            "const g = arguments[0]; g.scrollTop = g.scrollHeight; g.dispatchEvent(new Event('scroll'));\
             return g.getAttribute('aria-rowcount');",
            vec![arg],
        )
        .await
        .expect("cannot scroll the roster");
    let last = rows
        .as_str()
        .and_then(|n| n.parse::<usize>().ok())
        .expect("the roster has a row count")
        - 2;
    wait_for(
        client,
        &format!(r#"[data-testid="placement-row"][data-index="{last}"]"#),
    )
    .await;
    out.push(("roster scrolled to its end", memory(app)));
    out
}

/// The name the generated dataset's biggest cohort starts with.
const NATIONAL_INTAKE: &str = "National Intake";

/// When the page's steps happened, in ms after the session was requested: the page's
/// time origin (the webview starts loading), its script running, the app mounted, the
/// database's info and the dashboard's statistics back (the UI's performance marks).
async fn page_steps(client: &Client, started_at: std::time::SystemTime) -> String {
    let script = "const marks = {};\
         for (const m of performance.getEntriesByType('mark')) marks[m.name] = m.startTime;\
         const nav = performance.getEntriesByType('navigation')[0];\
         return { origin: performance.timeOrigin, marks, response: nav ? nav.responseEnd : null, now: performance.now() };";
    let Ok(value) = client.execute(script, Vec::new()).await else {
        return "page steps unknown".to_owned();
    };
    let since = started_at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let origin = value["origin"].as_f64().unwrap_or(0.0) - since;
    let mut out = format!("page origin {origin:.0}");
    if let Some(r) = value["response"].as_f64() {
        out += &format!(", html {:.0}", origin + r);
    }
    for name in [
        "script",
        "mounted",
        "app-info",
        "stats",
        "drawn",
        "deadlines",
        "checked",
    ] {
        if let Some(t) = value["marks"][name].as_f64() {
            out += &format!(", {name} {:.0}", origin + t);
        }
    }
    if let Some(t) = value["now"].as_f64() {
        out += &format!(", read {:.0}", origin + t);
    }
    out
}

/// The app's process among the descendants of tauri-driver `root`: the one running the
/// binary `app`.
fn app_process(root: u32, app: &Path) -> u32 {
    let binary = app.canonicalize().unwrap_or_else(|_| app.to_owned());
    descendants(root)
        .into_iter()
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
        .unwrap_or_else(|| {
            panic!(
                "no process runs {} under tauri-driver ({root})",
                binary.display()
            )
        })
}

/// The PSS of the app (process `app`) and of each of its WebKit processes, and their sum.
struct Memory {
    processes: Vec<(String, u32, u64)>,
    total: u64,
}

/// Reads [`Memory`] now; the parts of each process (anonymous, files, shared) go to
/// stderr.
fn memory(app: u32) -> Memory {
    let mut pids = vec![app];
    pids.extend(
        descendants(app)
            .into_iter()
            .filter(|&pid| comm(pid).is_some_and(|c| c.starts_with("WebKit"))),
    );
    let mut processes = Vec::new();
    for pid in pids {
        let kib = pss_kib(pid).unwrap_or_else(|| panic!("cannot read the PSS of process {pid}"));
        let name = comm(pid).unwrap_or_default();
        let part = |key: &str| rollup_kib(pid, key).map_or(0.0, mb);
        eprintln!(
            "app_bench: {name}: anonymous {:.1} MB, files {:.1} MB, shared memory {:.1} MB",
            part("Pss_Anon:"),
            part("Pss_File:"),
            part("Pss_Shmem:")
        );
        processes.push((name, pid, kib));
    }
    let total = processes.iter().map(|p| p.2).sum();
    Memory { processes, total }
}

fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1_000_000.0
}

/// `Pss:` of `/proc/PID/smaps_rollup`, in KiB.
fn pss_kib(pid: u32) -> Option<u64> {
    rollup_kib(pid, "Pss:")
}

/// The line `key` of `/proc/PID/smaps_rollup`, in KiB.
fn rollup_kib(pid: u32, key: &str) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let line = rollup.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn wait_for(client: &Client, css: &str) -> exdesk_e2e::Element {
    wait_for_within(client, css, PATIENCE).await
}

async fn wait_for_within(client: &Client, css: &str, patience: Duration) -> exdesk_e2e::Element {
    client
        .wait()
        .at_most(patience)
        .every(POLL)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("no element matches `{css}` after {patience:?}: {err}"))
}

async fn click(client: &Client, css: &str) {
    wait_for(client, css)
        .await
        .click()
        .await
        .unwrap_or_else(|err| panic!("cannot click `{css}`: {err}"));
}
