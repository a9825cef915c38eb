//! The example IVR (`examples/ivr/`), driven as Telnyx would drive it: signed webhooks through
//! its axum router and the extractor, its commands answered by the in-process mock of the API.

#[path = "../examples/ivr/app.rs"]
mod app;

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::json;
use telnyx::test_util::{Answer, Fault, Mock, WebhookSigner};
use tower::ServiceExt as _;

const CALL: &str = "v3:call-1";

/// A Call Control webhook; its id is the event type's, so that each differs.
fn event(event_type: &str, payload: serde_json::Value) -> serde_json::Value {
    json!({ "data": {
        "event_type": event_type, "id": event_id(event_type), "record_type": "event",
        "occurred_at": "2026-12-07T10:00:00Z", "payload": payload,
    }})
}

fn event_id(event_type: &str) -> String {
    format!("evt-{event_type}")
}

/// The mock answers every command of a call as Telnyx does.
fn telnyx() -> Mock {
    let mock = Mock::new();
    for command in ["answer", "gather_using_speak", "speak", "hangup"] {
        let route = format!("POST /calls/{{call_control_id}}/actions/{command}");
        let _ = mock.on(&route).answer(Answer::data(json!({ "result": "ok" })));
    }
    mock
}

async fn post(router: &axum::Router, signed: &telnyx::test_util::SignedWebhook) -> StatusCode {
    router.clone().oneshot(signed.request("/webhooks").map(Body::from)).await.unwrap().status()
}

#[tokio::test]
async fn a_call_is_answered_asked_for_a_pin_read_back_and_hung_up() {
    let mock = telnyx();
    let signer = WebhookSigner::new();
    let router = app::router(app::Ivr { client: mock.client(), verifier: signer.verifier() });

    for webhook in [
        event("call.initiated", json!({ "call_control_id": CALL, "direction": "incoming" })),
        event("call.answered", json!({ "call_control_id": CALL })),
        event("call.gather.ended", json!({ "call_control_id": CALL, "digits": "1234", "status": "valid" })),
        event("call.speak.ended", json!({ "call_control_id": CALL, "client_state": "Z29vZGJ5ZQ==" })),
        // Nothing follows a hangup.
        event("call.hangup", json!({ "call_control_id": CALL, "hangup_cause": "normal_clearing" })),
    ] {
        assert_eq!(post(&router, &signer.sign_json(&webhook)).await, StatusCode::OK, "{webhook}");
    }

    let sent = mock.requests();
    let commands: Vec<(&str, Option<&str>)> =
        sent.iter().map(|r| (r.path.rsplit('/').next().unwrap(), r.path_param("call_control_id"))).collect();
    assert_eq!(
        commands,
        [("answer", Some(CALL)), ("gather_using_speak", Some(CALL)), ("speak", Some(CALL)), ("hangup", Some(CALL))]
    );
    assert!(mock.unmatched().is_empty());

    // Each command's idempotency token is the id of the webhook it answers.
    let tokens: Vec<String> =
        sent.iter().map(|r| r.json_value()["command_id"].as_str().expect("a command_id").to_string()).collect();
    let events = ["call.initiated", "call.answered", "call.gather.ended", "call.speak.ended"];
    assert_eq!(tokens, events.map(event_id));

    // What was asked and said.
    let gather = sent[1].json::<telnyx::types::GatherUsingSpeakRequest>().unwrap();
    assert_eq!((gather.minimum_digits, gather.maximum_digits), (Some(4), Some(4)));
    let speak = sent[2].json::<telnyx::types::SpeakRequest>().unwrap();
    assert_eq!(speak.payload, "You entered 1 2 3 4. Goodbye.");
}

#[tokio::test]
async fn an_outgoing_call_and_other_speech_are_left_alone() {
    let mock = telnyx();
    let signer = WebhookSigner::new();
    let router = app::router(app::Ivr { client: mock.client(), verifier: signer.verifier() });
    let outgoing = event("call.initiated", json!({ "call_control_id": CALL, "direction": "outgoing" }));
    let other_speech = event("call.speak.ended", json!({ "call_control_id": CALL }));
    for webhook in [outgoing, other_speech] {
        assert_eq!(post(&router, &signer.sign_json(&webhook)).await, StatusCode::OK);
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

#[tokio::test]
async fn a_forged_webhook_sends_no_command() {
    let mock = telnyx();
    let router = app::router(app::Ivr { client: mock.client(), verifier: WebhookSigner::new().verifier() });
    let forged = WebhookSigner::from_seed([9; 32])
        .sign_json(&event("call.initiated", json!({ "call_control_id": CALL, "direction": "incoming" })));
    assert_eq!(post(&router, &forged).await, StatusCode::UNAUTHORIZED);
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn a_command_that_got_no_answer_is_a_500_and_goes_again_the_same_when_telnyx_resends() {
    let mock = Mock::new();
    // The connection dropped after sending, four times, then the command gets through.
    let dropped = || Answer::fault(Fault::no_answer("connection reset"));
    let answer = mock.on("POST /calls/{call_control_id}/actions/answer").sequence([
        dropped(),
        dropped(),
        dropped(),
        dropped(),
        Answer::data(json!({ "result": "ok" })),
    ]);
    let signer = WebhookSigner::new();
    let client = mock.client_builder().max_retries(0).build().unwrap();
    let router = app::router(app::Ivr { client, verifier: signer.verifier() });
    let initiated =
        signer.sign_json(&event("call.initiated", json!({ "call_control_id": CALL, "direction": "incoming" })));
    assert_eq!(post(&router, &initiated).await, StatusCode::INTERNAL_SERVER_ERROR);
    // Telnyx sends the same webhook again; the command goes again with the same command_id.
    for _ in 0..3 {
        assert_eq!(post(&router, &initiated).await, StatusCode::INTERNAL_SERVER_ERROR);
    }
    assert_eq!(post(&router, &initiated).await, StatusCode::OK);
    let tokens: Vec<String> =
        answer.requests().iter().map(|r| r.json_value()["command_id"].as_str().unwrap().to_string()).collect();
    assert_eq!(tokens, vec![event_id("call.initiated"); 5]);
}

#[tokio::test]
async fn a_refused_command_is_a_200_as_sending_it_again_would_be_refused_again() {
    let mock = Mock::new();
    let ended = Answer::error(422, "90018", "Call has already ended", "the call is no longer active");
    let _ = mock.on("POST /calls/{call_control_id}/actions/answer").answer(ended);
    let signer = WebhookSigner::new();
    let router = app::router(app::Ivr { client: mock.client(), verifier: signer.verifier() });
    let initiated = event("call.initiated", json!({ "call_control_id": CALL, "direction": "incoming" }));
    assert_eq!(post(&router, &signer.sign_json(&initiated)).await, StatusCode::OK);
    assert_eq!(mock.requests().len(), 1);
}
