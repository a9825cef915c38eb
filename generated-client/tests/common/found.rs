//! Where the examples of a spec are: every `example` and `examples` value, by the JSON pointer
//! of the schema or media object holding it (the pointers the generator's example table uses).
//! Self-contained, so that the workspace's cross-version test can include it too.

use serde_json::{Map, Value};

/// How many `$ref`s in a row are followed before giving up (a cycle of bare `$ref`s).
pub const MAX_HOPS: usize = 64;

/// Follows local `$ref`s to what they name (a `$ref` that names nothing is left as it is).
pub fn follow<'d>(doc: &'d Value, mut v: &'d Value) -> &'d Value {
    for _ in 0..MAX_HOPS {
        match v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|t| doc.pointer(t)) {
            Some(next) => v = next,
            None => break,
        }
    }
    v
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every example in the document: (pointer of the object holding it, values in order).
#[derive(Default)]
pub struct Found {
    pub examples: Vec<(String, Vec<Value>)>,
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

    /// Every example of `doc`, in document order.
    pub fn document(doc: &Value) -> Found {
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
