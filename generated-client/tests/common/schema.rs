//! Validating values against the spec's schemas, as JSON Schema (draft 2020-12, the dialect of
//! OpenAPI 3.1), with the `jsonschema` crate.

use serde_json::Value;

// A pointer in a URI fragment is percent-encoded (RFC 6901, section 6).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'#')
    .add(b'%')
    .add(b'[')
    .add(b']');

/// Validates values against the schemas of one document.
pub struct Validator<'r> {
    registry: jsonschema::Registry<'r>,
    formats: bool,
}

impl<'r> Validator<'r> {
    const BASE: &'static str = "urn:telnyx:openapi";

    /// `doc` as JSON Schema reads it, with one change that is how the generator (and OpenAPI
    /// tooling generally) reads the spec: a schema with `properties` and no `type` is an object.
    pub fn object_reading(doc: &Value) -> Value {
        fn walk(v: &mut Value) {
            match v {
                Value::Object(m) => {
                    let typeless = !m.contains_key("type") && !m.contains_key("$ref");
                    let combined = ["allOf", "anyOf", "oneOf"].iter().any(|k| m.contains_key(*k));
                    if typeless && !combined && m.get("properties").is_some_and(Value::is_object) {
                        m.insert("type".into(), Value::String("object".into()));
                    }
                    for (k, sub) in m.iter_mut() {
                        if k != "example" && k != "examples" {
                            walk(sub);
                        }
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(walk),
                _ => {}
            }
        }
        let mut doc = doc.clone();
        walk(&mut doc);
        doc
    }

    pub fn new(doc: &'r Value) -> Self {
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .add(Self::BASE, doc)
            .and_then(|b| b.prepare())
            .expect("the spec loads as a JSON Schema resource");
        Validator { registry, formats: false }
    }

    /// Also checks `format` (by default, as JSON Schema 2020-12 says, it is only an annotation),
    /// as a server that validates requests does.
    pub fn checking_formats(mut self) -> Self {
        self.formats = true;
        self
    }

    /// A validator for the schema at `schema_ptr`.
    pub fn compile(&self, schema_ptr: &str) -> Result<jsonschema::Validator, String> {
        let fragment = percent_encoding::utf8_percent_encode(schema_ptr, FRAGMENT);
        let wrapper = serde_json::json!({ "$ref": format!("{}#{fragment}", Self::BASE) });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_registry(&self.registry)
            .should_validate_formats(self.formats)
            // Not a JSON Schema format, but one the spec uses and request validators check.
            .with_format("url", |s: &str| {
                s.split_once("://").is_some_and(|(scheme, rest)| {
                    !scheme.is_empty()
                        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                        && !rest.is_empty()
                })
            })
            .build(&wrapper)
            .map_err(|e| format!("the schema does not compile: {e}"))
    }

    /// `None` when `value` is valid for the schema at `schema_ptr`, else the validator's
    /// first message, with where it applies.
    pub fn problem(&self, schema_ptr: &str, value: &Value) -> Option<String> {
        let validator = match self.compile(schema_ptr) {
            Ok(v) => v,
            Err(e) => return Some(e),
        };
        let error = validator.iter_errors(value).next()?;
        let at = error.instance_path().to_string();
        let mut message = error.to_string();
        // Name a long offending value by its kind rather than quoting it whole.
        let instance = error.instance().to_string();
        if instance.len() > 40 {
            let kind = match error.instance().as_ref() {
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
                Value::String(_) => "a string",
                _ => "the value",
            };
            message = message.replacen(&instance, kind, 1);
        }
        let message: String = message.chars().take(200).collect();
        Some(if at.is_empty() { message } else { format!("at {at}: {message}") })
    }
}
