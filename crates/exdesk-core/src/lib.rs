//! exdesk-core: the domain of Exchange Desk (spec/domain.md), its validation and status
//! rules, the SQLite store, search, statistics, deadlines and exports.
//!
//! It knows nothing of Tauri or of any UI: the `exdesk` CLI and the desktop app are two
//! thin shells over [`Db`].

pub mod autosync;
pub mod dto;
pub mod entity;
pub mod error;
pub mod fsutil;
pub mod fuzzing;
pub mod msg;
pub mod roster;
pub mod values;

mod calendar;
mod db;
mod deadlines;
mod demo;
mod export;
pub mod r#gen;
mod history;
pub mod import;
mod names;
mod pdf;
mod records;
mod recover;
mod rules;
pub mod safety;
mod search;
mod stats;
pub mod sync;

pub use db::{Db, SCHEMA_VERSION, default_db_path, is_encrypted};
pub use entity::Entity;
pub use error::{Error, ErrorCode, Problem, Result};
pub use records::{BulkOutcome, ListQuery, WriteOptions};
