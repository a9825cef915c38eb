//! The whole, real Telnyx spec: every operation generated, deterministically, and the
//! committed client up to date. Reads the spec from `../shared` (or `TELNYX_SPEC`).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn spec() -> PathBuf {
    std::env::var_os("TELNYX_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/specs/telnyx/openapi.yml"))
}

#[test]
fn whole_spec_generates_every_operation_deterministically() {
    let spec = spec();
    let first = generator::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let api = &first.api;
    assert_eq!(api.operations.len(), 1156, "every operation of the spec is generated");
    assert_eq!(api.webhooks.len(), 66);
    assert!(api.types.len() >= 1875, "every component schema is a type");

    // Every operation has a resource chain and a method name, unique per resource.
    let mut seen = std::collections::HashSet::new();
    for op in &api.operations {
        assert!(!op.resource.is_empty() && !op.name.is_empty(), "{} {} has no name", op.method, op.path);
        assert!(seen.insert((op.resource.clone(), op.name.clone())), "{:?}.{} is used twice", op.resource, op.name);
    }
    // The duplicated operationId becomes two distinct methods.
    let dup: Vec<_> = api.operations.iter().filter(|o| o.operation_id == "ListPhoneNumbers").collect();
    assert_eq!(dup.len(), 2);
    assert_ne!((&dup[0].resource, &dup[0].name), (&dup[1].resource, &dup[1].name));

    let second = generator::generate(&spec).unwrap();
    assert!(first.files == second.files, "two runs on the same spec give byte-identical output");

    let dir = root().join("generated-client").join(generator::GENERATED_DIR);
    let stale = generator::output::stale(&dir, &first.files);
    assert!(stale.is_empty(), "the committed client is stale; run `cargo xtask codegen`: {stale:?}");
}

#[test]
fn older_specs_generate_too() {
    // The 2024 and 2025 specs are OpenAPI 3.0; the 2026-06 one is 3.1.
    let history = spec().parent().unwrap().join("history");
    let Ok(entries) = std::fs::read_dir(&history) else { return };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let g = generator::generate(&f).unwrap_or_else(|e| panic!("{e}"));
        assert!(g.api.operations.len() > 100, "{}: {}", f.display(), g.summary());
    }
}
