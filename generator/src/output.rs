//! Stage 6: write the generated files atomically, or compare them with what is on disk.
//!
//! Writing builds the whole tree in a sibling temporary folder, then swaps it in with two
//! renames, so a failed run never leaves a half-written client behind. Files whose contents
//! did not change are hard-linked into that tree rather than written again (a new spec changes
//! few files), and a tree that is already up to date is not touched at all.

use crate::emit::File;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What [`write`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Unchanged files carried over by hard link.
    pub linked: usize,
    /// Files of the previous tree that are gone.
    pub removed: usize,
}

/// Replaces `dir` with exactly `files`.
pub fn write(dir: &Path, files: &[File]) -> Result<WriteStats> {
    let stale = stale(dir, files);
    if stale.is_empty() && dir.exists() {
        return Ok(WriteStats { linked: files.len(), ..WriteStats::default() });
    }
    let expected: BTreeSet<PathBuf> = files.iter().map(|f| dir.join(&f.path)).collect();
    let mut stats =
        WriteStats { removed: stale.iter().filter(|p| !expected.contains(*p)).count(), ..WriteStats::default() };
    let changed: BTreeSet<&PathBuf> = stale.iter().collect();
    let parent = dir.parent().unwrap_or(Path::new("."));
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    let staging = parent.join(format!(".{name}.tmp"));
    let old = parent.join(format!(".{name}.old"));
    let io = |path: &Path, e: std::io::Error| Error::new(path, "", format!("cannot write: {e}"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| io(leftover, e))?;
        }
    }
    for f in files {
        let path = staging.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        let current = dir.join(&f.path);
        if !changed.contains(&current) && fs::hard_link(&current, &path).is_ok() {
            stats.linked += 1;
            continue;
        }
        fs::write(&path, &f.contents).map_err(|e| io(&path, e))?;
        stats.written += 1;
    }
    if dir.exists() {
        fs::rename(dir, &old).map_err(|e| io(dir, e))?;
    }
    if let Err(e) = fs::rename(&staging, dir) {
        // Put the previous tree back before reporting.
        let _ = fs::rename(&old, dir);
        return Err(io(dir, e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
    }
    Ok(stats)
}

/// `manifest` with the text from the line `begin` through the line `end` replaced by `block`
/// (which carries both lines). The rest of the manifest is left exactly as it was.
pub fn splice(path: &Path, manifest: &str, begin: &str, end: &str, block: &str) -> Result<String> {
    let missing = |what: &str| {
        Error::new(path, "", format!("no line `{what}`: put the two marker lines where the generated block goes"))
    };
    let start = manifest.find(&format!("{begin}\n")).ok_or_else(|| missing(begin))?;
    let stop = manifest[start..].find(&format!("{end}\n")).ok_or_else(|| missing(end))? + start + end.len() + 1;
    Ok(format!("{}{block}{}", &manifest[..start], &manifest[stop..]))
}

/// Writes `contents` to `path` through a temporary file and a rename, so it is never half-written.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, contents.as_ref())
        .and_then(|_| fs::rename(&tmp, path))
        .map_err(|e| Error::new(path, "", format!("cannot write: {e}")))
}

/// The files under `dir` that differ from `files`: changed, missing or extra. Writes nothing.
pub fn stale(dir: &Path, files: &[File]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut expected = BTreeSet::new();
    for f in files {
        let path = dir.join(&f.path);
        expected.insert(path.clone());
        match fs::read_to_string(&path) {
            Ok(existing) if existing == f.contents => {}
            _ => out.push(path),
        }
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !expected.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_the_block() {
        let p = Path::new("Cargo.toml");
        let m = "[package]\nname = \"x\"\n# b\nold\n# e\n[dependencies]\n";
        assert_eq!(
            splice(p, m, "# b", "# e", "# b\nnew\n# e\n").unwrap(),
            "[package]\nname = \"x\"\n# b\nnew\n# e\n[dependencies]\n"
        );
        let e = splice(p, "[package]\n", "# b", "# e", "").unwrap_err();
        assert!(e.to_string().contains("Cargo.toml") && e.message.contains("# b"), "{e}");
    }

    #[test]
    fn write_replaces_and_check_detects() {
        let root = std::env::temp_dir().join(format!("telnyx-codegen-out-{}", std::process::id()));
        let dir = root.join("generated");
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(dir.join("old")).unwrap();
        fs::write(dir.join("old/extra.rs"), "x").unwrap();
        let files = vec![File { path: "a/b.rs".into(), contents: "b".into() }];
        assert_eq!(stale(&dir, &files).len(), 2, "missing b.rs and extra old/extra.rs");
        assert_eq!(write(&dir, &files).unwrap(), WriteStats { written: 1, linked: 0, removed: 1 });
        assert!(stale(&dir, &files).is_empty());
        assert!(!dir.join("old").exists());
        assert!(!root.join(".generated.tmp").exists() && !root.join(".generated.old").exists());
        let changed = vec![File { path: "a/b.rs".into(), contents: "c".into() }];
        assert_eq!(stale(&dir, &changed), vec![dir.join("a/b.rs")]);
        // Up to date: nothing is touched.
        assert_eq!(write(&dir, &files).unwrap(), WriteStats { written: 0, linked: 1, removed: 0 });
        // One change among unchanged files: only it is written.
        let two = vec![files[0].clone(), File { path: "c.rs".into(), contents: "c".into() }];
        write(&dir, &two).unwrap();
        let three = vec![files[0].clone(), File { path: "c.rs".into(), contents: "changed".into() }];
        assert_eq!(write(&dir, &three).unwrap(), WriteStats { written: 1, linked: 1, removed: 0 });
        assert_eq!(fs::read_to_string(dir.join("c.rs")).unwrap(), "changed");
        assert_eq!(fs::read_to_string(dir.join("a/b.rs")).unwrap(), "b");
        fs::remove_dir_all(&root).unwrap();
    }
}
