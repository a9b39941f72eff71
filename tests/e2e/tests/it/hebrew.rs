//! Searching a Hebrew name from the top bar, and the whole layout turning right-to-left
//! when Hebrew is chosen (and back when English is).

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

        // And back.
        app.choose(&testid("lang-switch"), "en").await;
        app.wait_for_js("document.documentElement.dir", Value::from("ltr"))
            .await;
        app.wait_for_js("document.documentElement.lang", Value::from("en"))
            .await;
    })
    .await;
}
