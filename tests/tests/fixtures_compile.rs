//! The snapshot fixtures compile: each fixture spec is generated into a crate of its own (with
//! the hand-written runtime of the real client), and all of them are checked with
//! `cargo clippy -D warnings` in one throwaway workspace under `target/`, with the examples of
//! their operations' docs (type-checked as the client's `tests/operation_examples.rs` does).

use std::fs;
use std::path::PathBuf;
use workspace_tests::{root, ScratchWorkspace};

#[test]
fn every_fixture_compiles_cleanly() {
    let mut work = ScratchWorkspace::new("fixture-crates");
    let mut fixtures: Vec<PathBuf> =
        fs::read_dir(root().join("specs/fixtures")).unwrap().flatten().map(|e| e.path()).collect();
    fixtures.sort();
    for spec in &fixtures {
        let name = spec.file_stem().unwrap().to_string_lossy().replace('-', "_");
        let generated = generator::generate(spec).unwrap_or_else(|e| panic!("{e}"));
        let dir = work.add(&name, "fixture", &generated, "");
        // The operations' doc examples, as the client's own test compiles them.
        fs::create_dir_all(dir.join("tests")).unwrap();
        fs::write(
            dir.join("tests/operation_examples.rs"),
            format!(
                "extern crate fixture_{name} as telnyx;\n\n#[allow(dead_code, deprecated)]\n#[path = \"../src/generated/operation_examples.rs\"]\nmod operation_examples;\n"
            ),
        )
        .unwrap();
    }
    work.finish("");
    work.cargo(
        &["clippy", "--offline", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"],
        "the code generated for the fixtures does not pass clippy",
    );
}
