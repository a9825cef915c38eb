//! When to retry a request and how long to wait first.
//!
//! A failure is worth retrying on connection errors, timeouts, 408, 409, 429 and 5xx, unless
//! the server says otherwise with `x-should-retry: true|false`. Under the default
//! [`RetryPolicy::Safe`] a request is retried only when repeating it cannot repeat its effect:
//! its method is idempotent, it carries an idempotency token, nothing was sent (the connection
//! could not be made), or the server said it did nothing (429, 408, `x-should-retry: true`).
//! The wait is the server's `retry-after-ms` or `Retry-After` (seconds or an HTTP date); one
//! longer than [`MAX_RETRY_AFTER`] is not waited for: the error comes back at once, with the
//! wait in [`crate::ApiError::retry_after`]. Without one, exponential backoff from 0.5 s
//! doubling to 8 s, less up to 25% jitter so that many clients do not retry in step.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

const INITIAL_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);
/// A longer `Retry-After` is not waited for, so a server cannot park the caller for hours: the
/// request's error comes back at once, with the wait asked for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Which failed requests the client retries (set it with
/// [`crate::ClientBuilder::retry_policy`] or [`crate::RequestOptions::retry_policy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryPolicy {
    /// Retry only what cannot take effect twice: idempotent methods (GET, HEAD, PUT, DELETE,
    /// OPTIONS), requests with an idempotency token (`command_id`, `Idempotency-Key`, filled by
    /// the client when the caller leaves them empty), requests that were never sent, and answers
    /// that say the request was not processed (429, 408, `x-should-retry: true`). A POST
    /// without a token that timed out or got a 5xx is returned at once, its error saying so.
    #[default]
    Safe,
    /// Retry every request on every retryable failure, as the official SDKs do: a POST that
    /// timed out after it was sent may then take effect twice (an SMS sent twice).
    Always,
}

/// Why a failed request was handed back without the retry its failure would otherwise get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRetried {
    /// It was sent and no answer came (a timeout, a dropped connection).
    NoAnswer,
    /// The server answered with this status, which does not say the request did nothing.
    Status(u16),
}

impl std::fmt::Display for NotRetried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            NotRetried::NoAnswer => "it was sent and no answer came".to_string(),
            NotRetried::Status(code) => format!("the server answered {code} after it was sent"),
        };
        write!(
            f,
            "not retried: {what}, so it may have taken effect, and it has no idempotency token \
             (RetryPolicy::Always retries it anyway)"
        )
    }
}

/// How one attempt failed, as far as retrying goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure<'a> {
    /// No connection could be made: nothing of the request left the client.
    NotSent,
    /// The request was sent, or may have been, and no answer came.
    NoAnswer,
    /// The server answered with an error status.
    Status(StatusCode, &'a HeaderMap),
}

impl Failure<'_> {
    /// How a [`crate::Connector`]'s fault failed: as its kind says.
    pub(crate) fn fault(fault: &crate::Fault) -> Failure<'static> {
        match fault.kind() {
            crate::FaultKind::NotSent => Failure::NotSent,
            crate::FaultKind::NoAnswer | crate::FaultKind::TimedOut => Failure::NoAnswer,
        }
    }

    /// How a transport error failed: a connection that could not be made sent nothing; a
    /// timeout or a dropped connection may have come after the server read the request. `None`
    /// for the rest (a redirect loop, a body that could not be read), which no retry mends.
    pub(crate) fn transport(e: &reqwest::Error) -> Option<Failure<'static>> {
        if e.is_connect() {
            Some(Failure::NotSent)
        } else if e.is_timeout() || e.is_request() {
            Some(Failure::NoAnswer)
        } else {
            None
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Retry,
    /// The failure is final whatever the request is (a 400, a 404, `x-should-retry: false`).
    GiveUp,
    /// Worth retrying, but repeating this request could repeat its effect.
    Unsafe(NotRetried),
}

/// Whether an attempt that failed so is retried; `replayable` says the request cannot take
/// effect twice (an idempotent method, or an idempotency token).
pub(crate) fn verdict(failure: Failure<'_>, replayable: bool, policy: RetryPolicy) -> Verdict {
    let safe = replayable || policy == RetryPolicy::Always;
    match failure {
        Failure::NotSent => Verdict::Retry,
        Failure::NoAnswer if safe => Verdict::Retry,
        Failure::NoAnswer => Verdict::Unsafe(NotRetried::NoAnswer),
        Failure::Status(status, headers) if !should_retry(status, headers) => Verdict::GiveUp,
        Failure::Status(status, headers) if safe || not_processed(status, headers) => Verdict::Retry,
        Failure::Status(status, _) => Verdict::Unsafe(NotRetried::Status(status.as_u16())),
    }
}

/// Whether the server said that it did nothing with the request: 429 (Telnyx's rate limit,
/// answered before the request is processed), 408 (it did not wait for the whole request), or
/// `x-should-retry: true`.
fn not_processed(status: StatusCode, headers: &HeaderMap) -> bool {
    matches!(status.as_u16(), 408 | 429) || headers.get("x-should-retry").is_some_and(|v| v == "true")
}

/// Whether this method can be repeated without repeating its effect (RFC 9110, 9.2.2).
pub(crate) fn idempotent_method(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

/// Whether a response with this status and these headers should be retried.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// How long to wait before retry number `retry` (0 for the first), given the failed
/// response's headers if there was a response.
pub(crate) fn delay(retry: u32, headers: Option<&HeaderMap>, now: SystemTime) -> Duration {
    if let Some(wait) = headers.and_then(|h| retry_after(h, now)) {
        if wait <= MAX_RETRY_AFTER {
            return wait;
        }
    }
    let backoff = INITIAL_DELAY.saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX)).min(MAX_DELAY);
    backoff.mul_f64(1.0 - 0.25 * fastrand::f64())
}

/// The wait the server asked for, when it is longer than the client waits
/// ([`MAX_RETRY_AFTER`]): the request is then not retried, and its error carries the wait.
pub(crate) fn too_long(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    retry_after(headers, now).filter(|wait| *wait > MAX_RETRY_AFTER)
}

/// What the server asked for: `retry-after-ms`, else `Retry-After` in seconds or as a date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let seconds = |s: &str| s.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0);
    // `try_from`: a server value too large for a Duration must not panic the caller.
    if let Some(ms) = text("retry-after-ms").and_then(seconds) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = text("retry-after")?;
    if let Some(s) = seconds(value) {
        return Duration::try_from_secs_f64(s).ok();
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn which_statuses_retry() {
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503, 504] {
            assert!(should_retry(StatusCode::from_u16(code).unwrap(), &none), "{code}");
        }
        for code in [400, 401, 403, 404, 422] {
            assert!(!should_retry(StatusCode::from_u16(code).unwrap(), &none), "{code}");
        }
        assert!(!should_retry(StatusCode::INTERNAL_SERVER_ERROR, &headers(&[("x-should-retry", "false")])));
        assert!(should_retry(StatusCode::BAD_REQUEST, &headers(&[("x-should-retry", "true")])));
    }

    #[test]
    fn only_requests_that_cannot_take_effect_twice_are_retried() {
        let none = HeaderMap::new();
        let status = |code| StatusCode::from_u16(code).unwrap();
        let safe = RetryPolicy::Safe;
        // Replayable: every retryable failure is retried.
        for failure in [Failure::NotSent, Failure::NoAnswer, Failure::Status(status(500), &none)] {
            assert_eq!(verdict(failure, true, safe), Verdict::Retry, "{failure:?}");
        }
        // Not replayable: only what was not sent, or what the server did not process.
        assert_eq!(verdict(Failure::NotSent, false, safe), Verdict::Retry);
        assert_eq!(verdict(Failure::NoAnswer, false, safe), Verdict::Unsafe(NotRetried::NoAnswer));
        for code in [429, 408] {
            assert_eq!(verdict(Failure::Status(status(code), &none), false, safe), Verdict::Retry, "{code}");
        }
        for code in [500, 502, 503, 504, 409] {
            let v = verdict(Failure::Status(status(code), &none), false, safe);
            assert_eq!(v, Verdict::Unsafe(NotRetried::Status(code)), "{code}");
        }
        let told = headers(&[("x-should-retry", "true")]);
        assert_eq!(verdict(Failure::Status(status(503), &told), false, safe), Verdict::Retry);
        // Final failures stay final; `Always` retries the rest.
        assert_eq!(verdict(Failure::Status(status(400), &none), true, safe), Verdict::GiveUp);
        assert_eq!(verdict(Failure::Status(status(500), &none), false, RetryPolicy::Always), Verdict::Retry);
        assert_eq!(verdict(Failure::NoAnswer, false, RetryPolicy::Always), Verdict::Retry);
        assert!(idempotent_method(&reqwest::Method::PUT) && !idempotent_method(&reqwest::Method::POST));
        assert!(!idempotent_method(&reqwest::Method::PATCH));
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_jitter() {
        let now = SystemTime::now();
        for (retry, full) in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (40, 8.0)] {
            for _ in 0..50 {
                let d = delay(retry, None, now).as_secs_f64();
                assert!(d <= full && d >= full * 0.75, "retry {retry}: {d}");
            }
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::now();
        assert_eq!(delay(0, Some(&headers(&[("retry-after", "3")])), now), Duration::from_secs(3));
        assert_eq!(delay(0, Some(&headers(&[("retry-after-ms", "250")])), now), Duration::from_millis(250));
        // retry-after-ms wins over Retry-After.
        let both = headers(&[("retry-after-ms", "10"), ("retry-after", "30")]);
        assert_eq!(delay(0, Some(&both), now), Duration::from_millis(10));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(20));
        let d = delay(0, Some(&headers(&[("retry-after", &date)])), now);
        assert!(d > Duration::from_secs(18) && d <= Duration::from_secs(20), "{d:?}");
        // A date in the past means now.
        let past = httpdate::fmt_http_date(now - Duration::from_secs(20));
        assert_eq!(delay(0, Some(&headers(&[("retry-after", &past)])), now), Duration::ZERO);
    }

    #[test]
    fn absurd_retry_after_ms_does_not_panic() {
        let d = delay(0, Some(&headers(&[("retry-after-ms", "1e300")])), SystemTime::now());
        assert!(d <= Duration::from_millis(500));
    }

    #[test]
    fn long_or_bad_retry_after_falls_back_to_backoff() {
        let now = SystemTime::now();
        for value in ["3600", "-1", "soon", "NaN", "1e300", "inf"] {
            let d = delay(0, Some(&headers(&[("retry-after", value)])), now);
            assert!(d <= Duration::from_millis(500), "{value}: {d:?}");
        }
    }
}
