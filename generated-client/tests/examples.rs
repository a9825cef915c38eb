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

#[path = "generated/example_table.rs"]
mod table;

mod common;
use common::found::Found;
use common::root;
use common::schema::Validator;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use telnyx::{Correction, DecodeMode};

/// What decoding a value gave: the value encoded back, and the corrections it needed.
struct Outcome {
    back: Value,
    corrections: Vec<Correction>,
}

/// Why a value did not decode: where (for a decode error) and what was said.
struct Failed {
    path: Option<String>,
    message: String,
}

/// Decodes one value into a type, in a mode, and encodes it back.
type Check = fn(&[u8], DecodeMode) -> Result<Outcome, Failed>;

fn check<T: Serialize + DeserializeOwned>(json: &[u8], mode: DecodeMode) -> Result<Outcome, Failed> {
    let decoded = telnyx::decode_json_with::<T>(json, mode).map_err(|e| match e.decode() {
        Some(d) => {
            Failed { path: Some(d.path.clone()), message: format!("decode failed at `{}`: {}", d.path, d.message) }
        }
        None => Failed { path: None, message: format!("decode failed: {e}") },
    })?;
    let failed = |message: String| Failed { path: None, message };
    let bytes = serde_json::to_vec(&decoded.value).map_err(|e| failed(format!("encode failed: {e}")))?;
    let back = serde_json::from_slice(&bytes).map_err(|e| failed(format!("encoded JSON does not parse: {e}")))?;
    Ok(Outcome { back, corrections: decoded.corrections })
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
            // Strictly: an example that only decodes with corrections does not round-trip.
            let outcome = match check(&bytes, DecodeMode::Strict) {
                Ok(o) if same(example, &o.back) => Ok(()),
                Ok(o) => Err(difference(example, &o.back, "$").unwrap_or_else(|| "differs".into())),
                Err(e) => Err(e.message),
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

// The deviation corpus: the examples of the spec's responses (and of its component schemas,
// which the responses name), each changed in one place the way live responses deviate from the
// spec. Whether a change deviates is not guessed: a JSON Schema validator decides it on the
// spec's *shapes* (types, required fields, enums, unions), with the constraints the client does
// not check (patterns, formats, lengths, ranges, `additionalProperties: false`) taken out.

/// One step of a path in a value.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A path as the client writes it: `data.items[0].id`, `.` for the whole value.
fn client_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

/// How a mutant differs from its example.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Change {
    Drop,
    Null,
    Scalar,
    UnknownValue,
    UnknownShape,
    AddField,
}

struct Mutant {
    value: Value,
    at: Vec<Step>,
    change: Change,
    /// For `Null`: the mutant that drops the same field (null stands for absent when that one
    /// is valid, and the object is not a map whose values cannot be null).
    dropped: Option<usize>,
}

/// Whether the object at `at`'s parent takes a property it does not declare with a `null`
/// value: false for a map whose values are typed (there, `null` is a deviation).
fn takes_null_extra(schema: &jsonschema::Validator, root: &Value, at: &[Step]) -> bool {
    let probe = with_node(root, &at[..at.len() - 1], &|v| {
        let mut v = v.clone();
        v.as_object_mut()?.insert("zz_probe".into(), Value::Null);
        Some(v)
    });
    schema.is_valid(&probe)
}

/// The value with the node at `at` replaced by `f(node)` (`None` removes it from its object).
fn with_node(value: &Value, at: &[Step], f: &dyn Fn(&Value) -> Option<Value>) -> Value {
    let mut out = value.clone();
    let mut node = &mut out;
    for (i, step) in at.iter().enumerate() {
        let last = i + 1 == at.len();
        match (step, node) {
            (Step::Key(k), Value::Object(map)) if last => {
                match f(&map[k.as_str()]) {
                    Some(v) => map.insert(k.clone(), v),
                    None => map.remove(k),
                };
                return out;
            }
            (Step::Key(k), Value::Object(map)) => node = map.get_mut(k.as_str()).unwrap(),
            (Step::Index(j), Value::Array(items)) if last => {
                items[*j] = f(&items[*j]).unwrap_or(Value::Null);
                return out;
            }
            (Step::Index(j), Value::Array(items)) => node = &mut items[*j],
            _ => unreachable!("a path taken from the value"),
        }
    }
    f(&out).unwrap_or(Value::Null)
}

/// Every one-place change of `example`: drop or null each field, each scalar as the other
/// scalar kinds, an unknown value for each string, an unknown shape for each object and list,
/// an unknown field in each object. Lists are changed in their first two items.
fn mutants(example: &Value) -> Vec<Mutant> {
    fn walk(root: &Value, node: &Value, at: &mut Vec<Step>, out: &mut Vec<Mutant>) {
        let push = |out: &mut Vec<Mutant>, at: &[Step], change, f: &dyn Fn(&Value) -> Option<Value>| {
            out.push(Mutant { value: with_node(root, at, f), at: at.to_vec(), change, dropped: None });
        };
        match node {
            Value::Object(map) => {
                if !at.is_empty() {
                    push(out, at, Change::UnknownShape, &|_| Some(Value::String("zz".into())));
                }
                let mut added = at.clone();
                added.push(Step::Key("zz_unknown_field".into()));
                out.push(Mutant {
                    value: with_node(root, at, &|v| {
                        let mut v = v.clone();
                        v.as_object_mut().unwrap().insert("zz_unknown_field".into(), Value::from(1));
                        Some(v)
                    }),
                    at: added,
                    change: Change::AddField,
                    dropped: None,
                });
                for (k, v) in map {
                    at.push(Step::Key(k.clone()));
                    push(out, at, Change::Drop, &|_| None);
                    if !v.is_null() {
                        let dropped = out.len() - 1;
                        push(out, at, Change::Null, &|_| Some(Value::Null));
                        out.last_mut().unwrap().dropped = Some(dropped);
                    }
                    walk(root, v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                if !at.is_empty() {
                    push(out, at, Change::UnknownShape, &|_| Some(serde_json::json!({ "zz": 1 })));
                }
                for (i, v) in items.iter().enumerate().take(2) {
                    at.push(Step::Index(i));
                    walk(root, v, at, out);
                    at.pop();
                }
            }
            Value::String(s) => {
                let number =
                    s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::from(1), Value::Number);
                push(out, at, Change::Scalar, &|_| Some(number.clone()));
                push(out, at, Change::Scalar, &|_| Some(Value::Bool(true)));
                push(out, at, Change::UnknownValue, &|_| Some(Value::String("zz-unknown-value".into())));
            }
            Value::Number(n) => {
                push(out, at, Change::Scalar, &|_| Some(Value::String(n.to_string())));
                push(out, at, Change::Scalar, &|_| Some(Value::Bool(true)));
            }
            Value::Bool(b) => {
                push(out, at, Change::Scalar, &|_| Some(Value::String(b.to_string())));
                push(out, at, Change::Scalar, &|_| Some(Value::from(1)));
            }
            Value::Null => {}
        }
    }
    let mut out = Vec::new();
    walk(example, example, &mut Vec::new(), &mut out);
    out
}

/// The spec with only its shapes left for the validator: what the client's types can tell
/// apart. `oneOf` reads as `anyOf` (the client takes the first variant that fits), and a
/// `readOnly`/`writeOnly` property is not required (one type serves requests and responses).
fn shapes_only(doc: &Value) -> Value {
    const CONSTRAINTS: &[&str] = &[
        "pattern",
        "format",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "not",
        "propertyNames",
        "contains",
        "minContains",
        "maxContains",
        "dependentRequired",
        "dependentSchemas",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
        "unevaluatedItems",
    ];
    // As the generator reads them: on the property itself, not through a `$ref`.
    fn one_way(s: &Value) -> bool {
        ["readOnly", "writeOnly"].iter().any(|k| s.get(*k) == Some(&Value::Bool(true)))
    }
    // A member of a `oneOf`/`anyOf` beside `properties` that only says which of them are
    // required or forbidden: validation, not a shape (the generator reads it so too).
    fn constraint_only(member: &Value) -> bool {
        member.as_object().is_some_and(|m| {
            m.keys().all(|k| ["required", "not", "properties", "description", "title"].contains(&k.as_str()))
        })
    }
    fn walk(v: &mut Value, names: bool) {
        match v {
            Value::Object(m) if names => m.values_mut().for_each(|s| walk(s, false)),
            Value::Object(m) => {
                for k in CONSTRAINTS {
                    m.remove(*k);
                }
                if m.get("additionalProperties") == Some(&Value::Bool(false)) {
                    m.remove("additionalProperties");
                }
                if m.contains_key("properties") {
                    for key in ["oneOf", "anyOf"] {
                        if let Some(Value::Array(members)) = m.get(key) {
                            if members.iter().all(constraint_only) {
                                m.remove(key);
                            }
                        }
                    }
                }
                if let Some(one) = m.remove("oneOf") {
                    m.insert("anyOf".into(), one);
                }
                if let (Some(Value::Array(required)), Some(Value::Object(props))) =
                    (m.get("required"), m.get("properties"))
                {
                    let kept: Vec<Value> = required
                        .iter()
                        .filter(|r| !r.as_str().and_then(|r| props.get(r)).is_some_and(one_way))
                        .cloned()
                        .collect();
                    m.insert("required".into(), Value::Array(kept));
                }
                for (k, sub) in m.iter_mut() {
                    if k != "example" && k != "examples" && k != "enum" && k != "const" && k != "default" {
                        walk(sub, k == "properties" || k == "$defs" || k == "patternProperties");
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|s| walk(s, false)),
            _ => {}
        }
    }
    let mut out = doc.clone();
    walk(&mut out, false);
    out
}

/// Whether `path` (client form) is `at` or lies above it: where a correction of a change at
/// `at` may be recorded (above it for a union that keeps the value whole in `Unknown`).
fn at_or_above(path: &str, at: &str) -> bool {
    path == at
        || path == "."
        || at.strip_prefix(path).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// The spec as the client reads it: [`Validator::object_reading`], with the properties the client
/// requires beyond the spec (the generator lists them: the `data` of an object that holds only
/// `data`, a webhook event's `data` and `payload`) added to their schemas' `required`.
fn client_reading(doc: &Value) -> Value {
    let mut reading = Validator::object_reading(doc);
    for (pointer, property) in table::REQUIRED_BEYOND_THE_SPEC {
        // The generator's pointers run through `$ref`s (a response named in `components`).
        let mut at = String::new();
        for token in pointer.split('/').skip(1) {
            at = common::follow_pointer(doc, at);
            at.push('/');
            at.push_str(token);
        }
        let schema = reading.pointer_mut(&at).and_then(Value::as_object_mut);
        let schema = schema.unwrap_or_else(|| panic!("no schema at {pointer}"));
        let required = schema.entry("required").or_insert_with(|| Value::Array(Vec::new()));
        required.as_array_mut().expect("`required` is a list").push(Value::String(property.to_string()));
    }
    reading
}

#[test]
fn deviations_from_the_spec_are_corrected_or_fail_strictly() {
    let doc = common::spec();
    let table: HashMap<&str, Check> = table::EXAMPLES.iter().copied().collect();
    let found = Found::document(&doc);
    let shapes = shapes_only(&client_reading(&doc));
    let validator = Validator::new(&shapes);
    let listed = read_list(&root().join("generated-client/tests/invalid_examples.txt"));

    let is_response =
        |h: &str| h.contains("/responses/") || (h.starts_with("/components/schemas/") && h.matches('/').count() == 3);
    let (mut examples, mut total, mut deviating, mut exact, mut above, mut harmless) = (0, 0, 0, 0, 0, 0);
    let mut by_change: BTreeMap<Change, usize> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for (holder, values) in found.examples.iter().filter(|(h, _)| is_response(h)) {
        let Some(check) = table.get(holder.as_str()) else { continue };
        let schema = match validator.compile(&schema_of(&doc, holder)) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{holder}: {e}"));
                continue;
            }
        };
        for (i, example) in values.iter().enumerate() {
            if listed.contains_key(&format!("{holder}#{i}")) || !schema.is_valid(example) {
                continue; // proven wrong for its own schema: nothing to deviate from
            }
            examples += 1;
            let list = mutants(example);
            let valid: Vec<bool> = list.iter().map(|m| schema.is_valid(&m.value)).collect();
            for (m, is_valid) in list.iter().zip(&valid) {
                total += 1;
                *by_change.entry(m.change).or_default() += 1;
                // `null` for a field that may be absent is absent.
                let absent = m.change == Change::Null
                    && m.dropped.is_some_and(|d| valid[d])
                    && takes_null_extra(&schema, example, &m.at);
                let deviates = !is_valid && !absent;
                let at = client_path(&m.at);
                let bytes = serde_json::to_vec(&m.value).unwrap();
                let key = format!("{holder}#{i} {:?} at `{at}`", m.change);
                let lenient = check(&bytes, DecodeMode::Lenient);
                let strict = check(&bytes, DecodeMode::Strict);
                match (&lenient, deviates) {
                    (Err(e), _) => failures.push(format!("{key}: does not decode leniently: {}", e.message)),
                    (Ok(o), false) if !o.corrections.is_empty() => failures
                        .push(format!("{key}: valid for the spec's shapes, yet corrected: {}", o.corrections[0])),
                    (Ok(_), false) => harmless += 1,
                    (Ok(o), true) if o.corrections.is_empty() => {
                        failures.push(format!("{key}: deviates from the spec, but no correction was recorded"))
                    }
                    (Ok(o), true) => {
                        deviating += 1;
                        match o.corrections.iter().find(|c| !at_or_above(&c.path, &at)) {
                            Some(c) => failures.push(format!("{key}: a correction elsewhere: {c}")),
                            None if o.corrections.iter().any(|c| c.path == at) => exact += 1,
                            None => above += 1,
                        }
                    }
                }
                match (&strict, deviates) {
                    (Ok(_), true) => failures.push(format!("{key}: deviates, yet the strict decode accepts it")),
                    (Err(e), false) => {
                        failures.push(format!("{key}: valid for the spec's shapes, yet strict fails: {}", e.message))
                    }
                    (Err(Failed { path: Some(p), .. }), true) if !at_or_above(p, &at) => {
                        failures.push(format!("{key}: strict fails elsewhere, at `{p}`"))
                    }
                    _ => {}
                }
            }
        }
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "deviations: {examples} response examples, {total} mutants ({by_change:?}): {deviating} deviate from the spec \
         and decode with corrections ({exact} at the changed path, {above} at an enclosing union), strict fails on all \
         of them; {harmless} do not deviate and decode unchanged; {} failures",
        failures.len()
    );
    failures.sort();
    let shown: Vec<&String> = failures.iter().take(400).collect();
    assert!(
        failures.is_empty(),
        "{} deviation failures, the first:\n{}",
        failures.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

/// The published specs before the pinned one: the pinned client must read what the API sent
/// under them. Each example of an older spec whose place (JSON pointer) the pinned spec still
/// has is decoded, leniently, into the pinned type of that place: none may fail; the counts of
/// corrections (what the older API sent that the current spec no longer says) are printed.
#[test]
fn the_pinned_client_decodes_the_examples_of_the_older_specs() {
    let history = root().join("../shared/specs/telnyx/history");
    let Ok(entries) = std::fs::read_dir(&history) else {
        panic!("no older specs at {} (the `shared` folder beside the repository)", history.display())
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml" || x == "json"));
    files.sort();
    assert!(!files.is_empty(), "no older specs in {}", history.display());
    let table: HashMap<&str, Check> = table::EXAMPLES.iter().copied().collect();
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: Value = serde_yaml::from_str(&text).unwrap();
        let found = Found::document(&doc);
        let failed_before = failures.len();
        let (mut tried, mut exact, mut corrected, mut corrections, mut strict_fails) = (0, 0, 0, 0, 0);
        for (holder, values) in &found.examples {
            let Some(check) = table.get(holder.as_str()) else { continue };
            for (i, example) in values.iter().enumerate() {
                tried += 1;
                let bytes = serde_json::to_vec(example).unwrap();
                match check(&bytes, DecodeMode::Lenient) {
                    Ok(o) if o.corrections.is_empty() => exact += 1,
                    Ok(o) => {
                        corrected += 1;
                        corrections += o.corrections.len();
                    }
                    Err(e) => failures.push(format!("{}: {holder}#{i}: {}", file.display(), e.message)),
                }
                if check(&bytes, DecodeMode::Strict).is_err() {
                    strict_fails += 1;
                }
            }
        }
        let name = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        lines.push(format!(
            "{name}: {tried} examples, {exact} decode as they are, {corrected} with {corrections} corrections \
             ({strict_fails} fail strictly), {} fail",
            failures.len() - failed_before
        ));
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "older specs, read by the pinned client: {}", lines.join("; "));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures[..failures.len().min(40)].join("\n"));
}
