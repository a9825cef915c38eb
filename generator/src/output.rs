//! Stage 6: write the generated files atomically, or compare them with what is on disk.
//!
//! Writing builds the whole tree in a sibling temporary folder, then swaps it in with two
//! renames, so a failed run never leaves a half-written client behind.

use crate::emit::File;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Replaces `dir` with exactly `files`.
pub fn write(dir: &Path, files: &[File]) -> Result<()> {
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
        fs::write(&path, &f.contents).map_err(|e| io(&path, e))?;
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
    Ok(())
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
    fn write_replaces_and_check_detects() {
        let root = std::env::temp_dir().join(format!("telnyx-codegen-out-{}", std::process::id()));
        let dir = root.join("generated");
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(dir.join("old")).unwrap();
        fs::write(dir.join("old/extra.rs"), "x").unwrap();
        let files = vec![File { path: "a/b.rs".into(), contents: "b".into() }];
        assert_eq!(stale(&dir, &files).len(), 2, "missing b.rs and extra old/extra.rs");
        write(&dir, &files).unwrap();
        assert!(stale(&dir, &files).is_empty());
        assert!(!dir.join("old").exists());
        assert!(!root.join(".generated.tmp").exists() && !root.join(".generated.old").exists());
        let changed = vec![File { path: "a/b.rs".into(), contents: "c".into() }];
        assert_eq!(stale(&dir, &changed), vec![dir.join("a/b.rs")]);
        fs::remove_dir_all(&root).unwrap();
    }
}
