//! The axum extractor of verified webhooks, driven through a router without a socket, with
//! webhooks signed by the test signer.

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use telnyx::axum::VerifiedEvent;
use telnyx::test_util::{SignedWebhook, WebhookSigner};
use telnyx::webhooks::{Verifier, WebhookError, WebhookEvent};
use tower::ServiceExt as _;

/// An app's state: the verifier is one of its fields.
#[derive(Clone)]
struct App {
    verifier: Verifier,
    seen: Arc<Mutex<Vec<String>>>,
}

impl FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

async fn webhook(State(app): State<App>, VerifiedEvent(event): VerifiedEvent) -> StatusCode {
    let seen = match &event {
        WebhookEvent::CallHangup(hangup) => format!("call.hangup {:?}", hangup.data.payload.call_control_id),
        other => format!("{:?}", other.event_type()),
    };
    app.seen.lock().unwrap().push(seen);
    StatusCode::OK
}

fn hangup() -> serde_json::Value {
    serde_json::json!({
        "data": {
            "event_type": "call.hangup",
            "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
            "occurred_at": "2026-12-07T10:00:00Z",
            "payload": { "call_control_id": "v3:abc", "hangup_cause": "normal_clearing" },
            "record_type": "event"
        }
    })
}

/// Sends `request` to an app that accepts `verifier`: the status, the response's text and
/// what the handler saw.
async fn send(verifier: Verifier, request: axum::http::Request<Body>) -> (StatusCode, String, Vec<String>) {
    let app = App { verifier, seen: Arc::default() };
    let router = Router::new().route("/webhooks", post(webhook)).with_state(app.clone());
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let seen = app.seen.lock().unwrap().clone();
    (status, String::from_utf8(body.to_vec()).unwrap(), seen)
}

fn post_of(webhook: &SignedWebhook) -> axum::http::Request<Body> {
    webhook.request("/webhooks").map(Body::from)
}

#[tokio::test]
async fn a_signed_event_reaches_the_handler_typed() {
    let signer = WebhookSigner::new();
    let (status, _, seen) = send(signer.verifier(), post_of(&signer.sign_json(&hangup()))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen, ["call.hangup Some(\"v3:abc\")"]);
}

#[tokio::test]
async fn the_verifier_can_be_the_whole_state() {
    let signer = WebhookSigner::new();
    let router =
        Router::new()
            .route(
                "/webhooks",
                post(|VerifiedEvent(event): VerifiedEvent| async move {
                    event.event_type().unwrap_or("unknown").to_string()
                }),
            )
            .with_state(signer.verifier());
    let response = router.oneshot(post_of(&signer.sign_json(&hangup()))).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    assert_eq!(&body[..], b"call.hangup");
}

#[tokio::test]
async fn a_typed_event_signed_by_the_test_signer_decodes_to_itself() {
    let signer = WebhookSigner::new();
    let event = telnyx::webhooks::parse_unverified(&serde_json::to_vec(&hangup()).unwrap()).unwrap();
    let webhook = signer.sign_event(&event);
    assert_eq!(signer.verifier().verify_and_parse(&webhook.body, &webhook.headers()).unwrap(), event);
    let (status, _, seen) = send(signer.verifier(), post_of(&webhook)).await;
    assert_eq!((status, seen.len()), (StatusCode::OK, 1));
}

#[tokio::test]
async fn a_signature_by_another_key_is_401_and_says_why() {
    let signer = WebhookSigner::new();
    let stranger = WebhookSigner::from_seed([1; 32]);
    let (status, text, seen) = send(signer.verifier(), post_of(&stranger.sign_json(&hangup()))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(text, WebhookError::BadSignature.to_string());
    assert!(seen.is_empty());
}

#[tokio::test]
async fn a_body_changed_after_signing_is_401() {
    let signer = WebhookSigner::new();
    let mut webhook = signer.sign_json(&hangup());
    webhook.body = serde_json::to_vec(&serde_json::json!({"data": {"event_type": "call.answered"}})).unwrap();
    let (status, text, _) = send(signer.verifier(), post_of(&webhook)).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::UNAUTHORIZED, "the signature does not match the body and timestamp for this key")
    );
}

#[tokio::test]
async fn missing_headers_are_401_naming_the_header() {
    let signer = WebhookSigner::new();
    let webhook = signer.sign_json(&hangup());
    let request = axum::http::Request::post("/webhooks").body(Body::from(webhook.body.clone())).unwrap();
    let (status, text, _) = send(signer.verifier(), request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(text, "the `telnyx-timestamp` header is missing");
}

#[tokio::test]
async fn a_stale_webhook_is_401_unless_the_clock_says_it_is_fresh() {
    let signer = WebhookSigner::new();
    let sent = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let webhook = signer.sign_at(serde_json::to_vec(&hangup()).unwrap(), sent);
    let (status, text, _) = send(signer.verifier(), post_of(&webhook)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(text.starts_with("the timestamp is ") && text.ends_with(" s old, more than the 300 s allowed"), "{text}");

    let one_minute_later = signer.verifier().clock(move || sent + Duration::from_secs(60));
    let (status, _, seen) = send(one_minute_later, post_of(&webhook)).await;
    assert_eq!((status, seen.len()), (StatusCode::OK, 1));

    let ten_minutes_earlier = signer.verifier().clock(move || sent - Duration::from_secs(600));
    let (status, text, _) = send(ten_minutes_earlier, post_of(&webhook)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(text, "the timestamp is 600 s in the future, more than the 300 s allowed");
}

#[tokio::test]
async fn a_signed_body_that_is_not_an_event_is_400_and_says_why() {
    let signer = WebhookSigner::new();
    let (status, text, seen) = send(signer.verifier(), post_of(&signer.sign("not json"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.starts_with("the body is not a webhook event: "), "{text}");
    assert!(seen.is_empty());

    let (status, text, _) = send(signer.verifier(), post_of(&signer.sign(""))).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::BAD_REQUEST, "the body is not a webhook event: the body is empty (at ``)")
    );
}

#[tokio::test]
async fn during_a_key_rotation_both_keys_pass_and_others_do_not() {
    let (old, new, stranger) =
        (WebhookSigner::new(), WebhookSigner::from_seed([2; 32]), WebhookSigner::from_seed([3; 32]));
    let verifier = old.verifier().also_accept(&new.public_key()).unwrap();
    for (signer, expected) in [(&old, StatusCode::OK), (&new, StatusCode::OK), (&stranger, StatusCode::UNAUTHORIZED)] {
        let (status, _, _) = send(verifier.clone(), post_of(&signer.sign_json(&hangup()))).await;
        assert_eq!(status, expected, "signed by {signer:?}");
    }
    assert_eq!(old.verifier().also_accept("not base64!").unwrap_err(), WebhookError::PublicKeyEncoding);
}

#[tokio::test]
async fn the_rejection_keeps_the_verifiers_error() {
    use axum::extract::FromRequest as _;
    let signer = WebhookSigner::new();
    let stranger = WebhookSigner::from_seed([4; 32]);
    let rejection =
        VerifiedEvent::from_request(post_of(&stranger.sign_json(&hangup())), &signer.verifier()).await.unwrap_err();
    assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(rejection.error(), Some(&WebhookError::BadSignature));
    assert_eq!(rejection.to_string(), WebhookError::BadSignature.to_string());
}

#[tokio::test]
async fn a_body_over_axums_limit_is_413_and_says_why() {
    let signer = WebhookSigner::new();
    let huge = format!("{{\"data\":{{\"event_type\":\"call.hangup\",\"padding\":\"{}\"}}}}", "x".repeat(3 << 20));
    let (status, text, seen) = send(signer.verifier(), post_of(&signer.sign(huge))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text.starts_with("the body could not be read: "), "{text}");
    assert!(seen.is_empty());
}
