//! Cohort rosters out: the roster table (columns of domain.md, flattened), its redacted
//! profile, and the CSV, XLSX and JSON writers. Every export is written to the export log.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::entity::{DIRECTION_WORDS, Entity, EnumLabels, Kind};
use crate::error::{Error, Result};
use crate::msg;
use crate::{Db, fsutil, values};

/// A roster column: its key (a field of domain.md, flattened) and its labels.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export)]
pub struct RosterColumn {
    pub key: &'static str,
    pub label_en: &'static str,
    pub label_he: &'static str,
    /// Left out of redacted rosters (the redacted fields of domain.md).
    pub redacted: bool,
}

const fn col(
    key: &'static str,
    label_en: &'static str,
    label_he: &'static str,
    redacted: bool,
) -> RosterColumn {
    RosterColumn {
        key,
        label_en,
        label_he,
        redacted,
    }
}

/// Every column a roster can have, in display order.
pub const ROSTER_COLUMNS: &[RosterColumn] = &[
    col("family_name", "Family name", "שם משפחה (לועזית)", false),
    col("given_name", "Given name", "שם פרטי (לועזית)", false),
    col("family_name_he", "Family name (Hebrew)", "שם משפחה", false),
    col("given_name_he", "Given name (Hebrew)", "שם פרטי", false),
    col("email", "E-mail", "דוא״ל", true),
    col("orcid", "ORCID iD", "ORCID", false),
    col("phone", "Phone", "טלפון", true),
    col("birth_date", "Date of birth", "תאריך לידה", true),
    col("citizenships", "Citizenships", "אזרחויות", true),
    col("home_institution", "Home institution", "מוסד בית", false),
    col("host_institution", "Host institution", "מוסד מארח", false),
    col("direction", "Direction", "כיוון", false),
    col("role", "Role", "תפקיד", false),
    col("status", "Status", "סטטוס", false),
    col("start_date", "Start date", "תאריך התחלה", false),
    col("end_date", "End date", "תאריך סיום", false),
    col("screening", "Screening", "סינון ביטחוני", true),
    col("visa_type", "Visa type", "סוג אשרה", true),
    col("visa_expires", "Visa expires", "תוקף אשרה", true),
    col("checklist", "Checklist", "רשימת משימות", false),
    col("notes", "Notes", "הערות", false),
    // The placement's `cohort_id`, flattened to the cohort's name: with it, a roster
    // imports back as placements into a database that does not hold them yet.
    col("cohort", "Cohort", "מחזור", false),
];

/// The columns of a roster when none are chosen (spec/cli.md).
pub const DEFAULT_ROSTER_COLUMNS: &[&str] = &[
    "family_name",
    "given_name",
    "family_name_he",
    "given_name_he",
    "email",
    "home_institution",
    "host_institution",
    "direction",
    "role",
    "status",
    "start_date",
    "end_date",
    "screening",
];

/// The file formats a roster can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RosterFormat {
    Csv,
    Xlsx,
    Pdf,
    Json,
}

impl RosterFormat {
    pub fn parse(s: &str) -> Option<RosterFormat> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(RosterFormat::Csv),
            "xlsx" => Some(RosterFormat::Xlsx),
            "pdf" => Some(RosterFormat::Pdf),
            "json" => Some(RosterFormat::Json),
            _ => None,
        }
    }

    /// The format a file name's extension implies.
    pub fn from_path(path: &Path) -> Option<RosterFormat> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(RosterFormat::parse)
    }

    pub fn name(self) -> &'static str {
        match self {
            RosterFormat::Csv => "csv",
            RosterFormat::Xlsx => "xlsx",
            RosterFormat::Pdf => "pdf",
            RosterFormat::Json => "json",
        }
    }
}

/// How a roster is written.
#[derive(Debug, Clone, Default, serde::Deserialize, TS)]
#[ts(export)]
pub struct RosterOptions {
    /// Column keys; empty means the default set.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Leave out the redacted fields of domain.md.
    #[serde(default)]
    pub redact: bool,
    /// Hebrew: header labels, and in CSV, XLSX and PDF the enum values' labels
    /// (JSON keeps the canonical values); else English headers, canonical values in CSV
    /// and XLSX, and the values' English labels in a PDF.
    #[serde(default)]
    pub hebrew: bool,
    /// CSV only: start with a byte-order mark so Excel reads UTF-8.
    #[serde(default)]
    pub excel_bom: bool,
}

/// One cell of a roster.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
}

impl Cell {
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A roster ready to be written: the cohort, the chosen columns and one row per placement.
#[derive(Debug, Clone)]
pub struct Roster {
    pub cohort_id: String,
    pub cohort_name: String,
    pub program_name: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub columns: Vec<RosterColumn>,
    pub hebrew: bool,
    pub placement_ids: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Roster {
    pub fn labels(&self) -> Vec<&'static str> {
        self.columns
            .iter()
            .map(|c| if self.hebrew { c.label_he } else { c.label_en })
            .collect()
    }

    /// The roster as people read it in its language: the values of the enum columns
    /// (role, status, screening, visa type, a domestic direction) become their labels
    /// from [`ENUM_LABELS`](crate::entity::ENUM_LABELS), which an import reads back.
    /// That is done for every Hebrew roster, and for an English one when `for_print`
    /// (a PDF, read only by people); English CSV and XLSX keep the canonical values that
    /// scripts compare, and JSON keeps them in any language (it is never passed here).
    pub fn with_value_labels(mut self, for_print: bool) -> Roster {
        if !self.hebrew && !for_print {
            return self;
        }
        for (c, column) in self.columns.iter().enumerate() {
            let Some(labels) = enum_values(column.key).and_then(EnumLabels::of) else {
                continue;
            };
            for row in &mut self.rows {
                if let Cell::Text(value) = &row[c]
                    && let Some(label) = labels.label(value, self.hebrew)
                {
                    row[c] = Cell::Text(label.to_owned());
                }
            }
        }
        self
    }
}

/// The closed list a roster column's values come from, if any.
fn enum_values(key: &str) -> Option<&'static [&'static str]> {
    if key == "direction" {
        return Some(DIRECTION_WORDS);
    }
    match Entity::Placement.field(key)?.kind {
        Kind::Enum(values) => Some(values),
        _ => None,
    }
}

/// What an export wrote, for the caller and the export log.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub file_name: String,
    /// csv, xlsx, pdf, json or ics.
    pub format: String,
    pub rows: u32,
    pub columns: Vec<String>,
    pub redacted: bool,
}

/// One entry of the export log.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportLogEntry {
    pub id: String,
    pub exported_at: String,
    /// roster, calendar or all.
    pub kind: String,
    pub format: String,
    pub cohort_id: Option<String>,
    pub cohort_name: Option<String>,
    pub file_name: String,
    pub columns: Vec<String>,
    pub redacted: bool,
    /// Placements of a roster, events of a calendar, every record of `export all`.
    pub record_count: u32,
    /// `export all` only (kind `all`): the number of records of each entity.
    pub entity_counts: Option<BTreeMap<String, u32>>,
}

/// Resolves the chosen column keys (validated, redacted ones dropped when asked).
pub fn roster_columns(keys: &[String], redact: bool) -> Result<Vec<RosterColumn>> {
    let keys: Vec<&str> = if keys.is_empty() {
        DEFAULT_ROSTER_COLUMNS.to_vec()
    } else {
        keys.iter()
            .map(|k| k.trim())
            .filter(|k| !k.is_empty())
            .collect()
    };
    let mut out: Vec<RosterColumn> = Vec::new();
    for key in keys {
        let column = ROSTER_COLUMNS
            .iter()
            .find(|c| c.key == key)
            .ok_or_else(|| {
                let known: Vec<&str> = ROSTER_COLUMNS.iter().map(|c| c.key).collect();
                Error::invalid(
                    "columns",
                    msg!(ROSTER_UNKNOWN_COLUMN, key, columns = known.join(", ")),
                )
            })?;
        let dropped = redact && column.redacted;
        let repeated = out.iter().any(|c| c.key == key);
        if !dropped && !repeated {
            out.push(*column);
        }
    }
    if out.is_empty() {
        return Err(Error::invalid("columns", msg!(ROSTER_NO_COLUMNS)));
    }
    Ok(out)
}

/// The columns among `keys` that a redacted roster leaves out (to say so to whoever
/// asked for them by name).
pub fn redacted_among(keys: &[String]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for key in keys {
        if let Some(c) = ROSTER_COLUMNS.iter().find(|c| c.key == key.trim())
            && c.redacted
            && !out.contains(&c.key)
        {
            out.push(c.key);
        }
    }
    out
}

/// A cell value that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR).
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

impl Db {
    /// The roster of a cohort (id or exact name) with the chosen columns.
    pub fn roster_table(&self, cohort: &str, opts: &RosterOptions) -> Result<Roster> {
        let cohort_id = self.resolve_cohort(cohort)?;
        let columns = roster_columns(&opts.columns, opts.redact)?;
        let (cohort_name, program_name, start_date, end_date): (String, String, Option<String>, Option<String>) =
            self.conn.query_row(
                "SELECT c.name, p.name, c.start_date, c.end_date FROM cohort c JOIN program p ON p.id = c.program_id
                 WHERE c.id = ?1",
                [&cohort_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT pl.id, p.family_name, p.given_name, p.family_name_he, p.given_name_he, p.email, p.orcid,
                    p.phone, p.birth_date, p.citizenships, home.name, host.name, pl.direction, pl.role,
                    pl.status, pl.start_date, pl.end_date, pl.screening, pl.visa_type, pl.visa_expires,
                    (SELECT count(*) FROM checklist_item c WHERE c.placement_id = pl.id AND c.status = 'verified'),
                    (SELECT count(*) FROM checklist_item c WHERE c.placement_id = pl.id),
                    pl.notes
             FROM placement pl
             JOIN person p ON p.id = pl.person_id
             LEFT JOIN institution home ON home.id = pl.home_institution_id
             LEFT JOIN institution host ON host.id = pl.host_institution_id
             WHERE pl.cohort_id = ?1
             ORDER BY p.sort_name, pl.id",
        )?;
        let mut placement_ids = Vec::new();
        let mut rows = Vec::new();
        let mut query = stmt.query(params![cohort_id])?;
        while let Some(r) = query.next()? {
            placement_ids.push(r.get::<_, String>(0)?);
            let text = |i: usize| -> rusqlite::Result<Cell> {
                Ok(r.get::<_, Option<String>>(i)?
                    .map_or(Cell::Empty, Cell::Text))
            };
            let date = |i: usize| -> rusqlite::Result<Cell> {
                Ok(match r.get::<_, Option<String>>(i)? {
                    Some(s) => {
                        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_or(Cell::Text(s), Cell::Date)
                    }
                    None => Cell::Empty,
                })
            };
            let mut row = Vec::with_capacity(columns.len());
            for c in &columns {
                row.push(match c.key {
                    "family_name" => text(1)?,
                    "given_name" => text(2)?,
                    "family_name_he" => text(3)?,
                    "given_name_he" => text(4)?,
                    "email" => text(5)?,
                    "orcid" => text(6)?,
                    "phone" => text(7)?,
                    "birth_date" => date(8)?,
                    "citizenships" => {
                        let list: Vec<String> = r
                            .get::<_, Option<String>>(9)?
                            .and_then(|s| serde_json::from_str(&s).ok())
                            .unwrap_or_default();
                        if list.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(list.join(", "))
                        }
                    }
                    "home_institution" => text(10)?,
                    "host_institution" => text(11)?,
                    "direction" => text(12)?,
                    "role" => text(13)?,
                    "status" => text(14)?,
                    "start_date" => date(15)?,
                    "end_date" => date(16)?,
                    "screening" => text(17)?,
                    "visa_type" => text(18)?,
                    "visa_expires" => date(19)?,
                    "checklist" => {
                        let (done, total): (i64, i64) = (r.get(20)?, r.get(21)?);
                        if total == 0 {
                            Cell::Empty
                        } else {
                            Cell::Text(format!("{done}/{total}"))
                        }
                    }
                    "notes" => text(22)?,
                    "cohort" => Cell::Text(cohort_name.clone()),
                    _ => Cell::Empty,
                });
            }
            rows.push(row);
        }
        Ok(Roster {
            cohort_id,
            cohort_name,
            program_name,
            start_date,
            end_date,
            columns,
            hebrew: opts.hebrew,
            placement_ids,
            rows,
        })
    }

    /// Writes a cohort's roster to `path` (atomically) and logs the export.
    pub fn export_roster(
        &mut self,
        cohort: &str,
        path: &Path,
        format: RosterFormat,
        opts: &RosterOptions,
    ) -> Result<ExportSummary> {
        fsutil::check_output(path)?;
        let roster = self.roster_table(cohort, opts)?;
        // JSON is for programs: canonical values whatever the language.
        let roster = match format {
            RosterFormat::Json => roster,
            RosterFormat::Pdf => roster.with_value_labels(true),
            _ => roster.with_value_labels(false),
        };
        let bytes = match format {
            RosterFormat::Json => roster_json(&roster)?,
            RosterFormat::Csv => roster_csv(&roster, opts.excel_bom)?,
            RosterFormat::Xlsx => roster_xlsx(&roster)?,
            RosterFormat::Pdf => crate::pdf::roster_pdf(&roster)?,
        };
        fsutil::write_atomic(path, &bytes)?;
        let summary = ExportSummary {
            file_name: path.display().to_string(),
            format: format.name().to_owned(),
            rows: roster.rows.len() as u32,
            columns: roster.columns.iter().map(|c| c.key.to_owned()).collect(),
            redacted: opts.redact,
        };
        self.log_export(
            "roster",
            format.name(),
            Some(&roster.cohort_id),
            &summary,
            &roster.placement_ids,
            None,
        )?;
        Ok(summary)
    }

    /// Writes one row of the export log: the ids exported, or for `export all` (which
    /// exports every record) the number of records of each entity instead.
    pub(crate) fn log_export(
        &mut self,
        kind: &str,
        format: &str,
        cohort_id: Option<&str>,
        summary: &ExportSummary,
        ids: &[String],
        entity_counts: Option<&BTreeMap<String, u32>>,
    ) -> Result<()> {
        let entity_counts = entity_counts.map(serde_json::to_string).transpose()?;
        self.conn.execute(
            "INSERT INTO export_log (id, exported_at, kind, format, cohort_id, file_name, columns, redacted,
                                     record_count, record_ids, device_id, entity_counts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                uuid::Uuid::now_v7().to_string(),
                values::now_rfc3339(),
                kind,
                format,
                cohort_id,
                summary.file_name,
                serde_json::to_string(&summary.columns)?,
                summary.redacted,
                summary.rows,
                serde_json::to_string(ids)?,
                self.device_id,
                entity_counts,
            ],
        )?;
        Ok(())
    }

    /// The export log, newest first.
    pub fn export_log(&self, limit: usize) -> Result<Vec<ExportLogEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.id, l.exported_at, l.kind, l.format, l.cohort_id, c.name, l.file_name, l.columns,
                    l.redacted, l.record_count, l.entity_counts
             FROM export_log l LEFT JOIN cohort c ON c.id = l.cohort_id
             ORDER BY l.exported_at DESC, l.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(ExportLogEntry {
                id: r.get(0)?,
                exported_at: r.get(1)?,
                kind: r.get(2)?,
                format: r.get(3)?,
                cohort_id: r.get(4)?,
                cohort_name: r.get(5)?,
                file_name: r.get(6)?,
                columns: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                redacted: r.get(8)?,
                record_count: r.get(9)?,
                entity_counts: r
                    .get::<_, Option<String>>(10)?
                    .and_then(|s| serde_json::from_str(&s).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves a named preset (roster columns, import mapping).
    pub fn save_preset(&mut self, kind: &str, name: &str, value: &Value) -> Result<()> {
        let name = values::parse_name("name", name).map_err(|p| Error::Invalid(vec![p]))?;
        self.conn.execute(
            "INSERT INTO preset (kind, name, value) VALUES (?1, ?2, ?3)
             ON CONFLICT (kind, name) DO UPDATE SET value = excluded.value",
            params![kind, name, value.to_string()],
        )?;
        Ok(())
    }

    /// The presets of a kind, by name.
    pub fn presets(&self, kind: &str) -> Result<Map<String, Value>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, value FROM preset WHERE kind = ?1 ORDER BY name")?;
        let rows = stmt.query_map([kind], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Map::new();
        for row in rows {
            let (name, value) = row?;
            out.insert(name, serde_json::from_str(&value).unwrap_or(Value::Null));
        }
        Ok(out)
    }
}

/// Neutralises a cell a spreadsheet would run: a leading apostrophe makes it text.
fn csv_safe(s: String) -> String {
    if looks_like_formula(&s) {
        format!("'{s}")
    } else {
        s
    }
}

/// RFC 4180 CSV in UTF-8 (with a byte-order mark for Excel when asked).
pub fn roster_csv(roster: &Roster, bom: bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(roster.labels()).map_err(csv_error)?;
        for row in &roster.rows {
            w.write_record(row.iter().map(|c| csv_safe(c.as_text())))
                .map_err(csv_error)?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io(std::io::Error::other(format!(
        "cannot write the spreadsheet: {e}"
    )))
}

/// An XLSX workbook: bold frozen header, autofilter, fitted widths, real dates,
/// Hebrew cells right-to-left, formula-looking text stored as text.
pub fn roster_xlsx(roster: &Roster) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let sheet_name: String = roster
        .cohort_name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect::<String>()
        .trim_matches('\'')
        .to_owned();
    if !sheet_name.trim().is_empty() {
        ws.set_name(sheet_name.trim()).map_err(xlsx_error)?;
    }
    if roster.hebrew {
        ws.set_right_to_left(true);
    }
    let header = Format::new().set_bold().set_background_color("#E8EEF9");
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Left);
    let rtl = Format::new().set_reading_direction(2);
    let quoted = Format::new().set_quote_prefix();
    for (c, label) in roster.labels().iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *label, &header)
            .map_err(xlsx_error)?;
    }
    for (r, row) in roster.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Date(d) => {
                    ws.write_date_with_format(r, c, d, &date)
                        .map_err(xlsx_error)?;
                }
                Cell::Text(s) if looks_like_formula(s) => {
                    ws.write_string_with_format(r, c, s, &quoted)
                        .map_err(xlsx_error)?;
                }
                Cell::Text(s) if values::has_hebrew(s) => {
                    ws.write_string_with_format(r, c, s, &rtl)
                        .map_err(xlsx_error)?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(xlsx_error)?;
                }
            }
        }
    }
    let last_col = roster.columns.len().saturating_sub(1) as u16;
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    ws.autofilter(0, 0, roster.rows.len() as u32, last_col)
        .map_err(xlsx_error)?;
    for c in 0..=last_col {
        // Room for the autofilter button beside each header.
        let width = roster.labels()[c as usize].chars().count() as f64 + 5.0;
        let fitted = roster
            .rows
            .iter()
            .map(|r| r[c as usize].as_text().chars().count())
            .max()
            .unwrap_or(0) as f64;
        ws.set_column_width(c, width.max(fitted + 2.0).min(48.0))
            .map_err(xlsx_error)?;
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

/// A JSON array of objects keyed by column.
pub fn roster_json(roster: &Roster) -> Result<Vec<u8>> {
    let rows: Vec<Value> = roster
        .rows
        .iter()
        .map(|row| {
            let obj: Map<String, Value> = roster
                .columns
                .iter()
                .zip(row)
                .map(|(c, cell)| {
                    let v = match cell {
                        // A list in domain.md: a list in JSON too.
                        _ if c.key == "citizenships" => Value::from(
                            cell.as_text()
                                .split(", ")
                                .filter(|code| !code.is_empty())
                                .collect::<Vec<_>>(),
                        ),
                        Cell::Empty => Value::Null,
                        other => Value::String(other.as_text()),
                    };
                    (c.key.to_owned(), v)
                })
                .collect();
            Value::Object(obj)
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&rows)?;
    out.push(b'\n');
    Ok(out)
}
