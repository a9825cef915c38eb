//! Receive webhooks in an axum server and check their signatures before trusting them.
//!
//! `TELNYX_PUBLIC_KEY=... cargo run --example webhook_server -- --serve` listens on
//! 127.0.0.1:8080 until stopped (point your Telnyx webhook URL at it, through a tunnel).
//! Without `--serve` it is a self-contained demo: it signs a sample `call.hangup` event with a
//! key of its own, posts it to itself, prints what the handler saw, and stops.

use axum::{body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use std::sync::Arc;
use telnyx::webhooks::{Verifier, WebhookEvent};
use tokio::sync::mpsc;

struct App {
    verifier: Verifier,
    received: mpsc::Sender<String>,
}

/// Verifies first: a body whose signature or timestamp does not check out is refused.
async fn webhook(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match app.verifier.verify_and_parse(&body, &headers) {
        Ok(event) => {
            let seen = match &event {
                WebhookEvent::CallHangup(hangup) => {
                    format!("call.hangup for {:?}", hangup.data.payload.call_control_id)
                }
                other => format!("{:?}", other.event_type()),
            };
            println!("verified webhook: {seen}");
            let _ = app.received.send(seen).await;
            StatusCode::OK
        }
        Err(e) => {
            println!("refused webhook: {e}");
            StatusCode::BAD_REQUEST
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let serve = std::env::args().any(|a| a == "--serve");
    // The demo signs with its own key; a real server uses the key from the Mission Control portal.
    let demo_key = SigningKey::from_bytes(&[42; 32]);
    let verifier = if serve {
        Verifier::from_env()?
    } else {
        Verifier::new(&base64::engine::general_purpose::STANDARD.encode(demo_key.verifying_key().as_bytes()))?
    };
    let (received, mut events) = mpsc::channel(16);
    let app = Router::new().route("/webhooks", post(webhook)).with_state(Arc::new(App { verifier, received }));
    let address = if serve { "127.0.0.1:8080" } else { "127.0.0.1:0" };
    let listener = tokio::net::TcpListener::bind(address).await?;
    let url = format!("http://{}/webhooks", listener.local_addr()?);
    println!("listening on {url}");
    if serve {
        axum::serve(listener, app).await?;
        return Ok(());
    }
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let body = serde_json::json!({"data": {
        "event_type": "call.hangup", "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", "record_type": "event",
        "occurred_at": "2026-11-24T12:00:00Z",
        "payload": {"call_control_id": "v3:demo", "hangup_cause": "normal_clearing", "hangup_source": "caller"}
    }})
    .to_string();
    let timestamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs().to_string();
    let signature = demo_key.sign(format!("{timestamp}|{body}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(signature.to_bytes());
    let http = telnyx::reqwest::Client::new();
    let post = |signature: String| {
        http.post(&url)
            .header("telnyx-timestamp", &timestamp)
            .header("telnyx-signature-ed25519", signature)
            .body(body.clone())
            .send()
    };
    let good = post(signature.clone()).await?;
    println!("signed event: {}", good.status());
    // Signed for another body: what a tampered or replayed-and-edited request looks like.
    let other = demo_key.sign(format!("{timestamp}|{{}}").as_bytes());
    let forged = post(base64::engine::general_purpose::STANDARD.encode(other.to_bytes())).await?;
    println!("forged event: {}", forged.status());
    let seen = events.recv().await.ok_or("the handler saw nothing")?;
    println!("handled: {seen}");
    if !good.status().is_success() || forged.status() != StatusCode::BAD_REQUEST {
        return Err("the server did not tell the signed event from the forged one".into());
    }
    server.abort();
    Ok(())
}
