//! How records are named on screen, for many at once: a list page shows, for each row,
//! the names of the records it refers to (a person's home institution, a fellowship's
//! person, a cohort's program), and asks for all of them in one call instead of one
//! record per row.

use std::collections::BTreeMap;

use rusqlite::params_from_iter;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::{Db, Entity};

/// The fields that name a record of `entity` (what the UI shows for a reference to it):
/// a person's names in both scripts and e-mail, an institution's names and country, a
/// title, a placement's person, cohort and status.
pub(crate) fn naming_fields(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Person => &[
            "given_name",
            "family_name",
            "given_name_he",
            "family_name_he",
            "email",
        ],
        Entity::Institution => &["name", "name_he", "country"],
        Entity::Program | Entity::Cohort => &["name"],
        Entity::Agreement | Entity::Fellowship => &["title"],
        Entity::Placement => &["person_id", "cohort_id", "status"],
    }
}

/// Ids asked for in one statement (under SQLite's limit on parameters).
const CHUNK: usize = 500;

impl Db {
    /// The naming fields ([`naming_fields`]) of the records of `entity` with these ids,
    /// by id, each as an object with its `id`; ids of no record are left out. One query
    /// per 500 ids, each a primary-key lookup.
    pub fn names(&self, entity: Entity, ids: &[String]) -> Result<BTreeMap<String, Value>> {
        let fields = naming_fields(entity);
        let mut out = BTreeMap::new();
        let mut unique: Vec<&String> = ids.iter().collect();
        unique.sort();
        unique.dedup();
        for chunk in unique.chunks(CHUNK) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT id, {} FROM {entity} WHERE id IN ({marks})",
                fields.join(", ")
            ))?;
            let rows = stmt.query_map(params_from_iter(chunk), |r| {
                let id: String = r.get(0)?;
                let mut record = Map::new();
                record.insert("id".into(), Value::String(id.clone()));
                for (i, field) in fields.iter().enumerate() {
                    let value: Option<String> = r.get(i + 1)?;
                    record.insert((*field).into(), value.map_or(Value::Null, Value::String));
                }
                Ok((id, Value::Object(record)))
            })?;
            for row in rows {
                let (id, record) = row?;
                out.insert(id, record);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::Kind;

    #[test]
    fn naming_fields_are_text_columns_of_their_entity() {
        for entity in Entity::ALL {
            for name in naming_fields(entity) {
                let field = entity.field(name);
                assert!(
                    field.is_some_and(|f| f.is_column()
                        && !matches!(
                            f.kind,
                            Kind::Bool
                                | Kind::Count
                                | Kind::Money
                                | Kind::CountryList
                                | Kind::EnumList { .. }
                        )),
                    "{entity}.{name} is not a text column"
                );
            }
        }
    }
}
