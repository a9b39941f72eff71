//! Searching a Hebrew name from the top bar, and the whole layout turning right-to-left
//! when Hebrew is chosen (and back when English is); names in lists keep the direction of
//! their own script.

use exdesk_e2e::{Locator, Start, Value, run};

use crate::testid;

/// The start of a common Hebrew family name (כהן, כהנא…).
const PREFIX: &str = "כה";

#[tokio::test]
async fn hebrew_search_and_rtl() {
    run("hebrew_search_and_rtl", Start::Demo, |app| async move {
        app.ready().await;
        app.wait_for_js("document.documentElement.dir", Value::from("ltr"))
            .await;

        app.type_into(&testid("global-search"), PREFIX).await;
        let app_ref = &app;
        let (hit, title) = app
            .eventually(&format!("a person hit for {PREFIX:?}"), || async move {
                let hits = app_ref
                    .client()
                    .find_all(Locator::Css(&testid("search-hit")))
                    .await
                    .map_err(|err| err.to_string())?;
                let mut seen = Vec::new();
                for hit in hits {
                    let text = hit.text().await.map_err(|err| err.to_string())?;
                    if text.contains("Person") && text.contains(PREFIX) {
                        return Ok((hit, text));
                    }
                    seen.push(text);
                }
                Err(format!("the hits are {seen:?}"))
            })
            .await;
        let arg = serde_json::to_value(&hit).expect("an element serialises");
        app.client()
            .execute("arguments[0].click();", vec![arg])
            .await
            .expect("click the hit");
        let shown = app.text(&testid("person-title")).await;
        assert!(!shown.is_empty(), "the person page has an empty title");
        assert!(
            title.contains(&shown) || shown.contains(PREFIX),
            "opened {shown:?}, but the hit was {title:?}"
        );

        // Hebrew: the whole document turns right-to-left.
        app.choose(&testid("lang-switch"), "he").await;
        app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
            .await;
        app.wait_for_js("document.documentElement.lang", Value::from("he"))
            .await;
        app.find(&testid("person-title")).await;
        // The Hebrew layout, kept on its own (the test's screenshot is in English).
        app.screenshot("hebrew_layout").await;

        // A validation error of core, shown in Hebrew from its message code: the
        // person's e-mail made invalid, then saved.
        app.type_into(&testid("field-email"), "@@").await;
        app.click_js(&format!("{} {}", testid("person-page"), testid("save")))
            .await;
        let app_ref = &app;
        let shown = app
            .eventually("the e-mail error in Hebrew", || async move {
                let text = app_ref.text_now(&testid("field-error-email")).await?;
                if text.contains("אינה כתובת דוא״ל") {
                    Ok(text)
                } else {
                    Err(format!("the e-mail error reads {text:?}"))
                }
            })
            .await;
        assert!(
            !shown.contains("is not an e-mail address"),
            "English left in {shown:?}"
        );
        // The sentence is Hebrew though it starts with the quoted Latin address: it takes
        // the UI's direction, not that of its first letter.
        let direction = app
            .script_on(
                &testid("field-error-email"),
                "return getComputedStyle(arguments[0]).direction;",
            )
            .await;
        assert_eq!(
            direction,
            Value::from("rtl"),
            "the Hebrew e-mail error {shown:?} is laid out {direction}"
        );
        app.screenshot("hebrew_validation").await;

        // A country typed by name where codes go: the error of one item of the list is
        // shown under the box the list is typed in (it was dropped, and Save did nothing).
        app.type_into(&testid("field-citizenships"), ", ישראל")
            .await;
        app.click_js(&format!("{} {}", testid("person-page"), testid("save")))
            .await;
        let app_ref = &app;
        app.eventually("the citizenships error", || async move {
            let text = app_ref
                .text_now(&testid("field-error-citizenships"))
                .await?;
            if text.contains("ישראל") {
                Ok(text)
            } else {
                Err(format!("the citizenships error reads {text:?}"))
            }
        })
        .await;

        // A date typed day first, as in Israel, is written YYYY-MM-DD when the field is
        // left (the form took only YYYY-MM-DD).
        let birth = testid("field-birth_date");
        app.script_on(&birth, "arguments[0].value = '';").await;
        app.type_into(&birth, "14/03/1997\t").await;
        app.wait_for_js(
            &format!("document.querySelector('{birth}').value"),
            Value::from("1997-03-14"),
        )
        .await;

        // And back.
        app.choose(&testid("lang-switch"), "en").await;
        app.wait_for_js("document.documentElement.dir", Value::from("ltr"))
            .await;
        app.wait_for_js("document.documentElement.lang", Value::from("en"))
            .await;
    })
    .await;
}

/// The names in a list (`[dir="auto"]` items, clipped at their end) whose direction is not
/// that of their own script: a Hebrew name must be laid out right to left and a Latin one
/// left to right, so that each keeps its start and loses its end when it is too long.
const MISDIRECTED: &str = r#"
    const items = [...document.querySelectorAll(arguments[0])];
    const script = (e) => (e.textContent.match(/[A-Za-z\u0590-\u05FF]/) ?? [''])[0];
    const hebrew = items.filter((e) => /[\u0590-\u05FF]/.test(script(e))).length;
    const latin = items.filter((e) => /[A-Za-z]/.test(script(e))).length;
    const wrong = items
        .filter((e) => script(e) && (getComputedStyle(e).direction === 'rtl') !== /[\u0590-\u05FF]/.test(script(e)))
        .map((e) => e.textContent);
    return { hebrew: hebrew > 0, latin: latin > 0, wrong };
"#;

#[tokio::test]
async fn names_keep_their_own_direction_in_hebrew() {
    run(
        "names_keep_their_own_direction_in_hebrew",
        Start::Demo,
        |app| async move {
            app.ready().await;
            app.choose(&testid("lang-switch"), "he").await;
            app.wait_for_js("document.documentElement.dir", Value::from("rtl"))
                .await;
            for (section, names) in [
                (
                    "institutions",
                    r#"[data-testid="institution-row"] [dir="auto"]"#,
                ),
                (
                    "agreements",
                    r#"[data-testid="agreement-row"] [dir="auto"]"#,
                ),
            ] {
                app.click(&testid(&format!("nav-{section}"))).await;
                let app_ref = &app;
                app.eventually(
                    &format!("the {section} names in their own direction"),
                    || async move {
                        let seen = app_ref
                            .client()
                            .execute(MISDIRECTED, vec![Value::from(names)])
                            .await
                            .map_err(|err| err.to_string())?;
                        if seen["hebrew"] == Value::Bool(true)
                            && seen["latin"] == Value::Bool(true)
                            && seen["wrong"] == Value::Array(Vec::new())
                        {
                            Ok(())
                        } else {
                            Err(format!("the names are {seen}"))
                        }
                    },
                )
                .await;
            }
            // The pipeline's institution lines likewise.
            app.click(&testid("nav-cohorts")).await;
            app.click(&testid("open-pipeline")).await;
            app.find(&testid("placement-row")).await;
            let app_ref = &app;
            app.eventually(
                "the pipeline's names in their own direction",
                || async move {
                    let seen = app_ref
                        .client()
                        .execute(
                            MISDIRECTED,
                            vec![Value::from(r#"[data-testid="placement-row"] [dir="auto"]"#)],
                        )
                        .await
                        .map_err(|err| err.to_string())?;
                    if seen["hebrew"] == Value::Bool(true)
                        && seen["wrong"] == Value::Array(Vec::new())
                    {
                        Ok(())
                    } else {
                        Err(format!("the names are {seen}"))
                    }
                },
            )
            .await;
            numbers_headed_at_their_end(&app, "placement-row").await;
            app.screenshot("pipeline_names_hebrew").await;
            app.click(&testid("nav-cohorts")).await;
            app.find(&testid("cohort-row")).await;
            numbers_headed_at_their_end(&app, "cohort-row").await;
        },
    )
    .await;
}

/// Checks that in the table of `row`s every column of numbers (cells aligned to their
/// end) has its header aligned to the same side, the inline end: left in Hebrew.
async fn numbers_headed_at_their_end(app: &exdesk_e2e::App, row: &str) {
    let script = format!(
        r#"const row = document.querySelector('[data-testid="{row}"]');
           const heads = [...row.parentElement.querySelector('[role="row"]').children];
           return heads.filter((h, i) => row.children[i]?.classList.contains('num')
               && getComputedStyle(h).textAlign !== 'end').map((h) => h.textContent.trim());"#
    );
    let wrong = app
        .client()
        .execute(&script, Vec::new())
        .await
        .expect("the headers are read");
    assert_eq!(
        wrong,
        Value::Array(Vec::new()),
        "headers of number columns not at the end in the {row} table"
    );
}
