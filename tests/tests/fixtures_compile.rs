//! The snapshot fixtures compile: each fixture spec is generated into a crate of its own (with
//! the hand-written runtime of the real client), and all of them are checked with
//! `cargo clippy -D warnings` in one throwaway workspace under `target/`.

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
        work.add(&name, "fixture", &generated, "");
    }
    work.finish("");
    work.cargo(
        &["clippy", "--offline", "--workspace", "--quiet", "--", "-D", "warnings"],
        "the code generated for the fixtures does not pass clippy",
    );
}
