//! The runtime crate is in layers (`runtime/src/lib.rs` lists them: `// 1. values`, then its
//! modules, and so on): a module may use its own layer and those listed before it, never one
//! after. A reference through a root re-export (`crate::Error`) counts as one to the module the
//! re-export comes from. What it reads is `crate::` paths: a method that a later layer adds to a
//! type of an earlier one (`receive.rs` adds `send_json` to the transport's `RequestBuilder`) and
//! that an earlier module called by name would not be seen.

use std::collections::BTreeMap;
use workspace_tests::root;

/// Each module's layer (1 is the lowest), and the module each root re-export comes from.
fn layers() -> (BTreeMap<String, usize>, BTreeMap<String, String>) {
    let lib = std::fs::read_to_string(root().join("runtime/src/lib.rs")).unwrap();
    let mut layer = 0;
    let mut modules = BTreeMap::new();
    for line in lib.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("// ") {
            if let Some((n, _)) = rest.split_once(". ") {
                if let Ok(n) = n.parse::<usize>() {
                    assert_eq!(n, layer + 1, "the layers of runtime/src/lib.rs are numbered in order");
                    layer = n;
                }
            }
            continue;
        }
        let item = line.strip_prefix("pub ").unwrap_or(line);
        if let Some(name) = item.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
            assert!(layer > 0, "`mod {name}` comes before the first layer");
            modules.insert(name.to_string(), layer);
        }
    }
    let file = syn::parse_file(&lib).unwrap();
    let mut reexports = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Use(u) = item else { continue };
        let syn::UseTree::Path(p) = &u.tree else { continue };
        let module = p.ident.to_string();
        if !modules.contains_key(&module) {
            continue; // a dependency (`pub use bytes;`)
        }
        let mut names = Vec::new();
        collect_names(&p.tree, &mut names);
        for name in names {
            reexports.insert(name, module.clone());
        }
    }
    (modules, reexports)
}

fn collect_names(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_names(t, out)),
        syn::UseTree::Path(p) => collect_names(&p.tree, out),
        syn::UseTree::Glob(_) => {}
    }
}

/// The `crate::x` paths of a source file outside comments (with `use crate::{a, b::{C, D}}`
/// read as `crate::a` and `crate::b`).
fn crate_paths(source: &str) -> Vec<String> {
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| l.split(" // ").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            out.extend(top_level(group).into_iter().map(|s| ident(s.trim())).filter(|s| !s.is_empty()));
        } else {
            out.push(ident(rest));
        }
    }
    out
}

/// The comma-separated items of a `{...}` group up to its closing brace, nested groups kept
/// inside their item.
fn top_level(group: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0, 0, Vec::new());
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

#[test]
fn no_runtime_module_uses_a_layer_above_its_own() {
    let (modules, reexports) = layers();
    assert!(modules.len() >= 15, "{modules:?}");
    let mut upward = Vec::new();
    let mut references = 0;
    for (module, &layer) in &modules {
        let source = std::fs::read_to_string(root().join(format!("runtime/src/{module}.rs"))).unwrap();
        for name in crate_paths(&source) {
            let target = match modules.get(&name) {
                Some(_) => name.clone(),
                None => match reexports.get(&name) {
                    Some(m) => m.clone(),
                    None => panic!(
                        "runtime/src/{module}.rs uses `crate::{name}`, which is neither a module nor a re-export"
                    ),
                },
            };
            references += 1;
            if modules[&target] > layer {
                upward.push(format!(
                    "{module} (layer {layer}) uses crate::{name} ({target}, layer {})",
                    modules[&target]
                ));
            }
        }
    }
    assert!(references > 50, "only {references} references found: is the scan broken?");
    assert!(upward.is_empty(), "references to a higher layer:\n{}", upward.join("\n"));
    let count = modules.values().max().copied().unwrap_or(0);
    println!(
        "runtime layers: {} modules in {count} layers, {references} references between them, none upward",
        modules.len()
    );
}

#[test]
fn the_scan_sees_groups_re_exports_and_skips_comments() {
    let paths =
        crate_paths("use crate::{a, b::C};\n// crate::hidden\nlet x = crate::Error::Api; // crate::hidden_too\nuse crate::{c::{D, E}, f::G};\n");
    assert_eq!(paths, ["a", "b", "Error", "c", "f"]);
}
