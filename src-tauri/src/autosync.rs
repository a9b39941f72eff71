//! The thread that runs shared-folder sync rounds by itself. The rules (when a round is
//! due, what counts as a change) are core's [`AutoSync`]; this thread only gives it the
//! time once a second, runs the round it asks for (one at a time, never on the UI
//! thread) and tells the window: [`SYNC_STATUS`] with the new status, and
//! [`SYNC_IMPORTED`] when a round brought changes in, so the UI reloads what it shows.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use exdesk_core::autosync::{AutoSync, AutoSyncStatus, error_text, folder_state, imported_changes};
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// Event with the automatic sync's status (payload: `AutoSyncStatus`).
pub const SYNC_STATUS: &str = "sync-status";
/// Event after a round that imported changes (payload: the number of changes).
pub const SYNC_IMPORTED: &str = "sync-imported";

/// How often the thread looks (the change mark, and the folder when core says so).
const TICK: Duration = Duration::from_secs(1);

/// The managed handle: the scheduler's status, and a way to wake the thread.
pub struct AutoSyncHandle {
    scheduler: Arc<Mutex<AutoSync>>,
    wake: Mutex<Sender<()>>,
}

impl AutoSyncHandle {
    pub fn status(&self) -> AutoSyncStatus {
        lock(&self.scheduler).status()
    }

    /// Looks again at once (after the folder or the on/off switch changed).
    pub fn wake(&self) {
        // A thread that is gone (the app is closing) has nothing left to do.
        let _ = lock(&self.wake).send(());
    }

    /// Asks for a round now, automatic sync on or off.
    pub fn request(&self) {
        lock(&self.scheduler).request();
        self.wake();
    }
}

/// Starts the thread and registers its handle as managed state.
pub fn start(app: &AppHandle) {
    let scheduler = Arc::new(Mutex::new(AutoSync::new()));
    let (tx, rx) = mpsc::channel();
    app.manage(AutoSyncHandle {
        scheduler: Arc::clone(&scheduler),
        wake: Mutex::new(tx),
    });
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("auto-sync".into())
        .spawn(move || run(&app, &scheduler, &rx));
    if let Err(err) = spawned {
        eprintln!("exchange-desk: automatic sync is off, its thread did not start: {err}");
    }
}

fn run(app: &AppHandle, scheduler: &Mutex<AutoSync>, wake: &Receiver<()>) {
    let state = app.state::<AppState>();
    let mut shown = lock(scheduler).status();
    loop {
        match wake.recv_timeout(TICK) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // A database that did not open has nothing to sync (the UI shows why).
        let Ok((folder, enabled, mark, outbox)) = state.with(|db| {
            Ok((
                db.sync_folder_setting()?,
                db.auto_sync_enabled()?,
                db.change_mark()?,
                db.outbox_name(),
            ))
        }) else {
            continue;
        };
        let trigger = {
            let look = || folder_state(Path::new(folder.as_deref().unwrap_or("")), &outbox);
            lock(scheduler).tick(now_ms(), folder.as_deref(), enabled, mark, look)
        };
        if let (Some(trigger), Some(folder)) = (trigger, folder) {
            let before = folder_state(Path::new(&folder), &outbox);
            lock(scheduler).begin(trigger, before);
            shown = tell(app, scheduler, shown);
            let outcome = state.with(|db| {
                let summary = db.sync_folder(Path::new(&folder));
                Ok((summary, db.change_mark()?))
            });
            let (outcome, mark) = match outcome {
                Ok((Ok(summary), mark)) => (Ok(summary), mark),
                Ok((Err(err), mark)) => (Err(error_text(&err)), mark),
                Err(err) => (Err(err.message), mark),
            };
            lock(scheduler).finish(now_ms(), mark, outcome);
            shown = tell(app, scheduler, shown);
            let changes = imported_changes(&shown);
            if changes > 0 {
                let _ = app.emit(SYNC_IMPORTED, changes);
            }
        } else {
            shown = tell(app, scheduler, shown);
        }
    }
}

/// Sends the status to the window when it differs from what was sent last.
fn tell(app: &AppHandle, scheduler: &Mutex<AutoSync>, shown: AutoSyncStatus) -> AutoSyncStatus {
    let status = lock(scheduler).status();
    if status != shown {
        // A window that is gone only misses the news.
        let _ = app.emit(SYNC_STATUS, &status);
    }
    status
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
