//! The very first start, on an empty database, offers the demo data or an empty start.

use exdesk_e2e::{Start, en_us, run};

use crate::testid;

#[tokio::test]
async fn first_start_offers_demo() {
    run("first_start_offers_demo", Start::Empty, |app| async move {
        app.ready().await;
        app.find(&testid("onboard-empty")).await;
        app.click(&testid("onboard-demo")).await;

        let app_ref = &app;
        let shown = app
            .eventually("the dashboard counts people", || async move {
                let text = app_ref.text_now(&testid("count-person")).await?;
                match text.replace(',', "").parse::<u64>() {
                    Ok(people) if people > 0 => Ok(text),
                    _ => Err(format!("it shows {text:?}")),
                }
            })
            .await;
        let stats = app.exdesk_json(&["stats", "--json"]);
        let people = stats["counts"]["person"]
            .as_u64()
            .expect("a count of people");
        assert_eq!(
            shown,
            en_us(people),
            "the dashboard and `exdesk stats` disagree"
        );
    })
    .await;
}
