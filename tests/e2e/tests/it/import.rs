//! A partner's spreadsheet through the import wizard, as a coordinator takes it in: the
//! file picked, its Hebrew headers matched, a preview that refuses a file with a bad row
//! (row, column, value and reason shown, nothing written), then the corrected file
//! previewed row by row (who is added, who is updated) and imported whole.

use exdesk_e2e::{App, Start, Value, run};

use crate::testid;

/// A person of the demo dataset, matched by e-mail (in another case): updated, not added.
const KNOWN: &str = "DANA.COHEN@example.ac.il";

#[tokio::test]
async fn a_partner_file_through_the_import_wizard() {
    run(
        "a_partner_file_through_the_import_wizard",
        Start::Demo,
        |app| async move {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let bad = dir.path().join("technion-bad.csv");
            let good = dir.path().join("technion.csv");
            // Hebrew headers with gershayim, a Hebrew-script name, a known e-mail, and
            // (in the bad file) an e-mail that is not one on the second data row.
            let header = "שם פרטי,שם משפחה,דוא״ל,תאריך לידה\n";
            let rows = |second: &str| {
                format!(
                    "{header}Dana,Cohen,{KNOWN},14/03/1990\n\
                     רונית,אלון,{second},02/11/1988\n\
                     Avi,Ben-David,avi.bd@example.ac.il,25/12/1985\n"
                )
            };
            std::fs::write(&bad, rows("ronit.alon(at)example.ac.il")).expect("write the file");
            std::fs::write(&good, rows("ronit.alon@example.ac.il")).expect("write the file");
            let before = app.exdesk_json(&["person", "list", "--json"]);
            let before = before.as_array().expect("a list").len();

            app.ready().await;
            app.click(&testid("nav-people")).await;
            app.click(&testid("import-start")).await;
            pick(&app, &bad).await;
            app.find(&testid("import-step-mapping")).await;
            // Each column shows what it holds: the given names of the first rows.
            let app_ref = &app;
            app.eventually("the first column's values", || async move {
                let samples = app_ref.text_now(&testid("import-column-samples")).await?;
                if samples.contains("Dana") && samples.contains("רונית") {
                    Ok(())
                } else {
                    Err(format!("it shows {samples:?}"))
                }
            })
            .await;
            app.screenshot("import_mapping").await;
            app.click(&testid("import-preview-run")).await;

            // The bad row stops the whole file, named by its line, column and value.
            app.find(&testid("import-blocked")).await;
            let problem = app.text(&testid("import-problem-row")).await;
            for expected in ["3", "דוא״ל", "ronit.alon(at)example.ac.il"] {
                assert!(
                    problem.contains(expected),
                    "the problem {problem:?} does not show {expected:?}"
                );
            }
            let confirm = app.find(&testid("import-confirm")).await;
            assert!(
                !confirm.is_enabled().await.expect("read the button"),
                "a file with a problem cannot be imported"
            );
            app.screenshot("import_blocked").await;

            // The corrected file: one person updated, two added, each row listed.
            app.click(&testid("import-back-to-mapping")).await;
            app.click(&testid("import-back-to-file")).await;
            pick(&app, &good).await;
            app.find(&testid("import-step-mapping")).await;
            // Two columns mapped to one field: each says so (a warning; the choice stays).
            app.wait_for_count(&testid("import-shared"), 0).await;
            app.choose(&testid("import-map-3"), "email").await;
            app.wait_for_count(&testid("import-shared"), 2).await;
            let warned = app.text(&testid("import-shared")).await;
            assert!(
                warned.contains("תאריך לידה"),
                "the warning names the other column: {warned:?}"
            );
            app.screenshot("import_mapping_shared_field").await;
            app.choose(&testid("import-map-3"), "birth_date").await;
            app.wait_for_count(&testid("import-shared"), 0).await;
            app.click(&testid("import-preview-run")).await;
            app.find(&testid("import-ready")).await;
            app.wait_for_text(&format!("{} dd", testid("import-count-added")), "2")
                .await;
            app.wait_for_text(&format!("{} dd", testid("import-count-updated")), "1")
                .await;
            app.wait_for_count(&testid("import-change-row"), 3).await;
            let listed = app.text(&testid("import-changes")).await;
            for expected in ["Dana Cohen", "רונית אלון", "Avi Ben-David"] {
                assert!(
                    listed.contains(expected),
                    "the rows to write {listed:?} do not name {expected:?}"
                );
            }
            let updated = app
                .text(&format!(
                    r#"{}[data-action="update"]"#,
                    testid("import-change-row")
                ))
                .await;
            assert!(updated.contains("Dana Cohen"), "updated: {updated:?}");
            assert_eq!(
                app.exdesk_json(&["person", "list", "--json"])
                    .as_array()
                    .expect("a list")
                    .len(),
                before,
                "a preview writes nothing"
            );
            app.screenshot("import_preview").await;

            app.click(&testid("import-confirm")).await;
            app.find(&format!(
                r#"{}[data-written="true"]"#,
                testid("import-result")
            ))
            .await;
            let after = app.exdesk_json(&["person", "list", "--json"]);
            let after = after.as_array().expect("a list");
            assert_eq!(after.len(), before + 2, "two people added");
            let ronit = after
                .iter()
                .find(|p| p["email"] == "ronit.alon@example.ac.il")
                .expect("the Hebrew-named person was added");
            assert_eq!(ronit["given_name_he"], "רונית", "{ronit}");
            assert_eq!(ronit["birth_date"], "1988-11-02", "day first: {ronit}");
            let dana = app.exdesk_json(&["search", "dana.cohen", "--json"]);
            assert_eq!(
                dana.as_array().map(Vec::len),
                Some(1),
                "no second Dana Cohen: {dana}"
            );
        },
    )
    .await;
}

/// A roster imported into a cohort that is full: the preview names the full cohort and
/// offers to place past its capacity; ticked, the file checks clean and goes in.
#[tokio::test]
async fn a_full_cohort_takes_a_roster_past_capacity_when_asked() {
    run(
        "a_full_cohort_takes_a_roster_past_capacity_when_asked",
        Start::Demo,
        |app| async move {
            let cohorts = app.exdesk_json(&["cohort", "list", "--json"]);
            let cohort = &cohorts.as_array().expect("a list")[0];
            let (id, name) = (
                cohort["id"].as_str().expect("an id"),
                cohort["name"].as_str().expect("a name"),
            );
            let placed = |app: &App| -> usize {
                let all = app.exdesk_json(&["placement", "list", "--json"]);
                all.as_array()
                    .expect("a list")
                    .iter()
                    .filter(|p| p["cohort_id"] == id)
                    .count()
            };
            let before = placed(&app);
            // Withdrawn and declined placements take no place.
            let all = app.exdesk_json(&["placement", "list", "--json"]);
            let taken = all
                .as_array()
                .expect("a list")
                .iter()
                .filter(|p| p["cohort_id"] == id)
                .filter(|p| !matches!(p["status"].as_str(), Some("withdrawn" | "declined")))
                .count();
            let full = format!(r#"{{"capacity": {taken}}}"#);
            app.exdesk_json(&["cohort", "update", id, "--json", &full]);
            let dir = tempfile::tempdir().expect("a temporary folder");
            let file = dir.path().join("late-arrival.csv");
            std::fs::write(
                &file,
                "given_name,family_name,email\nZiv,Amit,ziv.amit@example.org\n",
            )
            .expect("write the file");

            app.ready().await;
            app.click(&testid("nav-cohorts")).await;
            app.click(&format!("{}[data-id=\"{id}\"]", testid("cohort-row")))
                .await;
            app.wait_for_text(&testid("cohort-title"), name).await;
            app.click(&testid("import-start")).await;
            pick(&app, &file).await;
            app.find(&testid("import-step-mapping")).await;
            app.click(&testid("import-preview-run")).await;
            app.find(&testid("import-blocked")).await;
            // The step replaced by the next keeps the focus in the dialog (it fell to
            // the page's body).
            app.wait_for_js(
                "!!document.activeElement?.closest('[data-testid=import-dialog]')",
                Value::Bool(true),
            )
            .await;
            // The full cohort is said once, beside the choice that places past it, and
            // not as a problem of every row.
            let said = app.text(&testid("import-full-cohort")).await;
            assert!(said.contains(name), "the box {said:?} names no cohort");
            assert!(said.contains(": 2"), "the box {said:?} names no file row");
            app.wait_for_count(&testid("import-problem-row"), 0).await;
            app.wait_for_text(&format!("{} dd", testid("import-count-problems")), "1")
                .await;
            app.screenshot("import_cohort_full").await;

            app.click(&testid("import-over-capacity")).await;
            app.find(&testid("import-ready")).await;
            app.click(&testid("import-confirm")).await;
            app.find(&format!(
                r#"{}[data-written="true"]"#,
                testid("import-result")
            ))
            .await;
            assert_eq!(placed(&app), before + 1, "one placement past capacity");
        },
    )
    .await;
}

/// Picks `file` in the wizard's first step (typed into the path field the end-to-end mode
/// shows beside the file dialog) and goes on to the column mapping.
async fn pick(app: &App, file: &std::path::Path) {
    let path = file.to_str().expect("a UTF-8 path");
    app.find(&testid("import-step-file")).await;
    let field = app.find(&testid("import-path")).await;
    field.clear().await.expect("clear the path field");
    app.type_into(&testid("import-path"), path).await;
    app.click(&testid("import-open")).await;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    app.wait_for_text(&testid("import-file"), name).await;
    app.click(&testid("import-next")).await;
}
