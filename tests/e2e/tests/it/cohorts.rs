//! Opening a cohort shows its name and one roster row per placement.

use exdesk_e2e::{Locator, Start, Value, run};

use crate::testid;

#[tokio::test]
async fn opens_a_cohort() {
    run("opens_a_cohort", Start::Demo, |app| async move {
        let cohorts = app.exdesk_json(&["cohort", "list", "--json"]);
        let placements = app.exdesk_json(&["placement", "list", "--json"]);
        let placements_of = |cohort: &Value| {
            let placements = placements.as_array().expect("placement list is an array");
            placements
                .iter()
                .filter(|p| p["cohort_id"] == cohort["id"])
                .count()
        };

        app.ready().await;
        app.click(&testid("nav-cohorts")).await;
        app.find(&testid("cohort-row")).await;
        let rows = app
            .client()
            .find_all(Locator::Css(&testid("cohort-row")))
            .await
            .expect("cohort rows");
        // The first row whose cohort has placements: an empty roster would prove nothing.
        let mut chosen = None;
        for row in rows {
            let text = row.text().await.expect("a cohort row's text");
            let cohort = cohort_named_in(&cohorts, &text).unwrap_or_else(|| {
                panic!("the row {text:?} names no cohort of `exdesk cohort list`")
            });
            if placements_of(cohort) > 0 {
                chosen = Some((row, cohort));
                break;
            }
        }
        let (row, cohort) = chosen.expect("no cohort of the demo has placements");
        let name = cohort["name"].as_str().expect("a cohort's name");

        row.click().await.expect("click the cohort row");
        let app_ref = &app;
        app.eventually(&format!("the cohort title shows {name:?}"), || async move {
            let title = app_ref.text_now(&testid("cohort-title")).await?;
            if title.contains(name) {
                Ok(())
            } else {
                Err(format!("it shows {title:?}"))
            }
        })
        .await;
        app.wait_for_count(&testid("roster-row"), placements_of(cohort))
            .await;
    })
    .await;
}

/// The cohort whose name `text` shows (the longest, should one name contain another).
fn cohort_named_in<'a>(cohorts: &'a Value, text: &str) -> Option<&'a Value> {
    cohorts
        .as_array()
        .expect("cohort list is an array")
        .iter()
        .filter(|cohort| {
            cohort["name"]
                .as_str()
                .is_some_and(|name| text.contains(name))
        })
        .max_by_key(|cohort| cohort["name"].as_str().map_or(0, str::len))
}
