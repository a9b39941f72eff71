//! Writing files safely: beside the target, then renamed over it, so a reader never sees
//! half a file and a failure leaves the old file as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::msg;

/// The database files this process has opened: no file written here may replace one
/// (`export all -o desk.sqlite3` would otherwise overwrite the data with its export).
static DATABASES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// `path` with its folder resolved (symbolic links, `..`), whether or not it exists.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(path.file_name()?))
}

/// Remembers a database file this process opened.
pub(crate) fn note_database(path: &Path) {
    if let Some(p) = resolved(path) {
        let mut open = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
        if !open.contains(&p) {
            open.push(p);
        }
    }
}

/// Refuses `path` when it is an open database or one of its SQLite side files.
pub(crate) fn refuse_database(path: &Path) -> Result<()> {
    let Some(dest) = resolved(path) else {
        return Ok(());
    };
    let open = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    for db in open.iter() {
        let is_it = ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            dest.as_os_str() == p
        });
        if is_it {
            return Err(Error::invalid(
                "-o",
                crate::msg!(OUTPUT_IS_DATABASE, path = path.display()),
            ));
        }
    }
    Ok(())
}

/// The folder a file at `path` goes into (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks that a file can be written at `path` before any work is done: not an open
/// database (or its side files), not a folder, and in a folder that exists. Each refusal
/// is invalid input (`-o`, CLI exit 3) naming the path.
pub fn check_output(path: &Path) -> Result<()> {
    refuse_database(path)?;
    if path.is_dir() {
        return Err(Error::invalid(
            "-o",
            msg!(OUTPUT_IS_FOLDER, path = path.display()),
        ));
    }
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(Error::invalid(
            "-o",
            msg!(
                OUTPUT_NO_FOLDER,
                path = path.display(),
                folder = dir.display()
            ),
        ));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (write aside, fsync, rename), after
/// [`check_output`]: an open database (or its side files) is never overwritten.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |out| Ok(out.write_all(bytes)?))
}

/// [`write_atomic`] of what `write` writes, streamed (a big export is never held in
/// memory whole). When `write` fails, the file is left as it was.
pub fn write_atomic_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    check_output(path)?;
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let cannot = |e: std::io::Error| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", path.display()),
        ))
    };
    let file = match std::fs::File::create(&tmp) {
        Ok(file) => file,
        Err(e) => return Err(cannot(e)),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let result = write(&mut out).and_then(|value| {
        let file = out.into_inner().map_err(|e| cannot(e.into_error()))?;
        file.sync_all().map_err(cannot)?;
        std::fs::rename(&tmp, path).map_err(cannot)?;
        Ok(value)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
