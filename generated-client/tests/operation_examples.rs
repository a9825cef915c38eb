//! Every operation's doc example compiles. `tests/generated/operation_examples.rs` holds each one
//! as a function, the same text the operation's docs show (`cargo xtask codegen` writes both);
//! this test's build type-checks them all, and never runs them (they would call the API). The
//! docs leave the examples out of `cargo test --doc`: compiled one by one as doctests, 1156 of
//! them would cost CI far more than this one build.

// Formatted by the generator (as the docs show it), not by rustfmt.
#[rustfmt::skip]
#[allow(dead_code, deprecated)]
#[path = "generated/operation_examples.rs"]
mod operation_examples;

use std::path::Path;

/// The `operations = N` line of the pin: how many operations the committed client has.
fn pinned_operations() -> usize {
    let pin = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/telnyx.pin")).unwrap();
    let line = pin.lines().find_map(|l| l.strip_prefix("operations = ")).expect("the pin has an operations line");
    line.trim().parse().unwrap()
}

/// How many operations' docs in the generated resources show an example.
fn documented_examples() -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated/resources");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        count += source.matches("doc = \" # Example\\n\\n```rust\\n").count();
    }
    count
}

#[test]
fn every_operation_has_a_compiled_example_in_its_docs() {
    let operations = pinned_operations();
    let documented = documented_examples();
    println!(
        "operation examples: {operations} operations, {documented} with an example in their docs, {} compiled by this test's build",
        operation_examples::COUNT
    );
    assert_eq!(operation_examples::COUNT, operations, "every operation has a compiled example");
    assert_eq!(documented, operations, "every operation's docs show its example");
}
