//! `string_enum!`: the traits of the open string enums in the generated types. The generated
//! code writes the enum, `as_str` and `From<&str>`; unknown values live in `Unknown` and are
//! serialised back unchanged, so a value the server adds later never breaks decoding (the
//! client records it as a correction, or fails on it when decoding strictly).

/// Implements `Display`, `FromStr`, `Serialize` and `Deserialize` from `as_str`/`From<&str>`.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            // Not `Self::Err`: an enum value `err` is a variant `Err`, and the two would clash.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let text = d.deserialize_str($crate::StrVisitor)?;
                let value = Self::from(text.as_ref());
                if let Self::Unknown(_) = value {
                    $crate::de::unknown_value::<D::Error>(stringify!($name), &text)?;
                }
                Ok(value)
            }
        }
    };
}

/// Borrows the string when the input allows it, instead of allocating for every enum value.
#[doc(hidden)]
pub struct StrVisitor;

impl<'de> serde::de::Visitor<'de> for StrVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v))
    }
}
