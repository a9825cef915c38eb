//! The oracle for the generated types: every `example` in the spec (in schemas, and on response
//! bodies) decodes into the type the generator gave it and encodes back to the same JSON, exactly:
//! only numbers compare by value (`1` and `1.0`). Null and absent are not confused either, since
//! optional nullable fields keep the difference (`Option<Option<T>>`).
//!
//! An example that fails must be proven wrong for its own schema by a JSON Schema validator
//! (`jsonschema`, 2020-12, the dialect of OpenAPI 3.1), and listed with the validator's message
//! in `tests/invalid_examples.txt`. Nothing else is skipped: an example with no generated type,
//! a listed example that now passes, or one the validator accepts but we cannot round-trip all
//! fail the test. `TELNYX_EXAMPLES_BLESS=1` rewrites the list from what the validator proves.
//!
//! The spec is read as `cargo xtask codegen` reads it (see `tests/common/mod.rs`).

// The table names types as `crate::types::...`: make those paths resolve here.
#[allow(unused_imports)]
use telnyx::{resources, types, FilePart};

#[path = "../src/generated/example_table.rs"]
mod table;

mod common;
use common::schema::Validator;
use common::{follow, root};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Decodes one example into a type and encodes it back.
type Check = fn(&[u8]) -> Result<Value, String>;

fn check<T: Serialize + DeserializeOwned>(json: &[u8]) -> Result<Value, String> {
    let value: T = telnyx::decode_json(json).map_err(|e| match e {
        telnyx::Error::Decode { path, message, .. } => format!("decode failed at `{path}`: {message}"),
        other => format!("decode failed: {other}"),
    })?;
    let bytes = serde_json::to_vec(&value).map_err(|e| format!("encode failed: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("encoded JSON does not parse: {e}"))
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every example in the document: (pointer of the object holding it, values in order).
#[derive(Default)]
struct Found {
    examples: Vec<(String, Vec<Value>)>,
}

impl Found {
    fn schema(&mut self, s: &Value, ptr: &str) {
        let Value::Object(s) = s else { return };
        let mut values = Vec::new();
        if let Some(v) = s.get("example") {
            values.push(v.clone());
        }
        if let Some(Value::Array(list)) = s.get("examples") {
            values.extend(list.iter().cloned());
        }
        if !values.is_empty() {
            self.examples.push((ptr.to_string(), values));
        }
        for key in ["properties", "patternProperties", "$defs"] {
            if let Some(Value::Object(map)) = s.get(key) {
                for (name, sub) in map {
                    self.schema(sub, &format!("{ptr}/{key}/{}", escape(name)));
                }
            }
        }
        for key in ["items", "additionalProperties", "not", "contains"] {
            if let Some(sub) = s.get(key) {
                self.schema(sub, &format!("{ptr}/{key}"));
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(list)) = s.get(key) {
                for (i, sub) in list.iter().enumerate() {
                    self.schema(sub, &format!("{ptr}/{key}/{i}"));
                }
            }
        }
    }

    /// A request or response body: schemas always, media examples for JSON responses.
    fn content(&mut self, doc: &Value, holder: &Value, ptr: &str, response: bool) {
        let Some(Value::Object(content)) = holder.get("content") else { return };
        for (mt, media) in content {
            let mptr = format!("{ptr}/content/{}", escape(mt));
            if response && mt.contains("json") {
                let mut values = Vec::new();
                if let Some(v) = media.get("example") {
                    values.push(v.clone());
                }
                if let Some(Value::Object(named)) = media.get("examples") {
                    for example in named.values() {
                        let example = follow(doc, example);
                        if let Some(v) = example.get("value") {
                            values.push(v.clone());
                        }
                    }
                }
                if !values.is_empty() {
                    self.examples.push((mptr.clone(), values));
                }
            }
            if let Some(s) = media.get("schema") {
                self.schema(s, &format!("{mptr}/schema"));
            }
        }
    }

    fn operation(&mut self, doc: &Value, op: &Value, ptr: &str) {
        if let Some(Value::Array(params)) = op.get("parameters") {
            for (i, p) in params.iter().enumerate() {
                if p.get("$ref").is_none() {
                    if let Some(s) = p.get("schema") {
                        self.schema(s, &format!("{ptr}/parameters/{i}/schema"));
                    }
                }
            }
        }
        if let Some(body) = op.get("requestBody").filter(|b| b.get("$ref").is_none()) {
            self.content(doc, body, &format!("{ptr}/requestBody"), false);
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, r) in responses {
                if r.get("$ref").is_none() {
                    self.content(doc, r, &format!("{ptr}/responses/{}", escape(code)), code.starts_with('2'));
                }
            }
        }
    }

    fn document(doc: &Value) -> Found {
        let mut found = Found::default();
        let empty = Map::new();
        let section = |name: &str| doc["components"].get(name).and_then(Value::as_object).unwrap_or(&empty);
        for (name, s) in section("schemas") {
            found.schema(s, &format!("/components/schemas/{}", escape(name)));
        }
        for (name, r) in section("responses") {
            found.content(doc, r, &format!("/components/responses/{}", escape(name)), true);
        }
        for (name, b) in section("requestBodies") {
            found.content(doc, b, &format!("/components/requestBodies/{}", escape(name)), false);
        }
        for (name, p) in section("parameters") {
            if let Some(s) = p.get("schema") {
                found.schema(s, &format!("/components/parameters/{}/schema", escape(name)));
            }
        }
        for (top, items) in [("paths", doc.get("paths")), ("webhooks", doc.get("webhooks"))] {
            let Some(Value::Object(items)) = items else { continue };
            for (path, item) in items {
                let Value::Object(item) = item else { continue };
                if let Some(Value::Array(params)) = item.get("parameters") {
                    for (i, p) in params.iter().enumerate() {
                        if let (None, Some(s)) = (p.get("$ref"), p.get("schema")) {
                            found.schema(s, &format!("/{top}/{}/parameters/{i}/schema", escape(path)));
                        }
                    }
                }
                for (method, op) in item {
                    if ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str())
                    {
                        found.operation(doc, op, &format!("/{top}/{}/{method}", escape(path)));
                    }
                }
            }
        }
        found
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The first difference between two JSON values, as a path and the two sides.
fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = difference(v, w, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("`{path}.{k}` is dropped")),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("`{path}.{k}` is added"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (v, w))| difference(v, w, &format!("{path}[{i}]")))
        }
        _ if same(a, b) => None,
        _ => Some(format!("`{path}`: {} became {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 80 {
        format!("{}...", &s[..s.char_indices().nth(77).map_or(s.len(), |(i, _)| i)])
    } else {
        s
    }
}

/// The schema of an example holder: itself, or the `schema` of a media type.
fn schema_of(doc: &Value, holder: &str) -> String {
    if holder.contains("/content/") && !holder.ends_with("/schema") && !holder.contains("/schema/") {
        let media = doc.pointer(holder);
        if media.and_then(|m| m.get("schema")).is_some() {
            return format!("{holder}/schema");
        }
    }
    holder.to_string()
}

fn read_list(path: &PathBuf) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

#[test]
fn every_spec_example_round_trips_or_is_proven_invalid() {
    let doc = common::spec();
    let table: HashMap<&str, Check> = table::EXAMPLES.iter().copied().collect();
    let found = Found::document(&doc);
    let reading = Validator::object_reading(&doc);
    let validator = Validator::new(&reading);
    let list_path = root().join("generated-client/tests/invalid_examples.txt");
    let listed = read_list(&list_path);
    let bless = std::env::var_os("TELNYX_EXAMPLES_BLESS").is_some();

    let (mut tried, mut passed, mut invalid) = (0, 0, 0);
    let mut proven: BTreeMap<String, String> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for (holder, values) in &found.examples {
        let Some(check) = table.get(holder.as_str()) else {
            failures.push(format!("{holder}: no generated type for this example"));
            continue;
        };
        let schema_ptr = schema_of(&doc, holder);
        for (i, example) in values.iter().enumerate() {
            tried += 1;
            let key = format!("{holder}#{i}");
            let bytes = serde_json::to_vec(example).unwrap();
            let outcome = match check(&bytes) {
                Ok(back) if same(example, &back) => Ok(()),
                Ok(back) => Err(difference(example, &back, "$").unwrap_or_else(|| "differs".into())),
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => {
                    passed += 1;
                    if listed.contains_key(&key) && !bless {
                        failures
                            .push(format!("{key}: listed as invalid, but it now round-trips; remove it from the list"));
                    }
                }
                Err(why) => match validator.problem(&schema_ptr, example) {
                    Some(problem) => {
                        invalid += 1;
                        if !bless && !listed.contains_key(&key) {
                            failures
                                .push(format!("{key}: {why}; the validator proves it invalid ({problem}): list it"));
                        }
                        proven.insert(key, problem);
                    }
                    None => failures.push(format!("{key}: {why} (the example is valid for its schema)")),
                },
            }
        }
    }
    for key in listed.keys() {
        let holder = key.rsplit_once('#').map_or(key.as_str(), |(h, _)| h);
        if !bless && !found.examples.iter().any(|(h, _)| h == holder) {
            failures.push(format!("{key}: listed, but the spec has no such example any more"));
        }
    }
    if bless {
        let mut out = String::from(
            "# Examples in the Telnyx spec that are wrong for their own schema, proven by the `jsonschema`\n\
             # validator (draft 2020-12; a schema with `properties` and no `type` read as an object).\n\
             # Read by tests/examples.rs; rewrite with TELNYX_EXAMPLES_BLESS=1.\n\
             # <pointer of the object holding the example>#<index>\\t<the validator's message>\n",
        );
        for (k, v) in &proven {
            out.push_str(&format!("{k}\t{}\n", v.replace(['\n', '\t'], " ")));
        }
        std::fs::write(&list_path, out).unwrap();
    }
    // Straight to stderr, past the test harness's capture, so that CI logs show it.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "examples: {tried} tried, {passed} passed, {invalid} proven invalid by the schema validator"
    );
    assert!(failures.is_empty(), "{} example failures:\n{}", failures.len(), failures.join("\n"));
}
