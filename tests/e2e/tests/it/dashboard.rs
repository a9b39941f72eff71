//! The dashboard's totals are those the CLI counts in the same database.

use exdesk_e2e::{Start, Value, en_us, run};

use crate::testid;

/// The entities with a count card on the dashboard.
const CARDS: &[&str] = &[
    "person",
    "institution",
    "program",
    "cohort",
    "placement",
    "fellowship",
];

#[tokio::test]
async fn dashboard_shows_demo_counts() {
    run(
        "dashboard_shows_demo_counts",
        Start::Demo,
        |app| async move {
            let stats = app.exdesk_json(&["stats", "--json"]);
            app.ready().await;
            for entity in CARDS {
                let count = stats["counts"][entity]
                    .as_u64()
                    .unwrap_or_else(|| panic!("`exdesk stats` has no count of {entity}: {stats}"));
                assert!(count > 0, "the demo dataset has no {entity}");
                app.wait_for_text(&testid(&format!("count-{entity}")), &en_us(count))
                    .await;
            }

            // "Programs by kind" is biggest first, like the other breakdowns.
            let kinds = app
                .script_on(
                    &testid("breakdown-kind"),
                    "return Array.from(arguments[0].querySelectorAll('li .count'))\
                     .map(e => Number(e.textContent.replace(/\\D/g, '')));",
                )
                .await;
            let kinds: Vec<u64> = serde_json::from_value(kinds).expect("counts");
            assert!(
                kinds.windows(2).all(|w| w[0] >= w[1]),
                "programs by kind not sorted by count: {kinds:?}"
            );

            // A person's deadline names them in both scripts where both are known.
            app.find(&testid("deadline-row")).await;
            let both = app
                .script_on(
                    &testid("deadlines"),
                    "return Array.from(arguments[0].querySelectorAll('[data-testid=\"deadline-link\"]'))\
                     .filter(e => e.querySelector('.name-secondary')).map(e => e.textContent.trim());",
                )
                .await;
            let both = both.as_array().cloned().unwrap_or_default();
            assert!(
                both.iter().filter_map(Value::as_str).any(|n| {
                    n.chars().any(|c| c.is_ascii_alphabetic())
                        && n.chars().any(|c| ('\u{05d0}'..='\u{05ea}').contains(&c))
                }),
                "no deadline shows a person's two names: {both:?}"
            );

            // In Hebrew the deadlines are worded in Hebrew: no English detail left, no raw
            // codes, money formatted (the demo has checklist items and tranches due).
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.lang", Value::from("he"))
                .await;
            let details = app
                .script_on(
                    &testid("deadlines"),
                    "return Array.from(arguments[0].querySelectorAll('[data-testid=\"deadline-detail\"]')).map(e => e.textContent).join(' | ');",
                )
                .await;
            let details = details.as_str().unwrap_or_default().to_owned();
            for english in ["expires", "tranche of", "(missing)", "(submitted)", "Cohort starts", "_"] {
                assert!(!details.contains(english), "{english:?} in the Hebrew deadlines: {details}");
            }
            // Each detail is a Hebrew sentence laid out right to left, even one that starts
            // with an English fellowship title (the title and the amount are isolated in it).
            let directions = app
                .script_on(
                    &testid("deadlines"),
                    "return Array.from(arguments[0].querySelectorAll('[data-testid=\"deadline-detail\"]'))\
                     .filter(e => getComputedStyle(e).direction !== 'rtl' || e.querySelector('bdi, [dir]'))\
                     .map(e => e.textContent);",
                )
                .await;
            assert_eq!(
                directions,
                Value::Array(Vec::new()),
                "Hebrew deadline details laid out left to right"
            );
            app.script_on(&testid("deadlines"), "arguments[0].scrollIntoView();")
                .await;
            app.screenshot("dashboard_deadlines_he").await;
        },
    )
    .await;
}
