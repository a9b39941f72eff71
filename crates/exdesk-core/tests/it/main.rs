//! Integration tests of exdesk-core through its public API (one test binary).

mod autosync;
mod deadlines;
mod demo;
mod files;
mod fuzz_corpus;
mod names;
mod partner_copy;
mod placement;
mod records;
mod recover;
mod roster_page;
mod safety;
mod store;
mod sync;

use exdesk_core::{Db, Entity, WriteOptions};
use serde_json::{Value, json};

/// A fresh database in a temporary folder (kept alive with the returned guard).
pub fn temp_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("test.sqlite3")).unwrap();
    (dir, db)
}

pub fn add(db: &mut Db, entity: Entity, input: Value) -> Value {
    db.add(entity, &input, WriteOptions::default())
        .unwrap_or_else(|e| panic!("add {entity} {input}: {e}"))
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Two institutions (US, IL), a sensitive and a plain program, a cohort of each.
pub struct World {
    pub mit: String,
    pub technion: String,
    pub tokyo: String,
    pub plain_cohort: String,
    pub sensitive_cohort: String,
}

pub fn world(db: &mut Db) -> World {
    let mit = id(&add(
        db,
        Entity::Institution,
        json!({"name": "MIT", "country": "US", "ror": "042nb2s44"}),
    ));
    let technion = id(&add(
        db,
        Entity::Institution,
        json!({"name": "Technion", "name_he": "הטכניון", "country": "il"}),
    ));
    let tokyo = id(&add(
        db,
        Entity::Institution,
        json!({"name": "University of Tokyo", "country": "JP"}),
    ));
    let plain = id(&add(
        db,
        Entity::Program,
        json!({"name": "Exchange", "kind": "academic_exchange", "tech_areas": ["ai"]}),
    ));
    let sensitive = id(&add(
        db,
        Entity::Program,
        json!({"name": "Chips", "kind": "fellowship", "tech_areas": ["semiconductors"], "sensitive": true}),
    ));
    let plain_cohort = id(&add(
        db,
        Entity::Cohort,
        json!({"program_id": plain, "name": "Fall 2027", "start_date": "2027-09-01", "end_date": "2028-01-31",
               "capacity": 2, "host_institution_id": technion}),
    ));
    let sensitive_cohort = id(&add(
        db,
        Entity::Cohort,
        json!({"program_id": sensitive, "name": "Chips 2027", "host_institution_id": mit}),
    ));
    World {
        mit,
        technion,
        tokyo,
        plain_cohort,
        sensitive_cohort,
    }
}

pub fn person(db: &mut Db, given: &str, family: &str, home: &str) -> String {
    id(&add(
        db,
        Entity::Person,
        json!({"given_name": given, "family_name": family, "home_institution_id": home}),
    ))
}
