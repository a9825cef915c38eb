//! Fields that are optional *and* nullable are `Option<Option<T>>`: `None` leaves the field out,
//! `Some(None)` sends `null` (to clear a value with PATCH), `Some(Some(v))` sends `v`. Decoding
//! keeps the difference: an absent field is `None`, a `null` one `Some(None)`.

use serde::{Deserialize, Deserializer};

/// `deserialize_with` for `Option<Option<T>>` fields (with `#[serde(default)]` for absence).
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
