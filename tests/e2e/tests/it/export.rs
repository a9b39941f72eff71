//! The roster export dialog: columns chosen and ordered, the choice saved as a named
//! preset and picked again, the redacted profile, the file's header in that order, the
//! file's language (Hebrew statuses); and `export all` in the export log.

use exdesk_e2e::{App, Start, Value, run};

use crate::testid;

const PRESET: &str = "Partner list";

#[tokio::test]
async fn export_columns_and_presets() {
    run(
        "export_columns_and_presets",
        Start::Demo,
        |app| async move {
            app.ready().await;
            app.click(&testid("nav-cohorts")).await;
            app.click(&testid("cohort-row")).await;
            app.click(&testid("export-roster")).await;
            app.find(&testid("export-dialog")).await;
            app.find(&testid("export-col-email")).await;
            // The focus starts on the chosen format, not on the close button.
            app.wait_for_js(
                "document.activeElement?.dataset?.testid ?? null",
                Value::from("export-format-xlsx"),
            )
            .await;
            app.screenshot("export_dialog").await;
            let defaults = column_keys(&app).await;
            assert_eq!(defaults[..2], ["family_name", "given_name"], "{defaults:?}");

            // Given name first, no e-mail; saved under a name.
            app.click_js(&testid("export-up-given_name")).await;
            app.click_js(&testid("export-col-email")).await;
            let chosen = ticked_keys(&app).await;
            assert_eq!(chosen[..2], ["given_name", "family_name"], "{chosen:?}");
            assert!(!checked(&app, "email").await, "e-mail is still ticked");
            app.type_into(&testid("export-preset-name"), PRESET).await;
            app.click_js(&testid("export-preset-save")).await;
            app.find(&testid("export-preset-saved")).await;

            // The default columns, the redacted profile, then the saved preset again.
            app.choose(&testid("export-preset"), "").await;
            assert_eq!(column_keys(&app).await, defaults);
            assert!(
                checked(&app, "email").await,
                "the default columns lack e-mail"
            );
            app.choose(&testid("export-preset"), "redacted").await;
            let email_disabled = app
                .script_on(&testid("export-col-email"), "return arguments[0].disabled;")
                .await;
            assert_eq!(email_disabled, Value::Bool(true), "redacted keeps e-mail");
            assert_eq!(
                app.script_on(&testid("export-redact"), "return arguments[0].checked;")
                    .await,
                Value::Bool(true)
            );
            app.choose(&testid("export-preset"), &format!("saved:{PRESET}"))
                .await;
            assert_eq!(ticked_keys(&app).await, chosen);
            assert!(
                !checked(&app, "email").await,
                "the preset brought e-mail back"
            );

            // The file's header: the ticked columns, in the order shown.
            let labels = app
                .script_on(
                    &testid("export-columns"),
                    "return [...arguments[0].querySelectorAll('li')]\
                 .filter((li) => li.querySelector('input').checked)\
                 .map((li) => li.querySelector('label span').textContent.trim());",
                )
                .await;
            let dir = tempfile::tempdir().expect("a temporary directory");
            let path = dir.path().join("roster.csv");
            app.click_js(&testid("export-format-csv")).await;
            app.type_into(
                &testid("export-path-input"),
                path.to_str().expect("a UTF-8 path"),
            )
            .await;
            app.click_js(&testid("export-save")).await;
            app.find(&testid("export-result")).await;
            app.screenshot("export_dialog_done").await;
            let csv = std::fs::read_to_string(&path).expect("the exported roster");
            let header: Vec<&str> = csv
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .expect("a header line")
                .split(',')
                .map(|h| h.trim_matches('"'))
                .collect();
            let labels: Vec<&str> = labels
                .as_array()
                .expect("labels")
                .iter()
                .map(|l| l.as_str().expect("a label"))
                .collect();
            assert_eq!(header, labels, "the file's columns are not those chosen");

            // The file's language (the UI's by default): in Hebrew the statuses are
            // Hebrew labels too.
            let chosen_lang = app
                .script_on(&testid("export-lang"), "return arguments[0].value;")
                .await;
            assert_eq!(chosen_lang, Value::from("en"), "defaults to the UI's language");
            app.choose(&testid("export-lang"), "he").await;
            let he_path = dir.path().join("roster-he.csv");
            app.script_on(
                &testid("export-path-input"),
                "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'));",
            )
            .await;
            app.type_into(
                &testid("export-path-input"),
                he_path.to_str().expect("a UTF-8 path"),
            )
            .await;
            app.click_js(&testid("export-save")).await;
            let he_csv = app
                .eventually("the Hebrew roster", || {
                    let p = he_path.clone();
                    async move { std::fs::read_to_string(&p).map_err(|e| e.to_string()) }
                })
                .await;
            assert!(he_csv.contains("סטטוס"), "{he_csv}");
            let hebrew_statuses = ["הוצע", "הוגשה בקשה", "התקבל", "אושר", "פעיל", "הושלם", "בוטל", "נדחה"];
            assert!(
                hebrew_statuses.iter().any(|s| he_csv.contains(&format!(",{s}"))),
                "no Hebrew status in {he_csv}"
            );
            for key in ["nominated", "accepted", "confirmed", "active", "participant"] {
                assert!(!he_csv.contains(key), "{key} in {he_csv}");
            }
            // The outcome is brought into view at the end of the long dialog.
            app.wait_for_js(
                "document.activeElement?.dataset?.testid ?? null",
                Value::from("export-result"),
            )
            .await;

            // Opened again, the dialog starts from the last export's choices: format,
            // preset and columns, language (a coordinator who sends partners redacted
            // rosters need not choose it each time).
            app.script_on(
                &testid("export-dialog"),
                "arguments[0].querySelector('.form-footer .btn-quiet').click();",
            )
            .await;
            app.wait_for_count(&testid("export-dialog"), 0).await;
            app.click(&testid("export-roster")).await;
            app.find(&testid("export-col-email")).await;
            let again = app
                .script_on(
                    &testid("export-dialog"),
                    "const d = arguments[0]; return [\
                     d.querySelector('[data-testid=export-format-csv]').checked, \
                     d.querySelector('[data-testid=export-lang]').value, \
                     d.querySelector('[data-testid=export-preset]').value];",
                )
                .await;
            assert_eq!(again, serde_json::json!([true, "he", format!("saved:{PRESET}")]));
            assert_eq!(ticked_keys(&app).await, chosen);

            // Hebrew, right to left: the dialog and the people list.
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            app.screenshot("export_dialog_he").await;
            app.script_on(
                &testid("export-dialog"),
                "arguments[0].querySelector('.form-footer .btn-quiet').click();",
            )
            .await;
            app.click(&testid("nav-people")).await;
            app.find(&testid("person-row")).await;
            app.screenshot("people_list_he").await;

            // `export all` from the command line shows in the app's export log as
            // everything, with its count.
            let all = dir.path().join("all.json");
            app.exdesk_on(app.db(), &["export", "all", "-o", all.to_str().expect("UTF-8")]);
            let total: u64 = app.exdesk_json(&["stats", "--json"])["counts"]
                .as_object()
                .expect("counts")
                .values()
                .filter_map(Value::as_u64)
                .sum();
            app.click(&testid("nav-settings")).await;
            app.click_js(&testid("export-log-refresh")).await;
            let scope = r#"[data-testid="export-log-row"][data-kind="all"] [data-testid="export-log-scope"]"#;
            app.wait_for_text(scope, &format!("הכול ({} רשומות)", exdesk_e2e::en_us(total)))
                .await;
            app.script_on(scope, "arguments[0].scrollIntoView({ block: 'center' });")
                .await;
            app.screenshot("export_log_he").await;
            app.choose(&testid("lang-switch"), "en").await;
            app.wait_for_text(scope, &format!("Everything ({} records)", exdesk_e2e::en_us(total)))
                .await;
            app.script_on(scope, "arguments[0].scrollIntoView({ block: 'center' });")
                .await;
            app.screenshot("export_log").await;
        },
    )
    .await;
}

/// The column keys in the order the dialog shows them.
async fn column_keys(app: &App) -> Vec<String> {
    let keys = app
        .script_on(
            &testid("export-columns"),
            "return [...arguments[0].querySelectorAll('li')].map((li) => li.dataset.key);",
        )
        .await;
    serde_json::from_value(keys).expect("a list of keys")
}

/// The keys of the ticked columns, in the order shown (the order of the file).
async fn ticked_keys(app: &App) -> Vec<String> {
    let keys = app
        .script_on(
            &testid("export-columns"),
            "return [...arguments[0].querySelectorAll('li')]\
             .filter((li) => li.querySelector('input').checked).map((li) => li.dataset.key);",
        )
        .await;
    serde_json::from_value(keys).expect("a list of keys")
}

/// Whether the column `key` is ticked.
async fn checked(app: &App, key: &str) -> bool {
    app.script_on(
        &testid(&format!("export-col-{key}")),
        "return arguments[0].checked;",
    )
    .await
        == Value::Bool(true)
}
