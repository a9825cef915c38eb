//! Lenient reading: a schema the generator cannot read (a keyword of the wrong type, a `$ref`
//! that resolves nowhere, a `$ref` cycle) becomes `serde_json::Value` instead of stopping the
//! run, and is recorded with its JSON pointer and the reason, so that one bad schema in a new
//! spec does not cost the maintainer the whole client. Anything else is still an error.

use crate::error::{Error, Result};
use crate::ir::Fallback;
use serde_json::Value;
use std::path::Path;

/// How many schemas one run may degrade before it gives up (each costs a new read).
const MAX_DEGRADED: usize = 200;

/// Runs `read` (normalise and parse) on `doc`; each time it fails inside a schema, replaces that
/// schema with `{}` (any JSON value) and tries again.
pub fn read_leniently<T>(mut doc: Value, mut read: impl FnMut(Value) -> Result<T>) -> Result<(T, Vec<Fallback>)> {
    let mut degraded: Vec<Fallback> = Vec::new();
    loop {
        let error = match read(doc.clone()) {
            Ok(spec) => return Ok((spec, degraded)),
            Err(e) => e,
        };
        let Some(at) = schema_at(&error.pointer) else { return Err(error) };
        let seen = degraded.iter().any(|d| d.pointer == at);
        match doc.pointer_mut(&at) {
            Some(slot) if !seen && degraded.len() < MAX_DEGRADED => *slot = Value::Object(Default::default()),
            _ => return Err(error),
        }
        degraded.push(Fallback { pointer: at, reason: error.message });
    }
}

/// The deepest schema that holds `pointer` (or is it).
pub fn schema_at(pointer: &str) -> Option<String> {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    (1..=tokens.len()).rev().find(|&n| is_schema(&tokens[..n])).map(|n| {
        let mut out = String::new();
        for t in &tokens[..n] {
            out.push('/');
            out.push_str(t);
        }
        out
    })
}

/// Whether the pointer tokens name a schema object.
fn is_schema(tokens: &[&str]) -> bool {
    match tokens {
        ["components", "schemas", _] => true,
        [.., "schema"] => true,
        [rest @ .., "properties", _] => is_schema(rest),
        [rest @ .., "items" | "not" | "additionalProperties"] => is_schema(rest),
        [rest @ .., "allOf" | "oneOf" | "anyOf", i] if i.parse::<usize>().is_ok() => is_schema(rest),
        _ => false,
    }
}

/// The warning for a degraded schema, one line.
pub fn warning(file: &Path, d: &Fallback) -> String {
    format!("{}", Error::new(file, d.pointer.clone(), format!("{}; generated as serde_json::Value", d.reason)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deepest_schema_is_degraded() {
        assert_eq!(schema_at("/components/schemas/A/required").as_deref(), Some("/components/schemas/A"));
        assert_eq!(
            schema_at("/components/schemas/A/properties/b/items/$ref").as_deref(),
            Some("/components/schemas/A/properties/b/items")
        );
        assert_eq!(
            schema_at("/paths/~1a/get/responses/200/content/application~1json/schema/oneOf/1/type").as_deref(),
            Some("/paths/~1a/get/responses/200/content/application~1json/schema/oneOf/1")
        );
        // A property called `items` is a property, not the `items` keyword.
        assert_eq!(
            schema_at("/components/schemas/A/properties/items/type").as_deref(),
            Some("/components/schemas/A/properties/items")
        );
        assert_eq!(schema_at("/paths/~1a/get/operationId"), None);
        assert_eq!(schema_at("/info/title"), None);
    }
}
