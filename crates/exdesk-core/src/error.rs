//! The one error type of exdesk-core: every failure a caller can branch on.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::msg;
use crate::msg::Msg;

/// One problem with one field of one record (and row, for files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    /// Canonical field name of domain.md (`orcid`, `tranches[1].amount_minor`), or empty
    /// when the problem concerns the whole record.
    pub field: String,
    /// A sentence a coordinator understands (English; the CLI prints it).
    pub message: String,
    /// The message's stable code in core's catalogue (`value.not_a_date`), for showing
    /// it in the UI's language.
    pub code: String,
    /// The named parameters of the message (`{"value": "31/02/2026"}`).
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
    /// 1-based data row of an imported file (the header not counted), when the record
    /// came from one.
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The same row as a spreadsheet program numbers it (the header row included).
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_row: Option<u64>,
    /// The column header of an imported file the value came from.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The offending value as it stood in the file.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Problem {
    pub fn new(field: impl Into<String>, msg: Msg) -> Self {
        Problem {
            field: field.into(),
            message: msg.text,
            code: msg.code,
            params: msg.params,
            row: None,
            file_row: None,
            column: None,
            value: None,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, &self.column) {
            (Some(row), column) => {
                write!(f, "row {row}")?;
                if let Some(line) = self.file_row {
                    write!(f, " (file row {line})")?;
                }
                match column {
                    Some(column) => write!(f, ", column {column:?}: ")?,
                    None => write!(f, ": ")?,
                }
            }
            (None, Some(column)) => write!(f, "column {column:?}: ")?,
            (None, None) => {}
        }
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Everything that can go wrong in exdesk-core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is invalid; nothing was written. One entry per problem.
    #[error("{}", join_problems(.0))]
    Invalid(Vec<Problem>),
    /// No record of that entity has that id (or name).
    #[error("no {entity} with id {id}")]
    NotFound { entity: String, id: String },
    /// The write would break a rule that holds across records (uniqueness, capacity,
    /// status rules, screening gate, references still in use). Nothing was written.
    #[error("{}", .0)]
    Refused(Box<Problem>),
    /// The database was written by a newer Exchange Desk; it was left untouched.
    #[error(
        "{path} has schema version {found}, newer than this program understands ({supported}); \
         it was left untouched: update Exchange Desk to open it"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    /// The database is encrypted and no passphrase was given.
    #[error("{0}")]
    Locked(Msg),
    /// The passphrase does not open the database.
    #[error("{0}")]
    WrongPassphrase(Msg),
    /// The database file does not exist (only for operations that never create it).
    #[error("no database at {0}")]
    MissingDatabase(String),
    /// The database is damaged or not a database at all.
    #[error("{0}")]
    Damaged(Msg),
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

/// A database error in words a coordinator can act on: a full disk says so.
fn sqlite_message(e: &rusqlite::Error) -> String {
    sqlite_msg(e).to_string()
}

fn sqlite_msg(e: &rusqlite::Error) -> Msg {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => msg!(DISK_FULL, detail = e),
        Some(rusqlite::ErrorCode::SystemIoFailure) => msg!(DISK_IO, detail = e),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            msg!(DB_BUSY)
        }
        _ => msg!(DATABASE_ERROR, detail = e),
    }
}

fn join_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    pub fn invalid(field: impl Into<String>, msg: Msg) -> Self {
        Error::Invalid(vec![Problem::new(field, msg)])
    }

    pub fn refused(field: impl Into<String>, msg: Msg) -> Self {
        Error::Refused(Box::new(Problem::new(field, msg)))
    }

    pub fn not_found(entity: impl Into<String>, id: impl Into<String>) -> Self {
        Error::NotFound {
            entity: entity.into(),
            id: id.into(),
        }
    }

    /// Stable machine-readable code, shared by the CLI's exit codes and the IPC error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::NotFound { .. } | Error::MissingDatabase(_) => ErrorCode::NotFound,
            Error::Refused(_) => ErrorCode::Refused,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::Damaged(_) => ErrorCode::Damaged,
            Error::Locked(_) => ErrorCode::Locked,
            Error::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            // Another connection holding the write lock past the busy timeout: the
            // contract's "locked", refused (exit 5) rather than an unexpected failure.
            Error::Sqlite(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) =>
            {
                ErrorCode::Refused
            }
            Error::Sqlite(_) | Error::Migration(_) | Error::Io(_) | Error::Json(_) => {
                ErrorCode::Internal
            }
        }
    }

    /// Every problem of this error, one per line of output.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Invalid(problems) => problems.clone(),
            Error::Refused(problem) => vec![(**problem).clone()],
            other => vec![Problem::new("", other.msg())],
        }
    }

    /// The message of an error that is not a list of problems (its `Display` text with
    /// its code and parameters).
    fn msg(&self) -> Msg {
        match self {
            Error::Invalid(_) | Error::Refused(_) => {
                unreachable!("problems are returned as they are")
            }
            Error::NotFound { entity, id } => msg!(NOT_FOUND, entity, id),
            Error::NewerSchema {
                path,
                found,
                supported,
            } => msg!(NEWER_SCHEMA, path, found, supported),
            Error::MissingDatabase(path) => msg!(MISSING_DATABASE, path),
            Error::Locked(m) | Error::WrongPassphrase(m) | Error::Damaged(m) => m.clone(),
            Error::Sqlite(e) => sqlite_msg(e),
            Error::Migration(e) => msg!(MIGRATION_FAILED, detail = e),
            Error::Io(e) => msg!(IO_ERROR, detail = e),
            Error::Json(e) => msg!(JSON_ERROR, detail = e),
        }
    }
}

/// The kinds of error a shell can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Refused,
    NewerSchema,
    Damaged,
    /// The database is encrypted: ask for its passphrase.
    Locked,
    WrongPassphrase,
    Internal,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects field problems so that a record reports all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, field: impl Into<String>, msg: Msg) {
        self.0.push(Problem::new(field, msg));
    }

    /// Records the error of a parse and returns its value, if any.
    pub fn take<T>(&mut self, result: std::result::Result<T, Problem>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                self.0.push(p);
                None
            }
        }
    }

    /// Adds a problem already made (with its field).
    pub fn push_problem(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}
