//! The crate README's "Five tasks, side by side": each call site's length, in non-blank
//! characters, is counted here again and must match the table, and each of this crate's call
//! sites must be in one of the README's Rust blocks (which `cargo test --doc` compiles), so the
//! table can neither drift from the code nor show code that does not compile.

use std::path::Path;

const BEGIN: &str = "<!-- call sites: begin -->";
const END: &str = "<!-- call sites: end -->";

struct Row {
    task: String,
    rust: String,
    rust_chars: usize,
    official: String,
    official_chars: usize,
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The code in a table cell written as one inline code span.
fn code(cell: &str) -> String {
    let cell = cell.trim();
    cell.strip_prefix('`').and_then(|c| c.strip_suffix('`')).unwrap_or_else(|| panic!("not a code span: {cell}")).into()
}

fn rows(text: &str) -> Vec<Row> {
    let start = text.find(BEGIN).expect("the call-site table's begin marker") + BEGIN.len();
    let end = text.find(END).expect("its end marker");
    text[start..end]
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("| task") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split(" | ").collect();
            let [task, rust, rust_chars, official, official_chars] = cells[..] else { panic!("five cells: {l}") };
            Row {
                task: task.trim().into(),
                rust: code(rust),
                rust_chars: rust_chars.trim().parse().unwrap_or_else(|_| panic!("a count: {rust_chars}")),
                official: code(official),
                official_chars: official_chars.trim().parse().unwrap_or_else(|_| panic!("a count: {official_chars}")),
            }
        })
        .collect()
}

fn non_blank(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Every Rust code block of the README, whitespace removed, one after another.
fn rust_blocks(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("```") {
            inside = !inside && line.starts_with("```rust");
            continue;
        }
        if inside {
            out.extend(line.trim_start().trim_start_matches("# ").chars().filter(|c| !c.is_whitespace()));
        }
    }
    out
}

#[test]
fn the_call_site_table_counts_right_and_its_code_compiles() {
    let text = readme();
    let rows = rows(&text);
    assert_eq!(rows.len(), 5, "five tasks");
    let blocks = rust_blocks(&text);
    let (mut ours, mut theirs) = (0, 0);
    for row in &rows {
        assert_eq!(non_blank(&row.rust), row.rust_chars, "{}: this crate's count", row.task);
        assert_eq!(non_blank(&row.official), row.official_chars, "{}: the official SDK's count", row.task);
        let stripped: String = row.rust.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(blocks.contains(&stripped), "{}: the call site is in no Rust block of the README", row.task);
        println!(
            "call site: {}: {} characters, the official TypeScript SDK {}",
            row.task, row.rust_chars, row.official_chars
        );
        ours += row.rust_chars;
        theirs += row.official_chars;
    }
    println!("call sites: {ours} characters for the five tasks, {theirs} with the official TypeScript SDK");
}
