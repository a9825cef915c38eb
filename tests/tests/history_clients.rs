//! Across versions, the other way round from `generated-client/tests/examples.rs` (where the
//! pinned client reads the older specs' examples): the clients generated from the older specs in
//! `../shared/specs/telnyx/history/` read the pinned spec's examples, as a user still on an older
//! release of the crate would read what today's API sends.
//!
//! Each older spec is generated into a crate of its own under `<target>/history-clients/`, with
//! the real client's runtime, and with a row in its example table for every pointer at which the
//! pinned spec has an example (`Options::example_sites`): the type that crate gives that schema
//! or response body. A small binary of each crate decodes the pinned examples at those pointers,
//! leniently (nothing may fail) and strictly (counted), and prints one line per example.

#[path = "../../generated-client/tests/common/found.rs"]
mod found;

use found::Found;
use std::collections::BTreeSet;
use std::path::PathBuf;
use workspace_tests::{pinned_spec, root, target_dir, ScratchWorkspace};

/// The binary of each crate: decodes the examples in the JSON file it is given
/// (`[[pointer, [value, ...]], ...]`) with the crate's types, one line per example, its fields
/// apart by tabs (a pointer may hold spaces): `ok <pointer>#<i> <corrections> <strict: ok|fail>`,
/// `fail <pointer>#<i> <error>`, or `untyped <pointer> <count>` where this spec has no schema
/// at that pointer.
const DECODER: &str = r#"//! Decodes the pinned spec's examples with this older client's types.
#[allow(unused_imports)]
use LIB::{resources, types, FilePart};
use LIB::DecodeMode;

#[path = "tests/generated/example_table.rs"]
mod table;

type Check = fn(&[u8], DecodeMode) -> Result<usize, String>;

fn check<T: serde::de::DeserializeOwned>(json: &[u8], mode: DecodeMode) -> Result<usize, String> {
    LIB::decode_json_with::<T>(json, mode).map(|d| d.corrections.len()).map_err(|e| e.to_string())
}

fn main() {
    let path = std::env::args().nth(1).expect("the file of examples");
    let text = std::fs::read(&path).expect("the file of examples");
    let examples: Vec<(String, Vec<serde_json::Value>)> = serde_json::from_slice(&text).expect("examples");
    let table: std::collections::HashMap<&str, Check> = table::EXAMPLES.iter().copied().collect();
    for (pointer, values) in &examples {
        let Some(check) = table.get(pointer.as_str()) else {
            println!("untyped\t{pointer}\t{}", values.len());
            continue;
        };
        for (i, value) in values.iter().enumerate() {
            let bytes = serde_json::to_vec(value).unwrap();
            match check(&bytes, DecodeMode::Lenient) {
                Ok(n) => {
                    let strict = if check(&bytes, DecodeMode::Strict).is_ok() { "ok" } else { "fail" };
                    println!("ok\t{pointer}#{i}\t{n}\t{strict}");
                }
                Err(e) => println!("fail\t{pointer}#{i}\t{e}"),
            }
        }
    }
}
"#;

/// What one older client made of the pinned examples.
#[derive(Default)]
struct Counts {
    examples: usize,
    untyped: usize,
    exact: usize,
    corrected: usize,
    corrections: usize,
    strict_fails: usize,
    failures: Vec<String>,
}

impl Counts {
    fn read(output: &str) -> Counts {
        let mut c = Counts::default();
        for line in output.lines() {
            let mut words = line.splitn(3, '\t');
            let (kind, at, rest) = (words.next(), words.next().unwrap_or(""), words.next().unwrap_or(""));
            match kind {
                Some("untyped") => c.untyped += rest.parse::<usize>().expect("a count"),
                Some("ok") => {
                    c.examples += 1;
                    let (n, strict) = rest.split_once('\t').expect("corrections and strict outcome");
                    match n.parse::<usize>().expect("a count") {
                        0 => c.exact += 1,
                        n => {
                            c.corrected += 1;
                            c.corrections += n;
                        }
                    }
                    c.strict_fails += usize::from(strict == "fail");
                }
                Some("fail") => {
                    c.examples += 1;
                    c.failures.push(format!("{at}: {rest}"));
                }
                _ => panic!("unexpected line from the decoder: {line}"),
            }
        }
        c
    }
}

#[test]
fn the_older_clients_decode_the_examples_of_the_pinned_spec() {
    let history = root().join("../shared/specs/telnyx/history");
    let Ok(entries) = std::fs::read_dir(&history) else {
        panic!("no older specs at {} (the `shared` folder beside the repository)", history.display())
    };
    let mut specs: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    specs.retain(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml" || x == "json"));
    specs.sort();
    assert!(!specs.is_empty(), "no older specs in {}", history.display());

    let pinned = pinned_spec();
    let doc = generator::load::load(&pinned).unwrap_or_else(|e| panic!("{e}"));
    let found = Found::document(&doc);
    let sites: BTreeSet<String> = found.examples.iter().map(|(p, _)| p.clone()).collect();

    let mut work = ScratchWorkspace::new("history-clients");
    let examples = work.dir.join("pinned-examples.json");
    std::fs::write(&examples, serde_json::to_vec(&found.examples).unwrap()).unwrap();
    let names = root().join("specs/telnyx.names");
    let mut bins = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let name = format!("v{}", stem.replace('-', "_"));
        // As `cargo xtask changes` reads an older spec: the names file, less what it lacks.
        let options = generator::Options {
            names: Some(&names),
            names_skip_missing: true,
            example_sites: Some(&sites),
            ..Default::default()
        };
        let generated = generator::generate_with(spec, options).unwrap_or_else(|e| panic!("{e}"));
        let bin = format!("decode-pinned-examples-{name}");
        let tail = format!("[[bin]]\nname = \"{bin}\"\npath = \"decoder.rs\"\ntest = false\n");
        let dir = work.add(&name, "telnyx", &generated, &tail);
        std::fs::write(dir.join("decoder.rs"), DECODER.replace("LIB", &format!("telnyx_{name}"))).unwrap();
        bins.push((stem, bin));
    }
    // The three clients are built without debug info, as the real one is.
    work.finish();
    // Every resource, and both serde impls: an example may be of a type the client only sends.
    work.cargo(
        &["build", "--offline", "--workspace", "--bins", "--all-features", "--quiet"],
        "the older clients do not build",
    );

    let mut lines = Vec::new();
    let mut failures = Vec::new();
    for (stem, bin) in &bins {
        let out = std::process::Command::new(target_dir().join("debug").join(bin)).arg(&examples).output().unwrap();
        assert!(out.status.success(), "{bin}: {}", String::from_utf8_lossy(&out.stderr));
        let c = Counts::read(&String::from_utf8(out.stdout).unwrap());
        lines.push(format!(
            "{stem}: {} examples ({} more at schemas it lacks), {} decode as they are, {} with {} corrections \
             ({} fail strictly), {} fail",
            c.examples,
            c.untyped,
            c.exact,
            c.corrected,
            c.corrections,
            c.strict_fails,
            c.failures.len()
        ));
        failures.extend(c.failures.iter().map(|f| format!("{stem}: {f}")));
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "the pinned spec's examples, read by the older clients: {}", lines.join("; "));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures[..failures.len().min(40)].join("\n"));
}
