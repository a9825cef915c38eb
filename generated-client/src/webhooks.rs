//! Webhooks Telnyx sends: check their signature, then get a typed [`WebhookEvent`].
//!
//! Telnyx signs `"{timestamp}|{raw body}"` with Ed25519. The signature comes base64-encoded in
//! the `telnyx-signature-ed25519` header, the Unix timestamp in `telnyx-timestamp`; the public
//! key (base64, 32 bytes) is in the Mission Control portal. [`verify_and_parse`] checks both
//! headers, the timestamp's age (at most 300 s either way unless [`Verifier::tolerance`] says
//! otherwise) and the signature over the exact bytes received, and only then decodes the body.
//!
//! ```
//! use telnyx::webhooks::{verify_and_parse, WebhookError, WebhookEvent};
//!
//! /// The body of a webhook handler, with whatever HTTP server you use.
//! fn handle(body: &[u8], headers: &telnyx::reqwest::header::HeaderMap, key: &str) -> u16 {
//!     match verify_and_parse(body, headers, key) {
//!         Ok(WebhookEvent::CallAnswered(event)) => {
//!             println!("answered: {:?}", event.data);
//!             200
//!         }
//!         Ok(other) => {
//!             println!("not handled here: {:?}", other.event_type());
//!             200
//!         }
//!         // Say which check failed in your logs, never to the sender.
//!         Err(e @ WebhookError::Decode { .. }) => { eprintln!("{e}"); 400 }
//!         Err(e) => { eprintln!("rejected webhook: {e}"); 401 }
//!     }
//! }
//! ```
//!
//! An event type the crate does not know yet still parses, into [`WebhookEvent::Unknown`] with
//! the JSON kept. Three webhooks of the spec name no event type; the module of the generated
//! enum lists them and their types.

pub use crate::generated::webhooks::*;

use crate::{DecodeMode, Decoded};
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Header holding the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
/// Header holding the Unix timestamp (seconds) the signature covers.
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";
/// How far a timestamp may be from now, either way, unless [`Verifier::tolerance`] says otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a webhook was rejected: one variant per check.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    #[error("no public key: pass one, or set TELNYX_PUBLIC_KEY")]
    NoPublicKey,
    #[error("the public key is not valid base64")]
    PublicKeyEncoding,
    #[error("the public key is {0} bytes; an Ed25519 key is 32")]
    PublicKeyLength(usize),
    #[error("the public key is not a valid Ed25519 key")]
    PublicKeyInvalid,
    #[error("the `{0}` header is missing")]
    MissingHeader(&'static str),
    #[error("the `{0}` header is not text")]
    HeaderNotText(&'static str),
    #[error("the `telnyx-timestamp` header is not a Unix time in seconds")]
    MalformedTimestamp,
    #[error("the timestamp is {age_secs} s old, more than the {tolerance_secs} s allowed")]
    StaleTimestamp { age_secs: u64, tolerance_secs: u64 },
    #[error("the timestamp is {ahead_secs} s in the future, more than the {tolerance_secs} s allowed")]
    FutureTimestamp { ahead_secs: u64, tolerance_secs: u64 },
    #[error("the `telnyx-signature-ed25519` header is not valid base64")]
    SignatureEncoding,
    #[error("the signature is {0} bytes; an Ed25519 signature is 64")]
    SignatureLength(usize),
    /// The body, the timestamp or the key differs from what was signed (by every key accepted).
    #[error("the signature does not match the body and timestamp for this key")]
    BadSignature,
    #[error("the body is not a webhook event: {message} (at `{path}`)")]
    Decode { path: String, message: String },
}

/// Where the two headers are read from: an `http` header map, or name/value pairs. Names are
/// compared without regard to case.
pub trait WebhookHeaders {
    /// The value of a header, when present; `Err` when present but not text.
    fn header(&self, name: &str) -> Option<Result<&str, ()>>;
}

impl WebhookHeaders for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<Result<&str, ()>> {
        self.get(name).map(|v| v.to_str().map_err(|_| ()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<Result<&str, ()>> {
        self.iter().find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| Ok(v.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<Result<&str, ()>> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> WebhookHeaders for std::collections::HashMap<K, V, S> {
    fn header(&self, name: &str) -> Option<Result<&str, ()>> {
        self.iter().find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| Ok(v.as_ref()))
    }
}

/// Checks webhook signatures against the account's public key (or several, while a key is being
/// rotated). Build it once and share it: it is cheap to clone.
#[derive(Clone)]
pub struct Verifier {
    keys: Arc<Vec<VerifyingKey>>,
    tolerance: Duration,
    decode_mode: DecodeMode,
    clock: Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("keys", &self.keys)
            .field("tolerance", &self.tolerance)
            .field("decode_mode", &self.decode_mode)
            .field("clock", &if self.clock.is_some() { "set" } else { "system" })
            .finish()
    }
}

/// What Telnyx signs: `"{timestamp}|{raw body}"`.
pub(crate) fn signed_payload(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut signed = Vec::with_capacity(timestamp.len() + 1 + body.len());
    signed.extend_from_slice(timestamp.as_bytes());
    signed.push(b'|');
    signed.extend_from_slice(body);
    signed
}

/// A base64 Ed25519 public key, parsed.
fn parse_key(public_key: &str) -> Result<VerifyingKey, WebhookError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(public_key.trim())
        .map_err(|_| WebhookError::PublicKeyEncoding)?;
    let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| WebhookError::PublicKeyLength(bytes.len()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| WebhookError::PublicKeyInvalid)
}

impl Verifier {
    /// A verifier for the base64 public key from the portal.
    pub fn new(public_key: &str) -> Result<Self, WebhookError> {
        Ok(Verifier {
            keys: Arc::new(vec![parse_key(public_key)?]),
            tolerance: DEFAULT_TOLERANCE,
            decode_mode: DecodeMode::Lenient,
            clock: None,
        })
    }

    /// Accepts signatures by `public_key` too: while Telnyx rotates the account's key, a webhook
    /// signed by the old key or the new one passes.
    pub fn also_accept(mut self, public_key: &str) -> Result<Self, WebhookError> {
        Arc::make_mut(&mut self.keys).push(parse_key(public_key)?);
        Ok(self)
    }

    /// A verifier for one key or several separated by commas (`old,new` during a rotation), as
    /// `TELNYX_PUBLIC_KEY` and the client builder's `public_key` hold them.
    pub fn from_keys(keys: &str) -> Result<Self, WebhookError> {
        let mut keys = keys.split(',').map(str::trim).filter(|k| !k.is_empty());
        let mut verifier = Verifier::new(keys.next().ok_or(WebhookError::NoPublicKey)?)?;
        for key in keys {
            verifier = verifier.also_accept(key)?;
        }
        Ok(verifier)
    }

    /// A verifier for the key in `TELNYX_PUBLIC_KEY`; during a rotation, several keys separated
    /// by commas.
    pub fn from_env() -> Result<Self, WebhookError> {
        Verifier::from_keys(&std::env::var("TELNYX_PUBLIC_KEY").unwrap_or_default())
    }

    /// How far the timestamp may be from now, either way.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Fail on a payload that deviates from the spec instead of correcting it (see
    /// [`crate::DecodeMode`]; default `false`).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.decode_mode = if strict { DecodeMode::Strict } else { DecodeMode::Lenient };
        self
    }

    /// What "now" is when a timestamp's age is checked: the system clock unless set. Tests set it
    /// to check a recorded webhook, or one signed at a time of their choosing.
    pub fn clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(now));
        self
    }

    /// Checks the headers and the signature of `body` (the raw bytes, before any parsing).
    pub fn verify(&self, body: &[u8], headers: &(impl WebhookHeaders + ?Sized)) -> Result<(), WebhookError> {
        let now = self.clock.as_ref().map_or_else(SystemTime::now, |clock| clock());
        self.verify_at(body, headers, now)
    }

    /// [`Verifier::verify`] as of `now`.
    pub fn verify_at(
        &self,
        body: &[u8],
        headers: &(impl WebhookHeaders + ?Sized),
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let read = |name: &'static str| match headers.header(name) {
            None => Err(WebhookError::MissingHeader(name)),
            Some(Err(())) => Err(WebhookError::HeaderNotText(name)),
            Some(Ok(v)) => Ok(v.trim()),
        };
        let timestamp = read(TIMESTAMP_HEADER)?;
        let signature = read(SIGNATURE_HEADER)?;

        let seconds: u64 = timestamp.parse().map_err(|_| WebhookError::MalformedTimestamp)?;
        let sent = UNIX_EPOCH.checked_add(Duration::from_secs(seconds)).ok_or(WebhookError::MalformedTimestamp)?;
        let tolerance_secs = self.tolerance.as_secs();
        match now.duration_since(sent) {
            Ok(age) if age > self.tolerance => {
                return Err(WebhookError::StaleTimestamp { age_secs: age.as_secs(), tolerance_secs })
            }
            Err(ahead) if ahead.duration() > self.tolerance => {
                return Err(WebhookError::FutureTimestamp { ahead_secs: ahead.duration().as_secs(), tolerance_secs })
            }
            _ => {}
        }

        let signature =
            base64::engine::general_purpose::STANDARD.decode(signature).map_err(|_| WebhookError::SignatureEncoding)?;
        let signature =
            Signature::from_slice(&signature).map_err(|_| WebhookError::SignatureLength(signature.len()))?;
        let signed = signed_payload(timestamp, body);
        if self.keys.iter().any(|key| key.verify_strict(&signed, &signature).is_ok()) {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }

    /// Verifies, then decodes the body into a [`WebhookEvent`]. A payload that deviates from
    /// the spec is corrected, each correction logged at warn level (unless strict).
    pub fn verify_and_parse(
        &self,
        body: &[u8],
        headers: &(impl WebhookHeaders + ?Sized),
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_and_decode(body, headers).map(|decoded| decoded.value)
    }

    /// [`Verifier::verify_and_parse`], with the corrections the payload needed.
    pub fn verify_and_decode(
        &self,
        body: &[u8],
        headers: &(impl WebhookHeaders + ?Sized),
    ) -> Result<Decoded<WebhookEvent>, WebhookError> {
        self.verify(body, headers)?;
        let decoded = decode_unverified(body, self.decode_mode)?;
        if !decoded.corrections.is_empty() {
            tracing::warn!(
                corrections = decoded.corrections.len(),
                first = %decoded.corrections[0],
                "the webhook payload deviates from the spec; decoded with corrections"
            );
        }
        Ok(decoded)
    }
}

/// Checks a webhook against the base64 `public_key` and decodes it: the one call a handler
/// needs. See [`Verifier`] to keep the key parsed, or to change the timestamp tolerance.
pub fn verify_and_parse(
    body: &[u8],
    headers: &(impl WebhookHeaders + ?Sized),
    public_key: &str,
) -> Result<WebhookEvent, WebhookError> {
    Verifier::new(public_key)?.verify_and_parse(body, headers)
}

/// Decodes a webhook body **without checking its signature**: for callers that verified it
/// elsewhere (a gateway, a queue that only accepts verified messages). Anyone can send a body
/// that parses. A payload that deviates from the spec is corrected, as the client does.
#[inline]
pub fn parse_unverified(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    decode_unverified(body, DecodeMode::Lenient).map(|decoded| decoded.value)
}

/// [`parse_unverified`] in the given mode, with the corrections the payload needed. An event
/// type this crate does not know is [`WebhookEvent::Unknown`] in either mode, not a deviation.
// `#[inline]`, as the operations are: the machine code that decodes the 66 events is compiled
// in the program that receives them, not in every build of the crate (a third of its time).
#[inline]
pub fn decode_unverified(body: &[u8], mode: DecodeMode) -> Result<Decoded<WebhookEvent>, WebhookError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(WebhookError::Decode { path: String::new(), message: "the body is empty".into() });
    }
    crate::decode_json_with(body, mode).map_err(|e| match e.decode() {
        Some(d) => WebhookError::Decode { path: d.path.clone(), message: d.message.clone() },
        None => WebhookError::Decode { path: String::new(), message: e.to_string() },
    })
}
