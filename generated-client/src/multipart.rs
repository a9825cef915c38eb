//! `multipart/form-data` bodies and the file parts in them.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A file to upload: its bytes, and optionally a file name and a content type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilePart {
    pub bytes: bytes::Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// Reads a file from disk, named after it.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        Ok(FilePart {
            bytes: bytes.into(),
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            content_type: None,
        })
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// In JSON a binary value is its content as a string.
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(FilePart::new(String::deserialize(d)?.into_bytes()))
    }
}

#[derive(Clone)]
enum Part {
    Text(String, String),
    File(String, FilePart),
}

/// The parts of a multipart body, in order.
#[derive(Clone, Default)]
pub struct MultipartForm {
    parts: Vec<Part>,
}

impl MultipartForm {
    /// A text part. Strings go as they are, other values as JSON; arrays become one part per
    /// item; `None`/`null` adds nothing.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        match serde_json::to_value(value) {
            Ok(Value::Null) | Err(_) => {}
            Ok(Value::Array(items)) => {
                for item in items {
                    self.field(name, &item);
                }
            }
            Ok(Value::String(s)) => self.parts.push(Part::Text(name.to_string(), s)),
            Ok(other) => self.parts.push(Part::Text(name.to_string(), other.to_string())),
        }
        self
    }

    /// A file part.
    pub fn file(&mut self, name: &str, file: &FilePart) -> &mut Self {
        self.parts.push(Part::File(name.to_string(), file.clone()));
        self
    }

    /// The reqwest form for one attempt (parts are cheap to clone).
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form> {
        let mut form = reqwest::multipart::Form::new();
        for part in self.parts.iter().cloned() {
            form = match part {
                Part::Text(name, value) => form.text(name, value),
                Part::File(name, file) => {
                    let mut p = reqwest::multipart::Part::stream(file.bytes)
                        .file_name(file.file_name.unwrap_or_else(|| name.clone()));
                    if let Some(ct) = file.content_type {
                        p = p.mime_str(&ct).map_err(|e| Error::Encode(format!("content type {ct:?}: {e}")))?;
                    }
                    form.part(name, p)
                }
            };
        }
        Ok(form)
    }
}
