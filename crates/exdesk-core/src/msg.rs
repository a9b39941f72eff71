//! The catalogue of every message core can produce: a stable code, its English sentence
//! with named parameters (`{value}`, or `{value:?}` for the value quoted as Rust's `{:?}`
//! writes a string) and nothing else. A creation site names its code and gives the
//! parameters ([`msg!`](crate::msg!)); the English text is rendered from the catalogue, so
//! the CLI prints exactly the sentence it always printed, and the desktop UI renders
//! the same code and parameters in its own language (ui/src/lib/messageCodes.json is
//! written from [`ALL`] by a test and checked in).

use std::collections::BTreeMap;

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    /// The English sentence with `{name}` / `{name:?}` placeholders.
    pub text: &'static str,
}

impl Code {
    /// The names of the parameters of [`Code::text`], in order of first use.
    pub fn params(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for part in parse(self.text) {
            if let Part::Param(name, _) = part
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }
}

enum Part {
    Text(&'static str),
    Param(&'static str, bool),
    Brace(char),
}

fn parse(text: &'static str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            parts.push(Part::Text(&rest[..i]));
        }
        let c = rest.as_bytes()[i] as char;
        if rest[i + 1..].starts_with(c) {
            parts.push(Part::Brace(c));
            rest = &rest[i + 2..];
            continue;
        }
        let end = rest[i..].find('}').map_or(rest.len(), |e| i + e);
        let inner = &rest[i + 1..end.min(rest.len())];
        let (name, debug) = match inner.strip_suffix(":?") {
            Some(name) => (name, true),
            None => (inner, false),
        };
        parts.push(Part::Param(name, debug));
        rest = &rest[(end + 1).min(rest.len())..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    parts
}

/// A message: its code, its parameters and its English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub code: String,
    pub params: BTreeMap<String, String>,
    pub text: String,
}

impl Msg {
    /// Renders `code`'s English sentence from `params`. Every placeholder must be given
    /// (checked in debug builds, so the tests catch a wrong site); more parameters may be
    /// given for the UI (amounts in minor units beside their English formatting).
    pub fn new(code: &Code, params: Vec<(&'static str, String)>) -> Msg {
        let params: BTreeMap<String, String> =
            params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        debug_assert!(
            code.params().iter().all(|name| params.contains_key(*name)),
            "message {} needs the parameters {:?}, got {:?}",
            code.code,
            code.params(),
            params.keys().collect::<Vec<_>>()
        );
        let mut text = String::new();
        for part in parse(code.text) {
            match part {
                Part::Text(t) => text.push_str(t),
                Part::Brace(c) => text.push(c),
                Part::Param(name, debug) => {
                    let value = params.get(name).map_or("", String::as_str);
                    if debug {
                        text.push_str(&format!("{value:?}"));
                    } else {
                        text.push_str(value);
                    }
                }
            }
        }
        Msg {
            code: code.code.to_owned(),
            params,
            text,
        }
    }
}

impl From<crate::error::Problem> for Msg {
    /// The message of a problem, without its field and place.
    fn from(p: crate::error::Problem) -> Msg {
        Msg {
            code: p.code,
            params: p.params,
            text: p.message,
        }
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A message of the catalogue: `msg!(VALUE_NOT_A_DATE, value = raw)`, or
/// `msg!(VALUE_NOT_A_DATE, value)` for a variable of the parameter's name. Values are
/// taken with `to_string()`.
#[macro_export]
macro_rules! msg {
    ($code:ident $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::msg::Msg::new(
            &$crate::msg::$code,
            vec![$((stringify!($name), $crate::msg!(@value $name $(= $value)?))),*],
        )
    };
    (@value $name:ident) => { ::std::string::ToString::to_string(&$name) };
    (@value $name:ident = $value:expr) => { ::std::string::ToString::to_string(&$value) };
}

macro_rules! catalogue {
    ($($name:ident = $code:literal => $text:literal;)*) => {
        $(pub const $name: Code = Code { code: $code, text: $text };)*
        /// Every message core can produce.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

catalogue! {
    // Errors that are not about one field.
    NOT_FOUND = "error.not_found" => "no {entity} with id {id}";
    NEWER_SCHEMA = "error.newer_schema" => "{path} has schema version {found}, newer than this program understands ({supported}); it was left untouched: update Exchange Desk to open it";
    MISSING_DATABASE = "error.missing_database" => "no database at {path}";
    DATABASE_ERROR = "error.database" => "database error: {detail}";
    DISK_FULL = "error.disk_full" => "the disk is full, so the change was not written; free some space and try again ({detail})";
    DB_BUSY = "error.db_busy" => "the database is busy: another program (the app or another exdesk) is writing to it; nothing was changed, try again in a moment";
    DISK_IO = "error.disk_io" => "the database file could not be written or read: is the disk full, or the folder read-only? ({detail})";
    MIGRATION_FAILED = "error.migration" => "migration failed: {detail}";
    IO_ERROR = "error.io" => "{detail}";
    JSON_ERROR = "error.json" => "JSON error: {detail}";
    // Values (values.rs)
    VALUE_EMPTY = "value.empty" => "must not be empty";
    VALUE_NOT_ONE_LINE = "value.not_one_line" => "must be one line of text (found the control character U+{char})";
    VALUE_TOO_LONG = "value.too_long" => "is {n} characters long; at most {max} are allowed";
    VALUE_HEBREW_IN_LATIN = "value.hebrew_in_latin" => "holds Hebrew letters; put the Hebrew name in {field}_he";
    VALUE_NOT_HEBREW = "value.not_hebrew" => "must be written in Hebrew script";
    VALUE_CONTROL_CHAR = "value.control_char" => "holds the control character U+{char}";
    VALUE_DATE_OUT_OF_RANGE = "value.date_out_of_range" => "{value:?} is out of range (years 1900 to 2200)";
    VALUE_NOT_ISO_DATE = "value.not_iso_date" => "{value:?} is not a date in the form YYYY-MM-DD";
    VALUE_NOT_COUNTRY = "value.not_country" => "{value:?} is not an ISO 3166-1 alpha-2 country code (e.g. US, IL)";
    VALUE_NOT_CURRENCY = "value.not_currency" => "{value:?} is not an ISO 4217 currency code (e.g. USD, ILS)";
    VALUE_NOT_EMAIL = "value.not_email" => "{value:?} is not an e-mail address";
    VALUE_NOT_ORCID = "value.not_orcid" => "{value:?} is not an ORCID iD (form 0000-0002-1825-0097)";
    VALUE_ORCID_CHECK_DIGIT = "value.orcid_check_digit" => "{value:?} has a wrong check digit (expected {expected})";
    VALUE_NOT_ROR_SHAPE = "value.not_ror.shape" => "{value:?} is not a ROR id: expected 0 followed by 6 letters or digits and 2 check digits";
    VALUE_NOT_ROR_CHARACTER = "value.not_ror.character" => "{value:?} is not a ROR id: unexpected character";
    VALUE_NOT_ROR_DIGITS = "value.not_ror.digits" => "{value:?} is not a ROR id: the last two characters must be digits";
    VALUE_ROR_CHECK_DIGITS = "value.not_ror.check_digits" => "{value:?} is not a ROR id: wrong check digits";
    VALUE_NOT_PHONE = "value.not_phone" => "{value:?} is not a phone number (digits, spaces and + - ( ) only, 1 to 20 digits)";
    VALUE_NOT_URL = "value.not_url" => "{value:?} is not a web address starting with https://";
    // Records (records.rs)
    RECORD_IN_USE = "record.in_use" => "this {entity} is still used by {users}; change or delete those first";
    COHORT_NAME_AMBIGUOUS = "cohort.name_ambiguous" => "{n} cohorts are named {name:?}; give the cohort's id";
    RECORD_ID_EXISTS = "record.id_exists" => "a {entity} with id {id} exists already";
    // Recovering deleted records (recover.rs)
    RECOVER_ALREADY = "recover.already" => "this deleted {entity} was already recovered as {new_id}";
    RECOVER_REF_GONE = "recover.ref_gone" => "the {target} {id} it belonged to no longer exists; recover that {target} first";
    RECORD_NOT_OBJECT = "record.not_object" => "expected a JSON object with the fields of a {entity}";
    RECORD_UNKNOWN_FIELD = "record.unknown_field" => "is not a field of a {entity} (fields: {fields})";
    RECORD_ID_CHANGED = "record.id_changed" => "the id of a record cannot be changed";
    FIELD_DERIVED = "field.derived" => "is derived by Exchange Desk and cannot be set";
    FIELD_MIN_ENTRIES = "field.min_entries" => "needs at least {min} entries";
    FIELD_ONE_ENTRY = "field.one_entry" => "needs at least one entry";
    FIELD_REQUIRED = "field.required" => "is required";
    VALUE_ID_NOT_TEXT = "value.id_not_text" => "must be a record id (text)";
    VALUE_NOT_ID = "value.not_id" => "{value:?} is not a record id";
    VALUE_NOT_TEXT = "value.not_text" => "must be text, not {kind}";
    VALUE_NOT_LIST = "value.not_list" => "must be a list, not {kind}";
    VALUE_NOT_BOOL = "value.not_bool" => "must be true or false, not {kind}";
    VALUE_NUMBER_OUT_OF_RANGE = "value.number_out_of_range" => "{n} is out of range (0 to {max})";
    VALUE_NOT_WHOLE_NUMBER = "value.not_whole_number" => "must be a whole number, not {value}";
    VALUE_NOT_ID_LIST = "value.not_id_list" => "must be a list of ids, not {kind}";
    VALUE_LISTED_TWICE = "value.listed_twice" => "{id} is listed twice";
    VALUE_NOT_ONE_OF = "value.not_one_of" => "{value:?} is not one of: {allowed}";
    VALUE_NOT_OBJECT = "value.not_object" => "must be an object, not {kind}";
    ITEM_UNKNOWN_FIELD = "item.unknown_field" => "is not a field of this item";
    REF_MISSING = "ref.missing" => "there is no {target} with id {id}";
    // Rules (rules.rs)
    DATE_BEFORE_START = "rule.date_before_start" => "{date} is before {start_field} {start}";
    PERSON_NEEDS_NAME = "person.needs_name" => "a person needs a given and a family name, in Latin or in Hebrew script";
    PERSON_NAME_SCRIPTS_DIFFER = "person.name_scripts_differ" => "the given name {given:?} and the family name {family:?} are in different scripts: give both in Latin letters, both in Hebrew, or each in both";
    PERSON_EMAIL_TAKEN = "person.email_taken" => "{email} is already the e-mail of {person}";
    PERSON_ORCID_TAKEN = "person.orcid_taken" => "{orcid} is already the ORCID iD of {person}";
    COHORT_NAME_TAKEN = "cohort.name_taken" => "the program already has a cohort named {name:?}";
    STATUS_FROM_FINAL = "status.from_final" => "cannot move from {from} to {to}: the placement is {from}, a final state; reopen the placement to move it back";
    STATUS_BACKWARD = "status.backward" => "cannot move from {from} to {to}: {to} comes before {from}; reopen the placement to move it back";
    FIELD_CANNOT_CLEAR = "field.cannot_clear" => "is required (it cannot be cleared)";
    PLACEMENT_TWICE = "placement.twice" => "this person is already placed in cohort {cohort:?}";
    SCREENING_GATE = "placement.screening_gate" => "{program:?} is a sensitive program: research-security screening must be cleared before a placement can be {status} (screening is {screening_text})";
    SCREENING_KEPT = "placement.screening_kept" => "{program:?} is a sensitive program: a placement that is {status} keeps its screening cleared; reopen it to an earlier status or withdraw it before setting screening to {screening_text}";
    SCREENING_NOT_CLEARED = "placement.screening_not_cleared" => "{program:?} is a sensitive program: a placement that is {status} needs cleared screening, but its screening is {screening_text}; reopen it to an earlier status, withdraw it, or clear its screening";
    COHORT_FULL = "cohort.full" => "cohort {cohort:?} is full ({used} of {capacity} places taken); adding past capacity needs an explicit override";
    FELLOWSHIP_PLACEMENT_PERSON = "fellowship.placement_person" => "the placement belongs to another person";
    TRANCHES_OVER_AWARD = "fellowship.tranches_over_award" => "the tranches add up to {total}, more than the award of {award}";
    TRANCHE_PAID_ON_UNPAID = "fellowship.paid_on_unpaid" => "only a paid tranche has a paid_on date";
    QUOTA_NOT_YEAR = "quota.not_year" => "{value:?} is not an academic year like 2026/27";
    QUOTA_ONE_COUNTRY = "quota.one_country" => "{value:?} stays in one country: placements there count as domestic, so write domestic";
    QUOTA_NOT_DIRECTION = "quota.not_direction" => "{value:?} is not a direction like US->IL";
    QUOTA_TWICE = "quota.twice" => "a quota for {year} {direction} is listed twice";
    // Shared-folder sync (autosync.rs)
    FOLDER_NOT_ABSOLUTE = "folder.not_absolute" => "{path} is not a full path: choose the folder from its top (for example /home/you/Sync)";
    FOLDER_MISSING = "folder.missing" => "{path} does not exist: create it, or pick the folder your file-sync service keeps in step";
    FOLDER_NOT_FOLDER = "folder.not_folder" => "{path} is not a folder";
    // Files (fsutil.rs, roster.rs, pdf.rs)
    OUTPUT_IS_FOLDER = "file.output_is_folder" => "{path} is a folder, not a file";
    OUTPUT_IS_DATABASE = "file.output_is_database" => "{path} is the database itself; write to another file";
    OUTPUT_NO_FOLDER = "file.output_no_folder" => "cannot write {path}: the folder {folder} does not exist";
    ROSTER_UNKNOWN_COLUMN = "roster.unknown_column" => "{key:?} is not a roster column (columns: {columns})";
    ROSTER_REDACTED_LEFT_OUT = "roster.redacted_left_out" => "--redact left out the columns {columns}: they hold redacted fields";
    ROSTER_NO_COLUMNS = "roster.no_columns" => "no columns left to export";
    PDF_FONT = "pdf.font" => "the bundled PDF font cannot be read";
    PDF_PAGE_SIZE = "pdf.page_size" => "bad page size";
    // The database file (db.rs, safety.rs)
    DB_LOCKED = "db.locked" => "{path} is encrypted: give its passphrase (EXDESK_PASSPHRASE) to open it";
    DB_WRONG_PASSPHRASE = "db.wrong_passphrase" => "the passphrase does not open {path} (or the file is damaged)";
    DB_NOT_A_DATABASE = "db.not_a_database" => "{path} is not an Exchange Desk database (or it is damaged or encrypted)";
    DB_NOT_OURS = "db.not_ours" => "{path} is not an Exchange Desk database: it holds another program's tables, and it was left as it was (check the database path)";
    // Demo and generated data (demo.rs, gen.rs)
    DEMO_NOT_EMPTY = "demo.not_empty" => "the demo data can only be loaded into an empty database";
    DEMO_BAD_REFERENCE = "demo.bad_reference" => "demo {entity} #{i}: {error}";
    DEMO_BAD_RECORD = "demo.bad_record" => "demo {entity} #{i} ({key}): {error}";
    GEN_PEOPLE_RANGE = "gen.people_range" => "must be between 1 and {max}, not {people}";
    GEN_NOT_EMPTY = "gen.not_empty" => "synthetic data can only be generated into an empty database";
    GEN_STOPPED = "gen.stopped" => "the data generator stopped unexpectedly";
    GEN_CANCELLED = "gen.cancelled" => "generating was cancelled; nothing was written";
    LIST_BAD_SORT = "list.bad_sort" => "cannot sort {entity} records by {field}";
    LIST_BAD_FILTER = "list.bad_filter" => "cannot filter {entity} records by {field}";
    LIST_NOT_NUMBER = "list.not_number" => "{value:?} is not a number";
    // Imports (import.rs)
    IMPORT_XLS = "import.xls" => "this is an old Excel (.xls) file; save it as .xlsx or CSV and import that";
    IMPORT_CSV_LINE = "import.csv_line" => "line {line} cannot be read as CSV: {error}";
    IMPORT_BAD_ENCODING = "import.bad_encoding" => "the file says it is {encoding} but holds invalid characters";
    IMPORT_MIXED_ENCODING = "import.mixed_encoding" => "the file is UTF-8 text except on line {line}, which holds bytes of another encoding ({bytes}; pasted from an older file?): correct that line, or save the whole file as \"CSV UTF-8\" again";
    IMPORT_NOT_HEBREW_8BIT = "import.not_hebrew_legacy" => "the file is not UTF-8 and holds bytes that are not Windows-1255 (Hebrew) text either; save it as \"CSV UTF-8\" and import it again";
    IMPORT_BINARY = "import.binary" => "this is not a text or spreadsheet file (it holds binary data)";
    IMPORT_OPEN_QUOTE = "import.open_quote" => "line {line}: a cell starts with a quote (\") that is never closed, so the rest of the file would run into it; fix the quotes and import again";
    IMPORT_XLSX_OPEN = "import.xlsx_open" => "the spreadsheet cannot be opened: {error}";
    IMPORT_XLSX_NO_SHEET = "import.xlsx_no_sheet" => "the spreadsheet has no sheet";
    IMPORT_XLSX_SHEET = "import.xlsx_sheet" => "the sheet {sheet:?} cannot be read: {error}";
    IMPORT_ODS = "import.ods" => "this is an OpenDocument (LibreOffice) spreadsheet that cannot be read: save it as .xlsx or CSV and import that";
    IMPORT_ZIP_NO_WORKBOOK = "import.zip_no_workbook" => "this is a zip archive with no spreadsheet in it: unpack it and import the .xlsx or CSV file inside";
    IMPORT_WORD_DOCUMENT = "import.word_document" => "this is a Word document, not a spreadsheet: copy its table into a spreadsheet, save that as .xlsx or CSV and import it";
    IMPORT_PDF = "import.pdf" => "this is a PDF document, not a spreadsheet: ask the sender for the table as .xlsx or CSV";
    IMPORT_XLSX_DAMAGED = "import.xlsx_damaged" => "the .xlsx spreadsheet is damaged or incomplete (a download or copy cut short?): get or save it again";
    IMPORT_NO_SUCH_SHEET = "import.no_such_sheet" => "the workbook has no sheet {sheet:?} (its sheets: {sheets})";
    IMPORT_SHEET_EMPTY = "import.sheet_empty" => "the sheet {sheet:?} is empty";
    IMPORT_SHEET_NOT_WORKBOOK = "import.sheet_not_workbook" => "a sheet ({sheet:?}) can only be chosen in a workbook (.xlsx), and this file is not one";
    IMPORT_SHEET_NOT_READ = "import.sheet_not_read" => "the sheet {sheet:?} also has {entity} columns ({n} row(s)) and was not read: import it separately (--sheet {sheet:?})";
    IMPORT_HIDDEN_SHEET_NOT_READ = "import.hidden_sheet_not_read" => "the hidden sheet {sheet:?} also has {entity} columns ({n} row(s)) and was not read: import it separately (--sheet {sheet:?})";
    IMPORT_EMPTY = "import.empty" => "the file is empty";
    IMPORT_HEADER_REPEATED = "import.header_repeated" => "row(s) {rows} repeat the header (a second header row, or a header copied with more rows): they are not read";
    IMPORT_CELL_ERROR = "import.cell_error" => "the cell of column {header:?} holds the spreadsheet error {error} (a formula that failed), not a value; correct or clear it in the spreadsheet";
    IMPORT_CELL_FORMULA = "import.cell_formula" => "the cell of column {header:?} holds the formula {formula} with no computed value (the file was written by a program that does not calculate): open and save it in a spreadsheet program";
    IMPORT_CELL_NESTED = "import.cell_nested" => "the value of {header:?} is a nested JSON object or list, not one value or a list of values";
    IMPORT_EXTRA_CELLS = "import.extra_cells" => "this row has {cells} values but the header has {columns} columns: does a value hold the delimiter ({delimiter}) without quotes? Its values would go to the wrong columns";
    IMPORT_ROWS_ABOVE_HEADER = "import.rows_above_header" => "the header is row {row}: the {n} row(s) above it (a title or a note) are not read";
    IMPORT_SHEET_CHOSEN = "import.sheet_chosen" => "read the sheet {sheet:?}: the sheets before it ({others}) have no column to import";
    IMPORT_BAD_MAPPING = "import.bad_mapping" => "{target:?} (for column {header:?}) is not a field a {entity} import can fill";
    IMPORT_NOT_A_DATE = "import.not_a_date" => "{value:?} is not a date (use YYYY-MM-DD, D/M/YYYY or M/D/YYYY)";
    IMPORT_DATE_AMBIGUOUS = "import.date_ambiguous" => "{value:?} could be day/month or month/day; give the date order";
    IMPORT_NOT_A_REAL_DATE = "value.not_a_date" => "{value:?} is not a real date";
    IMPORT_MIXED_DATE_ORDERS = "import.mixed_date_orders" => "the file mixes date orders: {value1:?} (row {row1}) is day/month but {value2:?} (row {row2}) is month/day; fix the file or give the date order";
    IMPORT_DATE_NOT_YEAR_FIRST = "import.date_not_year_first" => "dates like {value:?} (row {row}) are not year first (the date order asked for) and could be day/month or month/day; give the date order (--date-order dmy or mdy)";
    IMPORT_DATE_ORDER_UNKNOWN = "import.date_order_unknown" => "dates like {value:?} (row {row}) could be day/month or month/day and nothing in the file settles it; give the date order (--date-order dmy or mdy)";
    IMPORT_CANNOT_READ = "import.cannot_read" => "cannot read {path}: {error}";
    IMPORT_DIRECTION_IGNORED = "import.direction_ignored" => "column {header:?} is ignored: the direction is derived from the institutions";
    IMPORT_COLUMNS_CLASH = "import.columns_clash" => "columns {first:?} and {header:?} both mean {field}; map one of them to \"ignore\"";
    IMPORT_SAME_FIELD_TWICE = "import.same_field_twice" => "columns {first:?} ({value1:?}) and {second:?} ({value2:?}) both give the {field} of this row; clear one of the two cells, or map one column to \"ignore\"";
    IMPORT_COLUMN_IGNORED = "import.column_ignored" => "column {header:?} is not a known field and is ignored";
    IMPORT_UNNAMED_COLUMN = "import.unnamed_column" => "column {column} holds values but has no header: it is ignored";
    IMPORT_BAD_JSON = "import.bad_json" => "the file starts as JSON but cannot be read as JSON (line {line}, column {column}: {error})";
    IMPORT_JSON_NOT_RECORDS = "import.json_not_records" => "a JSON file must hold an array of records, one object per row (as `exdesk person list --json` prints them)";
    IMPORT_NO_COLUMNS = "import.no_columns" => "no column of the file is a {entity} field (headers: {headers}; the header is looked for in the first 30 rows); check the header row or give a mapping";
    IMPORT_SAME_NAME = "import.same_name" => "row {row} (file row {file}) has the same name as row {first_row} (file row {first_file}): {name}";
    IMPORT_NO_COHORT = "import.no_cohort" => "no cohort is named {name:?}";
    IMPORT_COHORTS_NAMED = "import.cohorts_named" => "{n} cohorts are named {name:?}; use the cohort's id";
    IMPORT_NO_RECORD = "import.no_record" => "no {entity} has the id or name {name:?}";
    IMPORT_RECORDS_NAMED = "import.records_named" => "{n} {entity} records are named {name:?}; use the id";
    IMPORT_CANCELLED = "import.cancelled" => "the import was cancelled; nothing was written";
    IMPORT_SAME_EMAIL = "import.same_email" => "the same e-mail as row {first} (file row {first_file})";
    IMPORT_SAME_ORCID = "import.same_orcid" => "the same ORCID iD as row {first} (file row {first_file})";
    IMPORT_SAME_PERSON_EMAIL = "import.same_person_email" => "row {first} (file row {first_file}) already updates {person} (matched by {first_key}); this row matches the same person by e-mail ({email}): merge the two rows, or correct the e-mail";
    IMPORT_SAME_PERSON_ORCID = "import.same_person_orcid" => "row {first} (file row {first_file}) already updates {person} (matched by {first_key}); this row matches the same person by ORCID iD ({orcid}): merge the two rows, or correct the ORCID iD";
    IMPORT_TWO_PEOPLE = "import.two_people" => "the row matches two different people: the e-mail {email} belongs to {email_person}, but the ORCID iD {orcid} to {orcid_person}";
    IMPORT_RENAMES_BY_EMAIL = "import.renames_by_email" => "row {row} (file row {file_row}: {name}) matches {person} by e-mail {email}: their name would change; check the e-mail";
    IMPORT_RENAMES_BY_ORCID = "import.renames_by_orcid" => "row {row} (file row {file_row}: {name}) matches {person} by ORCID iD {orcid}: their name would change; check the ORCID iD";
    IMPORT_COHORT_REQUIRED = "import.cohort_required" => "is required: the cohort's name or id";
    IMPORT_COHORT_FROM_SHEET = "import.cohort_from_sheet" => "the file names no cohort: its rows go to {name:?}, the cohort its sheet {sheet:?} is named after";
    IMPORT_COHORT_FROM_ROWS = "import.cohort_from_rows" => "the file names no cohort: every row is already a placement of {name:?} (a roster of it), so the rows update that cohort";
    IMPORT_COHORT_UNTOLD = "import.cohort_untold" => "the file names no cohort (no cohort column) and none can be told from it; give the cohort (--cohort, or the cohort of the import)";
    IMPORT_NO_COHORT_SHEET = "import.no_cohort_sheet" => "the file names no cohort and its sheet name {sheet:?} fits {n} cohorts ({names}); give the cohort (--cohort, or the cohort of the import)";
    IMPORT_NO_COHORT_UNKNOWN = "import.no_cohort_unknown" => "the file names no cohort, and row {row} (file row {file_row}: {who}) is no one on the desk yet, so the file is no roster of a cohort; give the cohort (--cohort, or the cohort of the import)";
    IMPORT_NO_COHORT_ROW = "import.no_cohort_row" => "the file names no cohort, and row {row} (file row {file_row}: {who}) is not placed in the cohort of the rows above it, so the file is no roster of one cohort; give the cohort (--cohort, or the cohort of the import)";
    IMPORT_NO_COHORT_SEVERAL = "import.no_cohort_several" => "the file names no cohort, and every row is a placement in each of {names}; give the cohort (--cohort, or the cohort of the import)";
    IMPORT_NO_INSTITUTION = "import.no_institution" => "no institution is named {name:?}; add it first";
    IMPORT_INSTITUTIONS_NAMED = "import.institutions_named" => "{n} institutions are named {name:?}; use the institution's id";
    IMPORT_INSTITUTION_AMBIGUOUS = "import.institution_ambiguous" => "{name:?} could be any of {candidates}; write the full name";
    TEMPLATE_EXTENSION = "file.template_extension" => "{path} must end in .csv or .xlsx (or give --format csv or xlsx)";
    TEMPLATE_FORMAT = "file.template_format" => "a template is a csv or xlsx sheet, not {format}";
    BACKUP_MISSING = "backup.missing" => "{path} does not exist";
    BACKUP_IS_FOLDER = "backup.is_folder" => "{path} is a folder, not a backup file";
    BACKUP_NOT_A_FILE = "backup.not_a_file" => "{path} is not a file (a pipe or a device), not a backup file";
    BACKUP_LOCKED = "backup.locked" => "{path} is encrypted: give its passphrase";
    BACKUP_WRONG_PASSPHRASE = "backup.wrong_passphrase" => "the passphrase does not open {path} (or it is damaged)";
    BACKUP_NOT_A_DATABASE = "backup.not_a_database" => "{path} is not an Exchange Desk backup (not a database)";
    BACKUP_NOT_OURS = "backup.not_ours" => "{path} is not an Exchange Desk database";
    BACKUP_DAMAGED = "backup.damaged" => "{path} is damaged: {detail}";
    DB_CANNOT_CHECK = "db.cannot_check" => "{path} cannot be checked: {error}";
    BACKUP_ONTO_ITSELF = "backup.onto_itself" => "the backup cannot replace the database itself";
    DB_IN_MEMORY_BACKUPS = "db.in_memory_backups" => "an in-memory database has no backups folder";
    BACKUP_KEEP_RANGE = "backup.keep_range" => "keep between 1 and {max} backups (got {keep})";
    DB_IN_MEMORY_RESTORE = "db.in_memory_restore" => "an in-memory database cannot be restored";
    PASSPHRASE_CURRENT_WRONG = "passphrase.current_wrong" => "the current passphrase is not right; nothing was changed";
    DB_IN_MEMORY_ENCRYPT = "db.in_memory_encrypt" => "an in-memory database cannot be encrypted";
    PASSPHRASE_TOO_SHORT = "passphrase.too_short" => "use a passphrase of at least 8 characters";
    DB_NOT_ENCRYPTED = "db.not_encrypted" => "the database is not encrypted";
    RESTORE_ENCRYPTED_AGAIN = "restore.encrypted_again" => "{backup} is not encrypted, but the database it replaced was: the restored database was encrypted with the same passphrase (the backup file itself stays unencrypted)";
    RESTORE_NOT_ENCRYPTED = "restore.not_encrypted" => "the database was encrypted but {backup} is not, and no passphrase was given to encrypt it: the restored database is NOT encrypted; encrypt it again";
    // Sync (sync.rs)
    SYNC_FOR_THIS_DEVICE = "package.for_this_device" => "{peer:?} is this laptop: give the id or name of the laptop the package is for (exdesk device shows this one's)";
    SYNC_FOR_NAME_SHARED = "package.for_name_shared" => "{n} laptops are named {peer:?}: give the device id of the one the package is for";
    PACKAGE_NOT_A_PACKAGE = "package.not_a_package" => "this is not an Exchange Desk sync package, or it is damaged or cut short";
    PACKAGE_FORMAT = "package.format" => "this is not an Exchange Desk sync package (format {format:?})";
    PACKAGE_NEWER = "package.newer" => "the package has format version {version}, newer than this program reads ({supported}); update Exchange Desk";
    PACKAGE_DAMAGED_PAYLOAD = "package.damaged_payload" => "the package is damaged (payload)";
    PACKAGE_CHECKSUM = "package.checksum" => "the package is damaged: its checksum does not match its contents";
    PACKAGE_BAD_KEY = "package.bad_key" => "the package's signing key is malformed";
    PACKAGE_NOT_SIGNED = "package.not_signed" => "the package is not signed";
    PACKAGE_BAD_SIGNATURE = "package.bad_signature" => "the package's signature does not match: it was altered or not made by the device it names";
    PACKAGE_DAMAGED_COMPRESSED = "package.damaged_compressed" => "the package is damaged (compressed payload)";
    PACKAGE_INFLATED = "package.inflated" => "the package's payload expands to more than {limit_mb} MB, far more than records compress: refused as damaged or malicious";
    PACKAGE_DAMAGED_CONTENTS = "package.damaged_contents" => "the package's contents are damaged: {error}";
    DEVICE_KEY_DAMAGED = "device.key_damaged" => "this installation's signing key is damaged";
    DEVICE_MISSING = "device.missing" => "this installation has no device identity";
    PACKAGE_OWN = "package.own" => "this package was written by this installation";
    PACKAGE_KEY_MISMATCH = "package.key_mismatch" => "the package claims to come from {device:?} but is signed with a different key (fingerprint {fingerprint}); refused";
    PACKAGE_UNTRUSTED = "package.untrusted" => "the package comes from {device:?} ({device_id}), a device not trusted yet (key fingerprint {fingerprint}); check the fingerprint with its owner and import with --trust";
    PACKAGE_MISSING_RECORDS = "package.missing_records" => "the package refers to records this installation does not have ({records}); import the sender's full package first";
    CONFLICT_RESOLVED = "conflict.resolved" => "this conflict is already resolved";
    CONFLICT_NOTHING_TO_RESTORE = "conflict.nothing_to_restore" => "this entry has nothing to restore; dismiss it instead";
    MERGE_SELF = "merge.self" => "a person cannot be merged with itself";
    PACKAGE_UNKNOWN_FIELD = "package.unknown_field" => "the package has a field this program does not know: {entity}.{field}";
    PACKAGE_INCOMPLETE = "package.incomplete" => "the package holds an incomplete {entity} {id} (no {field}); import the sender's full package first";
    PACKAGE_BAD_CREATED_AT = "package.bad_created_at" => "the package has a malformed {entity}.created_at";
    PACKAGE_INVALID_FIELD = "package.invalid_field" => "the package has an invalid {entity}.{field}: {problem}";
    PACKAGE_UNREADABLE = "package.unreadable" => "cannot be read";
    FOLDER_PACKAGES_REFUSED = "folder.packages_refused" => "{n} package(s) in the shared folder were refused (each is named above with its reason); the other packages were imported";
    PARTNER_COPY_FIELD = "partner_copy.field" => "the coordinator keeps this {entity}'s {field}: this laptop received the {entity} in a package scoped to a cohort, which leaves {field} out; ask the coordinator to change it";
    PARTNER_COPY_FIELDS = "partner_copy.fields" => "the coordinator keeps this {entity}'s {fields}: this laptop received the {entity} in a package scoped to a cohort, which leaves them out; ask the coordinator to change them";
    // The shells (exdesk-cli, src-tauri)
    CHECK_FAILED = "db.check_failed" => "{path} has problems:\n{problems}";
    APP_DAMAGED = "app.damaged" => "the database file is damaged ({problems}); restore a backup";
    APP_INTERNAL = "app.internal" => "Exchange Desk hit an internal error ({detail}); nothing was changed.";
    CLI_BAD_JSON = "cli.bad_json" => "not valid JSON: {error}";
    CLI_ALREADY_ENCRYPTED = "cli.already_encrypted" => "the database is encrypted already; use rekey to change the passphrase";
    CLI_NOT_ENCRYPTED = "cli.not_encrypted" => "the database is not encrypted; use encrypt";
    CLI_MERGE_PEOPLE_ONLY = "cli.merge_people_only" => "only people can be merged";
    CLI_BAD_FORMAT = "cli.bad_format" => "{value:?} is not csv, xlsx, pdf or json";
    CLI_UNKNOWN_FORMAT = "cli.unknown_format" => "cannot tell the format of {path}; give --format";
    CLI_BAD_LANG = "cli.bad_lang" => "{value:?} is not en or he";
    CLI_BAD_MAPPING = "cli.bad_mapping" => "{path} is not a JSON object of header → field: {error}";
    CLI_BAD_DATE_ORDER = "cli.bad_date_order" => "{value:?} is not dmy, mdy or ymd";
    CLI_RESOLVE_HOW = "cli.resolve_how" => "say --restore or --dismiss";
    CLI_NO_TERMINAL = "cli.no_terminal" => "no terminal to ask for a passphrase: set {variable}";
    CLI_PASSPHRASES_DIFFER = "cli.passphrases_differ" => "the two passphrases differ";
    // @end
}

/// The catalogue as JSON for the UI: `{code: {"en": text, "params": [names]}}`, sorted.
pub fn catalogue_json() -> String {
    let mut map = BTreeMap::new();
    for code in ALL {
        map.insert(
            code.code,
            serde_json::json!({ "en": code.text, "params": code.params() }),
        );
    }
    let mut out = serde_json::to_string_pretty(&map).expect("the catalogue is JSON");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ALL {
            assert!(seen.insert(code.code), "{} twice", code.code);
            assert!(
                code.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'),
                "{}",
                code.code
            );
            for name in code.params() {
                assert!(
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{}: parameter {name:?}",
                    code.code
                );
            }
        }
    }

    #[test]
    fn renders_like_format() {
        let m = Msg::new(
            &Code {
                code: "t",
                text: "{value:?} is {n} {{x}}",
            },
            vec![("value", "a\"b".into()), ("n", "3".into())],
        );
        assert_eq!(m.text, format!("{:?} is 3 {{x}}", "a\"b"));
    }

    /// ui/src/lib/messageCodes.json is the catalogue as it is: run with
    /// `EXDESK_WRITE_CODES=1` to rewrite it.
    #[test]
    fn ui_catalogue_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/lib/messageCodes.json");
        let want = catalogue_json();
        if std::env::var_os("EXDESK_WRITE_CODES").is_some() {
            std::fs::write(&path, &want).expect("write messageCodes.json");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is stale: run `EXDESK_WRITE_CODES=1 cargo test -p exdesk-core --lib msg` and commit it",
            path.display()
        );
    }
}
