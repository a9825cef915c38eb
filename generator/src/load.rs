//! Stage 1: read a spec file (YAML or JSON) into a `serde_json::Value`.

use crate::error::{escape_token, Error, Result};
use serde_json::Value;
use std::path::Path;

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(path, "", format!("cannot read the spec: {e}")))?;
    parse(path, &text)
}

/// Parses spec text; JSON when it looks like JSON, YAML otherwise (YAML is a superset anyway,
/// but the JSON parser is faster and gives better messages for JSON).
pub fn parse(path: &Path, text: &str) -> Result<Value> {
    // A byte-order mark is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    let value = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        let parsed = serde::de::DeserializeSeed::deserialize(Unique(0), &mut de).and_then(|v| de.end().map(|_| v));
        parsed.map_err(|e| {
            let ptr = pointer_at_line(text, e.line());
            Error::new(path, ptr, format!("invalid JSON at line {} column {}: {e}", e.line(), e.column()))
        })?
    } else {
        serde::de::DeserializeSeed::deserialize(Unique(0), serde_yaml::Deserializer::from_str(text)).map_err(|e| {
            let (line, col) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
            let ptr = pointer_at_line(text, line);
            let msg = e.to_string();
            // serde_yaml appends " at line X column Y"; we print that ourselves.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            Error::new(path, ptr, format!("invalid YAML at line {line} column {col}: {msg}"))
        })?
    };
    if !value.is_object() {
        return Err(Error::new(path, "", "the spec must be a mapping at its top level"));
    }
    Ok(value)
}

/// How deep a document may nest, as `serde_json` allows (the pinned spec reaches about 30).
const MAX_DEPTH: usize = 128;

/// A JSON value read from JSON or YAML, refusing what `serde_json::Value` would take silently: a
/// key given twice in one mapping (the last would win), and nesting deeper than [`MAX_DEPTH`].
struct Unique(usize);

impl<'de> serde::de::DeserializeSeed<'de> for Unique {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Unique {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(v.into())
    }

    // Integers past 64 bits (YAML reads them so) become floats, as JSON's reader does.
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> std::result::Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> std::result::Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} is out of range")))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let inner = self.deeper::<A::Error>()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Unique(inner))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let inner = self.deeper::<A::Error>()?;
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key {key:?}")));
            }
            let value = map.next_value_seed(Unique(inner))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

impl Unique {
    fn deeper<E: serde::de::Error>(&self) -> std::result::Result<usize, E> {
        match self.0 < MAX_DEPTH {
            true => Ok(self.0 + 1),
            false => Err(E::custom(format!("nested deeper than {MAX_DEPTH} levels"))),
        }
    }
}

/// Best-effort JSON pointer of the mapping key that encloses `line` (1-based), found from the
/// indentation of the lines before it. Used only to locate syntax errors, where no parsed tree
/// exists; it understands block mappings and sequences, which is what OpenAPI files use.
pub fn pointer_at_line(text: &str, line: usize) -> String {
    struct Entry {
        indent: usize,
        token: String,
        item: Option<usize>,
    }
    let mut stack: Vec<Entry> = Vec::new();
    for raw in text.lines().take(line.saturating_sub(1)) {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = raw.len() - trimmed.len();
        let mut rest = trimmed;
        if rest == "-" || rest.starts_with("- ") {
            // A sequence item: it may sit at the same indent as its parent key.
            let mut next = 0;
            while let Some(top) = stack.last() {
                if top.indent > indent || (top.indent == indent && top.item.is_some()) {
                    if top.indent == indent {
                        next = top.item.unwrap_or(0) + 1;
                    }
                    stack.pop();
                } else {
                    break;
                }
            }
            stack.push(Entry { indent, token: next.to_string(), item: Some(next) });
            let after = rest[1..].trim_start();
            indent += rest.len() - after.len();
            rest = after;
        }
        if let Some(key) = mapping_key(rest) {
            while stack.last().is_some_and(|top| top.indent >= indent) {
                stack.pop();
            }
            stack.push(Entry { indent, token: key, item: None });
        }
    }
    stack.iter().map(|e| format!("/{}", escape_token(&e.token))).collect()
}

/// The key of a `key: value` (or `key:`) line, quoted or not.
fn mapping_key(s: &str) -> Option<String> {
    let key = if let Some(q) = s.strip_prefix('\'') {
        &q[..q.find("':")?]
    } else if let Some(q) = s.strip_prefix('"') {
        &q[..q.find("\":")?]
    } else {
        &s[..s.find(": ").or_else(|| s.strip_suffix(':').map(str::len))?]
    };
    Some(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_names_line_and_pointer() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      summary: [unclosed\n";
        let err = parse(Path::new("spec.yml"), text).unwrap_err();
        assert_eq!(err.file, Path::new("spec.yml"));
        assert!(err.message.contains("invalid YAML"), "{err}");
        assert!(err.pointer.starts_with("/paths/~1a/get"), "{err}");
    }

    #[test]
    fn json_is_read_too() {
        let v = parse(Path::new("s.json"), r#"{"openapi":"3.0.0"}"#).unwrap();
        assert_eq!(v["openapi"], "3.0.0");
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        let err = parse(Path::new("s.yml"), "- a\n- b\n").unwrap_err();
        assert!(err.message.contains("mapping"));
    }

    #[test]
    fn pointer_tracks_sequences() {
        let text = "a:\n  - x: 1\n  - y: 2\n    z: 3\nb: 1\n";
        assert_eq!(pointer_at_line(text, 4), "/a/1/y");
        assert_eq!(pointer_at_line(text, 5), "/a/1/z");
        assert_eq!(pointer_at_line(text, 6), "/b");
    }
}
