//! The app's one piece of managed state: the database opened at startup, or the reason it
//! could not be opened (which the UI shows instead of crashing). A locked (encrypted)
//! database is opened later, when the user unlocks it; a restore reopens it in place.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use exdesk_core::dto::{CheckReport, DbInfo, IpcError};
use exdesk_core::safety::{self, BackupFile, Detached, RestoreSummary};
use exdesk_core::{Db, Error, ErrorCode, default_db_path};

/// Environment variable naming the database file to open instead of the per-user one.
pub const DB_ENV: &str = "EXDESK_DB";

/// Environment variable that, set to `1`, lets the UI show the path fields end-to-end
/// tests type into (native file dialogs cannot be driven by WebDriver).
pub const E2E_ENV: &str = "EXDESK_E2E";

/// The database as the app holds it.
enum Slot {
    Open(Db),
    /// Open, but its quick_check found damage: ordinary commands get `damaged`, only
    /// the restore commands reach it.
    Damaged(Db, IpcError),
    /// Not open: locked (encrypted, no passphrase yet), damaged beyond opening, newer…
    Closed(IpcError),
}

/// The open database (or why it is not open), the result of the check made when it
/// opened, and the cancel switch of the long job running (an import).
pub struct AppState {
    path: PathBuf,
    slot: Mutex<Slot>,
    /// The quick_check made at open (small files); `None` until the deferred one ran.
    check: Mutex<Option<CheckReport>>,
    cancel: Arc<AtomicBool>,
    /// Today's daily backup, waiting for the first screen (see [`AppState::startup_check`]).
    pending_backup: Arc<Mutex<Option<Detached>>>,
}

/// The daily backup starts once the first screen is drawn and the database passed its
/// check, or at the latest this long after the database opened (should the UI never ask).
const BACKUP_AT_THE_LATEST: Duration = Duration::from_secs(10);

impl AppState {
    /// Opens `$EXDESK_DB` when set, else the per-user database (created and migrated
    /// when needed). A failure is kept, not raised: every command then returns it.
    pub fn open() -> AppState {
        let path = std::env::var_os(DB_ENV)
            .filter(|p| !p.is_empty())
            .map_or_else(default_db_path, PathBuf::from);
        let (slot, check) = open_slot(Db::open(&path));
        let state = AppState {
            path,
            slot: Mutex::new(slot),
            check: Mutex::new(check),
            cancel: Arc::new(AtomicBool::new(false)),
            pending_backup: Arc::default(),
        };
        state.defer_daily_backup(&state.slot());
        state
    }

    /// Prepares today's daily backup of the database just opened without starting it:
    /// copying a multi-gigabyte file on a two-core laptop would slow the first screen.
    /// [`AppState::startup_check`] starts it once the file passed its check; a thread
    /// starts it after [`BACKUP_AT_THE_LATEST`] should that never happen.
    fn defer_daily_backup(&self, slot: &Slot) {
        let Slot::Open(db) = slot else { return };
        let Ok(detached) = db.detached() else { return };
        *lock(&self.pending_backup) = Some(detached);
        let pending = Arc::clone(&self.pending_backup);
        let spawned = std::thread::Builder::new()
            .name("daily-backup-deadline".into())
            .spawn(move || {
                std::thread::sleep(BACKUP_AT_THE_LATEST);
                let Some(detached) = lock(&pending).take() else {
                    return;
                };
                match detached.quick_check() {
                    Ok(report) if report.ok => run_daily_backup(detached),
                    Ok(_) => eprintln!("exchange-desk: no daily backup of a damaged database"),
                    Err(e) => eprintln!("exchange-desk: the daily backup was not made: {e}"),
                }
            });
        if let Err(e) = spawned {
            eprintln!("exchange-desk: the daily backup was not scheduled: {e}");
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_check(&self, check: Option<CheckReport>) {
        *self.check.lock().unwrap_or_else(PoisonError::into_inner) = check;
    }

    /// Opens the encrypted database with `passphrase`. A wrong one is refused
    /// (`wrong_passphrase`) and the database stays locked; the passphrase itself is
    /// never kept here nor put in a message.
    pub fn unlock(&self, passphrase: &str) -> Result<DbInfo, IpcError> {
        let mut slot = self.slot();
        match &*slot {
            Slot::Open(db) => return db.info().map_err(IpcError::from),
            Slot::Closed(e) if matches!(e.code, ErrorCode::Locked | ErrorCode::WrongPassphrase) => {
            }
            Slot::Closed(e) | Slot::Damaged(_, e) => return Err(e.clone()),
        }
        let opened = match Db::open_existing_keyed(&self.path, Some(passphrase)) {
            // Stays locked: the unlock screen shows the refusal and asks again.
            Err(e) if e.code() == ErrorCode::WrongPassphrase => return Err(IpcError::from(e)),
            other => other,
        };
        let (next, check) = open_slot(opened);
        *slot = next;
        self.set_check(check);
        self.defer_daily_backup(&slot);
        match &*slot {
            Slot::Open(db) => db.info().map_err(IpcError::from),
            Slot::Damaged(_, e) | Slot::Closed(e) => Err(e.clone()),
        }
    }

    /// The `quick_check` of the open database: the one made at open for a small file,
    /// else one made now on a connection of its own (a large file is checked while the
    /// app goes on). Damage found closes the database to everything but a restore. The
    /// UI asks once its first screen is drawn; a database that passed then gets today's
    /// daily backup, on a thread of its own (a damaged one none: rotation would drop a
    /// good backup for it).
    pub fn startup_check(&self) -> Result<CheckReport, IpcError> {
        let pending = lock(&self.pending_backup).take();
        let report = self.check_now()?;
        if let Some(detached) = pending.filter(|_| report.ok) {
            start_daily_backup(detached);
        }
        Ok(report)
    }

    fn check_now(&self) -> Result<CheckReport, IpcError> {
        if let Some(report) = self
            .check
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Ok(report);
        }
        let detached = match &*self.slot() {
            Slot::Open(db) => db.detached().map_err(IpcError::from)?,
            Slot::Damaged(_, e) | Slot::Closed(e) => return Err(e.clone()),
        };
        let report = detached.quick_check().map_err(IpcError::from)?;
        if !report.ok {
            let mut slot = self.slot();
            let taken = std::mem::replace(&mut *slot, Slot::Closed(damaged(&report)));
            if let Slot::Open(db) = taken {
                *slot = Slot::Damaged(db, damaged(&report));
            }
        }
        self.set_check(Some(report.clone()));
        Ok(report)
    }

    /// The newest backup that would restore, for the "database is damaged" screen.
    pub fn newest_good_backup(&self) -> Option<BackupFile> {
        match &*self.slot() {
            Slot::Open(db) | Slot::Damaged(db, _) => db.newest_good_backup(),
            Slot::Closed(_) => safety::newest_good_backup(&self.path, None),
        }
    }

    /// Restores `backup` over the database (core checks it first and keeps the replaced
    /// file aside) and reopens it, with the checks made at open.
    pub fn restore(&self, backup: &Path) -> Result<RestoreSummary, IpcError> {
        let mut slot = self.slot();
        let summary = match &mut *slot {
            Slot::Open(db) | Slot::Damaged(db, _) => db.restore_from(backup),
            Slot::Closed(e) if e.code == ErrorCode::Locked => return Err(e.clone()),
            Slot::Closed(_) => safety::restore(&self.path, backup, None),
        }
        .map_err(IpcError::from)?;
        let taken = std::mem::replace(&mut *slot, Slot::Closed(internal_error("reopening")));
        let reopened = match taken {
            Slot::Open(db) | Slot::Damaged(db, _) => Ok(db),
            Slot::Closed(_) => Db::open_existing(&self.path),
        };
        let (next, check) = open_slot(reopened);
        *slot = next;
        self.set_check(check);
        self.defer_daily_backup(&slot);
        Ok(summary)
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
        let mut slot = self.slot();
        let db = match &mut *slot {
            Slot::Open(db) => db,
            Slot::Damaged(_, e) | Slot::Closed(e) => return Err(e.clone()),
        };
        match catch_unwind(AssertUnwindSafe(|| op(db))) {
            Ok(result) => result.map_err(IpcError::from),
            Err(panic) => Err(internal(&panic)),
        }
    }
}

/// The state a database opening leads to: open, damaged (its quick_check at open found
/// problems) or closed.
fn open_slot(opened: exdesk_core::Result<Db>) -> (Slot, Option<CheckReport>) {
    let db = match opened {
        Ok(db) => db,
        Err(e) => return (Slot::Closed(IpcError::from(e)), None),
    };
    match db.quick_check_at_open() {
        Ok(Some(report)) if !report.ok => {
            let error = damaged(&report);
            (Slot::Damaged(db, error), Some(report))
        }
        Ok(check) => (Slot::Open(db), check),
        Err(e) => (Slot::Damaged(db, IpcError::from(e)), None),
    }
}

/// Core's daily backup on a thread and a connection of its own, so that copying a
/// multi-gigabyte file delays no command.
fn start_daily_backup(detached: Detached) {
    let spawned = std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || run_daily_backup(detached));
    if let Err(e) = spawned {
        eprintln!("exchange-desk: the daily backup was not started: {e}");
    }
}

fn run_daily_backup(detached: Detached) {
    if let Err(e) = detached.daily_backup() {
        eprintln!("exchange-desk: the daily backup was not made: {e}");
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error every ordinary command returns once the database is known to be damaged.
fn damaged(report: &CheckReport) -> IpcError {
    let shown: Vec<&str> = report.problems.iter().take(3).map(String::as_str).collect();
    IpcError::from(Error::Damaged(exdesk_core::msg!(
        APP_DAMAGED,
        problems = shown.join("; ")
    )))
}

/// An error of the shell itself (a background job that could not finish), in the same
/// shape as core's.
pub fn internal_error(detail: &str) -> IpcError {
    let msg = exdesk_core::msg!(APP_INTERNAL, detail);
    IpcError {
        code: ErrorCode::Internal,
        message: msg.text.clone(),
        field: None,
        problems: vec![exdesk_core::Problem::new("", msg)],
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
