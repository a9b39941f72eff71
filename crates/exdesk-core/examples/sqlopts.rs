//! scratch (not committed)
fn main() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let v: String = conn
        .query_row("select sqlite_version()", [], |r| r.get(0))
        .unwrap();
    println!("{v}");
    let mut s = conn.prepare("pragma compile_options").unwrap();
    for r in s.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        println!("{}", r.unwrap());
    }
}
