//! End-to-end tests: the real app, under Xvfb, driven through WebDriver like a coordinator
//! would use it. Run them with `cargo xtask test` (see the harness in src/lib.rs).

mod cohorts;
mod conflicts;
mod dashboard;
mod export;
mod hebrew;
mod import;
mod lists;
mod onboarding;
mod people;
mod recover;
mod safety;
mod sync;
mod window;
mod workflow;

/// `[data-testid="NAME"]`: the stable hooks the UI keeps for these tests.
fn testid(name: &str) -> String {
    format!(r#"[data-testid="{name}"]"#)
}
