//! The bundled demo dataset (assets/demo.json): real partner institutions, bilingual
//! people, programs of every kind, placements in every status. Loaded through the same
//! validated writes as any other data, in one transaction-per-record pass; references are
//! written `@key` and dates may be relative (`today+30`) so deadlines stay current.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::entity::Entity;
use crate::error::{Error, Result};
use crate::msg;
use crate::records::WriteOptions;
use crate::{Db, values};

const DEMO: &str = include_str!("../../../assets/demo.json");

/// The order in which entities can be loaded (references point backwards).
const LOAD_ORDER: [Entity; 7] = [
    Entity::Institution,
    Entity::Person,
    Entity::Program,
    Entity::Cohort,
    Entity::Placement,
    Entity::Fellowship,
    Entity::Agreement,
];

impl Db {
    /// Loads the demo dataset into an empty database; refused when it holds records.
    pub fn load_demo(&mut self) -> Result<()> {
        if !self.is_empty()? {
            return Err(Error::refused("", msg!(DEMO_NOT_EMPTY)));
        }
        let demo: Value = serde_json::from_str(DEMO)?;
        let today = values::today();
        let mut keys: HashMap<String, String> = HashMap::new();
        self.conn.execute_batch("SAVEPOINT demo")?;
        let result = (|| -> Result<()> {
            for entity in LOAD_ORDER {
                let records = demo
                    .get(entity.name())
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for (i, record) in records.into_iter().enumerate() {
                    let Value::Object(mut obj) = record else {
                        continue;
                    };
                    let key = obj
                        .remove("key")
                        .and_then(|k| k.as_str().map(str::to_owned));
                    let input = resolve(Value::Object(obj), &keys, today).map_err(|e| {
                        Error::invalid("", msg!(DEMO_BAD_REFERENCE, entity, i, error = e))
                    })?;
                    let created =
                        self.add(entity, &input, WriteOptions::default())
                            .map_err(|e| {
                                Error::invalid(
                                    "",
                                    msg!(
                                        DEMO_BAD_RECORD,
                                        entity,
                                        i,
                                        key = key.clone().unwrap_or_default(),
                                        error = e
                                    ),
                                )
                            })?;
                    if let (Some(key), Some(id)) = (key, created.get("id").and_then(Value::as_str))
                    {
                        keys.insert(key, id.to_owned());
                    }
                }
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.conn.execute_batch("RELEASE demo")?;
                Ok(())
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK TO demo; RELEASE demo")?;
                Err(e)
            }
        }
    }
}

/// Replaces `@key` references with ids and `today`, `today+N`, `today-N` with dates.
fn resolve(
    v: Value,
    keys: &HashMap<String, String>,
    today: chrono::NaiveDate,
) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => {
            if let Some(key) = s.strip_prefix('@') {
                let id = keys
                    .get(key)
                    .ok_or_else(|| format!("@{key} names no earlier record"))?;
                return Ok(Value::String(id.clone()));
            }
            if let Some(rest) = s.strip_prefix("today") {
                let days: i64 = match rest {
                    "" => 0,
                    r if r.starts_with(['+', '-']) => {
                        r.parse().map_err(|_| format!("{s:?} is not today±N"))?
                    }
                    _ => return Ok(Value::String(s)),
                };
                return Ok(Value::String(
                    (today + chrono::Duration::days(days)).to_string(),
                ));
            }
            Value::String(s)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| resolve(i, keys, today))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(obj) => Value::Object(
            obj.into_iter()
                .map(|(k, v)| Ok((k, resolve(v, keys, today)?)))
                .collect::<Result<Map<_, _>, String>>()?,
        ),
        other => other,
    })
}
