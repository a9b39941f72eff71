//! Dashboard statistics (`exdesk stats --json`) and cohort rosters.

use std::collections::BTreeMap;

use rusqlite::params;

use crate::Db;
use serde_json::Value;

use crate::dto::{
    BulkSummary, RosterPage, RosterQuery, RosterRow, RosterSort, RosterSummary, Stats,
};
use crate::entity::{Entity, PROGRAM_KINDS, SCREENINGS, STATUSES, TECH_AREAS};
use crate::error::{Error, Result};
use crate::records::WriteOptions;
use crate::values::fold;

/// Rows of a roster page when the query names no limit, and the most it may ask for.
pub const ROSTER_PAGE: u32 = 100;
pub const ROSTER_PAGE_MAX: u32 = 1000;

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

    /// One page of a cohort's roster, filtered and sorted as a view asks, with the
    /// number of matching rows, their statuses and the cohort's summary: a view of a
    /// 10,000-placement cohort holds a page, never the whole roster.
    pub fn roster_page(&self, cohort_id: &str, query: &RosterQuery) -> Result<RosterPage> {
        let stamp = self.change_stamp()?;
        let mut cache = self.roster_cache.borrow_mut();
        let fresh = cache
            .as_ref()
            .is_some_and(|c| c.cohort == cohort_id && c.stamp == stamp);
        if !fresh {
            *cache = None; // the old rows go before the new ones are read
            *cache = Some(RosterCache {
                cohort: cohort_id.to_owned(),
                stamp,
                rows: self.roster(cohort_id)?,
            });
        }
        let all = &cache.as_ref().expect("filled above").rows;
        let summary = summarise(all);
        let cohort_total = all.len() as u32;
        let shown = arrange(all, query)?;
        let mut by_status: BTreeMap<String, u32> =
            STATUSES.iter().map(|s| ((*s).to_owned(), 0)).collect();
        for row in &shown {
            *by_status.entry(row.status.clone()).or_insert(0) += 1;
        }
        let total = shown.len() as u32;
        let limit = query.limit.unwrap_or(ROSTER_PAGE).clamp(1, ROSTER_PAGE_MAX) as usize;
        let rows = shown
            .into_iter()
            .skip(query.offset as usize)
            .take(limit)
            .cloned()
            .collect();
        Ok(RosterPage {
            rows,
            total,
            cohort_total,
            by_status,
            summary,
        })
    }

    /// Applies `patch` to every placement of the cohort that `query`'s filter matches
    /// (its sort and page are ignored) except those in `except`, each on its own as
    /// [`Db::update_each`] does: a view's "select all" reaches rows it never loaded.
    pub fn roster_update(
        &mut self,
        cohort_id: &str,
        query: &RosterQuery,
        except: &[String],
        patch: &Value,
        opts: WriteOptions,
    ) -> Result<BulkSummary> {
        let except: std::collections::HashSet<&str> = except.iter().map(String::as_str).collect();
        let all = self.roster(cohort_id)?;
        let ids: Vec<String> = arrange(&all, query)?
            .into_iter()
            .map(|r| r.placement_id.clone())
            .filter(|id| !except.contains(id.as_str()))
            .collect();
        let outcomes = self.update_each(Entity::Placement, &ids, patch, opts)?;
        let done = outcomes.iter().filter(|o| o.ok).count() as u32;
        Ok(BulkSummary {
            done,
            refused: outcomes.into_iter().filter(|o| !o.ok).collect(),
        })
    }
}

/// A cohort's roster as read at a state of the database ([`Db::change_stamp`]).
#[derive(Debug)]
pub(crate) struct RosterCache {
    cohort: String,
    stamp: (i64, u64),
    rows: Vec<RosterRow>,
}

impl Db {
    /// Changes whenever the database may have changed: a commit by another connection
    /// (`PRAGMA data_version`) or any row written by this one (`total_changes`).
    fn change_stamp(&self) -> Result<(i64, u64)> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((version, self.conn.total_changes()))
    }
}

/// The whole cohort's capacity used, screening and checklist state.
fn summarise(rows: &[RosterRow]) -> RosterSummary {
    let mut summary = RosterSummary {
        by_screening: SCREENINGS.iter().map(|s| ((*s).to_owned(), 0)).collect(),
        ..RosterSummary::default()
    };
    for r in rows {
        if r.status != "withdrawn" && r.status != "declined" {
            summary.used += 1;
        }
        *summary.by_screening.entry(r.screening.clone()).or_insert(0) += 1;
        summary.checklist_done += r.checklist_done;
        summary.checklist_total += r.checklist_total;
        if r.checklist_total > 0 && r.checklist_done == r.checklist_total {
            summary.complete += 1;
        }
    }
    summary
}

/// A row's sort key: text (folded) or a number.
#[derive(PartialEq, PartialOrd)]
enum Key {
    Text(String),
    Number(f64),
}

fn rank(order: &[&str], value: &str) -> f64 {
    order
        .iter()
        .position(|s| *s == value)
        .unwrap_or(order.len()) as f64
}

/// The rows `query`'s filter matches, in its order. `rows` come in the roster's order
/// (folded family name, then given name), which breaks every tie.
fn arrange<'a>(rows: &'a [RosterRow], query: &RosterQuery) -> Result<Vec<&'a RosterRow>> {
    for (field, value, allowed) in [
        ("status", &query.status, STATUSES),
        ("screening", &query.screening, SCREENINGS),
    ] {
        if let Some(v) = value
            .as_deref()
            .filter(|v| !v.is_empty() && !allowed.contains(v))
        {
            return Err(Error::invalid(
                field,
                crate::msg!(VALUE_NOT_ONE_OF, value = v, allowed = allowed.join(", ")),
            ));
        }
    }
    let needle = fold(query.text.trim());
    let he = query.hebrew;
    let pick = |latin: &Option<String>, hebrew: &Option<String>| -> String {
        let (first, second) = if he { (hebrew, latin) } else { (latin, hebrew) };
        fold(first.as_deref().or(second.as_deref()).unwrap_or(""))
    };
    let mut keyed: Vec<(f64, Key, usize, &RosterRow)> = rows
        .iter()
        .filter(|r| {
            query
                .status
                .as_deref()
                .is_none_or(|s| s.is_empty() || r.status == s)
                && query
                    .screening
                    .as_deref()
                    .is_none_or(|s| s.is_empty() || r.screening == s)
        })
        .filter(|r| {
            needle.is_empty() || {
                let hay = [
                    &r.given_name,
                    &r.family_name,
                    &r.given_name_he,
                    &r.family_name_he,
                    &r.email,
                ]
                .iter()
                .filter_map(|v| v.as_deref())
                .collect::<Vec<_>>()
                .join(" ");
                fold(&hay).contains(&needle)
            }
        })
        .enumerate()
        .map(|(base, r)| {
            let group = if query.grouped {
                rank(STATUSES, &r.status)
            } else {
                0.0
            };
            let key = match query.sort {
                RosterSort::Name if he => Key::Text(format!(
                    "{}\u{1}{}",
                    pick(&r.family_name, &r.family_name_he),
                    pick(&r.given_name, &r.given_name_he)
                )),
                RosterSort::Name => Key::Number(base as f64),
                RosterSort::Home => Key::Text(pick(&r.home_institution, &r.home_institution_he)),
                RosterSort::Host => Key::Text(pick(&r.host_institution, &r.host_institution_he)),
                RosterSort::Direction => Key::Text(r.direction.clone().unwrap_or_default()),
                RosterSort::Role => Key::Text(r.role.clone()),
                RosterSort::Status => Key::Number(rank(STATUSES, &r.status)),
                RosterSort::Screening => Key::Number(rank(SCREENINGS, &r.screening)),
                RosterSort::Checklist => Key::Number(if r.checklist_total == 0 {
                    -1.0
                } else {
                    f64::from(r.checklist_done) / f64::from(r.checklist_total)
                }),
            };
            (group, key, base, r)
        })
        .collect();
    let descending = query.descending;
    keyed.sort_by(|a, b| {
        let by_key = a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal);
        a.0.total_cmp(&b.0)
            .then(if descending { by_key.reverse() } else { by_key })
            .then(a.2.cmp(&b.2))
    });
    Ok(keyed.into_iter().map(|(_, _, _, r)| r).collect())
}
