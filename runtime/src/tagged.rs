//! Helpers for the unions the spec tags with a discriminator property (generated code only).

use crate::decode::{self, CorrectionKind, Mode};
use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Decodes one variant from the JSON already read (in the current decode mode; an error keeps
/// the path where it arose).
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: &Value) -> Result<T, E> {
    crate::de::variant(value).map_err(|e| E::custom(e))
}

/// A value whose tag is unknown to this crate, or missing. An unknown tag is a kind of value
/// this crate does not know: kept in `Unknown` (silently for serde alone, with a correction
/// when the client decodes leniently, an error when strictly). Without a tag, the variants are
/// tried by shape, as an untagged union's are (see `crate::de::by_shape`).
pub fn unknown<T, E: serde::de::Error>(
    value: Value,
    type_name: &'static str,
    property: &str,
    tries: &[crate::de::Try<T>],
    unknown: fn(Value) -> T,
) -> Result<T, E> {
    let Some(tag) = value.get(property).and_then(Value::as_str) else {
        return crate::de::by_shape(value, type_name, tries, unknown);
    };
    match decode::mode() {
        Mode::Plain => Ok(unknown(value)),
        _ if decode::record(CorrectionKind::UnknownValue, type_name, Some(&value), None) => Ok(unknown(value)),
        _ => Err(E::custom(format_args!("unknown `{property}` {tag:?} for {type_name}"))),
    }
}

/// Encodes a variant whose type does not declare the tag property, adding the tag.
pub fn serialize_with_tag<T: Serialize, S: Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let Value::Object(map) = &mut json {
        map.entry(property).or_insert_with(|| Value::String(tag.to_string()));
    }
    json.serialize(serializer)
}
