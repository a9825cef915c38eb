//! Conformance: every operation in the spec, called through the generated client against Prism,
//! an independent mock server that serves the same spec and validates every request against it.
//!
//! For each operation the test builds arguments valid for the spec (the spec's examples, defaults
//! and enum values, else values made from the schema: its type, format and bounds), each checked
//! with a JSON Schema validator before use: once with only the required parameters, and once more
//! with every optional parameter and property too, where there are any. They are decoded into the
//! generated params types and sent through the generated method (`conformance_table.rs`, emitted
//! from the IR). A call passes when Prism reports no violation of the spec and the response
//! decodes into the typed response (binary bodies and event streams are read whole). A paged
//! operation also walks every page through its paginator, which must end by itself, and the
//! operation that can answer with server-sent events is also read as an event stream.
//!
//! Faults proven to lie in the spec or in Prism are listed, with the reason, in
//! `tests/conformance_faults.txt`; a listed operation that passes fails the test, so the list
//! cannot go stale. Nothing else is skipped.
//!
//! Needs Prism: `cargo xtask conformance` installs the pinned version, starts one server per mode
//! (static examples, and dynamic `-d` answers made from the schemas), runs these tests with
//! `TELNYX_PRISM_STATIC` and `TELNYX_PRISM_DYNAMIC` set to their URLs, and stops the servers.

// Generated, and formatted by the generator: rustfmt leaves it alone.
#[rustfmt::skip]
#[path = "generated/conformance_table.rs"]
mod table;
// The table names types as `crate::types::...`: make those paths resolve here.
#[allow(unused_imports)]
use telnyx::{resources, types, Base64, Data, FilePart};

mod common;

use common::schema::Validator;
use common::{root, spec};
use futures_util::{StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// Arguments of one call: parameters by their names in the spec, and `body`.
type Args = Map<String, Value>;
/// What a call comes to: the number of answers read (pages, for a walk), or what failed.
type Call<'a> = Pin<Box<dyn Future<Output = Result<usize, Failure>> + Send + 'a>>;
type Operation = for<'a> fn(&'a telnyx::Client, &'a Args) -> Call<'a>;

/// One row of the generated table.
struct Case {
    operation_id: &'static str,
    /// JSON pointer of the operation in the spec.
    pointer: &'static str,
    method: &'static str,
    path: &'static str,
    /// The operation's own server, when it is not the spec's first.
    server: Option<&'static str>,
    /// A WebSocket session, which Prism cannot speak: `tests/websockets.rs` tests those.
    websocket: bool,
    /// The media type the client sends the body as.
    body_media_type: Option<&'static str>,
    call: Operation,
    /// Walks every page through the `_paginator` twin.
    walk: Option<Operation>,
    /// Reads the whole event stream through the `_stream` twin.
    stream: Option<Operation>,
}

#[derive(Debug)]
enum Failure {
    /// Arguments valid for the spec that the generated params types do not accept.
    Arguments(String),
    Call(telnyx::Error),
}

/// Whether a schema (through `$ref`s and `allOf`) has required properties.
fn has_required(doc: &Value, schema: &Value) -> bool {
    let schema = common::follow(doc, schema);
    schema.get("required").and_then(Value::as_array).is_some_and(|r| !r.is_empty())
        || schema.get("allOf").and_then(Value::as_array).is_some_and(|all| all.iter().any(|s| has_required(doc, s)))
}

// Helpers the generated table calls.

fn arg<T: DeserializeOwned>(args: &Args, name: &str) -> Result<T, Failure> {
    let value = args.get(name).cloned().unwrap_or(Value::Null);
    serde_path_to_error::deserialize(value)
        .map_err(|e| Failure::Arguments(format!("`{name}` at `{}`: {}", e.path(), e.inner())))
}

fn bytes(args: &Args) -> Result<bytes::Bytes, Failure> {
    match args.get("body") {
        Some(Value::String(s)) => Ok(bytes::Bytes::from(s.clone())),
        other => Err(Failure::Arguments(format!("a binary body is given as a string, not {other:?}"))),
    }
}

// Called by the table for an optional binary body, which the pinned spec may not have.
#[allow(dead_code)]
fn optional_bytes(args: &Args) -> Result<Option<bytes::Bytes>, Failure> {
    if args.contains_key("body") {
        bytes(args).map(Some)
    } else {
        Ok(None)
    }
}

fn done<T>(response: telnyx::Result<T>) -> Result<usize, Failure> {
    response.map(|_| 1).map_err(Failure::Call)
}

async fn download(response: telnyx::Result<telnyx::Download>) -> Result<usize, Failure> {
    let download = response.map_err(Failure::Call)?;
    download.bytes().await.map(|_| 1).map_err(Failure::Call)
}

async fn events(response: telnyx::Result<telnyx::EventStream>) -> Result<usize, Failure> {
    let stream = response.map_err(Failure::Call)?;
    stream.try_for_each(|_| async { Ok(()) }).await.map(|()| 1).map_err(Failure::Call)
}

async fn walk<'a, P, Page, Item>(paginator: telnyx::Paginator<'a, P, Page, Item>) -> Result<usize, Failure>
where
    P: Clone + Send + 'a,
    Page: std::fmt::Debug + Send + 'a,
    Item: Send + 'a,
{
    paginator.pages().try_fold(0, |n, _| async move { Ok(n + 1) }).await.map_err(Failure::Call)
}

/// Makes argument values valid for the spec's schemas.
struct Synth<'d> {
    doc: &'d Value,
    validator: Validator<'d>,
    compiled: HashMap<String, Option<jsonschema::Validator>>,
}

/// Below this depth, optional properties are left out even in a full call (recursive schemas).
const FULL_DEPTH: usize = 6;
const MAX_DEPTH: usize = 24;

impl<'d> Synth<'d> {
    fn valid(&mut self, ptr: &str, value: &Value) -> bool {
        let validator = &self.validator;
        let compiled = self.compiled.entry(ptr.to_string()).or_insert_with(|| validator.compile(ptr).ok());
        compiled.as_ref().is_some_and(|c| c.is_valid(value))
    }

    /// A value for the schema at `ptr`: the spec's own values first (example, default, enum),
    /// unless a full object is asked for, then one built from the schema; the first valid one.
    fn value(&mut self, ptr: &str, depth: usize, full: bool) -> Value {
        let doc = self.doc;
        let Some(s) = doc.pointer(ptr) else { return Value::Null };
        if let Some(target) = s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            if depth < MAX_DEPTH {
                return self.value(target, depth + 1, full);
            }
            return Value::Null;
        }
        let mut given: Vec<Value> = Vec::new();
        for key in ["example", "const", "default"] {
            given.extend(s.get(key).cloned());
        }
        if let Some(Value::Array(values)) = s.get("examples") {
            given.extend(values.iter().cloned());
        }
        if let Some(Value::Array(values)) = s.get("enum") {
            given.extend(values.iter().filter(|v| !v.is_null()).cloned());
        }
        let full = full && depth < FULL_DEPTH;
        let built_first = full && s.get("properties").is_some();
        if !built_first {
            if let Some(v) = given.iter().find(|v| self.valid(ptr, v)).cloned() {
                return v;
            }
        }
        let built = self.build(ptr, s, depth, full);
        if self.valid(ptr, &built) {
            return built;
        }
        if let Some(v) = given.iter().find(|v| self.valid(ptr, v)).cloned() {
            return v;
        }
        if full {
            let lean = self.build(ptr, s, depth, false);
            if self.valid(ptr, &lean) {
                return lean;
            }
        }
        built
    }

    fn build(&mut self, ptr: &str, s: &Value, depth: usize, full: bool) -> Value {
        if depth >= MAX_DEPTH {
            return Value::Null;
        }
        if let Some(Value::Array(members)) = s.get("allOf") {
            let mut merged = Map::new();
            let mut scalar = None;
            for i in 0..members.len() {
                match self.value(&format!("{ptr}/allOf/{i}"), depth + 1, full) {
                    Value::Object(m) => merged.extend(m),
                    other => scalar = Some(other),
                }
            }
            if let Value::Object(own) = self.object(ptr, s, depth, full) {
                merged.extend(own);
            }
            // A member may require a property that another member declares.
            for name in required_names(self.doc, s) {
                if !merged.contains_key(&name) {
                    if let Some(p) = property_pointer(self.doc, ptr, &name) {
                        let v = self.value(&p, depth + 1, full);
                        merged.insert(name, v);
                    }
                }
            }
            return match scalar {
                Some(v) if merged.is_empty() => v,
                _ => Value::Object(merged),
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = s.get(key) {
                let own = s.get("properties").map(|_| self.object(ptr, s, depth, full));
                let mut first = None;
                for i in 0..members.len() {
                    let mut v = self.value(&format!("{ptr}/{key}/{i}"), depth + 1, full);
                    if let (Value::Object(m), Some(Value::Object(own))) = (&mut v, &own) {
                        for (k, x) in own {
                            m.entry(k.clone()).or_insert_with(|| x.clone());
                        }
                    }
                    if self.valid(ptr, &v) {
                        return v;
                    }
                    first.get_or_insert(v);
                }
                return first.unwrap_or(Value::Null);
            }
        }
        match type_of(s) {
            Some("object") => self.object(ptr, s, depth, full),
            Some("array") => {
                // Two items in a full value, so that lists are sent as lists (one item can
                // read as a plain value on the wire).
                let unique = s.get("uniqueItems") == Some(&Value::Bool(true));
                let least = if full && !unique { 2 } else { 1 };
                let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(least).max(1) as usize;
                let n = s.get("maxItems").and_then(Value::as_u64).map_or(n, |max| n.min(max.max(1) as usize));
                let item = self.value(&format!("{ptr}/items"), depth + 1, full);
                Value::Array(vec![item; n])
            }
            Some("string") => self.string(ptr, s),
            Some("integer") => json!(number(s).ceil() as i64),
            Some("number") => json!(number(s)),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ if s.get("properties").is_some() => self.object(ptr, s, depth, full),
            _ if s.get("items").is_some() => Value::Array(vec![self.value(&format!("{ptr}/items"), depth + 1, full)]),
            _ => Value::String("conformance".into()),
        }
    }

    /// The required properties, and in a full value the optional ones too; never read-only ones.
    fn object(&mut self, ptr: &str, s: &Value, depth: usize, full: bool) -> Value {
        let required: Vec<&str> =
            s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut out = Map::new();
        let Some(props) = s.get("properties").and_then(Value::as_object) else { return Value::Object(out) };
        for (name, prop) in props {
            let prop = common::follow(self.doc, prop);
            if prop.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            if required.contains(&name.as_str()) || full {
                let v = self.value(&format!("{ptr}/properties/{}", escape(name)), depth + 1, full);
                out.insert(name.clone(), v);
            }
        }
        // Optional properties up to `minProperties`.
        let min = s.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        for (name, prop) in props {
            if out.len() >= min {
                break;
            }
            let writable = common::follow(self.doc, prop).get("readOnly") != Some(&Value::Bool(true));
            if writable && !out.contains_key(name) {
                let v = self.value(&format!("{ptr}/properties/{}", escape(name)), depth + 1, full);
                out.insert(name.clone(), v);
            }
        }
        Value::Object(out)
    }
}

/// Every name an `allOf` schema's members (and the schema itself) require.
fn required_names(doc: &Value, s: &Value) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let own = s.get("required").and_then(Value::as_array).into_iter().flatten();
    names.extend(own.filter_map(Value::as_str).map(String::from));
    for member in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        for name in required_names(doc, common::follow(doc, member)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Where the schema at `ptr`, or a member of its `allOf`, declares property `name`.
fn property_pointer(doc: &Value, ptr: &str, name: &str) -> Option<String> {
    let ptr = common::follow_pointer(doc, ptr.to_string());
    let s = doc.pointer(&ptr)?;
    if s.get("properties").and_then(|p| p.get(name)).is_some() {
        return Some(format!("{ptr}/properties/{}", escape(name)));
    }
    let members = s.get("allOf").and_then(Value::as_array)?;
    (0..members.len()).find_map(|i| property_pointer(doc, &format!("{ptr}/allOf/{i}"), name))
}

fn type_of(s: &Value) -> Option<&str> {
    match s.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").or(Some("null")),
        _ => None,
    }
}

impl Synth<'_> {
    /// A string of the schema's format and length, or matching its `pattern`.
    fn string(&mut self, ptr: &str, s: &Value) -> Value {
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            if let Some(v) = self.matching(ptr, pattern) {
                return v;
            }
        }
        let text = match s.get("format").and_then(Value::as_str).unwrap_or("") {
            "date-time" => "2026-01-02T03:04:05Z",
            "date" => "2026-01-02",
            "time" => "03:04:05Z",
            "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "email" => "conformance@example.com",
            "uri" | "url" | "uri-reference" | "iri" => "https://example.com/conformance",
            "hostname" => "example.com",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "duration" => "PT1S",
            "byte" => "Y29uZm9ybWFuY2U=",
            _ => "conformance",
        };
        let mut text = text.to_string();
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        while text.len() < min {
            text.push('x');
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
            text.truncate(max as usize);
        }
        Value::String(text)
    }

    /// A string the schema accepts, drawn from its pattern (the same draws on every run).
    fn matching(&mut self, ptr: &str, pattern: &str) -> Option<Value> {
        use rand::{RngExt, SeedableRng};
        // The generator reads Rust regex syntax, where `\d` and `\w` are Unicode classes; the
        // spec's patterns are ECMA-262, where they are ASCII. Anchors are left to the validator.
        let ascii = pattern.replace("\\d", "[0-9]").replace("\\w", "[A-Za-z0-9_]");
        let unanchored = ascii.trim_start_matches('^').trim_end_matches('$');
        let generator = rand_regex::Regex::compile(unanchored, 8).ok()?;
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        (0..64)
            .map(|_| rng.sample::<String, _>(&generator))
            .filter(|s| !s.is_empty())
            .map(Value::String)
            .find(|v| self.valid(ptr, v))
    }
}

/// A number inside the schema's bounds, 1 when it has none.
fn number(s: &Value) -> f64 {
    let get = |k: &str| s.get(k).and_then(Value::as_f64);
    let bool_flag = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut low = get("minimum").unwrap_or(f64::NEG_INFINITY);
    if let Some(x) = get("exclusiveMinimum") {
        low = low.max(x + 1.0);
    } else if bool_flag("exclusiveMinimum") {
        low += 1.0;
    }
    let mut high = get("maximum").unwrap_or(f64::INFINITY);
    if let Some(x) = get("exclusiveMaximum") {
        high = high.min(x - 1.0);
    } else if bool_flag("exclusiveMaximum") {
        high -= 1.0;
    }
    1f64.clamp(low.min(high), high.max(low))
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// What one operation is called with: the required arguments, and every argument.
struct Calls {
    required: Args,
    full: Option<Args>,
}

/// The parameters of an operation (its own and its path's, the operation's winning), each as
/// (name, location, required, pointer of the parameter object).
fn parameters(doc: &Value, op_ptr: &str) -> Vec<(String, String, bool, String)> {
    let path_ptr = &op_ptr[..op_ptr.rfind('/').unwrap_or(0)];
    let mut out: Vec<(String, String, bool, String)> = Vec::new();
    for holder in [path_ptr, op_ptr] {
        let Some(Value::Array(list)) = doc.pointer(&format!("{holder}/parameters")) else { continue };
        for i in 0..list.len() {
            let ptr = common::follow_pointer(doc, format!("{holder}/parameters/{i}"));
            let Some(p) = doc.pointer(&ptr) else { continue };
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let location = p.get("in").and_then(Value::as_str).unwrap_or_default().to_string();
            let required = location == "path" || p.get("required").and_then(Value::as_bool).unwrap_or(false);
            out.retain(|(n, l, _, _)| !(n == &name && l == &location));
            out.push((name, location, required, ptr));
        }
    }
    out
}

impl Synth<'_> {
    /// A parameter's value: its own example, else one for its schema. A path parameter is
    /// never empty (an empty path segment cannot be sent).
    fn parameter(&mut self, ptr: &str, full: bool) -> Value {
        let doc = self.doc;
        let param = doc.pointer(ptr).cloned().unwrap_or(Value::Null);
        let in_path = param.get("in").and_then(Value::as_str) == Some("path");
        let schema_ptr = match param.get("schema") {
            Some(_) => format!("{ptr}/schema"),
            None => match param.get("content").and_then(Value::as_object).and_then(|c| c.keys().next()) {
                Some(media) => format!("{ptr}/content/{}/schema", escape(media)),
                None => format!("{ptr}/schema"),
            },
        };
        let mut given: Vec<Value> = param.get("example").cloned().into_iter().collect();
        if let Some(Value::Object(examples)) = param.get("examples") {
            given.extend(examples.values().filter_map(|e| common::follow(doc, e).get("value").cloned()));
        }
        if in_path {
            given.retain(|v| v != "");
        }
        if !full {
            if let Some(v) = given.iter().find(|v| self.valid(&schema_ptr, v)).cloned() {
                return v;
            }
        }
        match self.value(&schema_ptr, 0, full) {
            v if in_path && v == "" => Value::String("conformance".into()),
            v => v,
        }
    }

    /// The request body for the media type the client sends.
    fn body(&mut self, op_ptr: &str, media_type: &str, full: bool) -> Option<Value> {
        let doc = self.doc;
        let ptr = common::follow_pointer(doc, format!("{op_ptr}/requestBody"));
        let media_ptr = format!("{ptr}/content/{}", escape(media_type));
        let media = doc.pointer(&media_ptr)?;
        let schema_ptr = format!("{media_ptr}/schema");
        let mut given: Vec<Value> = media.get("example").cloned().into_iter().collect();
        if let Some(Value::Object(examples)) = media.get("examples") {
            given.extend(examples.values().filter_map(|e| common::follow(doc, e).get("value").cloned()));
        }
        if !full {
            if let Some(v) = given.iter().find(|v| self.valid(&schema_ptr, v)).cloned() {
                return Some(v);
            }
        }
        Some(self.value(&schema_ptr, 0, full))
    }

    fn calls(&mut self, case: &Case) -> Calls {
        let doc = self.doc;
        let body_required = doc
            .pointer(&format!("{}/requestBody", case.pointer))
            .map(|b| common::follow(doc, b))
            .and_then(|b| b.get("required"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        // A body the spec lets out but whose schema has required fields is the operation's
        // argument (as in the official SDKs): the fewest arguments include it.
        let body_required = body_required
            || case.body_media_type.is_some_and(|media| {
                let schema = format!(
                    "{}/requestBody/content/{}/schema",
                    case.pointer,
                    media.replace('~', "~0").replace('/', "~1")
                );
                doc.pointer(&schema).is_some_and(|s| has_required(doc, s))
            });
        let params = parameters(doc, case.pointer);
        let mut make = |full: bool| {
            let mut args = Args::new();
            for (name, _, required, ptr) in &params {
                if *required || full {
                    args.insert(name.clone(), self.parameter(ptr, full));
                }
            }
            if let Some(media) = case.body_media_type {
                if body_required || full {
                    if let Some(body) = self.body(case.pointer, media, full) {
                        args.insert("body".into(), body);
                    }
                }
            }
            args
        };
        let required = make(false);
        let full = make(true);
        Calls { full: (full != required).then_some(full), required }
    }
}

/// The JSON pointer of every operation in the spec.
fn spec_operations(doc: &Value) -> std::collections::BTreeSet<String> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = doc.get("paths").and_then(Value::as_object).into_iter().flatten();
    paths
        .flat_map(|(path, item)| {
            METHODS.iter().filter(|m| item.get(**m).is_some()).map(move |m| format!("/paths/{}/{m}", escape(path)))
        })
        .collect()
}

/// What went wrong in one call.
struct Problem {
    text: String,
    /// Prism found its own answer, made from the spec, invalid for the spec: the fault is in
    /// the spec (static mode: an example that breaks its schema) or in Prism's generator; and
    /// any decoding error lies inside what it flagged.
    in_answer: bool,
    /// Prism's first message about its answer.
    reason: String,
}

/// `sl-violations` as (location as a dotted path, message) pairs.
fn violations(header: &str) -> Vec<(String, String)> {
    let list: Vec<Value> = serde_json::from_str(header).unwrap_or_default();
    list.iter()
        .map(|v| {
            let location: Vec<String> = v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), String::from))
                .collect();
            (location.join("."), v["message"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

/// Judges one call from its result and the `sl-violations` of the last answer.
fn judge(
    label: &str,
    args: Option<&Args>,
    sent: Option<String>,
    result: Result<usize, Failure>,
    header: Option<String>,
) -> Option<Problem> {
    let found = header.as_deref().map(violations).unwrap_or_default();
    let answer: Vec<&(String, String)> = found.iter().filter(|(at, _)| at.starts_with("response")).collect();
    let request: Vec<&(String, String)> = found.iter().filter(|(at, _)| at.starts_with("request")).collect();
    let mut with = args.map(|a| format!(" with {}", short(&Value::Object(a.clone())))).unwrap_or_default();
    if let Some(url) = sent {
        with.push_str(&format!(", sent as {url}"));
    }
    let flagged = || answer.iter().map(|(at, m)| format!("{at}: {m}")).collect::<Vec<_>>().join("; ");
    let reason = answer.first().map(|(_, m)| m.clone()).unwrap_or_default();
    match result {
        Ok(_) if found.is_empty() => None,
        Ok(_) if request.is_empty() => Some(Problem {
            text: format!("{label} call{with}: decoded, but Prism flags its own answer: {}", flagged()),
            in_answer: true,
            reason,
        }),
        Err(Failure::Call(telnyx::Error::Decode(e))) if request.is_empty() && !answer.is_empty() => {
            let (path, message) = (&e.path, &e.message);
            // Excused only where Prism says its answer is wrong.
            let at = format!("response.body.{}", path.replace('[', ".").replace(']', ""));
            let inside = answer.iter().any(|(v, _)| at.starts_with(v.as_str()) || v.starts_with(at.as_str()));
            Some(Problem {
                text: format!(
                    "{label} call{with}: cannot decode `{path}` ({message}); Prism flags its own answer: {}",
                    flagged()
                ),
                in_answer: inside,
                reason,
            })
        }
        result => {
            let why = match &result {
                Err(Failure::Arguments(m)) => format!("the arguments do not decode into the generated params: {m}"),
                Err(Failure::Call(telnyx::Error::Api(e))) if !request.is_empty() => format!(
                    "Prism answered {} and finds the request breaks the spec: {}",
                    e.status.as_u16(),
                    request.iter().map(|(at, m)| format!("{at}: {m}")).collect::<Vec<_>>().join("; ")
                ),
                Err(Failure::Call(e)) => e.to_string(),
                Ok(_) => format!("Prism finds the request breaks the spec: {header:?}"),
            };
            Some(Problem { text: format!("{label} call{with}: {why}"), in_answer: false, reason: String::new() })
        }
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 600 {
        // `floor_char_boundary` is newer than the crate's MSRV.
        let end = (0..=600).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        format!("{}...", &text[..end])
    } else {
        text
    }
}

const FAULTS: &str = "generated-client/tests/conformance_faults.txt";

/// One line of the committed list: `mode<TAB>pointer<TAB>reason`, mode `static` or `dynamic`.
struct Listed {
    mode: String,
    pointer: String,
    reason: String,
}

fn known_faults() -> Vec<Listed> {
    let text = std::fs::read_to_string(root().join(FAULTS)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let (mode, pointer, reason) = (parts.next()?, parts.next()?, parts.next()?);
            Some(Listed { mode: mode.into(), pointer: pointer.into(), reason: reason.into() })
        })
        .collect()
}

/// Rewrites this mode's lines of the list: operations that still fail keep their reason, and in
/// static mode operations whose only problems are in Prism's own answers are listed with
/// Prism's message. A request Prism rejects is never listed by this: that needs a reason proven
/// by hand.
fn bless(mode: &str, faults: &BTreeMap<&str, String>) {
    // Both modes run at once and share the file.
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = root().join(FAULTS);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut out: Vec<String> = text.lines().filter(|l| l.starts_with('#')).map(String::from).collect();
    let mut rows: Vec<(String, String, String)> = known_faults()
        .into_iter()
        .filter(|l| l.mode != mode || faults.contains_key(l.pointer.as_str()))
        .map(|l| (l.mode, l.pointer, l.reason))
        .collect();
    for (pointer, reason) in faults {
        if !rows.iter().any(|(m, p, _)| m == mode && p == pointer) {
            rows.push((mode.to_string(), pointer.to_string(), reason.clone()));
        }
    }
    rows.sort();
    out.extend(rows.into_iter().map(|(m, p, r)| format!("{m}\t{p}\t{}", r.replace(['\n', '\t'], " "))));
    std::fs::write(&path, out.join("\n") + "\n").expect("write the list of known faults");
}

/// How many calls are in flight at once: Prism answers on one thread, and a few keep it busy.
const CONCURRENCY: usize = 8;

fn run(mode: &str, variable: &str) {
    let Some(base_url) = std::env::var_os(variable) else {
        panic!("{variable} is not set: run `cargo xtask conformance`, which starts Prism and sets it");
    };
    let base_url = base_url.to_string_lossy().into_owned();
    let started = Instant::now();
    let doc = spec();
    let reading = Validator::object_reading(&doc);
    let mut synth =
        Synth { doc: &doc, validator: Validator::new(&reading).checking_formats(), compiled: HashMap::new() };
    let cases = table::OPERATIONS;
    // Every operation of the spec, read from it directly, has its row.
    let in_spec = spec_operations(&doc);
    let in_table: std::collections::BTreeSet<String> = cases.iter().map(|c| c.pointer.to_string()).collect();
    let missing: Vec<&String> = in_spec.difference(&in_table).collect();
    assert!(missing.is_empty(), "operations of the spec with no conformance row: {missing:?}");
    let arguments: Vec<Calls> = cases.iter().map(|c| synth.calls(c)).collect();
    let listed: BTreeMap<String, String> =
        known_faults().into_iter().filter(|l| l.mode == mode).map(|l| (l.pointer, l.reason)).collect();

    // Prism (Node.js) closes a connection idle for 5 s; a pooled connection kept longer can be
    // reused just as it closes ("error sending request"). The client would retry that, but here
    // nothing is retried, so connections are dropped before Prism drops them.
    let http =
        telnyx::reqwest::Client::builder().pool_idle_timeout(Duration::from_secs(2)).build().expect("http client");
    let client = telnyx::Client::builder()
        .api_key("conformance")
        .base_url(base_url)
        .http_client(http)
        .max_retries(0)
        .timeout(Duration::from_secs(60))
        // Conformance to the spec is proven strictly: a response the client had to correct fails.
        .strict_decoding(true)
        .build()
        .expect("client");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let outcomes: Vec<(Vec<Problem>, usize, Option<usize>)> = runtime.block_on(async {
        let jobs = cases.iter().zip(&arguments).map(|(case, calls)| {
            let client = &client;
            async move {
                if case.websocket {
                    return (Vec::new(), 0, None);
                }
                let mut sets = vec![("required", &calls.required)];
                sets.extend(calls.full.as_ref().map(|f| ("full", f)));
                let mut runs: Vec<(&str, Operation, Option<&Args>, &Args)> =
                    sets.into_iter().map(|(label, args)| (label, case.call, Some(args), args)).collect();
                runs.extend(case.walk.map(|w| ("page walk", w, None, &calls.required)));
                runs.extend(case.stream.map(|s| ("event stream", s, None, &calls.required)));
                let (mut problems, mut calls, mut pages) = (Vec::new(), 0, None);
                for (label, operation, shown, args) in runs {
                    calls += 1;
                    // A handle of its own per call, so that the answer's headers are this call's.
                    let capture = telnyx::ResponseCapture::new();
                    let handle = client.with_options(telnyx::RequestOptions::new().capture_response(&capture));
                    let result = operation(&handle, args).await;
                    let answer = capture.last();
                    let header = match &result {
                        Err(Failure::Call(telnyx::Error::Api(e))) => e.headers.get("sl-violations").cloned(),
                        _ => answer.as_ref().and_then(|m| m.headers.get("sl-violations").cloned()),
                    };
                    let header = header.and_then(|h| h.to_str().ok().map(String::from));
                    let sent = answer.map(|m| format!("{} {}", case.method, m.url));
                    if let (Ok(n), "page walk") = (&result, label) {
                        pages = Some(*n);
                    }
                    problems.extend(judge(label, shown, sent, result, header));
                }
                (problems, calls, pages)
            }
        });
        futures_util::stream::iter(jobs).buffered(CONCURRENCY).collect().await
    });

    use std::io::Write;
    let (mut passed, mut known, mut flagged) = (0, 0, 0);
    let mut failures = Vec::new();
    let mut faults: BTreeMap<&str, String> = BTreeMap::new();
    let calls: usize = outcomes.iter().map(|o| o.1).sum();
    let walks: Vec<usize> = outcomes.iter().filter_map(|o| o.2).collect();
    let websockets = cases.iter().filter(|c| c.websocket).count();
    for (case, (problems, _, _)) in cases.iter().zip(&outcomes) {
        let title = format!("{} {} ({}, {})", case.method, case.path, case.operation_id, case.pointer);
        if case.websocket {
            if listed.contains_key(case.pointer) {
                failures.push(format!("{title}: a WebSocket operation is not called here: unlist it"));
            }
            continue;
        }
        if problems.is_empty() {
            passed += 1;
            if listed.contains_key(case.pointer) {
                failures.push(format!("{title}: listed as a known fault in {mode} mode, but it passes: remove it"));
            }
            continue;
        }
        let in_answers = problems.iter().all(|p| p.in_answer);
        if listed.contains_key(case.pointer) {
            faults.insert(case.pointer, listed[case.pointer].clone());
        } else if in_answers && mode == "static" {
            faults
                .insert(case.pointer, format!("Prism flags the answer it makes from the spec: {}", problems[0].reason));
        }
        let excused = listed.contains_key(case.pointer) || (in_answers && mode == "dynamic");
        if excused && std::env::var_os("TELNYX_CONFORMANCE_VERBOSE").is_some() {
            let text: Vec<&str> = problems.iter().map(|p| p.text.as_str()).collect();
            let _ = writeln!(std::io::stderr(), "known fault ({mode}): {title}:\n    {}", text.join("\n    "));
        }
        if listed.contains_key(case.pointer) {
            known += 1;
        } else if in_answers && mode == "dynamic" {
            // Random answers differ from run to run, so they cannot be listed; each one is
            // proven by Prism's own validator, and a decoding error outside what it flags fails.
            known += 1;
            flagged += 1;
        } else {
            let text: Vec<&str> = problems.iter().map(|p| p.text.as_str()).collect();
            failures.push(format!("{title}:\n    {}", text.join("\n    ")));
        }
    }
    for pointer in listed.keys() {
        if !cases.iter().any(|c| c.pointer == pointer) {
            failures.push(format!("{pointer}: listed as a known fault, but the spec has no such operation"));
        }
    }
    if std::env::var_os("TELNYX_CONFORMANCE_BLESS").is_some() {
        bless(mode, &faults);
    }
    let _ = writeln!(
        std::io::stderr(),
        "conformance ({mode}): {} operations tried, {passed} passed, {known} listed as known spec/Prism faults{}, {} failed \
         ({calls} calls; {} page walks ended by themselves, at most {} distinct pages each; {:.1} s); \
         {websockets} WebSocket operations Prism cannot check, tested against a local server in tests/websockets.rs",
        cases.len() - websockets,
        match flagged {
            0 => String::new(),
            n => format!(" ({n} of them answers Prism made at random and flags itself)"),
        },
        failures.len(),
        walks.len(),
        walks.iter().max().copied().unwrap_or(0),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{} conformance failures in {mode} mode:\n{}", failures.len(), failures.join("\n"));
}

#[test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
fn static_mode() {
    run("static", "TELNYX_PRISM_STATIC");
}

#[test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
fn dynamic_mode() {
    run("dynamic", "TELNYX_PRISM_DYNAMIC");
}

/// The root URL an operation goes to, as the spec's servers say and the rule of
/// `Client::server_url` moves them onto a base URL, for the bases this test uses.
fn expected_root(default: &str, server: Option<&str>, base: Option<&str>) -> String {
    let server = server.unwrap_or(default);
    let moved = match (base, server) {
        (None, s) => s,
        (Some(b), s) if s == default => b,
        (Some("http://127.0.0.1:9"), "https://api.telnyx.com") => "http://127.0.0.1:9",
        (Some("http://127.0.0.1:9"), "wss://api.telnyx.com/v2") => "ws://127.0.0.1:9",
        (Some("https://proxy.example/telnyx/v2"), "https://api.telnyx.com") => "https://proxy.example/telnyx",
        (Some("https://proxy.example/telnyx/v2"), "wss://api.telnyx.com/v2") => "wss://proxy.example/telnyx/v2",
        (b, s) => panic!("no expected URL for server {s} with base URL {b:?}: add it to this table"),
    };
    // The upgrade of a WebSocket session is an HTTP request to the same place.
    moved.replace("wss://", "https://").replace("ws://", "http://")
}

/// Whether `url` is `root` followed by `path`, each `{parameter}` a non-empty part of one
/// segment; `/v2` is not repeated.
fn url_matches(url: &str, root: &str, path: &str) -> bool {
    let root = root.trim_end_matches('/');
    let path = match path.strip_prefix("/v2/") {
        Some(rest) if root.ends_with("/v2") => format!("/{rest}"),
        _ => path.to_string(),
    };
    let Some(rest) = url.strip_prefix(root) else { return false };
    let (got, want): (Vec<&str>, Vec<&str>) = (rest.split('/').collect(), path.split('/').collect());
    got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| segment_matches(g, w))
}

/// A path segment against its template: literal text, and placeholders that take at least one
/// character each.
fn segment_matches(got: &str, template: &str) -> bool {
    let Some(open) = template.find('{') else { return got == template };
    let close = template[open..].find('}').map_or(template.len(), |c| open + c + 1);
    let (literal, rest) = (&template[..open], &template[close..]);
    let Some(got) = got.strip_prefix(literal) else { return false };
    (1..=got.len()).filter(|i| got.is_char_boundary(*i)).any(|i| segment_matches(&got[i..], rest))
}

/// Every operation's URL, with the default base URL and with two others: each call is made
/// with its required arguments through a client whose connections all fail at once (the
/// hosts resolve to 127.0.0.1, where nothing listens on ports 443 and 9), and the URL the
/// connection error names must be the spec's server (`servers` of the operation, else of its
/// path, else of the spec), moved onto the base URL, followed by the operation's path.
#[test]
fn every_operation_goes_to_its_server() {
    let doc = spec();
    let default = doc.pointer("/servers/0/url").and_then(Value::as_str).expect("the spec's first server");
    let reading = Validator::object_reading(&doc);
    let mut synth = Synth { doc: &doc, validator: Validator::new(&reading), compiled: HashMap::new() };
    let cases = table::OPERATIONS;
    // The table's servers are the spec's: the operation's own, else its path's.
    for case in cases {
        let path_ptr = &case.pointer[..case.pointer.rfind('/').unwrap_or(0)];
        let own = [case.pointer, path_ptr]
            .iter()
            .find_map(|p| doc.pointer(&format!("{p}/servers/0/url")).and_then(Value::as_str))
            .filter(|s| *s != default);
        assert_eq!(case.server, own, "{}: the server the generated client uses", case.pointer);
    }
    let streaming: Vec<&str> = cases.iter().filter(|c| c.websocket).map(|c| c.path).collect();
    assert_eq!(
        streaming,
        ["/speech-to-text/transcription", "/text-to-speech/speech"],
        "a new WebSocket operation: script it in tests/common/ws_server.rs and test it in tests/websockets.rs"
    );
    let arguments: Vec<Args> = cases.iter().map(|c| synth.calls(c).required).collect();
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], 9));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for base in [None, Some("http://127.0.0.1:9"), Some("https://proxy.example/telnyx/v2")] {
        let http = telnyx::reqwest::Client::builder()
            .resolve("api.telnyx.com", local)
            .resolve("proxy.example", local)
            .build()
            .expect("http client");
        let mut builder = telnyx::Client::builder().api_key("urls").http_client(http).max_retries(0);
        if let Some(b) = base {
            builder = builder.base_url(b);
        }
        let client = builder.build().expect("client");
        runtime.block_on(async {
            for (case, args) in cases.iter().zip(&arguments) {
                let root = expected_root(default, case.server, base);
                let sent = match (case.call)(&client, args).await {
                    Err(Failure::Call(telnyx::Error::Connection { source, .. })) => source.url().map(|u| {
                        let mut u = u.clone();
                        u.set_query(None);
                        u.to_string()
                    }),
                    other => {
                        failures.push(format!("{} with base {base:?}: no connection error: {other:?}", case.pointer));
                        continue;
                    }
                };
                checked += 1;
                match sent {
                    Some(url) if url_matches(&url, &root, case.path) => {}
                    sent => failures.push(format!(
                        "{} with base {base:?}: sent to {sent:?}, not {root}{}",
                        case.pointer, case.path
                    )),
                }
            }
        });
    }
    println!(
        "URLs: {checked} calls ({} operations, {} with a server of their own, x 3 base URLs) went where the spec says",
        cases.len(),
        cases.iter().filter(|c| c.server.is_some()).count()
    );
    assert!(failures.is_empty(), "{} operations sent elsewhere:\n{}", failures.len(), failures.join("\n"));
}
