//! Writes the window's size and place to disk soon after each change, not only when the
//! app exits normally: tauri-plugin-window-state saves on `RunEvent::Exit` alone, which a
//! killed app (a session logout, a crash, the end of a WebDriver session) never reaches.

use std::sync::mpsc;
use std::time::Duration;

use tauri::{Manager, Runtime, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window must rest before its state is written (a drag sends many events).
const QUIET: Duration = Duration::from_millis(400);

/// Saves the state of every window a short while after `window` is resized or moved, and
/// at once when it is asked to close. (The plugin itself restores it when the window is
/// created: that part works.)
pub fn save_as_it_changes<R: Runtime>(window: &WebviewWindow<R>) {
    let (changed, changes) = mpsc::channel::<bool>();
    let app = window.app_handle().clone();
    std::thread::spawn(move || {
        // Wait for a change, then for QUIET without one (or a close), then save.
        while let Ok(mut now) = changes.recv() {
            while !now {
                match changes.recv_timeout(QUIET) {
                    Ok(close) => now = close,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            // On the main thread: the plugin holds its state's lock while it reads the
            // window, and reading a window from another thread waits for the main
            // thread, whose window-event handler in the plugin takes that same lock. Saved
            // from this thread, a resize at startup deadlocked the app (a blank window).
            let on_main = app.clone();
            let _ = app.run_on_main_thread(move || {
                if let Err(err) = on_main.save_window_state(StateFlags::all()) {
                    eprintln!("exchange-desk: cannot save the window's size and place: {err}");
                }
            });
        }
    });
    window.on_window_event(move |event| {
        let close = match event {
            WindowEvent::Resized(_) | WindowEvent::Moved(_) => false,
            WindowEvent::CloseRequested { .. } => true,
            _ => return,
        };
        let _ = changed.send(close);
    });
}
