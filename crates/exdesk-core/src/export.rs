//! `export all`: every shared record of every entity as JSON, sorted by entity then id, so
//! the same data gives a byte-identical file on any laptop. Local bookkeeping (device,
//! history, settings, search index) is left out. Written to a file, it is logged like every
//! export, with the number of records of each entity instead of their ids.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::Db;
use crate::entity::Entity;
use crate::error::Result;
use crate::fsutil;
use crate::roster::ExportSummary;

/// Identifies the file format of `export all`.
pub const EXPORT_FORMAT: &str = "exchange-desk/export-all/1";

impl Db {
    /// The whole shared data set as pretty-printed JSON with a final newline.
    pub fn export_all(&self) -> Result<String> {
        Ok(self.export_all_counted()?.0)
    }

    /// The JSON of `export all` and the number of records of each entity in it.
    fn export_all_counted(&self) -> Result<(String, BTreeMap<String, u32>)> {
        let mut root = Map::new();
        let mut counts = BTreeMap::new();
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
            counts.insert(entity.name().to_owned(), records.len() as u32);
            root.insert(entity.name().into(), Value::Array(records));
        }
        let mut out = serde_json::to_string_pretty(&Value::Object(root))?;
        out.push('\n');
        Ok((out, counts))
    }

    /// Writes `export all` to `path` (atomically) and logs it as kind `all`: the number
    /// of records of each entity, not their ids (a national database has millions).
    /// A path that cannot be written (no such folder, a folder, the database) is refused
    /// before anything is read or written.
    pub fn export_all_to(&mut self, path: &Path) -> Result<ExportSummary> {
        fsutil::check_output(path)?;
        let (text, counts) = self.export_all_counted()?;
        fsutil::write_atomic(path, text.as_bytes())?;
        let summary = ExportSummary {
            file_name: path.display().to_string(),
            format: "json".to_owned(),
            rows: counts.values().sum(),
            columns: vec![],
            redacted: false,
        };
        self.log_export("all", "json", None, &summary, &[], Some(&counts))?;
        Ok(summary)
    }
}
