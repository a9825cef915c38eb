//! Stage 3: deserialize the normalised document into `openapiv3` types. A wrong type anywhere
//! (say a number where a mapping belongs) is reported with the JSON pointer where it happened.

use crate::error::{escape_token, Error, Result};
use crate::normalize::Normalized;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

/// The parsed document plus its webhooks (name → path item), in spec order.
pub struct Spec {
    pub openapi: OpenAPI,
    pub webhooks: IndexMap<String, ReferenceOr<PathItem>>,
}

pub fn parse(file: &Path, normalized: Normalized) -> Result<Spec> {
    let openapi = from_value(file, "", normalized.document)?;
    let webhooks = from_value(file, "/webhooks", normalized.webhooks)?;
    Ok(Spec { openapi, webhooks })
}

fn from_value<T: DeserializeOwned>(file: &Path, base: &str, value: Value) -> Result<T> {
    // Kept only to locate an error; deserializing from a borrowed value avoids the copy.
    let original = &value;
    serde_path_to_error::deserialize(original).map_err(|e| {
        let mut ptr = String::new();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            let token = match seg {
                Segment::Seq { index } => index.to_string(),
                Segment::Map { key } => key.clone(),
                Segment::Enum { variant } => variant.clone(),
                Segment::Unknown => continue,
            };
            ptr.push('/');
            ptr.push_str(&escape_token(&token));
        }
        let message = e.into_inner().to_string();
        let located = |p: String| format!("{base}{p}");
        // `openapiv3` flattens extensions into its structs, which hides the path below that
        // point; look for the mistyped field ourselves.
        match original.pointer(&ptr).and_then(|v| first_mistyped(v, &mut ptr.clone(), None)) {
            Some((deeper, expected)) => Error::new(file, located(deeper), format!("{expected} ({message})")),
            None => Error::new(file, located(ptr), message),
        }
    })
}

/// Keys whose children are names chosen by the spec author, not OpenAPI fields.
const NAME_MAPS: &[&str] = &[
    "paths",
    "properties",
    "schemas",
    "responses",
    "content",
    "headers",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "callbacks",
    "links",
    "mapping",
    "webhooks",
    "encoding",
    "variables",
    "scopes",
];
/// Keys holding data, not spec.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "x-"];

/// The first OpenAPI field under `v` whose JSON type is wrong, with what was expected.
fn first_mistyped(v: &Value, ptr: &mut String, parent: Option<&str>) -> Option<(String, String)> {
    let Value::Object(map) = v else {
        return match v {
            Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| {
                let len = ptr.len();
                ptr.push_str(&format!("/{i}"));
                let r = first_mistyped(x, ptr, None);
                ptr.truncate(len);
                r
            }),
            _ => None,
        };
    };
    let names_only =
        parent.is_some_and(|p| NAME_MAPS.contains(&p)) && !(parent == Some("parameters") && map.contains_key("in"));
    for (k, x) in map {
        if DATA.iter().any(|d| k == d || (d.ends_with('-') && k.starts_with(d))) {
            continue;
        }
        let len = ptr.len();
        ptr.push('/');
        ptr.push_str(&escape_token(k));
        // The members of `properties` and `schemas` are schemas: mappings (or `true`).
        if names_only && matches!(parent, Some("properties" | "schemas")) && !x.is_object() && x != &Value::Bool(true) {
            return Some((ptr.clone(), "expected a schema (a mapping)".to_string()));
        }
        if !names_only {
            let expected = match k.as_str() {
                "operationId" | "summary" | "description" | "title" | "name" | "in" | "$ref" | "url" | "version"
                | "format" | "pattern" | "openapi" | "style" | "propertyName" => {
                    x.is_string().then_some(()).map_or(Some("expected a string"), |_| None)
                }
                "deprecated" | "nullable" | "readOnly" | "writeOnly" | "explode" | "allowReserved" | "uniqueItems" => {
                    x.is_boolean().then_some(()).map_or(Some("expected a boolean"), |_| None)
                }
                "tags" | "allOf" | "oneOf" | "anyOf" | "servers" | "security" => {
                    x.is_array().then_some(()).map_or(Some("expected a list"), |_| None)
                }
                "info" | "components" | "requestBody" | "items" | "discriminator" => {
                    x.is_object().then_some(()).map_or(Some("expected a mapping"), |_| None)
                }
                "paths" | "properties" | "schemas" | "responses" | "content" | "headers" => {
                    x.is_object().then_some(()).map_or(Some("expected a mapping"), |_| None)
                }
                "minimum" | "maximum" | "minLength" | "maxLength" | "minItems" | "maxItems" => {
                    x.is_number().then_some(()).map_or(Some("expected a number"), |_| None)
                }
                _ => None,
            };
            if let Some(expected) = expected {
                return Some((ptr.clone(), expected.to_string()));
            }
        }
        if let Some(found) = first_mistyped(x, ptr, if names_only { None } else { Some(k) }) {
            return Some(found);
        }
        ptr.truncate(len);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_type_is_located() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": ["not", "a", "string"], "responses": {}}}}});
        let err = parse(Path::new("s.yml"), Normalized { document: doc, webhooks: json!({}) }).err().unwrap();
        assert_eq!(err.pointer, "/paths/~1a/get/operationId");
        assert!(err.message.contains("invalid type"), "{err}");
    }

    #[test]
    fn missing_info_is_reported() {
        let doc = json!({"openapi": "3.0.3", "paths": {}});
        let err = parse(Path::new("s.yml"), Normalized { document: doc, webhooks: json!({}) }).err().unwrap();
        assert!(err.message.contains("info"), "{err}");
    }
}
