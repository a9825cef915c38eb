//! The shared half of the generated structs' `Deserialize` impls.
//!
//! serde's derive writes, for every struct, a field enum with its own visitor, a sequence
//! visitor and a map visitor: about 160 lines of Rust per type once expanded, half of all the
//! code rustc checks in this crate. The generator instead writes one short map visitor per
//! struct and leaves the rest to the few functions here, which are compiled once. Decoding is
//! the same as the derive's for every JSON input the API sends: fields by their wire name,
//! unknown fields skipped (or kept, for types with additional properties), absent optional
//! fields `None`, a `null` optional-and-nullable field `Some(None)`, and a missing required
//! field the error `missing field `name``.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// Decodes a field name into its index in a struct's wire names; `usize::MAX` for a name the
/// struct does not declare.
#[derive(Clone, Copy)]
pub struct Field(pub &'static [&'static str]);

impl Field {
    fn index(self, name: &str) -> usize {
        self.0.iter().position(|f| *f == name).unwrap_or(usize::MAX)
    }
}

impl<'de> DeserializeSeed<'de> for Field {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(self.index(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(v).map_or(usize::MAX, |v| self.index(v)))
    }
}

/// A field name of a struct that keeps undeclared properties: the index of a declared one, or
/// the name of any other.
pub enum Key {
    Declared(usize),
    Other(String),
}

/// Decodes a field name into a [`Key`].
#[derive(Clone, Copy)]
pub struct KeyOrName(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyOrName {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeyOrName {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match Field(self.0).index(v) {
            usize::MAX => Key::Other(v.to_owned()),
            i => Key::Declared(i),
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match Field(self.0).index(&v) {
            usize::MAX => Key::Other(v),
            i => Key::Declared(i),
        })
    }
}

/// The value of a required field, or serde's `missing field` error.
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// Reads and drops the value of a field the struct does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &["a", "b"];

    #[test]
    fn field_names_map_to_indexes() {
        let f = Field(FIELDS);
        let e = |v: &str| Visitor::visit_str::<serde_json::Error>(f, v).unwrap();
        assert_eq!((e("a"), e("b"), e("c")), (0, 1, usize::MAX));
        let k = |v: &str| match Visitor::visit_str::<serde_json::Error>(KeyOrName(FIELDS), v).unwrap() {
            Key::Declared(i) => Ok(i),
            Key::Other(name) => Err(name),
        };
        assert_eq!((k("b"), k("zz")), (Ok(1), Err("zz".to_string())));
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let e = required::<u8, serde_json::Error>(None, "to").unwrap_err();
        assert_eq!(e.to_string(), "missing field `to`");
    }
}
