//! Sync between laptops: signed packages of field-level changes, a deterministic merge,
//! and the conflict list.
//!
//! Every write of a shared field is stamped with a hybrid logical clock (HLC) and the
//! device it came from (`field_clock`), together with the stamps it replaced. Merging a
//! package keeps, field by field, the write that is newer by causality; when two writes
//! did not see each other (a race), the later stamp wins (clock, then device id) and the
//! other value goes to the conflict list. Deletes are final: a delete wins over concurrent
//! edits, which are listed. After a merge the data is made consistent in the same way on
//! every device: records whose required parent is gone are removed (listed), references
//! to deleted records are cleared, a person placed twice in one cohort keeps the placement
//! with the smaller id (the other is listed), and people who look entered twice are listed
//! as probable duplicates. So laptops converge whatever order packages arrive in.
//!
//! A package is JSON: a signed envelope (format, version, device, ed25519 public key,
//! SHA-256 of the payload, signature) around a gzip-compressed payload.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::entity::{Entity, Kind};
use crate::error::{Error, Problem, Result};
use crate::history::hlc_time;
use crate::msg;
use crate::msg::Msg;
use crate::records::{self, Record, WriteOptions};
use crate::{Db, fsutil, rules, search, values};

pub const PACKAGE_FORMAT: &str = "exchange-desk/sync-package";
pub const PACKAGE_VERSION: u32 = 1;
/// The file name ending of sync packages (also what shared-folder sync looks for).
pub const PACKAGE_EXTENSION: &str = "exdesk-sync";
/// How many replaced stamps a field keeps to recognise old values.
const SUPERSEDES_KEPT: usize = 64;
/// The order in which records are applied (parents before children).
const LOAD_ORDER: [Entity; 7] = [
    Entity::Institution,
    Entity::Person,
    Entity::Program,
    Entity::Cohort,
    Entity::Placement,
    Entity::Fellowship,
    Entity::Agreement,
];
/// Fields left out of packages scoped to a partner (the redacted fields of domain.md).
const REDACTED: &[(Entity, &str)] = &[
    (Entity::Person, "birth_date"),
    (Entity::Person, "citizenships"),
    (Entity::Person, "phone"),
    (Entity::Person, "email"),
    (Entity::Placement, "screening"),
    (Entity::Placement, "visa_type"),
    (Entity::Placement, "visa_expires"),
];

/// The redacted fields of `entity` (none for most entities).
fn redacted_of(entity: Entity) -> Vec<&'static str> {
    REDACTED
        .iter()
        .filter(|(e, _)| *e == entity)
        .map(|(_, f)| *f)
        .collect()
}

/// A field's clock: its stamp, the device it came from, the stamps it replaced.
type FieldClock = (String, String, Vec<String>);
/// A delete: its stamp, the device, and the deleter's field stamps.
type TombState = (String, String, BTreeMap<String, String>);

// ------------------------------------------------------------------ public types

/// This installation, or a device it knows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    /// SHA-256 of the public key, in groups of four hex digits, to compare by eye.
    pub fingerprint: String,
    pub is_self: bool,
    pub trusted: bool,
    pub trusted_at: Option<String>,
}

/// What a package holds, read before deciding to trust its device.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PackageInfo {
    pub device_id: String,
    pub device_name: String,
    pub fingerprint: String,
    /// The device is known and trusted here.
    pub trusted: bool,
    pub scoped: bool,
    /// Records in the package, and the field changes they carry (what `sync export`
    /// reports as changes).
    pub records: u32,
    pub changes: u32,
    pub deletes: u32,
}

/// What an export or import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncSummary {
    pub file_name: String,
    pub device_id: String,
    pub device_name: String,
    /// Records in the package (as `sync inspect` counts them).
    pub records: u32,
    /// Field changes written (export) or applied (import).
    pub changes: u32,
    pub deletes: u32,
    pub new_conflicts: u32,
    pub bytes: u32,
}

/// One entry of the conflict list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConflictEntry {
    pub id: String,
    /// `field` (a value lost a race), `edit_deleted` (an edit reached a deleted record),
    /// `removed` (a record removed to keep the data consistent), `reference_cleared`,
    /// `duplicate_person` (probably the same person entered twice), `rule` (the merged
    /// record breaks a rule of its fields: see `rule`).
    pub kind: String,
    pub entity: Entity,
    pub record_id: String,
    pub field: String,
    /// What the record is (a person's name, a cohort's name…).
    pub title: String,
    #[ts(type = "unknown")]
    pub lost_value: Value,
    pub lost_device: String,
    #[ts(type = "unknown")]
    pub kept_value: Value,
    pub kept_device: String,
    pub detected_at: String,
    pub resolved: bool,
    pub resolution: Option<String>,
    /// For a `rule` entry: the rule the merged record breaks, as a message of the
    /// catalogue naming its field (`field` is that field; `kept_value` its merged value;
    /// `lost_value` is null: nothing was lost, the record is kept as merged).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Problem>,
}

/// One page of the conflict list ([`Db::conflict_page`]).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConflictPage {
    pub rows: Vec<ConflictEntry>,
    /// Entries listed: the open ones, or every one when the resolved are shown too.
    pub total: u32,
    /// Entries not resolved yet.
    pub open: u32,
}

/// The most entries a page of the conflict list holds.
pub const CONFLICT_PAGE_MAX: u32 = 500;

/// The entries listed: the open ones, and the resolved ones when `?1` is true. Written as
/// a range of the first column of the `conflict_order` index (migration 0009).
const LISTED: &str = "(c.resolved_at IS NOT NULL) <= ?1";
/// Open entries first, newest first: the key of the `conflict_order` index.
const CONFLICT_ORDER: &str = "c.resolved_at IS NOT NULL, c.detected_at DESC, c.id";

/// One round of shared-folder sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FolderSummary {
    pub outbox: String,
    pub imported: Vec<SyncSummary>,
    /// Files left alone, with the reason (untrusted device, damaged, already imported).
    pub skipped: Vec<(String, String)>,
    /// The reason of each entry of `skipped` (same order) with its message code.
    pub skipped_messages: Vec<Problem>,
}

impl FolderSummary {
    /// The refusal to report once the round is done when it left packages aside
    /// (untrusted, damaged, unreadable): the round went on with the others, but the
    /// command that ran it says something was refused (CLI exit 5).
    pub fn refusal(&self) -> Result<()> {
        match self.skipped.len() {
            0 => Ok(()),
            n => Err(Error::refused("", msg!(FOLDER_PACKAGES_REFUSED, n))),
        }
    }
}

// ------------------------------------------------------------------ package format

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    device_id: String,
    device_name: String,
    public_key: String,
    sha256: String,
    signature: String,
    payload: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    created_at: String,
    to: Option<String>,
    scope: Option<String>,
    seen: BTreeMap<String, String>,
    devices: Vec<DeviceCard>,
    records: Vec<RecordChanges>,
    tombstones: Vec<Tomb>,
    /// The records carried here that the sender holds as partner copies (without their
    /// redacted fields): they stay, or become, partner copies on the receiver even when
    /// the package is not scoped. Absent from packages of older versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    partner_copies: Vec<(Entity, String)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct DeviceCard {
    id: String,
    name: String,
    public_key: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct RecordChanges {
    entity: Entity,
    id: String,
    fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FieldChange {
    field: String,
    value: Value,
    hlc: String,
    origin: String,
    #[serde(default)]
    supersedes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Tomb {
    entity: Entity,
    id: String,
    hlc: String,
    origin: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    reason: String,
}

fn refused(msg: Msg) -> Error {
    Error::refused("package", msg)
}

fn signed_message(env: &Envelope) -> Vec<u8> {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        env.format, env.version, env.device_id, env.device_name, env.public_key, env.sha256
    )
    .into_bytes()
}

/// SHA-256 of the public key, as `ab12 cd34 …` (first 16 bytes).
pub fn fingerprint(public_key_b64: &str) -> String {
    let digest = Sha256::digest(public_key_b64.as_bytes());
    digest[..16]
        .chunks(2)
        .map(|c| format!("{:02x}{:02x}", c[0], c[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads and verifies a package: format, version, checksum, signature.
fn open_package(bytes: &[u8]) -> Result<(Envelope, Payload)> {
    let env: Envelope =
        serde_json::from_slice(bytes).map_err(|_| refused(msg!(PACKAGE_NOT_A_PACKAGE)))?;
    if env.format != PACKAGE_FORMAT {
        return Err(refused(msg!(PACKAGE_FORMAT, format = env.format)));
    }
    if env.version > PACKAGE_VERSION {
        return Err(refused(msg!(
            PACKAGE_NEWER,
            version = env.version,
            supported = PACKAGE_VERSION
        )));
    }
    let compressed = B64
        .decode(&env.payload)
        .map_err(|_| refused(msg!(PACKAGE_DAMAGED_PAYLOAD)))?;
    let digest = hex(&Sha256::digest(&compressed));
    if digest != env.sha256 {
        return Err(refused(msg!(PACKAGE_CHECKSUM)));
    }
    let key_bytes: [u8; 32] = B64
        .decode(&env.public_key)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| refused(msg!(PACKAGE_BAD_KEY)))?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|_| refused(msg!(PACKAGE_BAD_KEY)))?;
    let sig_bytes: [u8; 64] = B64
        .decode(&env.signature)
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| refused(msg!(PACKAGE_NOT_SIGNED)))?;
    key.verify(&signed_message(&env), &Signature::from_bytes(&sig_bytes))
        .map_err(|_| refused(msg!(PACKAGE_BAD_SIGNATURE)))?;
    let json = inflate(&compressed, payload_limit(compressed.len()))?;
    let payload: Payload = serde_json::from_slice(&json)
        .map_err(|e| refused(msg!(PACKAGE_DAMAGED_CONTENTS, error = e)))?;
    Ok((env, payload))
}

/// How far a package's payload may expand: JSON records compress about 10×, a
/// decompression bomb thousands of times. Anyone can sign a package with a key of their
/// own, and the trust check comes after reading it, so the limit is what keeps a
/// malicious file from exhausting memory.
fn payload_limit(compressed: usize) -> u64 {
    const MAX_RATIO: u64 = 100;
    const FLOOR: u64 = 64 * 1024 * 1024;
    (compressed as u64).saturating_mul(MAX_RATIO).max(FLOOR)
}

/// Decompresses a payload, refusing one that expands past `limit` bytes.
fn inflate(compressed: &[u8], limit: u64) -> Result<Vec<u8>> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(compressed)
        .take(limit + 1)
        .read_to_end(&mut json)
        .map_err(|_| refused(msg!(PACKAGE_DAMAGED_COMPRESSED)))?;
    if json.len() as u64 > limit {
        return Err(refused(msg!(
            PACKAGE_INFLATED,
            limit_mb = limit / (1024 * 1024)
        )));
    }
    Ok(json)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ------------------------------------------------------------------ device keys

fn signing_key(conn: &Connection, device_id: &str) -> Result<SigningKey> {
    let secret: String = conn.query_row(
        "SELECT secret_key FROM device WHERE id = ?1",
        [device_id],
        |r| r.get(0),
    )?;
    let bytes: [u8; 32] = B64
        .decode(secret)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::Damaged(msg!(DEVICE_KEY_DAMAGED)))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Gives this installation its signing key pair on first open.
pub(crate) fn ensure_keys(conn: &Connection, device_id: &str) -> Result<()> {
    let has: Option<String> = conn.query_row(
        "SELECT public_key FROM device WHERE id = ?1",
        [device_id],
        |r| r.get(0),
    )?;
    if has.is_some() {
        return Ok(());
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| {
        Error::Io(std::io::Error::other(format!(
            "no randomness for a key: {e}"
        )))
    })?;
    let key = SigningKey::from_bytes(&seed);
    conn.execute(
        "UPDATE device SET public_key = ?1, secret_key = ?2, trusted = 1 WHERE id = ?3",
        params![
            B64.encode(key.verifying_key().to_bytes()),
            B64.encode(seed),
            device_id
        ],
    )?;
    Ok(())
}

// ------------------------------------------------------------------ recording local writes

/// The clock of one field of a record: its own row, else the record's creation row
/// (field '*') when the field was among those it was created with.
fn clock_of(
    conn: &Connection,
    entity: Entity,
    id: &str,
    field: &str,
) -> Result<Option<FieldClock>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, hlc, origin, supersedes, fields FROM field_clock
         WHERE entity = ?1 AND record_id = ?2 AND field IN (?3, '*')",
    )?;
    let rows = stmt.query_map(params![entity.name(), id, field], clock_row)?;
    let mut created = None;
    for row in rows {
        let (name, clock, fields) = row?;
        if name == field {
            return Ok(Some(clock));
        }
        if fields.iter().any(|f| f == field) {
            created = Some(clock);
        }
    }
    Ok(created)
}

/// One row of `field_clock`: the field, its clock, and (for a creation row) the fields
/// it stands for.
fn clock_row(r: &rusqlite::Row) -> rusqlite::Result<(String, FieldClock, Vec<String>)> {
    let supersedes: String = r.get(3)?;
    let fields: Option<String> = r.get(4)?;
    Ok((
        r.get(0)?,
        (
            r.get(1)?,
            r.get(2)?,
            serde_json::from_str(&supersedes).unwrap_or_default(),
        ),
        fields
            .and_then(|f| serde_json::from_str(&f).ok())
            .unwrap_or_default(),
    ))
}

fn set_clock(
    conn: &Connection,
    entity: Entity,
    id: &str,
    field: &str,
    hlc: &str,
    origin: &str,
    supersedes: &[String],
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO field_clock (entity, record_id, field, hlc, origin, supersedes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (entity, record_id, field) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin,
         supersedes = excluded.supersedes",
    )?
    .execute(params![entity.name(), id, field, hlc, origin, serde_json::to_string(supersedes)?])?;
    Ok(())
}

/// The field clocks of one record, by field (one query for all of them): each field's own
/// row, else the record's creation row (field '*') for the fields it was created with.
fn clocks_of(conn: &Connection, entity: Entity, id: &str) -> Result<BTreeMap<String, FieldClock>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, hlc, origin, supersedes, fields FROM field_clock
         WHERE entity = ?1 AND record_id = ?2",
    )?;
    let mut out = BTreeMap::new();
    let mut created = None;
    for row in stmt.query_map(params![entity.name(), id], clock_row)? {
        let (field, clock, fields) = row?;
        if field == CREATED {
            created = Some((clock, fields));
        } else {
            out.insert(field, clock);
        }
    }
    if let Some((clock, fields)) = created {
        for field in fields {
            out.entry(field).or_insert_with(|| clock.clone());
        }
    }
    Ok(out)
}

/// The `field` of a record's creation row in `field_clock`.
const CREATED: &str = "*";

/// Stamps a record created here: one row for all the fields it was created with.
/// The fields a record created here is stamped with by its one `*` clock row (JSON list):
/// `created_at` and every field that is not empty.
pub(crate) fn created_fields(entity: Entity, new: &Record) -> String {
    let mut fields: Vec<&str> = vec!["created_at"];
    let all = entity.fields();
    fields.extend(
        all.iter()
            .zip(records::values_of(new, all))
            .filter(|(f, v)| f.is_writable() && !is_empty_value(*v))
            .map(|(f, _)| f.name),
    );
    serde_json::to_string(&fields).unwrap_or_default()
}

/// Stamps a record created here: one `*` clock row for the fields [`created_fields`]
/// listed (its id is new, so it has no clocks yet). The caller notes the stamp as seen
/// ([`note_seen`]), once for many records written together.
pub(crate) fn insert_created_clock(
    conn: &Connection,
    entity: Entity,
    id: &str,
    fields: &str,
    hlc: &str,
    origin: &str,
) -> Result<()> {
    CreatedClockInsert::new(conn)?.insert(entity, id, fields, hlc, origin)
}

/// The INSERT of [`insert_created_clock`], held by a writer of many records.
pub(crate) struct CreatedClockInsert<'c>(CachedStatement<'c>);

impl<'c> CreatedClockInsert<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Self> {
        Ok(CreatedClockInsert(conn.prepare_cached(
            "INSERT OR FAIL INTO field_clock (entity, record_id, field, hlc, origin, supersedes, fields)
             VALUES (?1, ?2, '*', ?3, ?4, '[]', ?5)",
        )?))
    }

    /// [`insert_created_clock`] with the statement held.
    pub(crate) fn insert(
        &mut self,
        entity: Entity,
        id: &str,
        fields: &str,
        hlc: &str,
        origin: &str,
    ) -> Result<()> {
        self.0
            .execute(params![entity.name(), id, hlc, origin, fields])?;
        Ok(())
    }
}

/// Stamps fields of one record that have no clock yet with `hlc` (superseding nothing),
/// in one statement. `OR FAIL` spares SQLite a
/// statement journal (and the search index a flush) for this many-row insert; a failure
/// still fails the caller's savepoint, which undoes the whole write.
fn insert_clocks(
    conn: &Connection,
    entity: Entity,
    id: &str,
    fields: &[&str],
    hlc: &str,
    origin: &str,
) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let entity_name = entity.name();
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&entity_name, &id, &hlc, &origin];
    params.extend(fields.iter().map(|f| f as &dyn rusqlite::ToSql));
    conn.prepare_cached(&insert_clocks_sql(fields.len()))?
        .execute(params.as_slice())?;
    Ok(())
}

/// The INSERT of `n` new field clocks, built once for each `n` up to the widest record.
/// ?1..?4 are shared by every row; each row adds its field.
fn insert_clocks_sql(n: usize) -> std::borrow::Cow<'static, str> {
    fn build(n: usize) -> String {
        let values: Vec<String> = (0..n)
            .map(|i| format!("(?1, ?2, ?{}, ?3, ?4, '[]')", 5 + i))
            .collect();
        format!(
            "INSERT OR FAIL INTO field_clock (entity, record_id, field, hlc, origin, supersedes)
             VALUES {}",
            values.join(", ")
        )
    }
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    match SQL.get_or_init(|| (0..=32).map(build).collect()).get(n) {
        Some(sql) => std::borrow::Cow::Borrowed(sql),
        None => std::borrow::Cow::Owned(build(n)),
    }
}

pub(crate) fn note_seen(conn: &Connection, origin: &str, hlc: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO seen (origin, hlc) VALUES (?1, ?2)
         ON CONFLICT (origin) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
    )?
    .execute(params![origin, hlc])?;
    Ok(())
}

/// Whether a field holds nothing worth a clock or a history entry (none, empty list,
/// false).
pub(crate) fn is_empty_value(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Bool(b)) => !b,
        _ => false,
    }
}

/// Stamps the fields a local write changed (or the delete) for sync.
pub(crate) fn record_local(
    conn: &Connection,
    entity: Entity,
    id: &str,
    old: Option<&Record>,
    new: Option<&Record>,
    hlc: &str,
    device: &str,
) -> Result<()> {
    match new {
        Some(new) => {
            let Some(old) = old else {
                let fields = created_fields(entity, new);
                insert_created_clock(conn, entity, id, &fields, hlc, device)?;
                return note_seen(conn, device, hlc);
            };
            let fields: Vec<&str> = entity
                .fields()
                .iter()
                .filter(|f| f.is_writable() && old.get(f.name) != new.get(f.name))
                .map(|f| f.name)
                .collect();
            let mut clocks = if fields.is_empty() {
                BTreeMap::new()
            } else {
                clocks_of(conn, entity, id)?
            };
            let mut fresh: Vec<&str> = Vec::with_capacity(fields.len());
            for field in fields {
                match clocks.remove(field) {
                    Some((prev, _, mut older)) => {
                        older.insert(0, prev);
                        older.truncate(SUPERSEDES_KEPT);
                        set_clock(conn, entity, id, field, hlc, device, &older)?;
                    }
                    None => fresh.push(field),
                }
            }
            insert_clocks(conn, entity, id, &fresh, hlc, device)?;
        }
        None => {
            let fields = field_clocks(conn, entity, id)?;
            conn.execute(
                "INSERT OR REPLACE INTO tombstone (record_id, entity, hlc, origin, fields, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'deleted')",
                params![
                    id,
                    entity.name(),
                    hlc,
                    device,
                    serde_json::to_string(&fields)?
                ],
            )?;
            conn.execute(
                "DELETE FROM field_clock WHERE entity = ?1 AND record_id = ?2",
                params![entity.name(), id],
            )?;
            forget_partner_copy(conn, entity, id)?;
        }
    }
    note_seen(conn, device, hlc)
}

// ------------------------------------------------------------------ partner copies

/// The fields this laptop holds a record without: those the package scoped to a cohort
/// that brought it left out, when the record is a partner copy (`partner_copy`,
/// migration 0012); empty for every other record.
pub(crate) fn withheld_fields(conn: &Connection, entity: Entity, id: &str) -> Result<Vec<String>> {
    if redacted_of(entity).is_empty() {
        return Ok(Vec::new());
    }
    let fields: Option<String> = conn
        .prepare_cached("SELECT fields FROM partner_copy WHERE entity = ?1 AND record_id = ?2")?
        .query_row(params![entity.name(), id], |r| r.get(0))
        .optional()?;
    Ok(fields
        .and_then(|f| serde_json::from_str(&f).ok())
        .unwrap_or_default())
}

/// Refuses a local write that would set a field a partner copy was received without: the
/// coordinator keeps that value, and a write here would overwrite it there unseen.
pub(crate) fn check_partner_copy(
    conn: &Connection,
    entity: Entity,
    id: &str,
    old: &Record,
    new: &Record,
) -> Result<()> {
    let set: Vec<String> = withheld_fields(conn, entity, id)?
        .into_iter()
        .filter(|field| old.get(field) != new.get(field))
        .collect();
    match set.as_slice() {
        [] => Ok(()),
        [field] => Err(Error::refused(
            field.clone(),
            msg!(PARTNER_COPY_FIELD, entity, field),
        )),
        // All of them at once: a file with several such columns is fixed in one go.
        [first, ..] => Err(Error::refused(
            first.clone(),
            msg!(PARTNER_COPY_FIELDS, entity, fields = set.join(", ")),
        )),
    }
}

/// A deleted record is no partner copy, and not one sent scoped either.
fn forget_partner_copy(conn: &Connection, entity: Entity, id: &str) -> Result<()> {
    if redacted_of(entity).is_empty() {
        return Ok(());
    }
    for sql in [
        "DELETE FROM partner_copy WHERE entity = ?1 AND record_id = ?2",
        "DELETE FROM scoped_sent WHERE entity = ?1 AND record_id = ?2",
    ] {
        conn.prepare_cached(sql)?
            .execute(params![entity.name(), id])?;
    }
    Ok(())
}

fn field_clocks(conn: &Connection, entity: Entity, id: &str) -> Result<BTreeMap<String, String>> {
    Ok(clocks_of(conn, entity, id)?
        .into_iter()
        .map(|(field, (hlc, _, _))| (field, hlc))
        .collect())
}

// ------------------------------------------------------------------ export

impl Db {
    /// This installation's identity.
    pub fn device(&self) -> Result<DeviceInfo> {
        self.devices()?
            .into_iter()
            .find(|d| d.is_self)
            .ok_or_else(|| Error::Damaged(msg!(DEVICE_MISSING)))
    }

    /// The fields this laptop holds the record without when it is a partner copy (it came
    /// in a package scoped to a cohort, which left its redacted fields out); empty for any
    /// other record. A write that sets one of them is refused.
    pub fn partner_copy_fields(&self, entity: Entity, id: &str) -> Result<Vec<String>> {
        withheld_fields(&self.conn, entity, id)
    }

    /// Every device this installation knows, itself first.
    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, coalesce(public_key, ''), is_self, trusted, trusted_at FROM device
             ORDER BY is_self DESC, name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DeviceInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                fingerprint: fingerprint(&r.get::<_, String>(2)?),
                is_self: r.get(3)?,
                trusted: r.get(4)?,
                trusted_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a sync package: every change, or (with `for_device`) only what that device
    /// has not acknowledged; with `cohort`, only that cohort, its program, the people and
    /// institutions it references, without the redacted fields.
    pub fn sync_export(
        &mut self,
        path: &Path,
        for_device: Option<&str>,
        cohort: Option<&str>,
    ) -> Result<SyncSummary> {
        // The device by id, or by its name when exactly one known device has it.
        let peer_id = match for_device {
            Some(peer) => {
                let ids: Vec<String> = self
                    .conn
                    .prepare(
                        "SELECT id FROM device WHERE is_self = 0 AND id = ?1
                         UNION SELECT id FROM device WHERE is_self = 0 AND name = ?1
                           AND NOT EXISTS (SELECT 1 FROM device WHERE id = ?1)",
                    )?
                    .query_map([peer.trim()], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let this: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM device WHERE is_self = 1 AND (id = ?1 OR name = ?1))",
                    [peer.trim()],
                    |r| r.get(0),
                )?;
                match ids.as_slice() {
                    [id] => Some(id.clone()),
                    [] if this => {
                        return Err(Error::invalid("--for", msg!(SYNC_FOR_THIS_DEVICE, peer)));
                    }
                    [_, _, ..] => {
                        let n = ids.len();
                        return Err(Error::invalid("--for", msg!(SYNC_FOR_NAME_SHARED, peer, n)));
                    }
                    _ => {
                        return Err(Error::NotFound {
                            entity: "device".into(),
                            id: format!("{peer} (export without --for to send everything)"),
                        });
                    }
                }
            }
            None => None,
        };
        let for_device = peer_id.as_deref();
        let scope = cohort.map(|c| self.resolve_cohort(c)).transpose()?;
        let allowed = scope.as_deref().map(|c| self.cohort_scope(c)).transpose()?;
        let payload = self.build_payload(for_device, scope.clone(), allowed.as_ref())?;
        let changes = payload.records.iter().map(|r| r.fields.len() as u32).sum();
        let deletes = payload.tombstones.len() as u32;
        let bytes = self.seal(&payload)?;
        fsutil::write_atomic(path, &bytes)?;
        let me = self.device()?;
        self.conn.execute_batch("SAVEPOINT sync_export")?;
        let logged = (|| -> Result<()> {
            // What a partner device received without its redacted fields: its changes to
            // them are not applied here (see `Merge::withheld_from`).
            if let (Some(peer), Some(_)) = (for_device, &scope) {
                let mut stmt = self.conn.prepare_cached(
                    "INSERT OR IGNORE INTO scoped_sent (entity, record_id, peer) VALUES (?1, ?2, ?3)",
                )?;
                for rc in payload
                    .records
                    .iter()
                    .filter(|r| !redacted_of(r.entity).is_empty())
                {
                    stmt.execute(params![rc.entity.name(), rc.id, peer])?;
                }
            }
            self.log_sync(
                "export",
                for_device,
                path,
                &hex(&Sha256::digest(&bytes)),
                changes,
                scope.as_deref(),
            )
        })();
        let ended = crate::db::end_savepoint(&self.conn, "sync_export", logged.is_ok());
        logged?;
        ended?;
        Ok(SyncSummary {
            file_name: path.display().to_string(),
            device_id: me.id,
            device_name: me.name,
            records: payload.records.len() as u32,
            changes,
            deletes,
            new_conflicts: 0,
            bytes: bytes.len() as u32,
        })
    }

    fn build_payload(
        &self,
        for_device: Option<&str>,
        scope: Option<String>,
        allowed: Option<&BTreeSet<(Entity, String)>>,
    ) -> Result<Payload> {
        let peer = for_device.unwrap_or("");
        let mut stmt = self.conn.prepare(
            "SELECT fc.entity, fc.record_id, fc.field, fc.hlc, fc.origin, fc.supersedes, fc.fields FROM field_clock fc
             WHERE fc.hlc > coalesce((SELECT a.hlc FROM peer_ack a WHERE a.peer = ?1 AND a.origin = fc.origin), '')
             ORDER BY fc.entity, fc.record_id, fc.field",
        )?;
        let rows = stmt.query_map([peer], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut own_fields = self.conn.prepare_cached(
            "SELECT field FROM field_clock WHERE entity = ?1 AND record_id = ?2 AND field <> '*'",
        )?;
        let mut grouped: BTreeMap<(Entity, String), BTreeMap<String, FieldClock>> = BTreeMap::new();
        for row in rows {
            let (entity, id, field, hlc, origin, supersedes, created) = row?;
            let Some(entity) = Entity::parse(&entity) else {
                continue;
            };
            if allowed.is_some_and(|a| !a.contains(&(entity, id.clone()))) {
                continue;
            }
            let supersedes: Vec<String> = serde_json::from_str(&supersedes).unwrap_or_default();
            // A creation row stands for the fields the record was created with, less
            // those changed since (their own rows carry them, new enough or not).
            let fields: Vec<String> = if field == CREATED {
                let created: Vec<String> = created
                    .and_then(|f| serde_json::from_str(&f).ok())
                    .unwrap_or_default();
                let changed: BTreeSet<String> = own_fields
                    .query_map(params![entity.name(), id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                created
                    .into_iter()
                    .filter(|f| !changed.contains(f))
                    .collect()
            } else {
                vec![field]
            };
            let group = grouped.entry((entity, id)).or_default();
            for field in fields {
                if allowed.is_some() && REDACTED.contains(&(entity, field.as_str())) {
                    continue;
                }
                group.insert(field, (hlc.clone(), origin.clone(), supersedes.clone()));
            }
        }
        drop(own_fields);
        let mut records = Vec::with_capacity(grouped.len());
        for ((entity, id), fields) in grouped {
            if fields.is_empty() {
                continue; // only redacted fields changed
            }
            let Some(rec) = records::read(&self.conn, entity, &id)? else {
                continue;
            };
            let fields = fields
                .into_iter()
                .map(|(field, (hlc, origin, supersedes))| FieldChange {
                    value: rec.get(&field).cloned().unwrap_or(Value::Null),
                    field,
                    hlc,
                    origin,
                    supersedes,
                })
                .collect();
            records.push(RecordChanges { entity, id, fields });
        }
        // Records this laptop holds only as partner copies stay partner copies wherever this
        // package goes (a second laptop on the same campus): a full package is not full
        // for them.
        let partner_copies = {
            let mut stmt = self
                .conn
                .prepare("SELECT entity, record_id FROM partner_copy")?;
            let held: BTreeSet<(String, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            records
                .iter()
                .filter(|r| held.contains(&(r.entity.name().to_owned(), r.id.clone())))
                .map(|r| (r.entity, r.id.clone()))
                .collect()
        };
        let mut tombstones = Vec::new();
        // Deletes carry ids and stamps only (no values), so scoped packages carry them too:
        // a record deleted in the office disappears from the partner's laptop as well.
        {
            let mut stmt = self.conn.prepare(
                "SELECT t.entity, t.record_id, t.hlc, t.origin, t.fields, t.reason FROM tombstone t
                 WHERE t.hlc > coalesce((SELECT a.hlc FROM peer_ack a WHERE a.peer = ?1 AND a.origin = t.origin), '')
                 ORDER BY t.record_id",
            )?;
            let rows = stmt.query_map([peer], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?;
            for row in rows {
                let (entity, id, hlc, origin, fields, reason) = row?;
                let Some(entity) = Entity::parse(&entity) else {
                    continue;
                };
                tombstones.push(Tomb {
                    entity,
                    id,
                    hlc,
                    origin,
                    fields: serde_json::from_str(&fields).unwrap_or_default(),
                    reason,
                });
            }
        }
        let seen: BTreeMap<String, String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT origin, hlc FROM seen ORDER BY origin")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let devices = {
            let mut stmt = self
                .conn
                .prepare("SELECT id, name, coalesce(public_key, '') FROM device ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(DeviceCard {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    public_key: r.get(2)?,
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        Ok(Payload {
            created_at: values::now_rfc3339(),
            to: for_device.map(str::to_owned),
            scope,
            seen,
            devices,
            records,
            tombstones,
            partner_copies,
        })
    }

    /// The records a package scoped to a cohort may carry.
    fn cohort_scope(&self, cohort: &str) -> Result<BTreeSet<(Entity, String)>> {
        let mut out = BTreeSet::new();
        let ids = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([cohort], |r| r.get::<_, Option<String>>(0))?;
            Ok(rows.filter_map(|r| r.ok().flatten()).collect())
        };
        out.insert((Entity::Cohort, cohort.to_owned()));
        for id in ids("SELECT program_id FROM cohort WHERE id = ?1")? {
            out.insert((Entity::Program, id));
        }
        for id in ids("SELECT id FROM placement WHERE cohort_id = ?1")? {
            out.insert((Entity::Placement, id));
        }
        for id in ids("SELECT person_id FROM placement WHERE cohort_id = ?1")? {
            out.insert((Entity::Person, id));
        }
        for sql in [
            "SELECT host_institution_id FROM cohort WHERE id = ?1",
            "SELECT pp.institution_id FROM program_partner pp JOIN cohort c ON c.program_id = pp.program_id WHERE c.id = ?1",
            "SELECT home_institution_id FROM placement WHERE cohort_id = ?1",
            "SELECT host_institution_id FROM placement WHERE cohort_id = ?1",
            "SELECT p.home_institution_id FROM person p JOIN placement pl ON pl.person_id = p.id WHERE pl.cohort_id = ?1",
        ] {
            for id in ids(sql)? {
                out.insert((Entity::Institution, id));
            }
        }
        Ok(out)
    }

    /// Compresses, checksums and signs a payload.
    fn seal(&self, payload: &Payload) -> Result<Vec<u8>> {
        let json = serde_json::to_vec(payload)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&json)?;
        let compressed = gz.finish()?;
        let key = signing_key(&self.conn, &self.device_id)?;
        let mut env = Envelope {
            format: PACKAGE_FORMAT.to_owned(),
            version: PACKAGE_VERSION,
            device_id: self.device_id.clone(),
            device_name: self.device_name()?,
            public_key: B64.encode(key.verifying_key().to_bytes()),
            sha256: hex(&Sha256::digest(&compressed)),
            signature: String::new(),
            payload: B64.encode(&compressed),
        };
        env.signature = B64.encode(key.sign(&signed_message(&env)).to_bytes());
        let mut out = serde_json::to_vec_pretty(&env)?;
        out.push(b'\n');
        Ok(out)
    }

    fn log_sync(
        &self,
        action: &str,
        peer: Option<&str>,
        path: &Path,
        sha: &str,
        changes: u32,
        detail: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_log (id, at, action, peer, file_name, sha256, changes, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                uuid::Uuid::now_v7().to_string(),
                values::now_rfc3339(),
                action,
                peer,
                path.display().to_string(),
                sha,
                changes,
                detail
            ],
        )?;
        Ok(())
    }

    // -------------------------------------------------------------- import

    /// Reads a package's envelope (verified) without applying it: for the trust prompt.
    pub fn sync_inspect(&self, path: &Path) -> Result<PackageInfo> {
        let bytes = read_package_file(path)?;
        let (env, payload) = open_package(&bytes)?;
        let trusted: bool = self
            .conn
            .query_row(
                "SELECT trusted FROM device WHERE id = ?1 AND public_key = ?2",
                params![env.device_id, env.public_key],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false);
        Ok(PackageInfo {
            device_id: env.device_id,
            device_name: env.device_name,
            fingerprint: fingerprint(&env.public_key),
            trusted,
            scoped: payload.scope.is_some(),
            records: payload.records.len() as u32,
            changes: payload.records.iter().map(|r| r.fields.len() as u32).sum(),
            deletes: payload.tombstones.len() as u32,
        })
    }

    /// Applies a package in one transaction. A package from a device not yet trusted is
    /// refused unless `trust`; a damaged, altered, unsigned, foreign or newer-format one is
    /// refused; either way nothing changes. Applying a package twice changes nothing more.
    pub fn sync_import(&mut self, path: &Path, trust: bool) -> Result<SyncSummary> {
        let bytes = read_package_file(path)?;
        let sha = hex(&Sha256::digest(&bytes));
        let (env, payload) = open_package(&bytes)?;
        if env.device_id == self.device_id {
            return Err(refused(msg!(PACKAGE_OWN)));
        }
        let known: Option<(Option<String>, bool)> = self
            .conn
            .query_row(
                "SELECT public_key, trusted FROM device WHERE id = ?1",
                [&env.device_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let fp = fingerprint(&env.public_key);
        let newly_trusted = match &known {
            Some((Some(key), _)) if *key != env.public_key => {
                return Err(refused(msg!(
                    PACKAGE_KEY_MISMATCH,
                    device = env.device_name,
                    fingerprint = fp
                )));
            }
            Some((_, true)) => false,
            _ if trust => true,
            _ => {
                return Err(Error::refused(
                    "device",
                    msg!(
                        PACKAGE_UNTRUSTED,
                        device = env.device_name,
                        device_id = env.device_id,
                        fingerprint = fp
                    ),
                ));
            }
        };
        self.conn
            .execute_batch("SAVEPOINT sync_import; PRAGMA defer_foreign_keys = ON;")?;
        let result = (|| -> Result<SyncSummary> {
            if newly_trusted {
                self.conn.execute(
                    "INSERT INTO device (id, name, is_self, created_at, public_key, trusted, trusted_at)
                     VALUES (?1, ?2, 0, ?3, ?4, 1, ?3)
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, public_key = excluded.public_key,
                         trusted = 1, trusted_at = excluded.trusted_at",
                    params![env.device_id, env.device_name, values::now_rfc3339(), env.public_key],
                )?;
                self.log_sync(
                    "trust",
                    Some(&env.device_id),
                    path,
                    &sha,
                    0,
                    Some(&format!("fingerprint {fp}")),
                )?;
            } else {
                self.conn.execute(
                    "UPDATE device SET name = ?2 WHERE id = ?1",
                    params![env.device_id, env.device_name],
                )?;
            }
            for d in &payload.devices {
                self.conn.execute(
                    "INSERT INTO device (id, name, is_self, created_at, public_key, trusted) VALUES (?1, ?2, 0, ?3, ?4, 0)
                     ON CONFLICT (id) DO NOTHING",
                    params![d.id, d.name, values::now_rfc3339(), d.public_key],
                )?;
            }
            let mut summary = self.apply(&env, &payload)?;
            // The restore point, only when the package changes records: a package already
            // applied (or whose every value lost its race) changes none, and re-importing
            // it must not rotate earlier restore points away.
            if summary.changes + summary.deletes > 0 {
                self.backup_before_commit("sync")?;
            }
            summary.file_name = path.display().to_string();
            summary.bytes = bytes.len() as u32;
            self.log_sync(
                "import",
                Some(&env.device_id),
                path,
                &sha,
                summary.changes,
                payload.scope.as_deref(),
            )?;
            Ok(summary)
        })();
        // A failed write is the error to report, not a savepoint SQLite already undid.
        let ended = crate::db::end_savepoint(&self.conn, "sync_import", result.is_ok());
        let summary = result?;
        ended?;
        Ok(summary)
    }

    fn apply(&mut self, env: &Envelope, payload: &Payload) -> Result<SyncSummary> {
        let has_partner_copies: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM partner_copy)", [], |r| {
                    r.get(0)
                })?;
        // A device this laptop only ever sent packages scoped to a cohort never saw the
        // redacted fields of what it got: its changes to them are not applied.
        let scoped_only: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sync_log WHERE action = 'export' AND peer = ?1 AND detail IS NOT NULL)
                AND NOT EXISTS (SELECT 1 FROM sync_log WHERE action = 'export' AND peer = ?1 AND detail IS NULL)",
            [&env.device_id],
            |r| r.get(0),
        )?;
        let mut m = Merge {
            conn: &self.conn,
            touched: BTreeSet::new(),
            changed: BTreeMap::new(),
            conflicts: 0,
            changes: 0,
            max_hlc: String::new(),
            copies: Copies {
                scoped: payload.scope.is_some(),
                declared: payload.partner_copies.iter().cloned().collect(),
                lift: has_partner_copies && payload.scope.is_none(),
                scoped_only_sender: scoped_only.then(|| env.device_id.clone()),
            },
        };
        for entity in LOAD_ORDER {
            for rc in payload.records.iter().filter(|r| r.entity == entity) {
                m.apply_record(rc)?;
            }
        }
        let mut deletes = 0;
        for t in &payload.tombstones {
            if m.apply_tombstone(t)? {
                deletes += 1;
            }
        }
        m.make_consistent()?;
        m.check_rules()?;
        let (changes, conflicts, max_hlc, touched) =
            (m.changes, m.conflicts, m.max_hlc.clone(), m.touched.clone());
        for (entity, id) in touched {
            rederive(&self.conn, entity, &id)?;
        }
        // Everything refers to something that exists.
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let broken: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} row {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1).unwrap_or_default()
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        if !broken.is_empty() {
            return Err(refused(msg!(
                PACKAGE_MISSING_RECORDS,
                records = broken.join(", ")
            )));
        }
        if !max_hlc.is_empty() {
            self.clock.observe(&max_hlc);
        }
        for (origin, hlc) in &payload.seen {
            self.conn.execute(
                "INSERT INTO peer_ack (peer, origin, hlc) VALUES (?1, ?2, ?3)
                 ON CONFLICT (peer, origin) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
                params![env.device_id, origin, hlc],
            )?;
            if payload.scope.is_none() {
                note_seen(&self.conn, origin, hlc)?;
            }
        }
        Ok(SyncSummary {
            file_name: String::new(),
            device_id: env.device_id.clone(),
            device_name: env.device_name.clone(),
            records: payload.records.len() as u32,
            changes,
            deletes,
            new_conflicts: conflicts,
            bytes: 0,
        })
    }

    // -------------------------------------------------------------- conflicts

    /// The conflict list (unresolved first, newest first).
    pub fn conflicts(&self, include_resolved: bool) -> Result<Vec<ConflictEntry>> {
        self.conflict_entries(
            &format!("{LISTED} ORDER BY {CONFLICT_ORDER}"),
            params![include_resolved],
        )
    }

    /// One page of [`Db::conflicts`] (`limit` entries from `offset`, at most
    /// [`CONFLICT_PAGE_MAX`]), with how many are listed and how many are open: a view
    /// shows a page, never the whole list (a sync of two national databases can list
    /// thousands of probable duplicates).
    pub fn conflict_page(
        &self,
        include_resolved: bool,
        offset: u32,
        limit: u32,
    ) -> Result<ConflictPage> {
        let count = |include_resolved: bool| -> Result<u32> {
            Ok(self.conn.query_row(
                &format!("SELECT count(*) FROM conflict c WHERE {LISTED}"),
                [include_resolved],
                |r| r.get(0),
            )?)
        };
        let open = count(false)?;
        let total = if include_resolved { count(true)? } else { open };
        let rows = self.conflict_entries(
            &format!("{LISTED} ORDER BY {CONFLICT_ORDER} LIMIT ?2 OFFSET ?3"),
            params![include_resolved, limit.min(CONFLICT_PAGE_MAX), offset],
        )?;
        Ok(ConflictPage { rows, total, open })
    }

    /// The conflict entries `filter` (what follows `WHERE`, on `conflict c`) selects.
    fn conflict_entries(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<ConflictEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT c.id, c.kind, c.entity, c.record_id, c.field, c.lost_value, coalesce(dl.name, c.lost_origin),
                    c.kept_value, coalesce(dk.name, c.kept_origin), c.detected_at, c.resolved_at IS NOT NULL, c.resolution
             FROM conflict c
             LEFT JOIN device dl ON dl.id = c.lost_origin LEFT JOIN device dk ON dk.id = c.kept_origin
             WHERE {filter}"
        ))?;
        let parse = |s: Option<String>| {
            s.and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(Value::Null)
        };
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, bool>(10)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                kind,
                entity,
                record_id,
                field,
                lost,
                lost_device,
                kept,
                kept_device,
                detected_at,
                resolved,
                resolution,
            ) = row?;
            let Some(entity) = Entity::parse(&entity) else {
                continue;
            };
            let mut lost_value = parse(lost);
            // A `rule` entry keeps its rule's message where other kinds keep the lost
            // value (nothing was lost): `{code, params, message}`.
            let rule = (kind == "rule").then(|| {
                let rule = std::mem::take(&mut lost_value);
                let text = |key: &str| rule.get(key).and_then(Value::as_str).unwrap_or_default();
                let params = rule
                    .get("params")
                    .and_then(Value::as_object)
                    .map(|p| {
                        p.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                            .collect()
                    })
                    .unwrap_or_default();
                Problem::new(
                    field.clone(),
                    Msg {
                        code: text("code").to_owned(),
                        params,
                        text: text("message").to_owned(),
                    },
                )
            });
            let title = match records::read(&self.conn, entity, &record_id)? {
                Some(rec) => record_title(entity, &rec),
                None => lost_value
                    .as_object()
                    .map(|r| record_title(entity, r))
                    .unwrap_or_else(|| format!("{entity} {record_id}")),
            };
            out.push(ConflictEntry {
                id,
                kind,
                entity,
                record_id,
                field,
                title,
                lost_value,
                lost_device,
                kept_value: parse(kept),
                kept_device,
                detected_at,
                resolved,
                resolution,
                rule,
            });
        }
        Ok(out)
    }

    /// Resolves a conflict: `restore` brings the lost value back (a new change that syncs
    /// like any other), otherwise the kept value stands and the entry is dismissed.
    pub fn resolve_conflict(&mut self, id: &str, restore: bool) -> Result<()> {
        let entry = self
            .conflict_entries("c.id = ?1", params![id])?
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_found("conflict", id))?;
        if entry.resolved {
            return Err(Error::refused("conflict", msg!(CONFLICT_RESOLVED)));
        }
        let resolution = if restore {
            match entry.kind.as_str() {
                "field" => {
                    let patch = Value::Object(Map::from_iter([(
                        entry.field.clone(),
                        entry.lost_value.clone(),
                    )]));
                    self.update(
                        entry.entity,
                        &entry.record_id,
                        &patch,
                        WriteOptions {
                            reopen: true,
                            over_capacity: true,
                        },
                    )?;
                    "restored"
                }
                "removed" | "edit_deleted" if entry.lost_value.is_object() => {
                    let mut rec = entry.lost_value.as_object().cloned().unwrap_or_default();
                    for f in [
                        "id",
                        "created_at",
                        "updated_at",
                        "direction",
                        "reciprocity_balance",
                    ] {
                        rec.remove(f);
                    }
                    if let Some(Value::Array(quotas)) = rec.get_mut("quotas") {
                        for q in quotas.iter_mut().filter_map(Value::as_object_mut) {
                            q.remove("places_used");
                        }
                    }
                    self.add(
                        entry.entity,
                        &Value::Object(rec),
                        WriteOptions {
                            reopen: false,
                            over_capacity: true,
                        },
                    )?;
                    "restored as a new record"
                }
                _ => {
                    return Err(Error::refused(
                        "conflict",
                        msg!(CONFLICT_NOTHING_TO_RESTORE),
                    ));
                }
            }
        } else {
            "dismissed"
        };
        self.conn.execute(
            "UPDATE conflict SET resolved_at = ?2, resolution = ?3 WHERE id = ?1",
            params![id, values::now_rfc3339(), resolution],
        )?;
        Ok(())
    }

    // -------------------------------------------------------------- shared folder

    /// One round of shared-folder sync: writes this installation's outbox package into
    /// `folder` and imports the other devices' packages there that changed since the last
    /// round. Packages from untrusted devices are left for the user to trust.
    pub fn sync_folder(&mut self, folder: &Path) -> Result<FolderSummary> {
        if !folder.exists() {
            return Err(Error::invalid(
                "folder",
                msg!(FOLDER_MISSING, path = folder.display()),
            ));
        }
        if !folder.is_dir() {
            return Err(Error::invalid(
                "folder",
                msg!(FOLDER_NOT_FOLDER, path = folder.display()),
            ));
        }
        let outbox = folder.join(format!("{}.{PACKAGE_EXTENSION}", self.device_id));
        // Rewrite the outbox only when there is something new in it, so the file-sync
        // service and the other laptops see no traffic when nothing changed.
        let state: String = self.conn.query_row(
            "SELECT coalesce((SELECT group_concat(origin || '=' || hlc, ',') FROM (SELECT * FROM seen ORDER BY origin)), '')
                    || '|' || (SELECT count(*) FROM tombstone) || '|' || (SELECT count(*) FROM field_clock)",
            [],
            |r| r.get(0),
        )?;
        let key = format!("sync.folder.outbox:{}", outbox.display());
        if !outbox.exists() || self.setting(&key)?.as_deref() != Some(state.as_str()) {
            self.sync_export(&outbox, None, None)?;
            self.set_setting(&key, &state)?;
        }
        let mut summary = FolderSummary {
            outbox: outbox.display().to_string(),
            ..Default::default()
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == PACKAGE_EXTENSION) && *p != outbox)
            .collect();
        files.sort();
        for file in files {
            let name = file.display().to_string();
            let Ok(bytes) = std::fs::read(&file) else {
                let why = msg!(PACKAGE_UNREADABLE);
                summary.skipped.push((name, why.text.clone()));
                summary.skipped_messages.push(Problem::new("", why));
                continue;
            };
            let sha = hex(&Sha256::digest(&bytes));
            let done: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_log WHERE action = 'import' AND file_name = ?1 AND sha256 = ?2)",
                params![name, sha],
                |r| r.get(0),
            )?;
            if done {
                continue;
            }
            match self.sync_import(&file, false) {
                Ok(s) => summary.imported.push(s),
                Err(e) => {
                    summary.skipped.push((name, e.to_string()));
                    summary
                        .skipped_messages
                        .extend(e.problems().into_iter().next());
                }
            }
        }
        Ok(summary)
    }

    /// Merges two records of the same person: placements, fellowships and history move to
    /// the survivor, empty fields of the survivor are filled from the duplicate, and the
    /// duplicate is deleted. All of it is ordinary changes that sync.
    pub fn merge_people(&mut self, survivor: &str, duplicate: &str) -> Result<Value> {
        if survivor == duplicate {
            return Err(Error::invalid("duplicate", msg!(MERGE_SELF)));
        }
        let keep = self.get(Entity::Person, survivor)?;
        let dup = self.get(Entity::Person, duplicate)?;
        self.conn.execute_batch("SAVEPOINT merge")?;
        let result = (|| -> Result<Value> {
            let ids = |db: &Db, sql: &str, id: &str| -> Result<Vec<String>> {
                let mut stmt = db.conn.prepare(sql)?;
                let rows = stmt.query_map([id], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let opts = WriteOptions {
                reopen: true,
                over_capacity: true,
            };
            for placement in ids(
                self,
                "SELECT id FROM placement WHERE person_id = ?1 ORDER BY id",
                duplicate,
            )? {
                let cohort: String = self.conn.query_row(
                    "SELECT cohort_id FROM placement WHERE id = ?1",
                    [&placement],
                    |r| r.get(0),
                )?;
                let twin: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT id FROM placement WHERE person_id = ?1 AND cohort_id = ?2",
                        params![survivor, cohort],
                        |r| r.get(0),
                    )
                    .optional()?;
                match twin {
                    Some(twin) => {
                        for f in ids(
                            self,
                            "SELECT id FROM fellowship WHERE placement_id = ?1",
                            &placement,
                        )? {
                            let patch =
                                serde_json::json!({"person_id": survivor, "placement_id": twin});
                            self.update(Entity::Fellowship, &f, &patch, opts)?;
                        }
                        self.delete(Entity::Placement, &placement)?;
                    }
                    None => {
                        self.update(
                            Entity::Placement,
                            &placement,
                            &serde_json::json!({"person_id": survivor}),
                            opts,
                        )?;
                    }
                }
            }
            for f in ids(
                self,
                "SELECT id FROM fellowship WHERE person_id = ?1",
                duplicate,
            )? {
                self.update(
                    Entity::Fellowship,
                    &f,
                    &serde_json::json!({"person_id": survivor}),
                    opts,
                )?;
            }
            self.delete(Entity::Person, duplicate)?;
            let mut patch = Map::new();
            for field in Entity::Person.fields().iter().filter(|f| f.is_writable()) {
                let (k, d) = (keep.get(field.name), dup.get(field.name));
                if is_empty_value(k) && !is_empty_value(d) {
                    patch.insert(field.name.into(), d.cloned().unwrap_or(Value::Null));
                }
            }
            if let (Some(Value::Array(a)), Some(Value::Array(b))) =
                (keep.get("citizenships"), dup.get("citizenships"))
            {
                let mut all = a.clone();
                all.extend(b.iter().filter(|c| !a.contains(c)).cloned());
                if all.len() > a.len() {
                    patch.insert("citizenships".into(), Value::Array(all));
                }
            }
            // What the duplicate held differently from the survivor stays in the
            // survivor's notes: a merge loses nothing (the deleted duplicate is in its
            // history too, but nobody reads that when the e-mail bounces).
            let mut lines: Vec<String> = Vec::new();
            for field in Entity::Person.fields().iter().filter(|f| f.is_writable()) {
                let (Some(k), Some(d)) = (keep.get(field.name), dup.get(field.name)) else {
                    continue;
                };
                if is_empty_value(Some(k))
                    || is_empty_value(Some(d))
                    || field.name == "citizenships"
                {
                    continue;
                }
                match (field.name, k, d) {
                    ("email", Value::String(k), Value::String(d)) if !k.eq_ignore_ascii_case(d) => {
                        lines.push(format!("Also known by e-mail {d}"));
                    }
                    ("email", ..) => {}
                    ("notes", Value::String(k), Value::String(d)) if !k.contains(d.as_str()) => {
                        lines.push(d.clone());
                    }
                    ("notes", ..) => {}
                    ("home_institution_id", _, Value::String(d))
                        if k != &Value::String(d.clone()) =>
                    {
                        let name: Option<String> = self
                            .conn
                            .query_row("SELECT name FROM institution WHERE id = ?1", [d], |r| {
                                r.get(0)
                            })
                            .optional()?;
                        lines.push(format!(
                            "From a merged duplicate: home institution {}",
                            name.unwrap_or_else(|| d.clone())
                        ));
                    }
                    (name, k, d) if k != d => {
                        let shown = d.as_str().map_or_else(|| d.to_string(), str::to_owned);
                        lines.push(format!("From a merged duplicate: {name} {shown}"));
                    }
                    _ => {}
                }
            }
            if !lines.is_empty() {
                // The survivor's notes, or the duplicate's when it had none (above).
                let notes = (patch.get("notes").or(keep.get("notes")))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let added = lines.join("\n");
                patch.insert(
                    "notes".into(),
                    Value::String(if notes.is_empty() {
                        added
                    } else {
                        format!("{notes}\n{added}")
                    }),
                );
            }
            if !patch.is_empty() {
                self.update(Entity::Person, survivor, &Value::Object(patch), opts)?;
            }
            self.conn.execute(
                "UPDATE history SET record_id = ?1 WHERE entity = 'person' AND record_id = ?2 AND op <> 'delete'",
                params![survivor, duplicate],
            )?;
            self.conn.execute(
                "UPDATE conflict SET resolved_at = ?3, resolution = 'merged'
                 WHERE kind = 'duplicate_person' AND resolved_at IS NULL
                   AND ((record_id = ?1 AND field = ?2) OR (record_id = ?2 AND field = ?1))",
                params![survivor, duplicate, values::now_rfc3339()],
            )?;
            self.get(Entity::Person, survivor)
        })();
        match result {
            Ok(v) => {
                self.conn.execute_batch("RELEASE merge")?;
                Ok(v)
            }
            Err(e) => {
                self.conn
                    .execute_batch("ROLLBACK TO merge; RELEASE merge")?;
                Err(e)
            }
        }
    }
}

fn read_package_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::invalid(
            "file",
            msg!(IMPORT_CANNOT_READ, path = path.display(), error = e),
        )
    })
}

fn record_title(entity: Entity, rec: &Map<String, Value>) -> String {
    let s = |f: &str| rec.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
    match entity {
        Entity::Person => crate::import::display_name(rec),
        Entity::Fellowship | Entity::Agreement => s("title"),
        Entity::Placement => format!("placement {}", s("id")),
        _ => s("name"),
    }
}

/// Recomputes what core derives for a record after a merge: direction, search entry, and
/// `updated_at` (the time of its newest field change). (A person's sort and e-mail keys
/// were written with the row.)
fn rederive(conn: &Connection, entity: Entity, id: &str) -> Result<()> {
    let Some(mut rec) = records::read(conn, entity, id)? else {
        return Ok(());
    };
    let newest: Option<String> = conn.query_row(
        "SELECT max(hlc) FROM field_clock WHERE entity = ?1 AND record_id = ?2",
        params![entity.name(), id],
        |r| r.get(0),
    )?;
    if let Some(hlc) = newest {
        conn.execute(
            &format!("UPDATE {entity} SET updated_at = ?1 WHERE id = ?2"),
            params![hlc_time(&hlc), id],
        )?;
    }
    if entity == Entity::Placement {
        let home = rec
            .get("home_institution_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let host = rec
            .get("host_institution_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let d = rules::direction(conn, home.as_deref(), host.as_deref())?;
        conn.execute(
            "UPDATE placement SET direction = ?1 WHERE id = ?2",
            params![d, id],
        )?;
        rec.insert("direction".into(), d.map_or(Value::Null, Value::String));
    }
    if entity == Entity::Institution {
        let mut stmt = conn.prepare(
            "SELECT id FROM placement WHERE home_institution_id = ?1 OR host_institution_id = ?1",
        )?;
        let placements: Vec<String> = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for p in placements {
            let (home, host): (Option<String>, Option<String>) = conn.query_row(
                "SELECT home_institution_id, host_institution_id FROM placement WHERE id = ?1",
                [&p],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let d = rules::direction(conn, home.as_deref(), host.as_deref())?;
            conn.execute(
                "UPDATE placement SET direction = ?1 WHERE id = ?2",
                params![d, p],
            )?;
        }
    }
    search::index(conn, entity, &rec)?;
    Ok(())
}

// ------------------------------------------------------------------ the merge

struct Merge<'a> {
    conn: &'a Connection,
    touched: BTreeSet<(Entity, String)>,
    /// The fields the merge wrote, per record: the records to check against the rules
    /// of their fields ([`Merge::check_rules`]).
    changed: BTreeMap<(Entity, String), BTreeSet<String>>,
    conflicts: u32,
    changes: u32,
    max_hlc: String,
    copies: Copies,
}

/// What a package means for partner copies (migration 0012).
struct Copies {
    /// The package is scoped to a cohort: every record it brings is a partner copy.
    scoped: bool,
    /// Records the sender holds as partner copies.
    declared: BTreeSet<(Entity, String)>,
    /// A full package: the records it carries (and the sender holds whole) stop being
    /// partner copies here. False when this laptop holds none.
    lift: bool,
    /// The sender, when this laptop only ever sent it packages scoped to a cohort.
    scoped_only_sender: Option<String>,
}

enum Decision {
    Skip,
    Apply,
    ApplyLosing,
    KeepLosing,
}

fn decide(incoming: &FieldChange, current: Option<&(String, String, Vec<String>)>) -> Decision {
    let Some((hlc, _, supersedes)) = current else {
        return Decision::Apply;
    };
    if incoming.hlc == *hlc || supersedes.contains(&incoming.hlc) {
        return Decision::Skip;
    }
    if incoming.supersedes.contains(hlc) {
        return Decision::Apply;
    }
    // Neither saw the other: a race. The later stamp (clock, then device) wins.
    if incoming.hlc > *hlc {
        Decision::ApplyLosing
    } else {
        Decision::KeepLosing
    }
}

impl Merge<'_> {
    fn observe(&mut self, hlc: &str) {
        if hlc > self.max_hlc.as_str() {
            self.max_hlc = hlc.to_owned();
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn conflict(
        &mut self,
        kind: &str,
        entity: Entity,
        id: &str,
        field: &str,
        lost: (&Value, &str, &str),
        kept: (&Value, &str, &str),
    ) -> Result<()> {
        self.conflict_replacing(kind, entity, id, field, lost, kept, &[])
    }

    /// A conflict whose lost write had itself replaced `supersedes`.
    #[allow(clippy::too_many_arguments)]
    fn conflict_replacing(
        &mut self,
        kind: &str,
        entity: Entity,
        id: &str,
        field: &str,
        lost: (&Value, &str, &str),
        kept: (&Value, &str, &str),
        supersedes: &[String],
    ) -> Result<()> {
        let n = self.conn.execute(
            "INSERT INTO conflict (id, kind, entity, record_id, field, lost_value, lost_hlc, lost_origin,
                                   kept_value, kept_hlc, kept_origin, detected_at, lost_supersedes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (kind, entity, record_id, field, lost_hlc, lost_origin) DO NOTHING",
            params![
                uuid::Uuid::now_v7().to_string(),
                kind,
                entity.name(),
                id,
                field,
                lost.0.to_string(),
                lost.1,
                lost.2,
                kept.0.to_string(),
                kept.1,
                kept.2,
                values::now_rfc3339(),
                serde_json::to_string(supersedes)?
            ],
        )?;
        self.conflicts += n as u32;
        Ok(())
    }

    /// Whether a change to `field` of a record here comes from a device that never saw
    /// that field: one this laptop only ever sent packages scoped to a cohort, which
    /// left the field out of the record it sent (`scoped_sent`). Records that device
    /// created itself are its own to change.
    fn withheld_from(&self, entity: Entity, id: &str, field: &str) -> Result<bool> {
        let Some(sender) = &self.copies.scoped_only_sender else {
            return Ok(false);
        };
        if !REDACTED.contains(&(entity, field)) {
            return Ok(false);
        }
        let sent: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM scoped_sent WHERE entity = ?1 AND record_id = ?2 AND peer = ?3)",
            )?
            .query_row(params![entity.name(), id, sender], |r| r.get(0))?;
        if !sent {
            return Ok(false);
        }
        let created_by =
            clock_of(self.conn, entity, id, "created_at")?.map(|(_, origin, _)| origin);
        Ok(created_by.as_deref() != Some(sender.as_str()))
    }

    fn tombstone(&self, id: &str) -> Result<Option<TombState>> {
        Ok(self
            .conn
            .prepare_cached("SELECT hlc, origin, fields FROM tombstone WHERE record_id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?
            .map(|(h, o, f)| (h, o, serde_json::from_str(&f).unwrap_or_default())))
    }

    #[allow(clippy::too_many_arguments)]
    fn history(
        &self,
        entity: Entity,
        id: &str,
        op: &str,
        field: &str,
        old: &Value,
        new: &Value,
        change: &FieldChange,
    ) -> Result<()> {
        let json = |v: &Value| (!v.is_null()).then(|| v.to_string());
        self.conn
            .prepare_cached(
                "INSERT INTO history (entity, record_id, op, field, old_value, new_value, changed_at, hlc, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                entity.name(),
                id,
                op,
                field,
                json(old),
                json(new),
                hlc_time(&change.hlc),
                change.hlc,
                change.origin
            ])?;
        Ok(())
    }

    fn apply_record(&mut self, rc: &RecordChanges) -> Result<()> {
        let entity = rc.entity;
        for fc in &rc.fields {
            self.observe(&fc.hlc);
            let known = fc.field == "created_at"
                || entity.field(&fc.field).is_some_and(|f| f.is_writable());
            if !known {
                return Err(refused(msg!(
                    PACKAGE_UNKNOWN_FIELD,
                    entity,
                    field = fc.field
                )));
            }
        }
        let partial = self.copies.scoped || self.copies.declared.contains(&(entity, rc.id.clone()));
        if self.copies.lift && !partial {
            self.conn
                .prepare_cached("DELETE FROM partner_copy WHERE entity = ?1 AND record_id = ?2")?
                .execute(params![entity.name(), rc.id])?;
        }
        if let Some((t_hlc, t_origin, t_fields)) = self.tombstone(&rc.id)? {
            for fc in rc.fields.iter().filter(|f| f.field != "created_at") {
                let seen = t_fields.get(&fc.field).is_some_and(|h| fc.hlc <= *h);
                if !seen {
                    self.conflict(
                        "edit_deleted",
                        entity,
                        &rc.id,
                        &fc.field,
                        (&fc.value, &fc.hlc, &fc.origin),
                        (&Value::Null, &t_hlc, &t_origin),
                    )?;
                }
            }
            return Ok(());
        }
        let current = records::read(self.conn, entity, &rc.id)?;
        let mut rec = current.clone().unwrap_or_else(|| {
            let mut blank = records::blank(entity);
            blank.insert("id".into(), Value::String(rc.id.clone()));
            blank
        });
        let mut applied: Vec<&FieldChange> = Vec::new();
        for fc in &rc.fields {
            let clock = if current.is_some() {
                clock_of(self.conn, entity, &rc.id, &fc.field)?
            } else {
                None
            };
            let value = parse_synced(entity, &fc.field, &fc.value)?;
            let mut decision = decide(fc, clock.as_ref());
            if matches!(decision, Decision::Apply | Decision::ApplyLosing)
                && current.is_some()
                && self.withheld_from(entity, &rc.id, &fc.field)?
            {
                decision = Decision::KeepLosing;
            }
            match decision {
                Decision::Skip => {}
                Decision::Apply => {
                    rec.insert(fc.field.clone(), value);
                    applied.push(fc);
                }
                Decision::ApplyLosing => {
                    let (h, o, _) = clock.clone().unwrap_or_default();
                    let lost = rec.get(&fc.field).cloned().unwrap_or(Value::Null);
                    self.conflict(
                        "field",
                        entity,
                        &rc.id,
                        &fc.field,
                        (&lost, &h, &o),
                        (&value, &fc.hlc, &fc.origin),
                    )?;
                    rec.insert(fc.field.clone(), value);
                    applied.push(fc);
                }
                Decision::KeepLosing => {
                    let (h, o, _) = clock.clone().unwrap_or_default();
                    let kept = rec.get(&fc.field).cloned().unwrap_or(Value::Null);
                    self.conflict(
                        "field",
                        entity,
                        &rc.id,
                        &fc.field,
                        (&fc.value, &fc.hlc, &fc.origin),
                        (&kept, &h, &o),
                    )?;
                }
            }
        }
        if applied.is_empty() {
            return Ok(());
        }
        if !rec.get("created_at").is_some_and(Value::is_string) {
            let first = rc
                .fields
                .iter()
                .map(|f| f.hlc.as_str())
                .min()
                .unwrap_or_default();
            rec.insert("created_at".into(), Value::String(hlc_time(first)));
        }
        if !rec.get("updated_at").is_some_and(Value::is_string) {
            rec.insert("updated_at".into(), rec["created_at"].clone());
        }
        // Fields a placement always has get their default when a package lacks them
        // (screening may be absent: it is redacted from packages for partners).
        if entity == Entity::Placement {
            for (f, d) in [("role", "participant"), ("status", "nominated")] {
                if rec.get(f).is_none_or(Value::is_null) {
                    rec.insert(f.into(), Value::String(d.into()));
                }
            }
        }
        // References to deleted records read as absent.
        for field in entity.fields() {
            match field.kind {
                Kind::Ref(_) if !field.required => {
                    if let Some(target) = rec
                        .get(field.name)
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        && self.tombstone(&target)?.is_some()
                    {
                        rec.insert(field.name.into(), Value::Null);
                    }
                }
                Kind::RefList { .. } => {
                    if let Some(Value::Array(ids)) = rec.get(field.name).cloned() {
                        let mut kept = Vec::new();
                        for v in ids {
                            if v.as_str()
                                .map(|t| self.tombstone(t))
                                .transpose()?
                                .flatten()
                                .is_none()
                            {
                                kept.push(v);
                            }
                        }
                        rec.insert(field.name.into(), Value::Array(kept));
                    }
                }
                _ => {}
            }
        }
        // A record whose required parent was deleted cannot exist: it is removed as the
        // parent's delete would have removed it, and listed.
        for field in entity
            .fields()
            .iter()
            .filter(|f| f.required && matches!(f.kind, Kind::Ref(_)))
        {
            let Some(target) = rec
                .get(field.name)
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            if let Some((t_hlc, t_origin, _)) = self.tombstone(&target)? {
                let Kind::Ref(parent) = field.kind else {
                    continue;
                };
                let reason = format!("its {} was deleted", parent.name());
                if current.is_none() {
                    let whole = Value::Object(rec.clone());
                    self.conflict(
                        "removed",
                        entity,
                        &rc.id,
                        "",
                        (&whole, &t_hlc, &t_origin),
                        (&Value::String(reason.clone()), &t_hlc, &t_origin),
                    )?;
                }
                self.apply_tombstone(&Tomb {
                    entity,
                    id: rc.id.clone(),
                    hlc: t_hlc,
                    origin: t_origin,
                    fields: BTreeMap::new(),
                    reason,
                })?;
                return Ok(());
            }
        }
        if current.is_none()
            && let Some(f) = entity
                .fields()
                .iter()
                .find(|f| f.required && rec.get(f.name).is_none_or(Value::is_null))
        {
            return Err(refused(msg!(
                PACKAGE_INCOMPLETE,
                entity,
                id = rc.id,
                field = f.name
            )));
        }
        let empty = records::blank(entity);
        match &current {
            None => {
                records::insert_row(self.conn, entity, &rec)?;
                records::write_lists(self.conn, entity, &rc.id, &rec, None)?;
                let withheld = redacted_of(entity);
                if partial && !withheld.is_empty() {
                    self.conn
                        .prepare_cached(
                            "INSERT OR IGNORE INTO partner_copy (entity, record_id, fields, received_at)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![
                            entity.name(),
                            rc.id,
                            serde_json::to_string(&withheld)?,
                            values::now_rfc3339()
                        ])?;
                }
            }
            Some(old) => {
                records::update_row(self.conn, entity, &rec)?;
                records::write_lists(self.conn, entity, &rc.id, &rec, Some(old))?;
            }
        }
        self.changed
            .entry((entity, rc.id.clone()))
            .or_default()
            .extend(applied.iter().map(|fc| fc.field.clone()));
        for fc in applied {
            set_clock(
                self.conn,
                entity,
                &rc.id,
                &fc.field,
                &fc.hlc,
                &fc.origin,
                &fc.supersedes,
            )?;
            let old = current
                .as_ref()
                .and_then(|o| o.get(&fc.field))
                .or(empty.get(&fc.field))
                .cloned()
                .unwrap_or(Value::Null);
            let op = if current.is_none() { "create" } else { "sync" };
            self.history(
                entity,
                &rc.id,
                op,
                &fc.field,
                &old,
                rec.get(&fc.field).unwrap_or(&Value::Null),
                fc,
            )?;
            self.changes += 1;
        }
        self.touched.insert((entity, rc.id.clone()));
        Ok(())
    }

    /// Deletes a record (a delete from another device, or one the merge needs); edits
    /// the deleter had not seen are listed. Returns whether anything was deleted.
    fn apply_tombstone(&mut self, t: &Tomb) -> Result<bool> {
        self.observe(&t.hlc);
        if self.tombstone(&t.id)?.is_some() {
            return Ok(false);
        }
        if let Some(rec) = records::read(self.conn, t.entity, &t.id)? {
            // A record removed by a merge (a duplicate) is listed once, whole, below: not
            // also field by field as edits its removal had not seen.
            let clocks = if t.reason == "deleted" {
                self.local_clocks(t.entity, &t.id)?
            } else {
                Default::default()
            };
            for (field, (hlc, origin, _)) in clocks {
                let seen = t.fields.get(&field).is_some_and(|h| hlc <= *h);
                if !seen && field != "created_at" {
                    let value = rec.get(&field).cloned().unwrap_or(Value::Null);
                    self.conflict(
                        "edit_deleted",
                        t.entity,
                        &t.id,
                        &field,
                        (&value, &hlc, &origin),
                        (&Value::Null, &t.hlc, &t.origin),
                    )?;
                }
            }
            if t.reason != "deleted" {
                let whole = Value::Object(rec.clone());
                self.conflict(
                    "removed",
                    t.entity,
                    &t.id,
                    "",
                    (&whole, &t.hlc, &t.origin),
                    (&Value::String(t.reason.clone()), &t.hlc, &t.origin),
                )?;
            }
            self.conn
                .execute(&format!("DELETE FROM {} WHERE id = ?1", t.entity), [&t.id])?;
            search::unindex(self.conn, &t.id)?;
            let change = FieldChange {
                field: String::new(),
                value: Value::Null,
                hlc: t.hlc.clone(),
                origin: t.origin.clone(),
                supersedes: vec![],
            };
            let json = Value::Object(rec);
            self.conn.execute(
                "INSERT INTO history (entity, record_id, op, field, old_value, new_value, changed_at, hlc, device_id)
                 VALUES (?1, ?2, 'delete', NULL, ?3, NULL, ?4, ?5, ?6)",
                params![t.entity.name(), t.id, json.to_string(), hlc_time(&change.hlc), change.hlc, change.origin],
            )?;
            self.touched.remove(&(t.entity, t.id.clone()));
        }
        self.conn.execute(
            "INSERT INTO tombstone (record_id, entity, hlc, origin, fields, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![t.id, t.entity.name(), t.hlc, t.origin, serde_json::to_string(&t.fields)?, if t.reason.is_empty() { "deleted" } else { &t.reason }],
        )?;
        self.conn
            .execute("DELETE FROM field_clock WHERE record_id = ?1", [&t.id])?;
        forget_partner_copy(self.conn, t.entity, &t.id)?;
        self.cascade(t)?;
        Ok(true)
    }

    fn local_clocks(&self, entity: Entity, id: &str) -> Result<Vec<(String, FieldClock)>> {
        Ok(clocks_of(self.conn, entity, id)?.into_iter().collect())
    }

    /// What a delete does to records that refer to the deleted one.
    fn cascade(&mut self, t: &Tomb) -> Result<()> {
        for other in Entity::ALL {
            for field in other.fields() {
                match field.kind {
                    Kind::Ref(target) if target == t.entity => {
                        let mut stmt = self.conn.prepare(&format!(
                            "SELECT id FROM {other} WHERE {} = ?1 ORDER BY id",
                            field.name
                        ))?;
                        let ids: Vec<String> = stmt
                            .query_map([&t.id], |r| r.get(0))?
                            .collect::<rusqlite::Result<_>>()?;
                        drop(stmt);
                        for id in ids {
                            if field.required {
                                let reason = format!("its {} was deleted", target.name());
                                self.apply_tombstone(&Tomb {
                                    entity: other,
                                    id,
                                    hlc: t.hlc.clone(),
                                    origin: t.origin.clone(),
                                    fields: BTreeMap::new(),
                                    reason,
                                })?;
                            } else {
                                self.conn.execute(
                                    &format!(
                                        "UPDATE {other} SET {} = NULL WHERE id = ?1",
                                        field.name
                                    ),
                                    [&id],
                                )?;
                                self.conflict(
                                    "reference_cleared",
                                    other,
                                    &id,
                                    field.name,
                                    (&Value::String(t.id.clone()), &t.hlc, &t.origin),
                                    (&Value::Null, &t.hlc, &t.origin),
                                )?;
                                self.touched.insert((other, id));
                            }
                        }
                    }
                    Kind::RefList {
                        target,
                        table,
                        column,
                        ..
                    } if target == t.entity => {
                        let mut stmt = self.conn.prepare(&format!(
                            "SELECT DISTINCT {other}_id FROM {table} WHERE {column} = ?1"
                        ))?;
                        let ids: Vec<String> = stmt
                            .query_map([&t.id], |r| r.get(0))?
                            .collect::<rusqlite::Result<_>>()?;
                        drop(stmt);
                        for id in ids {
                            let Some(mut rec) = records::read(self.conn, other, &id)? else {
                                continue;
                            };
                            let old = rec.clone();
                            if let Some(Value::Array(list)) = rec.get_mut(field.name) {
                                list.retain(|v| v.as_str() != Some(t.id.as_str()));
                            }
                            records::write_lists(self.conn, other, &id, &rec, Some(&old))?;
                            self.touched.insert((other, id));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Lists the records the merge changed that now break a rule of their own fields
    /// (`rules::broken`): each change was valid on its device, but two made on two
    /// devices may not be together (a placement moved to active on one laptop while its
    /// screening was flagged on another). The record stays as merged, nothing is lost;
    /// the entry (kind `rule`) names the rule, for the coordinator to resolve (reopen,
    /// withdraw or correct the record, then dismiss it). Only a rule reading a field
    /// the merge wrote is reported, and it is keyed by the newest stamp of the fields
    /// it reads, so the same merged state is listed once however often packages touch
    /// the record, and a dismissed entry stays dismissed.
    fn check_rules(&mut self) -> Result<()> {
        for ((entity, id), written) in std::mem::take(&mut self.changed) {
            if !rules::has_record_rules(entity) {
                continue;
            }
            let Some(rec) = records::read(self.conn, entity, &id)? else {
                continue;
            };
            let broken = rules::broken(self.conn, entity, &rec)?;
            if broken.is_empty() {
                continue;
            }
            let clocks = clocks_of(self.conn, entity, &id)?;
            let stamp = |field: &str| {
                clocks
                    .get(field)
                    .map(|(hlc, origin, _)| (hlc.clone(), origin.clone()))
            };
            for b in broken {
                if !b.fields.iter().any(|f| written.contains(*f)) {
                    continue;
                }
                let (hlc, origin) = b
                    .fields
                    .iter()
                    .filter_map(|f| stamp(f))
                    .max()
                    .unwrap_or_default();
                let field = b.problem.field.clone();
                let kept = rec.get(&field).cloned().unwrap_or(Value::Null);
                let (kept_hlc, kept_origin) = stamp(&field).unwrap_or_default();
                let rule = serde_json::json!({
                    "code": b.problem.code,
                    "params": b.problem.params,
                    "message": b.problem.message,
                });
                self.conflict(
                    "rule",
                    entity,
                    &id,
                    &field,
                    (&rule, &hlc, &origin),
                    (&kept, &kept_hlc, &kept_origin),
                )?;
            }
        }
        Ok(())
    }

    /// The same person placed twice in one cohort keeps the placement with the smaller id;
    /// people who look entered twice are listed as probable duplicates.
    fn make_consistent(&mut self) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, b.id FROM placement a JOIN placement b
             ON a.person_id = b.person_id AND a.cohort_id = b.cohort_id AND a.id < b.id ORDER BY b.id",
        )?;
        let pairs: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        for (keep, drop_id) in pairs {
            if self.tombstone(&drop_id)?.is_some() {
                continue;
            }
            let (hlc, origin) = self
                .local_clocks(Entity::Placement, &drop_id)?
                .into_iter()
                .map(|(_, (h, o, _))| (h, o))
                .max()
                .unwrap_or_default();
            self.apply_tombstone(&Tomb {
                entity: Entity::Placement,
                id: drop_id,
                hlc,
                origin,
                fields: BTreeMap::new(),
                reason: format!(
                    "the same person is already placed in this cohort (placement {keep})"
                ),
            })?;
        }
        let touched_people: Vec<String> = self
            .touched
            .iter()
            .filter(|(e, _)| *e == Entity::Person)
            .map(|(_, id)| id.clone())
            .collect();
        if touched_people.is_empty() {
            return Ok(());
        }
        let mut index: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, given_name, family_name, given_name_he, family_name_he, email_key, orcid FROM person",
        )?;
        let rows = stmt.query_map([], |r| {
            let mut m = Map::new();
            for (i, f) in [
                "given_name",
                "family_name",
                "given_name_he",
                "family_name_he",
            ]
            .iter()
            .enumerate()
            {
                if let Some(v) = r.get::<_, Option<String>>(i + 1)? {
                    m.insert((*f).into(), Value::String(v));
                }
            }
            Ok((
                r.get::<_, String>(0)?,
                m,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        // Each person filed under its keys, and the keys to look it up by (a name's
        // skeleton meets only the other script's).
        let mut keys_of: HashMap<String, Vec<String>> = HashMap::new();
        for row in rows {
            let (id, names, email, orcid) = row?;
            let filed = crate::import::name_keys(&names);
            let mut lookup: Vec<String> = crate::import::matching_keys(&filed)
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            let mut keys: Vec<String> = filed.into_iter().map(|(k, _)| k).collect();
            for extra in [
                email.map(|e| format!("e:{e}")),
                orcid.map(|o| format!("o:{o}")),
            ]
            .into_iter()
            .flatten()
            {
                keys.push(extra.clone());
                lookup.push(extra);
            }
            for k in keys {
                index.entry(k).or_default().push(id.clone());
            }
            keys_of.insert(id, lookup);
        }
        drop(stmt);
        for id in touched_people {
            let mut others: BTreeSet<String> = BTreeSet::new();
            for k in keys_of.get(&id).into_iter().flatten() {
                others.extend(
                    index
                        .get(k)
                        .into_iter()
                        .flatten()
                        .filter(|o| **o != id)
                        .cloned(),
                );
            }
            // A handful is enough to point at a duplicate (common names match many).
            for other in others.into_iter().take(5) {
                let (a, b) = if id < other {
                    (&id, &other)
                } else {
                    (&other, &id)
                };
                let dismissed: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM conflict WHERE kind = 'duplicate_person' AND record_id = ?1 AND field = ?2)",
                    params![a, b],
                    |r| r.get(0),
                )?;
                if !dismissed {
                    self.conflict(
                        "duplicate_person",
                        Entity::Person,
                        a,
                        b,
                        (&Value::String(b.clone()), "", ""),
                        (&Value::String(a.clone()), "", ""),
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// A synced value, parsed as a local write would be (a package cannot smuggle in what the
/// app would refuse to store).
fn parse_synced(entity: Entity, field: &str, value: &Value) -> Result<Value> {
    if field == "created_at" {
        return match value {
            Value::String(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => {
                Ok(value.clone())
            }
            _ => Err(refused(msg!(PACKAGE_BAD_CREATED_AT, entity))),
        };
    }
    let Some(f) = entity.field(field) else {
        return Err(refused(msg!(PACKAGE_UNKNOWN_FIELD, entity, field)));
    };
    match records::parse_field(f, value) {
        Ok(v) => Ok(v),
        Err(p) => Err(refused(msg!(
            PACKAGE_INVALID_FIELD,
            entity,
            field = p.field,
            problem = p.message
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_that_expands_too_far_is_refused_unread() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&zeros).unwrap();
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 64 * 1024, "zeros compress over a hundredfold");
        let err = inflate(&bomb, 1024 * 1024).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Refused);
        assert!(
            err.to_string().contains("expands to more than 1 MB"),
            "{err}"
        );
        // Within its limit the same payload reads whole.
        assert_eq!(inflate(&bomb, 8 * 1024 * 1024).unwrap().len(), zeros.len());
        // The real limit: a hundred times the compressed size, at least 64 MB.
        assert_eq!(payload_limit(1000), 64 * 1024 * 1024);
        assert_eq!(payload_limit(10_000_000), 1_000_000_000);
    }

    /// A page of the conflict list (open entries, or all) and its counts walk the
    /// `conflict_order` index (migration 0009) instead of sorting the table.
    #[test]
    fn the_conflict_list_walks_its_index() {
        let db = Db::open_in_memory().unwrap();
        for sql in [
            format!(
                "SELECT c.id FROM conflict c WHERE {LISTED} ORDER BY {CONFLICT_ORDER} LIMIT 50 OFFSET 100"
            ),
            format!("SELECT count(*) FROM conflict c WHERE {LISTED}"),
        ] {
            for include_resolved in [false, true] {
                let plan: Vec<String> = db
                    .conn
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .unwrap()
                    .query_map([include_resolved], |r| r.get(3))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                let text = plan.join("\n");
                assert!(
                    text.contains("INDEX conflict_order") && !text.contains("TEMP B-TREE"),
                    "{sql} (resolved too: {include_resolved}):\n{text}"
                );
            }
        }
    }

    #[test]
    fn fingerprints_are_grouped_hex() {
        let fp = fingerprint("AAAA");
        assert_eq!(fp.len(), 8 * 4 + 7);
        assert!(fp.chars().all(|c| c == ' ' || c.is_ascii_hexdigit()));
    }
}
