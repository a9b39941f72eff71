//! Times core's paged list query at the start, middle and end of the people list (and of
//! the largest cohort's placements): `cargo run -p exdesk-core --example page_timing -- DB`.
//! Opens the database for writing (as the app does): run it on a copy.

use std::time::Instant;

use exdesk_core::{Db, Entity, ListQuery};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: page_timing DATABASE (a copy: it is opened for writing)")?;
    let db = Db::open_existing(std::path::Path::new(&path))?;
    let time = |what: &str, entity: Entity, query: &ListQuery| -> Result<(), exdesk_core::Error> {
        let start = Instant::now();
        let page = db.page(entity, query)?;
        println!(
            "{what:<48} {:>4} rows of {:>7}  {:>7.1} ms",
            page.rows.len(),
            page.total,
            start.elapsed().as_secs_f64() * 1000.0
        );
        Ok(())
    };
    let people = db.page(Entity::Person, &ListQuery::default())?.total as usize;
    for (sort, descending) in [
        ("family_name", false),
        ("family_name", true),
        ("email", false),
    ] {
        for offset in [0, people / 2, people.saturating_sub(100)] {
            let query = ListQuery {
                sort: Some(sort.into()),
                descending,
                offset,
                limit: Some(100),
                ..ListQuery::default()
            };
            time(
                &format!(
                    "person by {sort}{} at {offset}",
                    if descending { " desc" } else { "" }
                ),
                Entity::Person,
                &query,
            )?;
        }
    }
    let query = ListQuery {
        query: Some("cohen".into()),
        sort: Some("family_name".into()),
        limit: Some(100),
        ..ListQuery::default()
    };
    time("person search \"cohen\"", Entity::Person, &query)?;
    Ok(())
}
