//! scratch (not committed)
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let conn = rusqlite::Connection::open(&args[1]).unwrap();
    let sql = std::fs::read_to_string(&args[2]).unwrap();
    for stmt in sql.split(";\n") {
        let s = stmt.trim();
        if s.is_empty() {
            continue;
        }
        let t = std::time::Instant::now();
        conn.execute_batch(s).unwrap();
        println!(
            "{:8.3} s  {}",
            t.elapsed().as_secs_f64(),
            &s[..s.len().min(70)]
        );
    }
}
