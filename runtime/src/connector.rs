//! The seam between the client and the network: a [`Connector`] takes each attempt of a request,
//! whole, and gives back the response or a [`Fault`]. reqwest is the connector unless the
//! client's builder is given another (`ClientBuilder::connector`): a test double that answers in
//! process, a recorder that replays, a gateway of your own. Everything above it (encoding,
//! authentication, retries, decoding) is the same either way.

use futures_util::future::BoxFuture;

/// Sends one attempt of a request and reads its whole response. The request carries the
/// client's headers (authentication included), query and body; the retry loop above it decides
/// what a status or a [`Fault`] means, and calls again for a retry.
pub trait Connector: Send + Sync + 'static {
    /// Sends `request`; `Err` when no response came (see [`FaultKind`] for which, as retries
    /// treat them differently).
    fn send(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> BoxFuture<'static, Result<http::Response<bytes::Bytes>, Fault>>;
}

/// Why a [`Connector`] got no response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultKind {
    /// The request did not leave (the connection was refused, DNS failed): always safe to
    /// retry.
    NotSent,
    /// The request left, and no answer came (the connection was reset): it may have taken
    /// effect, so it is retried only when that is safe.
    NoAnswer,
    /// No answer within the timeout: treated as [`FaultKind::NoAnswer`], and reported as a
    /// timeout.
    TimedOut,
}

/// A request a [`Connector`] could not get a response to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Fault {
    kind: FaultKind,
    message: String,
}

impl Fault {
    /// A fault of `kind`, described by `message` (what the call's error will say).
    pub fn new(kind: FaultKind, message: impl Into<String>) -> Fault {
        Fault { kind, message: message.into() }
    }

    /// The request did not leave.
    pub fn not_sent(message: impl Into<String>) -> Fault {
        Fault::new(FaultKind::NotSent, message)
    }

    /// The request left and no answer came.
    pub fn no_answer(message: impl Into<String>) -> Fault {
        Fault::new(FaultKind::NoAnswer, message)
    }

    /// No answer within the timeout.
    pub fn timed_out(message: impl Into<String>) -> Fault {
        Fault::new(FaultKind::TimedOut, message)
    }

    pub fn kind(&self) -> FaultKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}
