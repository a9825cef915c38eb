//! Bodies read as they arrive: binary downloads, and server-sent events.

use crate::receive::decode_json;
use crate::{Error, Result};
use eventsource_stream::Eventsource;
use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A binary response (PDF, WAV, CSV, images...): read it whole with [`Download::bytes`] or
/// piece by piece with [`Download::stream`], never through JSON.
#[derive(Debug)]
pub struct Download {
    response: reqwest::Response,
}

impl Download {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        Download { response }
    }

    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The media type the server sent, e.g. `application/pdf`.
    pub fn content_type(&self) -> Option<&str> {
        self.response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The body length, when the server said it.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<bytes::Bytes> {
        self.response.bytes().await.map_err(Error::transport)
    }

    /// The body in chunks as they arrive, for large files.
    pub fn stream(self) -> impl Stream<Item = Result<bytes::Bytes>> + Send + 'static {
        self.response.bytes_stream().map(|chunk| chunk.map_err(Error::transport))
    }
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSentEvent {
    /// The `event:` name (`message` when the server gave none).
    pub event: String,
    /// The `data:` lines, joined by newlines.
    pub data: String,
    /// The `id:` field, empty when absent.
    pub id: String,
    /// The reconnection delay the server asked for, if any.
    pub retry: Option<Duration>,
}

impl ServerSentEvent {
    /// Decodes the data as JSON; a failure names the field, like any response.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(self.data.as_bytes())
    }
}

type EventResults = Pin<Box<dyn Stream<Item = Result<ServerSentEvent>> + Send>>;

/// A `text/event-stream` response as a [`Stream`] of [`ServerSentEvent`]s.
pub struct EventStream {
    events: EventResults,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream")
    }
}

impl EventStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        let events = response.bytes_stream().eventsource().map(|item| match item {
            Ok(e) => Ok(ServerSentEvent { event: e.event, data: e.data, id: e.id, retry: e.retry }),
            Err(eventsource_stream::EventStreamError::Transport(e)) => Err(Error::transport(e)),
            Err(other) => Err(Error::decode_body(
                crate::decode::Failure { path: ".".into(), message: format!("malformed event stream: {other}") },
                &[],
            )),
        });
        EventStream { events: Box::pin(events) }
    }

    /// The next event, or `None` when the server closed the stream.
    pub async fn next_event(&mut self) -> Option<Result<ServerSentEvent>> {
        self.events.next().await
    }
}

impl Stream for EventStream {
    type Item = Result<ServerSentEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}
