//! No generated function takes two inputs of the same kind by position, so no call site can
//! swap them and still compile (`dial(connection_id, to, from)` dialling the caller). Read from
//! the committed client's source, as a user's compiler sees it: every function and method of
//! `generated-client/src/generated/` (the test tables aside), its parameters classed by kind,
//! where a `&str`, a `String`, an `impl Into<String>` and a union that converts from a `&str`
//! are one kind. An operation's one path parameter is its only positional input, so it counts
//! like any other.

use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use workspace_tests::root;

#[test]
fn no_generated_function_takes_two_inputs_of_the_same_kind_by_position() {
    let dir = root().join("generated-client/src/generated");
    let mut files = Vec::new();
    collect(&dir, &mut files);
    let parsed: Vec<(String, syn::File)> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.strip_prefix(&dir).unwrap().display().to_string(), file)
        })
        .collect();
    // The unions a string converts into (`impl From<&str> for X`).
    let mut from_str = BTreeSet::new();
    for (_, file) in &parsed {
        from_str_types(&file.items, &mut from_str);
    }
    let mut functions = Vec::new();
    for (path, file) in &parsed {
        functions_of(path, &file.items, &mut functions);
    }
    let with_inputs = functions.iter().filter(|f| !f.inputs.is_empty()).count();
    let mut swappable: Vec<String> = Vec::new();
    for f in &functions {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for ty in &f.inputs {
            *kinds.entry(kind(ty, &from_str)).or_default() += 1;
        }
        if let Some((kind, n)) = kinds.iter().find(|(_, n)| **n > 1) {
            swappable.push(format!("{}: {} ({n} inputs of kind `{kind}`)", f.file, f.name));
        }
    }
    println!(
        "positional inputs: {} of the {} generated functions with inputs take two or more of the same kind by position ({} functions read)",
        swappable.len(),
        with_inputs,
        functions.len()
    );
    assert!(functions.len() > 10_000, "the generated client was read ({} functions)", functions.len());
    assert!(swappable.is_empty(), "{}", swappable.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
}

#[test]
fn kinds_are_classed_as_a_caller_sees_them() {
    let unions: BTreeSet<String> = ["CallRequestTo".to_string()].into();
    let k = |t: &str| kind(&syn::parse_str::<syn::Type>(t).unwrap(), &unions);
    // A string, however it is taken, is one kind; a union built from one too.
    assert_eq!(k("&str"), k("impl Into<String>"));
    assert_eq!(k("String"), k("impl Into<crate::types::CallRequestTo>"));
    assert_ne!(k("&str"), k("i64"));
    assert_ne!(k("impl Into<String>"), k("impl IntoIterator<Item = impl Into<String>>"));
    assert_eq!(k("impl Into<i64>"), k("i64"));
}

struct Function {
    file: String,
    name: String,
    /// The types of its parameters, the receiver aside.
    inputs: Vec<syn::Type>,
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
}

fn inputs(sig: &syn::Signature) -> Vec<syn::Type> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(t) => Some((*t.ty).clone()),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

fn functions_of(file: &str, items: &[syn::Item], out: &mut Vec<Function>) {
    for item in items {
        match item {
            syn::Item::Fn(f) => {
                out.push(Function { file: file.into(), name: f.sig.ident.to_string(), inputs: inputs(&f.sig) })
            }
            syn::Item::Impl(i) => {
                let owner = quote_type(&i.self_ty);
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        let name = format!("{owner}::{}", f.sig.ident);
                        out.push(Function { file: file.into(), name, inputs: inputs(&f.sig) });
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    functions_of(file, items, out);
                }
            }
            _ => {}
        }
    }
}

fn from_str_types(items: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in items {
        if let syn::Item::Impl(i) = item {
            let Some((_, path, _)) = &i.trait_ else { continue };
            let text = quote_path(path);
            if text == "From<&str>" {
                out.insert(last_segment(&i.self_ty));
            }
        }
    }
}

/// What a caller passes, as one name per kind.
fn kind(ty: &syn::Type, from_str: &BTreeSet<String>) -> String {
    match ty {
        syn::Type::Reference(r) => kind(&r.elem, from_str),
        syn::Type::ImplTrait(t) => {
            // `impl Into<T>` takes what `T` takes.
            for bound in &t.bounds {
                if let syn::TypeParamBound::Trait(b) = bound {
                    let seg = b.path.segments.last().unwrap();
                    if seg.ident == "Into" {
                        if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                            if let Some(syn::GenericArgument::Type(inner)) = a.args.first() {
                                return kind(inner, from_str);
                            }
                        }
                    }
                }
            }
            format!("impl {}", quote_bounds(t))
        }
        syn::Type::Path(p) => {
            let last = p.path.segments.last().unwrap().ident.to_string();
            if last == "str" || last == "String" || from_str.contains(&last) {
                "string".into()
            } else {
                quote_type(ty)
            }
        }
        other => quote_type(other),
    }
}

/// Token text without spaces, for comparing types.
fn text(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string().replace(' ', "")
}

fn quote_type(ty: &syn::Type) -> String {
    text(ty)
}

fn quote_path(p: &syn::Path) -> String {
    text(p)
}

fn quote_bounds(t: &syn::TypeImplTrait) -> String {
    text(&t.bounds)
}

fn last_segment(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().unwrap().ident.to_string(),
        other => quote_type(other),
    }
}
