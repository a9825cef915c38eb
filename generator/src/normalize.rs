//! Stage 2: bring an OpenAPI 3.1 document into the 3.0 form that `openapiv3` reads, and check
//! that every `$ref` resolves. Works on the raw JSON value so that nothing 3.1-specific is lost
//! before we decide what it means. Top-level `webhooks` are taken out and kept for the IR.
//!
//! Each rewrite is local to one schema object:
//! - `type: [X, 'null']` becomes `type: X` + `nullable: true`; `type: 'null'` becomes `nullable`;
//!   several non-null types become a `oneOf` of one schema per type.
//! - `const: v` becomes `enum: [v]`.
//! - an `examples` list becomes `example` (its first entry).
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` + `true`.
//! - `$ref` with sibling keys becomes `allOf: [{$ref}]` beside those keys (3.0 ignores siblings).
//! - boolean schemas become `{}` (true) or `{not: {}}` (false).
//! - a `oneOf`/`anyOf` beside `properties` whose members only constrain those properties
//!   (`required` lists, a declared property forbidden with `not`) is validation, not shape: it is
//!   dropped, so the object keeps its properties.
//! - `example: null` is kept as [`NULL_EXAMPLE`] (`openapiv3` reads a null example as none).

use crate::error::{escape_token, Error, Result};
use serde_json::{Map, Value};
use std::path::Path;

/// The document in 3.0 form, and the webhooks (in 3.0 path-item form) taken out of it.
pub struct Normalized {
    pub document: Value,
    pub webhooks: Value,
}

/// Checks references, then rewrites `doc` in place into 3.0 form.
pub fn normalize(file: &Path, mut doc: Value) -> Result<Normalized> {
    check_refs(file, &doc)?;
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("").to_string();
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(Error::new(
            file,
            "/openapi",
            format!("unsupported OpenAPI version {version:?}; expected 3.0.x or 3.1.x"),
        ));
    }
    let Value::Object(root) = &mut doc else {
        return Err(Error::new(file, "", "the spec must be a mapping at its top level"));
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    let mut webhooks = root.remove("webhooks").unwrap_or_else(|| Value::Object(Map::new()));

    let mut ptr = String::new();
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        with_token(&mut ptr, "paths", |ptr| each_entry(paths, ptr, path_item));
    }
    if let Value::Object(hooks) = &mut webhooks {
        with_token(&mut ptr, "webhooks", |ptr| each_entry(hooks, ptr, path_item));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        with_token(&mut ptr, "components", |ptr| {
            for (section, f) in [
                ("schemas", schema as fn(&mut Value, &mut String)),
                ("parameters", parameter),
                ("requestBodies", content_holder),
                ("responses", response),
                ("headers", parameter),
            ] {
                if let Some(Value::Object(map)) = components.get_mut(section) {
                    with_token(ptr, section, |ptr| each_entry(map, ptr, f));
                }
            }
            // 3.1 only; openapiv3 would not read it and nothing in the IR needs it.
            components.remove("pathItems");
        });
    }
    Ok(Normalized { document: doc, webhooks })
}

fn with_token<R>(ptr: &mut String, token: &str, f: impl FnOnce(&mut String) -> R) -> R {
    let len = ptr.len();
    ptr.push('/');
    ptr.push_str(&escape_token(token));
    let r = f(ptr);
    ptr.truncate(len);
    r
}

fn each_entry(map: &mut Map<String, Value>, ptr: &mut String, f: fn(&mut Value, &mut String)) {
    for (k, v) in map.iter_mut() {
        with_token(ptr, k, |ptr| f(v, ptr));
    }
}

fn each_item(list: &mut [Value], ptr: &mut String, f: fn(&mut Value, &mut String)) {
    for (i, v) in list.iter_mut().enumerate() {
        with_token(ptr, &i.to_string(), |ptr| f(v, ptr));
    }
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn path_item(v: &mut Value, ptr: &mut String) {
    let Value::Object(item) = v else { return };
    if let Some(Value::Array(params)) = item.get_mut("parameters") {
        with_token(ptr, "parameters", |ptr| each_item(params, ptr, parameter));
    }
    for m in METHODS {
        if let Some(op) = item.get_mut(m) {
            with_token(ptr, m, |ptr| operation(op, ptr));
        }
    }
}

fn operation(v: &mut Value, ptr: &mut String) {
    let Value::Object(op) = v else { return };
    if let Some(Value::Array(params)) = op.get_mut("parameters") {
        with_token(ptr, "parameters", |ptr| each_item(params, ptr, parameter));
    }
    if let Some(body) = op.get_mut("requestBody") {
        with_token(ptr, "requestBody", |ptr| content_holder(body, ptr));
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        with_token(ptr, "responses", |ptr| each_entry(responses, ptr, response));
    }
}

fn parameter(v: &mut Value, ptr: &mut String) {
    let Value::Object(p) = v else { return };
    if let Some(s) = p.get_mut("schema") {
        with_token(ptr, "schema", |ptr| schema(s, ptr));
    }
    if let Some(c) = p.get_mut("content") {
        with_token(ptr, "content", |ptr| media_types(c, ptr));
    }
}

fn content_holder(v: &mut Value, ptr: &mut String) {
    if let Some(c) = v.get_mut("content") {
        with_token(ptr, "content", |ptr| media_types(c, ptr));
    }
}

fn response(v: &mut Value, ptr: &mut String) {
    content_holder(v, ptr);
    if let Some(Value::Object(headers)) = v.get_mut("headers") {
        with_token(ptr, "headers", |ptr| each_entry(headers, ptr, parameter));
    }
}

fn media_types(v: &mut Value, ptr: &mut String) {
    let Value::Object(map) = v else { return };
    each_entry(map, ptr, |mt, ptr| {
        if let Some(s) = mt.get_mut("schema") {
            with_token(ptr, "schema", |ptr| schema(s, ptr));
        }
    });
}

/// Rewrites one schema object (and, recursively, its subschemas) into 3.0 form.
/// Marks a schema whose `example` is `null`.
pub const NULL_EXAMPLE: &str = "x-telnyx-codegen-null-example";

/// Whether a `oneOf`/`anyOf` member only constrains properties its parent declares.
fn constrains_only(member: &Value, declared: &Map<String, Value>) -> bool {
    let Value::Object(m) = member else { return false };
    m.iter().all(|(k, v)| match k.as_str() {
        "required" => {
            v.as_array().is_some_and(|names| names.iter().all(|n| n.as_str().is_some_and(|n| declared.contains_key(n))))
        }
        "properties" => v.as_object().is_some_and(|props| {
            props.iter().all(|(name, p)| {
                declared.contains_key(name) && p.as_object().is_some_and(|p| p.keys().all(|k| k == "not"))
            })
        }),
        "title" | "description" => true,
        _ => false,
    })
}

pub fn schema(v: &mut Value, ptr: &mut String) {
    if let Value::Bool(b) = v {
        *v = if *b { Value::Object(Map::new()) } else { serde_json::json!({"not": {}}) };
        return;
    }
    let Value::Object(s) = v else { return };

    if s.contains_key("$ref") && s.len() > 1 {
        let reference = s.remove("$ref").unwrap_or(Value::Null);
        let mut wrapped = Map::new();
        wrapped.insert("$ref".into(), reference);
        let mut all_of = vec![Value::Object(wrapped)];
        if let Some(Value::Array(existing)) = s.remove("allOf") {
            all_of.extend(existing);
        }
        s.insert("allOf".into(), Value::Array(all_of));
    }

    if let Some(Value::Array(types)) = s.get("type") {
        let mut non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        let nullable = non_null.len() < types.len();
        s.remove("type");
        if nullable {
            s.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.len() {
            0 => {}
            1 => {
                s.insert("type".into(), non_null.remove(0));
            }
            _ => {
                let variants = non_null.into_iter().map(|t| serde_json::json!({ "type": t })).collect();
                s.insert("oneOf".into(), Value::Array(variants));
            }
        }
    } else if s.get("type").and_then(Value::as_str) == Some("null") {
        s.remove("type");
        s.insert("nullable".into(), Value::Bool(true));
    }

    if let Some(c) = s.remove("const") {
        s.insert("enum".into(), Value::Array(vec![c]));
    }
    if s.get("example").is_some_and(Value::is_null) {
        s.insert(NULL_EXAMPLE.into(), Value::Bool(true));
    }
    if let Some(Value::Object(declared)) = s.get("properties") {
        let constraint = |key: &str| {
            s.get(key).and_then(Value::as_array).is_some_and(|list| list.iter().all(|m| constrains_only(m, declared)))
        };
        let (one_of, any_of) = (constraint("oneOf"), constraint("anyOf"));
        if one_of {
            s.remove("oneOf");
        }
        if any_of {
            s.remove("anyOf");
        }
    }
    if let Some(Value::Array(examples)) = s.get("examples") {
        let first = examples.first().cloned();
        s.remove("examples");
        if let (Some(first), false) = (first, s.contains_key("example")) {
            s.insert("example".into(), first);
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n) = s.get(exclusive).filter(|n| n.is_number()).cloned() {
            s.insert(bound.into(), n);
            s.insert(exclusive.into(), Value::Bool(true));
        }
    }

    for key in ["items", "not"] {
        if let Some(sub) = s.get_mut(key) {
            with_token(ptr, key, |ptr| schema(sub, ptr));
        }
    }
    // `additionalProperties: true/false` is valid 3.0 as it is.
    if let Some(sub @ Value::Object(_)) = s.get_mut("additionalProperties") {
        with_token(ptr, "additionalProperties", |ptr| schema(sub, ptr));
    }
    if let Some(Value::Object(props)) = s.get_mut("properties") {
        // Draft-3 style `required: true` on a property (older Telnyx specs) means the
        // property is required by its parent.
        let mut required_here = Vec::new();
        for (name, prop) in props.iter_mut() {
            // Only the flag moves: a nested object's own `required` list stays where it is.
            let Some(p) = prop.as_object_mut() else { continue };
            if let Some(Value::Bool(b)) = p.get("required").cloned() {
                p.remove("required");
                if b {
                    required_here.push(Value::String(name.clone()));
                }
            }
        }
        with_token(ptr, "properties", |ptr| each_entry(props, ptr, schema));
        if !required_here.is_empty() {
            match s.entry("required").or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(list) => {
                    for name in required_here {
                        if !list.contains(&name) {
                            list.push(name);
                        }
                    }
                }
                other => *other = Value::Array(required_here),
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = s.get_mut(key) {
            with_token(ptr, key, |ptr| each_item(list, ptr, schema));
        }
    }
}

/// Every `$ref` must be local (`#/...`) and resolve inside the document.
fn check_refs(file: &Path, doc: &Value) -> Result<()> {
    fn walk(file: &Path, doc: &Value, v: &Value, ptr: &mut String) -> Result<()> {
        match v {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref") {
                    let Some(target) = r.as_str() else {
                        return Err(Error::new(file, format!("{ptr}/$ref"), "$ref must be a string"));
                    };
                    let Some(fragment) = target.strip_prefix('#') else {
                        return Err(Error::new(
                            file,
                            format!("{ptr}/$ref"),
                            format!("external $ref {target:?} is not supported; bundle the spec into one file"),
                        ));
                    };
                    let fragment = percent_decode(fragment);
                    if doc.pointer(&fragment).is_none() {
                        return Err(Error::new(
                            file,
                            format!("{ptr}/$ref"),
                            format!("$ref {target:?} resolves nowhere"),
                        ));
                    }
                }
                for (k, x) in map {
                    // `example(s)` hold data, not spec: a `$ref` key there is just a value.
                    if k == "example" || k == "examples" && x.is_array() {
                        continue;
                    }
                    let len = ptr.len();
                    ptr.push('/');
                    ptr.push_str(&escape_token(k));
                    walk(file, doc, x, ptr)?;
                    ptr.truncate(len);
                }
            }
            Value::Array(list) => {
                for (i, x) in list.iter().enumerate() {
                    let len = ptr.len();
                    ptr.push('/');
                    ptr.push_str(&i.to_string());
                    walk(file, doc, x, ptr)?;
                    ptr.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(file, doc, doc, &mut String::new())
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm_schema(mut v: Value) -> Value {
        schema(&mut v, &mut String::new());
        v
    }

    fn doc(extra: Value) -> Value {
        let mut d = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        for (k, v) in extra.as_object().unwrap() {
            d[k] = v.clone();
        }
        d
    }

    #[test]
    fn type_list_with_null_becomes_nullable() {
        assert_eq!(
            norm_schema(json!({"type": ["string", "null"], "format": "uuid"})),
            json!({"type": "string", "format": "uuid", "nullable": true})
        );
        assert_eq!(norm_schema(json!({"type": ["array"]})), json!({"type": "array"}));
        assert_eq!(norm_schema(json!({"type": "null"})), json!({"nullable": true}));
    }

    #[test]
    fn several_types_become_one_of() {
        assert_eq!(
            norm_schema(json!({"type": ["string", "integer", "null"]})),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn const_becomes_single_enum() {
        assert_eq!(
            norm_schema(json!({"type": "string", "const": "call.hangup"})),
            json!({"type": "string", "enum": ["call.hangup"]})
        );
    }

    #[test]
    fn constraint_only_unions_beside_properties_are_dropped() {
        let v = norm_schema(json!({
            "type": "object",
            "properties": {"Url": {"type": "string"}, "Texml": {"type": "string"}},
            "oneOf": [
                {"required": ["Url"], "properties": {"Texml": {"not": {}}}, "title": "With URL"},
                {"required": ["Texml"], "properties": {"Url": {"not": {}}}}
            ]
        }));
        assert!(v.get("oneOf").is_none(), "{v}");
        // A member with a shape of its own is a real union, and stays.
        let v = norm_schema(json!({
            "properties": {"a": {"type": "string"}},
            "anyOf": [{"required": ["a"]}, {"properties": {"b": {"type": "string"}}}]
        }));
        assert!(v.get("anyOf").is_some(), "{v}");
    }

    #[test]
    fn null_examples_are_marked() {
        let v = norm_schema(json!({"type": ["string", "null"], "example": null}));
        assert_eq!(v[NULL_EXAMPLE], json!(true));
        assert!(norm_schema(json!({"type": "string", "example": "x"})).get(NULL_EXAMPLE).is_none());
    }

    #[test]
    fn examples_list_becomes_example() {
        assert_eq!(
            norm_schema(json!({"type": "integer", "examples": [3, 4]})),
            json!({"type": "integer", "example": 3})
        );
        // An explicit `example` wins.
        assert_eq!(norm_schema(json!({"example": 1, "examples": [3]})), json!({"example": 1}));
    }

    #[test]
    fn ref_with_siblings_becomes_all_of() {
        assert_eq!(
            norm_schema(json!({"$ref": "#/components/schemas/A", "description": "d", "nullable": true})),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        // A bare $ref stays as it is.
        assert_eq!(norm_schema(json!({"$ref": "#/x"})), json!({"$ref": "#/x"}));
    }

    #[test]
    fn numeric_exclusive_bounds() {
        assert_eq!(
            norm_schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "exclusiveMaximum": true, "maximum": 10})
        );
        // 3.0 booleans are left alone.
        assert_eq!(
            norm_schema(json!({"minimum": 1, "exclusiveMinimum": true})),
            json!({"minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn draft3_required_flags_move_to_the_parent() {
        let v = norm_schema(json!({"type": "object", "required": ["a"],
            "properties": {"a": {"type": "string"}, "b": {"type": "string", "required": true}, "c": {"required": false}}}));
        assert_eq!(v["required"], json!(["a", "b"]));
        assert_eq!(v["properties"]["b"], json!({"type": "string"}));
        assert_eq!(v["properties"]["c"], json!({}));
        // A nested object's own `required` list is not a flag: it stays.
        let v = norm_schema(json!({"type": "object",
            "properties": {"meta": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}}}));
        assert_eq!(v["properties"]["meta"]["required"], json!(["url"]));
        assert!(v.get("required").is_none());
    }

    #[test]
    fn boolean_schemas() {
        assert_eq!(norm_schema(json!(true)), json!({}));
        assert_eq!(norm_schema(json!(false)), json!({"not": {}}));
    }

    #[test]
    fn nested_schemas_are_rewritten() {
        let v = norm_schema(json!({
            "type": "object",
            "properties": {"a": {"type": ["integer", "null"]}, "type": {"type": "string"}},
            "additionalProperties": {"const": 1},
            "items": {"examples": ["x"]},
            "oneOf": [{"type": "null"}]
        }));
        assert_eq!(v["properties"]["a"], json!({"type": "integer", "nullable": true}));
        assert_eq!(v["properties"]["type"], json!({"type": "string"}));
        assert_eq!(v["additionalProperties"], json!({"enum": [1]}));
        assert_eq!(v["items"], json!({"example": "x"}));
        assert_eq!(v["oneOf"][0], json!({"nullable": true}));
    }

    #[test]
    fn webhooks_are_kept_and_normalised() {
        let d = doc(
            json!({"webhooks": {"Ev": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["object", "null"]}}}}}}}}),
        );
        let n = normalize(Path::new("s.yml"), d).unwrap();
        assert!(n.document.get("webhooks").is_none());
        assert_eq!(n.document["openapi"], "3.0.3");
        assert_eq!(
            n.webhooks["Ev"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object", "nullable": true})
        );
    }

    #[test]
    fn schemas_everywhere_are_reached() {
        let d = doc(json!({
            "paths": {"/a": {"parameters": [{"name": "p", "in": "query", "schema": {"const": 1}}],
                "get": {"responses": {"200": {"description": "", "headers": {"h": {"schema": {"type": "null"}}},
                    "content": {"application/json": {"schema": {"examples": [1]}}}}}}}},
            "components": {"parameters": {"q": {"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}},
                "requestBodies": {"b": {"content": {"application/json": {"schema": {"const": "x"}}}}}}
        }));
        let n = normalize(Path::new("s.yml"), d).unwrap().document;
        assert_eq!(n["paths"]["/a"]["parameters"][0]["schema"], json!({"enum": [1]}));
        let r = &n["paths"]["/a"]["get"]["responses"]["200"];
        assert_eq!(r["headers"]["h"]["schema"], json!({"nullable": true}));
        assert_eq!(r["content"]["application/json"]["schema"], json!({"example": 1}));
        assert_eq!(n["components"]["parameters"]["q"]["schema"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            n["components"]["requestBodies"]["b"]["content"]["application/json"]["schema"],
            json!({"enum": ["x"]})
        );
    }

    #[test]
    fn broken_ref_is_located() {
        let d = doc(json!({"paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}}));
        let err = normalize(Path::new("s.yml"), d).err().unwrap();
        assert_eq!(err.pointer, "/paths/~1a/get/responses/200/$ref");
        assert!(err.message.contains("resolves nowhere"));
    }

    #[test]
    fn external_ref_is_refused() {
        let d = doc(json!({"components": {"schemas": {"A": {"$ref": "other.yml#/B"}}}}));
        let err = normalize(Path::new("s.yml"), d).err().unwrap();
        assert_eq!(err.pointer, "/components/schemas/A/$ref");
        assert!(err.message.contains("external"));
    }

    #[test]
    fn unknown_version_is_refused() {
        let err = normalize(Path::new("s.yml"), json!({"openapi": "2.0"})).err().unwrap();
        assert_eq!(err.pointer, "/openapi");
    }

    #[test]
    fn percent_encoded_refs_resolve() {
        let d = doc(
            json!({"components": {"schemas": {"A B": {"type": "string"}, "C": {"$ref": "#/components/schemas/A%20B"}}}}),
        );
        assert!(normalize(Path::new("s.yml"), d).is_ok());
    }
}
