//! The crate's error type.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::Deserialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Anything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request could not be sent or the response not read (connection refused or reset,
    /// DNS, TLS), after any retries.
    #[error("request failed: {source}{}", suffix(.not_retried))]
    Connection {
        #[source]
        source: reqwest::Error,
        /// Set when the failure was not retried because the request might take effect twice.
        not_retried: Option<crate::NotRetried>,
    },
    /// The request or the response body took longer than the timeout, after any retries.
    #[error("request timed out: {source}{}", suffix(.not_retried))]
    Timeout {
        #[source]
        source: reqwest::Error,
        /// Set when the failure was not retried because the request might take effect twice.
        not_retried: Option<crate::NotRetried>,
    },
    /// A [`crate::Connector`] given to the client's builder got no response, after any retries.
    /// [`Error::is_timeout`] and [`Error::is_connection`] say which, as for reqwest's failures.
    #[error("request {}: {fault}{}", fault_verb(.fault), suffix(.not_retried))]
    Fault {
        #[source]
        fault: crate::Fault,
        /// Set when the failure was not retried because the request might take effect twice.
        not_retried: Option<crate::NotRetried>,
    },
    /// A success response whose body cannot be read as the expected type: not JSON, or, when
    /// decoding strictly, a deviation from the spec. Keeps everything the server sent.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A request value could not be encoded.
    #[error("cannot encode the request: {0}")]
    Encode(String),
    /// The client is misconfigured (no API key, bad base URL).
    #[error("configuration: {0}")]
    Config(String),
    /// A WebSocket session failed once open (or the server did not switch to WebSocket): the
    /// connection dropped without a close frame, the server closed it with an error code, or
    /// the protocol broke. An upgrade refused with an error status is [`Error::Api`] instead.
    #[error("WebSocket {url}: {message}")]
    WebSocket {
        /// The session's URL, query left out.
        url: String,
        message: String,
        /// The close code the server sent, when it closed the session with an error.
        close_code: Option<u16>,
    },
}

impl Error {
    /// The API error, when the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The decode error, when a response could not be read.
    pub fn decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }

    /// A decode error that comes with no response (a body decoded by hand, an event).
    pub(crate) fn decode_body(failure: crate::decode::Failure, body: &[u8]) -> Error {
        Error::Decode(Box::new(DecodeError::new(failure, None, HeaderMap::new(), bytes::Bytes::copy_from_slice(body))))
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Fault { fault, .. } => fault.kind() == crate::FaultKind::TimedOut,
            _ => false,
        }
    }

    /// Whether no response came for a reason other than a timeout: the connection could not be
    /// made, or dropped ([`Error::Connection`], or a connector's fault).
    pub fn is_connection(&self) -> bool {
        match self {
            Error::Connection { .. } => true,
            Error::Fault { fault, .. } => fault.kind() != crate::FaultKind::TimedOut,
            _ => false,
        }
    }

    /// Why the failure was handed back without a retry, when a retry could have repeated the
    /// request's effect (see [`crate::RetryPolicy`]).
    pub fn not_retried(&self) -> Option<crate::NotRetried> {
        match self {
            Error::Api(e) => e.not_retried,
            Error::Connection { not_retried, .. }
            | Error::Timeout { not_retried, .. }
            | Error::Fault { not_retried, .. } => *not_retried,
            _ => None,
        }
    }

    /// A transport error as [`Error::Timeout`] or [`Error::Connection`].
    pub(crate) fn transport(e: reqwest::Error) -> Error {
        Error::transport_not_retried(e, None)
    }

    pub(crate) fn transport_not_retried(source: reqwest::Error, not_retried: Option<crate::NotRetried>) -> Error {
        if source.is_timeout() {
            Error::Timeout { source, not_retried }
        } else {
            Error::Connection { source, not_retried }
        }
    }
}

/// "timed out" or "failed", as reqwest's failures read.
fn fault_verb(fault: &crate::Fault) -> &'static str {
    match fault.kind() {
        crate::FaultKind::TimedOut => "timed out",
        _ => "failed",
    }
}

/// `; not retried: ...` when a failure was not retried for safety.
fn suffix(not_retried: &Option<crate::NotRetried>) -> String {
    not_retried.map(|n| format!("; {n}")).unwrap_or_default()
}

/// A response body that could not be decoded, with all of the response: status, headers,
/// request id and the whole body. `Display` is one line and does not print the body.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// JSON path of the value that failed, e.g. `data[0].created_at` (`.` for the whole body).
    pub path: String,
    pub message: String,
    /// The status of the response (`None` for a body that did not come with one: a
    /// server-sent event, a webhook, [`crate::decode_json`]).
    pub status: Option<StatusCode>,
    pub headers: HeaderMap,
    /// The `x-request-id` header, to quote to Telnyx support.
    pub request_id: Option<String>,
    /// The whole body, as received.
    pub body: bytes::Bytes,
}

impl DecodeError {
    pub(crate) fn new(
        failure: crate::decode::Failure,
        status: Option<StatusCode>,
        headers: HeaderMap,
        body: bytes::Bytes,
    ) -> DecodeError {
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        DecodeError { path: failure.path, message: failure.message, status, headers, request_id, body }
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot decode the response at `{}`: {}", self.path, self.message)?;
        if let Some(status) = self.status {
            write!(f, " (status {}", status.as_u16())?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            write!(f, ", {} bytes kept)", self.body.len())?;
        }
        Ok(())
    }
}

/// An error response of the API, with what the server said about it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The `x-request-id` header, to quote to Telnyx support.
    pub request_id: Option<String>,
    /// Telnyx's decoded `errors` list (empty when the body had none).
    pub errors: Vec<ApiErrorDetail>,
    /// The raw body.
    pub body: String,
    /// Set when the status was not retried because the request might take effect twice.
    pub not_retried: Option<crate::NotRetried>,
    /// The wait the server asked for before another try (`retry-after-ms`, `Retry-After`), when
    /// it asked for one. One longer than [`crate::MAX_RETRY_AFTER`] is not waited for: the
    /// error comes back at once, with the wait here, for the caller to schedule.
    pub retry_after: Option<std::time::Duration>,
    /// Set on a DELETE or PUT answered 404 or 409 on a retry after an attempt whose outcome is
    /// unknown (no answer came, or a 5xx): that attempt most likely took effect (the resource
    /// is gone already, or already as asked).
    pub likely_applied: bool,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "API error {}", self.status)?;
        if let Some(e) = self.errors.first() {
            write!(f, ": {}", e.title.as_deref().unwrap_or(""))?;
            if let Some(d) = &e.detail {
                write!(f, " ({d})")?;
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(n) = self.not_retried {
            write!(f, "; {n}")?;
        }
        if let Some(wait) = self.retry_after.filter(|w| *w > crate::MAX_RETRY_AFTER) {
            write!(f, "; the server asks to retry after {} s, longer than the client waits", wait.as_secs())?;
        }
        if self.likely_applied {
            write!(f, "; an earlier attempt got no answer and most likely took effect")?;
        }
        Ok(())
    }
}

/// One entry of Telnyx's `{"errors": [...]}` body.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApiErrorDetail {
    #[serde(default, deserialize_with = "code_as_string")]
    pub code: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub source: Option<serde_json::Value>,
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// Telnyx sends error codes as strings, but some endpoints send numbers.
fn code_as_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    })
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: &[u8]) -> ApiError {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            errors: Vec<ApiErrorDetail>,
        }
        let errors = serde_json::from_slice::<Body>(body).map(|b| b.errors).unwrap_or_default();
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        ApiError {
            status,
            headers,
            request_id,
            errors,
            body: String::from_utf8_lossy(body).into_owned(),
            not_retried: None,
            retry_after: None,
            likely_applied: false,
        }
    }

    pub fn is_bad_request(&self) -> bool {
        self.status == StatusCode::BAD_REQUEST
    }
    pub fn is_authentication(&self) -> bool {
        self.status == StatusCode::UNAUTHORIZED
    }
    pub fn is_permission_denied(&self) -> bool {
        self.status == StatusCode::FORBIDDEN
    }
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }
    pub fn is_conflict(&self) -> bool {
        self.status == StatusCode::CONFLICT
    }
    pub fn is_unprocessable(&self) -> bool {
        self.status == StatusCode::UNPROCESSABLE_ENTITY
    }
    pub fn is_rate_limited(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS
    }
    pub fn is_server_error(&self) -> bool {
        self.status.is_server_error()
    }
}
