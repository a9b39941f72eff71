//! A long conflict list: the same 120 people entered on two laptops make 120 probable
//! duplicates, which the Conflicts view shows 50 at a time (core pages it), with the
//! other person's name, a merge on a later page, and the count on the tab following.
//! Pages turn from the pager above the list (the same buttons are below it).

use std::path::Path;

use exdesk_e2e::{App, Start, Value, run};

use crate::testid;

const LAPTOP: &str = "Technion office laptop";
const TWICE: usize = 120;

#[tokio::test]
async fn conflict_list_pages_through_many_duplicates() {
    run(
        "conflict_list_pages_through_many_duplicates",
        Start::Demo,
        |app| async move {
            let dir = tempfile::tempdir().expect("a temporary directory");
            enter_twice(&app, dir.path());

            app.ready().await;
            app.click(&testid("nav-sync")).await;
            app.wait_for_text(&testid("sync-conflict-count"), &TWICE.to_string())
                .await;
            app.click(&testid("sync-tab-conflicts")).await;
            let rows = testid("conflict-row");
            app.wait_for_count(&rows, 50).await;
            app.wait_for_text(&testid("conflict-range"), "1–50 of 120")
                .await;
            // A pager above the list and one below it.
            app.wait_for_count(&format!("{}:disabled", testid("conflict-previous")), 2)
                .await;

            // Each entry names the other person, looked up for the whole page at once.
            let first = app.text(&rows).await;
            assert!(
                first.contains("probably the same person as Given"),
                "the first entry says {first:?}"
            );

            app.click(&testid("conflict-next")).await;
            app.wait_for_text(&testid("conflict-range"), "51–100 of 120")
                .await;
            app.click(&testid("conflict-next")).await;
            app.wait_for_text(&testid("conflict-range"), "101–120 of 120")
                .await;
            app.wait_for_count(&rows, 20).await;
            app.wait_for_count(&format!("{}:disabled", testid("conflict-next")), 2)
                .await;

            // A merge on the last page: the page stays, one entry fewer, the tab says so.
            let merged = app
                .script_on(&rows, "return arguments[0].dataset.id;")
                .await;
            app.click(&testid("conflict-merge")).await;
            app.wait_for_text(&testid("conflict-range"), "101–119 of 119")
                .await;
            app.wait_for_text(&testid("sync-conflict-count"), "119")
                .await;
            app.wait_for_count(&format!(r#"{rows}[data-id={merged}]"#), 0)
                .await;
            show_top(&app).await;
            app.screenshot("conflicts_paged").await;

            // Right to left, the same page in Hebrew.
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            app.wait_for_text(&testid("conflict-range"), "101–119 מתוך 119")
                .await;
            show_top(&app).await;
            app.screenshot("conflicts_paged_hebrew").await;
            app.choose(&testid("lang-switch"), "en").await;
            app.wait_for_js("document.documentElement.dir", Value::from("ltr"))
                .await;

            // Back a page; then the resolved entries too, from the first page.
            app.click(&testid("conflict-previous")).await;
            app.wait_for_text(&testid("conflict-range"), "51–100 of 119")
                .await;
            app.click(&testid("conflict-show-resolved")).await;
            app.wait_for_text(&testid("conflict-range"), "1–50 of 120")
                .await;
            app.wait_for_text(&testid("sync-conflict-count"), "119")
                .await;
        },
    )
    .await;
}

/// Scrolls the list back to its top (the pager), for a screenshot.
async fn show_top(app: &App) {
    app.script_on(
        &testid("conflicts"),
        "arguments[0].scrollIntoView({block: 'start'});",
    )
    .await;
}

/// A second laptop starts from the office's data; the same people are then entered on
/// both, and the office imports the laptop's package.
fn enter_twice(app: &App, dir: &Path) {
    let laptop = dir.join("laptop.sqlite3");
    let office = app.db().to_path_buf();
    app.exdesk_on(&laptop, &["device", "--name", LAPTOP]);
    let base = dir.join("office.exdesk-sync");
    app.exdesk_on(&office, &["sync", "export", "-o", path(&base)]);
    app.exdesk_on(&laptop, &["sync", "import", path(&base), "--trust"]);
    let people = dir.join("people.csv");
    let mut csv = String::from("given_name,family_name\n");
    for i in 0..TWICE {
        csv.push_str(&format!("Given{i:03},Twice\n"));
    }
    std::fs::write(&people, csv).expect("the people file");
    app.exdesk_on(&office, &["import", "person", path(&people)]);
    app.exdesk_on(&laptop, &["import", "person", path(&people)]);
    let package = dir.join("laptop.exdesk-sync");
    app.exdesk_on(&laptop, &["sync", "export", "-o", path(&package)]);
    app.exdesk_on(&office, &["sync", "import", path(&package), "--trust"]);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}
