//! Receiving: what a request's response is read as (JSON, text, bytes, a download, server-sent
//! events), on top of the transport's `send_raw`, and how a call picks one ([`Receive`]).

use crate::decode::{self, DecodeMode, Decoded};
use crate::error::DecodeError;
use crate::request::RequestBuilder;
use crate::{Error, Result};
use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;

/// How a call reads its response into `T`: the last type parameter of the client crate's `Call`.
pub trait Receive<'a, T> {
    #[doc(hidden)]
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<T>>;
}

/// The response is a JSON body, decoded as the client's [`crate::DecodeMode`] says.
#[derive(Debug)]
pub struct AsJson;
/// The response is a JSON object that holds only `data`: the call returns the `data` (see
/// [`crate::Data`]; a missing `data` is a correction, or an error when decoding strictly).
#[derive(Debug)]
pub struct AsData;
/// The response has no body worth reading.
#[derive(Debug)]
pub struct AsEmpty;
/// The response is a file: a [`crate::Download`].
#[derive(Debug)]
pub struct AsDownload;
/// The response is text.
#[derive(Debug)]
pub struct AsText;
/// The response is a stream of server-sent events: an [`crate::EventStream`].
#[derive(Debug)]
pub struct AsEvents;

impl<'a, T: DeserializeOwned + std::marker::Send + 'a> Receive<'a, T> for AsJson {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<T>> {
        Box::pin(req.send_json())
    }
}
impl<'a, T: DeserializeOwned + std::marker::Send + 'a> Receive<'a, T> for AsData {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<T>> {
        Box::pin(async move { req.send_json::<crate::Data<T>>().await.map(|d| d.data) })
    }
}
impl<'a> Receive<'a, ()> for AsEmpty {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<()>> {
        Box::pin(req.send_empty())
    }
}
impl<'a> Receive<'a, crate::Download> for AsDownload {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<crate::Download>> {
        Box::pin(req.send_download())
    }
}
impl<'a> Receive<'a, String> for AsText {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<String>> {
        Box::pin(req.send_text())
    }
}
impl<'a> Receive<'a, crate::EventStream> for AsEvents {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<crate::EventStream>> {
        Box::pin(req.send_events())
    }
}

impl<'c> RequestBuilder<'c> {
    /// Sends the request and decodes a JSON body, as the client's [`DecodeMode`] says: a body
    /// that deviates from the spec is corrected (each correction logged at warn level and
    /// recorded in the [`crate::ResponseMeta`] of a capture), or, strictly, an error.
    pub async fn send_json<T: DeserializeOwned>(mut self) -> Result<T> {
        self.accept = Some("application/json");
        let transport = self.transport.clone();
        let (response, recorded) = self.send_recorded().await?;
        let (status, headers) = (response.status(), response.headers().clone());
        let body = response.bytes().await.map_err(Error::transport)?;
        let settings = transport.effective();
        match decode::decode::<T>(&body, settings.decode_mode) {
            Ok(decoded) => {
                if !decoded.corrections.is_empty() {
                    warn_corrections(&decoded.corrections);
                    if let (Some(capture), Some(id)) = (settings.options.and_then(|o| o.capture.as_ref()), recorded) {
                        capture.add_corrections(id, decoded.corrections);
                    }
                }
                Ok(decoded.value)
            }
            Err(failure) => Err(Error::Decode(Box::new(DecodeError::new(failure, Some(status), headers, body)))),
        }
    }

    /// Sends the request and returns the body as bytes.
    pub async fn send_bytes(self) -> Result<bytes::Bytes> {
        self.send_raw().await?.bytes().await.map_err(Error::transport)
    }

    /// Sends the request; the body is read by the caller, whole or as a stream.
    pub async fn send_download(self) -> Result<crate::Download> {
        self.send_raw().await.map(crate::Download::new)
    }

    /// Sends the request and reads the body as server-sent events.
    pub async fn send_events(mut self) -> Result<crate::EventStream> {
        self.accept = Some("text/event-stream");
        self.send_raw().await.map(crate::EventStream::new)
    }

    /// Sends the request and returns the body as text.
    pub async fn send_text(self) -> Result<String> {
        self.send_raw().await?.text().await.map_err(Error::transport)
    }

    /// Sends the request and ignores the body.
    pub async fn send_empty(self) -> Result<()> {
        self.send_raw().await.map(drop)
    }
}

/// Decodes JSON the way the client decodes responses by default: a value that deviates from
/// the spec is corrected, each correction logged at warn level (see [`decode_json_with`] to
/// read them, or to decode strictly).
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let decoded = decode_json_with(body, DecodeMode::Lenient)?;
    if !decoded.corrections.is_empty() {
        warn_corrections(&decoded.corrections);
    }
    Ok(decoded.value)
}

/// Decodes JSON in the given mode and hands back the corrections it needed. A failure names the
/// JSON path of the value that failed and keeps the whole body.
pub fn decode_json_with<T: DeserializeOwned>(body: &[u8], mode: DecodeMode) -> Result<Decoded<T>> {
    decode::decode(body, mode).map_err(|failure| Error::decode_body(failure, body))
}

/// One warning per body that needed corrections, naming the first few.
pub(crate) fn warn_corrections(corrections: &[crate::Correction]) {
    let first: Vec<String> = corrections.iter().take(3).map(ToString::to_string).collect();
    tracing::warn!(
        corrections = corrections.len(),
        first = %first.join("; "),
        "the response deviates from the spec; decoded with corrections"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_error_names_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            count: i64,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            data: Vec<Inner>,
        }
        let body = br#"{"data":[{"count":1},{"count":"x"}]}"#;
        let err = decode_json_with::<Outer>(body, DecodeMode::Strict).unwrap_err();
        let e = err.decode().expect("a decode error");
        assert_eq!(e.path, "data[1].count");
        assert_eq!(&e.body[..], &body[..]);
        // Leniently, the value is replaced and the correction names the same path.
        let d = decode_json_with::<Outer>(body, DecodeMode::Lenient).unwrap();
        assert_eq!(d.value.data[1].count, 0);
        assert_eq!(d.corrections[0].path, "data[1].count");
    }
}
