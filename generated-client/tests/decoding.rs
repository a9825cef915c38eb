//! Responses that deviate from the spec, as the live API sends them, through real generated
//! operations against a local server: by default the call succeeds and says what it corrected;
//! strictly, it fails with the whole response kept.

use telnyx::{Client, CorrectionKind, Error, RequestOptions, ResponseCapture};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("k").base_url(format!("{}/v2", server.uri())).max_retries(0).build().unwrap()
}

const ORDER: &str = r#"{"data": {"id": "o1", "phone_numbers_count": "1", "status": "success"}}"#;
const DIALED: &str = r#"{"data": {"call_control_id": "c1", "call_leg_id": "l1", "call_session_id": "s1",
    "is_alive": null, "record_type": "call", "recording_id": "r1"}}"#;

async fn serve(server: &MockServer, verb: &str, at: &str, body: &str) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(200).insert_header("x-request-id", "req-7").set_body_raw(body, "application/json"),
        )
        .mount(server)
        .await;
}

/// `GET /number_orders/o1`, decoded leniently, with what the response needed.
async fn retrieve_captured(server: &MockServer) -> (telnyx::types::NumberOrderWithPhoneNumbers, telnyx::ResponseMeta) {
    let capture = ResponseCapture::new();
    let call = client(server).with_options(RequestOptions::new().capture_response(&capture));
    let order = call.number_orders().retrieve("o1").await.expect("a lenient call succeeds");
    (order, capture.last().expect("a response arrived"))
}

#[tokio::test]
async fn a_number_sent_as_a_string_is_converted_and_recorded() {
    let server = MockServer::start().await;
    serve(&server, "GET", "/v2/number_orders/o1", ORDER).await;
    let (order, meta) = retrieve_captured(&server).await;
    assert_eq!(order.phone_numbers_count, Some(1));
    assert_eq!(meta.corrections.len(), 1, "{:?}", meta.corrections);
    let c = &meta.corrections[0];
    assert_eq!((c.path.as_str(), c.kind), ("data.phone_numbers_count", CorrectionKind::Converted));
    assert_eq!(c.found, Some(serde_json::json!("1")));
}

#[tokio::test]
async fn a_required_field_sent_as_null_takes_its_fallback() {
    let server = MockServer::start().await;
    serve(&server, "POST", "/v2/calls", DIALED).await;
    let capture = ResponseCapture::new();
    let call = client(&server)
        .with_options(RequestOptions::new().capture_response(&capture))
        .calls()
        .dial()
        .connection_id("conn")
        .from("+18005550101")
        .to("+18005550100")
        .await
        .expect("the call succeeds");
    assert!(!call.is_alive);
    assert_eq!(call.call_control_id, "c1");
    let corrections = capture.last().unwrap().corrections;
    assert_eq!(corrections.len(), 1, "{corrections:?}");
    assert_eq!((corrections[0].path.as_str(), corrections[0].kind), ("data.is_alive", CorrectionKind::Replaced));
    assert_eq!(
        corrections[0].to_string(),
        "`data.is_alive`: expected a boolean, found null (replaced by the fallback)"
    );
}

#[tokio::test]
async fn strict_decoding_fails_and_keeps_the_whole_response() {
    let server = MockServer::start().await;
    serve(&server, "GET", "/v2/number_orders/o1", ORDER).await;
    serve(&server, "POST", "/v2/calls", DIALED).await;
    let strict =
        Client::builder().api_key("k").base_url(format!("{}/v2", server.uri())).strict_decoding(true).build().unwrap();
    let err = strict.number_orders().retrieve("o1").await.unwrap_err();
    let Error::Decode(e) = &err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(e.path, "data.phone_numbers_count");
    assert_eq!(e.body_text(), ORDER, "the whole body is kept");
    assert_eq!(e.status.map(|s| s.as_u16()), Some(200));
    assert_eq!(e.request_id.as_deref(), Some("req-7"));
    let line = err.to_string();
    assert!(!line.contains('\n') && !line.contains("success") && line.contains("req-7"), "{line}");

    let err = strict.calls().dial().connection_id("conn").from("+1").to("+2").await.unwrap_err();
    assert_eq!(err.decode().map(|e| e.path.as_str()), Some("data.is_alive"));
    // Per request, the other way round.
    let lenient = strict.with_options(RequestOptions::new().strict_decoding(false));
    assert!(lenient.number_orders().retrieve("o1").await.is_ok());
}

#[tokio::test]
async fn a_response_without_its_data_is_a_correction_or_a_strict_error() {
    // The call returns the `data` of `{"data": ...}`; the API sends it on every success, and
    // one that does not is a deviation like any missing required value.
    let server = MockServer::start().await;
    serve(&server, "GET", "/v2/number_orders/o1", r#"{"meta": {}}"#).await;
    let (order, meta) = retrieve_captured(&server).await;
    assert_eq!(order.id, None, "the fallback of the data: every optional field `None`");
    let corrections = meta.corrections;
    assert_eq!(corrections.len(), 1, "{corrections:?}");
    assert_eq!((corrections[0].path.as_str(), corrections[0].kind), ("data", CorrectionKind::Missing));
    let strict = client(&server).with_options(RequestOptions::new().strict_decoding(true));
    let err = strict.number_orders().retrieve("o1").await.unwrap_err();
    let e = err.decode().expect("a decode error");
    assert_eq!((e.path.as_str(), e.message.as_str()), ("data", "missing field `data`"));
}

#[tokio::test]
async fn a_body_that_is_not_json_is_an_error_in_either_mode() {
    let server = MockServer::start().await;
    serve(&server, "GET", "/v2/number_orders/o1", "<html>bad gateway</html>").await;
    let err = client(&server).number_orders().retrieve("o1").await.unwrap_err();
    let e = err.decode().expect("a decode error");
    assert!(e.message.starts_with("the body is not JSON"), "{}", e.message);
    assert_eq!(e.body_text(), "<html>bad gateway</html>");
}

#[cfg(feature = "webhooks")]
#[test]
fn a_webhook_payload_that_deviates_still_parses_with_its_corrections() {
    use telnyx::webhooks::{decode_unverified, WebhookEvent};
    use telnyx::DecodeMode;
    let body = br#"{"data": {"event_type": "call.hangup", "id": 17, "record_type": "event",
        "payload": {"call_control_id": "c1", "hangup_cause": "normal_clearing", "start_time": 5}}}"#;
    let decoded = decode_unverified(body, DecodeMode::Lenient).expect("parses");
    let WebhookEvent::CallHangup(event) = &decoded.value else { panic!("{:?}", decoded.value) };
    assert_eq!(event.data.id.as_deref(), Some("17"));
    assert_eq!(event.data.payload.call_control_id.as_deref(), Some("c1"));
    let paths: Vec<&str> = decoded.corrections.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["data.id", "data.payload.start_time"]);
    let err = decode_unverified(body, DecodeMode::Strict).unwrap_err();
    assert!(err.to_string().contains("data.id"), "{err}");
    // An event without its payload: the payload's fallback, and a correction.
    let bare = br#"{"data": {"event_type": "call.hangup", "id": "e1", "record_type": "event"}}"#;
    let decoded = decode_unverified(bare, DecodeMode::Lenient).expect("parses");
    let WebhookEvent::CallHangup(event) = &decoded.value else { panic!("{:?}", decoded.value) };
    assert_eq!(event.data.payload.call_control_id, None);
    let paths: Vec<&str> = decoded.corrections.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["data.payload"]);
    assert!(decode_unverified(bare, DecodeMode::Strict).unwrap_err().to_string().contains("data.payload"));
    // An event type this crate does not know is no deviation, in either mode.
    let new = br#"{"data": {"event_type": "call.teleported", "id": "e1"}}"#;
    let decoded = decode_unverified(new, DecodeMode::Strict).unwrap();
    assert!(matches!(decoded.value, WebhookEvent::Unknown(_)) && decoded.corrections.is_empty());
}
