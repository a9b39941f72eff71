//! Lists name the records their rows refer to (a person's home institution, a
//! fellowship's person, an agreement's parties, a cohort's program, the pipeline's people
//! and cohorts) with one call per page, never a call per row: every call the page makes
//! to the app is counted while each list opens.

use std::collections::BTreeMap;

use exdesk_e2e::{App, Start, run};

use crate::testid;

/// Counts the app's commands from now on: `invoke` posts each one to
/// `ipc://localhost/<command>` with the page's `fetch`.
const COUNT_CALLS: &str = r#"
    if (!window.__calls) {
        const send = window.fetch.bind(window);
        window.__calls = [];
        window.fetch = (url, init) => {
            const u = String(url);
            if (u.startsWith('ipc:')) window.__calls.push(decodeURIComponent(u.split('/').pop()));
            return send(url, init);
        };
    }
    window.__calls.length = 0;
    return true;
"#;

#[tokio::test]
async fn lists_name_what_they_refer_to_in_one_call_per_page() {
    run(
        "lists_name_what_they_refer_to_in_one_call_per_page",
        Start::Generated(3000),
        |app| async move {
            app.ready().await;
            // (section, row, cell that holds a referenced name)
            for (section, row, cell) in [
                ("people", "person-row", 2),
                ("fellowships", "fellowship-row", 1),
                ("agreements", "agreement-row", 1),
                ("cohorts", "cohort-row", 1),
            ] {
                let calls = calls_while(&app, || async {
                    app.click(&testid(&format!("nav-{section}"))).await;
                    app.find(&testid(row)).await;
                    named(&app, row, cell).await;
                })
                .await;
                let of = |command: &str| calls.get(command).copied().unwrap_or(0);
                assert!(of("list_records") >= 1, "{section}: {calls:?}");
                assert!(
                    of("get_record") == 0 && (1..=of("list_records")).contains(&of("record_names")),
                    "{section} asked for names more than once per page: {calls:?}"
                );
            }

            // The pipeline: the first 100 of each status across cohorts, with their
            // people, cohorts and institutions asked for in one call each.
            let calls = calls_while(&app, || async {
                app.click(&testid("open-pipeline")).await;
                app.find(&testid("placement-row")).await;
            })
            .await;
            assert_eq!(calls.get("list_records"), Some(&8), "{calls:?}");
            assert_eq!(calls.get("get_record"), None, "{calls:?}");
            assert!(
                calls.get("record_names").is_some_and(|n| *n <= 3),
                "{calls:?}"
            );
        },
    )
    .await;
}

/// The app's commands `during` makes, by name.
async fn calls_while<'a, Fut>(app: &'a App, during: impl FnOnce() -> Fut) -> BTreeMap<String, u32>
where
    Fut: std::future::Future<Output = ()> + 'a,
{
    app.client()
        .execute(COUNT_CALLS, Vec::new())
        .await
        .expect("the call counter is installed");
    during().await;
    let seen = app
        .client()
        .execute("return window.__calls;", Vec::new())
        .await
        .expect("the calls are read");
    let mut calls = BTreeMap::new();
    for command in seen.as_array().into_iter().flatten() {
        *calls
            .entry(command.as_str().unwrap_or("?").to_owned())
            .or_insert(0) += 1;
    }
    calls
}

/// Waits until a row of the list shows a referenced record's name in cell `cell`.
async fn named(app: &App, row: &str, cell: usize) {
    let script = format!(
        "return [...document.querySelectorAll('[data-testid=\"{row}\"]')]
            .some((r) => (r.children[{cell}]?.textContent ?? '').trim() !== '');"
    );
    app.eventually(&format!("a {row} names what it refers to"), || {
        let script = script.clone();
        async move {
            let shown = app
                .client()
                .execute(&script, Vec::new())
                .await
                .map_err(|err| err.to_string())?;
            if shown.as_bool() == Some(true) {
                Ok(())
            } else {
                Err("no row shows a name yet".to_owned())
            }
        }
    })
    .await;
}
