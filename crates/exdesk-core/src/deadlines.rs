//! Deadlines derived from the records (never stored): visas, tranches, reports, cohort
//! starts and checklist items.

use chrono::NaiveDate;

use crate::dto::{Deadline, Deadlines};
use crate::entity::Entity;
use crate::error::Result;
use crate::{Db, values};

/// A visa is flagged when it expires within this many days.
pub const VISA_WARNING_DAYS: i64 = 60;
/// A cohort start is flagged this many days ahead.
pub const COHORT_START_DAYS: i64 = 30;

const PERSON_NAME: &str = "trim(coalesce(p.given_name || ' ' || p.family_name, p.given_name_he || ' ' || p.family_name_he, ''))";

impl Db {
    /// Deadlines from today up to `within_days` ahead, and everything overdue that is
    /// still open; soonest first.
    pub fn deadlines(&self, within_days: i64) -> Result<Vec<Deadline>> {
        self.deadlines_on(values::today(), within_days)
    }

    /// The first `limit` of [`Db::deadlines`] (soonest first) and how many there are.
    pub fn first_deadlines(&self, within_days: i64, limit: usize) -> Result<Deadlines> {
        let mut items = self.deadlines(within_days)?;
        let total = items.len() as u32;
        items.truncate(limit);
        Ok(Deadlines { items, total })
    }

    /// [`Db::deadlines`] as seen on `today`.
    pub fn deadlines_on(&self, today: NaiveDate, within_days: i64) -> Result<Vec<Deadline>> {
        let t = today.to_string();
        let horizon = (today + chrono::Days::new(within_days.max(0) as u64)).to_string();
        let visa_horizon = (today + chrono::Days::new(VISA_WARNING_DAYS as u64)).to_string();
        let start_horizon = (today + chrono::Days::new(COHORT_START_DAYS as u64)).to_string();
        let mut out = Vec::new();
        let mut collect = |kind: &str, entity: Entity, sql: &str, args: &[&str]| -> Result<()> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?;
            for row in rows {
                let (due, id, title, detail, cohort_id) = row?;
                let days_left = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
                    .map(|d| (d - today).num_days() as i32)
                    .unwrap_or(0);
                out.push(Deadline {
                    kind: kind.to_owned(),
                    due_date: due,
                    entity,
                    record_id: id,
                    title,
                    detail,
                    days_left,
                    cohort_id,
                });
            }
            Ok(())
        };
        let open = "pl.status NOT IN ('completed', 'withdrawn', 'declined')";
        collect(
            "visa_expiry",
            Entity::Placement,
            &format!(
                "SELECT pl.visa_expires, pl.id, {PERSON_NAME},
                        coalesce(pl.visa_type, 'Visa') || CASE WHEN pl.end_date IS NOT NULL AND pl.visa_expires < pl.end_date
                        THEN ' expires before the placement ends (' || pl.end_date || ')' ELSE ' expires' END,
                        pl.cohort_id
                 FROM placement pl JOIN person p ON p.id = pl.person_id
                 WHERE pl.visa_expires IS NOT NULL AND {open}
                   AND (pl.visa_expires <= ?1 OR (pl.end_date IS NOT NULL AND pl.visa_expires < pl.end_date))"
            ),
            &[&visa_horizon],
        )?;
        collect(
            "tranche_due",
            Entity::Fellowship,
            &format!(
                "SELECT t.due_date, f.id, {PERSON_NAME},
                        f.title || ': tranche of ' || printf('%.2f', t.amount_minor / 100.0) || ' ' || f.currency ||
                        CASE t.status WHEN 'held' THEN ' (held)' ELSE '' END,
                        (SELECT cohort_id FROM placement WHERE id = f.placement_id)
                 FROM tranche t JOIN fellowship f ON f.id = t.fellowship_id JOIN person p ON p.id = f.person_id
                 WHERE t.status <> 'paid' AND t.due_date <= ?1"
            ),
            &[&horizon],
        )?;
        collect(
            "report_due",
            Entity::Fellowship,
            &format!(
                "SELECT r.due_date, f.id, {PERSON_NAME}, f.title || ': ' || r.title,
                        (SELECT cohort_id FROM placement WHERE id = f.placement_id)
                 FROM report r JOIN fellowship f ON f.id = r.fellowship_id JOIN person p ON p.id = f.person_id
                 WHERE r.submitted_on IS NULL AND r.due_date IS NOT NULL AND r.due_date <= ?1"
            ),
            &[&horizon],
        )?;
        collect(
            "cohort_start",
            Entity::Cohort,
            "SELECT c.start_date, c.id, c.name, 'Cohort starts', c.id
             FROM cohort c WHERE c.start_date >= ?1 AND c.start_date <= ?2",
            &[&t, &start_horizon.max(horizon.clone())],
        )?;
        collect(
            "checklist_due",
            Entity::Placement,
            &format!(
                "SELECT c.due_date, pl.id, {PERSON_NAME}, replace(c.kind, '_', ' ') || ' (' || c.status || ')',
                        pl.cohort_id
                 FROM checklist_item c JOIN placement pl ON pl.id = c.placement_id JOIN person p ON p.id = pl.person_id
                 WHERE c.status <> 'verified' AND c.due_date IS NOT NULL AND c.due_date <= ?1 AND {open}"
            ),
            &[&horizon],
        )?;
        out.sort_by(|a, b| {
            (&a.due_date, &a.kind, &a.record_id).cmp(&(&b.due_date, &b.kind, &b.record_id))
        });
        Ok(out)
    }
}
