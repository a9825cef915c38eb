//! [`Data`]: the one type behind the API's many responses that hold nothing but `data`.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A response (or body) whose only property is an optional `data`. The generated names of
/// such responses (`NumberOrdersRetrieveResponse`, ...) are aliases of this type, so the crate
/// compiles one type instead of hundreds of identical ones; `response.data` reads the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Data<T> {
    pub data: Option<T>,
}

impl<T> Default for Data<T> {
    fn default() -> Self {
        Data { data: None }
    }
}

impl<T: Serialize> Serialize for Data<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Data", 1)?;
        if let Some(data) = &self.data {
            out.serialize_field("data", data)?;
        }
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
                        0 => data = map.next_value()?,
                        _ => crate::de::skip(&mut map)?,
                    }
                }
                Ok(Data { data })
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
    fn absent_null_and_present_data() {
        let d: Data<u8> = serde_json::from_str(r#"{"data": 7, "other": [1]}"#).unwrap();
        assert_eq!(d.data, Some(7));
        assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"data":7}"#);
        let none: Data<u8> = serde_json::from_str(r#"{"data": null}"#).unwrap();
        assert_eq!(none, Data::default());
        assert_eq!(serde_json::to_string(&none).unwrap(), "{}");
        let err = serde_json::from_str::<Data<u8>>(r#"{"data": "x"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
    }
}
