//! `multipart/form-data` bodies and the file parts in them.

use crate::{Error, Result};
use bytes::Bytes;
use futures_core::Stream;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A file to upload: its content, and optionally a file name and a content type.
///
/// The content is bytes in memory ([`FilePart::new`], [`FilePart::from_path`]), which a retry
/// sends again, or a stream ([`FilePart::from_stream`]), which is read once as the request is
/// sent: a request carrying a streamed part is never retried.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilePart {
    content: Content,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

type ByteStream = Pin<Box<dyn Stream<Item = std::result::Result<Bytes, BoxError>> + Send>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Clone)]
enum Content {
    Bytes(Bytes),
    /// Taken out by the one attempt that sends it; clones share it.
    Stream {
        slot: Arc<Mutex<Option<ByteStream>>>,
        length: Option<u64>,
    },
}

impl Default for Content {
    fn default() -> Self {
        Content::Bytes(Bytes::new())
    }
}

impl PartialEq for Content {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Content::Bytes(a), Content::Bytes(b)) => a == b,
            (Content::Stream { slot: a, .. }, Content::Stream { slot: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Content::Stream { length, .. } => write!(f, "Stream(length: {length:?})"),
        }
    }
}

impl FilePart {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart { content: Content::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// Reads a file from disk into memory, named after it.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        Ok(FilePart {
            content: Content::Bytes(bytes.into()),
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            content_type: None,
        })
    }

    /// A file read from a stream of chunks as the request is sent, for files too large to
    /// hold in memory. Give the `length` when known (some servers require it). The stream is
    /// sent once: the request is not retried, and sending the same part again fails.
    pub fn from_stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: ByteStream = Box::pin(stream.map_err(Into::into));
        FilePart {
            content: Content::Stream { slot: Arc::new(Mutex::new(Some(stream))), length },
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The content, when it is held in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.content {
            Content::Bytes(b) => Some(b),
            Content::Stream { .. } => None,
        }
    }

    /// Whether the content is a stream (which can be sent only once).
    pub fn is_stream(&self) -> bool {
        matches!(self.content, Content::Stream { .. })
    }

    fn to_reqwest(&self, name: &str) -> Result<reqwest::multipart::Part> {
        let part = match &self.content {
            Content::Bytes(b) => reqwest::multipart::Part::stream(b.clone()),
            Content::Stream { slot, length } => {
                let taken = slot.lock().map_err(|_| Error::Encode("a file stream's lock is poisoned".into()))?.take();
                let stream = taken.ok_or_else(|| {
                    Error::Encode(format!("file part {name:?}: its stream was already sent, and a stream is sent once"))
                })?;
                let body = reqwest::Body::wrap_stream(Lent { stream: Some(stream), slot: slot.clone(), read: false });
                match length {
                    Some(n) => reqwest::multipart::Part::stream_with_length(body, *n),
                    None => reqwest::multipart::Part::stream(body),
                }
            }
        };
        let file_name = self.file_name.clone().unwrap_or_else(|| name.to_string());
        // A file part always says what it holds: the given type, else the one its name
        // suggests, else `application/octet-stream` (some servers reject a file part without one).
        let content_type = match &self.content_type {
            Some(ct) => ct.clone(),
            None => mime_guess::from_path(&file_name).first_or_octet_stream().essence_str().to_string(),
        };
        part.file_name(file_name)
            .mime_str(&content_type)
            .map_err(|e| Error::Encode(format!("content type {content_type:?}: {e}")))
    }
}

/// A file's stream lent to one attempt. Dropped unread (the connection could not be made, so
/// nothing was sent), it goes back to its part, and a retry can send it.
struct Lent {
    stream: Option<ByteStream>,
    slot: Arc<Mutex<Option<ByteStream>>>,
    read: bool,
}

impl Stream for Lent {
    type Item = std::result::Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.read = true;
        match self.stream.as_mut() {
            Some(stream) => stream.as_mut().poll_next(cx),
            None => std::task::Poll::Ready(None),
        }
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if let (false, Some(stream)) = (self.read, self.stream.take()) {
            if let Ok(mut slot) = self.slot.lock() {
                *slot = Some(stream);
            }
        }
    }
}

/// In JSON a binary value is its content as a string; a streamed file has no JSON form.
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.content {
            Content::Bytes(b) => s.serialize_str(&String::from_utf8_lossy(b)),
            Content::Stream { .. } => Err(serde::ser::Error::custom("a streamed file part cannot be encoded as JSON")),
        }
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

    /// Whether every attempt can send this body again (no streamed file in it).
    pub(crate) fn replayable(&self) -> bool {
        self.parts.iter().all(|p| !matches!(p, Part::File(_, f) if f.is_stream()))
    }

    /// Whether the next attempt can send it: every streamed file's stream is there, none read.
    pub(crate) fn sendable(&self) -> bool {
        self.parts.iter().all(|p| match p {
            Part::File(_, FilePart { content: Content::Stream { slot, .. }, .. }) => {
                slot.lock().map(|s| s.is_some()).unwrap_or(false)
            }
            _ => true,
        })
    }

    /// The reqwest form for one attempt (parts in memory are cheap to clone).
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            form = match part {
                Part::Text(name, value) => form.text(name.clone(), value.clone()),
                Part::File(name, file) => form.part(name.clone(), file.to_reqwest(name)?),
            };
        }
        Ok(form)
    }
}
