//! Test doubles for an app built on this crate (the `test-util` feature; add it to your
//! `[dev-dependencies]` only).
//!
//! - [`Mock`]: the Telnyx API in process. A client built from it sends every request to its
//!   rules instead of the network: each rule is keyed by an operation as its docs write it
//!   (`POST /calls/{call_control_id}/actions/answer`), optionally matches on the request's
//!   typed inputs, and answers with a typed value, an error status with a Telnyx error body, a
//!   transport fault, or a sequence of these. It counts the calls and hands back each request,
//!   whose body decodes into the operation's typed inputs. Everything between the call and the
//!   network runs as it does in production: encoding, idempotency tokens, retries, decoding.
//! - `WebhookSigner` (with `webhooks`): Telnyx's side of a webhook. It holds a test key pair and
//!   signs an event (typed, or raw JSON) into the body and headers that a webhook `Verifier` made
//!   from its public key accepts.
//!
//! ```
//! # #[cfg(feature = "calls")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx::Result<()> {
//! use telnyx::test_util::{Answer, Mock};
//! use telnyx::types::CallRequest;
//!
//! let mock = Mock::new();
//! let dial = mock.on("POST /calls").answer(Answer::data(serde_json::json!({
//!     "call_control_id": "v3:abc", "call_leg_id": "leg", "call_session_id": "session",
//!     "is_alive": true, "record_type": "call",
//! })));
//! let client = mock.client();
//!
//! // The code under test:
//! let call = client.calls().dial().connection_id("1684641123236054244").from("+18005550101").to("+18005550100").await?;
//!
//! assert_eq!(call.call_control_id, "v3:abc");
//! assert_eq!(dial.num_calls(), 1);
//! let sent: CallRequest = dial.requests()[0].json()?;
//! assert_eq!(sent.from, "+18005550101");
//! # Ok(()) }
//! # #[cfg(not(feature = "calls"))]
//! # fn main() {}
//! ```
//!
//! A webhook, signed:
//!
//! ```
//! # #[cfg(feature = "webhooks")] {
//! use telnyx::test_util::WebhookSigner;
//! use telnyx::webhooks::WebhookEvent;
//!
//! let signer = WebhookSigner::new();
//! let verifier = signer.verifier(); // what the app under test is given instead of its real key
//! let webhook = signer.sign_json(&serde_json::json!({
//!     "data": {
//!         "event_type": "call.hangup",
//!         "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
//!         "payload": { "call_control_id": "v3:abc" },
//!         "record_type": "event"
//!     }
//! }));
//! let event = verifier.verify_and_parse(&webhook.body, &webhook.headers()).unwrap();
//! assert!(matches!(event, WebhookEvent::CallHangup(_)));
//! # }
//! ```

pub use crate::{Connector, Fault, FaultKind};
pub use mock::{Answer, Mock, MockRequest, Rule, RuleBuilder, MOCK_BASE_URL};

mod mock;

#[cfg(feature = "webhooks")]
pub use signing::{SignedWebhook, WebhookSigner};

#[cfg(feature = "webhooks")]
mod signing {
    use crate::webhooks::{Verifier, WebhookEvent, SIGNATURE_HEADER, TIMESTAMP_HEADER};
    use base64::Engine as _;
    use ed25519_dalek::{Signer as _, SigningKey};
    use std::time::{SystemTime, UNIX_EPOCH};

    /// Signs webhooks as Telnyx does, with a key pair of its own (never an account's).
    #[derive(Clone)]
    pub struct WebhookSigner {
        key: SigningKey,
    }

    impl std::fmt::Debug for WebhookSigner {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("WebhookSigner").field("public_key", &self.public_key()).finish()
        }
    }

    impl Default for WebhookSigner {
        fn default() -> Self {
            Self::new()
        }
    }

    impl WebhookSigner {
        /// The test key pair: the same in every run, so a failure can be reproduced.
        pub fn new() -> Self {
            Self::from_seed([0x7e; 32])
        }

        /// Another key pair, from a 32-byte seed: to test key rotation, or a webhook signed by
        /// a key the app does not accept.
        pub fn from_seed(seed: [u8; 32]) -> Self {
            WebhookSigner { key: SigningKey::from_bytes(&seed) }
        }

        /// The public key, base64, as the Mission Control portal shows an account's.
        pub fn public_key(&self) -> String {
            base64::engine::general_purpose::STANDARD.encode(self.key.verifying_key().as_bytes())
        }

        /// A verifier that accepts what this signs.
        pub fn verifier(&self) -> Verifier {
            Verifier::new(&self.public_key()).expect("a key pair's own public key is valid")
        }

        /// `body` signed now.
        pub fn sign(&self, body: impl Into<Vec<u8>>) -> SignedWebhook {
            self.sign_at(body, SystemTime::now())
        }

        /// `body` signed with the timestamp `at`: a time long past gives a webhook that a verifier
        /// refuses as stale.
        pub fn sign_at(&self, body: impl Into<Vec<u8>>, at: SystemTime) -> SignedWebhook {
            let body = body.into();
            let timestamp = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()).to_string();
            let message = crate::webhooks::signed_payload(&timestamp, &body);
            let signature = base64::engine::general_purpose::STANDARD.encode(self.key.sign(&message).to_bytes());
            SignedWebhook { body, timestamp, signature }
        }

        /// A JSON body signed now (`{"data": {"event_type": .., "payload": ..}}`, as Telnyx sends).
        pub fn sign_json(&self, body: &serde_json::Value) -> SignedWebhook {
            self.sign(serde_json::to_vec(body).expect("a JSON value encodes"))
        }

        /// A typed event, encoded as Telnyx sends it, signed now.
        pub fn sign_event(&self, event: &WebhookEvent) -> SignedWebhook {
            self.sign(serde_json::to_vec(event).expect("a webhook event encodes"))
        }
    }

    /// A signed webhook: the body and the two headers Telnyx sends with it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SignedWebhook {
        /// The raw body.
        pub body: Vec<u8>,
        /// The `telnyx-timestamp` header: Unix seconds.
        pub timestamp: String,
        /// The `telnyx-signature-ed25519` header: base64.
        pub signature: String,
    }

    impl SignedWebhook {
        /// The two headers, for [`Verifier::verify`] or a request of your own.
        pub fn headers(&self) -> http::HeaderMap {
            let mut headers = http::HeaderMap::new();
            for (name, value) in [(TIMESTAMP_HEADER, &self.timestamp), (SIGNATURE_HEADER, &self.signature)] {
                headers.insert(name, http::HeaderValue::from_str(value).expect("base64 and digits are header text"));
            }
            headers
        }

        /// A `POST` of this webhook to `uri`, as Telnyx would send it: for a web framework's
        /// router under test (axum's `Router` takes it with `.map(axum::body::Body::from)`,
        /// through `tower::ServiceExt::oneshot`).
        pub fn request(&self, uri: &str) -> http::Request<bytes::Bytes> {
            let mut request = http::Request::new(bytes::Bytes::from(self.body.clone()));
            *request.method_mut() = http::Method::POST;
            *request.uri_mut() = uri.parse().expect("a valid request URI");
            *request.headers_mut() = self.headers();
            request
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
            request
        }
    }
}
