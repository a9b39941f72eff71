//! The dashboard's totals are those the CLI counts in the same database.

use exdesk_e2e::{Start, en_us, run};

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
        },
    )
    .await;
}
