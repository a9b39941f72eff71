//! Opening a cohort shows its name and one roster row per placement.

use exdesk_e2e::{App, Locator, Start, Value, en_us, run};
use fantoccini::key::Key;

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

/// People of the generated dataset: its national-intake cohort has one placement per 20.
const BIG_PEOPLE: u32 = 6000;

/// The roster of a big cohort is virtualised and paged from core: the DOM holds a window
/// of rows, scrolling brings the last one (its page fetched then), and a bulk move of a
/// filtered "select all" moves rows that were never drawn nor loaded, but not the one
/// unticked.
#[tokio::test]
async fn a_big_roster_draws_a_window_of_rows_and_moves_in_bulk() {
    run(
        "a_big_roster_draws_a_window_of_rows_and_moves_in_bulk",
        Start::Generated(BIG_PEOPLE),
        |app| async move {
            let cohorts = app.exdesk_json(&["cohort", "list", "--json"]);
            let intake = cohorts
                .as_array()
                .expect("cohort list is an array")
                .iter()
                .find(|c| {
                    c["name"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("National Intake"))
                })
                .expect("gen makes a national-intake cohort")
                .clone();
            let intake_id = intake["id"].as_str().expect("a cohort id").to_owned();
            let statuses = |app: &exdesk_e2e::App| -> Vec<(String, String)> {
                app.exdesk_json(&["placement", "list", "--json"])
                    .as_array()
                    .expect("placement list is an array")
                    .iter()
                    .filter(|p| p["cohort_id"] == intake["id"])
                    .map(|p| {
                        (
                            p["id"].as_str().expect("an id").to_owned(),
                            p["status"].as_str().expect("a status").to_owned(),
                        )
                    })
                    .collect()
            };
            let before = statuses(&app);
            let total = before.len();
            assert_eq!(total, (BIG_PEOPLE / 20) as usize, "the intake's size");
            let nominated: Vec<&String> = before
                .iter()
                .filter(|(_, s)| s == "nominated")
                .map(|(id, _)| id)
                .collect();
            assert!(
                nominated.len() > 30,
                "too few nominated placements ({}) to prove a bulk move beyond the window",
                nominated.len()
            );

            app.ready().await;
            app.click(&testid("nav-cohorts")).await;
            // The list is virtualised: the intake is found with the filter.
            app.type_into(&testid("cohort-search"), "National Intake")
                .await;
            app.click_js(&format!(
                r#"{}[data-id="{intake_id}"]"#,
                testid("cohort-row")
            ))
            .await;
            app.wait_for_text(
                &testid("rows-shown"),
                &format!("{0} of {0}", en_us(total as u64)),
            )
            .await;
            let window = assert_window(&app, total).await;
            assert!(window.contains(&0), "the first row is drawn: {window:?}");
            app.screenshot("big_roster_top").await;

            // Scrolled to the end: the last row is drawn, the first is not.
            app.script_on(
                &testid("placement-grid"),
                "const g = arguments[0]; g.scrollTop = g.scrollHeight; \
                 g.dispatchEvent(new Event('scroll'));",
            )
            .await;
            let last = format!(r#"{}[data-index="{}"]"#, testid("placement-row"), total - 1);
            app.find(&last).await;
            let window = assert_window(&app, total).await;
            assert!(
                !window.contains(&0),
                "the first row is still drawn: {window:?}"
            );
            app.screenshot("big_roster_end").await;

            // By status: a heading with its count before each status's rows (core groups).
            app.click_js(&testid("view-pipeline")).await;
            app.wait_for_js(
                "document.querySelector('[data-testid=\"status-group\"][data-status=\"nominated\"] .num')?.textContent.trim()",
                Value::from(en_us(nominated.len() as u64)),
            )
            .await;
            app.wait_for_js(
                "document.querySelector('[data-testid=\"placement-row\"][data-index=\"1\"]')?.dataset.status",
                Value::from("nominated"),
            )
            .await;
            app.screenshot("big_roster_by_status").await;
            app.click_js(&testid("view-table")).await;

            // Every nominated placement selected through the filter, most of them not drawn,
            // moved to applied at once.
            app.choose(&testid("roster-status-filter"), "nominated")
                .await;
            app.wait_for_text(
                &testid("rows-shown"),
                &format!(
                    "{} of {}",
                    en_us(nominated.len() as u64),
                    en_us(total as u64)
                ),
            )
            .await;
            app.script_on(&testid("select-all"), "arguments[0].click();")
                .await;
            app.find(&testid("bulk-bar")).await;
            // One drawn row unticked: it stays behind.
            let first = format!(r#"{}[data-index="0"]"#, testid("placement-row"));
            let kept = app
                .find(&first)
                .await
                .attr("data-id")
                .await
                .expect("a row's id")
                .expect("rows carry their id");
            app.script_on(
                &format!(r#"{first} [data-testid="row-select"]"#),
                "arguments[0].click();",
            )
            .await;
            app.wait_for_text(
                &testid("bulk-count"),
                &format!("{} selected", en_us(nominated.len() as u64 - 1)),
            )
            .await;
            app.choose(&testid("bulk-status"), "applied").await;
            app.click(&testid("bulk-move")).await;
            let result = app.text(&testid("bulk-result")).await;
            assert!(
                result.starts_with(&format!(
                    "{} moved, 0 refused",
                    en_us(nominated.len() as u64 - 1)
                )),
                "the bulk move reports {result:?}"
            );
            let after = statuses(&app);
            for (id, status) in &after {
                let was = &before.iter().find(|(b, _)| b == id).expect("same rows").1;
                let expected = if was == "nominated" && *id != kept {
                    "applied"
                } else {
                    was
                };
                assert_eq!(status, expected, "placement {id} (was {was})");
            }
            // The filter now matches the unticked row only: the moved rows left the table.
            app.wait_for_count(&testid("placement-row"), 1).await;
            app.find(&format!(r#"{}[data-id="{kept}"]"#, testid("placement-row")))
                .await;

            // The result follows a switch of language (it was worded once, in English).
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.lang", Value::from("he"))
                .await;
            let result = app.text(&testid("bulk-result")).await;
            assert!(result.contains("הועברו"), "the bulk result in Hebrew: {result:?}");
            app.choose(&testid("lang-switch"), "en").await;
        },
    )
    .await;
}

/// Checks that the DOM holds a window of rows (a few dozen, consecutive) of `total`, and
/// returns their indexes.
async fn assert_window(app: &exdesk_e2e::App, total: usize) -> Vec<usize> {
    let rows = app
        .client()
        .find_all(Locator::Css(&testid("placement-row")))
        .await
        .expect("placement rows");
    let mut indexes = Vec::new();
    for row in rows {
        let index = row
            .attr("data-index")
            .await
            .expect("a row's index")
            .and_then(|i| i.parse::<usize>().ok())
            .expect("every row has a numeric data-index");
        indexes.push(index);
    }
    indexes.sort_unstable();
    assert!(
        !indexes.is_empty() && indexes.len() < 60 && indexes.len() < total / 4,
        "the DOM holds {} of {total} rows, not a window",
        indexes.len()
    );
    assert!(
        indexes.windows(2).all(|w| w[1] == w[0] + 1),
        "the drawn rows are not consecutive: {indexes:?}"
    );
    indexes
}

/// The cohort list is virtualised and paged: a generated dataset's cohorts are not all in
/// the DOM, scrolling to the end draws the last one with its placement count, and the
/// filter finds the national intake.
#[tokio::test]
async fn the_cohort_list_draws_a_window_of_cohorts() {
    run(
        "the_cohort_list_draws_a_window_of_cohorts",
        Start::Generated(BIG_PEOPLE),
        |app| async move {
            let cohorts = app.exdesk_json(&["cohort", "list", "--json"]);
            let active = cohorts
                .as_array()
                .expect("cohort list is an array")
                .iter()
                .filter(|c| c["archived"] != Value::Bool(true))
                .count();
            assert!(active > 60, "too few cohorts ({active}) to need a window");

            app.ready().await;
            app.click(&testid("nav-cohorts")).await;
            app.find(&testid("cohort-row")).await;
            let range = app.text(&testid("cohort-range")).await;
            assert!(
                range.ends_with(&en_us(active as u64)),
                "the range {range:?} does not count {active} cohorts"
            );
            let drawn = |app: &exdesk_e2e::App| {
                let client = app.client().clone();
                async move {
                    client
                        .find_all(Locator::Css(&testid("cohort-row")))
                        .await
                        .expect("cohort rows")
                        .len()
                }
            };
            let n = drawn(&app).await;
            assert!(
                n > 0 && n < active / 2,
                "the DOM holds {n} of {active} cohorts"
            );

            app.script_on(
                &testid("cohort-row-grid"),
                "const g = arguments[0]; g.scrollTop = g.scrollHeight; \
                 g.dispatchEvent(new Event('scroll'));",
            )
            .await;
            let last = format!(r#"{}[data-index="{}"]"#, testid("cohort-row"), active - 1);
            app.find(&last).await;
            // Its placement count arrives with its page (one call for the page).
            app.wait_for_js(
                &format!(
                    "/[0-9]/.test(document.querySelector('{last} [data-testid=\"cohort-placements\"]')?.textContent ?? '')"
                ),
                Value::Bool(true),
            )
            .await;
            let n = drawn(&app).await;
            assert!(
                n < active / 2,
                "after scrolling the DOM holds {n} of {active} cohorts"
            );
            app.screenshot("cohort_list_end").await;

            app.type_into(&testid("cohort-search"), "National Intake")
                .await;
            app.wait_for_count(&testid("cohort-row"), 1).await;
            let row = app.text(&testid("cohort-row")).await;
            assert!(row.contains("National Intake"), "the filter shows {row:?}");
            // Every cell reads as WebDriver's element text, the numbers too (a cell that
            // clipped with `overflow: hidden` read as empty).
            app.wait_for_text(
                &testid("cohort-placements"),
                &en_us(u64::from(BIG_PEOPLE / 20)),
            )
            .await;
            let placements = app.text(&testid("cohort-placements")).await;
            let row = app.text(&testid("cohort-row")).await;
            assert!(
                row.contains(&format!(" {placements} ")) && row.contains(" – "),
                "the row reads {row:?}: its dates and counts are missing"
            );

            // The pipeline across cohorts: the first page of each status, grouped.
            app.click_js(&testid("open-pipeline")).await;
            app.find(&format!(
                r#"{}[data-status="nominated"]"#,
                testid("status-group")
            ))
            .await;
            app.find(&testid("placement-row")).await;
            actions_in_view(&app).await;
            app.screenshot("pipeline_page").await;
            // The same in Hebrew (right to left): the actions stay in the table's box.
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            actions_in_view(&app).await;
            app.screenshot("pipeline_page_hebrew").await;
            app.choose(&testid("lang-switch"), "en").await;
        },
    )
    .await;
}

/// Waits until the first row's actions (move to, edit) lie wholly inside the table's
/// visible box, so a wide table never hides them past its edge.
async fn actions_in_view(app: &App) {
    app.wait_for_js(
        "(() => {\
           const grid = document.querySelector('[data-testid=\"placement-grid\"]');\
           const select = grid?.querySelector('[data-testid=\"status-select\"]');\
           const edit = grid?.querySelector('[data-testid=\"edit-placement\"]');\
           if (!select || !edit) return false;\
           const box = grid.getBoundingClientRect();\
           return [select, edit].every((e) => {\
             const r = e.getBoundingClientRect();\
             return r.width > 0 && r.left >= box.left && r.right <= box.right;\
           });\
         })()",
        Value::Bool(true),
    )
    .await;
}

/// A row's "Move to…" list by keyboard: an arrow key only chooses a status (a closed list
/// changes its value at once, and that used to move the row); Enter moves it, and the
/// focus stays on that row's list.
#[tokio::test]
async fn the_move_list_moves_on_enter_not_on_arrow_keys() {
    run(
        "the_move_list_moves_on_enter_not_on_arrow_keys",
        Start::Demo,
        |app| async move {
            let placements = app.exdesk_json(&["placement", "list", "--json"]);
            let nominated = placements
                .as_array()
                .expect("placements")
                .iter()
                .find(|p| p["status"] == "nominated")
                .expect("the demo has a nominated placement")
                .clone();
            let id = nominated["id"].as_str().expect("an id").to_owned();
            let cohorts = app.exdesk_json(&["cohort", "list", "--json"]);
            let name = cohorts
                .as_array()
                .expect("cohorts")
                .iter()
                .find(|c| c["id"] == nominated["cohort_id"])
                .and_then(|c| c["name"].as_str())
                .expect("the placement's cohort")
                .to_owned();
            let status_of =
                |app: &App| app.exdesk_json(&["placement", "get", &id])["status"].clone();

            app.ready().await;
            app.click(&testid("nav-cohorts")).await;
            app.type_into(&testid("cohort-search"), &name).await;
            app.wait_for_count(&testid("cohort-row"), 1).await;
            app.click(&testid("cohort-row")).await;
            let select = format!(r#"[data-testid="status-select"][data-id="{id}"]"#);
            let list = app.find(&select).await;
            list.send_keys(&char::from(Key::Down).to_string())
                .await
                .expect("press Down on the list");
            // The arrow chose the first other status and moved nothing (a move clears
            // the list's choice).
            app.wait_for_js(
                &format!("document.querySelector('{select}')?.value ?? null"),
                Value::from("applied"),
            )
            .await;
            assert_eq!(status_of(&app), Value::from("nominated"));

            list.send_keys(&char::from(Key::Enter).to_string())
                .await
                .expect("press Enter on the list");
            let app_ref = &app;
            app.eventually("the placement is applied", || async move {
                match status_of(app_ref) {
                    s if s == "applied" => Ok(()),
                    s => Err(format!("it is {s}")),
                }
            })
            .await;
            app.wait_for_js(
                "document.activeElement?.dataset?.id ?? null",
                Value::from(id.as_str()),
            )
            .await;
            app.screenshot("move_list_by_keyboard").await;
        },
    )
    .await;
}
