//! Helpers for the unions the spec tags with a discriminator property (generated code only).

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Decodes one variant from the JSON already read.
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(|e| E::custom(e.to_string()))
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
