//! Nothing lost, no one let in: encryption at rest (SQLCipher), consistent online backups,
//! verified restores that keep the replaced database aside, automatic backups before
//! migrations, and before imports and sync imports that change something (with
//! rotation), and integrity checks.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::msg;
use crate::{Db, SCHEMA_VERSION, is_encrypted};

/// How many automatic backups are kept when the setting `backup.keep` is not set.
pub const DEFAULT_BACKUPS_KEPT: usize = 10;

/// The most automatic backups `backup.keep` may ask for.
pub const MAX_BACKUPS_KEPT: u32 = 1000;

/// A database file up to this size gets its `PRAGMA quick_check` when the app opens it,
/// before the first screen; a larger one in the background after it.
pub const QUICK_CHECK_INLINE_BYTES: u64 = 50 * 1024 * 1024;

/// What the app's Settings show about encryption and backups.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SafetyInfo {
    /// The database file is encrypted (SQLCipher).
    pub encrypted: bool,
    /// How many automatic backups are kept (`backup.keep`).
    pub backup_keep: u32,
    /// The backups beside the database, newest first.
    pub backups: Vec<BackupFile>,
}

/// A backup file in the database's `backups/` folder.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    /// Why it was made: manual, daily, migration, import, sync.
    pub reason: String,
    pub created_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RestoreSummary {
    pub restored_from: String,
    /// Where the database that was replaced now is.
    pub replaced_kept_at: Option<String>,
    pub schema_version: u32,
    /// What the restore did to encryption, when the backup and the database it replaced
    /// differ: a plain backup over an encrypted database is encrypted with its passphrase
    /// (`restore.encrypted_again`), or, without a passphrase to do that, the restored
    /// database is plain and the message says so (`restore.not_encrypted`).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<crate::error::Problem>,
}

fn io(e: impl std::fmt::Display, what: &str) -> Error {
    Error::Io(std::io::Error::other(format!("{what}: {e}")))
}

/// A file name beside `path` for writing before a rename.
fn aside(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}.{}", uuid::Uuid::now_v7().simple()))
}

fn remove_sidecars(path: &Path) {
    for ext in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Copies the open database `src` into a new file at `dest` with SQLite's online backup
/// (consistent while others write), keyed with `passphrase` so an encrypted database stays
/// encrypted, then renames it into place.
fn copy_to(src: &Connection, dest: &Path, passphrase: Option<&str>) -> Result<()> {
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = aside(dest, "backup");
    let result = (|| -> Result<()> {
        let mut out = Connection::open(&tmp)?;
        if let Some(p) = passphrase {
            crate::db::apply_key(&out, p)?;
        }
        {
            let backup = rusqlite::backup::Backup::new(src, &mut out)?;
            backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
        }
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        std::fs::rename(&tmp, dest)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn backup_name(db_path: &Path, reason: &str) -> PathBuf {
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "exdesk".into());
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    backups_dir(db_path).join(format!("{stem}-{stamp}-{reason}.sqlite3"))
}

/// Before a migration: a copy of the database as the older program left it.
pub(crate) fn backup_before_migration(
    conn: &Connection,
    path: &Path,
    passphrase: Option<&str>,
    version: i64,
) -> Result<()> {
    if path.as_os_str() == ":memory:" {
        return Ok(());
    }
    copy_to(
        conn,
        &backup_name(path, &format!("before-migration-v{version}")),
        passphrase,
    )
}

/// Opens a file read-only to check it can be restored.
fn verify(path: &Path, passphrase: Option<&str>) -> Result<u32> {
    if !path.is_file() {
        let message = if path.is_dir() {
            msg!(BACKUP_IS_FOLDER, path = path.display())
        } else if path.exists() {
            msg!(BACKUP_NOT_A_FILE, path = path.display())
        } else {
            msg!(BACKUP_MISSING, path = path.display())
        };
        return Err(Error::invalid("file", message));
    }
    let encrypted = is_encrypted(path);
    if encrypted && passphrase.is_none() {
        return Err(Error::Locked(msg!(BACKUP_LOCKED, path = path.display())));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if encrypted && let Some(p) = passphrase {
        crate::db::apply_key(&conn, p)?;
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| {
            if encrypted {
                Error::WrongPassphrase(msg!(BACKUP_WRONG_PASSPHRASE, path = path.display()))
            } else {
                Error::Damaged(msg!(BACKUP_NOT_A_DATABASE, path = path.display()))
            }
        })?;
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.display().to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let has_tables: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person')",
            [],
            |r| r.get(0),
        )
        .unwrap_or(false);
    if version < 1 || !has_tables {
        return Err(Error::Damaged(msg!(BACKUP_NOT_OURS, path = path.display())));
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| Error::Damaged(msg!(BACKUP_DAMAGED, path = path.display(), detail = e)))?;
    if check != "ok" {
        return Err(Error::Damaged(msg!(
            BACKUP_DAMAGED,
            path = path.display(),
            detail = check
        )));
    }
    // Sound pages can still hold a record that refers to one that is not there (a file
    // edited by hand, or by another program): `exdesk check` would fail right after.
    let dangling: Option<(String, Option<i64>, String, i64)> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()
        .map_err(|e| Error::Damaged(msg!(BACKUP_DAMAGED, path = path.display(), detail = e)))?;
    if let Some((table, row, parent, fk)) = dangling {
        return Err(Error::Damaged(msg!(
            BACKUP_DAMAGED,
            path = path.display(),
            detail = crate::db::dangling(&conn, &table, row, &parent, fk)
        )));
    }
    Ok(version as u32)
}

/// Replaces the database at `db_path` with the backup at `backup`, after checking the
/// backup (it opens, passes the integrity check, and is not from a newer program). The
/// replaced database is kept aside beside it. The database must not be open elsewhere.
///
/// Crash-safe: the backup is copied beside the database first, the current file gets a
/// second name (a hard link, else a copy) as the kept-aside one, and only then does one
/// rename put the backup in place. Killed at any moment, the database file is wholly the
/// old one or wholly the backup, never missing.
///
/// A database reached through a symbolic link is restored in the file the link names
/// (where SQLite keeps it and its log), and the link stays.
pub fn restore(db_path: &Path, backup: &Path, passphrase: Option<&str>) -> Result<RestoreSummary> {
    let version = verify(backup, passphrase)?;
    let db_path = linked_file(db_path)?;
    refuse_foreign(&db_path, passphrase)?;
    replace_with(&db_path, backup, passphrase, version)
}

/// Refuses to restore over another program's SQLite file (a mistyped path), which would
/// be renamed aside and replaced (see [`crate::db::holds_foreign_tables`]). A file that
/// cannot be read (damaged, or encrypted and no passphrase opens it) is what a restore
/// is for, and is replaced.
fn refuse_foreign(db_path: &Path, passphrase: Option<&str>) -> Result<()> {
    if !db_path.is_file() {
        return Ok(());
    }
    let Ok(conn) = Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return Ok(());
    };
    if is_encrypted(db_path) {
        match passphrase {
            Some(p) if crate::db::apply_key(&conn, p).is_ok() => {}
            _ => return Ok(()),
        }
    }
    if crate::db::holds_foreign_tables(&conn).unwrap_or(false) {
        return Err(crate::db::not_ours(db_path));
    }
    Ok(())
}

/// Writes the plain database `plain` into a new file `dest` encrypted with `passphrase`
/// (SQLCipher's `sqlcipher_export`, as [`Db::set_passphrase`] does), keeping its schema
/// `version`.
fn encrypt_copy(plain: &Path, dest: &Path, passphrase: &str, version: u32) -> Result<()> {
    let result = (|| -> Result<()> {
        let conn = Connection::open(plain)?;
        conn.execute(
            "ATTACH DATABASE ?1 AS target KEY ?2",
            rusqlite::params![dest.display().to_string(), passphrase],
        )?;
        conn.query_row("SELECT sqlcipher_export('target')", [], |_| Ok(()))?;
        conn.execute_batch(&format!("PRAGMA target.user_version = {version}"))?;
        conn.execute_batch("DETACH DATABASE target")?;
        conn.close().map_err(|(_, e)| Error::from(e))?;
        std::fs::File::open(dest)?.sync_all()?;
        Ok(())
    })();
    // Opening the copy may have left a log beside it (a backup of a file in WAL mode).
    remove_sidecars(plain);
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

/// The file a database path names: the path itself, or for a symbolic link the file
/// it finally points to (renaming onto the link would replace the link, not the file).
fn linked_file(db_path: &Path) -> Result<PathBuf> {
    match crate::fsutil::destination(db_path)? {
        crate::fsutil::Dest::File(file) => Ok(file),
        crate::fsutil::Dest::Stream => Ok(db_path.to_path_buf()),
    }
}

/// The second half of [`restore`]: `backup` passed [`verify`] (its schema `version`).
fn replace_with(
    db_path: &Path,
    backup: &Path,
    passphrase: Option<&str>,
    version: u32,
) -> Result<RestoreSummary> {
    let mut tmp = aside(db_path, "restore");
    // A plain backup over an encrypted database: the data would silently lose its
    // encryption at rest. With the passphrase (the app's open database has it; the CLI
    // takes $EXDESK_PASSPHRASE) the copy is encrypted before it goes in place, so the
    // one rename below still puts a whole file there; without one, the summary says so.
    let dropped_encryption = db_path.is_file() && is_encrypted(db_path) && !is_encrypted(backup);
    let encrypt_with = passphrase.filter(|_| dropped_encryption);
    let result = (|| -> Result<Option<String>> {
        std::fs::copy(backup, &tmp).map_err(|e| io(e, "cannot copy the backup"))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(e, "cannot copy the backup"))?;
        if let Some(p) = encrypt_with {
            let keyed = aside(db_path, "restore");
            let encrypted = encrypt_copy(&tmp, &keyed, p, version);
            let _ = std::fs::remove_file(&tmp);
            tmp = keyed;
            encrypted?;
        }
        if !db_path.exists() {
            return Ok(None);
        }
        if !is_encrypted(db_path) || passphrase.is_some() {
            // Fold the write-ahead log into the file so the copy kept aside is whole and
            // no log of the old database is left to be read with the new one.
            if let Ok(conn) = Connection::open(db_path) {
                if let Some(p) = passphrase.filter(|_| is_encrypted(db_path)) {
                    let _ = crate::db::apply_key(&conn, p);
                }
                let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            }
        }
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let name = db_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut aside_path = db_path.with_file_name(format!("{name}.replaced-{stamp}"));
        let mut n = 1;
        while aside_path.exists() {
            n += 1;
            aside_path = db_path.with_file_name(format!("{name}.replaced-{stamp}-{n}"));
        }
        if std::fs::hard_link(db_path, &aside_path).is_err() {
            std::fs::copy(db_path, &aside_path)
                .map_err(|e| io(e, "cannot keep the current database aside"))?;
        }
        Ok(Some(aside_path.display().to_string()))
    })();
    let kept = match result {
        Ok(kept) => kept,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    // The log was folded in above: no old log may be read with the new file.
    remove_sidecars(db_path);
    if let Err(e) = std::fs::rename(&tmp, db_path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e, "cannot put the backup in place"));
    }
    // Opening migrates an older backup to this program's schema.
    Db::open_existing_keyed(db_path, passphrase)?;
    let shown = backup.display();
    let notice = match (dropped_encryption, encrypt_with) {
        (false, _) => None,
        (true, Some(_)) => Some(msg!(RESTORE_ENCRYPTED_AGAIN, backup = shown)),
        (true, None) => Some(msg!(RESTORE_NOT_ENCRYPTED, backup = shown)),
    };
    Ok(RestoreSummary {
        restored_from: backup.display().to_string(),
        replaced_kept_at: kept,
        schema_version: version,
        notice: notice.map(|m| crate::error::Problem::new("", m)),
    })
}

/// The backups of the database at `db_path` in its `backups/` folder, newest first.
/// (A free function: it works while the database itself cannot be opened.)
pub fn list_backups(db_path: &Path) -> Vec<BackupFile> {
    let dir = backups_dir(db_path);
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix(&format!("{stem}-"))
            .and_then(|r| r.strip_suffix(".sqlite3"))
        else {
            continue;
        };
        // rest = 20261127T181231.123Z-reason
        let Some((stamp, reason)) = rest.split_once("Z-") else {
            continue;
        };
        let created_at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S%.3f")
            .map(|d| {
                d.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
            .unwrap_or_default();
        out.push(BackupFile {
            path: entry.path().display().to_string(),
            reason: reason.to_owned(),
            created_at,
            bytes: entry.metadata().map(|m| m.len()).unwrap_or(0),
        });
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.path.cmp(&a.path)));
    out
}

/// The newest backup of the database at `db_path` that passes the checks a restore makes
/// (opens with `passphrase`, integrity_check, not from a newer program), if any: what the
/// app offers when the database is damaged.
pub fn newest_good_backup(db_path: &Path, passphrase: Option<&str>) -> Option<BackupFile> {
    list_backups(db_path)
        .into_iter()
        .find(|b| verify(Path::new(&b.path), passphrase).is_ok())
}

/// Deletes all but the newest `keep` backups of the database at `db_path`, and what
/// backups that never finished left behind.
fn rotate(db_path: &Path, keep: usize) {
    for old in list_backups(db_path).into_iter().skip(keep.max(1)) {
        let _ = std::fs::remove_file(&old.path);
    }
    remove_unfinished(db_path, |_| true, STALE_AFTER);
}

/// How long a backup's temporary file may stay untouched before it counts as left
/// behind (a copy in progress writes to it all the time).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporary files (`.NAME.backup.ID`, and its `-journal`) in the backups
/// folder of `db_path` whose name `NAME` is `chosen`, of backups that stopped half-way — the
/// app closed or killed while copying a large database — once nothing has written to
/// them for `idle`. Each can be as big as the database.
fn remove_unfinished(db_path: &Path, chosen: impl Fn(&str) -> bool, idle: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(backups_dir(db_path)) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some((name, _)) = file
            .strip_prefix('.')
            .and_then(|f| f.split_once(".backup."))
        else {
            continue;
        };
        if !chosen(name) {
            continue;
        }
        let untouched = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if idle.is_zero() || untouched.is_some_and(|untouched| untouched >= idle) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A connection of its own to the database file (read-only), for work that must not
/// hold the app's connection: the background quick_check and daily backup.
fn open_raw(path: &Path, passphrase: Option<&str>) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if let Some(p) = passphrase {
        crate::db::apply_key(&conn, p)?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

fn quick_check_conn(conn: &Connection) -> Result<crate::dto::CheckReport> {
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(|r| r.ok())
        .filter(|l| l != "ok")
        .collect();
    Ok(crate::dto::CheckReport {
        ok: problems.is_empty(),
        problems,
    })
}

/// The open database's file, for work on a connection of its own (see [`Db::detached`]).
/// It holds the passphrase of an encrypted file, so it is deliberately not `Debug`.
pub struct Detached {
    path: PathBuf,
    passphrase: Option<String>,
    empty: bool,
    keep: usize,
}

impl Detached {
    /// The size of the database file in bytes.
    pub fn bytes(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }

    /// `PRAGMA quick_check` on a read-only connection of its own: a multi-gigabyte file
    /// can be checked while the app goes on using its connection.
    pub fn quick_check(&self) -> Result<crate::dto::CheckReport> {
        let conn = open_raw(&self.path, self.passphrase.as_deref())?;
        quick_check_conn(&conn).map_err(|e| {
            Error::Damaged(msg!(DB_CANNOT_CHECK, path = self.path.display(), error = e))
        })
    }

    /// The app's daily backup (see [`Db::daily_backup`]), made from a connection of its
    /// own so that the app's connection stays free while a large file is copied.
    pub fn daily_backup(&self) -> Result<Option<PathBuf>> {
        if self.empty || self.path.as_os_str() == ":memory:" || daily_done(&self.path) {
            return Ok(None);
        }
        remove_unfinished_daily(&self.path);
        let conn = open_raw(&self.path, self.passphrase.as_deref())?;
        let dest = backup_name(&self.path, "daily");
        copy_to(&conn, &dest, self.passphrase.as_deref())?;
        rotate(&self.path, self.keep);
        Ok(Some(dest))
    }
}

/// Removes the copies of daily backups that never finished (the app was closed while a
/// multi-gigabyte file was being copied): a daily backup is made only by the app, one
/// instance per database, so one found when a new one starts is left from an earlier
/// run, however recent. Finished backups are renamed into place and are never touched.
fn remove_unfinished_daily(db_path: &Path) {
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_unfinished(
        db_path,
        |name| name.starts_with(&format!("{stem}-")) && name.ends_with("-daily.sqlite3"),
        std::time::Duration::ZERO,
    );
}

/// Whether today's (UTC) daily backup exists.
fn daily_done(db_path: &Path) -> bool {
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    list_backups(db_path)
        .iter()
        .any(|b| b.reason == "daily" && b.created_at.replace('-', "").starts_with(&today))
}

impl Db {
    /// Whether the database file is encrypted.
    pub fn encrypted(&self) -> bool {
        self.passphrase.is_some()
    }

    /// A consistent copy of the database at `dest` (encrypted with the same passphrase
    /// when this one is), safe while other connections write. `dest` must be in a folder
    /// that exists (else invalid input, nothing written).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest == self.path() {
            return Err(Error::invalid("-o", msg!(BACKUP_ONTO_ITSELF)));
        }
        crate::fsutil::check_output(dest)?;
        let passphrase = self.passphrase.as_deref();
        match crate::fsutil::destination(dest)? {
            // For a symbolic link, the file it names: the link stays.
            crate::fsutil::Dest::File(file) => copy_to(&self.conn, &file, passphrase),
            crate::fsutil::Dest::Stream => {
                // SQLite's backup writes a file it can seek in: it is made beside the
                // database (never in a shared temporary folder: it may be a plain copy),
                // then poured into the pipe or device.
                let beside = if self.path().as_os_str() == ":memory:" {
                    std::env::temp_dir().join("exdesk-backup")
                } else {
                    self.path().to_path_buf()
                };
                let tmp = aside(&beside, "backup-stream");
                let result = copy_to(&self.conn, &tmp, passphrase).and_then(|()| {
                    let mut copy = std::fs::File::open(&tmp)?;
                    crate::fsutil::write_through(dest, |out| {
                        std::io::copy(&mut copy, out)?;
                        Ok(())
                    })
                });
                let _ = std::fs::remove_file(&tmp);
                result
            }
        }
    }

    /// A backup into the `backups/` folder beside the database, made when missing.
    fn backup_into_folder(&self, dest: &Path) -> Result<()> {
        crate::fsutil::refuse_database(dest)?;
        copy_to(&self.conn, dest, self.passphrase.as_deref())
    }

    /// An automatic backup into the `backups/` folder beside the database (skipped for
    /// an empty or in-memory database), then rotation to the newest N.
    pub fn auto_backup(&mut self, reason: &str) -> Result<Option<PathBuf>> {
        if self.path().as_os_str() == ":memory:" || self.is_empty()? {
            return Ok(None);
        }
        let dest = backup_name(self.path(), reason);
        self.backup_into_folder(&dest)?;
        self.rotate_backups()?;
        Ok(Some(dest))
    }

    /// The restore point of a write in progress on this connection (an import, a sync
    /// import), made once the write is known to change something and before it commits:
    /// a copy of the file as last committed, read on a connection of its own (in WAL mode
    /// it does not see the uncommitted write). Skipped for an in-memory database or one
    /// that was empty, then rotation to the newest N. A failure is the write's to report
    /// (its caller rolls back), so the write never goes in without its restore point.
    pub(crate) fn backup_before_commit(&self, reason: &str) -> Result<Option<PathBuf>> {
        if self.path().as_os_str() == ":memory:" {
            return Ok(None);
        }
        let conn = open_raw(self.path(), self.passphrase.as_deref())?;
        let mut empty = true;
        for entity in crate::Entity::ALL {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", entity.name());
            if conn.query_row(&sql, [], |r| r.get::<_, bool>(0))? {
                empty = false;
                break;
            }
        }
        if empty {
            return Ok(None);
        }
        let dest = backup_name(self.path(), reason);
        crate::fsutil::refuse_database(&dest)?;
        copy_to(&conn, &dest, self.passphrase.as_deref())?;
        self.rotate_backups()?;
        Ok(Some(dest))
    }

    /// The app's "Back up now": a backup into the `backups/` folder (reason `manual`),
    /// made even when the database is empty, then rotation to the newest N.
    pub fn backup_now(&mut self) -> Result<BackupFile> {
        if self.path().as_os_str() == ":memory:" {
            return Err(Error::invalid("database", msg!(DB_IN_MEMORY_BACKUPS)));
        }
        let dest = backup_name(self.path(), "manual");
        self.backup_into_folder(&dest)?;
        self.rotate_backups()?;
        let made = dest.display().to_string();
        list_backups(self.path())
            .into_iter()
            .find(|b| b.path == made)
            .ok_or_else(|| io("it was removed at once", "the backup is gone"))
    }

    /// The app's daily backup: made once a day, at the first start of the day.
    pub fn daily_backup(&mut self) -> Result<Option<PathBuf>> {
        if daily_done(self.path()) {
            Ok(None)
        } else {
            self.auto_backup("daily")
        }
    }

    /// The backups in the `backups/` folder, newest first.
    pub fn backups(&self) -> Result<Vec<BackupFile>> {
        Ok(list_backups(self.path()))
    }

    /// How many automatic backups are kept (setting `backup.keep`, default 10).
    pub fn backup_keep(&self) -> Result<u32> {
        Ok(self
            .setting("backup.keep")?
            .and_then(|k| k.parse::<u32>().ok())
            .filter(|k| *k >= 1)
            .unwrap_or(DEFAULT_BACKUPS_KEPT as u32))
    }

    /// Sets how many backups are kept (1 to [`MAX_BACKUPS_KEPT`]); older ones go at the
    /// next backup.
    pub fn set_backup_keep(&mut self, keep: u32) -> Result<()> {
        if !(1..=MAX_BACKUPS_KEPT).contains(&keep) {
            return Err(Error::invalid(
                "backup.keep",
                msg!(BACKUP_KEEP_RANGE, max = MAX_BACKUPS_KEPT, keep),
            ));
        }
        self.set_setting("backup.keep", &keep.to_string())
    }

    /// Encryption and backups, as the app's Settings show them.
    pub fn safety_info(&self) -> Result<SafetyInfo> {
        Ok(SafetyInfo {
            encrypted: self.encrypted(),
            backup_keep: self.backup_keep()?,
            backups: self.backups()?,
        })
    }

    /// The newest backup that would restore (see [`newest_good_backup`]).
    pub fn newest_good_backup(&self) -> Option<BackupFile> {
        newest_good_backup(self.path(), self.passphrase.as_deref())
    }

    fn rotate_backups(&self) -> Result<()> {
        rotate(self.path(), self.backup_keep()? as usize);
        Ok(())
    }

    /// This database's file, for a quick_check or a daily backup on a connection of its
    /// own (in the background, without holding this connection).
    pub fn detached(&self) -> Result<Detached> {
        Ok(Detached {
            path: self.path().to_path_buf(),
            passphrase: self.passphrase.clone(),
            empty: self.is_empty()?,
            keep: self.backup_keep()? as usize,
        })
    }

    /// `PRAGMA quick_check`: a fast look for damage (the app runs it at start).
    pub fn quick_check(&self) -> Result<crate::dto::CheckReport> {
        quick_check_conn(&self.conn)
    }

    /// The check the app makes when it opens the database: `quick_check` at once for a
    /// file up to [`QUICK_CHECK_INLINE_BYTES`], else `None` (the app then runs it in the
    /// background through [`Db::detached`] after its first screen).
    pub fn quick_check_at_open(&self) -> Result<Option<crate::dto::CheckReport>> {
        let bytes = std::fs::metadata(self.path()).map(|m| m.len()).unwrap_or(0);
        if bytes > QUICK_CHECK_INLINE_BYTES {
            Ok(None)
        } else {
            self.quick_check().map(Some)
        }
    }

    /// Replaces this database with the backup at `backup` and reopens it. The backup is
    /// checked first ([`restore`]'s checks, with this database's passphrase): a backup
    /// that fails them changes nothing and this database stays open. The replaced file
    /// is kept aside beside it.
    pub fn restore_from(&mut self, backup: &Path) -> Result<RestoreSummary> {
        if self.path().as_os_str() == ":memory:" {
            return Err(Error::invalid("database", msg!(DB_IN_MEMORY_RESTORE)));
        }
        let passphrase = self.passphrase.clone();
        let version = verify(backup, passphrase.as_deref())?;
        let path = self.path().to_path_buf();
        self.close_connection()?;
        let summary = replace_with(&path, backup, passphrase.as_deref(), version);
        // Reopens whatever is in place now: the backup, or the old file when the
        // replacement failed before moving it.
        *self = Db::open_existing_keyed(&path, passphrase.as_deref())?;
        summary
    }

    /// Closes the connection to the file (this value then holds an empty in-memory
    /// connection until it is replaced with a reopened database).
    fn close_connection(&mut self) -> Result<()> {
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.close().map_err(|(_, e)| Error::from(e))
    }

    /// Encrypts the database with `passphrase` (SQLCipher), or changes the passphrase of
    /// an encrypted one, or (with None) decrypts it. The file is rewritten beside itself
    /// and renamed into place, so a failure leaves the old file as it was. Returns the
    /// database reopened.
    pub fn set_passphrase(mut self, passphrase: Option<&str>) -> Result<Db> {
        self.rekey(passphrase)?;
        Ok(self)
    }

    /// [`Db::set_passphrase`] for the app, which holds the database in place: when the
    /// database is encrypted, `current` must be its passphrase (someone at an unlocked
    /// laptop cannot change or remove it). A refusal changes nothing.
    pub fn change_passphrase(&mut self, current: Option<&str>, new: Option<&str>) -> Result<()> {
        if let Some(actual) = &self.passphrase
            && current != Some(actual.as_str())
        {
            return Err(Error::WrongPassphrase(msg!(PASSPHRASE_CURRENT_WRONG)));
        }
        self.rekey(new)
    }

    fn rekey(&mut self, passphrase: Option<&str>) -> Result<()> {
        if self.path().as_os_str() == ":memory:" {
            return Err(Error::invalid("database", msg!(DB_IN_MEMORY_ENCRYPT)));
        }
        let passphrase = passphrase.filter(|p| !p.is_empty());
        if let Some(p) = passphrase
            && p.chars().count() < 8
        {
            return Err(Error::invalid("passphrase", msg!(PASSPHRASE_TOO_SHORT)));
        }
        if passphrase.is_none() && self.passphrase.is_none() {
            return Err(Error::refused("passphrase", msg!(DB_NOT_ENCRYPTED)));
        }
        // The file itself, not a symbolic link to it: the link stays a link.
        let path = linked_file(self.path())?;
        let opened_as = self.path().to_path_buf();
        let tmp = aside(&path, "rekey");
        let result = (|| -> Result<()> {
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            self.conn.execute(
                "ATTACH DATABASE ?1 AS target KEY ?2",
                rusqlite::params![tmp.display().to_string(), passphrase.unwrap_or("")],
            )?;
            self.conn
                .query_row("SELECT sqlcipher_export('target')", [], |_| Ok(()))?;
            self.conn
                .execute_batch(&format!("PRAGMA target.user_version = {SCHEMA_VERSION}"))?;
            self.conn.execute_batch("DETACH DATABASE target")?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = self.conn.execute_batch("DETACH DATABASE target");
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        let old_passphrase = self.passphrase.clone();
        self.close_connection()?;
        if let Err(e) = std::fs::rename(&tmp, &path) {
            let _ = std::fs::remove_file(&tmp);
            *self = Db::open_existing_keyed(&opened_as, old_passphrase.as_deref())?;
            return Err(io(e, "cannot replace the database"));
        }
        remove_sidecars(&path);
        *self = Db::open_existing_keyed(&opened_as, passphrase)?;
        Ok(())
    }
}
