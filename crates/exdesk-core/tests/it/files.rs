//! Partner files in, rosters out: the corpus of awkward files in tests/files/ (see its
//! README.md) read through `Db::import_file`, and the roster writers, against the import
//! rules of spec/cli.md ("Files").
//!
//! Row numbers: a problem's `row` is the 1-based *data* row of the file (the header row is
//! not counted), as `Problem::row` documents. [`row`] is the one place that says so.

use std::path::{Path, PathBuf};

use exdesk_core::import::{DateOrder, ImportOptions, ImportReport};
use exdesk_core::roster::{RosterFormat, RosterOptions};
use exdesk_core::{Db, Entity, Error, ListQuery, Problem, WriteOptions};
use serde_json::{Value, json};

use crate::{add, id, temp_db};

// ---------------------------------------------------------------- helpers

/// A file of the corpus.
fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/files")
        .join(name)
}

/// The `row` a problem names for the n-th data row of a file (see the module docs).
fn row(n: u64) -> u64 {
    n
}

fn import_path(
    db: &mut Db,
    entity: Entity,
    path: &Path,
    opts: &ImportOptions,
) -> exdesk_core::Result<ImportReport> {
    db.import_file(entity, path, opts, &mut |_| true)
}

fn import(
    db: &mut Db,
    entity: Entity,
    file: &str,
    opts: &ImportOptions,
) -> exdesk_core::Result<ImportReport> {
    import_path(db, entity, &corpus(file), opts)
}

/// Imports a corpus file that must go in cleanly; returns the report.
#[track_caller]
fn import_ok(db: &mut Db, entity: Entity, file: &str) -> ImportReport {
    import_ok_with(db, entity, file, &ImportOptions::default())
}

#[track_caller]
fn import_ok_with(db: &mut Db, entity: Entity, file: &str, opts: &ImportOptions) -> ImportReport {
    let report = import(db, entity, file, opts)
        .unwrap_or_else(|e| panic!("import {entity} {file}: {e} ({:?})", e.problems()));
    assert!(
        report.problems.is_empty(),
        "import {entity} {file}: problems {:#?}",
        report.problems
    );
    assert_eq!(report.written, !opts.dry_run, "{file}: {report:#?}");
    report
}

/// Imports a corpus file that must be refused as a whole (an `Error`, not a report).
#[track_caller]
fn import_err(db: &mut Db, entity: Entity, file: &str, opts: &ImportOptions) -> Vec<Problem> {
    let before = db.export_all().unwrap();
    let problems = match import(db, entity, file, opts) {
        Ok(report) => panic!("import {entity} {file} was not refused: {report:#?}"),
        Err(e) => {
            assert!(
                matches!(e, Error::Invalid(_)),
                "import {entity} {file}: expected an invalid-input error, got {e:?}"
            );
            e.problems()
        }
    };
    assert_eq!(
        before,
        db.export_all().unwrap(),
        "{file}: a refused import changed the data"
    );
    problems
}

fn all(db: &Db, entity: Entity) -> Vec<Value> {
    db.list(entity, &ListQuery::default()).unwrap()
}

fn s<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or("")
}

/// The person with this e-mail (exactly one).
#[track_caller]
fn by_email(db: &Db, email: &str) -> Value {
    let found: Vec<Value> = all(db, Entity::Person)
        .into_iter()
        .filter(|p| s(p, "email").eq_ignore_ascii_case(email))
        .collect();
    assert_eq!(found.len(), 1, "people with e-mail {email}: {found:#?}");
    found.into_iter().next().unwrap()
}

/// The person with this name in either script (exactly one).
#[track_caller]
fn by_name(db: &Db, given: &str, family: &str) -> Value {
    let found: Vec<Value> = all(db, Entity::Person)
        .into_iter()
        .filter(|p| {
            (s(p, "given_name") == given && s(p, "family_name") == family)
                || (s(p, "given_name_he") == given && s(p, "family_name_he") == family)
        })
        .collect();
    assert_eq!(found.len(), 1, "people named {given} {family}: {found:#?}");
    found.into_iter().next().unwrap()
}

fn opts_dmy() -> ImportOptions {
    ImportOptions {
        date_order: Some(DateOrder::Dmy),
        ..Default::default()
    }
}

fn dry() -> ImportOptions {
    ImportOptions {
        dry_run: true,
        ..Default::default()
    }
}

/// Institutions MIT (US) and Technion (IL), a program and its cohort "Fall 2027" hosted by
/// the Technion (no capacity), built the same way in any database.
struct Desk {
    mit: String,
    technion: String,
    cohort: String,
}

fn desk(db: &mut Db) -> Desk {
    let mit = id(&add(
        db,
        Entity::Institution,
        json!({"name": "MIT", "country": "US", "ror": "042nb2s44"}),
    ));
    let technion = id(&add(
        db,
        Entity::Institution,
        json!({"name": "Technion", "name_he": "הטכניון", "country": "IL"}),
    ));
    let program = id(&add(
        db,
        Entity::Program,
        json!({"name": "Exchange", "kind": "academic_exchange", "tech_areas": ["ai"]}),
    ));
    let cohort = id(&add(
        db,
        Entity::Cohort,
        json!({"program_id": program, "name": "Fall 2027", "start_date": "2027-09-01",
               "end_date": "2028-01-31", "host_institution_id": technion}),
    ));
    Desk {
        mit,
        technion,
        cohort,
    }
}

/// A one-sheet workbook from rows of cells (rust_xlsxwriter), starting at `origin`.
enum X<'a> {
    T(&'a str),
    N(f64),
    D(u16, u8, u8),
}

fn xlsx(origin: (u32, u16), rows: &[Vec<X>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (origin.0 + r as u32, origin.1 + c as u16);
            match cell {
                X::T("") => {}
                X::T(t) => {
                    ws.write_string(r, c, *t).unwrap();
                }
                X::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                X::D(y, m, d) => {
                    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &d, &date).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The rows of a CSV file as text cells.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

// ---------------------------------------------------------------- encodings, delimiters

#[test]
fn utf8_with_bom_and_commas() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "utf8_bom_comma.csv");
    assert_eq!((report.rows, report.added), (3, 3), "{report:#?}");
    assert!(report.file_kind.contains("UTF-8"), "{}", report.file_kind);
    assert!(report.file_kind.contains("','"), "{}", report.file_kind);
    assert_eq!(report.sheet, None, "a CSV file has no sheet");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let dana = by_email(&db, "dana.cohen@example.org");
    assert_eq!(
        s(&dana, "given_name"),
        "Dana",
        "the BOM is not in the header"
    );
    assert_eq!(s(&dana, "notes"), "Comma file with a BOM");
    let noa = by_email(&db, "noa.levi@example.org.il");
    assert_eq!(
        (s(&noa, "given_name_he"), s(&noa, "family_name_he")),
        ("נועה", "לוי")
    );
    assert_eq!(s(&noa, "given_name"), "", "Hebrew goes to the _he fields");
    let jose = by_email(&db, "jose.nunez@example.edu");
    assert_eq!(
        (s(&jose, "given_name"), s(&jose, "family_name")),
        ("José", "Núñez")
    );
    assert_eq!(s(&jose, "notes"), "Accents, and a comma");
}

#[test]
fn utf8_without_bom_and_semicolons_as_european_excel_writes() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "utf8_semicolon.csv");
    assert_eq!(report.added, 2, "{report:#?}");
    assert!(report.file_kind.contains("';'"), "{}", report.file_kind);
    // 24.12.1990 settles the order: day first.
    assert_eq!(report.date_order, Some(DateOrder::Dmy));
    let j = by_email(&db, "juergen.mueller@example.de");
    assert_eq!(
        (s(&j, "given_name"), s(&j, "family_name")),
        ("Jürgen", "Müller")
    );
    assert_eq!(s(&j, "birth_date"), "1990-12-24");
    assert_eq!(s(&j, "notes"), "Komma, nicht Trenner");
    assert_eq!(
        s(&by_email(&db, "ana.garcia@example.es"), "birth_date"),
        "1991-04-03"
    );
}

#[test]
fn utf16_le_with_bom_and_tabs_as_excel_unicode_text() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "utf16le_tabs.txt");
    assert_eq!(report.added, 3, "{report:#?}");
    assert!(
        report.file_kind.contains("UTF-16LE"),
        "{}",
        report.file_kind
    );
    assert!(report.file_kind.contains("tab"), "{}", report.file_kind);
    let itai = by_email(&db, "itai.bd@example.ac.il");
    assert_eq!(s(&itai, "family_name"), "Ben-David");
    assert_eq!(s(&itai, "phone"), "+972 4 829 1111");
    assert_eq!(
        s(&by_email(&db, "rachel.f@example.com"), "phone"),
        "(617) 253-1000"
    );
    // The Hebrew-only row is the same name in the other script as row 1: added, and hinted.
    let hebrew = by_name(&db, "איתי", "בן-דוד");
    let hint = report
        .duplicates
        .iter()
        .find(|d| d.row == row(2))
        .unwrap_or_else(|| panic!("no duplicate hint for row 2: {:#?}", report.duplicates));
    assert_eq!(hint.person_id.as_deref(), Some(id(&hebrew).as_str()));
    assert_eq!(hint.matches.len(), 1, "{hint:#?}");
    assert_eq!(hint.matches[0].0, id(&itai));
}

/// A byte that Windows-1255 leaves undefined (0xFF) in a file that is not UTF-8: refused,
/// never stored as a replacement mark in someone's name.
#[test]
fn a_legacy_hebrew_file_with_undefined_bytes_is_refused() {
    let (_d, mut db) = temp_db();
    let problems = import_err(
        &mut db,
        Entity::Person,
        "cp1255_undefined_byte.csv",
        &ImportOptions::default(),
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].message.contains("Windows-1255"),
        "{problems:#?}"
    );
}

/// UTF-8 text with one cell of Windows-1255 bytes (pasted from an older file): refused
/// naming the line and the bytes, never decoded whole as Windows-1255.
#[test]
fn a_utf8_file_with_a_legacy_cell_is_refused_naming_its_line() {
    let (_d, mut db) = temp_db();
    let problems = import_err(
        &mut db,
        Entity::Person,
        "utf8_with_cp1255_cell.csv",
        &ImportOptions::default(),
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].code, "import.mixed_encoding", "{problems:#?}");
    assert_eq!(problems[0].params["line"], "3", "{problems:#?}");
    assert_eq!(problems[0].params["bytes"], "E4 F2 F8 E4", "{problems:#?}");
}

#[test]
fn windows_1255_with_hebrew_headers_ascii_quote_and_gershayim() {
    for file in [
        "cp1255_hebrew_ascii_quote.csv",
        "cp1255_hebrew_gershayim.csv",
    ] {
        let (_d, mut db) = temp_db();
        let report = import_ok(&mut db, Entity::Person, file);
        assert_eq!(report.added, 2, "{file}: {report:#?}");
        assert!(
            report.file_kind.to_lowercase().contains("windows-1255"),
            "{file}: {}",
            report.file_kind
        );
        let fields: Vec<Option<&str>> = report.columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            fields,
            [Some("given_name"), Some("family_name"), Some("email")],
            "{file}: {:#?}",
            report.columns
        );
        assert!(report.warnings.is_empty(), "{file}: {:?}", report.warnings);
        let michal = by_email(&db, "michal.levi@example.ac.il");
        assert_eq!(
            (s(&michal, "given_name_he"), s(&michal, "family_name_he")),
            ("מיכל", "לוי"),
            "{file}"
        );
        let yossi = by_email(&db, "yossi.shapira@example.ac.il");
        assert_eq!(s(&yossi, "family_name_he"), "שפירא", "{file}");
    }
}

#[test]
fn a_windows_1252_file_is_never_stored_as_hebrew_mojibake() {
    // Not an encoding the import promises to read; read it right or refuse it, but never
    // store "Josי Nתסez".
    let (_d, mut db) = temp_db();
    match import(
        &mut db,
        Entity::Person,
        "cp1252_western.csv",
        &ImportOptions::default(),
    ) {
        Err(e) => assert!(matches!(e, Error::Invalid(_)), "{e:?}"),
        Ok(report) if !report.problems.is_empty() => assert!(!report.written),
        Ok(report) => {
            let p = by_email(&db, "jose.nunez@example.es");
            assert_eq!(
                (
                    s(&p, "given_name"),
                    s(&p, "family_name"),
                    s(&p, "given_name_he")
                ),
                ("José", "Núñez", ""),
                "read as {}",
                report.file_kind
            );
        }
    }
}

// ---------------------------------------------------------------- layout

#[test]
fn quoted_newlines_stay_inside_the_notes_cell() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "quoted_newlines.csv");
    assert_eq!((report.rows, report.added), (2, 2), "{report:#?}");
    let dana = by_email(&db, "dana.q@example.org");
    assert_eq!(
        s(&dana, "notes"),
        "First line\nsecond line, with a comma\nthird \"quoted\" line"
    );
    assert_eq!(
        s(&by_email(&db, "noa.katz@example.org"), "notes"),
        "one line"
    );
}

#[test]
fn headers_in_mixed_case_with_punctuation() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "mixed_case_headers.csv");
    let fields: Vec<(&str, Option<&str>)> = report
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.field.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("GIVEN NAME", Some("given_name")),
            ("Family-Name", Some("family_name")),
            ("E-mail Address", Some("email")),
            ("ORCID iD", Some("orcid")),
            ("Date of birth", Some("birth_date")),
        ]
    );
    let dana = by_email(&db, "dana.cohen@example.org");
    assert_eq!(s(&dana, "orcid"), "0000-0002-1825-0097");
    assert_eq!(s(&dana, "birth_date"), "1990-04-03");
    let michal = by_email(&db, "michal@example.org");
    assert_eq!(
        s(&michal, "orcid"),
        "0000-0003-3333-3330",
        "the orcid.org/ prefix is dropped"
    );
    assert_eq!(s(&michal, "birth_date"), "1985-11-30");
}

#[test]
fn unknown_columns_are_ignored_with_a_warning() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "unknown_columns.csv");
    assert_eq!(report.added, 2);
    for header in ["Favourite colour", "Shoe size"] {
        assert!(
            report.warnings.iter().any(|w| w.contains(header)),
            "no warning names {header:?}: {:?}",
            report.warnings
        );
        let col = report.columns.iter().find(|c| c.header == header).unwrap();
        assert_eq!(col.field, None);
    }
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    let dana = by_email(&db, "dana.u@example.org");
    assert_eq!(
        (s(&dana, "given_name"), s(&dana, "family_name")),
        ("Dana", "Cohen")
    );
    assert!(!dana.to_string().contains("blue"));
}

#[test]
fn blank_rows_and_blank_columns_are_ignored() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "blank_rows_and_columns.csv");
    assert_eq!((report.rows, report.added), (2, 2), "{report:#?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    by_name(&db, "Dana", "Cohen");
    by_name(&db, "Noa", "Katz");
    assert_eq!(all(&db, Entity::Person).len(), 2);
}

/// A title, a date line and a blank line above the header: the header is the first row
/// that names fields, and the rows above it are named in a warning.
#[test]
fn a_title_above_the_header_is_skipped_with_a_warning() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "title_rows.csv");
    assert_eq!((report.rows, report.added), (2, 2), "{report:#?}");
    assert_eq!(
        report.warnings,
        ["the header is row 4: the 2 row(s) above it (a title or a note) are not read"]
    );
    let dana = by_email(&db, "dana.title@example.org");
    assert_eq!(s(&dana, "family_name"), "Cohen");
}

/// Problems name the row a spreadsheet program shows (`file_row`): blank lines count, a
/// newline inside a quoted cell does not. `row` counts the data rows (blank ones left out).
#[test]
fn file_rows_count_blank_lines_but_not_newlines_inside_cells() {
    let (_d, mut db) = temp_db();
    let problems = import(&mut db, Entity::Person, "file_rows.csv", &dry())
        .unwrap()
        .problems;
    let at: Vec<(Option<u64>, Option<u64>, &str)> = problems
        .iter()
        .map(|p| (p.row, p.file_row, p.field.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (Some(row(2)), Some(4), "email"),
            (Some(row(3)), Some(7), "email")
        ],
        "{problems:#?}"
    );
    // The same rows with CR alone ending the lines (old Mac Excel).
    let text = std::fs::read_to_string(corpus("file_rows.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cr.csv");
    std::fs::write(&path, text.replace("\r\n", "\r")).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &dry()).unwrap();
    let at: Vec<Option<u64>> = report.problems.iter().map(|p| p.file_row).collect();
    assert_eq!(at, [Some(4), Some(7)], "{:#?}", report.problems);
}

/// A workbook whose first sheets are instructions or empty, with a title above the
/// table: the sheet read is the first one with a header naming fields.
#[test]
fn the_sheet_read_is_the_first_that_holds_a_table() {
    let (_d, mut db) = temp_db();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet().set_name("Instructions").unwrap();
    notes
        .write_string(0, 0, "Fill in one row per participant")
        .unwrap();
    notes.write_string(1, 0, "Dates as DD/MM/YYYY").unwrap();
    wb.add_worksheet().set_name("Empty").unwrap();
    let people = wb.add_worksheet().set_name("People").unwrap();
    people.write_string(0, 0, "Fall 2027 participants").unwrap();
    for (c, h) in ["First name", "Last name", "Email"].iter().enumerate() {
        people.write_string(2, c as u16, *h).unwrap();
    }
    for (c, v) in ["Dana", "Cohen", "dana.sheet@example.org"]
        .iter()
        .enumerate()
    {
        people.write_string(3, c as u16, *v).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!((report.rows, report.added), (1, 1), "{report:#?}");
    // The report names the sheet it read (the UI's summary says it).
    assert_eq!(report.sheet.as_deref(), Some("People"));
    assert_eq!(
        report.warnings,
        [
            "read the sheet \"People\": the sheets before it (\"Instructions\") have no column to import",
            "the header is row 3: the 1 row(s) above it (a title or a note) are not read",
        ]
    );
    by_email(&db, "dana.sheet@example.org");
    // Without any sheet naming a field, the refusal lists the first sheet's headers.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    wb.add_worksheet().write_string(0, 0, "Shoe size").unwrap();
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
    let err = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("Shoe size"), "{err}");
}

/// A given name in Latin letters and a family name in Hebrew: no full name in one script.
/// The problem names the row and the column of the name it has.
#[test]
fn a_name_split_across_scripts_is_named_by_its_column() {
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.csv");
    std::fs::write(&path, "First name,Last name\r\nDana,כהן\r\n").unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &dry()).unwrap();
    let p = &report.problems[0];
    assert_eq!(
        (p.row, p.column.as_deref(), p.value.as_deref()),
        (Some(row(1)), Some("First name"), Some("Dana")),
        "{:#?}",
        report.problems
    );
}

/// Citizenships separated every which way, countries by name: read as codes (typed input
/// takes the codes only).
#[test]
fn countries_as_partner_files_write_them() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "citizenships.csv");
    assert_eq!(report.added, 5);
    for (email, want) in [
        ("c1@example.org", json!(["US", "IL"])),
        ("c2@example.org", json!(["US", "IL"])),
        ("c3@example.org", json!(["US", "IL"])),
        ("c4@example.org", json!(["IL", "US"])),
        ("c5@example.org", json!(["IL"])),
    ] {
        assert_eq!(by_email(&db, email)["citizenships"], want, "{email}");
    }
    let report = import_ok(
        &mut db,
        Entity::Institution,
        "institutions_by_country_name.csv",
    );
    assert_eq!(report.added, 3);
    let got: Vec<(String, String)> = all(&db, Entity::Institution)
        .iter()
        .map(|i| (s(i, "country").to_owned(), s(i, "website").to_owned()))
        .collect();
    for want in [
        ("IL", "https://www.weizmann.ac.il"),
        ("US", "https://anl.gov"),
        ("JP", "https://www.u-tokyo.ac.jp"),
    ] {
        assert!(
            got.contains(&(want.0.to_owned(), want.1.to_owned())),
            "{want:?} in {got:?}"
        );
    }
}

/// A column with values under an empty header is not read, and the warning says which.
#[test]
fn a_column_without_a_header_is_named_in_a_warning() {
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unnamed.csv");
    std::fs::write(
        &path,
        "given_name,family_name,,email\r\nDana,Cohen,VIP,dana.u@example.org\r\n",
    )
    .unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(
        report.warnings,
        ["column C holds values but has no header: it is ignored"]
    );
}

/// A second header row (the same headers in Hebrew) and the header repeated below (two
/// lists pasted together) are not people; the warning names their rows.
#[test]
fn header_rows_repeated_are_not_read_as_data() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "two_header_rows.csv");
    assert_eq!((report.rows, report.added), (3, 3), "{report:#?}");
    assert_eq!(
        report.warnings,
        [
            "row(s) 2, 5 repeat the header (a second header row, or a header copied with more rows): they are not read"
        ]
    );
    by_email(&db, "tamar.two@example.org");
    // The same as a workbook.
    let text = std::fs::read_to_string(corpus("two_header_rows.csv")).unwrap();
    let rows = csv_rows(text.as_bytes());
    let cells: Vec<Vec<X>> = rows
        .iter()
        .map(|r| r.iter().map(|c| X::T(c.as_str())).collect())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.xlsx");
    std::fs::write(&path, xlsx((0, 0), &cells)).unwrap();
    let (_d2, mut db2) = temp_db();
    let report = import_path(&mut db2, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!((report.rows, report.added), (3, 3));
}

// ---------------------------------------------------------------- dates

#[test]
fn ambiguous_dates_are_refused_until_the_order_is_given() {
    let (_d, mut db) = temp_db();
    let report = import(
        &mut db,
        Entity::Person,
        "dates_ambiguous.csv",
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(!report.written);
    let p = &report.problems[0];
    assert_eq!(p.field, "date_order", "{:#?}", report.problems);
    assert!(p.message.contains("03/04/1990"), "{p}");
    assert!(p.message.contains("--date-order"), "{p}");
    assert!(all(&db, Entity::Person).is_empty());

    let report = import_ok_with(&mut db, Entity::Person, "dates_ambiguous.csv", &opts_dmy());
    assert_eq!((report.added, report.date_order), (3, Some(DateOrder::Dmy)));
    assert_eq!(
        s(&by_name(&db, "Dana", "Cohen"), "birth_date"),
        "1990-04-03"
    );
    assert_eq!(s(&by_name(&db, "Noa", "Katz"), "birth_date"), "1991-06-05");
    assert_eq!(
        s(&by_name(&db, "Tamar", "Peretz"), "birth_date"),
        "1992-07-07"
    );
}

#[test]
fn ambiguous_dates_read_month_first_when_told() {
    let (_d, mut db) = temp_db();
    let opts = ImportOptions {
        date_order: Some(DateOrder::Mdy),
        ..Default::default()
    };
    import_ok_with(&mut db, Entity::Person, "dates_ambiguous.csv", &opts);
    assert_eq!(
        s(&by_name(&db, "Dana", "Cohen"), "birth_date"),
        "1990-03-04"
    );
}

/// The year-first order asked for a file of day/month dates that nothing settles: the
/// refusal says the dates are not year first, not that no order was given.
#[test]
fn ambiguous_dates_are_not_taken_as_year_first() {
    let (_d, mut db) = temp_db();
    let opts = ImportOptions {
        date_order: Some(DateOrder::Ymd),
        ..dry()
    };
    let path = corpus("dates_ambiguous.csv");
    let report = import_path(&mut db, Entity::Person, &path, &opts).unwrap();
    let unsettled: Vec<&str> = report
        .problems
        .iter()
        .filter(|p| p.field == "date_order")
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(unsettled, ["import.date_not_year_first"]);
    assert!(report.problems[0].message.contains("not year first"));
}

#[test]
fn one_unambiguous_date_settles_the_order_for_the_file() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "dates_day_first.csv");
    assert_eq!(report.date_order, Some(DateOrder::Dmy));
    assert_eq!(
        s(&by_name(&db, "Dana", "Cohen"), "birth_date"),
        "1990-04-03"
    );
    assert_eq!(s(&by_name(&db, "Noa", "Katz"), "birth_date"), "1990-12-25");
}

#[test]
fn us_files_read_month_first() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "dates_us.csv");
    assert_eq!(report.date_order, Some(DateOrder::Mdy));
    assert_eq!(
        s(&by_name(&db, "Avery", "Aldridge"), "birth_date"),
        "1990-03-04"
    );
    assert_eq!(
        s(&by_name(&db, "Blake", "Brockmann"), "birth_date"),
        "1990-12-25"
    );
    assert_eq!(
        s(&by_name(&db, "Casey", "Castellano"), "birth_date"),
        "1976-07-04"
    );
}

#[test]
fn iso_dates_need_no_order() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "dates_iso.csv");
    assert_eq!(report.date_order, None);
    assert_eq!(
        s(&by_name(&db, "Dana", "Cohen"), "birth_date"),
        "1990-04-03"
    );
    assert_eq!(s(&by_name(&db, "Noa", "Katz"), "birth_date"), "1991-12-25");
}

// ---------------------------------------------------------------- broken and empty files

#[test]
fn broken_quoting_is_refused_naming_the_line() {
    // The unterminated quote opens on line 3 of each file; in the second it opens in the
    // notes column, where newlines are allowed, so nothing else would catch it.
    for file in ["broken_quoting.csv", "broken_quoting_in_notes.csv"] {
        let (_d, mut db) = temp_db();
        let problems = import_err(&mut db, Entity::Person, file, &ImportOptions::default());
        let text = problems
            .iter()
            .map(Problem::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            text.contains("line 3"),
            "{file}: the error does not name line 3: {text}"
        );
        assert!(
            text.to_lowercase().contains("quot"),
            "{file}: the error does not say what is wrong: {text}"
        );
        assert!(all(&db, Entity::Person).is_empty());
    }
}

#[test]
fn an_empty_file_is_refused_clearly() {
    let (_d, mut db) = temp_db();
    let problems = import_err(
        &mut db,
        Entity::Person,
        "empty.csv",
        &ImportOptions::default(),
    );
    assert!(format!("{problems:?}").contains("empty"), "{problems:?}");
}

#[test]
fn a_header_without_rows_adds_nothing() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "header_only.csv");
    assert_eq!(
        (report.rows, report.added, report.updated, report.unchanged),
        (0, 0, 0, 0)
    );
    assert!(all(&db, Entity::Person).is_empty());
}

// ---------------------------------------------------------------- all or nothing

#[test]
fn an_invalid_row_writes_nothing_and_is_named_by_row_and_column() {
    let (_d, mut db) = temp_db();
    let before = db.export_all().unwrap();
    let report = import(
        &mut db,
        Entity::Person,
        "invalid_email_row7.csv",
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(!report.written);
    assert_eq!(report.rows, 10);
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let p = &report.problems[0];
    assert_eq!(p.field, "email");
    assert_eq!(p.row, Some(row(7)), "{p}");
    assert_eq!(p.column.as_deref(), Some("E-mail Address"));
    assert_eq!(p.value.as_deref(), Some("hila.harel(at)example.org"));
    assert_eq!(
        before,
        db.export_all().unwrap(),
        "nothing of the 10 rows is written"
    );
}

#[test]
fn every_problem_of_a_row_is_listed() {
    let (_d, mut db) = temp_db();
    let report = import(
        &mut db,
        Entity::Person,
        "two_problems_one_row.csv",
        &ImportOptions::default(),
    )
    .unwrap();
    let mut fields: Vec<&str> = report.problems.iter().map(|p| p.field.as_str()).collect();
    fields.sort();
    assert_eq!(fields, ["birth_date", "email"], "{:#?}", report.problems);
    assert!(report.problems.iter().all(|p| p.row == Some(row(1))));
}

#[test]
fn the_error_list_of_a_file_with_many_problems() {
    let (_d, mut db) = temp_db();
    desk(&mut db);
    let before = db.export_all().unwrap();
    let report = import(
        &mut db,
        Entity::Person,
        "many_problems.csv",
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(!report.written);
    assert_eq!(before, db.export_all().unwrap());
    let lines: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{p} [value {:?}]", p.value.as_deref().unwrap_or("")))
        .collect();
    insta::assert_snapshot!("many_problems_error_list", lines.join("\n"));
    let rows: Vec<Option<u64>> = report.problems.iter().map(|p| p.row).collect();
    assert_eq!(
        rows,
        [2, 3, 4, 5, 6, 7].map(|n| Some(row(n))),
        "one problem for each of rows 2 to 7: {lines:#?}"
    );
}

#[test]
fn a_dry_run_reports_the_same_problems_and_writes_nothing() {
    let (_d, mut db) = temp_db();
    desk(&mut db);
    for file in ["invalid_email_row7.csv", "many_problems.csv"] {
        let before = db.export_all().unwrap();
        let dry_report = import(&mut db, Entity::Person, file, &dry()).unwrap();
        let real = import(&mut db, Entity::Person, file, &ImportOptions::default()).unwrap();
        assert_eq!(before, db.export_all().unwrap(), "{file}");
        assert!(dry_report.dry_run && !dry_report.written);
        assert!(!dry_report.problems.is_empty());
        assert_eq!(dry_report.problems, real.problems, "{file}");
    }
}

#[test]
fn a_dry_run_counts_what_would_be_added_and_updated() {
    let (_d, mut db) = temp_db();
    add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    );
    let before = db.export_all().unwrap();
    let d1 = import_ok_with(&mut db, Entity::Person, "existing_email.csv", &dry());
    let d2 = import_ok_with(&mut db, Entity::Person, "cross_script.csv", &dry());
    let d3 = import_ok_with(&mut db, Entity::Person, "utf8_bom_comma.csv", &dry());
    assert_eq!(before, db.export_all().unwrap(), "a dry run writes nothing");
    assert_eq!((d1.added, d1.updated), (0, 1));
    assert_eq!((d2.added, d2.updated), (1, 0));
    assert_eq!(d2.duplicates.len(), 1, "{:#?}", d2.duplicates);
    assert_eq!(d2.duplicates[0].person_id, None);
    // utf8_bom_comma.csv holds dana.cohen@example.org too: one update, two additions.
    assert_eq!((d3.added, d3.updated), (2, 1));
    // The real runs do what the dry runs said.
    for (file, dry_report) in [
        ("existing_email.csv", d1),
        ("cross_script.csv", d2),
        ("utf8_bom_comma.csv", d3),
    ] {
        let real = import_ok(&mut db, Entity::Person, file);
        assert_eq!(
            (real.added, real.updated, real.unchanged),
            (dry_report.added, dry_report.updated, dry_report.unchanged),
            "{file}"
        );
    }
}

/// Direction marks that copying Hebrew leaves around values (LRM, RLM, isolates): never
/// stored in a name, never a reason to refuse an e-mail or a date, and no obstacle to
/// finding the same person already on the desk.
#[test]
fn invisible_direction_marks_are_not_part_of_values() {
    let file = "given_name,family_name,email,birth_date\n\
                Yael\u{200e},Levi\u{200e},\u{200e}yael.other@example.org\u{200e},\u{200f}13/03/1994\n\
                \u{2067}אורית\u{200f}\u{2069},ברק,orit.b@example.org,\n";
    let seed = |db: &mut Db| {
        add(
            db,
            Entity::Person,
            json!({"given_name": "Yael", "family_name": "Levi", "given_name_he": "יעל",
                   "family_name_he": "לוי", "email": "yael.levi@example.org"}),
        );
        add(
            db,
            Entity::Person,
            json!({"given_name_he": "אורית", "family_name_he": "ברק"}),
        );
    };
    for opts in [ImportOptions::default(), dry()] {
        for report in on_both_paths("marks.csv", file.as_bytes(), Entity::Person, &opts, &seed) {
            assert!(report.problems.is_empty(), "{:#?}", report.problems);
            assert_eq!(report.added, 2, "{report:#?}");
            // Both rows name someone already on the desk: probable duplicates.
            assert_eq!(report.duplicates.len(), 2, "{:#?}", report.duplicates);
        }
    }
    let (_d, mut db) = temp_db();
    seed(&mut db);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.csv");
    std::fs::write(&path, file).unwrap();
    import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    let yael = by_email(&db, "yael.other@example.org");
    assert_eq!(
        (
            s(&yael, "given_name"),
            s(&yael, "family_name"),
            s(&yael, "birth_date")
        ),
        ("Yael", "Levi", "1994-03-13")
    );
    let orit = by_email(&db, "orit.b@example.org");
    assert_eq!(s(&orit, "given_name_he"), "אורית");
    // Typed input too.
    let typed = add(
        &mut db,
        Entity::Person,
        json!({"given_name": "\u{200e}Noa\u{200e}", "family_name": "Ka\u{200f}tz"}),
    );
    assert_eq!(
        (s(&typed, "given_name"), s(&typed, "family_name")),
        ("Noa", "Katz")
    );
}

// ---------------------------------------------------------------- people and duplicates

#[test]
fn a_row_with_a_known_email_updates_that_person() {
    let (_d, mut db) = temp_db();
    let dana = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    ));
    let report = import_ok(&mut db, Entity::Person, "existing_email.csv");
    assert_eq!((report.added, report.updated), (0, 1), "{report:#?}");
    assert!(report.duplicates.is_empty(), "{:#?}", report.duplicates);
    let people = all(&db, Entity::Person);
    assert_eq!(people.len(), 1, "no second person: {people:#?}");
    assert_eq!(id(&people[0]), dana);
    assert_eq!(s(&people[0], "phone"), "+972 50 555 0101");
    // Importing the same file again changes nothing.
    let again = import_ok(&mut db, Entity::Person, "existing_email.csv");
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 1));
}

#[test]
fn the_same_email_twice_in_a_file_names_both_rows() {
    let (_d, mut db) = temp_db();
    let report = import(
        &mut db,
        Entity::Person,
        "same_email_twice.csv",
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(!report.written);
    assert!(all(&db, Entity::Person).is_empty());
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let p = &report.problems[0];
    assert_eq!(p.field, "email");
    assert_eq!(p.row, Some(row(3)), "{p}");
    assert!(p.message.contains(&format!("row {}", row(1))), "{p}");
    assert_eq!(p.column.as_deref(), Some("email"));
}

#[test]
fn full_names_are_split_either_way() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "full_names.csv");
    assert_eq!(report.added, 3);
    let dana = by_email(&db, "dana.full@example.org");
    assert_eq!(
        (s(&dana, "given_name"), s(&dana, "family_name")),
        ("Dana", "Cohen")
    );
    let mary = by_email(&db, "mary.smith@example.org");
    assert_eq!(
        (s(&mary, "given_name"), s(&mary, "family_name")),
        ("Mary Ann", "Smith")
    );
    let noa = by_email(&db, "noa.full@example.org");
    assert_eq!(
        (s(&noa, "given_name_he"), s(&noa, "family_name_he")),
        ("נועה", "לוי")
    );
}

#[test]
fn the_same_name_in_the_other_script_is_added_and_reported_as_a_probable_duplicate() {
    let (_d, mut db) = temp_db();
    let dana = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen"}),
    ));
    let report = import_ok(&mut db, Entity::Person, "cross_script.csv");
    assert_eq!(report.added, 1, "{report:#?}");
    assert_eq!(all(&db, Entity::Person).len(), 2);
    let added = by_name(&db, "דנה", "כהן");
    assert_eq!(report.duplicates.len(), 1, "{:#?}", report.duplicates);
    let hint = &report.duplicates[0];
    assert_eq!(hint.row, row(1));
    // Numbered as the problems and the changes are too: the header is the file's row 1.
    assert_eq!(hint.file_row, 2);
    assert_eq!(hint.person_id.as_deref(), Some(id(&added).as_str()));
    assert_eq!(hint.matches.len(), 1);
    assert_eq!(hint.matches[0].0, dana);
    assert!(hint.reason.contains("Hebrew"), "{}", hint.reason);
}

// ---------------------------------------------------------------- institutions, placements

#[test]
fn institutions_import_and_reimport_unchanged() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Institution, "institutions.csv");
    assert_eq!(report.added, 3, "{report:#?}");
    let list = all(&db, Entity::Institution);
    let technion = list.iter().find(|i| s(i, "name") == "Technion").unwrap();
    assert_eq!(s(technion, "name_he"), "הטכניון");
    assert_eq!(s(technion, "country"), "IL");
    assert_eq!(s(technion, "sector"), "academia");
    assert_eq!(s(technion, "city"), "Haifa");
    assert_eq!(s(technion, "ror"), "03qryx823");
    let weizmann = list
        .iter()
        .find(|i| s(i, "name") == "Weizmann Institute of Science")
        .unwrap();
    assert_eq!(
        s(weizmann, "country"),
        "IL",
        "country codes are upper-cased"
    );
    assert_eq!(s(weizmann, "website"), "https://www.weizmann.ac.il");
    let sandia = list
        .iter()
        .find(|i| s(i, "name") == "Sandia National Laboratories")
        .unwrap();
    assert_eq!(s(sandia, "sector"), "government");
    let again = import_ok(&mut db, Entity::Institution, "institutions.csv");
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(all(&db, Entity::Institution).len(), 3);
}

/// A bilingual institution list as Israeli partners send it: an English and a Hebrew
/// name column (each value goes to the field of its script, as people's names do), a
/// row known only by its Hebrew name (that is its name too), and a later file naming an
/// institution by its Hebrew name only (the same institution, its English name kept).
#[test]
fn institution_names_go_to_the_field_of_their_script() {
    let file = "Institution,שם המוסד,Country\n\
                Technion – Israel Institute of Technology,הטכניון,IL\n\
                Massachusetts Institute of Technology,,US\n\
                אוניברסיטת רייכמן,,IL\n";
    let reports = on_both_paths(
        "bilingual.csv",
        file.as_bytes(),
        Entity::Institution,
        &ImportOptions::default(),
        &|_| {},
    );
    assert!(reports.iter().all(|r| r.added == 3), "{reports:#?}");
    let fields: Vec<Option<String>> = reports[0].columns.iter().map(|c| c.field.clone()).collect();
    assert_eq!(
        fields,
        [
            Some("name".into()),
            Some("name".into()),
            Some("country".into())
        ]
    );
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bilingual.csv");
    std::fs::write(&path, file).unwrap();
    import_path(
        &mut db,
        Entity::Institution,
        &path,
        &ImportOptions::default(),
    )
    .unwrap();
    let list = all(&db, Entity::Institution);
    let named = |name: &str| list.iter().find(|i| s(i, "name") == name).cloned().unwrap();
    let technion = named("Technion – Israel Institute of Technology");
    assert_eq!(s(&technion, "name_he"), "הטכניון");
    assert_eq!(
        s(&named("Massachusetts Institute of Technology"), "name_he"),
        ""
    );
    let reichman = named("אוניברסיטת רייכמן");
    assert_eq!(s(&reichman, "name_he"), "אוניברסיטת רייכמן");
    // Named later by the Hebrew name alone: the same institutions, updated in place.
    let later = dir.path().join("later.csv");
    std::fs::write(
        &later,
        "שם המוסד,עיר\nהטכניון,Haifa\nאוניברסיטת רייכמן,Herzliya\n",
    )
    .unwrap();
    let report = import_path(
        &mut db,
        Entity::Institution,
        &later,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!((report.added, report.updated), (0, 2), "{report:#?}");
    let list = all(&db, Entity::Institution);
    assert_eq!(list.len(), 3);
    let technion = list
        .iter()
        .find(|i| s(i, "id") == s(&technion, "id"))
        .unwrap();
    assert_eq!(
        (s(technion, "name"), s(technion, "city")),
        ("Technion – Israel Institute of Technology", "Haifa")
    );
}

#[test]
fn placements_by_cohort_name_status_name_and_email_with_new_people_from_names() {
    let (_d, mut db) = temp_db();
    let w = desk(&mut db);
    let dana = id(&add(
        &mut db,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org",
               "home_institution_id": w.mit}),
    ));
    let report = import_ok(&mut db, Entity::Placement, "placements.csv");
    assert_eq!(report.added, 2, "{report:#?}");
    assert_eq!(
        all(&db, Entity::Person).len(),
        2,
        "one new person, Dana is matched"
    );
    let placements = all(&db, Entity::Placement);
    assert_eq!(placements.len(), 2);
    let of = |person: &str| {
        placements
            .iter()
            .find(|p| s(p, "person_id") == person)
            .unwrap_or_else(|| panic!("no placement of {person}: {placements:#?}"))
    };
    let p = of(&dana);
    assert_eq!(s(p, "cohort_id"), w.cohort);
    assert_eq!(s(p, "status"), "accepted");
    assert_eq!(s(p, "role"), "participant");
    assert_eq!(s(p, "home_institution_id"), w.mit);
    assert_eq!(s(p, "host_institution_id"), w.technion, "the cohort's host");
    assert_eq!(s(p, "direction"), "US->IL");
    assert_eq!(
        (s(p, "start_date"), s(p, "end_date")),
        ("2027-09-01", "2028-01-31")
    );

    let tamar = by_email(&db, "new.person@example.org");
    assert_eq!(
        (s(&tamar, "given_name"), s(&tamar, "family_name")),
        ("Tamar", "Peretz")
    );
    assert_eq!(s(&tamar, "home_institution_id"), w.technion);
    let p = of(&id(&tamar));
    assert_eq!(
        s(p, "status"),
        "nominated",
        "\"Nominated\" is the status nominated"
    );
    assert_eq!(s(p, "role"), "mentor");
    assert_eq!(s(p, "home_institution_id"), w.technion);
    assert_eq!(s(p, "host_institution_id"), w.mit);
    assert_eq!(s(p, "direction"), "IL->US");
    assert_eq!(
        (s(p, "start_date"), s(p, "end_date")),
        ("2027-09-15", "2027-12-20")
    );

    let again = import_ok(&mut db, Entity::Placement, "placements.csv");
    assert_eq!(
        (again.added, again.updated, again.unchanged),
        (0, 0, 2),
        "{again:#?}"
    );
    assert_eq!(all(&db, Entity::Placement).len(), 2);
}

#[test]
fn a_placement_in_an_unknown_cohort_is_a_problem_of_its_row() {
    let (_d, mut db) = temp_db();
    desk(&mut db);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        "Cohort,First name,Last name\nFall 2027,Dana,Cohen\nSpring 2031,Noa,Katz\n",
    )
    .unwrap();
    let report = import_path(
        &mut db,
        Entity::Placement,
        file.path(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(!report.written);
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let p = &report.problems[0];
    assert_eq!(p.row, Some(row(2)));
    assert_eq!(p.column.as_deref(), Some("Cohort"), "{p}");
    assert_eq!(p.value.as_deref(), Some("Spring 2031"), "{p}");
    assert!(all(&db, Entity::Person).is_empty());
}

// ---------------------------------------------------------------- mapping

#[test]
fn a_mapping_renames_an_unusual_header_and_ignores_one() {
    let (_d, mut db) = temp_db();
    let mapping =
        serde_json::from_slice(&std::fs::read(corpus("mapping_german.json")).unwrap()).unwrap();
    let without = import(&mut db, Entity::Person, "mapping_german.csv", &dry());
    assert!(
        without.is_err() || !without.unwrap().problems.is_empty(),
        "Vorname and Nachname mean nothing without the mapping"
    );
    let opts = ImportOptions {
        mapping,
        ..Default::default()
    };
    let report = import_ok_with(&mut db, Entity::Person, "mapping_german.csv", &opts);
    assert_eq!(report.added, 1);
    let j = by_email(&db, "juergen.m@example.de");
    assert_eq!(
        (s(&j, "given_name"), s(&j, "family_name")),
        ("Jürgen", "Müller")
    );
    assert_eq!(s(&j, "notes"), "", "the Notes column is mapped to ignore");
    assert!(
        report.warnings.iter().any(|w| w.contains("Lieblingsfarbe")),
        "{:?}",
        report.warnings
    );
    assert!(
        !report.warnings.iter().any(|w| w.contains("Notes")),
        "a column the mapping ignores on purpose is not an unknown column: {:?}",
        report.warnings
    );
}

// ---------------------------------------------------------------- XLSX and extensions

#[test]
fn xlsx_with_real_date_cells_and_a_numeric_phone_column() {
    let (_d, mut db) = temp_db();
    let bytes = xlsx(
        (2, 1),
        &[
            vec![
                X::T("First name"),
                X::T("Last name"),
                X::T("Date of birth"),
                X::T("Mobile"),
                X::T("Email"),
            ],
            vec![
                X::T("Dana"),
                X::T("Cohen"),
                X::D(1990, 4, 3),
                X::N(972541234567.0),
                X::T("dana.x@example.org"),
            ],
            vec![X::T(""), X::T(""), X::T(""), X::T(""), X::T("")],
            vec![
                X::T("דנה"),
                X::T("לוי"),
                X::D(1999, 12, 31),
                X::N(35551234.0),
                X::T("dana.levi@example.org"),
            ],
            vec![
                X::T("Noa"),
                X::T("Katz"),
                X::T("1991-12-25"),
                X::T("+972-54-7654321"),
                X::T("noa.x@example.org"),
            ],
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.file_kind, "xlsx");
    assert_eq!((report.rows, report.added), (3, 3), "{report:#?}");
    let dana = by_email(&db, "dana.x@example.org");
    assert_eq!(s(&dana, "birth_date"), "1990-04-03");
    assert_eq!(s(&dana, "phone"), "972541234567", "no exponent, no .0");
    let levi = by_email(&db, "dana.levi@example.org");
    assert_eq!(s(&levi, "birth_date"), "1999-12-31");
    assert_eq!(s(&levi, "phone"), "35551234");
    assert_eq!(s(&levi, "family_name_he"), "לוי");
    let noa = by_email(&db, "noa.x@example.org");
    assert_eq!(s(&noa, "birth_date"), "1991-12-25");
    assert_eq!(s(&noa, "phone"), "+972-54-7654321");
}

#[test]
fn xlsx_and_csv_name_the_same_rows_in_their_problems() {
    let text = std::fs::read_to_string(corpus("invalid_email_row7.csv")).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let cells: Vec<Vec<X>> = rows
        .iter()
        .map(|r| r.iter().map(|c| X::T(c)).collect())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("row7.xlsx");
    std::fs::write(&path, xlsx((0, 0), &cells)).unwrap();
    let (_d, mut db) = temp_db();
    let from_xlsx = import_path(&mut db, Entity::Person, &path, &ImportOptions::default())
        .unwrap()
        .problems;
    let from_csv = import(
        &mut db,
        Entity::Person,
        "invalid_email_row7.csv",
        &ImportOptions::default(),
    )
    .unwrap()
    .problems;
    assert_eq!(from_xlsx, from_csv);
    assert!(all(&db, Entity::Person).is_empty());
}

#[test]
fn the_file_type_comes_from_the_content_not_the_extension() {
    let (_d, mut db) = temp_db();
    let report = import_ok(&mut db, Entity::Person, "csv_named.xlsx");
    assert!(report.file_kind.starts_with("csv"), "{}", report.file_kind);
    by_email(&db, "dana.ext@example.org");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("really_a_workbook.csv");
    std::fs::write(
        &path,
        xlsx(
            (0, 0),
            &[
                vec![X::T("given_name"), X::T("family_name"), X::T("email")],
                vec![X::T("Noa"), X::T("Katz"), X::T("noa.ext@example.org")],
            ],
        ),
    )
    .unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.file_kind, "xlsx");
    by_email(&db, "noa.ext@example.org");
}

// ---------------------------------------------------------------- formulas

/// Fall 2027 with the four formula-looking people of formula_names.csv.
fn formula_desk(db: &mut Db) -> Desk {
    let w = desk(db);
    let report = import_ok(db, Entity::Placement, "formula_names.csv");
    assert_eq!(report.added, 4, "{report:#?}");
    w
}

#[test]
fn formula_looking_names_are_stored_as_plain_text() {
    let (_d, mut db) = temp_db();
    formula_desk(&mut db);
    for (email, given, family) in [
        ("formula1@example.org", "Dana", "=SUM(A1)"),
        ("formula2@example.org", "+972541234567", "Levi"),
        ("formula3@example.org", "Noa", "-dash"),
        ("formula4@example.org", "@handle", "Katz"),
    ] {
        let p = by_email(&db, email);
        assert_eq!((s(&p, "given_name"), s(&p, "family_name")), (given, family));
    }
}

#[test]
fn formula_looking_names_are_neutralised_in_csv_and_xlsx_rosters() {
    let (_d, mut db) = temp_db();
    formula_desk(&mut db);
    let opts = RosterOptions {
        columns: vec!["family_name".into(), "given_name".into(), "email".into()],
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("r.csv");
    db.export_roster("Fall 2027", &csv_path, RosterFormat::Csv, &opts)
        .unwrap();
    let rows = csv_rows(&std::fs::read(&csv_path).unwrap());
    let cells: Vec<&str> = rows[1..]
        .iter()
        .flat_map(|r| r[..2].iter().map(String::as_str))
        .collect();
    for neutral in ["'=SUM(A1)", "'+972541234567", "'-dash", "'@handle"] {
        assert!(cells.contains(&neutral), "{neutral} not in {cells:?}");
    }
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "a CSV cell a spreadsheet would run: {cell:?}"
        );
    }

    let xlsx_path = dir.path().join("r.xlsx");
    db.export_roster("Fall 2027", &xlsx_path, RosterFormat::Xlsx, &opts)
        .unwrap();
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(&xlsx_path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let values = book.worksheet_range(&sheet).unwrap();
    let formulas = book.worksheet_formula(&sheet).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "the workbook holds formulas: {formulas:?}"
    );
    let strings: Vec<String> = values
        .rows()
        .skip(1)
        .flat_map(|r| r[..2].to_vec())
        .map(|c| match c {
            Data::String(s) => s,
            other => panic!("a name cell is not a string: {other:?}"),
        })
        .collect();
    for name in ["=SUM(A1)", "+972541234567", "-dash", "@handle"] {
        assert!(
            strings.iter().any(|s| s == name),
            "{name} not in {strings:?}"
        );
    }
}

// ---------------------------------------------------------------- rosters

/// A small desk with fixed names for the roster snapshots: people in both scripts, a
/// formula-looking name, notes with a newline, and placements of several statuses.
fn roster_desk(db: &mut Db) -> Desk {
    let w = desk(db);
    let person = |db: &mut Db, v: Value| id(&add(db, Entity::Person, v));
    let dana = person(
        db,
        json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה",
               "family_name_he": "כהן", "email": "dana.cohen@example.org", "phone": "+972 50 555 0101",
               "birth_date": "1990-04-03", "citizenships": ["IL", "US"], "home_institution_id": w.technion}),
    );
    let avery = person(
        db,
        json!({"given_name": "Avery", "family_name": "Aldridge", "email": "avery@example.edu",
               "home_institution_id": w.mit}),
    );
    let formula = person(
        db,
        json!({"given_name": "@handle", "family_name": "=SUM(A1)", "home_institution_id": w.mit}),
    );
    let noa = person(
        db,
        json!({"given_name_he": "נועה", "family_name_he": "לוי", "home_institution_id": w.technion}),
    );
    let placement = |db: &mut Db, v: Value| {
        let mut v = v;
        v["cohort_id"] = json!(w.cohort);
        add(db, Entity::Placement, v);
    };
    placement(
        db,
        json!({"person_id": dana, "status": "accepted", "host_institution_id": w.mit,
               "screening": "cleared", "visa_type": "J-1", "visa_expires": "2028-06-30",
               "notes": "Arrives late\nneeds housing"}),
    );
    placement(
        db,
        json!({"person_id": avery, "role": "mentor", "status": "confirmed",
               "start_date": "2027-09-15", "end_date": "2027-12-20"}),
    );
    placement(db, json!({"person_id": formula}));
    placement(
        db,
        json!({"person_id": noa, "role": "staff", "status": "nominated", "host_institution_id": w.mit}),
    );
    w
}

fn roster_bytes(db: &mut Db, format: RosterFormat, opts: &RosterOptions) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("roster.{}", format.name()));
    db.export_roster("Fall 2027", &path, format, opts).unwrap();
    std::fs::read(&path).unwrap()
}

#[test]
fn roster_csv_snapshot() {
    let (_d, mut db) = temp_db();
    roster_desk(&mut db);
    let csv = roster_bytes(&mut db, RosterFormat::Csv, &RosterOptions::default());
    assert!(!csv.starts_with(b"\xEF\xBB\xBF"), "no BOM unless asked");
    let text = String::from_utf8(csv).unwrap();
    assert!(text.ends_with("\r\n"));
    insta::assert_snapshot!("roster_default_columns_csv", text.replace("\r\n", "⏎\n"));
}

#[test]
fn roster_csv_snapshot_in_hebrew_with_every_column() {
    let (_d, mut db) = temp_db();
    roster_desk(&mut db);
    let columns: Vec<String> = exdesk_core::roster::ROSTER_COLUMNS
        .iter()
        .map(|c| c.key.to_owned())
        .collect();
    let opts = RosterOptions {
        columns,
        hebrew: true,
        excel_bom: true,
        ..Default::default()
    };
    let csv = roster_bytes(&mut db, RosterFormat::Csv, &opts);
    let text =
        String::from_utf8(csv.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM").to_vec()).unwrap();
    insta::assert_snapshot!(
        "roster_every_column_hebrew_csv",
        text.replace("\r\n", "⏎\n")
    );
}

#[test]
fn redacted_rosters_drop_the_redacted_fields_even_when_asked_for() {
    let (_d, mut db) = temp_db();
    roster_desk(&mut db);
    let redacted = [
        "email",
        "phone",
        "birth_date",
        "citizenships",
        "screening",
        "visa_type",
        "visa_expires",
    ];
    let opts = RosterOptions {
        columns: ["family_name", "given_name"]
            .iter()
            .chain(&redacted)
            .map(|s| (*s).to_owned())
            .collect(),
        redact: true,
        ..Default::default()
    };
    let json: Value =
        serde_json::from_slice(&roster_bytes(&mut db, RosterFormat::Json, &opts)).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for r in rows {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["family_name", "given_name"]);
    }
    let csv = String::from_utf8(roster_bytes(&mut db, RosterFormat::Csv, &opts)).unwrap();
    assert_eq!(csv.lines().next().unwrap(), "Family name,Given name");
    for secret in [
        "dana.cohen@example.org",
        "555",
        "1990",
        "cleared",
        "J-1",
        "2028-06-30",
    ] {
        assert!(
            !csv.contains(secret),
            "{secret} leaked into a redacted roster:\n{csv}"
        );
    }
    // The default set, redacted.
    let default = RosterOptions {
        redact: true,
        ..Default::default()
    };
    let csv = String::from_utf8(roster_bytes(&mut db, RosterFormat::Csv, &default)).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "Family name,Given name,Family name (Hebrew),Given name (Hebrew),Home institution,\
         Host institution,Direction,Role,Status,Start date,End date"
    );
    let log = db.export_log(10).unwrap();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|e| e.redacted && e.record_count == 4));
}

#[test]
fn the_export_log_lists_every_export() {
    let (_d, mut db) = temp_db();
    roster_desk(&mut db);
    let dir = tempfile::tempdir().unwrap();
    let plain = RosterOptions::default();
    let redacted = RosterOptions {
        redact: true,
        ..Default::default()
    };
    db.export_roster(
        "Fall 2027",
        &dir.path().join("a.csv"),
        RosterFormat::Csv,
        &plain,
    )
    .unwrap();
    db.export_roster(
        "Fall 2027",
        &dir.path().join("b.xlsx"),
        RosterFormat::Xlsx,
        &redacted,
    )
    .unwrap();
    db.export_calendar(&dir.path().join("c.ics"), None).unwrap();
    let log = db.export_log(10).unwrap();
    let seen: Vec<(&str, &str, bool, u32, bool)> = log
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.format.as_str(),
                e.redacted,
                e.record_count,
                e.file_name.ends_with(match e.format.as_str() {
                    "csv" => "a.csv",
                    "xlsx" => "b.xlsx",
                    _ => "c.ics",
                }),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("calendar", "ics", false, 1, true),
            ("roster", "xlsx", true, 4, true),
            ("roster", "csv", false, 4, true),
        ],
        "newest first: {log:#?}"
    );
    assert_eq!(log[2].cohort_name.as_deref(), Some("Fall 2027"));
    assert!(log[2].columns.contains(&"email".to_owned()));
    assert!(!log[1].columns.contains(&"email".to_owned()));
}

// ---------------------------------------------------------------- round trips

/// The people and placements of a database, without ids or timestamps.
fn records_by_name(db: &Db) -> (Vec<Value>, Vec<Value>) {
    let inst = |id: &str| -> String {
        if id.is_empty() {
            return String::new();
        }
        s(&db.get(Entity::Institution, id).unwrap(), "name").to_owned()
    };
    let mut people: Vec<Value> = all(db, Entity::Person)
        .iter()
        .map(|p| {
            json!({
                "given_name": p["given_name"], "family_name": p["family_name"],
                "given_name_he": p["given_name_he"], "family_name_he": p["family_name_he"],
                "email": p["email"], "home": inst(s(p, "home_institution_id")),
            })
        })
        .collect();
    people.sort_by_key(Value::to_string);
    let mut placements: Vec<Value> = all(db, Entity::Placement)
        .iter()
        .map(|pl| {
            let person = db.get(Entity::Person, s(pl, "person_id")).unwrap();
            let cohort = db.get(Entity::Cohort, s(pl, "cohort_id")).unwrap();
            json!({
                "person": format!("{} {} {} {}", s(&person, "given_name"), s(&person, "family_name"),
                                  s(&person, "given_name_he"), s(&person, "family_name_he")),
                "cohort": cohort["name"], "role": pl["role"], "status": pl["status"],
                "home": inst(s(pl, "home_institution_id")), "host": inst(s(pl, "host_institution_id")),
                "direction": pl["direction"], "start_date": pl["start_date"], "end_date": pl["end_date"],
                "screening": pl["screening"],
            })
        })
        .collect();
    placements.sort_by_key(Value::to_string);
    (people, placements)
}

/// The roster CSV with a "Cohort" column added in front: a roster has no cohort column
/// and a placement import needs one (see the report of this test suite).
fn with_cohort_column(csv: &[u8], cohort: &str) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        for (i, r) in csv_rows(csv).into_iter().enumerate() {
            let first = if i == 0 { "Cohort" } else { cohort };
            w.write_record(std::iter::once(first.to_owned()).chain(r))
                .unwrap();
        }
    }
    out
}

/// Exports Fall 2027 to CSV (labels in English or Hebrew), imports it as placements into a
/// fresh database with the same institutions, program and cohort, and compares.
fn roster_round_trip(hebrew: bool) {
    let (_a, mut a) = temp_db();
    roster_desk(&mut a);
    let opts = RosterOptions {
        hebrew,
        ..Default::default()
    };
    let csv = roster_bytes(&mut a, RosterFormat::Csv, &opts);
    let (_b, mut b) = temp_db();
    desk(&mut b);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, with_cohort_column(&csv, "Fall 2027")).unwrap();
    let report = import_path(&mut b, Entity::Placement, &path, &ImportOptions::default()).unwrap();
    let unknown: Vec<&String> = report
        .warnings
        .iter()
        .filter(|w| !w.contains("Direction") && !w.contains("כיוון"))
        .collect();
    assert!(
        unknown.is_empty(),
        "the roster's own headers are not all understood: {unknown:?}"
    );
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.added, 4);
    assert_eq!(records_by_name(&a), records_by_name(&b));
}

/// A roster imported back unedited into the database it came from changes nobody: its
/// home institution is each placement's, and a person who has moved since keeps the
/// new one.
#[test]
fn an_unedited_roster_imported_back_changes_nobody() {
    let (_d, mut db) = temp_db();
    let w = roster_desk(&mut db);
    let csv = roster_bytes(&mut db, RosterFormat::Csv, &RosterOptions::default());
    let dana = all(&db, Entity::Person)
        .into_iter()
        .find(|p| p["given_name"] == "Dana")
        .unwrap();
    db.update(
        Entity::Person,
        s(&dana, "id"),
        &json!({"home_institution_id": w.mit}),
        WriteOptions::default(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, with_cohort_column(&csv, "Fall 2027")).unwrap();
    let report = import_path(&mut db, Entity::Placement, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(
        (report.added, report.updated, report.people_updated),
        (0, 0, 0)
    );
    assert_eq!(report.unchanged, 4);
    let dana = db.get(Entity::Person, s(&dana, "id")).unwrap();
    assert_eq!(s(&dana, "home_institution_id"), w.mit);
}

#[test]
fn a_roster_csv_with_english_labels_imports_back_as_the_same_records() {
    roster_round_trip(false);
}

#[test]
fn a_roster_csv_with_hebrew_labels_imports_back_as_the_same_records() {
    roster_round_trip(true);
}

#[test]
fn a_roster_exported_to_xlsx_holds_the_same_cells_as_the_csv() {
    let (_a, mut a) = temp_db();
    roster_desk(&mut a);
    let csv = csv_rows(&roster_bytes(
        &mut a,
        RosterFormat::Csv,
        &RosterOptions::default(),
    ));
    let bytes = roster_bytes(&mut a, RosterFormat::Xlsx, &RosterOptions::default());
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::DateTime(d) => d.as_datetime().unwrap().date().to_string(),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect();
    let csv_plain: Vec<Vec<String>> = csv
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| match c.strip_prefix('\'') {
                    Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
                    _ => c,
                })
                .collect()
        })
        .collect();
    assert_eq!(cells, csv_plain);
}

/// In an XLSX template the identifier columns (phone, e-mail, ORCID, ROR, ids) are
/// text, so a spreadsheet keeps 0541234567 as typed; dates and names are not.
#[test]
fn template_identifier_columns_are_text() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    for (entity, text, not) in [
        (
            Entity::Person,
            &["phone", "orcid", "email"][..],
            &["birth_date", "given_name"][..],
        ),
        (Entity::Institution, &["ror"][..], &["name"][..]),
        (
            Entity::Placement,
            &["email", "orcid"][..],
            &["start_date"][..],
        ),
    ] {
        let path = dir.path().join(format!("{entity}.xlsx"));
        exdesk_core::import::write_template(entity, &path, None).unwrap();
        let mut book = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut read = |name: &str| {
            let mut xml = String::new();
            book.by_name(name)
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            xml
        };
        let (sheet, styles) = (read("xl/worksheets/sheet1.xml"), read("xl/styles.xml"));
        // The text format "@" (built in as 49, or given its own id); the column's style is
        // the one format of the sheet that has it.
        let text_id = styles
            .split("<numFmt ")
            .skip(1)
            .find(|f| f.contains("formatCode=\"@\""))
            .and_then(|f| f.split("numFmtId=\"").nth(1))
            .and_then(|f| f.split('"').next())
            .unwrap_or("49");
        let text_style = styles
            .split("<cellXfs")
            .nth(1)
            .unwrap()
            .split("<xf ")
            .skip(1)
            .position(|xf| xf.contains(&format!("numFmtId=\"{text_id}\"")))
            .unwrap_or_else(|| panic!("{entity}: no text format in {styles}"));
        let headers = exdesk_core::import::import_fields(entity);
        let style_of = |field: &str| {
            let col = headers.iter().position(|h| *h == field).unwrap() + 1;
            let attr = |c: &str, name: &str| -> Option<usize> {
                let value = c.split(&format!(" {name}=\"")).nth(1)?.split('"').next()?;
                value.parse().ok()
            };
            sheet
                .split("<col")
                .map(|c| format!(" {}", c.split('>').next().unwrap_or("")))
                .find(|c| attr(c, "min") <= Some(col) && Some(col) <= attr(c, "max"))
                .and_then(|c| attr(&c, "style"))
        };
        for field in text {
            assert_eq!(style_of(field), Some(text_style), "{entity}: {field}");
        }
        for field in not {
            assert_ne!(style_of(field), Some(text_style), "{entity}: {field}");
        }
    }
}

#[test]
fn a_filled_in_template_imports_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, mut db) = temp_db();
    let w = desk(&mut db);
    for (entity, name) in [
        (Entity::Person, "person.csv"),
        (Entity::Institution, "institution.csv"),
        (Entity::Placement, "placement.csv"),
    ] {
        let path = dir.path().join(name);
        exdesk_core::import::write_template(entity, &path, None).unwrap();
        let report = import_path(&mut db, entity, &path, &ImportOptions::default()).unwrap();
        assert_eq!(report.rows, 0);
        assert!(
            report.warnings.is_empty() && report.columns.iter().all(|c| c.field.is_some()),
            "{entity}: the template's own headers are not all understood: {report:#?}"
        );
    }
    let path = dir.path().join("person.csv");
    let header = std::fs::read_to_string(&path).unwrap();
    let headers: Vec<String> = csv_rows(header.as_bytes()).remove(0);
    let mut file = header.clone();
    let rows = [
        [
            ("given_name", "Dana"),
            ("family_name", "Cohen"),
            ("given_name_he", "דנה"),
            ("family_name_he", "כהן"),
            ("email", "dana.t@example.org"),
            ("birth_date", "1990-04-03"),
            ("citizenships", "IL, US"),
            ("home_institution", "Technion"),
        ],
        [
            ("given_name", "Avery"),
            ("family_name", "Aldridge"),
            ("given_name_he", ""),
            ("family_name_he", ""),
            ("email", "avery.t@example.edu"),
            ("birth_date", ""),
            ("citizenships", "US"),
            ("home_institution", "MIT"),
        ],
    ];
    for r in &rows {
        let line: Vec<String> = headers
            .iter()
            .map(|h| {
                let v = r.iter().find(|(k, _)| k == h).map_or("", |(_, v)| v);
                if v.contains(',') {
                    format!("\"{v}\"")
                } else {
                    v.to_owned()
                }
            })
            .collect();
        file.push_str(&line.join(","));
        file.push_str("\r\n");
    }
    std::fs::write(&path, file).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!((report.rows, report.added), (2, 2));
    let dana = by_email(&db, "dana.t@example.org");
    assert_eq!(
        (
            s(&dana, "given_name"),
            s(&dana, "family_name"),
            s(&dana, "given_name_he"),
            s(&dana, "family_name_he"),
            s(&dana, "birth_date"),
            s(&dana, "home_institution_id"),
        ),
        (
            "Dana",
            "Cohen",
            "דנה",
            "כהן",
            "1990-04-03",
            w.technion.as_str()
        )
    );
    assert_eq!(dana["citizenships"], json!(["IL", "US"]));
    let avery = by_email(&db, "avery.t@example.edu");
    assert_eq!(s(&avery, "home_institution_id"), w.mit);
    assert_eq!(avery["citizenships"], json!(["US"]));
    assert_eq!(s(&avery, "given_name_he"), "");
}

/// A file names the same institutions on many rows: each row gets the right one, and an
/// unknown name is a problem on every row that uses it (looked up once per file).
#[test]
fn institutions_named_on_many_rows_resolve_on_each_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_in_memory().unwrap();
    let d = desk(&mut db);
    let mut text = String::from("given_name,family_name,email,home_institution\n");
    for i in 0..60 {
        let institution = ["MIT", "הטכניון", "technion"][i % 3];
        text.push_str(&format!("P{i},Many,p{i}@example.org,{institution}\n"));
    }
    let good = dir.path().join("good.csv");
    std::fs::write(&good, &text).unwrap();
    let report = import_path(&mut db, Entity::Person, &good, &ImportOptions::default()).unwrap();
    assert_eq!(report.added, 60);
    for i in 0..60 {
        let expected = if i % 3 == 0 { &d.mit } else { &d.technion };
        assert_eq!(
            s(
                &by_email(&db, &format!("p{i}@example.org")),
                "home_institution_id"
            ),
            expected.as_str(),
            "row {i}"
        );
    }

    text.push_str("X,Unknown,x1@example.org,Nowhere University\n");
    text.push_str("Y,Unknown,y1@example.org,Nowhere University\n");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, &text).unwrap();
    let before = db.export_all().unwrap();
    let report = import_path(&mut db, Entity::Person, &bad, &ImportOptions::default()).unwrap();
    assert!(!report.written);
    let problems = report.problems;
    let rows: Vec<Option<u64>> = problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, vec![Some(61), Some(62)], "{problems:#?}");
    assert!(
        problems
            .iter()
            .all(|p| p.field == "home_institution" && p.message.contains("Nowhere University"))
    );
    assert_eq!(before, db.export_all().unwrap());
}

// ---------------------------------------------------------------- one thread or two

/// A person import into a file is checked on a second thread against a snapshot taken
/// before it; into an in-memory database (which no second connection can see) on one,
/// against the rows written before each. Both must decide every row alike.
#[test]
fn people_are_imported_alike_on_one_thread_and_on_two() {
    fn seeded(db: &mut Db) {
        desk(db);
        add(
            db,
            Entity::Person,
            json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
        );
        add(
            db,
            Entity::Person,
            json!({"given_name_he": "יוסי", "family_name_he": "לוי", "orcid": "0000-0002-1825-0097"}),
        );
    }
    /// The report without the ids that differ from one database to the other.
    fn decided(report: &ImportReport) -> Value {
        let duplicates: Vec<Value> = report
            .duplicates
            .iter()
            .map(|d| {
                let names: Vec<&str> = d.matches.iter().map(|(_, name)| name.as_str()).collect();
                json!([d.row, d.name, d.reason, names])
            })
            .collect();
        json!({
            "counts": [report.added, report.updated, report.unchanged],
            "problems": report.problems.iter().map(|p| format!("{p} [{:?}]", p.value)).collect::<Vec<_>>(),
            "warnings": report.warnings,
            "duplicates": duplicates,
            // The person a row updates, without the id each database gave them.
            "changes": report.changes.iter().map(|c| {
                let mut c = serde_json::to_value(c).unwrap();
                if let Some(person) = c["person"].as_object_mut() {
                    person.remove("id");
                }
                c
            }).collect::<Vec<_>>(),
            "written": report.written,
        })
    }
    /// Every person as (names, e-mail, ORCID, birth date, home institution's name).
    fn people(db: &Db) -> Vec<String> {
        let mut all: Vec<String> = all(db, Entity::Person)
            .iter()
            .map(|p| {
                let home = p["home_institution_id"].as_str().map(|i| {
                    db.get(Entity::Institution, i).unwrap()["name"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                });
                format!(
                    "{} {} {} {} {} {} {} {:?} {}",
                    s(p, "given_name"),
                    s(p, "family_name"),
                    s(p, "given_name_he"),
                    s(p, "family_name_he"),
                    s(p, "email"),
                    s(p, "orcid"),
                    s(p, "birth_date"),
                    home,
                    p["citizenships"]
                )
            })
            .collect();
        all.sort();
        all
    }
    let (_d, mut on_file) = temp_db();
    let mut in_memory = Db::open_in_memory().unwrap();
    seeded(&mut on_file);
    seeded(&mut in_memory);
    for file in [
        "many_problems.csv",
        "two_problems_one_row.csv",
        "same_email_twice.csv",
        "existing_email.csv",
        "cross_script.csv",
        "full_names.csv",
        "utf8_bom_comma.csv",
        "cp1255_hebrew_gershayim.csv",
        "formula_names.csv",
    ] {
        for opts in [dry(), ImportOptions::default()] {
            let two = import(&mut on_file, Entity::Person, file, &opts);
            let one = import(&mut in_memory, Entity::Person, file, &opts);
            match (two, one) {
                (Ok(two), Ok(one)) => assert_eq!(decided(&two), decided(&one), "{file}"),
                (two, one) => assert_eq!(
                    two.map(|r| decided(&r)).map_err(|e| e.to_string()),
                    one.map(|r| decided(&r)).map_err(|e| e.to_string()),
                    "{file}"
                ),
            }
            assert_eq!(people(&on_file), people(&in_memory), "{file}");
        }
    }
    assert!(people(&on_file).len() > 10, "the files added people");

    // A longer file: a row updating a known person among hundreds of new ones keeps its
    // place, and every new person reaches the search index and the history.
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.csv");
    let mut csv = String::from("given_name,family_name,email,birth_date\n");
    for i in 0..300 {
        let email = if i == 150 {
            "Dana.Cohen@example.org".to_owned()
        } else {
            format!("person{i}@example.org")
        };
        csv.push_str(&format!(
            "Given{i},Family{},{email},1990-01-{:02}\n",
            i % 7,
            1 + i % 28
        ));
    }
    std::fs::write(&long, csv).unwrap();
    let two = import_path(
        &mut on_file,
        Entity::Person,
        &long,
        &ImportOptions::default(),
    )
    .unwrap();
    let one = import_path(
        &mut in_memory,
        Entity::Person,
        &long,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(decided(&two), decided(&one));
    assert_eq!((two.added, two.updated), (299, 1), "{two:#?}");
    assert_eq!(people(&on_file), people(&in_memory));
    for db in [&on_file, &in_memory] {
        let hits = db.search("given299", 5).unwrap();
        assert_eq!(
            hits.len(),
            1,
            "the last person is in the search index: {hits:?}"
        );
        let history = db.history(Entity::Person, &hits[0].id).unwrap();
        assert!(!history.is_empty(), "and has a history");
    }
}

/// Cancelling an import midway (its progress callback says stop) writes nothing, on one
/// thread and on two.
#[test]
fn a_cancelled_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("people.csv");
    let mut csv = String::from("given_name,family_name,email\n");
    for i in 0..3000 {
        csv.push_str(&format!("Dana,Cohen{i},dana{i}@example.org\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let (_d, mut on_file) = temp_db();
    let mut in_memory = Db::open_in_memory().unwrap();
    for db in [&mut on_file, &mut in_memory] {
        let before = db.export_all().unwrap();
        let mut seen = Vec::new();
        let result = db.import_file(Entity::Person, &file, &ImportOptions::default(), &mut |p| {
            seen.push(p.done);
            p.done < 1000
        });
        let e = result.expect_err("cancelled");
        assert_eq!(e.code(), exdesk_core::ErrorCode::Refused, "{e}");
        assert!(seen.contains(&1000) && !seen.contains(&3000), "{seen:?}");
        assert_eq!(before, db.export_all().unwrap(), "nothing written");
    }
}

// ---------------------------------------------------------------- nothing dropped or miscounted

/// Imports `bytes` (a file named `name`) into a database file (a person import checks on
/// a second thread there) and into an in-memory one (one thread), both set up by
/// `seed`; returns both reports, the on-file one first.
fn on_both_paths(
    name: &str,
    bytes: &[u8],
    entity: Entity,
    opts: &ImportOptions,
    seed: &dyn Fn(&mut Db),
) -> [ImportReport; 2] {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let (_d, mut on_file) = temp_db();
    let mut in_memory = Db::open_in_memory().unwrap();
    [&mut on_file, &mut in_memory].map(|db| {
        seed(db);
        let before = db.export_all().unwrap();
        let report = import_path(db, entity, &path, opts)
            .unwrap_or_else(|e| panic!("{name}: {e} ({:?})", e.problems()));
        if !report.written {
            assert_eq!(before, db.export_all().unwrap(), "{name}: nothing written");
        }
        report
    })
}

/// Two columns that fill the same name field with different values: a problem of the
/// row naming both columns and values, never one value dropped. The same value twice,
/// or a Latin and a Hebrew value (each to its script's field), is fine.
#[test]
fn two_columns_giving_one_name_field_different_values_are_a_problem_of_the_row() {
    for (csv, field, cells) in [
        (
            "First name,Last name,Surname\nAnn,Lee,Smith\n",
            "family_name",
            [("Last name", "Lee"), ("Surname", "Smith")],
        ),
        (
            "given_name,family_name,First name\nAnn,Lee,Anne\n",
            "given_name",
            [("given_name", "Ann"), ("First name", "Anne")],
        ),
    ] {
        for opts in [ImportOptions::default(), dry()] {
            for report in on_both_paths("names.csv", csv.as_bytes(), Entity::Person, &opts, &|_| {})
            {
                assert!(!report.written, "{csv}");
                assert_eq!(report.problems.len(), 1, "{csv}: {:#?}", report.problems);
                let p = &report.problems[0];
                assert_eq!((p.row, p.field.as_str()), (Some(row(1)), field), "{p}");
                for (header, value) in cells {
                    assert!(
                        p.message.contains(&format!("{header:?} ({value:?})")),
                        "{csv}: {p}"
                    );
                }
                assert_eq!((report.added, report.changes.len()), (0, 0), "{report:#?}");
            }
        }
    }
    // A name in each script, and the same name twice, go in.
    let csv = "First name,First name,Last name,Last name,Surname\nDana,דנה,Cohen,כהן,Cohen\n";
    for report in on_both_paths(
        "scripts.csv",
        csv.as_bytes(),
        Entity::Person,
        &ImportOptions::default(),
        &|_| {},
    ) {
        assert!(report.problems.is_empty(), "{:#?}", report.problems);
        assert_eq!((report.added, report.written), (1, true));
    }
}

/// A row with a problem (an impossible date, more values than columns) adds nothing, so
/// it is neither counted nor listed as added, on a dry run or for real; a refused file
/// added nothing at all, so its report counts nothing.
#[test]
fn a_row_with_a_problem_is_never_counted_as_added() {
    let people = "given_name,family_name,email,birth_date\n\
                  Dana,Cohen,dana@example.org,1990-04-03\n\
                  Noa,Katz,noa@example.org,31/02/1990\n\
                  Avi,Levi,avi@example.org,1990-02-30\n";
    let institutions = "name,country\nMIT,US\nTel Aviv University,IL,extra\n";
    for (entity, csv, problems) in [
        (Entity::Person, people, 2),
        (Entity::Institution, institutions, 1),
    ] {
        for report in on_both_paths("rows.csv", csv.as_bytes(), entity, &dry(), &|_| {}) {
            assert_eq!(report.problems.len(), problems, "{:#?}", report.problems);
            let listed: Vec<u64> = report.changes.iter().map(|c| c.row).collect();
            assert_eq!(
                (report.added, listed),
                (1, vec![row(1)]),
                "{entity}: {report:#?}"
            );
        }
        let real = ImportOptions::default();
        for report in on_both_paths("rows.csv", csv.as_bytes(), entity, &real, &|_| {}) {
            assert!(!report.written);
            assert_eq!(report.problems.len(), problems, "{:#?}", report.problems);
            assert_eq!(
                (report.added, report.updated, report.changes.len()),
                (0, 0, 0),
                "{entity}: a refused file added nothing: {report:#?}"
            );
        }
    }
}

/// A name several institutions share is not "no institution": the problem says so and
/// asks for the id, as for cohorts.
#[test]
fn an_institution_name_shared_by_several_asks_for_the_id() {
    let seed = |db: &mut Db| {
        for city in ["Haifa", "Boston", "Tokyo"] {
            add(
                db,
                Entity::Institution,
                json!({"name": "X", "country": "IL", "city": city}),
            );
        }
    };
    let csv = "given_name,family_name,Institution\nDana,Cohen,X\n";
    for report in on_both_paths("x.csv", csv.as_bytes(), Entity::Person, &dry(), &seed) {
        assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
        let p = &report.problems[0];
        assert_eq!(
            p.message, "3 institutions are named \"X\"; use the institution's id",
            "{p}"
        );
        assert_eq!(
            (p.column.as_deref(), p.value.as_deref()),
            (Some("Institution"), Some("X"))
        );
    }
}

/// Dates whose order the file does not settle refuse the file, but do not hide its other
/// problems: the date order's problem comes with every row's, the other cells that need
/// the order among them.
#[test]
fn dates_of_unknown_order_do_not_hide_the_other_problems() {
    let csv = "given_name,family_name,email,birth_date\n\
               Dana,Cohen,dana@example.org,03/04/1990\n\
               Noa,Katz,not-an-email,05/06/1991\n\
               Avi,Levi,avi@example.org,1990-01-01\n";
    for opts in [ImportOptions::default(), dry()] {
        for report in on_both_paths("dates.csv", csv.as_bytes(), Entity::Person, &opts, &|_| {}) {
            assert!(!report.written);
            let found: Vec<(Option<u64>, &str, Option<&str>)> = report
                .problems
                .iter()
                .map(|p| (p.row, p.field.as_str(), p.value.as_deref()))
                .collect();
            assert_eq!(
                found,
                [
                    (Some(row(1)), "date_order", Some("03/04/1990")),
                    (Some(row(2)), "birth_date", Some("05/06/1991")),
                    (Some(row(2)), "email", Some("not-an-email")),
                ],
                "{:#?}",
                report.problems
            );
            assert!(report.problems[0].message.contains("--date-order"));
            assert_eq!(report.added, u32::from(opts.dry_run), "Avi, on a dry run");
        }
    }
}

/// A spreadsheet's error cells (`#N/A`, `#REF!`: formulas that failed) are not empty
/// values: each is a problem of its row naming the column and the error.
#[test]
fn spreadsheet_error_cells_are_problems_of_their_rows() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        ["given_name", "family_name", "email", "birth_date"],
        ["Dana", "Cohen", "dana@example.org", "1990-04-03"],
        ["Noa", "Katz", "", ""],
        ["Avi", "Levi", "avi@example.org", "1991-05-06"],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    let na = rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A");
    ws.write_formula(2, 2, na).unwrap();
    let bad_ref = rust_xlsxwriter::Formula::new("=#REF!+1").set_result("#REF!");
    ws.write_formula(2, 3, bad_ref).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    for opts in [ImportOptions::default(), dry()] {
        for report in on_both_paths("errors.xlsx", &bytes, Entity::Person, &opts, &|_| {}) {
            assert!(!report.written);
            let found: Vec<(Option<u64>, Option<&str>, Option<&str>)> = report
                .problems
                .iter()
                .map(|p| (p.row, p.column.as_deref(), p.value.as_deref()))
                .collect();
            assert_eq!(
                found,
                [
                    (Some(row(2)), Some("email"), Some("#N/A")),
                    (Some(row(2)), Some("birth_date"), Some("#REF!")),
                ],
                "{:#?}",
                report.problems
            );
            assert!(
                report.problems[0].message.contains("#N/A"),
                "{:?}",
                report.problems
            );
            assert_eq!(report.added, 2 * u32::from(opts.dry_run));
        }
    }
}

/// `bytes` (a workbook) with the cached results of its formulas that give "0" taken
/// out, as files written by openpyxl or pandas are: a formula and no value.
fn without_formula_results(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..book.len() {
        let mut entry = book.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if entry.name().starts_with("xl/worksheets/") {
            let xml = String::from_utf8(data).unwrap();
            data = xml.replace("</f><v>0</v>", "</f>").into_bytes();
        }
        out.start_file(entry.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A formula cell without a computed value (a file written by a program that does not
/// calculate) is not an empty cell: a problem of its row naming the column and the
/// formula. A formula with its value is read as that value.
#[test]
fn formulas_without_a_value_are_problems_of_their_rows() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        ["given_name", "family_name", "email", "notes"],
        ["Gil", "Amir", "gil.formula@example.org", ""],
        ["", "Formula", "formula@example.org", ""],
        ["Avi", "Levi", "avi.formula@example.org", ""],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    ws.write_formula(1, 3, r#"=CONCATENATE("Fall ","2027")"#)
        .unwrap();
    ws.write_formula(2, 0, r#"=UPPER("dana")"#).unwrap();
    let cached = rust_xlsxwriter::Formula::new(r#"=CONCATENATE("Spring ","2028")"#)
        .set_result("Spring 2028");
    ws.write_formula(3, 3, cached).unwrap();
    let bytes = without_formula_results(&wb.save_to_buffer().unwrap());
    for opts in [ImportOptions::default(), dry()] {
        for report in on_both_paths("formulas.xlsx", &bytes, Entity::Person, &opts, &|_| {}) {
            assert!(!report.written);
            // Row 2 also lacks its given name; the formula is named first.
            let found: Vec<(Option<u64>, Option<&str>, Option<&str>)> = report
                .problems
                .iter()
                .filter(|p| p.code == "import.cell_formula")
                .map(|p| (p.row, p.column.as_deref(), p.value.as_deref()))
                .collect();
            assert_eq!(report.problems[1].code, "import.cell_formula");
            assert_eq!(
                found,
                [
                    (
                        Some(row(1)),
                        Some("notes"),
                        Some(r#"=CONCATENATE("Fall ","2027")"#)
                    ),
                    (Some(row(2)), Some("given_name"), Some(r#"=UPPER("dana")"#)),
                ],
                "{:#?}",
                report.problems
            );
            assert_eq!(
                report.problems[0].message,
                "the cell of column \"notes\" holds the formula =CONCATENATE(\"Fall \",\"2027\") \
                 with no computed value (the file was written by a program that does not \
                 calculate): open and save it in a spreadsheet program"
            );
            assert_eq!(
                report.added,
                u32::from(opts.dry_run),
                "the cached formula's row"
            );
        }
    }
    // The row with the computed value imports it.
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cached.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["given_name", "family_name", "notes"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Avi").unwrap();
    ws.write_string(1, 1, "Levi").unwrap();
    let cached = rust_xlsxwriter::Formula::new(r#"=CONCATENATE("Spring ","2028")"#)
        .set_result("Spring 2028");
    ws.write_formula(1, 2, cached).unwrap();
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(s(&by_name(&db, "Avi", "Levi"), "notes"), "Spring 2028");
}

/// A merged range shows its value on every cell it covers, so each row it spans gets
/// it (home institution merged over three people's rows); a header merged over two
/// columns names the first; a row holding nothing but a merged value is still blank.
#[test]
fn a_merged_cell_gives_its_value_to_every_row_it_spans() {
    let (_d, mut db) = temp_db();
    let w = desk(&mut db);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    for (c, h) in ["given_name", "family_name", "email"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.merge_range(0, 3, 0, 4, "home_institution", &plain)
        .unwrap();
    for (r, given) in ["M1", "M2", "", "M3"].iter().enumerate() {
        if given.is_empty() {
            continue; // a blank row inside the merged range
        }
        let r = r as u32 + 1;
        ws.write_string(r, 0, *given).unwrap();
        ws.write_string(r, 1, "Merged").unwrap();
        ws.write_string(r, 2, format!("{}@example.org", given.to_lowercase()))
            .unwrap();
    }
    ws.merge_range(1, 3, 4, 3, "Technion", &plain).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!((report.rows, report.added), (3, 3), "{report:#?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    for email in ["m1@example.org", "m2@example.org", "m3@example.org"] {
        assert_eq!(s(&by_email(&db, email), "home_institution_id"), w.technion);
    }
}

/// A cell merged across columns is one value, in its first column: "Dana Cohen" merged
/// over the given and family name columns is never stored as both names.
#[test]
fn a_cell_merged_across_columns_stays_in_its_first_column() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    for (c, h) in ["given_name", "family_name", "email"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.merge_range(1, 0, 1, 1, "Dana Cohen", &plain).unwrap();
    ws.write_string(1, 2, "dana@example.org").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    for report in on_both_paths("across.xlsx", &bytes, Entity::Person, &dry(), &|_| {}) {
        assert_eq!(report.added, 0, "{report:#?}");
        let problem = &report.problems[0];
        assert_eq!(problem.code, "person.needs_name", "{:#?}", report.problems);
        assert_eq!(problem.row, Some(1));
    }
}

/// A workbook's other sheets with the import's columns and rows (a sheet per side, a
/// hidden one) are named in warnings with their rows: the first is read, and `sheet`
/// reads another (hidden or not). A sheet the workbook lacks is refused naming those it
/// has; a sheet cannot be chosen in a CSV file.
#[test]
fn other_sheets_with_rows_are_named_and_one_can_be_chosen() {
    let (_d, mut db) = temp_db();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (sheet, given, hidden) in [
        ("US participants", "Us", false),
        ("Old list", "Hidden", true),
        ("Notes", "", false),
        ("IL participants", "Il", false),
    ] {
        let ws = wb.add_worksheet().set_name(sheet).unwrap();
        if given.is_empty() {
            ws.write_string(0, 0, "Send back by 1 May").unwrap();
            continue;
        }
        for (c, h) in ["given_name", "family_name", "email"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, given).unwrap();
        ws.write_string(1, 1, "Person").unwrap();
        ws.write_string(1, 2, format!("{}@example.org", given.to_lowercase()))
            .unwrap();
        if hidden {
            ws.set_hidden(true);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sides.xlsx");
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &dry()).unwrap();
    assert_eq!((report.rows, report.added), (1, 1));
    assert_eq!(report.changes[0].name, "Us Person");
    assert_eq!(
        report.warnings,
        [
            "the sheet \"IL participants\" also has person columns (1 row(s)) and was not \
             read: import it separately (--sheet \"IL participants\")",
            "the hidden sheet \"Old list\" also has person columns (1 row(s)) and was not \
             read: import it separately (--sheet \"Old list\")",
        ]
    );
    for (sheet, name) in [
        ("IL participants", "Il Person"),
        ("old list", "Hidden Person"),
    ] {
        let opts = ImportOptions {
            sheet: Some(sheet.to_owned()),
            ..dry()
        };
        let report = import_path(&mut db, Entity::Person, &path, &opts).unwrap();
        assert_eq!(report.changes[0].name, name, "{sheet}");
        assert!(report.warnings.is_empty(), "{sheet}: {:?}", report.warnings);
    }
    let opts = ImportOptions {
        sheet: Some("UK participants".to_owned()),
        ..dry()
    };
    let err = import_path(&mut db, Entity::Person, &path, &opts).unwrap_err();
    assert_eq!(
        err.problems()[0].message,
        "the workbook has no sheet \"UK participants\" (its sheets: \"US participants\", \
         \"Old list\", \"Notes\", \"IL participants\")"
    );
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "given_name,family_name\nDana,Cohen\n").unwrap();
    let opts = ImportOptions {
        sheet: Some("People".to_owned()),
        ..dry()
    };
    let err = import_path(&mut db, Entity::Person, &csv, &opts).unwrap_err();
    assert!(err.to_string().contains("not one"), "{err}");
}

/// Files that are no workbook the reader opens are named for what they are: a
/// LibreOffice (OpenDocument) spreadsheet, a workbook cut short, a Word document, a zip
/// archive of other files, a PDF, an image.
#[test]
fn an_opendocument_or_cut_short_workbook_is_named_for_what_it_is() {
    use std::io::Write;
    let mut ods = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    ods.start_file("mimetype", stored).unwrap();
    ods.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    ods.start_file("content.xml", stored).unwrap();
    ods.write_all(b"<x/>").unwrap();
    let ods = ods.finish().unwrap().into_inner();
    let zip_of = |names: &[&str]| {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for name in names {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"<x/>").unwrap();
        }
        zip.finish().unwrap().into_inner()
    };
    let docx = zip_of(&["[Content_Types].xml", "word/document.xml"]);
    let archive = zip_of(&["people.xlsx", "readme.txt"]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((1u8..=255).cycle().take(600).filter(|b| *b != 0));
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "given_name").unwrap();
    let whole = wb.save_to_buffer().unwrap();
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, said) in [
        (
            "sheet.ods",
            &ods[..],
            "this is an OpenDocument (LibreOffice) spreadsheet that cannot be read: save it \
             as .xlsx or CSV and import that",
        ),
        (
            "cut.xlsx",
            &whole[..whole.len() / 2],
            "the .xlsx spreadsheet is damaged or incomplete (a download or copy cut short?): \
             get or save it again",
        ),
        (
            "letter.xlsx",
            &docx[..],
            "this is a Word document, not a spreadsheet: copy its table into a spreadsheet, \
             save that as .xlsx or CSV and import it",
        ),
        (
            "from-partner.xlsx",
            &archive[..],
            "this is a zip archive with no spreadsheet in it: unpack it and import the .xlsx \
             or CSV file inside",
        ),
        (
            "roster.csv",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "this is a PDF document, not a spreadsheet: ask the sender for the table as .xlsx \
             or CSV",
        ),
        (
            "photo.csv",
            &png[..],
            "this is not a text or spreadsheet file (it holds binary data)",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = import_path(&mut db, Entity::Person, &path, &dry()).unwrap_err();
        assert_eq!(err.problems()[0].message, said, "{name}");
        assert_eq!(err.problems()[0].field, "file", "{name}");
    }
}

/// An ORCID iD or ROR id that cannot be read hides none of its row's other problems (they
/// are checked before the rest, to find the record the row updates).
#[test]
fn a_bad_identifier_hides_no_other_problem_of_its_row() {
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    for (entity, text, expected) in [
        (
            Entity::Person,
            "given_name,family_name,email,phone,orcid\nA,B,bad,abc,0000-0002-1825-0098\n",
            vec!["email", "orcid", "phone"],
        ),
        (
            Entity::Institution,
            "name,country,sector,ror\nBad2,US,military,0abc\n",
            vec!["ror", "sector"],
        ),
    ] {
        let path = dir.path().join("file.csv");
        std::fs::write(&path, text).unwrap();
        let report = import_path(&mut db, entity, &path, &dry()).unwrap();
        let mut columns: Vec<&str> = report
            .problems
            .iter()
            .map(|p| p.column.as_deref().unwrap_or(""))
            .collect();
        columns.sort();
        assert_eq!(columns, expected, "{:#?}", report.problems);
    }
}

/// One stray control character in a text file (a vertical tab pasted into a note) does
/// not make the file binary: it is a problem of its row and column.
#[test]
fn a_stray_control_character_leaves_a_file_text() {
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(
        &path,
        "given_name,family_name,notes\nDana,Cohen,line one\x0bline two\nNoa,Katz,\n",
    )
    .unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &dry()).unwrap();
    let found: Vec<(&str, Option<u64>, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.code.as_str(), p.file_row, p.column.as_deref()))
        .collect();
    assert_eq!(found, [("value.control_char", Some(2), Some("notes"))]);
}

/// A JSON file (an array of objects, as `list --json` prints) whose mapped value is a
/// nested object or a list of objects: a problem of its row naming the column, never the
/// object's JSON text stored as a name. A list of plain values is still one cell.
#[test]
fn nested_json_values_are_problems_of_their_rows() {
    let file = json!([
        {"given_name": "Dana", "family_name": "Cohen", "citizenships": ["IL", "US"]},
        {"given_name": {"en": "Noa"}, "family_name": "Katz"},
        {"given_name": "Avi", "family_name": [{"he": "לוי"}]},
        {"given_name": "Tal", "family_name": "Ben-Ami", "notes": "ok"}
    ]);
    let bytes = serde_json::to_vec(&file).unwrap();
    for opts in [ImportOptions::default(), dry()] {
        for report in on_both_paths("nested.json", &bytes, Entity::Person, &opts, &|_| {}) {
            assert!(!report.written);
            let found: Vec<(Option<u64>, Option<&str>, Option<&str>)> = report
                .problems
                .iter()
                .filter(|p| p.code == "import.cell_nested")
                .map(|p| (p.row, p.column.as_deref(), p.value.as_deref()))
                .collect();
            assert_eq!(
                found,
                [
                    (Some(2), Some("given_name"), Some(r#"{"en":"Noa"}"#)),
                    (Some(3), Some("family_name"), Some(r#"[{"he":"לוי"}]"#)),
                ],
                "{:#?}",
                report.problems
            );
            assert!(
                report.problems[0].message.contains("nested"),
                "{:?}",
                report.problems
            );
            assert!(report.problems.iter().all(|p| matches!(p.row, Some(2 | 3))));
            assert_eq!(report.added, 2 * u32::from(opts.dry_run));
        }
    }
}

/// JSON that cannot be read, or that is not an array of records, is refused as JSON (with
/// the parser's position), never read as CSV with JSON text for headers; a CSV whose
/// first header is in brackets stays CSV.
#[test]
fn broken_or_single_object_json_is_refused_as_json() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, code) in [
        (
            "broken.json",
            r#"[{"given_name":"Json","#,
            "import.bad_json",
        ),
        (
            "object.json",
            r#"{"given_name": "Json", "family_name": "Obj"}"#,
            "import.json_not_records",
        ),
        (
            "numbers.json",
            "[{\"given_name\": \"A\"}, 3]",
            "import.json_not_records",
        ),
    ] {
        let (_d, mut db) = temp_db();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err =
            import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).expect_err(name);
        let problems = err.problems();
        assert_eq!(problems.len(), 1, "{name}: {problems:#?}");
        assert_eq!(problems[0].code, code, "{name}: {problems:#?}");
    }
    let (_d, mut db) = temp_db();
    let path = dir.path().join("brackets.csv");
    std::fs::write(&path, "[given_name],[family_name]\nDana,Cohen\n").unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &ImportOptions::default()).unwrap();
    assert_eq!(report.added, 1, "{report:#?}");
}

/// A header below a long block of instructions (15 lines, as university forms have) is
/// still found, with a warning naming the rows skipped.
#[test]
fn a_header_below_a_long_preamble_is_found() {
    let mut text: String = (0..15)
        .map(|i| format!("Instruction line {i}: please fill all fields,,\n"))
        .collect();
    text.push_str("given_name,family_name,email\nAnna,Berg,anna.pre@example.org\n");
    for report in on_both_paths(
        "preamble.csv",
        text.as_bytes(),
        Entity::Person,
        &ImportOptions::default(),
        &|_| {},
    ) {
        assert_eq!(report.added, 1, "{report:#?}");
        assert!(
            report.warnings.iter().any(|w| w.contains("16")),
            "{:?}",
            report.warnings
        );
    }
}

/// Lists of institutions (a program's partners, an agreement's parties) separated by
/// commas, as tech areas and citizenships may be: split when every piece is an id, or
/// when the whole entry is no institution's name but every piece is one; a name holding
/// a comma stays whole.
#[test]
fn institution_lists_split_on_commas_unless_a_name_holds_one() {
    let (_d, mut db) = temp_db();
    let w = desk(&mut db);
    let berkeley = id(&add(
        &mut db,
        Entity::Institution,
        json!({"name": "University of California, Berkeley", "country": "US"}),
    ));
    let dir = tempfile::tempdir().unwrap();
    let programs = dir.path().join("programs.csv");
    std::fs::write(
        &programs,
        format!(
            "name,kind,tech_areas,partner_institution_ids\n\
             P1,academic_exchange,\"ai, energy\",\"MIT, Technion\"\n\
             P2,academic_exchange,ai,\"University of California, Berkeley\"\n\
             P3,academic_exchange,ai,\"{}, {}\"\n\
             P4,academic_exchange,ai,\"Technion; University of California, Berkeley\"\n",
            w.mit, w.technion
        ),
    )
    .unwrap();
    let report = import_path(
        &mut db,
        Entity::Program,
        &programs,
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.added, 4);
    let partners = |name: &str| -> Vec<String> {
        let program = all(&db, Entity::Program)
            .into_iter()
            .find(|p| s(p, "name") == name)
            .unwrap();
        program["partner_institution_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(partners("P1"), [w.mit.clone(), w.technion.clone()]);
    assert_eq!(partners("P2"), [berkeley.as_str()]);
    assert_eq!(partners("P3"), [w.mit.clone(), w.technion.clone()]);
    assert_eq!(partners("P4"), [w.technion.clone(), berkeley.clone()]);

    let agreements = dir.path().join("agreements.csv");
    std::fs::write(
        &agreements,
        "title,institution_ids,valid_from,valid_to\n\
         MOU,\"MIT, Technion\",2027-01-01,2030-12-31\n\
         Bad,\"MIT, Nowhere\",2027-01-01,2030-12-31\n",
    )
    .unwrap();
    let report = import_path(&mut db, Entity::Agreement, &agreements, &dry()).unwrap();
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let p = &report.problems[0];
    assert_eq!(
        (p.row, p.field.as_str()),
        (Some(row(2)), "institution_ids"),
        "{p}"
    );
    assert!(p.message.contains("\"MIT, Nowhere\""), "{p}");
    assert_eq!(report.added, 1, "the MOU: {report:#?}");
}

/// A probable duplicate of a person an earlier row adds names that person by its row
/// when nothing is written (a dry run, a refused file): its id never came to be. After a
/// real import it is the id.
#[test]
fn a_duplicate_of_an_earlier_row_is_named_by_its_row_until_written() {
    let good =
        "First name,Last name,Email\nדנה,כהן,dana.he@example.org\nDana,Cohen,dana@example.org\n";
    let refused = format!("{good}Avi,Levi,not-an-email\n");
    for (csv, opts, written) in [
        (good, dry(), false),
        (refused.as_str(), ImportOptions::default(), false),
        (good, ImportOptions::default(), true),
    ] {
        for report in on_both_paths("he.csv", csv.as_bytes(), Entity::Person, &opts, &|_| {}) {
            assert_eq!(report.written, written);
            assert_eq!(report.duplicates.len(), 1, "{:#?}", report.duplicates);
            let hint = &report.duplicates[0];
            assert_eq!((hint.row, hint.matches.len()), (row(2), 1), "{hint:#?}");
            assert_eq!(hint.matches[0].1, "דנה כהן");
            if written {
                assert!(hint.person_id.is_some());
                assert_ne!(hint.matches[0].0, "row 1");
            } else {
                assert_eq!(hint.person_id, None);
                assert_eq!(hint.matches[0].0, "row 1", "{hint:#?}");
            }
        }
    }
}

// ---------------------------------------------------------------- people found by e-mail or ORCID

const DANA_ORCID: &str = "0000-0002-1825-0097";
const YAEL_ORCID: &str = "0000-0003-1547-2185";

/// The desk's cohort, Dana Cohen (both scripts) and Yael Levi, each with an e-mail and
/// an ORCID iD.
fn two_people(db: &mut Db) {
    desk(db);
    add(
        db,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה",
               "family_name_he": "כהן", "email": "dana.cohen@example.ac.il",
               "orcid": DANA_ORCID, "phone": "+972 50 000 0000", "birth_date": "1994-03-12"}),
    );
    add(
        db,
        Entity::Person,
        json!({"given_name": "Yael", "family_name": "Levi", "email": "yael.levi@example.ac.il",
               "orcid": YAEL_ORCID}),
    );
}

/// Two rows that find the same person (by ORCID and by e-mail, even when the first row
/// moves the person's e-mail away) would both update them, the later one silently
/// undoing the earlier: the later row's problem names the earlier row and the person,
/// on a dry run and for real, and nothing is written.
#[test]
fn two_rows_finding_one_person_are_a_problem_of_the_later_row() {
    let same_person = "given_name,family_name,email,orcid,phone\n\
        Dana,Cohen,dana.new@example.org,0000-0002-1825-0097,+972 50 111 1111\n\
        Dana,Cohen,dana.cohen@example.ac.il,,+972 50 222 2222\n";
    // Row 2 meant a new person with the e-mail row 1 takes from Dana.
    let email_move = "given_name,family_name,email,orcid\n\
        Dana,Cohen,dana.new@example.org,0000-0002-1825-0097\n\
        New,Person,dana.cohen@example.ac.il,\n";
    let orcid_second = "given_name,family_name,email,orcid\n\
        Dana,Cohen,Dana.Cohen@example.ac.il,\n\
        Dana,Cohen,,0000-0002-1825-0097\n";
    let by_email = "row 1 (file row 2) already updates Dana Cohen · דנה כהן (matched by \
                    0000-0002-1825-0097); this row matches the same person by e-mail \
                    (dana.cohen@example.ac.il): merge the two rows, or correct the e-mail";
    let by_orcid = "row 1 (file row 2) already updates Dana Cohen · דנה כהן (matched by \
                    dana.cohen@example.ac.il); this row matches the same person by ORCID iD \
                    (0000-0002-1825-0097): merge the two rows, or correct the ORCID iD";
    for (csv, field, message) in [
        (same_person, "email", by_email),
        (email_move, "email", by_email),
        (orcid_second, "orcid", by_orcid),
    ] {
        for opts in [dry(), ImportOptions::default()] {
            for report in on_both_paths(
                "same.csv",
                csv.as_bytes(),
                Entity::Person,
                &opts,
                &two_people,
            ) {
                assert!(!report.written, "{csv}");
                assert_eq!(report.problems.len(), 1, "{csv}: {:#?}", report.problems);
                let p = &report.problems[0];
                assert_eq!(
                    (p.row, p.file_row, p.field.as_str(), p.column.as_deref()),
                    (Some(row(2)), Some(3), field, Some(field)),
                    "{p}"
                );
                assert_eq!(p.message, message);
                assert_eq!(p.code, format!("import.same_person_{field}"));
                // Only a dry run says what the rows would do: row 1 alone.
                let counted = if opts.dry_run { (0, 1) } else { (0, 0) };
                let found = report.updated + report.unchanged;
                assert_eq!((report.added, found), counted, "{report:#?}");
            }
        }
    }
}

/// A row whose e-mail is one person's and whose ORCID iD another's says so, rather than
/// that the ORCID iD is taken.
#[test]
fn a_row_matching_two_people_names_both() {
    let csv = "given_name,family_name,email,orcid\n\
               Dana,Cohen,yael.levi@example.ac.il,0000-0002-1825-0097\n\
               Yael,Levi,dana.cohen@example.ac.il,0000-0003-1547-2185\n";
    for opts in [dry(), ImportOptions::default()] {
        for report in on_both_paths(
            "swap.csv",
            csv.as_bytes(),
            Entity::Person,
            &opts,
            &two_people,
        ) {
            assert!(!report.written);
            let found: Vec<(Option<u64>, &str, &str)> = report
                .problems
                .iter()
                .map(|p| (p.row, p.field.as_str(), p.message.as_str()))
                .collect();
            assert_eq!(
                found,
                [
                    (
                        Some(row(1)),
                        "orcid",
                        "the row matches two different people: the e-mail \
                         yael.levi@example.ac.il belongs to Yael Levi, but the ORCID iD \
                         0000-0002-1825-0097 to Dana Cohen · דנה כהן"
                    ),
                    (
                        Some(row(2)),
                        "orcid",
                        "the row matches two different people: the e-mail \
                         dana.cohen@example.ac.il belongs to Dana Cohen · דנה כהן, but the \
                         ORCID iD 0000-0003-1547-2185 to Yael Levi"
                    ),
                ]
            );
            assert_eq!((report.added, report.updated), (0, 0));
        }
    }
}

/// An update names the person as stored (id, names, the fields the row changes), and a
/// row whose name is nothing like theirs in either script is a warning: the ORCID iD or
/// e-mail may be someone else's.
#[test]
fn an_update_names_the_person_as_stored_and_warns_when_the_names_differ() {
    let csv = "given_name,family_name,orcid,phone\n\
               A,One,0000 0003 1547 2185,\n\
               Dana,Cohen,0000-0002-1825-0097,+972 50 999 9999\n";
    let warning = "row 1 (file row 2: A One) matches Yael Levi by ORCID iD 0000-0003-1547-2185: \
                   their name would change; check the ORCID iD";
    for opts in [dry(), ImportOptions::default()] {
        for report in on_both_paths(
            "orcid.csv",
            csv.as_bytes(),
            Entity::Person,
            &opts,
            &two_people,
        ) {
            assert!(report.problems.is_empty(), "{:#?}", report.problems);
            assert_eq!(report.written, !opts.dry_run);
            assert_eq!((report.added, report.updated), (0, 2));
            assert_eq!(report.warnings, [warning]);
            assert_eq!(report.warning_messages[0].code, "import.renames_by_orcid");
            let listed: Vec<(&str, &str, Vec<&str>)> = report
                .changes
                .iter()
                .map(|c| {
                    let p = c.person.as_ref().expect("the person updated");
                    assert!(!p.id.is_empty());
                    let fields = p.fields.iter().map(String::as_str).collect();
                    (c.name.as_str(), p.name.as_str(), fields)
                })
                .collect();
            assert_eq!(
                listed,
                [
                    ("A One", "Yael Levi", vec!["given_name", "family_name"]),
                    ("Dana Cohen", "Dana Cohen · דנה כהן", vec!["phone"]),
                ]
            );
        }
    }
    // The id is the person's own; the same name in the other script is no warning.
    let (_d, mut db) = temp_db();
    two_people(&mut db);
    let yael = id(&by_email(&db, "yael.levi@example.ac.il"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("he.csv");
    std::fs::write(
        &path,
        "First name,Last name,Email\nיעל,לוי,yael.levi@example.ac.il\n",
    )
    .unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &dry()).unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    // Nor is a family name lengthened with the given name kept (a marriage, a hyphen).
    let renamed = dir.path().join("renamed.csv");
    std::fs::write(
        &renamed,
        "given_name,family_name,email\nYael,Levi-Katz,yael.levi@example.ac.il\n",
    )
    .unwrap();
    let kept = import_path(&mut db, Entity::Person, &renamed, &dry()).unwrap();
    assert!(kept.warnings.is_empty(), "{:#?}", kept.warnings);
    assert_eq!(kept.updated, 1);
    let p = report.changes[0].person.as_ref().unwrap();
    assert_eq!(
        (p.id.as_str(), p.name.as_str()),
        (yael.as_str(), "Yael Levi")
    );
    assert_eq!(p.fields, ["given_name_he", "family_name_he"]);
}

/// A placement file's person columns change the person its row finds by e-mail: that is
/// an update of the person, counted apart from the placements and listed with the
/// person's stored name and the fields changed; a new name is warned about as in a
/// person file. A row that only names the person changes no one.
#[test]
fn a_placement_row_changing_its_person_is_reported_as_a_person_update() {
    let fields = "email,cohort,phone,birth_date,notes\n\
                  dana.cohen@example.ac.il,Fall 2027,+1 555 0000,2001-01-01,placement note\n";
    let rename = "given_name,family_name,email,cohort\n\
                  Danielle,Cohen-Katz,dana.cohen@example.ac.il,Fall 2027\n";
    let same =
        "given_name,family_name,email,cohort\nDana,Cohen,dana.cohen@example.ac.il,Fall 2027\n";
    let warning = "row 1 (file row 2: Danielle Cohen-Katz) matches Dana Cohen · דנה כהן by \
                   e-mail dana.cohen@example.ac.il: their name would change; check the e-mail";
    for (csv, changed, warnings) in [
        (fields, vec!["birth_date", "phone"], vec![]),
        (rename, vec!["family_name", "given_name"], vec![warning]),
        (same, vec![], vec![]),
    ] {
        for opts in [dry(), ImportOptions::default()] {
            for report in on_both_paths(
                "pl.csv",
                csv.as_bytes(),
                Entity::Placement,
                &opts,
                &two_people,
            ) {
                assert!(report.problems.is_empty(), "{:#?}", report.problems);
                assert_eq!(report.warnings, warnings, "{csv}");
                let people = u32::from(!changed.is_empty());
                assert_eq!(
                    (report.added, report.updated, report.people_updated),
                    (1, 0, people),
                    "{csv}"
                );
                let c = &report.changes[0];
                match &c.person {
                    Some(p) => {
                        assert_eq!(p.name, "Dana Cohen · דנה כהן");
                        let mut fields = p.fields.clone();
                        fields.sort();
                        assert_eq!(fields, changed, "{csv}");
                    }
                    None => assert!(changed.is_empty(), "{csv}: {c:#?}"),
                }
            }
        }
    }
    // For real: the person changed as listed, and the same file again changes nothing.
    let (_d, mut db) = temp_db();
    two_people(&mut db);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pl.csv");
    std::fs::write(&path, fields).unwrap();
    let report = import_path(&mut db, Entity::Placement, &path, &ImportOptions::default()).unwrap();
    assert_eq!((report.written, report.people_updated), (true, 1));
    let dana = by_email(&db, "dana.cohen@example.ac.il");
    assert_eq!(
        (s(&dana, "phone"), s(&dana, "birth_date")),
        ("+1 555 0000", "2001-01-01")
    );
    assert_eq!(report.changes[0].person.as_ref().unwrap().id, id(&dana));
    let again = import_path(&mut db, Entity::Placement, &path, &ImportOptions::default()).unwrap();
    assert_eq!(
        (again.added, again.unchanged, again.people_updated),
        (0, 1, 0)
    );
    assert!(again.changes[0].person.is_none());
}

/// Each column comes with up to two different values from the file's first rows, for the
/// one who maps the columns to see what each holds (blank cells and repeats passed over).
#[test]
fn each_column_comes_with_sample_values() {
    let (_d, mut db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(
        &path,
        "First name,Last name,Shoe size\nDana,Cohen,\nDana,Levi,38\nNoa,Katz,41\nAvi,Peretz,44\n",
    )
    .unwrap();
    let report = import_path(&mut db, Entity::Person, &path, &dry()).unwrap();
    let samples: Vec<(&str, Vec<&str>)> = report
        .columns
        .iter()
        .map(|c| {
            (
                c.header.as_str(),
                c.samples.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        samples,
        [
            ("First name", vec!["Dana", "Noa"]),
            ("Last name", vec!["Cohen", "Levi"]),
            ("Shoe size", vec!["38", "41"]),
        ]
    );
}
