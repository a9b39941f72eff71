//! Full-text search over people, institutions, programs and cohorts (FTS5): Hebrew and
//! Latin names, prefix-as-you-type, accents and Hebrew points ignored. Core folds the text
//! on both sides ([`values::fold`]), so the index uses SQLite's built-in tokenizer.

use rusqlite::types::Value as SqlValue;
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use serde_json::Value;

use crate::dto::SearchHit;
use crate::entity::Entity;
use crate::error::Result;
use crate::records::Record;
use crate::{Db, values};

fn text<'a>(rec: &'a Record, field: &str) -> &'a str {
    rec.get(field).and_then(Value::as_str).unwrap_or("")
}

/// The fields whose words a record of `entity` is found by (a cohort also by its
/// program's name); empty for entities not in the search.
fn indexed_fields(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Person => &[
            "given_name",
            "family_name",
            "given_name_he",
            "family_name_he",
            "email",
            "orcid",
        ],
        Entity::Institution => &["name", "name_he", "city", "country", "ror"],
        Entity::Program => &["name", "funder"],
        Entity::Cohort => &["name", "location"],
        _ => &[],
    }
}

/// The words a record is found by.
pub(crate) fn body(conn: &Connection, entity: Entity, rec: &Record) -> Result<Option<String>> {
    let fields = indexed_fields(entity);
    if fields.is_empty() {
        return Ok(None);
    }
    let mut words: Vec<&str> = crate::records::values_by_name(rec, fields.len(), |i| fields[i])
        .into_iter()
        .map(|v| v.and_then(Value::as_str).unwrap_or(""))
        .collect();
    let program: Option<String> = if entity == Entity::Cohort {
        conn.prepare_cached("SELECT name FROM program WHERE id = ?1")?
            .query_row([text(rec, "program_id")], |r| r.get(0))
            .optional()?
    } else {
        None
    };
    words.extend(program.as_deref());
    let folded = values::fold(&words.join(" "));
    // Names of institutions, programs and cohorts are phrases that take prefix letters
    // ("הטכניון"); people's names do not, and are most of the entries.
    Ok(Some(if entity == Entity::Person {
        folded
    } else {
        with_hebrew_stems(&folded)
    }))
}

/// The letters Hebrew writes before a word as part of it: "the", "and", "in", "to",
/// "from", "that", "as" (הטכניון is ה + טכניון).
const HEBREW_PREFIXES: &str = "הובלמשכ";

/// `folded` with, after it, each Hebrew word's forms without one or two leading prefix
/// letters (leaving at least three letters), so a search for "טכניון" finds "הטכניון"
/// and "ומכון" is found by "מכון". A stripped form that is not a word only ever matches
/// more, never less.
fn with_hebrew_stems(folded: &str) -> String {
    let mut extra: Vec<String> = Vec::new();
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        let letters: Vec<char> = word.chars().collect();
        if letters.len() < 4
            || !letters
                .iter()
                .all(|c| ('\u{05D0}'..='\u{05EA}').contains(c))
        {
            continue;
        }
        for strip in 1..=2 {
            if letters.len() - strip < 3
                || !letters[..strip]
                    .iter()
                    .all(|c| HEBREW_PREFIXES.contains(*c))
            {
                break;
            }
            let stem: String = letters[strip..].iter().collect();
            if !extra.contains(&stem) {
                extra.push(stem);
            }
        }
    }
    if extra.is_empty() {
        folded.to_owned()
    } else {
        format!("{folded} {}", extra.join(" "))
    }
}

/// Rewrites every search entry from its record (migration 0010: the entries gained the
/// Hebrew words' forms without their prefixes).
pub(crate) fn rebuild_bodies(conn: &Connection) -> Result<()> {
    for entity in [
        Entity::Person,
        Entity::Institution,
        Entity::Program,
        Entity::Cohort,
    ] {
        let mut columns = indexed_fields(entity).to_vec();
        if entity == Entity::Cohort {
            columns.push("program_id");
        }
        let sql = format!(
            "SELECT d.rowid, {} FROM search_doc d JOIN {entity} r ON r.id = d.record_id",
            columns
                .iter()
                .map(|c| format!("r.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            let mut rec = Record::new();
            for (i, c) in columns.iter().enumerate() {
                if let Some(v) = r.get::<_, Option<String>>(i + 1)? {
                    rec.insert((*c).to_owned(), Value::String(v));
                }
            }
            Ok((r.get::<_, i64>(0)?, rec))
        })?;
        let mut update = conn.prepare("UPDATE search_fts SET body = ?2 WHERE rowid = ?1")?;
        for row in rows {
            let (rowid, rec) = row?;
            if let Some(body) = body(conn, entity, &rec)? {
                update.execute(params![rowid, body])?;
            }
        }
    }
    Ok(())
}

/// Adds or refreshes the record's entry in the search index.
pub(crate) fn index(conn: &Connection, entity: Entity, rec: &Record) -> Result<()> {
    let Some(body) = body(conn, entity, rec)? else {
        return Ok(());
    };
    let id = text(rec, "id");
    let rowid: Option<i64> = conn
        .prepare_cached("SELECT rowid FROM search_doc WHERE record_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match rowid {
        Some(rowid) => {
            conn.prepare_cached("UPDATE search_fts SET body = ?2 WHERE rowid = ?1")?
                .execute(params![rowid, body])?;
        }
        None => insert_entry(conn, entity, id, &body)?,
    }
    Ok(())
}

/// Adds the entry of a record that has none yet (one created just now), with its `body`.
pub(crate) fn insert_entry(conn: &Connection, entity: Entity, id: &str, body: &str) -> Result<()> {
    EntryInserts::new(conn).insert(entity, id, body)
}

/// The two INSERTs of [`insert_entry`], prepared at the first entry and then held, for a
/// writer of many records.
pub(crate) struct EntryInserts<'c> {
    conn: &'c Connection,
    statements: Option<(CachedStatement<'c>, CachedStatement<'c>)>,
}

impl<'c> EntryInserts<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        EntryInserts {
            conn,
            statements: None,
        }
    }

    /// [`insert_entry`] with the statements held.
    pub(crate) fn insert(&mut self, entity: Entity, id: &str, body: &str) -> Result<()> {
        let (doc, fts) = match &mut self.statements {
            Some(statements) => statements,
            None => self.statements.insert((
                self.conn
                    .prepare_cached("INSERT INTO search_doc (entity, record_id) VALUES (?1, ?2)")?,
                self.conn
                    .prepare_cached("INSERT INTO search_fts (rowid, body) VALUES (?1, ?2)")?,
            )),
        };
        doc.execute(params![entity.name(), id])?;
        let rowid = self.conn.last_insert_rowid();
        fts.execute(params![rowid, body])?;
        Ok(())
    }
}

pub(crate) fn unindex(conn: &Connection, id: &str) -> Result<()> {
    let rowid: Option<i64> = conn
        .query_row(
            "SELECT rowid FROM search_doc WHERE record_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(rowid) = rowid {
        conn.execute("DELETE FROM search_fts WHERE rowid = ?1", [rowid])?;
        conn.execute("DELETE FROM search_doc WHERE rowid = ?1", [rowid])?;
    }
    Ok(())
}

/// An FTS5 query matching every word of `text` as a prefix, or None when it has no words.
pub(crate) fn match_expr(text: &str) -> Option<String> {
    let folded = values::fold(text);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// SQL restricting `entity`'s rows to those matching `text` (for list filters), with its
/// parameters numbered from `first`.
pub(crate) fn filter_clause(entity: Entity, text: &str, first: usize) -> (String, Vec<SqlValue>) {
    let Some(expr) = match_expr(text) else {
        // Only punctuation (`%`, `-`): nothing has those words. (An empty filter is no
        // filter; the caller does not get here with one.)
        let none = if text.trim().is_empty() {
            "1 = 1"
        } else {
            "1 = 0"
        };
        return (none.to_owned(), vec![]);
    };
    let fts = |e: Entity, p: usize| {
        format!(
            "SELECT d.record_id FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid \
             WHERE search_fts MATCH ?{p} AND d.entity = '{e}'"
        )
    };
    // `%` and `_` in the text are themselves, not LIKE's wildcards.
    let like = format!(
        "%{}%",
        text.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    match entity {
        Entity::Person | Entity::Institution | Entity::Program | Entity::Cohort => (
            format!("id IN ({})", fts(entity, first)),
            vec![SqlValue::Text(expr)],
        ),
        Entity::Placement => (
            format!(
                "(person_id IN ({}) OR cohort_id IN ({}))",
                fts(Entity::Person, first),
                fts(Entity::Cohort, first)
            ),
            vec![SqlValue::Text(expr)],
        ),
        Entity::Fellowship => (
            format!(
                "(person_id IN ({}) OR title LIKE ?{} ESCAPE '\\')",
                fts(Entity::Person, first),
                first + 1
            ),
            vec![SqlValue::Text(expr), SqlValue::Text(like)],
        ),
        Entity::Agreement => (
            format!("title LIKE ?{first} ESCAPE '\\'"),
            vec![SqlValue::Text(like)],
        ),
    }
}

/// The most matches a search ranks by relevance (bm25); a broader prefix lists its
/// matches in the order they were entered. Ranking this many takes about 5 ms here.
const RANKED_MATCHES: i64 = 4000;

impl Db {
    /// Global search over people, institutions, programs and cohorts: at most `limit`
    /// hits, best first. Every word of `text` matches as a prefix, in any script.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(expr) = match_expr(text) else {
            return Ok(vec![]);
        };
        // Ranking reads every match, which for the first letter or two of a common name
        // in a national dataset is tens of thousands of rows (over 100 ms). Counting the
        // matches costs only the index's document lists, so a broad prefix takes the
        // records in the order they were entered instead, which stops after `limit`; the
        // next keystroke narrows the set enough to rank it.
        let matches: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?1")?
            .query_row([&expr], |r| r.get(0))?;
        let sql = if matches <= RANKED_MATCHES {
            "SELECT d.entity, d.record_id FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid
             WHERE search_fts MATCH ?1 ORDER BY bm25(search_fts), d.rowid LIMIT ?2"
        } else {
            "SELECT d.entity, d.record_id FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid
             WHERE search_fts MATCH ?1 ORDER BY search_fts.rowid LIMIT ?2"
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows: Vec<(String, String)> = stmt
            .query_map(params![expr, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut hits = Vec::with_capacity(rows.len());
        for (entity, id) in rows {
            let Some(entity) = Entity::parse(&entity) else {
                continue;
            };
            if let Some(hit) = self.hit(entity, &id)? {
                hits.push(hit);
            }
        }
        Ok(hits)
    }

    /// The title and subtitle a search hit shows.
    fn hit(&self, entity: Entity, id: &str) -> Result<Option<SearchHit>> {
        let row = |sql: &str| -> Result<Option<(String, String)>> {
            Ok(self
                .conn
                .query_row(sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        };
        let found = match entity {
            Entity::Person => row(
                "SELECT concat_ws(' · ',
                            nullif(trim(coalesce(p.given_name, '') || ' ' || coalesce(p.family_name, '')), ''),
                            nullif(trim(coalesce(p.given_name_he, '') || ' ' || coalesce(p.family_name_he, '')), '')),
                        concat_ws(' · ', p.email, i.name)
                 FROM person p LEFT JOIN institution i ON i.id = p.home_institution_id WHERE p.id = ?1",
            )?,
            Entity::Institution => row(
                "SELECT name || coalesce(' · ' || name_he, ''), country || coalesce(' · ' || city, '')
                 FROM institution WHERE id = ?1",
            )?,
            Entity::Program => row("SELECT name, replace(kind, '_', ' ') FROM program WHERE id = ?1")?,
            Entity::Cohort => row(
                "SELECT c.name, p.name || coalesce(' · ' || c.start_date, '') || coalesce(' – ' || c.end_date, '')
                 FROM cohort c JOIN program p ON p.id = c.program_id WHERE c.id = ?1",
            )?,
            _ => None,
        };
        Ok(found.map(|(title, subtitle)| SearchHit {
            entity,
            id: id.to_owned(),
            title,
            subtitle,
        }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn match_expressions_are_prefix_queries_of_folded_words() {
        assert_eq!(
            super::match_expr("Dana Co").as_deref(),
            Some("\"dana\"* \"co\"*")
        );
        assert_eq!(super::match_expr("  José ").as_deref(), Some("\"jose\"*"));
        assert_eq!(super::match_expr("כֹּהֵן").as_deref(), Some("\"כהן\"*"));
        assert_eq!(super::match_expr("\"*)( OR"), Some("\"or\"*".to_owned()));
        assert_eq!(super::match_expr(" -- "), None);
    }

    #[test]
    fn hebrew_words_are_also_indexed_without_their_prefix_letters() {
        use super::with_hebrew_stems as stems;
        assert_eq!(stems("technion הטכניון"), "technion הטכניון טכניון");
        // Two prefix letters (ו + ה), and never below three letters.
        assert_eq!(stems("והמכון"), "והמכון המכון מכון");
        assert_eq!(stems("לוי כהן"), "לוי כהן");
        assert_eq!(stems("dana cohen"), "dana cohen");
    }
}
