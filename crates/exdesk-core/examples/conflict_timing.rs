//! Times the sync conflict list on a large database: the whole list (what the Conflicts
//! view loaded before it was paged; still `exdesk sync conflicts`) against one page of
//! 50, and the count on the Conflicts tab. A national dataset has no conflicts, so this
//! first adds N probable-duplicate entries between people of the database (removed
//! again at the end): `cargo run --release -p exdesk-core --example conflict_timing -- DB
//! [N]`. Opens the database for writing: run it on a copy.

use std::time::Instant;

use exdesk_core::Db;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: conflict_timing DATABASE [ENTRIES] (a copy: it is written)")?;
    let entries: u32 = args.next().map_or(Ok(20_000), |n| n.parse())?;
    drop(Db::open_existing(std::path::Path::new(&path))?); // migrated first
    let conn = rusqlite::Connection::open(&path)?;
    conn.execute(
        "INSERT INTO conflict (id, kind, entity, record_id, field, lost_value, kept_value, detected_at)
         SELECT 'timing-' || a.rowid, 'duplicate_person', 'person', a.id, b.id, json_quote(b.id),
                json_quote(a.id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || a.rowid || ' seconds')
         FROM person a JOIN person b ON b.rowid = a.rowid + 1
         WHERE a.rowid <= ?1",
        [entries],
    )?;
    let result = measure(&path);
    conn.execute("DELETE FROM conflict WHERE id LIKE 'timing-%'", [])?;
    result
}

type Timed<'a> = Box<dyn FnMut() -> Result<Vec<u8>, Box<dyn std::error::Error>> + 'a>;

fn measure(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::open_existing(std::path::Path::new(path))?;
    let ops: [(&str, Timed); 4] = [
        (
            "the whole list (before)",
            Box::new(|| Ok(serde_json::to_vec(&db.conflicts(false)?)?)),
        ),
        (
            "a page of 50 and the counts",
            Box::new(|| Ok(serde_json::to_vec(&db.conflict_page(false, 0, 50)?)?)),
        ),
        (
            "a page of 50 in the middle and the counts",
            Box::new(|| Ok(serde_json::to_vec(&db.conflict_page(false, 10_000, 50)?)?)),
        ),
        (
            "the count on the Conflicts tab",
            Box::new(|| Ok(serde_json::to_vec(&db.conflict_page(false, 0, 0)?)?)),
        ),
    ];
    for (what, mut op) in ops {
        op()?; // warm the page cache
        let mut ms = Vec::new();
        let mut bytes = 0;
        for _ in 0..9 {
            let start = Instant::now();
            bytes = op()?.len();
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "{what:<44} median {:>8.1} ms (fastest {:.1}, slowest {:.1}), {bytes} bytes of JSON",
            ms[ms.len() / 2],
            ms[0],
            ms[ms.len() - 1]
        );
    }
    Ok(())
}
