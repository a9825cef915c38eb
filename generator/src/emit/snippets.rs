//! The example in every operation's docs: the call as a user writes it, made from the spec. Its
//! required inputs take the spec's examples (of the body, of each property, of each parameter),
//! else plausible values; optional ones are left out, as in Telnyx's docs pages. The same text
//! is compiled: `operation_examples.rs` holds each one as a function that
//! `generated-client/tests/operation_examples.rs` type-checks, so no example in the docs can
//! drift from the crate.

use crate::error::{Error, Result};
use crate::ir::calls::{BodyShape, Construct, InputSource};
use crate::ir::{Api, BodyEncoding, Field, Module, Operation, Response, Ty, TypeKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The generated file of examples, relative to the generated source folder (not a module of
/// the crate: the test includes it).
pub const FILE: &str = "operation_examples.rs";

/// The function every example is the body of: `client` is in scope, and `?` takes any error.
const SIGNATURE: &str = "async fn example(client: telnyx::Client) -> Result<(), Box<dyn std::error::Error>> {";

/// One operation's example, formatted: `use` lines, then [`SIGNATURE`], the calls, `Ok(())`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    code: String,
}

impl Snippet {
    /// As rustdoc shows it: the function around the calls hidden (`# ` lines).
    pub fn doc(&self) -> String {
        let mut out = String::from("```rust\n");
        let mut in_fn = false;
        for line in self.code.lines() {
            if line == SIGNATURE {
                in_fn = true;
                if out.len() > "```rust\n".len() {
                    out.push('\n');
                }
                out.push_str("# ");
                out.push_str(line);
            } else if in_fn && (line == "    Ok(())" || line == "}") {
                out.push_str("# ");
                out.push_str(line.trim_start());
            } else if in_fn {
                out.push_str(line.strip_prefix("    ").unwrap_or(line));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push_str("```");
        out
    }

    /// As the test compiles it: the whole function.
    pub fn code(&self) -> &str {
        &self.code
    }
}

/// Every operation's example, in the order of [`Api::operations`].
pub fn snippets(api: &Api, spec: &Path) -> Result<Vec<Snippet>> {
    use rayon::prelude::*;
    api.operations.par_iter().map(|op| snippet(api, op, spec)).collect()
}

/// Each operation's example, by the operation's JSON pointer.
pub type Examples<'a> = std::collections::HashMap<&'a str, &'a Snippet>;

/// [`Examples`] of `snippets` (made by [`snippets`]).
pub fn by_operation<'a>(api: &'a Api, snippets: &'a [Snippet]) -> Examples<'a> {
    api.operations.iter().map(|op| op.pointer.as_str()).zip(snippets).collect()
}

/// The generated test file: one module per operation with its example.
pub fn test_file(api: &Api, examples: &Examples<'_>) -> String {
    let mut out = String::from(
        "//! The example of every operation's docs, each a function that the test type-checks\n//! (`generated-client/tests/operation_examples.rs`).\n\n",
    );
    out.push_str(&format!("/// How many operations have an example.\npub const COUNT: usize = {};\n", examples.len()));
    let mut taken = BTreeSet::new();
    for op in &api.operations {
        let Some(snippet) = examples.get(op.pointer.as_str()) else { continue };
        let name = module_name(op);
        let name =
            (1..).map(|i| if i == 1 { name.clone() } else { format!("{name}_{i}") }).find(|n| taken.insert(n.clone()));
        let name = name.unwrap_or_default();
        out.push_str(&format!("\n/// `{} {}`\npub mod {name} {{\n", op.method, op.path));
        for line in snippet.code().lines() {
            if !line.is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push_str("}\n");
    }
    out
}

/// The test module of an operation: its resource chain and name (`_2` and on where two
/// chains join into the same name).
fn module_name(op: &Operation) -> String {
    let parts = op.resource.iter().chain([&op.name]);
    // `type_` and `r#type` alike become `type`: `__` is not snake case.
    let name = parts.map(|p| p.trim_start_matches("r#").trim_end_matches('_')).collect::<Vec<_>>().join("_");
    // A keyword alone (`type`) is not a module name.
    match syn::parse_str::<syn::Ident>(&name) {
        Ok(_) => name,
        Err(_) => format!("{name}_op"),
    }
}

fn snippet(api: &Api, op: &Operation, spec: &Path) -> Result<Snippet> {
    let mut v = Values { api, uses: BTreeSet::new(), stack: Vec::new() };
    // The one argument: a scalar as it is, anything else a `&str` (`ops::path_arg_type`).
    let arg = op.call.argument.map(|i| {
        let p = &op.path_params[i];
        match &p.ty {
            Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => {
                v.value(&p.ty, p.example.as_ref(), &p.name, 0, Want::Exact)
            }
            _ => string_literal(p.example.as_ref(), &p.name),
        }
    });
    // The spec's example of the body: its properties are what the call sends, optional ones too.
    let body_example = op.body.as_ref().and_then(|b| b.example.as_ref());
    let body_fields = match op.call.body {
        BodyShape::Fields { ty, .. } => match &api.types[ty].kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        },
        _ => None,
    };
    let mut setters = Vec::new();
    for input in &op.call.inputs {
        // An idempotency token is the client's to fill: an example that set one would have
        // every copy of it send the same token (and Telnyx ignore all but the first).
        if is_token(op, input, api) {
            continue;
        }
        let value = match input.source {
            InputSource::Path(i) | InputSource::Query(i) | InputSource::Header(i) if input.required => {
                let p = match input.source {
                    InputSource::Path(_) => &op.path_params[i],
                    InputSource::Query(_) => &op.query_params[i],
                    _ => &op.header_params[i],
                };
                let ty = match (&input.source, &p.ty) {
                    (InputSource::Path(_), Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean) => p.ty.clone(),
                    (InputSource::Path(_), _) => Ty::String,
                    _ => p.ty.clone(),
                };
                Some(v.value(&ty, p.example.as_ref(), &p.name, 0, Want::Into))
            }
            InputSource::Path(_) | InputSource::Query(_) | InputSource::Header(_) => None,
            InputSource::Field(i) => {
                let Some(fields) = body_fields else { continue };
                let f = &fields[i];
                // A deprecated property is not shown, unless it is required.
                let given = body_example.and_then(|e| e.get(&f.name)).filter(|e| !e.is_null() && !f.deprecated);
                match (given, input.required) {
                    (Some(e), _) => Some(v.value(&f.ty, Some(e), &f.name, 1, Want::Into)),
                    (None, true) => Some(v.value(&f.ty, f.example.as_ref(), &f.name, 1, Want::Into)),
                    (None, false) => None,
                }
            }
            InputSource::Body if input.required || body_example.is_some() => {
                let Some(b) = &op.body else { continue };
                Some(match b.encoding {
                    BodyEncoding::Binary => "std::fs::read(\"audio.wav\")?".to_string(),
                    BodyEncoding::Text => "\"text\"".to_string(),
                    _ => v.value(&b.ty, b.example.as_ref(), "body", 0, Want::Into),
                })
            }
            InputSource::Body => None,
        };
        if let Some(value) = value {
            setters.push(format!(".{}({value})", input.setter));
        }
    }
    let chain: String = op.resource.iter().map(|r| format!(".{}()", r)).collect();
    let call = format!("client{chain}.{}({}){}", op.name, arg.unwrap_or_default(), setters.concat());
    let statements = match (&op.websocket, &op.success) {
        (Some(_), _) => format!("let session = {call}.await?;\ndrop(session);"),
        (None, Response::Empty) => format!("{call}.await?;"),
        (None, Response::Json { .. }) => format!("let response = {call}.await?;\nprintln!(\"{{response:?}}\");"),
        (None, Response::Text { .. }) => format!("let text = {call}.await?;\nprintln!(\"{{text}}\");"),
        (None, Response::Bytes { .. }) => {
            format!("let download = {call}.await?;\nlet bytes = download.bytes().await?;\nprintln!(\"{{}} bytes\", bytes.len());")
        }
        (None, Response::EventStream) => format!("let events = {call}.await?;\ndrop(events);"),
    };
    let uses: String = v.uses_text();
    let text = format!("{uses}{SIGNATURE}\n{statements}\nOk(())\n}}\n");
    let file: syn::File = syn::parse_str(&text).map_err(|e| {
        Error::new(
            spec,
            &op.pointer,
            format!("the operation's doc example does not parse (a generator bug): {e}\n{text}"),
        )
    })?;
    Ok(Snippet { code: prettyplease::unparse(&file) })
}

/// How a value is passed: as its exact type, or to a method that takes `impl Into<T>` (a
/// string literal for a `String`, a builder for its struct).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Exact,
    Into,
}

/// Builds value expressions and remembers the types they name.
struct Values<'a> {
    api: &'a Api,
    /// Module path -> names used from it.
    uses: BTreeSet<(String, String)>,
    /// The structs being built, outermost first: one met again is built with its required
    /// fields only, so a recursive type ends.
    stack: Vec<usize>,
}

/// Deeper than this, a value is the smallest one its type allows (a recursive type ends).
const MAX_DEPTH: usize = 6;

/// An example longer than this (as JSON) is not put in the docs.
const MAX_JSON: usize = 120;

impl Values<'_> {
    fn use_path(&mut self, module: &str, name: &str) -> String {
        // A name two modules both give is written out in full.
        if self.uses.iter().any(|(m, n)| n == name && m != module) {
            return format!("{module}::{name}");
        }
        self.uses.insert((module.to_string(), name.to_string()));
        name.to_string()
    }

    fn uses_text(&self) -> String {
        let mut by_module: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (m, n) in &self.uses {
            by_module.entry(m).or_default().push(n);
        }
        let mut out = String::new();
        for (m, names) in by_module {
            match names.as_slice() {
                [one] => out.push_str(&format!("use {m}::{one};\n")),
                many => out.push_str(&format!("use {m}::{{{}}};\n", many.join(", "))),
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// Whether an untagged union converts from `&str`: it has one variant that is a string (the
    /// emitter then gives it `From<&str>`, see `types::variant_froms`).
    fn takes_str(&self, id: usize) -> bool {
        let types = &self.api.types;
        match &types[id].kind {
            TypeKind::Union { variants, discriminator: None } => {
                variants.iter().filter(|v| *crate::ir::resolve_alias(types, &v.ty) == Ty::String).count() == 1
            }
            _ => false,
        }
    }

    fn type_name(&mut self, id: usize) -> String {
        let def = &self.api.types[id];
        match &def.module {
            Module::Types(_) => self.use_path("telnyx::types", &def.name),
            Module::Resource(file) => self.use_path(&format!("telnyx::resources::{file}"), &def.name),
            Module::Unassigned => "telnyx::serde_json::Value".into(),
        }
    }

    /// A type as the example writes it (for an empty map, whose type nothing else tells).
    fn type_text(&mut self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => self.type_name(*id),
            Ty::String => "String".into(),
            Ty::Integer => "i64".into(),
            Ty::Int32 => "i32".into(),
            Ty::Number => "f64".into(),
            Ty::Boolean => "bool".into(),
            Ty::List(t) => format!("Vec<{}>", self.type_text(t)),
            Ty::Map(t) if **t == Ty::Any => "telnyx::serde_json::Map<String, telnyx::serde_json::Value>".into(),
            Ty::Map(t) => format!("std::collections::BTreeMap<String, {}>", self.type_text(t)),
            Ty::Nullable(t) => format!("Option<{}>", self.type_text(t)),
            Ty::Any => "telnyx::serde_json::Value".into(),
            Ty::Bytes => "telnyx::FilePart".into(),
            Ty::Base64 => "telnyx::Base64".into(),
        }
    }

    /// An expression of type `ty` (or, for [`Want::Into`], of one that converts into it), from
    /// `example` where it fits.
    fn value(&mut self, ty: &Ty, example: Option<&Value>, hint: &str, depth: usize, want: Want) -> String {
        match ty {
            Ty::String => match want {
                Want::Into => string_literal(example, hint),
                Want::Exact => format!("{}.to_string()", string_literal(example, hint)),
            },
            Ty::Integer | Ty::Int32 => integer(example).to_string(),
            Ty::Number => float(example),
            Ty::Boolean => example.and_then(Value::as_bool).unwrap_or(true).to_string(),
            // A method takes any iterable of what converts into the items.
            // Deep enough, or at a type being built already: empty, so a recursive type ends.
            Ty::List(item) if depth >= MAX_DEPTH || self.builds_again(item) => {
                format!("Vec::<{}>::new()", self.type_text(item))
            }
            // A method takes any iterable of what converts into the items.
            Ty::List(item) if want == Want::Into => {
                let items = example.and_then(Value::as_array).filter(|a| !a.is_empty());
                match items {
                    Some(items) => {
                        let want = self.item_want(item, items);
                        let values: Vec<String> =
                            items.iter().take(3).map(|e| self.value(item, Some(e), hint, depth + 1, want)).collect();
                        format!("[{}]", values.join(", "))
                    }
                    None => format!("[{}]", self.value(item, None, hint, depth + 1, self.item_want(item, &[]))),
                }
            }
            Ty::List(item) => {
                let first = example.and_then(Value::as_array).and_then(|a| a.first());
                format!("vec![{}]", self.value(item, first, hint, depth + 1, Want::Exact))
            }
            Ty::Map(values) if **values == Ty::Any => "telnyx::serde_json::Map::new()".into(),
            Ty::Map(_) => format!("{}::new()", self.type_text(ty).replacen("BTreeMap<", "BTreeMap::<", 1)),
            Ty::Nullable(inner) => format!("Some({})", self.value(inner, example, hint, depth + 1, Want::Exact)),
            Ty::Any => match example.map(Value::to_string).filter(|j| j.len() <= MAX_JSON) {
                Some(json) => format!("telnyx::serde_json::json!({json})"),
                None => "telnyx::serde_json::json!({})".into(),
            },
            Ty::Bytes => format!("telnyx::FilePart::from_path({:?})?", file_name(hint)),
            Ty::Base64 => "telnyx::Base64(Default::default())".into(),
            Ty::Named(id) => self.named(*id, example, hint, depth, want),
        }
    }

    fn named(&mut self, id: usize, example: Option<&Value>, hint: &str, depth: usize, want: Want) -> String {
        let api = self.api;
        let def = &api.types[id];
        match &def.kind {
            TypeKind::Alias { ty } => self.value(ty, example, hint, depth, want),
            TypeKind::Enum { values } => {
                let name = self.type_name(id);
                let picked = example.and_then(Value::as_str).and_then(|e| values.iter().find(|v| v.value == e));
                match picked.or(values.first()) {
                    Some(v) => format!("{name}::{}", v.rust_name),
                    None => format!("{name}::from({})", string_literal(example, hint)),
                }
            }
            TypeKind::IntEnum { values } => {
                let name = self.type_name(id);
                let picked = example.and_then(Value::as_i64).and_then(|e| values.iter().find(|v| v.value == e));
                match picked.or(values.first()) {
                    Some(v) => format!("{name}::{}", v.rust_name),
                    None => format!("{name}::from({})", integer(example)),
                }
            }
            TypeKind::Struct { fields, .. } => self.structure(id, fields, example, depth, want),
            TypeKind::Union { variants, discriminator } => {
                // `impl Into<Union>`: a string is passed as it is, as a user writes it.
                if want == Want::Into && self.takes_str(id) && example.is_none_or(Value::is_string) {
                    return string_literal(example, hint);
                }
                let tag = discriminator.as_ref().and_then(|d| Some((d, example?.get(d)?.as_str()?)));
                let picked = match tag {
                    Some((_, tag)) => variants.iter().find(|v| v.tags.iter().any(|t| t == tag)),
                    None => example.and_then(|e| {
                        let fitting = variants.iter().filter(|v| self.fits(&v.ty, e));
                        fitting
                            .max_by_key(|v| (self.matched_keys(&v.ty, e), std::cmp::Reverse(self.builds_again(&v.ty))))
                    }),
                };
                // Without an example to follow, a variant that does not hold a type being built
                // already, so that a recursive type ends.
                let picked = picked.or_else(|| variants.iter().find(|v| !self.builds_again(&v.ty)));
                let catch_all = super::types::catch_all_name(variants);
                let catch_all = if discriminator.is_some() { "Unknown".to_string() } else { catch_all.to_string() };
                let Some(variant) = picked.filter(|_| depth < 3 * MAX_DEPTH) else {
                    let name = self.type_name(id);
                    return format!("{name}::{catch_all}(telnyx::serde_json::json!({{}}))");
                };
                let example = match discriminator {
                    Some(_) => example,
                    None => example.filter(|e| self.fits(&variant.ty, e)),
                };
                let value = self.value(&variant.ty, example, hint, depth + 1, Want::Exact);
                // An untagged union converts from a variant's type that no other variant has.
                let types = &self.api.types;
                let resolved = crate::ir::resolve_alias(types, &variant.ty);
                let alone = discriminator.is_none()
                    && matches!(resolved, Ty::Named(_))
                    && variants.iter().filter(|v| crate::ir::resolve_alias(types, &v.ty) == resolved).count() == 1;
                if want == Want::Into && alone {
                    value
                } else {
                    let name = self.type_name(id);
                    format!("{name}::{}({value})", variant.rust_name)
                }
            }
        }
    }

    /// How the items of a list are written: converting (a string literal, a struct's builder, a
    /// union's variant) only where every item then has one type; else each as its exact type.
    fn item_want(&self, item: &Ty, items: &[Value]) -> Want {
        let types = &self.api.types;
        match crate::ir::resolve_alias(types, item) {
            Ty::String => Want::Into,
            Ty::Named(id) => match &types[*id].kind {
                TypeKind::Struct { .. } => Want::Into,
                // One item, or strings all passed to a union that takes them.
                TypeKind::Union { .. } if items.len() <= 1 => Want::Into,
                TypeKind::Union { .. } if self.takes_str(*id) && items.iter().all(Value::is_string) => Want::Into,
                _ => Want::Exact,
            },
            _ => Want::Exact,
        }
    }

    /// Whether a type is a struct being built already (one the example is inside of).
    fn builds_again(&self, ty: &Ty) -> bool {
        matches!(crate::ir::resolve_alias(&self.api.types, ty), Ty::Named(id) if self.stack.contains(id))
    }

    /// How many of an object example's keys a struct type declares, with its required fields
    /// all there (else 0): what picks the variant an example stands for.
    fn matched_keys(&self, ty: &Ty, example: &Value) -> usize {
        let (Ty::Named(id), Some(object)) = (crate::ir::resolve_alias(&self.api.types, ty), example.as_object()) else {
            return 0;
        };
        let TypeKind::Struct { fields, .. } = &self.api.types[*id].kind else { return 0 };
        if fields.iter().any(|f| f.required && !object.contains_key(&f.name)) {
            return 0;
        }
        fields.iter().filter(|f| object.contains_key(&f.name)).count() + 1
    }

    /// Whether an example has the JSON shape of a type (for picking an untagged variant).
    fn fits(&self, ty: &Ty, example: &Value) -> bool {
        match crate::ir::resolve_alias(&self.api.types, ty) {
            Ty::String => example.is_string(),
            Ty::Integer | Ty::Int32 => example.is_i64(),
            Ty::Number => example.is_number(),
            Ty::Boolean => example.is_boolean(),
            Ty::List(_) => example.is_array(),
            Ty::Map(_) => example.is_object(),
            Ty::Named(id) => match &self.api.types[*id].kind {
                TypeKind::Struct { .. } => example.is_object(),
                TypeKind::Enum { .. } => example.is_string(),
                TypeKind::IntEnum { .. } => example.is_i64(),
                TypeKind::Union { .. } | TypeKind::Alias { .. } => true,
            },
            _ => true,
        }
    }

    /// A struct users build: `X::default().a(..)` or `X::builder().a(..)` (`.build()` where
    /// the exact type is wanted), with its required fields and the ones the example has.
    fn structure(&mut self, id: usize, fields: &[Field], example: Option<&Value>, depth: usize, want: Want) -> String {
        let api = self.api;
        let def = &api.types[id];
        let name = self.type_name(id);
        let object = example.and_then(Value::as_object);
        // Met again inside itself, or too deep: its required fields only.
        let full = depth < MAX_DEPTH && !self.stack.contains(&id);
        self.stack.push(id);
        let mut calls = String::new();
        for f in fields.iter().filter(|f| !f.setter.is_empty()) {
            let required = crate::ir::calls::is_required_input(f, &api.types);
            let given = object.and_then(|o| o.get(&f.name)).filter(|e| !e.is_null() && !f.deprecated);
            let value = match (given, required) {
                (Some(e), _) if full || required => self.value(&f.ty, Some(e), &f.name, depth + 1, Want::Into),
                (None, true) => self.value(&f.ty, f.example.as_ref(), &f.name, depth + 1, Want::Into),
                _ => continue,
            };
            calls.push_str(&format!(".{}({value})", f.setter));
        }
        self.stack.pop();
        match (def.construct, want) {
            (Construct::Default, _) => format!("{name}::default(){calls}"),
            (Construct::Builder, Want::Into) => format!("{name}::builder(){calls}"),
            (Construct::Builder, Want::Exact) => format!("{name}::builder(){calls}.build()"),
            // Not a type users build (nothing sends it): an example never reaches one.
            (Construct::Decoded, _) => {
                format!("telnyx::serde_json::from_value::<{name}>(telnyx::serde_json::json!({{}}))?")
            }
        }
    }
}

/// Whether an input is the operation's idempotency token (a header, or a body property).
fn is_token(op: &Operation, input: &crate::ir::calls::Input, api: &Api) -> bool {
    use crate::ir::idempotency::Token;
    match (&op.idempotency, input.source, op.call.body) {
        (Some(Token::Header(name)), InputSource::Header(i), _) => op.header_params[i].name == *name,
        (Some(Token::BodyField(name)), InputSource::Field(i), BodyShape::Fields { ty, .. }) => {
            matches!(&api.types[ty].kind, TypeKind::Struct { fields, .. } if fields[i].name == *name)
        }
        _ => false,
    }
}

fn integer(example: Option<&Value>) -> i64 {
    let n = example.and_then(|e| e.as_i64().or_else(|| e.as_str()?.parse().ok())).unwrap_or(1);
    // An example out of `i32`'s range would not compile as an `i32`.
    if i32::try_from(n).is_ok() {
        n
    } else {
        1
    }
}

fn float(example: Option<&Value>) -> String {
    let n = example.and_then(Value::as_f64).filter(|f| f.is_finite()).unwrap_or(1.0);
    format!("{n:?}")
}

/// A string literal: the example, else a plausible value for a field named `hint`.
fn string_literal(example: Option<&Value>, hint: &str) -> String {
    let text = match example {
        // A format named where a value belongs (`"+E.164"`) is no value to send.
        Some(Value::String(s)) if !s.contains("E.164") => s.clone(),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
        _ => plausible(hint).to_string(),
    };
    // Debug of a str is a valid Rust string literal.
    format!("{text:?}")
}

fn plausible(hint: &str) -> &'static str {
    let h = heck::ToSnakeCase::to_snake_case(hint);
    if h.contains("email") {
        "user@example.com"
    } else if h.contains("url") || h.contains("uri") {
        "https://example.com/webhooks"
    } else if h.contains("phone") || h == "to" || h == "from" || h.ends_with("number") {
        "+18005550100"
    } else if h == "id" || h.ends_with("_id") || h.ends_with("id]") {
        "6a09cdc3-8948-47f0-aa62-74ac943d6c58"
    } else if h.ends_with("_at") || h.contains("date") || h.contains("time") {
        "2025-01-01T00:00:00Z"
    } else if h.contains("country") {
        "US"
    } else if h.contains("name") {
        "example name"
    } else {
        "example"
    }
}

fn file_name(hint: &str) -> &'static str {
    let h = hint.to_ascii_lowercase();
    if h.contains("audio") || h.contains("media") || h == "file" {
        "audio.wav"
    } else if h.contains("image") || h.contains("logo") {
        "image.png"
    } else {
        "document.pdf"
    }
}
