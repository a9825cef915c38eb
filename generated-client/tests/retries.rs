//! Retries, timeouts and per-request options, against a local mock server.

use reqwest::header::{HeaderName, HeaderValue};
use std::time::{Duration, Instant};
use telnyx::{Client, Error, NotRetried, RequestOptions, RetryPolicy};
use wiremock::matchers::{header, method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("k").base_url(server.uri()).build().unwrap()
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": {"id": "x"}}))
}

/// A failure that asks for an immediate retry, so tests need not wait for the backoff.
fn fail_now(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("retry-after-ms", "0")
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn retryable_statuses_are_retried_then_succeed() {
    for status in [408, 409, 429, 500, 503] {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(fail_now(status)).up_to_n_times(2).mount(&server).await;
        Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
        let order = client(&server).number_orders().retrieve("x").await.unwrap();
        assert_eq!(order.id.as_deref(), Some("x"));
        assert_eq!(received(&server).await, 3, "status {status}: two retries then success");
    }
}

#[tokio::test]
async fn retries_stop_at_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(fail_now(500)).mount(&server).await;
    let err = client(&server).number_orders().retrieve("x").await.unwrap_err();
    assert!(err.api().unwrap().is_server_error());
    assert_eq!(received(&server).await, 3, "default: 1 attempt + 2 retries");

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(fail_now(500)).mount(&server).await;
    let c = client(&server).with_options(RequestOptions::new().max_retries(0));
    c.number_orders().retrieve("x").await.unwrap_err();
    assert_eq!(received(&server).await, 1);

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(fail_now(500)).mount(&server).await;
    let c = Client::builder().api_key("k").base_url(server.uri()).max_retries(4).build().unwrap();
    c.number_orders().retrieve("x").await.unwrap_err();
    assert_eq!(received(&server).await, 5);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(fail_now(404)).mount(&server).await;
    let err = client(&server).number_orders().retrieve("x").await.unwrap_err();
    assert!(err.api().unwrap().is_not_found());
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn x_should_retry_forces_or_forbids() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(fail_now(500).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    client(&server).number_orders().retrieve("x").await.unwrap_err();
    assert_eq!(received(&server).await, 1, "forbidden");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(fail_now(400).insert_header("x-should-retry", "true"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    client(&server).number_orders().retrieve("x").await.unwrap();
    assert_eq!(received(&server).await, 2, "forced");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let start = Instant::now();
    client(&server).number_orders().retrieve("x").await.unwrap();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
}

#[tokio::test]
async fn a_retry_after_past_the_cap_comes_back_at_once_with_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "86400"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let start = Instant::now();
    let err = client(&server).number_orders().retrieve("x").await.unwrap_err();
    // A day is not waited for, nor replaced by a short backoff: the caller decides.
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    assert_eq!(received(&server).await, 1, "not retried");
    let api = err.api().expect("the server's error");
    assert_eq!(api.retry_after, Some(Duration::from_secs(86400)));
    assert!(err.to_string().contains("retry after 86400 s"), "{err}");
}

/// A server whose first answer comes after `late` (past the client's timeout), every later one
/// at once with `then`: the first attempt's outcome is unknown to the client.
async fn late_then(http_method: &str, late: Duration, then: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .respond_with(ResponseTemplate::new(204).set_delay(late))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method(http_method)).respond_with(ResponseTemplate::new(then)).mount(&server).await;
    server
}

#[tokio::test]
async fn a_retry_that_finds_the_work_done_says_the_first_attempt_likely_took_effect() {
    let patient = RequestOptions::new().timeout(Duration::from_millis(300)).max_retries(1);
    // The DELETE timed out after the server deleted; its retry gets 404.
    let server = late_then("DELETE", Duration::from_secs(2), 404).await;
    let err = client(&server).with_options(patient.clone()).fqdns().delete("fqdn-1").await.unwrap_err();
    let api = err.api().expect("the retry's 404");
    assert!(api.is_not_found() && api.likely_applied, "{err}");
    assert!(err.to_string().contains("most likely took effect"), "{err}");
    assert_eq!(received(&server).await, 2);
    // A PUT answered 409 on its retry, the same.
    let server = late_then("PUT", Duration::from_secs(2), 409).await;
    let c = client(&server).with_options(patient.clone());
    let err = c.calls().actions().update_client_state("call-1").client_state("aGk=").await.unwrap_err();
    assert!(err.api().is_some_and(|a| a.is_conflict() && a.likely_applied), "{err}");
    // A 404 on the first attempt says nothing of the kind.
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let err = client(&server).with_options(patient).fqdns().delete("fqdn-1").await.unwrap_err();
    assert!(err.api().is_some_and(|a| a.is_not_found() && !a.likely_applied), "{err}");
}

#[tokio::test]
async fn timeouts_are_their_own_error_and_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok().set_delay(Duration::from_secs(3))).mount(&server).await;
    let c = client(&server).with_options(RequestOptions::new().timeout(Duration::from_millis(200)).max_retries(1));
    let start = Instant::now();
    let err = c.number_orders().retrieve("x").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(received(&server).await, 2, "the timeout was retried once");
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder().api_key("k").base_url(format!("http://127.0.0.1:{port}")).max_retries(1).build().unwrap();
    let err = c.number_orders().retrieve("x").await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
}

#[tokio::test]
async fn per_request_and_default_headers_and_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-team", "voice"))
        .and(header("x-trace", "abc"))
        .and(query_param("debug", "1"))
        .and(wiremock::matchers::header_regex("user-agent", "^telnyx-rust/"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .default_header(HeaderName::from_static("x-team"), HeaderValue::from_static("voice"))
        .build()
        .unwrap();
    let traced = c.with_options(
        RequestOptions::new()
            .header(HeaderName::from_static("x-trace"), HeaderValue::from_static("abc"))
            .query("debug", "1"),
    );
    traced.number_orders().retrieve("x").await.unwrap();
    // Options stay on the handle they were given to.
    assert!(!format!("{c:?}").contains("abc"));
}

#[tokio::test]
async fn a_post_without_a_token_is_not_retried_after_a_5xx() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(fail_now(502)).mount(&server).await;
    let c = client(&server);
    let mut req = c.request(reqwest::Method::POST, "/messages");
    req.json(&serde_json::json!({"to": "+15550100"}));
    let err = req.send_empty().await.unwrap_err();
    assert_eq!(received(&server).await, 1);
    assert_eq!(err.not_retried(), Some(NotRetried::Status(502)));
    assert!(err.to_string().contains("not retried"), "{err}");
    // Out of retries is not the same as refused for safety.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(fail_now(502)).mount(&server).await;
    let err = client(&server).number_orders().retrieve("x").await.unwrap_err();
    assert_eq!(err.not_retried(), None);
}

#[tokio::test]
async fn request_bodies_are_resent_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(fail_now(502)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ok()).mount(&server).await;
    let c = client(&server).with_options(RequestOptions::new().retry_policy(RetryPolicy::Always));
    let mut req = c.request(reqwest::Method::POST, "/messages");
    req.json(&serde_json::json!({"to": "+15550100"}));
    req.send_empty().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].body, br#"{"to":"+15550100"}"#);
}

#[tokio::test]
async fn raw_response_is_captured_beside_the_typed_value() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(fail_now(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ok().insert_header("x-request-id", "req-7")).mount(&server).await;
    let capture = telnyx::ResponseCapture::new();
    let c = client(&server).with_options(RequestOptions::new().capture_response(&capture));
    let order = c.number_orders().retrieve("x").await.unwrap();
    assert_eq!(order.id.as_deref(), Some("x"));
    let meta = capture.last().expect("captured");
    assert_eq!(meta.status, 200);
    assert_eq!(meta.request_id.as_deref(), Some("req-7"));
    assert_eq!(meta.attempts, 2);
    assert_eq!(meta.headers["content-type"], "application/json");
}
