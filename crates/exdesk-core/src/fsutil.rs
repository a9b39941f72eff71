//! Writing files safely: beside the target, then renamed over it, so a reader never sees
//! half a file and a failure leaves the old file as it was. A symbolic link is followed
//! (the file it names is replaced, the link stays), and what is not a file at all (a
//! named pipe, a device, `/dev/stdout`) is written straight through.

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
/// database (or its side files), not a folder, and in a folder that exists (for a
/// symbolic link, the folder of the file it names). Each refusal is invalid input (`-o`,
/// CLI exit 3) naming the path.
pub fn check_output(path: &Path) -> Result<()> {
    refuse_database(path)?;
    if path.is_dir() {
        return Err(Error::invalid(
            "-o",
            msg!(OUTPUT_IS_FOLDER, path = path.display()),
        ));
    }
    let Dest::File(file) = destination(path)? else {
        return Ok(());
    };
    refuse_database(&file)?;
    let dir = folder_of(&file);
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

/// Where a write to a path lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dest {
    /// A regular file, or none yet: written beside it and renamed onto it. For a
    /// symbolic link this is the file the link finally names, so the link stays a link
    /// and the file it names gets the new content.
    File(PathBuf),
    /// Something that exists and is not a regular file (a named pipe, a character or
    /// block device) or an open descriptor (`/dev/stdout`, `/proc/self/fd/1`): opened
    /// and written straight through, since renaming over it would replace the pipe or
    /// device with a file (as root, even `/dev/null`).
    Stream,
}

/// Whether `link` is one of the kernel's links to an open descriptor (`/dev/fd/N`,
/// `/proc/PID/fd/N`): it names what the descriptor is open on, which may be a pipe, a
/// terminal or a file the shell opened for appending, never a file to replace.
fn names_descriptor(link: &Path) -> bool {
    let Some(folder) = link.parent() else {
        return false;
    };
    folder.file_name().is_some_and(|n| n == "fd")
        && (folder.starts_with("/proc") || folder.starts_with("/dev"))
}

/// Where a write to `path` lands: its symbolic links followed one by one (a relative
/// one from the folder it is in) to the file they finally name, which need not exist
/// yet (a dangling link gets its file made, as the shell's `>` does).
pub(crate) fn destination(path: &Path) -> Result<Dest> {
    let cannot = |e: std::io::Error| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", path.display()),
        ))
    };
    let mut at = path.to_path_buf();
    // The kernel's own limit on links in a row (ELOOP).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                if names_descriptor(&at) {
                    return Ok(Dest::Stream);
                }
                let to = std::fs::read_link(&at).map_err(cannot)?;
                at = folder_of(&at).join(to);
            }
            Ok(meta) if meta.is_file() || meta.is_dir() => return Ok(Dest::File(at)),
            Ok(_) => return Ok(Dest::Stream),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Dest::File(at)),
            Err(e) => return Err(cannot(e)),
        }
    }
    Err(cannot(std::io::Error::other(
        "too many levels of symbolic links",
    )))
}

/// Whether a write to `path` goes straight through (a pipe, a device, `/dev/stdout`)
/// rather than into a file: the CLI then keeps stdout for the data itself.
pub fn writes_through(path: &Path) -> bool {
    matches!(destination(path), Ok(Dest::Stream))
}

/// Writes `bytes` to `path` atomically (write aside, fsync, rename), after
/// [`check_output`]: an open database (or its side files) is never overwritten. See
/// [`write_atomic_with`] for links, pipes and devices.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |out| Ok(out.write_all(bytes)?))
}

/// [`write_atomic`] of what `write` writes, streamed (a big export is never held in
/// memory whole). When `write` fails, the file is left as it was. A symbolic link is
/// followed: the file it names is written aside and replaced, the link stays. A pipe or
/// device is written straight through (nothing to write aside or rename; a failure
/// midway leaves what was already written).
pub fn write_atomic_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    check_output(path)?;
    let cannot = |e: std::io::Error| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", path.display()),
        ))
    };
    let target = match destination(path)? {
        Dest::File(target) => target,
        Dest::Stream => return write_through(path, write),
    };
    let dir = folder_of(&target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let file = match std::fs::File::create(&tmp) {
        Ok(file) => file,
        Err(e) => return Err(cannot(e)),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let result = write(&mut out).and_then(|value| {
        let file = out.into_inner().map_err(|e| cannot(e.into_error()))?;
        file.sync_all().map_err(cannot)?;
        std::fs::rename(&tmp, &target).map_err(cannot)?;
        Ok(value)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes what `write` writes into `path` as it is opened (a pipe, a device, an open
/// descriptor), without a file aside. A regular file reached through a descriptor
/// (`-o /dev/stdout >> log`) is appended to, as writing to the descriptor would.
pub(crate) fn write_through<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let cannot = |e: std::io::Error| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", path.display()),
        ))
    };
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    let file = std::fs::OpenOptions::new()
        .write(true)
        .append(regular)
        .open(path)
        .map_err(cannot)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let value = write(&mut out)?;
    out.flush().map_err(cannot)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links are followed one by one (a relative one from its own folder) to the file
    /// they name, existing or not; a pipe and an open descriptor are written through.
    #[test]
    fn destination_follows_links_and_streams_what_is_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        std::fs::create_dir(at("sub")).unwrap();
        std::fs::write(at("sub/real.csv"), "old").unwrap();
        std::os::unix::fs::symlink("real.csv", at("sub/rel.csv")).unwrap();
        std::os::unix::fs::symlink(at("sub/rel.csv"), at("chain.csv")).unwrap();
        std::os::unix::fs::symlink("sub/later.csv", at("dangling.csv")).unwrap();
        std::os::unix::fs::symlink("loop.csv", at("loop.csv")).unwrap();
        assert_eq!(
            destination(&at("chain.csv")).unwrap(),
            Dest::File(at("sub/real.csv"))
        );
        assert_eq!(
            destination(&at("dangling.csv")).unwrap(),
            Dest::File(at("sub/later.csv"))
        );
        assert_eq!(
            destination(&at("new.csv")).unwrap(),
            Dest::File(at("new.csv"))
        );
        assert!(destination(&at("loop.csv")).is_err());
        let fifo = at("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert_eq!(destination(&fifo).unwrap(), Dest::Stream);
        assert_eq!(destination(Path::new("/dev/null")).unwrap(), Dest::Stream);
        assert_eq!(destination(Path::new("/dev/stdout")).unwrap(), Dest::Stream);

        write_atomic(&at("chain.csv"), b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(at("chain.csv"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(at("sub/real.csv")).unwrap(), "new");
        write_atomic(&at("dangling.csv"), b"made").unwrap();
        assert_eq!(
            std::fs::read_to_string(at("sub/later.csv")).unwrap(),
            "made"
        );
    }
}
