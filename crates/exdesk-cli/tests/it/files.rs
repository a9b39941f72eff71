//! The "Files" commands of spec/cli.md through the real binary: `import` of the corpus of
//! awkward partner files in tests/files/ (see its README.md), `export roster` (CSV, XLSX
//! read back by openpyxl, JSON), `export calendar` (checked against RFC 5545 here),
//! `export log` and `template`.
//!
//! Row numbers: an error names the 1-based *data* row of the file (the header row is not
//! counted). [`row`] is the one place that says so.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::harness::*;

// ---------------------------------------------------------------- helpers

/// A file of the corpus, as an argument.
fn corpus(name: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/files")
        .join(name);
    path.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// How an error names the n-th data row of a file (see the module docs).
fn row(n: u64) -> String {
    format!("row {n}")
}

fn s<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or("")
}

/// The lines of stderr that report a problem.
fn error_lines(out: &Out) -> Vec<String> {
    out.stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_owned)
        .collect()
}

/// `exdesk import ENTITY FILE --json ...` that must succeed; returns the report.
#[track_caller]
fn import_json(env: &Env, entity: &str, file: &str, extra: &[&str]) -> Value {
    let mut args = vec!["import", entity, file, "--json"];
    args.extend_from_slice(extra);
    let report = env.ok_json(&args);
    assert_eq!(report["problems"], json!([]), "{report:#}");
    report
}

#[track_caller]
fn person_by_email(env: &Env, email: &str) -> Value {
    let found: Vec<Value> = env
        .list("person", &[])
        .into_iter()
        .filter(|p| s(p, "email").eq_ignore_ascii_case(email))
        .collect();
    assert_eq!(found.len(), 1, "people with e-mail {email}: {found:#?}");
    found.into_iter().next().unwrap()
}

/// MIT (US), Technion (IL), a program and its cohort "Fall 2027" hosted by the Technion.
struct Desk {
    mit: String,
    technion: String,
    program: String,
    cohort: String,
}

fn desk(env: &Env) -> Desk {
    let mit = env.add_id(
        "institution",
        &json!({"name": "MIT", "country": "US", "ror": "042nb2s44"}),
    );
    let technion = env.add_id(
        "institution",
        &json!({"name": "Technion", "name_he": "הטכניון", "country": "IL"}),
    );
    let program = env.add_id(
        "program",
        &json!({"name": "Exchange", "kind": "academic_exchange", "tech_areas": ["ai"]}),
    );
    let cohort = env.add_id(
        "cohort",
        &json!({"program_id": program, "name": "Fall 2027", "start_date": "2027-09-01",
                "end_date": "2028-01-31", "host_institution_id": technion,
                "location": "Haifa, Israel; Technion City"}),
    );
    Desk {
        mit,
        technion,
        program,
        cohort,
    }
}

/// A placement file for a full cohort is refused naming the cohort; `--over-capacity`
/// adds past capacity, as `placement add --over-capacity` does.
#[test]
fn placement_imports_past_capacity_take_over_capacity() {
    let env = Env::new();
    let w = desk(&env);
    env.update("cohort", &w.cohort, &json!({"capacity": 1}));
    let path = env.path("full.csv");
    std::fs::write(
        &path,
        "given_name,family_name,email,cohort\n\
         Dana,Cohen,dana@example.org,Fall 2027\n\
         Noa,Katz,noa@example.org,Fall 2027\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let out = env.refuses(&["import", "placement", file], EXIT_INVALID, "cohort");
    out.stderr_mentions("Fall 2027");
    out.stderr_mentions("hint: give --over-capacity");
    assert!(
        env.list("placement", &[]).is_empty(),
        "a refused file adds nothing"
    );
    let report = import_json(&env, "placement", file, &["--over-capacity"]);
    assert_eq!(report["added"], 2, "{report:#}");
    assert_eq!(env.list("placement", &[]).len(), 2);
}

/// A warning repeated on many rows (the same name again and again) is shown 20 times,
/// then counted; `--json` keeps every one.
#[test]
fn a_warning_repeated_on_many_rows_is_counted_not_repeated() {
    let env = Env::new();
    let path = env.path("same-names.csv");
    let rows: String = (1..=30)
        .map(|i| format!("Dana,Cohen,dana{i}@example.org\n"))
        .collect();
    std::fs::write(&path, format!("given_name,family_name,email\n{rows}")).unwrap();
    let file = path.to_str().unwrap();
    let out = env.run(&["import", "person", file, "--dry-run"]);
    out.ok();
    let same: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("has the same name as"))
        .collect();
    assert_eq!(same.len(), 21, "{}", out.stderr);
    assert!(same[20].contains("and 9 more like"), "{}", same[20]);
    let report = env.ok_json(&["import", "person", file, "--dry-run", "--json"]);
    let listed = report["warnings"].as_array().unwrap();
    assert_eq!(
        listed
            .iter()
            .filter(|w| w.as_str().unwrap().contains("same name"))
            .count(),
        29
    );
}

/// A dry run of a file with a bad row tells what the other rows would do, then the
/// problems (on stderr), and exits 3 having written nothing.
#[test]
fn a_dry_run_with_problems_still_tells_what_the_other_rows_would_do() {
    let env = Env::new();
    let path = env.path("some-bad.csv");
    std::fs::write(
        &path,
        "given_name,family_name,email\nGood,Person,good@x.org\nBad,Email,not-an-email\n\
         Good,Person,good2@x.org\n",
    )
    .unwrap();
    let out = env.run(&["import", "person", path.to_str().unwrap(), "--dry-run"]);
    out.code(3);
    assert_eq!(out.stdout, "", "a failed command prints nothing on stdout");
    let lines: Vec<&str> = out.stderr.lines().collect();
    for line in [
        "row 1 (file row 2): would add Good Person",
        "row 3 (file row 4): would add Good Person",
        "the rows without a problem: would add 2, would update 0, unchanged 0 (3 rows, csv \
         (UTF-8, ','))",
    ] {
        assert!(lines.contains(&line), "{line:?} not in:\n{}", out.stderr);
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("probable duplicate: row 3 (file row 4) Good Person")),
        "{}",
        out.stderr
    );
    let problem = lines
        .iter()
        .position(|l| l.contains("column \"email\""))
        .unwrap();
    let summary = lines
        .iter()
        .position(|l| l.starts_with("the rows without"))
        .unwrap();
    assert!(summary < problem, "the problems come last:\n{}", out.stderr);
    assert!(env.list("person", &[]).is_empty());
}

/// One person placed in two cohorts by one placement file (a summer school and its
/// follow-up): a row in each cohort is two placements; two rows in one cohort, or rows
/// that disagree on the person, are still refused.
#[test]
fn a_placement_file_places_one_person_in_two_cohorts() {
    let env = Env::new();
    let w = desk(&env);
    env.add_id(
        "cohort",
        &json!({"program_id": w.program, "name": "Spring 2028", "host_institution_id": w.mit}),
    );
    env.add_id(
        "person",
        &json!({"given_name": "Yael", "family_name": "Levi", "email": "yael@example.org"}),
    );
    let path = env.path("two-cohorts.csv");
    let file = path.to_str().unwrap();
    let write = |rows: &str| {
        std::fs::write(&path, format!("email,phone,cohort\n{rows}")).unwrap();
    };
    // Someone known and someone new, each with a row in both cohorts.
    std::fs::write(
        &path,
        "email,given_name,family_name,phone,cohort\n\
         yael@example.org,Yael,Levi,+972 50 111 1111,Fall 2027\n\
         new@example.org,Noa,Katz,,Fall 2027\n\
         yael@example.org,Yael,Levi,+972 50 111 1111,Spring 2028\n\
         new@example.org,Noa,Katz,,Spring 2028\n",
    )
    .unwrap();
    let report = import_json(&env, "placement", file, &[]);
    assert_eq!(report["added"], 4, "{report:#}");
    assert_eq!(env.list("placement", &[]).len(), 4);
    assert_eq!(env.list("person", &[]).len(), 2, "no second Yael or Noa");
    // The same cohort twice, or two cohorts that disagree on the phone: refused.
    for rows in [
        "yael@example.org,+972 50 222 2222,Fall 2027\nyael@example.org,+972 50 222 2222,Fall 2027\n",
        "yael@example.org,+972 50 333 3333,Fall 2027\nyael@example.org,+972 50 444 4444,Spring 2028\n",
    ] {
        write(rows);
        let out = env.refuses(
            &["import", "placement", file, "--dry-run"],
            EXIT_INVALID,
            "row 1",
        );
        out.stderr_mentions("row 2");
    }
}

/// The desk with four people of fixed names placed in Fall 2027: both scripts, a
/// formula-looking name, private fields to redact, notes with a newline.
fn roster_desk(env: &Env) -> Desk {
    let w = desk(env);
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה",
                "family_name_he": "כהן", "email": "dana.cohen@example.org", "phone": "+972 50 555 0101",
                "birth_date": "1990-04-03", "citizenships": ["IL", "US"], "home_institution_id": w.technion}),
    );
    let avery = env.add_id(
        "person",
        &json!({"given_name": "Avery", "family_name": "Aldridge", "email": "avery@example.edu",
                "home_institution_id": w.mit}),
    );
    let formula = env.add_id(
        "person",
        &json!({"given_name": "@handle", "family_name": "=SUM(A1)", "home_institution_id": w.mit}),
    );
    let noa = env.add_id(
        "person",
        &json!({"given_name_he": "נועה", "family_name_he": "לוי", "home_institution_id": w.technion}),
    );
    for mut p in [
        json!({"person_id": dana, "status": "accepted", "host_institution_id": w.mit,
               "screening": "cleared", "visa_type": "J-1", "visa_expires": "2027-12-01",
               "notes": "Arrives late\nneeds housing"}),
        json!({"person_id": avery, "role": "mentor", "status": "confirmed",
               "start_date": "2027-09-15", "end_date": "2027-12-20"}),
        json!({"person_id": formula}),
        json!({"person_id": noa, "role": "staff", "status": "nominated", "host_institution_id": w.mit}),
    ] {
        p["cohort_id"] = json!(w.cohort);
        env.add("placement", &p);
    }
    w
}

/// `exdesk export roster "Fall 2027" -o NAME EXTRA...` (must succeed); the file's bytes.
#[track_caller]
fn export_roster(env: &Env, name: &str, extra: &[&str]) -> Vec<u8> {
    let path = env.path(name);
    let mut args = vec![
        "export",
        "roster",
        "Fall 2027",
        "-o",
        path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    env.run(&args).ok();
    std::fs::read(&path).unwrap()
}

/// A python3 with openpyxl (Debian: python3-openpyxl).
fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run /usr/bin/python3");
    assert!(
        out.status.success(),
        "python3 failed (is python3-openpyxl installed?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every cell of the first sheet as openpyxl reads it, with the sheet's settings.
const READ_XLSX: &str = r#"
import sys, json, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
def cell(c):
    v = c.value
    is_date = isinstance(v, (datetime.date, datetime.datetime))
    return {"type": c.data_type, "date": is_date, "quote": bool(c.quotePrefix),
            "value": v.date().isoformat() if isinstance(v, datetime.datetime) else v}
print(json.dumps({
    "sheet": ws.title,
    "freeze": ws.freeze_panes,
    "autofilter": ws.auto_filter.ref,
    "bold": [bool(c.font.b) for c in ws[1]],
    "rtl": bool(ws.sheet_view.rightToLeft),
    "rows": [[cell(c) for c in r] for r in ws.iter_rows()],
}, ensure_ascii=False))
"#;

fn read_xlsx(path: &Path) -> Value {
    serde_json::from_str(&python(READ_XLSX, &[path])).unwrap()
}

/// A one-sheet workbook of text, number and date cells (rust_xlsxwriter).
enum X<'a> {
    T(&'a str),
    N(f64),
    D(u16, u8, u8),
}

fn write_xlsx(path: &Path, rows: &[Vec<X>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("d/m/yyyy");
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
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
    wb.save(path).unwrap();
}

// ---------------------------------------------------------------- the corpus goes in

#[test]
fn every_readable_file_of_the_corpus_imports() {
    for (file, added) in [
        ("utf8_bom_comma.csv", 3),
        ("utf8_semicolon.csv", 2),
        ("utf16le_tabs.txt", 3),
        ("cp1255_hebrew_ascii_quote.csv", 2),
        ("cp1255_hebrew_gershayim.csv", 2),
        ("quoted_newlines.csv", 2),
        ("mixed_case_headers.csv", 2),
        ("unknown_columns.csv", 2),
        ("blank_rows_and_columns.csv", 2),
        ("dates_day_first.csv", 2),
        ("dates_us.csv", 3),
        ("dates_iso.csv", 2),
        ("full_names.csv", 3),
        ("csv_named.xlsx", 1),
    ] {
        let env = Env::new();
        let report = import_json(&env, "person", &corpus(file), &[]);
        assert_eq!(report["added"], added, "{file}: {report:#}");
        assert_eq!(report["written"], true, "{file}");
        assert_eq!(env.list("person", &[]).len(), added, "{file}");
        // The readable form says the same.
        let again = Env::new();
        let out = again.run(&["import", "person", &corpus(file)]);
        out.ok();
        assert!(
            out.stdout.contains(&format!("added {added},")),
            "{file}: {}",
            out.stdout
        );
    }
}

#[test]
fn hebrew_files_from_legacy_excel_land_in_the_hebrew_fields() {
    for file in [
        "cp1255_hebrew_ascii_quote.csv",
        "cp1255_hebrew_gershayim.csv",
    ] {
        let env = Env::new();
        let report = import_json(&env, "person", &corpus(file), &[]);
        assert_eq!(report["warnings"], json!([]), "{file}");
        let michal = person_by_email(&env, "michal.levi@example.ac.il");
        assert_eq!(s(&michal, "given_name_he"), "מיכל", "{file}");
        assert_eq!(s(&michal, "family_name_he"), "לוי", "{file}");
        assert_eq!(s(&michal, "given_name"), "", "{file}");
    }
}

#[test]
fn unknown_columns_are_named_in_a_warning() {
    let env = Env::new();
    let out = env.run(&["import", "person", &corpus("unknown_columns.csv")]);
    out.ok();
    for header in ["Favourite colour", "Shoe size"] {
        assert!(
            out.stderr
                .lines()
                .any(|l| l.starts_with("warning:") && l.contains(header)),
            "no warning names {header:?}:\n{}",
            out.stderr
        );
    }
}

/// A workbook with a sheet of people per side: the first is read, the other is named in
/// a warning with its rows (never left out without a word) and `--sheet` reads it.
#[test]
fn another_sheet_of_people_is_named_and_read_with_sheet() {
    let env = Env::new();
    let path = env.path("two_sides.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (sheet, people) in [
        ("US participants", &[("Us", "us1@example.org")][..]),
        (
            "IL participants",
            &[("Il", "il1@example.org"), ("Ila", "il2@example.org")][..],
        ),
    ] {
        let ws = wb.add_worksheet().set_name(sheet).unwrap();
        for (c, h) in ["given_name", "family_name", "email"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, (given, email)) in people.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, *given).unwrap();
            ws.write_string(r, 1, "Person").unwrap();
            ws.write_string(r, 2, *email).unwrap();
        }
    }
    wb.save(&path).unwrap();
    let file = path.to_str().unwrap();
    let out = env.run(&["import", "person", file]);
    out.ok();
    assert!(
        out.stderr.lines().any(|l| l
            == "warning: the sheet \"IL participants\" also has person columns (2 row(s)) \
                and was not read: import it separately (--sheet \"IL participants\")"),
        "{}",
        out.stderr
    );
    person_by_email(&env, "us1@example.org");
    let report = import_json(&env, "person", file, &["--sheet", "IL participants"]);
    assert_eq!(report["added"], json!(2), "{report:#}");
    person_by_email(&env, "il2@example.org");
    // A sheet the workbook does not have: the refusal lists those it has.
    let out = env.run(&["import", "person", file, "--sheet", "UK participants"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    out.stderr_mentions("\"US participants\", \"IL participants\"");
}

#[test]
fn a_header_without_rows_adds_nothing_and_succeeds() {
    let env = Env::new();
    desk(&env);
    let out = env.unchanged(|| env.run(&["import", "person", &corpus("header_only.csv")]));
    out.ok();
    assert!(out.stdout.contains("added 0,"), "{}", out.stdout);
}

#[test]
fn an_empty_file_is_refused_with_a_clear_message() {
    let env = Env::new();
    desk(&env);
    let out = env.refuses(
        &["import", "person", &corpus("empty.csv")],
        EXIT_INVALID,
        "empty",
    );
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
}

#[test]
fn broken_quoting_is_refused_naming_the_line() {
    for file in ["broken_quoting.csv", "broken_quoting_in_notes.csv"] {
        let env = Env::new();
        desk(&env);
        let out = env.refuses(&["import", "person", &corpus(file)], EXIT_INVALID, "line 3");
        out.stderr_mentions("quot");
        assert!(env.list("person", &[]).is_empty(), "{file}");
    }
}

#[test]
fn a_file_that_is_not_a_table_is_refused() {
    let env = Env::new();
    let bin = env.path("binary.csv");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    env.refuses(
        &["import", "person", bin.to_str().unwrap()],
        EXIT_INVALID,
        "file",
    );
    env.refuses(
        &[
            "import",
            "person",
            env.path("missing.csv").to_str().unwrap(),
        ],
        EXIT_INVALID,
        "missing.csv",
    );
    env.refuses(
        &["import", "program", &corpus("utf8_bom_comma.csv")],
        EXIT_INVALID,
        "program field",
    );
}

// ---------------------------------------------------------------- dates

#[test]
fn ambiguous_dates_exit_3_asking_for_the_date_order() {
    let env = Env::new();
    desk(&env);
    let file = corpus("dates_ambiguous.csv");
    let out = env.refuses(&["import", "person", &file], EXIT_INVALID, "--date-order");
    out.stderr_mentions("03/04/1990");
    // Like every problem of a file, it names the row (as data row and as the spreadsheet's
    // row) and the column; the row in the sentence is the same data row.
    out.stderr_mentions("row 1 (file row 2), column \"birth_date\"");
    out.stderr_mentions("(row 1)");
    let mixed = env.path("mixed_orders.csv");
    std::fs::write(
        &mixed,
        "given_name,family_name,birth_date\nDana,Cohen,25/12/1990\nNoa,Katz,12/25/1991\n",
    )
    .unwrap();
    let out = env.refuses(
        &["import", "person", mixed.to_str().unwrap()],
        EXIT_INVALID,
        "date order",
    );
    out.stderr_mentions("row 2 (file row 3), column \"birth_date\"");
    out.stderr_mentions("\"25/12/1990\" (row 1)");
    // With --json, a refused file still prints its report (JSON only): the dates' rows
    // are not counted (Tamar's 07/07/1992 reads the same either way: a dry run would add
    // her), a file refused as a whole counts nothing.
    for (path, field, added) in [
        (file.as_str(), "date_order", 1),
        (&corpus("empty.csv"), "file", 0),
    ] {
        let out = env.run(&["import", "person", path, "--json", "--dry-run"]);
        out.code(EXIT_INVALID);
        let report = out.json();
        assert_eq!(report["written"], false);
        assert_eq!(report["added"], added, "{report:#}");
        assert_eq!(report["problems"][0]["field"], field, "{report:#}");
        out.names(field);
    }
    env.refuses(
        &["import", "person", &file, "--date-order", "dm"],
        EXIT_USAGE,
        "--date-order",
    );
    // Year-first order does not settle day/month values: still refused, not guessed.
    let out = env.refuses(
        &["import", "person", &file, "--date-order", "ymd"],
        EXIT_INVALID,
        "--date-order",
    );
    out.stderr_mentions("03/04/1990");
    let report = import_json(&env, "person", &file, &["--date-order", "dmy"]);
    assert_eq!(report["date_order"], "dmy");
    let people = env.list("person", &[]);
    let dana = people
        .iter()
        .find(|p| s(p, "given_name") == "Dana")
        .unwrap();
    assert_eq!(s(dana, "birth_date"), "1990-04-03");
}

#[test]
fn dates_settled_by_the_file_and_us_and_iso_files() {
    for (file, given, date, order) in [
        ("dates_day_first.csv", "Dana", "1990-04-03", json!("dmy")),
        ("dates_us.csv", "Avery", "1990-03-04", json!("mdy")),
        ("dates_us.csv", "Casey", "1976-07-04", json!("mdy")),
        ("dates_iso.csv", "Dana", "1990-04-03", Value::Null),
    ] {
        let env = Env::new();
        let report = import_json(&env, "person", &corpus(file), &[]);
        assert_eq!(report["date_order"], order, "{file}");
        let people = env.list("person", &[]);
        let p = people.iter().find(|p| s(p, "given_name") == given).unwrap();
        assert_eq!(s(p, "birth_date"), date, "{file} {given}");
    }
}

// ---------------------------------------------------------------- all or nothing

#[test]
fn an_invalid_email_in_row_7_of_10_writes_nothing() {
    let env = Env::new();
    desk(&env);
    env.add(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    );
    let file = corpus("invalid_email_row7.csv");
    let out = env.refuses(&["import", "person", &file], EXIT_INVALID, &row(7));
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(errors[0].contains("\"E-mail Address\""), "{}", errors[0]);
    assert!(
        errors[0].contains("hila.harel(at)example.org"),
        "{}",
        errors[0]
    );
    out.stderr_mentions("nothing was imported");
    // With --json: the report on stdout, the problems in it, still nothing written.
    let out = env.unchanged(|| env.run(&["import", "person", &file, "--json"]));
    out.code(EXIT_INVALID);
    let report = out.json();
    assert_eq!(report["written"], false);
    assert_eq!(report["rows"], 10);
    assert_eq!(report["problems"][0]["column"], "E-mail Address");
    assert_eq!(
        format!("row {}", report["problems"][0]["row"]),
        row(7),
        "{report:#}"
    );
}

#[test]
fn the_error_list_as_the_user_sees_it() {
    let env = Env::new();
    desk(&env);
    let file = corpus("many_problems.csv");
    let out = env.refuses(&["import", "person", &file], EXIT_INVALID, "problem");
    insta::assert_snapshot!(
        "many_problems_stderr",
        out.stderr.replace(&file, "[tests/files/many_problems.csv]")
    );
}

#[test]
fn a_dry_run_writes_nothing_and_reports_the_same_problems() {
    for file in [
        "invalid_email_row7.csv",
        "many_problems.csv",
        "same_email_twice.csv",
    ] {
        let env = Env::new();
        desk(&env);
        let path = corpus(file);
        let dry = env.unchanged(|| env.run(&["import", "person", &path, "--dry-run"]));
        let real = env.unchanged(|| env.run(&["import", "person", &path]));
        dry.code(EXIT_INVALID);
        real.code(EXIT_INVALID);
        assert!(!error_lines(&real).is_empty());
        assert_eq!(error_lines(&dry), error_lines(&real), "{file}");
    }
}

#[test]
fn a_dry_run_says_what_would_be_added_and_updated() {
    let env = Env::new();
    desk(&env);
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    );
    let file = corpus("utf8_bom_comma.csv");
    let out = env.unchanged(|| env.run(&["import", "person", &file, "--dry-run"]));
    out.ok();
    assert!(
        out.stdout.contains("would add 2") && out.stdout.contains("would update 1"),
        "{}",
        out.stdout
    );
    // Row by row: which records it would add and which it would update.
    for line in [
        "row 1 (file row 2): would update Dana Cohen",
        "row 2 (file row 3): would add נועה לוי",
        "row 3 (file row 4): would add José Núñez",
    ] {
        assert!(out.stdout.contains(line), "{line:?} in:\n{}", out.stdout);
    }
    let report = env.unchanged(|| env.run(&["import", "person", &file, "--dry-run", "--json"]));
    let report = report.json();
    assert_eq!(
        (
            &report["dry_run"],
            &report["written"],
            &report["added"],
            &report["updated"]
        ),
        (&json!(true), &json!(false), &json!(2), &json!(1))
    );
    assert_eq!(
        report["changes"],
        json!([
            {"row": 1, "file_row": 2, "action": "update", "name": "Dana Cohen",
             "person": {"id": dana, "name": "Dana Cohen", "fields": ["notes"]}},
            {"row": 2, "file_row": 3, "action": "add", "name": "נועה לוי", "person": null},
            {"row": 3, "file_row": 4, "action": "add", "name": "José Núñez", "person": null},
        ])
    );
    let real = import_json(&env, "person", &file, &[]);
    assert_eq!((&real["added"], &real["updated"]), (&json!(2), &json!(1)));
    assert_eq!(env.list("person", &[]).len(), 3);
}

// ---------------------------------------------------------------- people and duplicates

#[test]
fn a_known_email_updates_that_person() {
    let env = Env::new();
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    );
    let report = import_json(&env, "person", &corpus("existing_email.csv"), &[]);
    assert_eq!(
        (&report["added"], &report["updated"]),
        (&json!(0), &json!(1))
    );
    let people = env.list("person", &[]);
    assert_eq!(ids(&people), [dana], "no second person");
    assert_eq!(s(&people[0], "phone"), "+972 50 555 0101");
    assert!(s(&people[0], "email").eq_ignore_ascii_case("dana.cohen@example.org"));
}

#[test]
fn the_same_email_twice_in_a_file_names_both_rows() {
    let env = Env::new();
    let out = env.refuses(
        &["import", "person", &corpus("same_email_twice.csv")],
        EXIT_INVALID,
        "email",
    );
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].contains(&row(3)) && errors[0].contains(&row(1)),
        "the error names rows 1 and 3 of the file: {}",
        errors[0]
    );
}

#[test]
fn a_hebrew_name_matching_a_latin_person_is_added_and_reported_as_a_duplicate() {
    let env = Env::new();
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen"}),
    );
    let report = import_json(&env, "person", &corpus("cross_script.csv"), &[]);
    assert_eq!(report["added"], 1);
    let people = env.list("person", &[]);
    assert_eq!(people.len(), 2);
    let added = people.iter().find(|p| id_of(p) != dana).unwrap();
    assert_eq!(
        (s(added, "given_name_he"), s(added, "family_name_he")),
        ("דנה", "כהן")
    );
    let dups = report["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{report:#}");
    assert_eq!(format!("row {}", dups[0]["row"]), row(1));
    assert_eq!(dups[0]["person_id"], id_of(added));
    assert_eq!(dups[0]["matches"][0][0], dana);
    // The readable form points at both.
    let env = Env::new();
    env.add(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen"}),
    );
    let out = env.run(&["import", "person", &corpus("cross_script.csv")]);
    out.ok();
    assert!(
        out.stdout.contains("probable duplicate")
            && out.stdout.contains("דנה כהן")
            && out.stdout.contains("Dana Cohen"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------- other entities, mapping

#[test]
fn institutions_import() {
    let env = Env::new();
    let report = import_json(&env, "institution", &corpus("institutions.csv"), &[]);
    assert_eq!(report["added"], 3);
    let names: BTreeSet<String> = env
        .list("institution", &[])
        .iter()
        .map(|i| s(i, "name").to_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(
            [
                "Sandia National Laboratories",
                "Technion",
                "Weizmann Institute of Science"
            ]
            .map(String::from)
        )
    );
}

#[test]
fn placements_import_with_cohort_status_and_person_by_name_or_email() {
    let env = Env::new();
    let w = desk(&env);
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org",
                "home_institution_id": w.mit}),
    );
    let report = import_json(&env, "placement", &corpus("placements.csv"), &[]);
    assert_eq!(report["added"], 2, "{report:#}");
    let placements = env.list("placement", &[]);
    assert_eq!(placements.len(), 2);
    assert!(placements.iter().all(|p| s(p, "cohort_id") == w.cohort));
    let of_dana = placements
        .iter()
        .find(|p| s(p, "person_id") == dana)
        .unwrap();
    assert_eq!(s(of_dana, "status"), "accepted");
    let tamar = person_by_email(&env, "new.person@example.org");
    assert_eq!(s(&tamar, "family_name"), "Peretz");
    let of_tamar = placements
        .iter()
        .find(|p| s(p, "person_id") == id_of(&tamar))
        .unwrap();
    assert_eq!(
        (
            s(of_tamar, "status"),
            s(of_tamar, "role"),
            s(of_tamar, "direction")
        ),
        ("nominated", "mentor", "IL->US")
    );
}

/// A Hebrew partner file writes statuses, roles and screening as words, in either gender
/// and with the slash forms (`התקבל/ה`, `משתתפת`, `מנטור/ית`, `בוטלה`).
#[test]
fn placements_import_with_hebrew_labels_in_either_gender() {
    let env = Env::new();
    let w = desk(&env);
    let report = import_json(
        &env,
        "placement",
        &corpus("placements_hebrew_labels.csv"),
        &[],
    );
    assert_eq!(report["added"], 4, "{report:#}");
    let got: BTreeSet<(String, String, String)> = env
        .list("placement", &[])
        .iter()
        .map(|p| {
            assert_eq!(s(p, "cohort_id"), w.cohort);
            let person = env.get("person", s(p, "person_id"));
            (
                s(&person, "email").to_owned(),
                format!("{} {}", s(p, "role"), s(p, "status")),
                s(p, "screening").to_owned(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        ("dana.he@example.org", "participant accepted", "cleared"),
        ("yossi.he@example.org", "mentor nominated", "pending"),
        ("michal.he@example.org", "mentor withdrawn", "not_required"),
        ("noa.he@example.org", "staff active", "cleared"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_mapping_file_renames_and_ignores_columns() {
    let env = Env::new();
    let report = import_json(
        &env,
        "person",
        &corpus("mapping_german.csv"),
        &["--mapping", &corpus("mapping_german.json")],
    );
    assert_eq!(report["added"], 1);
    let j = person_by_email(&env, "juergen.m@example.de");
    assert_eq!(
        (s(&j, "given_name"), s(&j, "family_name")),
        ("Jürgen", "Müller")
    );
    assert_eq!(j["notes"], Value::Null, "Notes is mapped to ignore");
    // A mapping that is not JSON, or that names no field, is refused.
    let bad = env.path("bad.json");
    std::fs::write(&bad, "Vorname = given_name").unwrap();
    let file = corpus("mapping_german.csv");
    env.refuses(
        &[
            "import",
            "person",
            &file,
            "--mapping",
            bad.to_str().unwrap(),
        ],
        EXIT_INVALID,
        "--mapping",
    );
    std::fs::write(&bad, r#"{"Vorname": "first_name_of_dog"}"#).unwrap();
    env.refuses(
        &[
            "import",
            "person",
            &file,
            "--mapping",
            bad.to_str().unwrap(),
        ],
        EXIT_INVALID,
        "first_name_of_dog",
    );
}

#[test]
fn xlsx_with_date_cells_and_numbers_even_under_a_csv_name() {
    let env = Env::new();
    let path = env.path("from_partner.csv");
    write_xlsx(
        &path,
        &[
            vec![
                X::T("First name"),
                X::T("Last name"),
                X::T("Date of birth"),
                X::T("Phone"),
            ],
            vec![
                X::T("Dana"),
                X::T("Cohen"),
                X::D(1990, 4, 3),
                X::N(97241234567.0),
            ],
            vec![
                X::T("נועה"),
                X::T("לוי"),
                X::D(2000, 2, 29),
                X::N(35551234.0),
            ],
        ],
    );
    let report = import_json(&env, "person", path.to_str().unwrap(), &[]);
    assert_eq!(
        (&report["file_kind"], &report["added"]),
        (&json!("xlsx"), &json!(2))
    );
    let people = env.list("person", &[]);
    let dana = people
        .iter()
        .find(|p| s(p, "given_name") == "Dana")
        .unwrap();
    assert_eq!(
        (s(dana, "birth_date"), s(dana, "phone")),
        ("1990-04-03", "97241234567")
    );
    let noa = people
        .iter()
        .find(|p| s(p, "given_name_he") == "נועה")
        .unwrap();
    assert_eq!(
        (s(noa, "birth_date"), s(noa, "phone")),
        ("2000-02-29", "35551234")
    );
}

// ---------------------------------------------------------------- formulas

#[test]
fn formula_looking_names_are_text_in_and_neutralised_out() {
    let env = Env::new();
    desk(&env);
    let report = import_json(&env, "placement", &corpus("formula_names.csv"), &[]);
    assert_eq!(report["added"], 4);
    let names: BTreeSet<String> = env
        .list("person", &[])
        .iter()
        .map(|p| format!("{} {}", s(p, "given_name"), s(p, "family_name")))
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(
            [
                "Dana =SUM(A1)",
                "+972541234567 Levi",
                "Noa -dash",
                "@handle Katz"
            ]
            .map(String::from)
        )
    );
    let cols = ["--columns", "family_name,given_name"];
    let csv = String::from_utf8(export_roster(&env, "f.csv", &cols)).unwrap();
    let cells: Vec<&str> = csv
        .lines()
        .skip(1)
        .flat_map(|l| l.trim_end().split(','))
        .collect();
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "{cell:?} in\n{csv}"
        );
    }
    for neutral in ["'=SUM(A1)", "'+972541234567", "'-dash", "'@handle"] {
        assert!(cells.contains(&neutral), "{neutral} not in\n{csv}");
    }
    export_roster(&env, "f.xlsx", &cols);
    let sheet = read_xlsx(&env.path("f.xlsx"));
    let mut found = BTreeSet::new();
    for cell in sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .flat_map(|r| r.as_array().unwrap())
    {
        let v = cell["value"].as_str().unwrap_or("");
        assert_eq!(cell["type"], "s", "a name cell is not a string: {cell}");
        if v.starts_with(['=', '+', '-', '@']) {
            assert_eq!(cell["quote"], true, "stored with a quote prefix: {cell}");
            found.insert(v.to_owned());
        }
    }
    assert_eq!(
        found,
        BTreeSet::from(["=SUM(A1)", "+972541234567", "-dash", "@handle"].map(String::from))
    );
}

// ---------------------------------------------------------------- rosters

#[test]
fn the_xlsx_roster_opens_in_openpyxl_with_the_same_cells() {
    let env = Env::new();
    roster_desk(&env);
    export_roster(&env, "r.xlsx", &[]);
    let json: Value = serde_json::from_slice(&export_roster(&env, "r.json", &[])).unwrap();
    let sheet = read_xlsx(&env.path("r.xlsx"));
    assert_eq!(sheet["freeze"], "A2", "header frozen");
    assert_eq!(sheet["autofilter"], "A1:M5");
    assert!(
        sheet["bold"].as_array().unwrap().iter().all(|b| b == true),
        "header bold: {}",
        sheet["bold"]
    );
    let rows = sheet["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let header: Vec<&str> = rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        header[..4],
        [
            "Family name",
            "Given name",
            "Family name (Hebrew)",
            "Given name (Hebrew)"
        ]
    );
    let keys = [
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
    let records = json.as_array().unwrap();
    for (r, record) in rows[1..].iter().zip(records) {
        let cells = r.as_array().unwrap();
        assert_eq!(cells.len(), keys.len());
        for (cell, key) in cells.iter().zip(keys) {
            assert_eq!(cell["value"], record[key], "{key}: {cell} vs {record}");
            let is_date = key.ends_with("_date");
            assert_eq!(cell["date"], is_date, "{key} is a real date: {cell}");
        }
    }
    let all_values: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .filter_map(|c| c["value"].as_str())
        .collect();
    for hebrew in ["דנה", "כהן", "נועה", "לוי"] {
        assert!(
            all_values.contains(&hebrew),
            "{hebrew} missing: {all_values:?}"
        );
    }
    // Hebrew headers make a right-to-left sheet.
    export_roster(&env, "he.xlsx", &["--lang", "he"]);
    let he = read_xlsx(&env.path("he.xlsx"));
    assert_eq!(he["rtl"], true);
    assert_eq!(he["rows"][0][0]["value"], "שם משפחה (לועזית)");
    // ... and its enum values are the Hebrew labels (the one table of core's entity.rs).
    let column = |label: &str| -> BTreeSet<String> {
        let header = he["rows"][0].as_array().unwrap();
        let c = header.iter().position(|h| h["value"] == label).unwrap();
        he["rows"].as_array().unwrap()[1..]
            .iter()
            .map(|r| r[c]["value"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(column("סטטוס"), set(&["הוצע", "אושר", "התקבל"]));
    assert_eq!(column("תפקיד"), set(&["משתתף/ת", "מנטור/ית", "צוות"]));
    assert_eq!(column("סינון ביטחוני"), set(&["לא נדרשת", "אושרה"]));
    // JSON is for programs: canonical values in any language.
    let json: Value =
        serde_json::from_slice(&export_roster(&env, "he.json", &["--lang", "he"])).unwrap();
    let statuses: BTreeSet<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from(["accepted", "confirmed", "nominated"])
    );
}

#[test]
fn roster_csv_snapshot_redacted_in_hebrew_for_excel() {
    let env = Env::new();
    roster_desk(&env);
    let bytes = export_roster(
        &env,
        "r.csv",
        &[
            "--lang",
            "he",
            "--redact",
            "--excel",
            "--columns",
            "family_name_he,given_name_he,family_name,given_name,email,phone,notes,status",
        ],
    );
    let text = std::str::from_utf8(
        bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .expect("--excel writes a BOM"),
    )
    .unwrap();
    insta::assert_snapshot!("roster_redacted_hebrew_csv", text.replace("\r\n", "⏎\n"));
    let plain = export_roster(&env, "plain.csv", &[]);
    assert!(
        !plain.starts_with(b"\xEF\xBB\xBF"),
        "no BOM without --excel"
    );
}

#[test]
fn redact_drops_private_fields_even_when_asked_for() {
    let env = Env::new();
    roster_desk(&env);
    let private = "email,phone,birth_date,citizenships,screening,visa_type,visa_expires";
    let asked = format!("family_name,{private},given_name");
    let json: Value = serde_json::from_slice(&export_roster(
        &env,
        "r.json",
        &["--columns", &asked, "--redact"],
    ))
    .unwrap();
    for r in json.as_array().unwrap() {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["family_name", "given_name"]);
    }
    let csv = String::from_utf8(export_roster(
        &env,
        "r.csv",
        &["--columns", &asked, "--redact"],
    ))
    .unwrap();
    assert!(csv.starts_with("Family name,Given name\r\n"), "{csv}");
    // Whoever asked for them by name is told they were left out.
    let path = env.path("told.csv");
    let out = env.run(&[
        "export",
        "roster",
        "Fall 2027",
        "-o",
        path.to_str().unwrap(),
        "--columns",
        &asked,
        "--redact",
    ]);
    out.ok().stderr_mentions(
        "left out the columns email, phone, birth_date, citizenships, screening, visa_type, visa_expires",
    );
    for secret in [
        "example.org",
        "555",
        "1990-04-03",
        "cleared",
        "J-1",
        "2027-12-01",
        "IL, US",
    ] {
        assert!(
            !csv.contains(secret),
            "{secret} in a redacted roster:\n{csv}"
        );
    }
    // Unredacted, the same columns are all there.
    let open: Value =
        serde_json::from_slice(&export_roster(&env, "o.json", &["--columns", &asked])).unwrap();
    assert_eq!(open[0].as_object().unwrap().len(), 9);
    // Only private columns, redacted: nothing left to export.
    let out = env.run(&[
        "export",
        "roster",
        "Fall 2027",
        "-o",
        env.path("none.csv").to_str().unwrap(),
        "--columns",
        private,
        "--redact",
    ]);
    out.code(EXIT_INVALID).names("columns");
    assert!(!env.path("none.csv").exists());
}

#[test]
fn the_export_log_lists_each_export_with_its_redaction_and_count() {
    let env = Env::new();
    roster_desk(&env);
    export_roster(&env, "a.csv", &[]);
    export_roster(&env, "b.xlsx", &["--redact"]);
    export_roster(&env, "c.json", &["--columns", "family_name,email"]);
    let ics = env.path("d.ics");
    env.run(&["export", "calendar", "-o", ics.to_str().unwrap()])
        .ok();
    let log = env.ok_json(&["export", "log", "--json"]);
    let got: Vec<(String, String, bool, u64)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                Path::new(s(e, "file_name"))
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                s(e, "kind").to_owned(),
                e["redacted"].as_bool().unwrap(),
                e["record_count"].as_u64().unwrap(),
            )
        })
        .collect();
    let events = std::fs::read_to_string(&ics)
        .unwrap()
        .matches("BEGIN:VEVENT")
        .count() as u64;
    assert_eq!(
        got,
        [
            ("d.ics".to_owned(), "calendar".to_owned(), false, events),
            ("c.json".to_owned(), "roster".to_owned(), false, 4),
            ("b.xlsx".to_owned(), "roster".to_owned(), true, 4),
            ("a.csv".to_owned(), "roster".to_owned(), false, 4),
        ],
        "newest first: {log:#}"
    );
    assert_eq!(log[1]["columns"], json!(["family_name", "email"]));
    assert_eq!(log[3]["cohort_name"], "Fall 2027");
    let text = env.run(&["export", "log"]);
    text.ok();
    let lines: Vec<&str> = text.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", text.stdout);
    assert!(
        lines[2].contains("b.xlsx")
            && lines[2].contains("4 records")
            && lines[2].ends_with("redacted")
    );
    assert!(lines[3].contains("a.csv") && !lines[3].contains("redacted"));
    // A refused export is not logged.
    env.run(&[
        "export",
        "roster",
        "No such cohort",
        "-o",
        env.path("x.csv").to_str().unwrap(),
    ])
    .code(EXIT_NOT_FOUND);
    assert_eq!(
        env.ok_json(&["export", "log", "--json"])
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn export_all_is_in_the_export_log_with_counts_per_entity() {
    let env = Env::new();
    roster_desk(&env);
    export_roster(&env, "a.csv", &[]);
    let all = env.path("all.json");
    env.run(&["export", "all", "-o", all.to_str().unwrap()])
        .ok();
    let counts = env.ok_json(&["stats", "--json"])["counts"].clone();
    let total: u64 = counts
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    let log = env.ok_json(&["export", "log", "--json"]);
    let e = &log[0];
    assert_eq!(
        (s(e, "kind"), s(e, "format"), s(e, "file_name")),
        ("all", "json", all.to_str().unwrap()),
        "{log:#}"
    );
    assert_eq!(e["record_count"].as_u64(), Some(total));
    assert_eq!(e["redacted"], json!(false));
    assert_eq!(e["cohort_id"], Value::Null);
    assert_eq!(e["entity_counts"], counts);
    assert_eq!(
        log[1]["entity_counts"],
        Value::Null,
        "a roster lists its ids"
    );

    let text = env.run(&["export", "log"]);
    text.ok();
    let line = text.stdout.lines().next().unwrap();
    let people = counts["person"].as_u64().unwrap();
    let placements = counts["placement"].as_u64().unwrap();
    assert!(
        line.contains("all json\teverything\t")
            && line.contains(&format!("{total} records ("))
            && line.contains(&format!("{people} person"))
            && line.contains(&format!("{placements} placement"))
            && line.ends_with("all.json"),
        "{line}"
    );
}

#[test]
fn every_output_into_a_missing_folder_is_invalid_input_naming_the_path() {
    let env = Env::new();
    roster_desk(&env);
    let missing = env.path("no-such-folder");
    let out = |name: &str| missing.join(name).to_str().unwrap().to_owned();
    let commands: Vec<Vec<String>> = vec![
        vec![
            "template".into(),
            "person".into(),
            "-o".into(),
            out("t.csv"),
        ],
        vec![
            "template".into(),
            "person".into(),
            "-o".into(),
            out("t.xlsx"),
        ],
        vec!["export".into(), "all".into(), "-o".into(), out("all.json")],
        vec![
            "export".into(),
            "roster".into(),
            "Fall 2027".into(),
            "-o".into(),
            out("r.csv"),
        ],
        vec![
            "export".into(),
            "roster".into(),
            "Fall 2027".into(),
            "-o".into(),
            out("r.pdf"),
        ],
        vec![
            "export".into(),
            "calendar".into(),
            "-o".into(),
            out("c.ics"),
        ],
        vec!["backup".into(), "-o".into(), out("b.sqlite3")],
        vec![
            "sync".into(),
            "export".into(),
            "-o".into(),
            out("p.exdesk-sync"),
        ],
    ];
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.run(&args);
        run.code(EXIT_INVALID).names(args.last().unwrap());
        assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    }
    assert!(!missing.exists(), "nothing was written");
    assert_eq!(env.ok_json(&["export", "log", "--json"]), json!([]));
}

// ---------------------------------------------------------------- calendar

/// Checks the basic shape of an RFC 5545 file and returns its unfolded content lines.
#[track_caller]
fn check_ics(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("an .ics file is UTF-8");
    assert!(text.ends_with("\r\n"), "the last line ends in CRLF");
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for line in &physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "a bare LF or CR: {line:?}"
        );
        assert!(
            line.len() <= 75,
            "{} octets (at most 75): {line:?}",
            line.len()
        );
        assert!(!line.is_empty(), "an empty line");
    }
    // Unfold: a line starting with a space or tab continues the previous one.
    let mut lines: Vec<String> = Vec::new();
    for line in physical {
        match line.strip_prefix([' ', '\t']) {
            Some(rest) => lines
                .last_mut()
                .expect("the first line is not a continuation")
                .push_str(rest),
            None => lines.push(line.to_owned()),
        }
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let mut stack: Vec<&str> = Vec::new();
    let mut event: Option<Vec<String>> = None;
    let mut uids = BTreeSet::new();
    let mut calendar_props = Vec::new();
    for line in &lines {
        let (name, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("no colon: {line:?}"));
        let prop = name.split(';').next().unwrap();
        assert!(
            !prop.is_empty() && prop.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "a bad property name: {line:?}"
        );
        match prop {
            "BEGIN" => {
                stack.push(value);
                if value == "VEVENT" {
                    event = Some(Vec::new());
                }
            }
            "END" => {
                assert_eq!(stack.pop(), Some(value), "END:{value} closes nothing");
                if value == "VEVENT" {
                    let props = event.take().unwrap();
                    for required in ["UID", "DTSTAMP", "DTSTART"] {
                        let n = props.iter().filter(|p| p.as_str() == required).count();
                        assert_eq!(n, 1, "a VEVENT has {n} {required}: {props:?}");
                    }
                }
            }
            other => {
                if let Some(props) = event.as_mut() {
                    props.push(other.to_owned());
                    if other == "UID" {
                        assert!(uids.insert(value.to_owned()), "UID {value} twice");
                    }
                    if other == "DTSTAMP" {
                        assert!(
                            value.len() == 16
                                && value.ends_with('Z')
                                && value.as_bytes()[8] == b'T',
                            "DTSTAMP in UTC: {value}"
                        );
                    }
                    if other.starts_with("DT") && name.contains("VALUE=DATE") {
                        assert!(
                            value.len() == 8 && value.chars().all(|c| c.is_ascii_digit()),
                            "a DATE value: {line}"
                        );
                    }
                } else if stack == ["VCALENDAR"] {
                    calendar_props.push(other.to_owned());
                }
            }
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    for required in ["VERSION", "PRODID"] {
        assert!(
            calendar_props.iter().any(|p| p == required),
            "no {required}"
        );
    }
    lines
}

#[test]
fn the_calendar_is_valid_icalendar() {
    let env = Env::new();
    let w = roster_desk(&env);
    // A second cohort whose summary must be folded and escaped.
    let long = env.add_id(
        "cohort",
        &json!({"program_id": w.program, "name": "מחזור חורף, Joint AI Training; Haifa and Cambridge 2027",
                "start_date": "2027-11-01", "end_date": "2027-11-30",
                "location": "Technion City, Haifa; הטכניון"}),
    );
    // Two tranches and two reports of one fellowship due the same day: four events, each
    // with a UID of its own (`check_ics` refuses a UID twice).
    let fellow = env.add_id(
        "person",
        &json!({"given_name": "Noa", "family_name": "Levi", "home_institution_id": w.technion}),
    );
    env.add_id(
        "fellowship",
        &json!({"person_id": fellow, "title": "Quantum fellowship", "award_minor": 500000,
                "currency": "USD",
                "tranches": [{"due_date": "2027-06-01", "amount_minor": 100000},
                             {"due_date": "2027-06-01", "amount_minor": 200000}],
                "reports": [{"title": "A", "due_date": "2027-06-02"},
                            {"title": "B", "due_date": "2027-06-02"}]}),
    );
    let ics = env.path("all.ics");
    let out = env.run(&["export", "calendar", "-o", ics.to_str().unwrap()]);
    out.ok();
    let lines = check_ics(&std::fs::read(&ics).unwrap());
    let summaries: Vec<&String> = lines.iter().filter(|l| l.starts_with("SUMMARY")).collect();
    assert!(
        summaries.iter().any(|l| l.as_str()
            == "SUMMARY:מחזור חורף\\, Joint AI Training\\; Haifa and Cambridge 2027 (Exchange)"),
        "{summaries:#?}"
    );
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20270901".to_owned()));
    assert!(
        lines.contains(&"DTEND;VALUE=DATE:20280201".to_owned()),
        "DTEND is exclusive"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("UID:") && l.contains(&long)),
        "{lines:#?}"
    );
    for day in ["20270601", "20270602"] {
        let events = lines
            .iter()
            .filter(|l| *l == &format!("DTSTART;VALUE=DATE:{day}"))
            .count();
        assert_eq!(events, 2, "two deadlines on {day}: {lines:#?}");
    }
    // Dana's visa expires before her placement ends: a deadline in the calendar.
    assert!(
        lines.contains(&"DTSTART;VALUE=DATE:20271201".to_owned()),
        "the visa deadline is missing: {lines:#?}"
    );

    let one = env.path("one.ics");
    env.run(&[
        "export",
        "calendar",
        "-o",
        one.to_str().unwrap(),
        "--cohort",
        "Fall 2027",
    ])
    .ok();
    let lines = check_ics(&std::fs::read(&one).unwrap());
    assert!(
        !lines.iter().any(|l| l.contains(&long)),
        "--cohort keeps to one cohort"
    );
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20270901".to_owned()));
    let out = env.run(&[
        "export",
        "calendar",
        "-o",
        one.to_str().unwrap(),
        "--cohort",
        "Nope",
    ]);
    out.code(EXIT_NOT_FOUND);
}

// ---------------------------------------------------------------- templates, round trips

#[test]
fn a_csv_template_filled_in_imports_as_expected() {
    let env = Env::new();
    let w = desk(&env);
    let path = env.path("people.csv");
    let out = env.run(&["template", "person", "-o", path.to_str().unwrap()]);
    out.ok();
    let header = std::fs::read_to_string(&path).unwrap();
    let headers: Vec<&str> = header.trim_end().split(',').collect();
    for canonical in [
        "given_name",
        "family_name",
        "given_name_he",
        "family_name_he",
        "email",
        "birth_date",
    ] {
        assert!(
            headers.contains(&canonical),
            "{canonical} not in the template: {header}"
        );
    }
    let line = |values: &[(&str, &str)]| -> String {
        headers
            .iter()
            .map(|h| values.iter().find(|(k, _)| k == h).map_or("", |(_, v)| v))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    let mut file = header.clone();
    file += &line(&[
        ("given_name", "Dana"),
        ("family_name", "Cohen"),
        ("given_name_he", "דנה"),
        ("family_name_he", "כהן"),
        ("email", "dana.t@example.org"),
        ("birth_date", "1990-04-03"),
        ("home_institution", "Technion"),
    ]);
    file += &line(&[
        ("given_name", "Avery"),
        ("family_name", "Aldridge"),
        ("email", "avery.t@example.edu"),
        ("home_institution", "MIT"),
        ("phone", "+1 617 253 1000"),
    ]);
    std::fs::write(&path, file).unwrap();
    let report = import_json(&env, "person", path.to_str().unwrap(), &[]);
    assert_eq!(report["added"], 2);
    assert_eq!(
        report["warnings"],
        json!([]),
        "the template's headers are all understood"
    );
    let dana = person_by_email(&env, "dana.t@example.org");
    assert_eq!(
        (
            s(&dana, "given_name"),
            s(&dana, "family_name_he"),
            s(&dana, "birth_date"),
            s(&dana, "home_institution_id")
        ),
        ("Dana", "כהן", "1990-04-03", w.technion.as_str())
    );
    let avery = person_by_email(&env, "avery.t@example.edu");
    assert_eq!(s(&avery, "home_institution_id"), w.mit);
    assert_eq!(s(&avery, "phone"), "+1 617 253 1000");
    env.refuses(
        &[
            "template",
            "person",
            "-o",
            env.path("x.txt").to_str().unwrap(),
        ],
        EXIT_INVALID,
        "-o",
    );
    env.refuses(
        &[
            "template",
            "nobody",
            "-o",
            env.path("x.csv").to_str().unwrap(),
        ],
        EXIT_USAGE,
        "entity",
    );
    // A name without an extension (standard output, a pipe) takes --format.
    let out = env.run(&["template", "person", "-o", "/dev/stdout", "--format", "csv"]);
    assert!(
        out.stdout.starts_with("given_name,family_name,"),
        "{}",
        out.stdout
    );
    let sheet = env.path("sheet");
    env.run(&[
        "template",
        "person",
        "-o",
        sheet.to_str().unwrap(),
        "--format",
        "XLSX",
    ]);
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"PK"));
    env.refuses(
        &[
            "template",
            "person",
            "-o",
            sheet.to_str().unwrap(),
            "--format",
            "pdf",
        ],
        EXIT_USAGE,
        "--format",
    );
}

/// `template ENTITY` then `import ENTITY` for the entities without an import of their
/// own (program, cohort, fellowship, agreement): the template's canonical headers, a
/// reference by name (an institution, a program, a person by e-mail), a list of
/// institutions separated by `;`, yes/no, a label for a closed list; the same file again
/// changes nothing, and a name that matches nothing is a problem of its row and column.
#[test]
fn every_entity_imports_from_its_template() {
    let env = Env::new();
    let w = desk(&env);
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana.cohen@example.org"}),
    );
    let rows: [(&str, &[(&str, &str)]); 4] = [
        (
            "program",
            &[
                ("name", "Quantum Exchange"),
                ("kind", "Academic exchange"),
                ("tech_areas", "ai; advanced_computing"),
                ("sensitive", "yes"),
                ("partner_institution_ids", "MIT; Technion"),
            ],
        ),
        (
            "cohort",
            &[
                ("program_id", "Quantum Exchange"),
                ("name", "Spring 2028"),
                ("start_date", "2028-02-01"),
                ("end_date", "2028-06-30"),
                ("capacity", "12"),
                ("host_institution_id", "MIT"),
            ],
        ),
        (
            "fellowship",
            &[
                ("person_id", "DANA.COHEN@example.org"),
                ("title", "Travel grant"),
                ("award_minor", "250000"),
                ("currency", "usd"),
            ],
        ),
        (
            "agreement",
            &[
                ("title", "MIT–Technion MOU"),
                ("institution_ids", "MIT;הטכניון"),
                ("valid_from", "2026-01-01"),
                ("valid_to", "2030-12-31"),
            ],
        ),
    ];
    for (entity, values) in rows {
        let path = env.path(&format!("{entity}.csv"));
        env.run(&["template", entity, "-o", path.to_str().unwrap()])
            .ok();
        let header = std::fs::read_to_string(&path).unwrap();
        let headers: Vec<&str> = header.trim_end().split(',').collect();
        let line: Vec<String> = headers
            .iter()
            .map(|h| {
                let v = values.iter().find(|(k, _)| k == h).map_or("", |(_, v)| v);
                format!("\"{v}\"")
            })
            .collect();
        std::fs::write(&path, format!("{header}{}\r\n", line.join(","))).unwrap();
        let report = import_json(&env, entity, path.to_str().unwrap(), &[]);
        assert_eq!(report["added"], 1, "{entity}: {report:#}");
        assert_eq!(report["warnings"], json!([]), "{entity}");
        let again = import_json(&env, entity, path.to_str().unwrap(), &[]);
        assert_eq!(
            (&again["added"], &again["unchanged"]),
            (&json!(0), &json!(1)),
            "{entity}: {again:#}"
        );
    }
    let program = &env.list("program", &["--query", "Quantum"])[0];
    assert_eq!(program["kind"], "academic_exchange");
    assert_eq!(program["tech_areas"], json!(["ai", "advanced_computing"]));
    assert_eq!(program["sensitive"], true);
    assert_eq!(
        program["partner_institution_ids"],
        json!([w.mit.clone(), w.technion.clone()])
    );
    let cohort = env
        .list("cohort", &[])
        .into_iter()
        .find(|c| c["name"] == "Spring 2028")
        .unwrap();
    assert_eq!(cohort["program_id"], program["id"]);
    assert_eq!(cohort["capacity"], 12);
    assert_eq!(s(&cohort, "host_institution_id"), w.mit);
    let fellowship = &env.list("fellowship", &[])[0];
    assert_eq!(s(fellowship, "person_id"), dana);
    assert_eq!(
        (&fellowship["award_minor"], &fellowship["currency"]),
        (&json!(250000), &json!("USD"))
    );
    let agreement = &env.list("agreement", &[])[0];
    assert_eq!(
        agreement["institution_ids"],
        json!([w.mit.clone(), w.technion.clone()])
    );
    let path = env.path("bad.csv");
    std::fs::write(&path, "program_id,name\r\nNo Such Program,Summer\r\n").unwrap();
    let out = env.refuses(
        &["import", "cohort", path.to_str().unwrap()],
        EXIT_INVALID,
        "program_id",
    );
    out.stderr_mentions("row 1 (file row 2), column \"program_id\"");
    out.stderr_mentions("No Such Program");
}

#[test]
fn an_xlsx_template_filled_in_by_a_spreadsheet_program_imports() {
    let env = Env::new();
    let w = desk(&env);
    let path = env.path("people.xlsx");
    env.run(&["template", "person", "-o", path.to_str().unwrap()])
        .ok();
    // openpyxl plays the coordinator: rows under the header, a real date cell.
    python(
        r#"
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
cols = {c.value: c.column for c in ws[1]}
assert ws["A1"].font.b, "the template's header is bold"
for values in [
    {"given_name": "Noa", "family_name": "Katz", "email": "noa.t@example.org",
     "birth_date": datetime.datetime(1991, 12, 25), "home_institution": "Technion", "phone": 97241234567},
    {"given_name_he": "מיכל", "family_name_he": "לוי", "home_institution": "MIT"},
]:
    r = ws.max_row + 1
    for k, v in values.items():
        c = ws.cell(row=r, column=cols[k], value=v)
        if isinstance(v, datetime.datetime):
            c.number_format = "dd/mm/yyyy"
wb.save(sys.argv[1])
"#,
        &[&path],
    );
    let report = import_json(&env, "person", path.to_str().unwrap(), &[]);
    assert_eq!(report["added"], 2, "{report:#}");
    let noa = person_by_email(&env, "noa.t@example.org");
    assert_eq!(
        (
            s(&noa, "birth_date"),
            s(&noa, "phone"),
            s(&noa, "home_institution_id")
        ),
        ("1991-12-25", "97241234567", w.technion.as_str())
    );
    let people = env.list("person", &[]);
    let michal = people
        .iter()
        .find(|p| s(p, "given_name_he") == "מיכל")
        .unwrap();
    assert_eq!(s(michal, "home_institution_id"), w.mit);
}

/// `export roster` then `import placement` of the same file, as the contract writes both
/// (no --cohort): a roster has no cohort column by default, so the cohort is the one every
/// row is already placed in (CSV, JSON), or the one its sheet is named after (XLSX, also
/// in a database that does not hold the placements yet); `--columns cohort,...` writes
/// the column. A file of placements with someone new and no cohort is still refused.
#[test]
fn a_roster_imports_back_without_naming_its_cohort() {
    let a = Env::new();
    roster_desk(&a);
    // Rows are matched to people by e-mail (or ORCID): give everyone one.
    for p in a.list("person", &[]) {
        if s(&p, "email").is_empty() {
            let email = format!("p{}@example.org", &id_of(&p)[30..]);
            a.update("person", &id_of(&p), &json!({ "email": email }));
        }
    }
    let before = a.export_bytes();
    for name in ["back.csv", "back.xlsx", "back.json"] {
        export_roster(&a, name, &[]);
        let path = a.path(name);
        let out = a.run(&["import", "placement", path.to_str().unwrap(), "--json"]);
        let report = out.json();
        out.ok();
        assert_eq!(
            (&report["added"], &report["updated"], &report["unchanged"]),
            (&json!(0), &json!(0), &json!(4)),
            "{name}: {report:#}"
        );
        assert!(
            report["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_str().unwrap().contains("\"Fall 2027\"")),
            "{name}: {report:#}"
        );
    }
    assert_eq!(a.export_bytes(), before, "a round trip changes nothing");

    // Into a database that has the cohort (and the institutions) but not the people.
    let xlsx = export_roster(&a, "fresh.xlsx", &[]);
    let csv = export_roster(
        &a,
        "fresh.csv",
        &[
            "--columns",
            "cohort,family_name,given_name,family_name_he,given_name_he,email,home_institution,host_institution,role,status,start_date,end_date,screening",
        ],
    );
    assert!(csv.starts_with(b"Cohort,Family name,"));
    let json = export_roster(
        &a,
        "fresh.json",
        &[
            "--columns",
            "cohort,family_name,given_name,family_name_he,given_name_he,email,role,status",
        ],
    );
    for (name, bytes) in [
        ("fresh.xlsx", xlsx),
        ("fresh.csv", csv),
        ("fresh.json", json),
    ] {
        let b = Env::new();
        let w = desk(&b);
        let path = b.path(name);
        std::fs::write(&path, bytes).unwrap();
        let report = import_json(&b, "placement", path.to_str().unwrap(), &[]);
        assert_eq!(report["added"], 4, "{name}: {report:#}");
        let placements = b.list("placement", &[]);
        assert_eq!(placements.len(), 4);
        assert!(placements.iter().all(|p| s(p, "cohort_id") == w.cohort));
    }

    // Someone new in a file without a cohort: no cohort can be told.
    let path = a.path("new.csv");
    std::fs::write(
        &path,
        "Email,Given name,Family name\r\ndana.cohen@example.org,Dana,Cohen\r\nnew@example.org,New,Person\r\n",
    )
    .unwrap();
    // One problem that says why (the row naming someone new), not one per row.
    let out = a.refuses(
        &["import", "placement", path.to_str().unwrap()],
        EXIT_INVALID,
        "cohort",
    );
    assert_eq!(error_lines(&out).len(), 1, "{}", out.stderr);
    out.stderr_mentions("row 2 (file row 3: new@example.org) is no one on the desk yet");
    out.stderr_mentions("--cohort");
    // A roster sent back with one e-mail corrected: that row is no placement of the
    // cohort yet, and the problem names it.
    let roster = String::from_utf8(export_roster(&a, "edited.csv", &[])).unwrap();
    std::fs::write(
        &path,
        roster.replace("dana.cohen@example.org", "dana.cohen@technion.ac.il"),
    )
    .unwrap();
    let out = a.refuses(
        &["import", "placement", path.to_str().unwrap()],
        EXIT_INVALID,
        "dana.cohen@technion.ac.il",
    );
    assert_eq!(error_lines(&out).len(), 1, "{}", out.stderr);
}

/// A redacted roster (no e-mail, ORCID or other redacted field) sent back by a partner:
/// each row names someone already placed in the cohort, so it is that placement again,
/// not a new person with a second placement (rows were matched only by name and every
/// member was added twice).
#[test]
fn a_redacted_roster_imports_back_as_the_same_placements() {
    let a = Env::new();
    roster_desk(&a);
    let before = a.export_bytes();
    let people = a.list("person", &[]).len();
    for (name, extra) in [
        ("redacted.xlsx", &[][..]),
        ("redacted.csv", &["--cohort", "Fall 2027"][..]),
    ] {
        export_roster(&a, name, &["--redact"]);
        let path = a.path(name);
        let mut args = vec!["import", "placement", path.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        let out = a.run(&args);
        let report = out.json();
        out.ok();
        assert_eq!(
            (&report["added"], &report["updated"], &report["unchanged"]),
            (&json!(0), &json!(0), &json!(4)),
            "{name}: {report:#}"
        );
        assert_eq!(a.list("person", &[]).len(), people, "{name}: no one new");
    }
    assert_eq!(a.export_bytes(), before, "the round trip changes nothing");
}

#[test]
fn a_roster_csv_imports_into_a_fresh_database_as_the_same_placements() {
    let a = Env::new();
    roster_desk(&a);
    let csv = export_roster(&a, "roster.csv", &[]);
    // A roster has no cohort column and `import` has no --cohort: add the column, as a
    // coordinator would (see the report of this test suite).
    let text = String::from_utf8(csv).unwrap();
    let mut lines = Vec::new();
    let mut in_quotes = false;
    for line in text.split_inclusive("\r\n") {
        let prefix = match (lines.is_empty(), in_quotes) {
            (true, _) => "Cohort,",
            (false, false) => "Fall 2027,",
            (false, true) => "",
        };
        lines.push(format!("{prefix}{line}"));
        if line.matches('"').count() % 2 == 1 {
            in_quotes = !in_quotes;
        }
    }
    let b = Env::new();
    desk(&b);
    let path = b.path("roster.csv");
    std::fs::write(&path, lines.concat()).unwrap();
    let out = b.run(&["import", "placement", path.to_str().unwrap(), "--json"]);
    let report = out.json();
    assert_eq!(report["problems"], json!([]), "{}", out.stderr);
    out.ok();
    assert_eq!(report["added"], 4);
    let summary = |env: &Env| -> BTreeSet<String> {
        env.list("placement", &[])
            .iter()
            .map(|p| {
                let person = env.get("person", s(p, "person_id"));
                format!(
                    "{} {} {} {} {} | {} {} {} {} {} {} {}",
                    s(&person, "given_name"),
                    s(&person, "family_name"),
                    s(&person, "given_name_he"),
                    s(&person, "family_name_he"),
                    s(&person, "email"),
                    s(p, "role"),
                    s(p, "status"),
                    s(p, "direction"),
                    s(p, "start_date"),
                    s(p, "end_date"),
                    s(p, "screening"),
                    env.get("cohort", s(p, "cohort_id"))["name"],
                )
            })
            .collect()
    };
    assert_eq!(summary(&a), summary(&b));
}

/// A row naming an institution that is not there still has its other fields checked:
/// one reading of the error list shows everything to fix in the file.
#[test]
fn a_missing_institution_does_not_hide_the_rows_other_problems() {
    let env = Env::new();
    env.run(&["demo"]).ok();
    let people = env.path("people.csv");
    std::fs::write(
        &people,
        "given_name,family_name,email,home_institution\nAvi,Levi,bad-email,Nowhere University\n",
    )
    .unwrap();
    env.refuses(
        &["import", "person", people.to_str().unwrap()],
        EXIT_INVALID,
        "Nowhere University",
    )
    .names("bad-email");
    let program = env.list("program", &[])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cohorts = env.path("cohorts.csv");
    std::fs::write(
        &cohorts,
        format!("program_id,name,start_date,end_date,capacity,host_institution_id\n{program},Quantum Lab,2028-01-01,2028-06-01,-3,Nowhere University\n"),
    )
    .unwrap();
    env.refuses(
        &["import", "cohort", cohorts.to_str().unwrap()],
        EXIT_INVALID,
        "Nowhere University",
    )
    .names("capacity");
}

/// A value holding the delimiter without quotes shifts the rest of its row: the row has
/// more values than the header has columns, and is refused rather than read into the
/// wrong fields.
#[test]
fn a_row_with_more_values_than_the_header_is_refused() {
    let env = Env::new();
    env.run(&["demo"]).ok();
    let path = env.path("semicolons.csv");
    std::fs::write(
        &path,
        "שם פרטי;שם משפחה;דוא״ל;הערות;מוסד\nAvi;Levi;avi.levi@example.org;a note; with a semicolon;MIT\nNoa;Katz;noa.katz@example.org;fine;MIT\n",
    )
    .unwrap();
    let out = env.refuses(
        &["import", "person", path.to_str().unwrap()],
        EXIT_INVALID,
        "6 values but the header has 5 columns",
    );
    assert!(out.stderr.contains("file row 2"), "{}", out.stderr);
    assert!(!out.stderr.contains("file row 3"), "{}", out.stderr);
}

/// `import --json` of a refused file counts nothing as added; with `--dry-run`, the rows
/// with a problem (impossible dates) are neither counted nor listed as added.
#[test]
fn json_reports_count_no_row_with_a_problem() {
    let env = Env::new();
    let path = env.path("dates.csv");
    std::fs::write(
        &path,
        "given_name,family_name,birth_date\nDana,Cohen,1990-04-03\nNoa,Katz,31/02/1990\nAvi,Levi,1990-02-30\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let out = env.unchanged(|| env.run(&["import", "person", file, "--json"]));
    out.code(EXIT_INVALID);
    let report = out.json();
    assert_eq!(report["written"], false);
    assert_eq!(
        (report["added"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(0)),
        "{report:#}"
    );
    assert_eq!(report["changes"], json!([]), "{report:#}");
    let out = env.unchanged(|| env.run(&["import", "person", file, "--json", "--dry-run"]));
    out.code(EXIT_INVALID);
    let report = out.json();
    assert_eq!(
        report["problems"].as_array().unwrap().len(),
        2,
        "{report:#}"
    );
    assert_eq!(report["added"], 1, "{report:#}");
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{report:#}");
    assert_eq!(
        (changes[0]["row"].as_u64(), changes[0]["action"].as_str()),
        (Some(1), Some("add"))
    );
}

/// Dates of unknown order list the file's other problems too, then the summary.
#[test]
fn dates_of_unknown_order_are_listed_with_the_other_problems() {
    let env = Env::new();
    let path = env.path("dates.csv");
    std::fs::write(
        &path,
        "given_name,family_name,email,birth_date\nDana,Cohen,dana@example.org,03/04/1990\nNoa,Katz,not-an-email,05/06/1991\n",
    )
    .unwrap();
    let out = env.refuses(
        &["import", "person", path.to_str().unwrap()],
        EXIT_INVALID,
        "--date-order",
    );
    out.stderr_mentions("not-an-email")
        .stderr_mentions("05/06/1991")
        .stderr_mentions("nothing was imported: 3 problem(s)");
}

/// A dry run's probable duplicate of an earlier row of the file names that row, not an
/// id the dry run never made.
#[test]
fn a_dry_run_names_a_duplicate_of_an_earlier_row_by_its_row() {
    let env = Env::new();
    let path = env.path("he_utf8.csv");
    std::fs::write(&path, "First name,Last name\nדנה,כהן\nDana,Cohen\n").unwrap();
    let out = env.unchanged(|| env.run(&["import", "person", path.to_str().unwrap(), "--dry-run"]));
    out.ok();
    assert!(
        out.stdout.contains(
            "probable duplicate: row 2 (file row 3) Dana Cohen resembles דנה כהן (row 1)"
        ),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------- people found by e-mail or ORCID

/// Dana Cohen (both scripts) and Yael Levi, each with an e-mail and an ORCID iD; their ids.
fn dana_and_yael(env: &Env) -> (String, String) {
    let dana = env.add_id(
        "person",
        &json!({"given_name": "Dana", "family_name": "Cohen", "given_name_he": "דנה",
                "family_name_he": "כהן", "email": "dana.cohen@example.ac.il",
                "orcid": "0000-0002-1825-0097", "phone": "+972 50 000 0000",
                "birth_date": "1994-03-12"}),
    );
    let yael = env.add_id(
        "person",
        &json!({"given_name": "Yael", "family_name": "Levi", "email": "yael.levi@example.ac.il",
                "orcid": "0000-0003-1547-2185"}),
    );
    (dana, yael)
}

/// Writes `text` into the test's folder as `name`; returns its path.
fn file(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Two rows finding one person (by ORCID iD, then by the e-mail the first row takes from
/// them) refuse the file, on a dry run too, naming the earlier row and the person; a row
/// whose e-mail and ORCID iD are two people's says so.
#[test]
fn rows_finding_one_person_twice_or_two_people_refuse_the_file() {
    let env = Env::new();
    dana_and_yael(&env);
    let twice = file(
        &env,
        "email_move.csv",
        "given_name,family_name,email,orcid\n\
         Dana,Cohen,dana.new@example.org,0000-0002-1825-0097\n\
         New,Person,dana.cohen@example.ac.il,\n",
    );
    let swap = file(
        &env,
        "email_swap.csv",
        "given_name,family_name,email,orcid\n\
         Dana,Cohen,yael.levi@example.ac.il,0000-0002-1825-0097\n\
         Yael,Levi,dana.cohen@example.ac.il,0000-0003-1547-2185\n",
    );
    for (path, errors) in [
        (
            &twice,
            vec![
                "error: row 2 (file row 3), column \"email\": email: row 1 (file row 2) already \
                 updates Dana Cohen · דנה כהן (matched by 0000-0002-1825-0097); this row matches \
                 the same person by e-mail (dana.cohen@example.ac.il): merge the two rows, or \
                 correct the e-mail (value \"dana.cohen@example.ac.il\")",
            ],
        ),
        (
            &swap,
            vec![
                "error: row 1 (file row 2), column \"orcid\": orcid: the row matches two \
                 different people: the e-mail yael.levi@example.ac.il belongs to Yael Levi, but \
                 the ORCID iD 0000-0002-1825-0097 to Dana Cohen · דנה כהן \
                 (value \"0000-0002-1825-0097\")",
                "error: row 2 (file row 3), column \"orcid\": orcid: the row matches two \
                 different people: the e-mail dana.cohen@example.ac.il belongs to Dana Cohen · \
                 דנה כהן, but the ORCID iD 0000-0003-1547-2185 to Yael Levi \
                 (value \"0000-0003-1547-2185\")",
            ],
        ),
    ] {
        let dry = env.unchanged(|| env.run(&["import", "person", path, "--dry-run"]));
        let real = env.unchanged(|| env.run(&["import", "person", path]));
        dry.code(EXIT_INVALID);
        real.code(EXIT_INVALID);
        assert_eq!(error_lines(&real), errors, "{}", real.stderr);
        assert_eq!(error_lines(&dry), errors);
        let json = env.unchanged(|| env.run(&["import", "person", path, "--json", "--dry-run"]));
        json.code(EXIT_INVALID);
        let report = json.json();
        assert_eq!(report["problems"].as_array().unwrap().len(), errors.len());
    }
}

/// A person file's update names the person as stored, with the fields it changes; a row
/// whose name is nothing like theirs is a warning.
#[test]
fn an_update_by_orcid_names_the_person_it_renames() {
    let env = Env::new();
    let (dana, yael) = dana_and_yael(&env);
    let path = file(
        &env,
        "orcid.csv",
        "given_name,family_name,orcid,phone\n\
         A,One,0000 0003 1547 2185,\n\
         Dana,Cohen,0000-0002-1825-0097,+972 50 999 9999\n",
    );
    let out = env.unchanged(|| env.run(&["import", "person", &path, "--dry-run"]));
    out.ok();
    for line in [
        format!(
            "row 1 (file row 2): would update Yael Levi ({yael}) as A One: given_name, family_name"
        ),
        format!("row 2 (file row 3): would update Dana Cohen · דנה כהן ({dana}): phone"),
        "would add 0, would update 2, unchanged 0 (2 rows, csv (UTF-8, ','))".to_owned(),
    ] {
        assert!(
            out.stdout.lines().any(|l| l == line),
            "{line:?} in:\n{}",
            out.stdout
        );
    }
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect::<Vec<_>>(),
        [
            "warning: row 1 (file row 2: A One) matches Yael Levi by ORCID iD \
          0000-0003-1547-2185: their name would change; check the ORCID iD"
        ]
    );
    let report = import_json(&env, "person", &path, &["--dry-run"]);
    assert_eq!(
        report["changes"][0]["person"],
        json!({"id": yael, "name": "Yael Levi", "fields": ["given_name", "family_name"]})
    );
    let real = import_json(&env, "person", &path, &[]);
    assert_eq!(
        (&real["written"], &real["updated"]),
        (&json!(true), &json!(2))
    );
    assert_eq!(s(&env.get("person", &yael), "given_name"), "A");
}

/// A placement file whose person columns change the person a row finds by e-mail is an
/// update of that person: counted apart from the placements and listed with the
/// person's stored name, in the text and the JSON alike.
#[test]
fn a_placement_file_changing_a_person_reports_the_person_update() {
    let env = Env::new();
    desk(&env);
    let (dana, _) = dana_and_yael(&env);
    let path = file(
        &env,
        "pl_person_fields.csv",
        "email,cohort,phone,birth_date,notes\n\
         dana.cohen@example.ac.il,Fall 2027,+1 555 0000,2001-01-01,placement note\n",
    );
    let out = env.unchanged(|| env.run(&["import", "placement", &path, "--dry-run"]));
    out.ok();
    for line in [
        format!(
            "row 1 (file row 2): would add dana.cohen@example.ac.il; would update person \
             Dana Cohen · דנה כהן ({dana}): birth_date, phone"
        ),
        "would add 1, would update 0, unchanged 0, would update people 1 (1 row, csv (UTF-8, ','))"
            .to_owned(),
    ] {
        assert!(
            out.stdout.lines().any(|l| l == line),
            "{line:?} in:\n{}",
            out.stdout
        );
    }
    let report = import_json(&env, "placement", &path, &["--dry-run"]);
    assert_eq!(
        (
            &report["added"],
            &report["updated"],
            &report["people_updated"]
        ),
        (&json!(1), &json!(0), &json!(1))
    );
    assert_eq!(
        report["changes"][0]["person"],
        json!({"id": dana, "name": "Dana Cohen · דנה כהן", "fields": ["birth_date", "phone"]})
    );
    let real = env.run(&["import", "placement", &path]);
    real.ok();
    assert!(
        real.stdout
            .contains("added 1, updated 0, unchanged 0, updated people 1 (1 row,"),
        "{}",
        real.stdout
    );
    let person = env.get("person", &dana);
    assert_eq!(
        (s(&person, "phone"), s(&person, "birth_date")),
        ("+1 555 0000", "2001-01-01")
    );
}
