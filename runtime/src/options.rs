//! Settings: the per-request options over the client's, and what a capture records of each
//! response.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;
use std::time::Duration;

/// Per-request settings: a timeout, a number of retries, extra headers and extra query
/// parameters. Apply them with the client's `with_options` (or a call's).
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_policy: Option<crate::RetryPolicy>,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) capture: Option<ResponseCapture>,
    pub(crate) decode_mode: Option<crate::DecodeMode>,
}

/// What the server answered, beside the typed value a call returns: status, headers, the
/// request id and how many attempts it took.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The URL the answer came from, query included.
    pub url: String,
    pub status: reqwest::StatusCode,
    pub headers: HeaderMap,
    /// The `x-request-id` header, to quote to Telnyx support.
    pub request_id: Option<String>,
    /// 1 when the first attempt answered, more after retries.
    pub attempts: u32,
    /// Where the body deviated from the spec and what the client made of it (empty when it
    /// matched; see [`crate::DecodeMode`]).
    pub corrections: Vec<crate::Correction>,
}

/// Receives the [`ResponseMeta`] of every response to the calls made through a handle that has
/// it in its options, each with its own corrections (concurrent calls and a paginator's pages
/// included); cloning shares it. It keeps them until [`ResponseCapture::take`].
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture {
    responses: Arc<std::sync::Mutex<Captured>>,
}

/// The responses of a capture, each under the number it was recorded with.
#[derive(Debug, Default)]
struct Captured {
    next: u64,
    responses: Vec<(u64, ResponseMeta)>,
}

impl ResponseCapture {
    pub fn new() -> Self {
        ResponseCapture::default()
    }

    /// The last response received through this capture.
    pub fn last(&self) -> Option<ResponseMeta> {
        self.slot().responses.last().map(|(_, m)| m.clone())
    }

    /// Every response received through this capture, in the order they arrived.
    pub fn all(&self) -> Vec<ResponseMeta> {
        self.slot().responses.iter().map(|(_, m)| m.clone()).collect()
    }

    /// Every response received through this capture, which then holds none.
    pub fn take(&self) -> Vec<ResponseMeta> {
        std::mem::take(&mut self.slot().responses).into_iter().map(|(_, m)| m).collect()
    }

    /// Records a response; the number its body's corrections are added under.
    pub(crate) fn record(&self, response: &reqwest::Response, attempts: u32) -> u64 {
        let headers = response.headers().clone();
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        let url = response.url().to_string();
        let meta =
            ResponseMeta { url, status: response.status(), headers, request_id, attempts, corrections: Vec::new() };
        self.record_meta(meta)
    }

    fn record_meta(&self, meta: ResponseMeta) -> u64 {
        let mut captured = self.slot();
        let id = captured.next;
        captured.next += 1;
        captured.responses.push((id, meta));
        id
    }

    /// Adds the corrections of the body of the response recorded as `id`.
    pub(crate) fn add_corrections(&self, id: u64, corrections: Vec<crate::Correction>) {
        let mut captured = self.slot();
        if let Some((_, meta)) = captured.responses.iter_mut().rev().find(|(i, _)| *i == id) {
            meta.corrections.extend(corrections);
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Captured> {
        self.responses.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl RequestOptions {
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Timeout of each attempt, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt is retried (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Which failures are retried: only those that cannot repeat the request's effect (the
    /// default, [`crate::RetryPolicy::Safe`]), or all of them.
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// An extra header; it replaces a header of the same name set by the client.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// An extra query parameter, for parameters the spec does not describe.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Fail on a response that deviates from the spec instead of correcting it (see
    /// [`crate::DecodeMode`]); `false` goes back to the default, lenient decoding.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.decode_mode = Some(if strict { crate::DecodeMode::Strict } else { crate::DecodeMode::Lenient });
        self
    }

    /// Record the status, headers, request id and corrections of each response in `capture`.
    pub fn capture_response(mut self, capture: &ResponseCapture) -> Self {
        self.capture = Some(capture.clone());
        self
    }

    /// `other`'s settings on top of these.
    pub(crate) fn merged(&self, other: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        let mut query = self.query.clone();
        query.extend(other.query);
        RequestOptions {
            timeout: other.timeout.or(self.timeout),
            max_retries: other.max_retries.or(self.max_retries),
            retry_policy: other.retry_policy.or(self.retry_policy),
            headers,
            query,
            capture: other.capture.or_else(|| self.capture.clone()),
            decode_mode: other.decode_mode.or(self.decode_mode),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(request_id: &str) -> ResponseMeta {
        ResponseMeta {
            url: "https://api.telnyx.test/v2/calls".into(),
            status: reqwest::StatusCode::OK,
            headers: Default::default(),
            request_id: Some(request_id.into()),
            attempts: 1,
            corrections: Vec::new(),
        }
    }

    #[test]
    fn corrections_stay_with_the_response_they_came_with() {
        // Two calls through one capture answer before either body is decoded: each body's
        // corrections go to its own response, not to the one recorded last.
        let capture = ResponseCapture::new();
        let first = capture.record_meta(response("req-1"));
        let second = capture.record_meta(response("req-2"));
        let correction = |path: &str| crate::Correction {
            path: path.into(),
            kind: crate::CorrectionKind::Converted,
            expected: "an integer".into(),
            found: None,
        };
        capture.add_corrections(first, vec![correction("a")]);
        capture.add_corrections(second, vec![correction("b")]);
        let all = capture.all();
        let paths: Vec<(Option<&str>, &str)> =
            all.iter().map(|m| (m.request_id.as_deref(), m.corrections[0].path.as_str())).collect();
        assert_eq!(paths, [(Some("req-1"), "a"), (Some("req-2"), "b")]);
        assert_eq!(capture.last().unwrap().request_id.as_deref(), Some("req-2"));
    }
}
