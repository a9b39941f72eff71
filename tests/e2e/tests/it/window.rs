//! The window's size is remembered: resized, the app writes it down soon (not only on a
//! normal exit), and started again on the same configuration directory it opens at that
//! size.

use exdesk_e2e::{App, Start, Value, run};

const SIZE: (u64, u64) = (1100, 700);

#[tokio::test]
async fn window_size_is_remembered() {
    run(
        "window_size_is_remembered",
        Start::Demo,
        |mut app| async move {
            app.ready().await;
            let first = app
                .client()
                .get_window_size()
                .await
                .expect("the window size");
            assert_ne!(first, SIZE, "the window starts at the size the test sets");
            app.client()
                .set_window_size(SIZE.0 as u32, SIZE.1 as u32)
                .await
                .expect("resize the window");
            let app_ref = &app;
            app.eventually("the window takes the new size", || async move {
                let now = app_ref
                    .client()
                    .get_window_size()
                    .await
                    .map_err(|e| e.to_string())?;
                if now == SIZE {
                    Ok(())
                } else {
                    Err(format!("it is {now:?}"))
                }
            })
            .await;
            app.eventually("the window state is written", || async move {
                match saved_size(app_ref) {
                    Some(size) if size == SIZE => Ok(()),
                    other => Err(format!("it holds {other:?}")),
                }
            })
            .await;

            app.restart().await;
            app.ready().await;
            let again = app
                .client()
                .get_window_size()
                .await
                .expect("the window size");
            assert_eq!(again, SIZE, "the size was not restored");
        },
    )
    .await;
}

/// The main window's size in the state file, if it is there.
fn saved_size(app: &App) -> Option<(u64, u64)> {
    let path = app
        .config_dir()
        .join("org.exchangedesk.desktop/.window-state.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    Some((
        json["main"]["width"].as_u64()?,
        json["main"]["height"].as_u64()?,
    ))
}
