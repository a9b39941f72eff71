//! Partner spreadsheets in: CSV/TSV (UTF-8 with or without BOM, UTF-16, Windows-1255,
//! delimiter sniffed) and XLSX; headers in English or Hebrew matched loosely; Hebrew names
//! routed to the `_he` fields; dates in any common order; all-or-nothing with every
//! problem listed by row and column; people matched by e-mail or ORCID, probable
//! duplicates by name in either script.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{Error, Problem, Result};
use crate::msg;
use crate::msg::Msg;
use crate::records::{NewRecordWriter, WriteOptions};
use crate::roster::looks_like_formula;
use crate::{Db, Entity, values};

/// Which order the parts of a date like 03/04/2027 are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

impl DateOrder {
    pub fn parse(s: &str) -> Option<DateOrder> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" => Some(DateOrder::Dmy),
            "mdy" => Some(DateOrder::Mdy),
            "ymd" => Some(DateOrder::Ymd),
            _ => None,
        }
    }
}

/// How to read a file.
#[derive(Debug, Clone, Default, serde::Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    /// Check and report, write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Column header → field (or "ignore"), over the automatic matching.
    #[serde(default)]
    pub mapping: HashMap<String, String>,
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// Placements: the cohort (id or name) of rows that do not name one.
    #[serde(default)]
    pub cohort: Option<String>,
    /// Placements: add past a cohort's capacity (as `placement add --over-capacity`).
    #[serde(default)]
    pub over_capacity: bool,
    /// A workbook's sheet to read (by name), instead of the first holding a table.
    #[serde(default)]
    pub sheet: Option<String>,
}

/// How a column of the file was understood.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ColumnMatch {
    pub header: String,
    /// The field it fills, or None when it is ignored.
    pub field: Option<String>,
    /// Up to two different values of the column from the file's first rows, for the
    /// one who maps the columns to see what each holds.
    pub samples: Vec<String>,
}

/// A record of the file that looks like a person already known (or an earlier row).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DuplicateHint {
    /// The data row (the first row under the header is 1).
    #[ts(type = "number")]
    pub row: u64,
    /// The same row as a spreadsheet program numbers it (the header row included), as the
    /// problems and the changes of the report give it too.
    #[ts(type = "number")]
    pub file_row: u64,
    /// The person the row added (absent after a dry run).
    pub person_id: Option<String>,
    pub name: String,
    /// The people it resembles: id and name. When nothing was written (a dry run, a
    /// refused file), a person an earlier row of the file would add has no id: it is
    /// named by its data row instead ("row 2").
    pub matches: Vec<(String, String)>,
    /// Why they look alike ("same name", "same name in Hebrew and Latin script").
    pub reason: String,
    /// For each match, the data row of the file that adds that person, if one does.
    #[serde(skip)]
    #[ts(skip)]
    match_rows: Vec<Option<u64>>,
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub entity: Entity,
    /// "xlsx" or "csv (UTF-8, ';')" and the like.
    pub file_kind: String,
    /// The sheet of a workbook that was read (none for a CSV or JSON file).
    pub sheet: Option<String>,
    pub dry_run: bool,
    /// True when records were written (no problems, not a dry run).
    pub written: bool,
    pub rows: u32,
    /// The rows added, updated and left unchanged: none when a file with problems was
    /// refused; on a dry run, what the rows without a problem would do (a row with a
    /// problem is never counted).
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// A placement file: the people its rows update (a row matching a person by e-mail
    /// or ORCID with person fields that differ from theirs), counted apart from the
    /// placements; 0 for other files (a person file counts them in `updated`).
    pub people_updated: u32,
    pub columns: Vec<ColumnMatch>,
    pub date_order: Option<DateOrder>,
    pub warnings: Vec<String>,
    /// The same warnings with their message codes and parameters (for the UI).
    pub warning_messages: Vec<Problem>,
    /// Every problem; when there is any, nothing was written.
    pub problems: Vec<Problem>,
    pub duplicates: Vec<DuplicateHint>,
    /// What each row does (or, on a dry run, would do), for the first 1,000 rows read
    /// without a problem (none when a file was refused); `added`, `updated` and
    /// `unchanged` count them all.
    pub changes: Vec<RowChange>,
}

/// What an import does with one row.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RowChange {
    /// The data row (the header not counted), and its line or row in the file.
    #[ts(type = "number")]
    pub row: u64,
    #[ts(type = "number")]
    pub file_row: u64,
    pub action: RowAction,
    /// The record's name as the row gives it (a person's names, an institution's name,
    /// a title).
    pub name: String,
    /// The person the row updates, as stored before the import: a person row that
    /// changes the person it matched by e-mail or ORCID, or a placement row that changes
    /// its person's fields (the placement itself may be added, updated or unchanged).
    pub person: Option<PersonUpdate>,
}

/// A person a row changes, named as stored before the import.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PersonUpdate {
    pub id: String,
    /// The person's names as stored (both scripts), not the row's.
    pub name: String,
    /// The fields the row changes.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RowAction {
    Add,
    Update,
    Unchanged,
}

impl ImportReport {
    /// The report of a file refused as a whole (unreadable, no known column, dates of
    /// unknown order): its problems; nothing read, nothing written.
    pub fn refused(entity: Entity, dry_run: bool, problems: Vec<Problem>) -> ImportReport {
        ImportReport {
            entity,
            file_kind: String::new(),
            sheet: None,
            dry_run,
            written: false,
            rows: 0,
            added: 0,
            updated: 0,
            unchanged: 0,
            people_updated: 0,
            columns: Vec::new(),
            date_order: None,
            warnings: Vec::new(),
            warning_messages: Vec::new(),
            problems,
            duplicates: Vec::new(),
            changes: Vec::new(),
        }
    }
}

/// Progress of long work: how far, of how much.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

// ------------------------------------------------------------------ reading files

#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// A spreadsheet's error value (`#N/A`, `#REF!`…: a formula that failed), as the
    /// spreadsheet shows it. Never a value: a problem of its row.
    Error(String),
    /// A JSON file's object (or list holding objects or lists) where a cell's one value
    /// or list of values belongs, as JSON text. Never a value: a problem of its row.
    Nested(String),
    /// A spreadsheet's formula (`=CONCATENATE(…)`) stored without the value it computes
    /// (a file written by a program that does not calculate). Never a value: a problem
    /// of its row.
    Formula(String),
}

struct Table {
    kind: String,
    headers: Vec<String>,
    /// Whether any row has a value in the column (by index).
    used: Vec<bool>,
    /// How many rows follow the header (blank rows left out).
    count: u32,
    source: Source,
    /// What reading the file decided that the user should know (rows above the header
    /// skipped, another sheet than the first read): warnings of the import.
    notes: Vec<Problem>,
    /// The name of the sheet read, for a workbook.
    sheet: Option<String>,
}

/// Where a table's rows come from. A CSV file keeps only its text and is read again row
/// by row for each pass, so that a file of 100,000 rows is never held as cells; a
/// spreadsheet's cells are held by the reader anyway.
enum Source {
    Csv {
        text: String,
        delimiter: u8,
        /// The index of the header among the file's records.
        header: usize,
        /// Records below the header that repeat it (by index): not data.
        skip: Vec<usize>,
    },
    Cells(Vec<(u64, Vec<Option<Raw>>)>),
}

/// A cell's value as [`Raw`] holds it, borrowed from where the row is read.
#[derive(Debug, Clone, Copy)]
enum Cell<'r> {
    Text(&'r str),
    Number(f64),
    Date(NaiveDate),
    Error(&'r str),
    Nested(&'r str),
    Formula(&'r str),
}

/// The cells of one row where they lie: a CSV record (read into the one record a pass
/// reuses, never copied cell by cell), or a spreadsheet's or JSON file's held cells.
#[derive(Debug, Clone, Copy)]
enum Cells<'r> {
    Csv(&'r csv::StringRecord),
    Held(&'r [Option<Raw>]),
}

impl<'r> Cells<'r> {
    /// The cell in column `index`, trimmed; None when it is empty.
    fn get(self, index: usize) -> Option<Cell<'r>> {
        match self {
            Cells::Csv(record) => record
                .get(index)
                .map(values::trim)
                .filter(|t| !t.is_empty())
                .map(Cell::Text),
            Cells::Held(cells) => cells.get(index)?.as_ref().map(|raw| match raw {
                Raw::Text(s) => Cell::Text(s),
                Raw::Number(n) => Cell::Number(*n),
                Raw::Date(d) => Cell::Date(*d),
                Raw::Error(e) => Cell::Error(e),
                Raw::Nested(json) => Cell::Nested(json),
                Raw::Formula(f) => Cell::Formula(f),
            }),
        }
    }

    /// The column of the last cell with a value.
    fn last_filled(self) -> Option<usize> {
        match self {
            Cells::Csv(record) => (0..record.len())
                .rev()
                .find(|&i| !values::trim(&record[i]).is_empty()),
            Cells::Held(cells) => cells.iter().rposition(Option::is_some),
        }
    }

    fn is_blank(self) -> bool {
        match self {
            Cells::Csv(record) => record.iter().all(|c| values::trim(c).is_empty()),
            Cells::Held(cells) => cells.iter().all(Option::is_none),
        }
    }
}

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Where a row read by [`Table::each_row`] is in the file: its file row, counted from
/// the text only when asked.
struct RowAt<'a, 't> {
    counter: Option<&'a mut FileRows<'t>>,
    byte: Option<u64>,
    file_row: u64,
}

impl RowAt<'_, '_> {
    fn file_row(&mut self) -> u64 {
        if let Some(counter) = self.counter.take() {
            self.file_row = counter.at(self.byte);
        }
        self.file_row
    }
}

impl Table {
    /// Calls `f` with each row after the header (blank ones left out) and where it is, in
    /// order, until `f` breaks; returns what it broke with. A CSV file is read again into
    /// one record reused for every row.
    fn each_row<B>(
        &self,
        mut f: impl FnMut(RowAt<'_, '_>, Cells<'_>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        match &self.source {
            Source::Cells(rows) => {
                for (file_row, cells) in rows {
                    let at = RowAt {
                        counter: None,
                        byte: None,
                        file_row: *file_row,
                    };
                    f(at, Cells::Held(cells))?;
                }
            }
            Source::Csv {
                text,
                delimiter,
                header,
                skip,
            } => {
                let mut reader = csv_reader(text, *delimiter);
                let mut file_rows = FileRows::new(text, *delimiter);
                let mut record = csv::StringRecord::new();
                // Every record was read once without error by `read_table`.
                for i in 0.. {
                    if !matches!(reader.read_record(&mut record), Ok(true)) {
                        break;
                    }
                    let cells = Cells::Csv(&record);
                    if i <= *header || skip.contains(&i) || cells.is_blank() {
                        continue;
                    }
                    let at = RowAt {
                        counter: Some(&mut file_rows),
                        byte: record.position().map(csv::Position::byte),
                        file_row: 0,
                    };
                    f(at, cells)?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// The row numbers a spreadsheet program shows for the records of CSV text: every line
/// end outside a quoted cell (CRLF, LF or CR alone) starts a row, blank lines included,
/// while a newline inside a quoted cell does not (the csv reader skips blank lines, and
/// its line count includes the newlines inside cells).
struct FileRows<'t> {
    text: &'t [u8],
    delimiter: u8,
    /// The byte offset and row of the last record numbered.
    last: (usize, u64),
}

impl<'t> FileRows<'t> {
    fn new(text: &'t str, delimiter: u8) -> Self {
        FileRows {
            text: text.as_bytes(),
            delimiter,
            last: (0, 1),
        }
    }

    /// The row of `record`; records must come in file order (any may be left out).
    fn of(&mut self, record: &csv::StringRecord) -> u64 {
        self.at(record.position().map(csv::Position::byte))
    }

    /// The row of the record that starts at `byte` (where the reader started it).
    fn at(&mut self, byte: Option<u64>) -> u64 {
        let (from, row) = self.last;
        let mut to = byte.map_or(from, |b| (b as usize).min(self.text.len()));
        // A record's position is where the reader started it: before the blank lines it
        // skipped.
        while matches!(self.text.get(to), Some(b'\r' | b'\n')) {
            to += 1;
        }
        let row = row + rows_between(&self.text[from.min(to)..to], self.delimiter);
        self.last = (to, row);
        row
    }
}

/// The line ends outside quoted cells in `text`, which starts at a record's start.
fn rows_between(text: &[u8], delimiter: u8) -> u64 {
    let (mut rows, mut quoted, mut at_start) = (0u64, false, true);
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        i += 1;
        if quoted {
            if b == b'"' {
                if text.get(i) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        match b {
            b'"' if at_start => quoted = true,
            b'\n' => {
                rows += 1;
                at_start = true;
                continue;
            }
            b'\r' => {
                if text.get(i) != Some(&b'\n') {
                    rows += 1;
                    at_start = true;
                }
                continue;
            }
            d if d == delimiter => {
                at_start = true;
                continue;
            }
            _ => {}
        }
        at_start = false;
    }
    rows
}

fn file_problem(msg: Msg) -> Error {
    Error::invalid("file", msg)
}

/// How many non-blank rows at the top of a sheet are searched for the header: partner
/// files often start with a title, a date or a note to the coordinator.
const HEADER_SEARCH_ROWS: usize = 30;

/// How many cells of a candidate header row name a field of the import.
type HeaderScore<'a> = &'a dyn Fn(&[String]) -> usize;

/// The header among the first non-blank rows `(position, cells)`: the first row with the
/// most cells that name a field, else (no row names any) the first row. Returns its
/// position and score.
fn pick_header(
    rows: impl Iterator<Item = (usize, Vec<String>)>,
    score: HeaderScore,
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (at, cells) in rows.take(HEADER_SEARCH_ROWS) {
        let n = score(&cells);
        if best.is_none_or(|(_, most)| n > most) {
            best = Some((at, n));
        }
    }
    best
}

/// A warning that `skipped` non-blank rows above the header (at `file_row`) were not read.
fn rows_above_header(skipped: usize, file_row: u64) -> Option<Problem> {
    (skipped > 0).then(|| {
        Problem::new(
            "",
            msg!(IMPORT_ROWS_ABOVE_HEADER, n = skipped, row = file_row),
        )
    })
}

/// `sheet`: the sheet of a workbook to read (an error for another kind of file); a
/// workbook's other sheets with `entity` columns are named in warnings.
fn read_table(
    bytes: &[u8],
    score: HeaderScore,
    entity: Entity,
    sheet: Option<&str>,
) -> Result<Table> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes, score, entity, sheet);
    }
    if let Some(sheet) = sheet {
        return Err(file_problem(msg!(IMPORT_SHEET_NOT_WORKBOOK, sheet)));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(file_problem(msg!(IMPORT_XLS)));
    }
    let (text, encoding) = decode(bytes)?;
    if let Some(table) = json_table(&text)? {
        return Ok(table);
    }
    let delimiter = sniff_delimiter(&text);
    check_quotes(&text, delimiter)?;
    let name = match delimiter {
        b'\t' => "tab".to_owned(),
        d => format!("'{}'", d as char),
    };
    // The header: a title above it is skipped. (A record that cannot be read stops the
    // search; the pass below reports it.)
    let first_rows = csv_reader(&text, delimiter)
        .into_records()
        .map_while(std::result::Result::ok)
        .enumerate()
        .filter(|(_, record)| !Cells::Csv(record).is_blank())
        .map(|(i, record)| {
            (
                i,
                record.iter().map(|c| values::trim(c).to_owned()).collect(),
            )
        });
    let picked = pick_header(first_rows, score);
    let (header_at, header_score) = (picked.map(|(at, _)| at), picked.map_or(0, |(_, n)| n));
    // One pass checks every record, reads the header and counts the rows; the rows are
    // read again when they are used.
    let mut header: Option<(usize, Vec<String>)> = None;
    let (mut used, mut count, mut skipped) = (Vec::new(), 0u32, 0usize);
    let (mut file_rows, mut header_row) = (FileRows::new(&text, delimiter), 1);
    let mut repeats: Vec<(usize, u64)> = Vec::new();
    let mut reader = csv_reader(&text, delimiter);
    let mut record = csv::StringRecord::new();
    for i in 0.. {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(i as u64 + 1);
                return Err(file_problem(msg!(IMPORT_CSV_LINE, line, error = e)));
            }
        }
        if Cells::Csv(&record).is_blank() {
            continue;
        }
        if header_at.is_some_and(|at| i < at) {
            skipped += 1;
            continue;
        }
        let Some((_, headers)) = &header else {
            header_row = file_rows.of(&record);
            header = Some((
                i,
                record.iter().map(|c| values::trim(c).to_owned()).collect(),
            ));
            continue;
        };
        let cells = || {
            record
                .iter()
                .map(|c| values::trim(c).to_owned())
                .collect::<Vec<_>>()
        };
        let again = record
            .iter()
            .map(values::trim)
            .eq(headers.iter().map(String::as_str))
            || (count == 0 && header_score > 0 && score(&cells()) >= header_score);
        if again {
            repeats.push((i, file_rows.of(&record)));
            continue;
        }
        count += 1;
        note_used(
            &mut used,
            record.iter().map(|c| !values::trim(c).is_empty()),
        );
    }
    let (header, headers) = header.ok_or_else(|| file_problem(msg!(IMPORT_EMPTY)))?;
    let repeated_rows: Vec<u64> = repeats.iter().map(|(_, row)| *row).collect();
    Ok(Table {
        kind: format!("csv ({encoding}, {name})"),
        headers,
        used,
        count,
        source: Source::Csv {
            text,
            delimiter,
            header,
            skip: repeats.into_iter().map(|(i, _)| i).collect(),
        },
        notes: rows_above_header(skipped, header_row)
            .into_iter()
            .chain(header_repeated(&repeated_rows))
            .collect(),
        sheet: None,
    })
}

/// A warning that the rows at `file_rows` repeat the header (a second header row in the
/// other language, a header copied along with a second file's rows) and were not read.
fn header_repeated(file_rows: &[u64]) -> Option<Problem> {
    (!file_rows.is_empty()).then(|| {
        let mut rows: Vec<String> = file_rows.iter().take(10).map(u64::to_string).collect();
        if file_rows.len() > 10 {
            rows.push("…".to_owned());
        }
        Problem::new("", msg!(IMPORT_HEADER_REPEATED, rows = rows.join(", ")))
    })
}

/// A JSON array of objects (a roster written with `--format json`) as a table: the keys
/// are the columns, in the order they first appear; element n is data row n.
/// A JSON file: an array of records (`list --json`, a JSON roster). None for text that
/// does not start as JSON does (`[{`, `[]`, `{"`), so a CSV header such as `[Name]`
/// stays CSV; JSON that cannot be read, or is not an array of records, is refused.
fn json_table(text: &str) -> Result<Option<Table>> {
    let start: String = text
        .trim_start()
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(2)
        .collect();
    if !matches!(start.as_str(), "[{" | "[]" | "{\"") {
        return Ok(None);
    }
    let items: Vec<Map<String, Value>> = match serde_json::from_str::<Value>(text) {
        Err(e) => {
            return Err(file_problem(msg!(
                IMPORT_BAD_JSON,
                line = e.line(),
                column = e.column(),
                error = e
            )));
        }
        Ok(Value::Array(items)) if items.iter().all(Value::is_object) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .collect(),
        Ok(_) => return Err(file_problem(msg!(IMPORT_JSON_NOT_RECORDS))),
    };
    let mut headers: Vec<String> = Vec::new();
    for item in &items {
        for key in item.keys() {
            if !headers.contains(key) {
                headers.push(key.clone());
            }
        }
    }
    let cell = |v: &Value| -> Option<Raw> {
        let text = match v {
            Value::Null => return None,
            Value::Number(n) => return n.as_f64().map(Raw::Number),
            Value::String(s) => s.trim().to_owned(),
            Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
                return Some(Raw::Nested(v.to_string()));
            }
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Object(_) => return Some(Raw::Nested(v.to_string())),
            other => other.to_string(),
        };
        (!text.is_empty()).then_some(Raw::Text(text))
    };
    let mut used = vec![false; headers.len()];
    let rows: Vec<(u64, Vec<Option<Raw>>)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let cells: Vec<Option<Raw>> =
                headers.iter().map(|h| item.get(h).and_then(cell)).collect();
            (i as u64 + 1, cells)
        })
        .filter(|(_, cells)| cells.iter().any(Option::is_some))
        .collect();
    for (_, cells) in &rows {
        for (u, c) in used.iter_mut().zip(cells) {
            *u |= c.is_some();
        }
    }
    Ok(Some(Table {
        kind: "json".to_owned(),
        headers,
        used,
        count: rows.len() as u32,
        source: Source::Cells(rows),
        notes: Vec::new(),
        sheet: None,
    }))
}

/// Marks the columns a row has values in.
fn note_used(used: &mut Vec<bool>, cells: impl Iterator<Item = bool>) {
    for (i, has) in cells.enumerate() {
        if i >= used.len() {
            used.resize(i + 1, false);
        }
        used[i] |= has;
    }
}

/// Text from the file's bytes: a BOM decides; else UTF-8 when valid; else Windows-1255.
fn decode(bytes: &[u8]) -> Result<(String, &'static str)> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = enc.decode(&bytes[bom..]);
        if bad {
            return Err(file_problem(msg!(
                IMPORT_BAD_ENCODING,
                encoding = enc.name()
            )));
        }
        return Ok((text.into_owned(), enc.name()));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(file_problem(msg!(IMPORT_PDF)));
    }
    if bytes.contains(&0) || looks_binary(bytes) {
        return Err(file_problem(msg!(IMPORT_BINARY)));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_owned(), "UTF-8")),
        Err(e) if holds_utf8_text(bytes) => {
            // UTF-8 letters with a few bytes of another encoding (a cell pasted from an
            // older file): decoding the whole as 8-bit text would store every UTF-8
            // letter as two wrong ones, and nothing tells which part is right.
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            let end = bytes[at..]
                .iter()
                .position(|b| b.is_ascii())
                .map_or(bytes.len(), |n| at + n);
            let shown: Vec<String> = bytes[at..end.min(at + 8)]
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect();
            Err(file_problem(msg!(
                IMPORT_MIXED_ENCODING,
                line,
                bytes = shown.join(" ")
            )))
        }
        Err(_) if looks_hebrew_8bit(bytes) => {
            // Bytes Windows-1255 leaves undefined would be stored as replacement marks
            // in people's names: the file is neither, and is refused.
            let (text, _, bad) = encoding_rs::WINDOWS_1255.decode(bytes);
            if bad {
                return Err(file_problem(msg!(IMPORT_NOT_HEBREW_8BIT)));
            }
            Ok((text.into_owned(), "windows-1255"))
        }
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text.into_owned(), "windows-1252"))
        }
    }
}

/// Whether the start of a file without a NUL byte is still no text: control characters
/// other than tab, line ends, form feed and DOS's end-of-file mark make up over 1% of its
/// first 4 kB (an image, an archive of another kind). One stray control character in a
/// pasted cell does not make a text file binary.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    controls >= 3 && controls * 100 > head.len()
}

/// Whether bytes that are not all UTF-8 still hold UTF-8 letters: a Hebrew letter, or
/// two or more other characters beyond ASCII. In 8-bit text, Hebrew or Western, a byte
/// that could start a UTF-8 character is almost never followed by the byte it needs.
fn holds_utf8_text(bytes: &[u8]) -> bool {
    let mut found = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars().filter(|c| !c.is_ascii()) {
            if ('\u{0590}'..='\u{05FF}').contains(&c) {
                return true;
            }
            found += 1;
        }
    }
    found >= 2
}

/// Whether 8-bit text is Hebrew (Windows-1255) rather than Western (Windows-1252): in
/// Hebrew text the high bytes make whole words; in Western text they sit inside words of
/// ASCII letters (José, Müller).
fn looks_hebrew_8bit(bytes: &[u8]) -> bool {
    let (mut hebrew_words, mut western_words) = (0, 0);
    for word in bytes.split(|b| !(b.is_ascii_alphabetic() || *b >= 0xC0)) {
        let high = word.iter().filter(|b| **b >= 0xC0).count();
        if high == 0 {
            continue;
        }
        if high == word.len() {
            hebrew_words += 1;
        } else {
            western_words += 1;
        }
    }
    hebrew_words >= western_words
}

/// A quoted cell must close before the file ends; the csv reader would otherwise take the
/// rest of the file into it.
fn check_quotes(text: &str, delimiter: u8) -> Result<()> {
    let (mut line, mut opened_at, mut quoted, mut at_start) = (1u64, 0u64, false, true);
    // Byte by byte: the marks looked for are ASCII, which UTF-8 never uses inside a
    // longer character.
    let text = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        i += 1;
        if quoted {
            if c == b'"' {
                if text.get(i) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            } else if c == b'\n' {
                line += 1;
            }
            continue;
        }
        match c {
            b'"' if at_start => {
                quoted = true;
                opened_at = line;
            }
            b'\n' => {
                line += 1;
                at_start = true;
                continue;
            }
            c if c == delimiter => {
                at_start = true;
                continue;
            }
            b'\r' => continue,
            _ => {}
        }
        at_start = false;
    }
    if quoted {
        return Err(file_problem(msg!(IMPORT_OPEN_QUOTE, line = opened_at)));
    }
    Ok(())
}

/// The delimiter of the header line: comma, semicolon or tab, whichever occurs most
/// outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted && counts.iter().any(|&n| n > 0) => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// The first sheet that holds a table to import: sheets without a header naming a field
/// (instructions, an empty first sheet, lists of values) are passed over, visible sheets
/// before hidden ones; when no sheet names a field, the first sheet that is not empty
/// (whose headers the refusal then lists). Every other sheet with a header naming a
/// field and rows below it is named in a warning (one workbook per partner, a sheet per
/// side: nothing is left out without a word). `only` reads the sheet of that name.
fn read_xlsx(
    bytes: &[u8],
    score: HeaderScore,
    entity: Entity,
    only: Option<&str>,
) -> Result<Table> {
    use calamine::{Reader, SheetVisible};
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut book = calamine::open_workbook_auto_from_rs(cursor)
        .map_err(|e| file_problem(unopened_workbook(bytes, e)))?;
    let sheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    if sheets.is_empty() {
        return Err(file_problem(msg!(IMPORT_XLSX_NO_SHEET)));
    }
    if let Some(wanted) = only {
        // The name as typed; else the one sheet whose name differs only in case or
        // surrounding spaces.
        let loose = |name: &str| name.trim().to_lowercase() == wanted.trim().to_lowercase();
        let n = (sheets.iter().position(|(name, _)| name == wanted))
            .or_else(|| {
                let mut like = (0..sheets.len()).filter(|&n| loose(&sheets[n].0));
                like.next().filter(|_| like.next().is_none())
            })
            .ok_or_else(|| {
                let names: Vec<String> = sheets.iter().map(|(s, _)| format!("{s:?}")).collect();
                file_problem(msg!(
                    IMPORT_NO_SUCH_SHEET,
                    sheet = wanted,
                    sheets = names.join(", ")
                ))
            })?;
        return match read_sheet(&mut book, n, &sheets[n].0, score)? {
            Some((table, _)) => Ok(table),
            None => Err(file_problem(msg!(IMPORT_SHEET_EMPTY, sheet = sheets[n].0))),
        };
    }
    let mut order: Vec<usize> = (0..sheets.len()).filter(|&n| sheets[n].1).collect();
    order.extend((0..sheets.len()).filter(|&n| !sheets[n].1));
    let mut chosen: Option<Table> = None;
    let mut fallback: Option<Table> = None;
    let mut passed_over: Vec<&str> = Vec::new();
    let mut not_read: Vec<Problem> = Vec::new();
    for n in order {
        let (name, visible) = (&sheets[n].0, sheets[n].1);
        let Some((mut table, found)) = read_sheet(&mut book, n, name, score)? else {
            continue; // an empty sheet
        };
        if found == 0 {
            if chosen.is_none() {
                passed_over.push(name);
                fallback.get_or_insert(table);
            }
            continue;
        }
        if chosen.is_some() {
            if table.count > 0 {
                let (sheet, n) = (name, table.count);
                not_read.push(Problem::new(
                    "",
                    if visible {
                        msg!(IMPORT_SHEET_NOT_READ, sheet, entity, n)
                    } else {
                        msg!(IMPORT_HIDDEN_SHEET_NOT_READ, sheet, entity, n)
                    },
                ));
            }
            continue;
        }
        if !passed_over.is_empty() {
            let w = msg!(
                IMPORT_SHEET_CHOSEN,
                sheet = name,
                others = passed_over
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            table.notes.insert(0, Problem::new("", w));
        }
        chosen = Some(table);
    }
    match chosen {
        Some(mut table) => {
            table.notes.append(&mut not_read);
            Ok(table)
        }
        None => fallback.ok_or_else(|| file_problem(msg!(IMPORT_EMPTY))),
    }
}

/// Why a file that starts as a zip archive is no workbook the reader can open: an
/// OpenDocument (LibreOffice) spreadsheet, whose first entry `mimetype` says so; a zip
/// without a workbook in it (a Word document, an archive of files); a zip cut short (no
/// end of its central directory: a download or copy that stopped); else the reader's own
/// words.
fn unopened_workbook(bytes: &[u8], error: calamine::Error) -> Msg {
    let head = &bytes[..bytes.len().min(200)];
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    if has(head, b"mimetype") && has(head, b"application/vnd.oasis.opendocument") {
        return msg!(IMPORT_ODS);
    }
    // Every entry's name is in the archive as written (its local header and the central
    // directory), compressed or not.
    if !has(bytes, b"xl/workbook.") {
        return if has(bytes, b"word/document.xml") {
            msg!(IMPORT_WORD_DOCUMENT)
        } else if has(bytes, b"PK\x05\x06") {
            msg!(IMPORT_ZIP_NO_WORKBOOK)
        } else {
            msg!(IMPORT_XLSX_DAMAGED)
        };
    }
    // The end of central directory record: in the last 22 bytes plus a comment of at
    // most 65,535.
    if !has(
        &bytes[bytes.len().saturating_sub(22 + 65_535)..],
        b"PK\x05\x06",
    ) {
        return msg!(IMPORT_XLSX_DAMAGED);
    }
    // The XLSX reader's own error says more than "Cannot detect file format".
    let cursor = std::io::Cursor::new(bytes.to_vec());
    match <calamine::Xlsx<_> as calamine::Reader<_>>::new(cursor) {
        Err(e) => msg!(IMPORT_XLSX_OPEN, error = e),
        Ok(_) => msg!(IMPORT_XLSX_OPEN, error),
    }
}

/// Sheet `n` (named `name`) of `book` as a table with the score of its header (None
/// when the sheet is empty): its cells, the formulas of cells that hold no value, and
/// (in an .xlsx file) its merged ranges.
fn read_sheet<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    n: usize,
    name: &str,
    score: HeaderScore,
) -> Result<Option<(Table, usize)>> {
    use calamine::Reader;
    let unreadable =
        |e: &dyn std::fmt::Display| file_problem(msg!(IMPORT_XLSX_SHEET, sheet = name, error = e));
    let Some(range) = book.worksheet_range_at(n) else {
        return Ok(None);
    };
    let range = range.map_err(|e| unreadable(&e))?;
    let formulas = book.worksheet_formula(name).map_err(|e| unreadable(&e))?;
    let (merged, kind) = match book {
        calamine::Sheets::Xlsx(xlsx) => {
            let merged = xlsx.worksheet_merge_cells_at(n).transpose();
            (
                merged.map_err(|e| unreadable(&e))?.unwrap_or_default(),
                "xlsx",
            )
        }
        calamine::Sheets::Ods(_) => (Vec::new(), "ods"),
        _ => (Vec::new(), "xlsx"),
    };
    Ok(
        sheet_table(&range, &formulas, &merged, kind, score).map(|(mut table, found)| {
            table.sheet = Some(name.to_owned());
            (table, found)
        }),
    )
}

/// A sheet's cells as a table (None when the sheet is empty), with the score of its
/// header. A cell with no value but a formula (a file written by a program that does
/// not calculate) is that formula, never an empty cell. A range merged down over rows
/// gives its value to each row, as a spreadsheet shows it (home institution merged over
/// three people's rows is the home institution of each), except rows holding nothing
/// else; one merged across columns stays in its first column.
fn sheet_table(
    range: &calamine::Range<calamine::Data>,
    formulas: &calamine::Range<String>,
    merged: &[calamine::Dimensions],
    kind: &str,
    score: HeaderScore,
) -> Option<(Table, usize)> {
    use calamine::Data;
    let (top, left) = range.start().unwrap_or((0, 0));
    let value = |cell: &Data| match cell {
        Data::Empty => None,
        Data::Error(e) => Some(Raw::Error(e.to_string())),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            let t = values::trim(s);
            (!t.is_empty()).then(|| Raw::Text(t.to_owned()))
        }
        Data::Float(f) => Some(Raw::Number(*f)),
        Data::Int(n) => Some(Raw::Number(*n as f64)),
        Data::Bool(b) => Some(Raw::Text(b.to_string())),
        Data::DateTime(dt) => dt.as_datetime().map(|d| Raw::Date(d.date())),
    };
    // The cells below a merged range's first cell in its column (within the sheet's
    // cells), with that first cell: a value merged down over rows is every row's. One
    // merged across columns stays in its first column: "Dana Cohen" over the given and
    // family name columns is one value, not one for each.
    let mut covered: HashMap<(u32, u32), (u32, u32)> = HashMap::new();
    if let Some((bottom, right)) = range.end() {
        for m in merged
            .iter()
            .filter(|m| (left..=right).contains(&m.start.1))
        {
            for r in m.start.0.max(top) + 1..=m.end.0.min(bottom) {
                covered.insert((r, m.start.1), m.start);
            }
        }
    }
    let mut all = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let r = top + i as u32;
        let mut cells: Vec<Option<Raw>> = vec![None; left as usize];
        for (j, cell) in row.iter().enumerate() {
            let c = left + j as u32;
            cells.push(match cell {
                Data::Empty => formulas
                    .get_value((r, c))
                    .map(|f| f.trim())
                    .filter(|f| !f.is_empty())
                    .map(|f| match f.starts_with('=') {
                        true => Raw::Formula(f.to_owned()),
                        false => Raw::Formula(format!("={f}")),
                    }),
                cell => value(cell),
            });
        }
        if !cells.iter().any(Option::is_some) {
            continue;
        }
        for (c, slot) in cells.iter_mut().enumerate() {
            if slot.is_none()
                && let Some(&(from_r, from_c)) = covered.get(&(r, c as u32))
            {
                *slot = range.get_value((from_r, from_c)).and_then(value);
            }
        }
        all.push((u64::from(r) + 1, cells));
    }
    into_table(kind.to_owned(), all, score)
}

/// The non-blank rows `(file row, cells)` of a sheet as a table: the header found by
/// [`pick_header`], the rows below it; None when there is no row.
fn into_table(
    kind: String,
    all: Vec<(u64, Vec<Option<Raw>>)>,
    score: HeaderScore,
) -> Option<(Table, usize)> {
    let text = |cells: &[Option<Raw>]| -> Vec<String> {
        cells
            .iter()
            .map(|c| match c {
                Some(Raw::Text(s)) => s.clone(),
                Some(Raw::Number(n)) => n.to_string(),
                Some(Raw::Date(d)) => d.to_string(),
                Some(Raw::Error(e) | Raw::Nested(e) | Raw::Formula(e)) => e.clone(),
                None => String::new(),
            })
            .collect()
    };
    let (at, found) = pick_header(
        all.iter()
            .enumerate()
            .map(|(i, (_, cells))| (i, text(cells))),
        score,
    )?;
    let mut rows = all;
    let mut below = rows.split_off(at + 1);
    let (header_row, header) = rows.pop()?;
    let headers = text(&header);
    // Rows that repeat the header: the same cells, or a second header row just below it.
    let mut repeated = Vec::new();
    let mut first = true;
    below.retain(|(row, cells)| {
        let cells = text(cells);
        let again = cells == headers || (first && found > 0 && score(&cells) >= found);
        first = false;
        if again {
            repeated.push(*row);
        }
        !again
    });
    let mut used = Vec::new();
    for (_, cells) in &below {
        note_used(&mut used, cells.iter().map(Option::is_some));
    }
    let table = Table {
        kind,
        headers,
        used,
        count: below.len() as u32,
        source: Source::Cells(below),
        notes: rows_above_header(at, header_row)
            .into_iter()
            .chain(header_repeated(&repeated))
            .collect(),
        sheet: None,
    };
    Some((table, found))
}

// ------------------------------------------------------------------ matching headers

/// A header folded for matching: lower case, no accents, letters and digits only
/// (spaces, punctuation and quote marks — `"`, `״`, `'` — removed).
fn norm(header: &str) -> String {
    values::fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Fields a column can fill, with the labels that mean them (already folded by `norm`).
fn synonyms(entity: Entity) -> Vec<(&'static str, Vec<&'static str>)> {
    let person: Vec<(&str, Vec<&str>)> = vec![
        (
            "given",
            vec![
                "givenname",
                "firstname",
                "first",
                "forename",
                "givennamehe",
                "givennamehebrew",
                "givennamelatin",
                "givennames",
                "firstnames",
                "שםפרטילועזית",
                "שםפרטיבאנגלית",
                "שםפרטי",
                "פרטי",
                "שםפרטיבעברית",
            ],
        ),
        (
            "family",
            vec![
                "familyname",
                "lastname",
                "surname",
                "last",
                "familynamehe",
                "familynamehebrew",
                "familynamelatin",
                "lastnames",
                "familynames",
                "שםמשפחהלועזית",
                "שםמשפחהבאנגלית",
                "שםמשפחה",
                "משפחה",
                "שםמשפחהבעברית",
            ],
        ),
        (
            "full_name",
            vec![
                "fullname",
                "participant",
                "participantname",
                "שםמלא",
                "שםהמשתתף",
            ],
        ),
        (
            "email",
            vec![
                "email",
                "emailaddress",
                "mail",
                "emailadress",
                "דואל",
                "אימייל",
                "מייל",
                "דוארelectroni",
                "דואראלקטרוני",
                "כתובתדואל",
            ],
        ),
        (
            "orcid",
            vec!["orcid", "orcidid", "orcidnumber", "orcididentifier"],
        ),
        (
            "birth_date",
            vec![
                "birthdate",
                "dateofbirth",
                "dob",
                "birthday",
                "תאריךלידה",
                "תלידה",
            ],
        ),
        (
            "citizenships",
            vec![
                "citizenships",
                "citizenship",
                "nationality",
                "nationalities",
                "countryofcitizenship",
                "citizenshipcountry",
                "אזרחות",
                "אזרחויות",
            ],
        ),
        (
            "phone",
            vec![
                "phone",
                "telephone",
                "phonenumber",
                "mobile",
                "cell",
                "mobilephone",
                "cellphone",
                "mobilenumber",
                "cellnumber",
                "phoneno",
                "tel",
                "telephonenumber",
                "טלפון",
                "נייד",
                "מספרטלפון",
                "טלפוןנייד",
                "טלנייד",
                "מספרנייד",
            ],
        ),
        (
            "home_institution",
            vec![
                "homeinstitution",
                "homeinstitutionid",
                "institution",
                "university",
                "affiliation",
                "organization",
                "organisation",
                "homeuniversity",
                "homeorganization",
                "homeorganisation",
                "sendinginstitution",
                "מוסד",
                "מוסדבית",
                "מוסדשולח",
                "אוניברסיטה",
                "מוסדאם",
            ],
        ),
        (
            "notes",
            vec![
                "notes",
                "note",
                "comments",
                "comment",
                "remarks",
                "הערות",
                "הערה",
            ],
        ),
    ];
    match entity {
        Entity::Person => {
            let mut v = person;
            v.push(("full_name", vec!["name", "שם"]));
            v
        }
        Entity::Placement => {
            let mut v = person;
            v.retain(|(f, _)| *f != "notes");
            v.push(("full_name", vec!["name", "שם"]));
            v.extend([
                ("person_id", vec!["personid"]),
                (
                    "cohort",
                    vec![
                        "cohort",
                        "cohortid",
                        "cohortname",
                        "intake",
                        "מחזור",
                        "קבוצה",
                    ],
                ),
                ("role", vec!["role", "תפקיד"]),
                ("status", vec!["status", "סטטוס", "מצב"]),
                (
                    "screening",
                    vec!["screening", "securityscreening", "סינון", "סינוןביטחוני"],
                ),
                (
                    "host_institution",
                    vec![
                        "hostinstitution",
                        "hostinstitutionid",
                        "host",
                        "hostuniversity",
                        "hostorganization",
                        "hostorganisation",
                        "receivinginstitution",
                        "מוסדמארח",
                        "מוסדקולט",
                    ],
                ),
                (
                    "start_date",
                    vec!["startdate", "start", "from", "תאריךהתחלה", "התחלה"],
                ),
                (
                    "end_date",
                    vec!["enddate", "end", "to", "until", "תאריךסיום", "סיום"],
                ),
                (
                    "visa_type",
                    vec!["visatype", "visa", "סוגאשרה", "ויזה", "אשרה"],
                ),
                (
                    "visa_expires",
                    vec![
                        "visaexpires",
                        "visaexpiry",
                        "visaexpiration",
                        "visaexpirationdate",
                        "תוקףאשרה",
                        "תוקףויזה",
                    ],
                ),
                ("notes", vec!["notes", "note", "comments", "הערות"]),
                ("direction", vec!["direction", "כיוון"]),
            ]);
            v
        }
        Entity::Institution => vec![
            (
                // A name column: its Hebrew values go to name_he, the others to name.
                "inst_name",
                vec![
                    "name",
                    "institution",
                    "institutionname",
                    "organization",
                    "organisation",
                    "שם",
                    "מוסד",
                    "שםהמוסד",
                ],
            ),
            (
                "name_he",
                vec!["namehe", "hebrewname", "nameinhebrew", "שםבעברית"],
            ),
            ("country", vec!["country", "countrycode", "מדינה", "ארץ"]),
            ("sector", vec!["sector", "type", "מגזר", "סוג"]),
            ("city", vec!["city", "town", "עיר"]),
            (
                "website",
                vec!["website", "web", "url", "site", "אתר", "אתראינטרנט"],
            ),
            ("ror", vec!["ror", "rorid"]),
        ],
        // The other entities: the canonical field names (a template's headers), and for a
        // reference the record's name without `_id` (its value an id or a name).
        Entity::Program => vec![
            (
                "name",
                vec![
                    "name",
                    "programname",
                    "program",
                    "שם",
                    "שםהתוכנית",
                    "תוכנית",
                ],
            ),
            ("kind", vec!["kind", "type", "programkind", "סוג"]),
            (
                "tech_areas",
                vec![
                    "techareas",
                    "technologyareas",
                    "areas",
                    "תחומים",
                    "תחומיטכנולוגיה",
                ],
            ),
            ("sensitive", vec!["sensitive", "רגיש"]),
            (
                "partner_institution_ids",
                vec![
                    "partnerinstitutions",
                    "partners",
                    "institutions",
                    "מוסדותשותפים",
                ],
            ),
            ("funder", vec!["funder", "funding", "מממן"]),
            ("description", vec!["description", "תיאור"]),
            ("archived", vec!["archived", "בארכיון"]),
        ],
        Entity::Cohort => vec![
            ("program_id", vec!["program", "programname", "תוכנית"]),
            (
                "name",
                vec!["name", "cohort", "cohortname", "שם", "מחזור", "שםהמחזור"],
            ),
            (
                "start_date",
                vec!["start", "startdate", "תאריךהתחלה", "התחלה"],
            ),
            ("end_date", vec!["end", "enddate", "תאריךסיום", "סיום"]),
            (
                "capacity",
                vec!["capacity", "places", "seats", "מקומות", "קיבולת"],
            ),
            (
                "host_institution_id",
                vec!["hostinstitution", "host", "institution", "מוסדמארח", "מוסד"],
            ),
            (
                "location",
                vec!["location", "place", "city", "מיקום", "מקום"],
            ),
            ("archived", vec!["archived", "בארכיון"]),
        ],
        Entity::Fellowship => vec![
            (
                "person_id",
                vec!["person", "email", "emailaddress", "orcid", "דואל", "אימייל"],
            ),
            ("placement_id", vec!["placement"]),
            (
                "title",
                vec!["title", "name", "fellowship", "כותרת", "שם", "מלגה"],
            ),
            (
                "award_minor",
                vec!["awardminor", "awardminorunits", "amountminor"],
            ),
            ("currency", vec!["currency", "מטבע"]),
        ],
        Entity::Agreement => vec![
            (
                "title",
                vec!["title", "name", "agreement", "כותרת", "שם", "הסכם"],
            ),
            (
                "institution_ids",
                vec!["institutions", "parties", "partners", "מוסדות", "צדדים"],
            ),
            (
                "valid_from",
                vec!["validfrom", "from", "start", "startdate", "בתוקףמ"],
            ),
            (
                "valid_to",
                vec!["validto", "to", "until", "end", "enddate", "בתוקףעד"],
            ),
        ],
    }
}

/// The fields an import of `entity` accepts (for mappings and templates).
pub fn import_fields(entity: Entity) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (field, _) in synonyms(entity) {
        let field = public_field(field);
        if !out.contains(&field) && !matches!(field, "direction" | "full_name") {
            out.push(field);
        }
    }
    if matches!(entity, Entity::Person | Entity::Placement) {
        let at = out
            .iter()
            .position(|f| *f == "family_name")
            .map_or(out.len(), |i| i + 1);
        out.insert(at, "family_name_he");
        out.insert(at, "given_name_he");
    }
    out
}

fn match_header(
    entity: Entity,
    header: &str,
    mapping: &HashMap<String, String>,
) -> Result<Option<&'static str>> {
    let table = synonyms(entity);
    let explicit = mapping.get(header).or_else(|| {
        mapping
            .iter()
            .find(|(k, _)| norm(k) == norm(header))
            .map(|(_, v)| v)
    });
    if let Some(target) = explicit {
        if target == "ignore" || target.is_empty() {
            return Ok(None);
        }
        let t = norm(target);
        for (field, labels) in &table {
            if norm(field) == t || labels.contains(&t.as_str()) {
                return Ok(Some(field));
            }
        }
        for fixed in ["given_name_he", "family_name_he"] {
            if norm(fixed) == t {
                return Ok(Some(if fixed.starts_with("given") {
                    "given"
                } else {
                    "family"
                }));
            }
        }
        return Err(Error::invalid(
            "mapping",
            msg!(IMPORT_BAD_MAPPING, target, header, entity),
        ));
    }
    let h = norm(header);
    if h.is_empty() {
        return Ok(None);
    }
    let find = |h: &str| {
        table
            .iter()
            .find(|(field, labels)| norm(field) == h || labels.contains(&h))
            .map(|(field, _)| *field)
    };
    if let Some(field) = find(&h) {
        return Ok(Some(field));
    }
    // A note in brackets: "Date of birth (DD/MM/YYYY)", "Email (work)".
    let unbracketed = norm(&without_brackets(header));
    if !unbracketed.is_empty()
        && unbracketed != h
        && let Some(field) = find(&unbracketed)
    {
        return Ok(Some(field));
    }
    // The script of a name column ("First name English", "שם משפחה באנגלית"): the value's
    // own script decides where it goes.
    for h in [&h, &unbracketed] {
        for q in SCRIPT_WORDS {
            let rest = h
                .strip_suffix(q)
                .or_else(|| h.strip_prefix(q))
                .filter(|r| !r.is_empty());
            if let Some(field) = rest.and_then(find)
                && matches!(field, "given" | "family" | "full_name")
            {
                return Ok(Some(field));
            }
        }
    }
    Ok(None)
}

/// Words that say which script a name column holds (folded by `norm`).
const SCRIPT_WORDS: &[&str] = &[
    "inenglish",
    "english",
    "inhebrew",
    "hebrew",
    "inlatin",
    "latin",
    "latinscript",
    "hebrewscript",
    "באנגלית",
    "אנגלית",
    "בעברית",
    "עברית",
    "בלועזית",
    "לועזית",
];

/// A header without its parts in brackets.
fn without_brackets(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// How many cells of a row would be read as fields of `entity` if the row were the
/// header (a mapping that names a field it cannot fill counts too: the import then
/// reports it).
fn header_score(entity: Entity, cells: &[String], mapping: &HashMap<String, String>) -> usize {
    cells
        .iter()
        .filter(|c| !c.trim().is_empty())
        .filter(|c| !matches!(match_header(entity, c, mapping), Ok(None)))
        .count()
}

// ------------------------------------------------------------------ values

/// At most this many people are named as the matches of one probable duplicate.
const MAX_MATCHES: usize = 5;

/// The page cache while a file is imported, in KiB (negative: SQLite's unit for a size
/// in KiB): room for the indexes a 100,000-row file touches, well inside the memory
/// budget of an import.
const IMPORT_CACHE_KIB: i64 = -64 * 1024;
/// At most this many probable duplicates (and same-name warnings) are reported per file.
const MAX_HINTS: usize = 1000;

const DATE_FIELDS: &[&str] = &[
    "birth_date",
    "start_date",
    "end_date",
    "visa_expires",
    "valid_from",
    "valid_to",
];

/// A date as the file wrote it: ISO, or three numbers in some order, perhaps followed by
/// a time of day (`9/1/2027 0:00` from a spreadsheet's date-time cell, `2027-09-01T00:00:00`),
/// which is dropped.
fn date_parts(s: &str) -> Option<(u32, u32, i32, bool)> {
    let s = match s.trim().split_once([' ', 'T']) {
        Some((date, time)) if is_time_of_day(time) => date,
        _ => s,
    };
    let mut split = s.split(['/', '.', '-']).map(str::trim);
    let (Some(p0), Some(p1), Some(p2), None) =
        (split.next(), split.next(), split.next(), split.next())
    else {
        return None;
    };
    let parts = [p0, p1, p2];
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() == 4 {
        return Some((
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
            parts[0].parse().ok()?,
            true,
        ));
    }
    if parts[2].len() != 4 {
        return None;
    }
    Some((
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
        false,
    ))
}

/// `0:00`, `00:00:00`, `12:30 PM`, `00:00:00.000Z`: hours and minutes, and perhaps
/// seconds, fractions, AM/PM or a zone.
fn is_time_of_day(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_suffix("AM")
        .or_else(|| s.strip_suffix("PM"))
        .or_else(|| s.strip_suffix("am"))
        .or_else(|| s.strip_suffix("pm"))
        .or_else(|| s.strip_suffix('Z'))
        .unwrap_or(s)
        .trim_end();
    let mut parts = s.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.chars().all(|c| c.is_ascii_digit())
    };
    let seconds_ok = match parts.next() {
        None => true,
        Some(sec) => {
            let whole = sec.split('.').next().unwrap_or("");
            digits(whole, 2) && parts.next().is_none()
        }
    };
    digits(h, 2) && digits(m, 2) && seconds_ok
}

fn parse_date_text(s: &str, order: Option<DateOrder>) -> std::result::Result<NaiveDate, Msg> {
    let bad = || msg!(IMPORT_NOT_A_DATE, value = s);
    let (a, b, year, year_first) = date_parts(s).ok_or_else(bad)?;
    let (day, month) = if year_first {
        (b, a)
    } else {
        match order {
            Some(DateOrder::Mdy) => (b, a),
            Some(DateOrder::Dmy) => (a, b),
            Some(DateOrder::Ymd) | None if a > 12 => (a, b),
            Some(DateOrder::Ymd) | None if b > 12 => (b, a),
            Some(DateOrder::Ymd) | None if a == b => (a, b),
            Some(DateOrder::Ymd) | None => {
                return Err(msg!(IMPORT_DATE_AMBIGUOUS, value = s));
            }
        }
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| msg!(IMPORT_NOT_A_REAL_DATE, value = s))?;
    if (1900..=2200).contains(&year) {
        return Ok(date); // what the check below would say, without writing and reading it
    }
    values::parse_date("", &date.to_string()).map_err(Msg::from)
}

/// Dates whose order the file does not settle: the problem that says so, and the cell it
/// names (data row, column index).
type Unsettled = (Problem, (u64, usize));

/// Settles the order of D/M/Y dates from the file itself, when any value shows it; else
/// (values of both orders, or only values that could be either) the problem that says
/// so, named by the value's row (data row, and file row) and column like every other
/// problem of a file, with the cell it names as data row and column index. The import
/// still reads every row then (dates that could be either order are problems of their
/// rows), so that all the file's problems are listed at once.
fn infer_date_order(
    table: &Table,
    date_columns: &[usize],
    year_first: bool,
) -> (Option<DateOrder>, Option<Unsettled>) {
    /// Where a value was seen: (data row, file row, column index, value).
    type Seen = (u64, u64, usize, String);
    let (mut dmy, mut mdy, mut ambiguous): (Option<Seen>, Option<Seen>, Option<Seen>) =
        (None, None, None);
    if date_columns.is_empty() {
        return (None, None);
    }
    let mut row = 0;
    let _ = table.each_row(|mut at, cells| {
        row += 1;
        for &c in date_columns {
            let Some(Cell::Text(s)) = cells.get(c) else {
                continue;
            };
            let Some((a, b, _, false)) = date_parts(s) else {
                continue;
            };
            let seen = || (row, at.file_row(), c, s.to_owned());
            if a > 12 && b <= 12 {
                dmy.get_or_insert_with(seen);
            } else if b > 12 && a <= 12 {
                mdy.get_or_insert_with(seen);
            } else if a != b && a <= 12 && b <= 12 {
                ambiguous.get_or_insert_with(seen);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let at = |(row, file_row, c, value): Seen, msg: Msg| {
        let problem = Problem {
            row: Some(row),
            file_row: Some(file_row),
            column: table.headers.get(c).cloned(),
            value: Some(value),
            ..Problem::new("date_order", msg)
        };
        (problem, (row, c))
    };
    match (dmy, mdy, ambiguous) {
        (Some((r1, _, _, v1)), Some(second), _) => {
            let message = msg!(
                IMPORT_MIXED_DATE_ORDERS,
                value1 = v1,
                row1 = r1,
                value2 = second.3,
                row2 = second.0
            );
            (None, Some(at(second, message)))
        }
        (Some(_), None, _) => (Some(DateOrder::Dmy), None),
        (None, Some(_), _) => (Some(DateOrder::Mdy), None),
        (None, None, Some(seen)) => {
            let (value, row) = (seen.3.clone(), seen.0);
            let message = if year_first {
                // The year-first order was asked for, and these dates are not.
                msg!(IMPORT_DATE_NOT_YEAR_FIRST, value, row)
            } else {
                msg!(IMPORT_DATE_ORDER_UNKNOWN, value, row)
            };
            (None, Some(at(seen, message)))
        }
        (None, None, None) => (None, None),
    }
}

/// Fills each column's `samples` (its file column in `indexes`) with up to two different
/// values from the first rows of the file (at most 50 rows are read).
fn sample_values(table: &Table, indexes: &[usize], matches: &mut [ColumnMatch]) {
    const SAMPLES: usize = 2;
    const ROWS: usize = 50;
    let mut read = 0;
    let _ = table.each_row(|_, cells| {
        read += 1;
        for (m, &index) in matches.iter_mut().zip(indexes) {
            if m.samples.len() >= SAMPLES {
                continue;
            }
            let Some(cell) = cells.get(index) else {
                continue;
            };
            let text = cell_text(cell);
            let text = values::trim(&text);
            if !text.is_empty() && !m.samples.iter().any(|s| s == text) {
                let shown: String = text.chars().take(60).collect();
                m.samples.push(shown);
            }
        }
        let done = read >= ROWS || matches.iter().all(|m| m.samples.len() >= SAMPLES);
        if done {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
}

fn cell_text(cell: Cell) -> String {
    match cell {
        Cell::Text(s) => {
            // Undo the apostrophe that neutralises formulas in our own CSV exports.
            match s.strip_prefix('\'') {
                Some(rest) if looks_like_formula(rest) => rest.to_owned(),
                _ => s.to_owned(),
            }
        }
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Error(e) | Cell::Nested(e) | Cell::Formula(e) => e.to_owned(),
    }
}

/// The address of an e-mail cell as mail programs copy it: `Dana Cohen <dana@example.org>`,
/// `mailto:dana@example.org`.
fn address(text: &str) -> String {
    let t = text.trim();
    let t = match (t.rfind('<'), t.ends_with('>')) {
        (Some(open), true) => &t[open + 1..t.len() - 1],
        _ => t,
    };
    let t = t.trim();
    match t.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => t[7..].trim().to_owned(),
        _ => t.to_owned(),
    }
}

/// A cell of citizenships as codes separated by commas: `US;IL`, `US/IL`, `US IL`,
/// `Israel, United States`. A part that is no country is kept as written (the record's
/// check then names it).
fn countries(text: &str) -> String {
    let code = |s: &str| -> Option<String> {
        let upper = s.to_ascii_uppercase();
        if upper.len() == 2 && values::parse_country("", &upper).is_ok() {
            return Some(upper);
        }
        values::country_by_name(s).map(str::to_owned)
    };
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', ';', '/', '|', '\n']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        match code(part) {
            Some(c) => out.push(c),
            None => match words.iter().map(|w| code(w)).collect::<Option<Vec<_>>>() {
                Some(codes) if words.len() > 1 => out.extend(codes),
                _ => out.push(part.to_owned()),
            },
        }
    }
    out.join(", ")
}

/// Splits "Cohen, Dana" or "Dana Cohen" into (given, family).
/// A title before the name ("Dr. Dana Cohen", "Cohen, Prof. Dana", `ד"ר דנה כהן`) is left
/// out: it is not part of the given name.
fn split_full_name(s: &str) -> (String, String) {
    if let Some((family, given)) = s.split_once(',') {
        return (without_title(given).to_owned(), family.trim().to_owned());
    }
    let s = without_title(s);
    match s.rsplit_once(char::is_whitespace) {
        Some((given, family)) => (given.trim().to_owned(), family.trim().to_owned()),
        None => (String::new(), s.to_owned()),
    }
}

/// `s` without the titles it starts with.
fn without_title(s: &str) -> &str {
    const TITLES: &[&str] = &[
        "dr",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "דר",
        "פרופ",
        "פרופסור",
        "מר",
        "גב",
        "הגב",
    ];
    let mut s = s.trim();
    while let Some((first, rest)) = s.split_once(char::is_whitespace) {
        let word: String = first
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !TITLES.contains(&word.as_str()) || rest.trim().is_empty() {
            break;
        }
        s = rest.trim_start();
    }
    s
}

// ------------------------------------------------------------------ duplicates by name

/// Consonant skeletons of a name, so that "Cohen" and "כהן" meet: vowels, silent and
/// guttural letters dropped, letters that sound alike folded together. A Latin name gives
/// a few keys ("ch" may stand for ח or כ).
pub(crate) fn phonetic_keys(name: &str) -> Vec<String> {
    let s = values::fold(name);
    if values::has_hebrew(&s) {
        let key: String = s
            .chars()
            .filter_map(|c| match c {
                'ג' => Some('g'),
                'ד' => Some('d'),
                'ז' | 'ס' | 'צ' | 'ץ' | 'ש' => Some('s'),
                'ט' | 'ת' => Some('t'),
                'כ' | 'ך' | 'ק' => Some('k'),
                'ל' => Some('l'),
                'מ' | 'ם' => Some('m'),
                'נ' | 'ן' => Some('n'),
                'פ' | 'ף' => Some('p'),
                'ר' => Some('r'),
                _ => None,
            })
            .collect();
        return vec![collapse_doubles(&key)];
    }
    // `str::replace` makes a new string even when there is nothing to replace.
    fn replaced(s: String, from: &str, to: &str) -> String {
        if s.contains(from) {
            s.replace(from, to)
        } else {
            s
        }
    }
    let mut variants = vec![replaced(s.clone(), "ch", "k"), replaced(s, "ch", "")];
    variants.dedup();
    let mut keys: Vec<String> = variants
        .into_iter()
        .map(|v| {
            let mut v = v;
            for (from, to) in [
                ("sh", "s"),
                ("tz", "s"),
                ("ts", "s"),
                ("ph", "p"),
                ("kh", ""),
                ("th", "t"),
                ("ck", "k"),
            ] {
                v = replaced(v, from, to);
            }
            v.chars()
                .filter_map(|c| match c {
                    'g' | 'j' => Some('g'),
                    'd' => Some('d'),
                    's' | 'z' => Some('s'),
                    't' => Some('t'),
                    'c' | 'k' | 'q' => Some('k'),
                    'x' => Some('k'),
                    'l' => Some('l'),
                    'm' => Some('m'),
                    'n' => Some('n'),
                    'p' | 'f' => Some('p'),
                    'r' => Some('r'),
                    _ => None,
                })
                .collect::<String>()
        })
        .map(|k| collapse_doubles(&k))
        .collect();
    keys.dedup();
    keys
}

/// "ss" → "s": doubled letters in Latin spelling are one sound.
fn collapse_doubles(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The keys a person is filed under as a possible duplicate: the full name in each script
/// (`n:`), and, for a person named in one script only, the phonetic skeleton of given +
/// family name tagged with that script (`pl:` Latin, `ph:` Hebrew). A skeleton has no
/// vowels (Hebrew writes few), so it only ever meets the other script's
/// ([`matching_keys`]): "Dana Cohen" ~ "דנה כהן", but "Dana Cohen" and "Dina Cohen", both
/// in Latin letters, are different people. A person named in both scripts is compared by
/// name in each.
pub(crate) fn name_keys(person: &Map<String, Value>) -> Vec<(String, &'static str)> {
    keys_of_names(names_of(person))
}

/// The four name fields of a person.
pub(crate) const NAME_FIELDS: [&str; 4] = [
    "given_name",
    "family_name",
    "given_name_he",
    "family_name_he",
];

/// A person's [`NAME_FIELDS`] ("" where empty), found in one pass over the record.
fn names_of(person: &Map<String, Value>) -> [&str; 4] {
    let found = crate::records::values_by_name(person, 4, |i| NAME_FIELDS[i]);
    std::array::from_fn(|i| found[i].and_then(Value::as_str).unwrap_or(""))
}

/// [`name_keys`] of a person's [`NAME_FIELDS`].
fn keys_of_names(names: [&str; 4]) -> Vec<(String, &'static str)> {
    let [given, family, given_he, family_he] = names.map(str::trim);
    let named: Vec<(&str, &str, &str)> = [("pl", given, family), ("ph", given_he, family_he)]
        .into_iter()
        .filter(|(_, given, family)| !given.is_empty() && !family.is_empty())
        .collect();
    let mut keys = Vec::new();
    for (tag, given, family) in &named {
        keys.push((
            format!("n:{}|{}", values::fold(given), values::fold(family)),
            "same name",
        ));
        if named.len() > 1 {
            continue;
        }
        for gk in phonetic_keys(given) {
            for fk in phonetic_keys(family) {
                if gk.len() + fk.len() >= 2 && !fk.is_empty() {
                    keys.push((
                        format!("{tag}:{gk}|{fk}"),
                        "same name in Hebrew and Latin script",
                    ));
                }
            }
        }
    }
    keys.sort();
    keys.dedup_by(|a, b| a.0 == b.0);
    keys
}

/// The keys to look a person up by: the same full names, and each skeleton in the other
/// script.
pub(crate) fn matching_keys(keys: &[(String, &'static str)]) -> Vec<(String, &'static str)> {
    keys.iter()
        .map(|(key, why)| {
            let other = if let Some(rest) = key.strip_prefix("pl:") {
                format!("ph:{rest}")
            } else if let Some(rest) = key.strip_prefix("ph:") {
                format!("pl:{rest}")
            } else {
                key.clone()
            };
            (other, *why)
        })
        .collect()
}

pub(crate) fn display_name(person: &Map<String, Value>) -> String {
    display_name_of(names_of(person))
}

/// [`display_name`] of a person's [`NAME_FIELDS`].
fn display_name_of([given, family, given_he, family_he]: [&str; 4]) -> String {
    let latin = format!("{given} {family}");
    let hebrew = format!("{given_he} {family_he}");
    [latin.trim(), hebrew.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

// ------------------------------------------------------------------ the import

struct Column {
    index: usize,
    header: String,
    field: &'static str,
}

impl Db {
    /// Imports `path` as records of `entity` (person, institution or placement).
    /// All-or-nothing: with any problem nothing is written and every problem is in the
    /// report. `progress` is told how far the work is; returning false cancels it.
    pub fn import_file(
        &mut self,
        entity: Entity,
        path: &Path,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<ImportReport> {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::invalid(
                "file",
                msg!(IMPORT_CANNOT_READ, path = path.display(), error = e),
            )
        })?;
        self.import_bytes(entity, &bytes, opts, progress)
    }

    /// [`Db::import_file`] on a file's bytes.
    pub fn import_bytes(
        &mut self,
        entity: Entity,
        bytes: &[u8],
        opts: &ImportOptions,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<ImportReport> {
        let score = |cells: &[String]| header_score(entity, cells, &opts.mapping);
        let table = read_table(bytes, &score, entity, opts.sheet.as_deref())?;
        let mut warnings = table.notes.clone();
        let mut columns = Vec::new();
        let mut matches = Vec::new();
        // The file column of each of `matches`.
        let mut indexes: Vec<usize> = Vec::new();
        for (index, header) in table.headers.iter().enumerate() {
            let field = match_header(entity, header, &opts.mapping)?;
            let used = table.used.get(index).copied().unwrap_or(false);
            if header.trim().is_empty() && !used {
                continue; // a blank column
            }
            match field {
                Some("direction") => {
                    warnings.push(Problem::new("", msg!(IMPORT_DIRECTION_IGNORED, header)));
                    matches.push(ColumnMatch {
                        header: header.clone(),
                        field: None,
                        samples: Vec::new(),
                    });
                    indexes.push(index);
                }
                Some(field) => {
                    if let Some(other) = columns.iter().find(|c: &&Column| {
                        c.field == field && !matches!(field, "given" | "family" | "inst_name")
                    }) {
                        return Err(Error::invalid(
                            "file",
                            msg!(IMPORT_COLUMNS_CLASH, first = other.header, header, field),
                        ));
                    }
                    columns.push(Column {
                        index,
                        header: header.clone(),
                        field,
                    });
                    matches.push(ColumnMatch {
                        header: header.clone(),
                        field: Some(public_field(field).to_owned()),
                        samples: Vec::new(),
                    });
                    indexes.push(index);
                }
                None => {
                    let ignored_on_purpose = opts
                        .mapping
                        .iter()
                        .any(|(k, v)| norm(k) == norm(header) && (v == "ignore" || v.is_empty()));
                    if !header.trim().is_empty() && !ignored_on_purpose {
                        warnings.push(Problem::new("", msg!(IMPORT_COLUMN_IGNORED, header)));
                    } else if header.trim().is_empty() {
                        let column = column_letters(index);
                        warnings.push(Problem::new("", msg!(IMPORT_UNNAMED_COLUMN, column)));
                    }
                    matches.push(ColumnMatch {
                        header: header.clone(),
                        field: None,
                        samples: Vec::new(),
                    });
                    indexes.push(index);
                }
            }
        }
        sample_values(&table, &indexes, &mut matches);
        if columns.is_empty() {
            return Err(file_problem(msg!(
                IMPORT_NO_COLUMNS,
                entity,
                headers = table.headers.join(", ")
            )));
        }
        let date_columns: Vec<usize> = columns
            .iter()
            .filter(|c| DATE_FIELDS.contains(&c.field))
            .map(|c| c.index)
            .collect();
        let (date_order, date_order_problem) = match opts.date_order {
            Some(order @ (DateOrder::Dmy | DateOrder::Mdy)) => (Some(order), None),
            // Year-first dates need no order; day and month values in a year-first file
            // are read as in a file without one (3/4/1990 is never taken as year-first).
            Some(DateOrder::Ymd) => infer_date_order(&table, &date_columns, true),
            None => infer_date_order(&table, &date_columns, false),
        };
        let cohort = match &opts.cohort {
            None if entity == Entity::Placement => match self.cohort_of_file(&table, &columns)? {
                FileCohort::Column => None,
                FileCohort::Found(id, why) => Some((id, why)),
                // No row could be placed: one problem that says why, not one per row.
                FileCohort::Unknown(why) => return Err(Error::invalid("cohort", why)),
            },
            _ => None,
        };
        if let Some((_, why)) = &cohort {
            warnings.push(Problem::new("", why.clone()));
        }

        let mut report = ImportReport {
            entity,
            file_kind: table.kind.clone(),
            sheet: table.sheet.clone(),
            dry_run: opts.dry_run,
            written: false,
            rows: table.count,
            added: 0,
            updated: 0,
            unchanged: 0,
            people_updated: 0,
            columns: matches,
            date_order,
            warnings: warnings.iter().map(|w| w.message.clone()).collect(),
            warning_messages: warnings,
            problems: Vec::new(),
            duplicates: Vec::new(),
            changes: Vec::new(),
        };
        // Dates of unknown order: the file is refused, with the problems of its rows.
        let date_order_at = date_order_problem.map(|(problem, at)| {
            report.problems.push(problem);
            at
        });
        let total = table.count;
        if !progress(Progress { done: 0, total }) {
            return Err(Error::refused("", msg!(IMPORT_CANCELLED)));
        }

        let names = if matches!(entity, Entity::Person | Entity::Placement) {
            self.person_name_index()?
        } else {
            HashMap::new()
        };
        let state = ImportState {
            default_cohort: opts.cohort.clone().or(cohort.map(|(id, _)| id)),
            over_capacity: opts.over_capacity,
            names,
            seen_email: HashMap::new(),
            seen_orcid: HashMap::new(),
            seen_names: HashMap::new(),
            updating: HashMap::new(),
            scope: None,
            matched_emails: HashMap::new(),
            matched_orcids: HashMap::new(),
            file_rows: Vec::new(),
            placed: HashMap::new(),
            institutions: HashMap::new(),
        };
        // One transaction of many record writes: a bigger page cache and the undo pages
        // in memory while it lasts. Every record is checked in full before its first
        // write, so the records need no savepoint of their own (which would also make the
        // search index flush a segment per row); any problem rolls the whole file back.
        let saved = crate::r#gen::BulkSettings::apply(&self.conn, IMPORT_CACHE_KIB, false)?;
        // New people are checked on a second thread while this one writes, against a
        // snapshot of the file taken before the import: all a person row is checked
        // against is in that snapshot or in the file itself (the e-mails, ORCIDs and names
        // of the rows before it, which the import remembers). Institutions and placements
        // are checked against the rows written before them (a placement counts the
        // earlier ones against its cohort's capacity), so they are imported on one thread.
        let snapshot = match entity {
            Entity::Person => self.read_snapshot()?,
            _ => None,
        };
        let rows = Rows {
            table: &table,
            columns: &columns,
            date_order,
            date_order_at,
        };
        self.conn.execute_batch("SAVEPOINT import")?;
        let outcome = match snapshot {
            Some(reader) => {
                self.import_people_in_two_threads(reader, &rows, state, &mut report, progress)
            }
            None => self.import_rows(entity, &rows, state, &mut report, progress),
        };
        // Every problem in the order of the rows (a row's own in the order found).
        report.problems.sort_by_key(|p| p.row);
        // The stamps of the records written (`write_new` leaves that to its caller).
        let outcome = outcome.and_then(|()| {
            if report.added + report.updated > 0 {
                crate::sync::note_seen(&self.conn, &self.device_id, &self.clock.last())?;
            }
            Ok(())
        });
        let keep = outcome.is_ok() && report.problems.is_empty() && !opts.dry_run;
        // The restore point, only for an import that writes (`backup_before_commit`).
        let writes = report.added + report.updated + report.people_updated > 0;
        let (keep, outcome) = match outcome {
            Ok(()) if keep && writes => match self.backup_before_commit("import") {
                Ok(_) => (true, Ok(())),
                Err(e) => (false, Err(e)),
            },
            outcome => (keep, outcome),
        };
        // A failed write is the error to report, not a savepoint SQLite already undid.
        let ended = crate::db::end_savepoint(&self.conn, "import", keep);
        let restored = saved.restore(&self.conn);
        outcome?;
        ended?;
        restored?;
        if keep {
            report.written = true;
        } else {
            // No person of the file was created: those the file would add are named by
            // their rows, not by ids that never came to be.
            for d in &mut report.duplicates {
                d.person_id = None;
                for (m, row) in d.matches.iter_mut().zip(&d.match_rows) {
                    if let Some(row) = row {
                        m.0 = format!("row {row}");
                    }
                }
            }
            if !opts.dry_run {
                // A refused file added and updated nothing (only a dry run tells what
                // it would do).
                (report.added, report.updated, report.unchanged) = (0, 0, 0);
                report.people_updated = 0;
                report.changes.clear();
            }
        }
        progress(Progress { done: total, total });
        Ok(report)
    }

    /// Checks and writes every row on this thread, each against the rows before it.
    fn import_rows(
        &mut self,
        entity: Entity,
        rows: &Rows,
        mut state: ImportState,
        report: &mut ImportReport,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<()> {
        let mut i = 0;
        let flow = rows.table.each_row(|mut at, cells| {
            let file_row = at.file_row();
            let mut row = rows.read(i as u64 + 1, file_row, cells);
            state.file_rows.push(file_row);
            report.problems.append(&mut row.problems);
            let name = (report.changes.len() < MAX_HINTS).then(|| row_name(&row.fields));
            let fields = std::mem::take(&mut row.fields);
            let mut person = None;
            let result = match entity {
                Entity::Institution => self.import_institution(fields),
                Entity::Person => self.import_person(row.row, fields, &mut state, report).map(
                    |(outcome, _, updated)| {
                        person = updated;
                        outcome
                    },
                ),
                Entity::Placement => {
                    self.import_placement(row.row, fields, &mut state, report, &mut person)
                }
                _ => self.import_record(entity, fields, &mut state),
            };
            if let Err(e) = row.count(result, name, person, report) {
                return ControlFlow::Break(e);
            }
            i += 1;
            if i % 500 == 0
                && !progress(Progress {
                    done: i,
                    total: rows.table.count,
                })
            {
                return ControlFlow::Break(Error::refused("", msg!(IMPORT_CANCELLED)));
            }
            ControlFlow::Continue(())
        });
        match flow {
            ControlFlow::Break(e) => Err(e),
            ControlFlow::Continue(()) => Ok(()),
        }
    }

    /// A person import on two threads: a second one reads the rows and decides what each
    /// does, checked against `reader` (a snapshot of the file from before the import) and
    /// the rows before it, while this one writes the decisions in order.
    fn import_people_in_two_threads(
        &mut self,
        reader: rusqlite::Connection,
        rows: &Rows,
        mut state: ImportState,
        report: &mut ImportReport,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<()> {
        type Decided<'a> = Result<(Row<'a>, Option<PersonPlan>, Option<String>)>;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Decided<'_>>(256);
        let mut checked = ImportReport {
            problems: Vec::new(),
            ..report.clone()
        };
        let (state, checked_by) = (&mut state, &mut checked);
        std::thread::scope(|scope| {
            let checker = std::thread::Builder::new().name("import-check".into());
            let checker = checker.spawn_scoped(scope, move || {
                let checked = checked_by;
                let (mut refused, mut i): (u64, u64) = (0, 0);
                let _ = rows.table.each_row(|mut at, cells| {
                    let file_row = at.file_row();
                    i += 1;
                    let mut row = rows.read(i, file_row, cells);
                    state.file_rows.push(file_row);
                    checked.problems.append(&mut row.problems);
                    // The writer lists the first rows it changes: the name of every row
                    // that may be one of them.
                    let name =
                        (row.row - refused <= MAX_HINTS as u64).then(|| row_name(&row.fields));
                    let fields = std::mem::take(&mut row.fields);
                    let plan = plan_person(&reader, row.row, fields, state, checked);
                    let decided = match plan {
                        Ok(plan) => Ok((row, Some(plan), name)),
                        Err(e) => row.locate_all(e).map(|problems| {
                            refused += 1;
                            checked.problems.extend(problems);
                            (row, None, None)
                        }),
                    };
                    let failed = decided.is_err();
                    // The writer stops reading at an error of its own or a cancel.
                    if sender.send(decided).is_err() || failed {
                        return ControlFlow::Break(());
                    }
                    ControlFlow::Continue(())
                });
                drop(reader); // the snapshot ends before the import commits
            })?;
            let mut done: u32 = 0;
            let total = rows.table.count;
            let mut tick = || {
                done += 1;
                if done.is_multiple_of(500) && !progress(Progress { done, total }) {
                    return Err(Error::refused("", msg!(IMPORT_CANCELLED)));
                }
                Ok(())
            };
            let written = (|| -> Result<()> {
                let mut decisions = receiver.iter();
                loop {
                    // New people are written with the statements held, up to a row that
                    // updates someone (an update needs the connection to itself).
                    let mut writer = NewRecordWriter::new(&self.conn, Entity::Person)?;
                    let mut update = None;
                    for decided in &mut decisions {
                        let (row, plan, name) = decided?;
                        match plan {
                            Some(PersonPlan::New(new)) => {
                                let result = writer
                                    .write(&mut self.clock, &self.device_id, new)
                                    .map(|_| Outcome::Added);
                                row.count(result, name, None, report)?;
                            }
                            Some(plan) => {
                                update = Some((row, plan, name));
                                break;
                            }
                            None => {}
                        }
                        tick()?;
                    }
                    drop(writer);
                    let Some((row, plan, name)) = update else {
                        return Ok(());
                    };
                    let (result, person) = match self.apply_person(plan) {
                        Ok((outcome, _, person)) => (Ok(outcome), person),
                        Err(e) => (Err(e), None),
                    };
                    row.count(result, name, person, report)?;
                    tick()?;
                }
            })();
            drop(receiver);
            if let Err(panic) = checker.join() {
                std::panic::resume_unwind(panic);
            }
            written
        })?;
        // What the checking thread found: its problems, warnings and duplicate hints.
        report.problems.append(&mut checked.problems);
        report.warnings = checked.warnings;
        report.warning_messages = checked.warning_messages;
        report.duplicates = checked.duplicates;
        Ok(())
    }

    /// The cohort of a placement file that names none (no cohort column, no default
    /// cohort): a workbook's sheet named after exactly one cohort (as `export roster`
    /// names it), else the one cohort in which every row is already a placement, found by
    /// its person (id, e-mail or ORCID; rows without any are passed over, a row naming
    /// someone unknown settles nothing): a roster exported from the cohort. Returns its id
    /// and the warning that says so, or why the file does not settle it (no row could then
    /// be placed: the import is refused with that reason).
    fn cohort_of_file(&self, table: &Table, columns: &[Column]) -> Result<FileCohort> {
        if columns.iter().any(|c| c.field == "cohort") {
            return Ok(FileCohort::Column);
        }
        if let Some(sheet) = table.sheet.as_deref().map(str::trim)
            && !sheet.is_empty()
        {
            // A sheet name is at most 31 characters: a longer cohort name is cut there.
            let mut stmt = self.conn.prepare(
                "SELECT id, name FROM cohort WHERE name = ?1 OR (length(?1) = 31 AND substr(name, 1, 31) = ?1)",
            )?;
            let found: Vec<(String, String)> = stmt
                .query_map([sheet], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            match found.as_slice() {
                [(id, name)] => {
                    let why = msg!(IMPORT_COHORT_FROM_SHEET, name, sheet);
                    return Ok(FileCohort::Found(id.clone(), why));
                }
                [] => {}
                several => {
                    let names: Vec<String> =
                        several.iter().map(|(_, n)| format!("{n:?}")).collect();
                    let why = msg!(
                        IMPORT_NO_COHORT_SHEET,
                        sheet,
                        n = several.len(),
                        names = names.join(", ")
                    );
                    return Ok(FileCohort::Unknown(why));
                }
            }
        }
        let column = |field: &str| columns.iter().find(|c| c.field == field).map(|c| c.index);
        let (by_id, by_email, by_orcid) = (column("person_id"), column("email"), column("orcid"));
        if by_id.is_none() && by_email.is_none() && by_orcid.is_none() {
            return Ok(FileCohort::Unknown(msg!(IMPORT_COHORT_UNTOLD)));
        }
        let mut cohorts: Option<Vec<String>> = None;
        let mut row = 0;
        let flow = table.each_row(|mut at, cells| {
            row += 1;
            let file_row = at.file_row();
            let cols = (by_id, by_email, by_orcid);
            match self.cohorts_of_row(cells, cols, &mut cohorts, (row, file_row)) {
                Ok(None) => ControlFlow::Continue(()),
                Ok(Some(why)) => ControlFlow::Break(Ok(FileCohort::Unknown(why))),
                Err(e) => ControlFlow::Break(Err(e)),
            }
        });
        if let ControlFlow::Break(settled) = flow {
            return settled;
        }
        let name = |id: &String| -> Result<String> {
            Ok(self
                .conn
                .query_row("SELECT name FROM cohort WHERE id = ?1", [id], |r| r.get(0))?)
        };
        match cohorts.as_deref() {
            Some([id]) => {
                let name = name(id)?;
                Ok(FileCohort::Found(
                    id.clone(),
                    msg!(IMPORT_COHORT_FROM_ROWS, name),
                ))
            }
            Some(several) if !several.is_empty() => {
                let names: Vec<String> = several
                    .iter()
                    .map(|id| name(id).map(|n| format!("{n:?}")))
                    .collect::<Result<_>>()?;
                let why = msg!(IMPORT_NO_COHORT_SEVERAL, names = names.join(", "));
                Ok(FileCohort::Unknown(why))
            }
            _ => Ok(FileCohort::Unknown(msg!(IMPORT_COHORT_UNTOLD))),
        }
    }

    /// One row of [`Db::cohort_of_file`]: narrows `cohorts` to those the row's person is
    /// placed in; the reason when the row settles that the file is no cohort's roster.
    fn cohorts_of_row(
        &self,
        cells: Cells,
        (by_id, by_email, by_orcid): (Option<usize>, Option<usize>, Option<usize>),
        cohorts: &mut Option<Vec<String>>,
        (row, file_row): (u64, u64),
    ) -> Result<Option<Msg>> {
        let text = |c: Option<usize>| {
            c.and_then(|c| cells.get(c))
                .map(|cell| cell_text(cell).trim().to_owned())
        };
        let mut person: Option<String> = None;
        if let Some(id) = text(by_id)
            && crate::records::exists(&self.conn, Entity::Person, &id)?
        {
            person = Some(id);
        }
        if person.is_none()
            && let Some(email) = text(by_email).map(|e| address(&e))
        {
            person = self
                .conn
                .prepare_cached("SELECT id FROM person WHERE email_key = ?1")?
                .query_row([email.to_lowercase()], |r| r.get(0))
                .optional()?;
        }
        if person.is_none()
            && let Some(orcid) = text(by_orcid).and_then(|o| values::parse_orcid("", &o).ok())
        {
            person = self
                .conn
                .prepare_cached("SELECT id FROM person WHERE orcid = ?1")?
                .query_row([orcid], |r| r.get(0))
                .optional()?;
        }
        let who = [by_email, by_orcid, by_id].iter().find_map(|c| text(*c));
        let person = match (person, who.clone()) {
            (Some(person), _) => person,
            // A row that names no one by id, e-mail or ORCID tells nothing.
            (None, None) => return Ok(None),
            // Someone not known yet: the file is not a roster of a cohort.
            (None, Some(who)) => {
                return Ok(Some(msg!(IMPORT_NO_COHORT_UNKNOWN, row, file_row, who)));
            }
        };
        let theirs: Vec<String> = self
            .conn
            .prepare_cached("SELECT cohort_id FROM placement WHERE person_id = ?1")?
            .query_map([&person], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let left: Vec<String> = match cohorts.take() {
            None => theirs,
            Some(shared) => shared.into_iter().filter(|c| theirs.contains(c)).collect(),
        };
        if left.is_empty() {
            let who = who.unwrap_or_default();
            return Ok(Some(msg!(IMPORT_NO_COHORT_ROW, row, file_row, who)));
        }
        *cohorts = Some(left);
        Ok(None)
    }

    /// Every person's name keys, for duplicate hints.
    fn person_name_index(&self) -> Result<NameIndex> {
        let mut stmt = self.conn.prepare(
            "SELECT id, given_name, family_name, given_name_he, family_name_he FROM person",
        )?;
        let mut index = NameIndex::new();
        let rows = stmt.query_map([], |r| {
            let mut m = Map::new();
            for (i, f) in [
                "given_name",
                "family_name",
                "given_name_he",
                "family_name_he",
            ]
            .iter()
            .enumerate()
            {
                if let Some(v) = r.get::<_, Option<String>>(i + 1)? {
                    m.insert((*f).into(), Value::String(v));
                }
            }
            Ok((r.get::<_, String>(0)?, m))
        })?;
        for row in rows {
            let (id, person) = row?;
            let name = display_name(&person);
            for (key, reason) in name_keys(&person) {
                let known = index.entry(key).or_default();
                if known.len() < MAX_MATCHES {
                    known.push((id.clone(), name.clone(), reason, None));
                }
            }
        }
        Ok(index)
    }

    fn import_institution(&mut self, mut fields: Map<String, Value>) -> Result<Outcome> {
        let name = fields
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let existing: Option<String> = if let Some(ror) = fields.get("ror").and_then(Value::as_str)
        {
            // A ROR that cannot be read hides none of the row's other problems.
            let ror = values::parse_ror("ror", ror).map_err(|p| {
                Error::Invalid(with_field_problems(Entity::Institution, vec![p], &fields))
            })?;
            self.conn
                .query_row("SELECT id FROM institution WHERE ror = ?1", [ror], |r| {
                    r.get(0)
                })
                .optional()?
        } else {
            None
        };
        let name_he = fields
            .get("name_he")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let existing = match existing {
            Some(id) => Some(id),
            None if !name.is_empty() => self
                .conn
                .query_row(
                    "SELECT id FROM institution WHERE name = ?1 COLLATE NOCASE",
                    [&name],
                    |r| r.get(0),
                )
                .optional()?,
            // Only a Hebrew name: the institution known by it in either field.
            None if !name_he.is_empty() => self
                .conn
                .query_row(
                    "SELECT id FROM institution WHERE name_he = ?1
                     UNION ALL SELECT id FROM institution WHERE name = ?1 LIMIT 1",
                    [&name_he],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        };
        if existing.is_none() && name.is_empty() && !name_he.is_empty() {
            // A new institution known only by its Hebrew name: that is its name too.
            fields.insert("name".into(), Value::String(name_he));
        }
        self.upsert(
            Entity::Institution,
            existing,
            fields,
            WriteOptions::default(),
        )
    }

    /// Adds or updates (by e-mail or ORCID) a person; returns what happened, the id and,
    /// for a person changed, what changed.
    fn import_person(
        &mut self,
        row: u64,
        fields: Map<String, Value>,
        state: &mut ImportState,
        report: &mut ImportReport,
    ) -> Result<(Outcome, String, Option<PersonUpdate>)> {
        let plan = plan_person(&self.conn, row, fields, state, report)?;
        self.apply_person(plan)
    }

    /// Writes what [`plan_person`] decided; returns what happened, the person's id and,
    /// when an existing person changed, who (as stored) and which fields.
    fn apply_person(
        &mut self,
        plan: PersonPlan,
    ) -> Result<(Outcome, String, Option<PersonUpdate>)> {
        match plan {
            PersonPlan::New(new) => {
                let id =
                    crate::records::write_new(&self.conn, &mut self.clock, &self.device_id, new)?;
                Ok((Outcome::Added, id, None))
            }
            PersonPlan::Existing { id, name, fields } => {
                let (outcome, fields) = self.upsert_changing(
                    Entity::Person,
                    Some(id.clone()),
                    fields,
                    WriteOptions::default(),
                )?;
                let changed = matches!(outcome, Outcome::Updated).then(|| PersonUpdate {
                    id: id.clone(),
                    name,
                    fields,
                });
                Ok((outcome, id, changed))
            }
        }
    }

    /// Adds or updates the placement of a row; `person` is set to the person the row
    /// changes, if it changes one (found by e-mail or ORCID, with other values).
    fn import_placement(
        &mut self,
        row: u64,
        mut fields: Map<String, Value>,
        state: &mut ImportState,
        report: &mut ImportReport,
        person: &mut Option<PersonUpdate>,
    ) -> Result<Outcome> {
        let cohort = match fields
            .remove("cohort")
            .or_else(|| state.default_cohort.clone().map(Value::String))
        {
            Some(Value::String(c)) => self.cohort_by_name(&c)?,
            _ => {
                return Err(Error::invalid("cohort", msg!(IMPORT_COHORT_REQUIRED)));
            }
        };
        let mut placement = Map::new();
        for f in [
            "role",
            "status",
            "screening",
            "start_date",
            "end_date",
            "visa_type",
            "visa_expires",
            "notes",
        ] {
            if let Some(v) = fields.remove(f) {
                placement.insert(f.into(), v);
            }
        }
        for (column, field) in [
            ("home_institution", "home_institution_id"),
            ("host_institution", "host_institution_id"),
        ] {
            if column == "home_institution" && !fields.contains_key("person_id") {
                // The home institution of a person the row adds as well (not of one
                // already here: `plan_person`).
                if let Some(Value::String(name)) = fields.get(column).cloned() {
                    let id = institution_id(&self.conn, state, column, &name)?;
                    placement.insert(field.into(), Value::String(id));
                }
                continue;
            }
            if let Some(Value::String(name)) = fields.remove(column) {
                let id = institution_id(&self.conn, state, column, &name)?;
                placement.insert(field.into(), Value::String(id));
            }
        }
        let person_id = match fields.remove("person_id") {
            Some(Value::String(id)) => {
                fields.remove("home_institution");
                if !crate::records::exists(&self.conn, Entity::Person, &id)? {
                    return Err(Error::invalid(
                        "person_id",
                        msg!(REF_MISSING, target = "person", id),
                    ));
                }
                id
            }
            _ => match self.placed_by_name(state, &cohort, &fields)? {
                // A row without e-mail or ORCID (a redacted roster sent back) that names
                // one person already placed in this cohort is that person's placement,
                // not a new person with a new placement.
                Some(id) => {
                    placement.insert("person_id".into(), Value::String(id));
                    placement.insert("cohort_id".into(), Value::String(cohort));
                    return self.upsert_placement(placement, state.over_capacity);
                }
                None => {
                    state.scope = Some(cohort.clone());
                    let (_, id, changed) = self.import_person(row, fields, state, report)?;
                    *person = changed;
                    id
                }
            },
        };
        // The person may be new, renamed or newly placed: the cohort's names follow.
        if let Some(placed) = state.placed.get_mut(&cohort) {
            placed.refresh(&self.conn, &person_id)?;
        }
        placement.insert("person_id".into(), Value::String(person_id));
        placement.insert("cohort_id".into(), Value::String(cohort));
        self.upsert_placement(placement, state.over_capacity)
    }

    /// Adds the placement of `placement`'s person and cohort, or updates the one there is.
    fn upsert_placement(
        &mut self,
        placement: Map<String, Value>,
        over_capacity: bool,
    ) -> Result<Outcome> {
        let id = |f: &str| placement.get(f).and_then(Value::as_str).unwrap_or_default();
        let existing: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM placement WHERE person_id = ?1 AND cohort_id = ?2",
                [id("person_id"), id("cohort_id")],
                |r| r.get(0),
            )
            .optional()?;
        let write = WriteOptions {
            over_capacity,
            ..WriteOptions::default()
        };
        self.upsert(Entity::Placement, existing, placement, write)
    }

    /// The one person placed in `cohort` whose names are the row's (folded, every name
    /// field the row gives), when the row has no e-mail or ORCID to match by; None when
    /// no one or more than one is. The cohort's names are read once per import.
    fn placed_by_name(
        &self,
        state: &mut ImportState,
        cohort: &str,
        fields: &Map<String, Value>,
    ) -> Result<Option<String>> {
        let given = |f: &str| {
            fields
                .get(f)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        if given("email").is_some() || given("orcid").is_some() {
            return Ok(None);
        }
        let wanted: Vec<(usize, String)> = NAME_FIELDS
            .iter()
            .enumerate()
            .filter_map(|(i, f)| given(f).map(|v| (i, values::fold(v))))
            .collect();
        if wanted.is_empty() {
            return Ok(None);
        }
        if !state.placed.contains_key(cohort) {
            let placed = PlacedNames::read(&self.conn, cohort)?;
            state.placed.insert(cohort.to_owned(), placed);
        }
        Ok(state.placed[cohort].only_one(&wanted))
    }

    /// A program, cohort, fellowship or agreement from a row of canonical fields (as its
    /// template writes them): references by id or name (a person by e-mail or ORCID), lists
    /// of institutions separated by `;`, `|` or new lines, or by commas as
    /// [`Db::references`] tells, yes/no, whole numbers. A row updates
    /// the record it names again: a program by name, a cohort by program and name, an
    /// agreement by title, a fellowship by person and title.
    fn import_record(
        &mut self,
        entity: Entity,
        fields: Map<String, Value>,
        state: &mut ImportState,
    ) -> Result<Outcome> {
        use crate::entity::Kind;
        let mut record = Map::new();
        let mut problems = Vec::new();
        for (name, value) in fields {
            let (Some(field), Value::String(text)) =
                (entity.fields().iter().find(|f| f.name == name), &value)
            else {
                record.insert(name, value);
                continue;
            };
            let text = text.trim();
            let parsed = match field.kind {
                Kind::Ref(target) => self
                    .reference(state, field.name, target, text)
                    .map(Value::String),
                Kind::RefList { target, .. } => text
                    .split([';', '\n', '|'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| self.references(state, field.name, target, t))
                    .collect::<Result<Vec<Vec<String>>>>()
                    .map(|ids| Value::from(ids.concat())),
                Kind::Bool => Ok(yes_no(text).map_or(value.clone(), Value::Bool)),
                Kind::Count | Kind::Money => {
                    let digits: String = text
                        .chars()
                        .filter(|c| !matches!(c, ' ' | ',' | '_'))
                        .collect();
                    Ok(digits.parse::<i64>().map_or(value.clone(), Value::from))
                }
                _ => Ok(value.clone()),
            };
            match parsed {
                Ok(v) => {
                    record.insert(name, v);
                }
                Err(Error::Invalid(p)) => problems.extend(p),
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(with_field_problems(
                entity, problems, &record,
            )));
        }
        let text = |f: &str| {
            record
                .get(f)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let (sql, keys): (&str, Vec<String>) = match entity {
            Entity::Program => (
                "SELECT id FROM program WHERE name = ?1 COLLATE NOCASE",
                vec![text("name")],
            ),
            Entity::Cohort => (
                "SELECT id FROM cohort WHERE program_id = ?1 AND name = ?2 COLLATE NOCASE",
                vec![text("program_id"), text("name")],
            ),
            Entity::Agreement => (
                "SELECT id FROM agreement WHERE title = ?1 COLLATE NOCASE",
                vec![text("title")],
            ),
            Entity::Fellowship => (
                "SELECT id FROM fellowship WHERE person_id = ?1 AND title = ?2 COLLATE NOCASE",
                vec![text("person_id"), text("title")],
            ),
            _ => ("", vec![]),
        };
        let existing: Option<String> = if keys.is_empty() || keys.iter().any(String::is_empty) {
            None
        } else {
            self.conn
                .query_row(sql, rusqlite::params_from_iter(&keys), |r| r.get(0))
                .optional()?
        };
        self.upsert(entity, existing, record, WriteOptions::default())
    }

    /// The id of the `target` record a cell names: its id, or its name (an institution's
    /// as [`Db::institution_by_name`] finds it; a program's or cohort's exact name; a
    /// person's e-mail or ORCID).
    fn reference(
        &self,
        state: &mut ImportState,
        field: &str,
        target: Entity,
        text: &str,
    ) -> Result<String> {
        if crate::records::exists(&self.conn, target, text)? {
            return Ok(text.to_owned());
        }
        let found: Vec<String> = match target {
            Entity::Institution => return institution_id(&self.conn, state, field, text),
            Entity::Person => {
                let orcid = values::parse_orcid("", text).ok();
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT id FROM person WHERE email_key = ?1 OR orcid = ?2")?;
                stmt.query_map(rusqlite::params![text.to_lowercase(), orcid], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            }
            Entity::Program | Entity::Cohort => {
                let sql = format!("SELECT id FROM {target} WHERE name = ?1 COLLATE NOCASE");
                let mut stmt = self.conn.prepare_cached(&sql)?;
                stmt.query_map([text], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            }
            _ => Vec::new(),
        };
        match found.as_slice() {
            [id] => Ok(id.clone()),
            [] => Err(Error::invalid(
                field,
                msg!(IMPORT_NO_RECORD, entity = target, name = text),
            )),
            many => Err(Error::invalid(
                field,
                msg!(
                    IMPORT_RECORDS_NAMED,
                    n = many.len(),
                    entity = target,
                    name = text
                ),
            )),
        }
    }

    /// The records one entry of a list cell names. Names may hold commas ("University of
    /// California, Berkeley"), so an entry listing institutions is split on its commas
    /// only when every piece is an id, or when the whole entry names no institution but
    /// every piece names one ("MIT, Technion"); else it is one name.
    fn references(
        &self,
        state: &mut ImportState,
        field: &str,
        target: Entity,
        text: &str,
    ) -> Result<Vec<String>> {
        let pieces: Vec<&str> = text
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if target != Entity::Institution || pieces.len() < 2 {
            return self
                .reference(state, field, target, text)
                .map(|id| vec![id]);
        }
        let each = |db: &Self, state: &mut ImportState| -> Result<Vec<String>> {
            pieces
                .iter()
                .map(|p| db.reference(state, field, target, p))
                .collect()
        };
        // Ids (an exported list of them), each checked on its own.
        if pieces.iter().all(|p| uuid::Uuid::parse_str(p).is_ok()) {
            return each(self, state);
        }
        let whole = match self.reference(state, field, target, text) {
            Err(Error::Invalid(problems)) => problems,
            named => return named.map(|id| vec![id]),
        };
        let no_such_name = whole
            .iter()
            .all(|p| p.code == msg::IMPORT_NO_INSTITUTION.code);
        if no_such_name {
            match each(self, state) {
                Ok(ids) => return Ok(ids),
                Err(Error::Invalid(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Err(Error::Invalid(whole))
    }

    /// Adds the record, or updates the existing one with the non-empty fields of the row.
    fn upsert(
        &mut self,
        entity: Entity,
        existing: Option<String>,
        fields: Map<String, Value>,
        write: WriteOptions,
    ) -> Result<Outcome> {
        self.upsert_changing(entity, existing, fields, write)
            .map(|(outcome, _)| outcome)
    }

    /// [`Db::upsert`], also returning the fields an update changed.
    fn upsert_changing(
        &mut self,
        entity: Entity,
        existing: Option<String>,
        fields: Map<String, Value>,
        write: WriteOptions,
    ) -> Result<(Outcome, Vec<String>)> {
        match existing {
            None => {
                let rec = crate::records::parse_input(entity, &Value::Object(fields), None)?;
                self.insert_parsed(entity, rec, write)?;
                Ok((Outcome::Added, Vec::new()))
            }
            Some(id) => {
                let before = self.get(entity, &id)?;
                let after = self.update(entity, &id, &Value::Object(fields), write)?;
                let changed = changed_fields(&before, &after);
                Ok(if before == after {
                    (Outcome::Unchanged, changed)
                } else {
                    (Outcome::Updated, changed)
                })
            }
        }
    }

    fn cohort_by_name(&self, name: &str) -> Result<String> {
        let name = name.trim();
        if crate::records::exists(&self.conn, Entity::Cohort, name)? {
            return Ok(name.to_owned());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM cohort WHERE name = ?1 COLLATE NOCASE")?;
        let ids: Vec<String> = stmt
            .query_map([name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => Ok(id.clone()),
            [] => Err(Error::invalid("cohort", msg!(IMPORT_NO_COHORT, name))),
            _ => Err(Error::invalid(
                "cohort",
                msg!(IMPORT_COHORTS_NAMED, n = ids.len(), name),
            )),
        }
    }
}

/// [`institution_by_name`], remembered for the rest of the file.
fn institution_id(
    conn: &rusqlite::Connection,
    state: &mut ImportState,
    field: &str,
    name: &str,
) -> Result<String> {
    let key = (field.to_owned(), name.trim().to_owned());
    if let Some(known) = state.institutions.get(&key) {
        return known.clone().map_err(Error::Invalid);
    }
    match institution_by_name(conn, field, name) {
        Ok(id) => {
            state.institutions.insert(key, Ok(id.clone()));
            Ok(id)
        }
        Err(Error::Invalid(problems)) => {
            state.institutions.insert(key, Err(problems.clone()));
            Err(Error::Invalid(problems))
        }
        Err(e) => Err(e),
    }
}

/// An institution by id, exact name (Latin or Hebrew), or the one name it begins. A name
/// that several institutions have is refused, asking for the id.
fn institution_by_name(conn: &rusqlite::Connection, field: &str, name: &str) -> Result<String> {
    let name = name.trim();
    if crate::records::exists(conn, Entity::Institution, name)? {
        return Ok(name.to_owned());
    }
    let folded = values::fold(name);
    let mut stmt =
        conn.prepare_cached("SELECT id, name, coalesce(name_he, '') FROM institution")?;
    let all: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let exact: Vec<&String> = all
        .iter()
        .filter(|(_, n, h)| {
            values::fold(n) == folded || (!h.is_empty() && values::fold(h) == folded)
        })
        .map(|(id, _, _)| id)
        .collect();
    match exact.as_slice() {
        [id] => return Ok((*id).clone()),
        [] => {}
        many => {
            // The name says no more than that: only an id tells them apart.
            return Err(Error::invalid(
                field,
                msg!(IMPORT_INSTITUTIONS_NAMED, n = many.len(), name),
            ));
        }
    }
    let prefix: Vec<&(String, String, String)> = all
        .iter()
        .filter(|(_, n, h)| {
            let (n, h) = (values::fold(n), values::fold(h));
            folded.len() >= 3
                && (n.starts_with(&folded) || (!h.is_empty() && h.starts_with(&folded)))
        })
        .collect();
    let acronym: Vec<&(String, String, String)> = all
        .iter()
        .filter(|(_, n, _)| folded.len() >= 2 && acronym_of(n) == folded)
        .collect();
    match (prefix.as_slice(), acronym.as_slice()) {
        ([(id, _, _)], _) | ([], [(id, _, _)]) => Ok(id.clone()),
        ([], []) => Err(Error::invalid(field, msg!(IMPORT_NO_INSTITUTION, name))),
        (many, _) => Err(Error::invalid(
            field,
            msg!(
                IMPORT_INSTITUTION_AMBIGUOUS,
                name,
                candidates = (if many.is_empty() { &acronym } else { many })
                    .iter()
                    .map(|(_, n, _)| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// What a person row does: add a new person, or update the one with its e-mail or ORCID.
enum PersonPlan {
    New(crate::records::NewRecord),
    Existing {
        id: String,
        /// The person's names as stored.
        name: String,
        fields: Map<String, Value>,
    },
}

/// Decides what a person row does, reading `conn` only: the row is checked in full (a new
/// person against every rule), and its duplicate hints and the file's names noted.
fn plan_person(
    conn: &rusqlite::Connection,
    row: u64,
    mut fields: Map<String, Value>,
    state: &mut ImportState,
    report: &mut ImportReport,
) -> Result<PersonPlan> {
    if let Some(Value::String(name)) = fields.remove("home_institution") {
        match institution_id(conn, state, "home_institution", &name) {
            Ok(id) => {
                fields.insert("home_institution_id".into(), Value::String(id));
            }
            Err(Error::Invalid(problems)) => {
                return Err(Error::Invalid(with_field_problems(
                    Entity::Person,
                    problems,
                    &fields,
                )));
            }
            Err(e) => return Err(e),
        }
    }
    let email = fields
        .get("email")
        .and_then(Value::as_str)
        .map(|e| e.trim().to_lowercase());
    let orcid =
        match fields.get("orcid").and_then(Value::as_str) {
            // An ORCID that cannot be read hides none of the row's other problems.
            Some(o) => Some(values::parse_orcid("orcid", o).map_err(|p| {
                Error::Invalid(with_field_problems(Entity::Person, vec![p], &fields))
            })?),
            None => None,
        };
    // In a placement file one person may have a row in each cohort.
    let scoped = |key: &str| match &state.scope {
        Some(cohort) => format!("{cohort}\u{1f}{key}"),
        None => key.to_owned(),
    };
    let (email_key, orcid_key) = (email.as_deref().map(scoped), orcid.as_deref().map(scoped));
    if let Some(email) = email_key
        && let Some(first) = state.seen_email.insert(email, row)
    {
        let first_file = state.file_row(first);
        return Err(Error::invalid(
            "email",
            msg!(IMPORT_SAME_EMAIL, first, first_file),
        ));
    }
    if let Some(orcid) = orcid_key
        && let Some(first) = state.seen_orcid.insert(orcid, row)
    {
        let first_file = state.file_row(first);
        return Err(Error::invalid(
            "orcid",
            msg!(IMPORT_SAME_ORCID, first, first_file),
        ));
    }
    // The person the row's e-mail, else its ORCID, is: as stored before the import (an
    // earlier row may have changed a person's e-mail or ORCID, see `matched_emails`).
    let mut existing: Option<String> = None;
    let mut by_email = false;
    if let Some(email) = &email {
        existing = match state.matched_emails.get(email) {
            Some(id) => Some(id.clone()),
            None => conn
                .prepare_cached("SELECT id FROM person WHERE email_key = ?1")?
                .query_row([email], |r| r.get(0))
                .optional()?,
        };
        by_email = existing.is_some();
    }
    if existing.is_none()
        && let Some(orcid) = &orcid
    {
        existing = match state.matched_orcids.get(orcid) {
            Some(id) => Some(id.clone()),
            None => conn
                .prepare_cached("SELECT id FROM person WHERE orcid = ?1")?
                .query_row([orcid], |r| r.get(0))
                .optional()?,
        };
    }
    if let Some(id) = existing {
        let found = match (&email, &orcid) {
            (Some(email), orcid) if by_email => Found::Email(email, orcid.as_deref()),
            (_, orcid) => Found::Orcid(orcid.as_deref().unwrap_or_default()),
        };
        let stored = check_found(conn, row, &id, found, &fields, state, report)?;
        // A match by e-mail keeps the e-mail as stored (its case, too).
        if let (Some(stored), Some(Value::String(given))) = (&stored.email, fields.get("email"))
            && stored.to_lowercase() == given.to_lowercase()
        {
            fields.remove("email");
        }
        if state.scope.is_some() {
            // A placement file's home institution is the placement's (a roster names the
            // one each placement was made from): it is a new person's home institution
            // too, but does not move a person already here, who may have moved since.
            fields.remove("home_institution_id");
        }
        let name = stored.name();
        return Ok(PersonPlan::Existing { id, name, fields });
    }
    let rec = crate::records::parse_input(Entity::Person, &Value::Object(fields), None)?;
    let names = names_of(&rec);
    let name = display_name_of(names);
    let keys = keys_of_names(names);
    let new = crate::records::prepare_new(conn, Entity::Person, rec, WriteOptions::default())?;
    let id = new.id.clone();
    let mut found: Vec<(String, String)> = Vec::new();
    let mut found_rows: Vec<Option<u64>> = Vec::new();
    let mut reason = "same name";
    let mut same_name_warned = false;
    for (key, why) in &matching_keys(&keys) {
        for (other, other_name, _, added_by) in state.names.get(key).into_iter().flatten() {
            if *other != id && !found.iter().any(|(o, _)| o == other) {
                found.push((other.clone(), other_name.clone()));
                found_rows.push(*added_by);
                if *why != "same name" {
                    reason = why;
                }
            }
        }
        if let Some(first_row) = state.seen_names.get(key)
            && !same_name_warned
            && report.warnings.len() < MAX_HINTS
        {
            same_name_warned = true;
            let (file, first_file) = (state.file_row(row), state.file_row(*first_row));
            let w = msg!(IMPORT_SAME_NAME, row, file, first_row, first_file, name);
            report.warnings.push(w.text.clone());
            report.warning_messages.push(Problem::new("", w));
        }
    }
    for (key, why) in keys {
        state.seen_names.entry(key.clone()).or_insert(row);
        let known = state.names.entry(key).or_default();
        // A few are enough to point at a duplicate; a name shared by thousands (a
        // test file, a common name) must not make the import quadratic.
        if known.len() < MAX_MATCHES {
            known.push((id.clone(), name.clone(), why, Some(row)));
        }
    }
    found.truncate(MAX_MATCHES);
    found_rows.truncate(MAX_MATCHES);
    if !found.is_empty() && report.duplicates.len() < MAX_HINTS {
        report.duplicates.push(DuplicateHint {
            row,
            file_row: state.file_row(row),
            person_id: Some(id.clone()),
            name,
            matches: found,
            reason: reason.to_owned(),
            match_rows: found_rows,
        });
    }
    Ok(PersonPlan::New(new))
}

/// How a row found a person already there.
enum Found<'a> {
    /// By its e-mail (lower case), with the row's ORCID iD if it gives one.
    Email(&'a str, Option<&'a str>),
    /// By its ORCID iD.
    Orcid(&'a str),
}

/// Checks a row that found the person `id` (as stored before the import): its ORCID iD
/// is not someone else's, no earlier row found them too (it would undo that row's values,
/// or lose a person the file meant to add), and a name nothing like theirs is a warning.
/// Notes the person as found by this row; returns them as stored.
fn check_found(
    conn: &rusqlite::Connection,
    row: u64,
    id: &str,
    found: Found,
    fields: &Map<String, Value>,
    state: &mut ImportState,
    report: &mut ImportReport,
) -> Result<StoredPerson> {
    const STORED: &str = "SELECT email, orcid, given_name, family_name, given_name_he, \
                          family_name_he FROM person WHERE id = ?1";
    let stored = conn
        .prepare_cached(STORED)?
        .query_row([id], StoredPerson::read)?;
    // Whose the row's ORCID iD is, when the row found someone by e-mail.
    if let Found::Email(email, Some(orcid)) = found
        && stored.orcid.as_deref() != Some(orcid)
    {
        let holder = match state.matched_orcids.get(orcid) {
            Some(holder) => Some(holder.clone()),
            None => conn
                .prepare_cached("SELECT id FROM person WHERE orcid = ?1")?
                .query_row([orcid], |r| r.get(0))
                .optional()?,
        };
        if let Some(holder) = holder.filter(|h| h != id) {
            let orcid_person = conn
                .prepare_cached(STORED)?
                .query_row([&holder], StoredPerson::read)?
                .name();
            let email_person = stored.name();
            return Err(Error::invalid(
                "orcid",
                msg!(IMPORT_TWO_PEOPLE, email, email_person, orcid, orcid_person),
            ));
        }
    }
    let (by_email, key) = match found {
        Found::Email(email, _) => (true, email),
        Found::Orcid(orcid) => (false, orcid),
    };
    // A person already found by an earlier row: refused, unless the rows place them in
    // two cohorts and agree on every person field both give.
    let again = state.updating.get(id).filter(|(_, _, _, first_fields)| {
        let other_cohort = first_fields
            .as_ref()
            .is_some_and(|(cohort, _)| state.scope.as_ref().is_some_and(|c| c != cohort));
        let agree = first_fields.as_ref().is_some_and(|(_, theirs)| {
            fields
                .iter()
                .all(|(k, v)| theirs.get(k).is_none_or(|first| first == v))
        });
        !(other_cohort && agree)
    });
    if let Some((first, first_key, person, _)) = again {
        let first_file = state.file_row(*first);
        let first = *first;
        return Err(if by_email {
            let message = msg!(
                IMPORT_SAME_PERSON_EMAIL,
                first,
                first_file,
                person,
                first_key,
                email = key
            );
            Error::invalid("email", message)
        } else {
            let message = msg!(
                IMPORT_SAME_PERSON_ORCID,
                first,
                first_file,
                person,
                first_key,
                orcid = key
            );
            Error::invalid("orcid", message)
        });
    }
    let name = stored.name();
    // A row whose name is nothing like theirs in either script: the e-mail or ORCID iD
    // may be someone else's (a typo), and the update would rename them.
    let row_keys = matching_keys(&name_keys(fields));
    if !row_keys.is_empty() && report.warnings.len() < MAX_HINTS {
        let theirs = name_keys(&stored.names);
        let shared = row_keys
            .iter()
            .any(|(k, _)| theirs.iter().any(|(t, _)| t == k));
        // The given name kept and the family name kept in part (Dana Cohen → Dana
        // Cohen-Katz): the same person, renamed.
        let words = |names: &Map<String, Value>, part: &str| -> Vec<String> {
            [part.to_owned(), format!("{part}_he")]
                .iter()
                .filter_map(|f| names.get(f).and_then(Value::as_str))
                .flat_map(|n| {
                    values::fold(n)
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| w.chars().count() > 1)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let kept = |part: &str| {
            let row = words(fields, part);
            words(&stored.names, part).iter().any(|w| row.contains(w))
        };
        // Nothing to compare, a shared name key, or the rename above: no warning (the
        // word test runs only when the keys share nothing).
        let fits = theirs.is_empty() || shared || (kept("given_name") && kept("family_name"));
        if !fits {
            let (file_row, row_name) = (state.file_row(row), display_name(fields));
            let person = &name;
            let w = if by_email {
                msg!(
                    IMPORT_RENAMES_BY_EMAIL,
                    row,
                    file_row,
                    name = row_name,
                    person,
                    email = key
                )
            } else {
                msg!(
                    IMPORT_RENAMES_BY_ORCID,
                    row,
                    file_row,
                    name = row_name,
                    person,
                    orcid = key
                )
            };
            report.warnings.push(w.text.clone());
            report.warning_messages.push(Problem::new("", w));
        }
    }
    // A later row still finds them by the e-mail and ORCID iD they had.
    if let Some(e) = &stored.email {
        state.matched_emails.insert(e.to_lowercase(), id.to_owned());
    }
    if let Some(o) = &stored.orcid {
        state.matched_orcids.insert(o.clone(), id.to_owned());
    }
    let first_fields = state.scope.clone().map(|c| (c, fields.clone()));
    state
        .updating
        .entry(id.to_owned())
        .or_insert((row, key.to_owned(), name, first_fields));
    Ok(stored)
}

/// A person a row matched, as stored: e-mail, ORCID and names.
struct StoredPerson {
    email: Option<String>,
    orcid: Option<String>,
    names: Map<String, Value>,
}

impl StoredPerson {
    /// Reads `email, orcid, given_name, family_name, given_name_he, family_name_he`.
    fn read(r: &rusqlite::Row) -> rusqlite::Result<StoredPerson> {
        let mut names = Map::new();
        for (i, f) in NAME_FIELDS.iter().enumerate() {
            if let Some(v) = r.get::<_, Option<String>>(i + 2)? {
                names.insert((*f).into(), Value::String(v));
            }
        }
        Ok(StoredPerson {
            email: r.get(0)?,
            orcid: r.get(1)?,
            names,
        })
    }

    fn name(&self) -> String {
        display_name(&self.names)
    }
}

/// The rows of a file to import, with its columns matched to fields.
struct Rows<'a> {
    table: &'a Table,
    columns: &'a [Column],
    date_order: Option<DateOrder>,
    /// The cell (data row, column index) that the problem of a date order the file does
    /// not settle names: that problem stands for the cell's own.
    date_order_at: Option<(u64, usize)>,
}

/// One row of a file: its values by field, where each came from, and the problems found
/// reading them (unreadable dates).
struct Row<'a> {
    /// The row's number among the data rows, and its line or row in the file.
    row: u64,
    file_row: u64,
    fields: Map<String, Value>,
    /// (field, header, value as written) of each field set, to say where a problem is.
    source: Vec<(&'static str, &'a str, String)>,
    problems: Vec<Problem>,
    /// Whether reading the row found a problem: the row is still checked in full, so
    /// that all its problems are listed at once, but it is not counted as added or
    /// updated (it would not be).
    had_problems: bool,
}

impl<'a> Rows<'a> {
    /// The values of data row `row` (`cells` from line or row `file_row` of the file).
    fn read(&self, row: u64, file_row: u64, cells: Cells) -> Row<'a> {
        let mut read = Row {
            row,
            file_row,
            fields: Map::new(),
            source: Vec::new(),
            problems: Vec::new(),
            had_problems: false,
        };
        for col in self.columns {
            let Some(raw) = cells.get(col.index) else {
                continue;
            };
            let text = cell_text(raw);
            let not_a_value = match raw {
                Cell::Error(error) => {
                    Some((error, msg!(IMPORT_CELL_ERROR, header = &col.header, error)))
                }
                Cell::Nested(json) => Some((json, msg!(IMPORT_CELL_NESTED, header = &col.header))),
                Cell::Formula(formula) => Some((
                    formula,
                    msg!(IMPORT_CELL_FORMULA, header = &col.header, formula),
                )),
                _ => None,
            };
            if let Some((value, message)) = not_a_value {
                read.problems.push(Problem {
                    row: Some(row),
                    file_row: Some(file_row),
                    column: Some(col.header.clone()),
                    value: Some(value.to_owned()),
                    ..Problem::new(public_field(col.field), message)
                });
                continue;
            }
            match col.field {
                "given" | "family" => {
                    let field = match (col.field, values::has_hebrew(&text)) {
                        ("given", false) => "given_name",
                        ("given", true) => "given_name_he",
                        (_, false) => "family_name",
                        (_, true) => "family_name_he",
                    };
                    read.put(field, &col.header, text);
                }
                "inst_name" => {
                    let field = if values::has_hebrew(&text) {
                        "name_he"
                    } else {
                        "name"
                    };
                    read.put(field, &col.header, text);
                }
                "full_name" => {
                    let (given_field, family_field) = if values::has_hebrew(&text) {
                        ("given_name_he", "family_name_he")
                    } else {
                        ("given_name", "family_name")
                    };
                    let (given, family) = split_full_name(&text);
                    if !given.is_empty() {
                        read.put(given_field, &col.header, given);
                    }
                    read.put(family_field, &col.header, family);
                }
                field if DATE_FIELDS.contains(&field) => {
                    let date = match raw {
                        Cell::Date(d) => Ok(d),
                        Cell::Number(n) if (1.0..2_958_466.0).contains(&n) => {
                            Ok(NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
                                + chrono::Duration::days(n.floor() as i64))
                        }
                        _ => parse_date_text(&text, self.date_order),
                    };
                    // A row with unreadable dates is still checked in full (without those
                    // dates), so that every problem of the row is listed at once; nothing
                    // of it is kept, as an import with any problem is rolled back.
                    match date {
                        Ok(d) => read.put(field, &col.header, d.to_string()),
                        Err(_) if self.date_order_at == Some((row, col.index)) => {
                            read.had_problems = true;
                        }
                        Err(message) => read.problems.push(Problem {
                            row: Some(row),
                            file_row: Some(file_row),
                            column: Some(col.header.clone()),
                            value: Some(text.clone()),
                            ..Problem::new(field, message)
                        }),
                    }
                }
                // Countries as partner files write them: names, three-letter codes, lists
                // separated every which way (typed input takes codes only).
                "country" => {
                    let code = values::country_by_name(&text).map_or(text, str::to_owned);
                    read.put("country", &col.header, code);
                }
                "citizenships" => read.put("citizenships", &col.header, countries(&text)),
                "email" => read.put("email", &col.header, address(&text)),
                field => read.put(field, &col.header, text),
            }
        }
        // More values than the header has columns, in text split by a delimiter: a value
        // holding the delimiter without quotes has shifted the row's values along, so
        // the row would be read into the wrong fields.
        if let Source::Csv { delimiter, .. } = &self.table.source
            && let Some(last) = cells.last_filled()
            && last >= self.table.headers.len()
        {
            read.problems.push(Problem {
                row: Some(row),
                file_row: Some(file_row),
                ..Problem::new(
                    "",
                    msg!(
                        IMPORT_EXTRA_CELLS,
                        cells = last + 1,
                        columns = self.table.headers.len(),
                        delimiter = delimiter_name(*delimiter)
                    ),
                )
            });
        }
        read.had_problems |= !read.problems.is_empty();
        read
    }
}

/// How a message names a delimiter.
fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_owned(),
        d => format!("\"{}\"", d as char),
    }
}

impl<'a> Row<'a> {
    /// Where `field` was set from: (header, value as written).
    fn source_of(&self, field: &str) -> Option<(&'a str, &str)> {
        self.source
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, header, value)| (*header, value.as_str()))
    }

    /// Sets `field` from the column `header`. Two columns may fill one name field (a
    /// Latin and a Hebrew "First name" column: each value goes to its script's field),
    /// so a field already filled by another column with a different value is a problem
    /// of the row naming both cells: neither value is dropped without a word.
    fn put(&mut self, field: &'static str, header: &'a str, value: String) {
        if let Some((first, had)) = self.source_of(field) {
            if had != value {
                let message = msg!(
                    IMPORT_SAME_FIELD_TWICE,
                    first,
                    value1 = had,
                    second = header,
                    value2 = value,
                    field
                );
                self.problems.push(Problem {
                    row: Some(self.row),
                    file_row: Some(self.file_row),
                    column: Some(header.to_owned()),
                    value: Some(value),
                    ..Problem::new(field, message)
                });
            }
            return;
        }
        self.source.push((field, header, value.clone()));
        self.fields.insert(field.to_owned(), Value::String(value));
    }

    /// `p` with this row, and the column and value its field came from.
    fn locate(&self, mut p: Problem) -> Problem {
        let base = p.field.split(['[', '.']).next().unwrap_or("");
        // A name missing in one script is shown by the cell of the other script's
        // (`Dana` + `כהן`: a given name in Latin, a family name in Hebrew).
        let other_script = match base.strip_suffix("_he") {
            Some(latin) => latin.to_owned(),
            None => format!("{base}_he"),
        };
        if let Some((header, value)) = self
            .source_of(base)
            .or_else(|| self.source_of(&p.field))
            .or_else(|| self.source_of(&other_script))
        {
            p.column = Some(header.to_owned());
            p.value = Some(value.to_owned());
        }
        p.row = Some(self.row);
        p.file_row = Some(self.file_row);
        p
    }

    /// The problems of a row that was refused, located in the file; an error that is not
    /// about the row (the database failing) is returned as it is.
    fn locate_all(&self, e: Error) -> Result<Vec<Problem>> {
        match e {
            e @ (Error::Invalid(_) | Error::Refused(_) | Error::NotFound { .. }) => {
                Ok(e.problems().into_iter().map(|p| self.locate(p)).collect())
            }
            e => Err(e),
        }
    }

    /// Counts what the row did in `report` (and lists it among the first rows changed,
    /// as `name`), or lists why it was refused.
    fn count(
        &self,
        result: Result<Outcome>,
        name: Option<String>,
        person: Option<PersonUpdate>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let outcome = match result {
            // A row with a problem adds or updates nothing.
            Ok(_) if self.had_problems => return Ok(()),
            Ok(outcome) => outcome,
            Err(e) => {
                report.problems.extend(self.locate_all(e)?);
                return Ok(());
            }
        };
        let action = match outcome {
            Outcome::Added => {
                report.added += 1;
                RowAction::Add
            }
            Outcome::Updated => {
                report.updated += 1;
                RowAction::Update
            }
            Outcome::Unchanged => {
                report.unchanged += 1;
                RowAction::Unchanged
            }
        };
        if person.is_some() && report.entity == Entity::Placement {
            report.people_updated += 1;
        }
        if let Some(name) = name
            && report.changes.len() < MAX_HINTS
        {
            report.changes.push(RowChange {
                row: self.row,
                file_row: self.file_row,
                action,
                name,
                person,
            });
        }
        Ok(())
    }
}

/// Writes an empty sheet with the canonical headers of `entity` (CSV or XLSX: `format`,
/// else the file's extension), ready to fill in and import.
pub fn write_template(
    entity: Entity,
    path: &Path,
    format: Option<crate::roster::RosterFormat>,
) -> Result<()> {
    use crate::roster::RosterFormat;
    let headers: Vec<String> = if matches!(
        entity,
        Entity::Person | Entity::Institution | Entity::Placement
    ) {
        import_fields(entity)
            .into_iter()
            .map(str::to_owned)
            .collect()
    } else {
        entity
            .fields()
            .iter()
            .filter(|f| f.is_writable() && !matches!(f.kind, crate::entity::Kind::Children(_)))
            .map(|f| f.name.to_owned())
            .collect()
    };
    let bytes = match format.or_else(|| RosterFormat::from_path(path)) {
        Some(RosterFormat::Csv) => {
            let mut out = Vec::new();
            {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(&mut out);
                w.write_record(&headers)
                    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
                w.flush()?;
            }
            out
        }
        Some(RosterFormat::Xlsx) => {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            // Identifiers are text: a spreadsheet would read 0541234567 as a number and
            // drop its leading 0, or an ORCID's digits as a sum.
            let text = rust_xlsxwriter::Format::new().set_num_format("@");
            let xlsx =
                |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
            for (c, h) in headers.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, h, &bold)
                    .map_err(xlsx)?;
                ws.set_column_width(c as u16, (h.len() + 6) as f64)
                    .map_err(xlsx)?;
                if identifier_column(entity, h) {
                    ws.set_column_format(c as u16, &text).map_err(xlsx)?;
                }
            }
            ws.set_freeze_panes(1, 0).map_err(xlsx)?;
            wb.save_to_buffer().map_err(xlsx)?
        }
        Some(other) if format.is_some() => {
            return Err(Error::invalid(
                "--format",
                msg!(TEMPLATE_FORMAT, format = other.name()),
            ));
        }
        _ => {
            return Err(Error::invalid(
                "-o",
                msg!(TEMPLATE_EXTENSION, path = path.display()),
            ));
        }
    };
    crate::fsutil::write_atomic(path, &bytes)
}

/// Whether a template's column holds an identifier a spreadsheet must keep as typed
/// (phone, e-mail, ORCID, ROR, web address, a record's id): a text column.
fn identifier_column(entity: Entity, header: &str) -> bool {
    use crate::entity::Kind;
    let kind = [entity, Entity::Person, Entity::Institution]
        .iter()
        .find_map(|e| e.fields().iter().find(|f| f.name == header))
        .map(|f| &f.kind);
    header == "id"
        || header.ends_with("_id")
        || matches!(
            kind,
            Some(Kind::Phone | Kind::Email | Kind::Orcid | Kind::Ror | Kind::Url)
        )
}

/// A row's record as a person reads it: the names it gives (both scripts), else its
/// name or title, else its e-mail.
fn row_name(fields: &Map<String, Value>) -> String {
    let name = display_name(fields);
    if !name.is_empty() {
        return name;
    }
    ["name", "title", "email", "person_id"]
        .iter()
        .find_map(|f| fields.get(*f).and_then(Value::as_str))
        .unwrap_or("")
        .to_owned()
}

/// A column's letters as a spreadsheet names it: 0 → A, 25 → Z, 26 → AA.
fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A yes/no cell: `yes`, `true`, `1`, `x`, `כן`… or `no`, `false`, `0`, `לא`…
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "כן" | "נכון" => Some(true),
        "no" | "n" | "false" | "0" | "לא" | "-" => Some(false),
        _ => None,
    }
}

/// "Massachusetts Institute of Technology" → "mit": the initials of its words, leaving
/// out the small ones.
fn acronym_of(name: &str) -> String {
    values::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !["of", "the", "and", "for", "at", "de", "in"].contains(w))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// The fields whose values differ between a record before and after an update (not its
/// stamps), in the record's order.
fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    let gone = before.keys().filter(|k| !after.contains_key(*k));
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .chain(gone)
        .filter(|k| !matches!(k.as_str(), "updated_at" | "created_at"))
        .cloned()
        .collect()
}

fn public_field(field: &str) -> &str {
    match field {
        "given" => "given_name",
        "family" => "family_name",
        "inst_name" => "name",
        other => other,
    }
}

enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// Name key → the people found by it: (id, display name, why they match, the data row
/// of the file that adds them when it is not a person already there).
type NameIndex = HashMap<String, Vec<(String, String, &'static str, Option<u64>)>>;

/// The cohort of a placement file that names none: see [`Db::cohort_of_file`].
enum FileCohort {
    /// The file has a cohort column.
    Column,
    /// The cohort the file is a roster of, and the warning that says how it was told.
    Found(String, Msg),
    /// Why no cohort can be told (every row would lack one).
    Unknown(Msg),
}

/// A person an earlier row found: (that row, the e-mail or ORCID it found them by, their
/// names as stored, in a placement file the row's cohort and person fields).
type Updating = (u64, String, String, Option<(String, Map<String, Value>)>);

struct ImportState {
    default_cohort: Option<String>,
    /// Placements may go past a cohort's capacity.
    over_capacity: bool,
    names: NameIndex,
    seen_email: HashMap<String, u64>,
    seen_orcid: HashMap<String, u64>,
    seen_names: HashMap<String, u64>,
    /// The people rows found by e-mail or ORCID: id → (the first such row, the e-mail or
    /// ORCID it found them by, their names as stored, and in a placement file the row's
    /// cohort and person fields).
    updating: HashMap<String, Updating>,
    /// The cohort of the placement row being read (None in other files): one person may
    /// have a row in each cohort of a placement file.
    scope: Option<String>,
    /// The stored e-mail (lower case) and ORCID of each of those people → their id: a
    /// later row still finds them by these after an earlier row changed them.
    matched_emails: HashMap<String, String>,
    matched_orcids: HashMap<String, String>,
    /// The names of the people placed in each cohort a row without e-mail or ORCID
    /// named, read once (see [`PlacedNames`]).
    placed: HashMap<String, PlacedNames>,
    /// Each data row's line or row in the file, for messages that name an earlier row
    /// (the wizard numbers rows as the file does).
    file_rows: Vec<u64>,
    /// Institutions already looked up in this file, by (field, name as written): a
    /// partner's file names the same few institutions on thousands of rows.
    institutions: HashMap<(String, String), std::result::Result<String, Vec<Problem>>>,
}

/// `problems` (references a row names that are not there) and the problems of the row's
/// other fields, so that one reading of the error list shows everything to fix: the
/// record parsed without the fields already reported.
fn with_field_problems(
    entity: Entity,
    mut problems: Vec<Problem>,
    fields: &Map<String, Value>,
) -> Vec<Problem> {
    let reported: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
    let rest: Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| entity.field(k).is_some() && !reported.iter().any(|r| r == *k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Err(Error::Invalid(more)) =
        crate::records::parse_input(entity, &Value::Object(rest), None)
    {
        problems.extend(more.into_iter().filter(|p| !reported.contains(&p.field)));
    }
    problems
}

/// The names of the people placed in one cohort, folded, for rows that name a person
/// without e-mail or ORCID ([`Db::placed_by_name`]).
#[derive(Default)]
struct PlacedNames {
    /// Person id → the folded names, in the order of [`NAME_FIELDS`].
    people: HashMap<String, [Option<String>; 4]>,
    /// (field, folded name) → the people with that name.
    by_name: HashMap<(usize, String), Vec<String>>,
}

impl PlacedNames {
    fn read(conn: &rusqlite::Connection, cohort: &str) -> Result<PlacedNames> {
        let mut placed = PlacedNames::default();
        let mut stmt = conn.prepare(
            "SELECT p.id, p.given_name, p.family_name, p.given_name_he, p.family_name_he \
             FROM placement pl JOIN person p ON p.id = pl.person_id WHERE pl.cohort_id = ?1",
        )?;
        let mut rows = stmt.query([cohort])?;
        while let Some(r) = rows.next()? {
            placed.insert(r.get(0)?, Self::names(r)?);
        }
        Ok(placed)
    }

    /// Columns 1 to 4 of `r`, folded.
    fn names(r: &rusqlite::Row) -> rusqlite::Result<[Option<String>; 4]> {
        let name = |i: usize| -> rusqlite::Result<Option<String>> {
            Ok(r.get::<_, Option<String>>(i)?
                .map(|n| values::fold(n.trim()))
                .filter(|n| !n.is_empty()))
        };
        Ok([name(1)?, name(2)?, name(3)?, name(4)?])
    }

    fn insert(&mut self, id: String, names: [Option<String>; 4]) {
        for (i, name) in names.iter().enumerate() {
            if let Some(name) = name {
                self.by_name
                    .entry((i, name.clone()))
                    .or_default()
                    .push(id.clone());
            }
        }
        self.people.insert(id, names);
    }

    /// Reads `person` again after a row wrote it (added, renamed or placed).
    fn refresh(&mut self, conn: &rusqlite::Connection, person: &str) -> Result<()> {
        if let Some(old) = self.people.remove(person) {
            for (i, name) in old.into_iter().enumerate() {
                if let Some(ids) = name.and_then(|n| self.by_name.get_mut(&(i, n))) {
                    ids.retain(|id| id != person);
                }
            }
        }
        let names = conn
            .query_row(
                "SELECT id, given_name, family_name, given_name_he, family_name_he \
                 FROM person WHERE id = ?1",
                [person],
                Self::names,
            )
            .optional()?;
        if let Some(names) = names {
            self.insert(person.to_owned(), names);
        }
        Ok(())
    }

    /// The one person whose names are all of `wanted` ((field, folded name)).
    fn only_one(&self, wanted: &[(usize, String)]) -> Option<String> {
        let (first, rest) = wanted.split_first()?;
        let mut found = self.by_name.get(first)?.iter().filter(|id| {
            rest.iter()
                .all(|(i, want)| self.people[*id][*i].as_ref() == Some(want))
        });
        let one = found.next()?;
        found.next().is_none().then(|| one.clone())
    }
}

impl ImportState {
    /// Data row `row`'s line or row in the file (as the data row plus the header, for
    /// rows not read through [`Rows`]).
    fn file_row(&self, row: u64) -> u64 {
        self.file_rows
            .get(row.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(row + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely_in_english_and_hebrew() {
        let m = HashMap::new();
        let f = |h: &str| match_header(Entity::Person, h, &m).unwrap();
        assert_eq!(f("First name"), Some("given"));
        assert_eq!(f("given_name"), Some("given"));
        assert_eq!(f("שם פרטי"), Some("given"));
        assert_eq!(f("Surname"), Some("family"));
        assert_eq!(f("E-mail Address"), Some("email"));
        assert_eq!(f("דוא\"ל"), Some("email"));
        assert_eq!(f("דוא״ל"), Some("email"));
        assert_eq!(f("ORCID iD"), Some("orcid"));
        assert_eq!(f("Date of birth"), Some("birth_date"));
        assert_eq!(f("הערות"), Some("notes"));
        assert_eq!(f("Institution"), Some("home_institution"));
        assert_eq!(f("Favourite colour"), None);
        // Notes in brackets, the script of a name column, other common words.
        assert_eq!(f("Date of birth (DD/MM/YYYY)"), Some("birth_date"));
        assert_eq!(f("Email [work]"), Some("email"));
        assert_eq!(f("First name (English)"), Some("given"));
        assert_eq!(f("Last name in Hebrew"), Some("family"));
        assert_eq!(f("שם פרטי באנגלית"), Some("given"));
        assert_eq!(f("שם משפחה (עברית)"), Some("family"));
        assert_eq!(f("Full name - Hebrew"), Some("full_name"));
        assert_eq!(f("Mobile phone"), Some("phone"));
        assert_eq!(f("טלפון נייד"), Some("phone"));
        assert_eq!(f("Home University"), Some("home_institution"));
        assert_eq!(f("ת. לידה"), Some("birth_date"));
        assert_eq!(f("Country of citizenship"), Some("citizenships"));
        assert_eq!(f("English"), None);
        assert_eq!(f("Notes (English)"), Some("notes"));
        let p = |h: &str| match_header(Entity::Placement, h, &m).unwrap();
        assert_eq!(p("Name"), Some("full_name"));
        assert_eq!(p("Host University"), Some("host_institution"));
        assert_eq!(p("Email (English)"), Some("email"));
    }

    #[test]
    fn columns_are_named_by_their_letters() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 701, 702].map(column_letters).to_vec();
        assert_eq!(got, ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x,y\";b\n"), b';');
    }

    #[test]
    fn dates_in_every_order() {
        assert_eq!(
            parse_date_text("2027-03-04", None).unwrap().to_string(),
            "2027-03-04"
        );
        assert_eq!(
            parse_date_text("25/12/2027", None).unwrap().to_string(),
            "2027-12-25"
        );
        assert_eq!(
            parse_date_text("12/25/2027", None).unwrap().to_string(),
            "2027-12-25"
        );
        assert_eq!(
            parse_date_text("3.4.2027", Some(DateOrder::Dmy))
                .unwrap()
                .to_string(),
            "2027-04-03"
        );
        assert_eq!(
            parse_date_text("3-4-2027", Some(DateOrder::Mdy))
                .unwrap()
                .to_string(),
            "2027-03-04"
        );
        assert!(
            parse_date_text("3/4/2027", None)
                .unwrap_err()
                .text
                .contains("date order")
        );
        // Year-first order says nothing of day/month values: read as without an order.
        assert_eq!(
            parse_date_text("2027/03/04", Some(DateOrder::Ymd))
                .unwrap()
                .to_string(),
            "2027-03-04"
        );
        assert!(parse_date_text("3/4/2027", Some(DateOrder::Ymd)).is_err());
        assert_eq!(
            parse_date_text("25/12/2027", Some(DateOrder::Ymd))
                .unwrap()
                .to_string(),
            "2027-12-25"
        );
        assert!(parse_date_text("31/02/2027", None).is_err());
        assert!(parse_date_text("soon", None).is_err());
        // A spreadsheet's date-time cell written as text: the time of day is dropped.
        for (text, order, want) in [
            ("9/1/2027 0:00", Some(DateOrder::Mdy), "2027-09-01"),
            ("25/12/2027 00:00:00", None, "2027-12-25"),
            ("2027-09-01T00:00:00", None, "2027-09-01"),
            ("2027-09-01 12:30 PM", None, "2027-09-01"),
            ("2027-09-01T00:00:00.000Z", None, "2027-09-01"),
        ] {
            assert_eq!(
                parse_date_text(text, order).unwrap().to_string(),
                want,
                "{text}"
            );
        }
        assert!(parse_date_text("2027-09-01 noon", None).is_err());
        assert!(parse_date_text("2027-09-01 1:2:3:4", None).is_err());
    }

    #[test]
    fn names_meet_across_scripts() {
        let p = |g: &str, f: &str, gh: &str, fh: &str| {
            let mut m = Map::new();
            for (k, v) in [
                ("given_name", g),
                ("family_name", f),
                ("given_name_he", gh),
                ("family_name_he", fh),
            ] {
                if !v.is_empty() {
                    m.insert(k.into(), Value::String(v.into()));
                }
            }
            name_keys(&m)
        };
        // Whether `b`, filed under its keys, is found when looking `a` up.
        let shared = |a: Vec<(String, &'static str)>, b: Vec<(String, &'static str)>| {
            matching_keys(&a)
                .iter()
                .any(|(k, _)| b.iter().any(|(o, _)| o == k))
        };
        for (g, f, gh, fh) in [
            ("Dana", "Cohen", "דנה", "כהן"),
            ("Michal", "Levi", "מיכל", "לוי"),
            ("Rachel", "Friedman", "רחל", "פרידמן"),
            ("Itai", "Ben-David", "איתי", "בן-דוד"),
            ("Noa", "Katz", "נועה", "כץ"),
            ("Yossi", "Shapiro", "יוסי", "שפירא"),
        ] {
            assert!(
                shared(p(g, f, "", ""), p("", "", gh, fh)),
                "{g} {f} ~ {gh} {fh}"
            );
        }
        assert!(!shared(p("Dana", "Cohen", "", ""), p("", "", "דנה", "לוי")));
        assert!(!shared(
            p("Dana", "Cohen", "", ""),
            p("Noa", "Cohen", "", "")
        ));
        // Vowels tell Latin names apart; only the other script is matched by skeleton.
        assert!(!shared(
            p("Dana", "Cohen", "", ""),
            p("Dina", "Cohen", "", "")
        ));
        assert!(!shared(p("", "", "דנה", "כהן"), p("", "", "דינה", "כהן")));
        // Named in both scripts: compared by name in each, in either direction.
        assert!(shared(
            p("Dana", "Cohen", "דנה", "כהן"),
            p("", "", "דנה", "כהן")
        ));
        assert!(shared(
            p("Dana", "Cohen", "", ""),
            p("Dana", "Cohen", "דנה", "כהן")
        ));
        assert!(!shared(
            p("Dina", "Cohen", "", ""),
            p("Dana", "Cohen", "דנה", "כהן")
        ));
    }

    #[test]
    fn addresses_as_mail_programs_copy_them() {
        for (text, want) in [
            ("dana@example.org", "dana@example.org"),
            ("Dana Cohen <dana@example.org>", "dana@example.org"),
            ("\"Cohen, Dana\" <Dana@Example.org>", "Dana@Example.org"),
            ("MAILTO:dana@example.org", "dana@example.org"),
            ("<mailto:dana@example.org>", "dana@example.org"),
            ("not <an address", "not <an address"),
        ] {
            assert_eq!(address(text), want, "{text}");
        }
    }

    #[test]
    fn citizenships_as_partner_files_write_them() {
        for (text, want) in [
            ("US;IL", "US, IL"),
            ("us/il", "US, IL"),
            ("US IL", "US, IL"),
            ("IL | US", "IL, US"),
            ("Israel, United States", "IL, US"),
            ("ישראל; ארה״ב", "IL, US"),
            ("ISR/USA", "IL, US"),
            ("Atlantis, IL", "Atlantis, IL"),
            ("New Atlantis", "New Atlantis"),
        ] {
            assert_eq!(countries(text), want, "{text}");
        }
    }

    #[test]
    fn full_names_split_either_way() {
        assert_eq!(
            split_full_name("Cohen, Dana"),
            ("Dana".into(), "Cohen".into())
        );
        assert_eq!(
            split_full_name("Dana Cohen"),
            ("Dana".into(), "Cohen".into())
        );
        assert_eq!(split_full_name("כהן, דנה"), ("דנה".into(), "כהן".into()));
        assert_eq!(
            split_full_name("Mary Ann Smith"),
            ("Mary Ann".into(), "Smith".into())
        );
        for (text, given, family) in [
            ("Dr. Dana Cohen", "Dana", "Cohen"),
            ("Prof. Dr. Jürgen Müller", "Jürgen", "Müller"),
            ("Cohen, Prof. Dana", "Dana", "Cohen"),
            ("ד\"ר דנה כהן", "דנה", "כהן"),
            ("פרופ' נועה לוי", "נועה", "לוי"),
            ("Dr Who", "", "Who"),
        ] {
            assert_eq!(
                split_full_name(text),
                (given.into(), family.into()),
                "{text}"
            );
        }
    }
}
