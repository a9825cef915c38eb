//! The shared half of the generated structs' `Deserialize` impls.
//!
//! serde's derive writes, for every struct, a field enum with its own visitor, a sequence
//! visitor and a map visitor: about 160 lines of Rust per type once expanded, half of all the
//! code rustc checks in the client crate. The generator instead writes one short map visitor per
//! struct and leaves the rest to the few functions here, which are compiled once. Decoding is
//! the same as the derive's for every JSON input the API sends: fields by their wire name,
//! unknown fields skipped (or kept, for types with additional properties), absent optional
//! fields `None`, a `null` optional-and-nullable field `Some(None)`, and a missing required
//! field the error `missing field `name``.
//!
//! While the client decodes a response that deviates from the spec (see `crate::decode`), the
//! functions here also settle what a struct, an enum or a union cannot settle alone: a missing
//! required field, an enum value the crate does not know, a value no union variant matches.

use crate::decode::{self, CorrectionKind, Failure, Lenient, Mode};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
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

/// The value of a required field; when it is absent, serde's `missing field` error, or, when
/// the client decodes leniently, the fallback of its type with a correction recorded.
pub fn required<'de, T: Deserialize<'de>, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    match value {
        Some(v) => Ok(v),
        None if decode::record(CorrectionKind::Missing, "a value", None, Some(name)) => {
            decode::fallback().map_err(|_| E::missing_field(name))
        }
        None => Err(E::missing_field(name)),
    }
}

/// Reads the value of a field that is an `Option`: as serde would, except that while the client
/// decodes leniently, a value that cannot be read as the type is `None` (a correction
/// [`crate::CorrectionKind::Dropped`]) rather than a fallback the server never sent.
pub struct Optional<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Optional<T> {
    type Value = Option<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        if decode::mode() != Mode::Lenient {
            return Option::<T>::deserialize(deserializer);
        }
        // The bookkeeping is in code that is not generic: this is instantiated per field type.
        let read = decode::OptionalRead::begin();
        let value = Option::<T>::deserialize(deserializer);
        match read.end(value.is_ok()) {
            true => Ok(None),
            false => value,
        }
    }
}

/// The value of an optional field, read with [`Optional`]: what the generated structs call,
/// one call per field (a seed built at each would cost the crate's build more).
#[inline]
pub fn optional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value_seed(Optional(std::marker::PhantomData))
}

/// Called with an enum value (as text) that decoded into `Unknown`: fine for serde alone, a
/// correction when the client decodes leniently, an error when strictly.
pub fn unknown_value<E: de::Error>(type_name: &'static str, value: &str) -> Result<(), E> {
    match decode::mode() {
        Mode::Plain => Ok(()),
        _ if decode::record(CorrectionKind::UnknownValue, type_name, Some(&Value::String(value.into())), None) => {
            Ok(())
        }
        _ => Err(E::custom(format_args!("unknown value `{value}` for {type_name}"))),
    }
}

/// Decodes one variant of a union from the JSON already read, in the current mode.
pub fn variant<T: for<'de> Deserialize<'de>>(value: &Value) -> Result<T, Failure> {
    T::deserialize(Lenient(value))
}

/// A variant of an untagged union, tried on the JSON already read.
pub type Try<T> = fn(&Value) -> Result<T, Failure>;

/// `Deserialize` for an untagged union: the variants are tried by shape (see `by_shape`).
pub fn untagged<'de, D: de::Deserializer<'de>, T>(
    deserializer: D,
    type_name: &'static str,
    tries: &[Try<T>],
    unknown: fn(Value) -> T,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    by_shape(value, type_name, tries, unknown)
}

/// Picks a union's variant by the shape of the value: the first that matches exactly, in the
/// order given. When none does, serde alone gets `unknown` (the union's catch-all) and a strict
/// decode an error; a lenient one takes the variant that needs the fewest corrections (one that
/// had to replace the whole value does not count), else `unknown` with a correction.
pub(crate) fn by_shape<T, E: de::Error>(
    value: Value,
    type_name: &'static str,
    tries: &[Try<T>],
    unknown: fn(Value) -> T,
) -> Result<T, E> {
    let mode = decode::mode();
    if mode == Mode::Lenient && decode::building_fallback() {
        return Ok(unknown(value));
    }
    for t in tries {
        if let (Ok(v), _) = decode::attempt(Mode::Strict, || t(&value)) {
            return Ok(v);
        }
    }
    match mode {
        Mode::Plain => return Ok(unknown(value)),
        Mode::Strict => return Err(E::custom(format_args!("the value matches no variant of {type_name}"))),
        Mode::Lenient => {}
    }
    let here = decode::here();
    let mut best: Option<(T, Vec<decode::Correction>)> = None;
    for t in tries {
        let (outcome, corrections) = decode::attempt(Mode::Lenient, || t(&value));
        let Ok(v) = outcome else { continue };
        let whole = corrections.iter().any(|c| c.path == here && c.kind == CorrectionKind::Replaced);
        if !whole && best.as_ref().is_none_or(|(_, b)| corrections.len() < b.len()) {
            best = Some((v, corrections));
        }
    }
    match best {
        Some((v, corrections)) => {
            decode::keep(corrections);
            Ok(v)
        }
        None => {
            decode::record(CorrectionKind::UnknownShape, type_name, Some(&value), None);
            Ok(unknown(value))
        }
    }
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
