//! Getting a deleted record back from history (issue 6, item 9).
//!
//! A delete is final for sync (a tombstone by record id wins over concurrent edits), so a
//! deleted record never comes back under its old id: recovering it creates a NEW record
//! with the deleted one's values, through the ordinary validated add path, and that
//! create syncs like any other. The link from the deleted id to the new one is a history
//! row of the deleted id (`op = 'recover'`, `new_value` = the new id), written in the
//! same transaction as the create; it refuses a second recovery and lets a record that
//! referred to the deleted one be recovered pointing at its successor.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use crate::dto::{DeletedRecord, Recovered};
use crate::entity::Kind;
use crate::error::{Error, Result};
use crate::records::{self, WriteOptions};
use crate::{Db, Entity, msg};

impl Db {
    /// Deleted records (locally or by sync), newest first, from history: `entity` alone
    /// or every kind of record.
    pub fn deleted(&self, entity: Option<Entity>, limit: usize) -> Result<Vec<DeletedRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT h.entity, h.record_id, h.old_value, h.changed_at, coalesce(d.name, h.device_id)
             FROM history h LEFT JOIN device d ON d.id = h.device_id
             WHERE h.op = 'delete' AND h.field IS NULL AND (?1 IS NULL OR h.entity = ?1)
             ORDER BY h.seq DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![entity.map(Entity::name), limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (entity_name, id, old, deleted_at, device_name) in rows {
            let Some(entity) = Entity::parse(&entity_name) else {
                continue;
            };
            let record: Value = old
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(Value::Null);
            out.push(DeletedRecord {
                name: display_name(&self.conn, entity, &record)?,
                recovered_as: recovered_as(&self.conn, entity, &id)?,
                entity,
                id,
                deleted_at,
                device_name,
                record,
            });
        }
        Ok(out)
    }

    /// Re-creates the deleted record `deleted_id` as a new record (new id) with its values,
    /// through the ordinary validated add: every rule applies. A reference to a record
    /// that was itself deleted and recovered points at its successor; an optional one to
    /// a record that is gone is dropped (named in `dropped`); a required one refuses the
    /// recovery, naming the field. A record is recovered at most once.
    pub fn recover(&mut self, entity: Entity, deleted_id: &str) -> Result<Recovered> {
        let old = last_delete(&self.conn, entity, deleted_id)?
            .ok_or_else(|| Error::not_found(format!("deleted {entity}"), deleted_id))?;
        if let Some(new_id) = recovered_as(&self.conn, entity, deleted_id)? {
            return Err(Error::refused("id", msg!(RECOVER_ALREADY, entity, new_id)));
        }
        let mut input = Map::new();
        let mut dropped = Vec::new();
        let mut relinked = Vec::new();
        for field in entity.fields().iter().filter(|f| f.is_writable()) {
            let Some(value) = old.get(field.name).filter(|v| !v.is_null()) else {
                continue;
            };
            let value = match (field.kind, value) {
                (Kind::Ref(target), Value::String(id)) => {
                    match successor(&self.conn, target, id)? {
                        Some(now) => {
                            if now != *id {
                                relinked.push(field.name.to_owned());
                            }
                            Value::String(now)
                        }
                        None if field.required => {
                            return Err(Error::refused(
                                field.name,
                                msg!(RECOVER_REF_GONE, target, id),
                            ));
                        }
                        None => {
                            dropped.push(field.name.to_owned());
                            continue;
                        }
                    }
                }
                (Kind::RefList { target, .. }, Value::Array(ids)) => {
                    let mut kept = Vec::new();
                    for (i, id) in ids.iter().enumerate() {
                        let Some(id) = id.as_str() else { continue };
                        match successor(&self.conn, target, id)? {
                            Some(now) => {
                                if now != id {
                                    relinked.push(format!("{}[{i}]", field.name));
                                }
                                kept.push(Value::String(now));
                            }
                            None => dropped.push(format!("{}[{i}]", field.name)),
                        }
                    }
                    Value::Array(kept)
                }
                (Kind::Children(child), Value::Array(items)) => Value::Array(
                    items
                        .iter()
                        .map(|item| {
                            let obj = item.as_object().cloned().unwrap_or_default();
                            Value::Object(
                                obj.into_iter()
                                    .filter(|(k, _)| child.fields.iter().any(|f| f.name == k))
                                    .collect(),
                            )
                        })
                        .collect(),
                ),
                _ => value.clone(),
            };
            input.insert(field.name.to_owned(), value);
        }
        let rec = records::parse_input(entity, &Value::Object(input), None)?;
        let tx = self.conn.savepoint()?;
        let new_id = records::insert_new(
            &tx,
            &mut self.clock,
            &self.device_id,
            entity,
            rec,
            WriteOptions::default(),
        )?;
        let hlc = self.clock.tick();
        tx.execute(
            "INSERT INTO history (entity, record_id, op, field, old_value, new_value, changed_at, hlc, device_id)
             VALUES (?1, ?2, 'recover', NULL, NULL, ?3, ?4, ?5, ?6)",
            params![
                entity.name(),
                deleted_id,
                Value::String(new_id.clone()).to_string(),
                crate::values::now_rfc3339(),
                hlc,
                self.device_id
            ],
        )?;
        tx.commit()?;
        Ok(Recovered {
            entity,
            deleted_id: deleted_id.to_owned(),
            record: self.get(entity, &new_id)?,
            id: new_id,
            dropped,
            relinked,
        })
    }
}

/// The record as it stood when it was last deleted.
fn last_delete(conn: &Connection, entity: Entity, id: &str) -> Result<Option<Map<String, Value>>> {
    let old: Option<Option<String>> = conn
        .query_row(
            "SELECT old_value FROM history
             WHERE record_id = ?1 AND entity = ?2 AND op = 'delete' AND field IS NULL
             ORDER BY seq DESC LIMIT 1",
            params![id, entity.name()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(old
        .flatten()
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        }))
}

/// The id a deleted record was recovered as, if it was.
fn recovered_as(conn: &Connection, entity: Entity, id: &str) -> Result<Option<String>> {
    let new: Option<String> = conn
        .query_row(
            "SELECT new_value FROM history
             WHERE record_id = ?1 AND entity = ?2 AND op = 'recover'
             ORDER BY seq DESC LIMIT 1",
            params![id, entity.name()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(new.and_then(|s| serde_json::from_str::<String>(&s).ok()))
}

/// The record that now stands for `id`: itself while it exists, else the record it was
/// recovered as (followed through repeated deletes and recoveries), else none.
fn successor(conn: &Connection, entity: Entity, id: &str) -> Result<Option<String>> {
    let mut id = id.to_owned();
    for _ in 0..64 {
        if records::exists(conn, entity, &id)? {
            return Ok(Some(id));
        }
        match recovered_as(conn, entity, &id)? {
            Some(next) => id = next,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// A name a coordinator recognises: a person's name, a name or title, or for a
/// placement its person's name and cohort's name (as they are now, when they exist).
fn display_name(conn: &Connection, entity: Entity, rec: &Value) -> Result<String> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let person = |v: &Value| {
        let latin = format!("{} {}", s(v, "given_name"), s(v, "family_name"));
        let latin = latin.trim().to_owned();
        if latin.is_empty() {
            format!("{} {}", s(v, "given_name_he"), s(v, "family_name_he"))
                .trim()
                .to_owned()
        } else {
            latin
        }
    };
    Ok(match entity {
        Entity::Person => person(rec),
        Entity::Institution | Entity::Program | Entity::Cohort => s(rec, "name"),
        Entity::Fellowship | Entity::Agreement => s(rec, "title"),
        Entity::Placement => {
            let now = |target: Entity, field: &str| -> Result<Option<Value>> {
                Ok(match successor(conn, target, &s(rec, field))? {
                    Some(id) => records::read(conn, target, &id)?.map(Value::Object),
                    None => None,
                })
            };
            let person_name =
                now(Entity::Person, "person_id")?.map_or(String::new(), |p| person(&p));
            let cohort_name =
                now(Entity::Cohort, "cohort_id")?.map_or(String::new(), |c| s(&c, "name"));
            match (person_name.is_empty(), cohort_name.is_empty()) {
                (false, false) => format!("{person_name} — {cohort_name}"),
                (false, true) => person_name,
                (true, false) => cohort_name,
                (true, true) => String::new(),
            }
        }
    })
}
