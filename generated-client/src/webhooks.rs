//! Webhooks Telnyx sends: [`WebhookEvent`] over every event the spec describes, and the typed
//! payload of each.
//!
//! ```
//! let body = br#"{"data": {"event_type": "call.hangup", "id": "0ccc7b54", "payload": {}, "record_type": "event"}}"#;
//! match serde_json::from_slice::<telnyx::webhooks::WebhookEvent>(body).unwrap() {
//!     telnyx::webhooks::WebhookEvent::CallHangup(event) => println!("{:?}", event.data),
//!     other => println!("not handled: {:?}", other.event_type()),
//! }
//! ```

pub use crate::generated::webhooks::*;
