//! Webhooks in an axum app (the `axum` feature): [`VerifiedEvent`] is an extractor that checks a
//! webhook's signature and timestamp with the app's [`Verifier`] and yields the typed event.
//!
//! The verifier comes from the router's state (`Verifier: FromRef<S>`): the state can be the
//! verifier itself, or an app state with a field for it and `#[derive(FromRef)]`. A webhook that
//! fails a check never reaches the handler: the extractor answers `401 Unauthorized` when a
//! signature header is missing, the signature does not match (by any of the verifier's keys)
//! or the timestamp is too old or ahead, and `400 Bad Request` when the signed body is not an
//! event; the response's text says which check failed.
//!
//! ```
//! use axum::{routing::post, Router};
//! use telnyx::axum::VerifiedEvent;
//! use telnyx::webhooks::{Verifier, WebhookEvent};
//!
//! async fn webhook(VerifiedEvent(event): VerifiedEvent) {
//!     match event {
//!         WebhookEvent::CallAnswered(answered) => println!("answered: {:?}", answered.data),
//!         other => println!("not handled here: {:?}", other.event_type()),
//!     }
//! }
//!
//! fn app(verifier: Verifier) -> Router {
//!     Router::new().route("/webhooks", post(webhook)).with_state(verifier)
//! }
//! # let _ = app;
//! ```

use crate::webhooks::{Verifier, WebhookError, WebhookEvent};
use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;

/// A webhook whose signature and timestamp checked out, decoded into its typed event.
#[derive(Debug, Clone)]
pub struct VerifiedEvent(pub WebhookEvent);

impl std::ops::Deref for VerifiedEvent {
    type Target = WebhookEvent;

    fn deref(&self) -> &WebhookEvent {
        &self.0
    }
}

impl<S: Send + Sync> FromRequest<S> for VerifiedEvent
where
    Verifier: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebhookRejection> {
        let verifier = Verifier::from_ref(state);
        let headers = request.headers().clone();
        let body = bytes::Bytes::from_request(request, state).await.map_err(|e| WebhookRejection {
            status: e.status(),
            reason: format!("the body could not be read: {}", e.body_text()),
            error: None,
        })?;
        verifier.verify_and_parse(&body, &headers).map(VerifiedEvent).map_err(WebhookRejection::from)
    }
}

/// Why [`VerifiedEvent`] refused a request: the response the sender gets (its status, and a
/// text body that says which check failed), and the verifier's error.
#[derive(Debug)]
pub struct WebhookRejection {
    status: StatusCode,
    reason: String,
    error: Option<WebhookError>,
}

impl WebhookRejection {
    /// `401` for a missing or bad signature or timestamp, `400` for a signed body that is not
    /// an event, the body's own status when it could not be read (`413` over axum's limit).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The check that failed; `None` when the body could not be read.
    pub fn error(&self) -> Option<&WebhookError> {
        self.error.as_ref()
    }
}

impl From<WebhookError> for WebhookRejection {
    fn from(error: WebhookError) -> Self {
        let status = match error {
            WebhookError::Decode { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNAUTHORIZED,
        };
        WebhookRejection { status, reason: error.to_string(), error: Some(error) }
    }
}

impl std::fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        (self.status, self.reason).into_response()
    }
}
