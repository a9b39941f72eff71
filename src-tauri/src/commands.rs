//! The commands the UI invokes. Each one converts its arguments, calls one core
//! function on the open database and returns its result or an [`IpcError`]; the
//! behaviour lives in exdesk-core, where the CLI and the tests reach it too.
//!
//! Commands are `async` so that they run off the main (UI) thread. Arguments use the
//! domain's snake_case names (`over_capacity`, `within_days`).

use std::path::Path;

use exdesk_core::dto::{
    DbInfo, Deadline, HistoryEntry, IpcError, Page, RosterRow, SearchHit, Stats,
};
use exdesk_core::roster::{
    DEFAULT_ROSTER_COLUMNS, ExportSummary, ROSTER_COLUMNS, RosterColumn, RosterFormat,
    RosterOptions,
};
use exdesk_core::{Entity, ListQuery, WriteOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

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

#[tauri::command(rename_all = "snake_case")]
pub async fn get_record(state: State<'_, AppState>, entity: Entity, id: String) -> Reply<Value> {
    state.with(|db| db.get(entity, &id))
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

#[tauri::command(rename_all = "snake_case")]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> Reply<Vec<SearchHit>> {
    state.with(|db| db.search(&query, limit.unwrap_or(20)))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn roster(state: State<'_, AppState>, cohort_id: String) -> Reply<Vec<RosterRow>> {
    state.with(|db| db.roster(&cohort_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn deadlines(
    state: State<'_, AppState>,
    within_days: Option<i64>,
) -> Reply<Vec<Deadline>> {
    state.with(|db| db.deadlines(within_days.unwrap_or(60)))
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
///
/// The outcomes are core's `BulkOutcome`s, passed on as JSON because core does not
/// export that type's path yet.
#[tauri::command(rename_all = "snake_case")]
pub async fn update_each(
    state: State<'_, AppState>,
    entity: Entity,
    ids: Vec<String>,
    patch: Value,
    over_capacity: Option<bool>,
    reopen: Option<bool>,
) -> Reply<Value> {
    let opts = WriteOptions {
        over_capacity: over_capacity.unwrap_or(false),
        reopen: reopen.unwrap_or(false),
    };
    state.with(|db| {
        let outcomes = db.update_each(entity, &ids, &patch, opts)?;
        Ok(serde_json::to_value(outcomes)?)
    })
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
    state: State<'_, AppState>,
    cohort_id: String,
    path: String,
    format: RosterFormat,
    options: RosterOptions,
) -> Reply<ExportSummary> {
    state.with(|db| db.export_roster(&cohort_id, Path::new(&path), format, &options))
}
