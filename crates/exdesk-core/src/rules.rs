//! The rules of each entity that span fields or records: defaults, a placement's status
//! moves, the research-security screening gate, capacity, uniqueness, money that must add
//! up, and the fields core derives (direction, places used, reciprocity balance).

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use crate::entity::{Child, Entity};
use crate::error::{Error, Problem, Problems, Result};
use crate::msg;
use crate::records::{Record, WriteOptions};

fn text<'a>(rec: &'a Record, field: &str) -> Option<&'a str> {
    rec.get(field).and_then(Value::as_str)
}

fn set(rec: &mut Record, field: &str, value: impl Into<Value>) {
    rec.insert(field.into(), value.into());
}

/// Defaults of child records (checklist status, tranche status).
pub(crate) fn child_defaults(child: &Child, item: &mut Map<String, Value>) {
    let default = match child.table {
        "checklist_item" => Some(("status", "missing")),
        "tranche" => Some(("status", "scheduled")),
        _ => None,
    };
    if let Some((field, value)) = default
        && item.get(field).is_none_or(Value::is_null)
    {
        item.insert(field.into(), value.into());
    }
}

/// Checks the entity's rules on `rec` (already parsed, references existing), filling in
/// defaults and derived fields. Returns the history operation ("create", "update" or
/// "reopen").
pub(crate) fn check(
    conn: &Connection,
    entity: Entity,
    rec: &mut Record,
    old: Option<&Record>,
    opts: WriteOptions,
) -> Result<&'static str> {
    let op = if old.is_some() { "update" } else { "create" };
    let mut problems = Problems::default();
    let op = match entity {
        Entity::Person => {
            person(conn, rec, old, &mut problems)?;
            op
        }
        Entity::Cohort => {
            cohort(conn, rec, old)?;
            op
        }
        Entity::Placement => placement(conn, rec, old, opts)?.unwrap_or(op),
        Entity::Fellowship => {
            fellowship(conn, rec, &mut problems)?;
            op
        }
        Entity::Agreement => {
            agreement(rec, &mut problems);
            op
        }
        Entity::Institution | Entity::Program => op,
    };
    date_order(rec, "start_date", "end_date", &mut problems);
    date_order(rec, "valid_from", "valid_to", &mut problems);
    problems.into_result()?;
    Ok(op)
}

fn date_order(rec: &Record, start: &str, end: &str, problems: &mut Problems) {
    if let (Some(s), Some(e)) = (text(rec, start), text(rec, end))
        && e < s
    {
        problems.push(
            end,
            msg!(DATE_BEFORE_START, date = e, start_field = start, start = s),
        );
    }
}

/// Whether `field` keeps its value (in any case) in this write: a clash that a sync
/// brought in (two laptops entered the same person) does not block every other edit of
/// the record; the merge of the two is how it is resolved.
fn kept(rec: &Record, old: Option<&Record>, field: &str) -> bool {
    match (text(rec, field), old.and_then(|o| text(o, field))) {
        (Some(new), Some(old)) => new.to_lowercase() == old.to_lowercase(),
        _ => false,
    }
}

/// A rule across a record's own fields that the record, as stored, breaks.
pub(crate) struct Broken {
    pub problem: Problem,
    /// The fields the rule reads: a merge that changed none of them did not break it.
    pub fields: &'static [&'static str],
}

/// The dates that must be in order: each pair is the fields its rule reads.
const DATE_PAIRS: [&[&str]; 2] = [&["start_date", "end_date"], &["valid_from", "valid_to"]];
const NAME_FIELDS: &[&str] = &crate::import::NAME_FIELDS;
const SCREENING_FIELDS: &[&str] = &["status", "screening", "cohort_id"];
const FELLOWSHIP_FIELDS: &[&str] = &[
    "person_id",
    "placement_id",
    "award_minor",
    "currency",
    "tranches",
];

/// The rules across one record's own fields that `rec` (as stored) breaks: what [`check`]
/// refuses on a local write, said of the record as it stands rather than of a change.
/// Each change of a sync merge was valid on the device that made it, but two changes of
/// one record made on two devices may not be together (status moved to active on one
/// laptop, screening set to flagged on another), so the merge checks the records it
/// changed. Rules across records are not here: capacity may be passed by an explicit
/// override, and the merge itself handles uniqueness (a person placed twice in a cohort,
/// people entered twice). A placement without its screening (a partner copy, which never
/// holds it) is not judged by the gate.
pub(crate) fn broken(conn: &Connection, entity: Entity, rec: &Record) -> Result<Vec<Broken>> {
    let mut out = Vec::new();
    let mut found = |problems: Problems, fields: &'static [&'static str]| {
        out.extend(problems.iter().map(|p| Broken {
            problem: p.clone(),
            fields,
        }));
    };
    for pair in DATE_PAIRS {
        let mut problems = Problems::default();
        date_order(rec, pair[0], pair[1], &mut problems);
        found(problems, pair);
    }
    match entity {
        Entity::Person => {
            let mut problems = Problems::default();
            person_names(rec, &mut problems);
            found(problems, NAME_FIELDS);
        }
        Entity::Fellowship => {
            let mut problems = Problems::default();
            fellowship(conn, rec, &mut problems)?;
            found(problems, FELLOWSHIP_FIELDS);
        }
        Entity::Placement => {
            if let Some(problem) = screening_not_held(conn, rec)? {
                out.push(Broken {
                    problem,
                    fields: SCREENING_FIELDS,
                });
            }
        }
        _ => {}
    }
    Ok(out)
}

/// Whether [`broken`] has any rule for `entity` (institutions and programs have none):
/// a merge of a national database need not read those records back.
pub(crate) fn has_record_rules(entity: Entity) -> bool {
    !matches!(entity, Entity::Institution | Entity::Program)
}

/// The screening gate said of a placement as it stands: in a sensitive program, a
/// placement that is confirmed, active or completed has its screening cleared.
fn screening_not_held(conn: &Connection, rec: &Record) -> Result<Option<Problem>> {
    let (Some(status), Some(screening), Some(cohort)) = (
        text(rec, "status"),
        text(rec, "screening"),
        text(rec, "cohort_id"),
    ) else {
        return Ok(None);
    };
    if !GATED.contains(&status) || screening == "cleared" {
        return Ok(None);
    }
    let program: Option<(bool, String)> = conn
        .prepare_cached(
            "SELECT coalesce(p.sensitive, 0), p.name
             FROM cohort c JOIN program p ON p.id = c.program_id WHERE c.id = ?1",
        )?
        .query_row([cohort], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match program {
        Some((true, program)) => {
            let screening_text = screening.replace('_', " ");
            Some(Problem::new(
                "screening",
                msg!(
                    SCREENING_NOT_CLEARED,
                    program,
                    status,
                    screening_text,
                    screening
                ),
            ))
        }
        _ => None,
    })
}

/// A person has a given and a family name in one script at least (the names given in
/// `rec`; also checked, with the problems of the other fields, when one of them cannot be
/// read: a row with a bad code and no family name is told both at once).
pub(crate) fn person_names(rec: &Record, problems: &mut Problems) {
    let full = |g: &str, f: &str| text(rec, g).is_some() && text(rec, f).is_some();
    if !full("given_name", "family_name") && !full("given_name_he", "family_name_he") {
        let field = if text(rec, "given_name_he").is_some() || text(rec, "family_name_he").is_some()
        {
            if text(rec, "given_name_he").is_none() {
                "given_name_he"
            } else {
                "family_name_he"
            }
        } else if text(rec, "given_name").is_none() {
            "given_name"
        } else {
            "family_name"
        };
        // One name in each script (`דנה` + `Cohen`): say so, not that a name is missing.
        let mixed = match (
            text(rec, "given_name"),
            text(rec, "family_name"),
            text(rec, "given_name_he"),
            text(rec, "family_name_he"),
        ) {
            (Some(given), None, None, Some(family)) => Some((given, family, "given_name")),
            (None, Some(family), Some(given), None) => Some((given, family, "given_name_he")),
            _ => None,
        };
        match mixed {
            // Named by the given name as given (a field the input has).
            Some((given, family, field)) => {
                problems.push(field, msg!(PERSON_NAME_SCRIPTS_DIFFER, given, family));
            }
            None => problems.push(field, msg!(PERSON_NEEDS_NAME)),
        }
    }
}

fn person(
    conn: &Connection,
    rec: &Record,
    old: Option<&Record>,
    problems: &mut Problems,
) -> Result<()> {
    person_names(rec, problems);
    let id = text(rec, "id").unwrap_or_default();
    if let Some(email) = text(rec, "email").filter(|_| !kept(rec, old, "email")) {
        let other: Option<String> = conn
            .prepare_cached("SELECT id FROM person WHERE email_key = ?1 AND id <> ?2")?
            .query_row(params![email.to_lowercase(), id], |r| r.get(0))
            .optional()?;
        if let Some(other) = other {
            return Err(Error::refused(
                "email",
                msg!(
                    PERSON_EMAIL_TAKEN,
                    email,
                    person = person_name(conn, &other)?
                ),
            ));
        }
    }
    if let Some(orcid) = text(rec, "orcid").filter(|_| !kept(rec, old, "orcid")) {
        let other: Option<String> = conn
            .prepare_cached("SELECT id FROM person WHERE orcid = ?1 AND id <> ?2")?
            .query_row(params![orcid, id], |r| r.get(0))
            .optional()?;
        if let Some(other) = other {
            return Err(Error::refused(
                "orcid",
                msg!(
                    PERSON_ORCID_TAKEN,
                    orcid,
                    person = person_name(conn, &other)?
                ),
            ));
        }
    }
    Ok(())
}

fn cohort(conn: &Connection, rec: &Record, old: Option<&Record>) -> Result<()> {
    let (Some(program), Some(name)) = (text(rec, "program_id"), text(rec, "name")) else {
        return Ok(());
    };
    if kept(rec, old, "name") && old.and_then(|o| text(o, "program_id")) == Some(program) {
        return Ok(());
    }
    let clash: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM cohort
             WHERE program_id = ?1 AND name = ?2 COLLATE NOCASE AND id <> ?3)",
        )?
        .query_row(
            params![program, name, text(rec, "id").unwrap_or_default()],
            |r| r.get(0),
        )?;
    if clash {
        return Err(Error::refused("name", msg!(COHORT_NAME_TAKEN, name)));
    }
    Ok(())
}

/// The main line of a placement's life; withdrawn and declined branch off any open state.
const PIPELINE: &[&str] = &[
    "nominated",
    "applied",
    "accepted",
    "confirmed",
    "active",
    "completed",
];
const TERMINAL: &[&str] = &["completed", "withdrawn", "declined"];
/// States that need cleared screening when the program is sensitive.
const GATED: &[&str] = &["confirmed", "active", "completed"];

/// Whether a placement in `status` takes up a place in its cohort.
pub(crate) fn takes_place(status: &str) -> bool {
    status != "withdrawn" && status != "declined"
}

/// Checks a status move; returns `Some("reopen")` for an allowed backward move.
fn status_move(from: &str, to: &str, opts: WriteOptions) -> Result<Option<&'static str>> {
    if from == to {
        return Ok(None);
    }
    let pos = |s: &str| PIPELINE.iter().position(|p| *p == s);
    let forward = match (pos(from), pos(to)) {
        _ if TERMINAL.contains(&from) => false,
        (Some(_), None) => true, // to withdrawn or declined from an open state
        (Some(a), Some(b)) => b > a,
        _ => false,
    };
    if forward {
        return Ok(None);
    }
    if opts.reopen {
        return Ok(Some("reopen"));
    }
    Err(Error::refused(
        "status",
        if TERMINAL.contains(&from) {
            msg!(STATUS_FROM_FINAL, from, to)
        } else {
            msg!(STATUS_BACKWARD, from, to)
        },
    ))
}

fn placement(
    conn: &Connection,
    rec: &mut Record,
    old: Option<&Record>,
    opts: WriteOptions,
) -> Result<Option<&'static str>> {
    let person_id = text(rec, "person_id").unwrap_or_default().to_owned();
    let cohort_id = text(rec, "cohort_id").unwrap_or_default().to_owned();
    let id = text(rec, "id").unwrap_or_default().to_owned();
    #[allow(clippy::type_complexity)]
    let (capacity, cohort_host, cohort_start, cohort_end, sensitive, program_name, cohort_name): (
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
        String,
        String,
    ) = conn
        .prepare_cached(
            "SELECT c.capacity, c.host_institution_id, c.start_date, c.end_date,
                    coalesce(p.sensitive, 0), p.name, c.name
             FROM cohort c JOIN program p ON p.id = c.program_id WHERE c.id = ?1",
        )?
        .query_row([&cohort_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?;
    if old.is_none() {
        if text(rec, "home_institution_id").is_none() {
            let home: Option<String> = conn
                .prepare_cached("SELECT home_institution_id FROM person WHERE id = ?1")?
                .query_row([&person_id], |r| r.get(0))?;
            set(rec, "home_institution_id", home);
        }
        if text(rec, "host_institution_id").is_none() {
            set(rec, "host_institution_id", cohort_host);
        }
        if text(rec, "start_date").is_none() {
            set(rec, "start_date", cohort_start);
        }
        if text(rec, "end_date").is_none() {
            set(rec, "end_date", cohort_end);
        }
        if text(rec, "role").is_none() {
            set(rec, "role", "participant");
        }
        if text(rec, "status").is_none() {
            set(rec, "status", "nominated");
        }
        if text(rec, "screening").is_none() {
            set(
                rec,
                "screening",
                if sensitive { "pending" } else { "not_required" },
            );
        }
    }

    // Required once set: a write may not clear them (a partner laptop may hold a
    // placement without its screening, which is redacted from its packages).
    let cleared: Vec<&str> = ["role", "status", "screening"]
        .into_iter()
        .filter(|f| text(rec, f).is_none() && old.is_none_or(|o| text(o, f).is_some()))
        .collect();
    if let Some(field) = cleared.first() {
        return Err(Error::invalid(*field, msg!(FIELD_CANNOT_CLEAR)));
    }

    let taken: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM placement
             WHERE person_id = ?1 AND cohort_id = ?2 AND id <> ?3)",
        )?
        .query_row(params![person_id, cohort_id, id], |r| r.get(0))?;
    if taken {
        return Err(Error::refused(
            "person_id",
            msg!(PLACEMENT_TWICE, cohort = cohort_name),
        ));
    }

    let status = text(rec, "status").unwrap_or("nominated").to_owned();
    let old_status = old.and_then(|o| text(o, "status"));
    let op = match old_status {
        Some(from) => status_move(from, &status, opts)?,
        None => None,
    };

    let status_changed = old_status != Some(status.as_str());
    let cohort_changed = old.is_some_and(|o| text(o, "cohort_id") != Some(cohort_id.as_str()));
    // A copy without the screening (a partner laptop's: it is redacted from scoped
    // packages) counts as not cleared, but leaving it absent is no change of it.
    let screening_changed = old.is_some_and(|o| text(o, "screening") != text(rec, "screening"));
    let screening = text(rec, "screening").unwrap_or("pending");
    // A placement gets past the gate only with cleared screening, and keeps it cleared
    // there: a screening that stops being cleared first moves the placement back (a
    // recorded reopen) or out (withdrawn), so that no confirmed placement holds a flag.
    // Completing a confirmed or active placement passes no gate: it passed it already.
    let completes = status == "completed" && matches!(old_status, Some("confirmed" | "active"));
    let moved = (status_changed && !completes) || cohort_changed;
    if sensitive
        && GATED.contains(&status.as_str())
        && screening != "cleared"
        && (moved || screening_changed)
    {
        let (program, screening_text) = (program_name, screening.replace('_', " "));
        return Err(Error::refused(
            "screening",
            if moved {
                msg!(SCREENING_GATE, program, status, screening_text, screening)
            } else {
                msg!(SCREENING_KEPT, program, status, screening_text, screening)
            },
        ));
    }

    let joins_cohort = match old {
        None => true,
        Some(o) => {
            text(o, "cohort_id") != Some(cohort_id.as_str())
                || !takes_place(text(o, "status").unwrap_or(""))
        }
    };
    if let Some(capacity) = capacity
        && joins_cohort
        && takes_place(&status)
        && !opts.over_capacity
    {
        let used: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM placement WHERE cohort_id = ?1 AND id <> ?2
             AND coalesce(status, '') NOT IN ('withdrawn', 'declined')",
            )?
            .query_row(params![cohort_id, id], |r| r.get(0))?;
        if used >= capacity {
            return Err(Error::refused(
                "cohort_id",
                msg!(COHORT_FULL, cohort = cohort_name, used, capacity),
            ));
        }
    }

    let direction = direction(
        conn,
        text(rec, "home_institution_id"),
        text(rec, "host_institution_id"),
    )?;
    set(rec, "direction", direction);
    Ok(op)
}

/// `HOME->HOST` from the two institutions' countries, `domestic` when they are the same.
pub(crate) fn direction(
    conn: &Connection,
    home: Option<&str>,
    host: Option<&str>,
) -> Result<Option<String>> {
    let (Some(home), Some(host)) = (home, host) else {
        return Ok(None);
    };
    let country = |id: &str| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached("SELECT country FROM institution WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    };
    Ok(match (country(home)?, country(host)?) {
        (Some(a), Some(b)) if a == b => Some("domestic".to_owned()),
        (Some(a), Some(b)) => Some(format!("{a}->{b}")),
        _ => None,
    })
}

fn fellowship(conn: &Connection, rec: &Record, problems: &mut Problems) -> Result<()> {
    if let Some(placement) = text(rec, "placement_id") {
        let person: Option<String> = conn
            .prepare_cached("SELECT person_id FROM placement WHERE id = ?1")?
            .query_row([placement], |r| r.get(0))
            .optional()?;
        if person.as_deref() != text(rec, "person_id") {
            problems.push("placement_id", msg!(FELLOWSHIP_PLACEMENT_PERSON));
        }
    }
    let award = rec.get("award_minor").and_then(Value::as_i64).unwrap_or(0);
    let tranches = rec
        .get("tranches")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let total: i64 = tranches
        .iter()
        .filter_map(|t| t.get("amount_minor").and_then(Value::as_i64))
        .sum();
    if total > award {
        problems.push(
            "tranches",
            msg!(
                TRANCHES_OVER_AWARD,
                total = money(total, text(rec, "currency").unwrap_or("")),
                award = money(award, text(rec, "currency").unwrap_or("")),
                total_minor = total,
                award_minor = award,
                currency = text(rec, "currency").unwrap_or("")
            ),
        );
    }
    for (i, t) in tranches.iter().enumerate() {
        if t.get("status").and_then(Value::as_str) != Some("paid")
            && t.get("paid_on").is_some_and(|v| !v.is_null())
        {
            problems.push(
                format!("tranches[{i}].paid_on"),
                msg!(TRANCHE_PAID_ON_UNPAID),
            );
        }
    }
    Ok(())
}

fn agreement(rec: &Record, problems: &mut Problems) {
    let quotas = rec
        .get("quotas")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut seen = Vec::new();
    for (i, q) in quotas.iter().enumerate() {
        let year = q
            .get("academic_year")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let dir = q
            .get("direction")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if parse_academic_year(year).is_none() {
            problems.push(
                format!("quotas[{i}].academic_year"),
                msg!(QUOTA_NOT_YEAR, value = year),
            );
        }
        // The direction's form is checked where it is read (`values::parse_quota_direction`).
        if dir.split_once("->").is_some_and(|(a, b)| a == b) {
            // Placements within one country are `domestic`: such a quota is never used.
            problems.push(
                format!("quotas[{i}].direction"),
                msg!(QUOTA_ONE_COUNTRY, value = dir),
            );
        }
        if seen.contains(&(year, dir)) {
            problems.push(
                format!("quotas[{i}]"),
                msg!(QUOTA_TWICE, year, direction = dir),
            );
        }
        seen.push((year, dir));
    }
}

/// `2026/27` → 2026 (the second part must be the next year).
pub(crate) fn parse_academic_year(s: &str) -> Option<i32> {
    let (a, b) = s.split_once('/')?;
    let first: i32 = a.parse().ok().filter(|_| a.len() == 4)?;
    let second: i32 = b.parse().ok().filter(|_| b.len() == 2)?;
    ((first + 1) % 100 == second).then_some(first)
}

/// Work a write leaves for other records: a country change re-derives the direction of
/// every placement at that institution.
pub(crate) fn after_update(
    conn: &Connection,
    entity: Entity,
    rec: &Record,
    old: &Record,
) -> Result<()> {
    if entity != Entity::Institution || rec.get("country") == old.get("country") {
        return Ok(());
    }
    let id = text(rec, "id").unwrap_or_default();
    let mut stmt = conn.prepare(
        "SELECT id, home_institution_id, host_institution_id FROM placement
         WHERE home_institution_id = ?1 OR host_institution_id = ?1",
    )?;
    let rows: Vec<(String, Option<String>, Option<String>)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (placement, home, host) in rows {
        let d = direction(conn, home.as_deref(), host.as_deref())?;
        conn.execute(
            "UPDATE placement SET direction = ?1 WHERE id = ?2",
            params![d, placement],
        )?;
    }
    Ok(())
}

/// Fills the fields computed on read: an agreement's places used per quota and its
/// reciprocity balance. An academic year runs from 1 August to 31 July; a placement counts
/// in the year its start date falls in, when both its institutions are parties to the
/// agreement and it is not withdrawn or declined.
pub(crate) fn compute(conn: &Connection, entity: Entity, rec: &mut Record) -> Result<()> {
    if entity != Entity::Agreement {
        return Ok(());
    }
    let parties = rec
        .get("institution_ids")
        .cloned()
        .unwrap_or(Value::Array(vec![]))
        .to_string();
    let count = |direction: Option<&str>, year: Option<i32>| -> Result<i64> {
        let (from, to) = match year {
            Some(y) => (format!("{y}-08-01"), format!("{}-08-01", y + 1)),
            None => ("0000-01-01".to_owned(), "9999-12-31".to_owned()),
        };
        Ok(conn
            .prepare_cached(
                "SELECT count(*) FROM placement
             WHERE home_institution_id IN (SELECT value FROM json_each(?1))
               AND host_institution_id IN (SELECT value FROM json_each(?1))
               AND coalesce(status, '') NOT IN ('withdrawn', 'declined')
               AND (?2 IS NULL OR direction = ?2)
               AND coalesce(start_date, '') >= ?3 AND coalesce(start_date, '') < ?4",
            )?
            .query_row(params![parties, direction, from, to], |r| r.get(0))?)
    };
    if let Some(Value::Array(quotas)) = rec.get_mut("quotas").map(std::mem::take) {
        let mut out = Vec::with_capacity(quotas.len());
        for mut q in quotas {
            let dir = q
                .get("direction")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let year = q
                .get("academic_year")
                .and_then(Value::as_str)
                .and_then(parse_academic_year);
            let used = count(dir.as_deref(), year)?;
            if let Some(obj) = q.as_object_mut() {
                obj.insert("places_used".into(), Value::from(used));
            }
            out.push(q);
        }
        rec.insert("quotas".into(), Value::Array(out));
    }
    let balance = count(Some("US->IL"), None)? - count(Some("IL->US"), None)?;
    rec.insert("reciprocity_balance".into(), Value::from(balance));
    Ok(())
}

/// The columns core derives for `entity` (not fields of domain.md): a person's folded
/// sort name and the lower-case e-mail that uniqueness is checked on (SQLite's `lower()`
/// folds ASCII only). `records::insert_row`/`update_row` write them with the row itself,
/// so every write of a record (local or merged) keeps them current in one statement.
pub(crate) fn derived_columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Person => &["sort_name", "email_key"],
        _ => &[],
    }
}

/// The values of [`derived_columns`] for `rec`, in that order.
pub(crate) fn derived_values(entity: Entity, rec: &Record) -> Vec<Option<String>> {
    match entity {
        Entity::Person => person_keys(rec).into(),
        _ => Vec::new(),
    }
}

/// A person's sort key (family then given name, folded; Latin first, else Hebrew) and
/// e-mail key (the e-mail in lower case).
fn person_keys(rec: &Record) -> [Option<String>; 2] {
    let pick = |a: &str, b: &str| text(rec, a).or(text(rec, b)).unwrap_or("");
    let key = crate::values::fold(&format!(
        "{}\u{1}{}",
        pick("family_name", "family_name_he"),
        pick("given_name", "given_name_he")
    ));
    [Some(key), text(rec, "email").map(str::to_lowercase)]
}

/// "16,000.00 USD" from minor units.
fn money(minor: i64, currency: &str) -> String {
    let major = minor / 100;
    let digits = major.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02} {currency}", minor % 100)
        .trim_end()
        .to_owned()
}

/// A person's name for messages: "Dana Cohen" (or the Hebrew name, or the id).
fn person_name(conn: &Connection, id: &str) -> Result<String> {
    let name: Option<String> = conn
        .query_row(
            "SELECT coalesce(nullif(trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')), ''),
                             trim(coalesce(given_name_he, '') || ' ' || coalesce(family_name_he, '')))
             FROM person WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("person {id}")))
}
