//! A coordinator's first day on an empty database: two institutions, a sensitive program,
//! a cohort, a person with Hebrew names, a placement moved through its statuses, the
//! screening gate refusing "confirmed" until screening is cleared, the dashboard
//! counting it all, and a withdrawn placement reopened past a cohort that filled up.

use exdesk_e2e::{App, Locator, Start, Value, run};

use crate::testid;

#[tokio::test]
async fn workflow() {
    run("workflow", Start::Empty, |app| async move {
        app.ready().await;
        app.click(&testid("onboard-empty")).await;
        for entity in ["person", "institution", "program", "cohort", "placement"] {
            app.wait_for_text(&testid(&format!("count-{entity}")), "0")
                .await;
        }
        // The empty dashboard offers its first steps: a new program (its form opens
        // there) and an import.
        app.find(&format!("{} {}", testid("dashboard-empty"), testid("empty-import")))
            .await;
        app.click_js(&testid("empty-new-program")).await;
        app.find(&testid("form-program")).await;
        app.click_js(&format!("{} {}", testid("form-dialog"), testid("cancel")))
            .await;
        app.wait_for_count(&testid("form-dialog"), 0).await;

        // Two institutions, one in each country.
        for (name, name_he, country) in [
            ("Stanford University", "", "US"),
            ("Technion", "הטכניון", "IL"),
        ] {
            app.click(&testid("nav-institutions")).await;
            app.click_js(&testid("new-institution")).await;
            fill(&app, "institution", "name", name).await;
            if !name_he.is_empty() {
                fill(&app, "institution", "name_he", name_he).await;
            }
            fill(&app, "institution", "country", country).await;
            save(&app).await;
        }

        // A sensitive program.
        app.click(&testid("nav-programs")).await;
        app.click_js(&testid("new-program")).await;
        fill(&app, "program", "name", "Quantum Bridge").await;
        app.choose(&field("program", "kind"), "joint_training")
            .await;
        app.click_js(&field("program", "tech_areas-ai")).await;
        app.click_js(&field("program", "sensitive")).await;
        save(&app).await;

        // A cohort of it, hosted by the US institution.
        app.click(&testid("nav-cohorts")).await;
        app.click_js(&testid("new-cohort")).await;
        pick(&app, "cohort", "program_id", "Quantum", "Quantum Bridge").await;
        fill(&app, "cohort", "name", "Fall 2027").await;
        pick(&app, "cohort", "host_institution_id", "Stan", "Stanford").await;
        save(&app).await;

        // A person with names in both scripts, from the Israeli institution.
        app.click(&testid("nav-people")).await;
        app.click_js(&testid("new-person")).await;
        fill(&app, "person", "given_name", "Dana").await;
        fill(&app, "person", "family_name", "Cohen").await;
        fill(&app, "person", "given_name_he", "דנה").await;
        fill(&app, "person", "family_name_he", "כהן").await;
        pick(&app, "person", "home_institution_id", "Tech", "Technion").await;
        save(&app).await;
        app.wait_for_count(&testid("person-row"), 1).await;
        // A plain Save says what was saved, and marks its row in the list.
        app.wait_for_text(&testid("list-saved"), "Saved “Dana Cohen”.")
            .await;
        app.find(&format!(r#"{}[data-saved="true"]"#, testid("person-row")))
            .await;

        // Placed in the cohort, from the cohort's page.
        app.click(&testid("nav-cohorts")).await;
        app.wait_for_count(&testid("cohort-row"), 1).await;
        app.click(&testid("cohort-row")).await;
        app.wait_for_text(&testid("cohort-title"), "Fall 2027")
            .await;
        app.click_js(&testid("add-placement")).await;
        pick(&app, "placement", "person_id", "Dana", "Dana").await;
        save(&app).await;
        app.wait_for_count(&testid("placement-row"), 1).await;
        wait_status(&app, "nominated").await;
        // The row's controls name the person, as the Move list does.
        for (control, label) in [
            ("row-select", "Select the placement of Dana Cohen"),
            ("edit-placement", "Edit the placement of Dana Cohen"),
        ] {
            let said = app
                .script_on(&testid(control), "return arguments[0].getAttribute('aria-label');")
                .await;
            assert_eq!(said, Value::from(label), "the label of {control}");
        }

        // Forward, one step at a time.
        for status in ["applied", "accepted"] {
            app.click_js(&testid("move-status")).await;
            wait_status(&app, status).await;
        }

        // The screening gate: a sensitive program needs cleared screening to confirm.
        app.click_js(&testid("move-status")).await;
        let refusal = app.text(&testid("move-error")).await;
        assert!(
            refusal.to_lowercase().contains("screening"),
            "the refusal does not say why: {refusal:?}"
        );
        wait_status(&app, "accepted").await;
        app.screenshot("workflow_screening_refused").await;
        let badge_fill = "return getComputedStyle(arguments[0]).backgroundColor;";
        let accepted = app
            .script_on(&format!("{} .badge[data-value]", testid("placement-row")), badge_fill)
            .await;

        // Cleared screening, then the same move succeeds.
        app.click_js(&testid("edit-placement")).await;
        app.find(&testid("form-placement")).await;
        app.choose(&field("placement", "screening"), "cleared")
            .await;
        save(&app).await;
        app.click_js(&testid("move-status")).await;
        wait_status(&app, "confirmed").await;
        app.wait_for_count(&testid("move-error"), 0).await;
        // Accepted and confirmed are not told apart by their text alone.
        let confirmed = app
            .script_on(&format!("{} .badge[data-value]", testid("placement-row")), badge_fill)
            .await;
        assert_ne!(accepted, confirmed, "accepted and confirmed share one colour");
        // The screening card says what its number counts.
        app.wait_for_js(
            "document.querySelector('[data-testid=screening-counts]').textContent.replace(/\\s+/g, ' ').trim()",
            Value::from("Cleared 1 placement"),
        )
        .await;

        // The dashboard counts what was made.
        app.click(&testid("nav-dashboard")).await;
        for (entity, count) in [
            ("person", "1"),
            ("institution", "2"),
            ("program", "1"),
            ("cohort", "1"),
            ("placement", "1"),
        ] {
            app.wait_for_text(&testid(&format!("count-{entity}")), count)
                .await;
        }
        let placements = app.exdesk_json(&["placement", "list", "--json"]);
        let placement = &placements[0];
        assert_eq!(placement["status"], "confirmed", "{placements}");
        assert_eq!(placement["screening"], "cleared", "{placements}");

        // Withdrawn, then taken back when the cohort has filled up meanwhile: the reopen
        // is refused as past capacity, and made past it on a second word from the row.
        let id = placement["id"].as_str().expect("an id");
        let cohort = placement["cohort_id"].as_str().expect("a cohort");
        app.exdesk_json(&[
            "placement",
            "update",
            id,
            "--json",
            r#"{"status":"withdrawn"}"#,
        ]);
        app.exdesk_json(&["cohort", "update", cohort, "--json", r#"{"capacity":1}"#]);
        let noa = app.exdesk_json(&[
            "person",
            "add",
            "--json",
            r#"{"given_name":"Noa","family_name":"Katz"}"#,
        ]);
        let noa_placed = serde_json::json!({"person_id": noa["id"], "cohort_id": cohort});
        app.exdesk_json(&["placement", "add", "--json", &noa_placed.to_string()]);
        app.click(&testid("nav-cohorts")).await;
        app.click(&testid("cohort-row")).await;
        app.wait_for_count(&testid("placement-row"), 2).await;
        let select = format!(r#"{}[data-id="{id}"]"#, testid("status-select"));
        // Picked with the mouse: the list moves the row at once and goes back to its
        // prompt.
        app.script_on(
            &select,
            "const s = arguments[0]; s.value = 'confirmed'; \
             s.dispatchEvent(new Event('change', {bubbles: true}));",
        )
        .await;
        app.click_js(&testid("reopen")).await;
        // The name is isolated (FSI…PDI) in the sentence: read without the marks.
        let asked = app
            .text(&testid("confirm-dialog"))
            .await
            .replace(['\u{2068}', '\u{2069}'], "");
        assert!(
            asked.contains("Reopen the placement of Dana Cohen?") && asked.contains("Move Dana Cohen from"),
            "the reopen question does not name the person: {asked:?}"
        );
        app.click_js(&testid("confirm-yes")).await;
        app.click_js(&testid("move-past-capacity")).await;
        app.wait_for_count(&testid("move-error"), 0).await;
        let app_ref = &app;
        app.eventually("the placement confirmed again", || async move {
            let now = app_ref.exdesk_json(&["placement", "get", id]);
            if now["status"] == "confirmed" {
                Ok(())
            } else {
                Err(format!("it is {}", now["status"]))
            }
        })
        .await;

        // Adding to the full cohort: the form says so before it is filled, with the
        // override right under the cohort; a save without it is refused there, the choice
        // in view; with it ticked, the placement is made.
        let eli = app.exdesk_json(&[
            "person",
            "add",
            "--json",
            r#"{"given_name":"Eli","family_name":"Stern"}"#,
        ]);
        assert!(eli["id"].is_string(), "{eli}");
        app.click_js(&testid("add-placement")).await;
        let notice = app
            .text(&format!("{} {}", testid("form-placement"), testid("cohort-full-notice")))
            .await;
        assert!(notice.contains("full"), "{notice:?}");
        let under_cohort = app
            .script_on(
                &testid("capacity-override"),
                "return arguments[0].previousElementSibling.dataset.field;",
            )
            .await;
        assert_eq!(under_cohort, Value::from("cohort_id"));
        pick(&app, "placement", "person_id", "Eli", "Eli").await;
        app.click_js(&format!("{} {}", testid("form-dialog"), testid("save")))
            .await;
        app.find(&testid("field-error-cohort_id")).await;
        app.wait_for_js(
            "(() => { const box = document.querySelector('[data-testid=capacity-override]');              const body = box && box.closest('.dialog-body, [role=dialog]');              if (!box || !body) return false;              const b = box.getBoundingClientRect(), v = body.getBoundingClientRect();              return b.top >= v.top && b.bottom <= v.bottom; })()",
            Value::from(true),
        )
        .await;
        app.screenshot("workflow_add_full_refused").await;
        app.click_js(&testid("override-capacity")).await;
        save(&app).await;
        app.wait_for_count(&testid("placement-row"), 3).await;
    })
    .await;
}

/// The field `name` of the open form of `entity`.
fn field(entity: &str, name: &str) -> String {
    format!(
        "{} {}",
        testid(&format!("form-{entity}")),
        testid(&format!("field-{name}"))
    )
}

/// Types `text` into an empty field and checks that the field holds it.
async fn fill(app: &App, entity: &str, name: &str, text: &str) {
    let css = field(entity, name);
    app.type_into(&css, text).await;
    let held = app.script_on(&css, "return arguments[0].value;").await;
    assert_eq!(
        held,
        Value::from(text),
        "`{css}` does not hold what was typed"
    );
}

/// Types `query` into a reference picker and picks the option that shows `shown`.
async fn pick(app: &App, entity: &str, name: &str, query: &str, shown: &str) {
    let css = field(entity, name);
    app.type_into(&css, query).await;
    let option = app
        .eventually(&format!("`{css}` offers {shown:?}"), || async move {
            let options = app
                .client()
                .find_all(Locator::Css(&testid("ref-option")))
                .await
                .map_err(|err| err.to_string())?;
            let mut seen = Vec::new();
            for option in options {
                let text = option.text().await.map_err(|err| err.to_string())?;
                if text.contains(shown) {
                    return Ok(option);
                }
                seen.push(text);
            }
            Err(format!("it offers {seen:?}"))
        })
        .await;
    let arg = serde_json::to_value(&option).expect("an element serialises");
    app.client()
        .execute("arguments[0].click();", vec![arg])
        .await
        .expect("click the option");
    app.wait_for_count(&testid("ref-option"), 0).await;
}

/// Saves the open form and waits until its dialog has closed.
async fn save(app: &App) {
    app.click_js(&format!("{} {}", testid("form-dialog"), testid("save")))
        .await;
    let app_ref = app;
    app.eventually("the form dialog closes", || async move {
        let dialogs = app_ref
            .client()
            .find_all(Locator::Css(&testid("form-dialog")))
            .await
            .map_err(|err| err.to_string())?;
        if dialogs.is_empty() {
            return Ok(());
        }
        let errors = app_ref
            .client()
            .execute(
                "return [...document.querySelectorAll('[data-testid=form-error], [data-testid^=field-error-]')]\
                 .map(e => e.textContent.trim()).filter(Boolean).join(' | ');",
                Vec::new(),
            )
            .await
            .map_err(|err| err.to_string())?;
        Err(format!("it is still open (errors: {errors})"))
    })
    .await;
}

/// Waits until the (only) placement row shows `status`.
async fn wait_status(app: &App, status: &str) {
    app.find(&format!(
        r#"{}[data-status="{status}"]"#,
        testid("placement-row")
    ))
    .await;
}
