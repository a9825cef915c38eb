//! An IVR on Call Control, in axum: it answers an incoming call, asks for a PIN, speaks the
//! digits back and hangs up (`app.rs`). Its test, `tests/ivr.rs`, drives it with signed webhooks
//! and the in-process mock of the API.
//!
//! `TELNYX_API_KEY=... TELNYX_PUBLIC_KEY=... cargo run -p telnyx-sdk --example ivr --features
//! axum,test-util -- --serve` listens on 127.0.0.1:8080 until stopped: point a Call Control
//! application's webhook URL at `/webhooks` there (through a tunnel) and call its number.
//! Without `--serve` it is a demo: it plays one call's webhooks to itself, signed with a test key,
//! sends its commands to `TELNYX_BASE_URL` when set (CI's mock server of the API) or else to an
//! in-process mock, prints them, and stops.

mod app;

use telnyx::test_util::{Answer, Mock, WebhookSigner};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let serve = std::env::args().any(|a| a == "--serve");
    let mock = Mock::new();
    let client = if serve || std::env::var_os("TELNYX_BASE_URL").is_some() {
        telnyx::Client::from_env()?
    } else {
        let _ = mock
            .on("POST /calls/{call_control_id}/actions/{command}")
            .answer(Answer::data(serde_json::json!({ "result": "ok" })));
        mock.client()
    };
    // The demo signs its own webhooks; a real server checks them against the account's key.
    let signer = WebhookSigner::new();
    let verifier = if serve { telnyx::webhooks::Verifier::from_env()? } else { signer.verifier() };
    let router = app::router(app::Ivr { client, verifier });
    let address = if serve { "127.0.0.1:8080" } else { "127.0.0.1:0" };
    let listener = tokio::net::TcpListener::bind(address).await?;
    let url = format!("http://{}/webhooks", listener.local_addr()?);
    println!("listening on {url}");
    if serve {
        axum::serve(listener, router).await?;
        return Ok(());
    }
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = telnyx::reqwest::Client::new();
    let call = |event: &str, payload: serde_json::Value| {
        serde_json::json!({ "data": {
            "event_type": event, "id": uuid::Uuid::new_v4().to_string(), "record_type": "event",
            "occurred_at": "2026-12-07T10:00:00Z", "payload": payload,
        }})
    };
    let id = "v3:demo-call";
    for event in [
        call("call.initiated", serde_json::json!({ "call_control_id": id, "direction": "incoming" })),
        call("call.answered", serde_json::json!({ "call_control_id": id })),
        call("call.gather.ended", serde_json::json!({ "call_control_id": id, "digits": "1234", "status": "valid" })),
        call("call.speak.ended", serde_json::json!({ "call_control_id": id, "client_state": "Z29vZGJ5ZQ==" })),
    ] {
        let webhook = signer.sign_json(&event);
        let status = http.post(&url).headers(webhook.headers()).body(webhook.body).send().await?.status();
        println!("{}: {status}", event["data"]["event_type"].as_str().unwrap_or("?"));
        if !status.is_success() {
            return Err(format!("the IVR answered {status}").into());
        }
    }
    for command in mock.requests() {
        println!("  sent {} {} {}", command.method, command.path, String::from_utf8_lossy(&command.body));
    }
    Ok(())
}
