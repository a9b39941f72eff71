//! PDF rosters, read back with pdftotext (poppler-utils): the title, the cohort's dates,
//! page numbers and Hebrew names in the right order.

use std::process::Command;

use crate::harness::Env;

/// The text of a PDF as pdftotext reads it, without bidi control characters.
fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils, installed by cargo xtask test)");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| {
            !('\u{202A}'..='\u{202E}').contains(c) && !('\u{2066}'..='\u{2069}').contains(c)
        })
        .collect()
}

const COHORT: &str = "AI Safety Fellows – Cohort 2 (MIT)";

#[test]
fn a_pdf_roster_reads_back_with_title_dates_pages_and_hebrew_names() {
    let env = Env::new();
    env.run(&["demo"]).ok();
    let cohort = env
        .run(&["cohort", "list", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == COHORT)
        .cloned()
        .expect("the demo has the AI Safety cohort");
    let pdf = env.path("roster.pdf");
    env.run(&["export", "roster", COHORT, "-o", pdf.to_str().unwrap()])
        .ok();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(text.contains(&format!("Roster – {COHORT}")), "{text}");
    assert!(
        text.contains(cohort["start_date"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains("Page 1 of 1"), "{text}");
    // Dana Cohen is on this roster in both scripts; the Hebrew reads in logical order.
    assert!(text.contains("Cohen") && text.contains("Dana"), "{text}");
    assert!(text.contains("כהן") && text.contains("דנה"), "{text}");
    // Printed for people, an English roster shows the values' labels too (CSV and XLSX
    // keep the canonical values that scripts compare).
    assert!(text.contains("Participant"), "{text}");
    // Long cells (e-mail addresses, institutions, two-word headers) wrap in their column
    // instead of being cut short.
    assert!(!text.contains('…'), "a cell was cut short:\n{text}");
    assert!(text.contains("example.ac.il"), "{text}");
    // A column is made no narrower than its longest word while the page has room:
    // "Massachusetts Institute of Technology" wraps between words, not inside one.
    assert!(text.contains("Massachusetts"), "a word was broken:\n{text}");
    for key in ["participant", "not_required", "cleared", "pending"] {
        assert!(!text.contains(key), "{key}:\n{text}");
    }

    let he = env.path("roster-he.pdf");
    env.run(&[
        "export",
        "roster",
        COHORT,
        "-o",
        he.to_str().unwrap(),
        "--lang",
        "he",
        "--redact",
    ])
    .ok();
    let text = pdf_text(&he);
    assert!(text.contains("רשימת משתתפים"), "{text}");
    // "עמוד 1 מתוך 1": pdftotext returns a line that mixes directions in visual order,
    // so check its Hebrew words (each shaped and in logical order) are there.
    assert!(text.contains("עמוד") && text.contains("מתוך"), "{text}");
    // Statuses and roles read as Hebrew labels, not as the canonical English keys.
    // (pdftotext gives "משתתף/ת" in visual order, so check whole words.)
    assert!(text.contains("פעיל") && text.contains("מקומי"), "{text}");
    for key in ["participant", "mentor", "active", "domestic"] {
        assert!(!text.contains(key), "{key}:\n{text}");
    }
    assert!(
        !text.contains("@example"),
        "a redacted roster shows no e-mail:\n{text}"
    );
}
