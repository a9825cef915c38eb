//! The pin of the Telnyx spec (`specs/telnyx.pin`): where the spec the committed client is
//! generated from comes from, and what exactly it is (SHA-256, size, `info.version`, operation
//! count), so that a fresh clone can fetch it and check it, and a new spec is a small diff.
//!
//! The spec itself stays out of git: `update-spec` stores it in `specs/telnyx/openapi.yml`
//! (git-ignored), and codegen reads that, else the copy in `../shared`.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where `update-spec` stores the spec, relative to the workspace root (git-ignored).
pub const STORED_SPEC: &str = "specs/telnyx/openapi.yml";

/// The copy beside the repository, read when nothing is stored.
const SHARED_SPEC: &str = "../shared/specs/telnyx/openapi.yml";

pub fn path(root: &Path) -> PathBuf {
    root.join("specs").join("telnyx.pin")
}

/// The spec codegen reads without `--spec`: `TELNYX_SPEC` if set, else the stored copy, else
/// the shared one; an error in one line when there is none.
pub fn spec_path(root: &Path) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("TELNYX_SPEC") {
        return Ok(PathBuf::from(p));
    }
    local_spec(root).ok_or_else(|| {
        format!(
            "no spec: neither {STORED_SPEC} nor {SHARED_SPEC} exists; run `cargo xtask update-spec` to fetch the pinned one"
        )
    })
}

/// The stored copy of the spec, else the shared one, if either exists.
pub fn local_spec(root: &Path) -> Option<PathBuf> {
    [root.join(STORED_SPEC), root.join(SHARED_SPEC)].into_iter().find(|p| p.is_file())
}

/// What `specs/telnyx.pin` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// An `http(s)://` URL, or a path relative to the workspace root.
    pub source: String,
    pub sha256: String,
    pub bytes: u64,
    pub version: String,
    pub operations: usize,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl Pin {
    /// The pin of a spec: its bytes and the IR generated from them.
    pub fn of(source: &str, bytes: &[u8], api: &generator::ir::Api) -> Pin {
        Pin {
            source: source.to_string(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
            version: api.version.clone(),
            operations: api.operations.len(),
        }
    }

    pub fn read(root: &Path) -> Result<Pin, String> {
        let file = path(root);
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
        Pin::parse(&text).map_err(|e| format!("{}: {e}", file.display()))
    }

    fn parse(text: &str) -> Result<Pin, String> {
        let mut fields = std::collections::BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) =
                line.split_once(" = ").ok_or_else(|| format!("line {}: expected `key = value`", i + 1))?;
            fields.insert(key.trim(), value.trim().to_string());
        }
        let mut take = |key: &str| fields.remove(key).ok_or_else(|| format!("no `{key} = ` line"));
        let pin = Pin {
            source: take("source")?,
            sha256: take("sha256")?,
            bytes: take("bytes")?.parse().map_err(|_| "`bytes` is not a number".to_string())?,
            version: take("info.version")?,
            operations: take("operations")?.parse().map_err(|_| "`operations` is not a number".to_string())?,
        };
        match fields.keys().next() {
            Some(extra) => Err(format!("unknown key `{extra}`")),
            None => Ok(pin),
        }
    }

    pub fn text(&self) -> String {
        format!(
            "# The Telnyx spec the committed client is generated from. Written by `cargo xtask update-spec`.\nsource = {}\nsha256 = {}\nbytes = {}\ninfo.version = {}\noperations = {}\n",
            self.source, self.sha256, self.bytes, self.version, self.operations
        )
    }

    pub fn write(&self, root: &Path) -> Result<(), String> {
        generator::output::write_file(&path(root), self.text()).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_text_reads_back() {
        let pin = Pin {
            source: "https://example.com/openapi.yml".into(),
            sha256: "ab".repeat(32),
            bytes: 12,
            version: "2.0.0".into(),
            operations: 3,
        };
        assert_eq!(Pin::parse(&pin.text()), Ok(pin));
    }

    #[test]
    fn the_stored_spec_comes_before_the_shared_one() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        assert_eq!(local_spec(&root), None);
        let shared = tmp.path().join("shared/specs/telnyx/openapi.yml");
        std::fs::create_dir_all(shared.parent().unwrap()).unwrap();
        std::fs::write(&shared, "a").unwrap();
        assert_eq!(local_spec(&root), Some(root.join(SHARED_SPEC)));
        let stored = root.join(STORED_SPEC);
        std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
        std::fs::write(&stored, "b").unwrap();
        assert_eq!(local_spec(&root), Some(stored));
    }

    #[test]
    fn a_damaged_pin_says_what_is_wrong() {
        assert_eq!(Pin::parse("source = a\n").unwrap_err(), "no `sha256 = ` line");
        assert_eq!(Pin::parse("source a\n").unwrap_err(), "line 1: expected `key = value`");
        let text = "source = a\nsha256 = b\nbytes = x\ninfo.version = 1\noperations = 2\n";
        assert_eq!(Pin::parse(text).unwrap_err(), "`bytes` is not a number");
        let text = "source = a\nsha256 = b\nbytes = 1\ninfo.version = 1\noperations = 2\nfile = c\n";
        assert_eq!(Pin::parse(text).unwrap_err(), "unknown key `file`");
    }
}
