//! Nothing lost, no one let in: encryption at rest (SQLCipher), consistent online backups,
//! verified restores that keep the replaced database aside, automatic backups before
//! migrations, imports and sync imports (with rotation), and integrity checks.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::{Db, SCHEMA_VERSION, is_encrypted};

/// How many automatic backups are kept when the setting `backup.keep` is not set.
pub const DEFAULT_BACKUPS_KEPT: usize = 10;

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
            out.pragma_update(None, "key", p)?;
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
        return Err(Error::invalid(
            "file",
            format!("{} does not exist", path.display()),
        ));
    }
    let encrypted = is_encrypted(path);
    if encrypted && passphrase.is_none() {
        return Err(Error::Locked(format!(
            "{} is encrypted: give its passphrase",
            path.display()
        )));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if encrypted && let Some(p) = passphrase {
        conn.pragma_update(None, "key", p)?;
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| {
            if encrypted {
                Error::WrongPassphrase(format!(
                    "the passphrase does not open {} (or it is damaged)",
                    path.display()
                ))
            } else {
                Error::Damaged(format!(
                    "{} is not an Exchange Desk backup (not a database)",
                    path.display()
                ))
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
        return Err(Error::Damaged(format!(
            "{} is not an Exchange Desk database",
            path.display()
        )));
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| Error::Damaged(format!("{} is damaged: {e}", path.display())))?;
    if check != "ok" {
        return Err(Error::Damaged(format!(
            "{} is damaged: {check}",
            path.display()
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
pub fn restore(db_path: &Path, backup: &Path, passphrase: Option<&str>) -> Result<RestoreSummary> {
    let version = verify(backup, passphrase)?;
    let tmp = aside(db_path, "restore");
    let result = (|| -> Result<Option<String>> {
        std::fs::copy(backup, &tmp).map_err(|e| io(e, "cannot copy the backup"))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(e, "cannot copy the backup"))?;
        if !db_path.exists() {
            return Ok(None);
        }
        if !is_encrypted(db_path) || passphrase.is_some() {
            // Fold the write-ahead log into the file so the copy kept aside is whole and
            // no log of the old database is left to be read with the new one.
            if let Ok(conn) = Connection::open(db_path) {
                if let Some(p) = passphrase.filter(|_| is_encrypted(db_path)) {
                    let _ = conn.pragma_update(None, "key", p);
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
    Ok(RestoreSummary {
        restored_from: backup.display().to_string(),
        replaced_kept_at: kept,
        schema_version: version,
    })
}

impl Db {
    /// Whether the database file is encrypted.
    pub fn encrypted(&self) -> bool {
        self.passphrase.is_some()
    }

    /// A consistent copy of the database at `dest` (encrypted with the same passphrase
    /// when this one is), safe while other connections write.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest == self.path() {
            return Err(Error::invalid(
                "-o",
                "the backup cannot replace the database itself",
            ));
        }
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
        self.backup_to(&dest)?;
        self.rotate_backups()?;
        Ok(Some(dest))
    }

    /// The app's daily backup: made once a day, at the first start of the day.
    pub fn daily_backup(&mut self) -> Result<Option<PathBuf>> {
        let today = chrono::Utc::now().format("%Y%m%d").to_string();
        let done = self
            .backups()?
            .iter()
            .any(|b| b.reason == "daily" && b.created_at.replace('-', "").starts_with(&today));
        if done {
            Ok(None)
        } else {
            self.auto_backup("daily")
        }
    }

    /// The backups in the `backups/` folder, newest first.
    pub fn backups(&self) -> Result<Vec<BackupFile>> {
        let dir = backups_dir(self.path());
        let stem = self
            .path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(out);
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
        Ok(out)
    }

    fn rotate_backups(&self) -> Result<()> {
        let keep: usize = self
            .setting("backup.keep")?
            .and_then(|k| k.parse().ok())
            .unwrap_or(DEFAULT_BACKUPS_KEPT);
        for old in self.backups()?.into_iter().skip(keep.max(1)) {
            let _ = std::fs::remove_file(&old.path);
        }
        Ok(())
    }

    /// `PRAGMA quick_check`: a fast look for damage (the app runs it at start).
    pub fn quick_check(&self) -> Result<crate::dto::CheckReport> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check")?;
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

    /// Encrypts the database with `passphrase` (SQLCipher), or changes the passphrase of
    /// an encrypted one, or (with None) decrypts it. The file is rewritten beside itself
    /// and renamed into place, so a failure leaves the old file as it was. Returns the
    /// database reopened.
    pub fn set_passphrase(self, passphrase: Option<&str>) -> Result<Db> {
        if self.path().as_os_str() == ":memory:" {
            return Err(Error::invalid(
                "database",
                "an in-memory database cannot be encrypted",
            ));
        }
        let passphrase = passphrase.filter(|p| !p.is_empty());
        if let Some(p) = passphrase
            && p.chars().count() < 8
        {
            return Err(Error::invalid(
                "passphrase",
                "use a passphrase of at least 8 characters",
            ));
        }
        if passphrase.is_none() && self.passphrase.is_none() {
            return Err(Error::refused(
                "passphrase",
                "the database is not encrypted",
            ));
        }
        let path = self.path().to_path_buf();
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
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        drop(self);
        std::fs::rename(&tmp, &path).map_err(|e| io(e, "cannot replace the database"))?;
        remove_sidecars(&path);
        Db::open_existing_keyed(&path, passphrase)
    }
}
