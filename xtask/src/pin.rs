//! The pin of the Telnyx spec: which file the committed client was generated from, and its
//! SHA-256, kept in `specs/telnyx.pin` so that a new spec shows up as a one-line diff.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The spec `codegen` reads without `--spec`: `TELNYX_SPEC` if set, else the shared copy.
pub fn default_spec(root: &Path) -> PathBuf {
    match std::env::var_os("TELNYX_SPEC") {
        Some(p) => PathBuf::from(p),
        None => root.join("..").join("shared").join("specs").join("telnyx").join("openapi.yml"),
    }
}

pub fn path(root: &Path) -> PathBuf {
    root.join("specs").join("telnyx.pin")
}

pub struct Pin {
    text: String,
}

impl Pin {
    pub fn of(spec: &Path, api: &generator::ir::Api) -> Result<Pin, generator::Error> {
        let bytes = std::fs::read(spec).map_err(|e| generator::Error::new(spec, "", format!("cannot read: {e}")))?;
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let text = format!(
            "# The Telnyx spec the committed client was generated from. Written by `cargo xtask codegen`.\nfile = {}\nsha256 = {hex}\nbytes = {}\ninfo.version = {}\noperations = {}\n",
            spec.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()),
            bytes.len(),
            api.version,
            api.operations.len()
        );
        Ok(Pin { text })
    }

    pub fn matches(&self, root: &Path) -> bool {
        std::fs::read_to_string(path(root)).is_ok_and(|t| t == self.text)
    }

    pub fn write(&self, root: &Path) -> Result<(), generator::Error> {
        generator::output::write_file(&path(root), &self.text)
    }
}
