//! Parsed values: each outside string is checked once here and stored in canonical form.

use crate::error::Problem;

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn parse_name(field: &str, s: &str) -> Result<String, Problem> {
    let _ = field;
    Ok(s.trim().to_owned())
}
