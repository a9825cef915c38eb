//! [`Data`]: the one type behind the API's many responses and events that hold nothing but
//! `data`.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// An object whose only property is `data`. The API sends `data` on every success, so it is
/// not an `Option`: a call whose response is one returns its `data` directly, and a webhook
/// event reads `event.data.payload`. The generated names of such objects
/// (`CallHangupEvent`, ...) are aliases of this type, so the crate compiles one type instead of
/// hundreds of identical ones.
///
/// A body without `data` decodes as any struct missing a required field does: with `data`'s
/// fallback and a correction recorded when the client decodes leniently (the default), as an
/// error when strictly, and as serde's `missing field` error outside the client.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Data<T> {
    pub data: T,
}

impl<T: Serialize> Serialize for Data<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Data", 1)?;
        out.serialize_field("data", &self.data)?;
        out.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Data<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Data<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with `data`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data<T>, A::Error> {
                let mut data = None;
                while let Some(key) = map.next_key_seed(crate::de::Field(FIELDS))? {
                    match key {
                        0 => data = Some(map.next_value()?),
                        _ => crate::de::skip(&mut map)?,
                    }
                }
                Ok(Data { data: crate::de::required(data, "data")? })
            }
        }
        const FIELDS: &[&str] = &["data"];
        deserializer.deserialize_struct("Data", FIELDS, V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_required() {
        let d: Data<u8> = serde_json::from_str(r#"{"data": 7, "other": [1]}"#).unwrap();
        assert_eq!(d.data, 7);
        assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"data":7}"#);
        let none: Data<Option<u8>> = serde_json::from_str(r#"{"data": null}"#).unwrap();
        assert_eq!(none.data, None);
        let err = serde_json::from_str::<Data<u8>>(r#"{}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `data`"), "{err}");
        let err = serde_json::from_str::<Data<u8>>(r#"{"data": "x"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
    }
}
