//! `exdesk`: the headless command-line shell over exdesk-core (spec/cli.md). Each command
//! parses its arguments, calls one core function and prints the result; exit codes and
//! error lines follow the contract.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use exdesk_core::import::DateOrder;
use exdesk_core::roster::RosterFormat;
use exdesk_core::{Db, Entity, Error, ErrorCode, ListQuery, WriteOptions, msg};
use serde_json::Value;

/// mimalloc instead of glibc's allocator: an import allocates each row's values on one
/// thread and frees them on another, which glibc serialises on its arena locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` that ends the program quietly when stdout is closed (`exdesk ... | head`)
/// instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($t)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

#[derive(Parser)]
#[command(
    name = "exdesk",
    version,
    about = "Exchange Desk from the command line"
)]
struct Cli {
    /// The database file (else $EXDESK_DB, else the desktop app's per-user database).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or migrate the database; print its path.
    Init,
    /// Load the bundled demo dataset into an empty database.
    Demo,
    /// Fill an empty database with a synthetic national-scale dataset (N people, with
    /// institutions, programs, cohorts, placements, fellowships and agreements in proportion).
    Gen {
        #[arg(long)]
        people: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Totals and breakdowns.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Search people, institutions, programs and cohorts.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Integrity and foreign-key check; exit 0 when healthy.
    Check,
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Sync with other laptops through signed packages.
    Sync {
        #[command(subcommand)]
        action: SyncCommand,
    },
    /// A consistent copy of the database (encrypted when the database is).
    Backup {
        #[arg(short = 'o', value_name = "FILE")]
        output: PathBuf,
    },
    /// Replace the database with a verified backup; the replaced one is kept aside.
    Restore { file: PathBuf },
    /// Encrypt the database (passphrase from $EXDESK_PASSPHRASE or a prompt).
    Encrypt,
    /// Change the passphrase ($EXDESK_PASSPHRASE opens it; the new one comes from
    /// $EXDESK_NEW_PASSPHRASE or a prompt).
    Rekey,
    /// Decrypt the database back to a plain SQLite file.
    Decrypt,
    /// The automatic backups kept beside the database.
    Backups {
        #[arg(long)]
        json: bool,
    },
    /// This installation's device id and name.
    Device {
        /// Rename this installation.
        #[arg(long)]
        name: Option<String>,
    },
    /// Partner institutions: add, get, update, delete, list, deleted, recover.
    Institution(EntityArgs),
    /// People: add, get, update, delete, list, deleted, recover, and merge duplicates.
    Person(EntityArgs),
    /// Programs: add, get, update, delete, list, deleted, recover.
    Program(EntityArgs),
    /// Cohorts: add, get, update, delete, list, deleted, recover.
    Cohort(EntityArgs),
    /// Placements of people in cohorts (status moves checked): add, get, update, …
    Placement(EntityArgs),
    /// Fellowships with their tranches and reports: add, get, update, …
    Fellowship(EntityArgs),
    /// Agreements between institutions: add, get, update, …
    Agreement(EntityArgs),
    /// Write an empty sheet with the canonical headers of ENTITY (.csv or .xlsx).
    Template {
        #[arg(value_parser = entity_arg)]
        entity: Entity,
        #[arg(short = 'o', value_name = "FILE")]
        output: PathBuf,
        /// csv or xlsx (default: the file's extension; needed for a name without one,
        /// such as /dev/stdout).
        #[arg(long, value_parser = format_arg)]
        format: Option<RosterFormat>,
    },
    /// Import records from a CSV or XLSX file (people, institutions and placements from
    /// partner files; the other entities from their template's columns).
    Import {
        #[arg(value_parser = entity_arg)]
        entity: Entity,
        file: PathBuf,
        /// Check and report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// A JSON file mapping column headers to fields ({"Vorname": "given_name", "Extra": "ignore"}).
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// The order of dates like 03/04/2027: dmy, mdy or ymd.
        #[arg(long, value_name = "ORDER", value_parser = date_order_arg)]
        date_order: Option<DateOrder>,
        /// Placements: the cohort of rows that do not name one (e.g. an exported roster).
        #[arg(long)]
        cohort: Option<String>,
        /// Placements: add past a cohort's capacity.
        #[arg(long)]
        over_capacity: bool,
        /// The sheet of a workbook to read (else the first holding a table).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SyncCommand {
    /// Write a package: everything, or what DEVICE has not acknowledged yet.
    Export {
        #[arg(short = 'o', value_name = "FILE")]
        output: PathBuf,
        /// The device (its id, or its name as `sync devices` lists it).
        #[arg(long = "for", value_name = "DEVICE")]
        for_device: Option<String>,
        /// Only this cohort, its program, people and institutions, without redacted fields.
        #[arg(long)]
        cohort: Option<String>,
    },
    /// Apply a package.
    Import {
        file: PathBuf,
        /// Accept a package from a device not trusted yet (check its key fingerprint first).
        #[arg(long)]
        trust: bool,
    },
    /// Show who wrote a package and its key fingerprint, without applying it.
    Inspect {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The conflict list.
    Conflicts {
        #[arg(long)]
        json: bool,
        /// Also show resolved entries.
        #[arg(long)]
        all: bool,
    },
    /// Resolve a conflict: --restore brings the lost value back, --dismiss keeps the current one.
    Resolve {
        id: String,
        #[arg(long, conflicts_with = "dismiss")]
        restore: bool,
        #[arg(long)]
        dismiss: bool,
    },
    /// The devices this installation knows, and whether each is trusted.
    Devices {
        #[arg(long)]
        json: bool,
    },
    /// One round of shared-folder sync.
    Folder { path: PathBuf },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Every shared record as JSON, in a deterministic order (logged in `export log`
    /// with the number of records of each entity).
    All {
        #[arg(short = 'o', value_name = "FILE")]
        output: PathBuf,
    },
    /// A cohort's roster (COHORT is an id or an exact cohort name).
    Roster {
        cohort: String,
        #[arg(short = 'o', value_name = "FILE")]
        output: PathBuf,
        /// csv, xlsx, pdf or json (default: from the file's extension).
        #[arg(long, value_parser = format_arg)]
        format: Option<RosterFormat>,
        /// Column keys, comma-separated (default: the standard roster columns).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// Leave out the redacted fields (for rosters sent to partners).
        #[arg(long)]
        redact: bool,
        /// Header labels in this language: en (default) or he.
        #[arg(long, default_value = "en", value_parser = lang_arg)]
        lang: String,
        /// CSV: start with a byte-order mark so Excel reads UTF-8.
        #[arg(long)]
        excel: bool,
    },
    /// Cohort dates and deadlines as an iCalendar file.
    Calendar {
        #[arg(short = 'o', value_name = "FILE")]
        output: PathBuf,
        #[arg(long)]
        cohort: Option<String>,
    },
    /// The export log: which records left the database, when, and where to.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct EntityArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Create a record from JSON; print it.
    Add {
        #[arg(long, value_name = "JSON")]
        json: String,
        /// Add a placement past its cohort's capacity.
        #[arg(long)]
        over_capacity: bool,
    },
    /// Print a record as JSON.
    Get { id: String },
    /// Change the given fields; print the record.
    Update {
        id: String,
        #[arg(long, value_name = "PATCH")]
        json: String,
        /// Allow a placement's status to move backward (recorded as a reopen).
        #[arg(long)]
        reopen: bool,
        #[arg(long)]
        over_capacity: bool,
    },
    /// Delete a record.
    Delete { id: String },
    /// Merge a duplicate into SURVIVOR (people only): placements, fellowships and
    /// history move to the survivor, and the duplicate is deleted.
    Merge { survivor: String, duplicate: String },
    /// List deleted records of this kind, newest first (from history).
    Deleted {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Re-create a deleted record as a new record (new id) with its values; print it.
    Recover {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// List records.
    List {
        /// Only the records whose searchable text (names in both scripts, e-mail, …)
        /// matches QUERY, as in the app's list filter.
        #[arg(long)]
        query: Option<String>,
        /// At most LIMIT records.
        #[arg(long)]
        limit: Option<usize>,
        /// Print a JSON array of the records instead of one line each.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    // Usage errors (exit 2) are all found before the database is opened or created.
    if let Err(problem) = check_usage(&cli.command) {
        eprintln!("error: {problem}");
        return ExitCode::from(EXIT_USAGE);
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for problem in e.problems() {
                eprintln!("error: {problem}");
            }
            say_how_past(&e.problems());
            ExitCode::from(exit_code(&e))
        }
    }
}

/// After a cohort's capacity refused a placement: the flag that places past it (the
/// sentence is the app's too, which has its own choice for it).
fn say_how_past(problems: &[exdesk_core::Problem]) {
    if problems.iter().any(|p| p.code == "cohort.full") {
        eprintln!("hint: give --over-capacity to place past the cohort's capacity");
    }
}

/// The exit code of a usage error (spec/cli.md), as clap's own.
const EXIT_USAGE: u8 = 2;

/// clap's errors as clap prints them (exit 2; 0 for `--help` and `--version`), except an
/// argument value one of the parsers below turned down: that is one line naming the
/// argument and saying why, like every other error line.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::ValueValidation
        && let Some(reason) = std::error::Error::source(&e)
    {
        // clap names the argument "--date-order <ORDER>" or "<ENTITY>".
        let arg = match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => arg.clone(),
            _ => String::new(),
        };
        let name = arg.split(' ').next().unwrap_or_default();
        let name = match name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
            Some(positional) => positional.to_lowercase(),
            None => name.to_owned(),
        };
        eprintln!("error: {name}: {reason}");
        return ExitCode::from(EXIT_USAGE);
    }
    e.exit()
}

/// ENTITY arguments: a name that is no entity is a usage error (exit 2), not invalid
/// data, and is found before the database is opened.
fn entity_arg(name: &str) -> Result<Entity, String> {
    Entity::parse(name).ok_or_else(|| {
        let all: Vec<&str> = Entity::ALL.iter().map(|e| e.name()).collect();
        msg!(VALUE_NOT_ONE_OF, value = name, allowed = all.join(", ")).text
    })
}

/// `--date-order`.
fn date_order_arg(order: &str) -> Result<DateOrder, String> {
    DateOrder::parse(order).ok_or_else(|| msg!(CLI_BAD_DATE_ORDER, value = order).text)
}

/// `export roster --format`.
fn format_arg(format: &str) -> Result<RosterFormat, String> {
    RosterFormat::parse(format).ok_or_else(|| msg!(CLI_BAD_FORMAT, value = format).text)
}

/// `export roster --lang`.
fn lang_arg(lang: &str) -> Result<String, String> {
    match lang {
        "en" | "he" => Ok(lang.to_owned()),
        other => Err(msg!(CLI_BAD_LANG, value = other).text),
    }
}

/// A roster's format: `--format`, else the output file's extension.
fn roster_format(
    format: Option<RosterFormat>,
    output: &std::path::Path,
) -> Result<RosterFormat, Error> {
    format
        .or_else(|| RosterFormat::from_path(output))
        .ok_or_else(|| {
            Error::invalid(
                "--format",
                msg!(CLI_UNKNOWN_FORMAT, path = output.display()),
            )
        })
}

/// What makes a command line wrong whatever the data, beyond what clap checks: a
/// roster whose format cannot be told, roster columns that do not exist, a template
/// asked for as PDF or JSON, a merge of anything but people, a conflict resolved neither
/// way. Each is a usage error (exit 2)
/// found before the database is opened, so nothing is created for it.
fn check_usage(command: &Command) -> Result<(), String> {
    let problem = |e: Error| {
        e.problems()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    match command {
        Command::Export {
            what:
                ExportCommand::Roster {
                    output,
                    format,
                    columns,
                    ..
                },
        } => {
            roster_format(*format, output).map_err(problem)?;
            // Keys that are no roster column; what `--redact` leaves of the rest is for
            // the export to judge.
            exdesk_core::roster::roster_columns(columns, false).map_err(problem)?;
        }
        Command::Sync {
            action:
                SyncCommand::Resolve {
                    restore: false,
                    dismiss: false,
                    ..
                },
        } => return Err(format!("resolve: {}", msg!(CLI_RESOLVE_HOW))),
        Command::Template {
            format: Some(format @ (RosterFormat::Pdf | RosterFormat::Json)),
            ..
        } => {
            return Err(format!(
                "--format: {}",
                msg!(TEMPLATE_FORMAT, format = format.name())
            ));
        }
        Command::Institution(a)
        | Command::Program(a)
        | Command::Cohort(a)
        | Command::Placement(a)
        | Command::Fellowship(a)
        | Command::Agreement(a)
            if matches!(a.action, Action::Merge { .. }) =>
        {
            return Err(format!("merge: {}", msg!(CLI_MERGE_PEOPLE_ONLY)));
        }
        _ => {}
    }
    Ok(())
}

/// The exit codes of spec/cli.md.
fn exit_code(e: &Error) -> u8 {
    match e.code() {
        ErrorCode::Invalid => 3,
        ErrorCode::NotFound => 4,
        // A file that is no database, or one `check` finds damaged, is refused (as a
        // damaged sync package is), not an unexpected failure.
        ErrorCode::Refused
        | ErrorCode::NewerSchema
        | ErrorCode::Locked
        | ErrorCode::WrongPassphrase
        | ErrorCode::Damaged => 5,
        ErrorCode::Internal => 1,
    }
}

fn db_path(cli_db: Option<PathBuf>) -> PathBuf {
    cli_db
        .or_else(|| {
            std::env::var_os("EXDESK_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(exdesk_core::default_db_path)
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn parse_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::invalid("--json", msg!(CLI_BAD_JSON, error = e)))
}

fn run(cli: Cli) -> Result<(), Error> {
    let path = db_path(cli.db);
    let passphrase = std::env::var("EXDESK_PASSPHRASE")
        .ok()
        .filter(|p| !p.is_empty());
    if let Command::Restore { file } = &cli.command {
        // A file that fails the backup's checks is refused (exit 5), like a damaged sync
        // package: the input was checked and turned down, nothing failed unexpectedly.
        let summary = exdesk_core::safety::restore(&path, file, passphrase.as_deref()).map_err(
            |e| match e {
                Error::Damaged(m) => Error::refused("file", m),
                e => e,
            },
        )?;
        outln!("restored {} from {}", path.display(), summary.restored_from);
        if let Some(kept) = summary.replaced_kept_at {
            outln!("the replaced database is kept at {kept}");
        }
        // What happened to encryption (a plain backup over an encrypted database).
        if let Some(notice) = summary.notice {
            eprintln!("note: {notice}");
        }
        return Ok(());
    }
    if let Command::Check = cli.command {
        let db = Db::open_existing_keyed(&path, passphrase.as_deref())?;
        let report = db.check()?;
        if report.ok {
            outln!("ok: {}", path.display());
            return Ok(());
        }
        return Err(Error::Damaged(msg!(
            CHECK_FAILED,
            path = path.display(),
            problems = report.problems.join("\n")
        )));
    }
    if let Command::Encrypt = cli.command {
        // An encrypted file would not open without its passphrase: say what it is.
        if exdesk_core::is_encrypted(&path) {
            return Err(Error::refused("database", msg!(CLI_ALREADY_ENCRYPTED)));
        }
        let db = Db::open_keyed(&path, None)?;
        let new = match passphrase {
            Some(p) => p,
            None => prompt_new_passphrase("EXDESK_PASSPHRASE")?,
        };
        db.set_passphrase(Some(&new))?;
        outln!("encrypted {}", path.display());
        return Ok(());
    }
    // $EXDESK_PASSPHRASE opens an encrypted database; a database the command creates is
    // a plain one all the same (`encrypt` is what encrypts), so a script that sets the
    // passphrase once, for every command, can still create, fill and then encrypt.
    let is_new = std::fs::metadata(&path).map_or(true, |m| m.len() == 0);
    let mut db = Db::open_keyed(&path, passphrase.as_deref().filter(|_| !is_new))?;
    match cli.command {
        Command::Check | Command::Restore { .. } | Command::Encrypt => {
            unreachable!("handled above")
        }
        Command::Rekey => {
            if !db.encrypted() {
                return Err(Error::refused("database", msg!(CLI_NOT_ENCRYPTED)));
            }
            let new = match std::env::var("EXDESK_NEW_PASSPHRASE")
                .ok()
                .filter(|p| !p.is_empty())
            {
                Some(p) => p,
                None => prompt_new_passphrase("EXDESK_NEW_PASSPHRASE")?,
            };
            db.set_passphrase(Some(&new))?;
            outln!("changed the passphrase of {}", path.display());
        }
        Command::Decrypt => {
            db.set_passphrase(None)?;
            outln!("decrypted {}", path.display());
        }
        Command::Backup { output } => {
            db.backup_to(&output)?;
            say_written(&output);
        }
        Command::Backups { json } => {
            let list = db.backups()?;
            if json {
                print_json(&list)?;
            } else {
                for b in list {
                    outln!(
                        "{}\t{}\t{}\t{} bytes",
                        b.created_at,
                        b.reason,
                        b.path,
                        b.bytes
                    );
                }
            }
        }
        Command::Init => outln!("{}", db.path().display()),
        Command::Demo => {
            db.load_demo()?;
            let stats = db.stats()?;
            let counts: Vec<String> = stats
                .counts
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect();
            outln!(
                "loaded the demo data into {}: {}",
                path.display(),
                counts.join(", ")
            );
        }
        Command::Gen { people, seed } => gen_command(&mut db, people, seed)?,
        Command::Stats { json } => {
            let stats = db.stats()?;
            if json {
                print_json(&stats)?;
            } else {
                print_stats(&stats);
            }
        }
        Command::Search { text, limit, json } => {
            let hits = db.search(&text, limit)?;
            if json {
                print_json(&hits)?;
            } else {
                for hit in hits {
                    outln!(
                        "{}\t{}\t{}\t{}",
                        hit.entity,
                        hit.title,
                        hit.subtitle,
                        hit.id
                    );
                }
            }
        }
        Command::Export { what } => export_command(&mut db, what)?,
        Command::Sync { action } => sync_command(&mut db, action)?,
        Command::Template {
            entity,
            output,
            format,
        } => {
            exdesk_core::import::write_template(entity, &output, format)?;
            say_written(&output);
        }
        Command::Import {
            entity,
            file,
            dry_run,
            mapping,
            date_order,
            cohort,
            over_capacity,
            sheet,
            json,
        } => {
            let args = ImportArgs {
                dry_run,
                mapping,
                date_order,
                sheet,
                cohort,
                over_capacity,
                json,
            };
            import_command(&mut db, entity, &file, args)?;
        }
        Command::Device { name } => {
            if let Some(name) = name {
                db.set_device_name(&name)?;
            }
            outln!("{}\t{}", db.device_id(), db.device_name()?);
        }
        Command::Institution(a) => entity_command(&mut db, Entity::Institution, a.action)?,
        Command::Person(a) => entity_command(&mut db, Entity::Person, a.action)?,
        Command::Program(a) => entity_command(&mut db, Entity::Program, a.action)?,
        Command::Cohort(a) => entity_command(&mut db, Entity::Cohort, a.action)?,
        Command::Placement(a) => entity_command(&mut db, Entity::Placement, a.action)?,
        Command::Fellowship(a) => entity_command(&mut db, Entity::Fellowship, a.action)?,
        Command::Agreement(a) => entity_command(&mut db, Entity::Agreement, a.action)?,
    }
    Ok(())
}

/// `exdesk gen`: progress on stderr every 10%, a summary on stdout.
fn gen_command(db: &mut Db, people: u32, seed: u64) -> Result<(), Error> {
    let started = std::time::Instant::now();
    let mut shown = 0;
    let summary = db.generate(people, seed, &mut |p| {
        let percent = if p.total == 0 {
            100
        } else {
            u64::from(p.done) * 100 / u64::from(p.total)
        };
        if percent >= shown + 10 || (p.done == p.total && shown < 100) {
            shown = percent - percent % 10;
            eprintln!(
                "gen: {percent:>3}%  {} of {} records  {:.1} s",
                p.done,
                p.total,
                started.elapsed().as_secs_f64()
            );
        }
        true
    })?;
    outln!(
        "generated {} people, {} institutions, {} programs, {} cohorts, {} placements, \
         {} fellowships and {} agreements (seed {}) into {} in {:.1} s",
        summary.people,
        summary.institutions,
        summary.programs,
        summary.cohorts,
        summary.placements,
        summary.fellowships,
        summary.agreements,
        summary.seed,
        db.path().display(),
        started.elapsed().as_secs_f64()
    );
    outln!(
        "national intake: cohort {:?} ({}) with {} placements",
        summary.national_cohort_name,
        summary.national_cohort_id,
        summary.national_placements
    );
    Ok(())
}

fn entity_command(db: &mut Db, entity: Entity, action: Action) -> Result<(), Error> {
    match action {
        Action::Add {
            json,
            over_capacity,
        } => {
            let opts = WriteOptions {
                over_capacity,
                ..Default::default()
            };
            print_json(&db.add(entity, &parse_json(&json)?, opts)?)
        }
        Action::Get { id } => print_json(&db.get(entity, &id)?),
        Action::Update {
            id,
            json,
            reopen,
            over_capacity,
        } => {
            let opts = WriteOptions {
                over_capacity,
                reopen,
            };
            print_json(&db.update(entity, &id, &parse_json(&json)?, opts)?)
        }
        Action::Merge {
            survivor,
            duplicate,
        } => print_json(&db.merge_people(&survivor, &duplicate)?),
        Action::Delete { id } => {
            db.delete(entity, &id)?;
            outln!("deleted {entity} {id}");
            Ok(())
        }
        Action::Deleted { limit, json } => {
            let deleted = db.deleted(Some(entity), limit)?;
            if json {
                return print_json(&deleted);
            }
            for d in &deleted {
                let recovered = d
                    .recovered_as
                    .as_deref()
                    .map(|id| format!("\trecovered as {id}"))
                    .unwrap_or_default();
                outln!(
                    "{}\t{}\tdeleted {} on {}{recovered}",
                    d.id,
                    d.name,
                    d.deleted_at,
                    d.device_name
                );
            }
            Ok(())
        }
        Action::Recover { id, json } => {
            let recovered = db.recover(entity, &id)?;
            if json {
                return print_json(&recovered);
            }
            outln!("recovered {entity} {id} as {}", recovered.id);
            if !recovered.dropped.is_empty() {
                outln!(
                    "dropped (the records they referred to no longer exist): {}",
                    recovered.dropped.join(", ")
                );
            }
            if !recovered.relinked.is_empty() {
                outln!(
                    "now pointing at recovered records: {}",
                    recovered.relinked.join(", ")
                );
            }
            print_json(&recovered.record)
        }
        Action::List { query, limit, json } => {
            let records = db.list(
                entity,
                &ListQuery {
                    query,
                    limit,
                    ..Default::default()
                },
            )?;
            if json {
                print_json(&records)
            } else {
                for record in &records {
                    outln!(
                        "{}\t{}",
                        record["id"].as_str().unwrap_or_default(),
                        summary(entity, record)
                    );
                }
                Ok(())
            }
        }
    }
}

/// One readable line for a record in `list` without `--json`: the same tab-separated
/// columns for every record of an entity, an absent value as an empty cell, so a column
/// holds one field all the way down (a person without a Hebrew name does not show their
/// e-mail under it) and `cut -f` reads it.
fn summary(entity: Entity, r: &Value) -> String {
    let s = |f: &str| r.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
    // "Dana " without a family name is "Dana"; a tab or line break inside a value would
    // start another column or line.
    let cell = |text: String| text.trim().replace(['\t', '\n', '\r'], " ");
    let cells: Vec<String> = match entity {
        Entity::Person => vec![
            format!("{} {}", s("given_name"), s("family_name")),
            format!("{} {}", s("given_name_he"), s("family_name_he")),
            s("email"),
        ],
        Entity::Institution => vec![s("name"), s("country")],
        Entity::Program => vec![s("name"), s("kind")],
        Entity::Cohort => vec![s("name"), s("start_date"), s("end_date")],
        Entity::Placement => vec![s("person_id"), s("cohort_id"), s("status"), s("direction")],
        Entity::Fellowship => vec![
            s("title"),
            match r.get("award_minor").and_then(Value::as_i64) {
                Some(amount) => format!("{amount} {}", s("currency")),
                None => s("currency"),
            },
        ],
        Entity::Agreement => vec![s("title"), s("valid_from"), s("valid_to")],
    };
    cells.into_iter().map(cell).collect::<Vec<_>>().join("\t")
}

fn print_stats(stats: &exdesk_core::dto::Stats) {
    let section = |title: &str, map: &std::collections::BTreeMap<String, u32>| {
        outln!("{title}");
        for (k, v) in map {
            outln!("  {k:<24}{v:>8}");
        }
    };
    section("records", &stats.counts);
    section("placements by status", &stats.placements_by_status);
    section("placements by direction", &stats.placements_by_direction);
    section("programs by kind", &stats.programs_by_kind);
    section("programs by technology area", &stats.programs_by_tech_area);
}

/// Names the file a command wrote on stdout, unless the file is a pipe or device
/// (`-o /dev/stdout`): there stdout carries the file itself, so the name goes to stderr.
fn say_written(output: &std::path::Path) {
    if exdesk_core::fsutil::writes_through(output) {
        eprintln!("wrote {}", output.display());
    } else {
        outln!("{}", output.display());
    }
}

fn export_command(db: &mut Db, what: ExportCommand) -> Result<(), Error> {
    use exdesk_core::roster::RosterOptions;
    match what {
        ExportCommand::All { output } => {
            let summary = db.export_all_to(&output)?;
            eprintln!(
                "wrote {} to {}",
                counted(summary.rows as u64, "record"),
                summary.file_name
            );
        }
        ExportCommand::Roster {
            cohort,
            output,
            format,
            columns,
            redact,
            lang,
            excel,
        } => {
            let format = roster_format(format, &output)?;
            let hebrew = lang == "he";
            let left_out = if redact {
                exdesk_core::roster::redacted_among(&columns)
            } else {
                Vec::new()
            };
            let opts = RosterOptions {
                columns,
                redact,
                hebrew,
                excel_bom: excel,
            };
            let summary = db.export_roster(&cohort, &output, format, &opts)?;
            if !left_out.is_empty() {
                eprintln!(
                    "warning: {}",
                    msg!(ROSTER_REDACTED_LEFT_OUT, columns = left_out.join(", "))
                );
            }
            eprintln!(
                "wrote {} to {}",
                counted(summary.rows as u64, "row"),
                summary.file_name
            );
        }
        ExportCommand::Calendar { output, cohort } => {
            let summary = db.export_calendar(&output, cohort.as_deref())?;
            eprintln!("wrote {} events to {}", summary.rows, summary.file_name);
        }
        ExportCommand::Log { limit, json } => {
            let log = db.export_log(limit)?;
            if json {
                print_json(&log)?;
            } else {
                for e in log {
                    // `export all` names no cohort: it holds every record, counted by entity.
                    let (what, counts) = match &e.entity_counts {
                        Some(counts) => {
                            let each: Vec<String> = counts
                                .iter()
                                .filter(|(_, n)| **n > 0)
                                .map(|(entity, n)| format!("{n} {entity}"))
                                .collect();
                            ("everything".to_owned(), format!(" ({})", each.join(", ")))
                        }
                        None => (e.cohort_name.unwrap_or_default(), String::new()),
                    };
                    outln!(
                        "{}\t{} {}\t{what}\t{} records{counts}\t{}{}",
                        e.exported_at,
                        e.kind,
                        e.format,
                        e.record_count,
                        e.file_name,
                        if e.redacted { "\tredacted" } else { "" }
                    );
                }
            }
        }
    }
    Ok(())
}

struct ImportArgs {
    dry_run: bool,
    mapping: Option<PathBuf>,
    date_order: Option<DateOrder>,
    sheet: Option<String>,
    cohort: Option<String>,
    over_capacity: bool,
    json: bool,
}

fn import_command(
    db: &mut Db,
    entity: Entity,
    file: &std::path::Path,
    args: ImportArgs,
) -> Result<(), Error> {
    let ImportArgs {
        dry_run,
        mapping,
        date_order,
        sheet,
        cohort,
        over_capacity,
        json,
    } = args;
    use exdesk_core::import::ImportOptions;
    let mapping = match mapping {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Error::invalid(
                    "--mapping",
                    msg!(IMPORT_CANNOT_READ, path = path.display(), error = e),
                )
            })?;
            serde_json::from_str(&text).map_err(|e| {
                Error::invalid(
                    "--mapping",
                    msg!(CLI_BAD_MAPPING, path = path.display(), error = e),
                )
            })?
        }
        None => Default::default(),
    };
    let opts = ImportOptions {
        dry_run,
        mapping,
        date_order,
        cohort,
        over_capacity,
        sheet,
    };
    let report = match db.import_file(entity, file, &opts, &mut |_| true) {
        Ok(report) => report,
        // With --json a refused file still gives its report: the problems, nothing done.
        Err(e @ Error::Invalid(_)) if json => {
            print_json(&exdesk_core::import::ImportReport::refused(
                entity,
                dry_run,
                e.problems(),
            ))?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    if json {
        print_json(&report)?;
    } else {
        // A big file can repeat one warning thousands of times (the same name on many
        // rows): the first ones of each kind, then how many more.
        const SHOWN_OF_A_KIND: usize = 20;
        // Per kind, in order of first appearance: (code, first message, how many).
        let mut kinds: Vec<(&str, &str, usize)> = Vec::new();
        for w in &report.warning_messages {
            let at = match kinds.iter().position(|(code, _, _)| *code == w.code) {
                Some(at) => at,
                None => {
                    kinds.push((&w.code, &w.message, 0));
                    kinds.len() - 1
                }
            };
            kinds[at].2 += 1;
            if kinds[at].2 <= SHOWN_OF_A_KIND {
                eprintln!("warning: {}", w.message);
            }
        }
        for (_, like, n) in kinds.iter().filter(|(_, _, n)| *n > SHOWN_OF_A_KIND) {
            let more = n - SHOWN_OF_A_KIND;
            eprintln!("warning: … and {more} more like \"{like}\" (--json lists them all)");
        }
        for d in &report.duplicates {
            let others: Vec<String> = d
                .matches
                .iter()
                .map(|(id, name)| format!("{name} ({id})"))
                .collect();
            let line = format!(
                "probable duplicate: row {} (file row {}) {} resembles {} ({})",
                d.row,
                d.file_row,
                d.name,
                others.join(", "),
                d.reason
            );
            // A refused file prints nothing on stdout: its report goes with its problems.
            if report.problems.is_empty() {
                outln!("{line}");
            } else {
                eprintln!("{line}");
            }
        }
    }
    if !report.problems.is_empty() {
        if !json && report.dry_run {
            // What the rows without a problem would do, then the problems (all on
            // stderr: a command that fails prints nothing on stdout).
            let say = |line: String| eprintln!("{line}");
            print_dry_run_rows(&report, &say);
            print_import_counts(&report, &say);
        }
        for p in &report.problems {
            let value = p
                .value
                .as_deref()
                .map(|v| {
                    // An oversized cell is shown by its start, not printed whole.
                    let n = v.chars().count();
                    if n > 80 {
                        let start: String = v.chars().take(60).collect();
                        format!(" (value {start:?}… {n} characters)")
                    } else {
                        format!(" (value {v:?})")
                    }
                })
                .unwrap_or_default();
            eprintln!("error: {p}{value}");
        }
        say_how_past(&report.problems);
        eprintln!(
            "nothing was imported: {} problem(s) in {}",
            report.problems.len(),
            file.display()
        );
        return Err(Error::Invalid(vec![]));
    }
    if !json {
        let say = |line: String| outln!("{line}");
        if report.dry_run {
            print_dry_run_rows(&report, &say);
        }
        print_import_counts(&report, &say);
    }
    Ok(())
}

/// What a dry run would do, row by row (the rows it would change; the first 50), each
/// line given to `say`.
fn print_dry_run_rows(report: &exdesk_core::import::ImportReport, say: &dyn Fn(String)) {
    // What the import would do, row by row (the rows it would change).
    use exdesk_core::import::RowAction;
    const SHOWN: usize = 50;
    let changing: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.action != RowAction::Unchanged || c.person.is_some())
        .collect();
    for c in changing.iter().take(SHOWN) {
        let verb = match c.action {
            RowAction::Add => "would add",
            RowAction::Update => "would update",
            RowAction::Unchanged => "would leave unchanged",
        };
        // A person updated is named as stored, with the fields the row changes.
        let what = match &c.person {
            Some(p) if report.entity == Entity::Person => {
                // The row's name when it is not one of theirs (each script's).
                let theirs = p.name.split(" · ").any(|n| n == c.name);
                let named = if !theirs && c.name != p.name {
                    format!(" as {}", c.name)
                } else {
                    String::new()
                };
                let (name, id, fields) = (&p.name, &p.id, p.fields.join(", "));
                format!("{verb} {name} ({id}){named}: {fields}")
            }
            Some(p) => {
                let (name, id, fields) = (&p.name, &p.id, p.fields.join(", "));
                format!(
                    "{verb} {}; would update person {name} ({id}): {fields}",
                    c.name
                )
            }
            None => format!("{verb} {}", c.name),
        };
        say(format!("row {} (file row {}): {what}", c.row, c.file_row));
    }
    let more = (report.added + report.updated) as usize;
    if more > SHOWN.min(changing.len()) {
        say(format!("… and {} more", more - SHOWN.min(changing.len())));
    }
}

/// The import's counts in one line: added, updated, unchanged (or what a dry run would do).
fn print_import_counts(report: &exdesk_core::import::ImportReport, say: &dyn Fn(String)) {
    let verb = if report.dry_run { "would add" } else { "added" };
    let update = if report.dry_run {
        "would update"
    } else {
        "updated"
    };
    // A placement file's rows may also change the people they name.
    let people = match report.people_updated {
        0 => String::new(),
        n => format!(", {update} people {n}"),
    };
    // A dry run of a file with problems tells what its other rows would do.
    let lead = match report.problems.len() {
        0 => "",
        _ => "the rows without a problem: ",
    };
    say(format!(
        "{lead}{verb} {}, {update} {}, unchanged {}{people} ({}, {})",
        report.added,
        report.updated,
        report.unchanged,
        counted(u64::from(report.rows), "row"),
        report.file_kind
    ));
}

/// `n` and the noun, plural unless one ("1 row", "7 rows").
fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn sync_command(db: &mut Db, action: SyncCommand) -> Result<(), Error> {
    match action {
        SyncCommand::Export {
            output,
            for_device,
            cohort,
        } => {
            let s = db.sync_export(&output, for_device.as_deref(), cohort.as_deref())?;
            eprintln!(
                "wrote {} records ({} field changes) and {} deletes ({} bytes) to {}",
                s.records, s.changes, s.deletes, s.bytes, s.file_name
            );
        }
        SyncCommand::Import { file, trust } => {
            let s = db.sync_import(&file, trust)?;
            outln!(
                "applied {} changes and {} deletes from {} ({}); {} new conflicts",
                s.changes,
                s.deletes,
                s.device_name,
                s.device_id,
                s.new_conflicts
            );
        }
        SyncCommand::Inspect { file, json } => {
            let info = db.sync_inspect(&file)?;
            if json {
                print_json(&info)?;
            } else {
                outln!(
                    "{} ({})\tkey {}\t{}\t{} records ({} field changes), {} deletes{}",
                    info.device_name,
                    info.device_id,
                    info.fingerprint,
                    if info.trusted {
                        "trusted"
                    } else {
                        "NOT trusted"
                    },
                    info.records,
                    info.changes,
                    info.deletes,
                    if info.scoped {
                        ", scoped to one cohort"
                    } else {
                        ""
                    }
                );
            }
        }
        SyncCommand::Conflicts { json, all } => {
            let list = db.conflicts(all)?;
            if json {
                print_json(&list)?;
            } else {
                print_conflicts(&list);
            }
        }
        // Neither --restore nor --dismiss is refused by `check_usage`.
        SyncCommand::Resolve { id, restore, .. } => {
            db.resolve_conflict(&id, restore)?;
        }
        SyncCommand::Devices { json } => {
            let devices = db.devices()?;
            if json {
                print_json(&devices)?;
            } else {
                for d in devices {
                    let state = if d.is_self {
                        "this installation"
                    } else if d.trusted {
                        "trusted"
                    } else {
                        "not trusted"
                    };
                    outln!("{}\t{}\t{}\t{}", d.id, d.name, d.fingerprint, state);
                }
            }
        }
        SyncCommand::Folder { path } => {
            let s = db.sync_folder(&path)?;
            outln!("wrote {}", s.outbox);
            for i in &s.imported {
                outln!(
                    "imported {} changes from {} ({})",
                    i.changes,
                    i.device_name,
                    i.file_name
                );
            }
            for (file, why) in &s.skipped {
                eprintln!("skipped {file}: {why}");
            }
            // The other packages were imported; a refused one still makes the exit 5.
            s.refusal()?;
        }
    }
    Ok(())
}

/// The conflict list for people: one heading per record (entity, title, id), then one
/// line per conflict of it: the id to pass to `sync resolve`, and what happened.
fn print_conflicts(list: &[exdesk_core::sync::ConflictEntry]) {
    let mut records: Vec<(
        &exdesk_core::sync::ConflictEntry,
        Vec<&exdesk_core::sync::ConflictEntry>,
    )> = Vec::new();
    for c in list {
        match records
            .iter_mut()
            .find(|(first, _)| first.entity == c.entity && first.record_id == c.record_id)
        {
            Some((_, entries)) => entries.push(c),
            None => records.push((c, vec![c])),
        }
    }
    for (first, entries) in records {
        // A record deleted on both sides has no name left: its title is "ENTITY ID".
        if first.title == format!("{} {}", first.entity, first.record_id) {
            outln!("{}  {}", first.entity, first.record_id);
        } else {
            outln!("{} {}  {}", first.entity, first.title, first.record_id);
        }
        for c in entries {
            let resolution = c
                .resolution
                .as_deref()
                .map(|r| format!("  [{r}]"))
                .unwrap_or_default();
            outln!("  {}  {}{resolution}", c.id, conflict_text(c));
        }
    }
}

/// What one conflict says, by kind.
fn conflict_text(c: &exdesk_core::sync::ConflictEntry) -> String {
    let value = |v: &Value| match v {
        Value::Null => "(empty)".to_owned(),
        Value::Object(_) => "(the whole record)".to_owned(),
        other => other.to_string(),
    };
    let reason = c.kept_value.as_str().unwrap_or_default();
    match c.kind.as_str() {
        "field" => format!(
            "{}: kept {} ({}), lost {} ({})",
            c.field,
            value(&c.kept_value),
            c.kept_device,
            value(&c.lost_value),
            c.lost_device
        ),
        "edit_deleted" => format!(
            "{}: the edit {} ({}) reached a record deleted on {}",
            c.field,
            value(&c.lost_value),
            c.lost_device,
            c.kept_device
        ),
        "removed" => format!("removed: {reason}"),
        "reference_cleared" => format!(
            "{}: cleared, it named {} (deleted on {})",
            c.field,
            value(&c.lost_value),
            c.lost_device
        ),
        "duplicate_person" => format!("probably the same person as {}", c.field),
        "rule" => format!(
            "{}: the merged record breaks a rule: {} (kept as merged: {})",
            c.field,
            c.rule.as_ref().map_or("", |r| r.message.as_str()),
            value(&c.kept_value)
        ),
        other => format!(
            "{other} {}: kept {}, lost {}",
            c.field,
            value(&c.kept_value),
            value(&c.lost_value)
        ),
    }
}

/// Asks twice for a new passphrase on the terminal; without one, says which environment
/// `variable` gives it instead.
fn prompt_new_passphrase(variable: &str) -> Result<String, Error> {
    let ask = |q: &str| {
        rpassword::prompt_password(q)
            .map_err(|_| Error::invalid("passphrase", msg!(CLI_NO_TERMINAL, variable)))
    };
    let first = ask("New passphrase: ")?;
    let second = ask("Repeat it: ")?;
    if first != second {
        return Err(Error::invalid("passphrase", msg!(CLI_PASSPHRASES_DIFFER)));
    }
    Ok(first)
}
