//! Printable PDF rosters.

use crate::error::{Error, Result};
use crate::roster::Roster;

pub(crate) fn roster_pdf(_roster: &Roster) -> Result<Vec<u8>> {
    Err(Error::invalid(
        "format",
        "PDF rosters are not available yet",
    ))
}
