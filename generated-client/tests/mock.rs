//! The in-process test double (`test_util::Mock`): rules by operation, typed inputs, errors,
//! faults and sequences, through the client's real encoding, retries and decoding.

use serde_json::json;
use std::time::Duration;
use telnyx::test_util::{Answer, Fault, FaultKind, Mock};
use telnyx::types::{AnswerRequest, CallRequest, CreateMessageRequest};
use telnyx::{Error, NotRetried, RequestOptions};

fn dialled() -> serde_json::Value {
    json!({
        "call_control_id": "v3:abc", "call_leg_id": "leg-1", "call_session_id": "session-1",
        "is_alive": true, "record_type": "call",
    })
}

fn sent_message() -> serde_json::Value {
    json!({ "id": "40385f64-5717-4562-b3fc-2c963f66afa6", "record_type": "message", "text": "Hello!" })
}

async fn dial(client: &telnyx::Client) -> telnyx::Result<telnyx::types::CallWithRecordingId> {
    client.calls().dial().connection_id("1684641123236054244").from("+18005550101").to("+18005550100").await
}

#[tokio::test]
async fn a_rule_answers_its_operation_and_keeps_the_typed_inputs() {
    let mock = Mock::new();
    let rule = mock.on("POST /calls").answer(Answer::data(dialled()));
    let client = mock.client();

    let call = dial(&client).await.unwrap();
    assert_eq!(call.call_control_id, "v3:abc");

    assert_eq!(rule.num_calls(), 1);
    let request = &rule.requests()[0];
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/calls"));
    assert_eq!(request.route.as_deref(), Some("POST /calls"));
    assert_eq!(request.header("authorization"), Some("Bearer test"));
    let body: CallRequest = request.json().unwrap();
    assert_eq!((body.connection_id.as_str(), body.from.as_str()), ("1684641123236054244", "+18005550101"));
    assert_eq!(body.to, telnyx::types::CallRequestTo::String("+18005550100".into()));
    // The idempotency token is filled in, as over the network.
    assert!(body.command_id.as_deref().is_some_and(|id| id.len() == 36), "{:?}", body.command_id);
    assert_eq!(mock.requests().len(), 1);
    assert!(mock.unmatched().is_empty());
}

#[tokio::test]
async fn a_typed_value_answers_a_call_and_comes_back_equal() {
    let mock = Mock::new();
    // A type the crate only receives has `Default` with `test-util`: a value to fill in.
    let mut dialled = telnyx::types::CallWithRecordingId::default();
    dialled.call_control_id = "v3:typed".into();
    dialled.is_alive = true;
    dialled.client_state = Some("c3RhdGU=".into());
    let _ = mock.on_call(|c| c.calls().dial()).answer(Answer::data(&dialled));
    assert_eq!(dial(&mock.client()).await.unwrap(), dialled);
}

#[tokio::test]
async fn path_parameters_match_by_name_and_are_handed_back_decoded() {
    let mock = Mock::new();
    let ours = mock
        .on("POST /calls/{call_control_id}/actions/answer")
        .when_param("call_control_id", "v3:ours")
        .answer(Answer::data(json!({ "result": "ok" })));
    let client = mock.client();

    let answered = client.calls().actions().answer("v3:ours").client_state("c3RhdGU=").await.unwrap();
    assert_eq!(answered.result.as_deref(), Some("ok"));
    let request = &ours.requests()[0];
    assert_eq!(request.path, "/calls/v3%3Aours/actions/answer");
    assert_eq!(request.path_param("call_control_id"), Some("v3:ours"));
    assert_eq!(request.json::<AnswerRequest>().unwrap().client_state.as_deref(), Some("c3RhdGU="));

    // Another call's id matches no rule: the error names the method, the path and the rules.
    let error = client.calls().actions().answer("v3:theirs").await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 404);
    let detail = api.errors[0].detail.as_deref().unwrap();
    assert_eq!(
        detail,
        "no rule of the test mock matches POST /calls/v3%3Atheirs/actions/answer (its rules: POST /calls/{call_control_id}/actions/answer)"
    );
    assert_eq!(mock.unmatched().len(), 1);
    assert_eq!(ours.num_calls(), 1);
}

#[tokio::test]
async fn a_condition_on_the_typed_body_picks_the_rule() {
    let mock = Mock::new();
    let to_support = mock
        .on("POST /messages")
        .when_body(|body: &CreateMessageRequest| body.to == "+18005550199")
        .answer(Answer::error(422, "40310", "Invalid 'to' address", "the number is not reachable by SMS"));
    let to_anyone = mock.on("POST /messages").answer(Answer::data(sent_message()));
    let client = mock.client();

    let sent = client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").await.unwrap();
    assert_eq!(sent.text.as_deref(), Some("Hello!"));
    let error = client.messages().send().from("+18005550101").to("+18005550199").text("Hello!").await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!((api.status.as_u16(), api.errors[0].code.as_deref()), (422, Some("40310")));
    assert_eq!((to_support.num_calls(), to_anyone.num_calls()), (1, 1));
}

#[tokio::test]
async fn a_sequence_tests_retries_and_is_then_used_up() {
    let mock = Mock::new();
    let rule = mock.on("POST /calls").sequence([
        Answer::fault(Fault::not_sent("connection refused")),
        Answer::error(429, "10011", "Too many requests", "slow down").header("retry-after", "0"),
        Answer::data(dialled()),
    ]);
    let client = mock.client();

    assert_eq!(dial(&client).await.unwrap().call_control_id, "v3:abc");
    assert_eq!(rule.num_calls(), 3);
    // Each attempt of the retried call carried the same idempotency token.
    let tokens: Vec<String> =
        rule.requests().iter().map(|r| r.json::<CallRequest>().unwrap().command_id.unwrap()).collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");

    // Used up: the next dial is unmatched.
    let error = dial(&client).await.unwrap_err();
    assert_eq!(error.api().map(|a| a.status.as_u16()), Some(404));
}

#[tokio::test]
async fn a_fault_after_sending_is_not_retried_when_that_could_repeat_the_effect() {
    let mock = Mock::new();
    // Sending a message has no idempotency token: a second attempt could send it twice.
    let rule = mock.on("POST /messages").answer(Answer::fault(Fault::no_answer("connection reset")));
    let client = mock.client();
    let error = client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").await.unwrap_err();
    assert!(matches!(&error, Error::Fault { fault, .. } if fault.kind() == FaultKind::NoAnswer), "{error:?}");
    assert_eq!(error.not_retried(), Some(NotRetried::NoAnswer));
    assert_eq!(error.to_string(), format!("request failed: connection reset; {}", NotRetried::NoAnswer));
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn a_slow_answer_times_out_as_over_the_network() {
    let mock = Mock::new();
    let rule = mock.on("POST /calls").answer(Answer::fault(Fault::timed_out("no answer in time")));
    let client = mock.client_builder().max_retries(0).build().unwrap();
    let error = dial(&client).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(rule.num_calls(), 1);

    // The request's own timeout holds for a connector that never answers.
    struct Never;
    impl telnyx::test_util::Connector for Never {
        fn send(
            &self,
            _: http::Request<bytes::Bytes>,
        ) -> futures_util::future::BoxFuture<'static, Result<http::Response<bytes::Bytes>, Fault>> {
            Box::pin(futures_util::future::pending())
        }
    }
    let client = telnyx::Client::builder().api_key("test").connector(Never).max_retries(0).build().unwrap();
    let error = client
        .calls()
        .dial()
        .connection_id("1")
        .from("+18005550101")
        .to("+18005550100")
        .with_options(RequestOptions::new().timeout(Duration::from_millis(50)))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn requests_are_recorded_in_order_with_their_query() {
    let mock = Mock::new();
    mock.on("GET /calls/{call_control_id}").answer(Answer::data(dialled()));
    let client = mock.client();
    client.calls().retrieve_status("v3:abc").await.unwrap();
    let _ = dial(&client).await;
    let seen: Vec<(String, Option<String>)> =
        mock.requests().iter().map(|r| (format!("{} {}", r.method, r.path), r.route.clone())).collect();
    assert_eq!(
        seen,
        [
            ("GET /calls/v3%3Aabc".to_string(), Some("GET /calls/{call_control_id}".to_string())),
            ("POST /calls".to_string(), None),
        ]
    );
}

#[tokio::test]
async fn a_rule_can_be_named_by_its_call_which_the_compiler_checks() {
    let mock = Mock::new();
    let any = mock
        .on_call(|c| c.calls().actions().answer("{call_control_id}"))
        .answer(Answer::data(json!({ "result": "ok" })));
    let only_this = mock.on_call(|c| c.calls().retrieve_status("v3:this")).answer(Answer::data(dialled()));
    let client = mock.client();

    client.calls().actions().answer("v3:anything").await.unwrap();
    assert_eq!(any.requests()[0].route.as_deref(), Some("POST /calls/{call_control_id}/actions/answer"));
    assert_eq!(any.requests()[0].path_param("call_control_id"), Some("v3:anything"));

    client.calls().retrieve_status("v3:this").await.unwrap();
    let error = client.calls().retrieve_status("v3:that").await.unwrap_err();
    assert_eq!(error.api().map(|e| e.status.as_u16()), Some(404));
    assert_eq!((any.num_calls(), only_this.num_calls()), (1, 1));
    assert_eq!(only_this.requests()[0].route.as_deref(), Some("GET /calls/v3:this"));
}

#[test]
#[should_panic(expected = "a route is `METHOD /path`")]
fn a_route_without_a_method_is_refused_at_once() {
    let _ = Mock::new().on("/calls");
}

#[test]
#[should_panic(expected = "not a method (GET, POST, ...)")]
fn a_lowercase_method_is_refused_at_once() {
    let _ = Mock::new().on("post /calls");
}

#[test]
#[should_panic(expected = "a route is a path without a query")]
fn a_query_in_a_route_is_refused_at_once() {
    let _ = Mock::new().on("GET /calls?page[number]=2");
}

#[tokio::test]
async fn a_multipart_upload_reaches_the_mock_whole_and_the_capture_has_the_url() {
    let mock = Mock::new();
    let upload = mock.on("POST /documents").answer(Answer::data(json!({ "id": "doc-1" })));
    let client = mock.client();
    let capture = telnyx::ResponseCapture::new();
    let mut form = telnyx::MultipartForm::default();
    form.field("customer_reference", "ref-1");
    form.file(
        "file",
        &telnyx::FilePart::new(&b"%PDF-1.4 hello"[..]).file_name("loa.pdf").content_type("application/pdf"),
    );
    let mut request = client.request(telnyx::reqwest::Method::POST, "/documents");
    request.multipart(form).set_options(RequestOptions::new().capture_response(&capture));
    let answer: serde_json::Value = request.send_json().await.unwrap();
    assert_eq!(answer["data"]["id"], "doc-1");

    let sent = &upload.requests()[0];
    let content_type = sent.header("content-type").unwrap_or_default();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let body = String::from_utf8_lossy(&sent.body);
    assert!(body.contains("name=\"customer_reference\"") && body.contains("ref-1"), "{body}");
    assert!(body.contains("filename=\"loa.pdf\"") && body.contains("%PDF-1.4 hello"), "{body}");
    assert!(sent.header("user-agent").is_some_and(|ua| ua.starts_with("telnyx-rust/")));
    let meta = capture.last().expect("the response was captured");
    assert_eq!(meta.url.as_str(), "http://telnyx.mock/v2/documents");
}
