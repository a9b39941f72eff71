//! `export all`: every shared record of every entity as JSON, sorted by entity then id, so
//! the same data gives a byte-identical file on any laptop. Local bookkeeping (device,
//! history, settings, search index) is left out. Written to a file, it is logged like every
//! export, with the number of records of each entity instead of their ids.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::Value;

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
        let mut out = Vec::new();
        self.export_all_into(&mut out)?;
        Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
    }

    /// Streams `export all` into `out`, one record at a time, from one snapshot of the
    /// database (a read transaction, which also spares a lock per query); returns the
    /// number of records of each entity. The bytes are those of the whole document
    /// pretty-printed by serde_json (two-space indent).
    fn export_all_into(&self, out: &mut dyn Write) -> Result<BTreeMap<String, u32>> {
        self.conn.execute_batch("SAVEPOINT export_all")?;
        let result = self.write_all_records(out);
        let ended = crate::db::end_savepoint(&self.conn, "export_all", true);
        let counts = result?;
        ended?;
        Ok(counts)
    }

    fn write_all_records(&self, out: &mut dyn Write) -> Result<BTreeMap<String, u32>> {
        let mut counts = BTreeMap::new();
        write!(out, "{{\n  \"format\": {}", Value::from(EXPORT_FORMAT))?;
        for entity in Entity::ALL {
            write!(out, ",\n  {}: ", Value::from(entity.name()))?;
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT id FROM {entity} ORDER BY id"))?;
            let ids: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if ids.is_empty() {
                out.write_all(b"[]")?;
            }
            for (i, id) in ids.iter().enumerate() {
                out.write_all(if i == 0 { b"[\n" } else { b",\n" })?;
                let record = serde_json::to_string_pretty(&self.get(entity, id)?)?;
                // Each line one level deeper (strings hold no raw newlines).
                for (n, line) in record.lines().enumerate() {
                    if n > 0 {
                        out.write_all(b"\n")?;
                    }
                    out.write_all(b"    ")?;
                    out.write_all(line.as_bytes())?;
                }
            }
            if !ids.is_empty() {
                out.write_all(b"\n  ]")?;
            }
            counts.insert(entity.name().to_owned(), ids.len() as u32);
        }
        out.write_all(b"\n}\n")?;
        Ok(counts)
    }

    /// Writes `export all` to `path` (atomically) and logs it as kind `all`: the number
    /// of records of each entity, not their ids (a national database has millions).
    /// A path that cannot be written (no such folder, a folder, the database) is refused
    /// before anything is read or written.
    pub fn export_all_to(&mut self, path: &Path) -> Result<ExportSummary> {
        fsutil::check_output(path)?;
        let counts = fsutil::write_atomic_with(path, |out| self.export_all_into(out))?;
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

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::EXPORT_FORMAT;
    use crate::{Db, Entity};

    /// The streamed export is byte for byte the document serde_json pretty-prints.
    #[test]
    fn the_streamed_export_is_the_pretty_printed_document() {
        let mut db = Db::open_in_memory().unwrap();
        db.load_demo().unwrap();
        let mut root = Map::new();
        root.insert("format".into(), Value::from(EXPORT_FORMAT));
        for entity in Entity::ALL {
            let ids: Vec<String> = db
                .conn
                .prepare(&format!("SELECT id FROM {entity} ORDER BY id"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let records = ids.iter().map(|id| db.get(entity, id).unwrap()).collect();
            root.insert(entity.name().into(), Value::Array(records));
        }
        let expected = serde_json::to_string_pretty(&Value::Object(root)).unwrap() + "\n";
        let streamed = db.export_all().unwrap();
        assert!(streamed.len() > 10_000, "the demo has data");
        assert_eq!(streamed, expected);
    }
}
