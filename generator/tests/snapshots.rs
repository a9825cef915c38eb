//! Snapshot tests: each fixture spec in `specs/fixtures/` (one construct each) is generated and
//! its output compared with the reviewed snapshot in `tests/snapshots/`.
//! Update with `INSTA_UPDATE=always cargo test -p telnyx-codegen --test snapshots` and review.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/fixtures").join(name)
}

/// All generated files of a fixture, the shared `mod.rs` plumbing left out.
fn render(name: &str) -> String {
    let generated = generator::generate(&fixture(name)).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    let tests = generated.test_files.iter().map(|f| (format!("{}/{}", generator::TESTS_GENERATED_DIR, f.path), f));
    for (path, f) in generated.files.iter().map(|f| (f.path.clone(), f)).chain(tests) {
        if path.ends_with("mod.rs") {
            continue;
        }
        out.push_str(&format!("// ===== {path} =====\n"));
        out.push_str(f.contents.strip_prefix(generator::emit::HEADER).unwrap_or(&f.contents));
    }
    out.push_str(&format!("// ===== summary =====\n// {}\n", generated.summary()));
    for fb in &generated.api.fallbacks {
        out.push_str(&format!("// fallback at {}: {}\n", fb.pointer, fb.reason));
    }
    out
}

macro_rules! snapshot {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), render($file));
        }
    };
}

snapshot!(objects, "objects.yaml");
snapshot!(enums, "enums.yaml");
snapshot!(unions, "unions.yaml");
snapshot!(openapi31, "openapi31.yaml");
snapshot!(params, "params.yaml");
snapshot!(bodies, "bodies.yaml");
snapshot!(responses, "responses.yaml");
snapshot!(resources, "resources.yaml");
snapshot!(recursion, "recursion.yaml");
snapshot!(keywords, "keywords.yaml");
snapshot!(pagination, "pagination.yaml");
snapshot!(webhooks, "webhooks.yaml");
snapshot!(idempotency, "idempotency.yaml");
snapshot!(websockets, "websockets.yaml");

#[test]
fn resource_chains_and_method_names() {
    let api = generator::build_ir(&fixture("resources.yaml")).unwrap();
    let names: Vec<String> = api
        .operations
        .iter()
        .map(|o| format!("{} {} -> {}.{}", o.method, o.path, o.resource.join("."), o.name))
        .collect();
    let expected = [
        "POST /enterprises/{enterprise_id}/reputation -> enterprises.reputation.enable",
        "DELETE /enterprises/{enterprise_id}/reputation -> enterprises.reputation.disable",
        "GET /enterprises/{enterprise_id}/reputation -> enterprises.reputation.retrieve",
        "POST /managed_accounts/{id}/actions/enable -> managed_accounts.actions.enable",
        "GET /number_orders -> number_orders.list",
        "POST /number_orders -> number_orders.create",
        "GET /number_orders/{id} -> number_orders.retrieve",
        "PATCH /number_orders/{id} -> number_orders.update",
        "DELETE /number_orders/{id} -> number_orders.delete",
        "PATCH /sub_orders/{id}/cancel -> sub_orders.cancel",
        "GET /v2/mobile_numbers -> mobile_numbers.retrieve",
        "POST /things/{id}/clone -> things.clone_thing",
        "GET /type/{self} -> type_.retrieve",
        "GET /phone_numbers -> phone_numbers.retrieve",
        "GET /phone_numbers/list -> phone_numbers.list",
    ];
    for e in expected {
        assert!(names.iter().any(|n| n == e), "missing {e:?} in {names:#?}");
    }
}

#[test]
fn same_spec_same_bytes() {
    let a = generator::generate(&fixture("unions.yaml")).unwrap().files;
    let b = generator::generate(&fixture("unions.yaml")).unwrap().files;
    assert_eq!(a, b);
}
