//! The people list of a few thousand people: virtualised (the DOM holds only the rows in
//! view), driven with the keyboard to the very end, and the last person opens.

use exdesk_e2e::{App, Start, Value, en_us, run};
use fantoccini::key::Key;

use crate::testid;

const PEOPLE: u32 = 3000;

#[tokio::test]
async fn people_list_scrolls_to_the_end_with_the_keyboard() {
    run(
        "people_list_scrolls_to_the_end_with_the_keyboard",
        Start::Generated(PEOPLE),
        |app| async move {
            // The order the list shows (family name, then given name): the CLI's default.
            let people = app.exdesk_json(&["person", "list", "--json"]);
            let people = people.as_array().expect("person list is an array").clone();
            assert_eq!(
                people.len(),
                PEOPLE as usize,
                "gen made another number of people"
            );
            let last = &people[people.len() - 1];
            let last_id = last["id"].as_str().expect("a person's id").to_owned();

            app.ready().await;
            app.click(&testid("nav-people")).await;
            app.find(&testid("person-row")).await;
            let range = app.text(&testid("people-range")).await;
            assert!(
                range.ends_with(&en_us(u64::from(PEOPLE))),
                "the range {range:?} does not count {PEOPLE} people"
            );
            assert_window(&app).await;

            let grid = testid("person-row-grid");
            press(&app, &grid, Key::End).await;
            let last_row = format!(r#"{}[data-index="{}"]"#, testid("person-row"), PEOPLE - 1);
            app.wait_for_js(&active_id(), Value::from(last_id.clone()))
                .await;
            app.find(&last_row).await;
            assert_window(&app).await;
            app.screenshot("people_list_end").await;
            assert_active_in_view(&app).await;

            // Up one, a page up, and back to the end: the active row follows.
            press(&app, &grid, Key::Up).await;
            app.wait_for_js(&active_index(), Value::from(i64::from(PEOPLE) - 2))
                .await;
            press(&app, &grid, Key::PageUp).await;
            let after_page_up: i64 = app
                .client()
                .execute(&format!("return {};", active_index()), Vec::new())
                .await
                .expect("read the active row")
                .as_i64()
                .expect("the active row has an index");
            assert!(
                after_page_up < i64::from(PEOPLE) - 3,
                "PageUp moved the active row only to {after_page_up}"
            );
            press(&app, &grid, Key::Home).await;
            app.wait_for_js(&active_index(), Value::from(0)).await;
            assert_active_in_view(&app).await;
            press(&app, &grid, Key::End).await;
            app.wait_for_js(&active_id(), Value::from(last_id.clone()))
                .await;

            // Enter opens the active person.
            press(&app, &grid, Key::Enter).await;
            app.find(&testid("person-page")).await;
            let title = app.text(&testid("person-title")).await;
            let family = last["family_name"]
                .as_str()
                .or_else(|| last["family_name_he"].as_str())
                .expect("the person has a family name");
            assert!(
                title.contains(family),
                "the person page shows {title:?}, not the last person ({family})"
            );
            // The list that had the focus is gone: the keyboard starts again from the
            // page's heading, not from the top of the window.
            app.wait_for_js("document.activeElement?.tagName ?? null", Value::from("H1"))
                .await;

            // Back to the list: still at its end.
            app.click(&testid("nav-people")).await;
            app.find(&last_row).await;
            assert_window(&app).await;
        },
    )
    .await;
}

/// The DOM holds a window of rows, not the whole list.
async fn assert_window(app: &App) {
    let rows = app
        .client()
        .execute(
            &format!(
                "return document.querySelectorAll('{}').length;",
                testid("person-row")
            ),
            Vec::new(),
        )
        .await
        .expect("count the rows")
        .as_u64()
        .expect("a count");
    assert!(
        (1..=120).contains(&rows),
        "the DOM holds {rows} person rows of {PEOPLE}: not a window"
    );
}

/// The active row is wholly in view, below the sticky header.
async fn assert_active_in_view(app: &App) {
    let script = format!(
        "const g = document.querySelector('{grid}'); \
         const a = g.querySelector('.vrow.active').getBoundingClientRect(); \
         const h = g.querySelector('.ghead').getBoundingClientRect(); \
         const v = g.getBoundingClientRect(); \
         return a.top >= h.bottom - 1 && a.bottom <= v.bottom + 1;",
        grid = testid("person-row-grid")
    );
    let seen = app
        .client()
        .execute(&script, Vec::new())
        .await
        .expect("measure the active row");
    assert_eq!(
        seen,
        Value::Bool(true),
        "the active row is not wholly in view"
    );
}

/// Sends one key to the element matching `css`.
async fn press(app: &App, css: &str, key: Key) {
    let element = app.find(css).await;
    element
        .send_keys(&char::from(key).to_string())
        .await
        .unwrap_or_else(|err| panic!("cannot press {key:?} on `{css}`: {err}"));
}

/// A script expression: the id of the active row, once it is rendered.
fn active_id() -> String {
    format!(
        "(document.querySelector('{} .vrow.active') || {{dataset: {{}}}}).dataset.id || null",
        testid("person-row-grid")
    )
}

/// A script expression: the index of the active row, once it is rendered.
fn active_index() -> String {
    format!(
        "Number((document.querySelector('{} .vrow.active') || {{dataset: {{index: -1}}}}).dataset.index)",
        testid("person-row-grid")
    )
}

/// "Save and add another" in the new-person form: the person is saved, the form is ready
/// for the next one, and the note saying who was saved is in view (at the form's top,
/// where the focus goes back to), not below the fold of a long form.
#[tokio::test]
async fn save_and_add_another_says_who_was_saved_where_it_is_seen() {
    run(
        "save_and_add_another_says_who_was_saved_where_it_is_seen",
        Start::Demo,
        |app| async move {
            app.ready().await;
            app.click(&testid("nav-people")).await;
            app.click_js(&testid("new-person")).await;
            let form = testid("form-person");
            for (name, text) in [("given_name", "Noa"), ("family_name", "Testerman")] {
                app.type_into(&format!("{form} {}", testid(&format!("field-{name}"))), text)
                    .await;
            }
            app.click_js(&format!("{} {}", testid("form-dialog"), testid("save-and-add")))
                .await;
            app.find(&testid("form-note")).await;
            let note = app.text(&testid("form-note")).await;
            assert!(note.contains("Noa Testerman"), "{note}");
            // The note is inside the dialog's visible box.
            app.wait_for_js(
                &format!(
                    "(() => {{ const n = document.querySelector('{}').getBoundingClientRect(); \
                       const d = document.querySelector('{}').getBoundingClientRect(); \
                       return n.top >= d.top && n.bottom <= Math.min(d.bottom, window.innerHeight); }})()",
                    testid("form-note"),
                    testid("form-dialog")
                ),
                Value::Bool(true),
            )
            .await;
            app.wait_for_js(
                &format!(
                    "document.querySelector('{form} {}').value",
                    testid("field-given_name")
                ),
                Value::from(""),
            )
            .await;
            app.screenshot("save_and_add_another").await;
            let found = app.exdesk_json(&["person", "list", "--query", "Testerman", "--json"]);
            assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");

            // The list behind says nothing of it (the form did); a plain Save of the next
            // one closes the form and the list says who was saved, its row (sorted near the
            // end by family name, below the first screen) scrolled into view and marked.
            app.wait_for_text(&testid("list-saved"), "").await;
            for (name, text) in [("given_name", "Lior"), ("family_name", "Zzyzx")] {
                app.type_into(&format!("{form} {}", testid(&format!("field-{name}"))), text)
                    .await;
            }
            app.click_js(&format!("{} {}", testid("form-dialog"), testid("save")))
                .await;
            app.wait_for_count(&testid("form-dialog"), 0).await;
            app.wait_for_text(&testid("list-saved"), "Saved “Lior Zzyzx”.")
                .await;
            let marked = format!(r#"{}[data-saved="true"]"#, testid("person-row"));
            let shown = app.text(&marked).await;
            assert!(shown.contains("Zzyzx"), "the marked row is {shown:?}");
            app.wait_for_js(
                &format!(
                    "(() => {{ const r = document.querySelector('{}').getBoundingClientRect(); \
                       const g = document.querySelector('{}').getBoundingClientRect(); \
                       return r.top >= g.top && r.bottom <= g.bottom; }})()",
                    marked,
                    testid("person-row-grid")
                ),
                Value::Bool(true),
            )
            .await;
            app.screenshot("new_person_saved_in_list").await;
        },
    )
    .await;
}
