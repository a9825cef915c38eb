//! [`Base64`]: bytes that travel as a base64 string in JSON.

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Bytes sent in JSON as a base64 string, such as the audio chunks of a text-to-speech stream:
/// decoded when read, encoded when written. Standard base64, with or without padding (URL-safe
/// base64 is read too).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub bytes::Bytes);

impl Base64 {
    /// The bytes.
    pub fn bytes(&self) -> &bytes::Bytes {
        &self.0
    }

    pub fn into_bytes(self) -> bytes::Bytes {
        self.0
    }

    fn decode(text: &str) -> Option<Vec<u8>> {
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        let text = text.trim();
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(text).ok())
    }
}

impl std::ops::Deref for Base64 {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v.into())
    }
}

impl From<bytes::Bytes> for Base64 {
    fn from(b: bytes::Bytes) -> Self {
        Base64(b)
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Base64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Base64, E> {
                Base64::decode(v)
                    .map(Base64::from)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_padded_unpadded_and_url_safe_and_writes_standard() {
        for text in ["\"aGk/Pz8=\"", "\"aGk/Pz8\"", "\"aGk_Pz8=\""] {
            let b: Base64 = serde_json::from_str(text).unwrap();
            assert_eq!(&*b, b"hi???", "{text}");
            assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGk/Pz8=\"");
        }
        let e = serde_json::from_str::<Base64>("\"not base64!\"").unwrap_err();
        assert!(e.to_string().contains("a base64 string"), "{e}");
        assert!(serde_json::from_str::<Base64>("12").is_err());
    }
}
