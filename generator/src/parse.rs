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
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut ptr = base.to_string();
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
        Error::new(file, ptr, e.into_inner().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_type_is_located() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": ["not", "a", "string"], "responses": {}}}}});
        let err = parse(Path::new("s.yml"), Normalized { document: doc, webhooks: json!({}) })
            .err()
            .unwrap();
        assert_eq!(err.pointer, "/paths/~1a/get/operationId");
        assert!(err.message.contains("invalid type"), "{err}");
    }

    #[test]
    fn missing_info_is_reported() {
        let doc = json!({"openapi": "3.0.3", "paths": {}});
        let err = parse(Path::new("s.yml"), Normalized { document: doc, webhooks: json!({}) })
            .err()
            .unwrap();
        assert!(err.message.contains("info"), "{err}");
    }
}
