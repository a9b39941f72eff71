//! The change history: every write, field by field, with who (device), when, and a
//! hybrid logical clock that orders changes across devices.

use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use serde_json::Value;

use crate::dto::HistoryEntry;
use crate::entity::Entity;
use crate::error::Result;
use crate::records::Record;
use crate::{Db, values};

/// A hybrid logical clock: wall-clock milliseconds plus a counter, so that the stamps
/// one device issues always increase even when its clock stands still or goes back.
/// Stamps compare as text: `{ms:013}-{counter:05}-{device}`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    ms: i64,
    counter: u32,
    device: String,
}

/// The wall-clock time of a stamp, as RFC 3339 UTC with milliseconds.
pub(crate) fn hlc_time(hlc: &str) -> String {
    chrono::DateTime::from_timestamp_millis(stamp_ms(hlc))
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `n` as `width` decimal digits, zero-padded (`n` has at most `width` digits).
fn push_digits(out: &mut String, n: u64, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u64.pow(place) % 10) as u8;
        out.push(char::from(b'0' + digit));
    }
}

/// The milliseconds of a stamp (0 when it has none).
fn stamp_ms(hlc: &str) -> i64 {
    hlc.split('-')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

impl Clock {
    /// Moves the clock past a stamp received from another device (the HLC receive rule),
    /// so that local changes made afterwards order after it.
    pub(crate) fn observe(&mut self, hlc: &str) {
        let mut parts = hlc.splitn(3, '-');
        let ms: i64 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
        let counter: u32 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        if (ms, counter) > (self.ms, self.counter) {
            self.ms = ms;
            self.counter = counter;
        }
    }

    /// Resumes after the newest stamp this device issued or observed.
    ///
    /// Every lookup is an index seek, so opening a national-scale database costs
    /// nothing here: this device's stamps increase with `seq`, so its newest history
    /// row is found by walking back from the end (past only the rows a sync import
    /// appended since); the stamps received from others are in `seen`, one row per
    /// origin.
    pub(crate) fn load(conn: &Connection, device: &str) -> Result<Clock> {
        let own: Option<String> = conn
            .query_row(
                "SELECT hlc FROM history WHERE device_id = ?1 ORDER BY seq DESC LIMIT 1",
                [device],
                |r| r.get(0),
            )
            .optional()?;
        let mut clock = Clock {
            ms: 0,
            counter: 0,
            device: device.to_owned(),
        };
        if let Some(hlc) = own {
            clock.observe(&hlc);
        }
        let received: Option<String> =
            conn.query_row("SELECT max(hlc) FROM seen", [], |r| r.get(0))?;
        if let Some(hlc) = received {
            clock.observe(&hlc);
        }
        Ok(clock)
    }

    /// The newest stamp: the last [`Clock::tick`], when this device has written since.
    pub(crate) fn last(&self) -> String {
        // Written digit by digit: a bulk writer stamps every record (`format!` was a
        // visible share of an import's writing thread).
        match (u64::try_from(self.ms), self.counter) {
            (Ok(ms), counter) if ms < 10_000_000_000_000 && counter < 100_000 => {
                let mut stamp = String::with_capacity(20 + self.device.len());
                push_digits(&mut stamp, ms, 13);
                stamp.push('-');
                push_digits(&mut stamp, u64::from(counter), 5);
                stamp.push('-');
                stamp.push_str(&self.device);
                stamp
            }
            _ => format!("{:013}-{:05}-{}", self.ms, self.counter, self.device),
        }
    }

    pub(crate) fn tick(&mut self) -> String {
        let now = chrono::Utc::now().timestamp_millis();
        if now > self.ms {
            self.ms = now;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        self.last()
    }
}

/// Records the difference between `old` and `new` (an update; without `new`, a delete).
/// A record created here is recorded by [`insert_created`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    conn: &Connection,
    device: &str,
    hlc: &str,
    entity: Entity,
    id: &str,
    old: Option<&Record>,
    new: Option<&Record>,
    op: &str,
) -> Result<()> {
    let now = values::now_rfc3339();
    let entity_name = entity.name();
    let json = |v: Option<&Value>| v.filter(|v| !v.is_null()).map(Value::to_string);
    // (op, field, old value, new value) of each row, written with one statement.
    type Row<'a> = (&'a str, Option<&'a str>, Option<String>, Option<String>);
    let mut rows: Vec<Row> = Vec::new();
    match (old, new) {
        (Some(old), None) => {
            rows.push((op, None, Some(Value::Object(old.clone()).to_string()), None));
        }
        (old, Some(new)) => {
            for field in entity.fields().iter().filter(|f| f.is_writable()) {
                let before = old.and_then(|o| o.get(field.name));
                let after = new.get(field.name);
                let empty = |v: Option<&Value>| match v {
                    None | Some(Value::Null) => true,
                    Some(Value::Array(a)) => a.is_empty(),
                    Some(Value::Bool(b)) => !b && old.is_none(),
                    _ => false,
                };
                if before == after || (old.is_none() && empty(after)) {
                    continue;
                }
                let field_op = if op == "reopen" && field.name != "status" {
                    "update"
                } else {
                    op
                };
                rows.push((field_op, Some(field.name), json(before), json(after)));
            }
        }
        (None, None) => {}
    }
    if rows.is_empty() {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(&insert_sql(rows.len()))?;
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&entity_name, &id, &now, &hlc, &device];
    for (op, field, before, after) in &rows {
        params.extend([op as &dyn rusqlite::ToSql, field, before, after]);
    }
    stmt.execute(params.as_slice())?;
    Ok(())
}

/// The history entry of a record created here: ONE row holding every field it was created
/// with (a JSON object in field order, empty fields left out), not a row per field: at
/// national scale the per-field rows were the largest table of the file. `Db::history`
/// shows it field by field. None when the record has no field worth recording.
pub(crate) fn created_json(entity: Entity, new: &Record) -> Option<String> {
    let mut fields: Vec<u8> = Vec::with_capacity(256);
    fields.push(b'{');
    let all = entity.fields();
    for (field, v) in all.iter().zip(crate::records::values_of(new, all)) {
        let Some(v) = v.filter(|_| field.is_writable()) else {
            continue;
        };
        if crate::sync::is_empty_value(Some(v)) {
            continue;
        }
        if fields.len() > 1 {
            fields.push(b',');
        }
        // Writing into a byte buffer cannot fail.
        let _ = serde_json::to_writer(&mut fields, field.name);
        fields.push(b':');
        let _ = serde_json::to_writer(&mut fields, v);
    }
    if fields.len() == 1 {
        return None;
    }
    fields.push(b'}');
    String::from_utf8(fields).ok()
}

/// Writes the history entry [`created_json`] made for a record created here, with the
/// INSERT prepared at the first entry and then held (a writer of many records).
pub(crate) struct CreatedInsert<'c> {
    conn: &'c Connection,
    statement: Option<CachedStatement<'c>>,
    /// The time of writing (`changed_at`), written again within the same millisecond.
    now: TimeText,
}

impl<'c> CreatedInsert<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        CreatedInsert {
            conn,
            statement: None,
            now: TimeText::default(),
        }
    }

    pub(crate) fn insert(
        &mut self,
        device: &str,
        hlc: &str,
        entity: Entity,
        id: &str,
        op: &str,
        fields: &str,
    ) -> Result<()> {
        let now = self.now.of_ms(chrono::Utc::now().timestamp_millis());
        let statement = match &mut self.statement {
            Some(statement) => statement,
            None => self
                .statement
                .insert(self.conn.prepare_cached(&insert_sql(1))?),
        };
        statement.execute(rusqlite::params![
            entity.name(),
            id,
            now,
            hlc,
            device,
            op,
            None::<&str>,
            None::<&str>,
            fields
        ])?;
        Ok(())
    }
}

/// A time as RFC 3339 UTC text with milliseconds ([`values::now_rfc3339`], [`hlc_time`]),
/// formatted again only when its millisecond changes: a bulk writer stamps dozens of
/// records within one.
#[derive(Debug, Default)]
pub(crate) struct TimeText {
    ms: Option<i64>,
    text: String,
}

impl TimeText {
    /// The time `ms` milliseconds after the epoch.
    pub(crate) fn of_ms(&mut self, ms: i64) -> &str {
        if self.ms != Some(ms) {
            self.ms = Some(ms);
            self.text = chrono::DateTime::from_timestamp_millis(ms)
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        }
        &self.text
    }

    /// The wall-clock time of a stamp: [`hlc_time`].
    pub(crate) fn of_stamp(&mut self, hlc: &str) -> &str {
        self.of_ms(stamp_ms(hlc))
    }
}

/// The INSERT of `n` history rows, built once for each `n` up to the widest record.
/// ?1..?5 are shared by every row; each row adds its op, field, old and new value.
/// `OR FAIL` spares SQLite a statement journal (and the search index a flush) for this
/// many-row insert; a failure still fails the caller's savepoint, which undoes the write.
fn insert_sql(n: usize) -> std::borrow::Cow<'static, str> {
    fn build(n: usize) -> String {
        let values: Vec<String> = (0..n)
            .map(|i| {
                let p = 6 + 4 * i;
                format!(
                    "(?1, ?2, ?{p}, ?{}, ?{}, ?{}, ?3, ?4, ?5)",
                    p + 1,
                    p + 2,
                    p + 3
                )
            })
            .collect();
        format!(
            "INSERT OR FAIL INTO history
             (entity, record_id, op, field, old_value, new_value, changed_at, hlc, device_id)
             VALUES {}",
            values.join(", ")
        )
    }
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    match SQL.get_or_init(|| (0..=32).map(build).collect()).get(n) {
        Some(sql) => std::borrow::Cow::Borrowed(sql),
        None => std::borrow::Cow::Owned(build(n)),
    }
}

impl Db {
    /// The record's history, oldest first (also after the record was deleted).
    pub fn history(&self, entity: Entity, id: &str) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT h.seq, h.op, h.field, h.old_value, h.new_value, h.changed_at, h.device_id,
                    coalesce(d.name, h.device_id)
             FROM history h LEFT JOIN device d ON d.id = h.device_id
             WHERE h.entity = ?1 AND h.record_id = ?2 ORDER BY h.seq",
        )?;
        let parse = |s: Option<String>| {
            s.and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(Value::Null)
        };
        let rows = stmt.query_map(params![entity.name(), id], |r| {
            Ok(HistoryEntry {
                seq: r.get(0)?,
                op: r.get(1)?,
                field: r.get(2)?,
                old_value: parse(r.get(3)?),
                new_value: parse(r.get(4)?),
                changed_at: r.get(5)?,
                device_id: r.get(6)?,
                device_name: r.get(7)?,
            })
        })?;
        let mut entries = Vec::new();
        for entry in rows {
            let entry = entry?;
            // A record created here is one row of all its fields: shown field by field.
            match (&entry.field, &entry.new_value) {
                (None, Value::Object(fields)) if entry.op == "create" => {
                    for (field, value) in fields {
                        entries.push(HistoryEntry {
                            field: Some(field.clone()),
                            old_value: Value::Null,
                            new_value: value.clone(),
                            ..entry.clone()
                        });
                    }
                }
                _ => entries.push(entry),
            }
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn stamps_are_time_counter_and_device_zero_padded() {
        for (ms, counter) in [
            (0, 0),
            (1_796_652_045_622, 7),
            (9_999_999_999_999, 99_999),
            (10_000_000_000_000, 100_000),
            (-5, 3),
        ] {
            let clock = Clock {
                ms,
                counter,
                device: "dev".into(),
            };
            assert_eq!(clock.last(), format!("{ms:013}-{counter:05}-dev"));
        }
    }
}
