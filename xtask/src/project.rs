//! Where things are: the workspace root and cargo's target directory (which honours
//! `CARGO_TARGET_DIR` and `build.target-dir`, because cargo itself reports it).

use std::path::{Path, PathBuf};

use crate::cmd;
use crate::error::{Result, bail};

pub struct Project {
    pub root: PathBuf,
    pub target_dir: PathBuf,
}

impl Project {
    /// Asks `cargo metadata` for the workspace root and the target directory.
    pub fn locate() -> Result<Project> {
        let mut metadata = cmd::cargo();
        metadata.args(["metadata", "--format-version", "1", "--no-deps"]);
        let json = cmd::read(&mut metadata)?;
        let (Some(root), Some(target_dir)) = (
            json_string_field(&json, "workspace_root"),
            json_string_field(&json, "target_directory"),
        ) else {
            bail!("`cargo metadata` did not report workspace_root and target_directory");
        };
        Ok(Project {
            root: root.into(),
            target_dir: target_dir.into(),
        })
    }

    pub fn ui_dir(&self) -> PathBuf {
        self.root.join("ui")
    }

    pub fn bindings_dir(&self) -> PathBuf {
        self.root.join("ui/src/bindings")
    }

    /// A debug binary of the workspace, e.g. `exdesk` or `exchange-desk`.
    pub fn debug_bin(&self, name: &str) -> PathBuf {
        self.target_dir.join("debug").join(name)
    }

    pub fn release_bin(&self, name: &str) -> PathBuf {
        self.target_dir.join("release").join(name)
    }

    /// A scratch directory of xtask's own inside the target directory.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.target_dir.join("xtask").join(name)
    }
}

/// The string value of `"key":"..."` in compact JSON such as cargo's. Enough for the two
/// paths we need from `cargo metadata` without a JSON dependency: serde_json escapes only
/// quotes, backslashes and control characters, and leaves other characters as UTF-8.
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'b' => value.push('\u{8}'),
                'f' => value.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
}

/// The newest modification time of `path`, or `None` when it does not exist.
pub fn modified(path: &Path) -> Option<std::time::SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::json_string_field;

    #[test]
    fn reads_cargo_metadata_paths() {
        let json = r#"{"packages":[],"target_directory":"/home/a \"b\"\\c/target","version":1,"workspace_root":"/home/ünï"}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some(r#"/home/a "b"\c/target"#)
        );
        assert_eq!(
            json_string_field(json, "workspace_root").as_deref(),
            Some("/home/ünï")
        );
        assert_eq!(json_string_field(json, "missing"), None);
    }
}
