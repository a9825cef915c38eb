//! WebSocket sessions: the operations that stream (speech to text, text to speech) open one,
//! send typed frames on it and read a [`Stream`] of typed events from it.
//!
//! The upgrade is an HTTP/1.1 request made like every other call (authentication, retries, an
//! error status as [`Error::Api`] with its body); the connection reqwest upgrades then carries
//! the frames, read and written by `tokio-tungstenite`. The crate answers pings by itself.

use crate::decode::{self, DecodeMode};
use crate::{Error, Result};
use futures_core::Stream;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

type Socket = WebSocketStream<reqwest::Upgraded>;

/// How a session turns what the caller sends into a frame.
#[doc(hidden)]
pub type Encode<S> = fn(S) -> Result<Frame>;
/// How a session reads a frame of the server (text, or bytes) into an event.
#[doc(hidden)]
pub type DecodeFrame<E> = fn(&[u8], DecodeMode) -> std::result::Result<decode::Decoded<E>, decode::Failure>;

/// How a call opens its session: frames sent as `Send`, events read as `Receive` (each
/// [`BinaryFrames`], [`TextFrames`] or [`JsonFrames`]); the last type parameter of its
/// [`crate::Call`].
#[derive(Debug)]
pub struct AsSession<Send, Receive>(std::marker::PhantomData<fn() -> (Send, Receive)>);
/// Frames of raw bytes (audio).
#[derive(Debug)]
pub struct BinaryFrames;
/// Frames of text, as it is.
#[derive(Debug)]
pub struct TextFrames;
/// Frames of JSON text, typed.
#[derive(Debug)]
pub struct JsonFrames;

/// How frames of one kind are written.
#[doc(hidden)]
pub trait Encoder<T> {
    const ENCODE: Encode<T>;
}
/// How frames of one kind are read.
#[doc(hidden)]
pub trait Decoder<T> {
    const DECODE: DecodeFrame<T>;
}
impl Encoder<bytes::Bytes> for BinaryFrames {
    const ENCODE: Encode<bytes::Bytes> = binary;
}
impl Decoder<bytes::Bytes> for BinaryFrames {
    const DECODE: DecodeFrame<bytes::Bytes> = from_bytes;
}
impl Encoder<String> for TextFrames {
    const ENCODE: Encode<String> = text;
}
impl Decoder<String> for TextFrames {
    const DECODE: DecodeFrame<String> = from_text;
}
impl<T: Serialize> Encoder<T> for JsonFrames {
    const ENCODE: Encode<T> = json::<T>;
}
impl<T: DeserializeOwned> Decoder<T> for JsonFrames {
    const DECODE: DecodeFrame<T> = from_json::<T>;
}

impl<'a, S, E, Sent, Received> crate::call::Receive<'a, Session<S, E>> for AsSession<Sent, Received>
where
    S: std::marker::Send + 'a,
    E: std::marker::Send + 'a,
    Sent: Encoder<S>,
    Received: Decoder<E>,
{
    fn receive(req: crate::request::RequestBuilder<'a>) -> futures_util::future::BoxFuture<'a, Result<Session<S, E>>> {
        Box::pin(req.send_websocket(Sent::ENCODE, Received::DECODE))
    }
}

/// A frame to send.
#[doc(hidden)]
#[derive(Debug)]
pub enum Frame {
    Binary(bytes::Bytes),
    Text(String),
}

/// Sends raw bytes (audio) as a binary frame.
#[doc(hidden)]
pub fn binary(frame: bytes::Bytes) -> Result<Frame> {
    Ok(Frame::Binary(frame))
}

/// Sends text as it is.
#[doc(hidden)]
pub fn text(frame: String) -> Result<Frame> {
    Ok(Frame::Text(frame))
}

/// Sends a value as a JSON text frame.
#[doc(hidden)]
pub fn json<T: Serialize>(frame: T) -> Result<Frame> {
    serde_json::to_string(&frame).map(Frame::Text).map_err(|e| Error::Encode(e.to_string()))
}

/// Reads a server frame as JSON, with the crate's decoding rules.
#[doc(hidden)]
pub fn from_json<E: DeserializeOwned>(
    frame: &[u8],
    mode: DecodeMode,
) -> std::result::Result<decode::Decoded<E>, decode::Failure> {
    decode::decode(frame, mode)
}

/// Reads a server frame as bytes.
#[doc(hidden)]
pub fn from_bytes(frame: &[u8], _: DecodeMode) -> std::result::Result<decode::Decoded<bytes::Bytes>, decode::Failure> {
    Ok(decode::Decoded { value: bytes::Bytes::copy_from_slice(frame), corrections: Vec::new() })
}

/// Reads a server frame as text.
#[doc(hidden)]
pub fn from_text(frame: &[u8], _: DecodeMode) -> std::result::Result<decode::Decoded<String>, decode::Failure> {
    Ok(decode::Decoded { value: String::from_utf8_lossy(frame).into_owned(), corrections: Vec::new() })
}

pub(crate) fn new_key() -> String {
    tungstenite::handshake::client::generate_key()
}

/// The upgrade request of one attempt: the `http(s)` form of the `ws(s)` URL, with the
/// handshake's headers.
pub(crate) fn upgrade_request(http: &reqwest::Client, url: &str, key: &str) -> reqwest::RequestBuilder {
    http.get(with_scheme(url, false))
        .version(reqwest::Version::HTTP_11)
        .header(reqwest::header::CONNECTION, "Upgrade")
        .header(reqwest::header::UPGRADE, "websocket")
        .header(reqwest::header::SEC_WEBSOCKET_VERSION, "13")
        .header(reqwest::header::SEC_WEBSOCKET_KEY, key)
}

/// `url` with the WebSocket scheme (`ws`, `wss`) or the HTTP one it upgrades from.
fn with_scheme(url: &str, websocket: bool) -> String {
    let scheme = match (url.split_once("://"), websocket) {
        (Some(("http" | "ws", rest)), true) => ("ws", rest),
        (Some(("https" | "wss", rest)), true) => ("wss", rest),
        (Some(("http" | "ws", rest)), false) => ("http", rest),
        (Some(("https" | "wss", rest)), false) => ("https", rest),
        _ => return url.to_string(),
    };
    format!("{}://{}", scheme.0, scheme.1)
}

/// A WebSocket session of a streaming operation: [`Session::send`] sends what the client sends
/// (`S`: bytes for audio, the generated type for JSON frames), and the session is a [`Stream`]
/// of the server's events (`E`, decoded like any response: leniently unless the client decodes
/// strictly). The stream ends when the server closes the session normally; a close with an
/// error code, or a connection dropped without a close frame, is an [`Error::WebSocket`] and
/// then the end. [`Session::split`] gives a sender and a stream of events to use from two tasks.
pub struct Session<S, E> {
    sender: Sender<S>,
    events: Events<E>,
}

impl<S, E> std::fmt::Debug for Session<S, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("url", &self.events.url).field("request_id", &self.events.request_id).finish()
    }
}

impl<S, E> Session<S, E> {
    /// Completes the upgrade from the server's `101` answer.
    pub(crate) async fn open(
        response: reqwest::Response,
        url: &str,
        key: &str,
        encode: Encode<S>,
        decode: DecodeFrame<E>,
        mode: DecodeMode,
        timeout: std::time::Duration,
    ) -> Result<Session<S, E>> {
        let url = with_scheme(url.split('?').next().unwrap_or(url), true);
        let fail = |message: String| Error::WebSocket { url: url.clone(), message, close_code: None };
        let status = response.status();
        if status != reqwest::StatusCode::SWITCHING_PROTOCOLS {
            let body = response.text().await.unwrap_or_default();
            return Err(fail(format!("the server answered {status} instead of switching to WebSocket: {body:.200}")));
        }
        let accept = response.headers().get(reqwest::header::SEC_WEBSOCKET_ACCEPT).and_then(|v| v.to_str().ok());
        if accept != Some(tungstenite::handshake::derive_accept_key(key.as_bytes()).as_str()) {
            return Err(fail(format!("the server's Sec-WebSocket-Accept is wrong: {accept:?}")));
        }
        let request_id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        let upgraded = response.upgrade().await.map_err(Error::transport)?;
        let socket = WebSocketStream::from_raw_socket(upgraded, Role::Client, None).await;
        let (sink, stream) = socket.split();
        Ok(Session {
            sender: Sender { sink, encode, url: url.clone() },
            events: Events { stream, decode, mode, url, request_id, received: 0, done: false, timeout },
        })
    }

    /// Sends one frame.
    pub async fn send(&mut self, frame: impl Into<S>) -> Result<()> {
        self.sender.send(frame).await
    }

    /// The next event, or `None` once the session is over.
    pub async fn next_event(&mut self) -> Option<Result<E>> {
        self.events.next().await
    }

    /// Closes the session cleanly: sends a close frame, then reads (and drops) what the server
    /// still sends until it closes too, for at most the client's timeout (the connection is
    /// then dropped).
    pub async fn close(mut self) -> Result<()> {
        self.sender.close().await?;
        let timeout = self.events.timeout;
        let drain = async {
            while let Some(event) = self.events.next().await {
                if let Err(e) = event {
                    if !matches!(e, Error::Decode(_)) {
                        return Err(e);
                    }
                }
            }
            Ok(())
        };
        tokio::time::timeout(timeout, drain).await.unwrap_or(Ok(()))
    }

    /// A sender and the stream of events, to send and read at the same time.
    pub fn split(self) -> (Sender<S>, Events<E>) {
        (self.sender, self.events)
    }

    /// The URL of the session, query left out.
    pub fn url(&self) -> &str {
        &self.events.url
    }

    /// The `x-request-id` of the upgrade's answer, to quote to Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.events.request_id.as_deref()
    }
}

impl<S, E> Stream for Session<S, E> {
    type Item = Result<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
        Pin::new(&mut self.events).poll_next(cx)
    }
}

/// The sending half of a [`Session`].
pub struct Sender<S> {
    sink: SplitSink<Socket, Message>,
    encode: Encode<S>,
    url: String,
}

impl<S> Sender<S> {
    /// Sends one frame.
    pub async fn send(&mut self, frame: impl Into<S>) -> Result<()> {
        let message = match (self.encode)(frame.into())? {
            Frame::Binary(b) => Message::Binary(b),
            Frame::Text(t) => Message::Text(t.into()),
        };
        self.sink.send(message).await.map_err(|e| failure(&self.url, e))
    }

    /// Sends a close frame: the server then ends the stream of events.
    pub async fn close(&mut self) -> Result<()> {
        match self.sink.close().await {
            Ok(()) | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => Ok(()),
            Err(e) => Err(failure(&self.url, e)),
        }
    }
}

/// The events of a [`Session`], as a [`Stream`].
pub struct Events<E> {
    stream: SplitStream<Socket>,
    decode: DecodeFrame<E>,
    mode: DecodeMode,
    url: String,
    request_id: Option<String>,
    /// Frames of the server read so far, to name the one that does not decode.
    received: u64,
    done: bool,
    /// How long a clean close waits for the server's close frame.
    timeout: std::time::Duration,
}

impl<E> Events<E> {
    fn event(&mut self, frame: &[u8]) -> Result<E> {
        self.received += 1;
        match (self.decode)(frame, self.mode) {
            Ok(decoded) => {
                if !decoded.corrections.is_empty() {
                    crate::request::warn_corrections(&decoded.corrections);
                }
                Ok(decoded.value)
            }
            Err(mut failure) => {
                failure.message = format!("frame {} of {}: {}", self.received, self.url, failure.message);
                Err(Error::decode_body(failure, frame))
            }
        }
    }
}

impl<E> Stream for Events<E> {
    type Item = Result<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let message = match this.stream.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(m) => m,
            };
            let outcome = match message {
                Some(Ok(Message::Text(t))) => this.event(t.as_bytes()),
                Some(Ok(Message::Binary(b))) => this.event(&b),
                // Pings are answered by the socket as it reads.
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                Some(Ok(Message::Close(frame))) => {
                    this.done = true;
                    match frame {
                        Some(f) if !matches!(f.code, CloseCode::Normal | CloseCode::Away) => Err(Error::WebSocket {
                            url: this.url.clone(),
                            message: format!("the server closed the session: {} {}", u16::from(f.code), f.reason),
                            close_code: Some(f.code.into()),
                        }),
                        _ => return Poll::Ready(None),
                    }
                }
                None | Some(Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed)) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Some(Err(e)) => {
                    this.done = true;
                    Err(failure(&this.url, e))
                }
            };
            return Poll::Ready(Some(outcome));
        }
    }
}

fn failure(url: &str, e: tungstenite::Error) -> Error {
    let message = match e {
        tungstenite::Error::Protocol(tungstenite::error::ProtocolError::ResetWithoutClosingHandshake) => {
            "the connection dropped without a close frame".to_string()
        }
        other => other.to_string(),
    };
    Error::WebSocket { url: url.to_string(), message, close_code: None }
}
