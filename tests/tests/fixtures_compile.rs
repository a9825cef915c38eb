//! The snapshot fixtures compile: each fixture spec is generated into a crate of its own (with
//! the hand-written runtime of the real client), and all of them are checked with
//! `cargo clippy -D warnings` in one throwaway workspace under `target/`.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The text of one `[section]` of a TOML file, up to the next section.
fn section(toml: &str, name: &str) -> String {
    let header = format!("[{name}]\n");
    let start = toml.find(&header).unwrap_or_else(|| panic!("no [{name}]")) + header.len();
    let rest = &toml[start..];
    let end = rest.find("\n[").map_or(rest.len(), |i| i + 1);
    rest[..end].to_string()
}

fn copy_dir_files(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn every_fixture_compiles_cleanly() {
    let root = root();
    let work = root.join("target").join("fixture-crates");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).unwrap();

    let workspace_toml = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let client_toml = fs::read_to_string(root.join("generated-client/Cargo.toml")).unwrap();
    let deps = section(&client_toml, "dependencies");

    let mut fixtures: Vec<PathBuf> =
        fs::read_dir(root.join("specs/fixtures")).unwrap().flatten().map(|e| e.path()).collect();
    fixtures.sort();
    let mut members = Vec::new();
    for spec in &fixtures {
        let name = spec.file_stem().unwrap().to_string_lossy().replace('-', "_");
        let dir = work.join(&name);
        copy_dir_files(&root.join("generated-client/src"), &dir.join("src"));
        let generated = generator::generate(spec).unwrap_or_else(|e| panic!("{e}"));
        generator::output::write(&dir.join(generator::GENERATED_DIR), &generated.files).unwrap();
        fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"fixture-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\nname = \"fixture_{name}\"\ndoctest = false\n\n{}\n[dependencies]\n{deps}",
                generated.features_toml
            ),
        )
        .unwrap();
        members.push(format!("\"{name}\""));
    }
    fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[workspace.package]\n{}\n[workspace.dependencies]\n{}",
            members.join(", "),
            section(&workspace_toml, "workspace.package"),
            section(&workspace_toml, "workspace.dependencies"),
        ),
    )
    .unwrap();
    // The same lock file as the real workspace, so that nothing is resolved anew.
    fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).unwrap();

    let out = std::process::Command::new(env!("CARGO"))
        .args(["clippy", "--offline", "--workspace", "--quiet", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(&work)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the code generated for the fixtures does not pass clippy:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
