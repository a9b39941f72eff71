//! Opening a database: the file, its PRAGMAs, migrations and the schema-version guard.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use rusqlite_migration::{M, Migrations};

use crate::dto::DbInfo;
use crate::error::{Error, Result};
use crate::msg;

/// Append-only list of migrations; the schema version is its length.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!(
            "../migrations/0002_exports_presets_archive.sql"
        )),
        M::up(include_str!("../migrations/0003_sync.sql")),
        M::up(include_str!("../migrations/0004_scale_indexes.sql")),
        M::up(include_str!("../migrations/0005_person_email_sort.sql")),
        M::up(include_str!("../migrations/0006_history_deletes.sql")),
        M::up(include_str!("../migrations/0007_export_log_counts.sql")),
        M::up(include_str!("../migrations/0008_record_clock.sql")),
        M::up(include_str!(
            "../migrations/0009_due_dates_and_conflicts.sql"
        )),
        M::up_with_hook(
            include_str!("../migrations/0010_search_hebrew_prefixes.sql"),
            |tx: &rusqlite::Transaction| {
                crate::search::rebuild_bodies(tx)
                    .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))
            },
        ),
        M::up(include_str!(
            "../migrations/0011_person_email_one_index.sql"
        )),
        M::up(include_str!("../migrations/0012_partner_copies.sql")),
    ])
});

/// The schema version this program writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 12;

/// The per-user database the desktop app and the CLI open by default.
pub fn default_db_path() -> PathBuf {
    let base = dirs::data_dir().unwrap_or_else(|| PathBuf::from("."));
    base.join("exchange-desk").join("exchange-desk.sqlite3")
}

/// An open Exchange Desk database. All reads and writes go through it.
pub struct Db {
    pub(crate) conn: Connection,
    path: PathBuf,
    pub(crate) device_id: String,
    pub(crate) clock: crate::history::Clock,
    /// The passphrase the file is encrypted with (SQLCipher), if it is.
    pub(crate) passphrase: Option<String>,
    /// The last roster read (`Db::roster_page`), reused while the database is unchanged,
    /// so that scrolling a 10,000-row roster page by page does not read it again.
    pub(crate) roster_cache: std::cell::RefCell<Option<crate::stats::RosterCache>>,
}

/// The first 16 bytes of every plain (unencrypted) SQLite file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether the file at `path` is an encrypted database rather than a plain SQLite file:
/// whole pages (SQLCipher writes in pages) that do not start with the SQLite header. A
/// missing, empty or ragged file is not encrypted (a ragged one is damaged).
pub fn is_encrypted(path: &Path) -> bool {
    use std::io::Read;
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len < 512 || !len.is_multiple_of(512) {
        return false;
    }
    let mut head = [0u8; 16];
    match std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) => head != *SQLITE_HEADER,
        Err(_) => false,
    }
}

impl Db {
    /// Opens the database at `path`, creating and migrating it when needed.
    /// A database written by a newer program is refused and left untouched.
    pub fn open(path: &Path) -> Result<Db> {
        Self::open_keyed(path, None)
    }

    /// [`Db::open`] for a database that may be encrypted: `passphrase` unlocks it (and a
    /// new file created with a passphrase is encrypted from the start).
    pub fn open_keyed(path: &Path, passphrase: Option<&str>) -> Result<Db> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        Self::open_with(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            passphrase,
        )
    }

    /// Opens an existing database; a missing file is an error, not a new database.
    pub fn open_existing(path: &Path) -> Result<Db> {
        Self::open_existing_keyed(path, None)
    }

    /// [`Db::open_existing`] for a database that may be encrypted.
    pub fn open_existing_keyed(path: &Path, passphrase: Option<&str>) -> Result<Db> {
        if !path.exists() {
            return Err(Error::MissingDatabase(path.display().to_string()));
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE, passphrase)
    }

    /// Opens a fresh in-memory database (tests, benchmarks).
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        Self::init(conn, PathBuf::from(":memory:"), None)
    }

    fn open_with(path: &Path, flags: OpenFlags, passphrase: Option<&str>) -> Result<Db> {
        let encrypted = is_encrypted(path);
        let is_new = !path.exists()
            || std::fs::metadata(path)
                .map(|m| m.len() == 0)
                .unwrap_or(true);
        let key = match (encrypted, passphrase.filter(|p| !p.is_empty())) {
            (true, None) => {
                return Err(Error::Locked(msg!(DB_LOCKED, path = path.display())));
            }
            (true, Some(p)) => Some(p.to_owned()),
            // A new file is created encrypted when a passphrase is given; a plain file
            // ignores one.
            (false, Some(p)) if is_new => Some(p.to_owned()),
            (false, _) => None,
        };
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        if let Some(key) = &key {
            apply_key(&conn, key)?;
            let readable = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            });
            if readable.is_err() {
                return Err(Error::WrongPassphrase(msg!(
                    DB_WRONG_PASSPHRASE,
                    path = path.display()
                )));
            }
        }
        Self::init(conn, path.to_path_buf(), key)
    }

    fn init(mut conn: Connection, path: PathBuf, passphrase: Option<String>) -> Result<Db> {
        if path.as_os_str() != ":memory:" {
            crate::fsutil::note_database(&path);
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| damaged(&path, e))?;
        // Another program's SQLite file (a mistyped --db) is refused before anything
        // writes to it: no log mode, no tables, no backup. A file without tables is new.
        if holds_foreign_tables(&conn).map_err(|e| damaged(&path, e))? {
            return Err(not_ours(&path));
        }
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: path.display().to_string(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| damaged(&path, e))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        if version > 0 && version < SCHEMA_VERSION {
            crate::safety::backup_before_migration(&conn, &path, passphrase.as_deref(), version)?;
        }
        MIGRATIONS.to_latest(&mut conn)?;
        let device_id = ensure_device(&conn)?;
        crate::sync::ensure_keys(&conn, &device_id)?;
        let clock = crate::history::Clock::load(&conn, &device_id)?;
        Ok(Db {
            conn,
            path,
            device_id,
            clock,
            passphrase,
            roster_cache: std::cell::RefCell::default(),
        })
    }

    /// A second connection to the file, read-only, holding a snapshot of it taken now
    /// until it is dropped: for checks on another thread while this connection writes.
    /// None for an in-memory database, which no other connection can see.
    pub(crate) fn read_snapshot(&self) -> Result<Option<Connection>> {
        if self.path.as_os_str() == ":memory:" {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &self.passphrase {
            apply_key(&conn, key)?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(64);
        // A read transaction's first read fixes what it sees (write-ahead log).
        conn.execute_batch("BEGIN")?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(Some(conn))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// This installation's device name.
    pub fn device_name(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT name FROM device WHERE is_self = 1", [], |r| {
                r.get(0)
            })?)
    }

    /// Renames this installation ("Technion office laptop").
    pub fn set_device_name(&mut self, name: &str) -> Result<()> {
        let name = crate::values::parse_name("name", name).map_err(|p| Error::Invalid(vec![p]))?;
        self.conn
            .execute("UPDATE device SET name = ?1 WHERE is_self = 1", [name])?;
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Whether the database holds no record of any entity.
    pub fn is_empty(&self) -> Result<bool> {
        for entity in crate::Entity::ALL {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", entity.name());
            if self.conn.query_row(&sql, [], |r| r.get::<_, bool>(0))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub fn info(&self) -> Result<DbInfo> {
        Ok(DbInfo {
            path: self.path.display().to_string(),
            schema_version: SCHEMA_VERSION as u32,
            device_id: self.device_id.clone(),
            device_name: self.device_name()?,
            empty: self.is_empty()?,
            onboarded: self.setting("onboarded")?.is_some(),
        })
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
    pub fn check(&self) -> Result<crate::dto::CheckReport> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (table, rowid, parent, fk) = row?;
            problems.push(dangling(&self.conn, &table, rowid, &parent, fk));
        }
        Ok(crate::dto::CheckReport {
            ok: problems.is_empty(),
            problems,
        })
    }
}

/// A row of `PRAGMA foreign_key_check` in words: the record by its id (a row number means
/// nothing to a coordinator), the field, and the missing record's id, e.g. `placement
/// 01a2… (cohort_id) refers to a missing cohort 01b3…`. A table without ids (checklist
/// items, tranches) is named by row.
pub(crate) fn dangling(
    conn: &Connection,
    table: &str,
    rowid: Option<i64>,
    parent: &str,
    fk: i64,
) -> String {
    let row = rowid.map(|r| r.to_string()).unwrap_or_default();
    let column: Option<String> = conn
        .prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(3)?)))?
                .filter_map(std::result::Result::ok)
                .find(|(id, _)| *id == fk)
                .map(|(_, from)| from)
                .ok_or(rusqlite::Error::QueryReturnedNoRows)
        })
        .ok();
    let (Some(column), Some(rowid)) = (column, rowid) else {
        return format!("{table} row {row} refers to a missing {parent}");
    };
    let found: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            &format!("SELECT id, \"{column}\" FROM \"{table}\" WHERE rowid = ?1"),
            [rowid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()
        .or_else(|| {
            conn.query_row(
                &format!("SELECT NULL, \"{column}\" FROM \"{table}\" WHERE rowid = ?1"),
                [rowid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok()
        });
    match found {
        Some((Some(id), Some(missing))) => {
            format!("{table} {id} ({column}) refers to a missing {parent} {missing}")
        }
        Some((None, Some(missing))) => {
            format!("{table} row {row} ({column}) refers to a missing {parent} {missing}")
        }
        _ => format!("{table} row {row} refers to a missing {parent}"),
    }
}

/// Whether the database on `conn` holds tables but not Exchange Desk's (no `person`
/// table): another program's SQLite file. An Exchange Desk file gets its tables and its
/// schema version in one transaction, so a file of ours has both or neither.
pub(crate) fn holds_foreign_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')
            AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person')",
        [],
        |r| r.get(0),
    )
}

/// The refusal of another program's database file (see [`holds_foreign_tables`]).
pub(crate) fn not_ours(path: &Path) -> Error {
    Error::refused("", msg!(DB_NOT_OURS, path = path.display()))
}

fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            Error::Damaged(msg!(DB_NOT_A_DATABASE, path = path.display()))
        }
        _ => Error::Sqlite(e),
    }
}

/// Creates this installation's device row on first open.
fn ensure_device(conn: &Connection) -> Result<String> {
    if let Some(id) = conn
        .query_row("SELECT id FROM device WHERE is_self = 1", [], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    let name = hostname().unwrap_or_else(|| "This computer".to_owned());
    conn.execute(
        "INSERT INTO device (id, name, is_self, created_at) VALUES (?1, ?2, 1, ?3)",
        rusqlite::params![id, name, crate::values::now_rfc3339()],
    )?;
    Ok(id)
}

fn hostname() -> Option<String> {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
}

/// Ends the savepoint `name`: released when `keep`, else rolled back. On a full disk or
/// an I/O error SQLite may already have rolled the whole transaction back, taking the
/// savepoint with it; that is not a second error (the first one is the one to report).
/// A release that fails is rolled back, so the connection is never left mid-transaction.
pub(crate) fn end_savepoint(conn: &Connection, name: &str, keep: bool) -> Result<()> {
    if keep {
        if let Err(e) = conn.execute_batch(&format!("RELEASE {name}")) {
            if !conn.is_autocommit() {
                let _ = conn.execute_batch(&format!("ROLLBACK TO {name}; RELEASE {name}"));
            }
            return Err(e.into());
        }
        return Ok(());
    }
    if conn.is_autocommit() {
        return Ok(());
    }
    conn.execute_batch(&format!("ROLLBACK TO {name}; RELEASE {name}"))?;
    Ok(())
}

/// Keys a connection with `passphrase` (SQLCipher), its own logging silenced first: a
/// wrong passphrase makes SQLCipher log lines like "ERROR CORE sqlcipher_page_cipher:
/// hmac check failed for pgno=1" to stderr, while the caller reports it as one readable
/// error (`Error::WrongPassphrase`). The bundled SQLCipher (4.14) logs WARN and above to
/// stderr by default; its level is process-wide, so every connection that is keyed sets
/// it before the key, whichever connection the process opens first.
pub(crate) fn apply_key(conn: &Connection, passphrase: &str) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE")?;
    conn.pragma_update(None, "key", passphrase)
}

#[cfg(test)]
mod tests {
    /// A write that meets a full disk (here: SQLite's page limit) reports the full disk,
    /// not the savepoint SQLite already rolled back with the transaction, and leaves the
    /// connection usable and the data as it was.
    #[test]
    fn a_full_disk_during_an_import_or_sync_is_reported_as_such() {
        let mut db = crate::Db::open_in_memory().unwrap();
        let pages: i64 = db
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        db.conn
            .execute_batch(&format!("PRAGMA max_page_count = {}", pages + 8))
            .unwrap();
        let mut csv = String::from("given_name,family_name,notes\n");
        for i in 0..3000 {
            csv.push_str(&format!(
                "Given{i},Family{i},a note long enough to fill pages {i}\n"
            ));
        }
        let err = db
            .import_bytes(
                crate::Entity::Person,
                csv.as_bytes(),
                &Default::default(),
                &mut |_| true,
            )
            .unwrap_err();
        let said = err.to_string();
        assert!(said.contains("disk is full"), "{said}");
        assert!(db.conn.is_autocommit(), "left mid-transaction");
        let people: i64 = db
            .conn
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
            .unwrap();
        assert_eq!(people, 0);
    }

    #[test]
    fn migrations_are_valid() {
        super::MIGRATIONS.validate().unwrap();
    }
}
