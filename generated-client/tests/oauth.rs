//! OAuth2 client credentials against a local mock server: the grant (Basic auth, form body),
//! the cached token, expiry, a 401 as the token expires, a grant retried, and a refused grant.

use telnyx::Client;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `Basic base64("client-1:secret-1")`.
const BASIC: &str = "Basic Y2xpZW50LTE6c2VjcmV0LTE=";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .client_credentials("client-1", "secret-1")
        .base_url(format!("{}/v2", server.uri()))
        .max_retries(1)
        .build()
        .unwrap()
}

/// The token endpoint hands out `token-1`, `token-2`, ... each living `expires_in` seconds.
async fn token_endpoint(server: &MockServer, expires_in: u64) {
    let counter = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/v2/oauth/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("token-{n}"), "token_type": "bearer", "expires_in": expires_in
            }))
        })
        .mount(server)
        .await;
}

async fn balance_for(server: &MockServer, token: &str, status: u16) {
    let body = serde_json::json!({"data": {"balance": "1.00"}});
    Mock::given(method("GET"))
        .and(path("/v2/balance"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

async fn grants(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().filter(|r| r.url.path() == "/v2/oauth/token").count()
}

#[tokio::test]
async fn the_token_is_obtained_with_basic_auth_and_reused_until_it_expires() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600).await;
    balance_for(&server, "token-1", 200).await;
    let client = client(&server);
    client.balance().retrieve().await.unwrap();
    client.balance().retrieve().await.unwrap();
    assert_eq!(grants(&server).await, 1, "one grant for two calls");
}

#[tokio::test]
async fn an_expired_token_is_replaced_before_the_call() {
    let server = MockServer::start().await;
    token_endpoint(&server, 0).await;
    balance_for(&server, "token-1", 200).await;
    balance_for(&server, "token-2", 200).await;
    let client = client(&server);
    client.balance().retrieve().await.unwrap();
    client.balance().retrieve().await.unwrap();
    assert_eq!(grants(&server).await, 2, "a token that lives 0 s is asked for again");
}

#[tokio::test]
async fn a_401_as_the_token_expires_renews_it_and_sends_again() {
    let server = MockServer::start().await;
    // Lives 5 s: within the 10 s window where a 401 means "expired in flight".
    token_endpoint(&server, 5).await;
    balance_for(&server, "token-1", 401).await;
    balance_for(&server, "token-2", 200).await;
    let balance = client(&server).balance().retrieve().await.unwrap();
    assert_eq!(balance.balance.as_deref(), Some("1.00"));
    assert_eq!(grants(&server).await, 2);
}

#[tokio::test]
async fn a_401_with_a_fresh_token_is_an_error_and_asks_for_no_new_token() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600).await;
    balance_for(&server, "token-1", 401).await;
    let err = client(&server).balance().retrieve().await.unwrap_err();
    assert!(err.api().is_some_and(|e| e.is_authentication()), "{err}");
    assert_eq!(grants(&server).await, 1);
}

#[tokio::test]
async fn a_refused_grant_is_an_api_error_and_the_call_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": "Client authentication failed"
        })))
        .mount(&server)
        .await;
    let err = client(&server).balance().retrieve().await.unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 401);
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.iter().all(|r| r.url.path() == "/v2/oauth/token"), "the call itself is never sent");
}

#[tokio::test]
async fn a_grant_that_fails_on_the_way_is_asked_for_again_before_the_call_is_sent() {
    // The grant is safe to repeat (it only hands out a token), and the call was not sent yet:
    // a 503 from the token endpoint is retried even for a POST without an idempotency token.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/oauth/token"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    token_endpoint(&server, 3600).await;
    Mock::given(method("POST"))
        .and(path("/v2/messages"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": {"id": "m-1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let sms = client(&server).messages().send().to("+18005550100").await.unwrap();
    assert_eq!(sms.id.as_deref(), Some("m-1"));
    assert_eq!(grants(&server).await, 2);
}

#[tokio::test]
async fn a_grant_without_a_token_names_the_field_and_never_echoes_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"token": "secret-token-value"})))
        .mount(&server)
        .await;
    let err = client(&server).balance().retrieve().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("access_token"), "{text}");
    assert!(!text.contains("secret-token-value"), "{text}");
}
