//! Calendar export (RFC 5545 iCalendar): cohort dates and the derived deadlines, as
//! all-day events any calendar program can subscribe to or import.

use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::Result;
use crate::roster::ExportSummary;
use crate::{Db, fsutil};

/// How far ahead the calendar reaches for deadlines (overdue ones are always in).
const CALENDAR_DAYS: i64 = 3 * 366;

impl Db {
    /// The calendar of every cohort (or one) and its deadlines, as .ics text.
    pub fn calendar(&self, cohort: Option<&str>) -> Result<String> {
        let cohort_id = cohort.map(|c| self.resolve_cohort(c)).transpose()?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut out = String::new();
        let mut line = |s: &str| fold_line(&mut out, s);
        line("BEGIN:VCALENDAR");
        line("VERSION:2.0");
        line("PRODID:-//Exchange Desk//Exchange Desk//EN");
        line("CALSCALE:GREGORIAN");
        line("METHOD:PUBLISH");
        line("X-WR-CALNAME:Exchange Desk");
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name, p.name, c.start_date, c.end_date, c.location FROM cohort c
             JOIN program p ON p.id = c.program_id
             WHERE c.start_date IS NOT NULL AND (?1 IS NULL OR c.id = ?1) ORDER BY c.start_date, c.id",
        )?;
        let cohorts = stmt.query_map([&cohort_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for c in cohorts {
            let (id, name, program, start, end, location) = c?;
            let (Some(start), end) = (date(&start), end.as_deref().and_then(date)) else {
                continue;
            };
            let end = end.unwrap_or(start);
            line("BEGIN:VEVENT");
            line(&format!("UID:cohort-{id}@exchange-desk"));
            line(&format!("DTSTAMP:{stamp}"));
            line(&format!("DTSTART;VALUE=DATE:{}", start.format("%Y%m%d")));
            line(&format!(
                "DTEND;VALUE=DATE:{}",
                (end + chrono::Days::new(1)).format("%Y%m%d")
            ));
            line(&format!(
                "SUMMARY:{}",
                escape(&format!("{name} ({program})"))
            ));
            if let Some(location) = location {
                line(&format!("LOCATION:{}", escape(&location)));
            }
            line("CATEGORIES:Cohort");
            line("END:VEVENT");
        }
        let today = crate::values::today();
        // Two items of one record due the same day (two tranches, two reports) are two
        // events: the second gets `-2` in its UID, and so on, in the deadlines' order
        // (by date, then the item's place in its record), so that a calendar that
        // imports the file again updates each event instead of keeping one of them.
        let mut uids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        for d in self.deadlines_on(today, CALENDAR_DAYS)? {
            if cohort_id.is_some() && d.cohort_id != cohort_id {
                continue;
            }
            if d.kind == "cohort_start" {
                continue; // the cohort's own event shows it
            }
            let Some(day) = date(&d.due_date) else {
                continue;
            };
            line("BEGIN:VEVENT");
            let uid = format!("{}-{}-{}", d.kind, d.record_id, day.format("%Y%m%d"));
            let seen = uids.entry(uid.clone()).or_insert(0);
            *seen += 1;
            match *seen {
                1 => line(&format!("UID:{uid}@exchange-desk")),
                n => line(&format!("UID:{uid}-{n}@exchange-desk")),
            }
            line(&format!("DTSTAMP:{stamp}"));
            line(&format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
            line(&format!(
                "DTEND;VALUE=DATE:{}",
                (day + chrono::Days::new(1)).format("%Y%m%d")
            ));
            line(&format!(
                "SUMMARY:{}",
                escape(&format!("{}: {}", d.title, d.detail))
            ));
            line(&format!("CATEGORIES:{}", kind_label(&d.kind)));
            line("END:VEVENT");
        }
        line("END:VCALENDAR");
        Ok(out)
    }

    /// Writes the calendar to `path` (atomically) and logs the export.
    pub fn export_calendar(&mut self, path: &Path, cohort: Option<&str>) -> Result<ExportSummary> {
        let text = self.calendar(cohort)?;
        fsutil::write_atomic(path, text.as_bytes())?;
        let events = text.matches("BEGIN:VEVENT").count() as u32;
        let summary = ExportSummary {
            file_name: path.display().to_string(),
            format: "ics".to_owned(),
            rows: events,
            columns: vec![],
            redacted: false,
        };
        let cohort_id = cohort.map(|c| self.resolve_cohort(c)).transpose()?;
        self.log_export("calendar", "ics", cohort_id.as_deref(), &summary, &[], None)?;
        Ok(summary)
    }
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "visa_expiry" => "Visa",
        "tranche_due" => "Tranche",
        "report_due" => "Report",
        "checklist_due" => "Checklist",
        _ => "Deadline",
    }
}

/// TEXT escaping of RFC 5545 §3.3.11.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF.
fn fold_line(out: &mut String, s: &str) {
    let mut width = 0;
    for c in s.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        super::fold_line(&mut out, &format!("SUMMARY:{}", "דנה כהן ".repeat(20)));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "דנה כהן ".repeat(20))
        );
        assert_eq!(super::escape("a,b;c\nd"), "a\\,b\\;c\\nd");
    }
}
