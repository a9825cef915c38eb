//! The IVR itself: one axum handler for the Call Control webhooks of a call, each answered with
//! the next command.
//!
//! - `call.initiated` (an incoming call): answer it;
//! - `call.answered`: ask for a PIN, spoken, and gather its digits;
//! - `call.gather.ended`: speak the digits back;
//! - `call.speak.ended` of that: hang up.
//!
//! Each command's `command_id` is the webhook's event id: when Telnyx sends a webhook again (the
//! app answered it late, or with an error), the command sent again is the same command, which
//! Telnyx carries out once.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use telnyx::types::CallInitiatedPayloadDirection;
use telnyx::webhooks::{Verifier, WebhookEvent};

/// What the handler needs: a client to send the commands, and the verifier of webhooks.
#[derive(Clone)]
pub struct Ivr {
    pub client: telnyx::Client,
    pub verifier: Verifier,
}

impl FromRef<Ivr> for Verifier {
    fn from_ref(ivr: &Ivr) -> Verifier {
        ivr.verifier.clone()
    }
}

/// The `client_state` of the last words: their `call.speak.ended` hangs up.
const GOODBYE: &str = "Z29vZGJ5ZQ=="; // base64 of "goodbye"

/// The app: `POST /webhooks`.
pub fn router(ivr: Ivr) -> Router {
    Router::new().route("/webhooks", post(webhook)).with_state(ivr)
}

/// A webhook reaches this only when its signature and timestamp check out.
async fn webhook(
    State(ivr): State<Ivr>,
    telnyx::axum::VerifiedEvent(event): telnyx::axum::VerifiedEvent,
) -> StatusCode {
    match next_command(&ivr.client, event).await {
        Ok(()) => StatusCode::OK,
        // Refused (the call has ended, say): sending it again would be refused again.
        Err(e) if e.api().is_some_and(|api| api.status.is_client_error()) => {
            eprintln!("command refused: {e}");
            StatusCode::OK
        }
        // Not sent, or no answer: Telnyx sends the webhook again, and the command goes again with
        // the same command_id.
        Err(e) => {
            eprintln!("command failed: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

async fn next_command(client: &telnyx::Client, event: WebhookEvent) -> telnyx::Result<()> {
    let actions = client.calls().actions();
    match event {
        WebhookEvent::CallInitiated(initiated) => {
            let (event_id, call) = (event_id(initiated.data.id), initiated.data.payload);
            let incoming = call.direction.is_none_or(|d| d == CallInitiatedPayloadDirection::Incoming);
            if let (true, Some(id)) = (incoming, call.call_control_id) {
                actions.answer(&id).command_id(event_id).await?;
            }
        }
        WebhookEvent::CallAnswered(answered) => {
            if let Some(id) = answered.data.payload.call_control_id {
                actions
                    .gather_using_speak(&id)
                    .command_id(event_id(answered.data.id))
                    .payload("Please enter your four digit PIN.")
                    .voice("female")
                    .language("en-US")
                    .minimum_digits(4)
                    .maximum_digits(4)
                    .await?;
            }
        }
        WebhookEvent::CallGatherEnded(gathered) => {
            let (event_id, call) = (event_id(gathered.data.id), gathered.data.payload);
            if let Some(id) = call.call_control_id {
                let digits = call.digits.unwrap_or_default();
                let spaced: Vec<String> = digits.chars().map(String::from).collect();
                actions
                    .speak(&id)
                    .payload(format!("You entered {}. Goodbye.", spaced.join(" ")))
                    .voice("female")
                    .language("en-US")
                    .client_state(GOODBYE)
                    .command_id(event_id)
                    .await?;
            }
        }
        WebhookEvent::CallSpeakEnded(spoken) => {
            let (event_id, call) = (event_id(spoken.data.id), spoken.data.payload);
            if let (Some(GOODBYE), Some(id)) = (call.client_state.as_deref(), call.call_control_id) {
                actions.hangup(&id).command_id(event_id).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The event's id, the `command_id` of the command it leads to (a fresh one for an event without).
fn event_id(id: Option<String>) -> String {
    id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}
