//! Deadlines derived from the records (never stored): visas, tranches, reports, cohort
//! starts and checklist items.
//!
//! Each kind is one query in due-date order over a partial index of the rows that can
//! still be due (migration 0009), so the dashboard's soonest few are the first entries of
//! five indexes and its total is five counts over them: a national database has tens of
//! thousands of deadlines, and none of them is built to be counted.

use chrono::NaiveDate;
use rusqlite::params_from_iter;

use crate::dto::{Deadline, DeadlineFacts, Deadlines};
use crate::entity::Entity;
use crate::error::Result;
use crate::{Db, values};

/// A visa is flagged when it expires within this many days.
pub const VISA_WARNING_DAYS: i64 = 60;
/// A cohort start is flagged this many days ahead.
pub const COHORT_START_DAYS: i64 = 30;

const PERSON_NAME: &str = "trim(coalesce(p.given_name || ' ' || p.family_name, p.given_name_he || ' ' || p.family_name_he, ''))";
const PERSON_NAME_HE: &str =
    "nullif(trim(coalesce(p.given_name_he, '') || ' ' || coalesce(p.family_name_he, '')), '')";

/// A placement still under way. Written exactly as in the partial indexes of migration
/// 0009 (`placement_visa_due`, `placement_open`): SQLite uses one only when the query
/// repeats its condition.
const OPEN: &str = "pl.status NOT IN ('completed', 'withdrawn', 'declined')";

/// One kind of deadline.
struct Source {
    kind: &'static str,
    entity: Entity,
    /// The deadlines in order: due date, record id, title, detail, cohort id, then the
    /// Hebrew title and the facts (subject, amount, currency, state, until).
    rows: String,
    /// How many there are: the same condition, without the joins that only name them
    /// (the foreign keys guarantee the person and fellowship are there).
    count: String,
    /// The values of `?1`, `?2`.
    args: Vec<String>,
}

impl Source {
    fn deadlines(&self, db: &Db, today: NaiveDate, limit: Option<usize>) -> Result<Vec<Deadline>> {
        let sql = match limit {
            Some(n) => format!("{} LIMIT {n}", self.rows),
            None => self.rows.clone(),
        };
        let mut stmt = db.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(&self.args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                DeadlineFacts {
                    subject: r.get(6)?,
                    amount_minor: r.get(7)?,
                    currency: r.get(8)?,
                    state: r.get(9)?,
                    until: r.get(10)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (due, id, title, detail, cohort_id, title_he, facts) = row?;
            let days_left = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
                .map(|d| (d - today).num_days() as i32)
                .unwrap_or(0);
            out.push(Deadline {
                kind: self.kind.to_owned(),
                due_date: due,
                entity: self.entity,
                record_id: id,
                title,
                detail,
                days_left,
                cohort_id,
                title_he,
                facts,
            });
        }
        Ok(out)
    }

    fn count(&self, db: &Db) -> Result<u32> {
        Ok(db
            .conn
            .prepare_cached(&self.count)?
            .query_row(params_from_iter(&self.args), |r| r.get(0))?)
    }
}

/// Every kind of deadline as seen on `today`, `within_days` ahead.
fn sources(today: NaiveDate, within_days: i64) -> [Source; 5] {
    let day = |n: i64| (today + chrono::Days::new(n.max(0) as u64)).to_string();
    let horizon = day(within_days);
    let visa_horizon = day(VISA_WARNING_DAYS);
    let start_horizon = day(COHORT_START_DAYS).max(horizon.clone());

    let visa = format!(
        "pl.visa_expires IS NOT NULL AND {OPEN}
         AND (pl.visa_expires <= ?1 OR (pl.end_date IS NOT NULL AND pl.visa_expires < pl.end_date))"
    );
    let tranche = "t.status <> 'paid' AND t.due_date <= ?1";
    let report = "r.submitted_on IS NULL AND r.due_date IS NOT NULL AND r.due_date <= ?1";
    let cohort = "c.start_date >= ?1 AND c.start_date <= ?2";
    let checklist = format!(
        "c.status <> 'verified' AND c.due_date IS NOT NULL AND c.due_date <= ?1 AND {OPEN}"
    );
    [
        Source {
            kind: "visa_expiry",
            entity: Entity::Placement,
            rows: format!(
                "SELECT pl.visa_expires, pl.id, {PERSON_NAME},
                        coalesce(pl.visa_type, 'Visa') || CASE WHEN pl.end_date IS NOT NULL AND pl.visa_expires < pl.end_date
                        THEN ' expires before the placement ends (' || pl.end_date || ')' ELSE ' expires' END,
                        pl.cohort_id, {PERSON_NAME_HE}, pl.visa_type, NULL, NULL, NULL,
                        CASE WHEN pl.end_date IS NOT NULL AND pl.visa_expires < pl.end_date THEN pl.end_date END
                 FROM placement pl JOIN person p ON p.id = pl.person_id
                 WHERE {visa} ORDER BY pl.visa_expires, pl.id"
            ),
            count: format!("SELECT count(*) FROM placement pl WHERE {visa}"),
            args: vec![visa_horizon],
        },
        Source {
            kind: "tranche_due",
            entity: Entity::Fellowship,
            rows: format!(
                "SELECT t.due_date, f.id, {PERSON_NAME},
                        f.title || ': tranche of ' || printf('%.2f', t.amount_minor / 100.0) || ' ' || f.currency ||
                        CASE t.status WHEN 'held' THEN ' (held)' ELSE '' END,
                        (SELECT cohort_id FROM placement WHERE id = f.placement_id),
                        {PERSON_NAME_HE}, f.title, t.amount_minor, f.currency, t.status, NULL
                 FROM tranche t JOIN fellowship f ON f.id = t.fellowship_id JOIN person p ON p.id = f.person_id
                 WHERE {tranche} ORDER BY t.due_date, t.fellowship_id, t.position"
            ),
            count: format!("SELECT count(*) FROM tranche t WHERE {tranche}"),
            args: vec![horizon.clone()],
        },
        Source {
            kind: "report_due",
            entity: Entity::Fellowship,
            rows: format!(
                "SELECT r.due_date, f.id, {PERSON_NAME}, f.title || ': ' || r.title,
                        (SELECT cohort_id FROM placement WHERE id = f.placement_id),
                        {PERSON_NAME_HE}, NULL, NULL, NULL, NULL, NULL
                 FROM report r JOIN fellowship f ON f.id = r.fellowship_id JOIN person p ON p.id = f.person_id
                 WHERE {report} ORDER BY r.due_date, r.fellowship_id, r.position"
            ),
            count: format!("SELECT count(*) FROM report r WHERE {report}"),
            args: vec![horizon.clone()],
        },
        Source {
            kind: "cohort_start",
            entity: Entity::Cohort,
            rows: format!(
                "SELECT c.start_date, c.id, c.name, 'Cohort starts', c.id,
                        NULL, NULL, NULL, NULL, NULL, NULL
                 FROM cohort c WHERE {cohort} ORDER BY c.start_date, c.id"
            ),
            count: format!("SELECT count(*) FROM cohort c WHERE {cohort}"),
            args: vec![today.to_string(), start_horizon],
        },
        Source {
            kind: "checklist_due",
            entity: Entity::Placement,
            rows: format!(
                "SELECT c.due_date, pl.id, {PERSON_NAME}, replace(c.kind, '_', ' ') || ' (' || c.status || ')',
                        pl.cohort_id, {PERSON_NAME_HE}, c.kind, NULL, NULL, c.status, NULL
                 FROM checklist_item c JOIN placement pl ON pl.id = c.placement_id JOIN person p ON p.id = pl.person_id
                 WHERE {checklist} ORDER BY c.due_date, c.placement_id, c.position"
            ),
            // From the open placements (a few of all), each one's items by its index:
            // from the items, most would belong to placements long completed.
            count: format!(
                "SELECT count(*) FROM placement pl CROSS JOIN checklist_item c ON c.placement_id = pl.id
                 WHERE {checklist}"
            ),
            args: vec![horizon],
        },
    ]
}

/// The deadlines of every kind in one order: due date, kind, record (each kind comes in
/// that order, so a stable sort keeps the order of its ties).
fn merge(mut all: Vec<Deadline>) -> Vec<Deadline> {
    all.sort_by(|a, b| {
        (&a.due_date, &a.kind, &a.record_id).cmp(&(&b.due_date, &b.kind, &b.record_id))
    });
    all
}

impl Db {
    /// Deadlines from today up to `within_days` ahead, and everything overdue that is
    /// still open; soonest first.
    pub fn deadlines(&self, within_days: i64) -> Result<Vec<Deadline>> {
        self.deadlines_on(values::today(), within_days)
    }

    /// The first `limit` of [`Db::deadlines`] (soonest first) and how many there are.
    pub fn first_deadlines(&self, within_days: i64, limit: usize) -> Result<Deadlines> {
        self.first_deadlines_on(values::today(), within_days, limit)
    }

    /// [`Db::deadlines`] as seen on `today`.
    pub fn deadlines_on(&self, today: NaiveDate, within_days: i64) -> Result<Vec<Deadline>> {
        let mut all = Vec::new();
        for source in sources(today, within_days) {
            all.extend(source.deadlines(self, today, None)?);
        }
        Ok(merge(all))
    }

    /// [`Db::first_deadlines`] as seen on `today`: the first `limit` of each kind (the
    /// soonest of all are among them) and a count of each, never every deadline.
    pub fn first_deadlines_on(
        &self,
        today: NaiveDate,
        within_days: i64,
        limit: usize,
    ) -> Result<Deadlines> {
        let mut first = Vec::new();
        let mut total = 0;
        for source in sources(today, within_days) {
            first.extend(source.deadlines(self, today, Some(limit))?);
            total += source.count(self)?;
        }
        let mut items = merge(first);
        items.truncate(limit);
        Ok(Deadlines { items, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query plan of `sql` as one line per step.
    fn plan(db: &Db, sql: &str, args: &[String]) -> Vec<String> {
        let mut stmt = db
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("the query prepares");
        stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(3))
            .expect("a plan")
            .map(|r| r.expect("a plan row"))
            .collect()
    }

    /// Every deadline query walks a partial index of what can still be due (migration
    /// 0009): the soonest are its first entries, a count reads only the open rows, and no
    /// query scans a table or sorts it.
    #[test]
    fn deadline_queries_walk_their_indexes_and_never_scan_a_table() {
        let db = Db::open_in_memory().expect("a database");
        let today = NaiveDate::from_ymd_opt(2027, 8, 10).expect("a date");
        let indexes = [
            ("visa_expiry", "placement_visa_due", "placement_visa_due"),
            ("tranche_due", "tranche_due", "tranche_due"),
            ("report_due", "report_due", "report_due"),
            ("cohort_start", "cohort_start", "cohort_start"),
            ("checklist_due", "checklist_item_due", "checklist_item_open"),
        ];
        for source in sources(today, 60) {
            let (_, rows_index, count_index) = indexes
                .iter()
                .find(|(kind, _, _)| *kind == source.kind)
                .expect("every kind is checked");
            let rows = plan(&db, &format!("{} LIMIT 50", source.rows), &source.args);
            let count = plan(&db, &source.count, &source.args);
            for (what, steps, index) in
                [("rows", &rows, rows_index), ("count", &count, count_index)]
            {
                let text = steps.join("\n");
                assert!(
                    text.contains(&format!("INDEX {index} ")),
                    "{} {what} does not use {index}:\n{text}",
                    source.kind
                );
                assert!(
                    !text.contains("TEMP B-TREE"),
                    "{} {what} sorts:\n{text}",
                    source.kind
                );
                // A scan is only ever of a covering partial index (the open placements
                // whose checklist items are counted), never of a table.
                for step in steps.iter().filter(|s| s.starts_with("SCAN")) {
                    assert!(
                        step.contains("USING COVERING INDEX placement_open"),
                        "{} {what} scans: {step}\n{text}",
                        source.kind
                    );
                }
            }
        }
    }
}
