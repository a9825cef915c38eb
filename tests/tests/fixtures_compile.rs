//! The snapshot fixtures compile: each fixture spec is generated into a crate of its own (with
//! the hand-written runtime of the real client), and all of them are checked with
//! `cargo clippy -D warnings` in one throwaway workspace in the target folder, with the examples of
//! their operations' docs (type-checked as the client's `tests/operation_examples.rs` does).

use std::fs;
use std::path::PathBuf;
use workspace_tests::{root, target_dir, ScratchWorkspace};

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
                "extern crate fixture_{name} as telnyx;\n\n#[allow(dead_code, deprecated)]\n#[path = \"generated/operation_examples.rs\"]\nmod operation_examples;\n"
            ),
        )
        .unwrap();
    }
    work.finish();
    work.cargo(
        // Every resource, without `round_trip`: each type with only the serde impls its
        // direction needs, as users build it.
        &[
            "clippy",
            "--offline",
            "--workspace",
            "--all-targets",
            "--features",
            "full",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        "the code generated for the fixtures does not pass clippy",
    );
}

/// A call into a resource whose feature is off does not compile, and the error names the feature
/// to turn on (rustc alone would say "no method named `managed_accounts`"); with the feature on,
/// the same program compiles.
#[test]
fn a_resource_whose_feature_is_off_names_the_feature() {
    let mut work = ScratchWorkspace::new("feature-off");
    let generated =
        generator::generate(&root().join("specs/fixtures/resources.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let dir = work.add("resources", "fixture", &generated, "\n[[bin]]\nname = \"off\"\npath = \"off.rs\"\n");
    fs::write(
        dir.join("off.rs"),
        "fn main() {\n    let client = fixture_resources::Client::new(\"key\").unwrap();\n    \
         let _ = client.managed_accounts().actions();\n}\n",
    )
    .unwrap();
    work.finish();
    let check = |features: &[&str]| {
        let out = std::process::Command::new(env!("CARGO"))
            .args(["check", "--offline", "--quiet", "--bin", "off", "--no-default-features", "--features"])
            .arg(features.join(","))
            .env("CARGO_TARGET_DIR", target_dir())
            .current_dir(&work.dir)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, stderr) = check(&["number_orders"]);
    assert!(!ok, "a call into `managed_accounts` compiled without its feature");
    assert!(
        stderr.contains("`Client::managed_accounts` needs the cargo feature `managed_accounts`, which is off")
            && stderr.contains("features = [\"managed_accounts\"]"),
        "the error does not name the feature:\n{stderr}"
    );
    let (ok, stderr) = check(&["managed_accounts"]);
    assert!(ok, "with its feature on, the call does not compile:\n{stderr}");
}
