//! In-process timings on a national-scale database, for `cargo xtask bench`.
//!
//! Run by xtask with `EXDESK_BENCH_DB` naming a database made by `exdesk gen`; prints one
//! tab-separated line per operation: name, runs, median ms, p99 ms. The targets of the
//! national-scale issue are p99 figures (search as you type), which criterion does not
//! report, so this harness keeps every sample and reads the percentiles itself.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use exdesk_core::{Db, Entity, ListQuery};

/// Samples kept per operation.
const RUNS: usize = 200;

fn main() {
    let Some(path) = std::env::var_os("EXDESK_BENCH_DB").map(PathBuf::from) else {
        // `cargo bench --workspace` without xtask: nothing to measure.
        eprintln!("national: set EXDESK_BENCH_DB to a database made by `exdesk gen`");
        return;
    };

    // Opening: what the app and every CLI command pay first.
    report("open database", 20, || {
        drop(Db::open_existing(&path).expect("open"));
    });
    let db = Db::open_existing(&path).expect("open");
    report("open + dashboard stats", 20, || {
        let db = Db::open_existing(&path).expect("open");
        std::hint::black_box(db.stats().expect("stats"));
    });
    report("dashboard stats", RUNS, || {
        std::hint::black_box(db.stats().expect("stats"));
    });

    // Search as you type: every prefix of a common Latin and a common Hebrew family name,
    // as the keystrokes arrive, each query asking for the 20 best hits.
    for (label, word) in [("Latin", "cohen"), ("Hebrew", "כהן")] {
        let prefixes: Vec<String> = word
            .char_indices()
            .map(|(i, c)| word[..i + c.len_utf8()].to_owned())
            .collect();
        let mut i = 0;
        report(
            &format!("search as you type, {label} ({})", prefixes.join(" ")),
            RUNS,
            || {
                let prefix = &prefixes[i % prefixes.len()];
                i += 1;
                std::hint::black_box(db.search(prefix, 20).expect("search"));
            },
        );
    }

    // One page of 100 people sorted by family name: the first, one in the middle and
    // the last, with the total the list shows.
    let total = db.page(Entity::Person, &page_query(0)).expect("page").total as usize;
    for (label, offset) in [
        ("first", 0),
        ("middle", total / 2),
        ("last", total.saturating_sub(100)),
    ] {
        report(
            &format!("people page of 100 by family name, {label}"),
            RUNS,
            || {
                std::hint::black_box(db.page(Entity::Person, &page_query(offset)).expect("page"));
            },
        );
    }

    // The same by e-mail, newest-first direction: people without an address come last
    // (a second run of the order), so the last page crosses into them.
    for (label, offset) in [
        ("first", 0),
        ("middle", total / 2),
        ("last", total.saturating_sub(100)),
    ] {
        let query = ListQuery {
            sort: Some("email".to_owned()),
            descending: true,
            ..page_query(offset)
        };
        report(
            &format!("people page of 100 by e-mail (descending), {label}"),
            RUNS,
            || {
                std::hint::black_box(db.page(Entity::Person, &query).expect("page"));
            },
        );
    }

    // The names a list page shows for the records its rows refer to: the first people
    // page's home institutions, one record at a time (what the list asked for, one IPC
    // call per row, before `names`) and all at once.
    let people = db.page(Entity::Person, &page_query(0)).expect("page").rows;
    let homes: Vec<String> = people
        .iter()
        .filter_map(|p| p["home_institution_id"].as_str().map(str::to_owned))
        .collect();
    report(
        "home institutions of a people page, one get per row",
        RUNS,
        || {
            for id in &homes {
                std::hint::black_box(db.get(Entity::Institution, id).expect("get"));
            }
        },
    );
    report(
        "home institutions of a people page, names in one call",
        RUNS,
        || {
            std::hint::black_box(db.names(Entity::Institution, &homes).expect("names"));
        },
    );

    // The dashboard's deadlines: the soonest 50 and how many there are.
    report(
        "dashboard deadlines: the soonest 50 and the total",
        20,
        || {
            std::hint::black_box(db.first_deadlines(60, 50).expect("deadlines"));
        },
    );
}

fn page_query(offset: usize) -> ListQuery {
    ListQuery {
        limit: Some(100),
        offset,
        sort: Some("family_name".to_owned()),
        ..ListQuery::default()
    }
}

/// Runs `op` once to warm the page cache, then `runs` times, and prints the line; with
/// `EXDESK_BENCH_ONLY` set, only the operations whose name contains it.
fn report(name: &str, runs: usize, mut op: impl FnMut()) {
    if std::env::var("EXDESK_BENCH_ONLY").is_ok_and(|only| !name.contains(&only)) {
        return;
    }
    op();
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            op();
            start.elapsed()
        })
        .collect();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p99 = ms(samples[(samples.len() * 99).div_ceil(100) - 1]);
    println!("{name}\t{runs}\t{median:.3}\t{p99:.3}");
}
