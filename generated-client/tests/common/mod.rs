//! Reading the spec in the tests that check the client against it: `TELNYX_SPEC`,
//! `specs/telnyx/openapi.yml` (stored by `cargo xtask update-spec`), or
//! `../shared/specs/telnyx/openapi.yml` beside the repository, like `cargo xtask codegen`.

#[allow(dead_code)]
pub mod found;
#[allow(dead_code)]
pub mod schema;

#[allow(unused_imports)]
pub use found::{follow, MAX_HOPS};

use serde_json::Value;
use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The spec, parsed.
pub fn spec() -> Value {
    let stored = root().join("specs/telnyx/openapi.yml");
    let path = match std::env::var_os("TELNYX_SPEC") {
        Some(p) => PathBuf::from(p),
        None if stored.is_file() => stored,
        None => root().join("../shared/specs/telnyx/openapi.yml"),
    };
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the spec at {} (set TELNYX_SPEC): {e}", path.display()));
    serde_yaml::from_str(&text).expect("the spec parses")
}

/// The JSON pointer of what the value at `ptr` names after following its `$ref`s.
#[allow(dead_code)]
pub fn follow_pointer(doc: &Value, mut ptr: String) -> String {
    for _ in 0..MAX_HOPS {
        let target =
            doc.pointer(&ptr).and_then(|p| p.get("$ref")).and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
        match target {
            Some(t) if doc.pointer(t).is_some() => ptr = t.to_string(),
            _ => break,
        }
    }
    ptr
}
