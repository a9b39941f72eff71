//! The app's one piece of managed state: the database opened at startup, or the reason it
//! could not be opened (which the UI shows instead of crashing).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use exdesk_core::dto::IpcError;
use exdesk_core::{Db, ErrorCode, default_db_path};

/// Environment variable naming the database file to open instead of the per-user one.
pub const DB_ENV: &str = "EXDESK_DB";

/// Environment variable that, set to `1`, lets the UI show the path fields end-to-end
/// tests type into (native file dialogs cannot be driven by WebDriver).
pub const E2E_ENV: &str = "EXDESK_E2E";

/// The open database, or the error that kept it closed, and the cancel switch of the
/// long job running (an import).
pub struct AppState {
    db: Result<Mutex<Db>, IpcError>,
    cancel: Arc<AtomicBool>,
}

impl AppState {
    /// Opens `$EXDESK_DB` when set, else the per-user database (created and migrated
    /// when needed). A failure is kept, not raised: every command then returns it.
    pub fn open() -> AppState {
        let path = std::env::var_os(DB_ENV)
            .filter(|p| !p.is_empty())
            .map_or_else(default_db_path, PathBuf::from);
        AppState {
            db: Db::open(&path).map(Mutex::new).map_err(IpcError::from),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Starts a cancellable job: clears the switch and hands it to the job, which polls
    /// it between steps.
    pub fn start_job(&self) -> Arc<AtomicBool> {
        self.cancel.store(false, Ordering::SeqCst);
        Arc::clone(&self.cancel)
    }

    /// Asks the running job to stop (it stops at its next step; an import then rolls
    /// back, so nothing is written).
    pub fn cancel_job(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Runs one core operation on the database and converts its error for the UI.
    ///
    /// A panic in core is a bug, but it must not leave the UI waiting forever on a
    /// promise that never settles, nor poison the lock for every later command: it is
    /// reported as an `internal` error instead.
    pub fn with<T>(
        &self,
        op: impl FnOnce(&mut Db) -> exdesk_core::Result<T>,
    ) -> Result<T, IpcError> {
        let db = self.db.as_ref().map_err(Clone::clone)?;
        let mut db = db.lock().unwrap_or_else(PoisonError::into_inner);
        match catch_unwind(AssertUnwindSafe(|| op(&mut db))) {
            Ok(result) => result.map_err(IpcError::from),
            Err(panic) => Err(internal(&panic)),
        }
    }
}

/// An error of the shell itself (a background job that could not finish), in the same
/// shape as core's.
pub fn internal_error(detail: &str) -> IpcError {
    IpcError {
        code: ErrorCode::Internal,
        message: format!("Exchange Desk hit an internal error ({detail}); nothing was changed."),
        field: None,
        problems: Vec::new(),
    }
}

fn internal(panic: &Box<dyn std::any::Any + Send>) -> IpcError {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_owned());
    internal_error(&detail)
}
