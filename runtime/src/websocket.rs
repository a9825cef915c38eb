//! WebSocket sessions: the operations that stream (speech to text, text to speech) open one,
//! send typed frames on it and read a [`Stream`] of typed events from it.
//!
//! The upgrade is an HTTP/1.1 request made like every other call (authentication, retries, an
//! error status as [`Error::Api`] with its body, the client's proxy and TLS settings); the
//! connection reqwest upgrades then carries the frames, read and written by `tokio-tungstenite`
//! in a task of the session's own, which answers pings, bounds every send and close by the
//! client's timeout, and opens the connection again when the call asked for [`Reconnect`].

use crate::decode::{self, DecodeMode};
use crate::receive::Receive;
use crate::request::{RequestBuilder, Upgrade};
use crate::{Error, Result};
use futures_core::Stream;
use futures_util::{FutureExt, SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
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
/// `Call`.
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

impl<'a, S, E, Sent, Received> Receive<'a, Session<S, E>> for AsSession<Sent, Received>
where
    S: std::marker::Send + 'a,
    E: std::marker::Send + 'a,
    Sent: Encoder<S>,
    Received: Decoder<E>,
{
    fn receive(req: RequestBuilder<'a>) -> futures_util::future::BoxFuture<'a, Result<Session<S, E>>> {
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

/// The upgrade of one handshake: to the `http(s)` form of the `ws(s)` URL, with its headers.
fn upgrade(url: &str, key: &str) -> Result<Upgrade> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::SEC_WEBSOCKET_VERSION, reqwest::header::HeaderValue::from_static("13"));
    let key = reqwest::header::HeaderValue::from_str(key).map_err(|e| Error::Encode(e.to_string()))?;
    headers.insert(reqwest::header::SEC_WEBSOCKET_KEY, key);
    Ok(Upgrade { url: with_scheme(url, false), protocol: "websocket", headers })
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

/// The URL a session names in its errors: the `ws(s)` one, query left out.
fn session_url(url: &str) -> String {
    with_scheme(url.split('?').next().unwrap_or(url), true)
}

/// Sends the upgrade request (authentication, retries, an error status as [`Error::Api`]) and
/// completes the handshake: the socket, and the answer's `x-request-id`.
async fn connect(mut req: RequestBuilder<'_>) -> Result<(Socket, Option<String>)> {
    let key = new_key();
    let url = session_url(req.target().1);
    req.set_upgrade(upgrade(req.target().1, &key)?);
    let fail = |message: String| Error::WebSocket { url: url.clone(), message, close_code: None };
    let response = req.send_raw().await?;
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
    Ok((WebSocketStream::from_raw_socket(upgraded, Role::Client, None).await, request_id))
}

/// Opt-in: a session that loses its connection with a recoverable close (1001 going away, 1005
/// or 1006 without a close frame, 1011 server error, 1012 restart, 1013 try again later, 1014 bad
/// gateway, 1015) opens a new one on its own, as Telnyx's official clients do. It never does
/// after a normal close (1000), a policy close (1008) or any other code, nor after the session
/// was closed by the caller. Set it on the call: `.reconnect(Reconnect::new())`.
///
/// Each attempt sends the upgrade request again (same URL, query and headers; the client's
/// retries are left to the attempts here), after a delay that doubles from `initial` up to
/// `max`, shortened at random by up to a quarter so many clients do not come back at once. Frames
/// sent while the session is away are kept, up to a number of bytes, and sent first on the new
/// connection, in order; past that, [`Sender::send`] fails and the frame is not kept. Frames
/// written just before the connection was found lost may not have reached the server. When
/// every attempt fails, the stream of events ends with an [`Error::WebSocket`] that says so.
#[derive(Debug, Clone)]
pub struct Reconnect {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_queued_bytes: usize,
}

impl Default for Reconnect {
    /// 5 attempts, 0.5 s doubling up to 8 s, 1 MiB of frames kept while away: the official
    /// clients' defaults.
    fn default() -> Self {
        Reconnect {
            max_attempts: 5,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_queued_bytes: 1 << 20,
        }
    }
}

impl Reconnect {
    /// The defaults (see [`Reconnect::default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// How many new connections are tried before the session gives up, counted since the
    /// server last sent a frame (a connection that opens and closes at once counts).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The delay before the first attempt, and the most any attempt waits.
    pub fn delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max.max(initial);
        self
    }

    /// How many bytes of frames are kept while the session is away (a first frame is kept
    /// whatever its size).
    pub fn max_queued_bytes(mut self, bytes: usize) -> Self {
        self.max_queued_bytes = bytes;
        self
    }

    /// The wait before attempt `attempt` (from 1).
    fn delay(&self, attempt: u32) -> Duration {
        let doubled = self.initial_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let full = doubled.min(self.max_delay);
        // `try_from`: a delay near `Duration::MAX` does not come back from `f64` exactly.
        Duration::try_from_secs_f64(full.as_secs_f64() * (1.0 - 0.25 * fastrand::f64())).unwrap_or(full)
    }
}

/// Whether a connection closed with `code` is worth opening again (see [`Reconnect`]).
pub fn recoverable(code: u16) -> bool {
    matches!(code, 1001 | 1005 | 1006 | 1011 | 1012 | 1013 | 1014 | 1015)
}

impl RequestBuilder<'_> {
    /// Opens a WebSocket session: the upgrade request is sent like any other (authentication,
    /// retries, an error status as [`Error::Api`]), then the connection speaks WebSocket;
    /// `encode` turns what the caller sends into frames and `decode` reads the server's.
    pub async fn send_websocket<S, E>(mut self, encode: Encode<S>, decode: DecodeFrame<E>) -> Result<Session<S, E>> {
        let settings = self.transport.effective();
        let (mode, timeout) = (settings.decode_mode, settings.timeout);
        let reconnect = self.extensions_mut().remove::<Reconnect>();
        Session::open(self, encode, decode, mode, timeout, reconnect).await
    }

    /// Has the session this request opens reconnect as `policy` says.
    #[doc(hidden)]
    pub fn set_reconnect(&mut self, policy: Reconnect) {
        self.extensions_mut().insert(policy);
    }
}

/// A WebSocket session of a streaming operation: [`Session::send`] sends what the client sends
/// (`S`: bytes for audio, the generated type for JSON frames), and the session is a [`Stream`]
/// of the server's events (`E`, decoded like any response: leniently unless the client decodes
/// strictly). The stream ends when the server closes the session normally; a close with an
/// error code, or a connection dropped without a close frame, is an [`Error::WebSocket`] and
/// then the end (unless the session reconnects: see [`Reconnect`]). [`Session::split`] gives a
/// sender and a stream of events to use from two tasks.
///
/// Every send and close returns within the client's timeout, also when the server stops
/// reading. The connection is served by a task of its own (which answers pings, and reconnects
/// when asked to); it ends when the session is closed or dropped.
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
    /// Sends the upgrade request and starts the task that serves the connection.
    pub(crate) async fn open(
        req: RequestBuilder<'_>,
        encode: Encode<S>,
        decode: DecodeFrame<E>,
        mode: DecodeMode,
        timeout: Duration,
        reconnect: Option<Reconnect>,
    ) -> Result<Session<S, E>> {
        let url = session_url(req.target().1);
        let redial = reconnect.map(|policy| (policy, req.detached()));
        let (socket, request_id) = connect(req).await?;
        let link = Link::start(socket, url.clone(), timeout, redial);
        Ok(Session {
            sender: Sender { link: link.sender, encode },
            events: Events { inbound: link.inbound, decode, mode, url, request_id, received: 0, done: false, timeout },
        })
    }

    /// Sends one frame (within the client's timeout; while the session reconnects, it is kept
    /// and sent on the new connection).
    pub async fn send(&mut self, frame: impl Into<S>) -> Result<()> {
        self.sender.send(frame).await
    }

    /// The next event, or `None` once the session is over.
    pub async fn next_event(&mut self) -> Option<Result<E>> {
        self.events.next().await
    }

    /// Closes the session cleanly: sends a close frame, then reads (and drops) what the server
    /// still sends until it closes too, all within the client's timeout (the connection is
    /// then dropped). A close frame that cannot be sent in that time is an error; a server
    /// that does not answer it is not.
    pub async fn close(self) -> Result<()> {
        let Session { sender, mut events } = self;
        let deadline = deadline_after(events.timeout);
        sender.link.close(deadline).await?;
        let drain = async {
            while let Some(event) = events.next().await {
                if let Err(e) = event {
                    if !matches!(e, Error::Decode(_)) {
                        return Err(e);
                    }
                }
            }
            Ok(())
        };
        tokio::time::timeout_at(deadline, drain).await.unwrap_or(Ok(()))
    }

    /// A sender and the stream of events, to send and read at the same time.
    pub fn split(self) -> (Sender<S>, Events<E>) {
        (self.sender, self.events)
    }

    /// The URL of the session, query left out.
    pub fn url(&self) -> &str {
        &self.events.url
    }

    /// The `x-request-id` of the upgrade's answer, to quote to Telnyx support (the first
    /// connection's).
    pub fn request_id(&self) -> Option<&str> {
        self.events.request_id.as_deref()
    }

    /// How many times the session has reconnected (see [`Reconnect`]).
    pub fn reconnects(&self) -> u32 {
        self.sender.link.reconnects()
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
    link: SenderLink,
    encode: Encode<S>,
}

impl<S> Sender<S> {
    /// Sends one frame, within the client's timeout (while the session reconnects, it is kept
    /// and sent on the new connection).
    pub async fn send(&mut self, frame: impl Into<S>) -> Result<()> {
        let message = match (self.encode)(frame.into())? {
            Frame::Binary(b) => Message::Binary(b),
            Frame::Text(t) => Message::Text(t.into()),
        };
        self.link.send(message).await
    }

    /// Sends a close frame, within the client's timeout: the server then ends the stream of
    /// events.
    pub async fn close(&mut self) -> Result<()> {
        self.link.close(deadline_after(self.link.timeout)).await
    }

    /// How many times the session has reconnected (see [`Reconnect`]).
    pub fn reconnects(&self) -> u32 {
        self.link.reconnects()
    }
}

/// The events of a [`Session`], as a [`Stream`].
pub struct Events<E> {
    inbound: mpsc::Receiver<Inbound>,
    decode: DecodeFrame<E>,
    mode: DecodeMode,
    url: String,
    request_id: Option<String>,
    /// Frames of the server read so far, to name the one that does not decode.
    received: u64,
    done: bool,
    /// How long a clean close waits.
    timeout: Duration,
}

impl<E> Events<E> {
    fn event(&mut self, frame: &[u8]) -> Result<E> {
        self.received += 1;
        match (self.decode)(frame, self.mode) {
            Ok(decoded) => {
                if !decoded.corrections.is_empty() {
                    crate::receive::warn_corrections(&decoded.corrections);
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
        if this.done {
            return Poll::Ready(None);
        }
        let outcome = match std::task::ready!(this.inbound.poll_recv(cx)) {
            Some(Ok(Frame::Text(t))) => this.event(t.as_bytes()),
            Some(Ok(Frame::Binary(b))) => this.event(&b),
            Some(Err(e)) => {
                this.done = true;
                Err(e)
            }
            None => {
                this.done = true;
                return Poll::Ready(None);
            }
        };
        Poll::Ready(Some(outcome))
    }
}

// The connection's task: everything below is the same code for every kind of session.

/// What the sending side asks of the connection's task, to be done by `deadline` (the caller's,
/// so a command it gave up on is not done later); the answer comes back on the channel.
enum Command {
    Send(Message, Instant, oneshot::Sender<Result<()>>),
    Close(Instant, oneshot::Sender<Result<()>>),
}

/// A frame of the server, or the error that ends the session.
type Inbound = std::result::Result<Frame, Error>;

/// `timeout` from now, or a far time for a timeout too long to add.
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout).unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// The two ends the session keeps of the task that serves its connection.
struct Link {
    sender: SenderLink,
    inbound: mpsc::Receiver<Inbound>,
}

/// What the sending side holds: the way to the task, and what it needs to bound its waits.
struct SenderLink {
    commands: mpsc::Sender<Command>,
    url: String,
    timeout: Duration,
    reconnects: Arc<AtomicU32>,
}

impl Link {
    fn start(
        socket: Socket,
        url: String,
        timeout: Duration,
        redial: Option<(Reconnect, RequestBuilder<'static>)>,
    ) -> Link {
        let (commands, command_rx) = mpsc::channel(8);
        // A few frames read ahead; past that the server is not read until the caller is.
        let (inbound_tx, inbound) = mpsc::channel(32);
        let reconnects = Arc::new(AtomicU32::new(0));
        let driver = Driver {
            commands: command_rx,
            commands_open: true,
            inbound: inbound_tx,
            pending: VecDeque::new(),
            url: url.clone(),
            timeout,
            redial,
            queue: Queue::default(),
            failures: 0,
            reconnects: reconnects.clone(),
            closing: false,
        };
        tokio::spawn(driver.run(socket));
        Link { sender: SenderLink { commands, url, timeout, reconnects }, inbound }
    }
}

impl SenderLink {
    async fn send(&self, message: Message) -> Result<()> {
        let deadline = deadline_after(self.timeout);
        self.ask(deadline, |ack| Command::Send(message, deadline, ack)).await
    }

    async fn close(&self, deadline: Instant) -> Result<()> {
        self.ask(deadline, |ack| Command::Close(deadline, ack)).await
    }

    /// Hands a command to the task and waits for its answer until `deadline`. A session whose
    /// task is over takes no frame, and is closed already.
    async fn ask(&self, deadline: Instant, command: impl FnOnce(oneshot::Sender<Result<()>>) -> Command) -> Result<()> {
        let (ack, answer) = oneshot::channel();
        let command = command(ack);
        let closing = matches!(command, Command::Close(..));
        let exchange = async {
            if self.commands.send(command).await.is_err() {
                return Err(());
            }
            answer.await.map_err(|_| ())
        };
        match tokio::time::timeout_at(deadline, exchange).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(())) if closing => Ok(()),
            Ok(Err(())) => Err(self.error("the session is over: the frame was not sent".into())),
            Err(_) => Err(self.error(format!(
                "the server did not take the {} within the client's timeout ({:?})",
                if closing { "close frame" } else { "frame" },
                self.timeout
            ))),
        }
    }

    fn error(&self, message: String) -> Error {
        Error::WebSocket { url: self.url.clone(), message, close_code: None }
    }

    fn reconnects(&self) -> u32 {
        self.reconnects.load(Ordering::Relaxed)
    }
}

/// Frames sent while the session is away, sent first when it is back.
#[derive(Default)]
struct Queue {
    frames: VecDeque<Message>,
    bytes: usize,
}

impl Queue {
    /// Keeps a frame unless that would pass `limit` bytes (a first frame is kept whatever its
    /// size).
    fn push(&mut self, message: Message, limit: usize) -> bool {
        let size = message.len();
        if !self.frames.is_empty() && self.bytes + size > limit {
            return false;
        }
        self.bytes += size;
        self.frames.push_back(message);
        true
    }

    fn pop(&mut self) {
        if let Some(m) = self.frames.pop_front() {
            self.bytes -= m.len();
        }
    }
}

type Sink = futures_util::stream::SplitSink<Socket, Message>;
type Source = futures_util::stream::SplitStream<Socket>;

/// A frame or a close frame being written: it owns the sink while it runs, so the server is
/// read meanwhile, and gives it back with the outcome.
type Writing = Pin<Box<dyn std::future::Future<Output = (Sink, std::result::Result<(), WriteFailed>)> + Send>>;

/// Why a write is under way, to answer when it is done.
enum Purpose {
    /// The caller's frame; a copy to keep if the session reconnects.
    Send(oneshot::Sender<Result<()>>, Option<Message>),
    Close(oneshot::Sender<Result<()>>),
    /// The first frame kept while the session was away.
    Resend,
}

/// Writes `message` (`None`: a close frame) by `deadline`.
fn write(mut sink: Sink, message: Option<Message>, deadline: Instant, timeout: Duration) -> Writing {
    Box::pin(async move {
        let written = tokio::time::timeout_at(deadline, async {
            match message {
                Some(message) => sink.send(message).await,
                None => sink.close().await,
            }
        })
        .await;
        let outcome = match written {
            Ok(Ok(()) | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed)) => Ok(()),
            Ok(Err(e)) => Err(WriteFailed { reason: failure_message(e), timed_out: false }),
            Err(_) => Err(WriteFailed {
                reason: format!("the server did not take the frame within the client's timeout ({timeout:?})"),
                timed_out: true,
            }),
        };
        (sink, outcome)
    })
}

/// The write under way, if any: never ready without one.
async fn written(writing: &mut Option<(Writing, Purpose)>) -> (Sink, std::result::Result<(), WriteFailed>) {
    match writing {
        Some((write, _)) => write.await,
        None => std::future::pending().await,
    }
}

/// What woke the task serving a connection.
enum Step {
    Wrote(Sink, std::result::Result<(), WriteFailed>),
    Read(Option<std::result::Result<Message, tungstenite::Error>>),
    Command(Option<Command>),
    /// Nobody holds the session any more.
    Abandoned,
}

/// Why a frame could not be written: the connection is then lost.
struct WriteFailed {
    reason: String,
    /// The server did not take it in time: part of it may have been written.
    timed_out: bool,
}

/// How a connection ended.
enum Ended {
    /// The session is over: closed by either side, or dropped by the caller.
    Over,
    /// The connection was lost: a close with `code` (1006 when it dropped), and the error the
    /// caller gets if it is not opened again.
    Lost { code: u16, error: Error },
}

struct Driver {
    commands: mpsc::Receiver<Command>,
    /// Whether the caller still holds the sender.
    commands_open: bool,
    inbound: mpsc::Sender<Inbound>,
    /// Frames read from the server that the caller has not taken yet.
    pending: VecDeque<Frame>,
    url: String,
    timeout: Duration,
    redial: Option<(Reconnect, RequestBuilder<'static>)>,
    queue: Queue,
    /// Attempts to reconnect since the server last sent a frame: the policy's limit bounds
    /// them, so a server that takes the upgrade and closes at once is not dialled forever.
    failures: u32,
    reconnects: Arc<AtomicU32>,
    /// The caller sent a close frame: the session ends with the connection.
    closing: bool,
}

impl Driver {
    async fn run(mut self, mut socket: Socket) {
        loop {
            let (code, error) = match self.serve(socket).await {
                Ended::Over => break,
                Ended::Lost { code, error } => (code, error),
            };
            match self.reopen(code, error).await {
                Some(next) => socket = next,
                None => break,
            }
        }
        // Whatever was read still goes to the caller.
        self.hand_over(None).await;
    }

    fn error(&self, message: String, close_code: Option<u16>) -> Error {
        Error::WebSocket { url: self.url.clone(), message, close_code }
    }

    /// Whether the session opens a new connection after a close with `code`.
    fn reconnects_after(&self, code: u16) -> bool {
        !self.closing && self.redial.as_ref().is_some_and(|(policy, _)| policy.max_attempts > 0) && recoverable(code)
    }

    /// Serves one connection: sends what the caller sends (the frames kept while away first)
    /// while it hands over what the server sends, until the connection ends.
    async fn serve(&mut self, socket: Socket) -> Ended {
        let (sink, mut source) = socket.split();
        let mut sink = Some(sink);
        let mut writing: Option<(Writing, Purpose)> = None;
        loop {
            if let (None, Some(message)) = (&writing, self.queue.frames.front()) {
                let message = Some(message.clone());
                writing = Some(self.start_write(&mut sink, message, deadline_after(self.timeout), Purpose::Resend));
            }
            let step = tokio::select! {
                (back, outcome) = written(&mut writing) => Step::Wrote(back, outcome),
                permit = self.inbound.reserve(), if !self.pending.is_empty() => {
                    if let (Ok(permit), Some(frame)) = (permit, self.pending.pop_front()) {
                        permit.send(Ok(frame));
                    }
                    continue;
                }
                message = source.next(), if self.pending.is_empty() => Step::Read(message),
                command = self.commands.recv(), if self.commands_open && writing.is_none() => Step::Command(command),
                () = self.inbound.closed(), if !self.commands_open => Step::Abandoned,
            };
            match step {
                Step::Wrote(back, outcome) => {
                    sink = Some(back);
                    let (_, purpose) = writing.take().expect("a write was under way");
                    if let Some(ended) = self.wrote(purpose, outcome, &mut source).await {
                        return ended;
                    }
                }
                Step::Read(message) => match message {
                    Some(Ok(Message::Text(t))) => self.received(Frame::Text(t.to_string())),
                    Some(Ok(Message::Binary(b))) => self.received(Frame::Binary(b)),
                    // Pings are answered by the socket as it reads.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                    Some(Ok(Message::Close(frame))) => {
                        if let Some(sink) = sink.as_mut() {
                            // Flushing sends the close frame that answers the server's.
                            let _ = tokio::time::timeout(self.timeout, sink.flush()).await;
                        }
                        return self.closed_by_server(frame);
                    }
                    _ if self.closing => return Ended::Over,
                    None => return self.lost("the connection dropped without a close frame".into()),
                    Some(Err(e)) => return self.lost(failure_message(e)),
                },
                Step::Command(Some(Command::Send(message, deadline, ack))) => {
                    // A frame the caller gave up on is not sent behind its back.
                    if !ack.is_closed() {
                        let copy = self.redial.is_some().then(|| message.clone());
                        writing = Some(self.start_write(&mut sink, Some(message), deadline, Purpose::Send(ack, copy)));
                    }
                }
                Step::Command(Some(Command::Close(deadline, ack))) => {
                    self.closing = true;
                    writing = Some(self.start_write(&mut sink, None, deadline, Purpose::Close(ack)));
                }
                Step::Command(None) => self.commands_open = false,
                Step::Abandoned => return Ended::Over,
            }
        }
    }

    /// Starts writing `message` (`None`: a close frame) with the sink, which is back when
    /// nothing is being written (a write is only started then).
    fn start_write(
        &self,
        sink: &mut Option<Sink>,
        message: Option<Message>,
        deadline: Instant,
        purpose: Purpose,
    ) -> (Writing, Purpose) {
        let sink = sink.take().expect("a write is only started when the last one gave the sink back");
        (write(sink, message, deadline, self.timeout), purpose)
    }

    /// A frame of the server, for the caller: the connection works, so the attempts to
    /// reconnect start again from the first.
    fn received(&mut self, frame: Frame) {
        self.failures = 0;
        self.pending.push_back(frame);
    }

    /// Answers a finished write; `Some` when the connection is over.
    async fn wrote(
        &mut self,
        purpose: Purpose,
        outcome: std::result::Result<(), WriteFailed>,
        source: &mut Source,
    ) -> Option<Ended> {
        let failed = match (purpose, outcome) {
            (Purpose::Resend, Ok(())) => {
                self.queue.pop();
                return None;
            }
            (Purpose::Send(ack, _), Ok(())) | (Purpose::Close(ack), Ok(())) => {
                let _ = ack.send(Ok(()));
                return None;
            }
            (Purpose::Close(ack), Err(failed)) => {
                let _ = ack.send(Err(self.error(failed.reason, None)));
                return Some(Ended::Over);
            }
            (Purpose::Resend, Err(failed)) => {
                // A frame that timed out may be half written: it is not sent again.
                if failed.timed_out {
                    self.queue.pop();
                }
                failed
            }
            (Purpose::Send(ack, copy), Err(failed)) => {
                // A frame the connection refused goes on the next one, if the session
                // reconnects; one that timed out may be half written, and is not sent again.
                let kept = !failed.timed_out
                    && self.reconnects_after(1006)
                    && copy.is_some_and(|m| self.queue.push(m, usize::MAX));
                let _ = ack.send(if kept { Ok(()) } else { Err(self.error(failed.reason.clone(), None)) });
                failed
            }
        };
        // What the server sent before the connection went is still read, its close frame
        // included, which tells why it went.
        if !failed.timed_out {
            while let Some(Some(message)) = source.next().now_or_never() {
                match message {
                    Ok(Message::Text(t)) => self.received(Frame::Text(t.to_string())),
                    Ok(Message::Binary(b)) => self.received(Frame::Binary(b)),
                    Ok(Message::Close(frame)) => return Some(self.closed_by_server(frame)),
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
        Some(self.lost(failed.reason))
    }

    /// The server's close frame: the end of the session, quietly for a normal close, else lost.
    fn closed_by_server(&self, frame: Option<CloseFrame>) -> Ended {
        let (code, reason) = frame.map_or((1005, String::new()), |f| (u16::from(f.code), f.reason.to_string()));
        let quiet = matches!(code, 1000 | 1001 | 1005) && !self.reconnects_after(code);
        if self.closing || quiet {
            return Ended::Over;
        }
        let error = self.error(format!("the server closed the session: {code} {reason}"), Some(code));
        Ended::Lost { code, error }
    }

    /// A connection lost without a close frame (1006), for `message`.
    fn lost(&self, message: String) -> Ended {
        Ended::Lost { code: 1006, error: self.error(message, None) }
    }

    /// Hands the caller the frames read, and `last`, at the end of the session, answering what
    /// it sends meanwhile: the session is over.
    async fn hand_over(&mut self, last: Option<Inbound>) {
        self.commands.close();
        while let Ok(command) = self.commands.try_recv() {
            match command {
                Command::Send(_, _, ack) => {
                    let _ = ack.send(Err(self.error("the session is over: the frame was not sent".into(), None)));
                }
                Command::Close(_, ack) => {
                    let _ = ack.send(Ok(()));
                }
            }
        }
        while let Some(frame) = self.pending.pop_front() {
            if self.inbound.send(Ok(frame)).await.is_err() {
                return;
            }
        }
        if let Some(last) = last {
            let _ = self.inbound.send(last).await;
        }
    }

    /// Opens the connection again as the session's [`Reconnect`] says, keeping what the caller
    /// sends meanwhile; `None` when it will not (the caller then gets `error`, or the reason
    /// the attempts failed).
    async fn reopen(&mut self, code: u16, error: Error) -> Option<Socket> {
        if !self.reconnects_after(code) {
            if !self.closing {
                self.hand_over(Some(Err(error))).await;
            }
            return None;
        }
        let (policy, req) = self.redial.take()?;
        let mut last = error;
        while self.failures < policy.max_attempts {
            self.failures += 1;
            let attempt = self.failures;
            let wait = policy.delay(attempt);
            let wait_ms = wait.as_millis() as u64;
            tracing::info!(url = %self.url, close_code = code, attempt, wait_ms, "reconnecting the WebSocket session");
            let upgrade = req.detached();
            let dial = async move {
                tokio::time::sleep(wait).await;
                connect(upgrade).await
            };
            tokio::pin!(dial);
            let outcome = loop {
                let command = tokio::select! {
                    outcome = &mut dial => break outcome,
                    command = self.commands.recv(), if self.commands_open => command,
                    () = self.inbound.closed(), if !self.commands_open => return None,
                };
                match command {
                    Some(Command::Send(message, _, ack)) => {
                        let _ = ack.send(self.keep(message, policy.max_queued_bytes));
                    }
                    // Closed by the caller: nothing to reconnect for.
                    Some(Command::Close(_, ack)) => {
                        let _ = ack.send(Ok(()));
                        self.closing = true;
                        return None;
                    }
                    None => self.commands_open = false,
                }
            };
            match outcome {
                Ok((socket, request_id)) => {
                    self.reconnects.fetch_add(1, Ordering::Relaxed);
                    let request_id = request_id.unwrap_or_default();
                    tracing::info!(url = %self.url, attempt, request_id, "WebSocket session reconnected");
                    self.redial = Some((policy, req));
                    return Some(socket);
                }
                // A refused key or a bad request will be refused again.
                Err(e)
                    if e.api()
                        .is_some_and(|a| a.status.is_client_error() && !matches!(a.status.as_u16(), 408 | 429)) =>
                {
                    last = e;
                    break;
                }
                Err(e) => last = e,
            }
        }
        let unsent = self.queue.frames.len();
        let message = format!(
            "the connection was lost ({code}) and could not be opened again: {last}{}",
            if unsent > 0 { format!("; {unsent} frames sent meanwhile were not delivered") } else { String::new() }
        );
        // The code of a close frame the server sent; none for a dropped connection.
        let close_code = (code != 1006).then_some(code);
        self.hand_over(Some(Err(self.error(message, close_code)))).await;
        None
    }

    /// Keeps a frame sent while the session is away, if the queue has room.
    fn keep(&mut self, message: Message, limit: usize) -> Result<()> {
        if self.queue.push(message, limit) {
            return Ok(());
        }
        let held = self.queue.bytes;
        Err(self.error(
            format!("the session is reconnecting and holds {held} bytes of frames: this one was not kept"),
            None,
        ))
    }
}

fn failure_message(e: tungstenite::Error) -> String {
    match e {
        tungstenite::Error::Protocol(tungstenite::error::ProtocolError::ResetWithoutClosingHandshake) => {
            "the connection dropped without a close frame".to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnect_delays_double_up_to_the_cap_less_a_random_quarter() {
        let policy = Reconnect::new().delays(Duration::from_millis(400), Duration::from_secs(2));
        for (attempt, full) in [(1, 400), (2, 800), (3, 1600), (4, 2000), (30, 2000)] {
            let wait = policy.delay(attempt).as_millis() as u64;
            assert!(wait <= full && wait >= full * 3 / 4, "attempt {attempt}: {wait} ms");
        }
        let huge = Reconnect::new().delays(Duration::MAX, Duration::MAX);
        assert!(huge.delay(3) >= Duration::MAX / 2);
    }

    #[test]
    fn only_recoverable_closes_reconnect() {
        let codes: Vec<u16> = (1000..=1015).filter(|c| recoverable(*c)).collect();
        assert_eq!(codes, [1001, 1005, 1006, 1011, 1012, 1013, 1014, 1015]);
        assert!(!recoverable(4000) && !recoverable(3000));
    }

    #[test]
    fn the_queue_keeps_a_first_frame_whatever_its_size_then_up_to_the_limit() {
        let mut queue = Queue::default();
        assert!(queue.push(Message::Binary(vec![0; 10].into()), 4));
        assert!(!queue.push(Message::Binary(vec![0; 1].into()), 4));
        queue.pop();
        assert_eq!(queue.bytes, 0);
        assert!(queue.push(Message::Binary(vec![0; 3].into()), 4));
        assert!(queue.push(Message::Binary(vec![0; 1].into()), 4));
        assert!(!queue.push(Message::Binary(vec![0; 1].into()), 4));
    }
}
