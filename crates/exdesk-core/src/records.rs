//! Generic record operations (add, get, update, delete, list) driven by the field
//! descriptions of [`crate::entity`]. Every write parses its input at the edge, checks the
//! entity's rules ([`crate::rules`]), runs in one transaction and is recorded in history.

use std::collections::BTreeMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{CachedStatement, Connection, OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

use crate::dto::Page;
use crate::entity::{Child, Field, Kind};
use crate::error::{Error, Problem, Problems, Result};
use crate::msg;
use crate::values;
use crate::{Db, Entity, history, rules, search};

/// A record as a JSON object, keys in the order of its fields.
pub(crate) type Record = Map<String, Value>;

/// Options of a write that relax a rule on purpose.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Add a placement past its cohort's capacity.
    pub over_capacity: bool,
    /// Allow a placement's status to move backward; the move is recorded as a reopen.
    pub reopen: bool,
}

/// What `list` returns: an optional text filter, equality filters, paging.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Free text: matched like the global search (prefix, any script).
    pub query: Option<String>,
    /// `field = value` filters on columns of the entity, e.g. `("cohort_id", id)`.
    pub filters: Vec<(String, String)>,
    pub limit: Option<usize>,
    pub offset: usize,
    /// A column to sort by instead of the entity's default order (`family_name` sorts a
    /// person by family then given name in any script).
    pub sort: Option<String>,
    pub descending: bool,
}

/// The outcome of one write of a bulk change.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BulkOutcome {
    pub id: String,
    pub ok: bool,
    /// Why the write was refused (empty when it succeeded).
    pub problems: Vec<Problem>,
}

impl Db {
    /// Validates `input` and creates the record; returns it as stored (with id and
    /// derived fields). Nothing is written when any field is invalid.
    pub fn add(&mut self, entity: Entity, input: &Value, opts: WriteOptions) -> Result<Value> {
        let id = self.add_record(entity, input, opts)?;
        self.get(entity, &id)
    }

    /// [`Db::add`] without reading the record back: returns its id (bulk writers such as
    /// `gen` that do not need the stored record).
    pub(crate) fn add_record(
        &mut self,
        entity: Entity,
        input: &Value,
        opts: WriteOptions,
    ) -> Result<String> {
        let rec = parse_input(entity, input, None)?;
        let tx = self.conn.savepoint()?;
        let id = insert_new(&tx, &mut self.clock, &self.device_id, entity, rec, opts)?;
        tx.commit()?;
        Ok(id)
    }

    /// [`Db::add_record`] for a bulk writer that holds a savepoint of its own and rolls
    /// all of it back when any write fails (`gen`), given input already parsed by
    /// [`parse_input`] (on another thread): the same checks and writes, without one more
    /// savepoint per record.
    pub(crate) fn insert_parsed(
        &mut self,
        entity: Entity,
        rec: Record,
        opts: WriteOptions,
    ) -> Result<String> {
        insert_new(
            &self.conn,
            &mut self.clock,
            &self.device_id,
            entity,
            rec,
            opts,
        )
    }

    /// The record with that id.
    pub fn get(&self, entity: Entity, id: &str) -> Result<Value> {
        read(&self.conn, entity, id)?
            .map(Value::Object)
            .ok_or_else(|| Error::not_found(entity.name(), id))
    }

    /// Applies the fields of `patch` (the others stay as they are); returns the record.
    /// Nothing is written when any field is invalid or a rule refuses the change (a field
    /// a partner copy was received without among them: [`Db::partner_copy_fields`]).
    pub fn update(
        &mut self,
        entity: Entity,
        id: &str,
        patch: &Value,
        opts: WriteOptions,
    ) -> Result<Value> {
        let old =
            read(&self.conn, entity, id)?.ok_or_else(|| Error::not_found(entity.name(), id))?;
        let mut rec = parse_input(entity, patch, Some(&old))?;
        let changed = entity
            .fields()
            .iter()
            .any(|f| f.is_writable() && rec.get(f.name) != old.get(f.name));
        if !changed {
            return Ok(Value::Object(old));
        }
        crate::sync::check_partner_copy(&self.conn, entity, id, &old, &rec)?;
        let hlc = self.clock.tick();
        rec.insert("updated_at".into(), Value::String(history::hlc_time(&hlc)));
        let tx = self.conn.savepoint()?;
        check_refs(&tx, entity, &rec)?;
        let op = rules::check(&tx, entity, &mut rec, Some(&old), opts)?;
        update_row(&tx, entity, &rec)?;
        write_lists(&tx, entity, id, &rec, Some(&old))?;
        search::index(&tx, entity, &rec)?;
        rules::after_update(&tx, entity, &rec, &old)?;
        history::record(
            &tx,
            &self.device_id,
            &hlc,
            entity,
            id,
            Some(&old),
            Some(&rec),
            op,
        )?;
        crate::sync::record_local(
            &tx,
            entity,
            id,
            Some(&old),
            Some(&rec),
            &hlc,
            &self.device_id,
        )?;
        tx.commit()?;
        self.get(entity, id)
    }

    /// Deletes the record (with its checklist, tranches, reports or quotas). Refused while
    /// other records refer to it. The deleted record stays in history.
    pub fn delete(&mut self, entity: Entity, id: &str) -> Result<()> {
        let old =
            read(&self.conn, entity, id)?.ok_or_else(|| Error::not_found(entity.name(), id))?;
        let tx = self.conn.savepoint()?;
        let users = referrers(&tx, entity, id)?;
        if !users.is_empty() {
            return Err(Error::refused(
                "",
                msg!(RECORD_IN_USE, entity, users = users.join(", ")),
            ));
        }
        tx.execute(&format!("DELETE FROM {entity} WHERE id = ?1"), [id])?;
        search::unindex(&tx, id)?;
        let hlc = self.clock.tick();
        history::record(
            &tx,
            &self.device_id,
            &hlc,
            entity,
            id,
            Some(&old),
            None,
            "delete",
        )?;
        crate::sync::record_local(&tx, entity, id, Some(&old), None, &hlc, &self.device_id)?;
        tx.commit()?;
        Ok(())
    }

    /// Matching records in the entity's default order.
    pub fn list(&self, entity: Entity, query: &ListQuery) -> Result<Vec<Value>> {
        self.list_from(entity, query, false)
    }

    /// [`Db::list`], or with `from_end` the same rows found by walking the order backwards
    /// from the end (`query.offset` then counts from the last row), returned in order.
    fn list_from(&self, entity: Entity, query: &ListQuery, from_end: bool) -> Result<Vec<Value>> {
        let (where_sql, params) = where_clause(entity, query)?;
        let mut runs = order_runs(entity, query)?;
        if from_end {
            runs.reverse();
            for run in &mut runs {
                run.order = reversed(&run.order);
            }
        }
        // The runs one after the other: `skip` rows of the order are passed over, then
        // `left` (all when None) are taken, run by run.
        let mut ids: Vec<String> = Vec::new();
        let mut skip = query.offset as i64;
        let mut left = query.limit.map(|l| l as i64);
        for (i, run) in runs.iter().enumerate() {
            if left == Some(0) {
                break;
            }
            let run_where = match &run.only {
                Some(only) => format!("{where_sql} AND {only}"),
                None => where_sql.clone(),
            };
            let sql = format!(
                "SELECT id FROM {entity} WHERE {run_where} ORDER BY {} LIMIT {} OFFSET {skip}",
                run.order,
                left.unwrap_or(-1)
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let got: Vec<String> = stmt
                .query_map(params_from_iter(params.iter()), |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if got.is_empty() && skip > 0 && i + 1 < runs.len() {
                // The page starts past this run: the next one skips what is left.
                let rows: i64 = self.conn.query_row(
                    &format!("SELECT count(*) FROM {entity} WHERE {run_where}"),
                    params_from_iter(params.iter()),
                    |r| r.get(0),
                )?;
                skip -= rows.min(skip);
            } else {
                skip = 0;
            }
            left = left.map(|l| l - got.len() as i64);
            ids.extend(got);
        }
        if from_end {
            ids.reverse();
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(rec) = read(&self.conn, entity, &id)? {
                out.push(Value::Object(rec));
            }
        }
        Ok(out)
    }

    /// One page of matching records and the total count (for list views).
    pub fn page(&self, entity: Entity, query: &ListQuery) -> Result<Page> {
        let (where_sql, params) = where_clause(entity, query)?;
        let total: u32 = self.conn.query_row(
            &format!("SELECT count(*) FROM {entity} WHERE {where_sql}"),
            params_from_iter(params),
            |r| r.get(0),
        )?;
        let limit = query.limit.unwrap_or(100);
        // A page past the middle is found from the end: an index walked backwards skips
        // at most half the rows (the last page of 200,000 people skipped 199,900).
        let rows = if query.offset > total as usize / 2 && query.offset < total as usize {
            let end = (query.offset + limit).min(total as usize);
            let q = ListQuery {
                limit: Some(end - query.offset),
                offset: total as usize - end,
                ..query.clone()
            };
            self.list_from(entity, &q, true)?
        } else {
            let q = ListQuery {
                limit: Some(limit),
                ..query.clone()
            };
            self.list(entity, &q)?
        };
        Ok(Page { rows, total })
    }

    /// How many records of `entity` refer through `field` (a reference) to each of `ids`
    /// (e.g. placements per cohort for a page of the cohort list): one grouped query
    /// over the reference's index instead of one count per row. Every id is a key, with
    /// 0 when nothing refers to it.
    pub fn count_by(
        &self,
        entity: Entity,
        field: &str,
        ids: &[String],
    ) -> Result<BTreeMap<String, u32>> {
        if !entity
            .field(field)
            .is_some_and(|f| matches!(f.kind, Kind::Ref(_)))
        {
            return Err(Error::invalid(
                field.to_owned(),
                msg!(LIST_BAD_FILTER, entity, field = field),
            ));
        }
        let mut out: BTreeMap<String, u32> = ids.iter().map(|id| (id.clone(), 0)).collect();
        // In chunks, under SQLite's limit on parameters.
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {field}, count(*) FROM {entity} WHERE {field} IN ({marks}) GROUP BY {field}"
            ))?;
            let rows = stmt.query_map(params_from_iter(chunk), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
            })?;
            for row in rows {
                let (id, n) = row?;
                out.insert(id, n);
            }
        }
        Ok(out)
    }

    /// Applies the same patch to each record on its own (e.g. a bulk status move): every
    /// write obeys the rules, and one refused write does not stop the others.
    pub fn update_each(
        &mut self,
        entity: Entity,
        ids: &[String],
        patch: &Value,
        opts: WriteOptions,
    ) -> Result<Vec<BulkOutcome>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let outcome = match self.update(entity, id, patch, opts) {
                Ok(_) => BulkOutcome {
                    id: id.clone(),
                    ok: true,
                    problems: vec![],
                },
                Err(e @ (Error::Invalid(_) | Error::Refused(_) | Error::NotFound { .. })) => {
                    BulkOutcome {
                        id: id.clone(),
                        ok: false,
                        problems: e.problems(),
                    }
                }
                Err(e) => return Err(e),
            };
            out.push(outcome);
        }
        Ok(out)
    }

    /// The problems a write would meet, without writing: the record as `add` (no `id`)
    /// or `update` (with `id`) would see it. Empty when the write would succeed.
    pub fn validate(
        &mut self,
        entity: Entity,
        input: &Value,
        id: Option<&str>,
        opts: WriteOptions,
    ) -> Result<Vec<Problem>> {
        self.conn.execute_batch("SAVEPOINT validate")?;
        let outcome = match id {
            None => self.add(entity, input, opts).map(|_| ()),
            Some(id) => self.update(entity, id, input, opts).map(|_| ()),
        };
        self.conn
            .execute_batch("ROLLBACK TO validate; RELEASE validate")?;
        match outcome {
            Ok(()) => Ok(vec![]),
            Err(e @ (Error::Invalid(_) | Error::Refused(_) | Error::NotFound { .. })) => {
                Ok(e.problems())
            }
            Err(e) => Err(e),
        }
    }

    /// The id of the cohort named by `id_or_name`: an id, or an exact cohort name.
    pub fn resolve_cohort(&self, id_or_name: &str) -> Result<String> {
        if exists(&self.conn, Entity::Cohort, id_or_name)? {
            return Ok(id_or_name.to_owned());
        }
        let mut stmt = self.conn.prepare("SELECT id FROM cohort WHERE name = ?1")?;
        let ids: Vec<String> = stmt
            .query_map([id_or_name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => Ok(id.clone()),
            [] => Err(Error::NotFound {
                entity: "cohort".into(),
                id: format!("or name {id_or_name:?}"),
            }),
            _ => Err(Error::invalid(
                "cohort",
                msg!(COHORT_NAME_AMBIGUOUS, n = ids.len(), name = id_or_name),
            )),
        }
    }
}

/// Writes a parsed new record inside the caller's savepoint: its id and time stamps,
/// references, rules, row, lists, search entry, history and sync clocks.
pub(crate) fn insert_new(
    conn: &Connection,
    clock: &mut history::Clock,
    device_id: &str,
    entity: Entity,
    rec: Record,
    opts: WriteOptions,
) -> Result<String> {
    let new = prepare_new(conn, entity, rec, opts)?;
    let id = write_new(conn, clock, device_id, new)?;
    crate::sync::note_seen(conn, device_id, &clock.last())?;
    Ok(id)
}

/// A new record checked against every rule and turned into the rows it writes: all of
/// [`insert_new`] that does not depend on the moment of writing (its clock stamp), so that
/// an import can prepare records on one thread while another writes them.
pub(crate) struct NewRecord {
    entity: Entity,
    pub(crate) id: String,
    rec: Record,
    op: &'static str,
    /// The row's values in [`insert_row`]'s order, without `created_at` and `updated_at`.
    row: Vec<SqlValue>,
    search: Option<String>,
    history: Option<String>,
    clock_fields: String,
}

/// The checks and derivations of [`insert_new`]: references, rules, derived columns, the
/// search words and the history and sync-clock entries. Reads only.
pub(crate) fn prepare_new(
    conn: &Connection,
    entity: Entity,
    mut rec: Record,
    opts: WriteOptions,
) -> Result<NewRecord> {
    let id = match rec.get("id").and_then(Value::as_str) {
        Some(id) => {
            if exists(conn, entity, id)? {
                return Err(Error::refused("id", msg!(RECORD_ID_EXISTS, entity, id)));
            }
            id.to_owned()
        }
        None => uuid::Uuid::now_v7().to_string(),
    };
    rec.insert("id".into(), Value::String(id.clone()));
    check_refs(conn, entity, &rec)?;
    let op = rules::check(conn, entity, &mut rec, None, opts)?;
    let mut row = Vec::with_capacity(entity.fields().len() + 3);
    row.push(SqlValue::Text(id.clone()));
    let fields = entity.fields();
    row.extend(
        fields
            .iter()
            .zip(values_of(&rec, fields))
            .filter(|(f, _)| f.is_column())
            .map(|(f, v)| json_to_sql(f.kind, v)),
    );
    row.extend(
        rules::derived_values(entity, &rec)
            .into_iter()
            .map(|v| v.map_or(SqlValue::Null, SqlValue::Text)),
    );
    Ok(NewRecord {
        entity,
        search: search::body(conn, entity, &rec)?,
        history: history::created_json(entity, &rec),
        clock_fields: crate::sync::created_fields(entity, &rec),
        id,
        rec,
        op,
        row,
    })
}

/// Writes a record [`prepare_new`] made ready, stamped with the clock's next tick; returns
/// its id. Writes only (the caller's transaction undoes it on a later failure). The
/// caller notes the clock's stamp as seen (`sync::note_seen`), once for many records.
pub(crate) fn write_new(
    conn: &Connection,
    clock: &mut history::Clock,
    device_id: &str,
    new: NewRecord,
) -> Result<String> {
    NewRecordWriter::new(conn, new.entity)?.write(clock, device_id, new)
}

/// The statements that write new records of one entity ([`write_new`]), held for as long
/// as the writer lives: an import writes a hundred thousand records with them instead of
/// looking each statement up in the connection's cache (hashing its SQL) for every record.
pub(crate) struct NewRecordWriter<'c> {
    conn: &'c Connection,
    entity: Entity,
    insert: CachedStatement<'c>,
    search: search::EntryInserts<'c>,
    history: history::CreatedInsert<'c>,
    clock: crate::sync::CreatedClockInsert<'c>,
    /// The time of the last stamp, as `created_at` text: written again while the clock
    /// stays in the same millisecond.
    time: history::TimeText,
}

impl<'c> NewRecordWriter<'c> {
    pub(crate) fn new(conn: &'c Connection, entity: Entity) -> Result<Self> {
        Ok(NewRecordWriter {
            conn,
            entity,
            insert: conn.prepare_cached(insert_sql(entity))?,
            search: search::EntryInserts::new(conn),
            history: history::CreatedInsert::new(conn),
            clock: crate::sync::CreatedClockInsert::new(conn)?,
            time: history::TimeText::default(),
        })
    }

    /// [`write_new`] with the statements held: the same rows.
    pub(crate) fn write(
        &mut self,
        clock: &mut history::Clock,
        device_id: &str,
        new: NewRecord,
    ) -> Result<String> {
        let NewRecord {
            entity,
            id,
            rec,
            op,
            mut row,
            search,
            history,
            clock_fields,
        } = new;
        debug_assert_eq!(entity, self.entity);
        let hlc = clock.tick();
        let now = self.time.of_stamp(&hlc);
        row.push(SqlValue::Text(now.to_owned()));
        row.push(SqlValue::Text(now.to_owned()));
        self.insert.execute(params_from_iter(row))?;
        write_lists(self.conn, entity, &id, &rec, None)?;
        if let Some(body) = search {
            self.search.insert(entity, &id, &body)?;
        }
        if let Some(fields) = history {
            self.history
                .insert(device_id, &hlc, entity, &id, op, &fields)?;
        }
        self.clock
            .insert(entity, &id, &clock_fields, &hlc, device_id)?;
        Ok(id)
    }
}

// ---------------------------------------------------------------- reading

pub(crate) fn exists(conn: &Connection, entity: Entity, id: &str) -> Result<bool> {
    static SQL: std::sync::OnceLock<[String; 7]> = std::sync::OnceLock::new();
    let sql = entity_sql(&SQL, entity, |entity| {
        format!("SELECT EXISTS (SELECT 1 FROM {entity} WHERE id = ?1)")
    });
    Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
}

fn column_fields(entity: Entity) -> impl Iterator<Item = &'static Field> {
    entity.fields().iter().filter(|f| f.is_column())
}

/// Reads one record with its lists, children and computed fields.
pub(crate) fn read(conn: &Connection, entity: Entity, id: &str) -> Result<Option<Record>> {
    let cols: Vec<&str> = column_fields(entity).map(|f| f.name).collect();
    let sql = format!(
        "SELECT {}, created_at, updated_at FROM {entity} WHERE id = ?1",
        cols.join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let row: Option<Vec<SqlValue>> = stmt
        .query_row([id], |r| {
            (0..cols.len() + 2)
                .map(|i| r.get::<_, SqlValue>(i))
                .collect()
        })
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let mut values = row.into_iter();
    let mut rec = Record::new();
    rec.insert("id".into(), Value::String(id.to_owned()));
    for field in entity.fields() {
        let value = match field.kind {
            Kind::RefList { table, column, .. } => read_ref_list(conn, entity, table, column, id)?,
            Kind::Children(child) => read_children(conn, child, id)?,
            Kind::Computed => Value::Null,
            kind => sql_to_json(kind, values.next().unwrap_or(SqlValue::Null)),
        };
        rec.insert(field.name.into(), value);
    }
    rec.insert(
        "created_at".into(),
        sql_to_json(Kind::Name, values.next().unwrap_or(SqlValue::Null)),
    );
    rec.insert(
        "updated_at".into(),
        sql_to_json(Kind::Name, values.next().unwrap_or(SqlValue::Null)),
    );
    rules::compute(conn, entity, &mut rec)?;
    Ok(Some(rec))
}

pub(crate) fn sql_to_json(kind: Kind, v: SqlValue) -> Value {
    match (kind, v) {
        (Kind::Bool, SqlValue::Integer(i)) => Value::Bool(i != 0),
        (Kind::Bool, _) => Value::Bool(false),
        (Kind::CountryList | Kind::EnumList { .. }, SqlValue::Text(t)) => {
            serde_json::from_str(&t).unwrap_or(Value::Array(vec![]))
        }
        (Kind::CountryList | Kind::EnumList { .. }, _) => Value::Array(vec![]),
        (_, SqlValue::Integer(i)) => Value::from(i),
        (_, SqlValue::Text(t)) => Value::String(t),
        (_, SqlValue::Real(r)) => Value::from(r),
        (_, _) => Value::Null,
    }
}

fn read_ref_list(
    conn: &Connection,
    entity: Entity,
    table: &str,
    column: &str,
    id: &str,
) -> Result<Value> {
    let sql = format!("SELECT {column} FROM {table} WHERE {entity}_id = ?1 ORDER BY position");
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Value::from(ids))
}

fn read_children(conn: &Connection, child: &Child, id: &str) -> Result<Value> {
    let cols: Vec<&str> = child.fields.iter().map(|f| f.name).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = ?1 ORDER BY position",
        cols.join(", "),
        child.table,
        child.parent_column
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([id], |r| {
        let mut obj = Map::new();
        for (i, f) in child.fields.iter().enumerate() {
            obj.insert(f.name.into(), sql_to_json(f.kind, r.get::<_, SqlValue>(i)?));
        }
        Ok(Value::Object(obj))
    })?;
    Ok(Value::Array(rows.collect::<rusqlite::Result<_>>()?))
}

// ---------------------------------------------------------------- parsing input

/// Parses `input` over `existing` (or over an empty record for an add): every field is
/// checked and canonicalised, every problem is reported at once.
pub(crate) fn parse_input(
    entity: Entity,
    input: &Value,
    existing: Option<&Record>,
) -> Result<Record> {
    let Some(obj) = input.as_object() else {
        return Err(Error::invalid("", msg!(RECORD_NOT_OBJECT, entity)));
    };
    let mut problems = Problems::default();
    let mut rec = match existing {
        Some(old) => old.clone(),
        None => blank(entity),
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "id" | "created_at" | "updated_at")
            && entity.field(key).is_none()
        {
            let known: Vec<&str> = entity
                .fields()
                .iter()
                .filter(|f| f.is_writable())
                .map(|f| f.name)
                .collect();
            problems.push(
                key.as_str(),
                msg!(RECORD_UNKNOWN_FIELD, entity, fields = known.join(", ")),
            );
        }
    }
    match (existing, obj.get("id")) {
        (_, None) | (None, Some(Value::Null)) => {}
        (Some(old), Some(v)) if old.get("id") == Some(v) => {}
        (Some(_), Some(_)) => problems.push("id", msg!(RECORD_ID_CHANGED)),
        (None, Some(v)) => {
            if let Some(id) = problems.take(parse_id("id", v)) {
                rec.insert("id".into(), Value::String(id));
            }
        }
    }
    let fields = entity.fields();
    let mut parsed: Vec<Option<Value>> = vec![None; fields.len()];
    for ((field, value), parsed) in fields.iter().zip(values_of(obj, fields)).zip(&mut parsed) {
        let Some(value) = value else {
            continue;
        };
        if !field.is_writable() {
            let same = existing.is_some_and(|old| old.get(field.name) == Some(value));
            if !same && !value.is_null() {
                problems.push(field.name, msg!(FIELD_DERIVED));
            }
        } else if let Kind::Children(child) = field.kind {
            // Every problem of every item at once (a quota with a bad direction and
            // negative places is told both); `parse_value` keeps the first, for sync.
            match parse_children_all(field.name, child, value) {
                Ok(v) => *parsed = Some(v),
                Err(all) => all.into_iter().for_each(|p| problems.push_problem(p)),
            }
        } else {
            *parsed = problems.take(parse_value(field.name, field.kind, value));
        }
    }
    // The parsed values into their fields' places (one pass), then any field the record
    // lacked, in field order.
    for (key, slot) in rec.iter_mut() {
        if let Some(at) = fields.iter().position(|f| f.name == key)
            && let Some(v) = parsed[at].take()
        {
            *slot = v;
        }
    }
    for (field, v) in fields.iter().zip(parsed) {
        if let Some(v) = v {
            rec.insert(field.name.into(), v);
        }
    }
    for (field, v) in fields.iter().zip(values_of(&rec, fields)) {
        let Some(v) = v else {
            continue;
        };
        let missing = match (field.kind, v) {
            (_, Value::Null) => field.required,
            (Kind::RefList { min, .. }, Value::Array(a)) => a.len() < min,
            (Kind::EnumList { min, .. }, Value::Array(a)) => a.len() < min,
            _ => false,
        };
        if missing && !problems_has(&problems, field.name) {
            let message = match field.kind {
                Kind::RefList { min, .. } | Kind::EnumList { min, .. } if min > 1 => {
                    msg!(FIELD_MIN_ENTRIES, min)
                }
                Kind::RefList { .. } | Kind::EnumList { .. } => msg!(FIELD_ONE_ENTRY),
                _ => msg!(FIELD_REQUIRED),
            };
            problems.push(field.name, message);
        }
    }
    if entity == Entity::Person && !problems.is_empty() {
        // The rules are checked once the fields are read; that a name is missing is told
        // with the problems of the fields now (else a second round would find it).
        crate::rules::person_names(&rec, &mut problems);
    }
    problems.into_result()?;
    Ok(rec)
}

fn problems_has(problems: &Problems, field: &str) -> bool {
    problems
        .iter()
        .any(|p| p.field == field || p.field.starts_with(&format!("{field}[")))
}

/// An empty record of `entity`: every field, empty. Built once per entity and copied
/// (a copy keeps the map's hashes of the field names).
pub(crate) fn blank(entity: Entity) -> Record {
    static BLANK: std::sync::OnceLock<[Record; 7]> = std::sync::OnceLock::new();
    let all = BLANK.get_or_init(|| {
        Entity::ALL.map(|entity| {
            let mut rec = Record::new();
            for f in entity.fields() {
                let v = match f.kind {
                    Kind::Bool => Value::Bool(false),
                    Kind::RefList { .. }
                    | Kind::CountryList
                    | Kind::EnumList { .. }
                    | Kind::Children(_) => Value::Array(vec![]),
                    _ => Value::Null,
                };
                rec.insert(f.name.into(), v);
            }
            rec
        })
    });
    debug_assert_eq!(Entity::ALL[entity as usize], entity);
    all[entity as usize].clone()
}

/// The values `rec` holds for each of `fields`, in their order (None where it has none):
/// one pass over the record instead of a hashed lookup of each field name. A record
/// built from the description holds its fields in this order, so each is found at once.
pub(crate) fn values_of<'r>(rec: &'r Record, fields: &[Field]) -> Vec<Option<&'r Value>> {
    values_by_name(rec, fields.len(), |i| fields[i].name)
}

/// [`values_of`] for the `n` names that `name` gives by position.
pub(crate) fn values_by_name<'r, 'n>(
    rec: &'r Record,
    n: usize,
    name: impl Fn(usize) -> &'n str,
) -> Vec<Option<&'r Value>> {
    let mut out = vec![None; n];
    let mut next = 0;
    for (key, value) in rec {
        let key = key.as_str();
        let at = if next < n && name(next) == key {
            Some(next)
        } else {
            (0..n).find(|&i| name(i) == key)
        };
        if let Some(at) = at {
            out[at] = Some(value);
            next = at + 1;
        }
    }
    out
}

fn parse_id(field: &str, v: &Value) -> Result<String, Problem> {
    let s = v
        .as_str()
        .ok_or_else(|| Problem::new(field, msg!(VALUE_ID_NOT_TEXT)))?;
    uuid::Uuid::parse_str(s.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| Problem::new(field, msg!(VALUE_NOT_ID, value = s)))
}

fn as_text<'a>(field: &str, v: &'a Value) -> Result<&'a str, Problem> {
    v.as_str()
        .ok_or_else(|| Problem::new(field, msg!(VALUE_NOT_TEXT, kind = type_name(v))))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A list given as a JSON array, or as one text of comma-separated values.
fn as_list<'a>(field: &str, v: &'a Value) -> Result<Vec<&'a str>, Problem> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| as_text(&format!("{field}[{i}]"), item))
            .collect(),
        Value::String(s) => Ok(s
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()),
        other => Err(Problem::new(
            field,
            msg!(VALUE_NOT_LIST, kind = type_name(other)),
        )),
    }
}

fn parse_value(field: &str, kind: Kind, v: &Value) -> Result<Value, Problem> {
    if v.is_null() || v.as_str().is_some_and(|s| values::trim(s).is_empty()) {
        return Ok(match kind {
            Kind::RefList { .. }
            | Kind::CountryList
            | Kind::EnumList { .. }
            | Kind::Children(_) => Value::Array(vec![]),
            Kind::Bool => Value::Bool(false),
            _ => Value::Null,
        });
    }
    let text = |f: fn(&str, &str) -> Result<String, Problem>| -> Result<Value, Problem> {
        Ok(Value::String(f(field, as_text(field, v)?)?))
    };
    match kind {
        Kind::Name => text(values::parse_name),
        Kind::NameLatin => text(values::parse_name_latin),
        Kind::NameHe => text(values::parse_name_he),
        Kind::Notes => text(values::parse_notes),
        Kind::Country => text(values::parse_country),
        Kind::Currency => text(values::parse_currency),
        Kind::Email => text(values::parse_email),
        Kind::Orcid => text(values::parse_orcid),
        Kind::Ror => text(values::parse_ror),
        Kind::Phone => text(values::parse_phone),
        Kind::Url => text(values::parse_url),
        Kind::Direction => text(values::parse_quota_direction),
        Kind::Date => Ok(Value::String(
            values::parse_date(field, as_text(field, v)?)?.to_string(),
        )),
        Kind::Enum(allowed) => Ok(Value::String(parse_enum(
            field,
            allowed,
            as_text(field, v)?,
        )?)),
        Kind::Bool => v
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| Problem::new(field, msg!(VALUE_NOT_BOOL, kind = type_name(v)))),
        Kind::Count | Kind::Money => {
            let max = if matches!(kind, Kind::Money) {
                1_000_000_000_000_000
            } else {
                10_000_000
            };
            match v.as_i64() {
                Some(n) if (0..=max).contains(&n) => Ok(Value::from(n)),
                Some(n) => Err(Problem::new(field, msg!(VALUE_NUMBER_OUT_OF_RANGE, n, max))),
                None => Err(Problem::new(field, msg!(VALUE_NOT_WHOLE_NUMBER, value = v))),
            }
        }
        Kind::Ref(_) => Ok(Value::String(parse_id(field, v)?)),
        Kind::RefList { .. } => {
            let Value::Array(items) = v else {
                return Err(Problem::new(
                    field,
                    msg!(VALUE_NOT_ID_LIST, kind = type_name(v)),
                ));
            };
            let mut ids: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let id = parse_id(&format!("{field}[{i}]"), item)?;
                if ids.contains(&id) {
                    return Err(Problem::new(
                        format!("{field}[{i}]"),
                        msg!(VALUE_LISTED_TWICE, id),
                    ));
                }
                ids.push(id);
            }
            Ok(Value::from(ids))
        }
        Kind::CountryList => {
            let mut codes: Vec<String> = Vec::new();
            for (i, s) in as_list(field, v)?.into_iter().enumerate() {
                let code = values::parse_country(&format!("{field}[{i}]"), s)?;
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            Ok(Value::from(codes))
        }
        Kind::EnumList {
            values: allowed, ..
        } => {
            let mut out: Vec<String> = Vec::new();
            for (i, s) in as_list(field, v)?.into_iter().enumerate() {
                let value = parse_enum(&format!("{field}[{i}]"), allowed, s)?;
                if !out.contains(&value) {
                    out.push(value);
                }
            }
            Ok(Value::from(out))
        }
        Kind::Children(child) => parse_children(field, child, v),
        Kind::Derived | Kind::Computed => Err(Problem::new(field, msg!(FIELD_DERIVED))),
    }
}

fn parse_enum(field: &str, allowed: &[&str], s: &str) -> Result<String, Problem> {
    let t = s.trim();
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(t) || a.replace('_', " ").eq_ignore_ascii_case(t))
        .map(|a| (*a).to_owned())
        .or_else(|| crate::entity::enum_value_of_label(allowed, t).map(str::to_owned))
        .ok_or_else(|| {
            Problem::new(
                field,
                msg!(VALUE_NOT_ONE_OF, value = t, allowed = allowed.join(", ")),
            )
        })
}

fn parse_children(field: &str, child: &Child, v: &Value) -> Result<Value, Problem> {
    parse_children_all(field, child, v).map_err(|mut all| all.swap_remove(0))
}

/// The items of a list of children (tranches, quotas), with every problem of every item
/// (never an empty list of problems).
fn parse_children_all(field: &str, child: &Child, v: &Value) -> Result<Value, Vec<Problem>> {
    let Value::Array(items) = v else {
        return Err(vec![Problem::new(
            field,
            msg!(VALUE_NOT_LIST, kind = type_name(v)),
        )]);
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let Some(obj) = item.as_object() else {
            problems.push(Problem::new(
                path,
                msg!(VALUE_NOT_OBJECT, kind = type_name(item)),
            ));
            continue;
        };
        for key in obj.keys() {
            if key != "places_used" && !child.fields.iter().any(|f| f.name == key) {
                problems.push(Problem::new(
                    format!("{path}.{key}"),
                    msg!(ITEM_UNKNOWN_FIELD),
                ));
            }
        }
        let mut parsed = Map::new();
        for f in child.fields {
            let fpath = format!("{path}.{}", f.name);
            match parse_value(&fpath, f.kind, obj.get(f.name).unwrap_or(&Value::Null)) {
                Ok(value) if value.is_null() && f.required => {
                    problems.push(Problem::new(fpath, msg!(FIELD_REQUIRED)));
                }
                Ok(value) => {
                    parsed.insert(f.name.into(), value);
                }
                Err(p) => problems.push(p),
            }
        }
        if problems.is_empty() {
            rules::child_defaults(child, &mut parsed);
            out.push(Value::Object(parsed));
        }
    }
    if problems.is_empty() {
        Ok(Value::Array(out))
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------- writing

/// Every referenced id must exist; names the field of each one that does not.
fn check_refs(conn: &Connection, entity: Entity, rec: &Record) -> Result<()> {
    let mut problems = Problems::default();
    let fields = entity.fields();
    for (field, value) in fields.iter().zip(values_of(rec, fields)) {
        let (target, ids): (Entity, Vec<&str>) = match (field.kind, value) {
            (Kind::Ref(t), Some(Value::String(id))) => (t, vec![id.as_str()]),
            (Kind::RefList { target, .. }, Some(Value::Array(items))) => {
                (target, items.iter().filter_map(Value::as_str).collect())
            }
            _ => continue,
        };
        for (i, id) in ids.iter().enumerate() {
            if !exists(conn, target, id)? {
                let name = if matches!(field.kind, Kind::RefList { .. }) {
                    format!("{}[{i}]", field.name)
                } else {
                    field.name.to_owned()
                };
                problems.push(name, msg!(REF_MISSING, target, id));
            }
        }
    }
    problems.into_result()
}

pub(crate) fn json_to_sql(kind: Kind, v: Option<&Value>) -> SqlValue {
    match (kind, v) {
        (_, None | Some(Value::Null)) => SqlValue::Null,
        (Kind::Bool, Some(Value::Bool(b))) => SqlValue::Integer(i64::from(*b)),
        (Kind::CountryList | Kind::EnumList { .. }, Some(v)) => SqlValue::Text(v.to_string()),
        (_, Some(Value::String(s))) => SqlValue::Text(s.clone()),
        (_, Some(Value::Number(n))) => n.as_i64().map_or(SqlValue::Null, SqlValue::Integer),
        (_, Some(other)) => SqlValue::Text(other.to_string()),
    }
}

/// SQL text that depends only on the entity, built once per entity.
fn entity_sql(
    cache: &'static std::sync::OnceLock<[String; 7]>,
    entity: Entity,
    build: fn(Entity) -> String,
) -> &'static str {
    debug_assert_eq!(Entity::ALL[entity as usize], entity);
    &cache.get_or_init(|| Entity::ALL.map(build))[entity as usize]
}

/// The INSERT of a whole row of `entity`: id, columns, derived columns, created_at,
/// updated_at.
fn insert_sql(entity: Entity) -> &'static str {
    static SQL: std::sync::OnceLock<[String; 7]> = std::sync::OnceLock::new();
    entity_sql(&SQL, entity, |entity| {
        let mut names: Vec<&str> = column_fields(entity).map(|f| f.name).collect();
        names.extend(rules::derived_columns(entity));
        let marks: Vec<String> = (1..=names.len() + 3).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO {entity} (id, {}, created_at, updated_at) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        )
    })
}

/// Inserts the whole row of a record that carries its own `created_at` and `updated_at`
/// (a record arriving by sync).
pub(crate) fn insert_row(conn: &Connection, entity: Entity, rec: &Record) -> Result<()> {
    let mut params = vec![json_to_sql(Kind::Name, rec.get("id"))];
    params.extend(column_fields(entity).map(|f| json_to_sql(f.kind, rec.get(f.name))));
    params.extend(
        rules::derived_values(entity, rec)
            .into_iter()
            .map(|v| v.map_or(SqlValue::Null, SqlValue::Text)),
    );
    params.push(json_to_sql(Kind::Name, rec.get("created_at")));
    params.push(json_to_sql(Kind::Name, rec.get("updated_at")));
    conn.prepare_cached(insert_sql(entity))?
        .execute(params_from_iter(params))?;
    Ok(())
}

pub(crate) fn update_row(conn: &Connection, entity: Entity, rec: &Record) -> Result<()> {
    static SQL: std::sync::OnceLock<[String; 7]> = std::sync::OnceLock::new();
    let sql = entity_sql(&SQL, entity, |entity| {
        let mut names: Vec<&str> = column_fields(entity).map(|f| f.name).collect();
        names.extend(rules::derived_columns(entity));
        let sets: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{name} = ?{}", i + 2))
            .collect();
        format!(
            "UPDATE {entity} SET {}, updated_at = ?{} WHERE id = ?1",
            sets.join(", "),
            names.len() + 2
        )
    });
    let mut params = vec![json_to_sql(Kind::Name, rec.get("id"))];
    params.extend(column_fields(entity).map(|f| json_to_sql(f.kind, rec.get(f.name))));
    params.extend(
        rules::derived_values(entity, rec)
            .into_iter()
            .map(|v| v.map_or(SqlValue::Null, SqlValue::Text)),
    );
    params.push(json_to_sql(Kind::Name, rec.get("updated_at")));
    conn.prepare_cached(sql)?
        .execute(params_from_iter(params))?;
    Ok(())
}

/// Rewrites the join-table lists and child records that changed.
pub(crate) fn write_lists(
    conn: &Connection,
    entity: Entity,
    id: &str,
    rec: &Record,
    old: Option<&Record>,
) -> Result<()> {
    for field in entity.fields() {
        if !matches!(field.kind, Kind::RefList { .. } | Kind::Children(_)) {
            continue;
        }
        let value = rec.get(field.name);
        if old.is_some_and(|o| o.get(field.name) == value) {
            continue;
        }
        let items: &[Value] = value.and_then(Value::as_array).map_or(&[], Vec::as_slice);
        let Some((delete, insert)) = list_sql(entity, field.name) else {
            continue;
        };
        if old.is_some() {
            conn.prepare_cached(delete)?.execute([id])?;
        }
        if items.is_empty() {
            continue;
        }
        let mut stmt = conn.prepare_cached(insert)?;
        match field.kind {
            Kind::RefList { .. } => {
                for (pos, item) in items.iter().enumerate() {
                    stmt.execute(rusqlite::params![id, pos as i64, item.as_str()])?;
                }
            }
            Kind::Children(child) => {
                for (pos, item) in items.iter().enumerate() {
                    let mut params =
                        vec![SqlValue::Text(id.to_owned()), SqlValue::Integer(pos as i64)];
                    params.extend(
                        child
                            .fields
                            .iter()
                            .map(|f| json_to_sql(f.kind, item.get(f.name))),
                    );
                    stmt.execute(params_from_iter(params))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The DELETE and INSERT that rewrite a list field's join-table rows or child records
/// (None for other fields), built once.
fn list_sql(entity: Entity, field: &'static str) -> Option<&'static (String, String)> {
    type ListSql = std::collections::HashMap<(Entity, &'static str), (String, String)>;
    static SQL: std::sync::OnceLock<ListSql> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        let mut all = ListSql::new();
        for entity in Entity::ALL {
            for field in entity.fields() {
                let sql = match field.kind {
                    Kind::RefList { table, column, .. } => (
                        format!("DELETE FROM {table} WHERE {entity}_id = ?1"),
                        format!(
                            "INSERT INTO {table} ({entity}_id, position, {column}) \
                             VALUES (?1, ?2, ?3)"
                        ),
                    ),
                    Kind::Children(child) => {
                        let names: Vec<&str> = child.fields.iter().map(|f| f.name).collect();
                        let marks: Vec<String> =
                            (3..names.len() + 3).map(|i| format!("?{i}")).collect();
                        (
                            format!(
                                "DELETE FROM {} WHERE {} = ?1",
                                child.table, child.parent_column
                            ),
                            format!(
                                "INSERT INTO {} ({}, position, {}) VALUES (?1, ?2, {})",
                                child.table,
                                child.parent_column,
                                names.join(", "),
                                marks.join(", ")
                            ),
                        )
                    }
                    _ => continue,
                };
                all.insert((entity, field.name), sql);
            }
        }
        all
    });
    all.get(&(entity, field))
}

/// Which records still refer to this one, as "2 placements, 1 person".
fn referrers(conn: &Connection, entity: Entity, id: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for other in Entity::ALL {
        let mut count: i64 = 0;
        for field in other.fields() {
            let sql = match field.kind {
                Kind::Ref(t) if t == entity => {
                    format!("SELECT count(*) FROM {other} WHERE {} = ?1", field.name)
                }
                Kind::RefList {
                    target,
                    table,
                    column,
                    ..
                } if target == entity => {
                    format!("SELECT count(DISTINCT {other}_id) FROM {table} WHERE {column} = ?1")
                }
                _ => continue,
            };
            count += conn.query_row(&sql, [id], |r| r.get::<_, i64>(0))?;
        }
        if count > 0 {
            let noun = match (other, count) {
                (Entity::Person, 1) => "person".to_owned(),
                (Entity::Person, _) => "people".to_owned(),
                (e, 1) => e.name().to_owned(),
                (e, _) => format!("{}s", e.name()),
            };
            out.push(format!("{count} {noun}"));
        }
    }
    Ok(out)
}

/// A stretch of a list's order: the matching rows that also meet `only`, in `order`.
struct Run {
    only: Option<String>,
    order: String,
}

/// The order of a list as runs read one after the other. A column that is never empty is
/// one run, sorted by it then `id`, so that an index on it (`person_sort`,
/// `institution_name`) serves any page without sorting the table. A column that may be
/// empty is two runs, its values then its empty ones (by `id`): empty values come last in
/// both directions, and each run is a range of an index that can be read either way
/// (`person_email_key` and `person_no_email` for e-mail).
fn order_runs(entity: Entity, query: &ListQuery) -> Result<Vec<Run>> {
    let Some(sort) = query.sort.as_deref() else {
        return Ok(vec![Run {
            only: None,
            order: entity.default_order().to_owned(),
        }]);
    };
    let dir = if query.descending { "DESC" } else { "ASC" };
    let (column, nullable) = match (entity, sort) {
        (Entity::Person, "family_name" | "given_name" | "name") => ("sort_name".to_owned(), None),
        // The e-mail in lower case (full Unicode), kept by core beside the address.
        (Entity::Person, "email") => ("email_key".to_owned(), Some("email_key")),
        (_, "created_at" | "updated_at") => (sort.to_owned(), None),
        _ => {
            let field = entity
                .field(sort)
                .filter(|f| f.is_column())
                .ok_or_else(|| Error::invalid("sort", msg!(LIST_BAD_SORT, entity, field = sort)))?;
            let column = match field.kind {
                Kind::Name | Kind::NameLatin | Kind::NameHe | Kind::Email => {
                    format!("{} COLLATE NOCASE", field.name)
                }
                _ => field.name.to_owned(),
            };
            (column, (!field.required).then_some(field.name))
        }
    };
    Ok(match nullable {
        None => vec![Run {
            only: None,
            order: format!("{column} {dir}, id {dir}"),
        }],
        Some(name) => vec![
            Run {
                only: Some(format!("{name} IS NOT NULL")),
                order: format!("{column} {dir}, id {dir}"),
            },
            Run {
                only: Some(format!("{name} IS NULL")),
                order: format!("id {dir}"),
            },
        ],
    })
}

/// An ORDER BY clause with every term's direction flipped: the same order read from the
/// end (the terms end in a unique `id`, so the order is total and exactly reversed).
fn reversed(order: &str) -> String {
    order
        .split(", ")
        .map(|term| {
            if let Some(t) = term.strip_suffix(" DESC") {
                format!("{t} ASC")
            } else if let Some(t) = term.strip_suffix(" ASC") {
                format!("{t} DESC")
            } else {
                format!("{term} DESC")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn where_clause(entity: Entity, query: &ListQuery) -> Result<(String, Vec<SqlValue>)> {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut params: Vec<SqlValue> = Vec::new();
    for (name, value) in &query.filters {
        let field = entity
            .field(name)
            .filter(|f| f.is_column() || matches!(f.kind, Kind::RefList { .. }))
            .ok_or_else(|| {
                Error::invalid(name.clone(), msg!(LIST_BAD_FILTER, entity, field = name))
            })?;
        // A list of references: the records whose list holds the id (its join table).
        if let Kind::RefList { table, column, .. } = field.kind {
            params.push(SqlValue::Text(value.clone()));
            clauses.push(format!(
                "id IN (SELECT {entity}_id FROM {table} WHERE {column} = ?{})",
                params.len()
            ));
            continue;
        }
        params.push(match field.kind {
            Kind::Bool => SqlValue::Integer(i64::from(value == "true" || value == "1")),
            Kind::Count | Kind::Money => SqlValue::Integer(
                value
                    .parse()
                    .map_err(|_| Error::invalid(name.clone(), msg!(LIST_NOT_NUMBER, value)))?,
            ),
            _ => SqlValue::Text(value.clone()),
        });
        clauses.push(format!("{name} = ?{}", params.len()));
    }
    if let Some(text) = query.query.as_deref().filter(|t| !t.trim().is_empty()) {
        let (sql, mut extra) = search::filter_clause(entity, text, params.len() + 1);
        clauses.push(sql);
        params.append(&mut extra);
    }
    Ok((clauses.join(" AND "), params))
}

/// Parses one field's value as a local write would (used for values arriving by sync).
pub(crate) fn parse_field(field: &Field, value: &Value) -> std::result::Result<Value, Problem> {
    parse_value(field.name, field.kind, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query plans of a page of `entity` sorted by `sort` (read from the end when
    /// `from_end`), one per run of the order.
    fn plans_of(
        db: &Db,
        entity: Entity,
        sort: &str,
        descending: bool,
        from_end: bool,
    ) -> Vec<String> {
        let query = ListQuery {
            sort: Some(sort.to_owned()),
            descending,
            ..ListQuery::default()
        };
        let runs = order_runs(entity, &query).expect("a known sort");
        runs.iter()
            .map(|run| {
                let only = run.only.as_deref().unwrap_or("1 = 1");
                let order = if from_end {
                    reversed(&run.order)
                } else {
                    run.order.clone()
                };
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT id FROM {entity} WHERE 1 = 1 AND {only} \
                     ORDER BY {order} LIMIT 100 OFFSET 150000"
                );
                let mut stmt = db.conn.prepare(&sql).expect("the page query prepares");
                let rows = stmt
                    .query_map([], |r| r.get::<_, String>(3))
                    .expect("a plan");
                rows.map(|r| r.expect("a plan row"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()
    }

    #[test]
    fn a_page_by_name_walks_an_index_instead_of_sorting_the_table() {
        let db = Db::open_in_memory().expect("a database");
        for (entity, sort) in [
            (Entity::Person, "family_name"),
            (Entity::Person, "email"),
            (Entity::Institution, "name"),
        ] {
            for descending in [false, true] {
                for from_end in [false, true] {
                    for plan in plans_of(&db, entity, sort, descending, from_end) {
                        // "FOR LAST TERM OF ORDER BY" would only order ties of the name
                        // by id.
                        assert!(
                            plan.contains("INDEX") && !plan.contains("TEMP B-TREE FOR ORDER BY"),
                            "{entity} by {sort} (descending: {descending}, from the end: \
                             {from_end}) sorts the table:\n{plan}"
                        );
                    }
                }
            }
        }
    }

    /// Pages past the middle are read from the end; they hold exactly the rows of the same
    /// slice of the whole list, in every order, with empty values and ties.
    #[test]
    fn every_page_is_the_same_slice_of_the_list_from_either_end() {
        let mut db = Db::open_in_memory().expect("a database");
        for i in 0..37 {
            let mut person = serde_json::json!({
                "given_name": (["Dana", "Noa", "Avi"][i % 3]),
                "family_name": (["Cohen", "Levi", "Katz", "Cohen"][i % 4]),
            });
            if i % 5 != 0 {
                person["email"] = format!("p{}@example.org", (i * 7) % 37).into();
            }
            db.add(Entity::Person, &person, WriteOptions::default())
                .expect("a person");
        }
        for sort in [None, Some("family_name"), Some("email"), Some("given_name")] {
            for descending in [false, true] {
                let all = ListQuery {
                    sort: sort.map(str::to_owned),
                    descending,
                    ..ListQuery::default()
                };
                let ids = |rows: Vec<Value>| -> Vec<String> {
                    rows.iter()
                        .map(|r| r["id"].as_str().unwrap_or("").to_owned())
                        .collect()
                };
                let whole = ids(db.list(Entity::Person, &all).expect("the list"));
                assert_eq!(whole.len(), 37);
                for offset in 0..40 {
                    let page = db
                        .page(
                            Entity::Person,
                            &ListQuery {
                                limit: Some(10),
                                offset,
                                ..all.clone()
                            },
                        )
                        .expect("a page");
                    assert_eq!(page.total, 37);
                    let expected: Vec<String> =
                        whole.iter().skip(offset).take(10).cloned().collect();
                    assert_eq!(
                        ids(page.rows),
                        expected,
                        "sort {sort:?}, descending {descending}, offset {offset}"
                    );
                }
            }
        }
    }
}
