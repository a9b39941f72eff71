//! Data that crosses a boundary (IPC to the UI, the CLI's JSON, files). TypeScript types
//! are generated from these with ts-rs into `ui/src/bindings/` and committed.
//!
//! Records themselves travel as JSON objects whose shape is described by the entity
//! structs here (`Person`, `Cohort`, ...); a test checks that every stored record
//! deserializes into its struct, so the two cannot drift apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::entity::Entity;

/// `exdesk stats --json`: every key present even when its count is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Stats {
    pub counts: BTreeMap<String, u32>,
    pub placements_by_status: BTreeMap<String, u32>,
    pub programs_by_kind: BTreeMap<String, u32>,
    pub programs_by_tech_area: BTreeMap<String, u32>,
    pub placements_by_direction: BTreeMap<String, u32>,
}

/// One hit of the global search, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub entity: Entity,
    pub id: String,
    pub title: String,
    pub subtitle: String,
}

/// The soonest deadlines and how many there are in all (a national database has tens of
/// thousands overdue: a view shows the first few).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Deadlines {
    pub items: Vec<Deadline>,
    pub total: u32,
}

/// A deadline derived from the records (never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Deadline {
    /// `visa_expiry`, `tranche_due`, `report_due`, `cohort_start`, `checklist_due`.
    pub kind: String,
    pub due_date: String,
    /// The record to open for it.
    pub entity: Entity,
    pub record_id: String,
    /// Who or what it concerns, e.g. the person's name or the cohort's name.
    pub title: String,
    /// What is due, e.g. "J-1 visa expires before the placement ends".
    pub detail: String,
    /// Days from today (negative when overdue).
    pub days_left: i32,
    /// The cohort the deadline belongs to, when it belongs to one.
    pub cohort_id: Option<String>,
    /// The person's name in Hebrew, when the deadline is a person's and it is known.
    pub title_he: Option<String>,
    /// What `detail` says in English, as values a shell words in its own language.
    pub facts: DeadlineFacts,
}

/// The values behind a deadline's `detail` (each kind fills its own): the visa type and
/// the placement's end a visa expires before; a tranche's fellowship title, amount,
/// currency and status (`held`); a checklist item's kind and status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DeadlineFacts {
    pub subject: Option<String>,
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub state: Option<String>,
    pub until: Option<String>,
}

/// One field-level change of a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub seq: u32,
    pub op: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[ts(type = "unknown")]
    pub old_value: serde_json::Value,
    #[ts(type = "unknown")]
    pub new_value: serde_json::Value,
    pub changed_at: String,
    pub device_id: String,
    pub device_name: String,
}

/// One row of a cohort roster (a placement with its person's and institutions' names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterRow {
    pub placement_id: String,
    pub person_id: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub given_name_he: Option<String>,
    pub family_name_he: Option<String>,
    pub email: Option<String>,
    pub home_institution: Option<String>,
    pub host_institution: Option<String>,
    pub home_institution_he: Option<String>,
    pub host_institution_he: Option<String>,
    pub direction: Option<String>,
    pub role: String,
    pub status: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub screening: String,
    pub checklist_done: u32,
    pub checklist_total: u32,
}

/// The column a roster view sorts by (status and screening in lifecycle order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RosterSort {
    #[default]
    Name,
    Home,
    Host,
    Direction,
    Role,
    Status,
    Screening,
    Checklist,
}

/// Which of a cohort's placements a roster view shows, in what order, and which page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct RosterQuery {
    /// Rows whose names (either script) or e-mail contain this text, folded.
    pub text: String,
    pub status: Option<String>,
    pub screening: Option<String>,
    pub sort: RosterSort,
    pub descending: bool,
    /// Status first, in lifecycle order (the pipeline's groups), then `sort`.
    pub grouped: bool,
    /// Names and institutions as a Hebrew UI shows them (Hebrew when there is one).
    pub hebrew: bool,
    pub offset: u32,
    /// At most this many rows (default 100, at most 1,000).
    pub limit: Option<u32>,
}

/// A cohort's placements as a whole: capacity used, screening and checklist state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterSummary {
    /// Placements that hold a place (not withdrawn or declined), all roles.
    pub used: u32,
    pub by_screening: BTreeMap<String, u32>,
    pub checklist_done: u32,
    pub checklist_total: u32,
    /// Placements whose checklist is complete (every item verified, at least one).
    pub complete: u32,
}

/// One page of a cohort's roster as a view filters and sorts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RosterPage {
    pub rows: Vec<RosterRow>,
    /// Rows matching the filter.
    pub total: u32,
    /// Every placement of the cohort.
    pub cohort_total: u32,
    /// The matching rows by status (every status present), for the pipeline's groups.
    pub by_status: BTreeMap<String, u32>,
    pub summary: RosterSummary,
}

/// What a bulk change of many records did: how many were written, and the refusals.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BulkSummary {
    pub done: u32,
    pub refused: Vec<crate::records::BulkOutcome>,
}

/// A page of a list view: the rows and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Page {
    #[ts(type = "Array<Record<string, unknown>>")]
    pub rows: Vec<serde_json::Value>,
    pub total: u32,
}

/// What `exdesk check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CheckReport {
    pub ok: bool,
    pub problems: Vec<String>,
}

/// Facts about the open database that the shells show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DbInfo {
    pub path: String,
    pub schema_version: u32,
    pub device_id: String,
    pub device_name: String,
    /// No records at all (the app then offers the demo data or an empty start).
    pub empty: bool,
    /// The user already chose between demo data and an empty start.
    pub onboarded: bool,
}

// ---- Record shapes (documentation for TypeScript; the store works on JSON objects). ----

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub name_he: Option<String>,
    pub country: String,
    pub sector: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub ror: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Person {
    pub id: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub given_name_he: Option<String>,
    pub family_name_he: Option<String>,
    pub email: Option<String>,
    pub orcid: Option<String>,
    pub birth_date: Option<String>,
    pub citizenships: Vec<String>,
    pub phone: Option<String>,
    pub home_institution_id: Option<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Program {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub tech_areas: Vec<String>,
    pub sensitive: bool,
    pub partner_institution_ids: Vec<String>,
    pub funder: Option<String>,
    pub description: Option<String>,
    /// Archived programs and cohorts are kept but hidden from everyday lists.
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Cohort {
    pub id: String,
    pub program_id: String,
    pub name: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub capacity: Option<u32>,
    pub host_institution_id: Option<String>,
    pub location: Option<String>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ChecklistItem {
    pub kind: String,
    pub status: String,
    pub due_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Placement {
    pub id: String,
    pub person_id: String,
    pub cohort_id: String,
    pub role: String,
    pub home_institution_id: Option<String>,
    pub host_institution_id: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub direction: Option<String>,
    pub status: String,
    /// Absent on a partner laptop (redacted from its packages).
    pub screening: Option<String>,
    pub visa_type: Option<String>,
    pub visa_expires: Option<String>,
    pub checklist: Vec<ChecklistItem>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Tranche {
    pub due_date: String,
    #[ts(type = "number")]
    pub amount_minor: i64,
    pub status: String,
    pub paid_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Report {
    pub title: String,
    pub due_date: Option<String>,
    pub submitted_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Fellowship {
    pub id: String,
    pub person_id: String,
    pub placement_id: Option<String>,
    pub title: String,
    #[ts(type = "number")]
    pub award_minor: i64,
    pub currency: String,
    pub tranches: Vec<Tranche>,
    pub reports: Vec<Report>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Quota {
    pub academic_year: String,
    pub direction: String,
    pub places: u32,
    /// Derived: placements between the agreement's institutions in that year and direction.
    pub places_used: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Agreement {
    pub id: String,
    pub title: String,
    pub institution_ids: Vec<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub quotas: Vec<Quota>,
    /// Derived: US->IL minus IL->US placements between the agreement's institutions.
    pub reciprocity_balance: i32,
    pub created_at: String,
    pub updated_at: String,
}

/// The error every desktop command returns: a code the UI branches on, a sentence to
/// show, and the field (and all problems) for errors under form fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: crate::error::ErrorCode,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub problems: Vec<crate::error::Problem>,
}

impl From<crate::error::Error> for IpcError {
    fn from(e: crate::error::Error) -> Self {
        let problems = e.problems();
        let field = problems
            .first()
            .map(|p| p.field.clone())
            .filter(|f| !f.is_empty());
        IpcError {
            code: e.code(),
            message: e.to_string(),
            field,
            problems,
        }
    }
}

/// A deleted record as history keeps it (the "Recently deleted" list).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DeletedRecord {
    pub entity: crate::Entity,
    /// The id it had (a recovered record gets a new one).
    pub id: String,
    /// A name a coordinator recognises (a person's name, a title; may be empty).
    pub name: String,
    pub deleted_at: String,
    /// The device that deleted it (here, or another one by sync).
    pub device_name: String,
    /// The id of the record it was recovered as, if it was.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered_as: Option<String>,
    /// The whole record as it stood when it was deleted.
    #[ts(type = "Record<string, unknown>")]
    pub record: serde_json::Value,
}

/// What recovering a deleted record did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Recovered {
    pub entity: crate::Entity,
    pub deleted_id: String,
    /// The new record's id.
    pub id: String,
    /// The new record as stored.
    #[ts(type = "Record<string, unknown>")]
    pub record: serde_json::Value,
    /// Fields (or list entries, `field[i]`) left out because the record they referred
    /// to no longer exists.
    pub dropped: Vec<String>,
    /// References that now point at the recovered successor of a deleted record.
    pub relinked: Vec<String>,
}
