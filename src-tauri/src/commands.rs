//! The commands the UI invokes. Each one converts its arguments, calls one core
//! function on the open database and returns its result or an [`IpcError`]; the
//! behaviour lives in exdesk-core, where the CLI and the tests reach it too.
//!
//! Commands are `async` so that they run off the main (UI) thread; long work (imports,
//! exports, sync) runs on a blocking thread of its own ([`blocking`]) and reports its
//! progress to the window as events. Arguments use the domain's snake_case names
//! (`over_capacity`, `within_days`).

use std::path::Path;
use std::sync::atomic::Ordering;

use exdesk_core::autosync::AutoSyncStatus;
use exdesk_core::dto::{
    BulkSummary, CheckReport, DbInfo, Deadlines, DeletedRecord, HistoryEntry, IpcError, Page,
    Recovered, RosterPage, RosterQuery, SearchHit, Stats,
};
use exdesk_core::import::{ImportOptions, ImportReport, Progress};
use exdesk_core::roster::{
    DEFAULT_ROSTER_COLUMNS, ExportLogEntry, ExportSummary, ROSTER_COLUMNS, RosterColumn,
    RosterFormat, RosterOptions,
};
use exdesk_core::safety::{BackupFile, RestoreSummary, SafetyInfo};
use exdesk_core::sync::{ConflictPage, DeviceInfo, PackageInfo, SyncSummary};
use exdesk_core::{BulkOutcome, Db, Entity, ListQuery, Problem, WriteOptions};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tauri::{AppHandle, Emitter, Manager, State, Window};

use crate::autosync::AutoSyncHandle;
use crate::state::{AppState, E2E_ENV, internal_error};

type Reply<T> = Result<T, IpcError>;

/// The event an import reports its progress with (payload: core's `Progress`).
pub const IMPORT_PROGRESS: &str = "import-progress";

/// Runs one core operation on a blocking thread, so that long work (a 100,000-row
/// import, a sync package) neither holds an async worker nor freezes the window.
async fn blocking<T, F>(app: AppHandle, op: F) -> Reply<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Db) -> exdesk_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || app.state::<AppState>().with(op))
        .await
        .unwrap_or_else(|e| Err(internal_error(&e.to_string())))
}

/// What the user chose on the welcome screen of an empty database.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Onboarding {
    /// Load the bundled demo dataset.
    Demo,
    /// Start with an empty database.
    Empty,
}

impl Onboarding {
    fn setting(self) -> &'static str {
        match self {
            Onboarding::Demo => "demo",
            Onboarding::Empty => "empty",
        }
    }
}

/// The languages of the UI; the choice is kept in the database (setting `ui.language`),
/// with the rest of the installation's state.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    He,
}

impl Language {
    fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::He => "he",
        }
    }
}

const LANGUAGE_SETTING: &str = "ui.language";

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(state: State<'_, AppState>) -> Reply<DbInfo> {
    state.with(|db| db.info())
}

/// Records the welcome-screen choice; `demo` first loads the demo dataset.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_onboarding(state: State<'_, AppState>, choice: Onboarding) -> Reply<DbInfo> {
    state.with(|db| {
        if let Onboarding::Demo = choice {
            db.load_demo()?;
        }
        db.set_setting("onboarded", choice.setting())?;
        db.info()
    })
}

/// The UI language chosen earlier in this database, if any.
#[tauri::command(rename_all = "snake_case")]
pub async fn language(state: State<'_, AppState>) -> Reply<Option<String>> {
    state.with(|db| db.setting(LANGUAGE_SETTING))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_language(state: State<'_, AppState>, language: Language) -> Reply<()> {
    state.with(|db| db.set_setting(LANGUAGE_SETTING, language.code()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stats(state: State<'_, AppState>) -> Reply<Stats> {
    state.with(|db| db.stats())
}

/// One page of an entity's records. The arguments are the IPC contract (named in the
/// UI's `invoke` call), so they stay separate rather than being bundled in a struct.
#[allow(clippy::too_many_arguments)]
#[tauri::command(rename_all = "snake_case")]
pub async fn list_records(
    state: State<'_, AppState>,
    entity: Entity,
    query: Option<String>,
    filters: Option<Vec<(String, String)>>,
    limit: Option<usize>,
    offset: Option<usize>,
    sort: Option<String>,
    descending: Option<bool>,
) -> Reply<Page> {
    let query = ListQuery {
        query: query.filter(|q| !q.trim().is_empty()),
        filters: filters.unwrap_or_default(),
        limit,
        offset: offset.unwrap_or(0),
        sort,
        descending: descending.unwrap_or(false),
    };
    state.with(|db| db.page(entity, &query))
}

/// How many records of `entity` refer through `field` to each of `ids` (the counts
/// column of a list page), in one query.
#[tauri::command(rename_all = "snake_case")]
pub async fn count_by(
    state: State<'_, AppState>,
    entity: Entity,
    field: String,
    ids: Vec<String>,
) -> Reply<std::collections::BTreeMap<String, u32>> {
    state.with(|db| db.count_by(entity, &field, &ids))
}

/// The names of the records of `entity` with these ids (what a list page shows for the
/// records its rows refer to), in one call: by id, the naming fields of each.
#[tauri::command(rename_all = "snake_case")]
pub async fn record_names(
    state: State<'_, AppState>,
    entity: Entity,
    ids: Vec<String>,
) -> Reply<std::collections::BTreeMap<String, Value>> {
    state.with(|db| db.names(entity, &ids))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_record(state: State<'_, AppState>, entity: Entity, id: String) -> Reply<Value> {
    state.with(|db| db.get(entity, &id))
}

/// The fields this laptop holds the record without (a partner copy's redacted fields,
/// kept by the coordinator), which its form shows as not editable; empty for any other.
#[tauri::command(rename_all = "snake_case")]
pub async fn partner_copy_fields(
    state: State<'_, AppState>,
    entity: Entity,
    id: String,
) -> Reply<Vec<String>> {
    state.with(|db| db.partner_copy_fields(entity, &id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_record(
    state: State<'_, AppState>,
    entity: Entity,
    record: Value,
    over_capacity: Option<bool>,
) -> Reply<Value> {
    let opts = WriteOptions {
        over_capacity: over_capacity.unwrap_or(false),
        reopen: false,
    };
    state.with(|db| db.add(entity, &record, opts))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_record(
    state: State<'_, AppState>,
    entity: Entity,
    id: String,
    patch: Value,
    over_capacity: Option<bool>,
    reopen: Option<bool>,
) -> Reply<Value> {
    let opts = WriteOptions {
        over_capacity: over_capacity.unwrap_or(false),
        reopen: reopen.unwrap_or(false),
    };
    state.with(|db| db.update(entity, &id, &patch, opts))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_record(state: State<'_, AppState>, entity: Entity, id: String) -> Reply<()> {
    state.with(|db| db.delete(entity, &id))
}

/// Recently deleted records (all kinds, or one), newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn deleted_records(
    state: State<'_, AppState>,
    entity: Option<Entity>,
    limit: Option<usize>,
) -> Reply<Vec<DeletedRecord>> {
    state.with(|db| db.deleted(entity, limit.unwrap_or(100)))
}

/// Re-creates a deleted record as a new record with its values.
#[tauri::command(rename_all = "snake_case")]
pub async fn recover_record(
    state: State<'_, AppState>,
    entity: Entity,
    id: String,
) -> Reply<Recovered> {
    state.with(|db| db.recover(entity, &id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> Reply<Vec<SearchHit>> {
    state.with(|db| db.search(&query, limit.unwrap_or(20)))
}

/// One page of a cohort's roster as the view filters and sorts it (never the whole
/// roster: the national intake has 10,000 placements).
#[tauri::command(rename_all = "snake_case")]
pub async fn roster_page(
    state: State<'_, AppState>,
    cohort_id: String,
    query: RosterQuery,
) -> Reply<RosterPage> {
    state.with(|db| db.roster_page(&cohort_id, &query))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn deadlines(
    state: State<'_, AppState>,
    within_days: Option<i64>,
    limit: Option<usize>,
) -> Reply<Deadlines> {
    state.with(|db| db.first_deadlines(within_days.unwrap_or(60), limit.unwrap_or(50)))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn history(
    state: State<'_, AppState>,
    entity: Entity,
    id: String,
) -> Reply<Vec<HistoryEntry>> {
    state.with(|db| db.history(entity, &id))
}

/// Applies one patch to each record on its own (a bulk status move): every write obeys
/// core's rules, and each refusal is reported with its record's id.
#[tauri::command(rename_all = "snake_case")]
pub async fn update_each(
    state: State<'_, AppState>,
    entity: Entity,
    ids: Vec<String>,
    patch: Value,
    over_capacity: Option<bool>,
    reopen: Option<bool>,
) -> Reply<Vec<BulkOutcome>> {
    let opts = WriteOptions {
        over_capacity: over_capacity.unwrap_or(false),
        reopen: reopen.unwrap_or(false),
    };
    state.with(|db| db.update_each(entity, &ids, &patch, opts))
}

/// Applies one patch to every placement of a cohort that a roster filter matches, but
/// those in `except` (a view's "select all" over rows it never loaded).
#[tauri::command(rename_all = "snake_case")]
pub async fn roster_update(
    app: AppHandle,
    cohort_id: String,
    query: RosterQuery,
    except: Vec<String>,
    patch: Value,
    over_capacity: Option<bool>,
    reopen: Option<bool>,
) -> Reply<BulkSummary> {
    let opts = WriteOptions {
        over_capacity: over_capacity.unwrap_or(false),
        reopen: reopen.unwrap_or(false),
    };
    blocking(app, move |db| {
        db.roster_update(&cohort_id, &query, &except, &patch, opts)
    })
    .await
}

/// The problems a write of `record` would meet (an add, or with `id` an update), without
/// writing: the forms check as the user types.
#[tauri::command(rename_all = "snake_case")]
pub async fn validate_record(
    state: State<'_, AppState>,
    entity: Entity,
    record: Value,
    id: Option<String>,
    over_capacity: Option<bool>,
    reopen: Option<bool>,
) -> Reply<Vec<Problem>> {
    let opts = WriteOptions {
        over_capacity: over_capacity.unwrap_or(false),
        reopen: reopen.unwrap_or(false),
    };
    state.with(|db| db.validate(entity, &record, id.as_deref(), opts))
}

/// The columns a roster can have and the ones it has when none are chosen.
#[derive(Debug, Clone, Serialize)]
pub struct RosterColumns {
    all: &'static [RosterColumn],
    default: &'static [&'static str],
}

#[tauri::command(rename_all = "snake_case")]
pub async fn roster_columns() -> RosterColumns {
    RosterColumns {
        all: ROSTER_COLUMNS,
        default: DEFAULT_ROSTER_COLUMNS,
    }
}

/// Writes a cohort's roster to `path` (chosen by the user in a save dialog) and logs
/// the export.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_roster(
    app: AppHandle,
    cohort_id: String,
    path: String,
    format: RosterFormat,
    options: RosterOptions,
) -> Reply<ExportSummary> {
    blocking(app, move |db| {
        db.export_roster(&cohort_id, Path::new(&path), format, &options)
    })
    .await
}

/// Writes the calendar (.ics) of every cohort, or of one, with its deadlines.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_calendar(
    app: AppHandle,
    path: String,
    cohort_id: Option<String>,
) -> Reply<ExportSummary> {
    blocking(app, move |db| {
        db.export_calendar(Path::new(&path), cohort_id.as_deref())
    })
    .await
}

/// The newest entries of the export log.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_log(
    state: State<'_, AppState>,
    limit: Option<usize>,
) -> Reply<Vec<ExportLogEntry>> {
    state.with(|db| db.export_log(limit.unwrap_or(200)))
}

// ------------------------------------------------------------------ files in

/// Whether the app runs under the end-to-end tests (`EXDESK_E2E=1`): the UI then also
/// offers a plain path field beside each file dialog, which WebDriver can type into.
#[tauri::command(rename_all = "snake_case")]
pub fn e2e_mode() -> bool {
    std::env::var(E2E_ENV).is_ok_and(|v| v == "1")
}

/// The fields a column of an imported file can be mapped to.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_fields(entity: Entity) -> Vec<&'static str> {
    exdesk_core::import::import_fields(entity)
}

/// Imports (or with `options.dry_run` checks) a file of people, institutions or
/// placements. Progress goes to the window as [`IMPORT_PROGRESS`] events;
/// [`cancel_job`] stops it, and then nothing is written.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_file(
    app: AppHandle,
    window: Window,
    entity: Entity,
    path: String,
    options: ImportOptions,
) -> Reply<ImportReport> {
    let cancel = app.state::<AppState>().start_job();
    blocking(app, move |db| {
        db.import_file(entity, Path::new(&path), &options, &mut |p: Progress| {
            // A window that is gone only misses the news; the import goes on.
            let _ = window.emit_to(window.label(), IMPORT_PROGRESS, p);
            !cancel.load(Ordering::SeqCst)
        })
    })
    .await
}

/// Asks the running import to stop. Synchronous, so that it runs even while every async
/// worker waits on the database.
#[tauri::command(rename_all = "snake_case")]
pub fn cancel_job(state: State<'_, AppState>) {
    state.cancel_job();
}

/// Merges a duplicate person into the survivor (placements, fellowships and history move).
#[tauri::command(rename_all = "snake_case")]
pub async fn merge_people(
    state: State<'_, AppState>,
    survivor: String,
    duplicate: String,
) -> Reply<Value> {
    state.with(|db| db.merge_people(&survivor, &duplicate))
}

/// The kinds of saved presets the UI keeps.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresetKind {
    /// A column mapping of an import (header → field or "ignore").
    ImportMapping,
    /// A choice of roster columns.
    RosterColumns,
}

impl PresetKind {
    fn name(self) -> &'static str {
        match self {
            PresetKind::ImportMapping => "import_mapping",
            PresetKind::RosterColumns => "roster_columns",
        }
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn presets(state: State<'_, AppState>, kind: PresetKind) -> Reply<Map<String, Value>> {
    state.with(|db| db.presets(kind.name()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_preset(
    state: State<'_, AppState>,
    kind: PresetKind,
    name: String,
    value: Value,
) -> Reply<()> {
    state.with(|db| db.save_preset(kind.name(), &name, &value))
}

// ------------------------------------------------------------------ sync

/// This installation: id, name and key fingerprint.
#[tauri::command(rename_all = "snake_case")]
pub async fn device(state: State<'_, AppState>) -> Reply<DeviceInfo> {
    state.with(|db| db.device())
}

/// Every device this installation knows, itself first, with its trust state.
#[tauri::command(rename_all = "snake_case")]
pub async fn devices(state: State<'_, AppState>) -> Reply<Vec<DeviceInfo>> {
    state.with(|db| db.devices())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_device_name(state: State<'_, AppState>, name: String) -> Reply<()> {
    state.with(|db| db.set_device_name(&name))
}

/// Writes a sync package: everything, what `for_device` lacks, or one cohort's scope.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_export(
    app: AppHandle,
    path: String,
    for_device: Option<String>,
    cohort_id: Option<String>,
) -> Reply<SyncSummary> {
    blocking(app, move |db| {
        db.sync_export(
            Path::new(&path),
            for_device.as_deref(),
            cohort_id.as_deref(),
        )
    })
    .await
}

/// Reads a package's signed envelope without applying it (for the trust question).
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_inspect(app: AppHandle, path: String) -> Reply<PackageInfo> {
    blocking(app, move |db| db.sync_inspect(Path::new(&path))).await
}

/// Applies a package; `trust` first trusts its (new) device. Refused packages change
/// nothing.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_import(app: AppHandle, path: String, trust: bool) -> Reply<SyncSummary> {
    blocking(app, move |db| db.sync_import(Path::new(&path), trust)).await
}

/// One page of the conflict list (open entries, or all), with how many are listed and
/// how many are open.
#[tauri::command(rename_all = "snake_case")]
pub async fn conflict_page(
    state: State<'_, AppState>,
    include_resolved: Option<bool>,
    offset: Option<u32>,
    limit: Option<u32>,
) -> Reply<ConflictPage> {
    state.with(|db| {
        db.conflict_page(
            include_resolved.unwrap_or(false),
            offset.unwrap_or(0),
            limit.unwrap_or(50),
        )
    })
}

/// Restores the lost value of a conflict (a change that syncs) or dismisses it.
#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(state: State<'_, AppState>, id: String, restore: bool) -> Reply<()> {
    state.with(|db| db.resolve_conflict(&id, restore))
}

/// The shared folder chosen earlier, if any.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_folder_path(state: State<'_, AppState>) -> Reply<Option<String>> {
    state.with(|db| db.sync_folder_setting())
}

/// Chooses the shared folder (an empty path forgets it); automatic sync looks at once.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_sync_folder_path(
    state: State<'_, AppState>,
    auto: State<'_, AutoSyncHandle>,
    path: String,
) -> Reply<()> {
    state.with(|db| db.set_sync_folder_setting(&path))?;
    auto.wake();
    Ok(())
}

/// What automatic shared-folder sync did last and what comes next. Async, like every
/// command that may wait on a lock, so that it never runs on the UI thread.
#[tauri::command(rename_all = "snake_case")]
pub async fn auto_sync_status(auto: State<'_, AutoSyncHandle>) -> Reply<AutoSyncStatus> {
    Ok(auto.status())
}

/// Turns automatic shared-folder rounds on or off ("Sync now" works either way).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_auto_sync(
    state: State<'_, AppState>,
    auto: State<'_, AutoSyncHandle>,
    enabled: bool,
) -> Reply<()> {
    state.with(|db| db.set_auto_sync(enabled))?;
    auto.wake();
    Ok(())
}

/// Asks the automatic sync thread for a round now; its result comes as a status event.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(auto: State<'_, AutoSyncHandle>) -> Reply<()> {
    auto.request();
    Ok(())
}

// ---- Safety: unlock, integrity at start, encryption, backups and restore (issue 6). ----

/// Runs `op` on the app state on a blocking thread (opening with a key, copying or
/// checking a large file takes a while).
async fn on_state<T, F>(app: AppHandle, op: F) -> Reply<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Reply<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || op(&app.state::<AppState>()))
        .await
        .unwrap_or_else(|e| Err(internal_error(&e.to_string())))
}

/// Opens the encrypted database with its passphrase (the unlock screen).
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(app: AppHandle, passphrase: String) -> Reply<DbInfo> {
    on_state(app, move |state| state.unlock(&passphrase)).await
}

/// The quick_check of the open database (made at open for a small file, now for a large
/// one); damage found makes every other command refuse until a restore.
#[tauri::command(rename_all = "snake_case")]
pub async fn startup_check(app: AppHandle) -> Reply<CheckReport> {
    on_state(app, AppState::startup_check).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn safety_info(state: State<'_, AppState>) -> Reply<SafetyInfo> {
    state.with(|db| db.safety_info())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn backup_now(app: AppHandle) -> Reply<BackupFile> {
    blocking(app, Db::backup_now).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_backup_keep(state: State<'_, AppState>, keep: u32) -> Reply<()> {
    state.with(|db| db.set_backup_keep(keep))
}

/// Restores a backup (core checks it first and keeps the replaced file aside), then the
/// database is reopened; the UI reloads.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_backup(app: AppHandle, path: String) -> Reply<RestoreSummary> {
    on_state(app, move |state| state.restore(Path::new(&path))).await
}

/// The newest backup that passes a restore's checks, offered when the database is damaged.
#[tauri::command(rename_all = "snake_case")]
pub async fn newest_good_backup(app: AppHandle) -> Reply<Option<BackupFile>> {
    on_state(app, |state| Ok(state.newest_good_backup())).await
}

/// Encrypts (no `current`), changes the passphrase, or decrypts (no `new`); an encrypted
/// database needs its `current` passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_passphrase(
    app: AppHandle,
    current: Option<String>,
    new: Option<String>,
) -> Reply<()> {
    blocking(app, move |db| {
        db.change_passphrase(current.as_deref(), new.as_deref())
    })
    .await
}
