//! Automatic shared-folder sync: the rules that decide when the desktop app runs a round
//! of [`Db::sync_folder`], the cheap look at the folder that tells whether another device
//! wrote its package, the remembered choices (which folder, automatic or not) and the
//! status shown on the Sync page. The shell only runs the clock and the thread: it calls
//! [`AutoSync::tick`] about once a second and runs the round the scheduler asks for.
//!
//! When a round is due:
//! - at start, and whenever the folder is chosen or automatic sync is turned back on;
//! - after local changes, once no further change came for [`DEBOUNCE_MS`] (a burst of
//!   edits makes one round, not one per keystroke). A change is any new `history` row,
//!   so writes by the CLI on the same file count too;
//! - when another device's package in the folder changed (size or modification time),
//!   checked every [`POLL_MS`] and acted on once two checks agree, so a package still
//!   being written by the file-sync service is not read half-way;
//! - after a failed round, again after [`RETRY_MS`] (or at the next change);
//! - when the user asks ("Sync now"), even with automatic sync off.
//!
//! Polling rather than a file-system watcher: shared folders are often network mounts
//! (SMB) or managed by a sync client, where inotify does not see remote writes; a check
//! is one directory listing with one `stat` per device's package, so it costs nothing.
//! Rounds never overlap: one thread runs them, one after the other.

use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::Serialize;
use ts_rs::TS;

use crate::Db;
use crate::error::{Error, Result};
use crate::msg;
use crate::sync::{FolderSummary, PACKAGE_EXTENSION};

/// Quiet time after the last local change before a round runs.
pub const DEBOUNCE_MS: u64 = 3_000;
/// How often the shared folder is looked at for other devices' new packages.
pub const POLL_MS: u64 = 2_000;
/// How long after a failed round the next one is tried when nothing else happens.
pub const RETRY_MS: u64 = 60_000;

const FOLDER_SETTING: &str = "sync.folder";
const AUTO_SETTING: &str = "sync.auto";

/// Why a round ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Trigger {
    /// The app started, the folder was chosen, or automatic sync was turned on.
    Start,
    /// Local changes, after the quiet time.
    LocalChange,
    /// Another device's package in the folder changed.
    FolderChanged,
    /// The previous round failed.
    Retry,
    /// The user asked for a round.
    Manual,
}

/// What the Sync page shows about automatic sync.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AutoSyncStatus {
    /// The shared folder, when one is chosen.
    pub folder: Option<String>,
    /// Rounds run by themselves (else only "Sync now").
    pub enabled: bool,
    /// A round is running now.
    pub running: bool,
    /// Rounds finished since the app started (a new number means a new result).
    pub rounds: u32,
    /// When the last round finished (RFC 3339, UTC).
    pub last_round_at: Option<String>,
    pub last_trigger: Option<Trigger>,
    /// What the last round did, when it worked.
    pub last_result: Option<FolderSummary>,
    /// Why the last round failed, when it did (a sentence for the user).
    pub last_error: Option<String>,
    /// When the next round is due (RFC 3339), when one is waiting: changes waiting out
    /// the quiet time, or a retry. Otherwise the next round comes with the next change.
    pub next_round_at: Option<String>,
    /// How often the folder is checked for other devices' packages, in seconds.
    pub check_every_seconds: u32,
}

/// What the shared folder holds from other devices: each package file's name, size and
/// modification time (nanoseconds), sorted; or why it cannot be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderState {
    Files(Vec<(String, u64, u128)>),
    Unreadable(String),
}

/// Looks at `folder` without reading any package: one listing, one `stat` per package.
/// `outbox` (this installation's own package's file name) is left out, so writing it
/// does not look like news.
pub fn folder_state(folder: &Path, outbox: &str) -> FolderState {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => return FolderState::Unreadable(e.to_string()),
    };
    let mut files: Vec<(String, u64, u128)> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_package = Path::new(&name)
                .extension()
                .is_some_and(|e| e == PACKAGE_EXTENSION);
            if !is_package || name == outbox {
                return None;
            }
            let meta = entry.metadata().ok()?;
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            Some((name, meta.len(), modified))
        })
        .collect();
    files.sort();
    FolderState::Files(files)
}

impl Db {
    /// The shared folder chosen for sync, if any.
    pub fn sync_folder_setting(&self) -> Result<Option<String>> {
        self.setting(FOLDER_SETTING)
    }

    /// Chooses the shared folder (it must exist and be a folder), or with an empty path
    /// forgets it, which stops folder sync. A bad path changes nothing.
    pub fn set_sync_folder_setting(&mut self, path: &str) -> Result<()> {
        let path = path.trim();
        if path.is_empty() {
            self.conn
                .execute("DELETE FROM setting WHERE key = ?1", [FOLDER_SETTING])?;
            return Ok(());
        }
        let folder = Path::new(path);
        if !folder.is_absolute() {
            return Err(Error::invalid("folder", msg!(FOLDER_NOT_ABSOLUTE, path)));
        }
        if !folder.exists() {
            return Err(Error::invalid("folder", msg!(FOLDER_MISSING, path)));
        }
        if !folder.is_dir() {
            return Err(Error::invalid("folder", msg!(FOLDER_NOT_FOLDER, path)));
        }
        self.set_setting(FOLDER_SETTING, path)
    }

    /// Whether shared-folder rounds run by themselves (the default) or only on request.
    pub fn auto_sync_enabled(&self) -> Result<bool> {
        Ok(self.setting(AUTO_SETTING)?.as_deref() != Some("off"))
    }

    pub fn set_auto_sync(&mut self, enabled: bool) -> Result<()> {
        self.set_setting(AUTO_SETTING, if enabled { "on" } else { "off" })
    }

    /// A number that grows with every change to the records, local or imported (the
    /// newest `history` row): cheap to read, so the app can ask every second.
    pub fn change_mark(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM history", [], |r| {
                r.get(0)
            })?)
    }

    /// The file name of this installation's own package in a shared folder.
    pub fn outbox_name(&self) -> String {
        format!("{}.{PACKAGE_EXTENSION}", self.device_id)
    }
}

/// The scheduler of automatic rounds and the status it reports. Times are milliseconds
/// since the Unix epoch, passed in, so the rules are tested without a clock.
#[derive(Debug, Default)]
pub struct AutoSync {
    /// The folder and on/off seen at the last tick.
    config: Option<(Option<String>, bool)>,
    /// The change mark after the last round (None: no round yet with this folder).
    round_mark: Option<i64>,
    /// The folder as it was when the last round started.
    round_folder: Option<FolderState>,
    /// The change mark seen at the last tick, and since when.
    seen_mark: i64,
    changed_at: u64,
    /// The folder at the last check, and when that was.
    checked: Option<FolderState>,
    checked_at: Option<u64>,
    failed_at: Option<u64>,
    manual: bool,
    status: AutoSyncStatus,
}

impl AutoSync {
    pub fn new() -> AutoSync {
        AutoSync {
            status: AutoSyncStatus {
                enabled: true,
                check_every_seconds: (POLL_MS / 1000) as u32,
                ..AutoSyncStatus::default()
            },
            ..AutoSync::default()
        }
    }

    /// Asks for a round at the next tick, automatic or not.
    pub fn request(&mut self) {
        self.manual = true;
    }

    /// One look at the situation: the chosen folder, whether sync is automatic, the
    /// current change mark, and (called only when a check is due) the folder's state.
    /// Returns the reason for a round when one should run now.
    pub fn tick(
        &mut self,
        now: u64,
        folder: Option<&str>,
        enabled: bool,
        mark: i64,
        look: impl FnOnce() -> FolderState,
    ) -> Option<Trigger> {
        let config = (folder.map(str::to_owned), enabled);
        if self.config.as_ref() != Some(&config) {
            // A new folder, or automatic sync turned on or off: start afresh.
            self.round_mark = None;
            self.round_folder = None;
            self.checked = None;
            self.checked_at = None;
            self.failed_at = None;
            self.status.folder = config.0.clone();
            self.status.enabled = enabled;
            if self.config.as_ref().map(|c| &c.0) != Some(&config.0) {
                self.status.last_result = None;
                self.status.last_error = None;
            }
            self.config = Some(config);
        }
        if mark != self.seen_mark {
            self.seen_mark = mark;
            self.changed_at = now;
        }
        let trigger = self.due(now, folder.is_some(), enabled, mark, look);
        if trigger.is_none() {
            self.status.next_round_at = self.next_round(enabled && folder.is_some(), mark);
        }
        trigger
    }

    fn due(
        &mut self,
        now: u64,
        has_folder: bool,
        enabled: bool,
        mark: i64,
        look: impl FnOnce() -> FolderState,
    ) -> Option<Trigger> {
        if !has_folder {
            self.manual = false;
            return None;
        }
        if std::mem::take(&mut self.manual) {
            return Some(Trigger::Manual);
        }
        if !enabled {
            return None;
        }
        let Some(round_mark) = self.round_mark else {
            return Some(Trigger::Start);
        };
        if mark != round_mark && now >= self.changed_at + DEBOUNCE_MS {
            return Some(Trigger::LocalChange);
        }
        if self.checked_at.is_none_or(|at| now >= at + POLL_MS) {
            let state = look();
            self.checked_at = Some(now);
            let stable = self.checked.as_ref() == Some(&state);
            let news = self.round_folder.as_ref() != Some(&state);
            self.checked = Some(state);
            if stable && news {
                return Some(Trigger::FolderChanged);
            }
        }
        if self.failed_at.is_some_and(|at| now >= at + RETRY_MS) {
            return Some(Trigger::Retry);
        }
        None
    }

    fn next_round(&self, active: bool, mark: i64) -> Option<String> {
        if !active {
            return None;
        }
        let at = match (self.round_mark, self.failed_at) {
            (Some(round_mark), _) if round_mark != mark => self.changed_at + DEBOUNCE_MS,
            (_, Some(failed_at)) => failed_at + RETRY_MS,
            _ => return None,
        };
        Some(rfc3339(at))
    }

    /// A round starts now; `folder` is the folder's state just before it.
    pub fn begin(&mut self, trigger: Trigger, folder: FolderState) {
        self.status.running = true;
        self.status.last_trigger = Some(trigger);
        self.status.next_round_at = None;
        self.round_folder = Some(folder.clone());
        self.checked = Some(folder);
    }

    /// A round ended at `now` with `outcome`; `mark` is the change mark right after it
    /// (its own imports included, so they do not call for another round).
    pub fn finish(
        &mut self,
        now: u64,
        mark: i64,
        outcome: std::result::Result<FolderSummary, String>,
    ) {
        self.status.running = false;
        self.status.rounds += 1;
        self.status.last_round_at = Some(rfc3339(now));
        self.round_mark = Some(mark);
        self.seen_mark = mark;
        self.checked_at = Some(now);
        match outcome {
            Ok(summary) => {
                self.failed_at = None;
                self.status.last_result = Some(summary);
                self.status.last_error = None;
            }
            Err(message) => {
                self.failed_at = Some(now);
                self.status.last_result = None;
                self.status.last_error = Some(message);
            }
        }
        let active = self.status.enabled && self.status.folder.is_some();
        self.status.next_round_at = self.next_round(active, mark);
    }

    pub fn status(&self) -> AutoSyncStatus {
        self.status.clone()
    }
}

/// Field changes the last round brought in (0 when it failed or imported nothing).
pub fn imported_changes(status: &AutoSyncStatus) -> u32 {
    status.last_result.as_ref().map_or(0, |r| {
        r.imported
            .iter()
            .map(|s| s.changes + s.deletes + s.new_conflicts)
            .sum()
    })
}

/// A failed round's error as the status line shows it: core's sentences, without the
/// field names (which mean nothing there).
pub fn error_text(error: &Error) -> String {
    let problems = error.problems();
    if problems.is_empty() {
        return error.to_string();
    }
    problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn rfc3339(ms: u64) -> String {
    chrono::DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX))
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Option<&str> = Some("/shared");

    fn files(list: &[(&str, u64)]) -> FolderState {
        FolderState::Files(list.iter().map(|(n, s)| ((*n).to_owned(), *s, 1)).collect())
    }

    fn empty() -> FolderState {
        files(&[])
    }

    /// Runs a round as the shell would.
    fn round(s: &mut AutoSync, now: u64, trigger: Trigger, mark: i64, folder: FolderState) {
        s.begin(trigger, folder);
        s.finish(now, mark, Ok(FolderSummary::default()));
    }

    #[test]
    fn the_first_tick_with_a_folder_starts_a_round_and_none_without() {
        let mut s = AutoSync::new();
        assert_eq!(s.tick(0, None, true, 5, empty), None);
        assert_eq!(s.tick(1000, F, true, 5, empty), Some(Trigger::Start));
    }

    #[test]
    fn local_changes_wait_for_quiet_then_make_one_round() {
        let mut s = AutoSync::new();
        assert_eq!(s.tick(0, F, true, 5, empty), Some(Trigger::Start));
        round(&mut s, 100, Trigger::Start, 5, empty());
        assert_eq!(s.tick(1000, F, true, 6, empty), None, "quiet time not over");
        assert!(s.status().next_round_at.is_some());
        assert_eq!(
            s.tick(2000, F, true, 7, empty),
            None,
            "a new change restarts it"
        );
        assert_eq!(s.tick(4999, F, true, 7, empty), None);
        assert_eq!(s.tick(5000, F, true, 7, empty), Some(Trigger::LocalChange));
        round(&mut s, 5100, Trigger::LocalChange, 9, empty());
        // The round's own imports (mark 9) are not a change.
        assert_eq!(s.tick(9000, F, true, 9, empty), None);
        assert_eq!(s.status().next_round_at, None);
    }

    #[test]
    fn a_new_package_counts_once_two_checks_agree() {
        let mut s = AutoSync::new();
        s.tick(0, F, true, 1, empty);
        round(&mut s, 10, Trigger::Start, 1, empty());
        let one = || files(&[("b.exdesk-sync", 10)]);
        let grown = || files(&[("b.exdesk-sync", 20)]);
        assert_eq!(s.tick(POLL_MS + 10, F, true, 1, one), None, "first sight");
        assert_eq!(
            s.tick(2 * POLL_MS + 10, F, true, 1, grown),
            None,
            "still growing"
        );
        assert_eq!(
            s.tick(3 * POLL_MS + 10, F, true, 1, grown),
            Some(Trigger::FolderChanged)
        );
        round(&mut s, 3 * POLL_MS + 20, Trigger::FolderChanged, 4, grown());
        assert_eq!(s.tick(5 * POLL_MS, F, true, 4, grown), None);
        assert_eq!(s.tick(6 * POLL_MS, F, true, 4, grown), None);
    }

    #[test]
    fn the_folder_is_looked_at_only_every_poll_interval() {
        let mut s = AutoSync::new();
        s.tick(0, F, true, 1, empty);
        round(&mut s, 0, Trigger::Start, 1, empty());
        let mut looks = 0;
        for now in (100..10_000).step_by(100) {
            s.tick(now, F, true, 1, || {
                looks += 1;
                empty()
            });
        }
        assert_eq!(looks, (10_000 / POLL_MS) as usize - 1);
    }

    #[test]
    fn off_means_only_manual_rounds() {
        let mut s = AutoSync::new();
        assert_eq!(s.tick(0, F, false, 1, empty), None);
        assert_eq!(
            s.tick(10_000, F, false, 2, || files(&[("x.exdesk-sync", 1)])),
            None
        );
        assert_eq!(s.status().next_round_at, None);
        assert!(!s.status().enabled);
        s.request();
        assert_eq!(s.tick(10_100, F, false, 2, empty), Some(Trigger::Manual));
        round(&mut s, 10_200, Trigger::Manual, 2, empty());
        assert_eq!(s.tick(20_000, F, false, 3, empty), None);
        // Turned back on: a round at once.
        assert_eq!(s.tick(20_100, F, true, 3, empty), Some(Trigger::Start));
    }

    #[test]
    fn a_request_without_a_folder_is_dropped() {
        let mut s = AutoSync::new();
        s.request();
        assert_eq!(s.tick(0, None, true, 1, empty), None);
        assert_eq!(s.tick(10, F, true, 1, empty), Some(Trigger::Start));
    }

    #[test]
    fn a_failed_round_is_retried_later_not_in_a_loop() {
        let mut s = AutoSync::new();
        s.tick(0, F, true, 1, empty);
        s.begin(Trigger::Start, FolderState::Unreadable("gone".into()));
        s.finish(50, 1, Err("the folder does not exist".into()));
        let st = s.status();
        assert_eq!(st.last_error.as_deref(), Some("the folder does not exist"));
        assert!(st.next_round_at.is_some());
        let gone = || FolderState::Unreadable("gone".into());
        for now in (1000..RETRY_MS).step_by(1000) {
            assert_eq!(s.tick(now, F, true, 1, gone), None, "at {now}");
        }
        assert_eq!(
            s.tick(RETRY_MS + 50, F, true, 1, gone),
            Some(Trigger::Retry)
        );
        s.begin(Trigger::Retry, empty());
        s.finish(RETRY_MS + 60, 1, Ok(FolderSummary::default()));
        assert_eq!(s.status().last_error, None);
        assert_eq!(s.status().rounds, 2);
        assert_eq!(s.tick(3 * RETRY_MS, F, true, 1, empty), None);
    }

    #[test]
    fn another_folder_starts_afresh_and_forgets_the_old_result() {
        let mut s = AutoSync::new();
        s.tick(0, F, true, 1, empty);
        round(&mut s, 10, Trigger::Start, 1, empty());
        assert!(s.status().last_result.is_some());
        assert_eq!(
            s.tick(100, Some("/other"), true, 1, empty),
            Some(Trigger::Start)
        );
        assert_eq!(s.status().folder.as_deref(), Some("/other"));
        assert_eq!(s.status().last_result, None);
    }

    #[test]
    fn the_folder_state_lists_other_devices_packages_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("me.exdesk-sync"), "x").unwrap();
        std::fs::write(dir.path().join("other.exdesk-sync"), "abc").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "abc").unwrap();
        let FolderState::Files(list) = folder_state(dir.path(), "me.exdesk-sync") else {
            panic!("the folder is readable");
        };
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].0.as_str(), list[0].1), ("other.exdesk-sync", 3));
        let before = folder_state(dir.path(), "me.exdesk-sync");
        std::fs::write(dir.path().join("me.exdesk-sync"), "changed").unwrap();
        assert_eq!(folder_state(dir.path(), "me.exdesk-sync"), before);
        std::fs::write(dir.path().join("other.exdesk-sync"), "abcd").unwrap();
        assert_ne!(folder_state(dir.path(), "me.exdesk-sync"), before);
        assert!(matches!(
            folder_state(&dir.path().join("missing"), "me.exdesk-sync"),
            FolderState::Unreadable(_)
        ));
    }
}
