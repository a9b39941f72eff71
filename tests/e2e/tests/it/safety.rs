//! Encryption and backups in the app: an encrypted database (made by `exdesk encrypt`)
//! opens only through the unlock screen; a backup made in Settings restores the data.

use exdesk_e2e::{Start, Value, en_us, run};

use crate::testid;

const PASSPHRASE: &str = "correct horse battery";
/// WebDriver's Enter key.
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn an_encrypted_database_opens_only_with_its_passphrase() {
    run(
        "an_encrypted_database_opens_only_with_its_passphrase",
        Start::Encrypted(PASSPHRASE),
        |app| async move {
            let key = [("EXDESK_PASSPHRASE", PASSPHRASE)];
            let stats = app.exdesk_json_env(&key, &["stats", "--json"]);
            let people = stats["counts"]["person"].as_u64().expect("a person count");
            assert!(people > 0);

            app.ready().await;
            app.find(&testid("unlock-screen")).await;
            // The field is labelled and has the focus.
            let labelled = app
                .script_on(
                    &testid("unlock-passphrase"),
                    "const f = arguments[0]; \
                     return f.labels.length === 1 && f.labels[0].textContent.trim() !== '' \
                       && document.activeElement === f && f.type === 'password';",
                )
                .await;
            assert_eq!(labelled, Value::Bool(true));
            app.screenshot("safety_unlock").await;

            // A wrong passphrase: a clear refusal, still locked, asked again.
            app.type_into(&testid("unlock-passphrase"), &format!("wrong horse{ENTER}"))
                .await;
            app.wait_for_text(
                &testid("unlock-refusal"),
                "That passphrase does not open this database. Nothing was changed; try again.",
            )
            .await;
            app.find(&testid("unlock-screen")).await;
            app.screenshot("safety_unlock_refused").await;

            // In Hebrew the screen mirrors.
            app.choose(&testid("unlock-language"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            app.wait_for_text(&testid("unlock-submit"), "פתיחה").await;
            app.wait_for_text(
                &testid("unlock-refusal"),
                "הסיסמה הזו אינה פותחת את מסד הנתונים. דבר לא שונה; אפשר לנסות שוב.",
            )
            .await;
            app.screenshot("safety_unlock_he").await;
            app.choose(&testid("unlock-language"), "en").await;

            // The right one (Enter submits) opens the dashboard with the data.
            app.type_into(
                &testid("unlock-passphrase"),
                &format!("{PASSPHRASE}{ENTER}"),
            )
            .await;
            app.wait_for_text(&testid("count-person"), &en_us(people))
                .await;

            // Settings say the file is encrypted.
            app.click(&testid("nav-settings")).await;
            app.find(r#"[data-testid="encryption-panel"][data-encrypted="true"]"#)
                .await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_backup_made_in_settings_brings_the_data_back() {
    run(
        "a_backup_made_in_settings_brings_the_data_back",
        Start::Demo,
        |app| async move {
            let before = app.exdesk_json(&["stats", "--json"])["counts"]["institution"]
                .as_u64()
                .expect("an institution count");
            app.ready().await;
            app.wait_for_text(&testid("count-institution"), &en_us(before))
                .await;
            app.click(&testid("nav-settings")).await;
            app.find(&testid("backups-panel")).await;

            app.click(&testid("backup-now")).await;
            app.find(&testid("backup-done")).await;
            let manual = r#"[data-testid="backup-row"][data-reason="manual"]"#;
            app.wait_for_count(manual, 1).await;
            let listed = app
                .script_on(manual, "return arguments[0].dataset.path;")
                .await;
            let listed = listed.as_str().expect("the row names its file").to_owned();
            assert!(std::path::Path::new(&listed).is_file(), "{listed}");
            let cli = app.exdesk_json(&["backups", "--json"]);
            assert!(
                cli.as_array()
                    .is_some_and(|list| list.iter().any(|b| b["path"] == listed.as_str())),
                "`exdesk backups` lists {listed}: {cli}"
            );

            // A record added after the backup…
            app.exdesk_json(&[
                "institution",
                "add",
                "--json",
                r#"{"name": "Added after the backup", "country": "DE"}"#,
            ]);
            assert_eq!(
                app.exdesk_json(&["stats", "--json"])["counts"]["institution"],
                before + 1
            );

            // …is gone once the backup is restored (after a confirmation).
            app.click_js(&format!(r#"{manual} [data-testid="backup-restore"]"#))
                .await;
            app.find(&testid("confirm-dialog")).await;
            app.screenshot("safety_restore_confirm").await;
            app.click(&testid("confirm-yes")).await;
            // The app starts again on the restored database.
            app.wait_for_text(&testid("count-institution"), &en_us(before))
                .await;
            assert_eq!(
                app.exdesk_json(&["stats", "--json"])["counts"]["institution"],
                before
            );
            // The replaced database was kept aside.
            let dir = app.db().parent().expect("the database is in a folder");
            let kept = std::fs::read_dir(dir)
                .expect("the folder is readable")
                .flatten()
                .any(|e| e.file_name().to_string_lossy().contains(".replaced-"));
            assert!(kept, "no .replaced- file beside the database");

            // Settings in Hebrew, for the picture.
            app.click(&testid("nav-settings")).await;
            app.script_on(
                &testid("backups-panel"),
                "arguments[0].scrollIntoView({block: 'start'});",
            )
            .await;
            app.screenshot("safety_settings").await;
            app.choose(&testid("settings-language"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            app.wait_for_text(&testid("backup-now"), "גיבוי עכשיו")
                .await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_damaged_database_offers_the_newest_good_backup() {
    run(
        "a_damaged_database_offers_the_newest_good_backup",
        Start::Damaged,
        |app| async move {
            app.ready().await;
            app.find(&testid("damaged-screen")).await;
            app.find(&testid("damaged-newest")).await;
            app.screenshot("safety_damaged").await;
            app.click(&testid("damaged-restore")).await;
            app.click(&testid("confirm-yes")).await;
            // The restored demo opens on the dashboard, with the CLI's counts.
            app.find(&testid("count-person")).await;
            let people = app.exdesk_json(&["stats", "--json"])["counts"]["person"]
                .as_u64()
                .expect("a person count");
            assert!(people > 0);
            app.wait_for_text(&testid("count-person"), &en_us(people))
                .await;
        },
    )
    .await;
}
