//! A person deleted in the app is listed in Settings › Recently deleted, restored there as
//! a new record, and opens.

use exdesk_e2e::{Start, run};

use crate::testid;

#[tokio::test]
async fn a_deleted_person_is_restored_from_recently_deleted() {
    run(
        "a_deleted_person_is_restored_from_recently_deleted",
        Start::Demo,
        |app| async move {
            let person = app.exdesk_json(&[
                "person",
                "add",
                "--json",
                r#"{"given_name": "Quinn", "family_name": "Restorewell", "email": "quinn@example.org"}"#,
            ]);
            let old_id = person["id"].as_str().expect("an id").to_owned();
            app.ready().await;

            // Open the person and delete them (after a confirmation).
            app.type_into(&testid("global-search"), "Restorewell").await;
            app.click(&testid("search-hit")).await;
            app.wait_for_text(&testid("person-title"), "Quinn Restorewell")
                .await;
            app.click(&testid("person-delete")).await;
            app.find(&testid("confirm-dialog")).await;
            app.click(&testid("confirm-yes")).await;
            app.find(&testid("person-row")).await;
            let left = app.exdesk_json(&["person", "list", "--query", "Restorewell", "--json"]);
            assert_eq!(left, serde_json::json!([]), "the person was deleted");

            // Settings › Recently deleted lists them with name, type and device.
            app.click(&testid("nav-settings")).await;
            let row = format!(r#"[data-testid="deleted-row"][data-id="{old_id}"]"#);
            app.find(&row).await;
            let text = app.text(&row).await;
            assert!(
                text.contains("Quinn Restorewell") && text.contains("Person"),
                "{text}"
            );
            app.screenshot("recover_listed").await;

            app.click_js(&format!(r#"{row} [data-testid="deleted-restore"]"#))
                .await;
            app.find(&testid("recover-result")).await;
            app.find(&format!(r#"{row} [data-testid="deleted-recovered"]"#))
                .await;
            app.screenshot("recover_restored").await;

            // A new record with the same fields; the old id stays deleted.
            let back = app.exdesk_json(&["person", "list", "--query", "Restorewell", "--json"]);
            let back = back.as_array().expect("a list");
            assert_eq!(back.len(), 1);
            assert_ne!(back[0]["id"], old_id.as_str());
            assert_eq!(back[0]["email"], "quinn@example.org");

            // "Open it" shows the restored person.
            app.click(&testid("recover-open")).await;
            app.wait_for_text(&testid("person-title"), "Quinn Restorewell")
                .await;
        },
    )
    .await;
}
