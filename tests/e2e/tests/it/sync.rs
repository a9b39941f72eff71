//! Sync between two laptops in the app: a package from a second laptop (prepared with
//! the `exdesk` CLI) is imported, its device trusted after comparing the fingerprint, an
//! edit that raced one made here is restored from the Conflicts view; then the shared
//! folder: a package the other laptop writes there is imported by an automatic round,
//! with no button pressed.

use std::path::Path;

use exdesk_e2e::{App, Locator, Start, Value, run};

use crate::testid;

const LAPTOP: &str = "Technion office laptop";

#[tokio::test]
async fn sync_trust_import_and_conflict() {
    run(
        "sync_trust_import_and_conflict",
        Start::Demo,
        |app| async move {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let laptop = dir.path().join("laptop.sqlite3");
            let shared = dir.path().join("shared");
            std::fs::create_dir(&shared).expect("the shared folder");
            let office_db = app.db().to_path_buf();

            // The second laptop starts from the office's data and trusts the office.
            app.exdesk_on(&laptop, &["device", "--name", LAPTOP]);
            let base = dir.path().join("office.exdesk-sync");
            app.exdesk_on(&office_db, &["sync", "export", "-o", path(&base)]);
            app.exdesk_on(&laptop, &["sync", "import", path(&base), "--trust"]);
            let laptop_fp = self_fingerprint(&app, &laptop);

            // A person both laptops edit before syncing: the office's edit comes later and
            // wins; the laptop's value goes to the conflict list.
            let people = app.exdesk_json(&["person", "list", "--limit", "1", "--json"]);
            let person = &people[0];
            let id = person["id"].as_str().expect("a person id").to_owned();
            let given = person["given_name"]
                .as_str()
                .expect("a given name")
                .to_owned();
            edit_family_name(&app, &laptop, &id, "Laptopova");
            // Something only the laptop has, to see the import arrive.
            app.exdesk_on(
                &laptop,
                &[
                    "person",
                    "add",
                    "--json",
                    r#"{"given_name":"Yael","family_name":"Zamirovitz"}"#,
                ],
            );
            edit_family_name(&app, &office_db, &id, "Officeman");
            let package = dir.path().join("from-laptop.exdesk-sync");
            app.exdesk_on(&laptop, &["sync", "export", "-o", path(&package)]);

            app.ready().await;
            app.click(&testid("nav-sync")).await;
            // The export dialog's focus starts on its first choice, not its close button.
            app.click(&testid("sync-export")).await;
            app.wait_for_js(
                "document.activeElement?.dataset?.testid ?? null",
                Value::from("sync-export-scope-all"),
            )
            .await;
            app.click_js(&format!(
                "{} .dialog-head .icon-btn",
                testid("sync-export-dialog")
            ))
            .await;
            app.wait_for_count(&testid("sync-export-dialog"), 0).await;
            app.type_into(&testid("sync-import-path"), path(&package))
                .await;
            app.click(&testid("sync-import")).await;

            // The trust question shows who sent it and the key fingerprint to compare.
            app.find(&testid("trust-dialog")).await;
            app.wait_for_text(&testid("trust-device-name"), LAPTOP)
                .await;
            app.wait_for_text(&testid("trust-fingerprint"), &laptop_fp)
                .await;
            app.click(&testid("trust-confirm")).await;
            let result = app.text(&testid("sync-import-result")).await;
            assert!(result.contains(LAPTOP), "the import says {result:?}");
            app.wait_for_text(&testid("sync-conflict-count"), "1").await;
            let trusted = r#"[data-testid="sync-device-row"][data-trusted="true"]"#;
            app.wait_for_count(trusted, 2).await;

            // The laptop's new person is here now.
            search_finds(&app, "Zamirovitz").await;

            // The Conflicts view: the laptop's lost value, restored.
            app.click_js(&testid("nav-sync")).await;
            app.click(&testid("sync-tab-conflicts")).await;
            app.wait_for_count(&testid("conflict-row"), 1).await;
            app.wait_for_text(&testid("conflict-lost"), "Laptopova")
                .await;
            app.wait_for_text(&testid("conflict-kept"), "Officeman")
                .await;
            app.click(&testid("conflict-restore")).await;
            app.wait_for_count(&testid("conflict-restore"), 0).await;
            app.wait_for_count(&testid("conflicts-empty"), 1).await;
            let stored = app.exdesk_json(&["person", "get", &id]);
            assert_eq!(stored["family_name"], Value::from("Laptopova"));
            app.click(&testid("conflict-show-resolved")).await;
            app.click(&testid("conflict-open")).await;
            let title = app.text(&testid("person-title")).await;
            assert!(
                title.contains("Laptopova") && title.contains(&given),
                "the person page shows {title:?}"
            );

            // The shared folder: chosen once, then rounds run by themselves. The first one
            // (at once) writes this laptop's package there.
            app.click(&testid("nav-sync")).await;
            app.type_into(&testid("sync-folder-path"), path(&shared))
                .await;
            app.click(&testid("sync-folder-pick")).await;
            app.wait_for_text(&testid("sync-folder-current"), path(&shared))
                .await;
            let office_id = app.exdesk_on(&office_db, &["device"]);
            let office_id = office_id.split('\t').next().expect("a device id");
            let outbox = shared.join(format!("{office_id}.exdesk-sync"));
            app.eventually("the office's package is in the folder", || {
                let outbox = outbox.clone();
                async move {
                    if outbox.is_file() {
                        Ok(())
                    } else {
                        Err(format!("{} is not there", outbox.display()))
                    }
                }
            })
            .await;
            let rounds = rounds_done(&app).await;

            // The laptop picks up the office's package (with the restored value), adds a
            // person and writes its own package into the folder.
            app.exdesk_on(&laptop, &["sync", "folder", path(&shared)]);
            app.exdesk_on(
                &laptop,
                &[
                    "person",
                    "add",
                    "--json",
                    r#"{"given_name":"Noa","family_name":"Folderberg"}"#,
                ],
            );
            app.exdesk_on(&laptop, &["sync", "folder", path(&shared)]);

            // No button: the app notices the new package and imports it.
            let app_ref = &app;
            app.eventually(
                "an automatic round imports the laptop's package",
                || async move {
                    let done = rounds_now(app_ref).await?;
                    let imported = app_ref
                        .client()
                        .find_all(Locator::Css(&testid("sync-folder-imported")))
                        .await
                        .map_err(|err| err.to_string())?;
                    let mut seen = Vec::new();
                    for li in imported {
                        seen.push(li.text().await.map_err(|err| err.to_string())?);
                    }
                    if done > rounds && seen.iter().any(|s| s.contains(LAPTOP)) {
                        Ok(())
                    } else {
                        Err(format!("{done} rounds done, imported {seen:?}"))
                    }
                },
            )
            .await;
            let status = app.text(&testid("sync-auto-status")).await;
            assert!(
                status.contains("a package arrived"),
                "the status says {status:?}"
            );
            app.screenshot("sync_page").await;
            let found = app.exdesk_json(&["person", "list", "--query", "Folderberg", "--json"]);
            assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");

            // The same page in Hebrew, right to left.
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            app.find(&testid("sync-auto-status")).await;
            app.screenshot("sync_page_hebrew").await;
            app.choose(&testid("lang-switch"), "en").await;
            app.wait_for_js("document.documentElement.dir", Value::from("ltr"))
                .await;

            // Automatic sync can be turned off: the status then plans no round.
            app.click(&testid("sync-auto")).await;
            app.wait_for_count(&testid("sync-auto-next"), 0).await;
            app.wait_for_js(
                r#"document.querySelector('[data-testid="sync-auto"]').checked"#,
                Value::Bool(false),
            )
            .await;
        },
    )
    .await;
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn self_fingerprint(app: &App, db: &Path) -> String {
    let devices: Value = serde_json::from_str(&app.exdesk_on(db, &["sync", "devices", "--json"]))
        .expect("`sync devices --json` prints JSON");
    devices
        .as_array()
        .and_then(|all| all.iter().find(|d| d["is_self"] == Value::Bool(true)))
        .and_then(|d| d["fingerprint"].as_str())
        .expect("this device's fingerprint")
        .to_owned()
}

fn edit_family_name(app: &App, db: &Path, id: &str, family: &str) {
    let patch = serde_json::json!({ "family_name": family }).to_string();
    app.exdesk_on(db, &["person", "update", id, "--json", &patch]);
}

/// Types `name` into the top bar's search and waits for a hit showing it.
async fn search_finds(app: &App, name: &str) {
    app.type_into(&testid("global-search"), name).await;
    app.eventually(&format!("a search hit for {name:?}"), || async move {
        let hits = app
            .client()
            .find_all(Locator::Css(&testid("search-hit")))
            .await
            .map_err(|err| err.to_string())?;
        let mut seen = Vec::new();
        for hit in hits {
            let text = hit.text().await.map_err(|err| err.to_string())?;
            if text.contains(name) {
                return Ok(());
            }
            seen.push(text);
        }
        Err(format!("the hits are {seen:?}"))
    })
    .await;
}

/// The number of folder rounds the status line reports, once it shows one.
async fn rounds_done(app: &App) -> u64 {
    app.eventually("the status line counts a round", || async move {
        match rounds_now(app).await? {
            0 => Err("no round yet".to_owned()),
            n => Ok(n),
        }
    })
    .await
}

async fn rounds_now(app: &App) -> Result<u64, String> {
    let line = app
        .client()
        .find(Locator::Css(&testid("sync-auto-status")))
        .await
        .map_err(|err| format!("no status line ({err})"))?;
    let rounds = line
        .attr("data-rounds")
        .await
        .map_err(|err| err.to_string())?
        .unwrap_or_default();
    rounds
        .parse()
        .map_err(|_| format!("data-rounds is {rounds:?}"))
}
