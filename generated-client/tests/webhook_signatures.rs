//! Webhook signature checks, with a key pair made in the test: a good signature passes, and each
//! kind of tampering or malformed input fails with its own error.

use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use telnyx::reqwest::header::{HeaderMap, HeaderValue};
use telnyx::webhooks::{parse_unverified, verify_and_parse, Verifier, WebhookError, WebhookEvent};

const BODY: &[u8] =
    br#"{"data":{"event_type":"call.hangup","id":"e1","payload":{"call_control_id":"v3:abc"},"record_type":"event"}}"#;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn public(key: &SigningKey) -> String {
    b64(key.verifying_key().as_bytes())
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Headers as Telnyx sends them for `body` signed at `timestamp`.
fn signed(key: &SigningKey, timestamp: &str, body: &[u8]) -> HeaderMap {
    let mut message = format!("{timestamp}|").into_bytes();
    message.extend_from_slice(body);
    let mut headers = HeaderMap::new();
    headers.insert("telnyx-signature-ed25519", HeaderValue::from_str(&b64(&key.sign(&message).to_bytes())).unwrap());
    headers.insert("telnyx-timestamp", HeaderValue::from_str(timestamp).unwrap());
    headers
}

#[test]
fn a_good_signature_passes_and_the_event_is_typed() {
    let key = key();
    let headers = signed(&key, &now().to_string(), BODY);
    let event = verify_and_parse(BODY, &headers, &public(&key)).unwrap();
    assert!(matches!(event, WebhookEvent::CallHangup(_)), "{event:?}");
    assert_eq!(event.event_type(), Some("call.hangup"));
}

#[test]
fn header_names_are_case_insensitive_in_any_header_source() {
    let key = key();
    let ts = now().to_string();
    let headers = signed(&key, &ts, BODY);
    let signature = headers["telnyx-signature-ed25519"].to_str().unwrap().to_string();
    let pairs = vec![("Telnyx-Signature-Ed25519", signature.clone()), ("TELNYX-TIMESTAMP", ts.clone())];
    verify_and_parse(BODY, &pairs, &public(&key)).unwrap();
    let map: std::collections::HashMap<String, String> =
        [("Telnyx-Timestamp".to_string(), ts), ("telnyx-signature-ED25519".to_string(), signature)].into();
    verify_and_parse(BODY, &map, &public(&key)).unwrap();
}

#[test]
fn an_altered_body_fails() {
    let key = key();
    let headers = signed(&key, &now().to_string(), BODY);
    let altered = String::from_utf8_lossy(BODY).replace("v3:abc", "v3:abd");
    assert_eq!(verify_and_parse(altered.as_bytes(), &headers, &public(&key)), Err(WebhookError::BadSignature));
}

#[test]
fn an_altered_timestamp_fails() {
    let key = key();
    let mut headers = signed(&key, &now().to_string(), BODY);
    headers.insert("telnyx-timestamp", HeaderValue::from_str(&(now() - 1).to_string()).unwrap());
    assert_eq!(verify_and_parse(BODY, &headers, &public(&key)), Err(WebhookError::BadSignature));
}

#[test]
fn the_wrong_key_fails() {
    let headers = signed(&key(), &now().to_string(), BODY);
    let other = SigningKey::from_bytes(&[9; 32]);
    assert_eq!(verify_and_parse(BODY, &headers, &public(&other)), Err(WebhookError::BadSignature));
}

#[test]
fn stale_and_future_timestamps_fail_and_the_tolerance_is_configurable() {
    let key = key();
    let verifier = Verifier::new(&public(&key)).unwrap();
    let old = signed(&key, &(now() - 301).to_string(), BODY);
    assert!(matches!(verifier.verify(BODY, &old), Err(WebhookError::StaleTimestamp { tolerance_secs: 300, .. })));
    let ahead = signed(&key, &(now() + 400).to_string(), BODY);
    assert!(matches!(verifier.verify(BODY, &ahead), Err(WebhookError::FutureTimestamp { tolerance_secs: 300, .. })));
    // Within a wider window both pass.
    let lenient = verifier.clone().tolerance(Duration::from_secs(3600));
    lenient.verify(BODY, &old).unwrap();
    lenient.verify(BODY, &ahead).unwrap();
    // The clock is an input: a fixed `now` gives a fixed answer.
    let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let fixed = signed(&key, "1700000000", BODY);
    verifier.verify_at(BODY, &fixed, at + Duration::from_secs(300)).unwrap();
    assert!(verifier.verify_at(BODY, &fixed, at + Duration::from_secs(301)).is_err());
}

#[test]
fn missing_headers_fail_each_with_its_name() {
    let key = key();
    let headers = signed(&key, &now().to_string(), BODY);
    for name in ["telnyx-timestamp", "telnyx-signature-ed25519"] {
        let mut without = headers.clone();
        without.remove(name);
        assert_eq!(
            verify_and_parse(BODY, &without, &public(&key)),
            Err(WebhookError::MissingHeader(if name == "telnyx-timestamp" {
                "telnyx-timestamp"
            } else {
                "telnyx-signature-ed25519"
            }))
        );
    }
}

#[test]
fn malformed_headers_fail() {
    let key = key();
    let good = signed(&key, &now().to_string(), BODY);
    let with = |name: &'static str, value: &str| {
        let mut h = good.clone();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        verify_and_parse(BODY, &h, &public(&key))
    };
    assert_eq!(with("telnyx-timestamp", "yesterday"), Err(WebhookError::MalformedTimestamp));
    assert_eq!(with("telnyx-timestamp", "-5"), Err(WebhookError::MalformedTimestamp));
    assert_eq!(with("telnyx-signature-ed25519", "not base64!"), Err(WebhookError::SignatureEncoding));
    assert_eq!(with("telnyx-signature-ed25519", &b64(&[1; 63])), Err(WebhookError::SignatureLength(63)));
    let mut binary = good.clone();
    binary.insert("telnyx-timestamp", HeaderValue::from_bytes(&[0xff, 0xfe]).unwrap());
    assert_eq!(verify_and_parse(BODY, &binary, &public(&key)), Err(WebhookError::HeaderNotText("telnyx-timestamp")));
}

#[test]
fn bad_public_keys_fail() {
    let headers = signed(&key(), &now().to_string(), BODY);
    assert_eq!(verify_and_parse(BODY, &headers, "***"), Err(WebhookError::PublicKeyEncoding));
    assert_eq!(verify_and_parse(BODY, &headers, &b64(&[1; 31])), Err(WebhookError::PublicKeyLength(31)));
}

#[test]
fn a_verified_body_that_deviates_is_corrected_or_a_strict_decode_error() {
    let key = key();
    let body = br#"{"data": {"event_type": "call.hangup", "payload": 5}}"#;
    let headers = signed(&key, &now().to_string(), body);
    let verifier = telnyx::webhooks::Verifier::new(&public(&key)).unwrap();
    let decoded = verifier.verify_and_decode(body, &headers).expect("corrected");
    assert_eq!(decoded.corrections.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["data.payload"]);
    match verifier.strict_decoding(true).verify_and_parse(body, &headers) {
        Err(WebhookError::Decode { path, .. }) => assert_eq!(path, "data.payload"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    let not_json = b"<event/>";
    let headers = signed(&key, &now().to_string(), not_json);
    assert!(matches!(verify_and_parse(not_json, &headers, &public(&key)), Err(WebhookError::Decode { .. })));
    assert!(matches!(parse_unverified(b""), Err(WebhookError::Decode { .. })));
}

#[test]
fn parse_unverified_skips_only_the_signature() {
    let event = parse_unverified(BODY).unwrap();
    assert!(matches!(event, WebhookEvent::CallHangup(_)));
    let unknown = parse_unverified(br#"{"data": {"event_type": "call.teleported"}}"#).unwrap();
    assert!(matches!(unknown, WebhookEvent::Unknown(_)));
}
