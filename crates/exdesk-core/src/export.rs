//! `export all`: every shared record of every entity as JSON, sorted by entity then id, so
//! the same data gives a byte-identical file on any laptop. Local bookkeeping (device,
//! history, settings, search index) is left out.

use serde_json::{Map, Value};

use crate::Db;
use crate::entity::Entity;
use crate::error::Result;

/// Identifies the file format of `export all`.
pub const EXPORT_FORMAT: &str = "exchange-desk/export-all/1";

impl Db {
    /// The whole shared data set as pretty-printed JSON with a final newline.
    pub fn export_all(&self) -> Result<String> {
        let mut root = Map::new();
        root.insert("format".into(), Value::from(EXPORT_FORMAT));
        for entity in Entity::ALL {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT id FROM {entity} ORDER BY id"))?;
            let ids: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut records = Vec::with_capacity(ids.len());
            for id in ids {
                records.push(self.get(entity, &id)?);
            }
            root.insert(entity.name().into(), Value::Array(records));
        }
        let mut out = serde_json::to_string_pretty(&Value::Object(root))?;
        out.push('\n');
        Ok(out)
    }
}
