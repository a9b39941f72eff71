//! Dashboard statistics (`exdesk stats --json`) and cohort rosters.

use std::collections::BTreeMap;

use rusqlite::params;

use crate::Db;
use crate::dto::{RosterRow, Stats};
use crate::entity::{Entity, PROGRAM_KINDS, STATUSES, TECH_AREAS};
use crate::error::{Error, Result};

impl Db {
    /// Totals and breakdowns; every key is present even when its count is 0.
    pub fn stats(&self) -> Result<Stats> {
        let mut counts = BTreeMap::new();
        for entity in Entity::ALL {
            if entity == Entity::Placement {
                continue; // the sum of the breakdown by status below
            }
            let n: u32 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {entity}"), [], |r| r.get(0))?;
            counts.insert(entity.name().to_owned(), n);
        }
        let zeros = |keys: &[&str]| {
            keys.iter()
                .map(|k| ((*k).to_owned(), 0u32))
                .collect::<BTreeMap<_, _>>()
        };
        let grouped =
            |sql: &str, mut into: BTreeMap<String, u32>| -> Result<BTreeMap<String, u32>> {
                let mut stmt = self.conn.prepare(sql)?;
                let rows = stmt.query_map([], |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, u32>(1)?))
                })?;
                for row in rows {
                    let (key, n) = row?;
                    if let Some(key) = key {
                        *into.entry(key).or_insert(0) += n;
                    }
                }
                Ok(into)
            };
        // One pass over the (status, direction) index gives both breakdowns.
        let mut by_status = zeros(STATUSES);
        let mut by_direction = zeros(&["US->IL", "IL->US", "domestic"]);
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, direction, count(*) FROM placement GROUP BY status, direction",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?;
        let mut placements = 0;
        for row in rows {
            let (status, direction, n) = row?;
            placements += n;
            *by_status.entry(status).or_insert(0) += n;
            if let Some(direction) = direction {
                *by_direction.entry(direction).or_insert(0) += n;
            }
        }
        counts.insert(Entity::Placement.name().to_owned(), placements);
        Ok(Stats {
            counts,
            placements_by_status: by_status,
            programs_by_kind: grouped(
                "SELECT kind, count(*) FROM program GROUP BY kind",
                zeros(PROGRAM_KINDS),
            )?,
            programs_by_tech_area: grouped(
                "SELECT j.value, count(*) FROM program, json_each(program.tech_areas) j GROUP BY j.value",
                zeros(TECH_AREAS),
            )?,
            placements_by_direction: by_direction,
        })
    }

    /// The cohort's roster: one row per placement, whatever its status or role, sorted by
    /// family name (Latin, else Hebrew), then given name.
    pub fn roster(&self, cohort_id: &str) -> Result<Vec<RosterRow>> {
        if !crate::records::exists(&self.conn, Entity::Cohort, cohort_id)? {
            return Err(Error::not_found("cohort", cohort_id));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT pl.id, p.id, p.given_name, p.family_name, p.given_name_he, p.family_name_he, p.email,
                    home.name, host.name, pl.direction, pl.role, pl.status, pl.start_date, pl.end_date,
                    pl.screening,
                    (SELECT count(*) FROM checklist_item c WHERE c.placement_id = pl.id AND c.status = 'verified'),
                    (SELECT count(*) FROM checklist_item c WHERE c.placement_id = pl.id),
                    home.name_he, host.name_he
             FROM placement pl
             JOIN person p ON p.id = pl.person_id
             LEFT JOIN institution home ON home.id = pl.home_institution_id
             LEFT JOIN institution host ON host.id = pl.host_institution_id
             WHERE pl.cohort_id = ?1
             ORDER BY p.sort_name, pl.id",
        )?;
        let rows = stmt.query_map(params![cohort_id], |r| {
            Ok(RosterRow {
                placement_id: r.get(0)?,
                person_id: r.get(1)?,
                given_name: r.get(2)?,
                family_name: r.get(3)?,
                given_name_he: r.get(4)?,
                family_name_he: r.get(5)?,
                email: r.get(6)?,
                home_institution: r.get(7)?,
                host_institution: r.get(8)?,
                direction: r.get(9)?,
                role: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                status: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                start_date: r.get(12)?,
                end_date: r.get(13)?,
                screening: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
                checklist_done: r.get(15)?,
                checklist_total: r.get(16)?,
                home_institution_he: r.get(17)?,
                host_institution_he: r.get(18)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
